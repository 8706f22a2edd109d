// followup/json_writer.cpp: the complete, versioned JSON transcript
// ("schema": "forumcast.transcript.v1", every field in docs/transcript.md).
// Machine values (status "answered", category "need") rather than labels; times
// as integer ms plus RFC 3339 text for people. Contacts and hidden comments
// follow ExportOptions. Invalid UTF-8 (should not reach here) is replaced, not thrown.
#include <nlohmann/json.hpp>

#include "followup/export_common.hpp"
#include "followup/writers.hpp"

namespace forumcast::followup {
namespace {

using J = nlohmann::ordered_json;

J opt(const std::optional<int64_t>& v) { return v ? J(*v) : J(nullptr); }
J opt_str(const std::string& s) { return s.empty() ? J(nullptr) : J(s); }

J resident(const Resident& r, const ExportOptions& o) {
  J j = {{"display_name", r.display_name}, {"compound", r.compound}, {"building", r.building}};
  if (o.include_contacts) {
    j["phone"] = r.phone;
    j["device_token"] = r.device_token;
  }
  return j;
}

J question(const Transcript& t, const Question& q, const detail::TicketIndex& idx,
           const ExportOptions& o) {
  J j;
  j["id"] = q.id;
  j["parent_id"] = opt(q.parent_id);
  j["text"] = q.text;
  j["original_text"] = opt_str(q.original_text);
  j["status"] = to_string(q.status);
  j["category"] = q.category == QuestionCategory::none ? J(nullptr) : J(to_string(q.category));
  j["tags"] = q.tags;
  j["source"] = q.source;
  j["agenda_item_id"] = opt(q.agenda_item_id);
  j["merged_into"] = opt(q.merged_into);
  j["reject_reason"] = opt_str(q.reject_reason);
  j["asker"] = resident(q.asker, o);
  j["votes"] = q.votes;
  j["created_ms"] = q.created_ms;
  j["created_at"] = detail::rfc3339_or_empty(q.created_ms);
  j["created_stream_ms"] = opt(q.created_stream_ms);
  J hist = J::array();
  for (const auto& h : q.history)
    hist.push_back({{"action", h.action}, {"from", opt_str(h.from_status)}, {"to", h.to_status},
                    {"actor", h.actor}, {"at_ms", h.at_ms}, {"stream_ms", opt(h.stream_ms)},
                    {"note", opt_str(h.note)}});
  j["history"] = std::move(hist);
  J air = J::array();
  for (const auto& r : q.on_air)
    air.push_back({{"start_stream_ms", r.start_stream_ms}, {"end_stream_ms", opt(r.end_stream_ms)},
                   {"started_at_ms", r.started_at_ms}, {"ended_at_ms", opt(r.ended_at_ms)},
                   {"answered", r.answered}, {"panelist", opt_str(r.panelist)},
                   {"summary", opt_str(r.summary)},
                   {"replay", replay_link(t.forum.id, r.start_stream_ms)}});
  j["on_air"] = std::move(air);
  J tickets = J::array();
  if (!q.parent_id)
    for (const auto* tk : idx.of(q.id)) tickets.push_back(tk->id);
  j["ticket_ids"] = std::move(tickets);
  if (!q.parent_id) {
    J fus = J::array();
    for (const auto& f : q.follow_ups) fus.push_back(question(t, f, idx, o));
    j["follow_ups"] = std::move(fus);
  }
  return j;
}

J ticket(const Ticket& tk, const detail::TicketIndex& idx, const ExportOptions& o) {
  J j;
  j["id"] = tk.id;
  j["forum_id"] = tk.forum_id;
  j["question_id"] = opt(tk.question_id);
  j["thread_id"] = tk.question_id ? opt(idx.thread_of(*tk.question_id)) : J(nullptr);
  j["title"] = tk.title;
  j["description"] = tk.description;
  j["category"] = to_string(tk.category);
  j["location"] = {{"compound", tk.location.compound}, {"building", tk.location.building}};
  J as = J::array();
  for (const auto& a : tk.assignees) as.push_back({{"kind", to_string(a.kind)}, {"name", a.name}});
  j["assignees"] = std::move(as);
  j["due_ms"] = opt(tk.due_ms);
  j["state"] = to_string(tk.state);
  j["created_by"] = tk.created_by;
  j["created_ms"] = tk.created_ms;
  j["resolved_ms"] = opt(tk.resolved_ms);
  j["closed_ms"] = opt(tk.closed_ms);
  j["resolution_round"] = tk.resolution_round;
  j["time_to_resolve_ms"] = opt(time_to_resolve(tk));
  J hist = J::array();
  for (const auto& e : tk.history)
    hist.push_back({{"action", e.action}, {"from", to_string(e.from)}, {"to", to_string(e.to)},
                    {"actor", e.actor}, {"at_ms", e.at_ms}, {"note", opt_str(e.note)},
                    {"public", e.is_public}});
  j["history"] = std::move(hist);
  J rs = J::array();
  for (const auto& r : tk.ratings) {
    J x = {{"rater_name", r.rater_name}, {"stars", r.stars}, {"confirmed", r.confirmed},
           {"comment", opt_str(r.comment)}, {"at_ms", r.at_ms}, {"round", r.round}};
    if (o.include_contacts) x["rater"] = r.rater;
    rs.push_back(std::move(x));
  }
  j["ratings"] = std::move(rs);
  return j;
}

J figures(const Figures& f) {
  auto od = [](const std::optional<double>& v) { return v ? J(*v) : J(nullptr); };
  return {{"compound", f.compound}, {"asked", f.asked}, {"approved", f.approved},
          {"answered_live", f.answered_live}, {"ticketed", f.ticketed},
          {"follow_ups", f.follow_ups}, {"votes", f.votes}, {"tickets", f.tickets},
          {"resolved", f.resolved}, {"ever_resolved", f.ever_resolved}, {"rated", f.rated},
          {"ratings", f.ratings}, {"rating_stars", f.rating_stars},
          {"resolve_ms_sum", f.resolve_ms_sum}, {"median_resolve_ms", opt(f.median_resolve_ms)},
          {"p90_resolve_ms", opt(f.p90_resolve_ms)}, {"average_rating", od(f.average_rating)},
          {"share_rated", od(f.share_rated)}};
}

}  // namespace

std::string write_json(const Transcript& t, const ExportOptions& o) {
  const detail::TicketIndex idx(t);
  J doc;
  doc["schema"] = "forumcast.transcript.v1";
  doc["generated_ms"] = t.generated_ms;
  doc["generated_at"] = detail::rfc3339_or_empty(t.generated_ms);
  doc["options"] = {{"include_contacts", o.include_contacts},
                    {"include_hidden_comments", o.include_hidden_comments},
                    {"lang", o.lang == Lang::en ? "en" : "zh-CN"}};
  doc["forum"] = {{"id", t.forum.id}, {"title", t.forum.title}, {"topic", t.forum.topic},
                  {"starts_at", t.forum.starts_at}, {"state", to_string(t.forum.state)}};
  J panel = J::array();
  for (const auto& p : t.panel)
    panel.push_back({{"name", p.name}, {"title", p.title}, {"role", to_string(p.role)}});
  doc["panel"] = std::move(panel);
  J agenda = J::array();
  for (size_t i = 0; i < t.agenda.size(); ++i)
    agenda.push_back({{"id", t.agenda[i].id}, {"position", i + 1}, {"title", t.agenda[i].title},
                      {"planned_minutes", t.agenda[i].planned_minutes}});
  doc["agenda"] = std::move(agenda);
  J qs = J::array();
  size_t follow_ups = 0;
  for (const auto& q : t.questions) {
    qs.push_back(question(t, q, idx, o));
    follow_ups += q.follow_ups.size();
  }
  doc["questions"] = std::move(qs);
  J cs = J::array();
  size_t omitted = 0;
  for (const auto& c : t.comments) {
    if (!detail::comment_visible(c, o)) {
      ++omitted;
      continue;
    }
    cs.push_back({{"id", c.id}, {"text", c.text}, {"author", resident(c.author, o)},
                  {"at_ms", c.at_ms}, {"stream_ms", opt(c.stream_ms)}, {"hidden", c.hidden},
                  {"hidden_by", opt_str(c.hidden_by)}});
  }
  doc["comments"] = std::move(cs);
  J ts = J::array();
  for (const auto& tk : t.tickets) ts.push_back(ticket(tk, idx, o));
  doc["tickets"] = std::move(ts);
  const FiguresReport fr = compute_figures(t);
  J by = J::array();
  for (const auto& f : fr.by_compound) by.push_back(figures(f));
  doc["figures"] = {{"forum", figures(fr.forum)}, {"by_compound", std::move(by)}};
  doc["counts"] = {{"questions", t.questions.size()}, {"follow_ups", follow_ups},
                   {"comments", t.comments.size() - omitted}, {"hidden_comments_omitted", omitted},
                   {"tickets", t.tickets.size()}};
  return doc.dump(2, ' ', false, J::error_handler_t::replace) + "\n";
}

}  // namespace forumcast::followup
