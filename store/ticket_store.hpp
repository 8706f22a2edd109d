// store/ticket_store.hpp: what the follow-through (issue 6) needs from persistence:
// tickets (工单) with their history and ratings, outgoing webhook endpoints and the
// persisted outbox (the panel and agenda are in forum_program_store.hpp). Interfaces only;
// SQLite (store/sqlite/sqlite_ticket_store.*) implements them.
//
// Rows are plain columns with enums as their string forms (state "in_progress",
// category "need") and JSON text for nested lists, as in question_store.hpp, so that
// store/ never includes followup/ (arrows: server -> followup -> store -> core). The
// rules of change (legal moves, ratings) are followup/ticket_machine.hpp's; the store
// only keeps what it is given, refusing a save based on a stale read (`conflict`).
//
// Threading: every method is safe from any thread and blocks until committed (HTTP
// routes, the CLI and the webhook worker call them; none is on the chat hot path).
// Errors: "not_found", "conflict", "store_busy", "store_overloaded", "store_closed",
// "store_error".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain.hpp"
#include "core/result.hpp"
#include "store/forum_program_store.hpp"
#include "store/question_store.hpp"

namespace forumcast {

struct TicketRow {
  int64_t id = 0;  // assigned by create_ticket
  std::string forum_id;
  std::optional<int64_t> question_id;  // question or follow-up it was made from
  std::optional<int64_t> thread_id;    // top-level question of that thread
  std::string title;
  std::string description;
  std::string category = "problem";  // problem | need | service
  std::string compound;
  std::string building;
  std::string assignees_json = "[]";  // [{"kind":"department"|"worker","name":"..."}]
  std::optional<int64_t> due_ms;
  std::string state = "open";  // open | assigned | in_progress | resolved | closed | reopened
  std::string created_by;
  int64_t created_ms = 0;
  std::optional<int64_t> resolved_ms;
  std::optional<int64_t> closed_ms;
  int64_t resolution_round = 0;
  int64_t updated_ms = 0;
  int64_t version = 0;  // set by the store; bumped by every save
};

struct TicketEventRow {
  int64_t id = 0;  // assigned by the store, ascending
  int64_t ticket_id = 0;
  std::string action;  // create | assign | transition | note | rate | auto_close
  std::string from_state;
  std::string to_state;
  std::string actor;
  int64_t at_ms = 0;
  std::string note;
  bool is_public = false;
};

struct TicketRatingRow {
  int64_t ticket_id = 0;
  std::string rater;  // stable key (device hash); unique per ticket and round
  std::string rater_name;
  int64_t stars = 0;  // 1..5
  bool confirmed = false;
  std::string comment;
  int64_t at_ms = 0;
  int64_t round = 1;
};

// A ticket with everything that hangs off it, oldest first.
struct TicketRecord {
  TicketRow ticket;
  std::vector<TicketEventRow> history;
  std::vector<TicketRatingRow> ratings;
};

// Every set field narrows the list (AND). Empty strings are "any".
struct TicketFilter {
  std::string forum_id;
  std::string category;
  std::string compound;
  std::string assignee;  // an assignee's exact name
  std::string state;
  // Tickets of questions this device asked or co-signed (the question the ticket
  // was made from, or the top-level question of its thread).
  std::string device_hash;
  std::optional<int64_t> question_id;  // made from it, or in its thread
  size_t limit = 10'000;               // ticket.max_list
};

struct WebhookEndpointRow {
  int64_t id = 0;        // assigned by add_endpoint
  std::string forum_id;  // "" = every forum
  std::string url;
  std::string secret;
  std::string events_json = "[]";  // ["ticket.*", ...]; [] = all
  bool active = true;
  std::string created_by;
  int64_t created_ms = 0;
};

struct OutboxRow {
  int64_t id = 0;  // assigned by the store
  int64_t endpoint_id = 0;
  std::string event;
  std::string body;
  std::string state = "pending";  // pending | delivered | dead
  int64_t attempts = 0;
  int64_t created_ms = 0;
  int64_t next_attempt_ms = 0;
  std::optional<int64_t> delivered_ms;
  int64_t last_status = 0;
  std::string last_error;
};

// One change of one ticket: the row (with the version the caller read), the events
// and ratings it added, the webhook deliveries and audit entries it causes, in one
// transaction.
struct TicketChange {
  TicketRow ticket;  // ticket.version must equal the stored version, else conflict
  std::vector<TicketEventRow> new_events;
  std::vector<TicketRatingRow> new_ratings;  // conflict if (rater, round) was rated
  std::vector<OutboxRow> outbox;
  std::vector<AuditEntry> audit;
};

class TicketStore {
 public:
  virtual ~TicketStore() = default;
  // Inserts the ticket (id assigned, version 1) with its first events (ticket_id
  // filled in), outbox rows and audit entries. not_found if the forum does not exist.
  virtual Result<TicketRecord> create_ticket(TicketChange change) = 0;
  virtual Result<TicketRecord> get_ticket(int64_t id) = 0;  // not_found
  // Ascending id, at most filter.limit.
  virtual Result<std::vector<TicketRecord>> list_tickets(const TicketFilter& filter) = 0;
  // Saves a changed ticket; returns it as stored (new version). not_found, conflict.
  virtual Result<TicketRecord> save_ticket(TicketChange change) = 0;
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;
  virtual Result<WebhookEndpointRow> add_endpoint(WebhookEndpointRow e, AuditEntry audit) = 0;
  virtual Result<std::vector<WebhookEndpointRow>> list_endpoints() = 0;  // ascending id
  virtual Status set_endpoint_active(int64_t id, bool active, AuditEntry audit) = 0;  // not_found
  // Queues deliveries (ids assigned) outside a ticket change (question events).
  virtual Status enqueue(std::vector<OutboxRow> rows) = 0;
  // Pending rows with next_attempt_ms <= now_ms, oldest first, at most `limit`.
  virtual Result<std::vector<OutboxRow>> due_outbox(int64_t now_ms, size_t limit) = 0;
  // The earliest next_attempt_ms of any pending row (nullopt if none).
  virtual Result<std::optional<int64_t>> next_due_ms() = 0;
  // Records an attempt (state, attempts, next_attempt_ms, delivered_ms, last_*).
  virtual Status update_outbox(const OutboxRow& row) = 0;  // not_found
  // Newest first; state "" = any.
  virtual Result<std::vector<OutboxRow>> list_outbox(const std::string& state, size_t limit) = 0;

  // Question events (question.approved, ...) are relayed from question_history by
  // the webhook worker behind a persisted cursor (table followup_cursors,
  // migration 5), so each history row is queued exactly once across restarts.
  // The cursor's value (nullopt if never set).
  virtual Result<std::optional<int64_t>> get_cursor(const std::string& name) = 0;
  // Queues `rows` and sets the cursor to `value`, in one transaction.
  virtual Status enqueue_and_advance(std::vector<OutboxRow> rows, const std::string& cursor,
                                     int64_t value) = 0;
  // question_history rows (any forum) with id > after_id whose op is one of `ops`,
  // ascending id, at most `limit`; and the largest history id overall (to start a
  // new cursor at "now").
  virtual Result<std::vector<QuestionHistoryRow>> question_history_after(
      int64_t after_id, const std::vector<std::string>& ops, size_t limit) = 0;
  virtual Result<int64_t> max_question_history_id() = 0;
};

}  // namespace forumcast
