// stream/rtmp/rtmp_session.hpp: one RTMP publisher connection as a byte-in /
// byte-out state machine: simple handshake (C0/C1/C2 -> S0/S1/S2), the chunk
// stream, protocol control (Set Chunk Size, Window Ack Size, acks) and the
// AMF0 commands a publisher sends (connect, releaseStream, FCPublish,
// createStream, publish, FCUnpublish, deleteStream). It asks its owner to
// authorize a publish and hands over media only after that. No sockets: the
// RTMP server feeds it bytes and sends what output() holds.
// Thread: owned by the RTMP thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "stream/rtmp/chunk_stream.hpp"

namespace forumcast::stream::rtmp {

class RtmpSession {
 public:
  struct Hooks {
    // app and stream key (the publish name without any "?query"); an Error
    // refuses: the publisher gets onStatus error NetStream.Publish.BadName.
    std::function<Status(const std::string& app, const std::string& key)> authorize;
    // Audio (8), video (9) and metadata (18, "@setDataFrame" removed) messages
    // of an authorized publish, in arrival order.
    std::function<void(const RtmpMessage& m)> on_media;
  };
  RtmpSession(ChunkLimits limits, std::string app, Hooks hooks);

  // Consumes received bytes. An Error means: log it, flush output(), close.
  Status on_bytes(std::string_view bytes);
  // Bytes to send; the owner sends them and clears the string.
  std::string& output() { return out_; }
  // The session has said its last word (refusal, unpublish): flush and close.
  bool closing() const { return closing_; }
  bool publishing() const { return state_ == State::publishing; }
  const std::string& stream_key() const { return key_; }
  const std::string& close_reason() const { return close_reason_; }
  uint64_t bytes_in() const { return bytes_in_; }

 private:
  enum class State { c0c1, c2, connecting, connected, publishing, closed };
  Status on_message(const RtmpMessage& m);
  Status on_command(const RtmpMessage& m, std::string_view body);
  void send(uint32_t csid, uint8_t type, uint32_t stream_id, std::string payload);
  void send_control(uint8_t type, uint32_t value);
  void send_status(uint32_t stream_id, const char* level, const char* code,
                   const std::string& description);
  void close_with(std::string reason) { closing_ = true, close_reason_ = std::move(reason); }

  ChunkReader reader_;
  ChunkWriter writer_;
  std::string app_;
  Hooks hooks_;
  State state_ = State::c0c1;
  std::string hs_;  // handshake bytes until complete
  std::string out_;
  std::string key_;
  bool closing_ = false;
  std::string close_reason_;
  uint64_t bytes_in_ = 0;
  uint64_t last_ack_ = 0;
  uint32_t ack_window_ = 0;  // the peer's Window Ack Size
  uint32_t publish_stream_id_ = 0;
};

}  // namespace forumcast::stream::rtmp
