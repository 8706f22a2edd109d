// chat/frame.hpp: one serialized server event, shared by every receiver.
// The bytes are written once into a buffer with `headroom` writable bytes in
// front (libwebsockets' LWS_PRE, given by the glue), so a single event is
// handed to the socket layer without a copy. Frames are immutable once made;
// the only bytes anybody writes later are the headroom ones, and only on the
// service thread (lws_write puts the WebSocket header there).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace forumcast::chat {

class Frame {
 public:
  Frame(std::string_view payload, size_t headroom, int64_t seq)
      : buf_(new char[headroom + payload.size()]),
        headroom_(headroom),
        size_(payload.size()),
        seq_(seq) {
    std::memcpy(buf_.get() + headroom, payload.data(), payload.size());
  }
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

  std::string_view bytes() const { return {buf_.get() + headroom_, size_}; }
  size_t size() const { return size_; }
  int64_t seq() const { return seq_; }
  // The payload with `headroom` scratch bytes before it, for the socket writer.
  char* writable_payload() const { return buf_.get() + headroom_; }

 private:
  std::unique_ptr<char[]> buf_;
  size_t headroom_;
  size_t size_;
  int64_t seq_;
};

using FramePtr = std::shared_ptr<const Frame>;

inline FramePtr make_frame(std::string_view payload, size_t headroom, int64_t seq) {
  return std::make_shared<const Frame>(payload, headroom, seq);
}

}  // namespace forumcast::chat
