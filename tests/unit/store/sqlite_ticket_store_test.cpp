// tests/unit/store/sqlite_ticket_store_test.cpp: the follow-through store interfaces
// (store/ticket_store.hpp) against a real SQLite file: a ticket round trip with its
// history, ratings, outbox rows and audit entry in one transaction; saves refused on
// a stale version; one rating per rater and round; every list filter (forum,
// category, compound, assignee, state, a resident's questions); webhook endpoints
// and the outbox across a reopen; panel and agenda; the upgrade of a schema-3 file.
#include <gtest/gtest.h>

#include <future>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

namespace forumcast {
namespace {

using testing::TempDir;

constexpr int64_t kT0 = 1'764'900'000'000;
const std::string kForum = "k3m9q2xw7a";

Status wait_done(const std::function<void(StoreDone)>& submit) {
  auto p = std::make_shared<std::promise<Status>>();
  auto fut = p->get_future();
  submit([p](Status st) { p->set_value(std::move(st)); });
  if (fut.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
    return make_error("timeout", "done was not called within 10 s");
  return fut.get();
}

AuditEntry audit(std::string action) {
  AuditEntry a;
  a.forum_id = kForum;
  a.actor = "zhaomin";
  a.action = std::move(action);
  a.at_ms = kT0;
  return a;
}

TicketChange new_ticket(std::string title, std::string category, std::string compound,
                        std::string assignees_json, std::optional<int64_t> question = {}) {
  TicketChange c;
  c.ticket.forum_id = kForum;
  c.ticket.question_id = question;
  c.ticket.thread_id = question;
  c.ticket.title = std::move(title);
  c.ticket.description = "居民在论坛上反映,需跟进";
  c.ticket.category = std::move(category);
  c.ticket.compound = std::move(compound);
  c.ticket.building = "12号楼";
  c.ticket.assignees_json = std::move(assignees_json);
  c.ticket.created_by = "zhaomin";
  c.ticket.created_ms = kT0;
  c.ticket.updated_ms = kT0;
  c.new_events.push_back({0, 0, "create", "open", "open", "zhaomin", kT0, "", false});
  return c;
}

class TicketStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open() {
    auto s = open_sqlite_store({.path = dir_.file("forumcast.db")});
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s.value());
    if (store_->forums().get_forum(kForum).ok()) return;
    Forum f;
    f.id = kForum;
    f.title = "书记论坛 · 第四期:老旧小区加装电梯";
    f.state = ForumState::live;
    f.stream_key = "key-1";
    ASSERT_TRUE(store_->forums().create_forum(f).ok());
    Forum g = f;
    g.id = "other00000";
    g.stream_key = "key-2";
    ASSERT_TRUE(store_->forums().create_forum(g).ok());
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(TicketStoreTest, CreateKeepsHistoryOutboxAndAuditTogether) {
  auto ep = store_->webhooks().add_endpoint(
      {0, "", "https://hotline.example/hook", "s3cret", R"(["ticket.*"])", true, "zhaomin", kT0},
      audit("webhook.add"));
  ASSERT_TRUE(ep.ok()) << ep.error().message;
  TicketChange c = new_ticket("3号楼电梯加装进度", "need", "梅园新村",
                              R"([{"kind":"department","name":"物业服务中心"}])");
  c.outbox.push_back({0, ep->id, "ticket.created", R"({"id":1})", "pending", 0, kT0, kT0});
  c.audit.push_back(audit("ticket.create"));
  auto t = store_->tickets().create_ticket(c);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_GT(t->ticket.id, 0);
  EXPECT_EQ(t->ticket.version, 1);
  EXPECT_EQ(t->ticket.title, "3号楼电梯加装进度");
  EXPECT_EQ(t->ticket.state, "open");
  ASSERT_EQ(t->history.size(), 1u);
  EXPECT_EQ(t->history[0].action, "create");
  EXPECT_EQ(t->history[0].ticket_id, t->ticket.id);
  auto due = store_->webhooks().due_outbox(kT0, 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].event, "ticket.created");
  auto log = store_->audit().list_audit(kForum, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].action, "ticket.create");
}

TEST_F(TicketStoreTest, UnknownForumIsNotFound) {
  TicketChange c = new_ticket("路灯不亮", "problem", "", "[]");
  c.ticket.forum_id = "nosuchforu";
  auto t = store_->tickets().create_ticket(c);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "not_found");
  EXPECT_EQ(store_->tickets().get_ticket(999).error().code, "not_found");
}

TEST_F(TicketStoreTest, SaveAppendsAndRefusesStaleVersions) {
  auto t = store_->tickets().create_ticket(new_ticket("广场地砖防滑", "problem", "春晖苑", "[]"));
  ASSERT_TRUE(t.ok());
  TicketChange ch;
  ch.ticket = t->ticket;
  ch.ticket.state = "resolved";
  ch.ticket.resolution_round = 1;
  ch.ticket.resolved_ms = kT0 + 3'600'000;
  ch.new_events.push_back(
      {0, 0, "transition", "open", "resolved", "zhaomin", kT0 + 1, "已更换防滑砖", true});
  ch.new_ratings.push_back({0, "dev-a", "李阿姨", 5, true, "", kT0 + 2, 1});
  auto saved = store_->tickets().save_ticket(ch);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(saved->ticket.version, 2);
  EXPECT_EQ(saved->ticket.state, "resolved");
  ASSERT_EQ(saved->history.size(), 2u);
  EXPECT_TRUE(saved->history[1].is_public);
  EXPECT_EQ(saved->history[1].note, "已更换防滑砖");
  ASSERT_EQ(saved->ratings.size(), 1u);
  EXPECT_EQ(saved->ratings[0].rater_name, "李阿姨");
  EXPECT_TRUE(saved->ratings[0].confirmed);

  // The same change again is based on version 1: refused, nothing appended.
  auto stale = store_->tickets().save_ticket(ch);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "conflict");
  // A second rating by the same rater in the same round: conflict, rolled back whole.
  TicketChange again;
  again.ticket = saved->ticket;
  again.ticket.state = "closed";
  again.new_ratings.push_back({0, "dev-a", "李阿姨", 1, false, "没修好", kT0 + 3, 1});
  auto dup = store_->tickets().save_ticket(again);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "conflict");
  auto now = store_->tickets().get_ticket(t->ticket.id);
  EXPECT_EQ(now->ticket.state, "resolved");
  EXPECT_EQ(now->ratings.size(), 1u);
  TicketChange missing;
  missing.ticket = saved->ticket;
  missing.ticket.id = 4242;
  EXPECT_EQ(store_->tickets().save_ticket(missing).error().code, "not_found");
}

TEST_F(TicketStoreTest, ListFilters) {
  // A question asked by dev-a, co-signed by dev-b; the ticket made from it.
  QuestionRow q;
  q.id = 7;
  q.forum_id = kForum;
  q.source = "resident";
  q.asker_device_hash = "dev-a";
  q.text = "加装电梯的费用怎么分摊?";
  q.state = "answered";
  q.created_ms = q.updated_ms = kT0;
  ASSERT_TRUE(wait_done([&](StoreDone d) {
                store_->questions().apply_question_change({{q}, {}, {}}, std::move(d));
              }).ok());
  ASSERT_TRUE(wait_done([&](StoreDone d) {
                store_->votes().add_vote({kForum, 7, "dev-b", kT0}, std::move(d));
              }).ok());
  auto& ts = store_->tickets();
  ASSERT_TRUE(
      ts
          .create_ticket(new_ticket(
              "电梯费用分摊方案", "need", "梅园新村",
              R"([{"kind":"department","name":"街道城建科"},{"kind":"worker","name":"张师傅"}])",
              7))
          .ok());
  ASSERT_TRUE(ts.create_ticket(new_ticket("路灯", "problem", "春晖苑",
                                          R"([{"kind":"worker","name":"张师傅"}])"))
                  .ok());
  TicketChange other = new_ticket("别的论坛", "service", "梅园新村", "[]");
  other.ticket.forum_id = "other00000";
  ASSERT_TRUE(ts.create_ticket(other).ok());

  auto count = [&](TicketFilter f) {
    auto r = ts.list_tickets(f);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->size() : 99u;
  };
  EXPECT_EQ(count({}), 3u);
  EXPECT_EQ(count({.forum_id = kForum}), 2u);
  EXPECT_EQ(count({.category = "need"}), 1u);
  EXPECT_EQ(count({.compound = "梅园新村"}), 2u);
  EXPECT_EQ(count({.forum_id = kForum, .compound = "梅园新村"}), 1u);
  EXPECT_EQ(count({.assignee = "张师傅"}), 2u);
  EXPECT_EQ(count({.assignee = "街道城建科"}), 1u);
  EXPECT_EQ(count({.assignee = "张"}), 0u);
  EXPECT_EQ(count({.state = "open"}), 3u);
  EXPECT_EQ(count({.state = "closed"}), 0u);
  EXPECT_EQ(count({.device_hash = "dev-a"}), 1u);  // asked it
  EXPECT_EQ(count({.device_hash = "dev-b"}), 1u);  // co-signed it
  EXPECT_EQ(count({.device_hash = "dev-c"}), 0u);
  EXPECT_EQ(count({.question_id = 7}), 1u);
  EXPECT_EQ(count({.limit = 2}), 2u);
  auto list = ts.list_tickets({.device_hash = "dev-a"});
  EXPECT_EQ((*list)[0].ticket.title, "电梯费用分摊方案");
  EXPECT_EQ((*list)[0].history.size(), 1u);
}

TEST_F(TicketStoreTest, OutboxSurvivesReopenAndRecordsAttempts) {
  auto ep = store_->webhooks().add_endpoint(
      {0, kForum, "https://sms.example/in", "k", "[]", true, "zhaomin", kT0}, audit("webhook.add"));
  ASSERT_TRUE(ep.ok());
  ASSERT_TRUE(
      store_->webhooks()
          .enqueue({{0, ep->id, "question.answered", "{\"q\":1}", "pending", 0, kT0, kT0 + 10},
                    {0, ep->id, "question.answered", "{\"q\":2}", "pending", 0, kT0, kT0 + 20}})
          .ok());
  store_.reset();
  open();
  EXPECT_EQ(store_->webhooks().next_due_ms().value(), kT0 + 10);
  EXPECT_EQ(store_->webhooks().due_outbox(kT0 + 15, 10)->size(), 1u);
  auto due = store_->webhooks().due_outbox(kT0 + 20, 10);
  ASSERT_EQ(due->size(), 2u);
  OutboxRow first = (*due)[0];
  EXPECT_EQ(first.body, "{\"q\":1}");
  first.state = "delivered";
  first.attempts = 1;
  first.delivered_ms = kT0 + 21;
  first.last_status = 204;
  ASSERT_TRUE(store_->webhooks().update_outbox(first).ok());
  EXPECT_EQ(store_->webhooks().due_outbox(kT0 + 20, 10)->size(), 1u);
  auto delivered = store_->webhooks().list_outbox("delivered", 10);
  ASSERT_EQ(delivered->size(), 1u);
  EXPECT_EQ((*delivered)[0].last_status, 204);
  EXPECT_EQ(store_->webhooks().list_endpoints()->at(0).url, "https://sms.example/in");
  ASSERT_TRUE(store_->webhooks().set_endpoint_active(ep->id, false, audit("webhook.disable")).ok());
  EXPECT_FALSE(store_->webhooks().list_endpoints()->at(0).active);
  EXPECT_EQ(store_->webhooks().set_endpoint_active(99, false, audit("x")).error().code,
            "not_found");
  first.id = 999;
  EXPECT_EQ(store_->webhooks().update_outbox(first).error().code, "not_found");
}

TEST_F(TicketStoreTest, PanelAndAgendaInOrder) {
  auto& p = store_->programs();
  ASSERT_TRUE(p.set_panel(kForum,
                          {{"王红梅", "春晖社区党支部书记", "secretary"},
                           {"陈建国", "区住建委工程师", "expert"}},
                          audit("panel.set"))
                  .ok());
  auto panel = p.get_panel(kForum);
  ASSERT_EQ(panel->size(), 2u);
  EXPECT_EQ((*panel)[1].role, "expert");
  auto agenda = p.set_agenda(kForum, {{0, "加装电梯", 30}, {0, "停车难", 20}}, audit("agenda.set"));
  ASSERT_TRUE(agenda.ok()) << agenda.error().message;
  ASSERT_EQ(agenda->size(), 2u);
  EXPECT_GT((*agenda)[0].id, 0);
  // Replacing keeps given ids and the new order.
  auto again = p.set_agenda(kForum, {(*agenda)[1], (*agenda)[0]}, audit("agenda.set"));
  ASSERT_TRUE(again.ok());
  auto got = p.get_agenda(kForum);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].title, "停车难");
  EXPECT_EQ((*got)[0].id, (*agenda)[1].id);
  EXPECT_EQ(p.set_panel("nosuchforu", {}, audit("x")).error().code, "not_found");
  EXPECT_EQ(p.set_panel(kForum, {{"某人", "", "mayor"}}, audit("x")).error().code, "store_error");
  EXPECT_EQ(p.get_panel(kForum)->size(), 2u);  // the refused change left the roster alone
}

TEST(TicketStoreMigration, SchemaThreeDatabaseUpgrades) {
  TempDir dir;
  const std::string path = dir.file("forumcast.db");
  {
    sqlite::SqliteDb db(path, sqlite::ConnectionOptions{});
    ASSERT_TRUE(sqlite::apply_migrations(db, sqlite::migrations().first(3)).ok());
    db.exec(
        "INSERT INTO forums (id, title, state, stream_key, created_ms, updated_ms) VALUES "
        "('k3m9q2xw7a', '书记论坛 · 第四期', 'ended', 'key', 1, 2);");
  }
  auto store = open_sqlite_store({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_GE((*store)->schema_version(), 4);  // later migrations apply on top
  EXPECT_TRUE((*store)->tickets().list_tickets({})->empty());
  auto t = (*store)->tickets().create_ticket(new_ticket("upgrade", "service", "", "[]"));
  EXPECT_TRUE(t.ok());
}

}  // namespace
}  // namespace forumcast
