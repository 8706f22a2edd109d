// stream/stream_clock.hpp: the stream clock of one forum (stream_ms) as plain
// arithmetic, no threads and no time source of its own: callers pass wall and
// monotonic times in, so tests drive it with numbers.
//
// Definition (docs/streaming.md, "Stream clock"): the first media packet of the
// forum's first session is position 0. Within a session, position = session
// base + media time since that session's first packet. A new session starts at
// the previous session's end position plus the wall time the forum was away
// (the gap counts). Media written to the recording carries exactly these
// positions, so stream_ms == position in the recording.
// Thread: not thread-safe; the owner (ForumOutput) guards it with a mutex.
#pragma once

#include <cstdint>
#include <optional>

namespace forumcast::stream {

class StreamClock {
 public:
  // Restores a forum recorded before (from recording.json): whether it ever
  // started, the wall time of position 0, where it ended and at what wall time.
  void restore(int64_t start_wall_ms, int64_t end_pos_ms, int64_t end_wall_ms);

  // A session's first packet arrived at wall time `wall_ms` (monotonic `mono_ms`).
  // Returns the session's base position.
  int64_t begin_session(int64_t wall_ms, int64_t mono_ms);
  // The session wrote media up to `media_ms` (since its first packet) at `mono_ms`.
  void note_media(int64_t media_ms, int64_t mono_ms);
  // The session ended at wall time `wall_ms`; its end position is the last media.
  void end_session(int64_t wall_ms);

  bool started() const { return started_; }
  bool live() const { return live_; }
  int64_t base_ms() const { return base_; }
  int64_t start_wall_ms() const { return start_wall_; }
  int64_t end_pos_ms() const { return end_pos_; }
  int64_t end_wall_ms() const { return end_wall_; }
  // Position of media time `media_ms` of the current session.
  int64_t position(int64_t media_ms) const { return base_ + media_ms; }
  // Latest written position (current session, or the end of the last one).
  int64_t written_ms() const { return live_ ? base_ + last_media_ : end_pos_; }
  // stream_ms now: the last written position plus the monotonic time since it
  // was written (at most kMaxExtrapolationMs); nullopt when not live.
  std::optional<int64_t> now(int64_t mono_ms) const;

  static constexpr int64_t kMaxExtrapolationMs = 3000;

 private:
  bool started_ = false;
  bool live_ = false;
  int64_t start_wall_ = 0;
  int64_t base_ = 0;
  int64_t last_media_ = 0;
  int64_t last_mono_ = 0;
  int64_t end_pos_ = 0;
  int64_t end_wall_ = 0;
};

}  // namespace forumcast::stream
