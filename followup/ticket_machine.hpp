// followup/ticket_machine.hpp: the rules of a ticket's life. Every change goes
// through here, is checked against the legal moves, and is appended to the
// ticket's history with who, when (from the injected Clock), a note and a
// public/internal flag. Illegal changes are refused with an Error and leave the
// ticket untouched. Persistence and notification (webhooks) are the caller's.
//
// Legal state moves (anything else is `illegal_transition`):
//   open        -> assigned            (needs at least one assignee)
//   assigned    -> in_progress
//   in_progress -> resolved
//   resolved    -> closed | reopened
//   closed      -> reopened
//   reopened    -> assigned | in_progress | resolved
// Not thread-safe: the caller serialises changes to one ticket.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "followup/ticket.hpp"

namespace forumcast::followup {

struct TicketPolicy {
  int max_title_chars = 100;         // limit: ticket.max_title_chars
  int max_description_chars = 2000;  // limit: ticket.max_description_chars
  int max_note_chars = 1000;         // limit: ticket.max_note_chars
  int max_assignees = 10;            // limit: ticket.max_assignees
  // A rating with stars <= this and a non-empty comment reopens the ticket.
  // 0 disables reopening by rating. (ticket.reopen_at_or_below_stars)
  int reopen_at_or_below_stars = 2;
  // A confirming rating (confirmed, not reopening) closes a resolved ticket at once.
  bool close_on_confirm = true;  // ticket.close_on_confirm
  // A ticket still `resolved` this many days after it was resolved closes by itself.
  int auto_close_days = 7;  // ticket.auto_close_days; 0 disables
};

struct NewTicket {
  std::string forum_id;
  std::optional<int64_t> question_id;
  std::string title;
  std::string description;
  TicketCategory category = TicketCategory::problem;
  Location location;
  std::optional<int64_t> due_ms;
};

// Error codes: invalid_ticket, note_too_long, illegal_transition, no_assignee,
// too_many_assignees, ticket_closed, not_resolved, invalid_rating, already_rated.
class TicketMachine {
 public:
  TicketMachine(const Clock& clock, TicketPolicy policy = {});

  const TicketPolicy& policy() const { return policy_; }

  static bool is_legal(TicketState from, TicketState to);

  // A new ticket in state `open` with a "create" event. id is the caller's.
  Result<Ticket> create(int64_t id, NewTicket spec, const std::string& actor) const;

  // Replace the assignees. From open or reopened this also moves to `assigned`;
  // in assigned/in_progress/resolved it is a re-assignment without a state move.
  Status assign(Ticket& t, std::vector<Assignee> assignees, const std::string& actor,
                const std::string& note, bool is_public) const;

  Status transition(Ticket& t, TicketState to, const std::string& actor, const std::string& note,
                    bool is_public) const;

  // A progress note without a state move (refused once closed).
  Status add_note(Ticket& t, const std::string& actor, const std::string& note,
                  bool is_public) const;

  // A resident's rating; allowed in resolved or closed, once per rater per
  // resolution round. May reopen (low stars with a reason) or close (confirm).
  Status rate(Ticket& t, Rating r) const;

  // True if `t` is resolved and was resolved at least auto_close_days ago.
  bool auto_close_due(const Ticket& t, int64_t now_ms) const;
  // Ids of the tickets due for auto-close at now_ms.
  std::vector<int64_t> auto_close_due(const std::vector<Ticket>& ts, int64_t now_ms) const;
  // Close every due ticket (actor "system", event "auto_close"); returns how many.
  int run_auto_close(std::vector<Ticket>& ts) const;

 private:
  void record(Ticket& t, std::string action, TicketState to, const std::string& actor,
              const std::string& note, bool is_public) const;
  Status check_note(const std::string& note) const;

  const Clock& clock_;
  TicketPolicy policy_;
};

}  // namespace forumcast::followup
