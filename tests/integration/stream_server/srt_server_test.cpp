// SRT ingest on the real server: `forumcast serve --demo` with stream.srt_ports set
// to a few free UDP ports. The demo forum gets one of them, printed at start and
// kept across a restart; the ffmpeg CLI pushes a generated H.264/AAC clip over SRT
// with the stream key as passphrase and the forum's HLS playlist appears; a wrong
// passphrase is refused at the SRT handshake with nothing written; a key rotated
// from the CLI replaces the passphrase (the old one is refused); an ended forum's
// listener stops and its port is released. Waits are on conditions with timeouts.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_server.hpp"
#include "support/wait.hpp"

namespace forumcast::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kForum = "demoforum4";  // created live by --demo
constexpr int kPorts = 4;                 // the demo creates a few forums

int sh(const std::string& cmd) {
  return std::system(cmd.c_str());
}

// A 3 s MPEG-TS clip with 1 s keyframes, generated once per test binary.
const std::string& ts_clip() {
  static TempDir dir;
  static const std::string path = [] {
    std::string p = dir.file("clip.ts");
    int rc =
        sh("ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=320x180:rate=25 "
           "-f lavfi -i sine=frequency=440 -c:v libx264 -preset ultrafast -g 25 -c:a aac "
           "-t 3 -f mpegts '" +
           p + "'");
    EXPECT_EQ(rc, 0) << "ffmpeg could not generate the test clip";
    return p;
  }();
  return path;
}

bool udp_port_free(int port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// The first of kPorts consecutive free UDP ports (searched in 20000..59999).
int free_udp_range() {
  for (int base = 20000 + (::getpid() % 400) * 100; base < 60000; base += 37) {
    bool all = true;
    for (int p = base; p < base + kPorts && all; ++p) all = udp_port_free(p);
    if (all) return base;
  }
  return 0;
}

// ffmpeg's exit code: 0 when the whole clip went through.
int push_srt(int port, const std::string& passphrase) {
  return sh("timeout 30 ffmpeg -hide_banner -loglevel quiet -re -i '" + ts_clip() +
            "' -c copy -f mpegts 'srt://127.0.0.1:" + std::to_string(port) +
            "?pbkeylen=16&passphrase=" + passphrase + "&connect_timeout=3000'");
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

nlohmann::json forum_show(const TestServer& s) {
  CommandResult r = s.cli({"forum", "show", kForum, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out, nullptr, false);
}

class srt_server : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(ts_clip()));
    first = free_udp_range();
    ASSERT_GT(first, 0) << "no free UDP ports";
    range = std::to_string(first) + "-" + std::to_string(first + kPorts - 1);
    server = std::make_unique<TestServer>(
        TestServerOptions{"", {"--demo", "--stream.srt_ports", range}, ""});
    ASSERT_TRUE(server->start()) << server->stderr_text();
    // "  SRT push:       srt://127.0.0.1:<port>?passphrase=<key>&pbkeylen=16"
    std::smatch m;
    std::string out = server->stdout_text();
    static const std::regex re(R"(SRT push:\s+srt://127\.0\.0\.1:(\d+)\?passphrase=(\S+)&pbkeylen=16)");
    ASSERT_TRUE(std::regex_search(out, m, re)) << out;
    port = std::stoi(m[1]);
    key = m[2];
    ASSERT_NE(out.find("/live/" + key), std::string::npos) << "the passphrase is the stream key";
  }
  // Waits until the server has (re)started `n` SRT listeners for the demo forum.
  bool listeners_started(size_t n) {
    return wait_until(
        [&] {
          return count(server->stderr_text(), "SRT listener for forum " + kForum + " on") >= n;
        },
        15s);
  }
  std::unique_ptr<TestServer> server;
  int first = 0, port = 0;
  std::string range, key;
};

TEST_F(srt_server, TheForumsPortComesFromTheRangeAndSurvivesARestart) {
  EXPECT_GE(port, first);
  EXPECT_LT(port, first + kPorts);
  nlohmann::json f = forum_show(*server);
  EXPECT_EQ(f["urls"]["srt"], "srt://127.0.0.1:" + std::to_string(port) + "?passphrase=" + key +
                                  "&pbkeylen=16")
      << f.dump();

  ASSERT_EQ(server->stop(), 0);
  ASSERT_TRUE(server->start()) << server->stderr_text();
  EXPECT_NE(server->stdout_text().find("srt://127.0.0.1:" + std::to_string(port) + "?"),
            std::string::npos)
      << "the forum keeps its SRT port across a restart:\n"
      << server->stdout_text();
}

TEST_F(srt_server, PushWithTheKeyIsServedAsHlsAndAWrongPassphraseWritesNothing) {
  ASSERT_TRUE(listeners_started(1)) << server->stderr_text();
  EXPECT_NE(push_srt(port, "not_the_stream_key_of_this_forum"), 0);
  EXPECT_EQ(http_get(server->port(), "/hls/" + kForum + "/index.m3u8").status, 404);
  EXPECT_FALSE(fs::exists(server->data_dir() + "/hls/" + kForum + "/index.m3u8"));

  EXPECT_EQ(push_srt(port, key), 0) << server->stderr_text();
  HttpResult rec;
  ASSERT_TRUE(wait_until(
      [&] {
        rec = http_get(server->port(), "/rec/" + kForum + "/index.m3u8");
        return rec.status == 200 && rec.body.find("seg-") != std::string::npos;
      },
      20s))
      << server->stderr_text();
  EXPECT_NE(server->stderr_text().find("publish over SRT"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(rec.body, m, std::regex(R"(#EXTINF:([0-9.]+))")));
  EXPECT_NEAR(std::stod(m[1]), 1.0, 0.3) << rec.body;
}

TEST_F(srt_server, ARotatedKeyReplacesThePassphraseAndAnEndedForumReleasesItsPort) {
  ASSERT_TRUE(listeners_started(1)) << server->stderr_text();
  CommandResult r = server->cli({"forum", "rotate-key", kForum});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string new_key = forum_show(*server)["stream_key"];
  ASSERT_NE(new_key, key);
  ASSERT_TRUE(listeners_started(2)) << "the listener was not restarted with the new key\n"
                                    << server->stderr_text();
  EXPECT_NE(push_srt(port, key), 0) << "the old key still works";
  EXPECT_FALSE(fs::exists(server->data_dir() + "/recordings/" + kForum + "/index.m3u8"));
  EXPECT_EQ(push_srt(port, new_key), 0) << server->stderr_text();

  r = server->cli({"forum", "set-state", kForum, "ended"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(wait_until(
      [&] {
        return server->stderr_text().find("forum " + kForum + " is ended: SRT listener stopped") !=
               std::string::npos;
      },
      15s))
      << server->stderr_text();
  ASSERT_TRUE(wait_until([&] { return forum_show(*server)["urls"]["srt"].is_null(); }, 10s))
      << forum_show(*server).dump();
  EXPECT_NE(push_srt(port, new_key), 0) << "an ended forum takes no SRT push";
}

}  // namespace
}  // namespace forumcast::test
