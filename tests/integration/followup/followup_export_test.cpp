// tests/integration/followup/followup_export_test.cpp: a scripted forum from
// demo-forum.json (collecting -> live with questions, a follow-up, on-air stretches
// and answers, votes, comments with one hidden, tickets worked through the ticket
// machine and rated -> ended) written to a real SQLite store, then exported in
// every format through the HTTP route handler and the CLI command. Checks: the
// exports agree with each other and with the store, the route's headers, privacy
// (contacts only when asked, and then audited; hidden comments only when asked),
// the xlsx opens (unzip -p the sheet XML), the CLI file equals the HTTP body.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>

#include "followup/ticket_machine.hpp"
#include "server/export_cli.hpp"
#include "server/export_routes.hpp"
#include "server/transcript_builder.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace forumcast {
namespace {

using json = nlohmann::json;
namespace fu = followup;
constexpr int64_t kT0 = 1'764'900'000'000;
const std::string kForum = "k3m9q2xw7a";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

Status wait_done(const std::function<void(StoreDone)>& submit) {
  auto p = std::make_shared<std::promise<Status>>();
  auto fut = p->get_future();
  submit([p](Status st) { p->set_value(std::move(st)); });
  if (fut.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
    return make_error("timeout", "done not called within 10 s");
  return fut.get();
}

class FollowupExport : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "forumcast-fu-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto s = open_sqlite_store({.path = dir_ + "/forumcast.db"});
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s.value());
    demo_ = json::parse(slurp("/work/shared/demo-forum.json"), nullptr, false);
    if (demo_.is_discarded())
      demo_ =
          json::parse(slurp(std::string(FORUMCAST_SOURCE_DIR) + "/server/demo/demo-forum.json"));
    script_forum();
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  QuestionRow question(int64_t id, const json& q, std::string state, std::string device) {
    QuestionRow r;
    r.id = id;
    r.forum_id = kForum;
    r.source = "resident";
    r.asker_device_hash = std::move(device);
    r.display_name = id % 2 ? "李阿姨" : "张师傅";
    r.compound = q.value("compound", "");
    r.building = std::to_string(id) + "号楼";
    r.text = q.at("text").get<std::string>();
    r.category = q.value("category", "");
    r.agenda_item = agenda_ids_.at(q.value("agenda", 0));
    r.state = std::move(state);
    r.created_ms = kT0 + id * 1000;
    r.updated_ms = r.created_ms;
    return r;
  }

  void script_forum() {
    const json& f = demo_["forum"];
    Forum forum;
    forum.id = kForum;
    forum.title = f["title"];
    forum.topic = f["topic"];
    forum.starts_at = f["starts_at"];
    forum.state = ForumState::collecting;
    forum.stream_key = "live-key-1";
    forum.created_ms = forum.updated_ms = kT0;
    ASSERT_TRUE(store_->forums().create_forum(forum).ok());
    std::vector<PanelRow> panel;
    for (const auto& p : f["panel"]) panel.push_back({p["name"], p["title"], p["role"]});
    ASSERT_TRUE(
        store_->programs().set_panel(kForum, panel, {0, kForum, "zhaomin", "panel.set"}).ok());
    std::vector<AgendaRow> agenda;
    for (const auto& a : f["agenda"]) agenda.push_back({0, a["title"], a["minutes"]});
    auto ag = store_->programs().set_agenda(kForum, agenda, {0, kForum, "zhaomin", "agenda.set"});
    ASSERT_TRUE(ag.ok());
    for (const auto& a : *ag) agenda_ids_.push_back(a.id);

    // Collecting: six questions asked before the forum; q1..q4 approved.
    QuestionChangeRecord rec;
    for (int i = 0; i < 6; ++i) {
      QuestionRow r = question(i + 1, demo_["questions"][i], i < 4 ? "approved" : "pending",
                               "dev-" + std::to_string(i + 1));
      rec.questions.push_back(r);
      rec.history.push_back({0,
                             kForum,
                             r.id,
                             "ask",
                             r.display_name,
                             "resident",
                             r.created_ms,
                             {},
                             "",
                             R"({"state":"pending"})"});
      if (i < 4)
        rec.history.push_back({0,
                               kForum,
                               r.id,
                               "approve",
                               "zhaomin",
                               "moderator",
                               r.created_ms + 1,
                               {},
                               R"({"state":"pending"})",
                               R"({"state":"approved"})"});
    }
    // q6 rejected with a reason.
    rec.questions[5].state = "rejected";
    rec.questions[5].reject_reason = "off_topic";
    rec.history.push_back({0,
                           kForum,
                           6,
                           "reject",
                           "zhaomin",
                           "moderator",
                           kT0 + 7000,
                           {},
                           R"({"state":"pending"})",
                           R"({"state":"rejected","reject_reason":"off_topic"})"});
    ASSERT_TRUE(
        wait_done([&](StoreDone d) { store_->questions().apply_question_change(rec, d); }).ok());
    // Co-signs: q1 gets three, q2 one.
    for (auto [q, dev] : std::vector<std::pair<int64_t, std::string>>{
             {1, "dev-a"}, {1, "dev-b"}, {1, "dev-c"}, {2, "dev-a"}})
      ASSERT_TRUE(wait_done([&](StoreDone d) {
                    store_->votes().add_vote({kForum, q, dev, kT0}, d);
                  }).ok());

    // Live: q1 on air 0:05:00-0:08:00 and answered by 王红梅; q2 on air twice, answered
    // in the second stretch; a follow-up to q2 (demo follow_ups[0]).
    ASSERT_TRUE(store_->forums().set_forum_state(kForum, ForumState::live, kT0 + 100'000).ok());
    auto q1 = *store_->questions().get_question(1);
    q1.state = "answered";
    q1.on_air_json = json::array({{{"start_ms", kT0 + 300'000},
                                   {"start_stream_ms", 300'000},
                                   {"end_ms", kT0 + 480'000},
                                   {"end_stream_ms", 480'000}}})
                         .dump();
    q1.answers_json = json::array({{{"summary", "广场东侧增设12张长椅"},
                                    {"panelist", "王红梅"},
                                    {"by", "zhaomin"},
                                    {"at_ms", kT0 + 470'000},
                                    {"stream_ms", 470'000}}})
                          .dump();
    auto q2 = *store_->questions().get_question(2);
    q2.state = "answered";
    q2.on_air_json = json::array({{{"start_ms", kT0 + 500'000},
                                   {"start_stream_ms", 500'000},
                                   {"end_ms", kT0 + 520'000},
                                   {"end_stream_ms", 520'000}},
                                  {{"start_ms", kT0 + 600'000},
                                   {"start_stream_ms", 600'000},
                                   {"end_ms", kT0 + 700'000},
                                   {"end_stream_ms", 700'000}}})
                         .dump();
    q2.answers_json = json::array({{{"summary", "改造时统一换防滑砖"},
                                    {"panelist", "陈思远"},
                                    {"by", "zhaomin"},
                                    {"at_ms", kT0 + 690'000},
                                    {"stream_ms", 690'000}}})
                          .dump();
    QuestionRow fq = question(
        7, json{{"text", demo_["follow_ups"][0]["text"]}, {"compound", q2.compound}, {"agenda", 0}},
        "approved", "dev-a");
    fq.parent_id = 2;
    QuestionChangeRecord live{
        {q1, q2, fq},
        {{0, kForum, 1, "put_on_air", "zhaomin", "moderator", kT0 + 300'000, 300'000,
          R"({"state":"approved"})", R"({"state":"on_air"})"},
         {0, kForum, 1, "mark_answered", "zhaomin", "moderator", kT0 + 480'000, 480'000,
          R"({"state":"on_air"})", R"({"state":"answered"})"},
         {0, kForum, 7, "follow_up", "李阿姨", "resident", kT0 + 710'000, 710'000, "",
          R"({"state":"approved"})"}},
        {}};
    ASSERT_TRUE(
        wait_done([&](StoreDone d) { store_->questions().apply_question_change(live, d); }).ok());

    // Comments: the demo's first five; #3 hidden by a moderator.
    ASSERT_TRUE(store_->chat_log().open_stream(kForum, "ep1", kT0).ok());
    for (int i = 0; i < 5; ++i) {
      json body = {{"ev", "comment"},
                   {"forum", kForum},
                   {"seq", i + 1},
                   {"at", kT0 + 400'000 + i},
                   {"role", "resident"},
                   {"name", "王阿姨"},
                   {"compound", "桂香里"},
                   {"text", demo_["comments"][i]},
                   {"stream_ms", 400'000 + i}};
      ChatEventRecord ev{
          kForum, i + 1, "comment", body.dump(), "dev-c" + std::to_string(i), kT0 + 400'000 + i};
      ASSERT_TRUE(wait_done([&](StoreDone d) { store_->chat_log().append_event(ev, d); }).ok());
    }
    ASSERT_TRUE(store_->audit()
                    .append_audit(
                        {0, kForum, "zhaomin", "comment.hide", "comment:3", "", "", kT0 + 450'000})
                    .ok());

    // Tickets: from q2 (resolved, rated 5 and confirmed -> closed) and from the
    // follow-up q7 (assigned, open).
    FakeClock clock(kT0 + 800'000);
    fu::TicketMachine m(clock);
    auto t1 = m.create(0,
                       {kForum,
                        2,
                        "广场地砖更换防滑砖",
                        "居民反映雨天路滑",
                        fu::TicketCategory::problem,
                        {"春晖苑一期", "中心广场"},
                        kT0 + 86'400'000},
                       "zhaomin");
    ASSERT_TRUE(t1.ok());
    auto r1 = store_->tickets().create_ticket(
        TicketChange{row_from_ticket(*t1, 2, 0, clock.wall_ms()),
                     {{0, 0, "create", "open", "open", "zhaomin", clock.wall_ms(), "", false}}});
    ASSERT_TRUE(r1.ok()) << r1.error().message;
    fu::Ticket w = ticket_from_record(*r1);
    ASSERT_TRUE(
        m.assign(w, {{fu::Assignee::Kind::department, "物业服务中心"}}, "zhaomin", "", false).ok());
    ASSERT_TRUE(m.transition(w, fu::TicketState::in_progress, "zhaomin", "已开工", true).ok());
    clock.advance(3'600'000);
    ASSERT_TRUE(m.transition(w, fu::TicketState::resolved, "zhaomin", "已完成更换", true).ok());
    ASSERT_TRUE(m.rate(w, {"dev-2", "张师傅", 5, true, "", clock.wall_ms(), 1}).ok());
    auto saved = store_->tickets().save_ticket(change_from(*r1, w, clock.wall_ms()));
    ASSERT_TRUE(saved.ok()) << saved.error().message;
    auto t2 = m.create(0,
                       {kForum,
                        7,
                        "施工期间老人通行路线",
                        "",
                        fu::TicketCategory::service,
                        {"春晖苑一期", ""},
                        std::nullopt},
                       "zhaomin");
    auto r2 = store_->tickets().create_ticket(
        TicketChange{row_from_ticket(*t2, 2, 0, clock.wall_ms()),
                     {{0, 0, "create", "open", "open", "zhaomin", clock.wall_ms(), "", false}}});
    ASSERT_TRUE(r2.ok());
    ASSERT_TRUE(store_->forums().set_forum_state(kForum, ForumState::ended, kT0 + 900'000).ok());
  }

  net::HttpResponse get(const std::string& query) {
    net::HttpRequest req;
    req.method = "GET";
    req.path = "/api/v1/forums/" + kForum + "/transcript";
    std::stringstream ss(query);
    std::string kv;
    while (std::getline(ss, kv, '&'))
      if (auto eq = kv.find('='); eq != std::string::npos)
        req.query[kv.substr(0, eq)] = kv.substr(eq + 1);
    FollowupGate organizer = [](Action a) -> std::variant<Principal, net::HttpResponse> {
      if (!allowed(Caller::organizer, a)) return net::HttpResponse::error(403, "forbidden", "no");
      return Principal{Caller::organizer, "zhaomin"};
    };
    auto r = route_forum_followup(*store_, clock_, req, kForum, "transcript", organizer);
    EXPECT_TRUE(r.has_value());
    return r ? *r : net::HttpResponse{};
  }

  static std::string header(const net::HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  json demo_;
  std::vector<int64_t> agenda_ids_;
  FakeClock clock_{kT0 + 1'000'000};
};

TEST_F(FollowupExport, JsonAgreesWithTheStore) {
  auto r = get("format=json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(header(r, "Content-Disposition"),
            "attachment; filename=\"" + kForum + "-transcript.json\"");
  json j = json::parse(r.body);
  EXPECT_EQ(j["schema"], "forumcast.transcript.v1");
  EXPECT_EQ(j["forum"]["state"], "ended");
  EXPECT_EQ(j["panel"].size(), demo_["forum"]["panel"].size());
  EXPECT_EQ(j["agenda"].size(), demo_["forum"]["agenda"].size());
  auto rows = *store_->questions().list_questions(kForum);
  ASSERT_EQ(j["counts"]["questions"], 6);
  EXPECT_EQ(j["counts"]["follow_ups"], 1);
  EXPECT_EQ(j["counts"]["comments"], 4);  // one hidden
  EXPECT_EQ(j["counts"]["hidden_comments_omitted"], 1);
  EXPECT_EQ(j["counts"]["tickets"], 2);
  for (const auto& q : j["questions"]) {
    auto row = std::find_if(rows.begin(), rows.end(), [&](auto& x) { return x.id == q["id"]; });
    ASSERT_NE(row, rows.end());
    EXPECT_EQ(q["text"], row->text);
    EXPECT_EQ(q["votes"], row->votes);
    EXPECT_EQ(q["state"], row->state);
    EXPECT_FALSE(q["asker"].contains("device_token"));  // private unless asked
  }
  const json& q1 = j["questions"][0];
  EXPECT_EQ(q1["votes"], 3);
  ASSERT_EQ(q1["on_air"].size(), 1u);
  EXPECT_EQ(q1["on_air"][0]["panelist"], "王红梅");
  EXPECT_EQ(q1["on_air"][0]["replay"], "/f/" + kForum + "/replay?t=300");
  EXPECT_EQ(q1["history"].size(), 4u);
  const json& q2 = j["questions"][1];
  ASSERT_EQ(q2["on_air"].size(), 2u);
  EXPECT_FALSE(q2["on_air"][0]["answered"].get<bool>());
  EXPECT_TRUE(q2["on_air"][1]["answered"].get<bool>());
  ASSERT_EQ(q2["follow_ups"].size(), 1u);
  EXPECT_EQ(q2["ticket_ids"].size(), 2u);
  EXPECT_EQ(j["questions"][5]["reject_reason"], "off_topic");
  const json& t1 = j["tickets"][0];
  EXPECT_EQ(t1["state"], "closed");  // confirmed 5-star rating closes it
  EXPECT_EQ(t1["assignees"][0]["name"], "物业服务中心");
  EXPECT_EQ(t1["ratings"][0]["stars"], 5);
  EXPECT_FALSE(t1["ratings"][0].contains("rater"));
  EXPECT_EQ(t1["history"].size(), store_->tickets().get_ticket(t1["id"])->history.size());
  EXPECT_EQ(j["figures"]["forum"]["asked"], 6);
  EXPECT_EQ(j["figures"]["forum"]["answered_live"], 2);
  EXPECT_EQ(j["figures"]["forum"]["tickets"], 2);
  EXPECT_EQ(j["figures"]["forum"]["resolved"], 1);
  EXPECT_EQ(j["figures"]["forum"]["median_resolve_ms"], 3'600'000);
}

TEST_F(FollowupExport, EveryFormatAgrees) {
  json j = json::parse(get("format=json").body);
  std::vector<std::string> ids, texts;
  for (const auto& q : j["questions"]) {
    ids.push_back(std::to_string(q["id"].get<int64_t>()));
    texts.push_back(q["text"]);
  }
  // CSV: BOM, one row per top-level question, ids in order.
  auto csv = get("format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  ASSERT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_EQ(count_of(csv.body, "\r\n"), ids.size() + 1);
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_NE(csv.body.find("\r\n" + ids[i] + ","), std::string::npos) << ids[i];
    EXPECT_NE(csv.body.find(texts[i]), std::string::npos);
  }
  // Minutes: every question and the follow-up, the answer, the replay link.
  for (const char* f : {"md", "html"}) {
    auto m = get(std::string("format=") + f);
    ASSERT_EQ(m.status, 200);
    EXPECT_NE(m.body.find("广场东侧增设12张长椅"), std::string::npos) << f;
    EXPECT_NE(m.body.find("/f/" + kForum + "/replay?t=600"), std::string::npos) << f;
    EXPECT_NE(m.body.find("王红梅"), std::string::npos) << f;
    EXPECT_EQ(m.body.find("书记讲得很实在"), std::string::npos) << f;  // comments are not minutes
  }
  // VTT: one cue per stretch on air (q1 once, q2 twice).
  auto vtt = get("format=vtt");
  EXPECT_EQ(vtt.content_type, "text/vtt; charset=utf-8");
  EXPECT_EQ(vtt.body.rfind("WEBVTT", 0), 0u);
  EXPECT_EQ(count_of(vtt.body, " --> "), 3u);
  EXPECT_NE(vtt.body.find("00:05:00.000 --> 00:08:00.000"), std::string::npos);
  // XLSX: a zip whose Questions sheet holds every question text and whose Tickets
  // sheet holds both tickets.
  auto x = get("format=xlsx&lang=en");
  ASSERT_EQ(x.status, 200) << x.body;
  EXPECT_EQ(header(x, "Content-Disposition"),
            "attachment; filename=\"" + kForum + "-transcript.xlsx\"");
  const std::string path = dir_ + "/t.xlsx";
  std::ofstream(path, std::ios::binary) << x.body;
  std::string wb = run("unzip -p " + path + " xl/workbook.xml");
  ASSERT_NE(wb.find("Questions"), std::string::npos) << "not an xlsx";
  EXPECT_NE(wb.find("Tickets"), std::string::npos);
  std::string sheets = run("unzip -p " + path + " 'xl/worksheets/sheet*.xml'");
  for (const auto& t : texts) EXPECT_NE(sheets.find(t), std::string::npos) << t;
  EXPECT_NE(sheets.find("施工期间老人通行路线"), std::string::npos);
  EXPECT_EQ(sheets.find("dev-"), std::string::npos);  // no device tokens without contacts
}

TEST_F(FollowupExport, ContactsAndHiddenOnlyWhenAskedAndAudited) {
  auto before = store_->audit().list_audit(kForum, 100)->size();
  json plain = json::parse(get("format=json").body);
  EXPECT_EQ(store_->audit().list_audit(kForum, 100)->size(), before);  // nothing to audit
  json full = json::parse(get("format=json&include_contacts=1&include_hidden=1").body);
  EXPECT_EQ(full["questions"][0]["asker"]["device_token"], "dev-1");
  EXPECT_EQ(full["counts"]["comments"], 5);
  EXPECT_TRUE(full["comments"][2]["hidden"].get<bool>());
  EXPECT_EQ(full["comments"][2]["hidden_by"], "zhaomin");
  auto log = *store_->audit().list_audit(kForum, 1);
  EXPECT_EQ(log[0].action, "transcript.export_contacts");
  EXPECT_EQ(log[0].actor, "zhaomin");
  EXPECT_EQ(get("format=pdf").status, 400);
  EXPECT_EQ(get("format=json&lang=fr").status, 400);
}

TEST_F(FollowupExport, RouteRefusesNonOrganizersAndUnknownForums) {
  net::HttpRequest req;
  req.method = "GET";
  FollowupGate moderator = [](Action a) -> std::variant<Principal, net::HttpResponse> {
    if (!allowed(Caller::moderator, a)) return net::HttpResponse::error(403, "forbidden", "no");
    return Principal{Caller::moderator, "mod"};
  };
  auto r = route_forum_followup(*store_, clock_, req, kForum, "transcript", moderator);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_FALSE(route_forum_followup(*store_, clock_, req, kForum, "state", moderator));
  req.method = "POST";
  EXPECT_EQ(route_forum_followup(*store_, clock_, req, kForum, "transcript", moderator)->status,
            405);
  req.method = "GET";
  EXPECT_EQ(transcript_response(*store_, clock_, "nosuchforu", req, "x").status, 404);
}

TEST_F(FollowupExport, CliWritesTheSameBytesAsTheRoute) {
  for (const char* f : {"json", "csv", "md", "html", "vtt", "xlsx"}) {
    ExportCliOptions o;
    o.forum_id = kForum;
    o.format = f;
    o.output = dir_ + "/out." + f;
    ASSERT_EQ(run_export_command(*store_, clock_, o), 0) << f;
    std::string file = slurp(o.output);
    EXPECT_FALSE(std::filesystem::exists(o.output + ".part"));
    if (std::string(f) == "xlsx") {  // zip timestamps may differ: compare the sheets
      std::string a = run("unzip -p " + o.output + " 'xl/worksheets/sheet1.xml'");
      std::ofstream(dir_ + "/h.xlsx", std::ios::binary) << get("format=xlsx").body;
      EXPECT_EQ(a, run("unzip -p " + dir_ + "/h.xlsx 'xl/worksheets/sheet1.xml'"));
      EXPECT_FALSE(a.empty());
    } else {
      EXPECT_EQ(file, get(std::string("format=") + f).body) << f;
    }
  }
  ExportCliOptions bad;
  bad.forum_id = "nosuchforu";
  bad.output = dir_ + "/nothing.json";
  EXPECT_EQ(run_export_command(*store_, clock_, bad), 1);
  EXPECT_FALSE(std::filesystem::exists(bad.output));
}

}  // namespace
}  // namespace forumcast
