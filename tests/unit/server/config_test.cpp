// tests/unit/server/config_test.cpp: configuration defaults, TOML loading, flag
// overrides, and refusal of unknown keys and bad values (naming the key).
#include <gtest/gtest.h>

#include "server/config.hpp"

namespace forumcast {
namespace {

TEST(ServerConfig, DefaultsAreTheDocumentedOnes) {
  Config c;
  EXPECT_EQ(c.server.listen, "0.0.0.0:8080");
  EXPECT_EQ(c.server.data_dir, "./data");
  EXPECT_EQ(c.server.log_format, "text");
  EXPECT_EQ(c.limits.ws_message_max_bytes, 8192);
  EXPECT_EQ(c.limits.http_body_max_bytes, 65536);
  EXPECT_EQ(c.auth.session_ttl_hours, 12);
  EXPECT_FALSE(c.auth.cookie_secure);
  EXPECT_EQ(c.store.synchronous, "normal");
  EXPECT_TRUE(validate(c).ok());
  EXPECT_EQ(c.listen_host(), "0.0.0.0");
  EXPECT_EQ(c.listen_port(), 8080);
  EXPECT_EQ(c.base_url(), "http://127.0.0.1:8080");
  EXPECT_EQ(c.db_path(), "./data/forumcast.db");
}

TEST(ServerConfig, EveryKeyIsListedWithHelpAndDefault) {
  auto keys = config_keys();
  ASSERT_GE(keys.size(), 18u);
  for (const auto& k : keys) {
    EXPECT_FALSE(k.help.empty()) << k.key;
    EXPECT_FALSE(k.default_value.empty()) << k.key;
    EXPECT_NE(k.key.find('.'), std::string::npos) << k.key;
  }
}

TEST(ServerConfig, TomlFileSetsValues) {
  Config c;
  Status s = apply_toml(c, R"(
[server]
listen = "127.0.0.1:9090"
public_url = "https://forum.example.org/"
allowed_origins = ["https://other.example.org"]
[limits]
ws_message_max_bytes = 4096
[auth]
cookie_secure = true
[store]
synchronous = "full"
)",
                        "test.toml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(c.listen_port(), 9090);
  EXPECT_EQ(c.limits.ws_message_max_bytes, 4096);
  EXPECT_TRUE(c.auth.cookie_secure);
  EXPECT_EQ(c.store.synchronous, "full");
  ASSERT_EQ(c.server.allowed_origins.size(), 1u);
  EXPECT_EQ(c.base_url(), "https://forum.example.org");
  EXPECT_TRUE(validate(c).ok());
}

TEST(ServerConfig, FlagOverridesTheFile) {
  Config c;
  ASSERT_TRUE(apply_toml(c, "[limits]\nws_message_max_bytes = 4096\n", "f.toml").ok());
  ASSERT_TRUE(apply_override(c, "limits.ws_message_max_bytes", "2048").ok());
  ASSERT_TRUE(apply_override(c, "auth.cookie_secure", "true").ok());
  ASSERT_TRUE(
      apply_override(c, "server.allowed_origins", "http://a.example,http://b.example").ok());
  EXPECT_EQ(c.limits.ws_message_max_bytes, 2048);
  EXPECT_TRUE(c.auth.cookie_secure);
  EXPECT_EQ(c.server.allowed_origins.size(), 2u);
}

TEST(ServerConfig, UnknownKeyIsRefusedByName) {
  Config c;
  Status s = apply_toml(c, "[limits]\nws_mesage_max_bytes = 10\n", "f.toml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "config");
  EXPECT_NE(s.error().message.find("limits.ws_mesage_max_bytes"), std::string::npos);
  EXPECT_NE(s.error().message.find("unknown key"), std::string::npos);

  Status section = apply_toml(c, "[nonsense]\nx = 1\n", "f.toml");
  ASSERT_FALSE(section.ok());
  EXPECT_NE(section.error().message.find("nonsense.x"), std::string::npos);

  Status top = apply_toml(c, "listen = \"x\"\n", "f.toml");
  ASSERT_FALSE(top.ok());
  EXPECT_NE(top.error().message.find("listen"), std::string::npos);

  Status flag = apply_override(c, "limits.nope", "1");
  ASSERT_FALSE(flag.ok());
  EXPECT_NE(flag.error().message.find("limits.nope"), std::string::npos);
}

TEST(ServerConfig, BadValuesAreRefusedByName) {
  struct Case {
    const char* toml;
    const char* key;
  } cases[] = {
      {"[limits]\nws_message_max_bytes = \"big\"\n", "limits.ws_message_max_bytes"},
      {"[limits]\nws_message_max_bytes = 1\n", "limits.ws_message_max_bytes"},
      {"[server]\nlog_format = \"xml\"\n", "server.log_format"},
      {"[auth]\ncookie_secure = \"yes\"\n", "auth.cookie_secure"},
      {"[store]\nsynchronous = \"off\"\n", "store.synchronous"},
      {"[server]\nallowed_origins = [1]\n", "server.allowed_origins"},
  };
  for (const auto& k : cases) {
    Config c;
    Status s = apply_toml(c, k.toml, "f.toml");
    ASSERT_FALSE(s.ok()) << k.toml;
    EXPECT_NE(s.error().message.find(k.key), std::string::npos) << s.error().message;
  }
  Config c;
  Status s = apply_override(c, "limits.idle_timeout_s", "12x");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("limits.idle_timeout_s"), std::string::npos);
}

TEST(ServerConfig, CrossFieldValidationNamesTheKey) {
  Config c;
  ASSERT_TRUE(apply_override(c, "server.listen", "nowhere").ok());
  Status s = validate(c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("server.listen"), std::string::npos);

  Config d;
  ASSERT_TRUE(apply_override(d, "server.public_url", "forum.example.org").ok());
  Status t = validate(d);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("server.public_url"), std::string::npos);
}

TEST(ServerConfig, TomlSyntaxErrorNamesTheFileAndLine) {
  Config c;
  Status s = apply_toml(c, "[server]\nlisten = \n", "forumcast.toml");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("forumcast.toml:2"), std::string::npos) << s.error().message;
}

TEST(ServerConfig, ListenParsesIpv6AndPortZero) {
  Config c;
  ASSERT_TRUE(apply_override(c, "server.listen", "[::1]:0").ok());
  ASSERT_TRUE(validate(c).ok());
  EXPECT_EQ(c.listen_host(), "::1");
  EXPECT_EQ(c.listen_port(), 0);
  EXPECT_EQ(c.base_url(4321), "http://[::1]:4321");
}

TEST(ServerConfig, SrtPortsAreARangeOrEmpty) {
  EXPECT_EQ(srt_port_range("10000-10019"), std::make_pair(10000, 10019));
  EXPECT_EQ(srt_port_range("9000-9000"), std::make_pair(9000, 9000));
  for (const char* bad : {"", "10000", "10019-10000", "0-5", "65535-65536", "1-1001", "a-b",
                          "10000-10019x", "10000:10019"})
    EXPECT_FALSE(srt_port_range(bad)) << bad;
  Config c;
  ASSERT_TRUE(apply_override(c, "stream.srt_ports", "").ok());
  EXPECT_TRUE(validate(c).ok()) << "empty turns SRT off";
  ASSERT_TRUE(apply_override(c, "stream.srt_ports", "20000-19000").ok());
  Status s = validate(c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("stream.srt_ports"), std::string::npos) << s.error().message;
}

TEST(ServerConfig, FollowThroughKeysLoadAndAreCrossChecked) {
  Config c;
  EXPECT_EQ(c.ticket.auto_close_days, 7);
  EXPECT_EQ(c.webhook.max_endpoints, 20);
  EXPECT_FALSE(c.webhook.allow_http_loopback);
  ASSERT_TRUE(apply_toml(c,
                         "[ticket]\nauto_close_days = 14\nreopen_at_or_below_stars = 1\n"
                         "[webhook]\nallow_http_loopback = true\nmax_endpoints = 3\n"
                         "[forum]\nagenda_max_items = 12\n[export]\nmax_comments = 500\n",
                         "t.toml")
                  .ok());
  EXPECT_EQ(c.ticket.auto_close_days, 14);
  EXPECT_EQ(c.ticket.reopen_at_or_below_stars, 1);
  EXPECT_TRUE(c.webhook.allow_http_loopback);
  EXPECT_EQ(c.webhook.max_endpoints, 3);
  EXPECT_EQ(c.forum.agenda_max_items, 12);
  EXPECT_EQ(c.export_.max_comments, 500);
  EXPECT_TRUE(validate(c).ok());
  EXPECT_FALSE(apply_override(c, "ticket.reopen_at_or_below_stars", "6").ok());
  ASSERT_TRUE(apply_override(c, "webhook.retry_first_delay_ms", "7200000").ok());
  Status s = validate(c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("webhook.retry_first_delay_ms"), std::string::npos);
}

}  // namespace
}  // namespace forumcast
