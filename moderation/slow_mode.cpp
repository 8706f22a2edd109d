// moderation/slow_mode.cpp: per-resident minimum interval, with a periodic sweep so the
// map holds only residents who posted within the last interval.
#include "moderation/slow_mode.hpp"

namespace forumcast::moderation {

SlowMode::SlowMode(const Clock& clock, int64_t interval_ms)
    : clock_(clock), interval_ms_(interval_ms < 0 ? 0 : interval_ms) {}

void SlowMode::set_interval(int64_t interval_ms) {
  interval_ms_ = interval_ms < 0 ? 0 : interval_ms;
  if (interval_ms_ == 0) last_.clear();
}

void SlowMode::sweep(int64_t now) {
  for (auto it = last_.begin(); it != last_.end();) {
    if (now - it->second >= interval_ms_)
      it = last_.erase(it);
    else
      ++it;
  }
  last_sweep_ = now;
}

SlowDecision SlowMode::try_post(std::string_view device_hash) {
  if (interval_ms_ == 0) return {};
  int64_t now = clock_.monotonic_ms();
  // Sweep at most once per interval: amortised O(1) per post, memory bounded by the
  // residents who posted within the last two intervals.
  if (now - last_sweep_ >= interval_ms_) sweep(now);
  auto [it, inserted] = last_.try_emplace(std::string(device_hash), now);
  if (inserted) return {};
  int64_t wait = it->second + interval_ms_ - now;
  if (wait > 0) return SlowDecision{false, wait};
  it->second = now;
  return {};
}

}  // namespace forumcast::moderation
