// stream/rtmp/rtmp_session.cpp: the RTMP publisher state machine (Adobe RTMP
// spec 1.0 sections 5.2 handshake, 5.4 protocol control, 7.2 commands). Only
// the publish path exists: play and everything else is refused. The simple
// handshake (S2 echoes C1) is what ffmpeg, librtmp and OBS accept for publishing.
#include "stream/rtmp/rtmp_session.hpp"

#include <cstring>
#include <random>

#include "stream/rtmp/amf0.hpp"

namespace forumcast::stream::rtmp {
namespace {

constexpr size_t kSig = 1536;
constexpr uint32_t kServerWindow = 5'000'000;
constexpr uint32_t kOutChunkSize = 4096;

std::string be32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
  return s;
}

using P = std::pair<std::string, Amf0Value>;

}  // namespace

RtmpSession::RtmpSession(ChunkLimits limits, std::string app, Hooks hooks)
    : reader_(limits), app_(std::move(app)), hooks_(std::move(hooks)) {}

Status RtmpSession::on_bytes(std::string_view bytes) {
  if (state_ == State::closed || closing_) return ok_status();
  bytes_in_ += bytes.size();
  while (!bytes.empty() && (state_ == State::c0c1 || state_ == State::c2)) {
    const size_t want = (state_ == State::c0c1 ? 1 + kSig : kSig) - hs_.size();
    const size_t take = std::min(want, bytes.size());
    hs_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (take < want) return ok_status();
    if (state_ == State::c0c1) {
      if (hs_[0] != 3)
        return make_error("rtmp_handshake",
                          "unsupported RTMP version " + std::to_string(uint8_t(hs_[0])));
      out_.push_back(3);  // S0
      std::string s1(kSig, '\0');
      std::minstd_rand rng(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(this)));
      for (size_t i = 8; i < kSig; ++i) s1[i] = static_cast<char>(rng());
      out_ += s1;                 // S1: time 0, zero, random
      out_.append(hs_, 1, kSig);  // S2: echo of C1
      state_ = State::c2;
    } else {
      state_ = State::connecting;  // C2 is not checked (simple handshake)
    }
    hs_.clear();
  }
  if (bytes.empty()) return ok_status();
  reader_.feed(bytes);
  for (;;) {
    auto next = reader_.next();
    if (!next.ok()) return next.error();
    if (!next.value()) break;
    if (auto st = on_message(*next.value()); !st.ok()) return st;
    if (closing_) return ok_status();
  }
  if (ack_window_ > 0 && bytes_in_ - last_ack_ >= ack_window_) {
    send_control(kAck, static_cast<uint32_t>(bytes_in_));
    last_ack_ = bytes_in_;
  }
  return ok_status();
}

Status RtmpSession::on_message(const RtmpMessage& m) {
  auto need4 = [&]() -> Status {
    if (m.payload.size() < 4)
      return make_error("rtmp_chunk_malformed", "control message too short");
    return ok_status();
  };
  auto u32 = [&]() {
    const auto* p = reinterpret_cast<const unsigned char*>(m.payload.data());
    return (uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
  };
  switch (m.type) {
    case kSetChunkSize: {
      if (auto st = need4(); !st.ok()) return st;
      return reader_.set_chunk_size(u32() & 0x7FFFFFFF);
    }
    case kAbort:
      if (auto st = need4(); !st.ok()) return st;
      reader_.abort(u32());
      return ok_status();
    case kWindowAckSize:
      if (auto st = need4(); !st.ok()) return st;
      ack_window_ = u32();
      return ok_status();
    case kAck:
    case kUserControl:
    case kSetPeerBandwidth:
      return ok_status();
    case kCommandAmf0:
      return on_command(m, m.payload);
    case kCommandAmf3:  // AMF3 command messages start with a format byte, then AMF0
      if (m.payload.empty()) return make_error("rtmp_amf_malformed", "empty AMF3 command");
      return on_command(m, std::string_view(m.payload).substr(1));
    case kAudio:
    case kVideo:
    case kDataAmf0:
    case kDataAmf3:
    case kAggregate: {
      if (state_ != State::publishing) {
        if (m.type == kDataAmf0 || m.type == kDataAmf3) return ok_status();  // e.g. early metadata
        return make_error("rtmp_media_before_publish", "media before an authorized publish");
      }
      if (m.type == kAggregate) {
        // FLV-tag-like sub messages: type(1) size(3) ts(3) ts_ext(1) stream(3) data back(4)
        std::string_view rest = m.payload;
        uint32_t first_ts = 0;
        bool first = true;
        while (rest.size() >= 11) {
          const auto* p = reinterpret_cast<const unsigned char*>(rest.data());
          uint32_t size = (p[1] << 16) | (p[2] << 8) | p[3];
          uint32_t ts = (uint32_t(p[7]) << 24) | (p[4] << 16) | (p[5] << 8) | p[6];
          if (rest.size() < 11 + size + 4)
            return make_error("rtmp_chunk_malformed", "truncated aggregate message");
          if (first) first_ts = ts, first = false;
          RtmpMessage sub;
          sub.type = p[0];
          sub.stream_id = m.stream_id;
          sub.timestamp = m.timestamp + (ts - first_ts);
          sub.payload.assign(rest.substr(11, size));
          if (sub.type == kAudio || sub.type == kVideo) hooks_.on_media(sub);
          rest.remove_prefix(11 + size + 4);
        }
        return ok_status();
      }
      if (m.type == kDataAmf0 || m.type == kDataAmf3) {
        std::string_view body = m.payload;
        if (m.type == kDataAmf3 && !body.empty()) body.remove_prefix(1);
        size_t used = 0;
        auto first = amf0_decode_one(body, used);
        if (!first.ok()) return first.error();
        if (first->type == Amf0Value::Type::string && first->string == "@setDataFrame")
          body.remove_prefix(used);
        RtmpMessage meta = m;
        meta.type = kDataAmf0;
        meta.payload.assign(body);
        hooks_.on_media(meta);
        return ok_status();
      }
      hooks_.on_media(m);
      return ok_status();
    }
    default:
      return ok_status();  // unknown types are ignored (spec: shared object etc.)
  }
}

Status RtmpSession::on_command(const RtmpMessage& m, std::string_view body) {
  auto decoded = amf0_decode(body);
  if (!decoded.ok()) return decoded.error();
  const auto& v = decoded.value();
  if (v.empty() || v[0].type != Amf0Value::Type::string)
    return make_error("rtmp_amf_malformed", "command without a name");
  const std::string& name = v[0].string;
  const double txn = v.size() > 1 && v[1].type == Amf0Value::Type::number ? v[1].number : 0;

  if (name == "connect") {
    if (state_ != State::connecting) return make_error("rtmp_protocol", "connect twice");
    std::string app;
    if (v.size() > 2)
      if (const auto* a = v[2].get("app"); a && a->type == Amf0Value::Type::string) app = a->string;
    if (auto q = app.find('?'); q != std::string::npos) app.resize(q);
    while (!app.empty() && app.back() == '/') app.pop_back();
    if (app != app_) {
      send(3, kCommandAmf0, 0,
           amf0_encode_all(
               {Amf0Value::str("_error"), Amf0Value::num(txn), Amf0Value::null_value(),
                Amf0Value::obj({P{"level", Amf0Value::str("error")},
                                P{"code", Amf0Value::str("NetConnection.Connect.Rejected")},
                                P{"description", Amf0Value::str("unknown application")}})}));
      close_with("rtmp_app_unknown: application '" + app + "'");
      return ok_status();
    }
    send_control(kWindowAckSize, kServerWindow);
    send(2, kSetPeerBandwidth, 0, be32(kServerWindow) + std::string(1, '\2'));
    send_control(kSetChunkSize, kOutChunkSize);
    writer_.set_chunk_size(kOutChunkSize);
    send(
        3, kCommandAmf0, 0,
        amf0_encode_all({Amf0Value::str("_result"), Amf0Value::num(txn),
                         Amf0Value::obj({P{"fmsVer", Amf0Value::str("FMS/3,0,1,123")},
                                         P{"capabilities", Amf0Value::num(31)}}),
                         Amf0Value::obj({P{"level", Amf0Value::str("status")},
                                         P{"code", Amf0Value::str("NetConnection.Connect.Success")},
                                         P{"description", Amf0Value::str("Connection succeeded.")},
                                         P{"objectEncoding", Amf0Value::num(0)}})}));
    state_ = State::connected;
    return ok_status();
  }
  if (state_ == State::connecting)
    return make_error("rtmp_protocol", "command '" + name + "' before connect");

  if (name == "releaseStream" || name == "FCPublish") {
    if (txn > 0)
      send(3, kCommandAmf0, 0,
           amf0_encode_all({Amf0Value::str("_result"), Amf0Value::num(txn), Amf0Value::null_value(),
                            Amf0Value::undefined_value()}));
    return ok_status();
  }
  if (name == "createStream") {
    send(3, kCommandAmf0, 0,
         amf0_encode_all({Amf0Value::str("_result"), Amf0Value::num(txn), Amf0Value::null_value(),
                          Amf0Value::num(1)}));
    return ok_status();
  }
  if (name == "publish") {
    if (state_ == State::publishing) return make_error("rtmp_protocol", "publish twice");
    std::string key;
    if (v.size() > 3 && v[3].type == Amf0Value::Type::string) key = v[3].string;
    if (auto q = key.find('?'); q != std::string::npos) key.resize(q);
    key_ = key;
    publish_stream_id_ = m.stream_id;
    Status allowed = hooks_.authorize
                         ? hooks_.authorize(app_, key)
                         : Status(make_error("stream_key_unknown", "no authenticator"));
    if (!allowed.ok()) {
      send_status(m.stream_id, "error", "NetStream.Publish.BadName",
                  allowed.error().code + ": " + allowed.error().message);
      close_with(allowed.error().code + ": " + allowed.error().message);
      return ok_status();
    }
    // User Control StreamBegin(stream id), then onStatus Publish.Start
    std::string begin(2, '\0');
    begin += be32(m.stream_id);
    send(2, kUserControl, 0, begin);
    send_status(m.stream_id, "status", "NetStream.Publish.Start", "publishing");
    state_ = State::publishing;
    return ok_status();
  }
  if (name == "FCUnpublish" || name == "deleteStream" || name == "closeStream") {
    if (state_ == State::publishing) {
      send_status(publish_stream_id_, "status", "NetStream.Unpublish.Success", "stopped");
      close_with("publisher_closed");
    }
    return ok_status();
  }
  if (name == "play" || name == "play2") {
    send_status(m.stream_id, "error", "NetStream.Play.Failed",
                "playback over RTMP is not offered; use HLS");
    close_with("rtmp_play_refused: play is not offered");
    return ok_status();
  }
  return ok_status();  // getStreamLength, _checkbw, ... : ignored
}

void RtmpSession::send(uint32_t csid, uint8_t type, uint32_t stream_id, std::string payload) {
  RtmpMessage m;
  m.csid = csid;
  m.type = type;
  m.stream_id = stream_id;
  m.payload = std::move(payload);
  writer_.write(m, out_);
}

void RtmpSession::send_control(uint8_t type, uint32_t value) {
  send(2, type, 0, be32(value));
}

void RtmpSession::send_status(uint32_t stream_id, const char* level, const char* code,
                              const std::string& description) {
  send(5, kCommandAmf0, stream_id,
       amf0_encode_all(
           {Amf0Value::str("onStatus"), Amf0Value::num(0), Amf0Value::null_value(),
            Amf0Value::obj({P{"level", Amf0Value::str(level)}, P{"code", Amf0Value::str(code)},
                            P{"description", Amf0Value::str(description)}})}));
}

}  // namespace forumcast::stream::rtmp
