// tests/integration/followup/ticket_routes_test.cpp: the ticket and webhook routes
// through a real net::HttpRouter on a real SQLite store: a moderator makes a ticket
// from a question and works it, an illegal move is refused, the board filters, the
// asker sees public progress only and rates (a low rating with a reason reopens),
// someone else cannot rate, every change queued its webhook delivery in the same
// transaction, and the transcript export shows what the store holds. The caller
// comes from a test header in place of http_api's gate (same signature).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>

#include "server/ticket_routes.hpp"
#include "server/transcript_builder.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace forumcast {
namespace {

using json = nlohmann::json;
constexpr int64_t kT0 = 1'764'900'000'000;
const std::string kForum = "k3m9q2xw7a";

class CaptureResponder final : public net::HttpResponder {
 public:
  void respond(net::HttpResponse r) override { got = std::move(r); }
  net::HttpResponse got;
};

class TicketRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "forumcast-tr-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto s = open_sqlite_store({.path = dir_ + "/forumcast.db"});
    ASSERT_TRUE(s.ok());
    store_ = std::move(s.value());
    Forum f;
    f.id = kForum;
    f.title = "书记论坛 · 第四期:小区微改造,听听大家怎么说";
    f.state = ForumState::ended;
    f.stream_key = "k";
    ASSERT_TRUE(store_->forums().create_forum(f).ok());
    QuestionRow q;
    q.id = 2;
    q.forum_id = kForum;
    q.source = "resident";
    q.asker_device_hash = "dev:hash-asker";
    q.display_name = "李阿姨";
    q.compound = "春晖苑一期";
    q.building = "3号楼";
    q.text = "广场的地砖下雨天特别滑,我妈上个月差点摔倒,改造时能换成防滑的吗?";
    q.category = "problem";
    q.state = "answered";
    q.co_signers_json =
        R"([{"question_id":2,"device_hash":"dev:hash-cosigner","display_name":"王大爷","compound":"桂香里"}])";
    q.created_ms = q.updated_ms = kT0;
    auto p = std::make_shared<std::promise<Status>>();
    store_->questions().apply_question_change({{q}, {}, {}}, [p](Status st) { p->set_value(st); });
    ASSERT_TRUE(p->get_future().get().ok());
    auto p2 = std::make_shared<std::promise<Status>>();
    store_->votes().add_vote({kForum, 2, "dev:hash-cosigner", kT0},
                             [p2](Status st) { p2->set_value(st); });
    ASSERT_TRUE(p2->get_future().get().ok());
    ctx_ = std::make_unique<TicketRoutesContext>(TicketRoutesContext{
        *store_,
        clock_,
        {},
        {.allow_http_loopback = true},
        [this] { ++pokes_; },
        [](const net::HttpRequest& req, Action a) -> std::variant<Principal, net::HttpResponse> {
          std::string who = req.header("x-test-caller");
          Principal p;
          if (who == "organizer") p = {Caller::organizer, "zhaomin"};
          if (who == "moderator") p = {Caller::moderator, "liuyang"};
          if (who.rfind("resident:", 0) == 0) p = {Caller::resident, "", 0, who.substr(9)};
          if (!allowed(p.caller, a))
            return net::HttpResponse::error(403, "forbidden", "your role may not do this");
          return p;
        }});
    register_ticket_routes(router_, *ctx_);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::pair<int, json> call(const std::string& method, const std::string& target,
                            const std::string& caller, const json& body = nullptr) {
    net::HttpRequest req;
    req.method = method;
    auto qm = target.find('?');
    req.path = target.substr(0, qm);
    if (qm != std::string::npos) {
      std::string q = target.substr(qm + 1);
      auto eq = q.find('=');
      req.query[q.substr(0, eq)] = q.substr(eq + 1);
    }
    req.headers["x-test-caller"] = caller;
    req.headers["content-type"] = "application/json";
    if (!body.is_null()) req.body = body.dump();
    auto m = router_.find(method, req.path);
    EXPECT_NE(m.handler, nullptr) << target;
    if (!m.handler) return {0, nullptr};
    auto res = std::make_shared<CaptureResponder>();
    (*m.handler)(req, res);
    return {res->got.status, json::parse(res->got.body, nullptr, false)};
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  FakeClock clock_{kT0 + 1'000'000};
  int pokes_ = 0;
  std::unique_ptr<TicketRoutesContext> ctx_;
  net::HttpRouter router_;
};

TEST_F(TicketRoutes, ATicketFromQuestionToRating) {
  auto [ws, wh] = call("POST", "/api/v1/webhooks", "organizer",
                       {{"url", "http://127.0.0.1:9/hook"}, {"events", {"ticket.*"}}});
  ASSERT_EQ(ws, 201) << wh.dump();
  EXPECT_FALSE(wh["webhook"]["secret"].get<std::string>().empty());
  EXPECT_EQ(call("POST", "/api/v1/webhooks", "moderator", {{"url", "https://x.example/"}}).first,
            403);
  EXPECT_EQ(
      call("POST", "/api/v1/webhooks", "organizer", {{"url", "http://hotline.example/"}}).first,
      400);
  EXPECT_FALSE(
      call("GET", "/api/v1/webhooks", "organizer").second["webhooks"][0].contains("secret"));

  auto [cs, created] = call("POST", "/api/v1/tickets", "moderator",
                            {{"question_id", 2},
                             {"assignees", {{{"kind", "department"}, {"name", "物业服务中心"}}}},
                             {"due_ms", kT0 + 500'000}});
  ASSERT_EQ(cs, 201) << created.dump();
  const json& t = created["ticket"];
  const int64_t id = t["id"];
  EXPECT_EQ(t["state"], "assigned");
  EXPECT_EQ(t["location"]["compound"], "春晖苑一期");
  EXPECT_EQ(t["category"], "problem");
  EXPECT_TRUE(t["overdue"].get<bool>());  // due before the clock's now
  EXPECT_EQ(call("POST", "/api/v1/tickets", "resident:hash-asker", {{"question_id", 2}}).first,
            403);
  EXPECT_EQ(call("POST", "/api/v1/tickets", "moderator", {{"question_id", 99}}).first, 404);

  const std::string base = "/api/v1/tickets/" + std::to_string(id);
  EXPECT_EQ(call("POST", base + "/transition", "moderator",
                 {{"to", "in_progress"}, {"note", "已开工"}, {"public", true}})
                .first,
            200);
  EXPECT_EQ(call("POST", base + "/note", "moderator", {{"note", "内部:材料已订"}}).first, 200);
  auto [ill, illegal] = call("POST", base + "/transition", "moderator", {{"to", "closed"}});
  EXPECT_EQ(ill, 409);
  EXPECT_EQ(illegal["error"]["code"], "illegal_transition");
  EXPECT_EQ(call("POST", base + "/transition", "moderator",
                 {{"to", "resolved"}, {"note", "已更换防滑砖"}, {"public", true}})
                .first,
            200);

  // Board filters.
  EXPECT_EQ(call("GET", "/api/v1/tickets?status=resolved", "organizer").second["tickets"].size(),
            1u);
  EXPECT_EQ(call("GET", "/api/v1/tickets?status=open", "organizer").second["tickets"].size(), 0u);
  EXPECT_EQ(
      call("GET", "/api/v1/tickets?assignee=物业服务中心", "organizer").second["tickets"].size(),
      1u);
  EXPECT_EQ(call("GET", "/api/v1/tickets?compound=桂香里", "organizer").second["tickets"].size(),
            0u);
  EXPECT_EQ(call("GET", "/api/v1/tickets", "resident:hash-asker").first, 403);

  // The asker sees public progress only.
  auto [ms, mine] = call("GET", "/api/v1/my/tickets", "resident:hash-asker");
  ASSERT_EQ(ms, 200);
  ASSERT_EQ(mine["tickets"].size(), 1u);
  EXPECT_EQ(mine["tickets"][0]["progress"].size(), 2u);
  EXPECT_EQ(mine["tickets"][0]["progress"][1]["note"], "已更换防滑砖");
  EXPECT_EQ(mine["tickets"][0].dump().find("内部"), std::string::npos);
  EXPECT_TRUE(mine["tickets"][0]["can_rate"].get<bool>());
  EXPECT_EQ(call("GET", "/api/v1/my/tickets", "resident:hash-stranger").second["tickets"].size(),
            0u);
  EXPECT_EQ(call("POST", base + "/rate", "resident:hash-stranger", {{"stars", 5}}).first, 404);

  // The co-signer confirms (closes); the asker... cannot rate a closed ticket of
  // the same round twice, but may rate it once: 2 stars with a reason reopens it.
  auto [rs, rated] =
      call("POST", base + "/rate", "resident:hash-cosigner", {{"stars", 4}, {"confirmed", true}});
  ASSERT_EQ(rs, 200) << rated.dump();
  EXPECT_EQ(rated["ticket"]["state"], "closed");
  EXPECT_EQ(call("POST", base + "/rate", "resident:hash-cosigner", {{"stars", 5}})
                .second["error"]["code"],
            "already_rated");
  EXPECT_EQ(call("POST", base + "/rate", "resident:hash-asker", {{"stars", 9}}).first, 400);
  auto [ls, low] = call("POST", base + "/rate", "resident:hash-asker",
                        {{"stars", 2}, {"comment", "下雨天还是滑"}});
  ASSERT_EQ(ls, 200) << low.dump();
  EXPECT_EQ(low["ticket"]["state"], "reopened");

  // The store agrees, and every change queued a delivery.
  auto rec = store_->tickets().get_ticket(id);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->ticket.state, "reopened");
  EXPECT_EQ(rec->ratings.size(), 2u);
  EXPECT_EQ(rec->ratings[0].rater_name, "王大爷");
  auto outbox = store_->webhooks().list_outbox("pending", 100);
  ASSERT_TRUE(outbox.ok());
  EXPECT_EQ(outbox->size(),
            6u);  // created, in_progress, note, resolved, rated x2; none for refusals
  EXPECT_EQ(pokes_, 6);
  auto log = store_->audit().list_audit(kForum, 100);
  EXPECT_EQ(log->size(), 6u);  // one audit entry per change
  auto tr = build_transcript(*store_, kForum, kT0 + 2'000'000);
  ASSERT_TRUE(tr.ok());
  ASSERT_EQ(tr->tickets.size(), 1u);
  EXPECT_EQ(tr->tickets[0].history.size(), rec->history.size());
  EXPECT_EQ(tr->tickets[0].ratings[1].comment, "下雨天还是滑");
}

}  // namespace
}  // namespace forumcast

namespace forumcast {
namespace {

TEST_F(TicketRoutes, ResolvedTicketsCloseByThemselvesAfterTheConfiguredDays) {
  auto [cs, created] =
      call("POST", "/api/v1/tickets", "moderator",
           {{"question_id", 2}, {"assignees", {{{"kind", "worker"}, {"name", "张师傅"}}}}});
  ASSERT_EQ(cs, 201);
  const std::string base =
      "/api/v1/tickets/" + std::to_string(created["ticket"]["id"].get<int64_t>());
  ASSERT_EQ(call("POST", base + "/transition", "moderator", {{"to", "in_progress"}}).first, 200);
  ASSERT_EQ(call("POST", base + "/transition", "moderator", {{"to", "resolved"}}).first, 200);
  EXPECT_EQ(close_due_tickets(*ctx_).value(), 0);  // not yet
  clock_.advance(int64_t{7} * 86'400'000);
  EXPECT_EQ(close_due_tickets(*ctx_).value(), 1);
  auto rec = store_->tickets().list_tickets({});
  ASSERT_EQ(rec->size(), 1u);
  EXPECT_EQ((*rec)[0].ticket.state, "closed");
  EXPECT_EQ((*rec)[0].history.back().action, "auto_close");
  EXPECT_EQ(close_due_tickets(*ctx_).value(), 0);
}

}  // namespace
}  // namespace forumcast
