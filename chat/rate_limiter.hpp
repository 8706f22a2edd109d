// chat/rate_limiter.hpp: token buckets per key (a device, or a staff account).
// A bucket holds up to `burst` tokens and gains one every `refill_ms`; taking a
// token from an empty bucket answers how long until one is there, which the
// client sees as rate_limited.retry_after_ms. Idle full buckets are pruned.
// Threading: owned by the chat service thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace forumcast::chat {

class RateLimiter {
 public:
  RateLimiter(double burst, int64_t refill_ms) : burst_(burst), refill_ms_(refill_ms) {}
  // nullopt: allowed (one token taken). Otherwise: ms until a token is available.
  std::optional<int64_t> take(const std::string& key, int64_t now_ms);
  // Drops buckets that have refilled completely (they behave as new ones).
  void prune(int64_t now_ms);
  size_t size() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens;
    int64_t at_ms;
  };
  double level(const Bucket& b, int64_t now_ms) const;
  double burst_;
  int64_t refill_ms_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace forumcast::chat
