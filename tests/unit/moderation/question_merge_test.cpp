// tests/unit/moderation/question_merge_test.cpp: merge arithmetic (votes as a union
// of devices, co-signers without duplicates, follow-ups moving thread), vote rules
// and the order of the approved list, follow-up (追问) rules.
#include <gtest/gtest.h>

#include "moderation/errors.hpp"
#include "moderation_test_util.hpp"

namespace forumcast::moderation {
namespace {

using namespace testing;
using S = QuestionState;

class moderation_question_merge : public ::testing::Test {
 protected:
  FakeClock clock;
  QuestionMachine m{"k3m9q2xw7a", clock};

  int64_t approved(const std::string& text, const std::string& asker) {
    auto r = m.ask(resident(asker), ask_req(text));
    EXPECT_TRUE(r.ok());
    int64_t id = r->questions.front().id;
    EXPECT_TRUE(m.approve(moderator(), id).ok());
    clock.advance(1'000);
    return id;
  }
  void votes(int64_t id, std::initializer_list<const char*> devices) {
    for (const char* d : devices) ASSERT_TRUE(m.vote(resident(d), id).ok()) << d;
  }
};

TEST_F(moderation_question_merge, VotesAddUpWithoutCountingADeviceTwice) {
  int64_t target = approved(kDemoQuestions[1], "asker1");
  int64_t dup = approved("广场地砖下雨太滑,能不能换掉?", "asker2");
  votes(target, {"a", "b", "c"});
  votes(dup, {"c", "d"});
  auto r = m.merge(moderator(), dup, target);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(m.find(target)->votes, 4) << "a, b, c, d: c voted for both and counts once";
  EXPECT_EQ(m.find(dup)->state, S::merged);
  EXPECT_EQ(m.find(dup)->merged_into, target);
  EXPECT_EQ(m.find(dup)->votes, 2) << "the merged record keeps its own count";
  ASSERT_EQ(r->questions.size(), 2u);
  EXPECT_EQ(r->questions[0].id, dup);
  EXPECT_EQ(r->questions[1].id, target);
  ASSERT_EQ(r->history.size(), 2u);
  EXPECT_EQ(r->history[1].op, "merged_in");
  EXPECT_EQ(r->audit.size(), 2u);
  ASSERT_EQ(m.find(target)->co_signers.size(), 1u);
  EXPECT_EQ(m.find(target)->co_signers[0].device_hash, "devhash-asker2");
  EXPECT_EQ(m.find(target)->co_signers[0].question_id, dup);
  EXPECT_TRUE(visible_to(*m.find(dup), resident("asker2"))) << "the merged asker is told";
  // Votes now live on the target; c withdraws once and counts no more.
  EXPECT_EQ(m.vote(resident("d"), target).error().code, errc::already_voted);
  ASSERT_TRUE(m.unvote(resident("c"), target).ok());
  EXPECT_EQ(m.find(target)->votes, 3);
  EXPECT_EQ(m.vote(resident("e"), dup).error().code, errc::not_votable);
}

TEST_F(moderation_question_merge, CoSignersCarryOverWithoutDuplicatesOrTheTargetAsker) {
  int64_t target = approved(kDemoQuestions[3], "asker1");
  int64_t b = approved("楼道灯坏了很久,谁来修?", "asker2");
  int64_t c = approved("3号楼的灯什么时候修好?", "asker3");
  int64_t same_asker = approved("我们楼道还是没有灯", "asker1");
  int64_t twice = approved("楼道灯的事情有人管吗", "asker2");
  ASSERT_TRUE(m.merge(moderator(), c, b).ok());  // b now has asker3 as co-signer
  ASSERT_TRUE(m.merge(moderator(), b, target).ok());
  ASSERT_TRUE(m.merge(moderator(), same_asker, target).ok());
  ASSERT_TRUE(m.merge(moderator(), twice, target).ok());
  std::vector<std::string> devices;
  for (const auto& cs : m.find(target)->co_signers) devices.push_back(cs.device_hash);
  EXPECT_EQ(devices, (std::vector<std::string>{"devhash-asker2", "devhash-asker3"}));
}

TEST_F(moderation_question_merge, MergeTargetsAndSourcesAreChecked) {
  int64_t a = approved(kDemoQuestions[0], "1");
  int64_t b = approved(kDemoQuestions[1], "2");
  EXPECT_EQ(m.merge(moderator(), a, a).error().code, errc::invalid_merge);
  EXPECT_EQ(m.merge(moderator(), a, 999).error().code, errc::not_found);
  ASSERT_TRUE(m.merge(moderator(), a, b).ok());
  int64_t c = approved(kDemoQuestions[2], "3");
  EXPECT_EQ(m.merge(moderator(), c, a).error().code, errc::invalid_merge) << "a is merged";
  EXPECT_EQ(m.merge(moderator(), a, c).error().code, errc::illegal_transition);
  int64_t rejected = approved(kDemoQuestions[4], "4");
  ASSERT_TRUE(m.reject(moderator(), rejected, "off_topic").ok());
  EXPECT_EQ(m.merge(moderator(), c, rejected).error().code, errc::invalid_merge);
  auto fu = m.follow_up(resident("5"), c, ask_req(kDemoFollowUp));
  ASSERT_TRUE(fu.ok());
  EXPECT_EQ(m.merge(moderator(), fu->questions[0].id, b).error().code, errc::invalid_merge)
      << "follow-ups merge only into follow-ups";
  ASSERT_TRUE(m.put_on_air(moderator(), b).ok());
  EXPECT_TRUE(m.merge(moderator(), c, b).ok()) << "a duplicate of the one on air";
}

TEST_F(moderation_question_merge, FollowUpsOfTheMergedQuestionMoveToTheTargetThread) {
  int64_t a = approved(kDemoQuestions[1], "1");
  int64_t b = approved("广场地砖能换吗", "2");
  auto fu = m.follow_up(resident("3"), b, ask_req(kDemoFollowUp));
  ASSERT_TRUE(fu.ok());
  auto r = m.merge(moderator(), b, a);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(m.find(fu->questions[0].id)->parent_id, a);
  EXPECT_EQ(m.follow_ups(a).size(), 1u);
  EXPECT_EQ(r->questions.size(), 3u);
  EXPECT_EQ(r->history.back().op, "reparent");
}

TEST_F(moderation_question_merge, VoteRules) {
  auto p = m.ask(resident("1"), ask_req(kDemoQuestions[0]));
  int64_t pending = p->questions[0].id;
  EXPECT_EQ(m.vote(resident("2"), pending).error().code, errc::not_votable);
  int64_t q = approved(kDemoQuestions[1], "1");
  auto v = m.vote(resident("2"), q);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->votes, 1);
  EXPECT_TRUE(v->voted);
  EXPECT_TRUE(m.has_voted(q, "devhash-2"));
  EXPECT_EQ(m.vote(resident("2"), q).error().code, errc::already_voted);
  EXPECT_EQ(m.vote(moderator(), q).error().code, errc::forbidden);
  EXPECT_EQ(m.vote(panelist(), q).error().code, errc::forbidden);
  EXPECT_EQ(m.vote(resident("2"), 999).error().code, errc::not_found);
  auto w = m.unvote(resident("2"), q);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->votes, 0);
  EXPECT_FALSE(w->voted);
  EXPECT_EQ(m.unvote(resident("2"), q).error().code, errc::not_voted);
  ASSERT_TRUE(m.put_on_air(moderator(), q).ok());
  EXPECT_TRUE(m.vote(resident("3"), q).ok()) << "on air is still votable";
  ASSERT_TRUE(m.mark_answered(moderator(), q, "会安排", "王红梅").ok());
  EXPECT_EQ(m.vote(resident("4"), q).error().code, errc::not_votable);
}

TEST_F(moderation_question_merge, ApprovedListIsOrderedByVotesThenAge) {
  int64_t oldest = approved(kDemoQuestions[0], "1");
  int64_t middle = approved(kDemoQuestions[1], "2");
  int64_t newest = approved(kDemoQuestions[2], "3");
  int64_t on_air = approved(kDemoQuestions[3], "4");
  votes(newest, {"a", "b"});
  votes(middle, {"a"});
  votes(oldest, {"b"});
  votes(on_air, {"a", "b", "c"});
  ASSERT_TRUE(m.put_on_air(moderator(), on_air).ok());
  auto fu = m.follow_up(resident("5"), newest, ask_req(kDemoFollowUp));
  ASSERT_TRUE(m.approve(moderator(), fu->questions[0].id).ok());
  std::vector<int64_t> ids;
  for (const auto& q : m.approved_queue()) ids.push_back(q.id);
  EXPECT_EQ(ids, (std::vector<int64_t>{newest, oldest, middle}))
      << "2 votes; then 1 vote each, older first; on air and follow-ups not listed";
}

TEST_F(moderation_question_merge, FollowUpsAreAllowedOnApprovedOnAirAndAnsweredQuestionsOnly) {
  int64_t q = approved(kDemoQuestions[1], "1");
  auto fu = m.follow_up(resident("2"), q, ask_req(kDemoFollowUp));
  ASSERT_TRUE(fu.ok());
  const Question& f = fu->questions[0];
  EXPECT_EQ(f.parent_id, q);
  EXPECT_EQ(f.state, S::pending) << "moderated like a question";
  EXPECT_EQ(fu->history[0].op, "follow_up");
  EXPECT_EQ(m.pending_queue().size(), 1u);
  EXPECT_EQ(m.follow_up(resident("3"), f.id, ask_req("再追问")).error().code, errc::invalid_parent);
  ASSERT_TRUE(m.put_on_air(moderator(), q).ok());
  EXPECT_TRUE(m.follow_up(resident("3"), q, ask_req("施工期间晚上会吵吗?")).ok());
  ASSERT_TRUE(m.mark_answered(moderator(), q, "两周完工", "陈思远").ok());
  EXPECT_TRUE(m.follow_up(resident("4"), q, ask_req("两周是工作日吗?")).ok());
  // The follow-up itself goes through the same states, on air included (答完再追问).
  ASSERT_TRUE(m.approve(moderator(), f.id).ok());
  ASSERT_TRUE(m.put_on_air(moderator(), f.id).ok());
  ASSERT_TRUE(m.mark_answered(moderator(), f.id, "老人走东侧便道", "王红梅").ok());
  EXPECT_EQ(m.follow_ups(q).size(), 3u);

  auto pending = m.ask(resident("5"), ask_req(kDemoQuestions[5]));
  int64_t pid = pending->questions[0].id;
  EXPECT_EQ(m.follow_up(resident("6"), pid, ask_req("追问")).error().code,
            errc::illegal_transition);
  ASSERT_TRUE(m.reject(moderator(), pid, "off_topic").ok());
  EXPECT_EQ(m.follow_up(resident("6"), pid, ask_req("追问")).error().code,
            errc::illegal_transition);
  EXPECT_EQ(m.follow_up(resident("6"), 999, ask_req("追问")).error().code, errc::not_found);
}

TEST_F(moderation_question_merge, FollowUpsAreAutoApprovedWhenPreModerationIsOff) {
  ModerationSettings s;
  s.questions_premoderated = false;
  ASSERT_TRUE(m.update_settings(organizer(), s).ok());
  auto q = m.ask(resident("1"), ask_req(kDemoQuestions[0]));
  auto fu = m.follow_up(resident("2"), q->questions[0].id, ask_req(kDemoFollowUp));
  ASSERT_TRUE(fu.ok());
  EXPECT_EQ(fu->questions[0].state, S::approved);
}

}  // namespace
}  // namespace forumcast::moderation
