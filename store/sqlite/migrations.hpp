// store/sqlite/migrations.hpp: the versioned schema of the SQLite store.
// Version N means migrations 1..N have been applied; the version lives in
// `PRAGMA user_version`. The list in migrations.cpp is append-only: a module that
// needs tables adds one entry at the end (see the comment there and docs/schema.md).
// Leaves connection setup to sqlite_db, and what the tables mean to docs/schema.md.
#pragma once

#include <span>
#include <string_view>

#include "core/result.hpp"

namespace forumcast::sqlite {

class SqliteDb;

struct Migration {
  int version;            // 1-based, equal to its position in the list
  std::string_view name;  // short, for logs and errors
  std::string_view sql;   // one or more statements, run in one transaction
};

// Every migration this binary knows, in order.
std::span<const Migration> migrations();

// The version this binary writes: migrations().size().
int latest_schema_version();

// The identifier forumcast writes into `PRAGMA application_id` ("FCST").
constexpr int kApplicationId = 0x46435354;

// Brings the database up to latest_schema_version(). Each migration runs in its own
// BEGIN IMMEDIATE transaction that re-reads user_version first, so two processes
// opening the same fresh file at once apply each migration exactly once.
// Errors: "store_too_new" (user_version above what this binary knows: nothing is
// touched), "store_open" (the file belongs to another application),
// "store_migration" (a migration failed: it was rolled back; earlier ones stay).
Status apply_migrations(SqliteDb& db);

// Before migrations change an existing database (0 < user_version < latest),
// writes a copy next to it, "<path>.v<old version>.bak" (VACUUM INTO), so that
// going back to the previous forumcast stays possible. Does nothing for a fresh
// or up-to-date file, or when that copy already exists. Error "store_migration"
// if the copy cannot be written (nothing is migrated then).
Status backup_before_upgrade(SqliteDb& db, int latest);

// For tests: the same runner over another list (versions must be 1, 2, ... in order).
Status apply_migrations(SqliteDb& db, std::span<const Migration> list);

}  // namespace forumcast::sqlite
