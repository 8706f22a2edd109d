// tests/integration/chat/chat_client.hpp: a forumcast.v1 client for tests, on
// top of the raw RFC 6455 client: requests with rids, replies matched by rid,
// events (single or coalesced arrays) collected in arrival order.
#pragma once

#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "support/ws_client.hpp"

namespace forumcast::test {

using nlohmann::json;

// A fresh resident device token from POST /api/v1/device.
std::string new_device_token(int port);

class ChatClient {
 public:
  bool connect(int port) { return ws.connect(port); }
  // Sends a request (rid filled in) and waits for its reply; events read on the way are kept.
  json request(json req, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  json join(const std::string& forum, const std::string& device, const std::string& name,
            json since = nullptr);
  json comment(const std::string& text) { return request({{"op", "comment"}, {"text", text}}); }
  // Next event of kind `ev` ("comment", ...), skipping others; nullopt on timeout/close.
  std::optional<json> next_event(const std::string& ev,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads one message and files it; false on timeout or close.
  bool pump(std::chrono::milliseconds timeout);

  WsClient ws;
  std::deque<json> events;
  std::deque<json> replies;
  int64_t next_rid = 1;
};

}  // namespace forumcast::test
