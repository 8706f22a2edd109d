// Unit tests for core/random: formats and uniqueness of ids and tokens.
#include "core/random.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace forumcast;

TEST(Random, ForumIdsAreTenBase32Chars) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = new_forum_id();
    ASSERT_EQ(id.size(), 10u);
    EXPECT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567"), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Random, TokensCarry160Bits) {
  EXPECT_EQ(new_secret_token().size(), 32u);
}
