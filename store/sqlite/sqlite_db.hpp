// store/sqlite/sqlite_db.hpp: owning wrappers around one SQLite connection and its
// prepared statements, plus the pragmas every forumcast connection uses.
// Internal to store/sqlite (the implementations of the store interfaces and the
// writer thread use it); callers outside store/ never see it.
//
// Errors inside store/sqlite travel as SqliteError exceptions (thrown by prepare,
// bind and step) and are turned into forumcast Errors at the edge of each store
// method by to_error(); no exception leaves the library.
//
// Threading: a SqliteDb and its statements belong to one thread at a time (the
// writer thread owns its connection; readers are lent out by SqliteReaders).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace forumcast::sqlite {

// A failed SQLite call. `code` is the extended result code (SQLITE_CONSTRAINT_UNIQUE...).
class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// Maps an SQLite failure to forumcast's codes: "conflict" (unique or primary key
// violation), "not_found" (foreign key: the referenced row does not exist),
// "store_busy" (locked longer than busy_timeout), "store_error" (anything else).
Error to_error(const SqliteError& e);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);  // throws SqliteError
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, std::string_view v);
  Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, std::optional<int64_t> v);
  Statement& bind_null(int i);

  // true: a row is available; false: done. Throws SqliteError on failure.
  bool step();
  // Steps to completion, expecting no rows; returns sqlite3_changes().
  int64_t exec();

  int64_t col_int(int i) const;  // 0-based, as in SQLite
  std::string col_text(int i) const;
  bool col_null(int i) const;
  std::optional<int64_t> col_opt_int(int i) const;

  // Resets and clears bindings (done automatically when a cached statement is lent).
  void reset();

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A cached statement lent to one use: reset (bindings cleared, read snapshot
// released) when it goes out of scope, so a half-read query never pins an old
// snapshot on a pooled connection.
class StatementRef {
 public:
  explicit StatementRef(Statement& s) : s_(&s) {}
  ~StatementRef() { s_->reset(); }
  StatementRef(const StatementRef&) = delete;
  StatementRef& operator=(const StatementRef&) = delete;
  Statement* operator->() const { return s_; }
  Statement& operator*() const { return *s_; }

 private:
  Statement* s_;
};

struct ConnectionOptions {
  int busy_timeout_ms = 5000;
  bool synchronous_full = false;
  bool query_only = false;  // read connections: refuse writes by accident
};

class SqliteDb {
 public:
  // Opens (creating if missing) and applies the pragmas: busy_timeout first (so
  // the rest wait for a lock held by another process), journal_mode=WAL,
  // foreign_keys=ON, journal_size_limit=64 MiB, synchronous=NORMAL|FULL,
  // query_only if asked.
  // Throws SqliteError.
  SqliteDb(const std::string& path, const ConnectionOptions& opts);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements without results. Throws SqliteError.
  void exec(std::string_view sql);
  // A prepared statement from this connection's cache, ready to bind; reset when
  // the returned ref dies. Do not hold two refs to the same SQL text at once.
  StatementRef prepare(std::string_view sql);

  // One integer from a query such as "PRAGMA user_version".
  int64_t query_int(std::string_view sql);

  int64_t last_insert_rowid() const;
  int64_t changes() const;
  bool in_transaction() const;  // false once COMMIT/ROLLBACK (or an automatic rollback) ended it
  sqlite3* raw() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

}  // namespace forumcast::sqlite
