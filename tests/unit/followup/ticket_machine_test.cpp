// tests/unit/followup/ticket_machine_test.cpp: the ticket state machine: every
// legal and every illegal move over the 6x6 state table, assignment rules,
// history records, ratings (reopen on a low rating with a reason, close on
// confirm, once per rater per round) and auto-close on a FakeClock.
#include <gtest/gtest.h>

#include <set>

#include "core/clock.hpp"
#include "followup/ticket_machine.hpp"

namespace forumcast::followup {
namespace {

constexpr int64_t kDay = 86'400'000;
const std::vector<TicketState> kAll = {TicketState::open,        TicketState::assigned,
                                       TicketState::in_progress, TicketState::resolved,
                                       TicketState::closed,      TicketState::reopened};

class followup_ticket_machine : public ::testing::Test {
 protected:
  FakeClock clock{1'764'914'400'000};
  TicketMachine m{clock};

  Ticket fresh() {
    NewTicket n;
    n.forum_id = "F4DEMO2612";
    n.question_id = 8;
    n.title = "3号楼楼道灯坏了";
    n.description = "晚上上下楼很危险";
    n.location = {"梧桐新村东区", "3号楼"};
    return m.create(1, n, "org_chen").value();
  }
  // A ticket sitting in state s with one assignee.
  Ticket in_state(TicketState s) {
    Ticket t = fresh();
    t.assignees = {{Assignee::Kind::worker, "张师傅"}};
    t.state = s;
    if (s == TicketState::resolved || s == TicketState::closed) {
      t.resolution_round = 1;
      t.resolved_ms = clock.wall_ms();
    }
    return t;
  }
  Rating rating(int stars, bool confirmed, std::string comment, std::string who = "dev-a") {
    Rating r;
    r.rater = who;
    r.rater_name = "张阿姨";
    r.stars = stars;
    r.confirmed = confirmed;
    r.comment = std::move(comment);
    return r;
  }
};

TEST_F(followup_ticket_machine, legal_table_is_exactly_the_documented_one) {
  const std::set<std::pair<TicketState, TicketState>> legal = {
      {TicketState::open, TicketState::assigned},
      {TicketState::assigned, TicketState::in_progress},
      {TicketState::in_progress, TicketState::resolved},
      {TicketState::resolved, TicketState::closed},
      {TicketState::resolved, TicketState::reopened},
      {TicketState::closed, TicketState::reopened},
      {TicketState::reopened, TicketState::assigned},
      {TicketState::reopened, TicketState::in_progress},
      {TicketState::reopened, TicketState::resolved}};
  for (TicketState from : kAll)
    for (TicketState to : kAll)
      EXPECT_EQ(TicketMachine::is_legal(from, to), legal.count({from, to}) == 1)
          << to_string(from) << " -> " << to_string(to);
}

TEST_F(followup_ticket_machine, every_move_applies_or_is_refused_without_change) {
  for (TicketState from : kAll) {
    for (TicketState to : kAll) {
      Ticket t = in_state(from);
      const size_t before = t.history.size();
      clock.advance(1000);
      Status s = m.transition(t, to, "worker_li", "进展说明", true);
      if (TicketMachine::is_legal(from, to)) {
        ASSERT_TRUE(s.ok()) << to_string(from) << " -> " << to_string(to) << ": "
                            << s.error().message;
        EXPECT_EQ(t.state, to);
        ASSERT_EQ(t.history.size(), before + 1);
        const TicketEvent& e = t.history.back();
        EXPECT_EQ(e.from, from);
        EXPECT_EQ(e.to, to);
        EXPECT_EQ(e.actor, "worker_li");
        EXPECT_EQ(e.at_ms, clock.wall_ms());
        EXPECT_EQ(e.note, "进展说明");
        EXPECT_TRUE(e.is_public);
      } else {
        ASSERT_FALSE(s.ok()) << to_string(from) << " -> " << to_string(to);
        EXPECT_EQ(s.error().code, "illegal_transition");
        EXPECT_NE(s.error().message.find(std::string(to_string(to))), std::string::npos);
        EXPECT_EQ(t.state, from);
        EXPECT_EQ(t.history.size(), before);
      }
    }
  }
}

TEST_F(followup_ticket_machine, create_validates_and_records) {
  Ticket t = fresh();
  EXPECT_EQ(t.state, TicketState::open);
  EXPECT_EQ(t.created_ms, clock.wall_ms());
  ASSERT_EQ(t.history.size(), 1u);
  EXPECT_EQ(t.history[0].action, "create");
  EXPECT_EQ(t.history[0].actor, "org_chen");
  NewTicket bad;
  bad.title = "";
  auto r = m.create(2, bad, "org_chen");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_ticket");
  bad.title = std::string(101 * 3, 'x');
  EXPECT_EQ(m.create(2, bad, "org_chen").error().code, "invalid_ticket");
  bad.title = "\xff\xfe";
  EXPECT_EQ(m.create(2, bad, "org_chen").error().code, "invalid_ticket");
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "灯";
  bad.title = hundred;  // 100 characters, 300 bytes: within the limit
  EXPECT_TRUE(m.create(2, bad, "org_chen").ok());
}

TEST_F(followup_ticket_machine, assigned_needs_an_assignee) {
  Ticket t = fresh();
  Status s = m.transition(t, TicketState::assigned, "org_chen", "", false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "no_assignee");
  EXPECT_EQ(m.assign(t, {}, "org_chen", "", false).error().code, "no_assignee");
  ASSERT_TRUE(
      m.assign(t,
               {{Assignee::Kind::department, "物业服务中心"}, {Assignee::Kind::worker, "张师傅"}},
               "org_chen", "一处上报、多点响应", true)
          .ok());
  EXPECT_EQ(t.state, TicketState::assigned);
  EXPECT_EQ(t.assignees.size(), 2u);
  EXPECT_EQ(t.history.back().action, "assign");
  EXPECT_NE(t.history.back().note.find("物业服务中心、张师傅"), std::string::npos);
  // Re-assignment in progress keeps the state.
  ASSERT_TRUE(m.transition(t, TicketState::in_progress, "张师傅", "", true).ok());
  ASSERT_TRUE(m.assign(t, {{Assignee::Kind::worker, "李师傅"}}, "org_chen", "", false).ok());
  EXPECT_EQ(t.state, TicketState::in_progress);
  EXPECT_EQ(t.assignees.front().name, "李师傅");
  std::vector<Assignee> many(11, {Assignee::Kind::worker, "某人"});
  EXPECT_EQ(m.assign(t, many, "org_chen", "", false).error().code, "too_many_assignees");
  Ticket closed = in_state(TicketState::closed);
  EXPECT_EQ(
      m.assign(closed, {{Assignee::Kind::worker, "李师傅"}}, "org_chen", "", false).error().code,
      "ticket_closed");
}

TEST_F(followup_ticket_machine, notes_are_checked_and_kept_public_or_internal) {
  Ticket t = in_state(TicketState::in_progress);
  ASSERT_TRUE(m.add_note(t, "worker_li", "材料已到", true).ok());
  ASSERT_TRUE(m.add_note(t, "worker_li", "内部:需协调业委会", false).ok());
  EXPECT_EQ(t.history.size(), 3u);
  EXPECT_TRUE(t.history[1].is_public);
  EXPECT_FALSE(t.history[2].is_public);
  EXPECT_EQ(t.state, TicketState::in_progress);
  EXPECT_EQ(m.add_note(t, "worker_li", std::string(1001, 'a'), true).error().code, "note_too_long");
  EXPECT_EQ(m.transition(t, TicketState::resolved, "w", std::string(1001, 'a'), true).error().code,
            "note_too_long");
  EXPECT_EQ(t.state, TicketState::in_progress);
  Ticket closed = in_state(TicketState::closed);
  EXPECT_EQ(m.add_note(closed, "w", "x", true).error().code, "ticket_closed");
}

TEST_F(followup_ticket_machine, rating_only_after_resolved) {
  for (TicketState s : {TicketState::open, TicketState::assigned, TicketState::in_progress,
                        TicketState::reopened}) {
    Ticket t = in_state(s);
    EXPECT_EQ(m.rate(t, rating(5, true, "")).error().code, "not_resolved") << to_string(s);
    EXPECT_TRUE(t.ratings.empty());
  }
  Ticket t = in_state(TicketState::resolved);
  EXPECT_EQ(m.rate(t, rating(0, true, "")).error().code, "invalid_rating");
  EXPECT_EQ(m.rate(t, rating(6, true, "")).error().code, "invalid_rating");
  EXPECT_TRUE(t.ratings.empty());
}

TEST_F(followup_ticket_machine, confirming_rating_closes) {
  Ticket t = in_state(TicketState::resolved);
  ASSERT_TRUE(m.rate(t, rating(5, true, "修得很快,谢谢")).ok());
  EXPECT_EQ(t.state, TicketState::closed);
  ASSERT_EQ(t.ratings.size(), 1u);
  EXPECT_EQ(t.ratings[0].round, 1);
  EXPECT_EQ(t.ratings[0].at_ms, clock.wall_ms());
  EXPECT_EQ(t.history.back().action, "rate");
  EXPECT_EQ(t.history.back().note, "5/5: 修得很快,谢谢");
  // A co-signer can still rate the same round; the same resident cannot twice.
  EXPECT_EQ(m.rate(t, rating(4, true, "")).error().code, "already_rated");
  EXPECT_TRUE(m.rate(t, rating(4, true, "", "dev-b")).ok());
  EXPECT_EQ(t.state, TicketState::closed);
}

TEST_F(followup_ticket_machine, low_rating_with_reason_reopens_and_without_does_not) {
  Ticket quiet = in_state(TicketState::resolved);
  ASSERT_TRUE(m.rate(quiet, rating(1, false, "")).ok());
  EXPECT_EQ(quiet.state, TicketState::resolved);

  Ticket t = in_state(TicketState::resolved);
  ASSERT_TRUE(m.rate(t, rating(2, false, "下雨还是漏")).ok());
  EXPECT_EQ(t.state, TicketState::reopened);
  EXPECT_EQ(t.history.back().from, TicketState::resolved);
  EXPECT_EQ(t.history.back().actor, "张阿姨");
  // Second round: the same resident may rate again.
  ASSERT_TRUE(m.transition(t, TicketState::resolved, "worker_li", "防水重做", true).ok());
  EXPECT_EQ(t.resolution_round, 2);
  ASSERT_TRUE(m.rate(t, rating(4, true, "好了")).ok());
  EXPECT_EQ(t.ratings.back().round, 2);
  EXPECT_EQ(t.state, TicketState::closed);

  // A rating of 3 with a reason does not reopen under the default threshold (2)...
  Ticket three = in_state(TicketState::resolved);
  ASSERT_TRUE(m.rate(three, rating(3, false, "一般")).ok());
  EXPECT_EQ(three.state, TicketState::resolved);
  // ...but does with threshold 3; and threshold 0 never reopens.
  TicketMachine strict(clock, TicketPolicy{.reopen_at_or_below_stars = 3});
  Ticket t3 = in_state(TicketState::resolved);
  ASSERT_TRUE(strict.rate(t3, rating(3, false, "一般")).ok());
  EXPECT_EQ(t3.state, TicketState::reopened);
  TicketMachine never(clock, TicketPolicy{.reopen_at_or_below_stars = 0});
  Ticket t0 = in_state(TicketState::resolved);
  ASSERT_TRUE(never.rate(t0, rating(1, false, "很差")).ok());
  EXPECT_EQ(t0.state, TicketState::resolved);
  // A closed ticket rated low with a reason reopens too.
  Ticket closed = in_state(TicketState::closed);
  ASSERT_TRUE(m.rate(closed, rating(1, false, "根本没修")).ok());
  EXPECT_EQ(closed.state, TicketState::reopened);
}

TEST_F(followup_ticket_machine, auto_close_after_configured_days) {
  Ticket t = fresh();
  ASSERT_TRUE(m.assign(t, {{Assignee::Kind::worker, "张师傅"}}, "org", "", false).ok());
  ASSERT_TRUE(m.transition(t, TicketState::in_progress, "张师傅", "", false).ok());
  ASSERT_TRUE(m.transition(t, TicketState::resolved, "张师傅", "", true).ok());
  Ticket open = fresh();
  open.id = 2;
  std::vector<Ticket> ts = {t, open};
  const int64_t resolved = clock.wall_ms();
  EXPECT_FALSE(m.auto_close_due(t, resolved + 7 * kDay - 1));
  EXPECT_TRUE(m.auto_close_due(t, resolved + 7 * kDay));
  EXPECT_TRUE(m.auto_close_due(ts, resolved + 6 * kDay).empty());
  EXPECT_EQ(m.auto_close_due(ts, resolved + 8 * kDay), std::vector<int64_t>{1});

  clock.advance(7 * kDay - 1);
  EXPECT_EQ(m.run_auto_close(ts), 0);
  clock.advance(1);
  EXPECT_EQ(m.run_auto_close(ts), 1);
  EXPECT_EQ(ts[0].state, TicketState::closed);
  EXPECT_EQ(ts[0].history.back().action, "auto_close");
  EXPECT_EQ(ts[0].history.back().actor, "system");
  EXPECT_EQ(ts[0].closed_ms, clock.wall_ms());
  EXPECT_EQ(ts[1].state, TicketState::open);
  EXPECT_EQ(m.run_auto_close(ts), 0);

  TicketMachine off(clock, TicketPolicy{.auto_close_days = 0});
  Ticket r = in_state(TicketState::resolved);
  EXPECT_FALSE(off.auto_close_due(r, clock.wall_ms() + 365 * kDay));
}

TEST_F(followup_ticket_machine, state_names_round_trip) {
  for (TicketState s : kAll) EXPECT_EQ(ticket_state_from_string(to_string(s)), s);
  EXPECT_FALSE(ticket_state_from_string("done").has_value());
  for (auto c : {TicketCategory::problem, TicketCategory::need, TicketCategory::service})
    EXPECT_EQ(ticket_category_from_string(to_string(c)), c);
}

}  // namespace
}  // namespace forumcast::followup
