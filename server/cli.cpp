// server/cli.cpp: parses the command line with CLI11, loads the configuration
// (defaults < --config file < flags), and runs one subcommand. Data-changing
// subcommands go through server/admin (validated, audited with actor "cli") on
// the same data directory a running server may be using (SQLite WAL + busy timeout).
#include "server/cli.hpp"

#include <termios.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "server/admin.hpp"
#include "server/auth.hpp"
#include "server/config.hpp"
#include "server/export_cli.hpp"
#include "server/logging.hpp"
#include "server/serve.hpp"
#include "server/store_open.hpp"
#include "server/stream_wiring.hpp"
#include "server/term_cli.hpp"
#include "server/version.hpp"

#ifndef FORUMCAST_DEFAULT_WEB_ROOT
#define FORUMCAST_DEFAULT_WEB_ROOT ""
#endif

namespace forumcast {
namespace {

using json = nlohmann::json;

int fail(const std::string& msg) {
  std::fprintf(stderr, "forumcast: %s\n", msg.c_str());
  return 1;
}

json forum_json(const Forum& f, const std::string& base) {
  ForumUrls u = forum_urls(base, f);
  return {
      {"id", f.id},
      {"title", f.title},
      {"topic", f.topic},
      {"starts_at", f.starts_at},
      {"state", std::string(to_string(f.state))},
      {"stream_key", f.stream_key},
      {"created_at", format_rfc3339(f.created_ms)},
      {"urls",
       {{"resident", u.resident},
        {"moderator", u.moderator},
        {"hls", u.hls},
        {"rtmp", u.rtmp},
        {"srt", u.srt.empty() ? json() : json(u.srt)}}}};
}

void print_forum(const Forum& f, const std::string& base) {
  ForumUrls u = forum_urls(base, f);
  std::printf("forum %s\n", f.id.c_str());
  std::printf("  title:          %s\n", f.title.c_str());
  if (!f.topic.empty()) std::printf("  topic:          %s\n", f.topic.c_str());
  if (!f.starts_at.empty()) std::printf("  starts at:      %s\n", f.starts_at.c_str());
  std::printf("  state:          %s\n", std::string(to_string(f.state)).c_str());
  std::printf("  stream key:     %s\n", f.stream_key.c_str());
  std::printf("  resident page:  %s\n", u.resident.c_str());
  std::printf("  moderator page: %s\n", u.moderator.c_str());
  std::printf("  HLS playlist:   %s\n", u.hls.c_str());
  std::printf("  RTMP push:      %s\n", u.rtmp.c_str());
  if (!u.srt.empty()) std::printf("  SRT push:       %s\n", u.srt.c_str());
}

// Reads one line from the terminal without echo.
std::optional<std::string> prompt_hidden(const char* prompt) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (!tty) return std::nullopt;
  std::fputs(prompt, tty);
  std::fflush(tty);
  termios old{};
  int fd = fileno(tty);
  bool have_termios = tcgetattr(fd, &old) == 0;
  if (have_termios) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  char buf[1024];
  char* got = std::fgets(buf, sizeof buf, tty);
  if (have_termios) tcsetattr(fd, TCSAFLUSH, &old);
  std::fputs("\n", tty);
  std::fclose(tty);
  if (!got) return std::nullopt;
  std::string s(buf);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

struct Cli {
  std::string config_path;
  std::map<std::string, std::string> key_flags;  // "--<key> value" for every config key
  std::string data_dir, listen, log_format, log_level, web_root, public_url;
  bool json_out = false;

  Result<Config> load() const {
    Config c;
    c.server.web_root = FORUMCAST_DEFAULT_WEB_ROOT;
    if (!config_path.empty()) {
      Status st = load_config_file(c, config_path);
      if (!st) return st.error();
    }
    for (const auto& [k, v] : key_flags) {
      if (v.empty()) continue;
      Status st = apply_override(c, k, v);
      if (!st) return st.error();
    }
    const std::pair<const char*, const std::string*> aliases[] = {
        {"server.data_dir", &data_dir},     {"server.listen", &listen},
        {"server.log_format", &log_format}, {"server.log_level", &log_level},
        {"server.web_root", &web_root},     {"server.public_url", &public_url}};
    for (const auto& [k, v] : aliases) {
      if (v->empty()) continue;
      Status st = apply_override(c, k, *v);
      if (!st) return st.error();
    }
    Status st = validate(c);
    if (!st) return st.error();
    return c;
  }
};

}  // namespace

int run_cli(int argc, char** argv) {
  Cli cli;
  CLI::App app{"forumcast: the live companion server for community forums"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);
  app.add_option("--config", cli.config_path, "TOML configuration file")->check(CLI::ExistingFile);
  app.add_option("--data", cli.data_dir, "Data directory (server.data_dir)");
  app.add_option("--log-format", cli.log_format, "text or json (server.log_format)");
  app.add_option("--log-level", cli.log_level, "trace|debug|info|warn|error|off");
  for (const auto& k : config_keys())
    app.add_option("--" + k.key, cli.key_flags[k.key], k.help)->group("Configuration keys");

  // serve
  ServeOptions serve_opts;
  auto* serve = app.add_subcommand("serve", "Run the server (HTTP, WebSocket, web client)");
  serve->fallthrough();
  serve->add_option("--listen", cli.listen, "host:port (server.listen), e.g. 0.0.0.0:8080");
  serve->add_option("--web-root", cli.web_root, "Built web client (server.web_root)");
  serve->add_option("--public-url", cli.public_url, "Public base URL (server.public_url)");
  serve->add_flag("--demo", serve_opts.demo,
                  "Create the demo forum and demo accounts (passwords printed)");
  serve->add_option("--ready-file", serve_opts.ready_file,
                    "Write {\"http_port\",\"url\"} here once listening");

  // forum
  auto* forum = app.add_subcommand("forum", "Create and inspect forums");
  forum->fallthrough();
  forum->require_subcommand(1);
  NewForum nf;
  auto* fcreate = forum->add_subcommand("create", "Create a forum; prints its id, key and URLs");
  fcreate->fallthrough();
  fcreate->add_option("--title", nf.title, "Title")->required();
  fcreate->add_option("--topic", nf.topic, "Topic");
  fcreate->add_option("--starts-at", nf.starts_at,
                      "RFC 3339 start, e.g. 2026-12-05T14:00:00+08:00");
  fcreate->add_flag("--json", cli.json_out, "Print JSON");
  auto* flist = forum->add_subcommand("list", "List forums");
  flist->fallthrough();
  flist->add_flag("--json", cli.json_out, "Print JSON");
  std::string forum_id, forum_state;
  auto* fshow = forum->add_subcommand("show", "Show one forum");
  fshow->fallthrough();
  fshow->add_option("id", forum_id, "Forum id")->required();
  fshow->add_flag("--json", cli.json_out, "Print JSON");
  auto* fstate = forum->add_subcommand("set-state", "Change a forum's state");
  fstate->fallthrough();
  fstate->add_option("id", forum_id, "Forum id")->required();
  fstate->add_option("state", forum_state, "draft|collecting|live|ended|archived")->required();
  auto* frotate =
      forum->add_subcommand("rotate-key",
                            "New stream key; the old one is refused at once (a running server "
                            "also closes its publisher within seconds)");
  frotate->fallthrough();
  frotate->add_option("id", forum_id, "Forum id")->required();
  frotate->add_flag("--json", cli.json_out, "Print JSON");
  // forum edit / panel / agenda (server/export_cli)
  ProgramCliOptions program_opts;
  add_forum_program_commands(*forum, program_opts);

  // user
  auto* user = app.add_subcommand("user", "Manage staff accounts");
  user->fallthrough();
  user->require_subcommand(1);
  std::string user_name, user_role;
  bool password_stdin = false;
  auto* uadd = user->add_subcommand("add", "Add a staff account");
  uadd->fallthrough();
  uadd->add_option("--name", user_name, "Login name")->required();
  uadd->add_option("--role", user_role, "moderator|organizer|panelist")
      ->required()
      ->check(CLI::IsMember({"moderator", "organizer", "panelist"}));
  uadd->add_flag("--password-stdin", password_stdin, "Read the password from stdin");
  auto* ulist = user->add_subcommand("list", "List staff accounts");
  ulist->fallthrough();
  ulist->add_flag("--json", cli.json_out, "Print JSON");
  auto* udisable = user->add_subcommand("disable", "Disable an account and end its sessions");
  udisable->fallthrough();
  udisable->add_option("name", user_name, "Login name")->required();

  // export (server/export_cli)
  ExportCliOptions export_opts;
  auto* export_cmd = add_export_command(app, export_opts);
  // terms (server/term_cli)
  TermsCliOptions terms_opts;
  auto* terms_cmd = add_terms_command(app, terms_opts);
  auto* keys = app.add_subcommand("config-keys", "Print every configuration key with its default");
  keys->fallthrough();
  bool keys_markdown = false;
  keys->add_flag("--markdown", keys_markdown, "As a Markdown table (for docs/configuration.md)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  auto loaded = cli.load();
  if (!loaded) {
    std::fprintf(stderr, "forumcast: configuration: %s\n", loaded.error().message.c_str());
    return 2;
  }
  const Config& cfg = *loaded;
  if (Status st = setup_logging(cfg.server.log_format, cfg.server.log_level); !st)
    return fail(st.error().message);

  if (keys->parsed()) {
    if (keys_markdown)
      std::printf("| key | type | default | meaning |\n| --- | --- | --- | --- |\n");
    for (const auto& k : config_keys()) {
      if (keys_markdown)
        std::printf("| `%s` | %s | `%s` | %s |\n", k.key.c_str(), k.type.c_str(),
                    k.default_value.c_str(), k.help.c_str());
      else
        std::printf("%-36s %-12s %s\n", k.key.c_str(), k.type.c_str(), k.default_value.c_str());
    }
    return 0;
  }
  if (serve->parsed()) return run_serve(cfg, serve_opts);

  if (!crypto_init()) return fail("libsodium failed to initialise");
  auto opened = open_configured_store(cfg);
  if (!opened) return fail("cannot open " + cfg.db_path() + ": " + opened.error().message);
  Store& store = **opened;
  SystemClock& clock = SystemClock::instance();
  const std::string base = cfg.base_url();
  if (size_t colon = cfg.stream.rtmp_listen.rfind(':'); colon != std::string::npos)
    set_rtmp_url_port(std::stoi(cfg.stream.rtmp_listen.substr(colon + 1)));  // validated
  set_srt_urls_enabled(cfg.stream.enabled && srt_port_range(cfg.stream.srt_ports).has_value());

  if (export_cmd->parsed()) return run_export_command(store, clock, export_opts);
  if (auto rc = run_forum_program_commands(store, clock, cfg, program_opts)) return *rc;
  if (terms_cmd->parsed()) return run_terms_command(*terms_cmd, store, clock, cfg, terms_opts);
  if (fcreate->parsed()) {
    auto f = create_forum(store, clock, nf, "cli");
    if (!f) return fail(f.error().message);
    if (cli.json_out)
      std::printf("%s\n", forum_json(*f, base).dump(2).c_str());
    else
      print_forum(*f, base);
    return 0;
  }
  if (flist->parsed()) {
    auto list = store.forums().list_forums();
    if (!list) return fail(list.error().message);
    if (cli.json_out) {
      json arr = json::array();
      for (const Forum& f : *list) arr.push_back(forum_json(f, base));
      std::printf("%s\n", arr.dump(2).c_str());
    } else {
      for (const Forum& f : *list)
        std::printf("%-10s  %-10s  %-25s  %s\n", f.id.c_str(),
                    std::string(to_string(f.state)).c_str(), f.starts_at.c_str(), f.title.c_str());
    }
    return 0;
  }
  if (fshow->parsed()) {
    auto f = store.forums().get_forum(forum_id);
    if (!f) return fail(f.error().message);
    if (cli.json_out)
      std::printf("%s\n", forum_json(*f, base).dump(2).c_str());
    else
      print_forum(*f, base);
    return 0;
  }
  if (frotate->parsed()) {  // server/stream_wiring
    auto key = rotate_stream_key(store, forum_id);
    if (!key) return fail(key.error().message);
    auto f = store.forums().get_forum(forum_id);
    if (!f) return fail(f.error().message);
    if (cli.json_out)
      std::printf("%s\n", forum_json(*f, base).dump(2).c_str());
    else
      print_forum(*f, base);
    return 0;
  }
  if (fstate->parsed()) {
    auto st = forum_state_from_string(forum_state);
    if (!st) {
      std::fprintf(stderr, "forumcast: state must be draft, collecting, live, ended or archived\n");
      return 2;
    }
    auto f = set_forum_state(store, clock, forum_id, *st, "cli");
    if (!f) return fail(f.error().message);
    std::printf("forum %s is now %s\n", f->id.c_str(), std::string(to_string(f->state)).c_str());
    return 0;
  }
  if (uadd->parsed()) {
    std::string password;
    if (password_stdin) {
      if (!std::getline(std::cin, password)) return fail("no password on stdin");
      while (!password.empty() && password.back() == '\r') password.pop_back();
    } else {
      auto a = prompt_hidden("Password: ");
      if (!a) return fail("no terminal to ask for a password; use --password-stdin");
      auto b = prompt_hidden("Password again: ");
      if (!b || *a != *b) return fail("the passwords differ");
      password = *a;
    }
    auto a = add_account(store, clock, user_name, *role_from_string(user_role), password,
                         static_cast<size_t>(cfg.auth.password_min_chars), "cli");
    if (!a) return fail(a.error().message);
    std::printf("user %s added (%s)\n", a->name.c_str(), std::string(to_string(a->role)).c_str());
    return 0;
  }
  if (ulist->parsed()) {
    auto list = store.accounts().list_accounts();
    if (!list) return fail(list.error().message);
    if (cli.json_out) {
      json arr = json::array();
      for (const Account& a : *list)
        arr.push_back({{"name", a.name},
                       {"role", std::string(to_string(a.role))},
                       {"disabled", a.disabled},
                       {"created_at", format_rfc3339(a.created_ms)}});
      std::printf("%s\n", arr.dump(2).c_str());
    } else {
      for (const Account& a : *list)
        std::printf("%-20s  %-10s  %s\n", a.name.c_str(), std::string(to_string(a.role)).c_str(),
                    a.disabled ? "disabled" : "active");
    }
    return 0;
  }
  if (udisable->parsed()) {
    Status st = disable_account(store, clock, user_name, "cli");
    if (!st) return fail(st.error().message);
    std::printf("user %s disabled; their sessions are revoked\n", user_name.c_str());
    return 0;
  }
  return 2;
}

}  // namespace forumcast
