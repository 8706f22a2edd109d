// chat/rate_limiter.cpp: token bucket arithmetic. See rate_limiter.hpp.
#include "chat/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace forumcast::chat {

double RateLimiter::level(const Bucket& b, int64_t now_ms) const {
  if (refill_ms_ <= 0) return burst_;
  double gained =
      static_cast<double>(std::max<int64_t>(0, now_ms - b.at_ms)) / static_cast<double>(refill_ms_);
  return std::min(burst_, b.tokens + gained);
}

std::optional<int64_t> RateLimiter::take(const std::string& key, int64_t now_ms) {
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now_ms});
  Bucket& b = it->second;
  double tokens = level(b, now_ms);
  if (tokens >= 1.0) {
    b.tokens = tokens - 1.0;
    b.at_ms = now_ms;
    return std::nullopt;
  }
  b.tokens = tokens;
  b.at_ms = now_ms;
  return std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil((1.0 - tokens) * static_cast<double>(refill_ms_))));
}

void RateLimiter::prune(int64_t now_ms) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (level(it->second, now_ms) >= burst_)
      it = buckets_.erase(it);
    else
      ++it;
  }
}

}  // namespace forumcast::chat
