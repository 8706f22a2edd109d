// server/admin.cpp: see admin.hpp.
#include "server/admin.hpp"

#include <atomic>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/random.hpp"
#include "core/text.hpp"
#include "server/auth.hpp"

namespace forumcast {
namespace {

std::string forum_json(const Forum& f) {
  nlohmann::json j = {{"id", f.id},
                      {"title", f.title},
                      {"topic", f.topic},
                      {"starts_at", f.starts_at},
                      {"state", std::string(to_string(f.state))}};
  return j.dump();
}

void audit(Store& store, const Clock& clock, const std::string& forum_id, const std::string& actor,
           const std::string& action, const std::string& target, const std::string& before,
           const std::string& after) {
  AuditEntry e;
  e.forum_id = forum_id;
  e.actor = actor;
  e.action = action;
  e.target = target;
  e.before_json = before;
  e.after_json = after;
  e.at_ms = clock.wall_ms();
  (void)store.audit().append_audit(e);
}

Result<std::string> clean_field(const std::string& field, const std::string& v, size_t min_chars,
                                size_t max_chars) {
  auto cleaned = clean_text(v);
  if (!cleaned) return make_error("invalid_argument", field + " is not valid UTF-8");
  size_t n = count_chars(*cleaned);
  if (n < min_chars || n > max_chars)
    return make_error("invalid_argument", field + " must have " + std::to_string(min_chars) +
                                              " to " + std::to_string(max_chars) + " characters");
  return *cleaned;
}

std::string host_of(const std::string& base_url) {
  size_t start = base_url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  std::string rest = base_url.substr(start);
  rest = rest.substr(0, rest.find('/'));
  if (!rest.empty() && rest.front() == '[') return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

}  // namespace

bool valid_account_name(const std::string& name) {
  static const std::regex re("^[a-z0-9][a-z0-9._-]{1,31}$");
  return std::regex_match(name, re);
}

bool valid_starts_at(const std::string& s) {
  if (s.empty()) return true;
  static const std::regex re(
      R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$)");
  return std::regex_match(s, re);
}

Result<Forum> create_forum(Store& store, const Clock& clock, const NewForum& nf,
                           const std::string& actor) {
  auto title = clean_field("title", nf.title, 1, 120);
  if (!title) return title.error();
  auto topic = clean_field("topic", nf.topic, 0, 500);
  if (!topic) return topic.error();
  if (!valid_starts_at(nf.starts_at))
    return make_error("invalid_argument",
                      "starts_at must be RFC 3339, e.g. 2026-12-05T14:00:00+08:00");
  Forum f;
  f.id = nf.id.empty() ? new_forum_id() : nf.id;
  f.title = *title;
  f.topic = *topic;
  f.starts_at = nf.starts_at;
  f.state = nf.state;
  f.stream_key = new_secret_token();
  f.created_ms = clock.wall_ms();
  f.updated_ms = f.created_ms;
  Status st = store.forums().create_forum(f);
  if (!st) return st.error();
  audit(store, clock, f.id, actor, "forum.create", f.id, "", forum_json(f));
  return f;
}

Result<Forum> set_forum_state(Store& store, const Clock& clock, const std::string& id,
                              ForumState state, const std::string& actor) {
  auto before = store.forums().get_forum(id);
  if (!before) return before.error();
  Status st = store.forums().set_forum_state(id, state, clock.wall_ms());
  if (!st) return st.error();
  auto after = store.forums().get_forum(id);
  if (!after) return after.error();
  audit(store, clock, id, actor, "forum.set_state", id, forum_json(*before), forum_json(*after));
  return after;
}

Result<Forum> edit_forum(Store& store, const Clock& clock, const std::string& id,
                         const ForumEdit& edit, const std::string& actor) {
  auto before = store.forums().get_forum(id);
  if (!before) return before.error();
  if (before->state == ForumState::archived)
    return make_error("forum_archived", "forum " + id + " is archived (read-only)");
  Forum f = *before;
  if (edit.title) {
    auto title = clean_field("title", *edit.title, 1, 120);
    if (!title) return title.error();
    f.title = *title;
  }
  if (edit.topic) {
    auto topic = clean_field("topic", *edit.topic, 0, 500);
    if (!topic) return topic.error();
    f.topic = *topic;
  }
  if (edit.starts_at) {
    if (!valid_starts_at(*edit.starts_at))
      return make_error("invalid_argument",
                        "starts_at must be RFC 3339, e.g. 2026-12-05T14:00:00+08:00");
    f.starts_at = *edit.starts_at;
  }
  f.updated_ms = clock.wall_ms();
  Status st = store.forums().update_forum(f);
  if (!st) return st.error();
  audit(store, clock, id, actor, "forum.edit", id, forum_json(*before), forum_json(f));
  return f;
}

std::optional<std::string> panel_role_from_string(const std::string& role) {
  if (role == "secretary" || role == "expert" || role == "deputy" ||
      role == "resident_representative")
    return role;
  if (role == "resident_rep") return std::string("resident_representative");
  return std::nullopt;
}

namespace {

Status writable_forum(Store& store, const std::string& forum_id) {
  auto f = store.forums().get_forum(forum_id);
  if (!f) return f.error();
  if (f->state == ForumState::archived)
    return make_error("forum_archived", "forum " + forum_id + " is archived (read-only)");
  return ok_status();
}

nlohmann::json panel_json(const std::vector<PanelRow>& panel) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& p : panel) a.push_back({{"name", p.name}, {"title", p.title}, {"role", p.role}});
  return a;
}

nlohmann::json agenda_json(const std::vector<AgendaRow>& agenda) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& r : agenda)
    a.push_back({{"id", r.id}, {"title", r.title}, {"planned_minutes", r.planned_minutes}});
  return a;
}

AuditEntry audit_entry(const Clock& clock, const std::string& forum_id, const std::string& actor,
                       const std::string& action, std::string before, std::string after) {
  AuditEntry e;
  e.forum_id = forum_id;
  e.actor = actor;
  e.action = action;
  e.target = forum_id;
  e.before_json = std::move(before);
  e.after_json = std::move(after);
  e.at_ms = clock.wall_ms();
  return e;
}

}  // namespace

Result<std::vector<PanelRow>> replace_panel(Store& store, const Clock& clock,
                                            const std::string& forum_id,
                                            std::vector<PanelRow> panel,
                                            const ProgramLimits& limits, const std::string& actor) {
  if (Status w = writable_forum(store, forum_id); !w) return w.error();
  if (panel.size() > limits.panel_max_members)
    return make_error("too_many", "a panel has at most " +
                                      std::to_string(limits.panel_max_members) +
                                      " members (forum.panel_max_members)");
  const size_t max = limits.text_max_chars;
  for (auto& p : panel) {
    auto name = clean_field("name", p.name, 1, max);
    if (!name) return name.error();
    auto title = clean_field("title", p.title, 0, max);
    if (!title) return title.error();
    auto role = panel_role_from_string(p.role);
    if (!role)
      return make_error("invalid_argument",
                        "role must be secretary, expert, deputy or resident_representative");
    p = PanelRow{*name, *title, *role};
  }
  auto before = store.programs().get_panel(forum_id);
  if (!before) return before.error();
  Status st =
      store.programs().set_panel(forum_id, panel,
                                 audit_entry(clock, forum_id, actor, "forum.panel",
                                             panel_json(*before).dump(), panel_json(panel).dump()));
  if (!st) return st.error();
  return panel;
}

Result<std::vector<AgendaRow>> replace_agenda(Store& store, const Clock& clock,
                                              const std::string& forum_id,
                                              std::vector<AgendaRow> agenda,
                                              const ProgramLimits& limits,
                                              const std::string& actor) {
  if (Status w = writable_forum(store, forum_id); !w) return w.error();
  if (agenda.size() > limits.agenda_max_items)
    return make_error("too_many", "an agenda has at most " +
                                      std::to_string(limits.agenda_max_items) +
                                      " items (forum.agenda_max_items)");
  auto before = store.programs().get_agenda(forum_id);
  if (!before) return before.error();
  std::vector<int64_t> seen;
  for (auto& a : agenda) {
    auto title = clean_field("title", a.title, 1, limits.text_max_chars);
    if (!title) return title.error();
    a.title = *title;
    if (a.planned_minutes < 0 || a.planned_minutes > limits.agenda_max_minutes)
      return make_error("invalid_argument", "planned_minutes must be 0 to " +
                                                std::to_string(limits.agenda_max_minutes));
    if (a.id != 0) {
      bool known = false;
      for (const auto& b : *before) known = known || b.id == a.id;
      if (!known)
        return make_error("invalid_argument",
                          "agenda item " + std::to_string(a.id) + " is not one of this forum's");
      for (int64_t s : seen)
        if (s == a.id)
          return make_error("invalid_argument",
                            "agenda item " + std::to_string(a.id) + " appears twice");
      seen.push_back(a.id);
    }
  }
  auto after = store.programs().set_agenda(
      forum_id, agenda,
      audit_entry(clock, forum_id, actor, "forum.agenda", agenda_json(*before).dump(),
                  agenda_json(agenda).dump()));
  if (!after) return after.error();
  return after;
}

Status set_current_agenda_item(Store& store, const Clock& clock, const std::string& forum_id,
                               std::optional<int64_t> item_id, const std::string& actor) {
  if (Status w = writable_forum(store, forum_id); !w) return w;
  auto before = store.programs().get_current_item(forum_id);
  if (!before) return before.error();
  auto j = [](const std::optional<int64_t>& v) {
    return nlohmann::json{{"item_id", v ? nlohmann::json(*v) : nlohmann::json()}}.dump();
  };
  return store.programs().set_current_item(
      forum_id, item_id, clock.wall_ms(),
      audit_entry(clock, forum_id, actor, "forum.agenda_current", j(*before), j(item_id)));
}

Result<Account> add_account(Store& store, const Clock& clock, const std::string& name, Role role,
                            const std::string& password, size_t password_min_chars,
                            const std::string& actor) {
  if (!valid_account_name(name))
    return make_error("invalid_argument",
                      "name must be 2-32 characters of a-z 0-9 . _ - starting with a letter or "
                      "digit");
  if (role == Role::resident)
    return make_error("invalid_argument", "role must be moderator, organizer or panelist");
  if (!is_valid_utf8(password) || count_chars(password) < password_min_chars)
    return make_error("invalid_argument", "password must have at least " +
                                              std::to_string(password_min_chars) + " characters");
  auto hash = hash_password(password);
  if (!hash) return hash.error();
  Account a;
  a.name = name;
  a.role = role;
  a.password_hash = *hash;
  a.created_ms = clock.wall_ms();
  auto added = store.accounts().add_account(a);
  if (!added) return added.error();
  nlohmann::json after = {{"name", name}, {"role", std::string(to_string(role))}};
  audit(store, clock, "", actor, "user.add", name, "", after.dump());
  return added;
}

Status disable_account(Store& store, const Clock& clock, const std::string& name,
                       const std::string& actor) {
  auto acct = store.accounts().get_account(name);
  if (!acct) return acct.error();
  Status st = store.accounts().set_account_disabled(name, true);
  if (!st) return st;
  st = store.sessions().revoke_sessions_of(acct->id);
  if (!st) return st;
  audit(store, clock, "", actor, "user.disable", name, R"({"disabled":false})",
        R"({"disabled":true})");
  return ok_status();
}

Status reset_password(Store& store, const Clock& clock, const std::string& name,
                      const std::string& password, const std::string& actor) {
  auto acct = store.accounts().get_account(name);
  if (!acct) return acct.error();
  auto hash = hash_password(password);
  if (!hash) return hash.error();
  Status st = store.accounts().set_password_hash(name, *hash);
  if (!st) return st;
  st = store.accounts().set_account_disabled(name, false);
  if (!st) return st;
  st = store.sessions().revoke_sessions_of(acct->id);
  if (!st) return st;
  audit(store, clock, "", actor, "user.reset_password", name, "", "");
  return ok_status();
}

namespace {
std::atomic<int> g_rtmp_url_port{1935};
std::atomic<bool> g_srt_urls{false};
}  // namespace
void set_srt_urls_enabled(bool on) {
  g_srt_urls = on;
}
void set_rtmp_url_port(int port) {
  g_rtmp_url_port = port;
}

ForumUrls forum_urls(const std::string& base_url, const Forum& f) {
  ForumUrls u;
  u.resident = base_url + "/f/" + f.id;
  u.moderator = base_url + "/mod/" + f.id;
  u.hls = base_url + "/hls/" + f.id + "/index.m3u8";
  u.rtmp = "rtmp://" + host_of(base_url) + ":" + std::to_string(g_rtmp_url_port.load()) + "/live/" +
           f.stream_key;
  if (g_srt_urls.load() && f.srt_port)
    u.srt = "srt://" + host_of(base_url) + ":" + std::to_string(*f.srt_port) +
            "?passphrase=" + f.stream_key + "&pbkeylen=16";
  return u;
}

}  // namespace forumcast
