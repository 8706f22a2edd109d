// followup/ticket.hpp: the ticket record (工单) made from a question or thread:
// what it is, where, who works it, its state, every change and the residents'
// ratings. Plain data only; the rules of change live in ticket_machine.hpp and
// persistence in store/ (later). Std-only so that store/ and server/ can use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forumcast::followup {

// open -> assigned -> in_progress -> resolved -> closed, plus reopened
// (see ticket_machine.hpp for the legal moves).
enum class TicketState { open, assigned, in_progress, resolved, closed, reopened };
std::string_view to_string(TicketState s);
std::optional<TicketState> ticket_state_from_string(std::string_view s);

// 问题 / 需求 / 服务: the three lists a forum's follow-through produces.
enum class TicketCategory { problem, need, service };
std::string_view to_string(TicketCategory c);
std::optional<TicketCategory> ticket_category_from_string(std::string_view s);

struct Assignee {
  enum class Kind { department, worker };
  Kind kind = Kind::department;
  std::string name;  // "物业服务中心", "张师傅"
  bool operator==(const Assignee&) const = default;
};
std::string_view to_string(Assignee::Kind k);

struct Location {
  std::string compound;  // 小区
  std::string building;  // 楼组 / 楼号; may be empty
};

// One change, note or assignment. `from`/`to` are equal for a note or a
// re-assignment that does not move the state.
struct TicketEvent {
  std::string action;  // "create", "transition", "assign", "note", "rate", "auto_close"
  TicketState from = TicketState::open;
  TicketState to = TicketState::open;
  std::string actor;  // account name, resident display name, or "system"
  int64_t at_ms = 0;  // wall clock
  std::string note;
  bool is_public = false;  // public notes are shown to the asker and co-signers
};

// A resident's verdict after `resolved` (满意度评价).
struct Rating {
  std::string rater;       // stable rater key (device token hash or account); never exported unless
                           // contacts asked
  std::string rater_name;  // display name
  int stars = 0;           // 1..5
  bool confirmed = false;  // "yes, it is solved"
  std::string comment;     // the reason, for a low rating
  int64_t at_ms = 0;
  int round = 1;  // which resolution it rates (1 = first time resolved)
};

struct Ticket {
  int64_t id = 0;
  std::string forum_id;
  std::optional<int64_t> question_id;  // question or follow-up it was made from
  std::string title;
  std::string description;
  TicketCategory category = TicketCategory::problem;
  Location location;
  std::vector<Assignee> assignees;  // 一处上报、多点响应: one or more
  std::optional<int64_t> due_ms;
  TicketState state = TicketState::open;
  std::string created_by;
  int64_t created_ms = 0;
  std::optional<int64_t> resolved_ms;  // last entry into `resolved`
  std::optional<int64_t> closed_ms;    // last entry into `closed`
  int resolution_round = 0;            // how many times it has entered `resolved`
  std::vector<TicketEvent> history;    // oldest first; starts with "create"
  std::vector<Rating> ratings;         // oldest first
};

}  // namespace forumcast::followup
