// moderation/question_rows.hpp: conversions between moderation's types and the rows
// of store/question_store.hpp, so that the server can persist QuestionChange, votes,
// bans, blocked terms and settings, and restore them at start-up. JSON for the nested
// lists is built and parsed in question_rows.cpp.
#pragma once

#include "core/result.hpp"
#include "moderation/bans.hpp"
#include "moderation/question.hpp"
#include "moderation/question_machine.hpp"
#include "moderation/term_filter.hpp"
#include "store/question_store.hpp"

namespace forumcast::moderation {

QuestionRow to_row(const Question& q);
// store_error when a stored enum or JSON column cannot be read.
Result<Question> from_row(const QuestionRow& r);

QuestionHistoryRow to_row(const std::string& forum_id, const QuestionHistoryEntry& h);
QuestionChangeRecord to_record(const std::string& forum_id, const QuestionChange& c);

BanRow to_row(const BanRecord& b);
Result<BanRecord> from_row(const BanRow& r);

BlockedTermRow to_row(const BlockedTerm& t);
Result<BlockedTerm> from_row(const BlockedTermRow& r);

}  // namespace forumcast::moderation
