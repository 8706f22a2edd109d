// tests/unit/followup/webhook_test.cpp: webhook signing (RFC 4231 vectors,
// verification, replay window), URL rules, event matching, the retry schedule,
// and real deliveries with libcurl to an HTTP receiver on 127.0.0.1 (port 0)
// started by the test: a 500 then a 200, a refused connection, a permanent 404.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <mutex>
#include <thread>

#include "followup/webhook_delivery.hpp"
#include "followup/webhook_outbox.hpp"

namespace forumcast::followup {
namespace {

TEST(followup_webhook, hmac_matches_rfc4231) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const std::string key(131, '\xaa');  // longer than the block size (test case 6)
  EXPECT_EQ(hmac_sha256_hex(key, "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(followup_webhook, signature_verifies_and_rejects_tampering_and_replay) {
  const std::string body = R"({"event":"ticket.resolved","ticket":{"id":3,"title":"顶楼漏水"}})";
  const std::string h = signature_header("s3cret", 1'796'450'400, body);
  EXPECT_EQ(h.rfind("t=1796450400,v1=", 0), 0u);
  EXPECT_TRUE(verify_signature("s3cret", h, body, 1'796'450'400));
  EXPECT_TRUE(verify_signature("s3cret", h, body, 1'796'450'400 + 300));
  EXPECT_FALSE(verify_signature("s3cret", h, body, 1'796'450'400 + 301));  // replayed later
  EXPECT_FALSE(verify_signature("other", h, body, 1'796'450'400));
  EXPECT_FALSE(verify_signature("s3cret", h, body + " ", 1'796'450'400));
  EXPECT_FALSE(verify_signature("s3cret", "t=abc,v1=00", body, 1'796'450'400));
  EXPECT_FALSE(verify_signature("s3cret", "", body, 1'796'450'400));
}

TEST(followup_webhook, url_rules) {
  RetryPolicy strict;
  EXPECT_TRUE(validate_webhook_url("https://hotline.example.gov.cn/api/forumcast", strict).ok());
  EXPECT_EQ(validate_webhook_url("http://hotline.example.gov.cn/x", strict).error().code,
            "invalid_webhook_url");
  EXPECT_FALSE(validate_webhook_url("http://127.0.0.1:8080/x", strict).ok());
  EXPECT_FALSE(validate_webhook_url("ftp://example.com", strict).ok());
  EXPECT_FALSE(validate_webhook_url("https://", strict).ok());
  EXPECT_FALSE(validate_webhook_url("https://user:pw@example.com/x", strict).ok());
  EXPECT_FALSE(validate_webhook_url("https://exa mple.com/", strict).ok());
  RetryPolicy local;
  local.allow_http_loopback = true;
  EXPECT_TRUE(validate_webhook_url("http://127.0.0.1:8080/x", local).ok());
  EXPECT_TRUE(validate_webhook_url("http://localhost/x", local).ok());
  EXPECT_FALSE(validate_webhook_url("http://10.0.0.8/x", local).ok());
}

TEST(followup_webhook, event_matching_and_fan_out) {
  WebhookEndpoint all{1, "https://a.example/", "k", {}, true};
  WebhookEndpoint tickets{2, "https://b.example/", "k", {"ticket.*"}, true};
  WebhookEndpoint answered{3, "https://c.example/", "k", {"question.answered"}, true};
  WebhookEndpoint off{4, "https://d.example/", "k", {}, false};
  EXPECT_TRUE(endpoint_wants(tickets, "ticket.resolved"));
  EXPECT_FALSE(endpoint_wants(tickets, "tickets.x"));
  EXPECT_FALSE(endpoint_wants(answered, "question.approved"));
  EXPECT_FALSE(endpoint_wants(off, "ticket.resolved"));
  WebhookOutbox box;
  int64_t next = 10;
  auto es = box.fan_out({all, tickets, answered, off}, "ticket.resolved", "{}", 5000, next);
  ASSERT_EQ(es.size(), 2u);
  EXPECT_EQ(es[0].endpoint_id, 1);
  EXPECT_EQ(es[1].endpoint_id, 2);
  EXPECT_EQ(es[1].id, 11);
  EXPECT_EQ(next, 12);
  EXPECT_EQ(es[0].state, OutboxState::pending);
  EXPECT_EQ(box.due(es, 4999).size(), 0u);
  EXPECT_EQ(box.due(es, 5000).size(), 2u);
}

TEST(followup_webhook, retry_schedule_and_outcomes) {
  WebhookOutbox box(
      RetryPolicy{.first_delay_ms = 10'000, .max_delay_ms = 3'600'000, .max_attempts = 4});
  EXPECT_EQ(box.backoff_ms(1), 10'000);
  EXPECT_EQ(box.backoff_ms(2), 20'000);
  EXPECT_EQ(box.backoff_ms(3), 40'000);
  EXPECT_EQ(box.backoff_ms(9), 2'560'000);
  EXPECT_EQ(box.backoff_ms(10), 3'600'000);
  EXPECT_EQ(box.backoff_ms(60), 3'600'000);

  OutboxEntry e;
  box.record(e, {503, ""}, 1000);
  EXPECT_EQ(e.state, OutboxState::pending);
  EXPECT_EQ(e.next_attempt_ms, 11'000);
  box.record(e, {0, "Connection refused"}, 11'000);
  EXPECT_EQ(e.next_attempt_ms, 31'000);
  EXPECT_EQ(e.last_error, "Connection refused");
  box.record(e, {429, ""}, 31'000);
  EXPECT_EQ(e.state, OutboxState::pending);
  box.record(e, {500, ""}, 71'000);
  EXPECT_EQ(e.state, OutboxState::dead);  // fourth attempt was the last
  EXPECT_EQ(e.attempts, 4);

  OutboxEntry gone;
  box.record(gone, {404, ""}, 1000);
  EXPECT_EQ(gone.state, OutboxState::dead);  // permanent
  OutboxEntry ok;
  box.record(ok, {204, ""}, 1000);
  EXPECT_EQ(ok.state, OutboxState::delivered);
  EXPECT_EQ(ok.delivered_ms, 1000);
  box.record(ok, {500, ""}, 2000);  // nothing changes after delivery
  EXPECT_EQ(ok.state, OutboxState::delivered);
  EXPECT_EQ(ok.attempts, 1);
}

// A one-thread HTTP/1.1 receiver on 127.0.0.1: answers each request with the
// next scripted status and keeps what it received.
class Receiver {
 public:
  struct Request {
    std::string head, body;
  };
  explicit Receiver(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10,
               0};  // a receiver that never gets its request gives up instead of hanging the test
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 8) != 0)
      return;
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~Receiver() {
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  std::vector<Request> requests() {
    if (thread_.joinable()) thread_.join();  // served every scripted request
    std::lock_guard<std::mutex> l(mu_);
    return got_;
  }

 private:
  void serve() {
    for (int status : statuses_) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv_, sizeof tv_);
      std::string data;
      char buf[4096];
      size_t need = std::string::npos;
      while (true) {
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        data.append(buf, static_cast<size_t>(n));
        const size_t end = data.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        if (need == std::string::npos) {
          std::string lower = data.substr(0, end);
          for (auto& ch : lower)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          const size_t cl = lower.find("content-length: ");
          need = end + 4 + (cl == std::string::npos ? 0 : std::stoul(lower.substr(cl + 16)));
        }
        if (data.size() >= need) break;
      }
      const size_t end = data.find("\r\n\r\n");
      {
        std::lock_guard<std::mutex> l(mu_);
        got_.push_back({data.substr(0, end), end == std::string::npos ? "" : data.substr(end + 4)});
      }
      const std::string reply = "HTTP/1.1 " + std::to_string(status) +
                                " X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
      (void)::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }

  std::vector<int> statuses_;
  timeval tv_{10, 0};
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Request> got_;  // guarded by mu_
};

std::string header_value(const std::string& head, const std::string& name) {
  const size_t p = head.find("\r\n" + name + ": ");
  if (p == std::string::npos) return "";
  const size_t s = p + 4 + name.size();
  return head.substr(s, head.find("\r\n", s) - s);
}

TEST(followup_webhook, delivers_retries_and_signs_over_loopback) {
  Receiver rx({500, 200});
  ASSERT_GT(rx.port(), 0);
  RetryPolicy p;
  p.allow_http_loopback = true;
  WebhookOutbox box(p);
  WebhookEndpoint ep{7,
                     "http://127.0.0.1:" + std::to_string(rx.port()) + "/hook",
                     "市民热线-secret",
                     {"ticket.*"},
                     true};
  ASSERT_TRUE(validate_webhook_url(ep.url, p).ok());
  const std::string body =
      R"({"event":"ticket.resolved","ticket":{"id":3,"title":"顶楼漏水,\"四年\""}})";
  int64_t next = 1;
  int64_t now = 1'796'450'400'000;
  std::vector<OutboxEntry> outbox = box.fan_out({ep}, "ticket.resolved", body, now, next);
  ASSERT_EQ(outbox.size(), 1u);

  for (int round = 0; round < 2; ++round) {
    auto due = box.due(outbox, now);
    ASSERT_EQ(due.size(), 1u) << "round " << round;
    const DeliveryResult r = deliver_webhook(box.sign(*due[0], ep, now));
    EXPECT_EQ(r.error, "");
    box.record(outbox[0], r, now);
    if (round == 0) {
      EXPECT_EQ(r.status, 500);
      EXPECT_EQ(outbox[0].state, OutboxState::pending);
      EXPECT_TRUE(box.due(outbox, now).empty());
      now = outbox[0].next_attempt_ms;
    }
  }
  EXPECT_EQ(outbox[0].state, OutboxState::delivered);
  EXPECT_EQ(outbox[0].attempts, 2);
  EXPECT_EQ(outbox[0].last_status, 200);

  const auto got = rx.requests();
  ASSERT_EQ(got.size(), 2u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].head.rfind("POST /hook HTTP/1.1", 0), 0u);
    EXPECT_EQ(got[i].body, body);
    EXPECT_EQ(header_value(got[i].head, "Content-Type"), "application/json");
    EXPECT_EQ(header_value(got[i].head, "X-Forumcast-Event"), "ticket.resolved");
    EXPECT_EQ(header_value(got[i].head, "X-Forumcast-Delivery"), "1");
    EXPECT_EQ(header_value(got[i].head, "X-Forumcast-Attempt"), std::to_string(i + 1));
    const std::string sig = header_value(got[i].head, "X-Forumcast-Signature");
    EXPECT_TRUE(verify_signature(ep.secret, sig, got[i].body, now / 1000)) << sig;
    EXPECT_FALSE(verify_signature("wrong", sig, got[i].body, now / 1000));
  }
}

TEST(followup_webhook, refused_connection_and_permanent_failure) {
  // A port with nobody listening: bind, read the port, close.
  int port = 0;
  {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    ::close(fd);
  }
  WebhookOutbox box(RetryPolicy{.allow_http_loopback = true});
  WebhookEndpoint ep{1, "http://127.0.0.1:" + std::to_string(port) + "/", "k", {}, true};
  OutboxEntry e;
  e.id = 1;
  e.event = "question.answered";
  e.body = "{}";
  const DeliveryResult r = deliver_webhook(box.sign(e, ep, 1000));
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
  box.record(e, r, 1000);
  EXPECT_EQ(e.state, OutboxState::pending);
  EXPECT_EQ(e.next_attempt_ms, 11'000);

  Receiver rx({404});
  WebhookEndpoint gone{2, "http://127.0.0.1:" + std::to_string(rx.port()) + "/old", "k", {}, true};
  OutboxEntry g;
  g.id = 2;
  g.body = "{}";
  box.record(g, deliver_webhook(box.sign(g, gone, 1000)), 1000);
  EXPECT_EQ(g.state, OutboxState::dead);
  EXPECT_EQ(g.last_status, 404);
  EXPECT_EQ(rx.requests().size(), 1u);
}

}  // namespace
}  // namespace forumcast::followup
