// followup/writers.hpp: turn a Transcript into the export formats of issue 6:
// json (complete, versioned "forumcast.transcript.v1"), csv (UTF-8 + BOM, RFC 4180,
// one row per question), xlsx (sheets Questions, Follow-ups, Comments, Tickets,
// Summary), md and html minutes (会议纪要), and vtt (WebVTT chapters). Each format
// lives in its own *_writer.cpp. Privacy rules are applied here, in one place
// per writer, from ExportOptions: contact details and hidden comments are left
// out unless asked. Auditing a request for contacts is the caller's (server).
// Layouts are documented in docs/transcript.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "followup/transcript.hpp"

namespace forumcast::followup {

enum class Format { json, csv, xlsx, md, html, vtt };
std::string_view to_string(Format f);  // "json", "csv", ...
std::optional<Format> format_from_string(std::string_view s);
std::string_view content_type(Format f);    // "text/csv; charset=utf-8", ...
std::string_view file_extension(Format f);  // ".json", ".csv", ...

enum class Lang { zh_CN, en };
std::optional<Lang> lang_from_string(std::string_view s);  // "zh-CN" | "en"

struct ExportOptions {
  bool include_contacts = false;         // phone numbers, device tokens, rater keys
  bool include_hidden_comments = false;  // comments a moderator hid
  Lang lang = Lang::zh_CN;               // headings and labels (data is never translated)
  std::string tmp_dir;  // xlsx scratch directory; "" = $TMPDIR, else /dev/shm, else /tmp
};

// Every writer returns the document bytes. Only xlsx can fail (file system).
std::string write_json(const Transcript& t, const ExportOptions& o);
std::string write_csv(const Transcript& t, const ExportOptions& o);
Result<std::string> write_xlsx(const Transcript& t, const ExportOptions& o);
Status write_xlsx_file(const Transcript& t, const ExportOptions& o, const std::string& path);
std::string write_markdown(const Transcript& t, const ExportOptions& o);
std::string write_html(const Transcript& t, const ExportOptions& o);
std::string write_vtt(const Transcript& t, const ExportOptions& o);

// Dispatch on the format. Error codes: xlsx_failed.
Result<std::string> export_transcript(const Transcript& t, Format f, const ExportOptions& o);

// The replay link of a moment in the stream: "/f/<forum id>/replay?t=<whole seconds>".
std::string replay_link(std::string_view forum_id, int64_t stream_ms);
// "H:MM:SS" for stream times in minutes and csv ("1:02:03", "0:04:05").
std::string format_stream_time(int64_t stream_ms);

}  // namespace forumcast::followup
