// followup/json_writer.cpp: the complete, versioned JSON transcript
// ("schema": "forumcast.transcript.v1", every field in docs/transcript.md),
// streamed through JsonOut (no intermediate tree). Machine values (status
// "answered", category "need") rather than labels; times as integer ms, plus
// RFC 3339 text where people read them. Contacts and hidden comments follow
// ExportOptions.
#include "followup/export_common.hpp"
#include "followup/json_out.hpp"
#include "followup/writers.hpp"

namespace forumcast::followup {
namespace {

using detail::JsonOut;

void resident(JsonOut& j, const Resident& r, const ExportOptions& o) {
  j.begin_object()
      .field("display_name", r.display_name)
      .field("compound", r.compound)
      .field("building", r.building);
  if (o.include_contacts) j.field("phone", r.phone).field("device_token", r.device_token);
  j.end_object();
}

void question(JsonOut& j, const Transcript& t, const Question& q, const detail::TicketIndex& idx,
              const ExportOptions& o) {
  j.begin_object();
  j.field("id", q.id);
  j.key("parent_id").num_or_null(q.parent_id);
  j.field("text", q.text);
  j.key("original_text").str_or_null(q.original_text);
  j.field("state", to_string(q.state));
  j.key("category").str_or_null(to_string(q.category));
  j.key("tags").begin_array();
  for (const auto& tag : q.tags) j.str(tag);
  j.end_array();
  j.field("source", q.source);
  j.key("agenda_item_id").num_or_null(q.agenda_item_id);
  j.key("merged_into").num_or_null(q.merged_into);
  j.key("reject_reason").str_or_null(q.reject_reason);
  j.key("reject_text").str_or_null(q.reject_text);
  j.key("asker");
  resident(j, q.asker, o);
  j.field("votes", q.votes);
  j.field("created_ms", q.created_ms);
  j.field("created_at", detail::rfc3339_or_empty(q.created_ms));
  j.key("created_stream_ms").num_or_null(q.created_stream_ms);
  j.key("history").begin_array();
  for (const auto& h : q.history) {
    j.begin_object().field("op", h.op);
    j.key("from").str_or_null(h.from_state);
    j.key("to").str_or_null(h.to_state);
    j.field("actor", h.actor);
    j.key("actor_role").str_or_null(h.actor_role);
    j.field("at_ms", h.at_ms);
    j.key("stream_ms").num_or_null(h.stream_ms);
    j.key("note").str_or_null(h.note);
    j.end_object();
  }
  j.end_array();
  j.key("on_air").begin_array();
  for (const auto& r : q.on_air) {
    j.begin_object().field("start_stream_ms", r.start_stream_ms);
    j.key("end_stream_ms").num_or_null(r.end_stream_ms);
    j.field("started_at_ms", r.started_at_ms);
    j.key("ended_at_ms").num_or_null(r.ended_at_ms);
    j.field("answered", r.answered);
    j.key("panelist").str_or_null(r.panelist);
    j.key("summary").str_or_null(r.summary);
    j.field("replay", replay_link(t.forum.id, r.start_stream_ms));
    j.end_object();
  }
  j.end_array();
  j.key("ticket_ids").begin_array();
  for (const auto* tk : idx.of(q.id))
    if (!q.parent_id || tk->question_id == q.id) j.num(tk->id);
  j.end_array();
  if (!q.parent_id) {
    j.key("follow_ups").begin_array();
    for (const auto& f : q.follow_ups) question(j, t, f, idx, o);
    j.end_array();
  }
  j.end_object();
}

void ticket(JsonOut& j, const Ticket& tk, const detail::TicketIndex& idx, const ExportOptions& o) {
  j.begin_object();
  j.field("id", tk.id).field("forum_id", tk.forum_id);
  j.key("question_id").num_or_null(tk.question_id);
  j.key("thread_id").num_or_null(tk.question_id ? idx.thread_of(*tk.question_id) : std::nullopt);
  j.field("title", tk.title).field("description", tk.description);
  j.field("category", to_string(tk.category));
  j.key("location")
      .begin_object()
      .field("compound", tk.location.compound)
      .field("building", tk.location.building)
      .end_object();
  j.key("assignees").begin_array();
  for (const auto& a : tk.assignees)
    j.begin_object().field("kind", to_string(a.kind)).field("name", a.name).end_object();
  j.end_array();
  j.key("due_ms").num_or_null(tk.due_ms);
  j.field("state", to_string(tk.state));
  j.field("created_by", tk.created_by).field("created_ms", tk.created_ms);
  j.key("resolved_ms").num_or_null(tk.resolved_ms);
  j.key("closed_ms").num_or_null(tk.closed_ms);
  j.field("resolution_round", tk.resolution_round);
  j.key("time_to_resolve_ms").num_or_null(time_to_resolve(tk));
  j.key("history").begin_array();
  for (const auto& e : tk.history) {
    j.begin_object()
        .field("action", e.action)
        .field("from", to_string(e.from))
        .field("to", to_string(e.to))
        .field("actor", e.actor)
        .field("at_ms", e.at_ms);
    j.key("note").str_or_null(e.note);
    j.field("public", e.is_public).end_object();
  }
  j.end_array();
  j.key("ratings").begin_array();
  for (const auto& r : tk.ratings) {
    j.begin_object()
        .field("rater_name", r.rater_name)
        .field("stars", r.stars)
        .field("confirmed", r.confirmed);
    j.key("comment").str_or_null(r.comment);
    j.field("at_ms", r.at_ms).field("round", r.round);
    if (o.include_contacts) j.field("rater", r.rater);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

void figures(JsonOut& j, const Figures& f) {
  j.begin_object()
      .field("compound", f.compound)
      .field("asked", f.asked)
      .field("approved", f.approved)
      .field("answered_live", f.answered_live)
      .field("ticketed", f.ticketed)
      .field("follow_ups", f.follow_ups)
      .field("votes", f.votes)
      .field("tickets", f.tickets)
      .field("resolved", f.resolved)
      .field("ever_resolved", f.ever_resolved)
      .field("rated", f.rated)
      .field("ratings", f.ratings)
      .field("rating_stars", f.rating_stars)
      .field("resolve_ms_sum", f.resolve_ms_sum);
  j.key("median_resolve_ms").num_or_null(f.median_resolve_ms);
  j.key("p90_resolve_ms").num_or_null(f.p90_resolve_ms);
  j.key("average_rating").num_or_null(f.average_rating);
  j.key("share_rated").num_or_null(f.share_rated);
  j.end_object();
}

}  // namespace

std::string figures_json(const FiguresReport& fr) {
  std::string out;
  JsonOut j(out);
  j.begin_object().key("forum");
  figures(j, fr.forum);
  j.key("by_compound").begin_array();
  for (const auto& f : fr.by_compound) figures(j, f);
  j.end_array().end_object();
  return out;
}

std::string write_json(const Transcript& t, const ExportOptions& o) {
  const detail::TicketIndex idx(t);
  std::string out;
  out.reserve(t.questions.size() * 2500 + t.comments.size() * 300 + t.tickets.size() * 2500 + 4096);
  JsonOut j(out);
  j.begin_object();
  j.field("schema", "forumcast.transcript.v1");
  j.field("generated_ms", t.generated_ms);
  j.field("generated_at", detail::rfc3339_or_empty(t.generated_ms));
  j.key("options")
      .begin_object()
      .field("include_contacts", o.include_contacts)
      .field("include_hidden_comments", o.include_hidden_comments)
      .field("lang", o.lang == Lang::en ? "en" : "zh-CN")
      .end_object();
  j.key("forum")
      .begin_object()
      .field("id", t.forum.id)
      .field("title", t.forum.title)
      .field("topic", t.forum.topic)
      .field("starts_at", t.forum.starts_at)
      .field("state", to_string(t.forum.state))
      .end_object();
  j.key("panel").begin_array();
  for (const auto& p : t.panel)
    j.begin_object()
        .field("name", p.name)
        .field("title", p.title)
        .field("role", to_string(p.role))
        .end_object();
  j.end_array();
  j.key("agenda").begin_array();
  for (size_t i = 0; i < t.agenda.size(); ++i)
    j.begin_object()
        .field("id", t.agenda[i].id)
        .field("position", static_cast<int64_t>(i + 1))
        .field("title", t.agenda[i].title)
        .field("planned_minutes", t.agenda[i].planned_minutes)
        .end_object();
  j.end_array();
  int64_t follow_ups = 0;
  j.key("questions").begin_array();
  for (const auto& q : t.questions) {
    question(j, t, q, idx, o);
    follow_ups += static_cast<int64_t>(q.follow_ups.size());
  }
  j.end_array();
  int64_t shown = 0, omitted = 0;
  j.key("comments").begin_array();
  for (const auto& c : t.comments) {
    if (!detail::comment_visible(c, o)) {
      ++omitted;
      continue;
    }
    ++shown;
    j.begin_object().field("id", c.id).field("text", c.text);
    j.key("author");
    resident(j, c.author, o);
    j.field("at_ms", c.at_ms);
    j.key("stream_ms").num_or_null(c.stream_ms);
    j.field("hidden", c.hidden);
    j.key("hidden_by").str_or_null(c.hidden_by);
    j.end_object();
  }
  j.end_array();
  j.key("tickets").begin_array();
  for (const auto& tk : t.tickets) ticket(j, tk, idx, o);
  j.end_array();
  const FiguresReport fr = compute_figures(t);
  j.key("figures").begin_object().key("forum");
  figures(j, fr.forum);
  j.key("by_compound").begin_array();
  for (const auto& f : fr.by_compound) figures(j, f);
  j.end_array().end_object();
  j.key("counts")
      .begin_object()
      .field("questions", static_cast<int64_t>(t.questions.size()))
      .field("follow_ups", follow_ups)
      .field("comments", shown)
      .field("hidden_comments_omitted", omitted)
      .field("tickets", static_cast<int64_t>(t.tickets.size()))
      .end_object();
  j.end_object();
  out += '\n';
  return out;
}

}  // namespace forumcast::followup
