// tests/unit/store/store_test_writer.cpp: a second process for the concurrency
// test, standing in for a CLI subcommand: opens the store at argv[1] and appends
// argv[2] audit entries (actor "cli") one synchronous write at a time. Exit code 0
// only if every write succeeded; otherwise the first error goes to stderr.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/sqlite/sqlite_store.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DB COUNT\n", argv[0]);
    return 2;
  }
  auto store = forumcast::open_sqlite_store({.path = argv[1]});
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s: %s\n", store.error().code.c_str(),
                 store.error().message.c_str());
    return 1;
  }
  const int n = std::atoi(argv[2]);
  for (int i = 0; i < n; ++i) {
    forumcast::AuditEntry e;
    e.actor = "cli";
    e.action = "user.add";
    e.target = "居民" + std::to_string(i);
    e.at_ms = i;
    auto r = (*store)->audit().append_audit(e);
    if (!r.ok()) {
      std::fprintf(stderr, "write %d: %s: %s\n", i, r.error().code.c_str(),
                   r.error().message.c_str());
      return 1;
    }
  }
  return 0;
}
