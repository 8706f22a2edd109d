// stream/rtmp/rtmp_server.hpp: the RTMP front's sockets: one thread, one epoll
// set, a listening TCP socket and every publisher connection, each driven by an
// RtmpSession. It enforces the connection-level bounds (connection count,
// handshake and idle timeouts, output size) and TCP back-pressure (a
// connection whose FlvFeed is full is not read until it drains). What a
// publish means (which forum, takeover, the ingest thread) is the owner's
// business, through Hooks.
// Thread: all methods but start/stop/request_close/port run on the RTMP thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "stream/flv_feed.hpp"
#include "stream/rtmp/chunk_stream.hpp"

namespace forumcast::stream::rtmp {

class RtmpSession;

struct RtmpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string app = "live";
  ChunkLimits limits;
  int max_connections = 64;
  int handshake_timeout_ms = 5000;
  int idle_timeout_ms = 10000;
};

class RtmpServer {
 public:
  struct Hooks {
    // A publish was requested: authenticate and, if allowed, return the feed
    // that receives its media. Runs on the RTMP thread.
    std::function<Result<std::shared_ptr<FlvFeed>>(uint64_t conn, const std::string& remote,
                                                   const std::string& key)>
        on_publish;
    // A connection closed (after on_publish succeeded or not). reason is a code + message.
    std::function<void(uint64_t conn, const std::string& remote, const std::string& reason,
                       bool was_publishing)>
        on_closed;
  };
  RtmpServer(RtmpServerOptions opts, Hooks hooks, const Clock* clock);
  ~RtmpServer();

  Result<int> start();  // binds, listens, starts the thread; returns the port
  void stop();          // closes every connection (on_closed for each) and joins
  int port() const { return port_.load(); }
  // Thread-safe: closes a connection on the next loop pass.
  void request_close(uint64_t conn, std::string reason);

 private:
  struct Conn;
  void run();
  void accept_all();
  void on_readable(Conn& c);
  void flush(Conn& c);
  void close_conn(uint64_t id, const std::string& reason, bool linger = false);
  void sweep(int64_t now);

  RtmpServerOptions opts_;
  Hooks hooks_;
  const Clock* clock_;
  int listen_fd_ = -1, epoll_fd_ = -1, wake_fd_ = -1;
  std::atomic<int> port_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Conn>> conns_;  // RTMP thread only
  std::mutex close_mu_;
  std::vector<std::pair<uint64_t, std::string>> close_requests_;  // guarded by close_mu_
};

}  // namespace forumcast::stream::rtmp
