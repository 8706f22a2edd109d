// tests/unit/store/sqlite_question_store_test.cpp: the moderation store interfaces
// (store/question_store.hpp) against a real SQLite file: question round trips and
// upserts, history in order, one vote per device, merged votes, blocked terms, bans
// with expiry and lifting, settings, audit rows in the same transaction, survival
// across reopen, and the upgrade of a schema-2 database to 3 keeping its data.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

namespace forumcast {
namespace {

using testing::TempDir;

constexpr int64_t kT0 = 1'764'900'000'000;
const std::string kForum = "k3m9q2xw7a";

// Runs an asynchronous store write and waits for its `done` (with a timeout).
template <typename F>
Status wait_done(F&& submit) {
  auto p = std::make_shared<std::promise<Status>>();
  auto fut = p->get_future();
  submit([p](Status st) { p->set_value(std::move(st)); });
  if (fut.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
    return make_error("timeout", "done was not called within 10 s");
  return fut.get();
}

QuestionRow question(int64_t id, std::string text, std::string state = "pending") {
  QuestionRow q;
  q.id = id;
  q.forum_id = kForum;
  q.source = "resident";
  q.asker_device_hash = "dev-" + std::to_string(id);
  q.display_name = "李阿姨";
  q.compound = "梅园新村";
  q.building = "12号楼";
  q.text = std::move(text);
  q.category = "problem";
  q.state = std::move(state);
  q.created_ms = kT0 + id;
  q.updated_ms = kT0 + id;
  return q;
}

AuditEntry audit(std::string action, std::string target) {
  AuditEntry a;
  a.forum_id = kForum;
  a.actor = "zhaomin";
  a.action = std::move(action);
  a.target = std::move(target);
  a.at_ms = kT0 + 1000;
  return a;
}

class QuestionStoreSqlite : public ::testing::Test {
 protected:
  void SetUp() override {
    reopen();
    Forum f;
    f.id = kForum;
    f.title = "书记论坛 · 第四期:小区微改造,听听大家怎么说";
    f.state = ForumState::live;
    f.stream_key = "q7v2m4k8s6d3f5h1j9l0p2r4t6w8y0z2";
    f.created_ms = f.updated_ms = kT0;
    ASSERT_TRUE(store_->forums().create_forum(f).ok());
  }
  void reopen() {
    store_.reset();
    auto s = open_sqlite_store({.path = dir_.file("forumcast.db")});
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s.value());
  }
  Status apply(QuestionChangeRecord rec) {
    return wait_done([&](StoreDone d) { store_->questions().apply_question_change(rec, d); });
  }
  Status vote(int64_t id, const std::string& dev, int64_t at = kT0) {
    return wait_done([&](StoreDone d) { store_->votes().add_vote({kForum, id, dev, at}, d); });
  }
  Status unvote(int64_t id, const std::string& dev) {
    return wait_done([&](StoreDone d) { store_->votes().remove_vote(kForum, id, dev, d); });
  }
  int64_t votes_of(int64_t id) {
    auto q = store_->questions().get_question(id);
    EXPECT_TRUE(q.ok());
    return q.ok() ? q->votes : -1;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(QuestionStoreSqlite, QuestionRoundTripWithEveryField) {
  QuestionRow q = question(7, "中心广场晚上太吵,能不能限定广场舞时间?");
  q.parent_id = 3;
  q.original_text = "中心广场晚上太吵了!!";
  q.agenda_item = 2;
  q.tags_json = R"(["广场舞","噪音"])";
  q.co_signers_json =
      R"([{"question_id":9,"device_hash":"d9","display_name":"王师傅","compound":"梅园新村"}])";
  q.on_air_json = R"([{"start_ms":1,"start_stream_ms":2}])";
  q.answers_json = R"([{"summary":"晚九点后停止","panelist":"街道办","by":"zhaomin","at_ms":5}])";
  q.created_stream_ms = 12'000;
  q.updated_stream_ms = 13'000;
  QuestionHistoryRow h{0,          kForum, 7,      "ask", "李阿姨",
                       "resident", kT0,    12'000, "",    R"({"state":"pending"})"};
  ASSERT_TRUE(apply({{q}, {h}, {}}).ok());

  auto got = store_->questions().get_question(7);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->forum_id, kForum);
  EXPECT_EQ(got->parent_id, 3);
  EXPECT_EQ(got->text, q.text);
  EXPECT_EQ(got->original_text, q.original_text);
  EXPECT_EQ(got->display_name, "李阿姨");
  EXPECT_EQ(got->compound, "梅园新村");
  EXPECT_EQ(got->building, "12号楼");
  EXPECT_EQ(got->category, "problem");
  EXPECT_EQ(got->agenda_item, 2);
  EXPECT_EQ(got->state, "pending");
  EXPECT_EQ(got->tags_json, q.tags_json);
  EXPECT_EQ(got->co_signers_json, q.co_signers_json);
  EXPECT_EQ(got->on_air_json, q.on_air_json);
  EXPECT_EQ(got->answers_json, q.answers_json);
  EXPECT_EQ(got->created_stream_ms, 12'000);
  EXPECT_EQ(got->updated_stream_ms, 13'000);
  EXPECT_FALSE(got->merged_into.has_value());
  EXPECT_EQ(store_->questions().max_question_id().value(), 7);
  EXPECT_EQ(store_->questions().get_question(8).error().code, "not_found");
}

TEST_F(QuestionStoreSqlite, ChangesUpsertAndHistoryAppendsInOrderWithAudit) {
  ASSERT_TRUE(apply({{question(1, "楼道里堆放杂物怎么办?")},
                     {{0, kForum, 1, "ask", "李阿姨", "resident", kT0, {}, "", "{}"}},
                     {}})
                  .ok());
  QuestionRow approved = question(1, "楼道堆放杂物,物业能否定期清理?", "approved");
  approved.original_text = "楼道里堆放杂物怎么办?";
  approved.updated_ms = kT0 + 500;
  ASSERT_TRUE(apply({{approved},
                     {{0, kForum, 1, "edit", "zhaomin", "moderator", kT0 + 400, {}, "{}", "{}"},
                      {0, kForum, 1, "approve", "zhaomin", "moderator", kT0 + 500, {}, "{}", "{}"}},
                     {audit("question.approve", "1")}})
                  .ok());
  ASSERT_TRUE(apply({{question(2, "加装电梯的补贴怎么申请?")},
                     {{0, kForum, 2, "ask", "王师傅", "resident", kT0 + 600, {}, "", "{}"}},
                     {}})
                  .ok());

  auto got = store_->questions().get_question(1);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state, "approved");
  EXPECT_EQ(got->text, "楼道堆放杂物,物业能否定期清理?");
  EXPECT_EQ(got->original_text, "楼道里堆放杂物怎么办?");
  EXPECT_EQ(got->updated_ms, kT0 + 500);
  EXPECT_EQ(got->created_ms, kT0 + 1);

  auto all = store_->questions().list_questions(kForum);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, 1);
  EXPECT_EQ((*all)[1].id, 2);
  EXPECT_TRUE(store_->questions().list_questions("other")->empty());

  auto hist = store_->questions().list_history(kForum, std::nullopt);
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->size(), 4u);
  EXPECT_EQ((*hist)[0].op, "ask");
  EXPECT_EQ((*hist)[1].op, "edit");
  EXPECT_EQ((*hist)[2].op, "approve");
  EXPECT_EQ((*hist)[2].actor_role, "moderator");
  EXPECT_EQ((*hist)[3].question_id, 2);
  EXPECT_LT((*hist)[0].id, (*hist)[1].id);
  auto one = store_->questions().list_history(kForum, 1);
  ASSERT_EQ(one->size(), 3u);

  auto log = store_->audit().list_audit(kForum, 10);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].action, "question.approve");
}

TEST_F(QuestionStoreSqlite, FailingChangeWritesNothing) {
  QuestionRow stray = question(5, "别的论坛的问题");
  stray.forum_id = "no-such-forum";
  Status st = apply({{question(4, "小区停车位不够"), stray},
                     {{0, kForum, 4, "ask", "李阿姨", "resident", kT0, {}, "", "{}"}},
                     {audit("question.ask", "4")}});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(store_->questions().get_question(4).error().code, "not_found");
  EXPECT_TRUE(store_->questions().list_history(kForum, std::nullopt)->empty());
  EXPECT_TRUE(store_->audit().list_audit(kForum, 10)->empty());
}

TEST_F(QuestionStoreSqlite, OneVotePerDeviceAndWithdraw) {
  ASSERT_TRUE(apply({{question(1, "加装电梯的补贴怎么申请?", "approved")}, {}, {}}).ok());
  ASSERT_TRUE(vote(1, "dev-a").ok());
  ASSERT_TRUE(vote(1, "dev-a").ok());  // idempotent
  EXPECT_EQ(votes_of(1), 1);
  ASSERT_TRUE(vote(1, "dev-b", kT0 + 5).ok());
  EXPECT_EQ(votes_of(1), 2);
  ASSERT_TRUE(unvote(1, "dev-a").ok());
  EXPECT_EQ(votes_of(1), 1);
  ASSERT_TRUE(unvote(1, "dev-a").ok());  // nothing to withdraw: still fine
  EXPECT_EQ(votes_of(1), 1);
  auto rows = store_->votes().list_votes(kForum);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].device_hash, "dev-b");
  EXPECT_EQ((*rows)[0].at_ms, kT0 + 5);
  EXPECT_EQ(vote(99, "dev-a").error().code, "not_found");

  reopen();
  EXPECT_EQ(votes_of(1), 1);
  EXPECT_EQ(store_->votes().list_votes(kForum)->size(), 1u);
}

TEST_F(QuestionStoreSqlite, MergeHandsVotesToTheTargetCountingEachDeviceOnce) {
  ASSERT_TRUE(
      apply({{question(1, "广场舞太吵", "approved"), question(2, "广场噪音扰民", "approved")},
             {},
             {}})
          .ok());
  for (auto dev : {"a", "b"}) ASSERT_TRUE(vote(1, dev).ok());
  for (auto dev : {"b", "c"}) ASSERT_TRUE(vote(2, dev).ok());
  QuestionRow src = question(1, "广场舞太吵", "merged");
  src.merged_into = 2;
  src.votes = 2;
  QuestionRow dst = question(2, "广场噪音扰民", "approved");
  dst.votes = 3;
  dst.co_signers_json =
      R"([{"question_id":1,"device_hash":"dev-1","display_name":"李阿姨","compound":"梅园新村"}])";
  ASSERT_TRUE(apply({{src, dst}, {}, {}}).ok());
  EXPECT_EQ(votes_of(2), 3);
  EXPECT_EQ(store_->questions().get_question(1)->merged_into, 2);
  int on_target = 0;
  auto rows = store_->votes().list_votes(kForum);
  ASSERT_TRUE(rows.ok());
  for (const auto& v : *rows) on_target += v.question_id == 2;
  EXPECT_EQ(on_target, 3);
}

TEST_F(QuestionStoreSqlite, BlockedTermsReplacedWholeInOrderPerScopeAndAudited) {
  auto& terms = store_->blocked_terms();
  EXPECT_TRUE(terms.list_terms("")->empty());
  std::vector<BlockedTermRow> global{
      {"骗子", "hold", 0}, {"傻逼", "mask", 0}, {"代开发票", "reject", 0}};
  ASSERT_TRUE(terms.replace_terms("", global, audit("terms.replace", "")).ok());
  std::vector<BlockedTermRow> local{{"拆迁款", "timeout", 600'000}};
  ASSERT_TRUE(terms.replace_terms(kForum, local, audit("terms.replace", kForum)).ok());

  reopen();
  auto g = store_->blocked_terms().list_terms("");
  ASSERT_EQ(g->size(), 3u);
  EXPECT_EQ((*g)[0].term, "骗子");
  EXPECT_EQ((*g)[1].action, "mask");
  EXPECT_EQ((*g)[2].term, "代开发票");
  auto l = store_->blocked_terms().list_terms(kForum);
  ASSERT_EQ(l->size(), 1u);
  EXPECT_EQ((*l)[0].timeout_ms, 600'000);

  ASSERT_TRUE(store_->blocked_terms()
                  .replace_terms("", {{"骗子", "reject", 0}}, audit("terms.replace", ""))
                  .ok());
  ASSERT_EQ(store_->blocked_terms().list_terms("")->size(), 1u);
  EXPECT_EQ(store_->blocked_terms().list_terms("")->at(0).action, "reject");
  EXPECT_EQ(store_->audit().list_audit(kForum, 10)->size(), 3u);
  // An action the schema does not know is refused and the old list stays.
  EXPECT_FALSE(store_->blocked_terms()
                   .replace_terms("", {{"x", "explode", 0}}, audit("terms.replace", ""))
                   .ok());
  EXPECT_EQ(store_->blocked_terms().list_terms("")->size(), 1u);
}

TEST_F(QuestionStoreSqlite, BansExpireLiftAndSurviveReopen) {
  auto add = [&](BanRow b) {
    return wait_done([&](StoreDone d) { store_->bans().add_ban(b, audit("ban.add", ""), d); });
  };
  BanRow ban{1,         kForum, "ban", "dev-troll", "127.0.0.1", "刷屏广告",
             "zhaomin", kT0,    {},    true,        {},          ""};
  BanRow timeout{2,         kForum, "timeout",    "dev-hot", "", "情绪激动",
                 "zhaomin", kT0,    kT0 + 60'000, false,     {}, ""};
  ASSERT_TRUE(add(ban).ok());
  ASSERT_TRUE(add(timeout).ok());
  EXPECT_EQ(add(ban).error().code, "conflict");
  EXPECT_EQ(store_->bans().max_ban_id(kForum).value(), 2);
  EXPECT_EQ(store_->bans().max_ban_id("other").value(), 0);

  reopen();
  auto active = store_->bans().list_active_bans(kForum, kT0 + 1);
  ASSERT_EQ(active->size(), 2u);
  EXPECT_EQ((*active)[0].device_hash, "dev-troll");
  EXPECT_EQ((*active)[0].ip, "127.0.0.1");
  EXPECT_TRUE((*active)[0].remove_comments);
  EXPECT_FALSE((*active)[0].expires_ms.has_value());
  EXPECT_EQ((*active)[1].expires_ms, kT0 + 60'000);
  // The timeout has run out a minute later; the ban has not.
  ASSERT_EQ(store_->bans().list_active_bans(kForum, kT0 + 60'000)->size(), 1u);

  auto lift = [&](int64_t id) {
    return wait_done([&](StoreDone d) {
      store_->bans().lift_ban(kForum, id, kT0 + 100, "zhaomin",
                              audit("ban.lift", std::to_string(id)), d);
    });
  };
  ASSERT_TRUE(lift(1).ok());
  EXPECT_EQ(lift(1).error().code, "not_found");
  EXPECT_EQ(store_->bans().list_active_bans(kForum, kT0 + 1)->size(), 1u);
  EXPECT_EQ(store_->bans().max_ban_id(kForum).value(), 2);  // lifted rows stay
  EXPECT_EQ(store_->audit().list_audit(kForum, 10)->size(), 3u);
}

TEST_F(QuestionStoreSqlite, SettingsPutReplaceAndReopen) {
  auto& s = store_->moderation_settings();
  EXPECT_EQ(s.get_moderation_settings(kForum).error().code, "not_found");
  auto put = [&](std::string json) {
    return wait_done([&](StoreDone d) {
      store_->moderation_settings().put_moderation_settings(kForum, json,
                                                            audit("settings.update", kForum), d);
    });
  };
  ASSERT_TRUE(put(R"({"premoderate_questions":true,"chat_delay_ms":0})").ok());
  ASSERT_TRUE(put(R"({"premoderate_questions":false,"chat_delay_ms":5000})").ok());
  reopen();
  EXPECT_EQ(store_->moderation_settings().get_moderation_settings(kForum).value(),
            R"({"premoderate_questions":false,"chat_delay_ms":5000})");
  EXPECT_EQ(store_->audit().list_audit(kForum, 10)->size(), 2u);
  EXPECT_EQ(wait_done([&](StoreDone d) {
              store_->moderation_settings().put_moderation_settings("no-such-forum", "{}",
                                                                    audit("x", ""), d);
            })
                .error()
                .code,
            "not_found");
}

TEST(QuestionStoreMigration, SchemaTwoDatabaseUpgradesKeepingChatAndForums) {
  TempDir dir;
  const std::string path = dir.file("forumcast.db");
  {
    sqlite::SqliteDb db(path, sqlite::ConnectionOptions{});
    ASSERT_TRUE(sqlite::apply_migrations(db, sqlite::migrations().first(2)).ok());
    db.exec(
        "INSERT INTO forums (id, title, state, stream_key, created_ms, updated_ms) VALUES "
        "('k3m9q2xw7a', '书记论坛 · 第四期', 'live', 'key', 1, 2);"
        "INSERT INTO chat_streams (forum_id, epoch, created_ms) VALUES ('k3m9q2xw7a', 'ep1', 1);"
        "INSERT INTO chat_events (forum_id, seq, kind, body, author_key, at_ms) VALUES "
        "('k3m9q2xw7a', 1, 'comment', '{\"text\":\"大家好\"}', 'dev-a', 3);");
  }
  auto store = open_sqlite_store({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), sqlite_schema_version_supported());
  auto tail = (*store)->chat_log().load_tail(kForum, 10);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ((*tail)[0].body, R"({"text":"大家好"})");
  EXPECT_EQ((*store)->forums().get_forum(kForum)->title, "书记论坛 · 第四期");
  // The new tables are there and empty.
  EXPECT_EQ((*store)->questions().max_question_id().value(), 0);
  EXPECT_TRUE((*store)->blocked_terms().list_terms("")->empty());
  auto st = wait_done([&](StoreDone d) {
    (*store)->questions().apply_question_change({{question(1, "新问题")}, {}, {}}, d);
  });
  EXPECT_TRUE(st.ok());
}

}  // namespace
}  // namespace forumcast
