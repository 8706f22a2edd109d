// tests/integration/moderation/moderation_terms_test.cpp: blocked-term lists edited
// at run time, bans lifted, and intake after the forum ends, on the real server
// (port 0, real SQLite file, real WebSocket clients, the real `forumcast` CLI):
// a term added over HTTP (forum list and global list) or with the CLI next to the
// running server changes what happens to the very next comment; removing it
// restores delivery; moderators may read but not edit; an unban lets the device
// comment again; every change leaves its audit row (read from the SQLite file);
// an ended forum refuses residents' asks, votes and comments with forum_closed;
// a paused intake refuses asks with intake_paused while staff still enter studio
// questions.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <map>

#include "chat_client.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace forumcast::test {
namespace {

const std::string kForum = "demoforum4";  // created live by --demo

struct AuditRow {
  std::string actor, action, target, before, after;
};

class ModerationTerms : public ::testing::Test {
 protected:
  void SetUp() override {
    server = std::make_unique<TestServer>(
        TestServerOptions{"", {"--demo", "--chat.comment_burst", "100000"}, ""});
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
  std::string login(const std::string& name, const std::string& role) {
    const std::string password = name + "-口令-password";
    auto add = server->cli({"user", "add", "--name", name, "--role", role, "--password-stdin"},
                           password + "\n");
    EXPECT_EQ(add.exit_code, 0) << add.err;
    auto r = http_post_json(server->port(), "/api/v1/login",
                            json{{"name", name}, {"password", password}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false).value("token", "");
  }
  std::unique_ptr<ChatClient> staff_ws(const std::string& token) {
    auto c = std::make_unique<ChatClient>();
    EXPECT_TRUE(c->connect(server->port()));
    json r = c->request({{"op", "join"}, {"forum", kForum}, {"session", token}});
    EXPECT_EQ(r["ok"], true) << r.dump();
    return c;
  }
  HttpResult call(const std::string& method, const std::string& path, const std::string& token,
                  const std::string& body = {}) {
    Headers h = {{"Authorization", "Bearer " + token}};
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return http_request(server->port(), method, path, h, body);
  }
  static std::string code(const json& reply) {
    return reply.contains("error") ? reply["error"].value("code", "") : "";
  }
  // The audit rows with this action, oldest first, read from the server's SQLite file.
  std::vector<AuditRow> audit(const std::string& action) {
    std::vector<AuditRow> out;
    sqlite3* db = nullptr;
    std::string path = server->data_dir() + "/forumcast.db";
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path;
      sqlite3_close(db);
      return out;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT actor, action, target, before_json, after_json FROM audit "
                       "WHERE action = ? ORDER BY id",
                       -1, &st, nullptr);
    sqlite3_bind_text(st, 1, action.c_str(), -1, SQLITE_TRANSIENT);
    auto col = [&](int i) {
      auto* p = sqlite3_column_text(st, i);
      return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
    };
    while (sqlite3_step(st) == SQLITE_ROW) out.push_back({col(0), col(1), col(2), col(3), col(4)});
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }
  // Comments `text` until `pred(reply)` holds or the deadline passes (for changes
  // another process makes, which the server notices within a second).
  template <typename Pred>
  json request_until(ChatClient& c, const json& req, Pred pred,
                     std::chrono::seconds limit = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    json r;
    do {
      r = c.request(req);
      if (pred(r)) return r;
    } while (std::chrono::steady_clock::now() < deadline);
    return r;
  }
  template <typename Pred>
  json comment_until(ChatClient& c, const std::string& text, Pred pred,
                     std::chrono::seconds limit = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    json r;
    do {
      r = c.comment(text);
      if (pred(r)) return r;
    } while (std::chrono::steady_clock::now() < deadline);
    return r;
  }
  std::unique_ptr<TestServer> server;
  std::map<std::string, std::string> devices;
};

TEST_F(ModerationTerms, ForumTermAddedOverHttpAppliesToTheNextCommentAndRemovalUndoesIt) {
  std::string org = login("li-jianguo", "organizer");
  auto author = resident("王师傅");
  auto viewer = resident("李阿姨");
  ASSERT_EQ(author->comment("物业是骗子")["ok"], true);  // no list yet: delivered
  auto add = call("POST", "/api/v1/forums/" + kForum + "/terms", org,
                  R"({"terms":[{"term":"骗子","action":"reject"}]})");
  ASSERT_EQ(add.status, 200) << add.body;
  json added = json::parse(add.body);
  EXPECT_EQ(added["changed"], true);
  EXPECT_EQ(added["count"], 1);
  // The very next comment, with the usual evasions, is refused.
  EXPECT_EQ(code(author->comment("物业是騙 子")), "blocked_term");
  // Staff see the list over the protocol too.
  auto ws = staff_ws(org);
  json listed = ws->request({{"op", "terms"}});
  ASSERT_EQ(listed["ok"], true) << listed.dump();
  EXPECT_EQ(listed["terms"][0]["term"], "骗子");
  EXPECT_EQ(listed["terms"][0]["action"], "reject");

  auto del = call("DELETE", "/api/v1/forums/" + kForum + "/terms?term=%E9%AA%97%E5%AD%90", org);
  ASSERT_EQ(del.status, 200) << del.body;
  // Staff consoles hear of a change made elsewhere (the relay's next tick).
  // (An earlier event may still carry the added term: wait for the empty list.)
  auto told = ws->next_event("terms");
  while (told && !(*told)["terms"].empty()) told = ws->next_event("terms");
  ASSERT_TRUE(told);
  EXPECT_EQ(json::parse(del.body)["count"], 0);
  json ok = author->comment("物业是骗子吗");
  ASSERT_EQ(ok["ok"], true) << ok.dump();
  auto ev = viewer->next_event("comment");
  while (ev && (*ev)["text"] != "物业是骗子吗") ev = viewer->next_event("comment");
  ASSERT_TRUE(ev);

  auto rows = audit("terms.update");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].actor, "li-jianguo");
  EXPECT_EQ(rows[0].target, "terms:" + kForum);
  EXPECT_EQ(rows[0].before, "[]");
  EXPECT_NE(rows[0].after.find("骗子"), std::string::npos);
  EXPECT_EQ(rows[1].after, "[]");
}

TEST_F(ModerationTerms, GlobalListAppliesToEveryForumAndMasksOrHolds) {
  std::string org = login("li-jianguo", "organizer");
  auto put =
      call("PUT", "/api/v1/terms", org,
           R"({"terms":[{"term":"傻瓜","action":"mask"},{"term":"加微信","action":"hold"}]})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(json::parse(put.body)["scope"], "global");
  auto get = call("GET", "/api/v1/terms", org);
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(json::parse(get.body)["count"], 2);
  auto author = resident("王师傅");
  auto viewer = resident("李阿姨");
  json masked = author->comment("你个傻 瓜");
  ASSERT_EQ(masked["ok"], true) << masked.dump();
  auto ev = viewer->next_event("comment");
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["text"], "你个＊＊＊");
  json held = author->comment("加 微 信领红包");
  ASSERT_EQ(held["ok"], true);
  EXPECT_TRUE(held.contains("held")) << held.dump();
  auto rows = audit("terms.update");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].target, "terms");
}

TEST_F(ModerationTerms, InvalidTermsAndRolesAreRefusedAndChangeNothing) {
  std::string org = login("li-jianguo", "organizer");
  std::string mod = login("chen-sy", "moderator");
  auto bad = call("POST", "/api/v1/terms", org, R"({"terms":[{"term":"***","action":"hold"}]})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(json::parse(bad.body)["error"]["code"], "invalid_term");
  auto noaction =
      call("POST", "/api/v1/terms", org, R"({"terms":[{"term":"骗子","action":"ban"}]})");
  EXPECT_EQ(json::parse(noaction.body)["error"]["code"], "invalid_term");
  auto gone = call("DELETE", "/api/v1/terms?term=nothing", org);
  EXPECT_EQ(gone.status, 404);
  auto noforum = call("GET", "/api/v1/forums/nosuchforum/terms", org);
  EXPECT_EQ(noforum.status, 404);
  // Moderators read the lists, only organizers change them; residents neither.
  EXPECT_EQ(call("GET", "/api/v1/forums/" + kForum + "/terms", mod).status, 200);
  auto modput = call("PUT", "/api/v1/terms", mod, R"({"terms":[]})");
  EXPECT_EQ(modput.status, 403);
  EXPECT_EQ(json::parse(modput.body)["error"]["code"], "forbidden");
  std::string device = new_device_token(server->port());
  EXPECT_EQ(call("GET", "/api/v1/terms", device).status, 403);
  EXPECT_TRUE(audit("terms.update").empty());
}

TEST_F(ModerationTerms, CliEditNextToTheRunningServerTakesEffect) {
  auto author = resident("王师傅");
  auto viewer = resident("李阿姨");
  auto add = server->cli({"terms", "--forum", kForum, "add", "刷单", "--action", "reject"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  json r =
      comment_until(*author, "刷 单兼职", [](const json& x) { return code(x) == "blocked_term"; });
  EXPECT_EQ(code(r), "blocked_term") << r.dump();
  auto list = server->cli({"terms", "--forum", kForum, "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(json::parse(list.out)[0]["term"], "刷单");
  auto rm = server->cli({"terms", "--forum", kForum, "remove", "刷单"});
  ASSERT_EQ(rm.exit_code, 0) << rm.err;
  r = comment_until(*author, "刷 单兼职", [](const json& x) { return x.value("ok", false); });
  EXPECT_EQ(r["ok"], true) << r.dump();
  auto rows = audit("terms.update");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].actor, "cli");
  // Unknown terms and bad actions are refused by the CLI too.
  EXPECT_EQ(server->cli({"terms", "remove", "没有的词"}).exit_code, 1);
  EXPECT_NE(server->cli({"terms", "add", "词", "--action", "ban"}).exit_code, 0);
}

TEST_F(ModerationTerms, UnbanLetsTheDeviceCommentAgainAndBothAreAudited) {
  auto mod = staff_ws(login("chen-sy", "moderator"));
  auto author = resident("刷屏的人");
  json ack = author->comment("加微信领红包");
  ASSERT_EQ(ack["ok"], true);
  json ban = mod->request({{"op", "ban"}, {"seq", ack["seq"]}, {"reason", "广告"}});
  ASSERT_EQ(ban["ok"], true) << ban.dump();
  EXPECT_EQ(code(author->comment("我又来了")), "banned");
  json bans = mod->request({{"op", "bans"}});
  ASSERT_EQ(bans["bans"].size(), 1u);
  EXPECT_EQ(bans["bans"][0]["expires_ms"], nullptr);
  json lifted = mod->request({{"op", "unban"}, {"id", ban["ban"]["id"]}});
  ASSERT_EQ(lifted["ok"], true) << lifted.dump();
  EXPECT_EQ(author->comment("我改正了")["ok"], true);
  EXPECT_EQ(mod->request({{"op", "bans"}})["bans"].size(), 0u);
  EXPECT_EQ(audit("ban.add").size(), 1u);
  auto lift_rows = audit("ban.lift");
  ASSERT_EQ(lift_rows.size(), 1u);
  EXPECT_EQ(lift_rows[0].actor, "chen-sy");
}

TEST_F(ModerationTerms, EndedForumRefusesResidentsAsksVotesAndComments) {
  auto mod = staff_ws(login("chen-sy", "moderator"));
  auto asker = resident("张阿姨");
  json asked = asker->request({{"op", "ask"}, {"text", "停车位什么时候划线?"}});
  ASSERT_EQ(asked["ok"], true) << asked.dump();
  int64_t id = asked["question"]["id"];
  ASSERT_EQ(mod->request({{"op", "approve"}, {"id", id}})["ok"], true);
  auto st = server->cli({"forum", "set-state", kForum, "ended"});
  ASSERT_EQ(st.exit_code, 0) << st.err;
  // The relay re-reads the state within a few seconds: wait for it on comments.
  json c =
      comment_until(*asker, "结束了吗", [](const json& x) { return code(x) == "forum_closed"; });
  EXPECT_EQ(code(c), "forum_closed") << c.dump();
  // Moderation keeps its own reading of the state for up to a second: wait for it too.
  auto closed = [](const json& x) { return code(x) == "forum_closed"; };
  json a = request_until(*asker, {{"op", "ask"}, {"text", "还能问吗?"}}, closed);
  EXPECT_EQ(code(a), "forum_closed") << a.dump();
  EXPECT_EQ(code(asker->request({{"op", "vote"}, {"id", id}})), "forum_closed");
  // Staff still work the record (mark answered afterwards, studio questions).
  EXPECT_EQ(mod->request({{"op", "offline_question"}, {"text", "现场补充的问题"}})["ok"], true);
}

TEST_F(ModerationTerms, PausedIntakeRefusesAsksButNotStudioQuestions) {
  auto mod = staff_ws(login("chen-sy", "moderator"));
  auto asker = resident("张阿姨");
  ASSERT_EQ(mod->request({{"op", "set_settings"}, {"settings", {{"intake_open", false}}}})["ok"],
            true);
  EXPECT_EQ(code(asker->request({{"op", "ask"}, {"text", "现在能问吗?"}})), "intake_paused");
  EXPECT_EQ(mod->request({{"op", "offline_question"}, {"text", "现场的问题"}})["ok"], true);
  ASSERT_EQ(mod->request({{"op", "set_settings"}, {"settings", {{"intake_open", true}}}})["ok"],
            true);
  EXPECT_EQ(asker->request({{"op", "ask"}, {"text", "现在能问吗?"}})["ok"], true);
  EXPECT_EQ(audit("settings.update").size(), 2u);
}

}  // namespace
}  // namespace forumcast::test
