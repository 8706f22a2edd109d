// server/forum_program_routes.cpp: see forum_program_routes.hpp. Validation and
// audit are server/admin's (shared with the CLI); this file parses bodies, maps
// errors (invalid_argument, bad_json, too_many -> 400; forum_archived,
// agenda_item_in_use, conflict -> 409; not_found -> 404; else 500) and shapes JSON.
#include "server/forum_program_routes.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>

#include "followup/figures.hpp"

namespace forumcast {
namespace {

using json = nlohmann::json;
using net::HttpRequest;
using net::HttpResponse;

HttpResponse ok_json(const json& j, int status = 200) {
  return HttpResponse::json(status, j.dump(-1, ' ', false, json::error_handler_t::replace));
}

HttpResponse error_response(const Error& e) {
  if (e.code == "invalid_argument" || e.code == "bad_json" || e.code == "too_many")
    return HttpResponse::error(400, e.code, e.message);
  if (e.code == "forum_archived" || e.code == "agenda_item_in_use" || e.code == "conflict")
    return HttpResponse::error(409, e.code, e.message);
  if (e.code == "not_found") return HttpResponse::error(404, "not_found", e.message);
  spdlog::error("forum program route: {}: {}", e.code, e.message);
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

// A string field: nullopt when absent; an error when present but not a string.
Result<std::optional<std::string>> opt_str(const json& j, const char* k) {
  auto it = j.find(k);
  if (it == j.end()) return std::optional<std::string>();
  if (!it->is_string()) return make_error("invalid_argument", std::string(k) + " must be text");
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<int64_t>> opt_int(const json& j, const char* k) {
  auto it = j.find(k);
  if (it == j.end() || it->is_null()) return std::optional<int64_t>();
  if (!it->is_number_integer())
    return make_error("invalid_argument", std::string(k) + " must be a whole number");
  return std::optional<int64_t>(it->get<int64_t>());
}

json forum_public(const Forum& f) {
  return {{"id", f.id},
          {"title", f.title},
          {"topic", f.topic},
          {"starts_at", f.starts_at},
          {"state", std::string(to_string(f.state))}};
}

json panel_json(const std::vector<PanelRow>& panel) {
  json a = json::array();
  int64_t pos = 0;
  for (const auto& p : panel)
    a.push_back({{"position", ++pos}, {"name", p.name}, {"title", p.title}, {"role", p.role}});
  return a;
}

json item_json(const AgendaRow& r, int64_t position, bool current) {
  return {{"id", r.id},
          {"position", position},
          {"title", r.title},
          {"planned_minutes", r.planned_minutes},
          {"current", current}};
}

Result<json> agenda_reply(Store& store, const std::string& forum_id) {
  auto agenda = store.programs().get_agenda(forum_id);
  if (!agenda) return agenda.error();
  auto current = store.programs().get_current_item(forum_id);
  if (!current) return current.error();
  json a = json::array();
  int64_t pos = 0;
  for (const auto& r : *agenda) a.push_back(item_json(r, ++pos, *current && **current == r.id));
  return json{{"agenda", a},
              {"current_item_id", *current ? json(**current) : json()},
              {"planned_minutes_total", std::accumulate(agenda->begin(), agenda->end(), int64_t{0},
                                                        [](int64_t s, const AgendaRow& r) {
                                                          return s + r.planned_minutes;
                                                        })}};
}

Result<PanelRow> panel_row_of(const json& j) {
  if (!j.is_object()) return make_error("invalid_argument", "a panel member is an object");
  auto name = opt_str(j, "name");
  if (!name) return name.error();
  auto title = opt_str(j, "title");
  if (!title) return title.error();
  auto role = opt_str(j, "role");
  if (!role) return role.error();
  return PanelRow{name->value_or(""), title->value_or(""), role->value_or("")};
}

Result<AgendaRow> agenda_row_of(const json& j) {
  if (!j.is_object()) return make_error("invalid_argument", "an agenda item is an object");
  auto title = opt_str(j, "title");
  if (!title) return title.error();
  auto minutes = opt_int(j, "planned_minutes");
  if (!minutes) return minutes.error();
  auto id = opt_int(j, "id");
  if (!id) return id.error();
  return AgendaRow{id->value_or(0), title->value_or(""), minutes->value_or(0)};
}

// "3" -> 3; nullopt when not a positive number.
std::optional<int64_t> number(const std::string& s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  int64_t v = std::stoll(s);
  return v > 0 ? std::optional(v) : std::nullopt;
}

bool visible(const Forum& f, Caller who) {
  const bool public_state = f.state == ForumState::collecting || f.state == ForumState::live ||
                            f.state == ForumState::ended || f.state == ForumState::archived;
  return public_state || allowed(who, Action::view_drafts);
}

class ProgramRoutes {
 public:
  ProgramRoutes(Store& store, const Clock& clock, const HttpRequest& req, std::string forum_id,
                const ProgramGate& gate)
      : store_(store), clock_(clock), req_(req), id_(std::move(forum_id)), gate_(gate) {}

  std::optional<HttpResponse> dispatch(const std::string& sub) {
    const std::string head = sub.substr(0, sub.find('/'));
    const std::string rest = sub.size() > head.size() ? sub.substr(head.size() + 1) : "";
    if (sub.empty()) {
      if (req_.method != "PATCH") return std::nullopt;  // GET is http_api's
      return gated(kEdit, [&](const Principal& p) { return edit(p); });
    }
    if (head == "program" && rest.empty()) {
      if (req_.method != "GET") return not_allowed();
      return read([&] { return program(); });
    }
    if (head == "panel") return panel(rest);
    if (head == "agenda") return agenda(rest);
    if (head == "figures" && rest.empty()) {
      if (req_.method != "GET") return not_allowed();
      return gated(Action::export_transcript, [&](const Principal&) { return figures(); });
    }
    return std::nullopt;
  }

 private:
  static constexpr Action kEdit = Action::edit_forum;

  template <typename F>
  HttpResponse gated(Action a, F&& then) {
    auto g = gate_(a);
    if (auto* refusal = std::get_if<HttpResponse>(&g)) return *refusal;
    return then(std::get<Principal>(g));
  }

  HttpResponse not_allowed() {
    return HttpResponse::error(405, "method_not_allowed", req_.method + " not allowed here");
  }

  // GET of the panel or agenda: whoever may see the forum (drafts: staff).
  HttpResponse read(const std::function<HttpResponse()>& then) {
    return gated(Action::view_public, [&](const Principal& p) {
      auto f = store_.forums().get_forum(id_);
      if (!f || !visible(*f, p.caller))
        return HttpResponse::error(404, "not_found", "no forum " + id_);
      return then();
    });
  }

  HttpResponse edit(const Principal& who) {
    HttpResponse bad;
    auto body = body_of(req_, &bad);
    if (!body) return bad;
    ForumEdit e;
    for (auto [key, field] : {std::pair{"title", &e.title}, std::pair{"topic", &e.topic},
                              std::pair{"starts_at", &e.starts_at}}) {
      auto v = opt_str(*body, key);
      if (!v) return error_response(v.error());
      *field = *v;
    }
    if (!e.title && !e.topic && !e.starts_at)
      return HttpResponse::error(400, "invalid_argument", "give title, topic or starts_at");
    auto f = edit_forum(store_, clock_, id_, e, who.name);
    if (!f) return error_response(f.error());
    return ok_json(forum_public(*f));
  }

  // The resident page's programme: agenda, panel and the current item at once.
  HttpResponse program() {
    auto a = agenda_reply(store_, id_);
    if (!a) return error_response(a.error());
    auto p = store_.programs().get_panel(id_);
    if (!p) return error_response(p.error());
    return ok_json({{"forum_id", id_},
                    {"agenda", (*a)["agenda"]},
                    {"panel", panel_json(*p)},
                    {"current_agenda_item", (*a)["current_item_id"]}});
  }

  // ---- panel ----

  HttpResponse panel_reply() {
    auto p = store_.programs().get_panel(id_);
    if (!p) return error_response(p.error());
    return ok_json({{"panel", panel_json(*p)}});
  }

  HttpResponse save_panel(std::vector<PanelRow> rows, const Principal& who, int status = 200) {
    auto saved =
        replace_panel(store_, clock_, id_, std::move(rows), followup_runtime().program, who.name);
    if (!saved) return error_response(saved.error());
    return ok_json({{"panel", panel_json(*saved)}}, status);
  }

  std::optional<HttpResponse> panel(const std::string& rest) {
    if (rest.empty()) {
      if (req_.method == "GET") return read([&] { return panel_reply(); });
      if (req_.method == "PUT")
        return gated(kEdit, [&](const Principal& who) {
          HttpResponse bad;
          auto body = body_of(req_, &bad);
          if (!body) return bad;
          auto it = body->find("panel");
          if (it == body->end() || !it->is_array())
            return HttpResponse::error(400, "invalid_argument", "panel must be a list");
          std::vector<PanelRow> rows;
          for (const auto& m : *it) {
            auto r = panel_row_of(m);
            if (!r) return error_response(r.error());
            rows.push_back(*r);
          }
          return save_panel(std::move(rows), who);
        });
      if (req_.method == "POST")
        return gated(kEdit, [&](const Principal& who) {
          HttpResponse bad;
          auto body = body_of(req_, &bad);
          if (!body) return bad;
          auto r = panel_row_of(*body);
          if (!r) return error_response(r.error());
          auto cur = store_.programs().get_panel(id_);
          if (!cur) return error_response(cur.error());
          cur->push_back(*r);
          return save_panel(std::move(*cur), who, 201);
        });
      return not_allowed();
    }
    auto pos = number(rest);
    if (!pos) return HttpResponse::error(404, "not_found", "nothing at " + req_.path);
    if (req_.method != "PATCH" && req_.method != "DELETE") return not_allowed();
    return gated(kEdit, [&](const Principal& who) {
      auto cur = store_.programs().get_panel(id_);
      if (!cur) return error_response(cur.error());
      if (*pos > static_cast<int64_t>(cur->size()))
        return HttpResponse::error(404, "not_found", "the panel has no member at position " + rest);
      const size_t at = static_cast<size_t>(*pos - 1);
      if (req_.method == "DELETE") {
        cur->erase(cur->begin() + static_cast<std::ptrdiff_t>(at));
        return save_panel(std::move(*cur), who);
      }
      HttpResponse bad;
      auto body = body_of(req_, &bad);
      if (!body) return bad;
      PanelRow& m = (*cur)[at];
      for (auto [key, field] :
           {std::pair{"name", &m.name}, std::pair{"title", &m.title}, std::pair{"role", &m.role}}) {
        auto v = opt_str(*body, key);
        if (!v) return error_response(v.error());
        if (*v) *field = **v;
      }
      return save_panel(std::move(*cur), who);
    });
  }

  // ---- agenda ----

  HttpResponse agenda_ok(int status = 200, std::optional<int64_t> item = std::nullopt) {
    auto r = agenda_reply(store_, id_);
    if (!r) return error_response(r.error());
    if (item)
      for (const auto& a : (*r)["agenda"])
        if (a["id"].get<int64_t>() == *item) (*r)["item"] = a;
    return ok_json(*r, status);
  }

  Result<std::vector<AgendaRow>> save_agenda(std::vector<AgendaRow> rows, const Principal& who) {
    auto before = store_.programs().get_current_item(id_);
    auto saved =
        replace_agenda(store_, clock_, id_, std::move(rows), followup_runtime().program, who.name);
    if (!saved) return saved.error();
    // The current item may have been dropped (the store cleared it) or renamed.
    if (before && *before) {
      std::optional<AgendaRow> now;
      for (const auto& r : *saved)
        if (r.id == **before) now = r;
      publish_current(now);
    }
    return saved;
  }

  void publish_current(const std::optional<AgendaRow>& item) {
    auto& rt = followup_runtime();
    if (rt.publish) rt.publish(id_, agenda_current_event(id_, item));
  }

  std::optional<HttpResponse> agenda(const std::string& rest) {
    if (rest.empty()) {
      if (req_.method == "GET") return read([&] { return agenda_ok(); });
      if (req_.method == "PUT")
        return gated(kEdit, [&](const Principal& who) {
          HttpResponse bad;
          auto body = body_of(req_, &bad);
          if (!body) return bad;
          auto it = body->find("agenda");
          if (it == body->end() || !it->is_array())
            return HttpResponse::error(400, "invalid_argument", "agenda must be a list");
          std::vector<AgendaRow> rows;
          for (const auto& m : *it) {
            auto r = agenda_row_of(m);
            if (!r) return error_response(r.error());
            rows.push_back(*r);
          }
          if (Status st = refuse_dropping_used(rows); !st) return error_response(st.error());
          auto saved = save_agenda(std::move(rows), who);
          if (!saved) return error_response(saved.error());
          return agenda_ok();
        });
      if (req_.method == "POST")
        return gated(kEdit, [&](const Principal& who) {
          HttpResponse bad;
          auto body = body_of(req_, &bad);
          if (!body) return bad;
          auto r = agenda_row_of(*body);
          if (!r) return error_response(r.error());
          r->id = 0;
          auto cur = store_.programs().get_agenda(id_);
          if (!cur) return error_response(cur.error());
          cur->push_back(*r);
          auto saved = save_agenda(std::move(*cur), who);
          if (!saved) return error_response(saved.error());
          return agenda_ok(201, saved->back().id);
        });
      return not_allowed();
    }
    if (rest == "order") {
      if (req_.method != "POST" && req_.method != "PUT") return not_allowed();
      return gated(kEdit, [&](const Principal& who) { return reorder(who); });
    }
    if (rest == "current") {
      if (req_.method == "GET") return read([&] { return agenda_ok(); });
      if (req_.method != "POST" && req_.method != "PUT") return not_allowed();
      return gated(kEdit, [&](const Principal& who) { return set_current(who); });
    }
    auto item = number(rest);
    if (!item) return HttpResponse::error(404, "not_found", "nothing at " + req_.path);
    if (req_.method != "PATCH" && req_.method != "DELETE") return not_allowed();
    return gated(kEdit, [&](const Principal& who) {
      auto cur = store_.programs().get_agenda(id_);
      if (!cur) return error_response(cur.error());
      auto it =
          std::find_if(cur->begin(), cur->end(), [&](const AgendaRow& r) { return r.id == *item; });
      if (it == cur->end())
        return HttpResponse::error(404, "not_found", "no agenda item " + rest + " in " + id_);
      if (req_.method == "DELETE") {
        cur->erase(it);
        if (Status st = refuse_dropping_used(*cur); !st) return error_response(st.error());
      } else {
        HttpResponse bad;
        auto body = body_of(req_, &bad);
        if (!body) return bad;
        auto title = opt_str(*body, "title");
        if (!title) return error_response(title.error());
        auto minutes = opt_int(*body, "planned_minutes");
        if (!minutes) return error_response(minutes.error());
        if (*title) it->title = **title;
        if (*minutes) it->planned_minutes = **minutes;
      }
      auto saved = save_agenda(std::move(*cur), who);
      if (!saved) return error_response(saved.error());
      return agenda_ok(200, req_.method == "PATCH" ? item : std::nullopt);
    });
  }

  // Questions keep their agenda item: an item some question belongs to cannot go.
  Status refuse_dropping_used(const std::vector<AgendaRow>& keep) {
    auto cur = store_.programs().get_agenda(id_);
    if (!cur) return cur.error();
    std::vector<int64_t> dropped;
    for (const auto& r : *cur)
      if (std::none_of(keep.begin(), keep.end(), [&](const AgendaRow& k) { return k.id == r.id; }))
        dropped.push_back(r.id);
    if (dropped.empty()) return ok_status();
    auto qs = store_.questions().list_questions(id_);
    if (!qs) return qs.error();
    for (const auto& q : *qs)
      if (q.agenda_item &&
          std::find(dropped.begin(), dropped.end(), *q.agenda_item) != dropped.end())
        return make_error("agenda_item_in_use", "agenda item " + std::to_string(*q.agenda_item) +
                                                    " has questions (e.g. #" +
                                                    std::to_string(q.id) +
                                                    "); move them to another item first");
    return ok_status();
  }

  HttpResponse reorder(const Principal& who) {
    HttpResponse bad;
    auto body = body_of(req_, &bad);
    if (!body) return bad;
    auto it = body->find("ids");
    if (it == body->end() || !it->is_array())
      return HttpResponse::error(400, "invalid_argument", "ids must be a list of item ids");
    auto cur = store_.programs().get_agenda(id_);
    if (!cur) return error_response(cur.error());
    std::vector<AgendaRow> rows;
    for (const auto& v : *it) {
      if (!v.is_number_integer())
        return HttpResponse::error(400, "invalid_argument", "ids must be item ids");
      auto f = std::find_if(cur->begin(), cur->end(),
                            [&](const AgendaRow& r) { return r.id == v.get<int64_t>(); });
      if (f == cur->end())
        return HttpResponse::error(400, "invalid_argument",
                                   "no agenda item " + std::to_string(v.get<int64_t>()));
      rows.push_back(*f);
    }
    if (rows.size() != cur->size())
      return HttpResponse::error(400, "invalid_argument",
                                 "ids must list every agenda item exactly once");
    auto saved = save_agenda(std::move(rows), who);  // duplicates refused there
    if (!saved) return error_response(saved.error());
    return agenda_ok();
  }

  HttpResponse set_current(const Principal& who) {
    HttpResponse bad;
    auto body = body_of(req_, &bad);
    if (!body) return bad;
    if (!body->contains("item_id"))
      return HttpResponse::error(400, "invalid_argument", "give item_id (null clears it)");
    auto item = opt_int(*body, "item_id");
    if (!item) return error_response(item.error());
    if (Status st = set_current_agenda_item(store_, clock_, id_, *item, who.name); !st)
      return error_response(st.error());
    std::optional<AgendaRow> row;
    if (*item)
      if (auto a = store_.programs().get_agenda(id_); a)
        for (const auto& r : *a)
          if (r.id == **item) row = r;
    publish_current(row);
    return agenda_ok();
  }

  HttpResponse figures() { return forum_figures(store_, clock_, id_); }

  Store& store_;
  const Clock& clock_;
  const HttpRequest& req_;
  std::string id_;
  const ProgramGate& gate_;
};

}  // namespace

FollowupRuntime followup_runtime_from(const Config& c) {
  FollowupRuntime r;
  r.configured = true;
  r.tickets.max_title_chars = static_cast<int>(c.ticket.max_title_chars);
  r.tickets.max_description_chars = static_cast<int>(c.ticket.max_description_chars);
  r.tickets.max_note_chars = static_cast<int>(c.ticket.max_note_chars);
  r.tickets.max_assignees = static_cast<int>(c.ticket.max_assignees);
  r.tickets.reopen_at_or_below_stars = static_cast<int>(c.ticket.reopen_at_or_below_stars);
  r.tickets.close_on_confirm = c.ticket.close_on_confirm;
  r.tickets.auto_close_days = static_cast<int>(c.ticket.auto_close_days);
  r.webhook_retry.first_delay_ms = c.webhook.retry_first_delay_ms;
  r.webhook_retry.max_delay_ms = c.webhook.retry_max_delay_ms;
  r.webhook_retry.max_attempts = static_cast<int>(c.webhook.max_attempts);
  r.webhook_retry.allow_http_loopback = c.webhook.allow_http_loopback;
  r.webhook_max_endpoints = static_cast<size_t>(c.webhook.max_endpoints);
  r.program.panel_max_members = static_cast<size_t>(c.forum.panel_max_members);
  r.program.agenda_max_items = static_cast<size_t>(c.forum.agenda_max_items);
  r.program.agenda_max_minutes = c.forum.agenda_max_minutes;
  r.program.text_max_chars = static_cast<size_t>(c.forum.text_max_chars);
  r.transcript.max_comments = static_cast<size_t>(c.export_.max_comments);
  r.export_max_concurrent = static_cast<size_t>(c.export_.max_concurrent);
  return r;
}

FollowupRuntime& followup_runtime() {
  static FollowupRuntime r = [] {
    FollowupRuntime d = followup_runtime_from(Config{});
    d.configured = false;  // routes keep the limits their caller gave them
    return d;
  }();
  return r;
}

std::string agenda_current_event(const std::string& forum_id,
                                 const std::optional<AgendaRow>& item) {
  json j = {{"ev", "agenda_current"}, {"forum", forum_id}};
  j["item"] = item ? json{{"id", item->id},
                          {"title", item->title},
                          {"planned_minutes", item->planned_minutes}}
                   : json();
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<HttpResponse> route_forum_program(Store& store, const Clock& clock,
                                                const HttpRequest& req, const std::string& forum_id,
                                                const std::string& sub, const ProgramGate& gate) {
  ProgramRoutes routes(store, clock, req, forum_id, gate);
  return routes.dispatch(sub);
}

HttpResponse forum_figures(Store& store, const Clock& clock, const std::string& forum_id) {
  auto f = store.forums().get_forum(forum_id);
  if (!f) return error_response(f.error());
  TranscriptLimits lim;
  lim.max_comments = 0;  // figures need questions and tickets only
  lim.max_audit_scan = 0;
  lim.question_history = false;
  auto t = build_transcript(store, forum_id, clock.wall_ms(), lim);
  if (!t) return error_response(t.error());
  const auto report = followup::compute_figures(*t);
  json j = {{"forum_id", forum_id},
            {"title", f->title},
            {"state", std::string(to_string(f->state))},
            {"figures", json::parse(followup::figures_json(report))}};
  return ok_json(j);
}

HttpResponse cross_forum_figures(Store& store, const Clock& clock, const HttpRequest& req) {
  std::string by = req.query_param("by");
  if (by.empty()) by = "compound";
  if (by != "compound" && by != "forum")
    return HttpResponse::error(400, "invalid_argument", "by must be compound or forum");
  auto forums = store.forums().list_forums();
  if (!forums) return error_response(forums.error());
  TranscriptLimits lim;
  lim.max_comments = 0;
  lim.max_audit_scan = 0;
  lim.question_history = false;
  std::vector<followup::Transcript> ts;
  std::vector<const Forum*> used;
  for (const Forum& f : *forums) {
    if (f.state == ForumState::draft) continue;
    auto t = build_transcript(store, f.id, clock.wall_ms(), lim);
    if (!t) return error_response(t.error());
    ts.push_back(std::move(*t));
    used.push_back(&f);
  }
  std::vector<const followup::Transcript*> ptrs;
  for (const auto& t : ts) ptrs.push_back(&t);
  json ids = json::array();
  for (const Forum* f : used) ids.push_back(f->id);
  json j = {{"by", by},
            {"forums", ids},
            {"figures", json::parse(followup::figures_json(followup::compute_figures(ptrs)))}};
  if (by == "forum") {
    json rows = json::array();
    for (size_t k = 0; k < ts.size(); ++k) {
      json one = json::parse(followup::figures_json(followup::compute_figures(ts[k])));
      rows.push_back({{"forum_id", used[k]->id},
                      {"title", used[k]->title},
                      {"state", std::string(to_string(used[k]->state))},
                      {"figures", one["forum"]}});
    }
    j["by_forum"] = rows;
  }
  return ok_json(j);
}

}  // namespace forumcast
