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
  size_t max_batch = 256;         // writes committed together in one transaction
  size_t max_queue = 8192;        // writes waiting for the writer; beyond: store_overloaded
  size_t max_readers = 4;         // read connections opened at most
};

// Creates the parent directory of `path` if missing. Several processes may open
// the same file (a running server and a CLI subcommand): each has its own writer
// thread and they take turns on SQLite's write lock, waiting up to busy_timeout_ms.
// Errors: "store_open" (cannot open/create, or not a forumcast database),
// "store_too_new" (schema newer than this binary; the file is not touched),
// "store_migration" (a migration failed; it was rolled back).
Result<std::unique_ptr<Store>> open_sqlite_store(const SqliteOptions& opts);

// The schema version this binary writes (number of migrations it knows).
int sqlite_schema_version_supported();

}  // namespace forumcast
