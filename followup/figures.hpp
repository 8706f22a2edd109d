// followup/figures.hpp: the accountability figures (问责数字) of one forum, overall
// and per compound, computed from a Transcript's raw records only. The exact
// definitions are in docs/transcript.md ("Figures"); in short:
//   question counts are over top-level questions, grouped by the asker's compound;
//   ticket counts are over tickets, grouped by the ticket's location compound;
//   every count of the forum is the sum of the same count over its compounds.
// Used by the json writer, the xlsx Summary sheet, the minutes and (later) the
// organizer page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "followup/transcript.hpp"

namespace forumcast::followup {

struct Figures {
  std::string compound;  // "" = the whole forum (or, in by_compound, "compound not given")
  // Questions (top-level only), by the asker's compound.
  int64_t asked = 0;          // every top-level question, any status
  int64_t approved = 0;       // status approved, on_air or answered
  int64_t answered_live = 0;  // at least one on-air range that ended "answered"
  int64_t ticketed = 0;       // a ticket was made from it or from one of its follow-ups
  int64_t follow_ups = 0;     // follow-ups in those threads, any status
  int64_t votes = 0;          // sum of votes of those questions
  // Tickets, by the ticket's location compound.
  int64_t tickets = 0;
  int64_t resolved = 0;        // state resolved or closed now
  int64_t ever_resolved = 0;   // entered `resolved` at least once (resolution_round > 0)
  int64_t rated = 0;           // tickets with at least one rating
  int64_t ratings = 0;         // number of ratings
  int64_t rating_stars = 0;    // sum of their stars
  int64_t resolve_ms_sum = 0;  // sum of the times to resolve of `resolved` tickets
  std::optional<int64_t> median_resolve_ms;  // nearest-rank p50 of time to resolve
  std::optional<int64_t> p90_resolve_ms;     // nearest-rank p90
  std::optional<double> average_rating;      // rating_stars / ratings
  std::optional<double> share_rated;         // rated / ever_resolved
};

struct FiguresReport {
  Figures forum;
  std::vector<Figures> by_compound;  // sorted by compound name (UTF-8 byte order); "" last
};

FiguresReport compute_figures(const Transcript& t);
// The same over several forums at once (the cross-forum figures of
// GET /api/v1/figures): every count is the sum over the forums, medians and
// percentiles are over all their tickets together.
FiguresReport compute_figures(const std::vector<const Transcript*>& forums);

// The report as JSON text: {"forum":{...},"by_compound":[...]} with the fields of
// the transcript's "figures" object (docs/transcript.md "Figures").
std::string figures_json(const FiguresReport& r);

// Nearest-rank percentile (p in 1..100) of a non-empty list: the value at 1-based
// rank ceil(p/100 * n) of the sorted list. Exposed for tests and docs.
int64_t nearest_rank(std::vector<int64_t> values, int p);

// Time to resolve of one ticket: resolved_ms - created_ms (nullopt if never resolved).
std::optional<int64_t> time_to_resolve(const Ticket& t);

}  // namespace forumcast::followup
