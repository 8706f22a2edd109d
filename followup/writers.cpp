// followup/writers.cpp: format names, content types, dispatch, and the two
// formatting rules every writer shares (replay links and stream times).
#include "followup/writers.hpp"

#include <cstdio>

namespace forumcast::followup {

std::string_view to_string(Format f) {
  switch (f) {
    case Format::json:
      return "json";
    case Format::csv:
      return "csv";
    case Format::xlsx:
      return "xlsx";
    case Format::md:
      return "md";
    case Format::html:
      return "html";
    case Format::vtt:
      return "vtt";
  }
  return "json";
}

std::optional<Format> format_from_string(std::string_view s) {
  for (Format f : {Format::json, Format::csv, Format::xlsx, Format::md, Format::html, Format::vtt})
    if (to_string(f) == s) return f;
  return std::nullopt;
}

std::string_view content_type(Format f) {
  switch (f) {
    case Format::json:
      return "application/json";
    case Format::csv:
      return "text/csv; charset=utf-8";
    case Format::xlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case Format::md:
      return "text/markdown; charset=utf-8";
    case Format::html:
      return "text/html; charset=utf-8";
    case Format::vtt:
      return "text/vtt; charset=utf-8";
  }
  return "application/octet-stream";
}

std::string_view file_extension(Format f) {
  switch (f) {
    case Format::json:
      return ".json";
    case Format::csv:
      return ".csv";
    case Format::xlsx:
      return ".xlsx";
    case Format::md:
      return ".md";
    case Format::html:
      return ".html";
    case Format::vtt:
      return ".vtt";
  }
  return "";
}

std::optional<Lang> lang_from_string(std::string_view s) {
  if (s == "zh-CN" || s == "zh" || s == "zh_CN") return Lang::zh_CN;
  if (s == "en") return Lang::en;
  return std::nullopt;
}

Result<std::string> export_transcript(const Transcript& t, Format f, const ExportOptions& o) {
  switch (f) {
    case Format::json:
      return write_json(t, o);
    case Format::csv:
      return write_csv(t, o);
    case Format::xlsx:
      return write_xlsx(t, o);
    case Format::md:
      return write_markdown(t, o);
    case Format::html:
      return write_html(t, o);
    case Format::vtt:
      return write_vtt(t, o);
  }
  return make_error("bad_format", "unknown export format");
}

std::string replay_link(std::string_view forum_id, int64_t stream_ms) {
  return "/f/" + std::string(forum_id) +
         "/replay?t=" + std::to_string(stream_ms < 0 ? 0 : stream_ms / 1000);
}

std::string format_stream_time(int64_t stream_ms) {
  if (stream_ms < 0) stream_ms = 0;
  const int64_t s = stream_ms / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

}  // namespace forumcast::followup
