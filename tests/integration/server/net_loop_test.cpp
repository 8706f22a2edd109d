// tests/integration/server/net_loop_test.cpp: the net::Loop contract in-process,
// with handlers written for the test: defer() from other threads, responses
// completed later from another thread, timers, the byte-bounded WebSocket send
// queue (close 1008), and stop() from another thread ending run() with 1001.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "net/loop.hpp"
#include "support/http_client.hpp"
#include "support/wait.hpp"
#include "support/ws_client.hpp"

namespace forumcast::test {
namespace {

// Echoes text; "flood N BYTES" queues N messages of BYTES each at once.
class TestWs final : public net::WsHandler {
 public:
  void on_open(net::WsConnection&) override { ++opened; }
  void on_message(net::WsConnection& c, std::string_view text) override {
    unsigned n = 0, bytes = 0;
    if (std::sscanf(std::string(text).c_str(), "flood %u %u", &n, &bytes) == 2) {
      auto msg = std::make_shared<const std::string>(bytes, 'x');
      for (unsigned i = 0; i < n; ++i)
        if (!c.send(msg)) {
          ++refused;
          break;
        }
      return;
    }
    c.send(std::make_shared<const std::string>(text));
  }
  void on_close(net::WsConnection&) override { ++closed; }
  std::atomic<int> opened{0}, closed{0}, refused{0};
};

class ServerNetLoop : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add_sync_route("GET", "/sync", [](const net::HttpRequest& r) {
      return net::HttpResponse::json(200, "{\"q\":\"" + r.query_param("q") + "\"}");
    });
    router_.add_route("GET", "/later", [this](const net::HttpRequest&, net::HttpResponderPtr res) {
      // Answered from another thread, as a slow handler would.
      workers_.emplace_back(
          [res] { res->respond(net::HttpResponse::json(200, "{\"later\":true}")); });
    });
    net::LoopOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.ws_send_queue_max_bytes = 64 * 1024;
    loop_ = std::make_unique<net::Loop>(o, router_, &ws_);
    ASSERT_TRUE(loop_->listen().ok());
    thread_ = std::thread([this] { loop_->run(); });
  }
  void TearDown() override {
    loop_->stop();
    if (thread_.joinable()) thread_.join();
    for (auto& t : workers_) t.join();
  }
  int port() { return loop_->port(); }

  net::HttpRouter router_;
  TestWs ws_;
  std::unique_ptr<net::Loop> loop_;
  std::thread thread_;
  std::vector<std::thread> workers_;  // touched on the loop thread only until TearDown
};

TEST_F(ServerNetLoop, SyncAndDeferredResponses) {
  auto a = http_get(port(), "/sync?q=abc");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "{\"q\":\"abc\"}");
  auto b = http_get(port(), "/later");
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(b.body, "{\"later\":true}");
}

TEST_F(ServerNetLoop, DeferRunsOnTheLoopThreadFromManyThreads) {
  std::promise<std::thread::id> loop_id;
  loop_->defer([&] { loop_id.set_value(std::this_thread::get_id()); });
  std::thread::id id = loop_id.get_future().get();
  std::atomic<int> ran{0};
  std::atomic<bool> wrong_thread{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t)
    senders.emplace_back([&] {
      for (int i = 0; i < 250; ++i)
        loop_->defer([&] {
          if (std::this_thread::get_id() != id) wrong_thread = true;
          ++ran;
        });
    });
  for (auto& s : senders) s.join();
  EXPECT_TRUE(wait_until([&] { return ran.load() == 1000; }));
  EXPECT_FALSE(wrong_thread.load());
}

TEST_F(ServerNetLoop, TimersFireInOrderAndCanBeCancelled) {
  std::vector<int> fired;
  std::atomic<bool> done{false};
  loop_->defer([&] {
    uint64_t cancelled = loop_->add_timer(5, [&] { fired.push_back(99); });
    loop_->add_timer(20, [&] { fired.push_back(2); });
    loop_->add_timer(1, [&] { fired.push_back(1); });
    loop_->add_timer(40, [&] { done = true; });
    loop_->cancel_timer(cancelled);
  });
  ASSERT_TRUE(wait_until([&] { return done.load(); }));
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
}

TEST_F(ServerNetLoop, EchoAndSendQueueLimit) {
  WsClient c;
  ASSERT_TRUE(c.connect(port()));
  ASSERT_TRUE(c.send_text("你好"));
  EXPECT_EQ(c.read_text().value_or(""), "你好");
  // 100 x 4 KiB queued at once is over the 64 KiB queue: the sender is told and
  // the client is cut off with 1008.
  ASSERT_TRUE(c.send_text("flood 100 4096"));
  EXPECT_EQ(c.wait_close(), 1008);
  EXPECT_EQ(ws_.refused.load(), 1);
  EXPECT_TRUE(wait_until([&] { return ws_.closed.load() == 1; }));
}

TEST_F(ServerNetLoop, StopClosesWebSocketsWithGoingAwayAndReturns) {
  WsClient a, b;
  ASSERT_TRUE(a.connect(port()));
  ASSERT_TRUE(b.connect(port()));
  ASSERT_TRUE(wait_until([&] { return ws_.opened.load() == 2; }));
  std::thread stopper([&] { loop_->stop(); });
  EXPECT_EQ(a.wait_close(), 1001);
  EXPECT_EQ(b.wait_close(), 1001);
  stopper.join();
  thread_.join();  // run() returned
  EXPECT_EQ(ws_.closed.load(), 2);
}

}  // namespace
}  // namespace forumcast::test
