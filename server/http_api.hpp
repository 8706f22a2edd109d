// server/http_api.hpp: the JSON HTTP API under /api/v1 and /healthz (documented in
// docs/http-api.md). Each route names a policy Action; callers are identified by
// the session cookie or an `Authorization: Bearer` token (server/auth).
// Handlers run on the loop thread; password checks go to the Worker.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>

#include "core/clock.hpp"
#include "net/http.hpp"
#include "server/auth.hpp"
#include "server/config.hpp"
#include "server/policy.hpp"
#include "server/version.hpp"
#include "server/worker.hpp"
#include "store/store.hpp"

namespace forumcast {

struct ApiContext {
  Store& store;
  Auth& auth;
  const Config& config;
  const Clock& clock;
  RateLimiter& login_limiter;
  Worker& worker;
  int64_t started_mono_ms = 0;
  std::function<std::string()> base_url;  // public base URL (the port is known late)
};

inline constexpr const char* kSessionCookie = "fc_session";

void register_http_api(net::HttpRouter& router, ApiContext& ctx);

// The bearer token or session cookie of a request ("" if none); via_cookie tells
// which, for the CSRF rule.
std::string request_token(const net::HttpRequest& req, bool* via_cookie);

// The gate every route goes through (caller, CSRF rule, policy), for routes
// registered outside this file (server/export_routes, server/ticket_routes): the
// caller if allowed, else the refusal to send.
std::variant<Principal, net::HttpResponse> gate_request(ApiContext& ctx,
                                                        const net::HttpRequest& req, Action action);

}  // namespace forumcast
