// tests/integration/server/cli_test.cpp: the CLI as a child process on the data
// directory of a running server: forum create/list/show/set-state, user
// add/list/disable, exit codes, and configuration errors naming the key.
#include "integration/server/server_fixture.hpp"

namespace forumcast::test {
namespace {

class ServerCli : public ServerTest {};

TEST_F(ServerCli, ForumCreateJsonWhileTheServerRuns) {
  auto r = server().cli({"forum", "create", "--title", "书记论坛 · 第五期", "--topic", "电梯加装",
                         "--starts-at", "2027-01-09T14:00:00+08:00", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto f = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(f.is_object()) << r.out;
  std::string id = f["id"];
  std::string key = f["stream_key"];
  EXPECT_EQ(id.size(), 10u);
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(f["state"], "draft");
  EXPECT_EQ(f["urls"]["resident"], "http://127.0.0.1:8080/f/" + id);
  EXPECT_EQ(f["urls"]["moderator"], "http://127.0.0.1:8080/mod/" + id);
  EXPECT_EQ(f["urls"]["hls"], "http://127.0.0.1:8080/hls/" + id + "/index.m3u8");
  EXPECT_EQ(f["urls"]["rtmp"], "rtmp://127.0.0.1:1935/live/" + key);

  ASSERT_EQ(server().cli({"forum", "set-state", id, "live"}).exit_code, 0);
  // The running server sees what the CLI wrote.
  auto list = http_get(port(), "/api/v1/forums");
  ASSERT_EQ(list.status, 200);
  auto j = json_of(list);
  bool found = false;
  for (const auto& x : j["forums"])
    if (x["id"] == id) {
      found = true;
      EXPECT_EQ(x["title"], "书记论坛 · 第五期");
      EXPECT_EQ(x["state"], "live");
    }
  EXPECT_TRUE(found) << list.body;

  auto show = server().cli({"forum", "show", id, "--json"});
  ASSERT_EQ(show.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(show.out)["topic"], "电梯加装");
  auto all = server().cli({"forum", "list", "--json"});
  ASSERT_EQ(all.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(all.out).size(), 1u);
  auto text = server().cli({"forum", "show", id});
  EXPECT_NE(text.out.find("RTMP push:"), std::string::npos);
}

TEST_F(ServerCli, UserCommands) {
  add_user("zhou-wen", "panelist", "deputy-password");
  auto dup =
      server().cli({"user", "add", "--name", "zhou-wen", "--role", "panelist", "--password-stdin"},
                   "another-password\n");
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_NE(dup.err.find("already exists"), std::string::npos) << dup.err;
  auto weak = server().cli(
      {"user", "add", "--name", "chen-sy", "--role", "moderator", "--password-stdin"}, "short\n");
  EXPECT_EQ(weak.exit_code, 1);
  EXPECT_NE(weak.err.find("at least 8"), std::string::npos) << weak.err;

  auto list = server().cli({"user", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0);
  auto j = nlohmann::json::parse(list.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["name"], "zhou-wen");
  EXPECT_EQ(j[0]["role"], "panelist");
  EXPECT_EQ(j[0]["disabled"], false);
  ASSERT_EQ(server().cli({"user", "disable", "zhou-wen"}).exit_code, 0);
  j = nlohmann::json::parse(server().cli({"user", "list", "--json"}).out);
  EXPECT_EQ(j[0]["disabled"], true);
  EXPECT_EQ(server().cli({"user", "disable", "nobody"}).exit_code, 1);
}

TEST(ServerCliExitCodes, UsageErrorsAreTwoFailuresAreOne) {
  TempDir dir("forumcast-cli");
  std::string data = dir.file("data");
  EXPECT_EQ(run_forumcast({"--help"}).exit_code, 0);
  EXPECT_EQ(run_forumcast({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_forumcast({"forum", "create", "--data", data}).exit_code, 2) << "--title missing";
  EXPECT_EQ(
      run_forumcast({"user", "add", "--name", "x", "--role", "emperor", "--data", data}).exit_code,
      2);
  auto missing = run_forumcast({"forum", "show", "zzzzzzzzzz", "--data", data});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_FALSE(missing.err.empty());
  auto state = run_forumcast({"forum", "set-state", "zzzzzzzzzz", "paused", "--data", data});
  EXPECT_EQ(state.exit_code, 2);
}

TEST(ServerCliConfig, UnknownKeysAndBadValuesAreRefusedNamingTheKey) {
  TempDir dir("forumcast-cli");
  write_file(dir.file("bad.toml"), "[limits]\nws_message_max = 1\n");
  auto r = run_forumcast({"serve", "--config", dir.file("bad.toml"), "--data", dir.file("d")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("limits.ws_message_max"), std::string::npos) << r.err;

  write_file(dir.file("bad2.toml"), "[limits]\nidle_timeout_s = -5\n");
  auto r2 = run_forumcast({"serve", "--config", dir.file("bad2.toml"), "--data", dir.file("d")});
  EXPECT_EQ(r2.exit_code, 2);
  EXPECT_NE(r2.err.find("limits.idle_timeout_s"), std::string::npos) << r2.err;

  auto r3 = run_forumcast({"serve", "--data", dir.file("d"), "--listen", "nowhere"});
  EXPECT_EQ(r3.exit_code, 2);
  EXPECT_NE(r3.err.find("server.listen"), std::string::npos) << r3.err;

  auto keys = run_forumcast({"config-keys"});
  EXPECT_EQ(keys.exit_code, 0);
  EXPECT_NE(keys.out.find("limits.ws_message_max_bytes"), std::string::npos);
}

TEST(ServerCliConfig, TheExampleConfigFileIsValid) {
  TempDir dir("forumcast-cli");
  auto r = run_forumcast({"forum", "list", "--config",
                          std::string(FORUMCAST_SOURCE_DIR) + "/forumcast.example.toml", "--data",
                          dir.file("d")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace forumcast::test
