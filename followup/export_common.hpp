// followup/export_common.hpp: what the writers share and nothing else uses:
// bilingual labels (zh-CN default, en), an index from questions to their
// tickets, the privacy predicates, and small formatting helpers. Internal to
// followup/ (not part of the public interface in writers.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "followup/figures.hpp"
#include "followup/transcript.hpp"
#include "followup/writers.hpp"

namespace forumcast::followup::detail {

struct Labels {
  // columns
  std::string_view id, status, category, agenda, text, original_text, asker, compound, building,
      phone, device_token, source, votes, follow_ups, asked_at, on_air_at, on_air_end, answered_by,
      answer_summary, replay, tickets, reject_reason, merged_into, tags, parent, time, stream_time,
      author, hidden, title, description, assignees, state, due, created_at, created_by,
      resolved_at, closed_at, hours_to_resolve, ratings, average_rating, last_rating_comment,
      public_notes, question, rater_keys;
  // minutes
  std::string_view minutes, date, topic, panel, role, planned, minutes_unit, qa, not_on_agenda,
      answer, video, follow_up, summary, all, no_compound, forum_state, generated, none, yes, name,
      position, asked_by;
  // figures
  std::string_view f_asked, f_approved, f_answered_live, f_ticketed, f_follow_ups, f_votes,
      f_tickets, f_resolved, f_ever_resolved, f_rated, f_ratings, f_median_h, f_p90_h,
      f_average_rating, f_share_rated;
};

const Labels& labels(Lang l);
std::string_view label(Lang l, QuestionState s);
std::string_view label(Lang l, QuestionCategory c);
std::string_view label(Lang l, TicketState s);
std::string_view label(Lang l, TicketCategory c);
std::string_view label(Lang l, PanelRole r);
std::string_view label(Lang l, std::string_view source);  // "resident" / "offline"

// Tickets by the top-level question they belong to (made from it or a follow-up).
class TicketIndex {
 public:
  explicit TicketIndex(const Transcript& t);
  const std::vector<const Ticket*>& of(int64_t question_id) const;  // by question or follow-up id
  std::optional<int64_t> thread_of(int64_t question_id) const;

 private:
  std::unordered_map<int64_t, int64_t> thread_;
  std::unordered_map<int64_t, std::vector<const Ticket*>> by_thread_;
  std::vector<const Ticket*> empty_;
};

inline bool comment_visible(const Comment& c, const ExportOptions& o) {
  return !c.hidden || o.include_hidden_comments;
}

// The range that answered the question (the last answered one), or nullptr.
const OnAirRange* answer_of(const Question& q);
// The first on-air range, or nullptr.
inline const OnAirRange* first_air(const Question& q) {
  return q.on_air.empty() ? nullptr : &q.on_air.front();
}

std::string rfc3339_or_empty(int64_t wall_ms);  // "" for 0
std::string reject_display(const Question& q);  // "reason: free text", either alone, or ""
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string ticket_ids(const std::vector<const Ticket*>& ts);  // "T12, T15"
std::string assignee_names(const Ticket& t);                   // "物业、张师傅"
std::string fixed(double v, int decimals);                     // "4.25"
std::string hours(int64_t ms);                                 // "12.5"

// Minutes order: agenda items in order (then questions on no item); within a
// group, questions that went on air by first on-air time, then the rest by
// votes (descending) then id.
std::vector<std::pair<const AgendaItem*, std::vector<const Question*>>> minutes_groups(
    const Transcript& t);

}  // namespace forumcast::followup::detail
