// moderation/slow_mode.hpp: slow mode, a minimum interval between two comments of one
// resident in a forum. A comment sent too early is refused with retry_after_ms (the
// client keeps its text). Time is the injected Clock's monotonic time. Staff are not
// limited: the caller does not ask for them. The token-bucket flood limit of the chat
// relay is separate (chat/) and applies as well.
//
// Threading: not thread-safe; owned by the thread serving the forum.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace forumcast::moderation {

struct SlowDecision {
  bool allowed = true;
  int64_t retry_after_ms = 0;  // > 0 when refused
};

class SlowMode {
 public:
  explicit SlowMode(const Clock& clock, int64_t interval_ms = 0);

  // 0 turns slow mode off (and forgets everyone). Bounds: ModerationSettings.
  void set_interval(int64_t interval_ms);
  int64_t interval() const { return interval_ms_; }

  // Allowed: records the post. Refused: nothing recorded, retry_after_ms set.
  SlowDecision try_post(std::string_view device_hash);

  size_t tracked() const { return last_.size(); }  // residents remembered

 private:
  void sweep(int64_t now);

  const Clock& clock_;
  int64_t interval_ms_;
  int64_t last_sweep_ = 0;
  std::unordered_map<std::string, int64_t> last_;  // device -> monotonic ms of last post
};

}  // namespace forumcast::moderation
