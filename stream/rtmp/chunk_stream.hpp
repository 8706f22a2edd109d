// stream/rtmp/chunk_stream.hpp: the RTMP chunk stream layer (Adobe RTMP spec
// 1.0, section 5.3): ChunkReader reassembles messages from chunks (fmt 0-3,
// 1-3 byte chunk stream ids, extended timestamps, per-stream deltas),
// ChunkWriter splits outgoing messages into chunks. Byte-level only: no
// sockets, no AMF, no policy beyond the bounds given at construction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace forumcast::stream::rtmp {

// Message type ids (spec section 5.4 and 7.1).
enum MessageType : uint8_t {
  kSetChunkSize = 1,
  kAbort = 2,
  kAck = 3,
  kUserControl = 4,
  kWindowAckSize = 5,
  kSetPeerBandwidth = 6,
  kAudio = 8,
  kVideo = 9,
  kDataAmf3 = 15,
  kCommandAmf3 = 17,
  kDataAmf0 = 18,
  kCommandAmf0 = 20,
  kAggregate = 22,
};

struct RtmpMessage {
  uint32_t csid = 0;
  uint8_t type = 0;
  uint32_t stream_id = 0;
  uint32_t timestamp = 0;  // absolute, ms
  std::string payload;
};

struct ChunkLimits {
  uint32_t max_chunk_size = 65536;
  uint32_t max_message_bytes = 4 * 1024 * 1024;
  uint32_t max_chunk_streams = 64;
  // all partially received messages together
  uint64_t max_pending_bytes = 8 * 1024 * 1024;
};

class ChunkReader {
 public:
  explicit ChunkReader(ChunkLimits limits = {}) : limits_(limits) {}

  // Appends received bytes. The caller feeds a bounded amount, then drains next().
  void feed(std::string_view bytes) { buf_.append(bytes); }
  // The next complete message, nullopt if more bytes are needed, or an Error
  // (code rtmp_chunk_malformed) after which the connection must be closed.
  Result<std::optional<RtmpMessage>> next();
  // Applies a peer's Set Chunk Size (bounded by limits.max_chunk_size).
  Status set_chunk_size(uint32_t size);
  // Abort message: drops the partial message of a chunk stream.
  void abort(uint32_t csid);

  uint32_t chunk_size() const { return chunk_size_; }
  size_t buffered() const { return buf_.size(); }

 private:
  struct StreamState {
    uint32_t timestamp = 0;
    uint32_t delta = 0;
    uint32_t length = 0;
    uint8_t type = 0;
    uint32_t stream_id = 0;
    bool extended = false;  // last header carried an extended timestamp
    bool has_header = false;
    std::string partial;  // payload received so far
  };
  ChunkLimits limits_;
  uint32_t chunk_size_ = 128;
  std::string buf_;
  size_t pos_ = 0;
  uint64_t pending_ = 0;
  std::map<uint32_t, StreamState> streams_;
};

class ChunkWriter {
 public:
  // Appends the chunks of one message (fmt 0 then fmt 3) to out.
  void write(const RtmpMessage& m, std::string& out) const;
  void set_chunk_size(uint32_t size) { chunk_size_ = size; }
  uint32_t chunk_size() const { return chunk_size_; }

 private:
  uint32_t chunk_size_ = 128;
};

}  // namespace forumcast::stream::rtmp
