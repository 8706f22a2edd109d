// tests/integration/stream/stream_service_test.cpp: the stream module end to
// end with real parts: a StreamService on an ephemeral RTMP port, the ffmpeg
// CLI publishing a clip it generated once (H.264 with 1 s GOP + AAC, 4 s),
// files in a temp dir checked with ffprobe/ffmpeg. The kill -9 case runs the
// service in a child process (stream_test_server). Waits are on files and
// events with timeouts; only ffmpeg's -re paces anything.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "stream/demo_source.hpp"
#include "stream/stream_service.hpp"

extern char** environ;

namespace forumcast::stream {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// 论坛 ids and keys in the shape the server makes them
constexpr const char* kForum = "f7q2mzk4aa";
constexpr const char* kKey = "fck_3n8b2v7x9q";

constexpr double kClipSeconds = 4.0;

std::string temp_dir() {
  char tmpl[] = "/tmp/forumcast-stream-XXXXXX";
  return mkdtemp(tmpl);
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

int sh(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string capture(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  return out;
}

double probe_duration(const std::string& path) {
  auto out = capture("ffprobe -v error -show_entries format=duration -of csv=p=0 '" + path +
                     "' 2>/dev/null");
  return out.empty() ? -1 : std::atof(out.c_str());
}

// Every packet decodes without an error (-xerror), for one segment or one session.
bool decodes(const std::string& path) {
  return sh("timeout 60 ffmpeg -v error -xerror -i '" + path + "' -f null - 2>/dev/null") == 0;
}
// A whole recording across publish sessions: the TS continuity restarts at each
// discontinuity (as the playlist says), which -xerror would count as corrupt.
bool plays(const std::string& playlist) {
  return sh("timeout 60 ffmpeg -v error -i '" + playlist + "' -f null - 2>/dev/null") == 0;
}

// The clip every test pushes, generated once per test binary (and removed at exit).
const std::string& clip() {
  static const std::string dir = temp_dir();
  static const std::string path = [] {
    const std::string p = dir + "/clip.mp4";
    int rc = sh(
        "ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=320x180:rate=25 -f lavfi "
        "-i sine=frequency=440 -c:v libx264 -preset ultrafast -g 25 -c:a aac -t 4 '" +
        p + "'");
    EXPECT_EQ(rc, 0) << "ffmpeg could not generate the test clip";
    std::atexit([] { fs::remove_all(dir); });
    return p;
  }();
  return path;
}

int push(int port, const std::string& key) {
  return sh("ffmpeg -hide_banner -loglevel quiet -re -i '" + clip() +
            "' -c copy -f flv rtmp://127.0.0.1:" + std::to_string(port) + "/live/" + key);
}

template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout = 15s) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);  // polling interval of a condition, not a synchronisation
  }
  return pred();
}

std::vector<double> extinf(const std::string& playlist) {
  std::vector<double> d;
  std::istringstream in(playlist);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("#EXTINF:", 0) == 0) d.push_back(std::atof(line.c_str() + 8));
  return d;
}

size_t count(const std::string& s, const std::string& x) {
  size_t n = 0;
  for (size_t at = s.find(x); at != std::string::npos; at = s.find(x, at + 1)) ++n;
  return n;
}

class Events : public StreamEvents {
 public:
  void on_publish(const std::string& f, const PublishInfo& i) override {
    std::lock_guard lk(mu);
    publishes.push_back(i);
    cv.notify_all();
  }
  void on_unpublish(const std::string& f, const UnpublishInfo& i) override {
    std::lock_guard lk(mu);
    unpublishes.push_back(i);
    cv.notify_all();
  }
  void on_refused(const std::string& remote, const Error& e) override {
    std::lock_guard lk(mu);
    refusals.push_back(e.code);
    cv.notify_all();
  }
  bool wait_unpublishes(size_t n) {
    std::unique_lock lk(mu);
    return cv.wait_for(lk, 20s, [&] { return unpublishes.size() >= n; });
  }
  std::mutex mu;
  std::condition_variable cv;
  std::vector<PublishInfo> publishes;
  std::vector<UnpublishInfo> unpublishes;
  std::vector<std::string> refusals;
};

class StreamServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(fs::exists(clip())); }
  void SetUp() override {
    data = temp_dir();
    StreamOptions o;
    o.rtmp_host = "127.0.0.1";
    o.rtmp_port = 0;
    o.data_dir = data;
    o.health_interval_ms = 500;
    svc = std::make_unique<StreamService>(
        o,
        [](const std::string& key) -> Result<std::string> {
          if (key == kKey) return std::string(kForum);
          if (key == "fck_archived01") return make_error("forum_archived", "forum is archived");
          return make_error("stream_key_unknown", "unknown stream key");
        },
        &events);
    ASSERT_TRUE(svc->start().ok());
    port = svc->rtmp_port();
    ASSERT_GT(port, 0);
  }
  void TearDown() override {
    svc.reset();
    fs::remove_all(data);
  }
  std::string live_playlist() const { return data + "/hls/" + kForum + "/index.m3u8"; }
  std::string rec_playlist() const { return data + "/recordings/" + kForum + "/index.m3u8"; }
  bool playlist_has_segments(size_t n) const { return extinf(slurp(live_playlist())).size() >= n; }

  Events events;
  std::string data;
  std::unique_ptr<StreamService> svc;
  int port = 0;
};

TEST_F(StreamServiceTest, PublishWritesLivePlaylistSegmentsAndRecording) {
  auto pusher = std::async(std::launch::async, [&] { return push(port, kKey); });
  ASSERT_TRUE(wait_until([&] { return fs::exists(live_playlist()); })) << "no playlist";
  auto ms = svc->stream_ms(kForum);
  ASSERT_TRUE(ms.has_value()) << "stream_ms absent while live";
  EXPECT_GE(*ms, 0);
  EXPECT_EQ(svc->live_forums(), std::vector<std::string>{kForum});
  const StreamHealth h = svc->health(kForum);
  EXPECT_EQ(h.video_codec, "h264");
  EXPECT_EQ(h.audio_codec, "aac");
  EXPECT_EQ(h.width, 320);
  EXPECT_EQ(h.height, 180);
  EXPECT_GE(h.first_playlist_ms, 0);
  EXPECT_EQ(pusher.get(), 0);
  ASSERT_TRUE(events.wait_unpublishes(1));
  EXPECT_FALSE(svc->stream_ms(kForum).has_value());
  EXPECT_EQ(events.unpublishes[0].reason, "publisher_closed");

  const std::string live = slurp(live_playlist());
  const auto durations = extinf(live);
  ASSERT_GE(durations.size(), 3u) << live;
  for (size_t i = 0; i + 1 < durations.size(); ++i) EXPECT_NEAR(durations[i], 1.0, 0.1) << live;
  EXPECT_NE(live.find("#EXT-X-PROGRAM-DATE-TIME:"), std::string::npos);
  EXPECT_NE(live.find("#EXT-X-TARGETDURATION:1\n"), std::string::npos);
  for (const auto& e : fs::directory_iterator(data + "/hls/" + kForum)) {
    if (e.path().extension() != ".ts") continue;
    EXPECT_TRUE(decodes(e.path().string())) << e.path();
  }

  svc->finish(kForum);
  const std::string rec = slurp(rec_playlist());
  EXPECT_NE(rec.find("#EXT-X-ENDLIST"), std::string::npos);
  EXPECT_NE(slurp(live_playlist()).find("#EXT-X-ENDLIST"), std::string::npos);
  EXPECT_NEAR(probe_duration(rec_playlist()), kClipSeconds, 0.3);
  const std::string mp4 = data + "/export.mp4";
  auto st = svc->export_mp4(kForum, mp4);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_NEAR(probe_duration(mp4), kClipSeconds, 0.3);
  EXPECT_TRUE(decodes(mp4));
  const std::string sidecar = slurp(data + "/recordings/" + kForum + "/recording.json");
  EXPECT_NE(sidecar.find("\"finished\": true"), std::string::npos) << sidecar;
  EXPECT_GT(svc->disk_usage().per_forum[kForum], 0);
}

TEST_F(StreamServiceTest, WrongUnknownOrArchivedKeyIsRefusedAndNothingIsWritten) {
  EXPECT_NE(push(port, "fck_wrong"), 0);
  EXPECT_NE(push(port, "fck_archived01"), 0);
  {
    std::lock_guard lk(events.mu);
    EXPECT_EQ(events.refusals, (std::vector<std::string>{"stream_key_unknown", "forum_archived"}));
    EXPECT_TRUE(events.publishes.empty());
  }
  EXPECT_FALSE(fs::exists(data + "/hls"));
  EXPECT_FALSE(fs::exists(data + "/recordings"));
}

TEST_F(StreamServiceTest, SecondPublisherToALiveForumIsRefused) {
  auto first = std::async(std::launch::async, [&] { return push(port, kKey); });
  ASSERT_TRUE(wait_until([&] { return fs::exists(live_playlist()); }));
  EXPECT_NE(push(port, kKey), 0);
  {
    std::lock_guard lk(events.mu);
    EXPECT_EQ(events.refusals, std::vector<std::string>{"stream_already_live"});
  }
  EXPECT_EQ(first.get(), 0);  // the first publisher was not disturbed
  ASSERT_TRUE(events.wait_unpublishes(1));
  EXPECT_EQ(events.publishes.size(), 1u);
}

TEST_F(StreamServiceTest, TakeoverPolicyLetsTheNewPublisherReplaceTheOld) {
  svc.reset();  // the same service, configured to take over
  StreamOptions o;
  o.rtmp_host = "127.0.0.1";
  o.rtmp_port = 0;
  o.data_dir = data;
  o.takeover = TakeoverPolicy::take_over;
  svc = std::make_unique<StreamService>(
      o, [](const std::string&) -> Result<std::string> { return std::string(kForum); }, &events);
  ASSERT_TRUE(svc->start().ok());
  port = svc->rtmp_port();
  auto first = std::async(std::launch::async, [&] { return push(port, kKey); });
  ASSERT_TRUE(wait_until([&] { return playlist_has_segments(1); }));
  EXPECT_EQ(push(port, kKey), 0);  // the second publisher streams its whole clip
  first.get();                     // the first one was cut off
  ASSERT_TRUE(events.wait_unpublishes(2));
  std::lock_guard lk(events.mu);
  ASSERT_EQ(events.publishes.size(), 2u);
  EXPECT_TRUE(events.publishes[1].took_over);
  EXPECT_EQ(events.unpublishes[0].reason, "taken_over");
  EXPECT_EQ(events.unpublishes[1].reason, "publisher_closed");
  EXPECT_TRUE(events.refusals.empty());
  EXPECT_EQ(count(slurp(rec_playlist()), "#EXT-X-DISCONTINUITY\n"), 1u);
}

TEST_F(StreamServiceTest, PublisherThatReturnsContinuesTheForumWithADiscontinuity) {
  ASSERT_EQ(push(port, kKey), 0);
  ASSERT_TRUE(events.wait_unpublishes(1));
  ASSERT_EQ(push(port, kKey), 0);
  ASSERT_TRUE(events.wait_unpublishes(2));
  ASSERT_EQ(events.publishes.size(), 2u);
  EXPECT_EQ(events.publishes[1].session, 2);
  // the gap counts: session 2 starts after session 1 ended
  EXPECT_GE(events.publishes[1].stream_ms, events.unpublishes[0].stream_ms);

  const std::string live = slurp(live_playlist());
  const std::string rec = slurp(rec_playlist());
  EXPECT_EQ(count(rec, "#EXT-X-DISCONTINUITY\n"), 1u) << rec;
  EXPECT_EQ(count(live, "#EXT-X-DISCONTINUITY\n") +
                (live.find("#EXT-X-DISCONTINUITY-SEQUENCE:1") != std::string::npos),
            1u)
      << live;
  // stream positions only go forward across the sessions
  std::istringstream in(rec);
  int64_t last = -1;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("#X-FORUMCAST-STREAM-MS:", 0) == 0) {
      int64_t v = std::atoll(line.c_str() + 23);
      EXPECT_GT(v, last);
      last = v;
    }
  EXPECT_GE(last, static_cast<int64_t>(2 * kClipSeconds * 1000) - 1500);
  const std::string sidecar = slurp(data + "/recordings/" + kForum + "/recording.json");
  EXPECT_EQ(count(sidecar, "\"number\""), 2u) << sidecar;
  // the whole recording decodes across the discontinuity (VOD once finished;
  // an EVENT playlist without ENDLIST would make ffmpeg wait for more)
  svc->finish(kForum);
  EXPECT_TRUE(plays(rec_playlist()));
  EXPECT_NEAR(probe_duration(rec_playlist()), 2 * kClipSeconds, 0.5);
}

TEST_F(StreamServiceTest, GarbageOnTheRtmpPortDoesNotDisturbALiveForum) {
  auto pusher = std::async(std::launch::async, [&] { return push(port, kKey); });
  ASSERT_TRUE(wait_until([&] { return fs::exists(live_playlist()); }));
  std::mt19937 rng(5);
  for (int round = 0; round < 4; ++round) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    std::string junk(round % 2 ? 1 + 1536 + 1536 : 0, '\0');
    if (!junk.empty()) junk[0] = 3;  // a valid handshake, then garbage chunks
    for (int i = 0; i < 20000; ++i) junk.push_back(static_cast<char>(rng()));
    (void)!send(fd, junk.data(), junk.size(), MSG_NOSIGNAL);
    // the server closes this connection: read reaches EOF (or a reset)
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
    }
    EXPECT_LE(n, 0);
    close(fd);
  }
  EXPECT_EQ(pusher.get(), 0);
  ASSERT_TRUE(events.wait_unpublishes(1));
  EXPECT_EQ(events.unpublishes[0].reason, "publisher_closed");
  svc->finish(kForum);
  EXPECT_NEAR(probe_duration(rec_playlist()), kClipSeconds, 0.3);
}

int free_udp_port() {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

int push_srt(int port, const std::string& passphrase) {
  return sh("timeout 30 ffmpeg -hide_banner -loglevel quiet -re -i '" + clip() +
            "' -c copy -f mpegts 'srt://127.0.0.1:" + std::to_string(port) +
            "?pbkeylen=16&passphrase=" + passphrase + "&connect_timeout=3000'");
}

TEST_F(StreamServiceTest, SrtCallerWithThePassphraseIsRecordedAndAWrongOneIsRefused) {
  const int srt_port = free_udp_port();
  EXPECT_EQ(svc->listen_srt(kForum, srt_port, "short").error().code, "srt_passphrase_invalid");
  ASSERT_TRUE(svc->listen_srt(kForum, srt_port, "fck_srt_3n8b2v7x9q").ok());
  EXPECT_NE(push_srt(srt_port, "fck_wrong_passphrase"), 0);  // refused at the SRT handshake
  EXPECT_FALSE(fs::exists(data + "/recordings"));
  std::atomic<int> pushed{-1};
  std::thread caller([&] { pushed = push_srt(srt_port, "fck_srt_3n8b2v7x9q"); });
  // Health counts an SRT session's bytes in too (the remuxer's count; no FLV feed).
  EXPECT_TRUE(wait_until(
      [&] {
        StreamHealth h = svc->health(kForum);
        return h.state != "idle" && h.bytes_in > 0;
      },
      20s));
  caller.join();
  EXPECT_EQ(pushed, 0);
  ASSERT_TRUE(events.wait_unpublishes(1));
  {
    std::lock_guard lk(events.mu);
    ASSERT_EQ(events.publishes.size(), 1u);
    EXPECT_EQ(events.publishes[0].remote.rfind("srt:", 0), 0u);
    EXPECT_EQ(events.unpublishes[0].reason, "publisher_disconnected");
  }
  svc->finish(kForum);
  EXPECT_NEAR(probe_duration(rec_playlist()), kClipSeconds, 0.5);
  EXPECT_TRUE(plays(rec_playlist()));
  svc->stop_srt(kForum);
}

TEST_F(StreamServiceTest, DemoSourcePublishesATestPatternWithClockAndTone) {
  DemoSource demo("rtmp://127.0.0.1:" + std::to_string(port) + "/live/" + kKey);
  demo.start();
  ASSERT_TRUE(wait_until([&] { return playlist_has_segments(1); }, 30s))
      << "no segment from the demo source";
  const StreamHealth h = svc->health(kForum);
  EXPECT_EQ(h.video_codec, "h264");
  EXPECT_EQ(h.audio_codec, "aac");
  EXPECT_EQ(h.width, 640);
  EXPECT_EQ(h.height, 360);
  EXPECT_GT(demo.frames_sent(), 0);
  demo.stop();
  ASSERT_TRUE(events.wait_unpublishes(1));
  const auto durations = extinf(slurp(live_playlist()));
  ASSERT_FALSE(durations.empty());
  EXPECT_NEAR(durations[0], 1.0, 0.1);  // 1-second GOP -> 1-second segments
}

TEST(StreamServiceCrash, KillNineMidStreamLeavesAPlayableRecording) {
  const std::string data = temp_dir();
  const std::string out = data + "/server.out";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::string kv = std::string(kKey) + "=" + kForum;
  std::vector<char*> argv = {const_cast<char*>(STREAM_TEST_SERVER), const_cast<char*>(data.c_str()),
                             kv.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, STREAM_TEST_SERVER, &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  // whatever happens below, the child does not outlive the test
  struct Reaper {
    pid_t& pid;
    ~Reaper() {
      if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    }
  } reaper{pid};
  int port = 0;
  ASSERT_TRUE(wait_until([&] {
    const std::string text = slurp(out);
    const size_t at = text.find("\nport ");
    return at != std::string::npos && std::sscanf(text.c_str() + at, "\nport %d", &port) == 1;
  }));

  auto pusher = std::async(std::launch::async, [&] { return push(port, kKey); });
  const std::string rec = data + "/recordings/" + kForum + "/index.m3u8";
  ASSERT_TRUE(wait_until([&] { return extinf(slurp(rec)).size() >= 2; })) << "port " << port << "\n"
                                                                          << slurp(out);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  pid = 0;
  EXPECT_TRUE(WIFSIGNALED(status));
  pusher.get();  // fails or ends: the server is gone

  // the recording up to the last complete segment plays
  const std::string written = slurp(rec);
  const auto segs = extinf(written);
  ASSERT_GE(segs.size(), 2u);
  std::string concat = "concat:";
  std::istringstream lines(written);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("seg-", 0) == 0) concat += data + "/recordings/" + kForum + "/" + line + "|";
  concat.pop_back();
  EXPECT_TRUE(decodes(concat));  // every listed segment, as one stream
  EXPECT_TRUE(fs::exists(data + "/recordings/" + kForum + "/recording.json"));

  // a restarted service continues the same recording and timeline
  Events events;
  StreamOptions o;
  o.rtmp_host = "127.0.0.1";
  o.rtmp_port = 0;
  o.data_dir = data;
  StreamService svc(
      o, [](const std::string&) -> Result<std::string> { return std::string(kForum); }, &events);
  ASSERT_TRUE(svc.start().ok());
  ASSERT_EQ(push(svc.rtmp_port(), kKey), 0);
  ASSERT_TRUE(events.wait_unpublishes(1));
  ASSERT_EQ(events.publishes.size(), 1u);
  EXPECT_EQ(events.publishes[0].session, 2);
  EXPECT_GT(events.publishes[0].stream_ms, 1000);
  svc.finish(kForum);
  const std::string text = slurp(rec);
  EXPECT_EQ(count(text, "#EXT-X-DISCONTINUITY\n"), 1u) << text;
  EXPECT_TRUE(plays(rec));
  svc.stop();
  fs::remove_all(data);
}

}  // namespace
}  // namespace forumcast::stream
