// chat/chat_limits.hpp: every limit the chat relay enforces, with its default.
// The server fills this from its configuration ([chat] section, see
// docs/protocol.md "Limits" and docs/configuration.md); chat/ only reads it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace forumcast::chat {

struct ChatLimits {
  size_t max_frame_bytes = 8 * 1024;     // inbound message; larger -> close 1009
  size_t comment_max_chars = 300;        // after NFC and control-char removal
  size_t name_max_chars = 32;            // resident display name (1..N)
  size_t place_max_chars = 32;           // compound (小区) and building (楼组)
  size_t history_events = 100;           // events in a fresh join's history
  size_t retain_events = 10'000;         // resume window per forum (kept in memory)
  size_t send_queue_bytes = 512 * 1024;  // backlog per viewer before cut-off (4008)
  size_t write_max_bytes = 32 * 1024;    // one coalesced write at most
  int64_t presence_interval_ms = 2000;   // at most one presence event per forum per interval
  double comment_burst = 5;              // token bucket per device: capacity
  int64_t comment_refill_ms = 2000;      // ... and one token every this many ms
  size_t max_connections = 20'000;       // whole server; more -> HTTP 503 at upgrade
  size_t max_connections_per_ip = 200;   // per remote address; more -> HTTP 503
  int64_t idle_timeout_s = 60;           // no traffic (pings included) -> closed
  size_t max_pending_replies = 256;      // replies not yet written; more -> close 4008
};

// Close codes forumcast uses besides RFC 6455's (documented in docs/protocol.md).
inline constexpr int kCloseTooLarge = 1009;    // RFC 6455 §7.4.1: message too big
inline constexpr int kCloseGoingAway = 1001;   // server shutting down
inline constexpr int kCloseTryLater = 1013;    // server over its connection limit
inline constexpr int kCloseSlowReader = 4008;  // backlog over send_queue_bytes: resume
inline constexpr int kCloseReplaced = 4009;    // unused for now, reserved

}  // namespace forumcast::chat
