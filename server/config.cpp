// server/config.cpp: the key table (the one list of settings), TOML loading with
// toml++, flag overrides and validation. docs/configuration.md documents the
// same keys; `forumcast config-keys` prints this table.
#include "server/config.hpp"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>

#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#ifndef FORUMCAST_DEFAULT_WEB_ROOT
#define FORUMCAST_DEFAULT_WEB_ROOT ""
#endif

namespace forumcast {
namespace {

enum class Kind { str, integer, boolean, str_list };

struct Entry {
  const char* key;
  Kind kind;
  int64_t min;
  int64_t max;
  std::vector<std::string> choices;  // allowed strings; empty = any (checked by `check`)
  const char* help;
  std::function<void*(Config&)> field;
};

#define FC_STR(k, f, choices, help)                                            \
  Entry {                                                                      \
    k, Kind::str, 0, 0, choices, help, [](Config& c) -> void* { return &c.f; } \
  }
#define FC_INT(k, f, lo, hi, help)                                              \
  Entry {                                                                       \
    k, Kind::integer, lo, hi, {}, help, [](Config& c) -> void* { return &c.f; } \
  }
#define FC_BOOL(k, f, help)                                                   \
  Entry {                                                                     \
    k, Kind::boolean, 0, 0, {}, help, [](Config& c) -> void* { return &c.f; } \
  }
#define FC_LIST(k, f, help)                                                    \
  Entry {                                                                      \
    k, Kind::str_list, 0, 0, {}, help, [](Config& c) -> void* { return &c.f; } \
  }

const std::vector<Entry>& table() {
  static const std::vector<Entry> t = {
      // [server]
      FC_STR("server.listen", server.listen, {},
             "Address and port for HTTP and WebSocket, host:port ([::]:port for IPv6). "
             "Port 0 lets the kernel choose (see --ready-file)."),
      FC_STR("server.data_dir", server.data_dir, {},
             "Directory for the SQLite database (forumcast.db) and media; created if missing."),
      FC_STR("server.public_url", server.public_url, {},
             "URL residents use to reach this server (QR codes, printed links, allowed "
             "origin). Empty: http://(listen address), with 0.0.0.0 shown as 127.0.0.1."),
      FC_STR("server.web_root", server.web_root, {},
             "Directory of the built web client (index.html, assets/). Default: "
             "web-client/dist of the source tree the binary was built from."),
      FC_STR("server.log_format", server.log_format, (std::vector<std::string>{"text", "json"}),
             "Log format: text (for people) or json (one JSON object per line)."),
      FC_STR("server.log_level", server.log_level,
             (std::vector<std::string>{"trace", "debug", "info", "warn", "error", "off"}),
             "Lowest log level written."),
      FC_LIST("server.allowed_origins", server.allowed_origins,
              "Extra origins (\"https://host[:port]\") allowed to open /ws and to send "
              "cookie-authenticated requests, besides the request's own host and public_url."),
      // [limits]
      FC_INT("limits.http_body_max_bytes", limits.http_body_max_bytes, 1024, 64LL << 20,
             "Largest HTTP request body; larger bodies get 413 payload_too_large."),
      FC_INT("limits.http_header_max_bytes", limits.http_header_max_bytes, 1024, 65535,
             "Largest HTTP request header block (cookies included)."),
      FC_INT("limits.ws_message_max_bytes", limits.ws_message_max_bytes, 256, 16LL << 20,
             "Largest inbound WebSocket message; larger closes the socket with 1009."),
      FC_INT("limits.ws_rx_chunk_bytes", limits.ws_rx_chunk_bytes, 64, 65536,
             "WebSocket receive buffer per connection (a chunk, not a message limit): "
             "smaller saves memory per idle viewer, larger lets busy posters through faster."),
      FC_INT("limits.ws_send_queue_max_bytes", limits.ws_send_queue_max_bytes, 4096, 1LL << 30,
             "Bytes queued for one slow WebSocket client before it is cut off (close 1008)."),
      FC_INT("limits.max_connections", limits.max_connections, 1, 1000000,
             "Open WebSockets in total; further upgrades get 503."),
      FC_INT("limits.max_connections_per_ip", limits.max_connections_per_ip, 1, 1000000,
             "Open WebSockets from one IP address; further upgrades get 429."),
      FC_INT("limits.idle_timeout_s", limits.idle_timeout_s, 2, 3600,
             "A WebSocket silent this long is closed; a ping is sent after half of it."),
      FC_INT("limits.login_attempts_per_minute", limits.login_attempts_per_minute, 1, 100000,
             "Login attempts per IP address per minute; more get 429 rate_limited."),
      FC_INT("limits.shutdown_grace_ms", limits.shutdown_grace_ms, 0, 10000,
             "On SIGINT/SIGTERM, how long to wait for WebSockets to close (1001) before exit."),
      // [auth]
      FC_INT("auth.session_ttl_hours", auth.session_ttl_hours, 1, 24 * 365,
             "Lifetime of a staff login session."),
      FC_BOOL("auth.cookie_secure", auth.cookie_secure,
              "Mark the session cookie Secure (serve over HTTPS, e.g. behind a proxy)."),
      FC_INT("auth.password_min_chars", auth.password_min_chars, 8, 1024,
             "Shortest staff password accepted by `forumcast user add`."),
      // [store]
      FC_INT("store.busy_timeout_ms", store.busy_timeout_ms, 0, 600000,
             "How long a writer waits for another process (the CLI) holding the database."),
      FC_STR("store.synchronous", store.synchronous, (std::vector<std::string>{"normal", "full"}),
             "SQLite durability: normal survives a process crash, full also a power cut."),
      // [chat]
      FC_INT("chat.comment_max_chars", chat.comment_max_chars, 1, 10000,
             "Longest comment in characters (after NFC and control-character removal)."),
      FC_INT("chat.name_max_chars", chat.name_max_chars, 1, 256,
             "Longest resident display name, compound or building, in characters."),
      FC_INT("chat.history_events", chat.history_events, 0, 10000,
             "Events a fresh join receives as history."),
      FC_INT("chat.retain_events", chat.retain_events, 1, 1000000,
             "Events per forum kept in memory for resume; older `since` gets recovered:false."),
      FC_INT("chat.send_queue_bytes", chat.send_queue_bytes, 4096, 1LL << 30,
             "Unsent event bytes one viewer may lag behind before it is closed with 4008."),
      FC_INT("chat.write_max_bytes", chat.write_max_bytes, 1024, 16LL << 20,
             "Largest coalesced write (a JSON array of pending events) to one viewer."),
      FC_INT("chat.presence_interval_ms", chat.presence_interval_ms, 100, 600000,
             "At most one presence (viewer count) event per forum per interval."),
      FC_INT("chat.comment_burst", chat.comment_burst, 1, 1000000000,
             "Comments a device may post in a burst (token bucket capacity)."),
      FC_INT("chat.comment_refill_ms", chat.comment_refill_ms, 0, 3600000,
             "One more comment allowed every this many ms (token bucket refill)."),
      // [stream]
      FC_BOOL("stream.enabled", stream.enabled,
              "Run the RTMP ingest and serve /hls and /rec. false: no video at all."),
      FC_STR("stream.rtmp_listen", stream.rtmp_listen, {},
             "Address and port of the RTMP ingest (all forums), host:port. Port 0 lets the "
             "kernel choose (the --ready-file carries rtmp_port)."),
      FC_INT("stream.segment_target_ms", stream.segment_target_ms, 200, 10000,
             "HLS segment length: cut at the first keyframe at or after this many ms."),
      FC_INT("stream.window_segments", stream.window_segments, 2, 100,
             "Segments in the live playlist's sliding window."),
      FC_STR("stream.takeover", stream.takeover, (std::vector<std::string>{"refuse", "take_over"}),
             "A second publisher to a live forum: refuse it, or take_over (old one closed)."),
      FC_INT("stream.retention_days", stream.retention_days, 0, 36500,
             "Recordings older than this are pruned hourly (0 keeps them forever)."),
      FC_INT("stream.max_connections", stream.max_connections, 1, 10000,
             "Open TCP connections on the RTMP port; more are closed at once."),
      FC_INT("stream.max_chunk_size", stream.max_chunk_size, 128, 16LL << 20,
             "Largest RTMP Set Chunk Size accepted; larger closes that publisher."),
      FC_INT("stream.max_message_bytes", stream.max_message_bytes, 4096, 256LL << 20,
             "Largest RTMP message (one video frame); larger closes that publisher."),
      FC_INT("stream.handshake_timeout_ms", stream.handshake_timeout_ms, 100, 600000,
             "RTMP connect .. publish must finish within this many ms."),
      FC_INT("stream.idle_timeout_ms", stream.idle_timeout_ms, 100, 3600000,
             "A publisher that sends no bytes this long is closed."),
      FC_INT("stream.ingest_queue_bytes", stream.ingest_queue_bytes, 65536, 1LL << 30,
             "FLV bytes of one publisher waiting for the demuxer; more closes it."),
      FC_INT("stream.probe_size_bytes", stream.probe_size_bytes, 32, 64LL << 20,
             "libav probesize for an ingest (small: quick first playlist)."),
      FC_INT("stream.analyze_duration_ms", stream.analyze_duration_ms, 0, 60000,
             "libav analyzeduration for an ingest (small: quick first playlist)."),
      FC_INT("stream.health_interval_ms", stream.health_interval_ms, 100, 600000,
             "How often a live forum's stream health is measured and sent to its staff."),
      FC_BOOL("stream.demo_source", stream.demo_source,
              "With serve --demo, publish a synthetic test pattern (libx264) to the demo forum."),
      FC_STR("stream.srt_ports", stream.srt_ports, {},
             "UDP ports for SRT ingest, first-last (at most 1,000): each forum that can stream "
             "(draft, collecting, live) gets one, kept across restarts, its stream key as the "
             "SRT passphrase. Empty: no SRT."),
      // [ticket] (followup/ticket_machine.hpp)
      FC_INT("ticket.max_title_chars", ticket.max_title_chars, 1, 1000,
             "Longest ticket title in characters (a default title is the question cut here)."),
      FC_INT("ticket.max_description_chars", ticket.max_description_chars, 1, 100000,
             "Longest ticket description in characters."),
      FC_INT("ticket.max_note_chars", ticket.max_note_chars, 1, 100000,
             "Longest note on a ticket change or progress note, in characters."),
      FC_INT("ticket.max_assignees", ticket.max_assignees, 1, 1000,
             "Most departments and workers one ticket may be assigned to."),
      FC_INT("ticket.reopen_at_or_below_stars", ticket.reopen_at_or_below_stars, 0, 5,
             "A rating with this many stars or fewer AND a comment reopens the ticket "
             "(0: ratings never reopen)."),
      FC_BOOL("ticket.close_on_confirm", ticket.close_on_confirm,
              "A resident's confirming rating closes a resolved ticket at once."),
      FC_INT("ticket.auto_close_days", ticket.auto_close_days, 0, 3650,
             "Rating window: a ticket still resolved this many days after resolution closes "
             "by itself (hourly sweep; 0: never)."),
      // [webhook] (followup/webhook_outbox.hpp, server/webhook_worker.hpp)
      FC_INT("webhook.timeout_ms", webhook.timeout_ms, 100, 600000,
             "Total time one delivery attempt may take (connect, send, response)."),
      FC_INT("webhook.connect_timeout_ms", webhook.connect_timeout_ms, 100, 600000,
             "Time to connect (TCP and TLS) to a webhook URL."),
      FC_INT("webhook.retry_first_delay_ms", webhook.retry_first_delay_ms, 100, 86400000,
             "Wait before the first retry of a failed delivery; doubles after every attempt."),
      FC_INT("webhook.retry_max_delay_ms", webhook.retry_max_delay_ms, 100, 604800000,
             "Longest wait between two attempts of one delivery."),
      FC_INT("webhook.max_attempts", webhook.max_attempts, 1, 1000,
             "Attempts of one delivery before it is marked dead (kept in the outbox)."),
      FC_INT("webhook.max_endpoints", webhook.max_endpoints, 1, 10000,
             "Most webhook URLs (active or disabled) that may be registered; more get 409 "
             "too_many_webhooks."),
      FC_BOOL("webhook.allow_http_loopback", webhook.allow_http_loopback,
              "Accept plain http:// webhook URLs to loopback addresses (127.0.0.0/8, ::1, "
              "localhost): tests and a gateway on the same machine. Otherwise https:// only."),
      FC_INT("webhook.poll_ms", webhook.poll_ms, 50, 3600000,
             "How often the webhook worker looks for due deliveries and new question events "
             "(a change made by this server wakes it at once)."),
      FC_INT("webhook.batch", webhook.batch, 1, 10000,
             "Deliveries attempted per worker round."),
      // [forum] (server/admin.hpp ProgramLimits)
      FC_INT("forum.panel_max_members", forum.panel_max_members, 1, 1000,
             "Most members of one forum's panel roster."),
      FC_INT("forum.agenda_max_items", forum.agenda_max_items, 1, 1000,
             "Most items on one forum's agenda."),
      FC_INT("forum.agenda_max_minutes", forum.agenda_max_minutes, 1, 100000,
             "Longest planned duration of one agenda item, in minutes."),
      FC_INT("forum.text_max_chars", forum.text_max_chars, 1, 1000,
             "Longest panel member name or title and agenda item title, in characters."),
      // [export] (server/transcript_builder.hpp)
      FC_INT("export.max_comments", export_.max_comments, 0, 100000000,
             "Comments in one transcript export; beyond this only the newest are kept."),
      FC_INT("export.max_concurrent", export_.max_concurrent, 0, 64,
             "HTTP transcript exports and figures requests in flight at once (built one at a "
             "time on the export thread, off the network loop); more are refused with 503 "
             "export_busy and Retry-After. 0 turns them off over HTTP (the CLI still exports)."),
  };
  return t;
}

const Entry* find_entry(const std::string& key) {
  for (const auto& e : table())
    if (key == e.key) return &e;
  return nullptr;
}

Error bad(const std::string& key, const std::string& why) {
  return make_error("config", key + ": " + why);
}

std::string kind_name(Kind k) {
  switch (k) {
    case Kind::str:
      return "string";
    case Kind::integer:
      return "integer";
    case Kind::boolean:
      return "boolean";
    case Kind::str_list:
      return "string list";
  }
  return "?";
}

Status check_string(const Entry& e, const std::string& v) {
  if (!e.choices.empty()) {
    for (const auto& c : e.choices)
      if (v == c) return ok_status();
    std::string list;
    for (const auto& c : e.choices) list += (list.empty() ? "" : ", ") + c;
    return bad(e.key, "\"" + v + "\" is not one of: " + list);
  }
  return ok_status();
}

Status set_int(const Entry& e, Config& c, int64_t v) {
  if (v < e.min || v > e.max)
    return bad(e.key, std::to_string(v) + " is out of range [" + std::to_string(e.min) + ", " +
                          std::to_string(e.max) + "]");
  *static_cast<int64_t*>(e.field(c)) = v;
  return ok_status();
}

Status set_string(const Entry& e, Config& c, const std::string& v) {
  Status s = check_string(e, v);
  if (!s) return s;
  *static_cast<std::string*>(e.field(c)) = v;
  return ok_status();
}

Status apply_node(Config& c, const Entry& e, const toml::node& n) {
  switch (e.kind) {
    case Kind::str:
      if (!n.is_string()) return bad(e.key, "expected a string");
      return set_string(e, c, std::string(n.as_string()->get()));
    case Kind::integer:
      if (!n.is_integer()) return bad(e.key, "expected an integer");
      return set_int(e, c, n.as_integer()->get());
    case Kind::boolean:
      if (!n.is_boolean()) return bad(e.key, "expected true or false");
      *static_cast<bool*>(e.field(c)) = n.as_boolean()->get();
      return ok_status();
    case Kind::str_list: {
      if (!n.is_array()) return bad(e.key, "expected an array of strings");
      std::vector<std::string> out;
      for (const auto& item : *n.as_array()) {
        if (!item.is_string()) return bad(e.key, "expected an array of strings");
        out.emplace_back(item.as_string()->get());
      }
      *static_cast<std::vector<std::string>*>(e.field(c)) = std::move(out);
      return ok_status();
    }
  }
  return bad(e.key, "unsupported");
}

std::string value_text(const Entry& e, Config& c) {
  void* f = e.field(c);
  switch (e.kind) {
    case Kind::str:
      return "\"" + *static_cast<std::string*>(f) + "\"";
    case Kind::integer:
      return std::to_string(*static_cast<int64_t*>(f));
    case Kind::boolean:
      return *static_cast<bool*>(f) ? "true" : "false";
    case Kind::str_list: {
      std::string s = "[";
      for (const auto& v : *static_cast<std::vector<std::string>*>(f))
        s += (s.size() > 1 ? ", \"" : "\"") + v + "\"";
      return s + "]";
    }
  }
  return "";
}

bool parse_listen(const std::string& s, std::string& host, int& port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon + 1 >= s.size()) return false;
  host = s.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) return false;
  std::string p = s.substr(colon + 1);
  int v = 0;
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
  if (ec != std::errc() || ptr != p.data() + p.size() || v < 0 || v > 65535) return false;
  port = v;
  return true;
}

bool is_http_url(const std::string& s) {
  return (s.rfind("http://", 0) == 0 && s.size() > 7) ||
         (s.rfind("https://", 0) == 0 && s.size() > 8);
}

}  // namespace

std::string Config::listen_host() const {
  std::string h;
  int p = 0;
  return parse_listen(server.listen, h, p) ? h : "0.0.0.0";
}

int Config::listen_port() const {
  std::string h;
  int p = 8080;
  return parse_listen(server.listen, h, p) ? p : 8080;
}

std::string Config::base_url(int actual_port) const {
  if (!server.public_url.empty()) {
    std::string u = server.public_url;
    while (!u.empty() && u.back() == '/') u.pop_back();
    return u;
  }
  std::string host = listen_host();
  if (host == "0.0.0.0" || host == "::") host = "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  int port = actual_port >= 0 ? actual_port : listen_port();
  return "http://" + host + ":" + std::to_string(port);
}

std::string Config::db_path() const {
  std::string d = server.data_dir.empty() ? "." : server.data_dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  return d + "/forumcast.db";
}

std::vector<ConfigKeyInfo> config_keys() {
  Config defaults;
  defaults.server.web_root = FORUMCAST_DEFAULT_WEB_ROOT;
  std::vector<ConfigKeyInfo> out;
  for (const auto& e : table())
    out.push_back({e.key, kind_name(e.kind), value_text(e, defaults), e.help});
  return out;
}

Status apply_toml(Config& c, const std::string& toml_text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& err) {
    std::ostringstream os;
    os << source << ":" << err.source().begin.line << ":" << err.source().begin.column << ": "
       << err.description();
    return make_error("config", os.str());
  }
  for (const auto& [section, node] : root) {
    std::string sec(section.str());
    if (!node.is_table()) return bad(sec, "unknown key (settings live in sections like [server])");
    for (const auto& [name, value] : *node.as_table()) {
      std::string key = sec + "." + std::string(name.str());
      const Entry* e = find_entry(key);
      if (!e) return bad(key, "unknown key");
      Status s = apply_node(c, *e, value);
      if (!s) return s;
    }
  }
  return ok_status();
}

Status load_config_file(Config& c, const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error("config", path + ": cannot read the configuration file");
  std::stringstream ss;
  ss << in.rdbuf();
  return apply_toml(c, ss.str(), path);
}

Status apply_override(Config& c, const std::string& key, const std::string& value) {
  const Entry* e = find_entry(key);
  if (!e) return bad(key, "unknown key");
  switch (e->kind) {
    case Kind::str:
      return set_string(*e, c, value);
    case Kind::integer: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || ptr != value.data() + value.size() || value.empty())
        return bad(key, "\"" + value + "\" is not an integer");
      return set_int(*e, c, v);
    }
    case Kind::boolean:
      if (value == "true" || value == "1" || value == "yes") {
        *static_cast<bool*>(e->field(c)) = true;
      } else if (value == "false" || value == "0" || value == "no") {
        *static_cast<bool*>(e->field(c)) = false;
      } else {
        return bad(key, "\"" + value + "\" is not true or false");
      }
      return ok_status();
    case Kind::str_list: {
      std::vector<std::string> out;
      std::stringstream ss(value);
      std::string item;
      while (std::getline(ss, item, ','))
        if (!item.empty()) out.push_back(item);
      *static_cast<std::vector<std::string>*>(e->field(c)) = std::move(out);
      return ok_status();
    }
  }
  return bad(key, "unsupported");
}

std::optional<std::pair<int, int>> srt_port_range(const std::string& spec) {
  int first = 0, last = 0;
  char dash = 0, extra = 0;
  if (std::sscanf(spec.c_str(), "%d%c%d%c", &first, &dash, &last, &extra) != 3 || dash != '-')
    return std::nullopt;
  if (first < 1 || last > 65535 || first > last || last - first >= 1000) return std::nullopt;
  return std::make_pair(first, last);
}

Status validate(const Config& c) {
  std::string host;
  int port = 0;
  if (!parse_listen(c.server.listen, host, port))
    return bad("server.listen", "\"" + c.server.listen + "\" is not host:port");
  if (!c.server.public_url.empty() && !is_http_url(c.server.public_url))
    return bad("server.public_url", "must start with http:// or https://");
  for (const auto& o : c.server.allowed_origins)
    if (!is_http_url(o)) return bad("server.allowed_origins", "\"" + o + "\" is not an origin");
  if (c.server.data_dir.empty()) return bad("server.data_dir", "must not be empty");
  if (!parse_listen(c.stream.rtmp_listen, host, port))
    return bad("stream.rtmp_listen", "\"" + c.stream.rtmp_listen + "\" is not host:port");
  if (!c.stream.srt_ports.empty() && !srt_port_range(c.stream.srt_ports))
    return bad("stream.srt_ports", "\"" + c.stream.srt_ports +
                                       "\" is not first-last (1..65535, at most 1,000 ports)");
  if (c.webhook.retry_first_delay_ms > c.webhook.retry_max_delay_ms)
    return bad("webhook.retry_first_delay_ms", "must not exceed webhook.retry_max_delay_ms");
  if (c.webhook.connect_timeout_ms > c.webhook.timeout_ms)
    return bad("webhook.connect_timeout_ms", "must not exceed webhook.timeout_ms");
  return ok_status();
}

}  // namespace forumcast
