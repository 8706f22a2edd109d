// store/sqlite/sqlite_writer.cpp: the batched writer thread (see the header for
// the contract). The loop: take up to max_batch queued jobs, BEGIN IMMEDIATE, run
// each inside SAVEPOINT/RELEASE (ROLLBACK TO on failure), COMMIT, then call every
// done in order. If the batch's transaction dies, re-run each job alone.
#include "store/sqlite/sqlite_writer.hpp"

#include <exception>
#include <future>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"

namespace forumcast::sqlite {
namespace {

// Runs a job, turning exceptions into errors.
Status call(const SqliteWriter::Job& job, SqliteDb& db) {
  try {
    return job(db);
  } catch (const SqliteError& e) {
    return to_error(e);
  } catch (const std::exception& e) {
    return make_error("store_error", e.what());
  } catch (...) {
    return make_error("store_error", "a write job threw an unknown exception");
  }
}

void rollback_quietly(SqliteDb& db) {
  if (!db.in_transaction()) return;
  try {
    db.exec("ROLLBACK");
  } catch (const SqliteError&) {
  }
}

}  // namespace

SqliteWriter::SqliteWriter(std::unique_ptr<SqliteDb> db, Options opts)
    : db_(std::move(db)), opts_(opts) {
  if (opts_.max_batch == 0 || opts_.max_queue == 0)
    throw std::invalid_argument("SqliteWriter: max_batch and max_queue must be > 0");
  thread_ = std::thread([this] { run(); });
}

SqliteWriter::~SqliteWriter() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  space_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool SqliteWriter::on_writer_thread() const {
  return std::this_thread::get_id() == thread_.get_id();
}

SqliteWriter::Stats SqliteWriter::stats() const {
  std::lock_guard lk(mu_);
  Stats s = stats_;
  s.queued = queue_.size();
  return s;
}

Status SqliteWriter::submit(Job job, Done done) {
  {
    std::lock_guard lk(mu_);
    if (stop_) return make_error("store_closed", "the store is shutting down");
    if (queue_.size() >= opts_.max_queue)
      return make_error("store_overloaded", "too many writes waiting (store.max_queue = " +
                                                std::to_string(opts_.max_queue) + ")");
    queue_.push_back(Item{std::move(job), std::move(done)});
    ++submitted_;
  }
  work_cv_.notify_one();
  return ok_status();
}

Status SqliteWriter::submit_and_wait(Job job) {
  if (on_writer_thread()) {
    if (db_->in_transaction())
      return make_error("store_error", "a writer job called back into the store");
    return run_alone(job);
  }
  auto promise = std::make_shared<std::promise<Status>>();
  std::future<Status> result = promise->get_future();
  {
    std::unique_lock lk(mu_);
    space_cv_.wait(lk, [&] { return stop_ || queue_.size() < opts_.max_queue; });
    if (stop_) return make_error("store_closed", "the store is shutting down");
    queue_.push_back(Item{std::move(job), [promise](const Status& s) { promise->set_value(s); }});
    ++submitted_;
  }
  work_cv_.notify_one();
  return result.get();
}

void SqliteWriter::flush() {
  if (on_writer_thread()) return;
  std::unique_lock lk(mu_);
  const uint64_t target = submitted_;
  done_cv_.wait(lk, [&] { return completed_ >= target; });
}

void SqliteWriter::run() {
  std::deque<Item> batch;
  for (;;) {
    {
      std::unique_lock lk(mu_);
      work_cv_.wait(lk, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stop_ and drained
      while (!queue_.empty() && batch.size() < opts_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    space_cv_.notify_all();
    const size_t n = batch.size();
    run_batch(batch);
    batch.clear();
    {
      std::lock_guard lk(mu_);
      completed_ += n;
      stats_.jobs += n;
    }
    done_cv_.notify_all();
  }
  // Recommended for long-lived connections: refresh the planner's statistics
  // where they are stale (cheap; usually does nothing).
  try {
    db_->exec("PRAGMA optimize");
  } catch (const SqliteError&) {
  }
}

Status SqliteWriter::run_in_savepoint(const Job& job) {
  db_->prepare("SAVEPOINT job")->exec();
  Status st = call(job, *db_);
  if (!db_->in_transaction()) return st;  // the job's failure ended the transaction
  if (!st.ok()) db_->prepare("ROLLBACK TO job")->exec();
  db_->prepare("RELEASE job")->exec();
  return st;
}

Status SqliteWriter::run_alone(const Job& job) {
  try {
    db_->prepare("BEGIN IMMEDIATE")->exec();
    Status st = call(job, *db_);
    if (st.ok()) {
      db_->prepare("COMMIT")->exec();
    } else {
      rollback_quietly(*db_);
    }
    return st;
  } catch (const SqliteError& e) {
    rollback_quietly(*db_);
    return to_error(e);
  }
}

SqliteWriter::BatchOutcome SqliteWriter::commit_together(std::deque<Item>& batch,
                                                         std::vector<Status>& results) {
  try {
    db_->prepare("BEGIN IMMEDIATE")->exec();
  } catch (const SqliteError& e) {
    // No job ran: none is at fault, and retrying each alone would only wait for
    // the same lock again (busy_timeout per job). Every job gets this error.
    Status err = to_error(e);
    for (auto& r : results) r = err;
    return BatchOutcome::not_started;
  }
  try {
    for (size_t i = 0; i < batch.size(); ++i) {
      results[i] = run_in_savepoint(batch[i].job);
      if (!db_->in_transaction()) return BatchOutcome::failed;  // a job ended the transaction
    }
    db_->prepare("COMMIT")->exec();
    return BatchOutcome::committed;
  } catch (const SqliteError&) {
    return BatchOutcome::failed;
  }
}

void SqliteWriter::run_batch(std::deque<Item>& batch) {
  std::vector<Status> results(batch.size(), ok_status());
  if (batch.size() == 1) {
    // Nothing to isolate from: no savepoint, and a failure is final (no retry).
    results[0] = run_alone(batch[0].job);
  } else if (commit_together(batch, results) == BatchOutcome::failed) {
    // Nothing of this batch is durable: re-run each job in its own transaction.
    rollback_quietly(*db_);
    for (size_t i = 0; i < batch.size(); ++i) results[i] = run_alone(batch[i].job);
    std::lock_guard lk(mu_);
    stats_.retried_jobs += batch.size();
  }
  {
    std::lock_guard lk(mu_);
    ++stats_.batches;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!batch[i].done) continue;
    try {
      batch[i].done(results[i]);
    } catch (...) {
      // A callback's failure is its own; the writer keeps going.
    }
  }
}

}  // namespace forumcast::sqlite
