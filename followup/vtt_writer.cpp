// followup/vtt_writer.cpp: WebVTT chapters for the replay player (W3C WebVTT,
// "chapters" kind): one cue per on-air range of every question and follow-up,
// in stream order. Cue id "q<id>" (or "q<id>-<n>" for a later range of the same
// question), times hh:mm:ss.ttt of stream_ms, text "#<id> <question>" cut to
// kChapterChars characters, escaped (& < >) and on one line. A range still open
// at export ends where the next chapter starts, or kOpenChapterMs after its start.
#include <algorithm>
#include <cstdio>

#include "followup/export_common.hpp"
#include "followup/writers.hpp"

namespace forumcast::followup {
namespace {

constexpr size_t kChapterChars = 60;
constexpr int64_t kOpenChapterMs = 60'000;
using detail::labels;

struct Chapter {
  int64_t start = 0;
  std::optional<int64_t> end;
  std::string id;
  std::string text;
};

std::string stamp(int64_t ms) {
  if (ms < 0) ms = 0;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buf;
}

std::string cue_text(std::string_view s) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (chars == kChapterChars) {
        out += "…";
        break;
      }
      ++chars;
    }
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
      case '\r':
      case '\n':
      case '\t':
        out += ' ';
        break;
      default:
        out += static_cast<char>(c);
    }
  }
  return out;
}

void collect(std::vector<Chapter>& out, const Question& q, const ExportOptions& o) {
  for (size_t i = 0; i < q.on_air.size(); ++i) {
    const OnAirRange& r = q.on_air[i];
    Chapter c;
    c.start = r.start_stream_ms;
    c.end = r.end_stream_ms;
    c.id = 'q';
    c.id += std::to_string(q.id);
    if (i) {
      c.id += '-';
      c.id += std::to_string(i + 1);
    }
    const std::string prefix =
        q.parent_id ? std::string(labels(o.lang).follow_up) + " #" : std::string("#");
    c.text = prefix + std::to_string(q.id) + " " + cue_text(q.text);
    out.push_back(std::move(c));
  }
}

}  // namespace

std::string write_vtt(const Transcript& t, const ExportOptions& o) {
  std::vector<Chapter> chapters;
  for (const auto& q : t.questions) {
    collect(chapters, q, o);
    for (const auto& f : q.follow_ups) collect(chapters, f, o);
  }
  std::stable_sort(chapters.begin(), chapters.end(),
                   [](const Chapter& a, const Chapter& b) { return a.start < b.start; });
  std::string out = "WEBVTT - " + cue_text(t.forum.title) + "\n\n";
  for (size_t i = 0; i < chapters.size(); ++i) {
    const Chapter& c = chapters[i];
    const std::optional<int64_t> next =
        i + 1 < chapters.size() ? std::optional<int64_t>(chapters[i + 1].start) : std::nullopt;
    int64_t end = c.end ? *c.end : (next ? *next : c.start + kOpenChapterMs);
    if (next && end > *next) end = *next;  // chapters never overlap
    if (end <= c.start) end = c.start + 1;
    out += c.id + "\n" + stamp(c.start) + " --> " + stamp(end) + "\n" + c.text + "\n\n";
  }
  return out;
}

}  // namespace forumcast::followup
