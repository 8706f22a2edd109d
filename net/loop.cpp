// net/loop.cpp: the lws context and its service loop: creation and binding,
// security headers on every response, the cross-thread defer queue (drained in
// LWS_CALLBACK_EVENT_WAIT_CANCELLED), timers (lws sul) and graceful stop.
// lws runs on a libev loop that forumcast owns (a "foreign loop", epoll backend),
// not on lws's default poll(): poll() rescans every socket per wake-up, which at
// 10,000 viewers cost more than the fan-out itself (docs/benchmarks.md).
// Request handling is in http_transport.cpp, WebSockets in ws_transport.cpp.
#include <ev.h>
#include <time.h>

#include <algorithm>
#include <cstring>

#include "net/loop_impl.hpp"

namespace forumcast::net {
namespace {

constexpr const char* kWsProtocol = "forumcast.v1";

// Applied by lws to every response it starts (routes, files, its own errors).
// Media may come from blob: (MSE players); WebSockets to the same host are covered
// by 'self' (CSP Level 3).
constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
    "font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

int callback_http(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) {
    Loop::Impl* impl = static_cast<Loop::Impl*>(lws_context_user(lws_get_context(wsi)));
    if (impl) impl->drain_deferred();
    return 0;
  }
  Loop::Impl* impl = impl_of(wsi);
  if (!impl) return lws_callback_http_dummy(wsi, reason, user, in, len);
  return impl->http_callback(wsi, reason, user, in, len);
}

int callback_ws(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) return 0;  // drained by protocols[0]
  Loop::Impl* impl = impl_of(wsi);
  if (!impl) return 0;
  return impl->ws_callback(wsi, reason, user, in, len);
}

void timer_fired(lws_sorted_usec_list_t* sul) {
  auto* t = static_cast<Timer*>(reinterpret_cast<TimerSul*>(sul)->owner);
  Loop::Impl* impl = t->impl;
  // Take the function and forget the timer before calling it, so that fn may
  // add (re-arm) or cancel timers freely.
  std::function<void()> fn = std::move(t->fn);
  impl->timers.erase(t->id);
  if (fn) fn();
}

void stop_tick_fired(lws_sorted_usec_list_t* sul) {
  auto* ts = reinterpret_cast<TimerSul*>(sul);
  auto* impl = static_cast<Loop::Impl*>(ts->owner);
  // Keeps the service loop turning during shutdown so run() can check its deadline.
  lws_sul_schedule(impl->ctx, 0, &impl->stop_tick.sul, stop_tick_fired, 50 * LWS_US_PER_MS);
}

}  // namespace

Loop::Impl* impl_of(lws* wsi) {
  lws_context* ctx = lws_get_context(wsi);
  return ctx ? static_cast<Loop::Impl*>(lws_context_user(ctx)) : nullptr;
}

std::string header_value(lws* wsi, lws_token_indexes t) {
  int n = lws_hdr_total_length(wsi, t);
  if (n <= 0) return {};
  std::string s(static_cast<size_t>(n) + 1, '\0');
  int got = lws_hdr_copy(wsi, s.data(), n + 1, t);
  if (got < 0) return {};
  s.resize(static_cast<size_t>(got));
  return s;
}

std::string peer_ip_of(lws* wsi) {
  char buf[64] = {0};
  lws_get_peer_simple(wsi, buf, sizeof buf);
  std::string ip(buf);
  if (ip.rfind("::ffff:", 0) == 0) ip = ip.substr(7);  // v4-mapped
  return ip;
}

namespace {
constexpr int64_t kIdleSweepMs = 1000;

void idle_tick_fired(lws_sorted_usec_list_t* sul) {
  auto* m = static_cast<Loop::Impl*>(reinterpret_cast<TimerSul*>(sul)->owner);
  m->sweep_idle();
  lws_sul_schedule(m->ctx, 0, &m->idle_tick.sul, idle_tick_fired, kIdleSweepMs * LWS_US_PER_MS);
}
}  // namespace

int64_t monotonic_ms_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

void Loop::Impl::drain_deferred() {
  for (;;) {
    std::vector<std::function<void()>> batch;
    {
      std::lock_guard<std::mutex> lock(deferred_mu);
      batch.swap(deferred);
    }
    if (batch.empty()) break;
    for (auto& fn : batch) fn();
  }
}

void Loop::Impl::begin_stop() {
  if (stopping) return;
  stopping = true;
  stop_deadline_ms = monotonic_ms_now() + opts.shutdown_grace_ms;
  close_all_ws(close_code::going_away, "server shutting down");
  stop_tick.owner = this;
  lws_sul_schedule(ctx, 0, &stop_tick.sul, stop_tick_fired, 50 * LWS_US_PER_MS);
}

Loop::Loop(LoopOptions opts, const HttpRouter& router, WsHandler* ws)
    : impl_(std::make_unique<Impl>(std::move(opts), router, ws)) {}

Loop::~Loop() {
  if (impl_->ctx) {
    lws_context_destroy(impl_->ctx);
    impl_->ctx = nullptr;
  }
  if (impl_->ev) {
    ev_loop_destroy(impl_->ev);
    impl_->ev = nullptr;
  }
}

Status Loop::listen() {
  Impl& m = *impl_;
  lws_set_log_level(LLL_ERR, nullptr);

  m.protocols.clear();
  lws_protocols http{};
  http.name = "http";
  http.callback = callback_http;
  http.per_session_data_size = sizeof(void*);
  m.protocols.push_back(http);
  if (m.ws_handler) {
    lws_protocols ws{};
    ws.name = kWsProtocol;
    ws.callback = callback_ws;
    ws.per_session_data_size = 0;  // WsConn is the wsi's opaque user data
    ws.rx_buffer_size = m.opts.ws_rx_chunk_bytes;  // a chunk, not a message limit (loop.hpp)
    m.protocols.push_back(ws);
  }
  m.protocols.push_back(lws_protocols{});  // terminator

  static const struct {
    const char* name;
    const char* value;
  } kHeaders[] = {
      {"content-security-policy:", kCsp},
      {"x-content-type-options:", "nosniff"},
      {"referrer-policy:", "same-origin"},
      {"x-frame-options:", "DENY"},
  };
  m.security_headers.assign(std::size(kHeaders), lws_protocol_vhost_options{});
  for (size_t i = 0; i < std::size(kHeaders); ++i) {
    m.security_headers[i].name = kHeaders[i].name;
    m.security_headers[i].value = kHeaders[i].value;
    m.security_headers[i].next = i + 1 < std::size(kHeaders) ? &m.security_headers[i + 1] : nullptr;
  }

  int64_t idle_ms = std::max<int64_t>(2, m.opts.idle_timeout_s) * 1000;
  m.ping_after_ms = idle_ms / 2;
  m.hangup_after_ms = idle_ms;

  lws_context_creation_info info{};
  info.port = m.opts.port;
  if (m.opts.host == "0.0.0.0") {
    info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
  } else if (m.opts.host != "::" && !m.opts.host.empty()) {
    m.iface = m.opts.host;
    info.iface = m.iface.c_str();
    if (m.opts.host.find(':') == std::string::npos) info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
  }
  info.protocols = m.protocols.data();
  info.headers = m.security_headers.data();
  info.user = &m;
  info.options |= LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_EXPLICIT_VHOSTS |
                  LWS_SERVER_OPTION_LIBEV;
  m.ev = ev_loop_new(EVBACKEND_EPOLL | EVFLAG_NOSIGMASK);
  if (!m.ev) return make_error("listen", "cannot create the event loop (epoll)");
  void* foreign[] = {m.ev};
  info.foreign_loops = foreign;
  info.max_http_header_data =
      static_cast<unsigned short>(std::min<size_t>(m.opts.http_header_max_bytes, 65535));
  // No fd_limit_per_thread: with it, lws 4.1 looks up a socket's wsi by scanning every
  // slot (wsi_from_fd, "unrelated to ulimit" mode): O(connections) per event, which
  // made fan-out to 10,000 viewers quadratic. Without it lws sizes its fd-indexed
  // table from RLIMIT_NOFILE, which is what bounds connections anyway.
  // A policy with no validity timers: lws would otherwise keep one per connection
  // (its default is a ping after 300 s), and those are what we replace (sweep_idle).
  info.retry_and_idle_policy = &m.no_validity;
  info.vhost_name = "forumcast";
  info.timeout_secs = 10;
  info.keepalive_timeout = 10;

  m.ctx = lws_create_context(&info);
  if (!m.ctx) {
    ev_loop_destroy(m.ev);
    m.ev = nullptr;
    return make_error("listen", "cannot create the network context");
  }
  lws_vhost* vh = lws_create_vhost(m.ctx, &info);
  if (!vh) {
    lws_context_destroy(m.ctx);
    m.ctx = nullptr;
    ev_loop_destroy(m.ev);
    m.ev = nullptr;
    return make_error("listen", "cannot listen on " + m.opts.host + ":" +
                                    std::to_string(m.opts.port) + " (port in use?)");
  }
  m.port = lws_get_vhost_listen_port(vh);
  return ok_status();
}

int Loop::port() const {
  return impl_->port;
}

void Loop::run() {
  Impl& m = *impl_;
  if (!m.ctx) return;
  m.service_thread = std::this_thread::get_id();
  m.running = true;
  m.drain_deferred();
  m.idle_tick.owner = &m;
  lws_sul_schedule(m.ctx, 0, &m.idle_tick.sul, idle_tick_fired, kIdleSweepMs * LWS_US_PER_MS);
  for (;;) {
    if (m.stop_requested.load() && !m.stopping) m.begin_stop();
    if (m.stopping) {
      bool idle = m.ws_conns.empty() && m.http_sessions.empty();
      if (idle || monotonic_ms_now() >= m.stop_deadline_ms) break;
    }
    // One pass: waits for at least one event (sockets, lws's timers, a cancel),
    // handles what is ready, returns so the stop conditions above are re-checked.
    ev_run(m.ev, EVRUN_ONCE);
  }
  lws_sul_cancel(&m.stop_tick.sul);
  lws_sul_cancel(&m.idle_tick.sul);
  for (auto& [id, t] : m.timers) lws_sul_cancel(&t->s.sul);
  m.timers.clear();
  // Closes what is left; CLOSED callbacks still reach the handlers here.
  lws_context* ctx = nullptr;
  {
    std::lock_guard<std::mutex> lock(m.deferred_mu);
    ctx = m.ctx;
    m.ctx = nullptr;  // from now on defer() only queues
  }
  lws_context_destroy(ctx);
  ev_loop_destroy(m.ev);
  m.ev = nullptr;
  {
    std::lock_guard<std::mutex> lock(m.deferred_mu);
    m.deferred.clear();  // nothing can run them any more
  }
  m.running = false;
}

void Loop::stop() {
  impl_->stop_requested = true;
  std::lock_guard<std::mutex> lock(impl_->deferred_mu);
  if (impl_->ctx) lws_cancel_service(impl_->ctx);
}

bool Loop::stopping() const {
  return impl_->stop_requested.load();
}

void Loop::defer(std::function<void()> fn) {
  // ctx is read under the lock: run() clears it under the same lock.
  std::lock_guard<std::mutex> lock(impl_->deferred_mu);
  impl_->deferred.push_back(std::move(fn));
  if (impl_->ctx) lws_cancel_service(impl_->ctx);
}

uint64_t Loop::add_timer(int64_t delay_ms, std::function<void()> fn) {
  Impl& m = *impl_;
  if (!m.ctx) return 0;
  auto t = std::make_unique<Timer>();
  t->id = m.next_id++;
  uint64_t id = t->id;
  t->impl = &m;
  t->fn = std::move(fn);
  t->s.owner = t.get();
  lws_sul_schedule(m.ctx, 0, &t->s.sul, timer_fired,
                   static_cast<lws_usec_t>(std::max<int64_t>(0, delay_ms)) * LWS_US_PER_MS);
  m.timers.emplace(id, std::move(t));
  return id;
}

void Loop::cancel_timer(uint64_t id) {
  auto it = impl_->timers.find(id);
  if (it == impl_->timers.end()) return;
  lws_sul_cancel(&it->second->s.sul);
  impl_->timers.erase(it);
}

size_t Loop::ws_count() const {
  return impl_->ws_conns.size();
}

}  // namespace forumcast::net
