// server/serve.cpp: see serve.hpp. Signals: SIGINT/SIGTERM are blocked in every
// thread and taken by one signal thread (sigwait), which asks the loop to stop;
// a second signal exits at once. Shutdown order: the loop stops accepting and
// closes WebSockets with 1001, the worker finishes, the store flushes and closes.
#include "server/serve.hpp"

#include <pthread.h>
#include <signal.h>

#include <spdlog/spdlog.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "chat/chat_ws.hpp"
#include "chat/protocol.hpp"
#include "core/clock.hpp"
#include "net/loop.hpp"
#include "server/admin.hpp"
#include "server/auth.hpp"
#include "server/demo.hpp"
#include "server/forum_program_routes.hpp"
#include "server/http_api.hpp"
#include "server/store_open.hpp"
#include "server/stream_wiring.hpp"
#include "server/ticket_routes.hpp"
#include "server/webhook_worker.hpp"
#include "server/worker.hpp"
#include "server/ws_placeholder.hpp"

namespace forumcast {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);  // internal: ends the signal thread
  return set;
}

Status write_ready_file(const std::string& path, int port, int rtmp_port) {
  nlohmann::json j = {{"http_port", port},
                      {"url", "http://127.0.0.1:" + std::to_string(port) + "/"},
                      {"rtmp_port", rtmp_port}};
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return make_error("ready_file", "cannot write " + tmp);
    out << j.dump() << "\n";
    if (!out.flush()) return make_error("ready_file", "cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return make_error("ready_file", "cannot rename to " + path + ": " + ec.message());
  return ok_status();
}

void print_urls(const std::string& base, const DemoInfo* demo) {
  std::printf("forumcast %s is running.\n", kVersion);
  std::printf("  landing page:   %s/\n", base.c_str());
  std::printf("  staff login:    %s/login\n", base.c_str());
  if (demo) {
    ForumUrls u = forum_urls(base, demo->forum);
    std::printf("demo forum \"%s\" (%s):\n", demo->forum.title.c_str(),
                std::string(to_string(demo->forum.state)).c_str());
    std::printf("  resident page:  %s\n", u.resident.c_str());
    std::printf("  moderator page: %s\n", u.moderator.c_str());
    std::printf("  HLS playlist:   %s\n", u.hls.c_str());
    std::printf("  RTMP push:      %s\n", u.rtmp.c_str());
    if (!u.srt.empty()) std::printf("  SRT push:       %s\n", u.srt.c_str());
    std::printf("demo accounts (one-time passwords, new on every --demo start):\n");
    std::printf("  moderator  %-9s %s\n", demo->moderator_name.c_str(),
                demo->moderator_password.c_str());
    std::printf("  organizer  %-9s %s\n", demo->organizer_name.c_str(),
                demo->organizer_password.c_str());
  }
  std::printf("Press Ctrl-C to stop.\n");
  std::fflush(stdout);
}

chat::ChatLimits chat_limits(const Config& c) {
  chat::ChatLimits l;
  l.max_frame_bytes = static_cast<size_t>(c.limits.ws_message_max_bytes);
  l.max_connections = static_cast<size_t>(c.limits.max_connections);
  l.max_connections_per_ip = static_cast<size_t>(c.limits.max_connections_per_ip);
  l.idle_timeout_s = c.limits.idle_timeout_s;
  l.comment_max_chars = static_cast<size_t>(c.chat.comment_max_chars);
  l.name_max_chars = l.place_max_chars = static_cast<size_t>(c.chat.name_max_chars);
  l.history_events = static_cast<size_t>(c.chat.history_events);
  l.retain_events = static_cast<size_t>(c.chat.retain_events);
  l.send_queue_bytes = static_cast<size_t>(c.chat.send_queue_bytes);
  l.write_max_bytes = static_cast<size_t>(c.chat.write_max_bytes);
  l.presence_interval_ms = c.chat.presence_interval_ms;
  l.comment_burst = static_cast<double>(c.chat.comment_burst);
  l.comment_refill_ms = c.chat.comment_refill_ms;
  return l;
}

// The chat's view of auth and policy. A device token must name a resident and a
// session token a staff member. Resident identities are cached on the loop thread
// (bounded) so that a join storm does not become a storm of store reads.
chat::ChatHooks chat_hooks(Auth& auth) {
  chat::ChatHooks h;
  auto cache = std::make_shared<std::unordered_map<std::string, chat::Identity>>();
  h.authenticate = [&auth, cache](const chat::JoinOp& op) -> Result<chat::Identity> {
    const bool resident = !op.device.empty();
    if (resident) {
      auto hit = cache->find(op.device);
      if (hit != cache->end()) return hit->second;
    }
    Principal p = auth.identify(resident ? op.device : op.session);
    if (p.caller == Caller::anonymous || (p.caller == Caller::resident) != resident)
      return make_error("forbidden", resident ? "unknown device token" : "not a staff session");
    chat::Identity id;
    switch (p.caller) {
      case Caller::panelist:
        id.role = Role::panelist;
        break;
      case Caller::moderator:
        id.role = Role::moderator;
        break;
      case Caller::organizer:
        id.role = Role::organizer;
        break;
      default:
        id.role = Role::resident;
        break;
    }
    id.key = resident ? "dev:" + p.token_hash : "staff:" + p.name;
    id.name = p.name;
    if (resident) {
      if (cache->size() >= 100000) cache->clear();
      cache->emplace(op.device, id);
    }
    return id;
  };
  h.allowed = [](Role r, std::string_view op) {
    auto action = action_for_ws_op(op);
    return action && allowed(caller_for(r), *action);
  };
  return h;
}

}  // namespace

int run_serve(const Config& config, const ServeOptions& options) {
  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  if (!crypto_init()) {
    spdlog::error("libsodium failed to initialise");
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(config.server.data_dir, ec);
  auto opened = open_configured_store(config);
  if (!opened) {
    spdlog::error("cannot open the store {}: {}", config.db_path(), opened.error().message);
    return 1;
  }
  std::unique_ptr<Store> store = std::move(opened.value());
  SystemClock& clock = SystemClock::instance();

  std::optional<DemoInfo> demo;
  if (options.demo) {
    auto d = ensure_demo(*store, clock);
    if (!d) {
      spdlog::error("cannot set up the demo: {}", d.error().message);
      return 1;
    }
    demo = std::move(d.value());
  }

  Auth auth(*store, clock, config.auth.session_ttl_hours * 3600 * 1000);
  RateLimiter login_limiter(clock, config.limits.login_attempts_per_minute, 60'000);
  int actual_port = config.listen_port();
  int64_t started = clock.monotonic_ms();
  net::HttpRouter router;
  StreamWiring streams(config, *store);  // outlives the chat, which asks it for stream_ms
  chat::ChatHooks hooks = chat_hooks(auth);
  hooks.stream_ms = [&streams](const std::string& f) { return streams.stream_ms(f); };
  chat::ChatWsEndpoint ws_handler(chat_limits(config), *store, clock, std::move(hooks));

  net::LoopOptions lo;
  lo.host = config.listen_host();
  lo.port = config.listen_port();
  lo.web_root = config.server.web_root;
  lo.http_body_max_bytes = static_cast<size_t>(config.limits.http_body_max_bytes);
  lo.http_header_max_bytes = static_cast<size_t>(config.limits.http_header_max_bytes);
  lo.ws_message_max_bytes = static_cast<size_t>(config.limits.ws_message_max_bytes);
  lo.ws_rx_chunk_bytes = static_cast<size_t>(config.limits.ws_rx_chunk_bytes);
  lo.ws_send_queue_max_bytes = static_cast<size_t>(config.limits.ws_send_queue_max_bytes);
  lo.max_connections = static_cast<int>(config.limits.max_connections);
  lo.max_connections_per_ip = static_cast<int>(config.limits.max_connections_per_ip);
  lo.idle_timeout_s = static_cast<int>(config.limits.idle_timeout_s);
  lo.shutdown_grace_ms = static_cast<int>(config.limits.shutdown_grace_ms);
  lo.allowed_origins = config.server.allowed_origins;
  if (!config.server.public_url.empty()) lo.allowed_origins.push_back(config.base_url());

  {
    // Order matters: the worker (whose jobs answer through the loop) is destroyed
    // before the loop.
    net::Loop loop(lo, router, &ws_handler);
    Worker worker;
    Worker export_worker;  // transcripts and figures (server/export_routes); goes first
    ApiContext api{*store,        auth,
                   config,        clock,
                   login_limiter, worker,
                   started,       [&config, &actual_port] { return config.base_url(actual_port); }};
    // Follow-through settings and hooks ([ticket], [webhook], [forum], [export]).
    followup_runtime() = followup_runtime_from(config);
    followup_runtime().export_worker = &export_worker;
    register_http_api(router, api);
    streams.register_routes(router, auth, worker);
    // Delivers the persisted webhook outbox (rows survive a restart); its own thread.
    WebhookWorker webhooks(*store, clock, webhook_worker_options(config));
    followup_runtime().poke_webhooks = [&webhooks] { webhooks.poke(); };
    // The agenda item under discussion, pushed to a forum's viewers (agenda_current).
    followup_runtime().publish = [&loop, &ws_handler](const std::string& forum,
                                                      const std::string& ev) {
      loop.defer([&ws_handler, forum, ev]() mutable { ws_handler.publish_forum(forum, ev); });
    };
    // Closes tickets left `resolved` past the configured days (hourly sweep below).
    TicketRoutesContext ticket_sweep{*store,
                                     clock,
                                     followup_runtime().tickets,
                                     followup_runtime().webhook_retry,
                                     [&webhooks] { webhooks.poke(); },
                                     {}};

    Status listening = loop.listen();
    if (!listening) {
      spdlog::error("{}", listening.error().message);
      return 1;
    }
    actual_port = loop.port();
    // Stream health to the forum's staff over the WebSocket (event stream_health).
    streams.on_health([&loop, &ws_handler](const std::string& forum, std::string ev) {
      loop.defer([&ws_handler, forum, ev = std::move(ev)]() mutable {
        ws_handler.publish_staff(forum, std::move(ev));
      });
    });
    Status rtmp = streams.start(
        loop, worker, demo ? std::optional<std::string>(demo->forum.stream_key) : std::nullopt);
    if (!rtmp) {
      spdlog::error("{}", rtmp.error().message);
      return 1;
    }
    if (streams.enabled()) set_rtmp_url_port(streams.rtmp_port());
    set_srt_urls_enabled(streams.srt_enabled());
    // start() assigned SRT ports: the demo forum's URLs show its own.
    if (demo)
      if (auto f = store->forums().get_forum(demo->forum.id)) demo->forum = f.value();
    webhooks.start();
    ws_handler.attach(loop);
    spdlog::info("listening on {}:{} (web root {}, data {})", lo.host, actual_port,
                 lo.web_root.empty() ? "-" : lo.web_root, config.server.data_dir);
    // URLs first: the ready file tells scripts that everything is printed too.
    print_urls(config.base_url(actual_port), demo ? &*demo : nullptr);
    if (!options.ready_file.empty()) {
      Status st = write_ready_file(options.ready_file, actual_port, streams.rtmp_port());
      if (!st) {
        spdlog::error("{}", st.error().message);
        return 1;
      }
    }

    // Expired staff sessions are deleted, and resolved tickets past their rating
    // window closed, at start and then hourly, off the loop thread.
    std::function<void()> sweep_sessions;
    sweep_sessions = [&] {
      worker.post([&store, &clock, &ticket_sweep] {
        (void)store->sessions().delete_expired_sessions(clock.wall_ms());
        (void)close_due_tickets(ticket_sweep);
      });
      loop.add_timer(3600 * 1000, sweep_sessions);
    };
    sweep_sessions();

    std::thread signal_thread([&loop, signals] {
      int stops = 0;
      for (;;) {
        int sig = 0;
        if (sigwait(&signals, &sig) != 0) continue;
        if (sig == SIGUSR1) return;
        if (++stops > 1) {
          spdlog::warn("second stop signal: exiting now");
          std::_Exit(1);
        }
        spdlog::info("{} received: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
        loop.stop();
      }
    });

    loop.run();
    followup_runtime().publish = nullptr;  // the loop and the worker go below
    followup_runtime().poke_webhooks = nullptr;
    followup_runtime().export_worker = nullptr;  // queued exports still finish below
    streams.stop();   // publishers and the demo source end before the loop goes
    webhooks.stop();  // finishes a delivery in flight (bounded by webhook.timeout_ms)
    ws_handler.detach();
    spdlog::info("network loop stopped");
    pthread_kill(signal_thread.native_handle(), SIGUSR1);
    signal_thread.join();
  }  // the worker finishes its jobs here, then the loop goes
  store->flush();
  store.reset();
  spdlog::info("stopped cleanly");
  spdlog::default_logger()->flush();
  return 0;
}

}  // namespace forumcast
