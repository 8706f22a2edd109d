// tests/unit/stream/rtmp_test_util.hpp: builds what an RTMP publisher (ffmpeg,
// OBS) sends: C0+C1, C2, and AMF0 command messages as chunks.
#pragma once

#include <string>
#include <vector>

#include "stream/rtmp/amf0.hpp"
#include "stream/rtmp/chunk_stream.hpp"

namespace forumcast::stream::rtmp::testing {

inline std::string c0c1() {
  std::string s(1 + 1536, '\0');
  s[0] = 3;
  for (size_t i = 9; i < s.size(); ++i) s[i] = static_cast<char>(i * 7);
  return s;
}
inline std::string c2() {
  return std::string(1536, 'x');
}

inline std::string command(uint32_t stream_id, const std::vector<Amf0Value>& values,
                           uint32_t chunk = 128) {
  RtmpMessage m;
  m.csid = 3;
  m.type = kCommandAmf0;
  m.stream_id = stream_id;
  m.payload = amf0_encode_all(values);
  ChunkWriter w;
  w.set_chunk_size(chunk);
  std::string out;
  w.write(m, out);
  return out;
}

inline std::string connect_cmd(const std::string& app) {
  return command(0, {Amf0Value::str("connect"), Amf0Value::num(1),
                     Amf0Value::obj({{"app", Amf0Value::str(app)},
                                     {"tcUrl", Amf0Value::str("rtmp://127.0.0.1/" + app)}})});
}
inline std::string publish_cmd(const std::string& key) {
  return command(1, {Amf0Value::str("publish"), Amf0Value::num(5), Amf0Value::null_value(),
                     Amf0Value::str(key), Amf0Value::str("live")});
}
inline std::string media(uint8_t type, uint32_t ts, const std::string& payload,
                         uint32_t chunk = 128) {
  RtmpMessage m;
  m.csid = type == kAudio ? 4 : 6;
  m.type = type;
  m.stream_id = 1;
  m.timestamp = ts;
  m.payload = payload;
  ChunkWriter w;
  w.set_chunk_size(chunk);
  std::string out;
  w.write(m, out);
  return out;
}

// Decodes every complete message in `bytes` as the client would (our chunk size
// answers start at 128 and switch to 4096 after Set Chunk Size).
inline std::vector<RtmpMessage> server_messages(const std::string& bytes) {
  ChunkReader r;
  r.feed(bytes);
  std::vector<RtmpMessage> out;
  for (;;) {
    auto m = r.next();
    if (!m.ok() || !m.value()) break;
    if (m.value()->type == kSetChunkSize && m.value()->payload.size() == 4) {
      const auto* p = reinterpret_cast<const unsigned char*>(m.value()->payload.data());
      (void)r.set_chunk_size((uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3]);
    }
    out.push_back(*m.value());
  }
  return out;
}

// The "code" of every onStatus / _result info object in the messages.
inline std::vector<std::string> status_codes(const std::vector<RtmpMessage>& msgs) {
  std::vector<std::string> codes;
  for (const auto& m : msgs) {
    if (m.type != kCommandAmf0) continue;
    auto v = amf0_decode(m.payload);
    if (!v.ok()) continue;
    for (const auto& x : v.value())
      if (const auto* c = x.get("code")) codes.push_back(c->string);
  }
  return codes;
}

}  // namespace forumcast::stream::rtmp::testing
