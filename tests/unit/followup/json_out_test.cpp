// tests/unit/followup/json_out_test.cpp: the streaming JSON emitter produces
// what a standard parser (nlohmann) reads back: escapes, control characters,
// invalid UTF-8 replaced, shortest doubles, empty containers, nesting.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "followup/json_out.hpp"

namespace forumcast::followup::detail {
namespace {

TEST(followup_json_out, escapes_and_round_trips) {
  const std::string nasty = "引号\"反斜杠\\换行\n回车\r制表\t响铃\x07空\x01 终";
  std::string out;
  JsonOut j(out);
  j.begin_object()
      .field("s", nasty)
      .field("n", int64_t{-9007199254740993})
      .key("d")
      .num(0.8)
      .key("e")
      .begin_array()
      .end_array()
      .key("o")
      .begin_object()
      .end_object()
      .key("a")
      .begin_array()
      .num(int64_t{1})
      .str("二")
      .boolean(false)
      .null()
      .end_array()
      .key("nan")
      .num(std::nan(""))
      .end_object();
  const auto v = nlohmann::json::parse(out);
  EXPECT_EQ(v["s"], nasty);
  EXPECT_EQ(v["n"].get<int64_t>(), -9007199254740993);
  EXPECT_EQ(v["d"].get<double>(), 0.8);
  EXPECT_NE(out.find("\"d\": 0.8"), std::string::npos);  // shortest form, not 0.80000000000000004
  EXPECT_TRUE(v["e"].is_array() && v["e"].empty());
  EXPECT_TRUE(v["o"].is_object() && v["o"].empty());
  EXPECT_EQ(v["a"], nlohmann::json::parse(R"([1, "二", false, null])"));
  EXPECT_TRUE(v["nan"].is_null());
  EXPECT_NE(out.find("\\u0007"), std::string::npos);
}

TEST(followup_json_out, invalid_utf8_is_replaced) {
  const std::string cases[] = {"\xff",         "a\xC3",    "\xE4\xB8",
                               "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80"};
  for (const auto& bad : cases) {
    std::string out;
    JsonOut::escape(out, bad + "好");
    const auto v = nlohmann::json::parse(out);  // throws on invalid UTF-8
    const std::string s = v.get<std::string>();
    EXPECT_NE(s.find("\xEF\xBF\xBD"), std::string::npos);
    EXPECT_EQ(s.substr(s.size() - 3), "好");
  }
  std::string ok;
  JsonOut::escape(ok, "𠮷野家 €");
  EXPECT_EQ(ok, "\"𠮷野家 €\"");
}

}  // namespace
}  // namespace forumcast::followup::detail
