// moderation/term_lists.cpp: list/add/remove/replace on the persisted blocked-term
// lists with validation, audit and the process-wide change generation (see
// term_lists.hpp).
#include "moderation/term_lists.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "moderation/audit.hpp"
#include "moderation/errors.hpp"
#include "moderation/question_rows.hpp"

namespace forumcast::moderation {
namespace {

constexpr int64_t kMarkerPollMs = 250;

std::atomic<uint64_t> g_generation{1};
std::atomic<int64_t> g_next_poll_ms{0};
std::mutex g_marker_mu;  // guards the two below
std::string g_marker_path;
int64_t g_marker_mtime_ns = -1;

int64_t mono_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t mtime_ns(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

}  // namespace

Result<std::vector<BlockedTerm>> list_terms(BlockedTermStore& store, const std::string& scope) {
  auto rows = store.list_terms(scope);
  if (!rows) return rows.error();
  std::vector<BlockedTerm> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    auto t = from_row(r);
    if (!t) return t.error();
    out.push_back(std::move(*t));
  }
  return out;
}

Result<BlockedTerm> term_from_fields(const std::string& term, const std::string& action,
                                     std::optional<int64_t> timeout_ms) {
  auto a = term_action_from_string(action);
  if (!a || *a == TermAction::none)
    return make_error(std::string(errc::invalid_term),
                      "blocked term '" + term + "': action must be mask, hold, reject or timeout");
  BlockedTerm t;
  t.term = term;
  t.action = *a;
  if (timeout_ms) t.timeout_ms = *timeout_ms;
  return t;
}

Result<TermEditResult> edit_terms(BlockedTermStore& store, const TextNormalizer& normalizer,
                                  const std::string& scope, const Actor& who, const TermEdit& edit,
                                  int64_t now_ms) {
  auto current = list_terms(store, scope);
  if (!current) return current.error();
  TermEditResult r;
  r.before = *current;
  std::vector<BlockedTerm> next = edit.replace ? std::vector<BlockedTerm>{} : *current;
  for (const auto& gone : edit.remove) {
    auto it = std::find_if(next.begin(), next.end(),
                           [&](const BlockedTerm& t) { return t.term == gone; });
    if (it == next.end())
      return make_error("not_found", "'" + gone + "' is not in the blocked-term list");
    next.erase(it);
  }
  for (const auto& t : edit.add) {
    auto it = std::find_if(next.begin(), next.end(),
                           [&](const BlockedTerm& x) { return x.term == t.term; });
    if (it != next.end())
      *it = t;
    else
      next.push_back(t);
  }
  // The running filter's own rules; the borrowed normalizer outlives this filter.
  TermFilter check(std::shared_ptr<const TextNormalizer>(std::shared_ptr<void>(), &normalizer));
  if (Status st = check.set_terms(next); !st) return st.error();
  auto same = [](const BlockedTerm& a, const BlockedTerm& b) {
    return a.term == b.term && a.action == b.action &&
           (a.action != TermAction::timeout || a.timeout_ms == b.timeout_ms);
  };
  r.changed = next.size() != r.before.size() ||
              !std::equal(next.begin(), next.end(), r.before.begin(), same);
  r.after = std::move(next);
  if (!r.changed) return r;
  std::vector<BlockedTermRow> rows;
  rows.reserve(r.after.size());
  for (const auto& t : r.after) rows.push_back(to_row(t));
  if (Status st =
          store.replace_terms(scope, rows, audit_terms(scope, who, r.before, r.after, now_ms));
      !st)
    return st.error();
  note_term_lists_changed();
  return r;
}

std::string terms_json(const std::vector<BlockedTerm>& terms) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& t : terms) {
    nlohmann::json x = {{"term", t.term}, {"action", to_string(t.action)}};
    if (t.action == TermAction::timeout) x["timeout_ms"] = t.timeout_ms;
    a.push_back(std::move(x));
  }
  return a.dump();
}

void set_term_change_marker(const std::string& path) {
  std::lock_guard lk(g_marker_mu);
  g_marker_path = path;
  g_marker_mtime_ns = mtime_ns(path);
}

void note_term_lists_changed() {
  g_generation.fetch_add(1);
  std::lock_guard lk(g_marker_mu);
  if (g_marker_path.empty()) return;
  {
    std::ofstream out(g_marker_path, std::ios::trunc);
    out << "blocked-term lists changed; forumcast servers on this data directory reload them\n";
  }
  g_marker_mtime_ns = mtime_ns(g_marker_path);  // our own touch is not news
}

uint64_t term_lists_generation() {
  int64_t now = mono_ms();
  int64_t due = g_next_poll_ms.load(std::memory_order_relaxed);
  if (now >= due &&
      g_next_poll_ms.compare_exchange_strong(due, now + kMarkerPollMs, std::memory_order_relaxed)) {
    std::lock_guard lk(g_marker_mu);
    if (!g_marker_path.empty()) {
      int64_t m = mtime_ns(g_marker_path);
      if (m != g_marker_mtime_ns) {
        g_marker_mtime_ns = m;
        g_generation.fetch_add(1);
      }
    }
  }
  return g_generation.load();
}

}  // namespace forumcast::moderation
