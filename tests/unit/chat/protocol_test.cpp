// protocol: strict parsing of client requests, the closed list of error codes,
// and the envelope of replies and events.
#include "chat/protocol.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace forumcast::chat {
namespace {

using nlohmann::json;

ChatLimits limits;

ParsedMessage parse(const std::string& s) {
  return parse_client_message(s, limits);
}

std::string comment_req(const std::string& text) {
  return json{{"op", "comment"}, {"rid", 7}, {"text", text}}.dump();
}

std::string repeat(const std::string& unit, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += unit;
  return s;
}

TEST(chat_protocol, JoinAsResidentWithPlaceAndResumePoint) {
  auto m =
      parse(R"({"op":"join","rid":1,"forum":"k3m9q2xw7a","device":"tok","name":" 张阿姨 ",)"
            R"("compound":"春晖苑一期","building":"3号楼","since":{"epoch":"ab12","seq":41}})");
  ASSERT_FALSE(m.error) << m.error->message;
  auto& j = std::get<JoinOp>(m.op);
  EXPECT_EQ(*m.rid, 1);
  EXPECT_EQ(j.forum, "k3m9q2xw7a");
  EXPECT_EQ(j.name, "张阿姨");  // trimmed
  EXPECT_EQ(j.compound, "春晖苑一期");
  EXPECT_EQ(j.building, "3号楼");
  ASSERT_TRUE(j.since);
  EXPECT_EQ(j.since->epoch, "ab12");
  EXPECT_EQ(j.since->seq, 41);
}

TEST(chat_protocol, JoinValidation) {
  struct Case {
    std::string req;
    const char* code;
  } cases[] = {
      {R"({"op":"join","rid":1,"forum":"k3m9q2xw7a","device":"t"})",
       codes::bad_request},  // no name
      {R"({"op":"join","rid":1,"forum":"k3m9q2xw7a","device":"t","name":"   "})",
       codes::bad_request},
      {R"({"op":"join","rid":1,"forum":"K3M/../x","device":"t","name":"王"})", codes::bad_request},
      {R"({"op":"join","rid":1,"forum":"k3m9q2xw7a","device":"t","session":"s","name":"王"})",
       codes::bad_request},
      {R"({"op":"join","rid":1,"forum":"k3m9q2xw7a","name":"王"})", codes::bad_request},
      {R"({"op":"join","rid":1,"forum":"k3m9q2xw7a","device":"t","name":"王","since":{"seq":-1,"epoch":"a"}})",
       codes::bad_request},
      {R"({"op":"join","rid":1,"forum":"k3m9q2xw7a","device":"t","name":")" + repeat("王", 33) +
           "\"}",
       codes::too_large},
      {R"({"op":"join","rid":1,"forum":"k3m9q2xw7a","device":"t","name":"王","compound":")" +
           repeat("春", 33) + "\"}",
       codes::too_large},
  };
  for (auto& c : cases) {
    auto m = parse(c.req);
    ASSERT_TRUE(m.error) << c.req;
    EXPECT_EQ(m.error->code, c.code) << c.req;
    EXPECT_EQ(m.rid, 1) << c.req;
    EXPECT_FALSE(m.error->message.empty());
  }
  // 32 characters (96 bytes) is fine: limits count characters, not bytes.
  auto ok = parse(R"({"op":"join","rid":1,"forum":"k3m9q2xw7a","device":"t","name":")" +
                  repeat("王", 32) + "\"}");
  EXPECT_FALSE(ok.error);
  // Staff join with a session token needs no name.
  auto staff = parse(R"({"op":"join","rid":2,"forum":"k3m9q2xw7a","session":"s"})");
  EXPECT_FALSE(staff.error);
}

TEST(chat_protocol, CommentLengthCountsCharactersNotBytes) {
  auto ok = parse(comment_req(repeat("长", 300)));  // 900 bytes
  ASSERT_FALSE(ok.error);
  EXPECT_EQ(std::get<CommentOp>(ok.op).text, repeat("长", 300));
  auto too_long = parse(comment_req(repeat("长", 301)));
  ASSERT_TRUE(too_long.error);
  EXPECT_EQ(too_long.error->code, codes::too_large);
  EXPECT_EQ(too_long.rid, 7);
}

TEST(chat_protocol, CommentIsNormalisedToNfcAndLosesControlCharacters) {
  auto m = parse(comment_req("Cafe\u0301\u0007 楼道\u202e灯坏了"));
  ASSERT_FALSE(m.error);
  EXPECT_EQ(std::get<CommentOp>(m.op).text, "Caf\u00e9 楼道灯坏了");
  // 300 decomposed characters become 300 composed ones: within the limit.
  auto composed = parse(comment_req(repeat("e\u0301", 300)));
  EXPECT_FALSE(composed.error);
  auto empty = parse(comment_req(" \u0001\u3000 "));
  ASSERT_TRUE(empty.error);
  EXPECT_EQ(empty.error->code, codes::bad_request);
}

TEST(chat_protocol, UnreadableRequestsGetTheirCodes) {
  auto bad_json = parse("{\"op\":\"comment\",");
  ASSERT_TRUE(bad_json.error);
  EXPECT_EQ(bad_json.error->code, codes::bad_request);
  EXPECT_FALSE(bad_json.rid);

  auto not_object = parse("[1,2]");
  EXPECT_EQ(not_object.error->code, codes::bad_request);

  auto invalid = parse("{\"op\":\"comment\",\"rid\":9,\"text\":\"\xff\xfe\"}");
  ASSERT_TRUE(invalid.error);
  EXPECT_EQ(invalid.error->code, codes::invalid_utf8);
  EXPECT_EQ(invalid.rid, 9);  // the client can still tell which request failed

  auto unknown = parse(R"({"op":"dance","rid":3})");
  EXPECT_EQ(unknown.error->code, codes::unknown_op);
  EXPECT_EQ(unknown.rid, 3);

  for (const char* r : {R"({"op":"leave"})", R"({"op":"leave","rid":"1"})",
                        R"({"op":"leave","rid":-1})", R"({"op":"leave","rid":1.5})"}) {
    auto m = parse(r);
    ASSERT_TRUE(m.error) << r;
    EXPECT_EQ(m.error->code, codes::bad_request) << r;
  }
  auto wrong_type = parse(R"({"op":"comment","rid":4,"text":42})");
  EXPECT_EQ(wrong_type.error->code, codes::bad_request);
}

TEST(chat_protocol, ErrorCodesAreAClosedSnakeCaseList) {
  std::set<std::string_view> seen;
  for (auto c : all_error_codes()) {
    EXPECT_TRUE(seen.insert(c).second) << c;
    for (char ch : c)
      EXPECT_TRUE((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_') << c;
  }
  EXPECT_EQ(seen.size(), 10u);
}

TEST(chat_protocol, RepliesAndEventsFollowTheEnvelope) {
  auto e = json::parse(reply_error(5, Error{codes::rate_limited, "too many comments"}, 1500));
  EXPECT_EQ(e["rid"], 5);
  EXPECT_EQ(e["ok"], false);
  EXPECT_EQ(e["error"]["code"], "rate_limited");
  EXPECT_EQ(e["error"]["retry_after_ms"], 1500);
  EXPECT_TRUE(
      json::parse(reply_error(std::nullopt, Error{codes::bad_request, "x"}))["rid"].is_null());

  CommentEvent ev{"k3m9q2xw7a", 12, 1'764'900'000'000,   "resident", "李师傅",
                  "桂香里",     "", "电梯什么时候修好?", 65000};
  auto c = json::parse(serialize_comment_event(ev));
  EXPECT_EQ(c["ev"], "comment");
  EXPECT_EQ(c["forum"], "k3m9q2xw7a");
  EXPECT_EQ(c["seq"], 12);
  EXPECT_EQ(c["name"], "李师傅");
  EXPECT_EQ(c["compound"], "桂香里");
  EXPECT_FALSE(c.contains("building"));
  EXPECT_EQ(c["stream_ms"], 65000);

  std::vector<FramePtr> events = {make_frame(serialize_comment_event(ev), 16, 12)};
  JoinReply r{"k3m9q2xw7a", "ab12", 12, true, 3, "resident", &events};
  auto j = json::parse(reply_join(1, r));
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["epoch"], "ab12");
  EXPECT_EQ(j["recovered"], true);
  ASSERT_EQ(j["events"].size(), 1u);
  EXPECT_EQ(j["events"][0]["text"], "电梯什么时候修好?");
}

}  // namespace
}  // namespace forumcast::chat
