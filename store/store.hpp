// store/store.hpp: what the domain needs from persistence, as interfaces.
// Callers (server, chat, moderation, followup, CLI) see only these; the SQLite
// implementation (store/sqlite) is the default and a PostgreSQL one can follow
// without touching callers.
//
// Threading: every method is safe to call from any thread. Synchronous methods
// block until the change is committed (use them for admin paths: CLI, login,
// HTTP routes). Hot paths (comments, votes, questions) use the asynchronous
// batched writes of their module's store interface (added by those modules),
// whose completion runs after COMMIT, so a client is told "ok" only once the
// write is durable.
//
// Error codes every implementation returns: "not_found", "conflict" (a unique
// name, id or key is taken), "store_busy" (another process held the database
// longer than the busy timeout), "store_overloaded" (too many queued writes),
// "store_closed" (shutting down), "store_error" (anything else; the message says
// what). Updates of a row that does not exist return not_found.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/domain.hpp"
#include "core/result.hpp"
#include "store/chat_log_store.hpp"
#include "store/question_store.hpp"
#include "store/ticket_store.hpp"
#include "store/ticket_store_unsupported.hpp"

namespace forumcast {

class ForumStore {
 public:
  virtual ~ForumStore() = default;
  // Inserts a new forum (id and stream_key already chosen by the caller).
  // conflict if the id or the stream key is taken.
  virtual Status create_forum(const Forum& f) = 0;
  virtual Result<Forum> get_forum(const std::string& id) = 0;            // not_found
  virtual Result<Forum> find_by_stream_key(const std::string& key) = 0;  // not_found
  virtual Result<std::vector<Forum>> list_forums() = 0;                  // newest first
  virtual Status set_forum_state(const std::string& id, ForumState s, int64_t now_ms) = 0;
  virtual Status update_forum(const Forum& f) = 0;  // title, topic, starts_at, updated_ms
  virtual Status set_stream_key(const std::string& id, const std::string& key, int64_t now_ms) = 0;
  // Assigns (or with nullopt releases) the forum's SRT port (Forum::srt_port).
  // conflict if another forum holds the port; not_found for an unknown forum.
  virtual Status set_srt_port(const std::string& id, std::optional<int> port) = 0;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;
  virtual Result<Account> add_account(const Account& a) = 0;         // conflict if name taken
  virtual Result<Account> get_account(const std::string& name) = 0;  // not_found
  virtual Result<Account> get_account_by_id(int64_t id) = 0;
  virtual Result<std::vector<Account>> list_accounts() = 0;
  // Disabling also revokes the account's sessions (same transaction). not_found.
  virtual Status set_account_disabled(const std::string& name, bool disabled) = 0;
  virtual Status set_password_hash(const std::string& name, const std::string& hash) = 0;
  virtual Status set_account_role(const std::string& name, Role role) = 0;  // not_found
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // not_found if the account does not exist, conflict if the hash is taken.
  // account_name and role are ignored: get_session reads them from the account,
  // so a role change applies to open sessions at once.
  virtual Status create_session(const Session& s) = 0;
  // Returns revoked and expired sessions too: the caller checks `revoked`,
  // `expires_ms` and (via the account) `disabled`. not_found.
  virtual Result<Session> get_session(const std::string& token_hash) = 0;
  virtual Status revoke_session(const std::string& token_hash) = 0;  // not_found
  virtual Status revoke_sessions_of(int64_t account_id) = 0;
  virtual Status delete_expired_sessions(int64_t now_ms) = 0;  // expires_ms <= now_ms
};

class DeviceStore {
 public:
  virtual ~DeviceStore() = default;
  virtual Status register_device(const Device& d) = 0;                   // idempotent on token_hash
  virtual Result<Device> get_device(const std::string& token_hash) = 0;  // not_found
  virtual Status touch_device(const std::string& token_hash, int64_t now_ms) = 0;  // not_found
  // The resident's optional phone number for follow-up ("" clears it). Private: only
  // organizers' exports with contacts read it. not_found.
  virtual Status set_device_phone(const std::string& token_hash, const std::string& phone) = 0;
  virtual Result<std::string> get_device_phone(const std::string& token_hash) = 0;  // not_found
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  virtual Result<int64_t> append_audit(const AuditEntry& e) = 0;
  // forum_id empty: every entry. Newest first, at most `limit`.
  virtual Result<std::vector<AuditEntry>> list_audit(const std::string& forum_id, size_t limit) = 0;
};

// Figures for /metrics and logs.
struct StoreStats {
  uint64_t writes = 0;         // write jobs finished (committed or failed)
  uint64_t write_batches = 0;  // transactions they were grouped into
  uint64_t write_retries = 0;  // jobs re-run alone after their batch could not commit
  uint64_t write_queue = 0;    // writes waiting right now
};

// The whole store. Modules that add interfaces (chat log, questions, tickets)
// add an accessor here returning their interface.
class Store {
 public:
  virtual ~Store() = default;
  virtual ForumStore& forums() = 0;
  virtual AccountStore& accounts() = 0;
  virtual SessionStore& sessions() = 0;
  virtual DeviceStore& devices() = 0;
  virtual AuditStore& audit() = 0;
  virtual ChatLogStore& chat_log() = 0;  // chat/ (issue 3)
  // moderation/ (issue 4): store/question_store.hpp
  virtual QuestionStore& questions() = 0;
  virtual VoteStore& votes() = 0;
  virtual BlockedTermStore& blocked_terms() = 0;
  virtual BanStore& bans() = 0;
  virtual ModerationSettingsStore& moderation_settings() = 0;
  // followup/ (issue 6): store/ticket_store.hpp. Not pure: by default they answer
  // "not_supported", so that other implementations and test doubles compile.
  virtual TicketStore& tickets() { return UnsupportedFollowupStore::instance(); }
  virtual WebhookStore& webhooks() { return UnsupportedFollowupStore::instance(); }
  virtual ForumProgramStore& programs() { return UnsupportedFollowupStore::instance(); }

  // A cheap round trip to the database, for /healthz.
  virtual bool healthy() = 0;
  // Current schema version (number of migrations applied).
  virtual int schema_version() = 0;
  // Waits for every queued asynchronous write to be committed.
  virtual void flush() = 0;
  // (Not pure, so that test doubles need not implement these two.)
  virtual StoreStats stats() { return {}; }
  // Writes a consistent copy of the whole database to `dest_path` while the store
  // stays in use (for `forumcast backup`). conflict if dest_path exists;
  // "not_supported" from implementations that leave backups to their server.
  virtual Status backup_to(const std::string& dest_path) {
    return make_error("not_supported", "this store cannot write backups");
  }
};

}  // namespace forumcast
