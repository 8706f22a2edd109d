// The chat relay on the real server: delivery in order to every viewer, each
// kind of bad input with its documented answer (the connection or the server
// keeps working), a rate-limited burst, and a viewer that stops reading being
// cut off (4008) while another keeps receiving everything.
#include <gtest/gtest.h>

#include <thread>

#include "chat_client.hpp"
#include "support/test_server.hpp"

namespace forumcast::test {
namespace {

const std::string kForum = "demoforum4";  // created live by --demo

std::string repeat(const std::string& unit, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += unit;
  return s;
}

class chat_relay : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), "--demo");
    server = std::make_unique<TestServer>(TestServerOptions{"", extra, ""});
    ASSERT_TRUE(server->start()) << server->stderr_text();
  }
  std::unique_ptr<ChatClient> joined(const std::string& name) {
    auto c = std::make_unique<ChatClient>();
    EXPECT_TRUE(c->connect(server->port()));
    std::string device = new_device_token(server->port());
    EXPECT_FALSE(device.empty());
    json r = c->join(kForum, device, name);
    EXPECT_EQ(r["ok"], true) << r.dump();
    return c;
  }
  std::unique_ptr<TestServer> server;
};

TEST_F(chat_relay, TwoViewersSeeEachOthersCommentsInTheSameOrder) {
  start();
  auto a = joined("张阿姨");
  auto b = joined("李师傅");
  std::vector<std::pair<ChatClient*, std::string>> posts = {
      {a.get(), "中心广场荒废好几年了,能不能多放几张长椅?"},
      {b.get(), "楼道里的电动车什么时候清理?"},
      {a.get(), "赞成多放长椅"},
      {b.get(), "租客也想参加社区活动"}};
  int64_t first_seq = -1;
  for (auto& [who, text] : posts) {
    json ack = who->comment(text);
    ASSERT_EQ(ack["ok"], true) << ack.dump();
    if (first_seq < 0) first_seq = ack["seq"];
  }
  for (ChatClient* viewer : {a.get(), b.get()}) {
    for (size_t i = 0; i < posts.size(); ++i) {
      auto ev = viewer->next_event("comment");
      ASSERT_TRUE(ev);
      EXPECT_EQ((*ev)["seq"], first_seq + static_cast<int64_t>(i));
      EXPECT_EQ((*ev)["text"], posts[i].second);
      EXPECT_EQ((*ev)["name"], posts[i].first == a.get() ? "张阿姨" : "李师傅");
      EXPECT_EQ((*ev)["forum"], kForum);
    }
  }
}

TEST_F(chat_relay, OversizedFrameIsClosedWith1009AndTheServerKeepsWorking) {
  start();
  auto a = joined("张阿姨");
  ASSERT_TRUE(a->ws.send_text(
      json{{"op", "comment"}, {"rid", 1}, {"text", std::string(9000, 'x')}}.dump()));
  EXPECT_EQ(a->ws.wait_close(), 1009);
  auto b = joined("李师傅");
  EXPECT_EQ(b->comment("还能发言吗?")["ok"], true);
}

TEST_F(chat_relay, BadRequestsGetTheirCodesAndTheConnectionKeepsWorking) {
  start();
  auto a = joined("张阿姨");
  ASSERT_TRUE(a->ws.send_text("{\"op\":\"comment\",\"rid\":"));
  ASSERT_TRUE(a->pump(std::chrono::seconds(10)));
  ASSERT_FALSE(a->replies.empty());
  EXPECT_EQ(a->replies.back()["error"]["code"], "bad_request");
  EXPECT_TRUE(a->replies.back()["rid"].is_null());

  EXPECT_EQ(a->request({{"op", "vote_twice"}})["error"]["code"], "unknown_op");
  json too_long = a->comment(repeat("长", 301));
  EXPECT_EQ(too_long["error"]["code"], "too_large");
  EXPECT_FALSE(too_long["error"]["message"].get<std::string>().empty());
  EXPECT_EQ(a->comment(repeat("长", 300))["ok"], true);  // 300 characters, 900 bytes: fine
  EXPECT_EQ(a->comment(" \u3000 ")["error"]["code"], "bad_request");
  EXPECT_EQ(a->comment("楼道灯坏了")["ok"], true);
}

TEST_F(chat_relay, InvalidUtf8IsClosedWith1007AndOthersAreUnaffected) {
  start();
  auto a = joined("张阿姨");
  auto b = joined("李师傅");
  ASSERT_TRUE(a->ws.send_text("{\"op\":\"comment\",\"rid\":5,\"text\":\"\xff\xfe\"}"));
  EXPECT_EQ(a->ws.wait_close(), 1007);
  EXPECT_EQ(b->comment("我这边正常")["ok"], true);
}

TEST_F(chat_relay, BurstIsRateLimitedWithRetryAfterAndTheClientCanRetry) {
  start({"--chat.comment_burst", "3", "--chat.comment_refill_ms", "600000"});
  auto a = joined("张阿姨");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(a->comment("顶 " + std::to_string(i))["ok"], true);
  json limited = a->comment("再顶一次");
  EXPECT_EQ(limited["ok"], false);
  EXPECT_EQ(limited["error"]["code"], "rate_limited");
  EXPECT_GT(limited["error"]["retry_after_ms"].get<int64_t>(), 0);
  // Another device is not limited by the first one's burst.
  auto b = joined("李师傅");
  EXPECT_EQ(b->comment("我也说一句")["ok"], true);
}

TEST_F(chat_relay, ViewerThatStopsReadingIsCutOffWhileAnotherReceivesEverything) {
  // Large comments fill the kernel's socket buffers quickly; the chat's own
  // backlog bound (send_queue_bytes) then decides.
  start({"--chat.send_queue_bytes", "262144", "--chat.comment_max_chars", "10000",
         "--limits.ws_message_max_bytes", "65536", "--chat.comment_burst", "100000"});
  auto slow = joined("睡着的观众");
  auto fast = joined("李师傅");
  auto poster = joined("张阿姨");
  const std::string big = repeat("楼", 9000);  // ~27 KB per event
  const int kComments = 250;                   // ~7 MB in total

  // The attentive viewer reads on its own thread, as a browser would.
  std::vector<int64_t> seqs;
  std::thread reader([&] {
    while (static_cast<int>(seqs.size()) < kComments) {
      auto e = fast->next_event("comment", std::chrono::seconds(20));
      if (!e) return;
      seqs.push_back((*e)["seq"].get<int64_t>());
    }
  });
  int acked = 0;
  for (int i = 0; i < kComments; ++i) {
    json ack = poster->comment(big);
    if (ack["ok"] != true) break;
    ++acked;
    poster->events.clear();
  }
  reader.join();
  EXPECT_EQ(acked, kComments);
  ASSERT_EQ(static_cast<int>(seqs.size()), kComments);
  for (size_t i = 1; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], seqs[i - 1] + 1);
  // The sleeper finds, after what was already in its socket, a 4008 close.
  EXPECT_EQ(slow->ws.wait_close(std::chrono::seconds(30)), 4008);
}

}  // namespace
}  // namespace forumcast::test
