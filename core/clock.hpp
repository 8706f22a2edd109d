// core/clock.hpp: time as the rest of forumcast sees it. Wall time (ms since the
// Unix epoch) for records, monotonic time (ms) for timeouts and rate limits.
// Tests inject FakeClock so nothing depends on the real passage of time.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace forumcast {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t wall_ms() const = 0;       // ms since 1970-01-01T00:00:00Z
  virtual int64_t monotonic_ms() const = 0;  // ms since an arbitrary start, never goes back
};

class SystemClock final : public Clock {
 public:
  int64_t wall_ms() const override;
  int64_t monotonic_ms() const override;
  static SystemClock& instance();
};

// Thread-safe manual clock for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t wall = 1'764'900'000'000, int64_t mono = 1'000)
      : wall_(wall), mono_(mono) {}
  int64_t wall_ms() const override { return wall_.load(); }
  int64_t monotonic_ms() const override { return mono_.load(); }
  void advance(int64_t ms) {
    wall_ += ms;
    mono_ += ms;
  }

 private:
  std::atomic<int64_t> wall_;
  std::atomic<int64_t> mono_;
};

// RFC 3339 UTC text for a wall time ("2026-12-05T06:00:00.123Z").
std::string format_rfc3339(int64_t wall_ms);

}  // namespace forumcast
