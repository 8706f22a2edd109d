// server/term_routes.cpp: GET/PUT/POST/DELETE on the global and per-forum
// blocked-term lists (see term_routes.hpp).
#include "server/term_routes.hpp"

#include <spdlog/spdlog.h>
#include <mutex>
#include <nlohmann/json.hpp>

#include "moderation/term_lists.hpp"
#include "moderation/text_normalizer.hpp"

namespace forumcast {
namespace {

using json = nlohmann::json;
using net::HttpRequest;
using net::HttpResponse;
namespace mod = forumcast::moderation;

// One normalizer for validating edits (~35 ms to build), made on first use.
const mod::TextNormalizer* normalizer() {
  static std::once_flag once;
  static std::shared_ptr<const mod::TextNormalizer> n;
  std::call_once(once, [] {
    auto r = mod::TextNormalizer::create();
    if (r)
      n = *r;
    else
      spdlog::error("blocked terms: {}", r.error().message);
  });
  return n.get();
}

HttpResponse list_answer(const std::string& scope, const std::vector<mod::BlockedTerm>& terms,
                         std::optional<bool> changed) {
  json j = {{"scope", scope.empty() ? "global" : scope},
            {"terms", json::parse(mod::terms_json(terms))},
            {"count", terms.size()}};
  if (changed) j["changed"] = *changed;
  return HttpResponse::json(200, j.dump());
}

HttpResponse edit_error(const Error& e) {
  if (e.code == "invalid_term") return HttpResponse::error(400, "invalid_term", e.message);
  if (e.code == "not_found") return HttpResponse::error(404, "not_found", e.message);
  spdlog::error("blocked terms: {}: {}", e.code, e.message);
  return HttpResponse::error(500, "internal", "the list could not be saved; try again");
}

// The whole exchange for one scope ("" = global).
HttpResponse terms_route(ApiContext& ctx, const HttpRequest& req, const std::string& scope) {
  const bool read = req.method == "GET";
  if (!read && req.method != "PUT" && req.method != "POST" && req.method != "DELETE")
    return HttpResponse::error(405, "method_not_allowed", req.method + " not allowed here");
  auto g = gate_request(ctx, req, read ? Action::moderate : Action::edit_blocked_terms);
  if (auto* refusal = std::get_if<HttpResponse>(&g)) return *refusal;
  const Principal& who = std::get<Principal>(g);
  if (!scope.empty()) {
    auto f = ctx.store.forums().get_forum(scope);
    if (!f) return HttpResponse::error(404, "not_found", "no forum " + scope);
  }
  if (read) {
    auto list = mod::list_terms(ctx.store.blocked_terms(), scope);
    if (!list) return edit_error(list.error());
    return list_answer(scope, *list, std::nullopt);
  }
  mod::TermEdit edit;
  if (req.method == "DELETE") {
    std::string term = req.query_param("term");
    if (term.empty())
      return HttpResponse::error(400, "invalid_argument", "name the term: DELETE ...?term=<term>");
    edit.remove.push_back(term);
  } else {
    json body = json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
    if (!body.is_object() || !body.contains("terms") || !body["terms"].is_array())
      return HttpResponse::error(
          400, "bad_json", "send {\"terms\":[{\"term\":..,\"action\":..,\"timeout_ms\"?:..}]}");
    for (const auto& x : body["terms"]) {
      if (!x.is_object() || !x.contains("term") || !x["term"].is_string())
        return HttpResponse::error(400, "invalid_term", "each term must be {term, action}");
      std::optional<int64_t> timeout;
      if (auto it = x.find("timeout_ms"); it != x.end() && it->is_number_integer())
        timeout = it->get<int64_t>();
      auto t = mod::term_from_fields(x["term"].get<std::string>(), x.value("action", ""), timeout);
      if (!t) return edit_error(t.error());
      edit.add.push_back(std::move(*t));
    }
    edit.replace = req.method == "PUT";
  }
  const mod::TextNormalizer* norm = normalizer();
  if (!norm)
    return HttpResponse::error(503, "normalizer_unavailable",
                               "the text folding tables (OpenCC) are missing on this server");
  mod::Actor actor{
      who.caller == Caller::organizer ? Role::organizer : Role::moderator, who.name, {}};
  auto r =
      mod::edit_terms(ctx.store.blocked_terms(), *norm, scope, actor, edit, ctx.clock.wall_ms());
  if (!r) return edit_error(r.error());
  if (r->changed)
    spdlog::info("blocked terms ({}) changed by {}: {} -> {} terms",
                 scope.empty() ? "global" : scope, who.name, r->before.size(), r->after.size());
  return list_answer(scope, r->after, r->changed);
}

}  // namespace

std::string term_change_marker_path(const Config& config) {
  return config.server.data_dir + "/blocked-terms.changed";
}

void register_term_routes(net::HttpRouter& router, ApiContext& ctx) {
  mod::set_term_change_marker(term_change_marker_path(ctx.config));
  router.add_sync_route("*", "/api/v1/terms",
                        [&ctx](const HttpRequest& req) { return terms_route(ctx, req, ""); });
}

std::optional<HttpResponse> route_forum_terms(ApiContext& ctx, const HttpRequest& req,
                                              const std::string& forum_id, const std::string& sub) {
  if (sub != "terms") return std::nullopt;
  return terms_route(ctx, req, forum_id);
}

}  // namespace forumcast
