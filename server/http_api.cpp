// server/http_api.cpp: the routes of docs/http-api.md. Every route asks
// server/policy through `require`; JSON in and out with nlohmann; errors are
// {"error":{"code","message"}}. CSRF rule: a cookie-authenticated request that
// changes something must be Content-Type: application/json and, when it carries
// an Origin, a same-origin one.
#include "server/http_api.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "server/admin.hpp"
#include "server/export_routes.hpp"
#include "server/policy.hpp"
#include "server/qr_routes.hpp"
#include "server/term_routes.hpp"
#include "server/ticket_routes.hpp"

namespace forumcast {
namespace {

using net::HttpRequest;
using net::HttpResponderPtr;
using net::HttpResponse;
using json = nlohmann::json;

HttpResponse ok_json(const json& j, int status = 200) {
  return HttpResponse::json(status, j.dump());
}

json forum_public(const Forum& f) {
  return {{"id", f.id},
          {"title", f.title},
          {"topic", f.topic},
          {"starts_at", f.starts_at},
          {"state", std::string(to_string(f.state))}};
}

bool is_public_state(ForumState s) {
  return s == ForumState::collecting || s == ForumState::live || s == ForumState::ended;
}

HttpResponse store_error(const Error& e) {
  if (e.code == "not_found") return HttpResponse::error(404, "not_found", e.message);
  if (e.code == "conflict") return HttpResponse::error(409, "conflict", e.message);
  if (e.code == "invalid_argument") return HttpResponse::error(400, "invalid_argument", e.message);
  spdlog::error("store error {}: {}", e.code, e.message);
  return HttpResponse::error(500, "internal", "the server could not complete the request");
}

bool is_mutating(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool is_json_content(const HttpRequest& req) {
  std::string ct = req.header("content-type");
  return ct.rfind("application/json", 0) == 0;
}

// The caller and, if refused, the answer to give.
struct Gate {
  Principal who;
  std::optional<HttpResponse> refusal;
};

Gate require(ApiContext& ctx, const HttpRequest& req, Action action) {
  Gate g;
  bool via_cookie = false;
  std::string token = request_token(req, &via_cookie);
  if (!token.empty()) g.who = ctx.auth.identify(token);
  if (via_cookie && g.who.caller != Caller::anonymous && is_mutating(req.method)) {
    std::string origin = req.header("origin");
    std::vector<std::string> allowed = ctx.config.server.allowed_origins;
    if (!ctx.config.server.public_url.empty()) allowed.push_back(ctx.base_url());
    if (!is_json_content(req) ||
        (!origin.empty() && !net::origin_allowed(origin, req.header("host"), allowed))) {
      g.refusal = HttpResponse::error(403, "csrf",
                                      "cross-site request refused (needs application/json "
                                      "from the same origin)");
      return g;
    }
  }
  if (allowed(g.who.caller, action)) return g;
  if (g.who.caller == Caller::anonymous)
    g.refusal = HttpResponse::error(401, "unauthorized",
                                    token.empty() ? "log in first" : "session expired or unknown");
  else
    g.refusal = HttpResponse::error(403, "forbidden", "your role may not do this");
  return g;
}

std::optional<json> parse_body(const HttpRequest& req, HttpResponse* refusal) {
  if (!req.body.empty() && !is_json_content(req)) {
    *refusal = HttpResponse::error(415, "unsupported_media_type", "send application/json");
    return std::nullopt;
  }
  json j = json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    *refusal = HttpResponse::error(400, "bad_json", "the body is not a JSON object");
    return std::nullopt;
  }
  return j;
}

std::string str_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string session_cookie(const ApiContext& ctx, const std::string& value, int64_t max_age_s) {
  std::string c = std::string(kSessionCookie) + "=" + value +
                  "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age_s);
  if (ctx.config.auth.cookie_secure) c += "; Secure";
  return c;
}

void route_healthz(ApiContext& ctx, net::HttpRouter& r) {
  r.add_sync_route("GET", "/healthz", [&ctx](const HttpRequest&) {
    bool ok = ctx.store.healthy();
    json j = {{"status", ok ? "ok" : "degraded"},
              {"version", kVersion},
              {"uptime_s", (ctx.clock.monotonic_ms() - ctx.started_mono_ms) / 1000},
              {"store_ok", ok},
              {"schema_version", ctx.store.schema_version()}};
    return ok_json(j, ok ? 200 : 503);
  });
}

void route_login(ApiContext& ctx, net::HttpRouter& r) {
  r.add_route("POST", "/api/v1/login", [&ctx](const HttpRequest& req, HttpResponderPtr res) {
    Gate g = require(ctx, req, Action::login);
    if (g.refusal) return res->respond(*g.refusal);
    if (!ctx.login_limiter.allow(req.peer_ip))
      return res->respond(HttpResponse::error(
          429, "rate_limited", "too many login attempts; wait a minute and try again"));
    HttpResponse bad;
    auto body = parse_body(req, &bad);
    if (!body) return res->respond(bad);
    std::string name = str_field(*body, "name");
    std::string password = str_field(*body, "password");
    if (name.empty() || password.empty())
      return res->respond(
          HttpResponse::error(400, "invalid_argument", "name and password are required"));
    // Argon2id takes ~0.1 s: off the loop thread.
    ctx.worker.post([&ctx, name, password, res, ip = req.peer_ip]() {
      auto r = ctx.auth.login(name, password);
      if (!r) {
        if (r.error().code == "bad_credentials") {
          spdlog::info("login refused for \"{}\" from {}", name, ip);
          return res->respond(HttpResponse::error(401, "bad_credentials", r.error().message));
        }
        return res->respond(store_error(r.error()));
      }
      spdlog::info("login: {} ({}) from {}", name, to_string(r->session.role), ip);
      json j = {{"token", r->token},
                {"role", std::string(to_string(r->session.role))},
                {"name", r->session.account_name},
                {"expires_at", format_rfc3339(r->session.expires_ms)}};
      HttpResponse out = ok_json(j);
      int64_t max_age = (r->session.expires_ms - r->session.created_ms) / 1000;
      out.headers.emplace_back("Set-Cookie", session_cookie(ctx, r->token, max_age));
      res->respond(std::move(out));
    });
  });

  r.add_sync_route("POST", "/api/v1/logout", [&ctx](const HttpRequest& req) {
    Gate g = require(ctx, req, Action::view_self);
    if (g.refusal) return *g.refusal;
    Status st = ctx.store.sessions().revoke_session(g.who.token_hash);
    if (!st) return store_error(st.error());
    HttpResponse out = ok_json({{"ok", true}});
    out.headers.emplace_back("Set-Cookie", session_cookie(ctx, "", 0));
    return out;
  });

  r.add_sync_route("GET", "/api/v1/me", [&ctx](const HttpRequest& req) {
    Gate g = require(ctx, req, Action::view_self);
    if (g.refusal) return *g.refusal;
    return ok_json({{"name", g.who.name},
                    {"role", std::string(to_string(g.who.caller))},
                    {"expires_at", format_rfc3339(g.who.expires_ms)}});
  });

  r.add_sync_route("POST", "/api/v1/device", [&ctx](const HttpRequest& req) {
    Gate g = require(ctx, req, Action::register_device);
    if (g.refusal) return *g.refusal;
    auto tok = ctx.auth.new_device();
    if (!tok) return store_error(tok.error());
    return ok_json({{"device_token", *tok}}, 201);
  });

  // The resident's optional phone number for follow-up (the join form). Residents only;
  // "" clears it. Format: an optional leading +, then 5-15 digits (E.164 allows at most
  // 15), spaces and hyphens allowed between them.
  r.add_sync_route("POST", "/api/v1/device/contact", [&ctx](const HttpRequest& req) {
    Gate g = require(ctx, req, Action::participate);
    if (g.refusal) return *g.refusal;
    HttpResponse bad;
    auto body = parse_body(req, &bad);
    if (!body) return bad;
    std::string phone = str_field(*body, "phone");
    size_t digits = 0;
    bool valid = true;
    for (size_t i = 0; i < phone.size(); ++i) {
      char c = phone[i];
      if (c >= '0' && c <= '9')
        ++digits;
      else if (!(c == ' ' || c == '-' || (c == '+' && i == 0)))
        valid = false;
    }
    if (!phone.empty() && (!valid || digits < 5 || digits > 15 || phone.size() > 32))
      return HttpResponse::error(400, "invalid_phone",
                                 "phone: an optional +, then 5-15 digits (spaces, hyphens)");
    Status st = ctx.store.devices().set_device_phone(g.who.token_hash, phone);
    if (!st) return store_error(st.error());
    return ok_json({{"ok", true}, {"phone", !phone.empty()}});
  });
}

void route_forums(ApiContext& ctx, net::HttpRouter& r) {
  r.add_sync_route("GET", "/api/v1/forums", [&ctx](const HttpRequest& req) {
    Gate g = require(ctx, req, Action::view_public);
    if (g.refusal) return *g.refusal;
    bool drafts = allowed(g.who.caller, Action::view_drafts);
    auto list = ctx.store.forums().list_forums();
    if (!list) return store_error(list.error());
    json arr = json::array();
    for (const Forum& f : *list)
      if (is_public_state(f.state) || drafts) arr.push_back(forum_public(f));
    return ok_json({{"forums", arr}});
  });

  r.add_sync_route("POST", "/api/v1/forums", [&ctx](const HttpRequest& req) {
    Gate g = require(ctx, req, Action::create_forum);
    if (g.refusal) return *g.refusal;
    HttpResponse bad;
    auto body = parse_body(req, &bad);
    if (!body) return bad;
    NewForum nf;
    nf.title = str_field(*body, "title");
    nf.topic = str_field(*body, "topic");
    nf.starts_at = str_field(*body, "starts_at");
    auto f = create_forum(ctx.store, ctx.clock, nf, g.who.name);
    if (!f) return store_error(f.error());
    json j = forum_public(*f);
    ForumUrls u = forum_urls(ctx.base_url(), *f);
    j["urls"] = {{"resident", u.resident}, {"moderator", u.moderator}, {"hls", u.hls}};
    return ok_json(j, 201);
  });

  // /api/v1/forums/<id>[/state|/stream-key]
  auto forum_sync = [&ctx](const HttpRequest& req) -> HttpResponse {
    std::string rest = req.path.substr(std::string("/api/v1/forums/").size());
    std::string id = rest.substr(0, rest.find('/'));
    std::string sub = rest.size() > id.size() ? rest.substr(id.size() + 1) : "";
    if (sub.empty() && req.method == "GET") {
      Gate g = require(ctx, req, Action::view_public);
      if (g.refusal) return *g.refusal;
      auto f = ctx.store.forums().get_forum(id);
      if (!f || (!is_public_state(f->state) && !allowed(g.who.caller, Action::view_drafts)))
        return HttpResponse::error(404, "not_found", "no forum " + id);
      return ok_json(forum_public(*f));
    }
    if (sub == "state" && req.method == "POST") {
      Gate g = require(ctx, req, Action::change_forum_state);
      if (g.refusal) return *g.refusal;
      HttpResponse bad;
      auto body = parse_body(req, &bad);
      if (!body) return bad;
      auto st = forum_state_from_string(str_field(*body, "state"));
      if (!st)
        return HttpResponse::error(400, "invalid_argument",
                                   "state must be draft, collecting, live, ended or archived");
      auto f = set_forum_state(ctx.store, ctx.clock, id, *st, g.who.name);
      if (!f) return store_error(f.error());
      return ok_json(forum_public(*f));
    }
    if (sub == "stream-key" && req.method == "GET") {
      Gate g = require(ctx, req, Action::view_stream_key);
      if (g.refusal) return *g.refusal;
      auto f = ctx.store.forums().get_forum(id);
      if (!f) return store_error(f.error());
      ForumUrls u = forum_urls(ctx.base_url(), *f);
      return ok_json({{"id", f->id},
                      {"stream_key", f->stream_key},
                      {"rtmp_url", u.rtmp},
                      {"srt_url", u.srt.empty() ? json() : json(u.srt)}});
    }
    // The poster's QR code (qr.svg): server/qr_routes.
    if (auto qr = route_forum_qr(ctx, req, id, sub)) return *qr;
    // The forum's blocked-term list (terms): server/term_routes.
    if (auto tr = route_forum_terms(ctx, req, id, sub)) return *tr;
    // Follow-through sub-paths (transcript): server/export_routes.
    if (auto fr = route_forum_followup(ctx.store, ctx.clock, req, id, sub,
                                       [&](Action a) { return gate_request(ctx, req, a); }))
      return *fr;
    if (sub.empty() || sub == "state" || sub == "stream-key")
      return HttpResponse::error(405, "method_not_allowed", req.method + " not allowed here");
    return HttpResponse::error(404, "not_found", "nothing at " + req.path);
  };
  // GET transcript and figures are built off the loop thread (server/export_routes).
  r.add_route("*", "/api/v1/forums/*",
              [&ctx, forum_sync](const HttpRequest& req, net::HttpResponderPtr res) {
                std::string rest = req.path.substr(std::string("/api/v1/forums/").size());
                std::string id = rest.substr(0, rest.find('/'));
                std::string sub = rest.size() > id.size() ? rest.substr(id.size() + 1) : "";
                if (offload_forum_export(
                        ctx.store, ctx.clock, req, id, sub,
                        [&](Action a) { return gate_request(ctx, req, a); }, res))
                  return;
                res->respond(forum_sync(req));
              });
}

void route_users(ApiContext& ctx, net::HttpRouter& r) {
  r.add_sync_route("GET", "/api/v1/users", [&ctx](const HttpRequest& req) {
    Gate g = require(ctx, req, Action::list_users);
    if (g.refusal) return *g.refusal;
    auto list = ctx.store.accounts().list_accounts();
    if (!list) return store_error(list.error());
    json arr = json::array();
    for (const Account& a : *list)
      arr.push_back({{"name", a.name},
                     {"role", std::string(to_string(a.role))},
                     {"disabled", a.disabled},
                     {"created_at", format_rfc3339(a.created_ms)}});
    return ok_json({{"users", arr}});
  });
}

}  // namespace

std::variant<Principal, HttpResponse> gate_request(ApiContext& ctx, const HttpRequest& req,
                                                   Action action) {
  Gate g = require(ctx, req, action);
  if (g.refusal) return *g.refusal;
  return g.who;
}

std::string request_token(const HttpRequest& req, bool* via_cookie) {
  std::string auth = req.header("authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    if (via_cookie) *via_cookie = false;
    return auth.substr(7);
  }
  if (auto c = req.cookie(kSessionCookie); c && !c->empty()) {
    if (via_cookie) *via_cookie = true;
    return *c;
  }
  return {};
}

void register_http_api(net::HttpRouter& router, ApiContext& ctx) {
  router.reserve_prefix("/api/");
  router.reserve_prefix("/healthz");
  router.reserve_prefix("/ws");
  route_healthz(ctx, router);
  route_login(ctx, router);
  route_forums(ctx, router);
  route_users(ctx, router);
  register_term_routes(router, ctx);  // /api/v1/terms (server/term_routes)
  // Tickets and webhooks (server/ticket_routes). Without a poke the webhook worker
  // (serve) picks queued deliveries up within webhook poll_ms.
  register_ticket_routes(
      router, TicketRoutesContext{
                  ctx.store, ctx.clock, {}, {}, nullptr, [&ctx](const HttpRequest& req, Action a) {
                    return gate_request(ctx, req, a);
                  }});
}

}  // namespace forumcast
