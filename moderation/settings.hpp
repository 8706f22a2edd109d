// moderation/settings.hpp: per-forum moderation settings, their limits and defaults,
// validation and JSON form (for the store and the audit log). The chat relay reads the
// comment settings (pre-moderation, delay, slow mode); QuestionMachine the question ones.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace forumcast::moderation {

// Limits on the settings themselves (documented in docs/moderation.md).
struct SettingsLimits {
  static constexpr int64_t kMaxChatDelayMs = 30'000;  // chat delay 0-30 s
  static constexpr int64_t kMaxSlowModeMs = 600'000;  // slow mode 0-10 min
  static constexpr int64_t kMinQuestionChars = 1;     // question length bounds
  static constexpr int64_t kMaxQuestionCharsCeiling = 2'000;
  static constexpr size_t kMaxRejectReasons = 32;
  static constexpr size_t kMaxRejectReasonChars = 40;
};

struct ModerationSettings {
  // Questions.
  bool questions_premoderated = true;  // false: auto-approve new questions and follow-ups
  bool intake_open = true;             // false: residents get intake_paused
  int64_t max_question_chars = 500;    // 1..2000, counted in characters
  int64_t max_tags = 8;                // per question
  int64_t max_tag_chars = 20;
  int64_t max_answer_chars = 500;  // answer summary
  int64_t max_reject_text_chars = 200;
  std::vector<std::string> reject_reasons{"off_topic",     "duplicate", "inappropriate",
                                          "personal_info", "unclear",   "other"};
  // Comments (enforced by chat/ with SlowMode and TermFilter from this module).
  bool comments_premoderated = false;  // true: comments wait in the queue
  int64_t chat_delay_ms = 0;           // 0..30000: held this long before delivery
  int64_t slow_mode_ms = 0;            // 0 = off; else minimum interval per resident
};

// invalid_setting with a message naming the field, or ok.
Status validate(const ModerationSettings& s);

std::string to_json(const ModerationSettings& s);
// Missing fields keep their defaults; wrong types or values give invalid_setting.
Result<ModerationSettings> settings_from_json(const std::string& json);

}  // namespace forumcast::moderation
