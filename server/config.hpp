// server/config.hpp: every setting of `forumcast serve` and of the CLI, with its
// default, in one struct; loaded from a TOML file and then overridden by flags.
// Each key is declared once in the table in config.cpp (name, default, limits,
// documentation); docs/configuration.md mirrors that table. Unknown keys and bad
// values are refused with a message naming the key.
//
// Adding a key (chat, stream, ...): add a field to the section struct below and one
// entry to the table in config.cpp (key, pointer to the field, limits, help).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace forumcast {

struct ServerConfig {
  std::string listen = "0.0.0.0:8080";       // host:port; port 0 lets the kernel choose
  std::string data_dir = "./data";           // SQLite database and media live here
  std::string public_url;                    // e.g. "https://forum.example.org"; "" = derived
  std::string web_root;                      // built web client; default: the build's dist/
  std::string log_format = "text";           // text | json
  std::string log_level = "info";            // trace | debug | info | warn | error | off
  std::vector<std::string> allowed_origins;  // extra origins for /ws and cookie requests
};

struct LimitsConfig {
  int64_t http_body_max_bytes = 65536;
  int64_t http_header_max_bytes = 8192;
  int64_t ws_message_max_bytes = 8192;
  int64_t ws_rx_chunk_bytes = 2048;
  int64_t ws_send_queue_max_bytes = 1 << 20;
  int64_t max_connections = 10000;
  int64_t max_connections_per_ip = 200;
  int64_t idle_timeout_s = 60;
  int64_t login_attempts_per_minute = 10;
  int64_t shutdown_grace_ms = 1000;
};

struct AuthConfig {
  int64_t session_ttl_hours = 12;
  bool cookie_secure = false;  // add `Secure` to the session cookie (set behind HTTPS)
  int64_t password_min_chars = 8;
};

struct StoreConfig {
  int64_t busy_timeout_ms = 5000;
  std::string synchronous = "normal";  // normal (survives a crash) | full (a power cut)
};

// [chat]: the chat relay (docs/protocol.md "Limits"). Frame size, connection
// counts and the idle timeout are the [limits] keys above.
struct ChatConfig {
  int64_t comment_max_chars = 300;
  int64_t name_max_chars = 32;
  int64_t history_events = 100;
  int64_t retain_events = 10000;
  int64_t send_queue_bytes = 512 * 1024;
  int64_t write_max_bytes = 32 * 1024;
  int64_t presence_interval_ms = 2000;
  int64_t comment_burst = 5;
  int64_t comment_refill_ms = 2000;
};

// [stream]: the stream module (docs/streaming.md); mapped onto
// stream::StreamOptions by server/stream_wiring.cpp.
struct StreamConfig {
  bool enabled = true;                       // false: no RTMP port, /hls and /rec answer 404
  std::string rtmp_listen = "0.0.0.0:1935";  // host:port; port 0 lets the kernel choose
  int64_t segment_target_ms = 1000;
  int64_t window_segments = 6;
  std::string takeover = "refuse";  // refuse | take_over
  int64_t retention_days = 0;       // 0 keeps recordings forever
  int64_t max_connections = 64;
  int64_t max_chunk_size = 65536;
  int64_t max_message_bytes = 4 * 1024 * 1024;
  int64_t handshake_timeout_ms = 5000;
  int64_t idle_timeout_ms = 10000;
  int64_t ingest_queue_bytes = 8 * 1024 * 1024;
  int64_t probe_size_bytes = 262144;
  int64_t analyze_duration_ms = 700;
  int64_t health_interval_ms = 2000;
  bool demo_source = true;  // serve --demo also publishes a synthetic test pattern
  // UDP ports for SRT ingest, "first-last": one per forum that can stream; "" = no SRT.
  std::string srt_ports = "10000-10019";
};

// stream.srt_ports parsed: [first, last], or nullopt when SRT is off ("").
// Validated by validate(); a malformed value also reads as off here.
std::optional<std::pair<int, int>> srt_port_range(const std::string& spec);

// [ticket], [webhook], [forum], [export]: the follow-through (docs/transcript.md,
// docs/http-api.md "Follow-through"); mapped onto followup::TicketPolicy,
// RetryPolicy, DeliveryLimits and server/admin's ProgramLimits.
struct TicketConfig {
  int64_t max_title_chars = 100;
  int64_t max_description_chars = 2000;
  int64_t max_note_chars = 1000;
  int64_t max_assignees = 10;
  int64_t reopen_at_or_below_stars = 2;  // a rating this low with a comment reopens; 0 never
  bool close_on_confirm = true;
  int64_t auto_close_days = 7;  // rating window: resolved and unrated closes after; 0 never
};

struct WebhookConfig {
  int64_t timeout_ms = 10000;
  int64_t connect_timeout_ms = 5000;
  int64_t retry_first_delay_ms = 10000;
  int64_t retry_max_delay_ms = 3600000;
  int64_t max_attempts = 12;
  int64_t max_endpoints = 20;
  bool allow_http_loopback = false;
  int64_t poll_ms = 5000;
  int64_t batch = 50;
};

struct ForumProgramConfig {
  int64_t panel_max_members = 30;
  int64_t agenda_max_items = 50;
  int64_t agenda_max_minutes = 600;
  int64_t text_max_chars = 120;  // panel name/title, agenda item title
};

struct ExportConfig {
  int64_t max_comments = 1000000;
  int64_t max_concurrent = 2;  // HTTP transcript/figures requests in flight (off the loop)
};

struct Config {
  ServerConfig server;
  LimitsConfig limits;
  AuthConfig auth;
  StoreConfig store;
  ChatConfig chat;
  StreamConfig stream;
  TicketConfig ticket;
  WebhookConfig webhook;
  ForumProgramConfig forum;
  ExportConfig export_;

  // Derived helpers.
  std::string listen_host() const;
  int listen_port() const;
  // public_url without a trailing '/', or "http://<listen>" with 0.0.0.0 -> 127.0.0.1.
  std::string base_url(int actual_port = -1) const;
  std::string db_path() const;  // <data_dir>/forumcast.db
};

// Description of one key, for flags and docs.
struct ConfigKeyInfo {
  std::string key;   // "limits.ws_message_max_bytes"
  std::string type;  // "string", "integer", "boolean", "string list"
  std::string default_value;
  std::string help;
};
std::vector<ConfigKeyInfo> config_keys();

// Reads TOML text (source names the file in messages). Keys absent keep their
// current values. Error code "config" with "<key>: <why>" messages.
Status apply_toml(Config& c, const std::string& toml_text, const std::string& source);
Status load_config_file(Config& c, const std::string& path);
// One override "key=value" or (key, value) as given on the command line.
Status apply_override(Config& c, const std::string& key, const std::string& value);
// Cross-field checks after everything is applied.
Status validate(const Config& c);

}  // namespace forumcast
