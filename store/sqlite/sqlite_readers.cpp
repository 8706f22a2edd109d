// store/sqlite/sqlite_readers.cpp: lending read connections (see the header).
#include "store/sqlite/sqlite_readers.hpp"

namespace forumcast::sqlite {
namespace {

// query_only: a read connection refuses writes, so nothing bypasses the writer.
ConnectionOptions read_only(ConnectionOptions o) {
  o.query_only = true;
  return o;
}

}  // namespace

SqliteReaders::SqliteReaders(std::string path, ConnectionOptions opts, size_t max_connections)
    : path_(std::move(path)),
      opts_(read_only(opts)),
      max_(max_connections == 0 ? 1 : max_connections) {}

SqliteReaders::~SqliteReaders() = default;

std::unique_ptr<SqliteDb> SqliteReaders::acquire() {
  {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      return db;
    }
    ++open_;  // reserve a slot, open outside the lock
  }
  try {
    return std::make_unique<SqliteDb>(path_, opts_);
  } catch (...) {
    {
      std::lock_guard lk(mu_);
      --open_;
    }
    cv_.notify_one();
    throw;
  }
}

void SqliteReaders::release(std::unique_ptr<SqliteDb> db) {
  if (!db) return;
  {
    std::lock_guard lk(mu_);
    idle_.push_back(std::move(db));
  }
  cv_.notify_one();
}

}  // namespace forumcast::sqlite
