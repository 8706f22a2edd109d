// net/ws.hpp: the WebSocket endpoint `/ws` (subprotocol "forumcast.v1", RFC 6455)
// as seen by the application: a connection to send on and close, and a handler
// that hears opens, complete text messages and closes. Standard library only.
//
// Threading: everything here runs on the loop thread (the caller of Loop::run).
// Other threads reach a connection only through Loop::defer + Loop::find_ws(id).
// A WsConnection reference is valid until on_close() returns; keep ids, not
// pointers, across callbacks.
//
// The transport (net/ws_transport.cpp) enforces: the message size limit (close
// 1009), UTF-8 validity of text frames (close 1007), binary frames refused (close
// 1003), the byte-bounded send queue (close 1008 "send queue full"), the idle
// timeout with ping/pong, and the origin check at upgrade (403).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace forumcast::net {

// Pull-mode writes (chat's fan-out, added for issue 3): instead of send(), the
// handler calls request_write() and, when the socket can take more, answers
// WsHandler::on_writable with bytes it owns and shares between receivers. `data`
// must have ws_write_headroom() writable bytes in front of it (the transport puts
// the frame header there) and stay valid until the next call on the loop thread.
struct WsBytes {
  char* data = nullptr;
  size_t size = 0;
};
size_t ws_write_headroom();

class WsConnection {
 public:
  virtual ~WsConnection() = default;
  virtual uint64_t id() const = 0;  // unique for the life of the process
  virtual const std::string& peer_ip() const = 0;
  // The upgrade request, during WsHandler::on_open only ("" afterwards: idle
  // connections do not keep it).
  virtual const std::string& path() const = 0;           // request path ("/ws")
  virtual const std::string& query() const = 0;          // raw query string, "" if none
  virtual const std::string& cookie_header() const = 0;  // raw Cookie header at upgrade

  // Queues one text message. The bytes are shared, never copied per receiver
  // until the write. Returns false (and closes with 1008) if the queue would
  // exceed limits.ws_send_queue_max_bytes, or if the connection is closing.
  virtual bool send(std::shared_ptr<const std::string> text) = 0;
  // Sends what is queued, then closes with this code and reason (<= 123 bytes).
  virtual void close(uint16_t code, std::string_view reason) = 0;
  virtual size_t queued_bytes() const = 0;
  virtual bool closing() const = 0;
  // Pull mode: asks for WsHandler::on_writable once the socket is writable.
  virtual void request_write() = 0;

  // Free slot for the application (e.g. chat's per-connection state). Owned by
  // the application; set back to nullptr in on_close.
  void* user = nullptr;
};

class WsHandler {
 public:
  virtual ~WsHandler() = default;
  virtual void on_open(WsConnection& c) = 0;
  // One complete, valid UTF-8 text message within the size limit.
  virtual void on_message(WsConnection& c, std::string_view text) = 0;
  virtual void on_close(WsConnection& c) = 0;
  // Pull mode: the socket is writable and send()'s queue is empty. Return the
  // next message (empty: nothing). Called after request_write().
  virtual WsBytes on_writable(WsConnection& c) { return {}; }
};

// RFC 6455 §7.4.1 close codes used by forumcast.
namespace close_code {
inline constexpr uint16_t normal = 1000;
inline constexpr uint16_t going_away = 1001;
inline constexpr uint16_t unsupported_data = 1003;
inline constexpr uint16_t invalid_payload = 1007;
inline constexpr uint16_t policy_violation = 1008;
inline constexpr uint16_t message_too_big = 1009;
inline constexpr uint16_t try_again_later = 1013;
}  // namespace close_code

}  // namespace forumcast::net
