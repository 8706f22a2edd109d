// tests/unit/stream/amf0_test.cpp: AMF0 round trips, the shapes publishers
// send, and truncated / hostile encodings that must yield errors, not crashes.
#include "stream/rtmp/amf0.hpp"

#include <gtest/gtest.h>

namespace forumcast::stream::rtmp {
namespace {

TEST(StreamAmf0, RoundTripsACommand) {
  std::vector<Amf0Value> in = {Amf0Value::str("connect"), Amf0Value::num(1),
                               Amf0Value::obj({{"app", Amf0Value::str("live")},
                                               {"flashVer", Amf0Value::str("FMLE/3.0")},
                                               {"audioCodecs", Amf0Value::num(3191)}})};
  auto out = amf0_decode(amf0_encode_all(in));
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ((*out)[0].string, "connect");
  EXPECT_EQ((*out)[1].number, 1);
  ASSERT_NE((*out)[2].get("app"), nullptr);
  EXPECT_EQ((*out)[2].get("app")->string, "live");
  EXPECT_EQ((*out)[2].get("audioCodecs")->number, 3191);
  EXPECT_EQ((*out)[2].get("missing"), nullptr);
}

TEST(StreamAmf0, DecodesEcmaArrayStrictArrayDateBooleanAndUtf8Strings) {
  Amf0Value ecma;
  ecma.type = Amf0Value::Type::ecma_array;
  ecma.props = {{"width", Amf0Value::num(1280)}, {"标题", Amf0Value::str("书记论坛")}};
  Amf0Value arr;
  arr.type = Amf0Value::Type::strict_array;
  arr.items = {Amf0Value::num(1), Amf0Value::null_value()};
  Amf0Value date;
  date.type = Amf0Value::Type::date;
  date.number = 1.7e12;
  Amf0Value yes;
  yes.type = Amf0Value::Type::boolean;
  yes.boolean = true;
  auto out = amf0_decode(amf0_encode_all({ecma, arr, date, yes, Amf0Value::undefined_value()}));
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_EQ(out->size(), 5u);
  EXPECT_EQ((*out)[0].get("标题")->string, "书记论坛");
  EXPECT_EQ((*out)[1].items.size(), 2u);
  EXPECT_EQ((*out)[2].number, 1.7e12);
  EXPECT_TRUE((*out)[3].boolean);
  EXPECT_EQ((*out)[4].type, Amf0Value::Type::undefined);
}

TEST(StreamAmf0, LongStringsUseTheLongMarker) {
  std::string big(70000, 'a');
  auto out = amf0_decode(amf0_encode_all({Amf0Value::str(big)}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].string.size(), 70000u);
}

TEST(StreamAmf0, EveryTruncationIsAnError) {
  const std::string full =
      amf0_encode_all({Amf0Value::str("publish"), Amf0Value::num(5), Amf0Value::null_value(),
                       Amf0Value::obj({{"k", Amf0Value::str("v")},
                                       {"n", Amf0Value::obj({{"x", Amf0Value::num(2)}})}})});
  for (size_t n = 1; n < full.size(); ++n) {
    auto out = amf0_decode(std::string_view(full).substr(0, n));
    // a prefix may end exactly on a value boundary; otherwise it must be an error
    if (!out.ok()) {
      EXPECT_EQ(out.error().code, "rtmp_amf_malformed");
    }
  }
  EXPECT_FALSE(amf0_decode(std::string_view(full).substr(0, full.size() - 1)).ok());
}

TEST(StreamAmf0, HostileInputsAreRefused) {
  // string claiming 65535 bytes with 2 present
  EXPECT_FALSE(amf0_decode(std::string("\x02\xff\xff"
                                       "ab",
                                       5))
                   .ok());
  // long string claiming 4 GB
  EXPECT_FALSE(amf0_decode(std::string("\x0c\xff\xff\xff\xff"
                                       "a",
                                       6))
                   .ok());
  // strict array claiming 4 billion items
  EXPECT_FALSE(amf0_decode(std::string("\x0a\xff\xff\xff\xff\x05", 6)).ok());
  // unsupported markers (reference, AMF3 switch, movie clip)
  EXPECT_FALSE(amf0_decode(std::string("\x07\x00\x01", 3)).ok());
  EXPECT_FALSE(amf0_decode(std::string("\x11", 1)).ok());
  EXPECT_FALSE(amf0_decode(std::string("\x04", 1)).ok());
  // 10,000 nested objects: depth limit, no stack overflow
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += std::string("\x03\x00\x01k", 4);
  auto out = amf0_decode(deep);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("deep"), std::string::npos);
  // too many elements
  std::string many;
  for (int i = 0; i < 5000; ++i) many += std::string("\x05", 1);
  EXPECT_FALSE(amf0_decode(many).ok());
  EXPECT_TRUE(amf0_decode(many, Amf0Limits{8, 10000}).ok());
}

}  // namespace
}  // namespace forumcast::stream::rtmp
