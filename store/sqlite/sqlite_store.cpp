// store/sqlite/sqlite_store.cpp: opens the SQLite store and wires its parts:
// creates the data directory, opens the writer's connection, applies migrations
// (refusing a newer database), starts the writer thread, and owns one
// implementation per store interface. A module that adds an interface adds a
// member and an accessor here. Leaves SQL to the sqlite_*_store.cpp files.
#include "store/sqlite/sqlite_store.hpp"

#include <filesystem>
#include <system_error>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_chat_log.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_question_store.hpp"
#include "store/sqlite/sqlite_stores.hpp"
#include "store/sqlite/sqlite_ticket_store.hpp"

namespace forumcast {
namespace {

using sqlite::SqliteDb;

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<SqliteDb> writer_db, const SqliteOptions& opts,
              const sqlite::ConnectionOptions& conn)
      : path_(opts.path),
        conn_(conn),
        writer_(std::move(writer_db), {opts.max_batch, opts.max_queue}),
        readers_(opts.path, conn, opts.max_readers),
        ctx_{writer_, readers_},
        forums_(ctx_),
        accounts_(ctx_),
        sessions_(ctx_),
        devices_(ctx_),
        audit_(ctx_),
        chat_log_(ctx_),
        moderation_(ctx_),
        followup_(ctx_) {}

  ForumStore& forums() override { return forums_; }
  AccountStore& accounts() override { return accounts_; }
  SessionStore& sessions() override { return sessions_; }
  DeviceStore& devices() override { return devices_; }
  AuditStore& audit() override { return audit_; }
  ChatLogStore& chat_log() override { return chat_log_; }
  QuestionStore& questions() override { return moderation_; }
  VoteStore& votes() override { return moderation_; }
  BlockedTermStore& blocked_terms() override { return moderation_; }
  BanStore& bans() override { return moderation_; }
  ModerationSettingsStore& moderation_settings() override { return moderation_; }
  TicketStore& tickets() override { return followup_; }
  WebhookStore& webhooks() override { return followup_; }
  ForumProgramStore& programs() override { return followup_; }

  bool healthy() override {
    auto r = readers_.read<int64_t>([](SqliteDb& db) -> Result<int64_t> {
      return db.query_int("SELECT count(*) FROM sqlite_schema");
    });
    return r.ok() && r.value() > 0;
  }

  int schema_version() override {
    auto r = readers_.read<int64_t>(
        [](SqliteDb& db) -> Result<int64_t> { return db.query_int("PRAGMA user_version"); });
    return r.ok() ? static_cast<int>(r.value()) : -1;
  }

  void flush() override { writer_.flush(); }

  StoreStats stats() override {
    auto w = writer_.stats();
    return StoreStats{w.jobs, w.batches, w.retried_jobs, w.queued};
  }

  Status backup_to(const std::string& dest_path) override {
    std::error_code ec;
    if (std::filesystem::exists(dest_path, ec))
      return make_error("conflict", dest_path + " already exists");
    const std::filesystem::path dest(dest_path);
    if (dest.has_parent_path()) std::filesystem::create_directories(dest.parent_path(), ec);
    try {
      // Its own connection: VACUUM cannot run inside the writer's transactions and
      // read connections are query_only. Reads a snapshot; writers carry on.
      SqliteDb db(path_, conn_);
      auto st = db.prepare("VACUUM INTO ?1");
      st->bind(1, dest_path);
      st->exec();
      return ok_status();
    } catch (const sqlite::SqliteError& e) {
      return sqlite::to_error(e);
    }
  }

 private:
  const std::string path_;
  const sqlite::ConnectionOptions conn_;
  // Destroyed in reverse: the implementations, then readers, then the writer
  // (which drains its queue before its connection closes).
  sqlite::SqliteWriter writer_;
  sqlite::SqliteReaders readers_;
  sqlite::SqliteContext ctx_;
  sqlite::SqliteForumStore forums_;
  sqlite::SqliteAccountStore accounts_;
  sqlite::SqliteSessionStore sessions_;
  sqlite::SqliteDeviceStore devices_;
  sqlite::SqliteAuditStore audit_;
  sqlite::SqliteChatLog chat_log_;
  sqlite::SqliteQuestionStore moderation_;
  sqlite::SqliteTicketStore followup_;
};

}  // namespace

int sqlite_schema_version_supported() {
  return sqlite::latest_schema_version();
}

Result<std::unique_ptr<Store>> open_sqlite_store(const SqliteOptions& opts) {
  if (opts.path.empty()) return make_error("store_open", "no database path configured");
  if (opts.max_batch == 0 || opts.max_queue == 0)
    return make_error("store_open", "store.max_batch and store.max_queue must be at least 1");

  const std::filesystem::path file(opts.path);
  if (file.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec)
      return make_error("store_open",
                        "cannot create " + file.parent_path().string() + ": " + ec.message());
  }

  sqlite::ConnectionOptions conn;
  conn.busy_timeout_ms = opts.busy_timeout_ms;
  conn.synchronous_full = opts.synchronous_full;

  std::unique_ptr<SqliteDb> db;
  try {
    db = std::make_unique<SqliteDb>(opts.path, conn);
  } catch (const sqlite::SqliteError& e) {
    return make_error("store_open", e.what());
  }
  if (Status st = sqlite::backup_before_upgrade(*db, sqlite::latest_schema_version()); !st.ok())
    return st.error();
  if (Status st = sqlite::apply_migrations(*db); !st.ok()) return st.error();

  try {
    return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(db), opts, conn));
  } catch (const std::exception& e) {
    return make_error("store_open", e.what());
  }
}

}  // namespace forumcast
