// store/sqlite/sqlite_readers.hpp: a small pool of read-only connections.
// In WAL mode readers never block the writer nor each other, and each statement
// sees the last committed state, so a read that follows a synchronous write (which
// returns only after COMMIT) sees it.
//
// Threading: read() may be called from any thread, including the writer thread
// (inside a done callback, never inside a job). A connection is lent to one caller
// at a time; up to `max_connections` are opened lazily; a caller waits when all
// are lent, so a read must not start another read inside itself. Leaves writes to
// SqliteWriter.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace forumcast::sqlite {

class SqliteReaders {
 public:
  SqliteReaders(std::string path, ConnectionOptions opts, size_t max_connections);
  ~SqliteReaders();
  SqliteReaders(const SqliteReaders&) = delete;
  SqliteReaders& operator=(const SqliteReaders&) = delete;

  // Runs `f(SqliteDb&)` (returning Result<T>) on a lent connection; SqliteError
  // thrown by f or by opening a connection becomes the matching Error.
  template <class T, class F>
  Result<T> read(F&& f) {
    try {
      Lease lease(*this);
      return std::forward<F>(f)(*lease.db);
    } catch (const SqliteError& e) {
      return to_error(e);
    }
  }

 private:
  struct Lease {
    explicit Lease(SqliteReaders& p) : pool(p), db(p.acquire()) {}
    ~Lease() { pool.release(std::move(db)); }
    SqliteReaders& pool;
    std::unique_ptr<SqliteDb> db;
  };
  std::unique_ptr<SqliteDb> acquire();  // throws SqliteError
  void release(std::unique_ptr<SqliteDb> db);

  const std::string path_;
  const ConnectionOptions opts_;
  const size_t max_;
  std::mutex mu_;  // guards idle_ and open_
  std::condition_variable cv_;
  std::vector<std::unique_ptr<SqliteDb>> idle_;
  size_t open_ = 0;
};

}  // namespace forumcast::sqlite
