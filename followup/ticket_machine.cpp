// followup/ticket_machine.cpp: the ticket state machine (see ticket_machine.hpp
// for the legal moves and the error codes). Pure logic over a Ticket value and
// a Clock; no I/O.
#include "followup/ticket_machine.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace forumcast::followup {
namespace {

using S = TicketState;

bool valid_text(const std::string& s, int max_chars, bool allow_empty) {
  if (!is_valid_utf8(s)) return false;
  if (s.empty()) return allow_empty;
  return count_chars(s) <= static_cast<size_t>(max_chars);
}

Error illegal(TicketState from, TicketState to) {
  return make_error("illegal_transition", "a ticket cannot go from " +
                                              std::string(to_string(from)) + " to " +
                                              std::string(to_string(to)));
}

}  // namespace

TicketMachine::TicketMachine(const Clock& clock, TicketPolicy policy)
    : clock_(clock), policy_(policy) {}

bool TicketMachine::is_legal(TicketState from, TicketState to) {
  switch (from) {
    case S::open:
      return to == S::assigned;
    case S::assigned:
      return to == S::in_progress;
    case S::in_progress:
      return to == S::resolved;
    case S::resolved:
      return to == S::closed || to == S::reopened;
    case S::closed:
      return to == S::reopened;
    case S::reopened:
      return to == S::assigned || to == S::in_progress || to == S::resolved;
  }
  return false;
}

Status TicketMachine::check_note(const std::string& note) const {
  if (!valid_text(note, policy_.max_note_chars, true))
    return make_error("note_too_long", "a note is valid UTF-8 of at most " +
                                           std::to_string(policy_.max_note_chars) + " characters");
  return ok_status();
}

void TicketMachine::record(Ticket& t, std::string action, TicketState to, const std::string& actor,
                           const std::string& note, bool is_public) const {
  TicketEvent e;
  e.action = std::move(action);
  e.from = t.state;
  e.to = to;
  e.actor = actor;
  e.at_ms = clock_.wall_ms();
  e.note = note;
  e.is_public = is_public;
  if (to != t.state) {
    if (to == S::resolved) {
      t.resolved_ms = e.at_ms;
      t.resolution_round += 1;
    }
    if (to == S::closed) t.closed_ms = e.at_ms;
  }
  t.state = to;
  t.history.push_back(std::move(e));
}

Result<Ticket> TicketMachine::create(int64_t id, NewTicket spec, const std::string& actor) const {
  if (!valid_text(spec.title, policy_.max_title_chars, false))
    return make_error("invalid_ticket", "a ticket needs a title of 1 to " +
                                            std::to_string(policy_.max_title_chars) +
                                            " characters");
  if (!valid_text(spec.description, policy_.max_description_chars, true))
    return make_error("invalid_ticket", "a description has at most " +
                                            std::to_string(policy_.max_description_chars) +
                                            " characters");
  if (!valid_text(spec.location.compound, 100, true) ||
      !valid_text(spec.location.building, 100, true))
    return make_error("invalid_ticket", "a location has at most 100 characters per part");
  Ticket t;
  t.id = id;
  t.forum_id = std::move(spec.forum_id);
  t.question_id = spec.question_id;
  t.title = std::move(spec.title);
  t.description = std::move(spec.description);
  t.category = spec.category;
  t.location = std::move(spec.location);
  t.due_ms = spec.due_ms;
  t.created_by = actor;
  t.created_ms = clock_.wall_ms();
  record(t, "create", S::open, actor, "", false);
  return t;
}

Status TicketMachine::assign(Ticket& t, std::vector<Assignee> assignees, const std::string& actor,
                             const std::string& note, bool is_public) const {
  if (t.state == S::closed)
    return make_error("ticket_closed", "a closed ticket must be reopened first");
  if (assignees.empty()) return make_error("no_assignee", "name at least one department or worker");
  if (assignees.size() > static_cast<size_t>(policy_.max_assignees))
    return make_error("too_many_assignees",
                      "at most " + std::to_string(policy_.max_assignees) + " assignees");
  for (const auto& a : assignees)
    if (!valid_text(a.name, 100, false))
      return make_error("no_assignee", "an assignee needs a name of 1 to 100 characters");
  if (auto s = check_note(note); !s) return s;
  TicketState to = t.state;
  if (t.state == S::open || t.state == S::reopened) to = S::assigned;
  t.assignees = std::move(assignees);
  std::string text;
  for (const auto& a : t.assignees) text += (text.empty() ? "" : "、") + a.name;
  record(t, "assign", to, actor, note.empty() ? text : text + ": " + note, is_public);
  return ok_status();
}

Status TicketMachine::transition(Ticket& t, TicketState to, const std::string& actor,
                                 const std::string& note, bool is_public) const {
  if (!is_legal(t.state, to)) return illegal(t.state, to);
  if (to == S::assigned && t.assignees.empty())
    return make_error("no_assignee", "assign a department or worker first");
  if (auto s = check_note(note); !s) return s;
  record(t, "transition", to, actor, note, is_public);
  return ok_status();
}

Status TicketMachine::add_note(Ticket& t, const std::string& actor, const std::string& note,
                               bool is_public) const {
  if (t.state == S::closed) return make_error("ticket_closed", "a closed ticket takes no notes");
  if (note.empty()) return make_error("note_too_long", "a note cannot be empty");
  if (auto s = check_note(note); !s) return s;
  record(t, "note", t.state, actor, note, is_public);
  return ok_status();
}

Status TicketMachine::rate(Ticket& t, Rating r) const {
  if (t.state != S::resolved && t.state != S::closed)
    return make_error("not_resolved", "a ticket can be rated once it is resolved");
  if (r.stars < 1 || r.stars > 5) return make_error("invalid_rating", "a rating is 1 to 5 stars");
  if (!valid_text(r.comment, policy_.max_note_chars, true))
    return make_error("invalid_rating", "a rating comment has at most " +
                                            std::to_string(policy_.max_note_chars) + " characters");
  r.round = t.resolution_round;
  for (const auto& old : t.ratings)
    if (old.rater == r.rater && old.round == r.round)
      return make_error("already_rated", "this resolution has already been rated by this resident");
  r.at_ms = clock_.wall_ms();
  const bool reopen = policy_.reopen_at_or_below_stars > 0 &&
                      r.stars <= policy_.reopen_at_or_below_stars && !r.comment.empty();
  const std::string who = r.rater_name.empty() ? r.rater : r.rater_name;
  const std::string note =
      std::to_string(r.stars) + "/5" + (r.comment.empty() ? "" : ": " + r.comment);
  t.ratings.push_back(r);
  if (reopen) {
    record(t, "rate", S::reopened, who, note, true);
  } else if (r.confirmed && policy_.close_on_confirm && t.state == S::resolved) {
    record(t, "rate", S::closed, who, note, true);
  } else {
    record(t, "rate", t.state, who, note, true);
  }
  return ok_status();
}

bool TicketMachine::auto_close_due(const Ticket& t, int64_t now_ms) const {
  if (policy_.auto_close_days <= 0 || t.state != S::resolved || !t.resolved_ms) return false;
  return now_ms - *t.resolved_ms >= int64_t{policy_.auto_close_days} * 86'400'000;
}

std::vector<int64_t> TicketMachine::auto_close_due(const std::vector<Ticket>& ts,
                                                   int64_t now_ms) const {
  std::vector<int64_t> ids;
  for (const auto& t : ts)
    if (auto_close_due(t, now_ms)) ids.push_back(t.id);
  return ids;
}

int TicketMachine::run_auto_close(std::vector<Ticket>& ts) const {
  const int64_t now = clock_.wall_ms();
  int n = 0;
  for (auto& t : ts) {
    if (!auto_close_due(t, now)) continue;
    record(t, "auto_close", S::closed, "system",
           "no rating within " + std::to_string(policy_.auto_close_days) + " days", true);
    ++n;
  }
  return n;
}

}  // namespace forumcast::followup
