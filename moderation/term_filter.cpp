// moderation/term_filter.cpp: term list validation, snapshot building and swapping,
// and check(): fold, scan, map matches back to byte ranges, pick the strongest action,
// mask. Scratch buffers are thread_local so the hot path allocates only its results.
#include "moderation/term_filter.hpp"

#include <algorithm>
#include <map>

#include "core/text.hpp"
#include "moderation/errors.hpp"
#include "moderation/term_automaton.hpp"

namespace forumcast::moderation {
namespace {

constexpr std::string_view kMask = "\xEF\xBC\x8A";  // U+FF0A FULLWIDTH ASTERISK ＊

constexpr std::pair<TermAction, std::string_view> kActions[] = {{TermAction::none, "none"},
                                                                {TermAction::mask, "mask"},
                                                                {TermAction::hold, "hold"},
                                                                {TermAction::reject, "reject"},
                                                                {TermAction::timeout, "timeout"}};

Error bad(std::string message) {
  return make_error(std::string(errc::invalid_term), std::move(message));
}

}  // namespace

std::string_view to_string(TermAction a) {
  for (auto [k, v] : kActions)
    if (k == a) return v;
  return "none";
}

std::optional<TermAction> term_action_from_string(std::string_view s) {
  for (auto [k, v] : kActions)
    if (v == s) return k;
  return std::nullopt;
}

struct TermFilter::Snapshot {
  std::vector<BlockedTerm> terms;     // as set, for terms()
  std::vector<BlockedTerm> patterns;  // one per distinct folded term, strongest action
  TermAutomaton automaton;
};

TermFilter::TermFilter(std::shared_ptr<const TextNormalizer> normalizer)
    : normalizer_(std::move(normalizer)) {
  auto empty = std::make_shared<Snapshot>();
  empty->automaton = TermAutomaton::build({});
  current_.store(std::move(empty));
}

TermFilter::~TermFilter() = default;

Status TermFilter::set_terms(std::vector<BlockedTerm> terms) {
  if (terms.size() > TermLimits::kMaxTerms)
    return bad("at most " + std::to_string(TermLimits::kMaxTerms) + " blocked terms");
  auto snap = std::make_shared<Snapshot>();
  std::map<std::u32string, size_t> by_folded;
  std::vector<std::u32string> folded_patterns;
  NormalizedText n;
  for (const auto& t : terms) {
    if (!is_valid_utf8(t.term)) return bad("a blocked term is not valid UTF-8");
    if (count_chars(t.term) > TermLimits::kMaxTermChars)
      return bad("blocked term '" + t.term + "' is longer than 32 characters");
    if (t.action == TermAction::none) return bad("blocked term '" + t.term + "' has no action");
    if (t.action == TermAction::timeout &&
        (t.timeout_ms < 1'000 || t.timeout_ms > TermLimits::kMaxTimeoutMs))
      return bad("blocked term '" + t.term + "': timeout must be 1 s to 7 days");
    n.clear();
    normalizer_->normalize(t.term, n);
    if (n.chars.empty())
      return bad("blocked term '" + t.term + "' has no letters or digits to match");
    auto [it, inserted] = by_folded.try_emplace(n.chars, snap->patterns.size());
    if (inserted) {
      snap->patterns.push_back(t);
      folded_patterns.push_back(n.chars);
      continue;
    }
    BlockedTerm& have = snap->patterns[it->second];  // same folded text: strongest wins
    if (t.action > have.action) {
      have.action = t.action;
      have.term = t.term;
    }
    if (t.action == TermAction::timeout) have.timeout_ms = std::max(have.timeout_ms, t.timeout_ms);
  }
  snap->automaton = TermAutomaton::build(folded_patterns);
  snap->terms = std::move(terms);
  current_.store(std::shared_ptr<const Snapshot>(std::move(snap)));
  return ok_status();
}

std::vector<BlockedTerm> TermFilter::terms() const {
  return current_.load()->terms;
}

FilterResult TermFilter::check(std::string_view text) const {
  thread_local NormalizedText norm;
  thread_local std::vector<TermAutomaton::Hit> hits;
  std::shared_ptr<const Snapshot> snap = current_.load();
  norm.clear();
  hits.clear();
  normalizer_->normalize(text, norm);
  snap->automaton.scan(norm.chars, hits);

  FilterResult r;
  bool any_mask = false;
  r.matches.reserve(hits.size());
  for (const auto& h : hits) {
    const BlockedTerm& t = snap->patterns[h.pattern];
    size_t first = h.end + 1 - snap->automaton.pattern_length(h.pattern);
    r.matches.push_back(TermMatch{t.term, t.action, norm.begin[first], norm.end[h.end]});
    r.action = std::max(r.action, t.action);
    if (t.action == TermAction::timeout) r.timeout_ms = std::max(r.timeout_ms, t.timeout_ms);
    any_mask = any_mask || t.action == TermAction::mask;
  }
  std::sort(r.matches.begin(), r.matches.end(), [](const TermMatch& a, const TermMatch& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  if (!any_mask) {
    r.masked_text.assign(text);
    return r;
  }
  // Replace every character inside a mask match (including separators inserted
  // between the term's characters) by one ＊; overlapping matches merge.
  r.masked_text.reserve(text.size() + 16);
  size_t pos = 0;
  for (const auto& m : r.matches) {
    if (m.action != TermAction::mask || m.end <= pos) continue;
    size_t b = std::max(m.begin, pos);
    r.masked_text.append(text.substr(pos, b - pos));
    for (size_t i = b; i < m.end; ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) r.masked_text.append(kMask);
    pos = m.end;
  }
  r.masked_text.append(text.substr(pos));
  return r;
}

}  // namespace forumcast::moderation
