// tests/integration/followup/followup_server_test.cpp: the follow-through on the real
// `forumcast` binary (port 0, a real SQLite file, real WebSocket and HTTP clients):
//  - the organizer's forum routes (edit, panel, agenda CRUD/reorder/current,
//    refusals, audit rows read from the SQLite file) and `forumcast forum agenda`;
//  - questions and agenda items (the current item by default, set_agenda_item,
//    refusals);
//  - a scripted forum through the real protocol: collecting (residents ask and
//    co-sign) -> live (follow-up, on air, answered) -> tickets, a rating -> ended,
//    exported over HTTP in every format; the exports agree with each other and with
//    the SQLite file, the xlsx unzips, the figures add up against the raw records;
//  - webhooks to a loopback receiver (webhook.allow_http_loopback) with a restart in
//    between: every delivery signed, each event delivered exactly once.
//  - exports and figures off the network loop: a 20,000-question forum exported
//    twice at once while residents chat (acked, delivered, exports unchanged), and
//    export.max_concurrent's 503 export_busy with Retry-After.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <set>

#include "chat_client.hpp"
#include "followup/webhook_outbox.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"
#include "webhook_receiver.hpp"

namespace forumcast::test {
namespace {

class FollowupServer : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra = {}) {
    extra.insert(extra.end(), {"--webhook.allow_http_loopback", "true", "--webhook.poll_ms", "100",
                               "--webhook.retry_first_delay_ms", "200"});
    server = std::make_unique<TestServer>(TestServerOptions{"", extra, ""});
    ASSERT_TRUE(server->start()) << server->stderr_text();
  }
  std::string login(const std::string& name, const std::string& role) {
    const std::string password = name + "-password-口令";
    auto add = server->cli({"user", "add", "--name", name, "--role", role, "--password-stdin"},
                           password + "\n");
    EXPECT_EQ(add.exit_code, 0) << add.err;
    auto r = http_post_json(server->port(), "/api/v1/login",
                            json{{"name", name}, {"password", password}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false).value("token", "");
  }
  // `timeout`: exports of big forums in the ASan build on a loaded CI machine take
  // tens of seconds; the tests check what comes back, not how fast.
  HttpResult call(const std::string& token, const std::string& method, const std::string& path,
                  const json& body = nullptr,
                  std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    Headers h{{"Authorization", "Bearer " + token}};
    std::string b;
    if (!body.is_null()) {
      h.emplace_back("Content-Type", "application/json");
      b = body.dump();
    }
    return http_request(server->port(), method, path, h, b, timeout);
  }
  json call_json(const std::string& token, const std::string& method, const std::string& path,
                 const json& body = nullptr, int want = 200) {
    auto r = call(token, method, path, body);
    EXPECT_EQ(r.status, want) << method << " " << path << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  std::unique_ptr<ChatClient> join(const std::string& forum, const std::string& token,
                                   const std::string& name = {}, const std::string& compound = {},
                                   const std::string& building = {}) {
    auto c = std::make_unique<ChatClient>();
    EXPECT_TRUE(c->connect(server->port()));
    json req = {{"op", "join"}, {"forum", forum}};
    if (name.empty()) {
      req["session"] = token;
    } else {
      req["device"] = token;
      req["name"] = name;
      req["compound"] = compound;
      req["building"] = building;
    }
    json r = c->request(req);
    EXPECT_EQ(r["ok"], true) << r.dump();
    return c;
  }
  std::string new_forum(const std::string& org, const std::string& title) {
    json f = call_json(org, "POST", "/api/v1/forums", {{"title", title}}, 201);
    return f.value("id", "");
  }
  void set_state(const std::string& org, const std::string& id, const std::string& state) {
    call_json(org, "POST", "/api/v1/forums/" + id + "/state", {{"state", state}});
  }
  // One integer from the server's SQLite file.
  int64_t sql_int(const std::string& sql) {
    sqlite3* db = nullptr;
    std::string path = server->data_dir() + "/forumcast.db";
    int64_t v = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(db, 5000);
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
          sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
      else
        ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
  }
  std::unique_ptr<TestServer> server;
};

int64_t question_id(const json& reply) {
  EXPECT_EQ(reply["ok"], true) << reply.dump();
  return reply["question"].value("id", int64_t{0});
}

TEST_F(FollowupServer, OrganizerEditsForumPanelAndAgendaEveryChangeAudited) {
  start();
  const std::string org = login("zhao-min", "organizer");
  const std::string mod = login("liu-yang", "moderator");
  const std::string id = new_forum(org, "书记论坛 第五期");
  const std::string base = "/api/v1/forums/" + id;

  json f = call_json(
      org, "PATCH", base,
      {{"title", "书记论坛 · 第五期:停车难"}, {"starts_at", "2026-12-05T14:00:00+08:00"}});
  EXPECT_EQ(f["title"], "书记论坛 · 第五期:停车难");
  EXPECT_EQ(f["starts_at"], "2026-12-05T14:00:00+08:00");
  EXPECT_EQ(call(mod, "PATCH", base, {{"title", "x"}}).status, 403);
  EXPECT_EQ(call(org, "PATCH", base, {{"starts_at", "next tuesday"}}).status, 400);

  json p = call_json(org, "PUT", base + "/panel",
                     {{"panel",
                       {{{"name", "王红梅"}, {"title", "街道党工委书记"}, {"role", "secretary"}},
                        {{"name", "陈工"}, {"title", "规划师"}, {"role", "expert"}}}}});
  ASSERT_EQ(p["panel"].size(), 2u);
  p = call_json(org, "POST", base + "/panel",
                {{"name", "李阿姨"}, {"title", "居民代表"}, {"role", "resident_rep"}}, 201);
  ASSERT_EQ(p["panel"].size(), 3u);
  EXPECT_EQ(p["panel"][2]["role"], "resident_representative");
  p = call_json(org, "PATCH", base + "/panel/2", {{"title", "高级规划师"}});
  EXPECT_EQ(p["panel"][1]["title"], "高级规划师");
  p = call_json(org, "DELETE", base + "/panel/1");
  ASSERT_EQ(p["panel"].size(), 2u);
  EXPECT_EQ(p["panel"][0]["name"], "陈工");
  EXPECT_EQ(call(org, "POST", base + "/panel", {{"name", "x"}, {"role", "mayor"}}).status, 400);

  std::vector<int64_t> ids;
  for (auto [title, minutes] :
       {std::pair{"开场", 5}, std::pair{"停车位划线", 20}, std::pair{"收费标准", 15}}) {
    json a = call_json(org, "POST", base + "/agenda",
                       {{"title", title}, {"planned_minutes", minutes}}, 201);
    ids.push_back(a["item"]["id"].get<int64_t>());
  }
  json a = call_json(org, "POST", base + "/agenda/order", {{"ids", {ids[2], ids[0], ids[1]}}});
  EXPECT_EQ(a["agenda"][0]["title"], "收费标准");
  EXPECT_EQ(a["planned_minutes_total"], 40);
  EXPECT_EQ(call(org, "POST", base + "/agenda/order", {{"ids", {ids[0], ids[1]}}}).status, 400);
  a = call_json(org, "POST", base + "/agenda/current", {{"item_id", ids[1]}});
  EXPECT_EQ(a["current_item_id"], ids[1]);
  a = call_json(org, "PATCH", base + "/agenda/" + std::to_string(ids[1]),
                {{"title", "停车位划线与收费"}});
  EXPECT_EQ(a["item"]["title"], "停车位划线与收费");
  // The programme as the resident page reads it (the forum is a draft: staff only).
  json prog = call_json(org, "GET", base + "/program");
  EXPECT_EQ(prog["current_agenda_item"], ids[1]);
  EXPECT_EQ(prog["agenda"].size(), 3u);
  EXPECT_EQ(prog["panel"].size(), 2u);
  EXPECT_EQ(http_get(server->port(), base + "/program").status, 404);  // a draft
  // Deleting the current item clears it.
  a = call_json(org, "DELETE", base + "/agenda/" + std::to_string(ids[1]));
  EXPECT_TRUE(a["current_item_id"].is_null());
  EXPECT_EQ(a["agenda"].size(), 2u);
  EXPECT_EQ(call(mod, "POST", base + "/agenda/current", {{"item_id", ids[0]}}).status, 403);

  // The CLI does the same on the same file.
  auto cli = server->cli({"forum", "agenda", id, "--add", "自由提问", "--minutes", "30", "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  json listed = json::parse(cli.out, nullptr, false);
  ASSERT_TRUE(listed.is_array()) << cli.out;
  EXPECT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[2]["title"], "自由提问");

  // Archived: read-only.
  set_state(org, id, "archived");
  auto refused = call(org, "PATCH", base, {{"topic", "改"}});
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find("forum_archived"), std::string::npos);
  EXPECT_EQ(http_get(server->port(), base + "/program").status, 200);  // archived is public

  const std::string where = " FROM audit WHERE forum_id = '" + id + "'";
  EXPECT_EQ(sql_int("SELECT count(*)" + where + " AND action = 'forum.edit'"), 1);
  EXPECT_EQ(sql_int("SELECT count(*)" + where + " AND action = 'forum.panel'"), 4);
  // 3 adds, 1 reorder, 1 rename, 1 delete over HTTP, 1 add by the CLI.
  EXPECT_EQ(sql_int("SELECT count(*)" + where + " AND action = 'forum.agenda'"), 7);
  EXPECT_EQ(sql_int("SELECT count(*)" + where + " AND action = 'forum.agenda_current'"), 1);
  EXPECT_EQ(sql_int("SELECT count(*)" + where + " AND action = 'forum.agenda' AND actor = 'cli'"),
            1);
}

// Writes bytes to a file in the server's data dir and lists a zip entry with unzip.
std::string unzip_entry(const std::string& dir, const std::string& bytes,
                        const std::string& entry) {
  const std::string path = dir + "/export-check.xlsx";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  std::string cmd = "unzip -p '" + path + "' '" + entry + "' 2>/dev/null";
  std::string text;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    ::pclose(p);
  }
  return text;
}

size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// Issue 6's agenda items on questions, through the real relay: a question asked
// while an item is under discussion belongs to it; a moderator moves it with
// set_agenda_item (staff and residents hear of it, audited, stored); residents and
// unknown items (or another forum's) are refused and change nothing.
TEST_F(FollowupServer, QuestionsBelongToTheCurrentAgendaItemAndModeratorsMoveThem) {
  start();
  const std::string org = login("zhao-min", "organizer");
  const std::string mod = login("wang-xiaomei", "moderator");
  const std::string id = new_forum(org, "书记论坛 · 第七期:停车与广场");
  const std::string other = new_forum(org, "书记论坛 · 第八期");
  const std::string base = "/api/v1/forums/" + id;
  auto item = [&](const std::string& forum, const std::string& title) {
    return call_json(org, "POST", "/api/v1/forums/" + forum + "/agenda",
                     {{"title", title}, {"planned_minutes", 20}}, 201)["item"]
        .value("id", int64_t{0});
  };
  const int64_t square = item(id, "广场改造");
  const int64_t parking = item(id, "停车位划线与收费");
  const int64_t elsewhere = item(other, "加装电梯");
  set_state(org, id, "live");
  auto staff = join(id, mod);
  const std::string dev_a = new_device_token(server->port());
  const std::string dev_b = new_device_token(server->port());
  auto a = join(id, dev_a, "李阿姨", "春晖苑", "3号楼");
  auto b = join(id, dev_b, "王大爷", "桂香里", "1号楼");

  // Asked while "广场改造" is under discussion, without naming an item: it belongs there.
  call_json(org, "POST", base + "/agenda/current", {{"item_id", square}});
  json asked = a->request({{"op", "ask"}, {"text", "广场的地砖下雨天特别滑,能换防滑的吗?"}});
  const int64_t q1 = question_id(asked);
  EXPECT_EQ(asked["question"]["agenda_item"], square);
  EXPECT_EQ(sql_int("SELECT agenda_item FROM questions WHERE id = " + std::to_string(q1)), square);
  // An explicit item wins over the current one.
  json explicit_item =
      b->request({{"op", "ask"}, {"text", "停车费怎么收?"}, {"agenda_item", parking}});
  EXPECT_EQ(explicit_item["question"]["agenda_item"], parking) << explicit_item.dump();
  // An item of no agenda, or of another forum's: refused, nothing stored.
  const int64_t before = sql_int("SELECT count(*) FROM questions WHERE forum_id = '" + id + "'");
  for (int64_t bad : {int64_t{987654}, elsewhere}) {
    json r = a->request({{"op", "ask"}, {"text", "这个问题属于哪一项?"}, {"agenda_item", bad}});
    EXPECT_EQ(r["error"]["code"], "unknown_agenda_item") << r.dump();
  }
  EXPECT_EQ(sql_int("SELECT count(*) FROM questions WHERE forum_id = '" + id + "'"), before);
  // With no item under discussion a question has none.
  call_json(org, "POST", base + "/agenda/current", {{"item_id", nullptr}});
  EXPECT_TRUE(b->request({{"op", "ask"}, {"text", "垃圾房什么时候搬?"}})["question"]["agenda_item"]
                  .is_null());

  // The moderator moves q1 to "停车位划线与收费": the reply, the staff event, and (it is
  // public once approved) every resident's event carry the new item.
  ASSERT_EQ(staff->request({{"op", "approve"}, {"id", q1}})["ok"], true);
  json moved = staff->request({{"op", "set_agenda_item"}, {"id", q1}, {"item", parking}});
  ASSERT_EQ(moved["ok"], true) << moved.dump();
  EXPECT_EQ(moved["question"]["agenda_item"], parking);
  // Staff connections get the staff-stream copy (and, for a public question, the
  // forum stream's too).
  auto question_event = [](ChatClient& c, const std::string& stream) -> std::optional<json> {
    for (;;) {
      auto ev = c.next_event("question");
      if (!ev || ((*ev)["op"] == "set_agenda_item" && ev->value("stream", "") == stream)) return ev;
    }
  };
  auto staff_ev = question_event(*staff, "staff");
  ASSERT_TRUE(staff_ev);
  EXPECT_EQ((*staff_ev)["question"]["agenda_item"], parking);
  auto resident_ev = question_event(*b, "");
  ASSERT_TRUE(resident_ev);
  EXPECT_EQ((*resident_ev)["question"]["id"], q1);
  EXPECT_EQ((*resident_ev)["question"]["agenda_item"], parking);
  EXPECT_EQ(sql_int("SELECT agenda_item FROM questions WHERE id = " + std::to_string(q1)), parking);
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'question.set_agenda_item' AND "
                    "actor = 'wang-xiaomei' AND target = 'question:" +
                    std::to_string(q1) + "'"),
            1);
  // Residents may not move questions; unknown items are refused; nothing changes.
  EXPECT_EQ(a->request({{"op", "set_agenda_item"}, {"id", q1}, {"item", square}})["error"]["code"],
            "forbidden");
  EXPECT_EQ(
      staff->request({{"op", "set_agenda_item"}, {"id", q1}, {"item", elsewhere}})["error"]["code"],
      "unknown_agenda_item");
  EXPECT_EQ(sql_int("SELECT agenda_item FROM questions WHERE id = " + std::to_string(q1)), parking);
  // Its item cannot be deleted while questions belong to it (docs/http-api.md).
  EXPECT_EQ(call(org, "DELETE", base + "/agenda/" + std::to_string(parking)).status, 409);
  // null takes it off every item.
  json cleared = staff->request({{"op", "set_agenda_item"}, {"id", q1}, {"item", nullptr}});
  EXPECT_TRUE(cleared["question"]["agenda_item"].is_null()) << cleared.dump();
}

TEST_F(FollowupServer, ScriptedForumExportsAgreeWithEachOtherAndTheStore) {
  start();
  const std::string org = login("zhao-min", "organizer");
  const std::string id = new_forum(org, "书记论坛 · 第六期:小区微改造");
  const std::string base = "/api/v1/forums/" + id;
  call_json(org, "PUT", base + "/panel",
            {{"panel", {{{"name", "王红梅"}, {"title", "书记"}, {"role", "secretary"}}}}});
  json ag = call_json(org, "POST", base + "/agenda",
                      {{"title", "广场改造"}, {"planned_minutes", 30}}, 201);

  // Collecting: residents ask and co-sign before the forum.
  set_state(org, id, "collecting");
  auto staff = join(id, org);
  const std::string dev_a = new_device_token(server->port());
  const std::string dev_b = new_device_token(server->port());
  const std::string dev_c = new_device_token(server->port());
  auto a = join(id, dev_a, "李阿姨", "春晖苑", "3号楼");
  auto b = join(id, dev_b, "王大爷", "桂香里", "1号楼");
  auto c = join(id, dev_c, "小陈", "春晖苑", "5号楼");
  // The organizer sets the item under discussion: everyone watching gets it.
  call_json(org, "POST", base + "/agenda/current", {{"item_id", ag["item"]["id"]}});
  auto current = b->next_event("agenda_current");
  ASSERT_TRUE(current);
  EXPECT_EQ((*current)["item"]["title"], "广场改造");
  EXPECT_EQ((*current)["item"]["planned_minutes"], 30);
  const int64_t q1 = question_id(
      a->request({{"op", "ask"}, {"text", "广场的地砖下雨天特别滑,改造时能换成防滑的吗?"}}));
  const int64_t q2 =
      question_id(b->request({{"op", "ask"}, {"text", "桂香里的路灯坏了,\"什么时候\"修,好不好?"}}));
  const int64_t q3 = question_id(c->request({{"op", "ask"}, {"text", "加微信领红包"}}));
  ASSERT_EQ(staff->request({{"op", "approve"}, {"id", q1}})["ok"], true);
  ASSERT_EQ(staff->request({{"op", "approve"}, {"id", q2}})["ok"], true);
  ASSERT_EQ(staff->request({{"op", "reject"}, {"id", q3}, {"reason", "inappropriate"}})["ok"],
            true);
  EXPECT_EQ(b->request({{"op", "vote"}, {"id", q1}})["ok"], true);
  EXPECT_EQ(c->request({{"op", "vote"}, {"id", q1}})["ok"], true);
  EXPECT_EQ(a->request({{"op", "vote"}, {"id", q2}})["ok"], true);

  // Live: a follow-up, both questions on air and answered.
  set_state(org, id, "live");
  const int64_t f1 =
      question_id(a->request({{"op", "follow_up"}, {"parent", q1}, {"text", "工期多久?"}}));
  ASSERT_EQ(staff->request({{"op", "approve"}, {"id", f1}})["ok"], true);
  ASSERT_EQ(a->comment("支持改造!")["ok"], true);
  ASSERT_EQ(b->comment("路灯,顶一下")["ok"], true);
  ASSERT_EQ(staff->request({{"op", "on_air"}, {"id", q1}})["ok"], true);
  ASSERT_EQ(staff->request({{"op", "answered"},
                            {"id", q1},
                            {"summary", "换防滑砖,月底开工"},
                            {"panelist", "王红梅"}})["ok"],
            true);
  ASSERT_EQ(staff->request({{"op", "on_air"}, {"id", q2}})["ok"], true);
  ASSERT_EQ(staff->request({{"op", "answered"},
                            {"id", q2},
                            {"summary", "三天内修好"},
                            {"panelist", "王红梅"}})["ok"],
            true);

  // Tickets: one resolved and rated by its asker (closes), one left assigned.
  json t1 = call_json(
      org, "POST", "/api/v1/tickets",
      {{"question_id", q1}, {"assignees", {{{"kind", "department"}, {"name", "物业服务中心"}}}}},
      201)["ticket"];
  json t2 = call_json(org, "POST", "/api/v1/tickets",
                      {{"question_id", q2},
                       {"category", "service"},
                       {"assignees", {{{"kind", "worker"}, {"name", "张师傅"}}}}},
                      201)["ticket"];
  const std::string tp = "/api/v1/tickets/" + std::to_string(t1["id"].get<int64_t>());
  call_json(org, "POST", tp + "/transition",
            {{"to", "in_progress"}, {"note", "已开工"}, {"public", true}});
  call_json(org, "POST", tp + "/transition",
            {{"to", "resolved"}, {"note", "已换砖"}, {"public", true}});
  json mine = call_json(dev_a, "GET", "/api/v1/my/tickets");
  ASSERT_EQ(mine["tickets"].size(), 2u) << mine.dump();  // asked q1, co-signed q2
  json rated = call_json(dev_a, "POST", tp + "/rate",
                         {{"stars", 5}, {"confirmed", true}, {"comment", "很满意"}});
  EXPECT_EQ(rated["ticket"]["state"], "closed");
  EXPECT_EQ(
      call(dev_c, "POST", "/api/v1/tickets/" + std::to_string(t2["id"].get<int64_t>()) + "/rate",
           {{"stars", 1}})
          .status,
      404);  // not c's question
  set_state(org, id, "ended");

  // Every format over HTTP.
  std::map<std::string, HttpResult> got;
  for (const char* fmt : {"json", "csv", "xlsx", "md", "html", "vtt"}) {
    got[fmt] = call(org, "GET", base + "/transcript?format=" + std::string(fmt));
    ASSERT_EQ(got[fmt].status, 200) << fmt << ": " << got[fmt].body.substr(0, 300);
  }
  json tj = json::parse(got["json"].body, nullptr, false);
  ASSERT_TRUE(tj.is_object());

  // The json agrees with the store (the SQLite file).
  const std::string fq = "'" + id + "'";
  EXPECT_EQ(
      static_cast<int64_t>(tj["questions"].size()),
      sql_int("SELECT count(*) FROM questions WHERE forum_id = " + fq + " AND parent_id IS NULL"));
  int64_t follow_ups = 0, votes = 0;
  for (const auto& q : tj["questions"]) {
    follow_ups += static_cast<int64_t>(q["follow_ups"].size());
    votes += q.value("votes", int64_t{0});
  }
  EXPECT_EQ(follow_ups, sql_int("SELECT count(*) FROM questions WHERE forum_id = " + fq +
                                " AND parent_id IS NOT NULL"));
  EXPECT_EQ(votes, sql_int("SELECT count(*) FROM question_votes v JOIN questions q ON "
                           "q.id = v.question_id WHERE q.forum_id = " +
                           fq + " AND q.parent_id IS NULL"));
  EXPECT_EQ(static_cast<int64_t>(tj["tickets"].size()),
            sql_int("SELECT count(*) FROM tickets WHERE forum_id = " + fq));
  EXPECT_EQ(tj["counts"]["comments"], 2);
  ASSERT_EQ(tj["comments"].size(), 2u);
  EXPECT_EQ(tj["comments"][0]["text"], "支持改造!");
  EXPECT_EQ(tj["comments"][0]["author"]["display_name"], "李阿姨");
  EXPECT_EQ(tj["comments"][0]["author"]["compound"], "春晖苑");
  EXPECT_EQ(tj["comments"][1]["author"]["building"], "1号楼");
  EXPECT_FALSE(tj["comments"][1]["hidden"].get<bool>());

  // The figures: the route, the json export and the raw records say the same.
  json fig = call_json(org, "GET", base + "/figures")["figures"];
  EXPECT_EQ(fig, tj["figures"]);
  const json& all = fig["forum"];
  EXPECT_EQ(all["asked"], 3);
  EXPECT_EQ(all["approved"], 2);
  EXPECT_EQ(all["answered_live"], 2);
  EXPECT_EQ(all["ticketed"], 2);
  EXPECT_EQ(all["follow_ups"], 1);
  EXPECT_EQ(all["votes"], votes);
  EXPECT_EQ(all["tickets"], 2);
  EXPECT_EQ(all["resolved"], 1);
  EXPECT_EQ(all["ratings"], 1);
  EXPECT_EQ(all["average_rating"], 5.0);
  EXPECT_EQ(all["share_rated"], 1.0);
  EXPECT_EQ(all["resolved"], sql_int("SELECT count(*) FROM tickets WHERE forum_id = " + fq +
                                     " AND state IN ('resolved','closed')"));
  std::map<std::string, int64_t> sums;
  for (const auto& row : fig["by_compound"])
    for (const char* k : {"asked", "approved", "answered_live", "ticketed", "tickets", "resolved",
                          "ratings", "votes", "follow_ups"})
      sums[k] += row[k].get<int64_t>();
  for (const auto& [k, v] : sums) EXPECT_EQ(v, all[k].get<int64_t>()) << k;
  json cross = call_json(org, "GET", "/api/v1/figures?by=forum");
  ASSERT_EQ(cross["by_forum"].size(), 1u);
  EXPECT_EQ(cross["figures"]["forum"], all);
  EXPECT_EQ(cross["by_forum"][0]["figures"], all);

  // csv: BOM, a header and one row per question (follow-ups included), quotes doubled.
  const std::string& csv = got["csv"].body;
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.find("\"桂香里的路灯坏了,\"\"什么时候\"\"修,好不好?\""), std::string::npos);
  // xlsx: a zip whose workbook lists the five sheets and whose strings hold the texts.
  const std::string& xlsx = got["xlsx"].body;
  ASSERT_EQ(xlsx.substr(0, 2), "PK");
  std::string wb = unzip_entry(server->data_dir(), xlsx, "xl/workbook.xml");
  for (const char* sheet : {"Questions", "Follow-ups", "Comments", "Tickets", "Summary"})
    EXPECT_NE(wb.find(std::string("name=\"") + sheet + "\""), std::string::npos) << sheet << wb;
  std::string strings = unzip_entry(server->data_dir(), xlsx, "xl/sharedStrings.xml");
  std::string sheets;
  for (int n = 1; n <= 5; ++n)
    sheets +=
        unzip_entry(server->data_dir(), xlsx, "xl/worksheets/sheet" + std::to_string(n) + ".xml");
  EXPECT_NE((strings + sheets).find("换防滑砖,月底开工"), std::string::npos);
  // md and html minutes: the answers, the panelist, the askers' compounds.
  for (const char* fmt : {"md", "html"}) {
    const std::string& doc = got[fmt].body;
    EXPECT_NE(doc.find("换防滑砖,月底开工"), std::string::npos) << fmt;
    EXPECT_NE(doc.find("三天内修好"), std::string::npos) << fmt;
    EXPECT_NE(doc.find("王红梅"), std::string::npos) << fmt;
    EXPECT_NE(doc.find("桂香里"), std::string::npos) << fmt;  // the asker's compound
  }
  // vtt: one chapter per on-air stretch (two).
  EXPECT_EQ(got["vtt"].body.rfind("WEBVTT", 0), 0u);
  EXPECT_EQ(count_of(got["vtt"].body, " --> "), 2u) << got["vtt"].body;
  // No device token or hash leaks without include_contacts.
  for (const auto& [fmt, r] : got) {
    EXPECT_EQ(r.body.find(dev_a), std::string::npos) << fmt;
    EXPECT_EQ(r.body.find("dev:"), std::string::npos) << fmt;
  }
}

TEST_F(FollowupServer, WebhooksArriveSignedExactlyOnceAcrossARestart) {
  forumcast::testing::WebhookReceiver hook;
  start();
  const std::string org = login("zhao-min", "organizer");
  const std::string id = new_forum(org, "书记论坛 · 第七期");
  set_state(org, id, "live");
  json wh = call_json(org, "POST", "/api/v1/webhooks",
                      {{"url", hook.url()}, {"secret", "hotline-secret"}}, 201);
  EXPECT_EQ(call(org, "POST", "/api/v1/webhooks", {{"url", "http://example.org/x"}}).status, 400);

  auto staff = join(id, org);
  const std::string dev = new_device_token(server->port());
  auto r = join(id, dev, "李阿姨", "春晖苑");
  const int64_t q1 = question_id(r->request({{"op", "ask"}, {"text", "楼道灯坏了"}}));
  ASSERT_EQ(staff->request({{"op", "approve"}, {"id", q1}})["ok"], true);
  call_json(org, "POST", "/api/v1/tickets", {{"question_id", q1}}, 201);
  auto has = [](const std::vector<forumcast::testing::ReceivedHook>& got, const std::string& ev,
                int status) {
    for (const auto& h : got)
      if (h.headers.count("x-forumcast-event") && h.headers.at("x-forumcast-event") == ev &&
          h.answered == status)
        return true;
    return false;
  };
  ASSERT_TRUE(hook.wait_for([&](const auto& got) {
    return has(got, "question.approved", 200) && has(got, "ticket.created", 200);
  }));

  // The receiver fails: a new event is attempted (503) and stays pending over a restart.
  hook.set_status(503);
  ASSERT_EQ(staff->request({{"op", "on_air"}, {"id", q1}})["ok"], true);
  ASSERT_TRUE(hook.wait_for([&](const auto& got) { return has(got, "question.on_air", 503); }));
  staff.reset();
  r.reset();
  ASSERT_EQ(server->stop(), 0) << server->stderr_text();
  hook.set_status(200);
  ASSERT_TRUE(server->start()) << server->stderr_text();
  ASSERT_TRUE(hook.wait_for([&](const auto& got) { return has(got, "question.on_air", 200); }));
  // After the restart: new events flow, old ones are not queued again.
  auto staff2 = join(id, org);
  ASSERT_EQ(staff2->request({{"op", "answered"}, {"id", q1}, {"summary", "已修好"}})["ok"], true);
  ASSERT_TRUE(hook.wait_for([&](const auto& got) { return has(got, "question.answered", 200); }));

  // Every delivery id answered 200 exactly once; every request correctly signed.
  const auto got = hook.received();
  std::map<std::string, int> ok_by_delivery;
  std::map<std::string, int> ok_by_event;
  const int64_t now_s = std::time(nullptr);
  for (const auto& h : got) {
    EXPECT_TRUE(followup::verify_signature("hotline-secret", h.headers.at("x-forumcast-signature"),
                                           h.body, now_s))
        << h.body;
    json body = json::parse(h.body, nullptr, false);
    EXPECT_EQ(body["event"], h.headers.at("x-forumcast-event"));
    EXPECT_EQ(h.body.find("dev:"), std::string::npos);  // no device hash in question events
    if (h.answered == 200) {
      ++ok_by_delivery[h.headers.at("x-forumcast-delivery")];
      ++ok_by_event[h.headers.at("x-forumcast-event")];
    }
  }
  for (const auto& [d, n] : ok_by_delivery) EXPECT_EQ(n, 1) << "delivery " << d;
  for (const char* ev :
       {"question.approved", "ticket.created", "question.on_air", "question.answered"})
    EXPECT_EQ(ok_by_event[ev], 1) << ev;
  EXPECT_EQ(sql_int("SELECT count(*) FROM webhook_outbox WHERE state = 'delivered'"),
            static_cast<int64_t>(ok_by_delivery.size()));
  EXPECT_EQ(sql_int("SELECT count(*) FROM webhook_outbox WHERE state = 'pending'"), 0);
  (void)wh;
}

// Transcripts and figures are built off the network loop (server/export_routes, the
// export thread): with a 20,000-question forum (real rows in the SQLite file) being
// exported twice at once, plus the figures, a resident's comment in another forum is
// acknowledged and delivered, and every export equals the one made alone before.
TEST_F(FollowupServer, ExportsRunOffTheLoopWhileChatGoesOn) {
  start();
  const std::string org = login("exporter", "organizer");
  const std::string big = new_forum(org, "大论坛");
  const std::string live = new_forum(org, "直播中");
  set_state(org, big, "collecting");
  set_state(org, live, "collecting");
  set_state(org, live, "live");
  ASSERT_EQ(server->stop(), 0) << server->stderr_text();
  {
    sqlite3* db = nullptr;
    const std::string path = server->data_dir() + "/forumcast.db";
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string sql =
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
        "INSERT INTO questions (forum_id, source, asker_device_hash, display_name, compound, "
        "building, text, state, votes, created_ms, updated_ms) SELECT '" +
        big +
        "', 'resident', 'dev:' || i, '居民' || i, '小区' || (i % 7), (i % 30) || '号楼', "
        "'第' || i || '个问题:楼道的灯坏了很久,什么时候能修好?', 'approved', i % 5, "
        "1700000000000 + i, 1700000000000 + i FROM n";
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }
  ASSERT_TRUE(server->start()) << server->stderr_text();  // the session survives the restart

  const std::string csv = "/api/v1/forums/" + big + "/transcript?format=csv";
  auto alone = call(org, "GET", csv, nullptr, std::chrono::seconds(180));
  ASSERT_EQ(alone.status, 200) << alone.body;
  ASSERT_GT(alone.body.size(), 500000u);
  const std::string type = alone.header("content-type");
  const std::string disposition = alone.header("content-disposition");
  EXPECT_EQ(disposition.rfind("attachment; filename=\"", 0), 0u) << disposition;

  const std::string dev_a = new_device_token(server->port());
  const std::string dev_b = new_device_token(server->port());
  auto poster = join(live, dev_a, "李阿姨", "春晖苑", "3号楼");
  auto viewer = join(live, dev_b, "王大爷", "桂香里", "1号楼");

  // Two exports in flight at once (export.max_concurrent defaults to 2) while the
  // residents chat.
  auto slow = [&] { return call(org, "GET", csv, nullptr, std::chrono::seconds(180)); };
  auto e1 = std::async(std::launch::async, slow);
  auto e2 = std::async(std::launch::async, slow);
  for (int k = 0; k < 5; ++k) {
    const std::string text = "大家好 " + std::to_string(k);
    ASSERT_EQ(poster->comment(text)["ok"], true);
    auto seen = viewer->next_event("comment");
    ASSERT_TRUE(seen);
    EXPECT_EQ((*seen)["text"], text) << seen->dump();
  }
  for (auto* f : {&e1, &e2}) {
    auto r = f->get();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), type);
    EXPECT_EQ(r.header("content-disposition"), disposition);
    EXPECT_TRUE(r.body == alone.body) << "the export changed when made off the loop";
  }
  json fig = call_json(org, "GET", "/api/v1/forums/" + big + "/figures");
  EXPECT_EQ(fig["figures"]["forum"]["asked"], 20000) << fig.dump().substr(0, 400);
  json all = call_json(org, "GET", "/api/v1/figures?by=forum");
  EXPECT_EQ(all["figures"]["forum"]["asked"], 20000) << all.dump().substr(0, 400);

  // Contact details: still audited once per export, still organizer only.
  const std::string audited =
      "SELECT count(*) FROM audit WHERE action = 'transcript.export_contacts' AND forum_id = '" +
      big + "'";
  const int64_t before = sql_int(audited);
  EXPECT_EQ(call(org, "GET", csv + "&include_contacts=1").status, 200);
  EXPECT_EQ(sql_int(audited), before + 1);
  EXPECT_EQ(http_get(server->port(), csv).status, 401);
  EXPECT_EQ(call(org, "GET", "/api/v1/forums/nope/transcript?format=csv").status, 404);
  EXPECT_EQ(call(org, "GET", csv + "x").status, 400);
}

// export.max_concurrent = 0: every transcript and figures request is refused with a
// code and Retry-After, after the caller is identified (401 stays 401).
TEST_F(FollowupServer, ExportsBeyondTheLimitAreRefusedWithRetryAfter) {
  start({"--export.max_concurrent", "0"});
  const std::string org = login("exporter", "organizer");
  const std::string id = new_forum(org, "论坛");
  for (const std::string path :
       {"/api/v1/forums/" + id + "/transcript?format=json", "/api/v1/forums/" + id + "/figures",
        std::string("/api/v1/figures")}) {
    auto r = call(org, "GET", path);
    EXPECT_EQ(r.status, 503) << path << ": " << r.body;
    EXPECT_NE(r.body.find("\"export_busy\""), std::string::npos) << r.body;
    EXPECT_EQ(r.header("retry-after"), "2") << path;
    EXPECT_EQ(http_get(server->port(), path).status, 401) << path;
  }
  EXPECT_EQ(call(org, "GET", "/api/v1/forums/" + id + "/program").status, 200);
}

}  // namespace
}  // namespace forumcast::test
