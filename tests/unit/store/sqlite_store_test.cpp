// tests/unit/store/sqlite_store_test.cpp: each store interface against a real
// SQLite file: round trips, not_found, conflict, and survival across reopen.
#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace forumcast {
namespace {

using testing::TempDir;

constexpr int64_t kT0 = 1'764'900'000'000;  // 2025-12-05, FakeClock's default

class StoreSqlite : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    store_.reset();
    auto s = open_sqlite_store({.path = dir_.file("data/forumcast.db")});
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s.value());
  }
  static Forum demo_forum() {
    Forum f;
    f.id = "k3m9q2xw7a";
    f.title = "书记论坛 · 第四期:小区微改造,听听大家怎么说";
    f.topic = "中心广场改造、楼道安全、租客融入社区";
    f.starts_at = "2026-12-05T14:00:00+08:00";
    f.state = ForumState::draft;
    f.stream_key = "q7v2m4k8s6d3f5h1j9l0p2r4t6w8y0z2";
    f.created_ms = kT0;
    f.updated_ms = kT0;
    return f;
  }
  Account add(const std::string& name, Role role) {
    Account a;
    a.name = name;
    a.role = role;
    a.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    a.created_ms = kT0;
    auto r = store_->accounts().add_account(a);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r.value() : a;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreSqlite, ForumRoundTripAndLookups) {
  auto& forums = store_->forums();
  ASSERT_TRUE(forums.create_forum(demo_forum()).ok());
  auto f = forums.get_forum("k3m9q2xw7a");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->title, demo_forum().title);
  EXPECT_EQ(f->topic, demo_forum().topic);
  EXPECT_EQ(f->starts_at, "2026-12-05T14:00:00+08:00");
  EXPECT_EQ(f->state, ForumState::draft);
  EXPECT_EQ(f->created_ms, kT0);

  auto by_key = forums.find_by_stream_key(demo_forum().stream_key);
  ASSERT_TRUE(by_key.ok());
  EXPECT_EQ(by_key->id, "k3m9q2xw7a");
  EXPECT_EQ(forums.find_by_stream_key("wrong").error().code, "not_found");
  EXPECT_EQ(forums.get_forum("nosuchforu").error().code, "not_found");
}

TEST_F(StoreSqlite, ForumConflictsOnIdAndStreamKey) {
  auto& forums = store_->forums();
  ASSERT_TRUE(forums.create_forum(demo_forum()).ok());
  Status same_id = forums.create_forum(demo_forum());
  ASSERT_FALSE(same_id.ok());
  EXPECT_EQ(same_id.error().code, "conflict");
  Forum other = demo_forum();
  other.id = "b2c3d4e5f6";
  Status same_key = forums.create_forum(other);
  ASSERT_FALSE(same_key.ok());
  EXPECT_EQ(same_key.error().code, "conflict");
}

TEST_F(StoreSqlite, ForumUpdatesAndNewestFirstList) {
  auto& forums = store_->forums();
  ASSERT_TRUE(forums.create_forum(demo_forum()).ok());
  Forum second = demo_forum();
  second.id = "b2c3d4e5f6";
  second.title = "书记论坛 · 第五期:楼道与电梯安全";
  second.stream_key = "another-key";
  second.created_ms = kT0 + 1000;
  ASSERT_TRUE(forums.create_forum(second).ok());

  ASSERT_TRUE(forums.set_forum_state("k3m9q2xw7a", ForumState::live, kT0 + 5).ok());
  ASSERT_TRUE(forums.set_stream_key("k3m9q2xw7a", "rotated-key", kT0 + 6).ok());
  Forum edited = demo_forum();
  edited.topic = "新租客如何融入社区";
  edited.updated_ms = kT0 + 7;
  ASSERT_TRUE(forums.update_forum(edited).ok());

  auto f = forums.get_forum("k3m9q2xw7a");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->state, ForumState::live);
  EXPECT_EQ(f->stream_key, "rotated-key");
  EXPECT_EQ(f->topic, "新租客如何融入社区");
  EXPECT_EQ(f->updated_ms, kT0 + 7);
  EXPECT_EQ(forums.find_by_stream_key(demo_forum().stream_key).error().code, "not_found");

  auto list = forums.list_forums();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "b2c3d4e5f6");
  EXPECT_EQ((*list)[1].id, "k3m9q2xw7a");

  EXPECT_EQ(forums.set_forum_state("nosuchforu", ForumState::live, 0).error().code, "not_found");
  Forum missing = demo_forum();
  missing.id = "nosuchforu";
  EXPECT_EQ(forums.update_forum(missing).error().code, "not_found");
  EXPECT_EQ(forums.set_stream_key("nosuchforu", "k", 0).error().code, "not_found");
}

TEST_F(StoreSqlite, AccountsRoundTripConflictAndUpdates) {
  auto& accounts = store_->accounts();
  Account wang = add("wanghongmei", Role::organizer);
  EXPECT_GT(wang.id, 0);
  Account li = add("lijianguo", Role::moderator);
  EXPECT_NE(li.id, wang.id);

  Account dup;
  dup.name = "wanghongmei";
  dup.password_hash = "x";
  auto r = accounts.add_account(dup);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "conflict");
  EXPECT_NE(r.error().message.find("wanghongmei"), std::string::npos);

  auto got = accounts.get_account("wanghongmei");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, wang.id);
  EXPECT_EQ(got->role, Role::organizer);
  EXPECT_FALSE(got->disabled);
  auto by_id = accounts.get_account_by_id(li.id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->name, "lijianguo");
  EXPECT_EQ(accounts.get_account("zhouwen").error().code, "not_found");
  EXPECT_EQ(accounts.get_account_by_id(9999).error().code, "not_found");

  ASSERT_TRUE(accounts.set_password_hash("lijianguo", "$argon2id$new").ok());
  ASSERT_TRUE(accounts.set_account_role("lijianguo", Role::panelist).ok());
  ASSERT_TRUE(accounts.set_account_disabled("lijianguo", true).ok());
  auto li2 = accounts.get_account("lijianguo");
  ASSERT_TRUE(li2.ok());
  EXPECT_EQ(li2->password_hash, "$argon2id$new");
  EXPECT_EQ(li2->role, Role::panelist);
  EXPECT_TRUE(li2->disabled);

  auto all = accounts.list_accounts();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "wanghongmei");

  EXPECT_EQ(accounts.set_password_hash("zhouwen", "h").error().code, "not_found");
  EXPECT_EQ(accounts.set_account_disabled("zhouwen", true).error().code, "not_found");
  EXPECT_EQ(accounts.set_account_role("zhouwen", Role::organizer).error().code, "not_found");
}

TEST_F(StoreSqlite, SessionsFollowTheirAccount) {
  Account li = add("lijianguo", Role::moderator);
  auto& sessions = store_->sessions();
  Session s{.token_hash = "aa11", .account_id = li.id, .created_ms = kT0, .expires_ms = kT0 + 100};
  ASSERT_TRUE(sessions.create_session(s).ok());
  EXPECT_EQ(sessions.create_session(s).error().code, "conflict");
  Session orphan{.token_hash = "bb22", .account_id = 9999, .created_ms = kT0, .expires_ms = kT0};
  EXPECT_EQ(sessions.create_session(orphan).error().code, "not_found");

  auto got = sessions.get_session("aa11");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->account_name, "lijianguo");
  EXPECT_EQ(got->role, Role::moderator);
  EXPECT_EQ(got->expires_ms, kT0 + 100);
  EXPECT_FALSE(got->revoked);

  // A role change applies to the open session.
  ASSERT_TRUE(store_->accounts().set_account_role("lijianguo", Role::organizer).ok());
  EXPECT_EQ(sessions.get_session("aa11")->role, Role::organizer);

  ASSERT_TRUE(sessions.revoke_session("aa11").ok());
  EXPECT_TRUE(sessions.get_session("aa11")->revoked);
  EXPECT_EQ(sessions.revoke_session("nope").error().code, "not_found");
  EXPECT_EQ(sessions.get_session("nope").error().code, "not_found");
}

TEST_F(StoreSqlite, DisablingAnAccountRevokesItsSessions) {
  Account li = add("lijianguo", Role::moderator);
  Account wang = add("wanghongmei", Role::organizer);
  auto& sessions = store_->sessions();
  ASSERT_TRUE(
      sessions
          .create_session(
              {.token_hash = "li1", .account_id = li.id, .created_ms = kT0, .expires_ms = kT0 + 10})
          .ok());
  ASSERT_TRUE(sessions
                  .create_session({.token_hash = "wang1",
                                   .account_id = wang.id,
                                   .created_ms = kT0,
                                   .expires_ms = kT0 + 10})
                  .ok());
  ASSERT_TRUE(store_->accounts().set_account_disabled("lijianguo", true).ok());
  EXPECT_TRUE(sessions.get_session("li1")->revoked);
  EXPECT_FALSE(sessions.get_session("wang1")->revoked);

  ASSERT_TRUE(sessions.revoke_sessions_of(wang.id).ok());
  EXPECT_TRUE(sessions.get_session("wang1")->revoked);
}

TEST_F(StoreSqlite, ExpiredSessionsAreDeleted) {
  Account li = add("lijianguo", Role::moderator);
  auto& sessions = store_->sessions();
  ASSERT_TRUE(
      sessions
          .create_session(
              {.token_hash = "old", .account_id = li.id, .created_ms = kT0, .expires_ms = kT0 + 10})
          .ok());
  ASSERT_TRUE(sessions
                  .create_session({.token_hash = "new",
                                   .account_id = li.id,
                                   .created_ms = kT0,
                                   .expires_ms = kT0 + 1000})
                  .ok());
  ASSERT_TRUE(sessions.delete_expired_sessions(kT0 + 10).ok());
  EXPECT_EQ(sessions.get_session("old").error().code, "not_found");
  EXPECT_TRUE(sessions.get_session("new").ok());
}

TEST_F(StoreSqlite, DevicesRegisterIdempotentlyAndTouch) {
  auto& devices = store_->devices();
  ASSERT_TRUE(
      devices.register_device({.token_hash = "dev1", .created_ms = kT0, .last_seen_ms = kT0}).ok());
  ASSERT_TRUE(
      devices
          .register_device({.token_hash = "dev1", .created_ms = kT0 + 50, .last_seen_ms = kT0 + 50})
          .ok());
  auto d = devices.get_device("dev1");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->created_ms, kT0);  // the first registration wins
  ASSERT_TRUE(devices.touch_device("dev1", kT0 + 60'000).ok());
  EXPECT_EQ(devices.get_device("dev1")->last_seen_ms, kT0 + 60'000);
  ASSERT_TRUE(devices.touch_device("dev1", kT0 + 1).ok());  // never goes back
  EXPECT_EQ(devices.get_device("dev1")->last_seen_ms, kT0 + 60'000);
  EXPECT_EQ(devices.get_device("nope").error().code, "not_found");
  EXPECT_EQ(devices.touch_device("nope", kT0).error().code, "not_found");
}

TEST_F(StoreSqlite, DevicePhoneIsSetClearedAndPerDevice) {
  auto& devices = store_->devices();
  ASSERT_TRUE(devices.register_device({.token_hash = "dev1", .created_ms = kT0, .last_seen_ms = kT0}).ok());
  ASSERT_TRUE(devices.register_device({.token_hash = "dev2", .created_ms = kT0, .last_seen_ms = kT0}).ok());
  EXPECT_EQ(*devices.get_device_phone("dev1"), "");
  ASSERT_TRUE(devices.set_device_phone("dev1", "+86 138 0000 0000").ok());
  EXPECT_EQ(*devices.get_device_phone("dev1"), "+86 138 0000 0000");
  EXPECT_EQ(*devices.get_device_phone("dev2"), "");
  ASSERT_TRUE(devices.set_device_phone("dev1", "").ok());
  EXPECT_EQ(*devices.get_device_phone("dev1"), "");
  EXPECT_EQ(devices.set_device_phone("nope", "123456").error().code, "not_found");
  EXPECT_EQ(devices.get_device_phone("nope").error().code, "not_found");
}

TEST_F(StoreSqlite, AuditIsNewestFirstPerForumAndLimited) {
  ASSERT_TRUE(store_->forums().create_forum(demo_forum()).ok());
  auto& audit = store_->audit();
  AuditEntry create{.forum_id = "k3m9q2xw7a",
                    .actor = "wanghongmei",
                    .action = "forum.create",
                    .target = "k3m9q2xw7a",
                    .after_json = R"({"title":"书记论坛 · 第四期"})",
                    .at_ms = kT0};
  auto id1 = audit.append_audit(create);
  ASSERT_TRUE(id1.ok());
  AuditEntry user{.actor = "cli", .action = "user.add", .target = "lijianguo", .at_ms = kT0 + 1};
  auto id2 = audit.append_audit(user);
  ASSERT_TRUE(id2.ok());
  AuditEntry onair{.forum_id = "k3m9q2xw7a",
                   .actor = "lijianguo",
                   .action = "question.on_air",
                   .target = "q1",
                   .before_json = R"({"state":"approved"})",
                   .after_json = R"({"state":"on_air"})",
                   .at_ms = kT0 + 2,
                   .stream_ms = 754'000};
  auto id3 = audit.append_audit(onair);
  ASSERT_TRUE(id3.ok());
  EXPECT_LT(*id1, *id2);
  EXPECT_LT(*id2, *id3);

  auto all = audit.list_audit("", 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].action, "question.on_air");
  EXPECT_EQ((*all)[0].stream_ms, 754'000);
  EXPECT_EQ((*all)[0].before_json, R"({"state":"approved"})");
  EXPECT_EQ((*all)[1].forum_id, "");
  EXPECT_FALSE((*all)[1].stream_ms.has_value());

  auto forum_only = audit.list_audit("k3m9q2xw7a", 10);
  ASSERT_TRUE(forum_only.ok());
  ASSERT_EQ(forum_only->size(), 2u);
  EXPECT_EQ((*forum_only)[1].after_json, R"({"title":"书记论坛 · 第四期"})");

  auto limited = audit.list_audit("", 1);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ((*limited)[0].id, *id3);
}

TEST_F(StoreSqlite, EverythingSurvivesCloseAndReopen) {
  ASSERT_TRUE(store_->forums().create_forum(demo_forum()).ok());
  Account li = add("lijianguo", Role::moderator);
  ASSERT_TRUE(
      store_->sessions()
          .create_session(
              {.token_hash = "s1", .account_id = li.id, .created_ms = kT0, .expires_ms = kT0 + 1})
          .ok());
  ASSERT_TRUE(store_->devices()
                  .register_device({.token_hash = "d1", .created_ms = kT0, .last_seen_ms = kT0})
                  .ok());
  ASSERT_TRUE(
      store_->audit()
          .append_audit({.actor = "cli", .action = "user.add", .target = "lijianguo", .at_ms = kT0})
          .ok());
  reopen();
  EXPECT_EQ(store_->forums().get_forum("k3m9q2xw7a")->title, demo_forum().title);
  EXPECT_EQ(store_->accounts().get_account("lijianguo")->id, li.id);
  EXPECT_EQ(store_->sessions().get_session("s1")->account_name, "lijianguo");
  EXPECT_TRUE(store_->devices().get_device("d1").ok());
  EXPECT_EQ(store_->audit().list_audit("", 5)->size(), 1u);
}

TEST_F(StoreSqlite, BackupIsAConsistentCopyAndNeverOverwrites) {
  ASSERT_TRUE(store_->forums().create_forum(demo_forum()).ok());
  const std::string dest = dir_.file("backups/forumcast-2026-12-05.db");
  ASSERT_TRUE(store_->backup_to(dest).ok());
  EXPECT_EQ(store_->backup_to(dest).error().code, "conflict");
  auto copy = open_sqlite_store({.path = dest});
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  EXPECT_EQ((*copy)->forums().get_forum("k3m9q2xw7a")->title, demo_forum().title);
}

TEST_F(StoreSqlite, StatsCountWrites) {
  ASSERT_TRUE(store_->forums().create_forum(demo_forum()).ok());
  ASSERT_FALSE(store_->forums().create_forum(demo_forum()).ok());
  store_->flush();
  StoreStats s = store_->stats();
  EXPECT_EQ(s.writes, 2u);
  EXPECT_EQ(s.write_queue, 0u);
  EXPECT_GE(s.write_batches, 1u);
}

TEST(StoreSqliteOpen, UnwritableLocationIsStoreOpen) {
  TempDir dir;
  // A regular file where a directory should be.
  {
    std::FILE* f = std::fopen(dir.file("blocker").c_str(), "w");
    std::fclose(f);
  }
  auto s = open_sqlite_store({.path = dir.file("blocker/forumcast.db")});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "store_open");
  EXPECT_EQ(open_sqlite_store({.path = ""}).error().code, "store_open");
}

}  // namespace
}  // namespace forumcast
