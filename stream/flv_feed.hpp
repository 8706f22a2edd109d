// stream/flv_feed.hpp: the bounded byte queue between the RTMP thread and a
// forum's ingest thread. The RTMP thread turns each authorized media message
// into an FLV tag (FLV spec 10.1, annex E) and pushes it; the ingest thread's
// libav AVIOContext reads the bytes as one continuous FLV file. The queue is
// bounded: the RTMP thread stops reading the publisher's socket while
// over_high_water() (TCP back-pressure), so memory stays bounded whatever the
// publisher sends. Thread-safe (one producer, one consumer).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

namespace forumcast::stream {

class FlvFeed {
 public:
  explicit FlvFeed(size_t max_bytes) : max_bytes_(max_bytes) {}

  // Producer (RTMP thread): one FLV tag. The FLV file header goes first, its
  // audio/video flags taken from the first tag (onMetaData names the codecs).
  void push_tag(uint8_t type, uint32_t timestamp_ms, std::string_view body);
  // No more tags: read() returns 0 once the queue is drained.
  void close();
  bool over_high_water() const;  // producer should pause reading its socket
  bool under_low_water() const;  // producer may resume

  // Consumer (ingest thread): blocks until bytes, close() or cancel(); returns
  // the number of bytes copied, 0 at the end of the stream.
  size_t read(uint8_t* dst, size_t len);
  // Wakes a blocked read() for good (shutdown).
  void cancel();

  uint64_t bytes_pushed() const;

 private:
  void push_locked(std::string bytes, bool wake);
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> q_;
  size_t front_off_ = 0;
  size_t queued_ = 0;
  size_t max_bytes_;
  bool header_written_ = false;
  uint64_t video_tags_ = 0;
  bool closed_ = false;
  bool cancelled_ = false;
  uint64_t pushed_ = 0;
};

}  // namespace forumcast::stream
