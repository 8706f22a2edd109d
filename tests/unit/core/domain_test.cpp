// Unit tests for core/domain: enum names round-trip and unknown names are refused.
#include "core/domain.hpp"

#include <gtest/gtest.h>

using namespace forumcast;

TEST(Domain, RolesRoundTrip) {
  for (auto r : {Role::resident, Role::panelist, Role::moderator, Role::organizer})
    EXPECT_EQ(role_from_string(to_string(r)), r);
  EXPECT_FALSE(role_from_string("admin").has_value());
}

TEST(Domain, ForumStatesRoundTrip) {
  for (auto s : {ForumState::draft, ForumState::collecting, ForumState::live, ForumState::ended,
                 ForumState::archived})
    EXPECT_EQ(forum_state_from_string(to_string(s)), s);
  EXPECT_FALSE(forum_state_from_string("paused").has_value());
}
