// tests/integration/server/shutdown_test.cpp: SIGTERM and SIGINT stop the server
// cleanly: open WebSockets get 1001 going away, the exit code is 0, and a write
// acknowledged before the signal is there after a restart on the same data.
#include "integration/server/server_fixture.hpp"
#include "support/ws_client.hpp"

namespace forumcast::test {
namespace {

TEST(ServerShutdown, CommittedWriteSurvivesSigtermAndRestart) {
  TempDir data("forumcast-data");
  TestServerOptions o;
  o.data_dir = data.path();
  std::string id;
  {
    TestServer s(o);
    ASSERT_TRUE(s.start()) << s.stderr_text();
    auto add =
        s.cli({"user", "add", "--name", "demo-org2", "--role", "organizer", "--password-stdin"},
              "organizer-password\n");
    ASSERT_EQ(add.exit_code, 0) << add.err;
    auto login = http_post_json(s.port(), "/api/v1/login",
                                R"({"name":"demo-org2","password":"organizer-password"})");
    ASSERT_EQ(login.status, 200) << login.body;
    std::string token = nlohmann::json::parse(login.body)["token"];
    auto created = http_post_json(s.port(), "/api/v1/forums", R"({"title":"桂香里 停车难"})",
                                  {{"Authorization", "Bearer " + token}});
    ASSERT_EQ(created.status, 201) << created.body;
    id = nlohmann::json::parse(created.body)["id"];
    // Acknowledged: now stop.
    EXPECT_EQ(s.stop(SIGTERM, std::chrono::seconds(5)), 0) << s.stderr_text();
  }
  TestServer again(o);
  ASSERT_TRUE(again.start()) << again.stderr_text();
  auto show = again.cli({"forum", "show", id, "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(nlohmann::json::parse(show.out)["title"], "桂香里 停车难");
  EXPECT_EQ(again.stop(SIGINT, std::chrono::seconds(5)), 0);
}

TEST(ServerShutdown, OpenWebSocketsGetGoingAway) {
  TestServer s;
  ASSERT_TRUE(s.start()) << s.stderr_text();
  WsClient a, b;
  ASSERT_TRUE(a.connect(s.port()));
  ASSERT_TRUE(b.connect(s.port()));
  ASSERT_TRUE(a.send_text(R"({"op":"no.such.op","rid":1})"));
  ASSERT_TRUE(a.read_text());  // both are fully open
  ::kill(s.pid(), SIGTERM);
  EXPECT_EQ(a.wait_close(), 1001);
  EXPECT_EQ(b.wait_close(), 1001);
  EXPECT_EQ(s.wait_exit(std::chrono::seconds(5)), 0) << s.stderr_text();
}

TEST(ServerShutdown, DemoStartPrintsUrlsAndIsIdempotent) {
  TempDir data("forumcast-data");
  TestServerOptions o;
  o.data_dir = data.path();
  o.extra_args = {"--demo"};
  std::string first_out;
  {
    TestServer s(o);
    ASSERT_TRUE(s.start()) << s.stderr_text();
    first_out = s.stdout_text();
    EXPECT_NE(first_out.find("/f/demoforum4"), std::string::npos) << first_out;
    EXPECT_NE(first_out.find("/mod/demoforum4"), std::string::npos);
    EXPECT_NE(first_out.find("/login"), std::string::npos);
    EXPECT_NE(first_out.find("demo-mod"), std::string::npos);
    auto list = http_get(s.port(), "/api/v1/forums");
    auto j = nlohmann::json::parse(list.body);
    ASSERT_EQ(j["forums"].size(), 1u);
    EXPECT_EQ(j["forums"][0]["state"], "live");
    EXPECT_NE(j["forums"][0]["title"].get<std::string>().find("书记论坛"), std::string::npos);
    EXPECT_EQ(s.stop(), 0);
  }
  TestServer s(o);
  ASSERT_TRUE(s.start()) << s.stderr_text();
  auto j = nlohmann::json::parse(http_get(s.port(), "/api/v1/forums").body);
  EXPECT_EQ(j["forums"].size(), 1u) << "no second demo forum";
  EXPECT_NE(s.stdout_text(), first_out) << "passwords are new on every start";
}

}  // namespace
}  // namespace forumcast::test
