// tests/unit/server/auth_test.cpp: Argon2id hashing, SHA-256 token hashing,
// sessions (expiry, revocation, disabled accounts), device tokens, the login
// rate limiter, the admin operations' audit trail and the demo seeding; on a real
// SQLite store in a temp dir (the Store interface grows with every module, a fake
// would have to follow it).
#include <gtest/gtest.h>

#include <memory>

#include "core/clock.hpp"
#include "server/admin.hpp"
#include "server/auth.hpp"
#include "server/demo.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace forumcast {
namespace {

// A fresh SQLite store in its own temp dir.
struct TempStore {
  test::TempDir dir{"forumcast-auth"};
  std::unique_ptr<Store> store;
  TempStore() {
    SqliteOptions o;
    o.path = dir.file("forumcast.db");
    auto r = open_sqlite_store(o);
    if (!r) throw std::runtime_error(r.error().message);
    store = std::move(r.value());
  }
  Store& operator*() { return *store; }
};

TEST(ServerAuth, PasswordHashIsArgon2idAndVerifies) {
  auto h = hash_password("春晖苑 secret 1");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(verify_password(*h, "春晖苑 secret 1"));
  EXPECT_FALSE(verify_password(*h, "春晖苑 secret 2"));
  EXPECT_FALSE(verify_password("", "x"));
  auto h2 = hash_password("春晖苑 secret 1");
  ASSERT_TRUE(h2.ok());
  EXPECT_NE(*h, *h2) << "salted";
}

TEST(ServerAuth, Sha256HexMatchesTheStandardVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("").size(), 64u);
}

struct ServerAuthSession : ::testing::Test {
  TempStore temp;
  Store& store = *temp;
  FakeClock clock;
  Auth auth{store, clock, 3600'000};
  void SetUp() override {
    ASSERT_TRUE(
        add_account(store, clock, "wang-hm", Role::moderator, "correct horse", 8, "cli").ok());
  }
};

TEST_F(ServerAuthSession, LoginGivesASessionStoredOnlyAsAHash) {
  auto ok = auth.login("wang-hm", "correct horse");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->token.size(), 32u);
  EXPECT_EQ(ok->session.token_hash, sha256_hex(ok->token));
  EXPECT_NE(ok->session.token_hash, ok->token);
  EXPECT_TRUE(store.sessions().get_session(sha256_hex(ok->token)).ok());
  EXPECT_FALSE(store.sessions().get_session(ok->token).ok());
  Principal p = auth.identify(ok->token);
  EXPECT_EQ(p.caller, Caller::moderator);
  EXPECT_EQ(p.name, "wang-hm");
}

TEST_F(ServerAuthSession, WrongPasswordUnknownUserAndDisabledAccountLookAlike) {
  auto wrong = auth.login("wang-hm", "wrong horse");
  auto unknown = auth.login("nobody", "correct horse");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, "bad_credentials");
  EXPECT_EQ(unknown.error().code, "bad_credentials");
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  ASSERT_TRUE(disable_account(store, clock, "wang-hm", "cli").ok());
  auto disabled = auth.login("wang-hm", "correct horse");
  ASSERT_FALSE(disabled.ok());
  EXPECT_EQ(disabled.error().code, "bad_credentials");
}

TEST_F(ServerAuthSession, SessionsExpireAndAreRevokedByLogoutAndDisable) {
  auto a = auth.login("wang-hm", "correct horse");
  ASSERT_TRUE(a.ok());
  clock.advance(3600'000);
  EXPECT_EQ(auth.identify(a->token).caller, Caller::anonymous) << "expired";

  auto b = auth.login("wang-hm", "correct horse");
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(auth.logout(b->token).ok());
  EXPECT_EQ(auth.identify(b->token).caller, Caller::anonymous) << "logged out";

  auto c = auth.login("wang-hm", "correct horse");
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(disable_account(store, clock, "wang-hm", "cli").ok());
  EXPECT_EQ(auth.identify(c->token).caller, Caller::anonymous) << "disabled";
}

TEST_F(ServerAuthSession, DeviceTokensIdentifyResidentsOnly) {
  auto tok = auth.new_device();
  ASSERT_TRUE(tok.ok());
  Principal p = auth.identify(*tok);
  EXPECT_EQ(p.caller, Caller::resident);
  EXPECT_FALSE(allowed(p.caller, Action::list_users));
  EXPECT_EQ(auth.identify("not-a-token").caller, Caller::anonymous);
  EXPECT_EQ(auth.identify("").caller, Caller::anonymous);
}

TEST(ServerRateLimiter, CountsPerKeyPerWindow) {
  FakeClock clock;
  RateLimiter rl(clock, 3, 60'000);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(rl.allow("10.0.0.1"));
  EXPECT_FALSE(rl.allow("10.0.0.1"));
  EXPECT_TRUE(rl.allow("10.0.0.2"));
  clock.advance(60'000);
  EXPECT_TRUE(rl.allow("10.0.0.1"));
}

TEST(ServerAdmin, CreateForumValidatesAndAudits) {
  TempStore temp;
  Store& store = *temp;
  FakeClock clock;
  NewForum nf;
  nf.title = "  书记论坛 · 第四期  ";
  nf.starts_at = "2026-12-05T14:00:00+08:00";
  auto f = create_forum(store, clock, nf, "cli");
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->title, "书记论坛 · 第四期");
  EXPECT_EQ(f->id.size(), 10u);
  EXPECT_EQ(f->stream_key.size(), 32u);
  auto log = store.audit().list_audit(f->id, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].actor, "cli");
  EXPECT_EQ((*log)[0].action, "forum.create");

  NewForum empty;
  auto bad = create_forum(store, clock, empty, "cli");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_argument");
  NewForum bad_time;
  bad_time.title = "x";
  bad_time.starts_at = "tomorrow";
  EXPECT_FALSE(create_forum(store, clock, bad_time, "cli").ok());
}

TEST(ServerAdmin, ForumUrlsUseTheBaseAndStreamKey) {
  Forum f;
  f.id = "k3m9q2xw7a";
  f.stream_key = "key123";
  ForumUrls u = forum_urls("http://192.168.1.5:8080", f);
  EXPECT_EQ(u.resident, "http://192.168.1.5:8080/f/k3m9q2xw7a");
  EXPECT_EQ(u.moderator, "http://192.168.1.5:8080/mod/k3m9q2xw7a");
  EXPECT_EQ(u.hls, "http://192.168.1.5:8080/hls/k3m9q2xw7a/index.m3u8");
  EXPECT_EQ(u.rtmp, "rtmp://192.168.1.5:1935/live/key123");
}

TEST(ServerDemo, EnsureDemoIsIdempotentAndResetsPasswords) {
  TempStore temp;
  Store& store = *temp;
  FakeClock clock;
  auto first = ensure_demo(store, clock);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->forum.id, kDemoForumId);
  EXPECT_EQ(first->forum.state, ForumState::live);
  EXPECT_NE(first->forum.title.find("书记论坛"), std::string::npos);
  auto second = ensure_demo(store, clock);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->forum.stream_key, first->forum.stream_key);
  EXPECT_NE(second->moderator_password, first->moderator_password);
  EXPECT_EQ(store.forums().list_forums()->size(), 1u);
  Auth auth(store, clock, 3600'000);
  EXPECT_FALSE(auth.login("demo-org", first->organizer_password).ok());
  EXPECT_TRUE(auth.login("demo-org", second->organizer_password).ok());
}

}  // namespace
}  // namespace forumcast
