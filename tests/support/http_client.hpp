// tests/support/http_client.hpp: a tiny blocking HTTP/1.1 client over a raw
// loopback socket, enough to test the server: one request per connection
// (Connection: close), Content-Length or chunked or read-to-EOF bodies.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace forumcast::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
  int status = 0;                              // 0: no response (see error)
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined by "\n"
  std::string body;
  std::string error;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

HttpResult http_request(int port, const std::string& method, const std::string& path,
                        const Headers& headers = {}, const std::string& body = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

inline HttpResult http_get(int port, const std::string& path, const Headers& headers = {}) {
  return http_request(port, "GET", path, headers);
}

// POST with Content-Type: application/json (plus `headers`).
HttpResult http_post_json(int port, const std::string& path, const std::string& json,
                          const Headers& headers = {});

// Connects to 127.0.0.1:port; -1 on failure. For tests that speak raw bytes.
int connect_loopback(int port, std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace forumcast::test
