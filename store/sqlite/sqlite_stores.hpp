// store/sqlite/sqlite_stores.hpp: the SQLite implementations of the store
// interfaces, declared together because each is a thin class over SqliteContext;
// one .cpp per interface. A module that adds an interface (chat history,
// questions, tickets) declares its SqliteXStore here or in its own header next to
// it, implements it in sqlite_x_store.cpp, and SqliteStore owns one instance.
//
// Pattern every method follows: writes are jobs on ctx.writer (submit_and_wait for
// synchronous methods, submit with a done callback for hot paths); reads go
// through ctx.readers.read<T>(...). Both turn SqliteError into Error.
#pragma once

#include "store/sqlite/sqlite_readers.hpp"
#include "store/sqlite/sqlite_writer.hpp"
#include "store/store.hpp"

namespace forumcast::sqlite {

// What every implementation needs. Owned by SqliteStore, which outlives them.
struct SqliteContext {
  SqliteWriter& writer;
  SqliteReaders& readers;
};

class SqliteForumStore final : public ForumStore {
 public:
  explicit SqliteForumStore(SqliteContext ctx) : ctx_(ctx) {}
  Status create_forum(const Forum& f) override;
  Result<Forum> get_forum(const std::string& id) override;
  Result<Forum> find_by_stream_key(const std::string& key) override;
  Result<std::vector<Forum>> list_forums() override;
  Status set_forum_state(const std::string& id, ForumState s, int64_t now_ms) override;
  Status update_forum(const Forum& f) override;
  Status set_stream_key(const std::string& id, const std::string& key, int64_t now_ms) override;
  Status set_srt_port(const std::string& id, std::optional<int> port) override;

 private:
  SqliteContext ctx_;
};

class SqliteAccountStore final : public AccountStore {
 public:
  explicit SqliteAccountStore(SqliteContext ctx) : ctx_(ctx) {}
  Result<Account> add_account(const Account& a) override;
  Result<Account> get_account(const std::string& name) override;
  Result<Account> get_account_by_id(int64_t id) override;
  Result<std::vector<Account>> list_accounts() override;
  Status set_account_disabled(const std::string& name, bool disabled) override;
  Status set_password_hash(const std::string& name, const std::string& hash) override;
  Status set_account_role(const std::string& name, Role role) override;

 private:
  SqliteContext ctx_;
};

class SqliteSessionStore final : public SessionStore {
 public:
  explicit SqliteSessionStore(SqliteContext ctx) : ctx_(ctx) {}
  Status create_session(const Session& s) override;
  Result<Session> get_session(const std::string& token_hash) override;
  Status revoke_session(const std::string& token_hash) override;
  Status revoke_sessions_of(int64_t account_id) override;
  Status delete_expired_sessions(int64_t now_ms) override;

 private:
  SqliteContext ctx_;
};

class SqliteDeviceStore final : public DeviceStore {
 public:
  explicit SqliteDeviceStore(SqliteContext ctx) : ctx_(ctx) {}
  Status register_device(const Device& d) override;
  Result<Device> get_device(const std::string& token_hash) override;
  Status touch_device(const std::string& token_hash, int64_t now_ms) override;
  Status set_device_phone(const std::string& token_hash, const std::string& phone) override;
  Result<std::string> get_device_phone(const std::string& token_hash) override;

 private:
  SqliteContext ctx_;
};

class SqliteAuditStore final : public AuditStore {
 public:
  explicit SqliteAuditStore(SqliteContext ctx) : ctx_(ctx) {}
  Result<int64_t> append_audit(const AuditEntry& e) override;
  Result<std::vector<AuditEntry>> list_audit(const std::string& forum_id, size_t limit) override;

 private:
  SqliteContext ctx_;
};

}  // namespace forumcast::sqlite
