// store/sqlite/sqlite_db.cpp: the SQLite connection and statement wrappers.
// The only file besides the store implementations that includes <sqlite3.h>.
// Leaves transactions and batching to SqliteWriter, schema to migrations.cpp.
#include "store/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

#include <string>

namespace forumcast::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int code = db ? sqlite3_extended_errcode(db) : rc;
  if ((code & 0xff) != (rc & 0xff)) code = rc;  // errmsg belongs to a later call
  throw SqliteError(code, msg);
}

}  // namespace

Error to_error(const SqliteError& e) {
  const int code = e.code();
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return make_error("conflict", e.what());
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return make_error("not_found", e.what());
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return make_error("store_busy", e.what());
    default:
      return make_error("store_error", e.what());
  }
}

// ---- Statement ----

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    fail(db, rc, "prepare \"" + std::string(sql.substr(0, 80)) + "\"");
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int i, int64_t v) {
  int rc = sqlite3_bind_int64(stmt_, i, v);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
  int rc = sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int i, std::optional<int64_t> v) {
  return v ? bind(i, *v) : bind_null(i);
}

Statement& Statement::bind_null(int i) {
  int rc = sqlite3_bind_null(stmt_, i);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // The statement's error is reported by sqlite3_errmsg; reset so the cached
  // statement is reusable and does not hold a read lock.
  std::string msg = std::string("step: ") + sqlite3_errmsg(db_);
  int code = sqlite3_extended_errcode(db_);
  sqlite3_reset(stmt_);
  throw SqliteError(code, msg);
}

int64_t Statement::exec() {
  while (step()) {
  }
  return sqlite3_changes64(db_);
}

int64_t Statement::col_int(int i) const {
  return sqlite3_column_int64(stmt_, i);
}

std::string Statement::col_text(int i) const {
  const unsigned char* p = sqlite3_column_text(stmt_, i);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

bool Statement::col_null(int i) const {
  return sqlite3_column_type(stmt_, i) == SQLITE_NULL;
}

std::optional<int64_t> Statement::col_opt_int(int i) const {
  if (col_null(i)) return std::nullopt;
  return col_int(i);
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

// ---- SqliteDb ----

SqliteDb::SqliteDb(const std::string& path, const ConnectionOptions& opts) : path_(path) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = "open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw SqliteError(rc, msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  try {
    sqlite3_busy_timeout(db_, opts.busy_timeout_ms);
    // Another process may be converting the file to WAL right now: the busy
    // handler covers that too.
    Statement wal(db_, "PRAGMA journal_mode=WAL");
    std::string mode = wal.step() ? wal.col_text(0) : "";
    if (mode != "wal" && path != ":memory:")
      throw SqliteError(SQLITE_ERROR, "cannot switch " + path + " to WAL (got '" + mode + "')");
    exec("PRAGMA foreign_keys=ON");
    // After a burst, truncate the WAL back to this size at the next checkpoint.
    exec("PRAGMA journal_size_limit=67108864");
    exec(opts.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    if (opts.query_only) exec("PRAGMA query_only=ON");
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

SqliteDb::~SqliteDb() {
  cache_.clear();  // finalize statements before closing
  if (db_) sqlite3_close_v2(db_);
}

void SqliteDb::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(sqlite3_extended_errcode(db_), "exec: " + msg);
  }
}

StatementRef SqliteDb::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end())
    it = cache_.emplace(std::string(sql), std::make_unique<Statement>(db_, sql)).first;
  return StatementRef(*it->second);
}

int64_t SqliteDb::query_int(std::string_view sql) {
  Statement st(db_, sql);
  if (!st.step()) throw SqliteError(SQLITE_ERROR, "no row from " + std::string(sql));
  return st.col_int(0);
}

int64_t SqliteDb::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}
int64_t SqliteDb::changes() const {
  return sqlite3_changes64(db_);
}
bool SqliteDb::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

}  // namespace forumcast::sqlite
