// Room: ordering, seq, history window, resume decisions, coalescing, the
// slow-reader cut-off and presence throttling, with a fake observer.
#include "chat/room.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "chat/protocol.hpp"
#include "core/clock.hpp"

namespace forumcast::chat {
namespace {

using nlohmann::json;

struct FakeObserver : RoomObserver {
  std::vector<Subscriber*> woken;
  std::vector<Subscriber*> cut_off;
  void wake(Subscriber& s) override { woken.push_back(&s); }
  void cut(Subscriber& s) override { cut_off.push_back(&s); }
};

constexpr size_t kHeadroom = 16;

std::string comment(int64_t seq, const std::string& text = "中心广场能不能多放几张长椅?") {
  CommentEvent e;
  e.forum = "k3m9q2xw7a";
  e.seq = seq;
  e.at_ms = 1'764'900'000'000 + seq;
  e.role = "resident";
  e.name = "张阿姨";
  e.compound = "春晖苑一期";
  e.text = text;
  return serialize_comment_event(e);
}

// Everything a subscriber would receive if it wrote until nothing is pending,
// flattened into single events.
std::vector<json> drain(Room& room, Subscriber& s, std::vector<char>& scratch,
                        int* writes = nullptr) {
  std::vector<json> out;
  while (OutBytes b = room.next_batch(s, scratch)) {
    if (writes) ++*writes;
    json j = json::parse(std::string_view(b.data, b.size));
    if (j.is_array())
      for (auto& e : j) out.push_back(e);
    else
      out.push_back(j);
  }
  return out;
}

class chat_room : public ::testing::Test {
 protected:
  ChatLimits limits;
  FakeObserver obs;
  std::vector<char> scratch;
  std::unique_ptr<Room> room;
  void make(int64_t last_seq = 0) {
    room = std::make_unique<Room>("k3m9q2xw7a", "ep0ch", last_seq, std::vector<FramePtr>{}, limits,
                                  kHeadroom, obs);
  }
  void publish_n(int n) {
    for (int i = 0; i < n; ++i) {
      int64_t seq = room->reserve_seq();
      room->publish(seq, comment(seq));
    }
  }
  void TearDown() override { room.reset(); }
};

TEST_F(chat_room, DeliversEveryEventInSeqOrderAndWakesOnlyIdleViewers) {
  make();
  Subscriber a, b;
  room->subscribe(a, std::nullopt);
  room->subscribe(b, std::nullopt);
  publish_n(3);
  // Each viewer was asked to write once, not once per event.
  EXPECT_EQ(obs.woken.size(), 2u);
  for (Subscriber* s : {&a, &b}) {
    auto got = drain(*room, *s, scratch);
    ASSERT_EQ(got.size(), 3u);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(got[i]["ev"], "comment");
      EXPECT_EQ(got[i]["seq"], i + 1);
      EXPECT_EQ(got[i]["forum"], "k3m9q2xw7a");
    }
  }
  room->unsubscribe(a);
  room->unsubscribe(b);
}

TEST_F(chat_room, SingleEventIsTheSharedFrameWithoutACopy) {
  make();
  Subscriber a, b;
  room->subscribe(a, std::nullopt);
  room->subscribe(b, std::nullopt);
  publish_n(1);
  OutBytes x = room->next_batch(a, scratch);
  OutBytes y = room->next_batch(b, scratch);
  EXPECT_EQ(x.data, y.data);  // the same bytes for both receivers
  EXPECT_EQ(std::string_view(x.data, x.size), comment(1));
  room->unsubscribe(a);
  room->unsubscribe(b);
}

TEST_F(chat_room, PendingEventsAreCoalescedIntoOneArrayWriteBoundedInBytes) {
  make();
  Subscriber a;
  room->subscribe(a, std::nullopt);
  publish_n(5);
  OutBytes b = room->next_batch(a, scratch);
  json j = json::parse(std::string_view(b.data, b.size));
  ASSERT_TRUE(j.is_array());
  EXPECT_EQ(j.size(), 5u);
  EXPECT_FALSE(room->has_pending(a));

  // With a small write limit the backlog goes out in several writes, still in order.
  limits.write_max_bytes = comment(6).size() * 2 + 4;
  publish_n(7);
  int writes = 0;
  auto got = drain(*room, a, scratch, &writes);
  ASSERT_EQ(got.size(), 7u);
  EXPECT_GE(writes, 3);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i]["seq"], 6 + static_cast<int>(i));
  room->unsubscribe(a);
}

TEST_F(chat_room, CommitsArrivingOutOfOrderArePublishedInSeqOrderAndFailuresBecomeNoops) {
  make();
  Subscriber a;
  room->subscribe(a, std::nullopt);
  int64_t s1 = room->reserve_seq(), s2 = room->reserve_seq(), s3 = room->reserve_seq();
  room->publish(s3, comment(s3));
  room->publish(s2, "");  // the write of s2 failed
  EXPECT_EQ(room->last_seq(), 0);
  EXPECT_FALSE(room->has_pending(a));
  room->publish(s1, comment(s1));
  EXPECT_EQ(room->last_seq(), 3);
  auto got = drain(*room, a, scratch);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0]["ev"], "comment");
  EXPECT_EQ(got[1]["ev"], "noop");
  EXPECT_EQ(got[1]["seq"], 2);
  EXPECT_EQ(got[2]["seq"], 3);
  room->unsubscribe(a);
}

TEST_F(chat_room, JoinGetsTheLastHistoryEventsOfTheRetainedWindow) {
  limits.history_events = 4;
  limits.retain_events = 10;
  make();
  publish_n(25);
  EXPECT_EQ(room->first_seq(), 16);
  Subscriber a;
  JoinDecision d = room->subscribe(a, std::nullopt);
  EXPECT_FALSE(d.recovered);
  EXPECT_EQ(d.seq, 25);
  ASSERT_EQ(d.events.size(), 4u);
  EXPECT_EQ(d.events.front()->seq(), 22);
  EXPECT_EQ(d.events.back()->seq(), 25);
  room->unsubscribe(a);
}

TEST_F(chat_room, ResumeReplaysExactlyTheMissedEventsInsideTheWindow) {
  limits.history_events = 3;
  limits.retain_events = 10;
  make();
  publish_n(12);
  Subscriber a;
  JoinDecision d = room->subscribe(a, Since{"ep0ch", 7});
  EXPECT_TRUE(d.recovered);
  ASSERT_EQ(d.events.size(), 5u);
  for (size_t i = 0; i < d.events.size(); ++i)
    EXPECT_EQ(d.events[i]->seq(), 8 + static_cast<int64_t>(i));
  room->unsubscribe(a);

  // Oldest resumable point: the seq just before the first retained event.
  d = room->subscribe(a, Since{"ep0ch", 2});
  EXPECT_TRUE(d.recovered);
  EXPECT_EQ(d.events.size(), 10u);
  room->unsubscribe(a);

  d = room->subscribe(a, Since{"ep0ch", 12});  // nothing missed
  EXPECT_TRUE(d.recovered);
  EXPECT_TRUE(d.events.empty());
  room->unsubscribe(a);
}

TEST_F(chat_room, ResumeOutsideTheWindowOrAnotherEpochGivesFreshHistory) {
  limits.history_events = 3;
  limits.retain_events = 10;
  make();
  publish_n(12);
  Subscriber a;
  for (Since since : {Since{"ep0ch", 1}, Since{"other", 10}, Since{"ep0ch", 13}}) {
    JoinDecision d = room->subscribe(a, since);
    EXPECT_FALSE(d.recovered) << since.epoch << " " << since.seq;
    ASSERT_EQ(d.events.size(), 3u);
    EXPECT_EQ(d.events.back()->seq(), 12);
    room->unsubscribe(a);
  }
}

TEST_F(chat_room, StoredTailRestoresTheStreamAfterARestart) {
  std::vector<FramePtr> tail;
  for (int64_t q = 41; q <= 50; ++q) tail.push_back(make_frame(comment(q), kHeadroom, q));
  room = std::make_unique<Room>("k3m9q2xw7a", "ep0ch", 50, std::move(tail), limits, kHeadroom, obs);
  EXPECT_EQ(room->first_seq(), 41);
  Subscriber a;
  JoinDecision d = room->subscribe(a, Since{"ep0ch", 45});
  EXPECT_TRUE(d.recovered);
  ASSERT_EQ(d.events.size(), 5u);
  EXPECT_EQ(room->reserve_seq(), 51);
  room->unsubscribe(a);
}

TEST_F(chat_room, ViewerThatStopsReadingIsCutWhileOthersContinue) {
  limits.send_queue_bytes = comment(1).size() * 10;
  make();
  Subscriber slow, fast;
  room->subscribe(slow, std::nullopt);
  room->subscribe(fast, std::nullopt);
  int delivered = 0;
  for (int i = 0; i < 30; ++i) {
    publish_n(1);
    delivered += static_cast<int>(drain(*room, fast, scratch).size());
    if (slow.room) EXPECT_LE(room->backlog_bytes(slow), limits.send_queue_bytes);
  }
  EXPECT_EQ(delivered, 30);
  ASSERT_EQ(obs.cut_off.size(), 1u);
  EXPECT_EQ(obs.cut_off[0], &slow);
  EXPECT_EQ(slow.room, nullptr);
  EXPECT_EQ(room->viewers(), 1u);
  room->unsubscribe(fast);
}

TEST_F(chat_room, ViewerStillNeedingAnEvictedFrameIsCut) {
  limits.retain_events = 4;
  limits.send_queue_bytes = 1 << 30;
  make();
  Subscriber slow;
  room->subscribe(slow, std::nullopt);
  publish_n(4);
  EXPECT_TRUE(obs.cut_off.empty());
  publish_n(1);  // seq 1 leaves the window; slow has not written it
  ASSERT_EQ(obs.cut_off.size(), 1u);
  EXPECT_EQ(room->viewers(), 0u);
}

TEST_F(chat_room, PresenceIsThrottledAndNeverSentPerJoin) {
  FakeClock clock;
  make();
  std::vector<Subscriber> subs(50);
  for (auto& s : subs) room->subscribe(s, std::nullopt);
  EXPECT_TRUE(obs.woken.empty());  // 50 joins, no presence storm
  room->tick_presence(clock.monotonic_ms());
  EXPECT_EQ(obs.woken.size(), 50u);
  auto got = drain(*room, subs[0], scratch);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["ev"], "presence");
  EXPECT_EQ(got[0]["viewers"], 50);
  EXPECT_EQ(got[0]["seq"], 0);  // presence does not advance the stream

  room->unsubscribe(subs[49]);
  obs.woken.clear();
  clock.advance(1000);
  room->tick_presence(clock.monotonic_ms());
  EXPECT_TRUE(obs.woken.empty());  // within 2 s of the last one
  clock.advance(1000);
  room->tick_presence(clock.monotonic_ms());
  EXPECT_FALSE(obs.woken.empty());
  got = drain(*room, subs[0], scratch);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["viewers"], 49);

  obs.woken.clear();
  clock.advance(5000);
  room->tick_presence(clock.monotonic_ms());  // nothing changed
  EXPECT_TRUE(obs.woken.empty());
  for (size_t i = 0; i + 1 < subs.size(); ++i) room->unsubscribe(subs[i]);
}

TEST_F(chat_room, PresenceRidesInTheSameWriteAsPendingEvents) {
  FakeClock clock;
  make();
  Subscriber a;
  room->subscribe(a, std::nullopt);
  publish_n(2);
  room->tick_presence(clock.monotonic_ms());
  OutBytes b = room->next_batch(a, scratch);
  json j = json::parse(std::string_view(b.data, b.size));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[2]["ev"], "presence");
  EXPECT_EQ(j[2]["seq"], 2);
  EXPECT_FALSE(room->has_pending(a));
  room->unsubscribe(a);
}

}  // namespace
}  // namespace forumcast::chat
