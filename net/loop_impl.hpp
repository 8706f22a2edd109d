// net/loop_impl.hpp: Loop's private state and the lws glue shared by loop.cpp,
// http_transport.cpp and ws_transport.cpp. Internal to net/: the only header
// that includes <libwebsockets.h>.
//
// Threading: everything here belongs to the service thread except `deferred`
// (guarded by `deferred_mu`) and `stop_requested` (atomic).
#pragma once

#include <libwebsockets.h>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "net/loop.hpp"

struct ev_loop;  // libev's loop (net/loop.cpp includes <ev.h>)

namespace forumcast::net {

// One HTTP transaction (request in, response out) on a connection.
struct HttpSession {
  uint64_t id = 0;
  lws* wsi = nullptr;
  HttpRequest req;
  size_t declared_length = 0;
  bool discard_body = false;  // 413 already decided; ignore the rest
  bool dispatched = false;
  bool head_only = false;
  std::optional<HttpResponse> resp;
  int stage = 0;  // 0: headers to write, 1: body to write, 2: file being streamed
  size_t body_off = 0;
  bool close_after = false;
};

class WsConn;

struct TimerSul {  // standard layout: lws hands back &sul, we need the owner
  lws_sorted_usec_list_t sul;
  void* owner;
};
struct Timer {
  TimerSul s{};
  Loop::Impl* impl = nullptr;
  uint64_t id = 0;
  std::function<void()> fn;
};

struct Loop::Impl {
  Impl(LoopOptions o, const HttpRouter& r, WsHandler* w)
      : opts(std::move(o)), router(r), ws_handler(w) {}

  LoopOptions opts;
  const HttpRouter& router;
  WsHandler* ws_handler;

  lws_context* ctx = nullptr;
  // The libev loop (epoll) lws runs on, owned here and passed as a foreign loop.
  struct ev_loop* ev = nullptr;
  int port = 0;
  std::vector<lws_protocols> protocols;
  std::vector<lws_protocol_vhost_options> security_headers;
  // Idle WebSockets (ws_transport.cpp): pinged after ping_after_ms without input,
  // hung up after hangup_after_ms. One sweep a second over all connections instead
  // of lws's per-connection validity timers, whose sorted-list insert is O(n) per
  // connection (quadratic connect time at 10,000 viewers).
  int64_t ping_after_ms = 30'000;
  int64_t hangup_after_ms = 60'000;
  TimerSul idle_tick{};
  lws_retry_bo_t no_validity{};
  void sweep_idle();
  std::string iface;

  std::atomic<bool> stop_requested{false};
  bool stopping = false;  // service thread's view: shutdown in progress
  int64_t stop_deadline_ms = 0;
  TimerSul stop_tick{};

  std::mutex deferred_mu;
  std::vector<std::function<void()>> deferred;
  std::atomic<bool> running{false};
  std::thread::id service_thread;

  uint64_t next_id = 1;
  std::unordered_map<uint64_t, HttpSession*> http_sessions;
  std::unordered_map<uint64_t, WsConn*> ws_conns;
  std::unordered_map<std::string, int> ws_per_ip;
  std::unordered_map<uint64_t, std::unique_ptr<Timer>> timers;

  bool on_service_thread() const { return std::this_thread::get_id() == service_thread; }
  void drain_deferred();
  void begin_stop();

  // Transport entry points (lws callback reasons routed by loop.cpp).
  int http_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  int ws_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  int confirm_upgrade(lws* wsi, const char* protocol);
  void deliver(uint64_t session_id, HttpResponse r);
  void close_all_ws(uint16_t code, const char* reason);
};

Loop::Impl* impl_of(lws* wsi);
std::string header_value(lws* wsi, lws_token_indexes t);
std::string peer_ip_of(lws* wsi);
int64_t monotonic_ms_now();

}  // namespace forumcast::net
