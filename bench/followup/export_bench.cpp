// bench/followup/export_bench.cpp: export of a synthetic forum (default 10,000
// questions, 50,000 comments, 2,000 tickets) in every format. Each format runs
// in its own child process (fork), which builds the forum, measures peak RSS
// (getrusage ru_maxrss) after building, then times the export and measures the
// peak again; the parent prints one line per format. Target (issue 6): <= 1 s
// for json, csv and xlsx. export_ms is wall time, cpu_ms user+system time of
// the export alone (less sensitive to a busy machine).
// Usage: followup_export_bench [questions comments tickets] [format...]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "followup/writers.hpp"
#include "synthetic_forum.hpp"

using namespace forumcast::followup;

namespace {

struct Sample {
  double build_ms = 0, export_ms = 0, export_cpu_ms = 0;
  long rss_model_kb = 0, rss_peak_kb = 0;
  long long bytes = 0;
  int ok = 0;
};

double cpu_ms() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

long maxrss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

Sample run_child(Format f, const bench::Size& size) {
  using clk = std::chrono::steady_clock;
  Sample s;
  auto t0 = clk::now();
  const Transcript t = bench::synthetic_forum(size);
  auto t1 = clk::now();
  s.rss_model_kb = maxrss_kb();
  const double c1 = cpu_ms();
  auto out = export_transcript(t, f, ExportOptions{});
  auto t2 = clk::now();
  s.rss_peak_kb = maxrss_kb();
  s.export_cpu_ms = cpu_ms() - c1;
  s.build_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  s.export_ms = std::chrono::duration<double, std::milli>(t2 - t1).count();
  s.ok = out.ok() ? 1 : 0;
  s.bytes = out.ok() ? static_cast<long long>(out.value().size()) : 0;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  bench::Size size;
  int a = 1;
  if (argc >= 4 && std::isdigit(static_cast<unsigned char>(argv[1][0]))) {
    size.questions = std::atoi(argv[1]);
    size.comments = std::atoi(argv[2]);
    size.tickets = std::atoi(argv[3]);
    a = 4;
  }
  std::vector<Format> formats;
  for (; a < argc; ++a)
    if (auto f = format_from_string(argv[a])) formats.push_back(*f);
  if (formats.empty())
    formats = {Format::json, Format::csv, Format::xlsx, Format::md, Format::html, Format::vtt};

  std::printf("forum: %d questions (+%d follow-ups), %d comments, %d tickets\n", size.questions,
              (size.questions + 9) / 10, size.comments, size.tickets);
  std::printf("%-6s %10s %10s %12s %10s %14s %14s\n", "format", "export_ms", "cpu_ms", "bytes",
              "build_ms", "rss_model_MiB", "rss_peak_MiB");
  int failures = 0;
  for (Format f : formats) {
    int fds[2];
    if (pipe(fds) != 0) return 2;
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      const Sample s = run_child(f, size);
      const ssize_t w = write(fds[1], &s, sizeof s);
      _exit(w == static_cast<ssize_t>(sizeof s) ? 0 : 1);
    }
    close(fds[1]);
    Sample s;
    const ssize_t r = read(fds[0], &s, sizeof s);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (r != static_cast<ssize_t>(sizeof s) || !s.ok) {
      std::printf("%-6s failed\n", std::string(to_string(f)).c_str());
      ++failures;
      continue;
    }
    std::printf("%-6s %10.1f %10.1f %12lld %10.1f %14.1f %14.1f\n",
                std::string(to_string(f)).c_str(), s.export_ms, s.export_cpu_ms, s.bytes,
                s.build_ms, s.rss_model_kb / 1024.0, s.rss_peak_kb / 1024.0);
  }
  return failures ? 1 : 0;
}
