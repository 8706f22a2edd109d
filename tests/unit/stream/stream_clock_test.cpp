// tests/unit/stream/stream_clock_test.cpp: stream_ms arithmetic across
// publisher reconnects and server restarts: the gap counts as wall time,
// positions follow media time, extrapolation is capped.
#include "stream/stream_clock.hpp"

#include <gtest/gtest.h>

namespace forumcast::stream {
namespace {

constexpr int64_t kWall = 1'764'900'000'000;  // 2025-12-05T02:00:00Z

TEST(StreamClock, AbsentUntilTheFirstSessionAndPositionZeroAtItsFirstPacket) {
  StreamClock c;
  EXPECT_FALSE(c.now(100).has_value());
  EXPECT_EQ(c.begin_session(kWall, 100), 0);
  EXPECT_EQ(c.start_wall_ms(), kWall);
  EXPECT_EQ(c.now(100), 0);
  c.note_media(1000, 1100);
  EXPECT_EQ(c.now(1100), 1000);
  EXPECT_EQ(c.now(1350), 1250);  // extrapolated by monotonic time since the last packet
  EXPECT_EQ(c.now(99999), 1000 + StreamClock::kMaxExtrapolationMs);
  EXPECT_EQ(c.position(500), 500);
}

TEST(StreamClock, AReconnectContinuesWithTheGapCountedAsWallTime) {
  StreamClock c;
  c.begin_session(kWall, 0);
  c.note_media(60'000, 60'000);  // one minute of media
  c.end_session(kWall + 60'000);
  EXPECT_FALSE(c.now(60'500).has_value());
  EXPECT_EQ(c.end_pos_ms(), 60'000);
  // the publisher comes back 7.5 s later
  EXPECT_EQ(c.begin_session(kWall + 67'500, 67'500), 67'500);
  EXPECT_EQ(c.now(67'500), 67'500);
  c.note_media(2'000, 69'500);
  EXPECT_EQ(c.now(69'500), 69'500);
  EXPECT_EQ(c.position(2'000), 69'500);
  c.end_session(kWall + 69'500);
  // a third session after a 30-minute break
  EXPECT_EQ(c.begin_session(kWall + 69'500 + 1'800'000, 0), 69'500 + 1'800'000);
  EXPECT_EQ(c.start_wall_ms(), kWall);  // position 0 never moves
}

TEST(StreamClock, ClockSkewNeverMovesPositionsBackwards) {
  StreamClock c;
  c.begin_session(kWall, 0);
  c.note_media(10'000, 10'000);
  c.end_session(kWall + 10'000);
  // wall clock stepped back 5 s (NTP): the gap counts as zero, not negative
  EXPECT_EQ(c.begin_session(kWall + 5'000, 12'000), 10'000);
}

TEST(StreamClock, MediaTimeGoingBackDoesNotRewind) {
  StreamClock c;
  c.begin_session(kWall, 0);
  c.note_media(5'000, 5'000);
  c.note_media(4'000, 5'040);  // late audio packet
  EXPECT_EQ(c.written_ms(), 5'000);
}

TEST(StreamClock, RestoreAfterAServerRestartContinuesTheTimeline) {
  StreamClock c;
  c.restore(kWall, 120'000, kWall + 121'000);
  EXPECT_TRUE(c.started());
  EXPECT_FALSE(c.live());
  EXPECT_FALSE(c.now(0).has_value());
  // the server comes back and the publisher reconnects 1 minute after the last segment
  EXPECT_EQ(c.begin_session(kWall + 181'000, 5), 180'000);
  EXPECT_EQ(c.start_wall_ms(), kWall);
}

}  // namespace
}  // namespace forumcast::stream
