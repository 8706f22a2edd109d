// chat/question_ops.hpp: the wire form of questions for the moderation ops
// (docs/moderation.md "Protocol"): which record each audience gets and the event
// objects of a question change. The question ops themselves are ForumModeration
// members (chat/moderation_ops.hpp), defined in question_ops.cpp. The device hash
// of an asker never leaves the server.
#pragma once

#include <string>
#include <string_view>

#include "moderation/question.hpp"

namespace forumcast::chat {

// Residents other than the asker (and panelists) see approved, on-air and answered
// top-level questions and follow-ups.
bool publicly_visible(const moderation::Question& q);

// The record as JSON text (moderation/question_json.hpp keys) without
// asker_device_hash. `staff`: everything; otherwise also without reject details of
// other people's questions (the asker's own record keeps them).
std::string question_wire_json(const moderation::Question& q, bool staff);

// {"ev":"question","forum":..,"op":..,"question":{..}}
std::string question_event_json(std::string_view forum, std::string_view op,
                                const std::string& question_json);

// Op names handled by the question part (ask, vote, approve, ...).
bool is_question_op(std::string_view op);

}  // namespace forumcast::chat
