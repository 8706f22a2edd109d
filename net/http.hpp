// net/http.hpp: the HTTP side of the front as plain C++ types: a parsed request,
// a response to fill, and the router that maps (method, path) to a handler.
// Standard library only. The lws glue (net/http_transport.cpp) fills HttpRequest,
// asks the router, and writes the HttpResponse; static files and the SPA fallback
// are net/static_files.cpp. What a route does (auth, JSON) is left to server/.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace forumcast::net {

struct HttpRequest {
  std::string method;  // "GET", "POST", ... (upper case)
  std::string path;    // decoded path without the query string, e.g. "/api/v1/forums/abc"
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // lower-case names: cookie, authorization,
                                               // content-type, origin, host, user-agent
  std::string body;                            // at most limits.http_body_max_bytes
  std::string peer_ip;
  uint64_t connection_id = 0;

  // "" when absent.
  std::string header(std::string_view lower_name) const;
  // Value of one cookie from the Cookie header, nullopt when absent.
  std::optional<std::string> cookie(std::string_view name) const;
  std::string query_param(std::string_view name) const;  // "" when absent
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie, ...)
  std::string body;
  // When set, the transport streams this file instead of `body` (static files,
  // HLS playlists and segments). Content type and headers still apply.
  std::string file_path;

  static HttpResponse json(int status, std::string body);
  // {"error":{"code":..,"message":..}} with the given status.
  static HttpResponse error(int status, std::string_view code, std::string_view message);
};

// Completes one request. Thread-safe and callable once; a handler that finishes on
// another thread (password hashing, a slow store call) keeps it and calls it later:
// the response is handed to the loop with Loop::defer. If the client has gone in
// the meantime the response is dropped.
class HttpResponder {
 public:
  virtual ~HttpResponder() = default;
  virtual void respond(HttpResponse r) = 0;
};
using HttpResponderPtr = std::shared_ptr<HttpResponder>;

// Runs on the loop thread. Either respond() before returning or keep the responder.
using HttpHandler = std::function<void(const HttpRequest&, HttpResponderPtr)>;
// Convenience form for handlers that answer synchronously.
using HttpSyncHandler = std::function<HttpResponse(const HttpRequest&)>;

// Registered before Loop::listen; read-only afterwards (loop thread).
class HttpRouter {
 public:
  // Exact path ("/healthz") or prefix ending in '/' or '*' ("/api/v1/forums/*" matches
  // "/api/v1/forums/abc" and deeper). Longest match wins. Method "*" matches any.
  void add_route(std::string method, std::string path, HttpHandler h);
  void add_sync_route(std::string method, std::string path, HttpSyncHandler h);

  struct Match {
    const HttpHandler* handler = nullptr;  // null: nothing matched the path
    bool path_known = false;               // path matched but the method did not -> 405
  };
  Match find(std::string_view method, std::string_view path) const;
  // Prefixes the router owns entirely: unmatched paths under them are 404 JSON,
  // never a static file ("/api/").
  void reserve_prefix(std::string prefix);
  bool is_reserved(std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::string path;
    bool prefix = false;
    HttpHandler handler;
  };
  std::vector<Route> routes_;
  std::vector<std::string> reserved_;
};

// True if `origin` ("http://host:port") is the request's own Host (http or https)
// or one of `allowed` (exact match). Used for the WebSocket origin check and for
// CSRF checks on cookie-authenticated requests.
bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed);

// Percent-decoding ('+' is a space only in query strings). nullopt on bad escapes.
std::optional<std::string> url_decode(std::string_view s, bool plus_is_space);

}  // namespace forumcast::net
