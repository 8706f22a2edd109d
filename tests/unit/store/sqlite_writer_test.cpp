// tests/unit/store/sqlite_writer_test.cpp: the batched writer thread commits
// queued jobs together, calls every done after COMMIT (checked through a separate
// connection from inside the callback), isolates a failing job from its batch
// neighbours, survives a batch whose transaction dies, refuses when its queue is
// full, and drains on destruction.
#include "store/sqlite/sqlite_writer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
#include "temp_dir.hpp"

namespace forumcast {
namespace {

using namespace std::chrono_literals;
using sqlite::ConnectionOptions;
using sqlite::SqliteDb;
using sqlite::SqliteWriter;
using testing::TempDir;

// A gate the test opens: a job waiting on it holds the writer thread, so the
// jobs submitted meanwhile queue up and form one batch.
class Gate {
 public:
  void open() {
    {
      std::lock_guard lk(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  bool wait() {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, 30s, [&] { return open_; });
  }
  void mark_entered() {
    {
      std::lock_guard lk(mu_);
      entered_ = true;
    }
    cv_.notify_all();
  }
  bool wait_entered() {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, 30s, [&] { return entered_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  bool entered_ = false;
};

class StoreWriter : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("w.db");
    auto db = std::make_unique<SqliteDb>(path_, ConnectionOptions{});
    db->exec("CREATE TABLE comments (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE) STRICT");
    writer_ = std::make_unique<SqliteWriter>(std::move(db), SqliteWriter::Options{64, 100});
    observer_ = std::make_unique<SqliteDb>(path_, ConnectionOptions{});
  }

  static SqliteWriter::Job insert(std::string body) {
    return [body](SqliteDb& db) -> Status {
      auto st = db.prepare("INSERT INTO comments (body) VALUES (?1)");
      st->bind(1, body);
      st->exec();
      return ok_status();
    };
  }
  // Holds the writer thread until gate.open().
  static SqliteWriter::Job hold(Gate& gate) {
    return [&gate](SqliteDb&) -> Status {
      gate.mark_entered();
      return gate.wait() ? ok_status() : make_error("store_error", "gate never opened");
    };
  }
  int64_t count(const std::string& where = "1") {
    return observer_->query_int("SELECT count(*) FROM comments WHERE " + where);
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<SqliteWriter> writer_;
  std::unique_ptr<SqliteDb> observer_;  // a separate connection, as another reader would be
};

TEST_F(StoreWriter, DoneRunsAfterCommitVisibleToAnotherConnection) {
  std::mutex mu;
  std::vector<std::string> seen_in_done;
  const std::vector<std::string> bodies = {
      "中心广场能不能多放几张长椅?", "楼道里的电动车什么时候清理?", "新租客怎么加入楼组微信群?"};
  for (const auto& b : bodies) {
    auto body = b;
    ASSERT_TRUE(writer_
                    ->submit(insert(body),
                             [&, body](const Status& st) {
                               // Inside the callback, on the writer thread: a fresh connection sees
                               // the row.
                               SqliteDb other(path_, ConnectionOptions{});
                               auto q = other.prepare("SELECT body FROM comments WHERE body = ?1");
                               q->bind(1, body);
                               std::lock_guard lk(mu);
                               if (st.ok() && q->step()) seen_in_done.push_back(q->col_text(0));
                             })
                    .ok());
  }
  writer_->flush();
  std::lock_guard lk(mu);
  EXPECT_EQ(seen_in_done, bodies);
}

TEST_F(StoreWriter, QueuedJobsShareOneTransaction) {
  Gate gate;
  ASSERT_TRUE(writer_->submit(hold(gate), nullptr).ok());
  ASSERT_TRUE(gate.wait_entered());
  std::atomic<int> ok_done{0};
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(writer_
                    ->submit(insert("comment " + std::to_string(i)),
                             [&](const Status& st) { ok_done += st.ok(); })
                    .ok());
  EXPECT_EQ(count(), 0);  // nothing committed while the writer is held
  gate.open();
  writer_->flush();
  EXPECT_EQ(ok_done.load(), 50);
  EXPECT_EQ(count(), 50);
  auto stats = writer_->stats();
  EXPECT_EQ(stats.jobs, 51u);
  EXPECT_EQ(stats.batches, 2u);  // the held job, then all fifty together
  EXPECT_EQ(stats.retried_jobs, 0u);
}

TEST_F(StoreWriter, FailingJobDoesNotFailItsNeighbours) {
  ASSERT_TRUE(writer_->submit_and_wait(insert("duplicate")).ok());
  Gate gate;
  ASSERT_TRUE(writer_->submit(hold(gate), nullptr).ok());
  ASSERT_TRUE(gate.wait_entered());
  std::vector<std::string> codes(3);
  ASSERT_TRUE(writer_
                  ->submit(insert("before"),
                           [&](const Status& s) { codes[0] = s.ok() ? "ok" : s.error().code; })
                  .ok());
  ASSERT_TRUE(writer_
                  ->submit(insert("duplicate"),
                           [&](const Status& s) { codes[1] = s.ok() ? "ok" : s.error().code; })
                  .ok());
  ASSERT_TRUE(writer_
                  ->submit(insert("after"),
                           [&](const Status& s) { codes[2] = s.ok() ? "ok" : s.error().code; })
                  .ok());
  gate.open();
  writer_->flush();
  EXPECT_EQ(codes, (std::vector<std::string>{"ok", "conflict", "ok"}));
  EXPECT_EQ(count("body IN ('before', 'after')"), 2);
  EXPECT_EQ(count("body = 'duplicate'"), 1);
  EXPECT_EQ(writer_->stats().retried_jobs, 0u);  // the savepoint contained it
}

TEST_F(StoreWriter, PartialWorkOfAFailingJobIsRolledBack) {
  Status st = writer_->submit_and_wait([](SqliteDb& db) -> Status {
    db.exec("INSERT INTO comments (body) VALUES ('half')");
    return make_error("invalid_input", "changed my mind");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "invalid_input");
  EXPECT_EQ(count(), 0);
}

TEST_F(StoreWriter, ThrowingJobBecomesAnErrorAndTheWriterGoesOn) {
  Status st =
      writer_->submit_and_wait([](SqliteDb&) -> Status { throw std::runtime_error("boom"); });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "store_error");
  EXPECT_NE(st.error().message.find("boom"), std::string::npos);
  Status bad_sql = writer_->submit_and_wait([](SqliteDb& db) -> Status {
    db.exec("INSERT INTO no_such_table VALUES (1)");
    return ok_status();
  });
  EXPECT_EQ(bad_sql.error().code, "store_error");
  EXPECT_TRUE(writer_->submit_and_wait(insert("still writing")).ok());
  EXPECT_EQ(count(), 1);
}

TEST_F(StoreWriter, BatchWhoseTransactionDiesIsRetriedJobByJob) {
  Gate gate;
  ASSERT_TRUE(writer_->submit(hold(gate), nullptr).ok());
  ASSERT_TRUE(gate.wait_entered());
  std::vector<std::string> codes(3);
  auto record = [&](int i) {
    return [&, i](const Status& s) { codes[i] = s.ok() ? "ok" : s.error().code; };
  };
  ASSERT_TRUE(writer_->submit(insert("first"), record(0)).ok());
  // Ends the shared transaction behind the writer's back: the batch cannot commit.
  ASSERT_TRUE(writer_
                  ->submit(
                      [](SqliteDb& db) -> Status {
                        db.exec("ROLLBACK");
                        return ok_status();
                      },
                      record(1))
                  .ok());
  ASSERT_TRUE(writer_->submit(insert("third"), record(2)).ok());
  gate.open();
  writer_->flush();
  EXPECT_EQ(codes[0], "ok");
  EXPECT_EQ(codes[1], "store_error");
  EXPECT_EQ(codes[2], "ok");
  EXPECT_EQ(count("body IN ('first', 'third')"), 2);
  EXPECT_EQ(writer_->stats().retried_jobs, 3u);
}

TEST_F(StoreWriter, LockHeldByAnotherProcessFailsTheBatchOnceWithStoreBusy) {
  auto db =
      std::make_unique<SqliteDb>(dir_.file("busy.db"), ConnectionOptions{.busy_timeout_ms = 50});
  db->exec("CREATE TABLE t (x INTEGER) STRICT");
  SqliteWriter w(std::move(db), SqliteWriter::Options{8, 100});
  SqliteDb other(dir_.file("busy.db"), ConnectionOptions{});  // stands in for the CLI
  // A done callback that waits holds the writer between batches, outside any
  // transaction, so the next jobs queue up into one batch.
  Gate gate;
  ASSERT_TRUE(w.submit([](SqliteDb&) { return ok_status(); },
                       [&](const Status&) {
                         gate.mark_entered();
                         gate.wait();
                       })
                  .ok());
  ASSERT_TRUE(gate.wait_entered());
  other.exec("BEGIN IMMEDIATE");
  std::vector<std::string> codes(4);
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(w.submit(
                     [](SqliteDb& db) -> Status {
                       db.exec("INSERT INTO t VALUES (1)");
                       return ok_status();
                     },
                     [&, i](const Status& s) { codes[i] = s.ok() ? "ok" : s.error().code; })
                    .ok());
  gate.open();
  w.flush();
  EXPECT_EQ(codes, std::vector<std::string>(4, "store_busy"));
  EXPECT_EQ(w.stats().retried_jobs, 0u);  // the lock, not a job, was at fault
  other.exec("ROLLBACK");
  EXPECT_TRUE(w.submit_and_wait([](SqliteDb& db) -> Status {
                 db.exec("INSERT INTO t VALUES (2)");
                 return ok_status();
               }).ok());
  EXPECT_EQ(other.query_int("SELECT count(*) FROM t"), 1);
}

TEST_F(StoreWriter, FullQueueIsRefusedWithoutCallingDone) {
  auto db = std::make_unique<SqliteDb>(dir_.file("small.db"), ConnectionOptions{});
  db->exec("CREATE TABLE t (x INTEGER) STRICT");
  SqliteWriter small(std::move(db), SqliteWriter::Options{8, 2});
  Gate gate;
  ASSERT_TRUE(small.submit(hold(gate), nullptr).ok());
  ASSERT_TRUE(gate.wait_entered());  // taken off the queue
  std::atomic<int> dones{0};
  auto job = [](SqliteDb& db) -> Status {
    db.exec("INSERT INTO t VALUES (1)");
    return ok_status();
  };
  EXPECT_TRUE(small.submit(job, [&](const Status&) { ++dones; }).ok());
  EXPECT_TRUE(small.submit(job, [&](const Status&) { ++dones; }).ok());
  Status refused = small.submit(job, [&](const Status&) { ++dones; });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "store_overloaded");
  gate.open();
  small.flush();
  EXPECT_EQ(dones.load(), 2);
}

TEST_F(StoreWriter, SubmitAndWaitFromManyThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i)
        if (!writer_->submit_and_wait(insert("t" + std::to_string(t) + "-" + std::to_string(i)))
                 .ok())
          ++failures;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count(), 200);
}

TEST_F(StoreWriter, SubmitAndWaitInsideDoneRunsInline) {
  std::promise<Status> inner;
  ASSERT_TRUE(writer_
                  ->submit(insert("outer"),
                           [&](const Status&) {
                             inner.set_value(writer_->submit_and_wait(insert("inner")));
                           })
                  .ok());
  auto fut = inner.get_future();
  ASSERT_EQ(fut.wait_for(30s), std::future_status::ready);
  EXPECT_TRUE(fut.get().ok());
  EXPECT_EQ(count(), 2);
}

TEST_F(StoreWriter, DestructionCommitsEverythingQueued) {
  std::atomic<int> dones{0};
  for (int i = 0; i < 90; ++i)
    ASSERT_TRUE(
        writer_->submit(insert("c" + std::to_string(i)), [&](const Status& s) { dones += s.ok(); })
            .ok());
  writer_.reset();
  EXPECT_EQ(dones.load(), 90);
  EXPECT_EQ(count(), 90);
}

TEST_F(StoreWriter, FlushWaitsForEverySubmittedJob) {
  for (int i = 0; i < 95; ++i)
    ASSERT_TRUE(writer_->submit(insert("f" + std::to_string(i)), nullptr).ok());
  writer_->flush();
  EXPECT_EQ(count(), 95);
}

}  // namespace
}  // namespace forumcast
