// moderation/errors.hpp: the closed list of error codes moderation/ returns, so that
// chat/ can pass them to clients unchanged (docs/moderation.md lists them with their
// meaning; docs/protocol.md repeats them for the wire).
#pragma once

#include <string_view>

namespace forumcast::moderation::errc {

inline constexpr std::string_view forbidden = "forbidden";  // role may not do this
inline constexpr std::string_view not_found = "not_found";  // no such question/ban
inline constexpr std::string_view illegal_transition = "illegal_transition";  // state forbids op
inline constexpr std::string_view already_on_air = "already_on_air";          // another is on air
inline constexpr std::string_view invalid_merge = "invalid_merge";            // bad merge target
inline constexpr std::string_view invalid_parent = "invalid_parent";  // follow-up of follow-up
inline constexpr std::string_view intake_paused = "intake_paused";    // forum not taking questions
inline constexpr std::string_view invalid_utf8 = "invalid_utf8";
inline constexpr std::string_view text_empty = "text_empty";
inline constexpr std::string_view too_long = "too_long";              // text over its limit
inline constexpr std::string_view invalid_reason = "invalid_reason";  // reject reason not listed
inline constexpr std::string_view invalid_tag = "invalid_tag";
inline constexpr std::string_view not_votable = "not_votable";  // vote on pending/...
inline constexpr std::string_view already_voted = "already_voted";
inline constexpr std::string_view not_voted = "not_voted";
inline constexpr std::string_view invalid_setting = "invalid_setting";
inline constexpr std::string_view invalid_term = "invalid_term";  // blocked-term list
inline constexpr std::string_view invalid_ban = "invalid_ban";
inline constexpr std::string_view rate_limited = "rate_limited";  // slow mode
inline constexpr std::string_view banned = "banned";              // device/IP banned
inline constexpr std::string_view timed_out = "timed_out";        // device/IP timed out
inline constexpr std::string_view blocked_term = "blocked_term";  // filter: reject/timeout
// agenda_item names no item of this forum's agenda (checked by chat/, which reads it)
inline constexpr std::string_view unknown_agenda_item = "unknown_agenda_item";

}  // namespace forumcast::moderation::errc
