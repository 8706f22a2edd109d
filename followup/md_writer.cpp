// followup/md_writer.cpp: printable minutes (会议纪要) in Markdown: title, date,
// panel, agenda, then each question grouped by agenda item (order in
// export_common.cpp minutes_groups) with asker (display name, compound), votes,
// the answer summary, who answered and the video time as a link into the replay,
// its follow-ups and tickets; a summary table of the figures at the end.
// Residents' text is escaped so that it can never become Markdown or HTML.
#include "followup/export_common.hpp"
#include "followup/writers.hpp"

namespace forumcast::followup {
namespace {

using detail::label;
using detail::Labels;
using detail::labels;

// Backslash-escape Markdown punctuation; newlines become spaces (inline) or
// continue the current block with `cont` (block).
std::string md(std::string_view s, std::string_view cont = " ") {
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '#':
      case '~':
      case '!':
      case '(':
      case ')':
      case '{':
      case '}':
        out += '\\';
        out += c;
        break;
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') break;
        out += cont;
        break;
      case '\n':
        out += cont;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string who(const Resident& r, const ExportOptions& o, const Labels& l) {
  std::string s = md(r.display_name.empty() ? std::string(l.none) : r.display_name);
  std::vector<std::string> extra;
  if (!r.compound.empty()) extra.push_back(md(r.compound));
  if (!r.building.empty()) extra.push_back(md(r.building));
  if (o.include_contacts && !r.phone.empty()) extra.push_back(md(r.phone));
  if (!extra.empty())
    s += (o.lang == Lang::en ? " (" : "(") + detail::join(extra, " ") +
         (o.lang == Lang::en ? ")" : ")");
  return s;
}

void question_block(std::string& out, const Transcript& t, const Question& q,
                    const detail::TicketIndex& idx, const ExportOptions& o, bool follow_up) {
  const Labels& l = labels(o.lang);
  const Lang lang = o.lang;
  const std::string sep = lang == Lang::en ? ": " : ":";
  const std::string indent = follow_up ? "  " : "";
  if (follow_up) {
    out += "- **" + std::string(l.follow_up) + " #" + std::to_string(q.id) + "** · " +
           std::string(label(lang, q.state)) + " · " + who(q.asker, o, l) + "\n\n";
    out += indent + "> " + md(q.text, "\n" + indent + "> ") + "\n\n";
  } else {
    out += "#### #" + std::to_string(q.id) + " · " + std::string(label(lang, q.category)) + " · " +
           std::string(label(lang, q.state)) + "\n\n";
    out += "> " + md(q.text, "\n> ") + "\n\n";
  }
  const std::string li = indent + "- ";
  if (!follow_up) out += li + std::string(l.asked_by) + sep + who(q.asker, o, l) + "\n";
  out += li + std::string(l.votes) + sep + std::to_string(q.votes) + "\n";
  if (q.state == QuestionState::rejected && !detail::reject_display(q).empty())
    out += li + std::string(l.reject_reason) + sep + md(detail::reject_display(q)) + "\n";
  if (q.merged_into)
    out += li + std::string(l.merged_into) + sep + "#" + std::to_string(*q.merged_into) + "\n";
  if (const OnAirRange* a = detail::answer_of(q)) {
    out += li + std::string(l.answer) + sep + md(a->summary) + "\n";
    out += li + std::string(l.answered_by) + sep + md(a->panelist) + "\n";
  }
  for (const auto& r : q.on_air)
    out += li + std::string(l.video) + sep + "[" + format_stream_time(r.start_stream_ms) + "](" +
           replay_link(t.forum.id, r.start_stream_ms) + ")\n";
  if (!follow_up) {
    for (const auto* tk : idx.of(q.id))
      out += li + std::string(l.tickets) + sep + "T" + std::to_string(tk->id) + " " +
             md(tk->title) + " · " + std::string(label(lang, tk->state)) +
             (tk->assignees.empty() ? "" : " · " + md(detail::assignee_names(*tk))) + "\n";
  }
  out += "\n";
  if (!follow_up)
    for (const auto& f : q.follow_ups) question_block(out, t, f, idx, o, true);
}

void table_row(std::string& out, const std::vector<std::string>& cells) {
  out += "|";
  for (const auto& c : cells) out += " " + c + " |";
  out += "\n";
}

}  // namespace

std::string write_markdown(const Transcript& t, const ExportOptions& o) {
  const Labels& l = labels(o.lang);
  const Lang lang = o.lang;
  const std::string sep = lang == Lang::en ? ": " : ":";
  const detail::TicketIndex idx(t);
  std::string out;
  out.reserve(t.questions.size() * 600 + 4096);
  out += "# " + std::string(l.minutes) + sep + md(t.forum.title) + "\n\n";
  out += "- " + std::string(l.date) + sep + md(t.forum.starts_at) + "\n";
  if (!t.forum.topic.empty()) out += "- " + std::string(l.topic) + sep + md(t.forum.topic) + "\n";
  out += "- " + std::string(l.forum_state) + sep + std::string(to_string(t.forum.state)) + "\n";
  out += "- " + std::string(l.generated) + sep + detail::rfc3339_or_empty(t.generated_ms) + "\n\n";

  out += "## " + std::string(l.panel) + "\n\n";
  table_row(out, {std::string(l.name), std::string(l.position), std::string(l.role)});
  out += "| --- | --- | --- |\n";
  for (const auto& p : t.panel)
    table_row(out, {md(p.name), md(p.title), std::string(label(lang, p.role))});
  out += "\n## " + std::string(l.agenda) + "\n\n";
  for (size_t i = 0; i < t.agenda.size(); ++i)
    out += std::to_string(i + 1) + ". " + md(t.agenda[i].title) + " (" +
           std::to_string(t.agenda[i].planned_minutes) + " " + std::string(l.minutes_unit) + ")\n";

  out += "\n## " + std::string(l.qa) + "\n\n";
  size_t n = 0;
  for (const auto& [item, qs] : detail::minutes_groups(t)) {
    out += "### " + std::to_string(++n) + ". " +
           (item ? md(item->title) : std::string(l.not_on_agenda)) + "\n\n";
    for (const Question* q : qs) question_block(out, t, *q, idx, o, false);
  }

  out += "## " + std::string(l.summary) + "\n\n";
  const FiguresReport fr = compute_figures(t);
  std::vector<std::string> head = {
      std::string(l.compound),         std::string(l.f_asked),      std::string(l.f_approved),
      std::string(l.f_answered_live),  std::string(l.f_ticketed),   std::string(l.f_tickets),
      std::string(l.f_resolved),       std::string(l.f_median_h),   std::string(l.f_p90_h),
      std::string(l.f_average_rating), std::string(l.f_share_rated)};
  table_row(out, head);
  out += "|";
  for (size_t i = 0; i < head.size(); ++i) out += i == 0 ? " --- |" : " ---: |";
  out += "\n";
  auto row = [&](const Figures& f, bool forum) {
    auto h = [](const std::optional<int64_t>& v) {
      return v ? detail::hours(*v) : std::string("–");
    };
    auto d = [](const std::optional<double>& v, int k) {
      return v ? detail::fixed(*v, k) : std::string("–");
    };
    std::string name = forum ? "**" + std::string(l.all) + "**"
                             : (f.compound.empty() ? std::string(l.no_compound) : md(f.compound));
    table_row(
        out,
        {name, std::to_string(f.asked), std::to_string(f.approved), std::to_string(f.answered_live),
         std::to_string(f.ticketed), std::to_string(f.tickets), std::to_string(f.resolved),
         h(f.median_resolve_ms), h(f.p90_resolve_ms), d(f.average_rating, 2),
         f.share_rated ? detail::fixed(*f.share_rated * 100.0, 1) + "%" : std::string("–")});
  };
  for (const auto& f : fr.by_compound) row(f, false);
  row(fr.forum, true);
  return out;
}

}  // namespace forumcast::followup
