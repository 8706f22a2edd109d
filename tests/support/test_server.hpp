// tests/support/test_server.hpp: runs the real `forumcast` binary as a child
// process for integration tests: `serve` on 127.0.0.1:0 with a real SQLite file
// in a temp data directory, found through --ready-file; stop with a signal and
// get the exit code. Also runs CLI subcommands against the same data directory.
//
// The binary is FORUMCAST_BINARY_DIR/server/forumcast (build the `forumcast`
// target before the tests; CTest does with the default `all`).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace forumcast::test {

std::string forumcast_binary();

struct CommandResult {
  int exit_code = -1;  // -1: did not finish in time (killed) or could not start
  std::string out;
  std::string err;
};

// Runs `forumcast <args...>` with stdin_text on its stdin; waits up to `timeout`.
CommandResult run_forumcast(const std::vector<std::string>& args,
                            const std::string& stdin_text = {},
                            std::chrono::milliseconds timeout = std::chrono::seconds(60));

struct TestServerOptions {
  std::string data_dir;  // "" = a fresh temp dir owned by the server object
  std::vector<std::string>
      extra_args;        // appended to `serve ...` (e.g. "--demo", "--limits.x", "5")
  std::string web_root;  // "" = the build's FORUMCAST_WEB_ROOT default
};

class TestServer {
 public:
  explicit TestServer(TestServerOptions opts = {});
  ~TestServer();  // stops the server (SIGTERM, then SIGKILL) if still running
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Starts and waits for the ready file. False (with stderr kept) on failure.
  bool start(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Sends `sig` and waits; the exit code (128+N if killed by signal N), or -1 on timeout.
  int stop(int sig = 15, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits for the process to exit by itself (after a signal sent with kill(pid())).
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool running() const { return pid_ > 0; }

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& data_dir() const { return data_dir_; }
  pid_t pid() const { return pid_; }
  std::string stdout_text() const;  // what the server printed so far
  std::string stderr_text() const;  // its log

  // Runs a CLI subcommand on this server's data directory (adds --data).
  CommandResult cli(std::vector<std::string> args, const std::string& stdin_text = {}) const;

 private:
  TestServerOptions opts_;
  std::unique_ptr<TempDir> dir_;  // ready file, logs, default data dir
  std::string data_dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  int starts_ = 0;
};

}  // namespace forumcast::test
