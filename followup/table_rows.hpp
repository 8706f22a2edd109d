// followup/table_rows.hpp: the tabular views of a transcript that csv and xlsx
// share, so that both formats have the same columns in the same order: one row
// per question, per follow-up, per exported comment, per ticket, and the figure
// rows of the Summary sheet. Privacy options decide which columns exist.
// Internal to followup/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "followup/export_common.hpp"

namespace forumcast::followup::detail {

struct Cell {
  std::string text;           // what csv writes, and xlsx when num is absent
  std::optional<double> num;  // xlsx writes a number cell when set
  static Cell of(std::string s) { return Cell{std::move(s), std::nullopt}; }
  static Cell of(int64_t v) { return Cell{std::to_string(v), static_cast<double>(v)}; }
};
using Row = std::vector<Cell>;

std::vector<std::string> question_header(const ExportOptions& o, bool follow_up);
Row question_row(const Transcript& t, const Question& q, const TicketIndex& idx,
                 const ExportOptions& o);

std::vector<std::string> comment_header(const ExportOptions& o);
Row comment_row(const Comment& c, const ExportOptions& o);

std::vector<std::string> ticket_header(const ExportOptions& o);
Row ticket_row(const Ticket& tk, const TicketIndex& idx, const ExportOptions& o);

std::vector<std::string> figures_header(const ExportOptions& o);
Row figures_row(const Figures& f, bool forum_row, const ExportOptions& o);

}  // namespace forumcast::followup::detail
