// stream/recording_index.hpp: recording.json, the small sidecar next to a
// forum's recording that stores the wall clock <-> recording position mapping
// (where position 0 is on the wall clock, every publish session's start and end
// on both clocks) and what a restarted server needs to continue the same
// timeline (next segment number, how far the recording got). Plus the atomic
// file write (temp + rename) every playlist and sidecar write goes through.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace forumcast::stream {

struct SessionRecord {
  int number = 0;
  std::string remote;
  int64_t wall_start_ms = 0;
  int64_t stream_ms_start = 0;
  int64_t stream_ms_end = -1;  // -1 while live (or if the server died)
  int64_t first_segment = -1;
  int64_t last_segment = -1;
};

struct RecordingIndex {
  std::string forum_id;
  int64_t start_wall_ms = 0;           // wall time of stream position 0
  int64_t recorded_until_ms = 0;       // stream position of the last complete segment's end
  int64_t recorded_until_wall_ms = 0;  // wall time when it was written
  int64_t next_segment = 0;
  bool finished = false;
  std::vector<SessionRecord> sessions;
};

std::string to_json(const RecordingIndex& idx);
std::optional<RecordingIndex> recording_index_from_json(const std::string& text);

// Writes path.tmp, then renames it over path: readers never see half a file.
Status write_file_atomic(const std::string& path, const std::string& content);
// Appends with one write(2) call (an event playlist line block).
Status append_file(const std::string& path, const std::string& content);
std::optional<std::string> read_file(const std::string& path);

}  // namespace forumcast::stream
