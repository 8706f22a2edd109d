// followup/table_rows.cpp: column lists and row builders shared by the csv and
// xlsx writers (see table_rows.hpp). The column order here is the documented
// order in docs/transcript.md; change both together.
#include "followup/table_rows.hpp"

namespace forumcast::followup::detail {
namespace {

Cell opt_num(const std::optional<int64_t>& v) {
  return v ? Cell::of(*v) : Cell::of(std::string());
}
Cell opt_double(const std::optional<double>& v, int decimals) {
  if (!v) return Cell::of(std::string());
  return Cell{fixed(*v, decimals), *v};
}
Cell opt_hours(const std::optional<int64_t>& ms) {
  if (!ms) return Cell::of(std::string());
  return Cell{hours(*ms), static_cast<double>(*ms) / 3'600'000.0};
}

}  // namespace

std::vector<std::string> question_header(const ExportOptions& o, bool follow_up) {
  const Labels& l = labels(o.lang);
  std::vector<std::string_view> h = {l.id};
  if (follow_up) h.push_back(l.parent);
  for (auto s : {l.status, l.category, l.agenda, l.text, l.original_text, l.tags, l.source, l.asker,
                 l.compound, l.building})
    h.push_back(s);
  if (o.include_contacts) {
    h.push_back(l.phone);
    h.push_back(l.device_token);
  }
  h.push_back(l.votes);
  if (!follow_up) h.push_back(l.follow_ups);
  for (auto s : {l.asked_at, l.on_air_at, l.on_air_end, l.answered_by, l.answer_summary, l.replay,
                 l.tickets, l.reject_reason, l.merged_into})
    h.push_back(s);
  return {h.begin(), h.end()};
}

Row question_row(const Transcript& t, const Question& q, const TicketIndex& idx,
                 const ExportOptions& o) {
  const Lang lang = o.lang;
  Row r;
  r.push_back(Cell::of(q.id));
  if (q.parent_id) r.push_back(Cell::of(*q.parent_id));
  r.push_back(Cell::of(std::string(label(lang, q.state))));
  r.push_back(Cell::of(std::string(label(lang, q.category))));
  const AgendaItem* a = find_agenda_item(t, q.agenda_item_id);
  r.push_back(Cell::of(a ? a->title : std::string()));
  r.push_back(Cell::of(q.text));
  r.push_back(Cell::of(q.original_text));
  r.push_back(Cell::of(join(q.tags, ", ")));
  r.push_back(Cell::of(std::string(label(lang, q.source))));
  r.push_back(Cell::of(q.asker.display_name));
  r.push_back(Cell::of(q.asker.compound));
  r.push_back(Cell::of(q.asker.building));
  if (o.include_contacts) {
    r.push_back(Cell::of(q.asker.phone));
    r.push_back(Cell::of(q.asker.device_token));
  }
  r.push_back(Cell::of(int64_t{q.votes}));
  if (!q.parent_id) r.push_back(Cell::of(static_cast<int64_t>(q.follow_ups.size())));
  r.push_back(Cell::of(rfc3339_or_empty(q.created_ms)));
  const OnAirRange* first = first_air(q);
  const OnAirRange* ans = answer_of(q);
  const OnAirRange* shown = ans ? ans : first;
  r.push_back(Cell::of(shown ? format_stream_time(shown->start_stream_ms) : std::string()));
  r.push_back(Cell::of(shown && shown->end_stream_ms ? format_stream_time(*shown->end_stream_ms)
                                                     : std::string()));
  r.push_back(Cell::of(ans ? ans->panelist : std::string()));
  r.push_back(Cell::of(ans ? ans->summary : std::string()));
  r.push_back(Cell::of(shown ? replay_link(t.forum.id, shown->start_stream_ms) : std::string()));
  std::vector<const Ticket*> own;
  for (const auto* tk : idx.of(q.id))
    if (!q.parent_id || tk->question_id == q.id) own.push_back(tk);
  r.push_back(Cell::of(ticket_ids(own)));
  r.push_back(Cell::of(reject_display(q)));
  r.push_back(q.merged_into ? Cell::of(*q.merged_into) : Cell::of(std::string()));
  return r;
}

std::vector<std::string> comment_header(const ExportOptions& o) {
  const Labels& l = labels(o.lang);
  std::vector<std::string> h = {std::string(l.id),          std::string(l.time),
                                std::string(l.stream_time), std::string(l.author),
                                std::string(l.compound),    std::string(l.building)};
  if (o.include_contacts) {
    h.emplace_back(l.phone);
    h.emplace_back(l.device_token);
  }
  h.emplace_back(l.text);
  h.emplace_back(l.hidden);
  return h;
}

Row comment_row(const Comment& c, const ExportOptions& o) {
  Row r = {Cell::of(c.id),
           Cell::of(rfc3339_or_empty(c.at_ms)),
           Cell::of(c.stream_ms ? format_stream_time(*c.stream_ms) : std::string()),
           Cell::of(c.author.display_name),
           Cell::of(c.author.compound),
           Cell::of(c.author.building)};
  if (o.include_contacts) {
    r.push_back(Cell::of(c.author.phone));
    r.push_back(Cell::of(c.author.device_token));
  }
  r.push_back(Cell::of(c.text));
  r.push_back(Cell::of(c.hidden ? std::string(labels(o.lang).yes) : std::string()));
  return r;
}

std::vector<std::string> ticket_header(const ExportOptions& o) {
  const Labels& l = labels(o.lang);
  std::vector<std::string> h;
  for (auto s :
       {l.id, l.question, l.title, l.description, l.category, l.compound, l.building, l.assignees,
        l.state, l.due, l.created_at, l.created_by, l.resolved_at, l.closed_at, l.hours_to_resolve,
        l.ratings, l.average_rating, l.last_rating_comment, l.public_notes})
    h.emplace_back(s);
  if (o.include_contacts) h.emplace_back(l.rater_keys);
  return h;
}

Row ticket_row(const Ticket& tk, const TicketIndex& idx, const ExportOptions& o) {
  const Lang lang = o.lang;
  Row r;
  r.push_back(Cell::of(tk.id));
  r.push_back(opt_num(tk.question_id));
  r.push_back(Cell::of(tk.title));
  r.push_back(Cell::of(tk.description));
  r.push_back(Cell::of(std::string(label(lang, tk.category))));
  r.push_back(Cell::of(tk.location.compound));
  r.push_back(Cell::of(tk.location.building));
  r.push_back(Cell::of(assignee_names(tk)));
  r.push_back(Cell::of(std::string(label(lang, tk.state))));
  r.push_back(Cell::of(tk.due_ms ? rfc3339_or_empty(*tk.due_ms) : std::string()));
  r.push_back(Cell::of(rfc3339_or_empty(tk.created_ms)));
  r.push_back(Cell::of(tk.created_by));
  r.push_back(Cell::of(tk.resolved_ms ? rfc3339_or_empty(*tk.resolved_ms) : std::string()));
  r.push_back(Cell::of(tk.closed_ms ? rfc3339_or_empty(*tk.closed_ms) : std::string()));
  r.push_back(opt_hours(time_to_resolve(tk)));
  r.push_back(Cell::of(static_cast<int64_t>(tk.ratings.size())));
  std::optional<double> avg;
  if (!tk.ratings.empty()) {
    double sum = 0;
    for (const auto& x : tk.ratings) sum += x.stars;
    avg = sum / static_cast<double>(tk.ratings.size());
  }
  r.push_back(opt_double(avg, 2));
  r.push_back(Cell::of(tk.ratings.empty() ? std::string() : tk.ratings.back().comment));
  std::vector<std::string> notes;
  for (const auto& e : tk.history)
    if (e.is_public && !e.note.empty()) notes.push_back(e.note);
  r.push_back(Cell::of(join(notes, "\n")));
  if (o.include_contacts) {
    std::vector<std::string> keys;
    for (const auto& x : tk.ratings) keys.push_back(x.rater);
    r.push_back(Cell::of(join(keys, ", ")));
  }
  (void)idx;
  return r;
}

std::vector<std::string> figures_header(const ExportOptions& o) {
  const Labels& l = labels(o.lang);
  std::vector<std::string> h;
  for (auto s : {l.compound, l.f_asked, l.f_approved, l.f_answered_live, l.f_ticketed,
                 l.f_follow_ups, l.f_votes, l.f_tickets, l.f_resolved, l.f_ever_resolved, l.f_rated,
                 l.f_ratings, l.f_median_h, l.f_p90_h, l.f_average_rating, l.f_share_rated})
    h.emplace_back(s);
  return h;
}

Row figures_row(const Figures& f, bool forum_row, const ExportOptions& o) {
  const Labels& l = labels(o.lang);
  std::string name = forum_row ? std::string(l.all)
                               : (f.compound.empty() ? std::string(l.no_compound) : f.compound);
  return {Cell::of(std::move(name)),
          Cell::of(f.asked),
          Cell::of(f.approved),
          Cell::of(f.answered_live),
          Cell::of(f.ticketed),
          Cell::of(f.follow_ups),
          Cell::of(f.votes),
          Cell::of(f.tickets),
          Cell::of(f.resolved),
          Cell::of(f.ever_resolved),
          Cell::of(f.rated),
          Cell::of(f.ratings),
          opt_hours(f.median_resolve_ms),
          opt_hours(f.p90_resolve_ms),
          opt_double(f.average_rating, 2),
          opt_double(f.share_rated, 3)};
}

}  // namespace forumcast::followup::detail
