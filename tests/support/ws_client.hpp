// tests/support/ws_client.hpp: a minimal blocking RFC 6455 client over a raw
// loopback socket for tests: the upgrade handshake (with a subprotocol and extra
// headers such as Origin or Cookie), masked text/binary/ping/close frames, raw
// frames for protocol abuse, and reading frames with a timeout. Not thread-safe;
// one client per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "support/http_client.hpp"

namespace forumcast::test {

namespace ws_op {
inline constexpr uint8_t continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9,
                         pong = 0xA;
}

struct WsFrame {
  uint8_t opcode = 0;
  bool fin = true;
  std::string payload;
  // For close frames: the code (1005 if none) and the reason.
  uint16_t close_code() const;
  std::string close_reason() const;
};

class WsClient {
 public:
  WsClient() = default;
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // True on "101 Switching Protocols". handshake_status() tells the status otherwise.
  bool connect(int port, const std::string& path = "/ws",
               const std::string& subprotocol = "forumcast.v1", const Headers& extra = {},
               std::chrono::milliseconds timeout = std::chrono::seconds(10));
  int handshake_status() const { return status_; }
  const std::string& handshake_response() const { return response_head_; }
  std::string accepted_protocol() const;  // Sec-WebSocket-Protocol of the answer

  bool send_text(std::string_view text) { return send_frame(ws_op::text, text, true); }
  bool send_binary(std::string_view data) { return send_frame(ws_op::binary, data, true); }
  bool send_ping(std::string_view data = {}) { return send_frame(ws_op::ping, data, true); }
  bool send_close(uint16_t code = 1000, std::string_view reason = {});
  // Any frame, masked as a client must (fin=false starts a fragmented message).
  bool send_frame(uint8_t opcode, std::string_view payload, bool fin);
  // Raw bytes on the socket (for malformed input).
  bool send_raw(std::string_view bytes);

  // Next frame, or nullopt on timeout or when the connection ended.
  std::optional<WsFrame> read_frame(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Next text message, answering pings and skipping pongs; nullopt on close/timeout.
  std::optional<std::string> read_text(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads until a close frame arrives; its code, or nullopt (timeout / EOF without one).
  std::optional<uint16_t> wait_close(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  bool eof() const { return eof_; }
  void close_socket();

 private:
  bool fill(size_t n, std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  int status_ = 0;
  std::string response_head_;
  std::string buf_;
  bool eof_ = false;
};

}  // namespace forumcast::test
