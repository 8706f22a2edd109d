// stream/stream_clock.cpp: stream_ms arithmetic (see stream_clock.hpp).
#include "stream/stream_clock.hpp"

#include <algorithm>

namespace forumcast::stream {

void StreamClock::restore(int64_t start_wall_ms, int64_t end_pos_ms, int64_t end_wall_ms) {
  started_ = true;
  live_ = false;
  start_wall_ = start_wall_ms;
  end_pos_ = end_pos_ms;
  end_wall_ = end_wall_ms;
  base_ = end_pos_ms;
  last_media_ = 0;
}

int64_t StreamClock::begin_session(int64_t wall_ms, int64_t mono_ms) {
  if (!started_) {
    started_ = true;
    start_wall_ = wall_ms;
    base_ = 0;
  } else {
    base_ = end_pos_ + std::max<int64_t>(0, wall_ms - end_wall_);
  }
  live_ = true;
  last_media_ = 0;
  last_mono_ = mono_ms;
  return base_;
}

void StreamClock::note_media(int64_t media_ms, int64_t mono_ms) {
  if (!live_) return;
  if (media_ms > last_media_) last_media_ = media_ms;
  last_mono_ = mono_ms;
}

void StreamClock::end_session(int64_t wall_ms) {
  if (!live_) return;
  end_pos_ = base_ + last_media_;
  end_wall_ = wall_ms;
  live_ = false;
}

std::optional<int64_t> StreamClock::now(int64_t mono_ms) const {
  if (!live_) return std::nullopt;
  return base_ + last_media_ + std::clamp<int64_t>(mono_ms - last_mono_, 0, kMaxExtrapolationMs);
}

}  // namespace forumcast::stream
