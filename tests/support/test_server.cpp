// tests/support/test_server.cpp: see test_server.hpp. posix_spawn with stdout and
// stderr redirected to files, so nothing can block on a full pipe.
#include "support/test_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "support/wait.hpp"

extern char** environ;

namespace forumcast::test {
namespace {

pid_t spawn(const std::vector<std::string>& args, const std::string& in_path,
            const std::string& out_path, const std::string& err_path) {
  std::string bin = forumcast_binary();
  std::vector<char*> argv;
  argv.push_back(bin.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in_path.empty() ? "/dev/null" : in_path.c_str(),
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // The child must not inherit blocked signals from a test thread.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, bin.c_str(), &fa, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? pid : -1;
}

// Waits for pid; exit code, 128+signal, or -1 on timeout.
int wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
  int status = 0;
  pid_t got = 0;
  bool done = wait_until(
      [&] {
        got = ::waitpid(pid, &status, WNOHANG);
        return got == pid || got < 0;
      },
      timeout, std::chrono::milliseconds(2));
  if (!done || got != pid) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string forumcast_binary() {
  if (const char* env = std::getenv("FORUMCAST_BIN"); env && *env) return env;
  return std::string(FORUMCAST_BINARY_DIR) + "/server/forumcast";
}

CommandResult run_forumcast(const std::vector<std::string>& args, const std::string& stdin_text,
                            std::chrono::milliseconds timeout) {
  TempDir io("forumcast-cli");
  CommandResult r;
  std::string in_path;
  if (!stdin_text.empty()) {
    in_path = io.file("stdin");
    write_file(in_path, stdin_text);
  }
  pid_t pid = spawn(args, in_path, io.file("stdout"), io.file("stderr"));
  if (pid < 0) {
    r.err = "cannot start " + forumcast_binary();
    return r;
  }
  r.exit_code = wait_for_exit(pid, timeout);
  if (r.exit_code == -1) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  r.out = read_file(io.file("stdout"));
  r.err = read_file(io.file("stderr"));
  return r;
}

TestServer::TestServer(TestServerOptions opts)
    : opts_(std::move(opts)), dir_(std::make_unique<TempDir>("forumcast-server")) {
  data_dir_ = opts_.data_dir.empty() ? dir_->file("data") : opts_.data_dir;
}

TestServer::~TestServer() {
  if (pid_ > 0 && stop(SIGTERM) == -1) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

bool TestServer::start(std::chrono::milliseconds timeout) {
  ++starts_;
  std::string ready = dir_->file("ready-" + std::to_string(starts_) + ".json");
  std::vector<std::string> args = {"serve",   "--listen",     "127.0.0.1:0", "--data",
                                   data_dir_, "--ready-file", ready};
  if (!opts_.web_root.empty()) {
    args.push_back("--web-root");
    args.push_back(opts_.web_root);
  }
  // Video (stream/): an ephemeral RTMP port, no demo encoder with --demo and no
  // SRT listeners (their default UDP ports are fixed), unless the test names these
  // keys itself (a key may be given only once).
  const auto& extra = opts_.extra_args;
  auto given = [&extra](const char* k) {
    return std::find(extra.begin(), extra.end(), std::string(k)) != extra.end();
  };
  if (!given("--stream.rtmp_listen"))
    args.insert(args.end(), {"--stream.rtmp_listen", "127.0.0.1:0"});
  if (!given("--stream.demo_source")) args.insert(args.end(), {"--stream.demo_source", "false"});
  if (!given("--stream.srt_ports")) args.insert(args.end(), {"--stream.srt_ports", ""});
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = spawn(args, "", dir_->file("stdout.txt"), dir_->file("stderr.txt"));
  if (pid_ < 0) return false;
  int status = 0;
  bool exited = false;
  bool ok = wait_until(
      [&] {
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
          exited = true;
          return true;
        }
        return std::filesystem::exists(ready);
      },
      timeout);
  if (exited || !ok) {
    if (!exited) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
    return false;
  }
  std::string text = read_file(ready);
  size_t p = text.find("\"http_port\":");
  if (p == std::string::npos) return false;
  port_ = std::atoi(text.c_str() + p + 12);
  return port_ > 0;
}

int TestServer::stop(int sig, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, sig);
  int code = wait_for_exit(pid_, timeout);
  if (code != -1) pid_ = -1;
  return code;
}

int TestServer::wait_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  int code = wait_for_exit(pid_, timeout);
  if (code != -1) pid_ = -1;
  return code;
}

std::string TestServer::stdout_text() const {
  return read_file(dir_->file("stdout.txt"));
}
std::string TestServer::stderr_text() const {
  return read_file(dir_->file("stderr.txt"));
}

CommandResult TestServer::cli(std::vector<std::string> args, const std::string& stdin_text) const {
  args.push_back("--data");
  args.push_back(data_dir_);
  return run_forumcast(args, stdin_text);
}

}  // namespace forumcast::test
