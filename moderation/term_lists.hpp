// moderation/term_lists.hpp: editing the persisted blocked-term lists (one per
// forum, plus the global list, scope "") from the HTTP API, the CLI and the
// moderator console: list, add (or change the action of) terms, remove terms,
// replace a list. Each change is validated exactly as the running filter would
// (TermFilter rules: invalid_term naming the term), written with its audit entry
// (`terms.update`, before/after lists) in one store transaction, and announced
// process-wide so that every forum's running filter is rebuilt before its next
// comment (ForumModeration compares term_lists_generation()).
//
// Another process (the CLI next to a running server) announces through a marker
// file in the data directory (set_term_change_marker): the server stats it at most
// every 250 ms and bumps the generation when its modification time changes.
//
// Threading: the edit functions run on any thread that may use the store;
// term_lists_generation() is cheap (an atomic load, a stat() at most every 250 ms)
// and safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/domain.hpp"
#include "core/result.hpp"
#include "moderation/question.hpp"
#include "moderation/term_filter.hpp"
#include "store/question_store.hpp"

namespace forumcast::moderation {

// scope: a forum id, or "" for the global list.
Result<std::vector<BlockedTerm>> list_terms(BlockedTermStore& store, const std::string& scope);

struct TermEdit {
  std::vector<BlockedTerm> add;     // a term already in the list gets the new action
  std::vector<std::string> remove;  // exact terms as listed; unknown ones: not_found
  bool replace = false;             // true: the list becomes exactly `add`
};

struct TermEditResult {
  std::vector<BlockedTerm> before, after;
  bool changed = false;  // false: nothing written, no audit
};

// Validates the resulting list with `normalizer` (invalid_term), writes it and one
// audit entry (actor, forum = scope) when it changed, then announces the change.
// Errors: invalid_term, not_found (a term to remove is not in the list), store errors.
Result<TermEditResult> edit_terms(BlockedTermStore& store, const TextNormalizer& normalizer,
                                  const std::string& scope, const Actor& who, const TermEdit& edit,
                                  int64_t now_ms);

// The JSON form used by the HTTP API and the protocol: [{term, action, timeout_ms?}].
std::string terms_json(const std::vector<BlockedTerm>& terms);
// Parses one term object's fields (action: mask|hold|reject|timeout; timeout_ms
// optional, default 10 min). Errors: invalid_term.
Result<BlockedTerm> term_from_fields(const std::string& term, const std::string& action,
                                     std::optional<int64_t> timeout_ms);

// Process-wide change announcements.
void set_term_change_marker(const std::string& path);  // "" = none
void note_term_lists_changed();                        // bump + touch the marker
uint64_t term_lists_generation();

}  // namespace forumcast::moderation
