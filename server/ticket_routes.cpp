// server/ticket_routes.cpp: the ticket and webhook routes (see ticket_routes.hpp).
// Error mapping: followup's invalid_ticket, note_too_long, no_assignee,
// too_many_assignees, invalid_rating -> 400; illegal_transition, ticket_closed,
// not_resolved, already_rated, conflict (stale save), forum_archived -> 409;
// not_found -> 404; invalid_webhook_url -> 400; anything else -> 500.
#include "server/ticket_routes.hpp"

#include <nlohmann/json.hpp>

#include "core/random.hpp"
#include "server/export_routes.hpp"  // the Action aliases
#include "server/forum_program_routes.hpp"
#include "server/transcript_builder.hpp"
#include "server/webhook_worker.hpp"

namespace forumcast {
namespace {

using json = nlohmann::json;
using net::HttpRequest;
using net::HttpResponse;
namespace fu = followup;

HttpResponse ok_json(const json& j, int status = 200) {
  return HttpResponse::json(status, j.dump(-1, ' ', false, json::error_handler_t::replace));
}

HttpResponse error_response(const Error& e) {
  static const char* k400[] = {"invalid_ticket",      "note_too_long",  "no_assignee",
                               "too_many_assignees",  "invalid_rating", "invalid_argument",
                               "invalid_webhook_url", "bad_json"};
  static const char* k409[] = {"illegal_transition", "ticket_closed", "not_resolved",
                               "already_rated",      "conflict",      "forum_archived"};
  for (const char* c : k400)
    if (e.code == c) return HttpResponse::error(400, e.code, e.message);
  for (const char* c : k409)
    if (e.code == c) return HttpResponse::error(409, e.code, e.message);
  if (e.code == "not_found") return HttpResponse::error(404, "not_found", e.message);
  return HttpResponse::error(500, "internal", "the server could not complete the request");
}

std::optional<json> body_of(const HttpRequest& req, HttpResponse* bad) {
  json j = json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    *bad = HttpResponse::error(400, "bad_json", "the body is not a JSON object");
    return std::nullopt;
  }
  return j;
}

std::string s(const json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::optional<int64_t> i(const json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_number_integer() ? std::optional(it->get<int64_t>())
                                                  : std::nullopt;
}
bool b(const json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

Result<std::vector<fu::Assignee>> assignees_of(const json& body) {
  std::vector<fu::Assignee> out;
  auto it = body.find("assignees");
  if (it == body.end()) return out;
  if (!it->is_array()) return make_error("invalid_argument", "assignees must be a list");
  for (const auto& a : *it) {
    if (!a.is_object() || s(a, "name").empty())
      return make_error("invalid_argument", "each assignee needs a name");
    std::string kind = s(a, "kind");
    if (!kind.empty() && kind != "department" && kind != "worker")
      return make_error("invalid_argument", "assignee kind is department or worker");
    out.push_back({kind == "worker" ? fu::Assignee::Kind::worker : fu::Assignee::Kind::department,
                   s(a, "name")});
  }
  return out;
}

// The first `n` characters (code points) of UTF-8 text.
std::string first_chars(const std::string& text, int n) {
  size_t at = 0;
  for (int k = 0; k < n && at < text.size(); ++k) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  }
  return text.substr(0, at);
}

// Staff view: everything but rater keys.
json staff_json(const fu::Ticket& t, int64_t now_ms) {
  json j = {{"id", t.id},
            {"forum_id", t.forum_id},
            {"question_id", t.question_id ? json(*t.question_id) : json()},
            {"title", t.title},
            {"description", t.description},
            {"category", fu::to_string(t.category)},
            {"location", {{"compound", t.location.compound}, {"building", t.location.building}}},
            {"due_ms", t.due_ms ? json(*t.due_ms) : json()},
            {"state", fu::to_string(t.state)},
            {"created_by", t.created_by},
            {"created_ms", t.created_ms},
            {"resolved_ms", t.resolved_ms ? json(*t.resolved_ms) : json()},
            {"closed_ms", t.closed_ms ? json(*t.closed_ms) : json()},
            {"resolution_round", t.resolution_round}};
  const bool open = t.state != fu::TicketState::resolved && t.state != fu::TicketState::closed;
  j["overdue"] = open && t.due_ms && *t.due_ms < now_ms;
  j["assignees"] = json::array();
  for (const auto& a : t.assignees)
    j["assignees"].push_back({{"kind", fu::to_string(a.kind)}, {"name", a.name}});
  j["history"] = json::array();
  for (const auto& e : t.history)
    j["history"].push_back({{"action", e.action},
                            {"from", fu::to_string(e.from)},
                            {"to", fu::to_string(e.to)},
                            {"actor", e.actor},
                            {"at_ms", e.at_ms},
                            {"note", e.note},
                            {"public", e.is_public}});
  j["ratings"] = json::array();
  for (const auto& r : t.ratings)
    j["ratings"].push_back({{"rater_name", r.rater_name},
                            {"stars", r.stars},
                            {"confirmed", r.confirmed},
                            {"comment", r.comment},
                            {"at_ms", r.at_ms},
                            {"round", r.round}});
  return j;
}

// Resident view: status, public progress notes, and whether this device may rate.
json resident_json(const fu::Ticket& t, const std::string& rater) {
  json j = {{"id", t.id},
            {"forum_id", t.forum_id},
            {"question_id", t.question_id ? json(*t.question_id) : json()},
            {"title", t.title},
            {"category", fu::to_string(t.category)},
            {"state", fu::to_string(t.state)},
            {"created_ms", t.created_ms},
            {"resolved_ms", t.resolved_ms ? json(*t.resolved_ms) : json()}};
  j["progress"] = json::array();
  for (const auto& e : t.history)
    if (e.is_public)
      j["progress"].push_back(
          {{"at_ms", e.at_ms}, {"state", fu::to_string(e.to)}, {"note", e.note}});
  json mine = nullptr;
  for (const auto& r : t.ratings)
    if (r.rater == rater && r.round == t.resolution_round)
      mine = {{"stars", r.stars},
              {"confirmed", r.confirmed},
              {"comment", r.comment},
              {"at_ms", r.at_ms}};
  j["my_rating"] = mine;
  j["can_rate"] = mine.is_null() &&
                  (t.state == fu::TicketState::resolved || t.state == fu::TicketState::closed);
  return j;
}

// How the chat records a resident in questions, co-signers and votes: "dev:" +
// the device token's hash (server/serve.cpp chat_hooks), so tickets are found by it.
std::string resident_key(const Principal& who) {
  return "dev:" + who.token_hash;
}

class Routes {
 public:
  explicit Routes(TicketRoutesContext c) : c_(std::move(c)), machine_(c_.clock, c_.policy) {}

  // Webhook deliveries of one event about a ticket, for the same transaction.
  std::vector<OutboxRow> deliveries(const fu::Ticket& t, const std::string& event) {
    const int64_t now = c_.clock.wall_ms();
    json body = {
        {"event", event}, {"at_ms", now}, {"forum_id", t.forum_id}, {"ticket", staff_json(t, now)}};
    auto rows = webhook_rows(c_.store, t.forum_id, event,
                             body.dump(-1, ' ', false, json::error_handler_t::replace), now);
    return rows.ok() ? std::move(rows.value()) : std::vector<OutboxRow>{};
  }

  void poke() {
    if (c_.poke_webhooks) c_.poke_webhooks();
  }

  HttpResponse create(const HttpRequest& req, const Principal& who) {
    HttpResponse bad;
    auto body = body_of(req, &bad);
    if (!body) return bad;
    auto qid = i(*body, "question_id");
    if (!qid) return HttpResponse::error(400, "invalid_argument", "give question_id");
    auto q = c_.store.questions().get_question(*qid);
    if (!q.ok()) return error_response(q.error());
    auto forum = c_.store.forums().get_forum(q->forum_id);
    if (!forum.ok()) return error_response(forum.error());
    if (forum->state == ForumState::archived)
      return error_response({"forum_archived", "the forum is archived (read-only)"});
    auto assignees = assignees_of(*body);
    if (!assignees.ok()) return error_response(assignees.error());
    fu::NewTicket spec;
    spec.forum_id = q->forum_id;
    spec.question_id = q->id;
    spec.title = body->contains("title") ? s(*body, "title")
                                         : first_chars(q->text, c_.policy.max_title_chars);
    spec.description = body->contains("description") ? s(*body, "description") : q->text;
    std::string cat = s(*body, "category").empty() ? q->category : s(*body, "category");
    auto category = fu::ticket_category_from_string(cat.empty() ? "problem" : cat);
    if (!category)
      return HttpResponse::error(400, "invalid_argument", "category is problem, need or service");
    spec.category = *category;
    spec.location = {body->contains("compound") ? s(*body, "compound") : q->compound,
                     body->contains("building") ? s(*body, "building") : q->building};
    spec.due_ms = i(*body, "due_ms");
    auto t = machine_.create(0, spec, who.name);
    if (!t.ok()) return error_response(t.error());
    if (!assignees->empty())
      if (Status st =
              machine_.assign(*t, *assignees, who.name, s(*body, "note"), b(*body, "public"));
          !st.ok())
        return error_response(st.error());
    const int64_t now = c_.clock.wall_ms();
    TicketChange ch = change_from(TicketRecord{}, *t, now);
    ch.ticket.thread_id = q->parent_id.value_or(q->id);
    ch.audit.push_back(
        {0, q->forum_id, who.name, "ticket.create", "question:" + std::to_string(q->id), "",
         json{{"title", t->title}, {"category", fu::to_string(t->category)}}.dump(), now});
    ch.outbox = deliveries(*t, "ticket.created");
    auto saved = c_.store.tickets().create_ticket(std::move(ch));
    if (!saved.ok()) return error_response(saved.error());
    poke();
    return ok_json({{"ticket", staff_json(ticket_from_record(*saved), now)}}, 201);
  }

  HttpResponse list(const HttpRequest& req) {
    TicketFilter f;
    f.forum_id = req.query_param("forum");
    f.category = req.query_param("category");
    f.compound = req.query_param("compound");
    f.assignee = req.query_param("assignee");
    f.state = req.query_param("status");
    if (f.state.empty()) f.state = req.query_param("state");
    auto rows = c_.store.tickets().list_tickets(f);
    if (!rows.ok()) return error_response(rows.error());
    const int64_t now = c_.clock.wall_ms();
    json arr = json::array();
    bool overdue_only = req.query_param("overdue") == "1";
    for (const auto& r : *rows) {
      json t = staff_json(ticket_from_record(r), now);
      if (!overdue_only || t["overdue"].get<bool>()) arr.push_back(std::move(t));
    }
    return ok_json({{"tickets", arr}});
  }

  // POST /api/v1/tickets/<id>/<op> for staff (transition, assign, note).
  HttpResponse change(const HttpRequest& req, const Principal& who, int64_t id,
                      const std::string& op) {
    HttpResponse bad;
    auto body = body_of(req, &bad);
    if (!body) return bad;
    auto rec = c_.store.tickets().get_ticket(id);
    if (!rec.ok()) return error_response(rec.error());
    fu::Ticket t = ticket_from_record(*rec);
    const std::string note = s(*body, "note");
    const bool pub = b(*body, "public");
    std::string event;
    Status st = ok_status();
    if (op == "transition") {
      auto to = fu::ticket_state_from_string(s(*body, "to"));
      if (!to)
        return HttpResponse::error(400, "invalid_argument",
                                   "to: open, assigned, in_progress, resolved, closed or reopened");
      st = machine_.transition(t, *to, who.name, note, pub);
      event = "ticket." + std::string(fu::to_string(*to));
    } else if (op == "assign") {
      auto as = assignees_of(*body);
      if (!as.ok()) return error_response(as.error());
      st = machine_.assign(t, *as, who.name, note, pub);
      event = "ticket.assigned";
    } else {
      st = machine_.add_note(t, who.name, note, pub);
      event = "ticket.note";
    }
    if (!st.ok()) return error_response(st.error());
    return save(*rec, t, who.name, event, "ticket." + op);
  }

  HttpResponse save(const TicketRecord& before, const fu::Ticket& after, const std::string& actor,
                    const std::string& event, const std::string& audit_action) {
    const int64_t now = c_.clock.wall_ms();
    TicketChange ch = change_from(before, after, now);
    ch.audit.push_back({0, after.forum_id, actor, audit_action,
                        "ticket:" + std::to_string(after.id),
                        json{{"state", before.ticket.state}}.dump(),
                        json{{"state", fu::to_string(after.state)}}.dump(), now});
    ch.outbox = deliveries(after, event);
    auto saved = c_.store.tickets().save_ticket(std::move(ch));
    if (!saved.ok()) return error_response(saved.error());
    poke();
    return ok_json({{"ticket", staff_json(ticket_from_record(*saved), now)}});
  }

  HttpResponse my_tickets(const Principal& who) {
    const std::string key = resident_key(who);
    auto rows = c_.store.tickets().list_tickets({.device_hash = key});
    if (!rows.ok()) return error_response(rows.error());
    json arr = json::array();
    for (const auto& r : *rows) arr.push_back(resident_json(ticket_from_record(r), key));
    return ok_json({{"tickets", arr}});
  }

  HttpResponse rate(const HttpRequest& req, const Principal& who, int64_t id) {
    HttpResponse bad;
    auto body = body_of(req, &bad);
    if (!body) return bad;
    const std::string key = resident_key(who);
    auto mine = c_.store.tickets().list_tickets({.device_hash = key});
    if (!mine.ok()) return error_response(mine.error());
    const TicketRecord* rec = nullptr;
    for (const auto& r : *mine)
      if (r.ticket.id == id) rec = &r;
    if (!rec)
      return HttpResponse::error(404, "not_found", "no ticket of your questions with this number");
    std::string name = "居民";
    if (auto q = c_.store.questions().get_question(rec->ticket.thread_id.value_or(0)); q.ok()) {
      if (q->asker_device_hash == key && !q->display_name.empty()) name = q->display_name;
      auto cs = json::parse(q->co_signers_json, nullptr, false);
      if (cs.is_array())
        for (const auto& c : cs)
          if (s(c, "device_hash") == key && !s(c, "display_name").empty())
            name = s(c, "display_name");
    }
    fu::Ticket t = ticket_from_record(*rec);
    auto stars = i(*body, "stars");
    fu::Rating r{key,
                 name,
                 static_cast<int>(stars.value_or(0)),
                 b(*body, "confirmed"),
                 s(*body, "comment"),
                 c_.clock.wall_ms(),
                 t.resolution_round};
    if (Status st = machine_.rate(t, r); !st.ok()) return error_response(st.error());
    auto res = save(*rec, t, name, "ticket.rated", "ticket.rate");
    if (res.status != 200) return res;
    auto again = c_.store.tickets().get_ticket(id);
    if (!again.ok()) return error_response(again.error());
    return ok_json({{"ticket", resident_json(ticket_from_record(*again), key)}});
  }

  HttpResponse add_webhook(const HttpRequest& req, const Principal& who) {
    HttpResponse bad;
    auto body = body_of(req, &bad);
    if (!body) return bad;
    const std::string url = s(*body, "url");
    if (Status st = fu::validate_webhook_url(url, c_.webhook_policy); !st.ok())
      return error_response(st.error());
    json events = body->contains("events") ? (*body)["events"] : json::array();
    if (!events.is_array())
      return HttpResponse::error(400, "invalid_argument", "events must be a list");
    for (const auto& e : events)
      if (!e.is_string()) return HttpResponse::error(400, "invalid_argument", "events are names");
    auto existing = c_.store.webhooks().list_endpoints();
    if (!existing.ok()) return error_response(existing.error());
    if (existing->size() >= followup_runtime().webhook_max_endpoints)
      return HttpResponse::error(409, "too_many_webhooks",
                                 "at most " +
                                     std::to_string(followup_runtime().webhook_max_endpoints) +
                                     " webhook URLs may be registered (webhook.max_endpoints); "
                                     "disabled ones count");
    std::string secret = s(*body, "secret");
    if (secret.empty()) secret = random_base32(32);
    const int64_t now = c_.clock.wall_ms();
    WebhookEndpointRow row{0,  s(*body, "forum_id"), url, secret, events.dump(), true, who.name,
                           now};
    auto added = c_.store.webhooks().add_endpoint(
        row, {0, row.forum_id, who.name, "webhook.add", "", "", json{{"url", url}}.dump(), now});
    if (!added.ok()) return error_response(added.error());
    json j = endpoint_json(*added);
    j["secret"] = secret;  // shown once
    return ok_json({{"webhook", j}}, 201);
  }

  static json endpoint_json(const WebhookEndpointRow& r) {
    return {{"id", r.id},
            {"forum_id", r.forum_id},
            {"url", r.url},
            {"events", json::parse(r.events_json, nullptr, false)},
            {"active", r.active},
            {"created_by", r.created_by},
            {"created_ms", r.created_ms}};
  }

  HttpResponse list_webhooks() {
    auto eps = c_.store.webhooks().list_endpoints();
    if (!eps.ok()) return error_response(eps.error());
    json arr = json::array();
    for (const auto& r : *eps) arr.push_back(endpoint_json(r));
    return ok_json({{"webhooks", arr}});
  }

  HttpResponse set_webhook_active(const Principal& who, int64_t id, bool active) {
    Status st = c_.store.webhooks().set_endpoint_active(
        id, active,
        {0, "", who.name, active ? "webhook.enable" : "webhook.disable",
         "webhook:" + std::to_string(id), "", "", c_.clock.wall_ms()});
    if (!st.ok()) return error_response(st.error());
    return ok_json({{"ok", true}});
  }

  TicketRoutesContext c_;  // a copy: references to the store and clock, the gate
  fu::TicketMachine machine_;
};

// "/api/v1/tickets/12/assign" -> {12, "assign"}; id 0 when not a number.
std::pair<int64_t, std::string> split_id(const std::string& path, const std::string& prefix) {
  std::string rest = path.substr(prefix.size());
  std::string id = rest.substr(0, rest.find('/'));
  std::string sub = rest.size() > id.size() ? rest.substr(id.size() + 1) : "";
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
    return {0, sub};
  return {std::stoll(id), sub};
}

}  // namespace

Result<int> close_due_tickets(TicketRoutesContext& ctx) {
  Routes routes(ctx);
  auto rows = ctx.store.tickets().list_tickets({.state = "resolved", .limit = SIZE_MAX});
  if (!rows.ok()) return rows.error();
  const int64_t now = ctx.clock.wall_ms();
  int closed = 0;
  for (const auto& rec : *rows) {
    fu::Ticket t = ticket_from_record(rec);
    if (!routes.machine_.auto_close_due(t, now)) continue;
    std::vector<fu::Ticket> one{t};
    if (routes.machine_.run_auto_close(one) != 1) continue;
    if (routes.save(rec, one[0], "system", "ticket.closed", "ticket.auto_close").status == 200)
      ++closed;
  }
  return closed;
}

void register_ticket_routes(net::HttpRouter& r, TicketRoutesContext context) {
  // The configured limits (serve sets followup_runtime() before registering routes);
  // the worker is poked through the runtime when the caller gave no poke.
  if (followup_runtime().configured) {
    context.policy = followup_runtime().tickets;
    context.webhook_policy = followup_runtime().webhook_retry;
  }
  if (!context.poke_webhooks)
    context.poke_webhooks = [] {
      if (const auto& poke = followup_runtime().poke_webhooks) poke();
    };
  auto routes = std::make_shared<Routes>(std::move(context));
  TicketRoutesContext& ctx = routes->c_;
  auto gated = [routes](const HttpRequest& req, Action a, auto&& then) -> HttpResponse {
    auto g = routes->c_.gate(req, a);
    if (auto* refusal = std::get_if<HttpResponse>(&g)) return *refusal;
    return then(std::get<Principal>(g));
  };
  r.add_sync_route("*", "/api/v1/tickets", [routes, gated](const HttpRequest& req) {
    if (req.method == "GET")
      return gated(req, kManageTicketsAction, [&](const Principal&) { return routes->list(req); });
    if (req.method == "POST")
      return gated(req, kManageTicketsAction,
                   [&](const Principal& p) { return routes->create(req, p); });
    return HttpResponse::error(405, "method_not_allowed", req.method + " not allowed here");
  });
  r.add_sync_route(
      "*", "/api/v1/tickets/*",
      [routes, gated, &ctx](const HttpRequest& req) {  // ctx lives in routes
        auto [id, sub] = split_id(req.path, "/api/v1/tickets/");
        if (id == 0) return HttpResponse::error(404, "not_found", "nothing at " + req.path);
        if (sub.empty() && req.method == "GET")
          return gated(req, kManageTicketsAction, [&](const Principal&) {
            auto rec = ctx.store.tickets().get_ticket(id);
            if (!rec.ok()) return error_response(rec.error());
            return ok_json({{"ticket", staff_json(ticket_from_record(*rec), ctx.clock.wall_ms())}});
          });
        if (req.method != "POST" ||
            !(sub == "transition" || sub == "assign" || sub == "note" || sub == "rate"))
          return HttpResponse::error(sub.empty() ? 405 : 404,
                                     sub.empty() ? "method_not_allowed" : "not_found",
                                     "nothing for " + req.method + " " + req.path);
        if (sub == "rate")
          return gated(req, kRateTicketAction,
                       [&](const Principal& p) { return routes->rate(req, p, id); });
        return gated(req, kManageTicketsAction,
                     [&](const Principal& p) { return routes->change(req, p, id, sub); });
      });
  r.add_sync_route("GET", "/api/v1/my/tickets", [routes, gated](const HttpRequest& req) {
    return gated(req, kRateTicketAction, [&](const Principal& p) { return routes->my_tickets(p); });
  });
  r.add_sync_route("*", "/api/v1/webhooks", [routes, gated](const HttpRequest& req) {
    if (req.method == "GET")
      return gated(req, kManageWebhooksAction,
                   [&](const Principal&) { return routes->list_webhooks(); });
    if (req.method == "POST")
      return gated(req, kManageWebhooksAction,
                   [&](const Principal& p) { return routes->add_webhook(req, p); });
    return HttpResponse::error(405, "method_not_allowed", req.method + " not allowed here");
  });
  // Cross-forum accountability figures (server/forum_program_routes), built off the
  // loop thread (server/export_routes answer_off_loop).
  r.add_route("GET", "/api/v1/figures",
              [routes](const HttpRequest& req, net::HttpResponderPtr res) {
                auto g = routes->c_.gate(req, kExportTranscriptAction);
                if (auto* refusal = std::get_if<HttpResponse>(&g))
                  return res->respond(std::move(*refusal));
                answer_off_loop(res, [routes, req] {
                  return cross_forum_figures(routes->c_.store, routes->c_.clock, req);
                });
              });
  r.add_sync_route("POST", "/api/v1/webhooks/*", [routes, gated](const HttpRequest& req) {
    auto [id, sub] = split_id(req.path, "/api/v1/webhooks/");
    if (id == 0 || (sub != "disable" && sub != "enable"))
      return HttpResponse::error(404, "not_found", "nothing at " + req.path);
    return gated(req, kManageWebhooksAction, [&](const Principal& p) {
      return routes->set_webhook_active(p, id, sub == "enable");
    });
  });
}

}  // namespace forumcast
