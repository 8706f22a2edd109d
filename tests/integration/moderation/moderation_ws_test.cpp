// tests/integration/moderation/moderation_ws_test.cpp: the moderation ops on the
// real server (port 0, real SQLite file, real WebSocket clients): a resident
// trying each moderator op gets forbidden; a held comment never reaches
// residents; a hidden comment is gone from history on rejoin; a ban survives a
// reconnect under a new name; ask -> approve -> vote -> on air -> answered as a
// resident and a moderator see it; the chat delay lets a moderator drop a
// comment before anyone sees it.
#include <gtest/gtest.h>

#include <map>

#include "chat_client.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace forumcast::test {
namespace {

const std::string kForum = "demoforum4";  // created live by --demo

class ModerationWs : public ::testing::Test {
 protected:
  void SetUp() override {
    server = std::make_unique<TestServer>(TestServerOptions{"", {"--demo"}, ""});
    ASSERT_TRUE(server->start()) << server->stderr_text();
  }
  std::unique_ptr<ChatClient> resident(const std::string& name, std::string device = {}) {
    auto c = std::make_unique<ChatClient>();
    EXPECT_TRUE(c->connect(server->port()));
    if (device.empty()) device = new_device_token(server->port());
    devices[name] = device;
    json r = c->join(kForum, device, name);
    EXPECT_EQ(r["ok"], true) << r.dump();
    return c;
  }
  std::unique_ptr<ChatClient> staff(const std::string& name, const std::string& role) {
    const std::string password = name + "-口令-password";
    auto add = server->cli({"user", "add", "--name", name, "--role", role, "--password-stdin"},
                           password + "\n");
    EXPECT_EQ(add.exit_code, 0) << add.err;
    auto login = http_post_json(server->port(), "/api/v1/login",
                                json{{"name", name}, {"password", password}}.dump());
    EXPECT_EQ(login.status, 200) << login.body;
    std::string token = json::parse(login.body, nullptr, false).value("token", "");
    auto c = std::make_unique<ChatClient>();
    EXPECT_TRUE(c->connect(server->port()));
    json r = c->request({{"op", "join"}, {"forum", kForum}, {"session", token}});
    EXPECT_EQ(r["ok"], true) << r.dump();
    return c;
  }
  static std::string code(const json& reply) {
    return reply.contains("error") ? reply["error"].value("code", "") : "";
  }
  std::unique_ptr<TestServer> server;
  std::map<std::string, std::string> devices;
};

TEST_F(ModerationWs, ResidentGetsForbiddenForEveryModeratorOp) {
  auto r = resident("张阿姨");
  for (const char* op : {"approve",
                         "reject",
                         "edit",
                         "merge",
                         "categorise",
                         "tag",
                         "on_air",
                         "answered",
                         "back_to_queue",
                         "offline_question",
                         "hide_comment",
                         "unhide_comment",
                         "held_comments",
                         "approve_comment",
                         "reject_comment",
                         "timeout",
                         "ban",
                         "unban",
                         "bans",
                         "set_settings",
                         "terms",
                         "set_terms"}) {
    json reply = r->request({{"op", op}, {"id", 1}, {"seq", 1}});
    EXPECT_EQ(code(reply), "forbidden") << op << ": " << reply.dump();
  }
}

TEST_F(ModerationWs, HeldCommentNeverReachesResidents) {
  auto org = staff("li-jianguo", "organizer");
  ASSERT_EQ(org->request(
                {{"op", "set_terms"}, {"terms", {{{"term", "骗子"}, {"action", "hold"}}}}})["ok"],
            true);
  auto author = resident("王师傅");
  auto viewer = resident("李阿姨");
  json held = author->comment("物业就是骗 子");
  ASSERT_EQ(held["ok"], true) << held.dump();
  EXPECT_TRUE(held.contains("held"));
  auto queued = org->next_event("held_comment");
  ASSERT_TRUE(queued);
  EXPECT_EQ((*queued)["comment"]["matches"][0]["term"], "骗子");
  // A later ordinary comment arrives; the held one came nowhere before it.
  ASSERT_EQ(author->comment("广场改造支持!")["ok"], true);
  auto ev = viewer->next_event("comment");
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["text"], "广场改造支持!");
}

TEST_F(ModerationWs, HiddenCommentIsGoneFromHistoryOnRejoin) {
  auto mod = staff("chen-sy", "moderator");
  auto author = resident("王师傅");
  json ack = author->comment("这条会被隐藏");
  ASSERT_EQ(ack["ok"], true);
  int64_t seq = ack["seq"];
  ASSERT_EQ(mod->request({{"op", "hide_comment"}, {"seq", seq}})["ok"], true);
  // The join reply's history holds no comment with that seq.
  ChatClient fresh;
  ASSERT_TRUE(fresh.connect(server->port()));
  json joined = fresh.join(kForum, new_device_token(server->port()), "新来的");
  ASSERT_EQ(joined["ok"], true);
  for (const auto& e : joined["events"])
    EXPECT_FALSE(e["ev"] == "comment" && e["seq"] == seq) << e.dump();
}

TEST_F(ModerationWs, BanSurvivesReconnectWithANewName) {
  auto mod = staff("chen-sy", "moderator");
  auto author = resident("刷屏的人");
  json ack = author->comment("加微信领红包");
  ASSERT_EQ(ack["ok"], true);
  ASSERT_EQ(mod->request({{"op", "ban"}, {"seq", ack["seq"]}, {"reason", "广告"}})["ok"], true);
  author.reset();
  auto again = resident("换个名字", devices["刷屏的人"]);
  EXPECT_EQ(code(again->comment("我又来了")), "banned");
}

TEST_F(ModerationWs, ChatDelayLetsAModeratorDropACommentBeforeAnyoneSeesIt) {
  auto mod = staff("chen-sy", "moderator");
  auto author = resident("王师傅");
  auto viewer = resident("李阿姨");
  ASSERT_EQ(mod->request({{"op", "set_settings"}, {"settings", {{"chat_delay_ms", 30'000}}}})["ok"],
            true);
  json held = author->comment("要拦下的评论");
  ASSERT_EQ(held["ok"], true) << held.dump();
  EXPECT_EQ(held["delay_ms"], 30'000);
  auto queued = mod->next_event("held_comment");
  ASSERT_TRUE(queued);
  EXPECT_EQ((*queued)["comment"]["reason"], "delay");
  ASSERT_EQ(mod->request({{"op", "reject_comment"}, {"id", (*queued)["comment"]["id"]}})["ok"],
            true);
  // A short delay now: the next comment is held, then delivered; the dropped one never is.
  ASSERT_EQ(mod->request({{"op", "set_settings"}, {"settings", {{"chat_delay_ms", 200}}}})["ok"],
            true);
  ASSERT_EQ(author->comment("之后的评论")["ok"], true);
  auto ev = viewer->next_event("comment");
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["text"], "之后的评论");
}

TEST_F(ModerationWs, AskApproveVoteOnAirAnsweredAsResidentAndModeratorSeeIt) {
  auto mod = staff("chen-sy", "moderator");
  auto asker = resident("张阿姨");
  auto other = resident("李师傅");
  json asked = asker->request({{"op", "ask"}, {"text", "3号楼楼道灯坏了一个多星期了,找谁修?"}});
  ASSERT_EQ(asked["ok"], true) << asked.dump();
  int64_t id = asked["question"]["id"];
  auto pending = mod->next_event("question");
  ASSERT_TRUE(pending);
  EXPECT_EQ((*pending)["question"]["state"], "pending");
  ASSERT_EQ(mod->request({{"op", "approve"}, {"id", id}})["ok"], true);
  auto shown = other->next_event("question");
  ASSERT_TRUE(shown);  // the first question event the other resident gets is the approval
  EXPECT_EQ((*shown)["question"]["state"], "approved");
  EXPECT_EQ(other->request({{"op", "vote"}, {"id", id}})["votes"], 1);
  ASSERT_EQ(mod->request({{"op", "on_air"}, {"id", id}})["ok"], true);
  ASSERT_EQ(mod->request({{"op", "answered"},
                          {"id", id},
                          {"summary", "物业三天内修好"},
                          {"panelist", "王红梅"}})["ok"],
            true);
  for (;;) {
    auto ev = asker->next_event("question");
    ASSERT_TRUE(ev);
    if ((*ev)["question"]["state"] != "answered") continue;
    EXPECT_EQ((*ev)["question"]["answers"][0]["summary"], "物业三天内修好");
    EXPECT_EQ((*ev)["question"]["votes"], 1);
    break;
  }
}

}  // namespace
}  // namespace forumcast::test
