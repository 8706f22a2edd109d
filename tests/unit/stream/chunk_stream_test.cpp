// tests/unit/stream/chunk_stream_test.cpp: chunk reassembly (fmt 0-3, large
// chunk stream ids, extended timestamps, chunk size changes, byte-at-a-time
// delivery) and the bounds that close a connection.
#include "stream/rtmp/chunk_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace forumcast::stream::rtmp {
namespace {

std::vector<RtmpMessage> drain(ChunkReader& r) {
  std::vector<RtmpMessage> out;
  for (;;) {
    auto m = r.next();
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    if (!m.ok() || !m.value()) break;
    out.push_back(*m.value());
  }
  return out;
}

RtmpMessage msg(uint32_t csid, uint8_t type, uint32_t ts, std::string payload) {
  RtmpMessage m;
  m.csid = csid;
  m.type = type;
  m.stream_id = 1;
  m.timestamp = ts;
  m.payload = std::move(payload);
  return m;
}

TEST(StreamChunk, WriterAndReaderAgreeAcrossChunkSizesAndIds) {
  for (uint32_t chunk : {1u, 128u, 4096u}) {
    for (uint32_t csid : {3u, 63u, 64u, 319u, 320u, 65599u}) {
      ChunkWriter w;
      w.set_chunk_size(chunk);
      std::string bytes;
      const std::string body(1000, 'v');
      w.write(msg(csid, kVideo, 40, body), bytes);
      w.write(msg(csid, kVideo, 0x1234567, "second"), bytes);  // extended timestamp
      ChunkReader r(ChunkLimits{65536, 1 << 20, 64, 1 << 22});
      ASSERT_TRUE(r.set_chunk_size(chunk).ok());
      r.feed(bytes);
      auto got = drain(r);
      ASSERT_EQ(got.size(), 2u) << "chunk " << chunk << " csid " << csid;
      EXPECT_EQ(got[0].csid, csid);
      EXPECT_EQ(got[0].payload, body);
      EXPECT_EQ(got[0].timestamp, 40u);
      EXPECT_EQ(got[1].timestamp, 0x1234567u);
      EXPECT_EQ(got[1].payload, "second");
    }
  }
}

TEST(StreamChunk, ByteAtATimeDeliveryGivesTheSameMessages) {
  ChunkWriter w;
  std::string bytes;
  w.write(msg(4, kAudio, 0, std::string(300, 'a')), bytes);
  w.write(msg(6, kVideo, 0xFFFFFF, std::string(500, 'v')), bytes);  // exactly the escape value
  ChunkReader r;
  std::vector<RtmpMessage> got;
  for (char c : bytes) {
    r.feed(std::string_view(&c, 1));
    auto more = drain(r);
    got.insert(got.end(), more.begin(), more.end());
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].payload.size(), 300u);
  EXPECT_EQ(got[1].timestamp, 0xFFFFFFu);
  EXPECT_EQ(got[1].payload.size(), 500u);
}

// Splits one message's chunk bytes (csid < 64, normal timestamp) into its chunks.
std::vector<std::string> chunks_of(const std::string& bytes, size_t chunk) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (bool first = true; pos < bytes.size(); first = false) {
    const size_t n = std::min(bytes.size() - pos, (first ? 12 : 1) + chunk);
    out.push_back(bytes.substr(pos, n));
    pos += n;
  }
  return out;
}

TEST(StreamChunk, InterleavedChunkStreamsReassembleEachMessageInPlace) {
  // Video and audio messages whose chunks alternate (as publishers send them), fed
  // whole and byte by byte: each payload comes out intact, none mixed with the other.
  std::string video, audio;
  for (int i = 0; i < 1000; ++i) video.push_back(static_cast<char>('A' + i % 26));
  for (int i = 0; i < 700; ++i) audio.push_back(static_cast<char>('0' + i % 10));
  ChunkWriter w;
  std::string vb, ab;
  w.write(msg(6, kVideo, 40, video), vb);
  w.write(msg(4, kAudio, 41, audio), ab);
  auto vc = chunks_of(vb, 128), ac = chunks_of(ab, 128);
  std::string mixed;
  for (size_t i = 0; i < std::max(vc.size(), ac.size()); ++i) {
    if (i < vc.size()) mixed += vc[i];
    if (i < ac.size()) mixed += ac[i];
  }
  for (bool bytewise : {false, true}) {
    ChunkReader r;
    std::vector<RtmpMessage> got;
    if (bytewise) {
      for (char c : mixed) {
        r.feed(std::string_view(&c, 1));
        auto more = drain(r);
        got.insert(got.end(), more.begin(), more.end());
      }
    } else {
      r.feed(mixed);
      got = drain(r);
    }
    ASSERT_EQ(got.size(), 2u) << (bytewise ? "byte at a time" : "whole");
    EXPECT_EQ(got[0].type, kAudio);  // its last chunk comes first
    EXPECT_EQ(got[0].payload, audio);
    EXPECT_EQ(got[0].timestamp, 41u);
    EXPECT_EQ(got[1].type, kVideo);
    EXPECT_EQ(got[1].payload, video);
    EXPECT_EQ(got[1].timestamp, 40u);
  }
}

TEST(StreamChunk, DeltaHeadersAccumulateTimestamps) {
  // fmt 0 at ts 1000, fmt 2 with delta 40, then fmt 3 repeating the delta
  std::string b;
  auto put = [&](uint32_t v, int n) {
    for (int i = n - 1; i >= 0; --i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  b.push_back(static_cast<char>(0x06));  // fmt 0, csid 6
  put(1000, 3);
  put(2, 3);
  b.push_back(kVideo);
  b.append("\x01\x00\x00\x00", 4);
  b += "AB";
  b.push_back(static_cast<char>(0x80 | 6));  // fmt 2
  put(40, 3);
  b += "CD";
  b.push_back(static_cast<char>(0xC0 | 6));  // fmt 3: new message, same delta
  b += "EF";
  ChunkReader r;
  r.feed(b);
  auto got = drain(r);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].timestamp, 1000u);
  EXPECT_EQ(got[1].timestamp, 1040u);
  EXPECT_EQ(got[2].timestamp, 1080u);
  EXPECT_EQ(got[2].payload, "EF");
  EXPECT_EQ(got[2].stream_id, 1u);
}

TEST(StreamChunk, RefusesWhatCrossesTheBounds) {
  ChunkReader r(ChunkLimits{4096, 1000, 2, 4000});
  EXPECT_FALSE(r.set_chunk_size(0).ok());
  EXPECT_EQ(r.set_chunk_size(1 << 30).error().code, "rtmp_chunk_size_refused");

  ChunkWriter w;
  std::string big;
  w.write(msg(3, kVideo, 0, std::string(1001, 'x')), big);
  r.feed(big);
  auto m = r.next();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "rtmp_chunk_malformed");

  ChunkReader r2(ChunkLimits{4096, 1000, 2, 4000});
  std::string three;
  for (uint32_t cs : {3u, 4u, 5u}) w.write(msg(cs, kAudio, 0, "a"), three);
  r2.feed(three);
  ASSERT_TRUE(r2.next().ok());
  ASSERT_TRUE(r2.next().ok());
  EXPECT_FALSE(r2.next().ok());  // third chunk stream over max_chunk_streams
}

TEST(StreamChunk, ContinuationWithoutAHeaderIsMalformed) {
  ChunkReader r;
  r.feed(
      std::string("\xC3"
                  "abc",
                  4));  // fmt 3 on a chunk stream never opened
  auto m = r.next();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "rtmp_chunk_malformed");
}

TEST(StreamChunk, AbortDropsThePartialMessage) {
  ChunkWriter w;
  std::string bytes;
  w.write(msg(5, kVideo, 0, std::string(200, 'x')), bytes);  // 128 + 72
  ChunkReader r;
  r.feed(std::string_view(bytes).substr(0, 12 + 128));
  auto m = r.next();
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m.value().has_value());
  r.abort(5);
  std::string fresh;
  w.write(msg(5, kVideo, 0, "new"), fresh);
  r.feed(fresh);
  auto got = r.next();
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got.value().has_value());
  EXPECT_EQ(got.value()->payload, "new");
}

}  // namespace
}  // namespace forumcast::stream::rtmp
