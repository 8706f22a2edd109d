// moderation/settings.cpp: validation and JSON form of ModerationSettings.
#include "moderation/settings.hpp"

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "moderation/errors.hpp"

namespace forumcast::moderation {
namespace {

Error bad(const std::string& what) {
  return make_error(std::string(errc::invalid_setting), what);
}

}  // namespace

Status validate(const ModerationSettings& s) {
  using L = SettingsLimits;
  if (s.max_question_chars < L::kMinQuestionChars ||
      s.max_question_chars > L::kMaxQuestionCharsCeiling)
    return bad("max_question_chars must be 1..2000");
  if (s.max_tags < 0 || s.max_tags > 32) return bad("max_tags must be 0..32");
  if (s.max_tag_chars < 1 || s.max_tag_chars > 40) return bad("max_tag_chars must be 1..40");
  if (s.max_answer_chars < 1 || s.max_answer_chars > 2000)
    return bad("max_answer_chars must be 1..2000");
  if (s.max_reject_text_chars < 0 || s.max_reject_text_chars > 1000)
    return bad("max_reject_text_chars must be 0..1000");
  if (s.reject_reasons.empty() || s.reject_reasons.size() > L::kMaxRejectReasons)
    return bad("reject_reasons must hold 1..32 reasons");
  for (const auto& r : s.reject_reasons) {
    if (r.empty() || !is_valid_utf8(r) || count_chars(r) > L::kMaxRejectReasonChars)
      return bad("each reject reason must be 1..40 characters of valid UTF-8");
  }
  if (s.chat_delay_ms < 0 || s.chat_delay_ms > L::kMaxChatDelayMs)
    return bad("chat_delay_ms must be 0..30000");
  if (s.slow_mode_ms < 0 || s.slow_mode_ms > L::kMaxSlowModeMs)
    return bad("slow_mode_ms must be 0..600000");
  return ok_status();
}

std::string to_json(const ModerationSettings& s) {
  nlohmann::json j = {
      {"questions_premoderated", s.questions_premoderated},
      {"intake_open", s.intake_open},
      {"max_question_chars", s.max_question_chars},
      {"max_tags", s.max_tags},
      {"max_tag_chars", s.max_tag_chars},
      {"max_answer_chars", s.max_answer_chars},
      {"max_reject_text_chars", s.max_reject_text_chars},
      {"reject_reasons", s.reject_reasons},
      {"comments_premoderated", s.comments_premoderated},
      {"chat_delay_ms", s.chat_delay_ms},
      {"slow_mode_ms", s.slow_mode_ms},
  };
  return j.dump();
}

Result<ModerationSettings> settings_from_json(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad("settings must be a JSON object");
  ModerationSettings s;
  try {
    auto get = [&](const char* k, auto& v) {
      if (j.contains(k)) v = j.at(k).get<std::remove_reference_t<decltype(v)>>();
    };
    get("questions_premoderated", s.questions_premoderated);
    get("intake_open", s.intake_open);
    get("max_question_chars", s.max_question_chars);
    get("max_tags", s.max_tags);
    get("max_tag_chars", s.max_tag_chars);
    get("max_answer_chars", s.max_answer_chars);
    get("max_reject_text_chars", s.max_reject_text_chars);
    get("reject_reasons", s.reject_reasons);
    get("comments_premoderated", s.comments_premoderated);
    get("chat_delay_ms", s.chat_delay_ms);
    get("slow_mode_ms", s.slow_mode_ms);
  } catch (const nlohmann::json::exception& e) {
    return bad(std::string("wrong type in settings: ") + e.what());
  }
  if (auto st = validate(s); !st) return st.error();
  return s;
}

}  // namespace forumcast::moderation
