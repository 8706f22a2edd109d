// stream/hls_playlist.hpp: HLS media playlists (RFC 8216) as text, written by
// forumcast itself rather than by libav's hls muxer (lavf 5.1 never writes
// EXT-X-DISCONTINUITY-SEQUENCE and leaks segments across reconnects). Pure:
// entries in, playlist text out; the caller writes files (temp + rename).
//  - LivePlaylist: sliding window, EXT-X-MEDIA-SEQUENCE, EXT-X-DISCONTINUITY-
//    SEQUENCE counting discontinuities that scrolled out (section 6.2.2),
//    EXT-X-PROGRAM-DATE-TIME on every segment, EXT-X-ENDLIST when finished.
//  - event_playlist_*: the recording's EVENT playlist, appended one segment at a
//    time (crash-safe) and rewritten as VOD once finished.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace forumcast::stream {

struct SegmentEntry {
  int64_t number = 0;  // media sequence number, unique within a forum
  std::string uri;     // relative to the playlist ("seg-000012.ts")
  double duration_s = 0;
  int64_t pdt_wall_ms = 0;     // EXT-X-PROGRAM-DATE-TIME of the first frame
  int64_t stream_ms = 0;       // stream clock at the first frame
  bool discontinuity = false;  // first segment of a new publish session
};

class LivePlaylist {
 public:
  LivePlaylist(int window, int target_s) : window_(window), target_s_(target_s) {}
  // Adds a segment; returns the uris that fell far enough behind the window to
  // delete (kept one more window for players still fetching them).
  std::vector<std::string> add(SegmentEntry e);
  void set_ended(bool ended) { ended_ = ended; }
  std::string render() const;
  const std::deque<SegmentEntry>& window() const { return entries_; }
  int64_t discontinuity_sequence() const { return disc_seq_; }

 private:
  int window_;
  int target_s_;  // raised (never lowered) when a segment is longer
  bool ended_ = false;
  int64_t disc_seq_ = 0;
  std::deque<SegmentEntry> entries_;
  std::deque<std::string> retired_;
};

// Target duration for a list of segments: at least `target_s`, at least every
// duration rounded to the nearest integer (RFC 8216 4.3.3.1).
int target_duration_for(const std::vector<SegmentEntry>& segs, int target_s);

std::string event_playlist_header(int target_s);
std::string event_playlist_entry(const SegmentEntry& e);
// The finished recording: VOD playlist with ENDLIST.
std::string vod_playlist(const std::vector<SegmentEntry>& segs, int target_s);
// Parses an event/VOD playlist written by the functions above (recovery, export).
std::vector<SegmentEntry> parse_playlist(const std::string& text);

std::string format_pdt(int64_t wall_ms);  // 2026-12-05T06:00:00.123Z

}  // namespace forumcast::stream
