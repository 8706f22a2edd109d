// tests/unit/moderation/comment_gate_test.cpp: the per-comment decision — bans and
// timeouts (device and IP, new display name irrelevant), slow mode, filter actions,
// pre-moderation, chat delay, staff pass-through.
#include <gtest/gtest.h>

#include "moderation/comment_gate.hpp"
#include "moderation/errors.hpp"
#include "moderation_test_util.hpp"

namespace forumcast::moderation {
namespace {

using namespace testing;

class moderation_comment_gate : public ::testing::Test {
 protected:
  FakeClock clock;
  TermFilter filter{shared_normalizer()};
  BanList bans{"k3m9q2xw7a", clock};
  SlowMode slow{clock};
  CommentGate gate{clock, filter, bans, slow};
  ModerationSettings settings;
  CommentAuthor alice{Role::resident, "devhash-1", "192.0.2.7"};
  void SetUp() override {
    ASSERT_TRUE(filter
                    .set_terms({{"骗子", TermAction::hold},
                                {"加微信", TermAction::reject},
                                {"傻瓜", TermAction::mask},
                                {"詐騙", TermAction::timeout, 5 * 60'000}})
                    .ok());
  }
};

TEST_F(moderation_comment_gate, OrdinaryCommentIsDeliveredAfterTheChatDelay) {
  CommentDecision d = gate.decide(alice, "支持多放长椅!", settings);
  EXPECT_EQ(d.verdict, CommentVerdict::deliver);
  EXPECT_EQ(d.text, "支持多放长椅!");
  EXPECT_EQ(d.deliver_after_ms, 0);
  settings.chat_delay_ms = 8'000;
  d = gate.decide(CommentAuthor{Role::resident, "devhash-2", ""}, "书记讲得很实在", settings);
  EXPECT_EQ(d.deliver_after_ms, 8'000);
}

TEST_F(moderation_comment_gate, FilterActions) {
  CommentDecision d = gate.decide(alice, "你个傻 瓜", settings);
  EXPECT_EQ(d.verdict, CommentVerdict::deliver);
  EXPECT_EQ(d.text, "你个＊＊＊");
  d = gate.decide(alice, "他是騙　子", settings);
  EXPECT_EQ(d.verdict, CommentVerdict::hold);
  EXPECT_EQ(d.hold_reason, "filter");
  ASSERT_EQ(d.matches.size(), 1u);
  EXPECT_EQ(d.matches[0].term, "骗子");
  d = gate.decide(alice, "加 微 信领红包", settings);
  EXPECT_EQ(d.verdict, CommentVerdict::refuse);
  EXPECT_EQ(d.error->code, errc::blocked_term);
  EXPECT_FALSE(d.timeout_applied);
}

TEST_F(moderation_comment_gate, TimeoutTermTimesTheAuthorOut) {
  CommentDecision d = gate.decide(alice, "这是诈骗", settings);
  EXPECT_EQ(d.verdict, CommentVerdict::refuse);
  EXPECT_EQ(d.error->code, errc::blocked_term);
  ASSERT_TRUE(d.timeout_applied);
  EXPECT_EQ(d.timeout_applied->actor, "system");
  EXPECT_EQ(d.timeout_applied->expires_ms, clock.wall_ms() + 5 * 60'000);
  d = gate.decide(alice, "对不起", settings);
  EXPECT_EQ(d.error->code, errc::timed_out);
  EXPECT_EQ(d.retry_after_ms, 5 * 60'000);
  clock.advance(5 * 60'000);
  EXPECT_EQ(gate.decide(alice, "对不起", settings).verdict, CommentVerdict::deliver);
}

TEST_F(moderation_comment_gate, BansHoldAcrossReconnectsAndAddresses) {
  ASSERT_TRUE(
      bans.add(moderator(), BanRequest{BanKind::ban, "devhash-1", "192.0.2.7", {}, "", false})
          .ok());
  // Same device reconnecting from elsewhere (its display name is not even an input).
  EXPECT_EQ(gate.decide(CommentAuthor{Role::resident, "devhash-1", "198.51.100.9"}, "我换了名字",
                        settings)
                .error->code,
            errc::banned);
  // Another device on the banned address.
  EXPECT_EQ(gate.decide(CommentAuthor{Role::resident, "devhash-3", "192.0.2.7"}, "hi", settings)
                .error->code,
            errc::banned);
  EXPECT_EQ(gate.decide(CommentAuthor{Role::resident, "devhash-4", "198.51.100.9"}, "hi", settings)
                .verdict,
            CommentVerdict::deliver);
}

TEST_F(moderation_comment_gate, SlowModeFollowsTheSettings) {
  settings.slow_mode_ms = 15'000;
  EXPECT_EQ(gate.decide(alice, "第一条", settings).verdict, CommentVerdict::deliver);
  CommentDecision d = gate.decide(alice, "第二条", settings);
  EXPECT_EQ(d.error->code, errc::rate_limited);
  EXPECT_EQ(d.retry_after_ms, 15'000);
  settings.slow_mode_ms = 0;
  EXPECT_EQ(gate.decide(alice, "第三条", settings).verdict, CommentVerdict::deliver);
}

TEST_F(moderation_comment_gate, PreModerationHoldsEverythingFromResidents) {
  settings.comments_premoderated = true;
  CommentDecision d = gate.decide(alice, "希望改造方案早点公示", settings);
  EXPECT_EQ(d.verdict, CommentVerdict::hold);
  EXPECT_EQ(d.hold_reason, "premoderation");
}

TEST_F(moderation_comment_gate, StaffPassStraightThrough) {
  settings.comments_premoderated = true;
  settings.chat_delay_ms = 10'000;
  settings.slow_mode_ms = 60'000;
  for (Role r : {Role::moderator, Role::organizer, Role::panelist}) {
    CommentDecision d = gate.decide(CommentAuthor{r, "", ""}, "提醒:谨防加微信的骗子", settings);
    EXPECT_EQ(d.verdict, CommentVerdict::deliver);
    EXPECT_EQ(d.deliver_after_ms, 0);
  }
}

}  // namespace
}  // namespace forumcast::moderation
