// net/loop.hpp: the one event loop of the server: one libwebsockets context, one
// service thread (whoever calls run()), HTTP and WebSocket on one port.
// Standard library only; lws lives in net/*.cpp.
//
// Threading: construct, configure and listen() on one thread, then run() on the
// service thread. defer() and stop() are the only calls other threads may make.
// Timers, find_ws() and everything the handlers do run on the service thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "net/http.hpp"
#include "net/ws.hpp"

namespace forumcast::net {

struct LoopOptions {
  std::string host = "127.0.0.1";  // "0.0.0.0" (all IPv4), "::" (all), or an address
  int port = 8080;                 // 0: the kernel picks one; see Loop::port()
  std::string web_root;            // built web client; "" serves no static files
  size_t http_body_max_bytes = 65536;
  size_t http_header_max_bytes = 8192;
  size_t ws_message_max_bytes = 8192;
  // lws's receive buffer per WebSocket (allocated per connection). Measured on 1,000
  // viewers with 8 posters at 400 comments/s: 64-256 bytes starve posters (one
  // chunk per loop pass), 2048 keeps p99 fan-out ~50 ms (docs/benchmarks.md).
  size_t ws_rx_chunk_bytes = 2048;
  size_t ws_send_queue_max_bytes = 1 << 20;
  int max_connections = 10000;       // open WebSockets, all peers together
  int max_connections_per_ip = 200;  // open WebSockets from one address
  int idle_timeout_s = 60;           // WS: ping after half of it, hang up after it
  // Origins allowed to open /ws and to send cookie-authenticated requests, besides
  // the request's own Host ("http://host[:port]"). Exact match, no trailing '/'.
  std::vector<std::string> allowed_origins;
  int shutdown_grace_ms = 1000;  // how long stop() waits for WebSockets to close
};

class Loop {
 public:
  // router must outlive the loop; ws may be null (no /ws endpoint).
  Loop(LoopOptions opts, const HttpRouter& router, WsHandler* ws);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // Creates the context and binds. Error "listen" if the port cannot be bound.
  Status listen();
  int port() const;  // after listen()

  // Serves until stop(); then refuses new requests (503), closes every WebSocket
  // with 1001 going away, waits up to shutdown_grace_ms for them, and returns.
  void run();
  void stop();  // thread-safe, idempotent
  bool stopping() const;

  // Thread-safe: runs fn on the service thread, soon. The whole queue is drained
  // each time the loop wakes.
  void defer(std::function<void()> fn);

  // Service thread only. One-shot timer; fn runs on the service thread. Returns
  // an id for cancel_timer. Re-arm from fn for periodic work.
  uint64_t add_timer(int64_t delay_ms, std::function<void()> fn);
  void cancel_timer(uint64_t id);

  // Service thread only: the open connection with this id, or nullptr.
  WsConnection* find_ws(uint64_t id);
  size_t ws_count() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace forumcast::net
