// followup/xlsx_writer.cpp: the spreadsheet export with libxlsxwriter (Debian
// libxlsxwriter 1.1.4): sheets Questions, Follow-ups, Comments, Tickets, Summary,
// columns shared with csv (table_rows.cpp). The workbook is written in
// constant-memory mode (rows streamed in order, strings inline) to a temporary
// file in ExportOptions::tmp_dir ($TMPDIR, else /dev/shm, else /tmp) and read back,
// or straight to a path. Sheet names are fixed English identifiers; headings follow
// ExportOptions::lang. Strings are capped at Excel's 32,767 characters and stripped of XML-illegal
// control characters.
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "followup/table_rows.hpp"
#include "followup/writers.hpp"

namespace forumcast::followup {
namespace {

constexpr size_t kMaxCellChars = 32767;

struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const {
    if (wb) workbook_close(wb);
  }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookCloser>;

// Drop C0 controls other than TAB/LF/CR (illegal in XML 1.0) and cap the length.
const std::string& cell_text(const std::string& s, std::string& scratch) {
  bool dirty = false;
  for (unsigned char c : s)
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') dirty = true;
  if (!dirty && s.size() <= kMaxCellChars) return s;
  scratch.clear();
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    if ((c & 0xC0) != 0x80 && ++chars > kMaxCellChars) break;
    scratch += static_cast<char>(c);
  }
  return scratch;
}

class SheetWriter {
 public:
  SheetWriter(lxw_workbook* wb, const char* name, lxw_format* head, lxw_format* wrap)
      : ws_(workbook_add_worksheet(wb, name)), head_(head), wrap_(wrap) {}

  bool ok() const { return ws_ != nullptr && err_ == LXW_NO_ERROR; }
  lxw_error error() const { return ws_ ? err_ : LXW_ERROR_MEMORY_MALLOC_FAILED; }

  void header(const std::vector<std::string>& h, const std::vector<double>& widths) {
    if (!ws_) return;
    for (size_t c = 0; c < widths.size() && c < h.size(); ++c)
      worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c],
                           nullptr);
    worksheet_freeze_panes(ws_, 1, 0);
    for (size_t c = 0; c < h.size(); ++c) put_string(0, c, h[c], head_);
    row_ = 1;
  }

  void row(const detail::Row& r) {
    if (!ws_ || err_ != LXW_NO_ERROR) return;
    if (row_ >= LXW_ROW_MAX) {
      err_ = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
      return;
    }
    for (size_t c = 0; c < r.size(); ++c) {
      if (r[c].num) {
        keep(worksheet_write_number(ws_, row_, static_cast<lxw_col_t>(c), *r[c].num, nullptr));
      } else if (!r[c].text.empty()) {
        put_string(row_, c, r[c].text, r[c].text.find('\n') != std::string::npos ? wrap_ : nullptr);
      }
    }
    ++row_;
  }

 private:
  void put_string(lxw_row_t row, size_t col, const std::string& s, lxw_format* f) {
    const std::string& text = cell_text(s, scratch_);
    keep(worksheet_write_string(ws_, row, static_cast<lxw_col_t>(col), text.c_str(), f));
  }
  void keep(lxw_error e) {
    if (err_ == LXW_NO_ERROR) err_ = e;
  }

  lxw_worksheet* ws_;
  lxw_format* head_;
  lxw_format* wrap_;
  lxw_row_t row_ = 0;
  lxw_error err_ = LXW_NO_ERROR;
  std::string scratch_;
};

// Scratch files (one per sheet, then the zip) are written and read back at once:
// memory-backed /dev/shm when there is one saves the disk round trip.
std::string tmp_dir(const ExportOptions& o) {
  if (!o.tmp_dir.empty()) return o.tmp_dir;
  if (const char* d = std::getenv("TMPDIR"); d && *d) return d;
  static const bool shm = ::access("/dev/shm", W_OK | X_OK) == 0;
  return shm ? "/dev/shm" : "/tmp";
}

Error xlsx_error(const std::string& what) {
  return make_error("xlsx_failed", "xlsx export: " + what);
}

}  // namespace

Status write_xlsx_file(const Transcript& t, const ExportOptions& o, const std::string& path) {
  std::string dir = tmp_dir(o);
  lxw_workbook_options opts{};
  opts.constant_memory = LXW_TRUE;
  opts.tmpdir = dir.data();
  opts.use_zip64 = LXW_FALSE;
  WorkbookPtr wb(workbook_new_opt(path.c_str(), &opts));
  if (!wb) return xlsx_error("cannot create workbook at " + path);
  lxw_format* head = workbook_add_format(wb.get());
  format_set_bold(head);
  format_set_bg_color(head, 0xEEEEEE);
  lxw_format* wrap = workbook_add_format(wb.get());
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);

  const detail::TicketIndex idx(t);
  SheetWriter questions(wb.get(), "Questions", head, wrap);
  SheetWriter follow_ups(wb.get(), "Follow-ups", head, wrap);
  SheetWriter comments(wb.get(), "Comments", head, wrap);
  SheetWriter tickets(wb.get(), "Tickets", head, wrap);
  SheetWriter summary(wb.get(), "Summary", head, wrap);

  questions.header(detail::question_header(o, false), {8, 10, 8, 20, 60, 30, 12, 8, 12, 14, 8});
  for (const auto& q : t.questions) questions.row(detail::question_row(t, q, idx, o));
  follow_ups.header(detail::question_header(o, true), {8, 10, 10, 8, 20, 60});
  for (const auto& q : t.questions)
    for (const auto& f : q.follow_ups) follow_ups.row(detail::question_row(t, f, idx, o));
  comments.header(detail::comment_header(o), {8, 24, 10, 14, 14, 8});
  for (const auto& c : t.comments)
    if (detail::comment_visible(c, o)) comments.row(detail::comment_row(c, o));
  tickets.header(detail::ticket_header(o), {8, 8, 30, 40, 8, 14, 8, 20, 10});
  for (const auto& tk : t.tickets) tickets.row(detail::ticket_row(tk, idx, o));
  const FiguresReport fr = compute_figures(t);
  summary.header(detail::figures_header(o), {18});
  summary.row(detail::figures_row(fr.forum, true, o));
  for (const auto& f : fr.by_compound) summary.row(detail::figures_row(f, false, o));

  for (const SheetWriter* s : {&questions, &follow_ups, &comments, &tickets, &summary})
    if (!s->ok()) return xlsx_error(lxw_strerror(s->error()));
  const lxw_error e = workbook_close(wb.release());
  if (e != LXW_NO_ERROR) return xlsx_error(lxw_strerror(e));
  return ok_status();
}

Result<std::string> write_xlsx(const Transcript& t, const ExportOptions& o) {
  std::string path = tmp_dir(o) + "/forumcast-export-XXXXXX.xlsx";
  const int fd = mkstemps(path.data(), 5);
  if (fd < 0) return xlsx_error("cannot create a temporary file in " + tmp_dir(o));
  ::close(fd);
  struct Unlink {
    std::string p;
    ~Unlink() { ::unlink(p.c_str()); }
  } guard{path};
  if (auto s = write_xlsx_file(t, o, path); !s) return s.error();
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return xlsx_error("cannot read back " + path);
  std::string bytes(static_cast<size_t>(in.tellg()), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    return xlsx_error("cannot read back " + path);
  return bytes;
}

}  // namespace forumcast::followup
