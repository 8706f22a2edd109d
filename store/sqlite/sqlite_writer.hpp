// store/sqlite/sqlite_writer.hpp: the one thread that writes to the database.
// Every write of the process goes through it, on its own connection, so threads
// of one process never fight over the SQLite write lock (another process, such as
// a CLI subcommand, is handled by busy_timeout). Queued jobs are committed
// together: up to `max_batch` jobs share one BEGIN IMMEDIATE ... COMMIT, each in
// its own SAVEPOINT so a failing job is rolled back alone and its neighbours
// still commit. A `done` callback runs only after the COMMIT that made its job
// durable (or with the job's error). If the batch cannot commit after its jobs
// ran (disk full, I/O error, a job that ended the transaction), every job of the
// batch is retried in its own transaction, so one bad job never fails the others.
// If the batch cannot even begin (another process held the lock past
// busy_timeout), every job fails with "store_busy" at once, without retries.
//
// Jobs may therefore run twice (once in a batch that was rolled back, once
// alone): a job touches only the database and assigns (not appends) its outputs.
// A job must not call back into the store or the writer.
//
// Threading:
//   submit, submit_and_wait, flush: any thread.
//   jobs and done callbacks: the writer thread, in queue order. A done callback may
//     call submit and submit_and_wait (the latter then runs inline) but should be
//     short: the next batch waits for it.
//   Reads do not go through the writer (see SqliteReaders).
// Leaves SQL to the store implementations and connection setup to SqliteDb.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/result.hpp"

namespace forumcast::sqlite {

class SqliteDb;

class SqliteWriter {
 public:
  // Runs inside the shared transaction. May throw SqliteError (mapped by to_error).
  using Job = std::function<Status(SqliteDb&)>;
  // Runs on the writer thread after COMMIT, with the job's result.
  using Done = std::function<void(const Status&)>;

  struct Options {
    size_t max_batch = 256;   // jobs per transaction
    size_t max_queue = 8192;  // queued jobs; submit() refuses beyond this
  };

  struct Stats {
    uint64_t jobs = 0;          // jobs finished (done called)
    uint64_t batches = 0;       // batches taken off the queue (one transaction each)
    uint64_t retried_jobs = 0;  // jobs re-run alone after a batch failed
    uint64_t queued = 0;        // jobs waiting right now
  };

  // Takes the connection (migrations already applied) and starts the thread.
  SqliteWriter(std::unique_ptr<SqliteDb> db, Options opts);
  // Stops accepting jobs, commits everything queued, calls every done, joins.
  ~SqliteWriter();
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;

  // Queues a job; never blocks (safe from an event loop). When the queue is full
  // it refuses with "store_overloaded", after shutdown began with "store_closed";
  // `done` is then NOT called: the caller answers the client with the error.
  Status submit(Job job, Done done);

  // Queues a job and waits until it is committed (or failed); returns its result.
  // Blocks while the queue is full (use it from admin paths, not the event loop).
  // On the writer thread (inside a done callback) the job runs inline in its own
  // transaction.
  Status submit_and_wait(Job job);

  // Waits until every job submitted before the call is committed and its done
  // has returned. Returns at once on the writer thread.
  void flush();

  bool on_writer_thread() const;
  Stats stats() const;

 private:
  struct Item {
    Job job;
    Done done;
  };
  void run();
  void run_batch(std::deque<Item>& batch);
  enum class BatchOutcome { committed, not_started, failed };
  BatchOutcome commit_together(std::deque<Item>& batch, std::vector<Status>& results);
  Status run_in_savepoint(const Job& job);
  Status run_alone(const Job& job);

  std::unique_ptr<SqliteDb> db_;  // owned by the writer thread once started
  const Options opts_;

  mutable std::mutex mu_;             // guards everything below
  std::condition_variable work_cv_;   // writer waits for jobs or stop
  std::condition_variable space_cv_;  // submit_and_wait waits for room
  std::condition_variable done_cv_;   // flush waits for completed_
  std::deque<Item> queue_;
  bool stop_ = false;
  uint64_t submitted_ = 0;
  uint64_t completed_ = 0;
  Stats stats_;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace forumcast::sqlite
