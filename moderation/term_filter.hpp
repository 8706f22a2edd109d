// moderation/term_filter.hpp: blocked terms with an action each (mask, hold, reject,
// timeout), matched in one pass over folded text (TextNormalizer + TermAutomaton).
// Returns the matches with their byte ranges in the original text, the strongest
// action, and the text with masked terms replaced by ＊ (one per original character).
// Persisting the list and auditing edits is the caller's job (store/, audit.hpp).
//
// Threading: check() may run on any number of threads (the chat service thread)
// while set_terms() runs on another (an HTTP/admin handler or a worker): set_terms()
// builds a new automaton on the calling thread, then swaps an
// atomic<shared_ptr<const Snapshot>>; readers keep the snapshot they loaded and never
// wait for a build. Concurrent set_terms() calls: the last swap wins.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "moderation/text_normalizer.hpp"

namespace forumcast::moderation {

// Ordered by strength: the strongest matched action decides.
enum class TermAction { none, mask, hold, reject, timeout };
std::string_view to_string(TermAction a);
std::optional<TermAction> term_action_from_string(std::string_view s);

struct TermLimits {
  static constexpr size_t kMaxTerms = 50'000;
  static constexpr size_t kMaxTermChars = 32;                // before folding
  static constexpr int64_t kDefaultTimeoutMs = 10 * 60'000;  // action timeout
  static constexpr int64_t kMaxTimeoutMs = 7 * 24 * 3'600'000LL;
};

struct BlockedTerm {
  std::string term;  // as the organizer typed it
  TermAction action = TermAction::hold;
  int64_t timeout_ms = TermLimits::kDefaultTimeoutMs;  // for action timeout
};

struct TermMatch {
  std::string term;  // the blocked term as configured
  TermAction action = TermAction::hold;
  size_t begin = 0;  // byte range of the matched characters in the checked text
  size_t end = 0;
};

struct FilterResult {
  std::vector<TermMatch> matches;  // in text order
  TermAction action = TermAction::none;
  int64_t timeout_ms = 0;   // longest timeout among timeout matches
  std::string masked_text;  // the text with every mask match replaced; else the text
};

class TermFilter {
 public:
  explicit TermFilter(std::shared_ptr<const TextNormalizer> normalizer);
  ~TermFilter();

  // Replaces the list. invalid_term (with the offending term in the message) when a
  // term is empty after folding, too long, not UTF-8, or the list is too long; the
  // old list stays in force then. Terms folding to the same text keep the strongest action.
  Status set_terms(std::vector<BlockedTerm> terms);
  std::vector<BlockedTerm> terms() const;

  FilterResult check(std::string_view text) const;

  const TextNormalizer& normalizer() const { return *normalizer_; }

 private:
  struct Snapshot;
  std::shared_ptr<const TextNormalizer> normalizer_;
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace forumcast::moderation
