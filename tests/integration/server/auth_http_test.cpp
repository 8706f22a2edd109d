// tests/integration/server/auth_http_test.cpp: login (cookie flags, bearer and
// cookie auth), failures, disabled accounts, logout, resident device tokens on
// staff routes, CSRF refusal, and login throttling.
#include "integration/server/server_fixture.hpp"

namespace forumcast::test {
namespace {

class ServerAuthHttp : public ServerTest {
 protected:
  std::vector<std::string> serve_args() override {
    return {"--limits.login_attempts_per_minute", "8"};
  }
  void SetUp() override {
    ServerTest::SetUp();
    add_user("li-jianguo", "organizer", "桂香里-password");
  }
};

TEST_F(ServerAuthHttp, LoginSetsAStrictHttpOnlyCookieAndReturnsAToken) {
  std::string token = login("li-jianguo", "桂香里-password");
  ASSERT_FALSE(token.empty()) << last_login_.status << " " << last_login_.body;
  auto j = json_of(last_login_);
  EXPECT_EQ(j["role"], "organizer");
  EXPECT_EQ(j["name"], "li-jianguo");
  EXPECT_FALSE(j["expires_at"].get<std::string>().empty());
  std::string cookie = last_login_.header("set-cookie");
  EXPECT_EQ(cookie.rfind("fc_session=" + token, 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "not configured";

  auto me = http_get(port(), "/api/v1/me", {{"Cookie", "fc_session=" + token}});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json_of(me)["name"], "li-jianguo");
  auto me2 = http_get(port(), "/api/v1/me", bearer(token));
  EXPECT_EQ(me2.status, 200);
  auto users = http_get(port(), "/api/v1/users", bearer(token));
  ASSERT_EQ(users.status, 200);
  EXPECT_NE(users.body.find("li-jianguo"), std::string::npos);
  EXPECT_EQ(users.body.find("argon2"), std::string::npos) << "no hashes leave the server";
}

TEST_F(ServerAuthHttp, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  EXPECT_TRUE(login("li-jianguo", "wrong").empty());
  EXPECT_EQ(last_login_.status, 401);
  std::string wrong_body = last_login_.body;
  EXPECT_EQ(error_code(last_login_), "bad_credentials");
  EXPECT_TRUE(login("nobody", "wrong").empty());
  EXPECT_EQ(last_login_.status, 401);
  EXPECT_EQ(last_login_.body, wrong_body);
  EXPECT_EQ(last_login_.header("set-cookie"), "");
}

TEST_F(ServerAuthHttp, DisabledUserIsRefusedAndLosesSessions) {
  std::string token = login("li-jianguo", "桂香里-password");
  ASSERT_FALSE(token.empty());
  auto r = server().cli({"user", "disable", "li-jianguo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(http_get(port(), "/api/v1/me", bearer(token)).status, 401);
  EXPECT_TRUE(login("li-jianguo", "桂香里-password").empty());
  EXPECT_EQ(last_login_.status, 401);
  EXPECT_EQ(error_code(last_login_), "bad_credentials");
}

TEST_F(ServerAuthHttp, LogoutRevokesTheSession) {
  std::string token = login("li-jianguo", "桂香里-password");
  ASSERT_FALSE(token.empty());
  auto out = http_request(port(), "POST", "/api/v1/logout", bearer(token));
  EXPECT_EQ(out.status, 200);
  auto me = http_get(port(), "/api/v1/me", bearer(token));
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(error_code(me), "unauthorized");
}

TEST_F(ServerAuthHttp, ResidentDeviceTokenIsRefusedOnStaffRoutes) {
  auto dev = http_request(port(), "POST", "/api/v1/device");
  ASSERT_EQ(dev.status, 201) << dev.body;
  std::string device = json_of(dev)["device_token"];
  ASSERT_EQ(device.size(), 32u);
  for (const char* path : {"/api/v1/users", "/api/v1/forums/demoforum4/stream-key"}) {
    auto r = http_get(port(), path, bearer(device));
    EXPECT_EQ(r.status, 403) << path;
    EXPECT_EQ(error_code(r), "forbidden") << path;
  }
  auto create = http_post_json(port(), "/api/v1/forums", R"({"title":"x"})", bearer(device));
  EXPECT_EQ(create.status, 403);
  auto me = http_get(port(), "/api/v1/me", bearer(device));
  EXPECT_EQ(me.status, 403);
  auto anon = http_get(port(), "/api/v1/users");
  EXPECT_EQ(anon.status, 401);
  EXPECT_EQ(error_code(anon), "unauthorized");
  EXPECT_EQ(http_get(port(), "/healthz").status, 200);
}

TEST_F(ServerAuthHttp, OrganizerCreatesForumsAndReadsTheStreamKey) {
  std::string token = login("li-jianguo", "桂香里-password");
  ASSERT_FALSE(token.empty());
  auto c = http_post_json(
      port(), "/api/v1/forums",
      R"({"title":"梧桐新村 楼道安全","starts_at":"2026-12-12T19:00:00+08:00"})", bearer(token));
  ASSERT_EQ(c.status, 201) << c.body;
  std::string id = json_of(c)["id"];
  auto key = http_get(port(), "/api/v1/forums/" + id + "/stream-key", bearer(token));
  ASSERT_EQ(key.status, 200);
  EXPECT_EQ(json_of(key)["stream_key"].get<std::string>().size(), 32u);
  auto st = http_post_json(port(), "/api/v1/forums/" + id + "/state", R"({"state":"live"})",
                           bearer(token));
  ASSERT_EQ(st.status, 200) << st.body;
  EXPECT_EQ(json_of(st)["state"], "live");
  auto bad = http_post_json(port(), "/api/v1/forums/" + id + "/state", R"({"state":"paused"})",
                            bearer(token));
  EXPECT_EQ(bad.status, 400);
  auto none = http_get(port(), "/api/v1/forums/zzzzzzzzzz/stream-key", bearer(token));
  EXPECT_EQ(none.status, 404);
}

TEST_F(ServerAuthHttp, CookieRequestsMustBeSameOriginJson) {
  std::string token = login("li-jianguo", "桂香里-password");
  ASSERT_FALSE(token.empty());
  Headers cookie = {{"Cookie", "fc_session=" + token}};
  auto plain = http_request(port(), "POST", "/api/v1/forums",
                            {{"Cookie", "fc_session=" + token}, {"Content-Type", "text/plain"}},
                            R"({"title":"x"})");
  EXPECT_EQ(plain.status, 403);
  EXPECT_EQ(error_code(plain), "csrf");
  Headers cross = cookie;
  cross.emplace_back("Origin", "http://evil.example");
  auto evil = http_post_json(port(), "/api/v1/forums", R"({"title":"x"})", cross);
  EXPECT_EQ(evil.status, 403);
  EXPECT_EQ(error_code(evil), "csrf");
  Headers same = cookie;
  same.emplace_back("Origin", "http://127.0.0.1:" + std::to_string(port()));
  auto ok = http_post_json(port(), "/api/v1/forums", R"({"title":"同源请求"})", same);
  EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST_F(ServerAuthHttp, LoginIsThrottledPerAddress) {
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    login("li-jianguo", "wrong");
    if (last_login_.status == 429) {
      ++limited;
      EXPECT_EQ(error_code(last_login_), "rate_limited");
    }
  }
  EXPECT_EQ(limited, 12 - 8);
}

}  // namespace
}  // namespace forumcast::test
