// SqliteChatLog on a real SQLite file: streams keep their epoch, appends are
// committed before `done`, the tail comes back in seq order after a reopen.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "store/chat_log_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "unit/store/temp_dir.hpp"

namespace forumcast {
namespace {

Forum demo_forum() {
  Forum f;
  f.id = "k3m9q2xw7a";
  f.title = "书记论坛 · 第四期:小区微改造,听听大家怎么说";
  f.state = ForumState::live;
  f.stream_key = "key-k3m9q2xw7a";
  return f;
}

TEST(chat_sqlite_log, AppendsAreDurableAndTheStreamKeepsItsEpochAcrossReopen) {
  testing::TempDir dir;
  SqliteOptions opts;
  opts.path = dir.file("forumcast.db");
  {
    auto store = open_sqlite_store(opts);
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE((*store)->forums().create_forum(demo_forum()).ok());
    ChatLogStore& log = (*store)->chat_log();
    auto head = log.open_stream("k3m9q2xw7a", "epoch1", 1000);
    ASSERT_TRUE(head.ok()) << head.error().message;
    EXPECT_EQ(head->epoch, "epoch1");
    EXPECT_EQ(head->last_seq, 0);

    std::mutex mu;
    std::condition_variable cv;
    int done = 0, failed = 0;
    for (int seq = 1; seq <= 5; ++seq) {
      std::string body =
          R"({"ev":"comment","forum":"k3m9q2xw7a","seq":)" + std::to_string(seq) + "}";
      log.append_event({"k3m9q2xw7a", seq, "comment", body, "dev:abc", 1000 + seq}, [&](Status st) {
        std::lock_guard lk(mu);
        ++done;
        if (!st.ok()) ++failed;
        cv.notify_all();
      });
    }
    // The same seq twice is refused, not silently overwritten.
    log.append_event({"k3m9q2xw7a", 3, "comment", "{}", "", 0}, [&](Status st) {
      std::lock_guard lk(mu);
      ++done;
      if (!st.ok()) ++failed;
      cv.notify_all();
    });
    std::unique_lock lk(mu);
    ASSERT_TRUE(cv.wait_for(lk, std::chrono::seconds(10), [&] { return done == 6; }));
    EXPECT_EQ(failed, 1);
  }
  auto store = open_sqlite_store(opts);
  ASSERT_TRUE(store.ok());
  ChatLogStore& log = (*store)->chat_log();
  auto head = log.open_stream("k3m9q2xw7a", "epoch2", 2000);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->epoch, "epoch1");  // continuity kept: same epoch
  EXPECT_EQ(head->last_seq, 5);
  auto tail = log.load_tail("k3m9q2xw7a", 3);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 3u);
  EXPECT_EQ((*tail)[0].seq, 3);
  EXPECT_EQ((*tail)[2].seq, 5);
  EXPECT_EQ((*tail)[2].author_key, "dev:abc");
  EXPECT_NE((*tail)[0].body, "{}");
}

}  // namespace
}  // namespace forumcast
