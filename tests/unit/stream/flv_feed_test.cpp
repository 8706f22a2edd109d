// tests/unit/stream/flv_feed_test.cpp: FLV framing of RTMP messages and the
// bounded queue between the RTMP thread and an ingest thread.
#include "stream/flv_feed.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "stream/rtmp/amf0.hpp"

namespace forumcast::stream {
namespace {

std::string read_all(FlvFeed& f) {
  std::string out;
  uint8_t buf[7];
  for (size_t n; (n = f.read(buf, sizeof buf)) > 0;) out.append(reinterpret_cast<char*>(buf), n);
  return out;
}

TEST(StreamFlvFeed, WritesAHeaderThenTagsWithBackPointers) {
  FlvFeed f(1 << 20);
  using rtmp::Amf0Value;
  Amf0Value meta;
  meta.type = Amf0Value::Type::ecma_array;
  meta.props = {{"videocodecid", Amf0Value::num(7)}};  // video only
  f.push_tag(18, 0, rtmp::amf0_encode_all({Amf0Value::str("onMetaData"), meta}));
  f.push_tag(9, 0x01020304, "VID");
  f.close();
  const std::string b = read_all(f);
  ASSERT_GE(b.size(), 13u);
  EXPECT_EQ(b.substr(0, 3), "FLV");
  EXPECT_EQ(b[4], 0x01);  // video flag only
  const size_t tag2 = b.size() - (11 + 3 + 4);
  EXPECT_EQ(b[tag2], 9);
  EXPECT_EQ(b[tag2 + 3], 3);                           // size low byte
  EXPECT_EQ(static_cast<uint8_t>(b[tag2 + 4]), 0x02);  // ts bits 16-23
  EXPECT_EQ(static_cast<uint8_t>(b[tag2 + 7]), 0x01);  // ts bits 24-31 (extension)
  EXPECT_EQ(b.substr(tag2 + 11, 3), "VID");
  EXPECT_EQ(b.back(), 14);  // previous tag size = 11 + 3
}

TEST(StreamFlvFeed, EveryTagArrivesInOrderPastTheEagerWakeUps) {
  // Past the probe the producer wakes the reader only at keyframes, at kWakeBytes or
  // by the reader's poll: a reader blocked meanwhile still gets every tag, in order.
  FlvFeed f(1 << 22);
  std::string want;
  std::thread reader([&] { want = read_all(f); });
  const int kTags = 400;  // past the 150 eager video tags
  for (int i = 0; i < kTags; ++i) {
    const bool key = i % 25 == 0;
    std::string body(1, static_cast<char>(key ? 0x17 : 0x27));  // AVC key / inter frame
    body += "frame" + std::to_string(i);
    f.push_tag(9, static_cast<uint32_t>(i * 40), body);
    f.push_tag(8, static_cast<uint32_t>(i * 40 + 1), std::string("\xaf\x01") + "audio" + std::to_string(i));
  }
  f.close();
  reader.join();
  size_t pos = 13;  // after the FLV header and PreviousTagSize0
  for (int i = 0; i < kTags; ++i) {
    for (const std::string& tail : {"frame" + std::to_string(i), "audio" + std::to_string(i)}) {
      ASSERT_LT(pos + 11, want.size());
      const size_t size = (static_cast<uint8_t>(want[pos + 1]) << 16) |
                          (static_cast<uint8_t>(want[pos + 2]) << 8) | static_cast<uint8_t>(want[pos + 3]);
      const std::string body = want.substr(pos + 11, size);
      EXPECT_EQ(body.substr(body.size() - tail.size()), tail) << "tag " << i;
      pos += 11 + size + 4;
    }
  }
  EXPECT_EQ(pos, want.size());
}

TEST(StreamFlvFeed, HighAndLowWaterMarksAndCancel) {
  FlvFeed f(1000);
  EXPECT_FALSE(f.over_high_water());
  f.push_tag(9, 0, std::string(1200, 'x'));
  EXPECT_TRUE(f.over_high_water());
  EXPECT_FALSE(f.under_low_water());
  uint8_t buf[800];
  EXPECT_EQ(f.read(buf, sizeof buf), 800u);
  EXPECT_TRUE(f.under_low_water());
  std::thread reader([&] {
    uint8_t b[4096];
    while (f.read(b, sizeof b) > 0) {
    }
  });
  f.cancel();
  reader.join();  // a blocked read returns after cancel()
  EXPECT_GT(f.bytes_pushed(), 1200u);
}

}  // namespace
}  // namespace forumcast::stream
