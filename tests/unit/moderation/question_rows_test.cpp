// tests/unit/moderation/question_rows_test.cpp: a question with every field set, a
// ban and a blocked term survive the trip to store rows and back; bad rows are refused.
#include <gtest/gtest.h>

#include "moderation/question_json.hpp"
#include "moderation/question_rows.hpp"
#include "moderation_test_util.hpp"

namespace forumcast::moderation {
namespace {

using namespace testing;

TEST(moderation_question_rows, AQuestionThatWentThroughEverythingRoundTrips) {
  FakeClock clock;
  std::optional<int64_t> stream = 60'000;
  QuestionMachine m("k3m9q2xw7a", clock, {}, {}, [&] { return stream; });
  int64_t target = m.ask(resident("1"), ask_req(kDemoQuestions[1]))->questions[0].id;
  int64_t dup = m.ask(resident("2"), ask_req("地砖太滑了"))->questions[0].id;
  ASSERT_TRUE(m.approve(moderator(), target).ok());
  ASSERT_TRUE(m.vote(resident("3"), target).ok());
  ASSERT_TRUE(m.merge(moderator(), dup, target).ok());
  ASSERT_TRUE(m.edit(moderator(), target, "广场地砖下雨天很滑,改造时能换防滑的吗?").ok());
  ASSERT_TRUE(m.set_tags(moderator(), target, {"广场", "安全"}).ok());
  ASSERT_TRUE(m.set_agenda_item(moderator(), target, 0).ok());
  ASSERT_TRUE(m.put_on_air(moderator(), target).ok());
  stream = 150'000;
  auto change = m.mark_answered(moderator(), target, "改造时全部换成防滑砖", "陈思远");
  ASSERT_TRUE(change.ok());
  const Question& q = *m.find(target);

  QuestionRow row = to_row(q);
  EXPECT_EQ(row.state, "answered");
  EXPECT_EQ(row.category, "need");
  auto back = from_row(row);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(to_json(*back), to_json(q));
  EXPECT_EQ(back->co_signers.at(0).device_hash, "devhash-2");

  QuestionChangeRecord rec = to_record("k3m9q2xw7a", *change);
  ASSERT_EQ(rec.questions.size(), 1u);
  ASSERT_EQ(rec.history.size(), 1u);
  EXPECT_EQ(rec.history[0].op, "mark_answered");
  EXPECT_EQ(rec.history[0].actor_role, "moderator");
  EXPECT_EQ(rec.history[0].stream_ms, 150'000);
  EXPECT_EQ(rec.audit.size(), 1u);

  row.state = "lost";
  EXPECT_EQ(from_row(row).error().code, "store_error");
  row.state = "answered";
  row.answers_json = "[{}]";
  EXPECT_EQ(from_row(row).error().code, "store_error");
}

TEST(moderation_question_rows, BansAndTermsRoundTrip) {
  FakeClock clock;
  BanList bans("k3m9q2xw7a", clock);
  auto b = bans.add(moderator(),
                    BanRequest{BanKind::timeout, "devhash-1", "192.0.2.7", 60'000, "刷屏", true});
  ASSERT_TRUE(b.ok());
  auto back = from_row(to_row(*b));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->expires_ms, b->expires_ms);
  EXPECT_EQ(back->ip, "192.0.2.7");
  EXPECT_TRUE(back->remove_comments);
  BanRow bad = to_row(*b);
  bad.kind = "exile";
  EXPECT_FALSE(from_row(bad).ok());

  BlockedTerm t{"詐騙", TermAction::timeout, 120'000};
  auto tb = from_row(to_row(t));
  ASSERT_TRUE(tb.ok());
  EXPECT_EQ(tb->term, "詐騙");
  EXPECT_EQ(tb->action, TermAction::timeout);
  EXPECT_EQ(tb->timeout_ms, 120'000);
  EXPECT_FALSE(from_row(BlockedTermRow{"x", "none", 0}).ok());
}

}  // namespace
}  // namespace forumcast::moderation
