// Video on the real server, end to end: `forumcast serve --demo` (demo encoder
// off) on port 0 with an ephemeral RTMP port; the ffmpeg CLI pushes a generated
// H.264/AAC clip with the demo forum's key. What a player and a resident see:
// the live playlist and segments over HTTP with their MIME types and cache
// policy, chat events stamped with stream_ms while live, a wrong key refused with
// nothing written, the replay playlist and the MP4 download afterwards; stream
// health pushed to staff over the WebSocket (stream_health), never to residents.
// Waits are on conditions with timeouts; only ffmpeg's -re paces anything.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <thread>

#include "chat_client.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_server.hpp"
#include "support/wait.hpp"

namespace forumcast::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kForum = "demoforum4";  // created live by --demo

int sh(const std::string& cmd) {
  return std::system(cmd.c_str());
}

// A 4 s clip with 1 s keyframes, generated once per test binary.
const std::string& clip() {
  static TempDir dir;
  static const std::string path = [] {
    std::string p = dir.file("clip.flv");
    int rc =
        sh("ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=320x180:rate=25 "
           "-f lavfi -i sine=frequency=440 -c:v libx264 -preset ultrafast -g 25 -c:a aac "
           "-t 4 '" +
           p + "'");
    EXPECT_EQ(rc, 0) << "ffmpeg could not generate the test clip";
    return p;
  }();
  return path;
}

int push(const std::string& rtmp_url) {
  return sh("timeout 60 ffmpeg -hide_banner -loglevel quiet -re -i '" + clip() +
            "' -c copy -f flv '" + rtmp_url + "'");
}

class stream_server : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(clip()));
    server = std::make_unique<TestServer>(TestServerOptions{"", {"--demo"}, ""});
    ASSERT_TRUE(server->start()) << server->stderr_text();
    // "  RTMP push:      rtmp://127.0.0.1:<port>/live/<key>"
    std::smatch m;
    std::string out = server->stdout_text();
    static const std::regex re(R"(RTMP push:\s+(rtmp://127\.0\.0\.1:(\d+)/live/)(\S+))");
    ASSERT_TRUE(std::regex_search(out, m, re)) << out;
    rtmp_base = m[1];
    rtmp_port = std::stoi(m[2]);
    key = m[3];
    ASSERT_GT(rtmp_port, 0);
  }
  std::unique_ptr<TestServer> server;
  std::string rtmp_base, key;
  int rtmp_port = 0;
};

TEST_F(stream_server, PushedClipIsServedAsHlsWithMimeTypesAndCachePolicy) {
  std::atomic<int> pushed{-1};
  std::thread publisher([&] { pushed = push(rtmp_base + key); });

  HttpResult playlist;
  ASSERT_TRUE(wait_until(
      [&] {
        playlist = http_get(server->port(), "/hls/" + kForum + "/index.m3u8");
        return playlist.status == 200 && playlist.body.find(".ts") != std::string::npos;
      },
      30s))
      << "no live playlist; server log:\n"
      << server->stderr_text();
  EXPECT_EQ(playlist.header("content-type"), "application/vnd.apple.mpegurl");
  EXPECT_EQ(playlist.header("cache-control"), "no-cache");
  EXPECT_NE(playlist.body.find("#EXT-X-PROGRAM-DATE-TIME:"), std::string::npos) << playlist.body;

  std::smatch m;
  ASSERT_TRUE(std::regex_search(playlist.body, m, std::regex(R"((seg-\d+\.ts))")));
  HttpResult seg = http_get(server->port(), "/hls/" + kForum + "/" + m[1].str());
  EXPECT_EQ(seg.status, 200);
  EXPECT_EQ(seg.header("content-type"), "video/mp2t");
  EXPECT_NE(seg.header("cache-control").find("max-age="), std::string::npos);
  ASSERT_GT(seg.body.size(), 188u);
  EXPECT_EQ(seg.body[0], 0x47) << "not an MPEG-TS packet";

  // A resident's comment made while live carries the stream clock.
  ChatClient c;
  ASSERT_TRUE(c.connect(server->port()));
  std::string device = new_device_token(server->port());
  ASSERT_EQ(c.join(kForum, device, "张阿姨")["ok"], true);
  ASSERT_EQ(c.comment("视频看得很清楚")["ok"], true);
  auto ev = c.next_event("comment");
  ASSERT_TRUE(ev);
  ASSERT_TRUE(ev->contains("stream_ms")) << ev->dump();
  EXPECT_GE((*ev)["stream_ms"].get<int64_t>(), 0);

  publisher.join();
  EXPECT_EQ(pushed, 0) << "ffmpeg could not push the clip";

  // The recording is there for the replay, and as one MP4 download.
  HttpResult rec;
  ASSERT_TRUE(wait_until(
      [&] {
        rec = http_get(server->port(), "/rec/" + kForum + "/index.m3u8");
        return rec.status == 200 && rec.body.find("#EXT-X-DISCONTINUITY") == std::string::npos &&
               rec.body.find("seg-") != std::string::npos;
      },
      10s));
  EXPECT_EQ(rec.header("content-type"), "application/vnd.apple.mpegurl");
  HttpResult mp4 =
      http_request(server->port(), "GET", "/rec/" + kForum + "/download.mp4", {}, {}, 60s);
  EXPECT_EQ(mp4.status, 200) << mp4.body;
  EXPECT_EQ(mp4.header("content-type"), "video/mp4");
  EXPECT_NE(mp4.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_NE(mp4.body.find("ftyp"), std::string::npos);
}

TEST_F(stream_server, WrongKeyIsRefusedAndNothingIsWritten) {
  EXPECT_NE(push(rtmp_base + "not-the-key-of-any-forum"), 0);
  EXPECT_EQ(http_get(server->port(), "/hls/" + kForum + "/index.m3u8").status, 404);
  EXPECT_FALSE(fs::exists(server->data_dir() + "/hls/" + kForum + "/index.m3u8"));
  EXPECT_TRUE(wait_until(
      [&] { return server->stderr_text().find("stream_key_unknown") != std::string::npos; }, 10s))
      << server->stderr_text();
}

TEST_F(stream_server, RotatedKeyFromTheCliIsUsedAtOnceAndTheOldOneIsRefused) {
  CommandResult r = server->cli({"forum", "rotate-key", kForum, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json f = json::parse(r.out);
  std::string fresh = f["stream_key"];
  EXPECT_NE(fresh, key);
  EXPECT_NE(f["urls"]["rtmp"].get<std::string>().find("/live/" + fresh), std::string::npos);

  EXPECT_NE(push(rtmp_base + key), 0) << "the old key still publishes";
  EXPECT_EQ(http_get(server->port(), "/hls/" + kForum + "/index.m3u8").status, 404);
  EXPECT_EQ(push(rtmp_base + fresh), 0) << server->stderr_text();
  EXPECT_EQ(http_get(server->port(), "/hls/" + kForum + "/index.m3u8").status, 200);
}

TEST_F(stream_server, OrganizerSeesHealthAndRecordingAndEndingTheForumClosesTheReplay) {
  std::smatch m;
  std::string out = server->stdout_text();
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(organizer\s+(\S+)\s+(\S+))"))) << out;
  HttpResult login = http_post_json(server->port(), "/api/v1/login",
                                    json{{"name", m[1].str()}, {"password", m[2].str()}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  Headers auth = {
      {"Authorization", "Bearer " + json::parse(login.body)["token"].get<std::string>()}};

  ASSERT_EQ(push(rtmp_base + key), 0);
  HttpResult health = http_get(server->port(), "/api/v1/stream/" + kForum + "/health", auth);
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(json::parse(health.body)["state"], "idle") << health.body;  // the push is over
  EXPECT_GT(json::parse(health.body)["segments"].get<int>(), 0) << health.body;
  HttpResult rec = http_get(server->port(), "/api/v1/stream/" + kForum + "/recording", auth);
  ASSERT_EQ(rec.status, 200) << rec.body;
  json j = json::parse(rec.body);
  EXPECT_EQ(j["sessions"], 1);
  EXPECT_GT(j["bytes"].get<int64_t>(), 0);
  EXPECT_GT(j["duration_s"].get<double>(), 2.0) << "pushed 4 s";

  // Rotation over HTTP answers the new key.
  HttpResult rot =
      http_request(server->port(), "POST", "/api/v1/stream/" + kForum + "/rotate-key", auth, "{}");
  ASSERT_EQ(rot.status, 200) << rot.body;
  EXPECT_NE(json::parse(rot.body)["stream_key"], key);

  // The forum ends (CLI): the server finishes the recording playlist (ENDLIST).
  ASSERT_EQ(server->cli({"forum", "set-state", kForum, "ended"}).exit_code, 0);
  EXPECT_TRUE(wait_until(
      [&] {
        HttpResult p = http_get(server->port(), "/rec/" + kForum + "/index.m3u8");
        return p.body.find("#EXT-X-ENDLIST") != std::string::npos;
      },
      15s))
      << server->stderr_text();
}

// Joins the demo forum's chat as a new staff account of `role` (CLI user + login).
std::unique_ptr<ChatClient> join_as_staff(TestServer& server, const std::string& name,
                                          const std::string& role) {
  const std::string password = name + "-password-1";
  auto add = server.cli({"user", "add", "--name", name, "--role", role, "--password-stdin"},
                        password + "\n");
  EXPECT_EQ(add.exit_code, 0) << add.err;
  HttpResult login = http_post_json(server.port(), "/api/v1/login",
                                    json{{"name", name}, {"password", password}}.dump());
  EXPECT_EQ(login.status, 200) << login.body;
  std::string token = json::parse(login.body, nullptr, false).value("token", "");
  auto c = std::make_unique<ChatClient>();
  EXPECT_TRUE(c->connect(server.port()));
  json r = c->request({{"op", "join"}, {"forum", kForum}, {"session", token}});
  EXPECT_EQ(r["ok"], true) << r.dump();
  return c;
}

// Next stream_health event whose health.state is `state`; nullopt on timeout.
std::optional<json> next_health(ChatClient& c, const std::string& state,
                                std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto ev = c.next_event("stream_health", left);
    if (!ev) return std::nullopt;
    if ((*ev)["health"]["state"] == state) return ev;
  }
}

TEST_F(stream_server, StaffGetStreamHealthOverTheWebSocketAndResidentsDoNot) {
  auto mod = join_as_staff(*server, "health-mod", "moderator");
  auto org = join_as_staff(*server, "health-org", "organizer");
  ChatClient resident;
  ASSERT_TRUE(resident.connect(server->port()));
  ASSERT_EQ(resident.join(kForum, new_device_token(server->port()), "李师傅")["ok"], true);

  std::atomic<int> pushed{-1};
  std::thread publisher([&] { pushed = push(rtmp_base + key); });
  // Every stream.health_interval_ms (2 s) while live: the 4 s clip gives one or two.
  auto live = next_health(*mod, "live", 30s);
  ASSERT_TRUE(live) << server->stderr_text();
  EXPECT_EQ((*live)["forum"], kForum);
  EXPECT_EQ((*live)["stream"], "staff");
  EXPECT_TRUE((*live)["seq"].is_number_integer());
  EXPECT_GT((*live)["at"].get<int64_t>(), 0);
  const json& h = (*live)["health"];
  EXPECT_EQ(h["video_codec"], "h264") << h.dump();
  EXPECT_EQ(h["audio_codec"], "aac") << h.dump();
  EXPECT_EQ(h["width"], 320);
  EXPECT_EQ(h["height"], 180);
  EXPECT_NEAR(h["fps"].get<double>(), 25.0, 2.0) << h.dump();
  EXPECT_NEAR(h["keyframe_interval_s"].get<double>(), 1.0, 0.2) << h.dump();
  EXPECT_GT(h["bytes_in"].get<int64_t>(), 0);
  EXPECT_GT(h["bitrate_bps"].get<int64_t>(), 0);
  EXPECT_GT(h["uptime_ms"].get<int64_t>(), 0);
  EXPECT_EQ(h["reconnects"], 0);
  EXPECT_NE(h["remote"].get<std::string>().find("127.0.0.1"), std::string::npos);
  EXPECT_TRUE(h.contains("viewers"));
  ASSERT_TRUE(next_health(*org, "live", 30s)) << "the organizer gets it too";

  publisher.join();
  EXPECT_EQ(pushed, 0);
  // Once more when the publisher has gone.
  EXPECT_TRUE(next_health(*mod, "idle", 30s));

  // The resident: its own comment comes back, and no stream_health came before it.
  ASSERT_EQ(resident.comment("画面清楚")["ok"], true);
  ASSERT_TRUE(wait_until(
      [&] {
        resident.pump(100ms);
        for (const json& e : resident.events)
          if (e["ev"] == "comment") return true;
        return false;
      },
      10s));
  for (const json& e : resident.events) EXPECT_NE(e["ev"], "stream_health") << e.dump();
}

TEST_F(stream_server, MediaUrlsOfUnknownShapeAre404AndStaffApiNeedsALogin) {
  EXPECT_EQ(http_get(server->port(), "/hls/../forumcast.db").status, 404);
  EXPECT_EQ(http_get(server->port(), "/hls/" + kForum + "/index.m3u8").status, 404);
  EXPECT_EQ(http_get(server->port(), "/rec/" + kForum + "/download.mp4").status, 404);
  EXPECT_EQ(http_get(server->port(), "/api/v1/stream/" + kForum + "/health").status, 401);
  EXPECT_EQ(http_request(server->port(), "POST", "/api/v1/stream/" + kForum + "/rotate-key").status,
            401);
}

}  // namespace
}  // namespace forumcast::test
