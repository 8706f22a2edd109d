// tests/unit/server/policy_test.cpp: the whole caller x action table, written out
// here a second time on purpose: a change to who may do what must change a test.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "server/policy.hpp"

namespace forumcast {
namespace {

using C = Caller;
using A = Action;

TEST(ServerPolicy, EveryCallerActionPairMatchesTheTable) {
  const std::set<C> everyone = {C::anonymous, C::resident, C::panelist, C::moderator, C::organizer};
  const std::set<C> staff = {C::panelist, C::moderator, C::organizer};
  const std::map<A, std::set<C>> expected = {
      {A::view_public, everyone},
      {A::register_device, everyone},
      {A::login, everyone},
      {A::view_self, staff},
      {A::participate, {C::resident}},
      {A::view_presenter, staff},
      {A::moderate, {C::moderator, C::organizer}},
      {A::create_forum, {C::organizer}},
      {A::change_forum_state, {C::organizer}},
      {A::view_stream_key, {C::organizer}},
      {A::view_drafts, {C::moderator, C::organizer}},
      {A::list_users, {C::organizer}},
      {A::manage_users, {C::organizer}},
      {A::edit_blocked_terms, {C::organizer}},
      {A::export_transcript, {C::organizer}},
      {A::manage_tickets, {C::moderator, C::organizer}},
      {A::rate_ticket, {C::resident}},
      {A::manage_webhooks, {C::organizer}},
      {A::edit_forum, {C::organizer}},
  };
  ASSERT_EQ(all_actions().size(), expected.size()) << "a new action needs a row here";
  for (A a : all_actions()) {
    auto it = expected.find(a);
    ASSERT_NE(it, expected.end()) << to_string(a);
    for (C c : all_callers())
      EXPECT_EQ(allowed(c, a), it->second.count(c) == 1) << to_string(c) << " x " << to_string(a);
  }
}

TEST(ServerPolicy, ResidentsNeverReachStaffActions) {
  for (A a : {A::moderate, A::create_forum, A::change_forum_state, A::view_stream_key,
              A::list_users, A::manage_users, A::view_self, A::view_presenter,
              A::export_transcript, A::manage_tickets, A::manage_webhooks, A::edit_forum})
    EXPECT_FALSE(allowed(C::resident, a)) << to_string(a);
}

TEST(ServerPolicy, QuestionMovesBetweenAgendaItemsAreModeration) {
  EXPECT_EQ(action_for_ws_op("set_agenda_item"), A::moderate);
  EXPECT_EQ(action_for_ws_op("ask"), A::participate);  // its agenda_item comes with it
}

TEST(ServerPolicy, RolesMapToCallers) {
  EXPECT_EQ(caller_for(Role::organizer), C::organizer);
  EXPECT_EQ(caller_for(Role::moderator), C::moderator);
  EXPECT_EQ(caller_for(Role::panelist), C::panelist);
  EXPECT_EQ(caller_for(Role::resident), C::resident);
}

}  // namespace
}  // namespace forumcast
