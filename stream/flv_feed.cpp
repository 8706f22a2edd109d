// stream/flv_feed.cpp: FLV tag framing and the bounded queue (see flv_feed.hpp).
#include "stream/flv_feed.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "stream/rtmp/amf0.hpp"

namespace forumcast::stream {
namespace {

constexpr uint8_t kAudioTag = 8, kVideoTag = 9;
constexpr size_t kWakeBytes = 128 * 1024;
constexpr int kReadPollMs = 250;  // the reader's own poll between wakes (video: the live edge moves at keyframes)
constexpr uint64_t kEagerVideoTags = 150;  // ~5 s at 30 fps: the probe and first segments

// FLV header flags from the first tag: metadata names the codecs it carries.
uint8_t header_flags(uint8_t type, std::string_view body) {
  if (type == kAudioTag) return 0x04 | 0x01;  // media first: assume both, the probe settles it
  if (type == kVideoTag) return 0x04 | 0x01;
  size_t used = 0;
  auto name = rtmp::amf0_decode_one(body, used);
  if (!name.ok() || name->string != "onMetaData") return 0x05;
  size_t used2 = 0;
  auto meta = rtmp::amf0_decode_one(body.substr(used), used2);
  if (!meta.ok()) return 0x05;
  uint8_t flags = 0;
  if (meta->get("videocodecid")) flags |= 0x01;
  if (meta->get("audiocodecid")) flags |= 0x04;
  return flags ? flags : 0x05;
}

}  // namespace

void FlvFeed::push_tag(uint8_t type, uint32_t ts, std::string_view body) {
  std::lock_guard lk(mu_);
  if (closed_ || cancelled_) return;
  if (!header_written_) {
    std::string h = {'F', 'L', 'V', 1, static_cast<char>(header_flags(type, body)), 0, 0, 0, 9,
                     0,   0,   0,   0};
    push_locked(std::move(h), false);
    header_written_ = true;
  }
  const uint32_t size = static_cast<uint32_t>(body.size());
  std::string tag;
  tag.reserve(11 + body.size() + 4);
  tag.push_back(static_cast<char>(type));
  tag.push_back(static_cast<char>(size >> 16));
  tag.push_back(static_cast<char>(size >> 8));
  tag.push_back(static_cast<char>(size));
  tag.push_back(static_cast<char>(ts >> 16));
  tag.push_back(static_cast<char>(ts >> 8));
  tag.push_back(static_cast<char>(ts));
  tag.push_back(static_cast<char>(ts >> 24));
  tag.append(3, '\0');
  tag.append(body);
  const uint32_t back = size + 11;
  tag.push_back(static_cast<char>(back >> 24));
  tag.push_back(static_cast<char>(back >> 16));
  tag.push_back(static_cast<char>(back >> 8));
  tag.push_back(static_cast<char>(back));
  // When to wake the ingest thread (each wake is two context switches, the main
  // cost of a remuxing ingest): per video frame while the probe runs (the first
  // kEagerVideoTags, so publish -> first playlist stays short), then only at a
  // video keyframe (where a segment is cut: the segment before it is published at
  // once, so the live edge is not delayed), at kWakeBytes queued, and otherwise by
  // the reader's own kReadPollMs poll. Audio-only streams: every tag.
  bool wake = true;
  if (type == kVideoTag) {
    ++video_tags_;
    const bool keyframe = !body.empty() && ((static_cast<uint8_t>(body[0]) >> 4) & 0x7) == 1;
    wake = keyframe || video_tags_ <= kEagerVideoTags || queued_ >= kWakeBytes;
  } else if (video_tags_ > 0) {
    wake = queued_ >= kWakeBytes || (type != kAudioTag && video_tags_ <= kEagerVideoTags);
  }
  push_locked(std::move(tag), wake);
}

void FlvFeed::push_locked(std::string bytes, bool wake) {
  queued_ += bytes.size();
  pushed_ += bytes.size();
  q_.push_back(std::move(bytes));
  if (wake) cv_.notify_one();
}

void FlvFeed::close() {
  std::lock_guard lk(mu_);
  closed_ = true;
  cv_.notify_all();
}

void FlvFeed::cancel() {
  std::lock_guard lk(mu_);
  cancelled_ = true;
  cv_.notify_all();
}

bool FlvFeed::over_high_water() const {
  std::lock_guard lk(mu_);
  return queued_ >= max_bytes_;
}

bool FlvFeed::under_low_water() const {
  std::lock_guard lk(mu_);
  return queued_ <= max_bytes_ / 2;
}

uint64_t FlvFeed::bytes_pushed() const {
  std::lock_guard lk(mu_);
  return pushed_;
}

size_t FlvFeed::read(uint8_t* dst, size_t len) {
  std::unique_lock lk(mu_);
  while (!(!q_.empty() || closed_ || cancelled_))
    cv_.wait_for(lk, std::chrono::milliseconds(kReadPollMs));
  if (cancelled_) return 0;
  size_t n = 0;
  while (n < len && !q_.empty()) {
    const std::string& f = q_.front();
    const size_t take = std::min(len - n, f.size() - front_off_);
    std::memcpy(dst + n, f.data() + front_off_, take);
    n += take;
    front_off_ += take;
    if (front_off_ == f.size()) {
      q_.pop_front();
      front_off_ = 0;
    }
  }
  queued_ -= n;
  return n;
}

}  // namespace forumcast::stream
