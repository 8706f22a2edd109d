// stream/hls_playlist.cpp: playlist text (RFC 8216 sections 4.3 and 6.2.2).
#include "stream/hls_playlist.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sstream>

namespace forumcast::stream {
namespace {

std::string extinf(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "#EXTINF:%.3f,\n", d);
  return buf;
}

int rounded(double d) {
  return static_cast<int>(std::lround(d));
}

}  // namespace

std::string format_pdt(int64_t wall_ms) {
  std::time_t secs = static_cast<std::time_t>(wall_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(wall_ms % 1000));
  return buf;
}

std::vector<std::string> LivePlaylist::add(SegmentEntry e) {
  if (rounded(e.duration_s) > target_s_) target_s_ = rounded(e.duration_s);
  entries_.push_back(std::move(e));
  std::vector<std::string> doomed;
  while (static_cast<int>(entries_.size()) > window_) {
    // the discontinuity tag belongs to the segment after it; when that segment
    // leaves the window, the count moves into EXT-X-DISCONTINUITY-SEQUENCE
    if (entries_.front().discontinuity) ++disc_seq_;
    retired_.push_back(entries_.front().uri);
    entries_.pop_front();
  }
  while (static_cast<int>(retired_.size()) > window_) {
    doomed.push_back(retired_.front());
    retired_.pop_front();
  }
  return doomed;
}

std::string LivePlaylist::render() const {
  std::string out = "#EXTM3U\n#EXT-X-VERSION:3\n";
  out += "#EXT-X-TARGETDURATION:" + std::to_string(target_s_) + "\n";
  out += "#EXT-X-MEDIA-SEQUENCE:" + std::to_string(entries_.empty() ? 0 : entries_.front().number) +
         "\n";
  out += "#EXT-X-DISCONTINUITY-SEQUENCE:" + std::to_string(disc_seq_) + "\n";
  out += "#EXT-X-INDEPENDENT-SEGMENTS\n";
  for (const auto& e : entries_) {
    if (e.discontinuity) out += "#EXT-X-DISCONTINUITY\n";
    out += "#EXT-X-PROGRAM-DATE-TIME:" + format_pdt(e.pdt_wall_ms) + "\n";
    out += extinf(e.duration_s);
    out += e.uri + "\n";
  }
  if (ended_) out += "#EXT-X-ENDLIST\n";
  return out;
}

int target_duration_for(const std::vector<SegmentEntry>& segs, int target_s) {
  int t = target_s;
  for (const auto& s : segs) t = std::max(t, rounded(s.duration_s));
  return t;
}

std::string event_playlist_header(int target_s) {
  return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-TARGETDURATION:" +
         std::to_string(target_s) + "\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n";
}

std::string event_playlist_entry(const SegmentEntry& e) {
  std::string out;
  if (e.discontinuity) out += "#EXT-X-DISCONTINUITY\n";
  // forumcast-specific: the stream clock at the segment start (players ignore X- tags)
  out += "#EXT-X-PROGRAM-DATE-TIME:" + format_pdt(e.pdt_wall_ms) + "\n";
  out += "#X-FORUMCAST-STREAM-MS:" + std::to_string(e.stream_ms) + "\n";
  out += extinf(e.duration_s);
  out += e.uri + "\n";
  return out;
}

std::string vod_playlist(const std::vector<SegmentEntry>& segs, int target_s) {
  std::string out = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-TARGETDURATION:" +
                    std::to_string(target_duration_for(segs, target_s)) +
                    "\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n";
  for (const auto& s : segs) out += event_playlist_entry(s);
  out += "#EXT-X-ENDLIST\n";
  return out;
}

std::vector<SegmentEntry> parse_playlist(const std::string& text) {
  std::vector<SegmentEntry> out;
  // a last line without its newline was torn by a crash mid-append: ignore it
  const size_t complete = text.rfind('\n');
  std::istringstream in(complete == std::string::npos ? std::string()
                                                      : text.substr(0, complete + 1));
  std::string line;
  SegmentEntry cur;
  bool have_inf = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line == "#EXT-X-DISCONTINUITY") {
      cur.discontinuity = true;
    } else if (line.rfind("#EXT-X-PROGRAM-DATE-TIME:", 0) == 0) {
      std::tm tm{};
      int ms = 0;
      if (std::sscanf(line.c_str() + 25, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon,
                      &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) == 7) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        cur.pdt_wall_ms = static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
      }
    } else if (line.rfind("#X-FORUMCAST-STREAM-MS:", 0) == 0) {
      cur.stream_ms = std::strtoll(line.c_str() + 23, nullptr, 10);
    } else if (line.rfind("#EXTINF:", 0) == 0) {
      cur.duration_s = std::strtod(line.c_str() + 8, nullptr);
      have_inf = true;
    } else if (line[0] != '#' && have_inf) {
      cur.uri = line;
      // seg-000123.ts -> 123
      auto dash = line.rfind('-');
      if (dash != std::string::npos)
        cur.number = std::strtoll(line.c_str() + dash + 1, nullptr, 10);
      out.push_back(cur);
      cur = SegmentEntry{};
      have_inf = false;
    }
  }
  return out;
}

}  // namespace forumcast::stream
