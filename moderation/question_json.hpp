// moderation/question_json.hpp: JSON text for question records, used for history and
// audit before/after values and offered to chat/ and followup/ as the canonical record
// form. nlohmann/json stays inside question_json.cpp.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "moderation/question.hpp"

namespace forumcast::moderation {

// The whole record (ids, asker, text, state, votes, co-signers, ranges, answers, times).
// It includes asker_device_hash: strip it before sending to anyone but the server.
std::string to_json(const Question& q);

// Only the named fields, e.g. {"state", "merged_into"} -> {"state":"merged","merged_into":7}.
// Field names are the keys of to_json(); unknown names are skipped.
std::string fields_json(const Question& q, std::initializer_list<std::string_view> fields);

}  // namespace forumcast::moderation
