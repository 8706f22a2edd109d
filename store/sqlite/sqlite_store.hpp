// store/sqlite/sqlite_store.hpp: opens the embedded SQLite store (the default).
// One file in the data directory, WAL mode, foreign keys on, versioned migrations
// applied at open; refuses a database written by a newer forumcast.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/store.hpp"

namespace forumcast {

struct SqliteOptions {
  std::string path;               // e.g. "./data/forumcast.db"
  int busy_timeout_ms = 5000;     // wait for another process (the CLI) holding the lock
  bool synchronous_full = false;  // FULL survives power loss; NORMAL (default) survives a crash
  size_t max_batch = 256;         // async writes committed together
};

// Errors: "store_open" (cannot open/create), "store_too_new" (schema newer than
// this binary), "store_migration" (a migration failed; nothing was changed).
Result<std::unique_ptr<Store>> open_sqlite_store(const SqliteOptions& opts);

// The schema version this binary writes (number of migrations it knows).
int sqlite_schema_version_supported();

}  // namespace forumcast
