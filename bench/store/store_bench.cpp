// bench/store/store_bench.cpp: how many rows per second reach the disk (COMMIT in
// WAL mode) through SqliteWriter's batches, compared with one transaction per row.
// Cases, each on a fresh database in a temp directory:
//   raw_txn_per_row      BEGIN/INSERT/COMMIT per row on one connection, no thread
//   wait_per_row         submit_and_wait from one thread (each row its own batch)
//   wait_8_threads       submit_and_wait from 8 threads (they share batches)
//   batched_async        submit() N rows then flush() (batches of max_batch)
// Usage: store_bench [rows=20000] [max_batch=256] [full]   ("full": synchronous=FULL)
// The per-row cases write rows/4 rows to stay short. Not a test: no thresholds.
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_writer.hpp"

using namespace forumcast;
using namespace forumcast::sqlite;

namespace {

// A realistic comment row: a resident's question, ~60 CJK characters of JSON.
const std::string kBody =
    R"({"type":"comment","name":"春晖苑一期 3号楼 张阿姨","text":"中心广场荒废好几年了,改造以后能不能多放几张长椅?老人想坐下来聊聊天。"})";

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "forumcast-bench-XXXXXX").string();
    if (!mkdtemp(t.data())) std::abort();
    path = t;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

std::unique_ptr<SqliteDb> fresh_db(const TempDir& dir, const std::string& name, bool full) {
  ConnectionOptions o;
  o.synchronous_full = full;
  auto db = std::make_unique<SqliteDb>((dir.path / name).string(), o);
  db->exec(
      "CREATE TABLE events (forum_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, "
      "at_ms INTEGER NOT NULL, PRIMARY KEY (forum_id, seq)) STRICT");
  return db;
}

SqliteWriter::Job insert_job(int64_t seq) {
  return [seq](SqliteDb& db) -> Status {
    auto st = db.prepare("INSERT INTO events (forum_id, seq, body, at_ms) VALUES (?1, ?2, ?3, ?4)");
    st->bind(1, "k3m9q2xw7a").bind(2, seq).bind(3, kBody).bind(4, seq);
    st->exec();
    return ok_status();
  };
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void report(const char* name, int64_t rows, double secs, const SqliteWriter::Stats* s) {
  std::printf("%-16s rows=%-7lld seconds=%-7.3f rows_per_s=%-9.0f", name,
              static_cast<long long>(rows), secs, rows / secs);
  if (s)
    std::printf(" batches=%llu rows_per_batch=%.1f", static_cast<unsigned long long>(s->batches),
                s->batches ? static_cast<double>(s->jobs) / s->batches : 0.0);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 20000;
  const size_t max_batch = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 256;
  const bool full = argc > 3 && std::string(argv[3]) == "full";
  const int64_t per_row_rows = std::max<int64_t>(1, rows / 4);
  std::printf("store_bench: synchronous=%s max_batch=%zu sqlite WAL\n", full ? "FULL" : "NORMAL",
              max_batch);
  TempDir dir;

  {  // raw_txn_per_row
    auto db = fresh_db(dir, "raw.db", full);
    auto job = [&](int64_t i) { return insert_job(i); };
    auto t0 = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < per_row_rows; ++i) {
      db->exec("BEGIN IMMEDIATE");
      (void)job(i)(*db);
      db->exec("COMMIT");
    }
    report("raw_txn_per_row", per_row_rows, seconds_since(t0), nullptr);
  }
  {  // wait_per_row
    SqliteWriter w(fresh_db(dir, "wait.db", full), {max_batch, 65536});
    auto t0 = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < per_row_rows; ++i)
      if (!w.submit_and_wait(insert_job(i)).ok()) return 1;
    auto s = w.stats();
    report("wait_per_row", per_row_rows, seconds_since(t0), &s);
  }
  {  // wait_8_threads
    SqliteWriter w(fresh_db(dir, "wait8.db", full), {max_batch, 65536});
    std::atomic<int64_t> next{0};
    std::atomic<int> failures{0};
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&] {
        for (int64_t i; (i = next++) < rows;)
          if (!w.submit_and_wait(insert_job(i)).ok()) ++failures;
      });
    for (auto& t : threads) t.join();
    auto s = w.stats();
    report("wait_8_threads", rows, seconds_since(t0), &s);
    if (failures) return 1;
  }
  {  // batched_async
    SqliteWriter w(fresh_db(dir, "async.db", full), {max_batch, 65536});
    std::atomic<int64_t> ok{0};
    auto t0 = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < rows; ++i) {
      while (!w.submit(insert_job(i), [&](const Status& st) { ok += st.ok(); }).ok())
        w.flush();  // queue full: let it drain (bounded queue, as the chat relay would see)
    }
    w.flush();
    auto s = w.stats();
    report("batched_async", rows, seconds_since(t0), &s);
    if (ok != rows) return 1;
  }
  return 0;
}
