// tests/unit/store/concurrent_writers_test.cpp: two writers on one database file
// lose nothing and never surface SQLITE_BUSY: a second store opened in the same
// process (its own writer thread and connections), and a real second process
// (store_test_writer, standing in for a CLI subcommand) writing while this one
// writes.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

extern char** environ;

namespace forumcast {
namespace {

using testing::TempDir;

Status append(Store& s, const std::string& actor, int i) {
  AuditEntry e;
  e.actor = actor;
  e.action = "comment.hide";
  e.target = "c" + std::to_string(i);
  e.at_ms = i;
  auto r = s.audit().append_audit(e);
  return r.ok() ? ok_status() : Status(r.error());
}

size_t count_by(Store& s, const std::string& actor) {
  auto all = s.audit().list_audit("", 1'000'000);
  EXPECT_TRUE(all.ok());
  size_t n = 0;
  for (const auto& e : *all) n += e.actor == actor;
  return n;
}

TEST(StoreConcurrentWriters, TwoStoresOnOneFileInOneProcess) {
  TempDir dir;
  const std::string path = dir.file("forumcast.db");
  auto server = open_sqlite_store({.path = path});
  ASSERT_TRUE(server.ok());
  constexpr int kEach = 300;
  std::atomic<int> cli_failures{0};
  std::string cli_error;
  std::thread cli([&] {
    auto s = open_sqlite_store({.path = path});
    if (!s.ok()) {
      cli_failures = kEach;
      cli_error = s.error().message;
      return;
    }
    for (int i = 0; i < kEach; ++i)
      if (Status st = append(**s, "cli", i); !st.ok()) {
        if (cli_failures++ == 0) cli_error = st.error().code + ": " + st.error().message;
      }
  });
  int server_failures = 0;
  std::string server_error;
  for (int i = 0; i < kEach; ++i)
    if (Status st = append(**server, "server", i); !st.ok()) {
      if (server_failures++ == 0) server_error = st.error().code + ": " + st.error().message;
    }
  cli.join();
  EXPECT_EQ(cli_failures.load(), 0) << cli_error;
  EXPECT_EQ(server_failures, 0) << server_error;
  EXPECT_EQ(count_by(**server, "cli"), size_t{kEach});
  EXPECT_EQ(count_by(**server, "server"), size_t{kEach});
}

TEST(StoreConcurrentWriters, SimultaneousFirstOpensMigrateOnce) {
  TempDir dir;
  const std::string path = dir.file("fresh/forumcast.db");
  constexpr int kOpeners = 4;
  std::vector<std::string> errors(kOpeners);
  std::vector<int> versions(kOpeners, -1);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i)
    threads.emplace_back([&, i] {
      auto s = open_sqlite_store({.path = path});
      if (!s.ok()) {
        errors[i] = s.error().code + ": " + s.error().message;
        return;
      }
      versions[i] = (*s)->schema_version();
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < kOpeners; ++i) {
    EXPECT_EQ(errors[i], "");
    EXPECT_EQ(versions[i], sqlite_schema_version_supported());
  }
}

TEST(StoreConcurrentWriters, SecondProcessWritingMeanwhile) {
  TempDir dir;
  const std::string path = dir.file("forumcast.db");
  auto server = open_sqlite_store({.path = path});
  ASSERT_TRUE(server.ok());
  constexpr int kEach = 300;

  std::string n = std::to_string(kEach);
  std::string exe = STORE_TEST_WRITER;
  char* argv[] = {exe.data(), const_cast<char*>(path.c_str()), n.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, environ), 0);

  int failures = 0;
  std::string first_error;
  for (int i = 0; i < kEach; ++i)
    if (Status st = append(**server, "server", i); !st.ok()) {
      if (failures++ == 0) first_error = st.error().code + ": " + st.error().message;
    }
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0) << "the second process failed to write (see its stderr)";
  EXPECT_EQ(failures, 0) << first_error;
  EXPECT_EQ(count_by(**server, "cli"), size_t{kEach});
  EXPECT_EQ(count_by(**server, "server"), size_t{kEach});
}

}  // namespace
}  // namespace forumcast
