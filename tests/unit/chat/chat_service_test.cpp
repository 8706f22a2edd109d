// ChatService with a fake socket peer, a fake chat log and a FakeClock:
// acknowledgement only after commit, delivery to every viewer, rejections with
// their codes, rate limiting, slow-reader cut-off, resume across a restart.
#include "chat/chat_service.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <nlohmann/json.hpp>

#include "chat/protocol.hpp"
#include "store/chat_log_store.hpp"

namespace forumcast::chat {
namespace {

using nlohmann::json;
constexpr size_t kHeadroom = 16;
const std::string kForum = "k3m9q2xw7a";

struct FakePeer : ChatPeer {
  int wants = 0;
  int close_code = 0;
  void want_write() override { ++wants; }
  void close(int code, std::string_view) override { close_code = code; }
};

// Keeps everything in memory; commits only when the test says so.
struct FakeChatLog : ChatLogStore {
  std::map<std::string, ChatStreamHead> streams;
  std::vector<ChatEventRecord> rows;
  std::deque<std::pair<ChatEventRecord, std::function<void(Status)>>> queued;
  Result<ChatStreamHead> open_stream(const std::string& f, const std::string& epoch,
                                     int64_t) override {
    auto it = streams.try_emplace(f, ChatStreamHead{epoch, 0}).first;
    it->second.last_seq = 0;
    for (auto& r : rows)
      if (r.forum_id == f) it->second.last_seq = std::max(it->second.last_seq, r.seq);
    return it->second;
  }
  Result<std::vector<ChatEventRecord>> load_tail(const std::string& f, size_t limit) override {
    std::vector<ChatEventRecord> out;
    for (auto& r : rows)
      if (r.forum_id == f) out.push_back(r);
    if (out.size() > limit) out.erase(out.begin(), out.end() - static_cast<ptrdiff_t>(limit));
    return out;
  }
  void append_event(ChatEventRecord rec, std::function<void(Status)> done) override {
    queued.emplace_back(std::move(rec), std::move(done));
  }
  void commit_all(bool ok = true) {
    while (!queued.empty()) {
      auto [rec, done] = std::move(queued.front());
      queued.pop_front();
      if (ok) rows.push_back(rec);
      done(ok ? ok_status() : Status(Error{"store_error", "disk full"}));
    }
  }
};

class chat_service : public ::testing::Test {
 protected:
  FakeClock clock;
  FakeChatLog log;
  ChatLimits limits;
  std::unique_ptr<ChatService> svc;

  struct Client {
    FakePeer peer;
    ChatSession* s = nullptr;
  };

  void start() {
    ChatDeps d;
    d.clock = &clock;
    d.log = &log;
    d.headroom = kHeadroom;
    d.authenticate = [](const JoinOp& op) -> Result<Identity> {
      if (op.device == "bad" || op.session == "bad") return Error{"forbidden", "unknown token"};
      if (!op.session.empty()) return Identity{Role::moderator, "staff:mod", "主持人小刘"};
      return Identity{Role::resident, "dev:" + op.device, ""};
    };
    d.forum_state = [](const std::string& f) -> Result<ForumState> {
      if (f == kForum) return ForumState::live;
      if (f == "endedforum") return ForumState::ended;
      return Error{"not_found", "no such forum"};
    };
    d.stream_ms = [this](const std::string&) -> std::optional<int64_t> { return stream_ms; };
    svc = std::make_unique<ChatService>(std::move(d), limits);
  }
  void TearDown() override { svc.reset(); }

  std::unique_ptr<Client> connect() {
    auto c = std::make_unique<Client>();
    c->s = svc->open(c->peer, "127.0.0.1");
    return c;
  }
  // Every message written to the client since the last call, arrays flattened.
  std::vector<json> read(Client& c) {
    std::vector<json> out;
    while (OutBytes b = svc->on_writable(c.s)) {
      json j = json::parse(std::string_view(b.data, b.size));
      if (j.is_array())
        for (auto& e : j) out.push_back(e);
      else
        out.push_back(j);
    }
    return out;
  }
  json send(Client& c, const json& req) {
    svc->on_message(c.s, req.dump());
    auto got = read(c);
    for (auto& m : got)
      if (m.contains("rid") && m["rid"] == req["rid"]) return m;
    return json();
  }
  json join(Client& c, const std::string& device, const std::string& name, json since = nullptr) {
    json req = {{"op", "join"}, {"rid", 1}, {"forum", kForum}, {"device", device}, {"name", name}};
    if (!since.is_null()) req["since"] = since;
    return send(c, req);
  }
  std::optional<int64_t> stream_ms;
};

TEST_F(chat_service, CommentIsAcknowledgedAndDeliveredOnlyAfterCommit) {
  start();
  auto a = connect(), b = connect();
  ASSERT_EQ(join(*a, "d1", "张阿姨")["ok"], true);
  ASSERT_EQ(join(*b, "d2", "李师傅")["ok"], true);
  stream_ms = 120000;
  svc->on_message(a->s, R"({"op":"comment","rid":2,"text":"广场的长椅能多放几张吗?"})");
  EXPECT_TRUE(read(*a).empty());  // not committed: no ack, no event
  EXPECT_TRUE(read(*b).empty());
  ASSERT_EQ(log.queued.size(), 1u);
  log.commit_all();

  auto got_a = read(*a);
  auto got_b = read(*b);
  ASSERT_EQ(got_b.size(), 1u);
  EXPECT_EQ(got_b[0]["ev"], "comment");
  EXPECT_EQ(got_b[0]["seq"], 1);
  EXPECT_EQ(got_b[0]["name"], "张阿姨");
  EXPECT_EQ(got_b[0]["stream_ms"], 120000);
  EXPECT_EQ(log.rows.at(0).body, got_b[0].dump());  // stored exactly as sent
  bool acked = false, saw_event = false;
  for (auto& m : got_a) {
    if (m.contains("rid")) acked = m["ok"] == true && m["seq"] == 1;
    if (m.contains("ev")) saw_event = m["seq"] == 1;
  }
  EXPECT_TRUE(acked);
  EXPECT_TRUE(saw_event);
}

TEST_F(chat_service, RejectionsCarryTheirCodesAndTheConnectionKeepsWorking) {
  start();
  auto a = connect();
  EXPECT_EQ(send(*a, {{"op", "comment"}, {"rid", 1}, {"text", "hi"}})["error"]["code"],
            "not_joined");
  EXPECT_EQ(join(*a, "bad", "王")["error"]["code"], "forbidden");
  json nf = {
      {"op", "join"}, {"rid", 3}, {"forum", "nosuchforum"}, {"device", "d1"}, {"name", "王"}};
  EXPECT_EQ(send(*a, nf)["error"]["code"], "not_found");
  svc->on_message(a->s, "{not json");
  auto r = read(*a);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]["error"]["code"], "bad_request");
  EXPECT_EQ(join(*a, "d1", "王")["ok"], true);
  EXPECT_EQ(
      send(*a, {{"op", "comment"}, {"rid", 5}, {"text", std::string(301, 'x')}})["error"]["code"],
      "too_large");
  EXPECT_EQ(send(*a, {{"op", "fly"}, {"rid", 6}})["error"]["code"], "unknown_op");
  EXPECT_EQ(send(*a, {{"op", "ping"}, {"rid", 7}})["ok"], true);
  EXPECT_EQ(a->peer.close_code, 0);
}

TEST_F(chat_service, EndedForumRefusesComments) {
  start();
  auto a = connect();
  json req = {
      {"op", "join"}, {"rid", 1}, {"forum", "endedforum"}, {"device", "d1"}, {"name", "王"}};
  ASSERT_EQ(send(*a, req)["ok"], true);  // history is still readable
  EXPECT_EQ(send(*a, {{"op", "comment"}, {"rid", 2}, {"text", "还在吗"}})["error"]["code"],
            "forum_closed");
}

TEST_F(chat_service, BurstIsRateLimitedPerDeviceWithRetryAfter) {
  limits.comment_burst = 3;
  limits.comment_refill_ms = 2000;
  start();
  auto a = connect();
  join(*a, "d1", "张阿姨");
  for (int i = 0; i < 3; ++i)
    svc->on_message(a->s, json{{"op", "comment"}, {"rid", 10 + i}, {"text", "顶"}}.dump());
  json limited = send(*a, {{"op", "comment"}, {"rid", 20}, {"text", "顶顶"}});
  EXPECT_EQ(limited["error"]["code"], "rate_limited");
  EXPECT_EQ(limited["error"]["retry_after_ms"], 2000);
  EXPECT_EQ(log.queued.size(), 3u);
  clock.advance(2000);
  svc->on_message(a->s, R"({"op":"comment","rid":21,"text":"顶顶"})");
  EXPECT_EQ(log.queued.size(), 4u);
}

TEST_F(chat_service, FailedWriteIsReportedAndLeavesNoGap) {
  start();
  auto a = connect();
  join(*a, "d1", "张阿姨");
  svc->on_message(a->s, R"({"op":"comment","rid":2,"text":"第一条"})");
  log.commit_all(false);
  auto got = read(*a);
  bool internal = false, noop = false;
  for (auto& m : got) {
    if (m.contains("rid")) internal = m["error"]["code"] == "internal";
    if (m.contains("ev")) noop = m["ev"] == "noop" && m["seq"] == 1;
  }
  EXPECT_TRUE(internal);
  EXPECT_TRUE(noop);
}

TEST_F(chat_service, ViewerThatStopsReadingIsClosedWith4008) {
  limits.send_queue_bytes = 4096;
  limits.comment_burst = 1000;
  start();
  auto poster = connect(), slow = connect();
  join(*poster, "d1", "张阿姨");
  join(*slow, "d2", "睡着了");
  for (int i = 0; i < 40; ++i) {
    svc->on_message(
        poster->s,
        json{{"op", "comment"}, {"rid", 100 + i}, {"text", std::string(200, 'a')}}.dump());
    log.commit_all();
    read(*poster);
  }
  EXPECT_EQ(slow->peer.close_code, kCloseSlowReader);
  EXPECT_EQ(poster->peer.close_code, 0);
  EXPECT_EQ(svc->stats().cut_slow, 1u);
}

TEST_F(chat_service, ResumeAfterRestartReplaysFromTheStore) {
  start();
  auto a = connect();
  json j = join(*a, "d1", "张阿姨");
  std::string epoch = j["epoch"];
  for (int i = 0; i < 5; ++i)
    svc->on_message(
        a->s,
        json{{"op", "comment"}, {"rid", 2 + i}, {"text", "第" + std::to_string(i) + "条"}}.dump());
  log.commit_all();
  svc->on_closed(a->s);
  a.reset();
  svc.reset();  // server restart; the log keeps its rows

  start();
  auto b = connect();
  json r = join(*b, "d1", "张阿姨", {{"epoch", epoch}, {"seq", 3}});
  EXPECT_EQ(r["recovered"], true);
  EXPECT_EQ(r["epoch"], epoch);
  ASSERT_EQ(r["events"].size(), 2u);
  EXPECT_EQ(r["events"][0]["seq"], 4);
  EXPECT_EQ(r["events"][1]["text"], "第4条");
}

TEST_F(chat_service, ConnectionLimitsPerAddressAndInTotal) {
  limits.max_connections_per_ip = 2;
  limits.max_connections = 3;
  start();
  FakePeer p1, p2, p3, p4;
  auto* s1 = svc->open(p1, "10.0.0.1");
  auto* s2 = svc->open(p2, "10.0.0.1");
  EXPECT_EQ(svc->open(p3, "10.0.0.1"), nullptr);
  auto* s3 = svc->open(p3, "10.0.0.2");
  EXPECT_NE(s3, nullptr);
  EXPECT_EQ(svc->open(p4, "10.0.0.3"), nullptr);
  svc->on_closed(s1);
  EXPECT_TRUE(svc->would_admit("10.0.0.1"));
  svc->on_closed(s2);
  svc->on_closed(s3);
}

}  // namespace
}  // namespace forumcast::chat
