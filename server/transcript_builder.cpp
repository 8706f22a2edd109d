// server/transcript_builder.cpp: store rows -> followup::Transcript (see the header).
// Mapping rules worth knowing:
//   - A question's answers (answers_json) are attached to the on-air stretch whose
//     wall-clock span contains the answer's time (the last stretch if none does);
//     that stretch is `answered`. A stretch without a stream time starts at 0.
//   - History from/to are the "state" fields of the entry's before/after JSON, and
//     only when they differ; the note is the reject reason, the merge target or the
//     edit's new text, whichever the entry carries.
//   - A comment is hidden if the last comment.hide/comment.unhide audit entry for
//     "comment:<seq>" is a hide; hidden_by is that entry's actor.
#include "server/transcript_builder.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace forumcast {
namespace {

using json = nlohmann::json;
namespace fu = followup;

json parse_or(const std::string& text, json fallback) {
  if (text.empty()) return fallback;
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

// The fields of a comment event that a transcript keeps, read with nlohmann's SAX
// interface: no DOM per event (a big forum exports 50,000 of them).
struct CommentFields {
  std::string text, name, compound, building;
  std::optional<int64_t> stream_ms;
};

class CommentSax final : public nlohmann::json_sax<json> {
 public:
  explicit CommentSax(CommentFields& f) : f_(f) {}
  bool is_object() const { return object_; }

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t v) override {
    if (depth_ == 1 && stream_) f_.stream_ms = v;
    return value();
  }
  bool number_unsigned(number_unsigned_t v) override {
    if (depth_ == 1 && stream_) f_.stream_ms = static_cast<int64_t>(v);
    return value();
  }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t& v) override {
    if (depth_ == 1 && target_) *target_ = std::move(v);
    return value();
  }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    if (depth_ == 0) object_ = true;
    ++depth_;
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ != 1) return true;
    target_ = k == "text"       ? &f_.text
              : k == "name"     ? &f_.name
              : k == "compound" ? &f_.compound
              : k == "building" ? &f_.building
                                : nullptr;
    stream_ = k == "stream_ms";
    return true;
  }
  bool end_object() override {
    --depth_;
    return value();
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return value();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool value() {
    if (depth_ <= 1) {
      target_ = nullptr;
      stream_ = false;
    }
    return true;
  }
  CommentFields& f_;
  int depth_ = 0;
  bool object_ = false;
  std::string* target_ = nullptr;
  bool stream_ = false;
};

std::optional<int64_t> opt_int(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

fu::HistoryEntry history_entry(const QuestionHistoryRow& h) {
  fu::HistoryEntry e;
  e.op = h.op;
  e.actor = h.actor;
  e.actor_role = h.actor_role;
  e.at_ms = h.at_ms;
  e.stream_ms = h.stream_ms;
  json before = parse_or(h.before_json, json::object());
  json after = parse_or(h.after_json, json::object());
  if (!before.is_object()) before = json::object();
  if (!after.is_object()) after = json::object();
  std::string from = str(before, "state"), to = str(after, "state");
  if (from != to) {
    e.from_state = from;
    e.to_state = to;
  }
  if (h.op == "ask" || h.op == "follow_up") e.from_state.clear();
  if (after.contains("reject_reason") && !str(after, "reject_reason").empty())
    e.note = str(after, "reject_reason");
  else if (auto m = opt_int(after, "merged_into"))
    e.note = "#" + std::to_string(*m);
  else if (h.op == "edit")
    e.note = str(after, "text");
  return e;
}

std::vector<fu::OnAirRange> on_air_ranges(const QuestionRow& r) {
  std::vector<fu::OnAirRange> out;
  json oa = parse_or(r.on_air_json, json::array());
  for (const auto& o : oa) {
    fu::OnAirRange range;
    range.start_stream_ms = opt_int(o, "start_stream_ms").value_or(0);
    range.end_stream_ms = opt_int(o, "end_stream_ms");
    range.started_at_ms = opt_int(o, "start_ms").value_or(0);
    range.ended_at_ms = opt_int(o, "end_ms");
    out.push_back(range);
  }
  json an = parse_or(r.answers_json, json::array());
  for (const auto& a : an) {
    if (out.empty()) break;
    const int64_t at = opt_int(a, "at_ms").value_or(0);
    fu::OnAirRange* hit = &out.back();
    for (auto& range : out)
      if (at >= range.started_at_ms && (!range.ended_at_ms || at <= *range.ended_at_ms))
        hit = &range;
    hit->answered = true;
    hit->panelist = str(a, "panelist");
    hit->summary = str(a, "summary");
  }
  return out;
}

fu::Question question_from(const QuestionRow& r) {
  fu::Question q;
  q.id = r.id;
  q.parent_id = r.parent_id;
  q.text = r.text;
  q.original_text = r.original_text.value_or("");
  q.state = fu::question_state_from_string(r.state).value_or(fu::QuestionState::pending);
  q.category = fu::question_category_from_string(r.category).value_or(fu::QuestionCategory::none);
  for (const auto& t : parse_or(r.tags_json, json::array()))
    if (t.is_string()) q.tags.push_back(t.get<std::string>());
  q.source = r.source.empty() ? "resident" : r.source;
  q.agenda_item_id = r.agenda_item;
  q.merged_into = r.merged_into;
  q.reject_reason = r.reject_reason;
  q.reject_text = r.reject_text;
  q.asker = fu::Resident{r.display_name, r.compound, r.building, "", r.asker_device_hash};
  q.votes = static_cast<int>(r.votes);
  q.created_ms = r.created_ms;
  q.created_stream_ms = r.created_stream_ms;
  q.on_air = on_air_ranges(r);
  return q;
}

Result<std::vector<fu::Comment>> comments_of(Store& store, const std::string& forum_id,
                                             const TranscriptLimits& limits) {
  auto events = store.chat_log().load_tail(forum_id, limits.max_comments);
  if (!events.ok()) {
    if (events.error().code == "not_found") return std::vector<fu::Comment>{};
    return events.error();
  }
  auto audit = store.audit().list_audit(forum_id, limits.max_audit_scan);
  if (!audit.ok()) return audit.error();
  std::unordered_map<int64_t, std::string> hidden_by;           // seq -> actor, last entry wins
  for (auto it = audit->rbegin(); it != audit->rend(); ++it) {  // oldest first
    if (it->target.rfind("comment:", 0) != 0) continue;
    const int64_t seq = std::strtoll(it->target.c_str() + 8, nullptr, 10);
    if (it->action == "comment.hide") hidden_by[seq] = it->actor;
    if (it->action == "comment.unhide") hidden_by.erase(seq);
  }
  std::vector<fu::Comment> out;
  for (const auto& ev : *events) {
    if (ev.kind != "comment") continue;
    CommentFields b;
    CommentSax sax(b);
    if (!json::sax_parse(ev.body, &sax) || !sax.is_object()) continue;
    fu::Comment c;
    c.id = ev.seq;
    c.text = std::move(b.text);
    std::string token = ev.author_key.rfind("staff:", 0) == 0 ? std::string() : ev.author_key;
    c.author =
        fu::Resident{std::move(b.name), std::move(b.compound), std::move(b.building), "", token};
    c.at_ms = ev.at_ms;
    c.stream_ms = b.stream_ms;
    if (auto h = hidden_by.find(ev.seq); h != hidden_by.end()) {
      c.hidden = true;
      c.hidden_by = h->second;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

fu::Ticket ticket_from_record(const TicketRecord& rec) {
  const TicketRow& r = rec.ticket;
  fu::Ticket t;
  t.id = r.id;
  t.forum_id = r.forum_id;
  t.question_id = r.question_id;
  t.title = r.title;
  t.description = r.description;
  t.category = fu::ticket_category_from_string(r.category).value_or(fu::TicketCategory::problem);
  t.location = fu::Location{r.compound, r.building};
  for (const auto& a : parse_or(r.assignees_json, json::array()))
    t.assignees.push_back(fu::Assignee{
        str(a, "kind") == "worker" ? fu::Assignee::Kind::worker : fu::Assignee::Kind::department,
        str(a, "name")});
  t.due_ms = r.due_ms;
  t.state = fu::ticket_state_from_string(r.state).value_or(fu::TicketState::open);
  t.created_by = r.created_by;
  t.created_ms = r.created_ms;
  t.resolved_ms = r.resolved_ms;
  t.closed_ms = r.closed_ms;
  t.resolution_round = static_cast<int>(r.resolution_round);
  auto st = [](const std::string& s) {
    return fu::ticket_state_from_string(s).value_or(fu::TicketState::open);
  };
  for (const auto& e : rec.history)
    t.history.push_back(fu::TicketEvent{e.action, st(e.from_state), st(e.to_state), e.actor,
                                        e.at_ms, e.note, e.is_public});
  for (const auto& x : rec.ratings)
    t.ratings.push_back(fu::Rating{x.rater, x.rater_name, static_cast<int>(x.stars), x.confirmed,
                                   x.comment, x.at_ms, static_cast<int>(x.round)});
  return t;
}

TicketRow row_from_ticket(const fu::Ticket& t, std::optional<int64_t> thread_id, int64_t version,
                          int64_t now_ms) {
  TicketRow r;
  r.id = t.id;
  r.forum_id = t.forum_id;
  r.question_id = t.question_id;
  r.thread_id = thread_id;
  r.title = t.title;
  r.description = t.description;
  r.category = std::string(fu::to_string(t.category));
  r.compound = t.location.compound;
  r.building = t.location.building;
  json as = json::array();
  for (const auto& a : t.assignees)
    as.push_back({{"kind", fu::to_string(a.kind)}, {"name", a.name}});
  r.assignees_json = as.dump();
  r.due_ms = t.due_ms;
  r.state = std::string(fu::to_string(t.state));
  r.created_by = t.created_by;
  r.created_ms = t.created_ms;
  r.resolved_ms = t.resolved_ms;
  r.closed_ms = t.closed_ms;
  r.resolution_round = t.resolution_round;
  r.updated_ms = now_ms;
  r.version = version;
  return r;
}

TicketChange change_from(const TicketRecord& before, const fu::Ticket& after, int64_t now_ms) {
  TicketChange c;
  c.ticket = row_from_ticket(after, before.ticket.thread_id, before.ticket.version, now_ms);
  for (size_t i = before.history.size(); i < after.history.size(); ++i) {
    const auto& e = after.history[i];
    c.new_events.push_back(TicketEventRow{0, after.id, e.action, std::string(fu::to_string(e.from)),
                                          std::string(fu::to_string(e.to)), e.actor, e.at_ms,
                                          e.note, e.is_public});
  }
  for (size_t i = before.ratings.size(); i < after.ratings.size(); ++i) {
    const auto& x = after.ratings[i];
    c.new_ratings.push_back(TicketRatingRow{after.id, x.rater, x.rater_name, x.stars, x.confirmed,
                                            x.comment, x.at_ms, x.round});
  }
  return c;
}

Result<fu::Transcript> build_transcript(Store& store, const std::string& forum_id, int64_t now_ms,
                                        const TranscriptLimits& limits) {
  auto forum = store.forums().get_forum(forum_id);
  if (!forum.ok()) return forum.error();
  fu::Transcript t;
  t.generated_ms = now_ms;
  t.forum = fu::ForumInfo{forum->id, forum->title, forum->topic, forum->starts_at, forum->state};

  // Panel and agenda: a store without them (not_supported) exports empty lists.
  if (auto panel = store.programs().get_panel(forum_id); panel.ok()) {
    for (const auto& p : *panel)
      t.panel.push_back(fu::PanelMember{
          p.name, p.title, fu::panel_role_from_string(p.role).value_or(fu::PanelRole::expert)});
  } else if (panel.error().code != "not_supported") {
    return panel.error();
  }
  if (auto agenda = store.programs().get_agenda(forum_id); agenda.ok()) {
    for (const auto& a : *agenda)
      t.agenda.push_back(fu::AgendaItem{a.id, a.title, static_cast<int>(a.planned_minutes)});
  } else if (agenda.error().code != "not_supported") {
    return agenda.error();
  }

  auto rows = store.questions().list_questions(forum_id);
  if (!rows.ok()) return rows.error();
  std::unordered_map<int64_t, std::vector<fu::HistoryEntry>> hist;
  if (limits.question_history) {
    auto history = store.questions().list_history(forum_id, std::nullopt);
    if (!history.ok()) return history.error();
    for (const auto& h : *history) hist[h.question_id].push_back(history_entry(h));
  }

  std::map<int64_t, fu::Question> top;  // ascending id = asking order
  std::vector<fu::Question> follow_ups;
  for (const auto& r : *rows) {
    fu::Question q = question_from(r);
    if (auto h = hist.find(q.id); h != hist.end()) q.history = std::move(h->second);
    if (q.parent_id)
      follow_ups.push_back(std::move(q));
    else
      top.emplace(q.id, std::move(q));
  }
  for (auto& f : follow_ups) {
    auto it = top.find(*f.parent_id);
    if (it != top.end()) {
      it->second.follow_ups.push_back(std::move(f));
    } else {  // parent gone (should not happen): keep it as a thread of its own
      f.parent_id.reset();
      top.emplace(f.id, std::move(f));
    }
  }
  for (auto& [id, q] : top) t.questions.push_back(std::move(q));

  auto comments = comments_of(store, forum_id, limits);
  if (!comments.ok()) return comments.error();
  t.comments = std::move(comments.value());

  if (auto tickets = store.tickets().list_tickets({.forum_id = forum_id, .limit = SIZE_MAX});
      tickets.ok()) {
    for (const auto& rec : *tickets) t.tickets.push_back(ticket_from_record(rec));
  } else if (tickets.error().code != "not_supported") {
    return tickets.error();
  }
  return t;
}

namespace {

// Residents' phone numbers (POST /api/v1/device/contact), only for exports with
// contacts. The chat records residents as "dev:" + the token's hash; devices are
// keyed by the bare hash. One read per distinct resident.
void fill_phones(Store& store, fu::Transcript& t) {
  std::unordered_map<std::string, std::string> cache;
  auto phone_of = [&](const std::string& key) -> std::string {
    if (key.empty()) return {};
    auto [it, fresh] = cache.try_emplace(key);
    if (fresh) {
      const std::string hash = key.rfind("dev:", 0) == 0 ? key.substr(4) : key;
      if (auto p = store.devices().get_device_phone(hash); p.ok()) it->second = *p;
    }
    return it->second;
  };
  for (auto& q : t.questions) {
    q.asker.phone = phone_of(q.asker.device_token);
    for (auto& f : q.follow_ups) f.asker.phone = phone_of(f.asker.device_token);
  }
  for (auto& c : t.comments) c.author.phone = phone_of(c.author.device_token);
}

}  // namespace

Result<ExportedFile> export_forum(Store& store, const std::string& forum_id, fu::Format format,
                                  const fu::ExportOptions& options, const std::string& actor,
                                  int64_t now_ms, const TranscriptLimits& limits) {
  TranscriptLimits lim = limits;
  lim.question_history = lim.question_history && format == fu::Format::json;  // json only
  auto t = build_transcript(store, forum_id, now_ms, lim);
  if (!t.ok()) return t.error();
  if (options.include_contacts) {
    AuditEntry a;
    a.forum_id = forum_id;
    a.actor = actor;
    a.action = "transcript.export_contacts";
    a.target = "forum:" + forum_id;
    a.after_json = json{{"format", fu::to_string(format)},
                        {"include_contacts", true},
                        {"include_hidden_comments", options.include_hidden_comments}}
                       .dump();
    a.at_ms = now_ms;
    auto id = store.audit().append_audit(a);
    if (!id.ok()) return id.error();
    fill_phones(store, *t);
  }
  auto bytes = fu::export_transcript(*t, format, options);
  if (!bytes.ok()) return bytes.error();
  return ExportedFile{std::move(bytes.value()), std::string(fu::content_type(format)),
                      forum_id + "-transcript" + std::string(fu::file_extension(format))};
}

}  // namespace forumcast
