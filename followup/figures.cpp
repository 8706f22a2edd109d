// followup/figures.cpp: accountability figures from raw records (definitions in
// figures.hpp and docs/transcript.md). One pass over questions and tickets into
// per-compound buckets; the forum row is the same computation over everything,
// so that its counts equal the sums of the compound rows.
#include "followup/figures.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace forumcast::followup {
namespace {

struct Bucket {
  Figures f;
  std::vector<int64_t> resolve_times;
};

bool is_approved(QuestionState s) {
  return s == QuestionState::approved || s == QuestionState::on_air || s == QuestionState::answered;
}

bool answered_live(const Question& q) {
  return std::any_of(q.on_air.begin(), q.on_air.end(),
                     [](const OnAirRange& r) { return r.answered; });
}

void finish(Bucket& b) {
  Figures& f = b.f;
  if (!b.resolve_times.empty()) {
    f.median_resolve_ms = nearest_rank(b.resolve_times, 50);
    f.p90_resolve_ms = nearest_rank(b.resolve_times, 90);
  }
  if (f.ratings > 0)
    f.average_rating = static_cast<double>(f.rating_stars) / static_cast<double>(f.ratings);
  if (f.ever_resolved > 0)
    f.share_rated = static_cast<double>(f.rated) / static_cast<double>(f.ever_resolved);
}

}  // namespace

int64_t nearest_rank(std::vector<int64_t> values, int p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  size_t rank = (static_cast<size_t>(p) * n + 99) / 100;  // ceil(p*n/100)
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return values[rank - 1];
}

std::optional<int64_t> time_to_resolve(const Ticket& t) {
  if (!t.resolved_ms) return std::nullopt;
  return *t.resolved_ms - t.created_ms;
}

FiguresReport compute_figures(const Transcript& t) {
  return compute_figures(std::vector<const Transcript*>{&t});
}

FiguresReport compute_figures(const std::vector<const Transcript*>& forums) {
  Bucket all;
  std::map<std::string, Bucket> by;
  for (const Transcript* tp : forums) {
    const Transcript& t = *tp;
    // question id (top-level or follow-up) -> top-level id (ids are unique across forums)
    std::unordered_map<int64_t, int64_t> thread;
    for (const auto& q : t.questions) {
      thread[q.id] = q.id;
      for (const auto& f : q.follow_ups) thread[f.id] = q.id;
    }
    std::unordered_set<int64_t> ticketed;
    for (const auto& tk : t.tickets)
      if (tk.question_id)
        if (auto it = thread.find(*tk.question_id); it != thread.end()) ticketed.insert(it->second);
    auto add_question = [&](Bucket& b, const Question& q) {
      b.f.asked += 1;
      b.f.approved += is_approved(q.state) ? 1 : 0;
      b.f.answered_live += answered_live(q) ? 1 : 0;
      b.f.ticketed += ticketed.count(q.id) ? 1 : 0;
      b.f.follow_ups += static_cast<int64_t>(q.follow_ups.size());
      b.f.votes += q.votes;
    };
    auto add_ticket = [&](Bucket& b, const Ticket& tk) {
      b.f.tickets += 1;
      const bool resolved = tk.state == TicketState::resolved || tk.state == TicketState::closed;
      if (resolved) {
        b.f.resolved += 1;
        if (auto d = time_to_resolve(tk)) {
          b.resolve_times.push_back(*d);
          b.f.resolve_ms_sum += *d;
        }
      }
      b.f.ever_resolved += tk.resolution_round > 0 ? 1 : 0;
      b.f.rated += tk.ratings.empty() ? 0 : 1;
      b.f.ratings += static_cast<int64_t>(tk.ratings.size());
      for (const auto& r : tk.ratings) b.f.rating_stars += r.stars;
    };
    for (const auto& q : t.questions) {
      add_question(all, q);
      add_question(by[q.asker.compound], q);
    }
    for (const auto& tk : t.tickets) {
      add_ticket(all, tk);
      add_ticket(by[tk.location.compound], tk);
    }
  }

  FiguresReport out;
  finish(all);
  out.forum = std::move(all.f);
  std::optional<Figures> unknown;
  for (auto& [name, b] : by) {
    finish(b);
    b.f.compound = name;
    if (name.empty())
      unknown = std::move(b.f);
    else
      out.by_compound.push_back(std::move(b.f));
  }
  if (unknown) out.by_compound.push_back(std::move(*unknown));
  return out;
}

}  // namespace forumcast::followup
