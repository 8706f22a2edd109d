// tests/integration/followup/webhook_worker_test.cpp: the webhook worker delivering
// the persisted outbox to a local HTTP receiver (127.0.0.1) with a restart in
// between: deliveries that failed before the restart are retried by the next
// process from the database, every one arrives with a valid signature, none is lost
// and none is recorded twice as delivered. A disabled endpoint's rows go dead.
// Question history is relayed to question.* events once, behind a persisted cursor.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <future>
#include <set>

#include "server/webhook_worker.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "webhook_receiver.hpp"

namespace forumcast {
namespace {

using testing::ReceivedHook;
using testing::WebhookReceiver;

class WebhookWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "forumcast-wh-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    open();
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void open() {
    auto s = open_sqlite_store({.path = dir_ + "/forumcast.db"});
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s.value());
  }
  WebhookWorkerOptions options() {
    WebhookWorkerOptions o;
    o.retry.first_delay_ms = 20;
    o.retry.max_delay_ms = 100;
    o.retry.allow_http_loopback = true;
    o.poll_ms = 100;
    return o;
  }
  std::string dir_;
  std::unique_ptr<Store> store_;
  SystemClock& clock_ = SystemClock::instance();
};

TEST_F(WebhookWorkerTest, NothingIsLostAcrossARestart) {
  WebhookReceiver rx;
  rx.set_status(503);  // the hotline is down at first
  auto ep = store_->webhooks().add_endpoint(
      {0, "", rx.url(), "hotline-secret", R"(["ticket.*"])", true, "zhaomin", clock_.wall_ms()},
      {0, "", "zhaomin", "webhook.add"});
  ASSERT_TRUE(ep.ok());
  std::vector<OutboxRow> rows;
  for (int i = 1; i <= 3; ++i)
    rows.push_back({0, ep->id, "ticket.resolved",
                    R"({"event":"ticket.resolved","ticket":{"id":)" + std::to_string(i) +
                        R"(,"title":"广场地砖更换防滑砖"}})",
                    "pending", 0, clock_.wall_ms(), clock_.wall_ms()});
  ASSERT_TRUE(store_->webhooks().enqueue(rows).ok());
  {
    WebhookWorker first(*store_, clock_, options());
    first.start();
    // Every delivery attempted once and refused.
    ASSERT_TRUE(rx.wait_for([](const auto& got) { return got.size() >= 3; }));
    first.stop();
  }
  // Restart: a new store and worker on the same data directory.
  store_.reset();
  open();
  auto pending = store_->webhooks().list_outbox("pending", 10);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 3u);
  rx.set_status(200);
  WebhookWorker second(*store_, clock_, options());
  second.start();
  ASSERT_TRUE(rx.wait_for([](const std::vector<ReceivedHook>& got) {
    std::set<std::string> ok;
    for (const auto& h : got)
      if (h.answered == 200) ok.insert(h.headers.at("x-forumcast-delivery"));
    return ok.size() == 3;
  }));
  second.stop();
  std::set<std::string> bodies;
  for (const auto& h : rx.received()) {
    EXPECT_EQ(h.headers.at("x-forumcast-event"), "ticket.resolved");
    EXPECT_TRUE(followup::verify_signature("hotline-secret", h.headers.at("x-forumcast-signature"),
                                           h.body, clock_.wall_ms() / 1000))
        << h.headers.at("x-forumcast-signature");
    if (h.answered == 200) bodies.insert(h.body);
  }
  EXPECT_EQ(bodies.size(), 3u);
  auto delivered = store_->webhooks().list_outbox("delivered", 10);
  ASSERT_EQ(delivered->size(), 3u);
  for (const auto& r : *delivered) {
    EXPECT_GE(r.attempts, 2);
    EXPECT_EQ(r.last_status, 200);
    EXPECT_TRUE(r.delivered_ms.has_value());
  }
  EXPECT_TRUE(store_->webhooks().list_outbox("pending", 10)->empty());
}

TEST_F(WebhookWorkerTest, DisabledEndpointRowsGoDead) {
  WebhookReceiver rx;
  auto ep = store_->webhooks().add_endpoint({0, "", rx.url(), "s", "[]", true, "zhaomin", 1},
                                            {0, "", "zhaomin", "webhook.add"});
  ASSERT_TRUE(store_->webhooks()
                  .enqueue({{0, ep->id, "question.answered", "{}", "pending", 0, 1, 1}})
                  .ok());
  ASSERT_TRUE(store_->webhooks()
                  .set_endpoint_active(ep->id, false, {0, "", "zhaomin", "webhook.disable"})
                  .ok());
  WebhookWorker w(*store_, clock_, options());
  EXPECT_EQ(w.run_once(), 0u);
  auto dead = store_->webhooks().list_outbox("dead", 10);
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].last_error, "endpoint disabled");
  EXPECT_TRUE(rx.received().empty());
}

TEST_F(WebhookWorkerTest, QuestionEventsGoToEndpointsThatWantThem) {
  auto& wh = store_->webhooks();
  auto all = wh.add_endpoint({0, "", "https://a.example/", "s", "[]", true, "zhaomin", 1},
                             {0, "", "zhaomin", "webhook.add"});
  auto tickets_only =
      wh.add_endpoint({0, "", "https://b.example/", "s", R"(["ticket.*"])", true, "zhaomin", 1},
                      {0, "", "zhaomin", "webhook.add"});
  auto other_forum =
      wh.add_endpoint({0, "other00000", "https://c.example/", "s", "[]", true, "zhaomin", 1},
                      {0, "", "zhaomin", "webhook.add"});
  ASSERT_TRUE(all.ok() && tickets_only.ok() && other_forum.ok());
  ASSERT_TRUE(
      queue_webhook_event(*store_, "k3m9q2xw7a", "question.answered", R"({"question":{"id":2}})", 5)
          .ok());
  auto rows = wh.list_outbox("pending", 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].endpoint_id, all->id);
  EXPECT_EQ((*rows)[0].event, "question.answered");
  ASSERT_TRUE(queue_webhook_event(*store_, "k3m9q2xw7a", "ticket.created", "{}", 6).ok());
  EXPECT_EQ(wh.list_outbox("pending", 10)->size(), 3u);  // + all, + tickets_only
}

// question_history rows -> question.* outbox rows behind the persisted cursor: a
// new cursor starts at the newest row (nothing old is relayed), each later row is
// relayed once, also after the store is closed and opened again.
TEST_F(WebhookWorkerTest, QuestionHistoryIsRelayedOnceBehindTheCursor) {
  Forum f;
  f.id = "relay00001";
  f.title = "t";
  f.state = ForumState::live;
  f.stream_key = "key-relay";
  ASSERT_TRUE(store_->forums().create_forum(f).ok());
  auto history_of = [&](int64_t id, const char* op, const char* state) {
    QuestionRow q;
    q.id = id;
    q.forum_id = f.id;
    q.source = "resident";
    q.asker_device_hash = "dev:secret-hash";
    q.display_name = "李阿姨";
    q.compound = "春晖苑";
    q.text = "问题" + std::to_string(id);
    q.state = state;
    q.created_ms = q.updated_ms = 1000;
    QuestionChangeRecord rec{{q},
                             {{0,
                               f.id,
                               id,
                               op,
                               "chen",
                               "moderator",
                               1000,
                               {},
                               "",
                               std::string(R"({"state":")") + state + "\"}"}},
                             {}};
    auto p = std::make_shared<std::promise<Status>>();
    store_->questions().apply_question_change(std::move(rec), [p](Status st) { p->set_value(st); });
    return p->get_future().get();
  };
  ASSERT_TRUE(store_->webhooks()
                  .add_endpoint({0, "", "https://a.example/", "s", "[]", true, "zhaomin", 1},
                                {0, "", "zhaomin", "webhook.add"})
                  .ok());
  ASSERT_TRUE(history_of(1, "approve", "approved").ok());  // before the cursor exists
  auto first = relay_question_events(*store_, 2000, 50);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, 0u);
  EXPECT_TRUE(store_->webhooks().list_outbox("", 10)->empty());

  ASSERT_TRUE(history_of(2, "approve", "approved").ok());
  ASSERT_TRUE(history_of(2, "put_on_air", "on_air").ok());
  ASSERT_TRUE(history_of(3, "ask", "pending").ok());  // not an event
  ASSERT_TRUE(history_of(2, "mark_answered", "answered").ok());
  auto second = relay_question_events(*store_, 3000, 50);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 3u);
  auto rows = store_->webhooks().list_outbox("", 10);
  ASSERT_EQ(rows->size(), 3u);
  std::multiset<std::string> events;
  for (const auto& r : *rows) {
    events.insert(r.event);
    EXPECT_EQ(r.body.find("secret-hash"), std::string::npos) << r.body;
  }
  EXPECT_EQ(events, (std::multiset<std::string>{"question.approved", "question.on_air",
                                                "question.answered"}));
  // Closed and opened again: nothing is relayed twice.
  store_.reset();
  open();
  auto again = relay_question_events(*store_, 4000, 50);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(store_->webhooks().list_outbox("", 10)->size(), 3u);
}

}  // namespace
}  // namespace forumcast
