// tests/integration/server/server_fixture.hpp: shared setup for the server's
// integration tests: a web root with known files, a started server, and helpers
// to add staff through the CLI and log in over HTTP.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_server.hpp"

namespace forumcast::test {

inline std::string make_web_root(const TempDir& dir) {
  std::string root = dir.file("web");
  std::filesystem::create_directories(root + "/assets");
  write_file(root + "/index.html", "<!doctype html><title>forumcast test shell</title>");
  write_file(root + "/assets/app-1a2b3c.js", "export const x = 1;");
  write_file(root + "/assets/app-1a2b3c.css", "body{margin:0}");
  write_file(root + "/favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
  write_file(root + "/manifest.webmanifest", "{}");
  write_file(root + "/assets/font-9f8e.woff2", "wOF2");
  return root;
}

class ServerTest : public ::testing::Test {
 protected:
  // Override to pass flags to `serve`.
  virtual std::vector<std::string> serve_args() { return {}; }

  void SetUp() override {
    TestServerOptions o;
    o.web_root = make_web_root(web_dir_);
    o.extra_args = serve_args();
    server_ = std::make_unique<TestServer>(o);
    ASSERT_TRUE(server_->start()) << server_->stderr_text();
  }

  TestServer& server() { return *server_; }
  int port() { return server_->port(); }

  void add_user(const std::string& name, const std::string& role, const std::string& password) {
    auto r = server_->cli({"user", "add", "--name", name, "--role", role, "--password-stdin"},
                          password + "\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // The token, or "" (with the response kept in last_login_).
  std::string login(const std::string& name, const std::string& password) {
    nlohmann::json body = {{"name", name}, {"password", password}};
    last_login_ = http_post_json(port(), "/api/v1/login", body.dump());
    if (last_login_.status != 200) return "";
    auto j = nlohmann::json::parse(last_login_.body, nullptr, false);
    return j.is_object() ? j.value("token", "") : "";
  }

  static nlohmann::json json_of(const HttpResult& r) {
    return nlohmann::json::parse(r.body, nullptr, false);
  }
  static std::string error_code(const HttpResult& r) {
    auto j = json_of(r);
    if (!j.is_object() || !j.contains("error")) return "";
    return j["error"].value("code", "");
  }
  static Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  TempDir web_dir_{"forumcast-web"};
  std::unique_ptr<TestServer> server_;
  HttpResult last_login_;
};

}  // namespace forumcast::test
