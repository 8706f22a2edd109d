// tests/unit/moderation/settings_audit_test.cpp: settings limits and JSON round trip,
// and the audit entries for settings, terms, bans and comment visibility.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "moderation/audit.hpp"
#include "moderation/errors.hpp"
#include "moderation_test_util.hpp"

namespace forumcast::moderation {
namespace {

using namespace testing;
using nlohmann::json;

TEST(moderation_settings, DefaultsAndLimits) {
  ModerationSettings s;
  EXPECT_TRUE(s.questions_premoderated);
  EXPECT_TRUE(s.intake_open);
  EXPECT_FALSE(s.comments_premoderated);
  EXPECT_EQ(s.chat_delay_ms, 0);
  EXPECT_EQ(s.max_question_chars, 500);
  EXPECT_TRUE(validate(s).ok());
  s.chat_delay_ms = 30'000;
  EXPECT_TRUE(validate(s).ok());
  s.chat_delay_ms = 30'001;
  EXPECT_EQ(validate(s).error().code, errc::invalid_setting);
  s.chat_delay_ms = -1;
  EXPECT_FALSE(validate(s).ok());
  s = {};
  s.slow_mode_ms = 600'001;
  EXPECT_FALSE(validate(s).ok());
  s = {};
  s.max_question_chars = 0;
  EXPECT_FALSE(validate(s).ok());
  s = {};
  s.reject_reasons.clear();
  EXPECT_FALSE(validate(s).ok());
}

TEST(moderation_settings, JsonRoundTrip) {
  ModerationSettings s;
  s.chat_delay_ms = 5'000;
  s.slow_mode_ms = 15'000;
  s.reject_reasons = {"与主题无关", "重复"};
  auto back = settings_from_json(to_json(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->chat_delay_ms, 5'000);
  EXPECT_EQ(back->slow_mode_ms, 15'000);
  EXPECT_EQ(back->reject_reasons, s.reject_reasons);
  auto partial = settings_from_json(R"({"intake_open": false})");
  ASSERT_TRUE(partial.ok());
  EXPECT_FALSE(partial->intake_open);
  EXPECT_EQ(partial->max_question_chars, 500);
  EXPECT_EQ(settings_from_json(R"({"chat_delay_ms": "soon"})").error().code, errc::invalid_setting);
  EXPECT_EQ(settings_from_json(R"({"chat_delay_ms": 99999})").error().code, errc::invalid_setting);
  EXPECT_EQ(settings_from_json("not json").error().code, errc::invalid_setting);
}

TEST(moderation_audit, SettingsChangeHasBeforeAndAfter) {
  FakeClock clock;
  QuestionMachine m("k3m9q2xw7a", clock);
  ModerationSettings s;
  s.chat_delay_ms = 10'000;
  auto a = m.update_settings(organizer(), s);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->action, "settings.update");
  EXPECT_EQ(a->actor, "org_li");
  EXPECT_EQ(a->forum_id, "k3m9q2xw7a");
  EXPECT_EQ(json::parse(a->before_json)["chat_delay_ms"], 0);
  EXPECT_EQ(json::parse(a->after_json)["chat_delay_ms"], 10'000);
  EXPECT_EQ(a->at_ms, clock.wall_ms());
  s.chat_delay_ms = 31'000;
  EXPECT_EQ(m.update_settings(organizer(), s).error().code, errc::invalid_setting);
  EXPECT_EQ(m.settings().chat_delay_ms, 10'000);
}

TEST(moderation_audit, TermsBansAndComments) {
  AuditEntry t =
      audit_terms("k3m9q2xw7a", organizer(), {{"骗子", TermAction::hold}},
                  {{"骗子", TermAction::reject}, {"詐騙", TermAction::timeout, 60'000}}, 1'000);
  EXPECT_EQ(t.action, "terms.update");
  EXPECT_EQ(json::parse(t.before_json)[0]["action"], "hold");
  EXPECT_EQ(json::parse(t.after_json)[1]["term"], "詐騙");
  EXPECT_EQ(json::parse(t.after_json)[1]["timeout_ms"], 60'000);

  FakeClock clock;
  BanList bans("k3m9q2xw7a", clock);
  auto r = bans.add(moderator(), BanRequest{BanKind::ban, "devhash-1", "", {}, "广告", true});
  AuditEntry b = audit_ban(moderator(), *r);
  EXPECT_EQ(b.action, "ban.add");
  EXPECT_EQ(b.target, "device:devhash-1");
  EXPECT_EQ(b.before_json, "");
  EXPECT_EQ(json::parse(b.after_json)["reason"], "广告");
  EXPECT_EQ(json::parse(b.after_json)["expires_ms"], nullptr);
  AuditEntry u = audit_unban(moderator(), *r, 2'000);
  EXPECT_EQ(u.action, "ban.lift");
  EXPECT_EQ(u.after_json, "");

  AuditEntry h = audit_comment_visibility("k3m9q2xw7a", moderator(), 77, true, 3'000, 9'000);
  EXPECT_EQ(h.action, "comment.hide");
  EXPECT_EQ(h.target, "comment:77");
  EXPECT_EQ(json::parse(h.after_json)["hidden"], true);
  EXPECT_EQ(h.stream_ms, 9'000);
}

}  // namespace
}  // namespace forumcast::moderation
