// server/stream_wiring.hpp: plugs the stream module (stream/stream_service.hpp)
// into `forumcast serve`: builds the StreamService from the [stream] config with
// a stream-key authenticator over the store, registers the media routes
// (server/media_routes.cpp: /hls/*, /rec/*, the MP4 download and the staff
// stream API), runs retention pruning hourly and the demo source for --demo.
// What a route answers is in docs/streaming.md; the video itself is stream/'s.
//
// Health: on_health() hands each forum's health to the server, which pushes it to
// the forum's staff over the WebSocket (event stream_health).
//
// Forum lifecycle: every 2 s the worker reads the forums; a forum whose stream
// key changed (`forum rotate-key` from the CLI) has its publisher closed; one that
// became ended or archived (by HTTP or the CLI) is finished (svc.finish: ENDLIST,
// the recording turns VOD); at start, ended forums whose recording playlist has
// no ENDLIST yet are finished too.
//
// SRT (docs/streaming.md, "SRT"): with stream.srt_ports set, the same watch gives
// every forum that can stream (draft, collecting, live) a UDP port of that range
// (the lowest free one, stored with the forum so it survives restarts) and keeps
// one SRT listener on it whose passphrase is the forum's stream key; a new key
// restarts the listener (the old passphrase stops at once), an ended or archived
// forum's listener is stopped and its port released. start() runs the first
// watch before returning, so the URLs printed at start carry the ports.
//
// Threads: construct, register_routes and start on the main thread before or
// right after Loop::listen; stop() after Loop::run() returns (before the loop and
// the worker go). stream_ms() is thread-safe (the chat calls it on the loop).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "net/http.hpp"
#include "server/auth.hpp"
#include "server/config.hpp"
#include "server/worker.hpp"
#include "store/store.hpp"

namespace forumcast {
namespace net {
class Loop;
}

class StreamWiring {
 public:
  // Nothing listens yet. With stream.enabled false every route answers 404
  // stream_disabled and stream_ms() is always empty.
  StreamWiring(const Config& config, Store& store);
  ~StreamWiring();  // stop()
  StreamWiring(const StreamWiring&) = delete;
  StreamWiring& operator=(const StreamWiring&) = delete;

  bool enabled() const;
  // Before Loop::listen. auth and worker must outlive the router's use.
  void register_routes(net::HttpRouter& router, Auth& auth, Worker& worker);
  // Before start(): receives the stream_health event of each live forum every
  // stream.health_interval_ms (and once when it goes idle), as JSON text
  // {"ev":"stream_health","forum":..,"at":..,"health":{..}} (docs/protocol.md).
  // Called on the stream's health thread: hop to the loop before using it.
  using HealthSink = std::function<void(const std::string& forum_id, std::string event_json)>;
  void on_health(HealthSink sink);
  // After Loop::listen, on the loop's thread-to-be: binds RTMP (error
  // rtmp_listen_failed), arms the hourly prune, starts the demo source when
  // demo_stream_key is given and stream.demo_source is on.
  Status start(net::Loop& loop, Worker& worker, const std::optional<std::string>& demo_stream_key);
  // Stops the demo source, then the service. Idempotent.
  void stop();

  int rtmp_port() const;  // 0 when disabled or not started
  bool srt_enabled() const;  // stream enabled and stream.srt_ports not empty
  std::optional<int64_t> stream_ms(const std::string& forum_id) const;
  // A new stream key for the forum (stored at once: new publishes check the
  // store) and its current publisher closed. not_found for an unknown forum. Any thread.
  Result<std::string> rotate_key(const std::string& forum_id);
  // Closes a publisher (after a key rotation) / finishes the forum (ended). Any thread.
  void disconnect(const std::string& forum_id);
  void finish(const std::string& forum_id);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Key rotation for the CLI (no server needed: new publishes check the store).
Result<std::string> rotate_stream_key(Store& store, const std::string& forum_id);

}  // namespace forumcast
