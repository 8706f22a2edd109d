// followup/csv_writer.cpp: one row per top-level question (columns shared with
// the xlsx Questions sheet, table_rows.cpp), UTF-8 with a BOM so that Excel
// opens Chinese text correctly, CRLF line ends and RFC 4180 quoting (a field with
// a comma, quote, CR or LF is quoted; quotes are doubled). A field starting with
// = + - @ TAB or CR gets a leading apostrophe so that a spreadsheet never runs a
// resident's text as a formula (documented in docs/transcript.md).
#include "followup/table_rows.hpp"
#include "followup/writers.hpp"

namespace forumcast::followup {
namespace {

void field(std::string& out, std::string_view s) {
  const bool formula = !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                                      s[0] == '\t' || s[0] == '\r');
  const bool quote = formula || s.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out += s;
    return;
  }
  out += '"';
  if (formula) out += '\'';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

template <class Cells>
void line(std::string& out, const Cells& cells) {
  bool first = true;
  for (const auto& c : cells) {
    if (!first) out += ',';
    first = false;
    if constexpr (std::is_same_v<std::decay_t<decltype(c)>, detail::Cell>) {
      if (c.num)
        out += c.text;  // numbers never need quoting or the formula guard
      else
        field(out, c.text);
    } else {
      field(out, c);
    }
  }
  out += "\r\n";
}

}  // namespace

std::string write_csv(const Transcript& t, const ExportOptions& o) {
  const detail::TicketIndex idx(t);
  std::string out = "\xEF\xBB\xBF";
  out.reserve(t.questions.size() * 400 + 1024);
  line(out, detail::question_header(o, false));
  for (const auto& q : t.questions) line(out, detail::question_row(t, q, idx, o));
  return out;
}

}  // namespace forumcast::followup
