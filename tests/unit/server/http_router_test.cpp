// tests/unit/server/http_router_test.cpp: net/http std-only parts: route matching
// (exact beats prefix, longest prefix wins, 405 detection), cookies, origins,
// percent-decoding and the JSON error shape.
#include <gtest/gtest.h>

#include "net/http.hpp"

namespace forumcast::net {
namespace {

HttpHandler tag(int* out, int value) {
  return [out, value](const HttpRequest&, HttpResponderPtr) { *out = value; };
}

TEST(ServerNetRouter, ExactBeatsPrefixAndLongestPrefixWins) {
  HttpRouter r;
  int hit = 0;
  r.add_route("GET", "/api/v1/forums", tag(&hit, 1));
  r.add_route("*", "/api/v1/forums/*", tag(&hit, 2));
  r.add_route("GET", "/api/*", tag(&hit, 3));
  HttpRequest req;
  auto call = [&](const char* m, const char* p) {
    hit = 0;
    auto match = r.find(m, p);
    if (match.handler) (*match.handler)(req, nullptr);
    return hit;
  };
  EXPECT_EQ(call("GET", "/api/v1/forums"), 1);
  EXPECT_EQ(call("POST", "/api/v1/forums/abc/state"), 2);
  EXPECT_EQ(call("GET", "/api/v1/other"), 3);
  EXPECT_EQ(call("GET", "/elsewhere"), 0);
  auto m = r.find("DELETE", "/api/v1/forums");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.path_known) << "path known, method not: 405";
}

TEST(ServerNetRouter, ReservedPrefixes) {
  HttpRouter r;
  r.reserve_prefix("/api/");
  EXPECT_TRUE(r.is_reserved("/api/v1/x"));
  EXPECT_FALSE(r.is_reserved("/apiary"));
}

TEST(ServerNetHttp, CookiesHeadersAndQuery) {
  HttpRequest req;
  req.headers["cookie"] = "a=1; fc_session=tok123 ;b=2";
  EXPECT_EQ(req.cookie("fc_session").value_or(""), "tok123");
  EXPECT_EQ(req.cookie("a").value_or(""), "1");
  EXPECT_FALSE(req.cookie("missing"));
  EXPECT_EQ(req.header("nope"), "");
  req.query["q"] = "x";
  EXPECT_EQ(req.query_param("q"), "x");
}

TEST(ServerNetHttp, OriginCheck) {
  EXPECT_TRUE(origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", {}));
  EXPECT_TRUE(origin_allowed("https://forum.example.org", "forum.example.org", {}));
  EXPECT_FALSE(origin_allowed("http://evil.example", "127.0.0.1:8080", {}));
  EXPECT_TRUE(origin_allowed("http://evil.example", "127.0.0.1:8080", {"http://evil.example"}));
  EXPECT_FALSE(origin_allowed("", "127.0.0.1:8080", {}));
  EXPECT_FALSE(origin_allowed("http://127.0.0.1:8080.evil.example", "127.0.0.1:8080", {}));
}

TEST(ServerNetHttp, UrlDecode) {
  EXPECT_EQ(url_decode("%E4%B9%A6%E8%AE%B0+x", true).value_or("?"), "书记 x");
  EXPECT_EQ(url_decode("a+b", false).value_or("?"), "a+b");
  EXPECT_FALSE(url_decode("%4", false));
  EXPECT_FALSE(url_decode("%zz", false));
}

TEST(ServerNetHttp, ErrorBodyIsEscapedJson) {
  auto r = HttpResponse::error(400, "bad_json", "quote \" and \n newline");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":{"code":"bad_json","message":"quote \" and \n newline"}})");
}

}  // namespace
}  // namespace forumcast::net
