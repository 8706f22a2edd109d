// RateLimiter: a burst is allowed, then the reply says when to retry.
#include "chat/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace forumcast::chat {
namespace {

TEST(chat_rate_limiter, BurstThenRetryAfterUntilRefilled) {
  RateLimiter rl(3, 2000);
  int64_t t = 1000;
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(rl.take("dev-a", t)) << i;
  auto wait = rl.take("dev-a", t);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 2000);
  EXPECT_FALSE(rl.take("dev-b", t));  // devices are independent
  auto later = rl.take("dev-a", t + 1500);
  ASSERT_TRUE(later);
  EXPECT_EQ(*later, 500);
  EXPECT_FALSE(rl.take("dev-a", t + 2000));
  EXPECT_TRUE(rl.take("dev-a", t + 2000));
}

TEST(chat_rate_limiter, PruneForgetsOnlyFullBuckets) {
  RateLimiter rl(2, 1000);
  EXPECT_FALSE(rl.take("a", 0));
  EXPECT_FALSE(rl.take("b", 900));
  rl.prune(1000);
  EXPECT_EQ(rl.size(), 1u);  // "b" is still refilling
  rl.prune(1900);
  EXPECT_EQ(rl.size(), 0u);
}

}  // namespace
}  // namespace forumcast::chat
