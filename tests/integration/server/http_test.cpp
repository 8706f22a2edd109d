// tests/integration/server/http_test.cpp: /healthz, security headers on every kind
// of response, static files (MIME types, caching, SPA fallback, traversal), API
// errors (404/405/413) as JSON.
#include "integration/server/server_fixture.hpp"

namespace forumcast::test {
namespace {

class ServerHttp : public ServerTest {};

void expect_security_headers(const HttpResult& r, const std::string& what) {
  EXPECT_NE(r.header("content-security-policy").find("default-src 'self'"), std::string::npos)
      << what;
  EXPECT_NE(r.header("content-security-policy").find("media-src 'self' blob:"), std::string::npos)
      << what;
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << what;
  EXPECT_EQ(r.header("referrer-policy"), "same-origin") << what;
  EXPECT_EQ(r.header("x-frame-options"), "DENY") << what;
}

TEST_F(ServerHttp, HealthzReportsStatusVersionAndStore) {
  auto r = http_get(port(), "/healthz");
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.header("content-type"), "application/json");
  auto j = json_of(r);
  ASSERT_TRUE(j.is_object()) << r.body;
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["version"], "0.1.0");
  EXPECT_EQ(j["store_ok"], true);
  EXPECT_GE(j["schema_version"].get<int>(), 1);
  EXPECT_GE(j["uptime_s"].get<int>(), 0);
  expect_security_headers(r, "/healthz");
}

TEST_F(ServerHttp, SecurityHeadersOnStaticFilesAndErrors) {
  expect_security_headers(http_get(port(), "/"), "/");
  expect_security_headers(http_get(port(), "/assets/app-1a2b3c.js"), "asset");
  auto missing = http_get(port(), "/assets/missing-000.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_code(missing), "not_found");
  expect_security_headers(missing, "404");
  auto api404 = http_get(port(), "/api/v1/nothing-here");
  EXPECT_EQ(api404.status, 404);
  expect_security_headers(api404, "api 404");
}

TEST_F(ServerHttp, StaticFilesHaveTheirMimeTypesAndCachePolicy) {
  struct Case {
    const char* path;
    const char* type;
  } cases[] = {
      {"/", "text/html; charset=utf-8"},
      {"/assets/app-1a2b3c.js", "text/javascript; charset=utf-8"},
      {"/assets/app-1a2b3c.css", "text/css; charset=utf-8"},
      {"/favicon.svg", "image/svg+xml"},
      {"/manifest.webmanifest", "application/manifest+json"},
      {"/assets/font-9f8e.woff2", "font/woff2"},
  };
  for (const auto& c : cases) {
    auto r = http_get(port(), c.path);
    EXPECT_EQ(r.status, 200) << c.path;
    EXPECT_EQ(r.header("content-type"), c.type) << c.path;
  }
  auto index = http_get(port(), "/");
  EXPECT_EQ(index.body, "<!doctype html><title>forumcast test shell</title>");
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  auto asset = http_get(port(), "/assets/app-1a2b3c.js");
  EXPECT_EQ(asset.body, "export const x = 1;");
  EXPECT_NE(asset.header("cache-control").find("max-age=31536000"), std::string::npos);
}

TEST_F(ServerHttp, HeadGivesTheLengthWithoutABody) {
  auto r = http_request(port(), "HEAD", "/assets/app-1a2b3c.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-length"), std::to_string(std::string("export const x = 1;").size()));
  EXPECT_EQ(r.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(http_get(port(), "/healthz").status, 200) << "the connection state is sane";
}

TEST_F(ServerHttp, ClientRoutesGetTheAppShell) {
  for (const char* p : {"/f/demoforum4", "/mod/demoforum4", "/login", "/org/forums",
                        "/present/demoforum4", "/overlay/demoforum4"}) {
    auto r = http_get(port(), p);
    EXPECT_EQ(r.status, 200) << p;
    EXPECT_EQ(r.body, "<!doctype html><title>forumcast test shell</title>") << p;
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8") << p;
  }
}

TEST_F(ServerHttp, TraversalDoesNotEscapeTheWebRoot) {
  write_file(web_dir_.file("secret.txt"), "top secret");
  for (const char* p : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                        "/assets/%2e%2e/%2e%2e/secret.txt"}) {
    auto r = http_get(port(), p);
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << p;
  }
}

TEST_F(ServerHttp, ApiErrorsAreJson) {
  auto wrong_method = http_request(port(), "DELETE", "/healthz");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(error_code(wrong_method), "method_not_allowed");

  std::string big(70 * 1024, 'x');
  auto too_big =
      http_request(port(), "POST", "/api/v1/login", {{"Content-Type", "application/json"}}, big);
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(error_code(too_big), "payload_too_large");

  auto bad_json = http_post_json(port(), "/api/v1/login", "{not json");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(error_code(bad_json), "bad_json");
  // The server is still fine afterwards.
  EXPECT_EQ(http_get(port(), "/healthz").status, 200);
}

TEST_F(ServerHttp, PublicForumListHidesDraftsAndStreamKeys) {
  auto created = server().cli({"forum", "create", "--title", "春晖苑议题征集", "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto f = nlohmann::json::parse(created.out);
  std::string id = f["id"];
  auto list = http_get(port(), "/api/v1/forums");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(id), std::string::npos) << "drafts are not public";
  EXPECT_EQ(http_get(port(), "/api/v1/forums/" + id).status, 404);

  ASSERT_EQ(server().cli({"forum", "set-state", id, "collecting"}).exit_code, 0);
  list = http_get(port(), "/api/v1/forums");
  ASSERT_NE(list.body.find(id), std::string::npos);
  EXPECT_EQ(list.body.find(f["stream_key"].get<std::string>()), std::string::npos);
  auto one = http_get(port(), "/api/v1/forums/" + id);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(json_of(one)["title"], "春晖苑议题征集");
  EXPECT_EQ(json_of(one)["state"], "collecting");
  EXPECT_FALSE(json_of(one).contains("stream_key"));
}

}  // namespace
}  // namespace forumcast::test
