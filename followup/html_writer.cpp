// followup/html_writer.cpp: printable minutes (会议纪要) as one standalone HTML
// document with inline print CSS: the same content and order as the Markdown
// minutes (md_writer.cpp). Every piece of data is HTML-escaped (& < > " '),
// attributes included; the document loads nothing from anywhere.
#include "followup/export_common.hpp"
#include "followup/writers.hpp"

namespace forumcast::followup {
namespace {

using detail::label;
using detail::Labels;
using detail::labels;

std::string h(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Escaped text with newlines kept as <br>.
std::string hb(std::string_view s) {
  std::string e = h(s), out;
  out.reserve(e.size());
  for (size_t i = 0; i < e.size(); ++i) {
    if (e[i] == '\r') continue;
    if (e[i] == '\n')
      out += "<br>";
    else
      out += e[i];
  }
  return out;
}

constexpr std::string_view kCss = R"(
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.6;color:#111}
h1{font-size:1.6em;border-bottom:2px solid #333;padding-bottom:.3em}
h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #999}
h3{font-size:1.1em;margin-top:1.2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}
td.n{text-align:right}
.q{border-left:3px solid #c33;padding:.2em .8em;margin:.8em 0;break-inside:avoid}
.q .text{font-size:1.05em}
.q ul{margin:.3em 0;padding-left:1.2em}
.fu{border-left:3px solid #999;margin-left:1.2em}
.meta{color:#555}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
)";

std::string who(const Resident& r, const ExportOptions& o, const Labels& l) {
  std::string s = h(r.display_name.empty() ? std::string(l.none) : r.display_name);
  std::vector<std::string> extra;
  if (!r.compound.empty()) extra.push_back(h(r.compound));
  if (!r.building.empty()) extra.push_back(h(r.building));
  if (o.include_contacts && !r.phone.empty()) extra.push_back(h(r.phone));
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
  const std::string id = std::to_string(q.id);
  out += "<div class=\"q" + std::string(follow_up ? " fu" : "") + "\" id=\"q" + id + "\">\n";
  out += "<div class=\"meta\"><b>" + std::string(follow_up ? std::string(l.follow_up) + " " : "") +
         "#" + id + "</b> · " + std::string(label(lang, q.category)) + " · " +
         std::string(label(lang, q.state)) + "</div>\n";
  out += "<div class=\"text\">" + hb(q.text) + "</div>\n<ul>\n";
  out += "<li>" + std::string(l.asked_by) + sep + who(q.asker, o, l) + "</li>\n";
  out += "<li>" + std::string(l.votes) + sep + std::to_string(q.votes) + "</li>\n";
  if (q.state == QuestionState::rejected && !detail::reject_display(q).empty())
    out += "<li>" + std::string(l.reject_reason) + sep + h(detail::reject_display(q)) + "</li>\n";
  if (q.merged_into)
    out += "<li>" + std::string(l.merged_into) + sep + "#" + std::to_string(*q.merged_into) +
           "</li>\n";
  if (const OnAirRange* a = detail::answer_of(q)) {
    out += "<li>" + std::string(l.answer) + sep + hb(a->summary) + "</li>\n";
    out += "<li>" + std::string(l.answered_by) + sep + h(a->panelist) + "</li>\n";
  }
  for (const auto& r : q.on_air)
    out += "<li>" + std::string(l.video) + sep + "<a href=\"" +
           h(replay_link(t.forum.id, r.start_stream_ms)) + "\">" +
           format_stream_time(r.start_stream_ms) + "</a></li>\n";
  if (!follow_up)
    for (const auto* tk : idx.of(q.id))
      out += "<li>" + std::string(l.tickets) + sep + "T" + std::to_string(tk->id) + " " +
             h(tk->title) + " · " + std::string(label(lang, tk->state)) +
             (tk->assignees.empty() ? "" : " · " + h(detail::assignee_names(*tk))) + "</li>\n";
  out += "</ul>\n";
  if (!follow_up)
    for (const auto& f : q.follow_ups) question_block(out, t, f, idx, o, true);
  out += "</div>\n";
}

}  // namespace

std::string write_html(const Transcript& t, const ExportOptions& o) {
  const Labels& l = labels(o.lang);
  const Lang lang = o.lang;
  const std::string sep = lang == Lang::en ? ": " : ":";
  const detail::TicketIndex idx(t);
  std::string out;
  out.reserve(t.questions.size() * 900 + 8192);
  out += "<!DOCTYPE html>\n<html lang=\"" + std::string(lang == Lang::en ? "en" : "zh-CN") +
         "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + std::string(l.minutes) + sep +
         h(t.forum.title) + "</title>\n<style>" + std::string(kCss) + "</style>\n</head>\n<body>\n";
  out += "<h1>" + std::string(l.minutes) + sep + h(t.forum.title) + "</h1>\n<ul class=\"meta\">\n";
  out += "<li>" + std::string(l.date) + sep + h(t.forum.starts_at) + "</li>\n";
  if (!t.forum.topic.empty())
    out += "<li>" + std::string(l.topic) + sep + h(t.forum.topic) + "</li>\n";
  out +=
      "<li>" + std::string(l.forum_state) + sep + std::string(to_string(t.forum.state)) + "</li>\n";
  out += "<li>" + std::string(l.generated) + sep + detail::rfc3339_or_empty(t.generated_ms) +
         "</li>\n</ul>\n";

  out += "<h2>" + std::string(l.panel) + "</h2>\n<table>\n<tr><th>" + std::string(l.name) +
         "</th><th>" + std::string(l.position) + "</th><th>" + std::string(l.role) + "</th></tr>\n";
  for (const auto& p : t.panel)
    out += "<tr><td>" + h(p.name) + "</td><td>" + h(p.title) + "</td><td>" +
           std::string(label(lang, p.role)) + "</td></tr>\n";
  out += "</table>\n<h2>" + std::string(l.agenda) + "</h2>\n<ol>\n";
  for (const auto& a : t.agenda)
    out += "<li>" + h(a.title) + " (" + std::to_string(a.planned_minutes) + " " +
           std::string(l.minutes_unit) + ")</li>\n";
  out += "</ol>\n<h2>" + std::string(l.qa) + "</h2>\n";
  size_t n = 0;
  for (const auto& [item, qs] : detail::minutes_groups(t)) {
    out += "<h3>" + std::to_string(++n) + ". " +
           (item ? h(item->title) : std::string(l.not_on_agenda)) + "</h3>\n";
    for (const Question* q : qs) question_block(out, t, *q, idx, o, false);
  }

  out += "<h2>" + std::string(l.summary) + "</h2>\n<table>\n<tr>";
  for (auto s : {l.compound, l.f_asked, l.f_approved, l.f_answered_live, l.f_ticketed, l.f_tickets,
                 l.f_resolved, l.f_median_h, l.f_p90_h, l.f_average_rating, l.f_share_rated})
    out += "<th>" + std::string(s) + "</th>";
  out += "</tr>\n";
  const FiguresReport fr = compute_figures(t);
  auto row = [&](const Figures& f, bool forum) {
    auto hrs = [](const std::optional<int64_t>& v) {
      return v ? detail::hours(*v) : std::string("–");
    };
    auto d = [](const std::optional<double>& v, int k) {
      return v ? detail::fixed(*v, k) : std::string("–");
    };
    std::string name = forum ? "<b>" + std::string(l.all) + "</b>"
                             : (f.compound.empty() ? std::string(l.no_compound) : h(f.compound));
    out += "<tr><td>" + name + "</td>";
    for (const std::string& c :
         {std::to_string(f.asked), std::to_string(f.approved), std::to_string(f.answered_live),
          std::to_string(f.ticketed), std::to_string(f.tickets), std::to_string(f.resolved),
          hrs(f.median_resolve_ms), hrs(f.p90_resolve_ms), d(f.average_rating, 2),
          f.share_rated ? detail::fixed(*f.share_rated * 100.0, 1) + "%" : std::string("–")})
      out += "<td class=\"n\">" + c + "</td>";
    out += "</tr>\n";
  };
  for (const auto& f : fr.by_compound) row(f, false);
  row(fr.forum, true);
  out += "</table>\n</body>\n</html>\n";
  return out;
}

}  // namespace forumcast::followup
