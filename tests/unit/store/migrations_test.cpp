// tests/unit/store/migrations_test.cpp: the schema is created on a fresh file,
// reopening changes nothing, a newer database is refused untouched, a failing
// migration is rolled back, and an old database is upgraded step by step.
#include "store/sqlite/migrations.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

namespace forumcast {
namespace {

using sqlite::ConnectionOptions;
using sqlite::Migration;
using sqlite::SqliteDb;
using testing::TempDir;

int64_t table_count(SqliteDb& db, const std::string& name) {
  auto st = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  st->bind(1, name);
  st->step();
  return st->col_int(0);
}

TEST(StoreMigrations, FreshFileGetsEveryTableAndLatestVersion) {
  TempDir dir;
  const std::string path = dir.file("sub/dir/forumcast.db");  // parent dirs created
  auto store = open_sqlite_store({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), sqlite_schema_version_supported());
  EXPECT_GE(sqlite_schema_version_supported(), 1);
  EXPECT_TRUE((*store)->healthy());

  SqliteDb db(path, ConnectionOptions{});
  for (const char* t : {"forums", "accounts", "sessions", "devices", "audit"})
    EXPECT_EQ(table_count(db, t), 1) << t;
  EXPECT_EQ(db.query_int("PRAGMA application_id"), sqlite::kApplicationId);
  auto mode = db.prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode->step());
  EXPECT_EQ(mode->col_text(0), "wal");
}

TEST(StoreMigrations, ReopeningIsANoOpAndKeepsData) {
  TempDir dir;
  const std::string path = dir.file("forumcast.db");
  {
    auto store = open_sqlite_store({.path = path});
    ASSERT_TRUE(store.ok());
    Forum f{.id = "k3m9q2xw7a",
            .title = "书记论坛 · 第四期:小区微改造,听听大家怎么说",
            .stream_key = "streamkey-4",
            .created_ms = 1,
            .updated_ms = 1};
    ASSERT_TRUE((*store)->forums().create_forum(f).ok());
  }
  int64_t schema_items = 0;
  {
    SqliteDb db(path, ConnectionOptions{});
    schema_items = db.query_int("SELECT count(*) FROM sqlite_schema");
  }
  auto again = open_sqlite_store({.path = path});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ((*again)->schema_version(), sqlite_schema_version_supported());
  auto f = (*again)->forums().get_forum("k3m9q2xw7a");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->title, "书记论坛 · 第四期:小区微改造,听听大家怎么说");
  SqliteDb db(path, ConnectionOptions{});
  EXPECT_EQ(db.query_int("SELECT count(*) FROM sqlite_schema"), schema_items);
  // Nothing was upgraded, so no backup was written.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    files += e.path().string().find(".bak") != std::string::npos;
  EXPECT_EQ(files, 0u);
}

TEST(StoreMigrations, NewerDatabaseIsRefusedAndLeftAlone) {
  TempDir dir;
  const std::string path = dir.file("forumcast.db");
  ASSERT_TRUE(open_sqlite_store({.path = path}).ok());
  const int newer = sqlite_schema_version_supported() + 1;
  {
    SqliteDb db(path, ConnectionOptions{});
    db.exec("PRAGMA user_version=" + std::to_string(newer));
  }
  auto store = open_sqlite_store({.path = path});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "store_too_new");
  EXPECT_NE(store.error().message.find(std::to_string(newer)), std::string::npos);
  SqliteDb db(path, ConnectionOptions{});
  EXPECT_EQ(db.query_int("PRAGMA user_version"), newer);
}

TEST(StoreMigrations, ForeignDatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  {
    SqliteDb db(path, ConnectionOptions{});
    db.exec("PRAGMA application_id=1234; CREATE TABLE t (x INTEGER)");
  }
  auto store = open_sqlite_store({.path = path});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "store_open");
}

TEST(StoreMigrations, FailingMigrationIsRolledBackAndEarlierOnesStay) {
  TempDir dir;
  SqliteDb db(dir.file("m.db"), ConnectionOptions{});
  const Migration list[] = {
      {1, "one", "CREATE TABLE one (x INTEGER) STRICT;"},
      {2, "two", "CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1);"},
  };
  Status st = sqlite::apply_migrations(db, list);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "store_migration");
  EXPECT_NE(st.error().message.find("two"), std::string::npos);
  EXPECT_EQ(db.query_int("PRAGMA user_version"), 1);
  EXPECT_EQ(table_count(db, "one"), 1);
  EXPECT_EQ(table_count(db, "two"), 0);
}

TEST(StoreMigrations, OldDatabaseIsUpgradedOneVersionAtATime) {
  TempDir dir;
  SqliteDb db(dir.file("m.db"), ConnectionOptions{});
  const Migration v1[] = {{1, "one", "CREATE TABLE one (x INTEGER) STRICT;"}};
  ASSERT_TRUE(sqlite::apply_migrations(db, v1).ok());
  db.exec("INSERT INTO one VALUES (42)");
  const Migration v2[] = {
      {1, "one", "CREATE TABLE one (x INTEGER) STRICT;"},
      {2, "two", "ALTER TABLE one ADD COLUMN y TEXT NOT NULL DEFAULT 'y';"},
  };
  ASSERT_TRUE(sqlite::apply_migrations(db, v2).ok());
  EXPECT_EQ(db.query_int("PRAGMA user_version"), 2);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM one WHERE x = 42 AND y = 'y'"), 1);
  // Foreign keys are back on after migrating.
  EXPECT_EQ(db.query_int("PRAGMA foreign_keys"), 1);
}

TEST(StoreMigrations, EveryOlderVersionUpgradesToLatestKeepingData) {
  const auto all = sqlite::migrations();
  for (size_t k = 1; k < all.size(); ++k) {
    SCOPED_TRACE("starting at version " + std::to_string(k));
    TempDir dir;
    const std::string path = dir.file("forumcast.db");
    {
      SqliteDb db(path, ConnectionOptions{});
      ASSERT_TRUE(sqlite::apply_migrations(db, all.first(k)).ok());
      ASSERT_EQ(db.query_int("PRAGMA user_version"), static_cast<int64_t>(k));
      db.exec(
          "INSERT INTO forums (id, title, state, stream_key, created_ms, updated_ms) VALUES "
          "('k3m9q2xw7a', '书记论坛 · 第四期', 'live', 'key', 1, 2)");
      db.exec(
          "INSERT INTO accounts (name, role, password_hash, created_ms) VALUES "
          "('wanghongmei', 'organizer', '$argon2id$x', 1)");
    }
    auto store = open_sqlite_store({.path = path});
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ((*store)->schema_version(), sqlite_schema_version_supported());
    {
      // The file as it was before the upgrade stays next to it.
      SqliteDb before(path + ".v" + std::to_string(k) + ".bak", ConnectionOptions{});
      EXPECT_EQ(before.query_int("PRAGMA user_version"), static_cast<int64_t>(k));
      EXPECT_EQ(before.query_int("SELECT count(*) FROM forums WHERE id = 'k3m9q2xw7a'"), 1);
    }
    auto f = (*store)->forums().get_forum("k3m9q2xw7a");
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->title, "书记论坛 · 第四期");
    EXPECT_EQ(f->state, ForumState::live);
    EXPECT_EQ((*store)->accounts().get_account("wanghongmei")->role, Role::organizer);
  }
}

TEST(StoreMigrations, ListIsNumberedInOrder) {
  auto list = sqlite::migrations();
  for (size_t i = 0; i < list.size(); ++i) EXPECT_EQ(list[i].version, static_cast<int>(i + 1));
  EXPECT_EQ(sqlite::latest_schema_version(), static_cast<int>(list.size()));
}

}  // namespace
}  // namespace forumcast
