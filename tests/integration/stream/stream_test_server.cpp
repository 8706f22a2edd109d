// tests/integration/stream/stream_test_server.cpp: a StreamService in its own
// process, for the tests that kill the server (kill -9) and for the benchmark.
// Usage: stream_test_server DATA_DIR KEY=FORUM [KEY=FORUM ...]
// Prints "port <n>" once listening, then one JSON-ish health line per report
// ("health <forum> <state> first_playlist_ms=<n> ..."), runs until SIGTERM/SIGINT.
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <map>
#include <string>

#include "stream/stream_service.hpp"

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

class PrintEvents : public forumcast::stream::StreamEvents {
 public:
  void on_publish(const std::string& f, const forumcast::stream::PublishInfo& i) override {
    std::printf("publish %s session=%d stream_ms=%lld\n", f.c_str(), i.session,
                static_cast<long long>(i.stream_ms));
    std::fflush(stdout);
  }
  void on_unpublish(const std::string& f, const forumcast::stream::UnpublishInfo& i) override {
    std::printf("unpublish %s session=%d reason=%s\n", f.c_str(), i.session, i.reason.c_str());
    std::fflush(stdout);
  }
  void on_health(const std::string& f, const forumcast::stream::StreamHealth& h) override {
    std::printf(
        "health %s state=%s first_playlist_ms=%lld fps=%.2f kbps=%lld keyint=%.2f segments=%d\n",
        f.c_str(), h.state.c_str(), static_cast<long long>(h.first_playlist_ms), h.fps,
        static_cast<long long>(h.bitrate_bps / 1000), h.keyframe_interval_s, h.segments);
    std::fflush(stdout);
  }
};
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DATA_DIR KEY=FORUM...\n", argv[0]);
    return 2;
  }
  std::map<std::string, std::string> keys;
  for (int i = 2; i < argc; ++i) {
    std::string kv = argv[i];
    auto eq = kv.find('=');
    if (eq != std::string::npos) keys[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  forumcast::stream::StreamOptions o;
  o.rtmp_host = "127.0.0.1";
  o.rtmp_port = 0;
  o.data_dir = argv[1];
  PrintEvents events;
  forumcast::stream::StreamService svc(
      o,
      [&](const std::string& key) -> forumcast::Result<std::string> {
        auto it = keys.find(key);
        if (it == keys.end())
          return forumcast::make_error("stream_key_unknown", "unknown stream key");
        return it->second;
      },
      &events);
  if (auto st = svc.start(); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.error().message.c_str());
    return 1;
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::printf("\nport %d\n", svc.rtmp_port());
  std::fflush(stdout);
  while (!g_stop) pause();
  svc.stop();
  return 0;
}
