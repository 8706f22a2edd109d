// tests/unit/moderation/slow_mode_test.cpp: minimum interval per resident with
// retry_after_ms, turning it off, and bounded memory.
#include <gtest/gtest.h>

#include "moderation/slow_mode.hpp"

namespace forumcast::moderation {
namespace {

TEST(moderation_slow_mode, OffAllowsEverything) {
  FakeClock clock;
  SlowMode s(clock);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(s.try_post("devhash-1").allowed);
  EXPECT_EQ(s.tracked(), 0u);
}

TEST(moderation_slow_mode, TooEarlyIsRefusedWithTheTimeLeft) {
  FakeClock clock;
  SlowMode s(clock, 10'000);
  EXPECT_TRUE(s.try_post("devhash-1").allowed);
  SlowDecision d = s.try_post("devhash-1");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_ms, 10'000);
  EXPECT_TRUE(s.try_post("devhash-2").allowed) << "each resident has their own interval";
  clock.advance(4'000);
  d = s.try_post("devhash-1");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_ms, 6'000) << "a refused post does not restart the interval";
  clock.advance(6'000);
  EXPECT_TRUE(s.try_post("devhash-1").allowed);
  EXPECT_EQ(s.try_post("devhash-1").retry_after_ms, 10'000);
}

TEST(moderation_slow_mode, ChangingTheInterval) {
  FakeClock clock;
  SlowMode s(clock, 30'000);
  EXPECT_TRUE(s.try_post("devhash-1").allowed);
  s.set_interval(0);
  EXPECT_TRUE(s.try_post("devhash-1").allowed);
  s.set_interval(5'000);
  EXPECT_TRUE(s.try_post("devhash-1").allowed);
  EXPECT_EQ(s.try_post("devhash-1").retry_after_ms, 5'000);
}

TEST(moderation_slow_mode, ForgetsResidentsWhoseIntervalIsOver) {
  FakeClock clock;
  SlowMode s(clock, 1'000);
  for (int i = 0; i < 1'000; ++i) s.try_post("devhash-" + std::to_string(i));
  EXPECT_EQ(s.tracked(), 1'000u);
  clock.advance(1'000);
  EXPECT_TRUE(s.try_post("devhash-new").allowed);
  EXPECT_EQ(s.tracked(), 1u);
}

}  // namespace
}  // namespace forumcast::moderation
