// store/question_store.hpp: what moderation needs from persistence: questions and
// their history, votes, blocked-term lists, bans and timeouts, per-forum moderation
// settings. Interfaces only; SQLite (store/sqlite) and later PostgreSQL implement them.
//
// The rows are plain columns (enums as their string forms, e.g. state "on_air") plus
// JSON text for the nested lists, so that both databases store them as ordinary
// columns and followup/ can filter and count by forum, state, category and compound in
// SQL. moderation/question_rows.hpp converts between these rows and its own types;
// store/ never includes moderation/ (arrows point moderation -> store -> core).
//
// Threading and durability, as in store.hpp: every method is safe from any thread.
// Writes on the live path (question changes, votes, bans, settings) are asynchronous
// and batched: `done` runs on the store's writer thread after COMMIT (or with the
// error), in submission order; the caller bounces it to its own thread and only then
// answers the client "ok". Reads and the term-list replacement block (start-up, HTTP
// and CLI paths). Errors: "not_found", "conflict", "store_busy", "store_overloaded",
// "store_closed", "store_error".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/domain.hpp"
#include "core/result.hpp"

namespace forumcast {

struct QuestionRow {
  int64_t id = 0;  // allocated by the caller (QuestionMachine), unique across forums
  std::string forum_id;
  std::optional<int64_t> parent_id;  // follow-ups
  std::string source;                // "resident" | "offline"
  std::string asker_device_hash;     // empty for offline questions; never exported
  std::string display_name;
  std::string compound;
  std::string building;
  std::string text;
  std::optional<std::string> original_text;
  std::string category;  // "" | "problem" | "need" | "service"
  std::optional<int64_t> agenda_item;
  std::string state;  // pending | approved | rejected | merged | on_air | answered
  int64_t votes = 0;  // cached count; the vote rows are the truth
  std::optional<int64_t> merged_into;
  std::string reject_reason;
  std::string reject_text;
  std::string tags_json = "[]";        // ["电梯", ...]
  std::string co_signers_json = "[]";  // [{question_id, device_hash, display_name, compound}]
  std::string on_air_json = "[]";      // [{start_ms, start_stream_ms, end_ms, end_stream_ms}]
  std::string answers_json = "[]";     // [{summary, panelist, by, at_ms, stream_ms}]
  int64_t created_ms = 0;
  std::optional<int64_t> created_stream_ms;
  int64_t updated_ms = 0;
  std::optional<int64_t> updated_stream_ms;
};

struct QuestionHistoryRow {
  int64_t id = 0;  // assigned by the store; ascending in insertion order
  std::string forum_id;
  int64_t question_id = 0;
  std::string op;  // ask, approve, merge, merged_in, put_on_air, ...
  std::string actor;
  std::string actor_role;  // resident | panelist | moderator | organizer
  int64_t at_ms = 0;
  std::optional<int64_t> stream_ms;
  std::string before_json;
  std::string after_json;
};

// One moderation operation: written in one transaction (upsert every question row,
// append history and audit entries), so the record, its history and the audit log
// never disagree.
struct QuestionChangeRecord {
  std::vector<QuestionRow> questions;
  std::vector<QuestionHistoryRow> history;
  std::vector<AuditEntry> audit;
};

struct VoteRow {
  std::string forum_id;
  int64_t question_id = 0;
  std::string device_hash;
  int64_t at_ms = 0;
};

struct BlockedTermRow {
  std::string term;
  std::string action;  // mask | hold | reject | timeout
  int64_t timeout_ms = 0;
};

struct BanRow {
  int64_t id = 0;  // allocated by the caller (BanList), unique per forum
  std::string forum_id;
  std::string kind;  // timeout | ban
  std::string device_hash;
  std::string ip;
  std::string reason;
  std::string actor;
  int64_t created_ms = 0;
  std::optional<int64_t> expires_ms;  // none = permanent
  bool remove_comments = false;
  std::optional<int64_t> lifted_ms;  // set by lift_ban; lifted rows are kept for the record
  std::string lifted_by;
};

using StoreDone = std::function<void(Status)>;

class QuestionStore {
 public:
  virtual ~QuestionStore() = default;
  // Largest question id in any forum (0 if none): QuestionMachine ids continue after it.
  virtual Result<int64_t> max_question_id() = 0;
  virtual void apply_question_change(QuestionChangeRecord change, StoreDone done) = 0;
  // A question of a forum with all its fields; not_found.
  virtual Result<QuestionRow> get_question(int64_t id) = 0;
  // Every question of a forum (follow-ups included), ascending id.
  virtual Result<std::vector<QuestionRow>> list_questions(const std::string& forum_id) = 0;
  // History of a forum, or of one question, ascending.
  virtual Result<std::vector<QuestionHistoryRow>> list_history(
      const std::string& forum_id, std::optional<int64_t> question_id) = 0;
};

class VoteStore {
 public:
  virtual ~VoteStore() = default;
  // Idempotent on (question_id, device_hash); the row's votes count follows.
  virtual void add_vote(VoteRow vote, StoreDone done) = 0;
  virtual void remove_vote(std::string forum_id, int64_t question_id, std::string device_hash,
                           StoreDone done) = 0;
  // Every vote of a forum (to restore voters at start-up), by question then time.
  virtual Result<std::vector<VoteRow>> list_votes(const std::string& forum_id) = 0;
};

class BlockedTermStore {
 public:
  virtual ~BlockedTermStore() = default;
  // scope: a forum id, or "" for the list that applies to every forum.
  virtual Result<std::vector<BlockedTermRow>> list_terms(const std::string& scope) = 0;
  // Replaces the whole list of a scope and appends the audit entry, in one transaction.
  virtual Status replace_terms(const std::string& scope, const std::vector<BlockedTermRow>& terms,
                               const AuditEntry& audit) = 0;
};

class BanStore {
 public:
  virtual ~BanStore() = default;
  // conflict if (forum_id, id) exists. Appends the audit entry in the same transaction.
  virtual void add_ban(BanRow ban, AuditEntry audit, StoreDone done) = 0;
  virtual void lift_ban(std::string forum_id, int64_t id, int64_t at_ms, std::string by,
                        AuditEntry audit, StoreDone done) = 0;
  // Bans of a forum neither lifted nor expired at now_ms, ascending id.
  virtual Result<std::vector<BanRow>> list_active_bans(const std::string& forum_id,
                                                       int64_t now_ms) = 0;
  // Largest ban id of a forum (0 if none).
  virtual Result<int64_t> max_ban_id(const std::string& forum_id) = 0;
};

class ModerationSettingsStore {
 public:
  virtual ~ModerationSettingsStore() = default;
  // The settings JSON (moderation/settings.hpp to_json); not_found if never set.
  virtual Result<std::string> get_moderation_settings(const std::string& forum_id) = 0;
  virtual void put_moderation_settings(std::string forum_id, std::string settings_json,
                                       AuditEntry audit, StoreDone done) = 0;
};

}  // namespace forumcast
