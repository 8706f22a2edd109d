// chat/room.hpp: one forum's event stream and its viewers, in standard C++ only.
//
// Fan-out design (docs/protocol.md "Fan-out"): an event is serialized once into a
// shared Frame and kept in a ring of the last `retain_events` frames. A viewer
// (Subscriber) holds no queue of its own, only the seq it has written up to; its
// backlog is the ring between that seq and the room's last seq, whose size in
// bytes is a subtraction of two running totals. Subscribers are linked into one
// bucket per seq value, so the slowest readers are the lowest non-empty bucket:
// cutting off those whose backlog exceeds `send_queue_bytes` never scans the
// connections that keep up. A writable viewer gets every pending frame in one
// write: one frame as is (no copy), several copied into a JSON array.
//
// Presence (viewer count) is a snapshot outside the stream: it carries the
// stream's current seq without advancing it, goes out at most once per
// `presence_interval_ms` and only when the count changed, and is never replayed.
//
// Threading: a Room and its Subscribers belong to the chat service thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/chat_limits.hpp"
#include "chat/frame.hpp"

namespace forumcast::chat {

class Room;

// One viewer's place in one room. Owned by the caller (the chat session); the
// room only links it. Must be unsubscribed before it is destroyed.
struct Subscriber {
  Subscriber* prev = nullptr;  // bucket links, owned by the Room
  Subscriber* next = nullptr;
  Room* room = nullptr;
  int64_t sent_seq = 0;        // last stream seq handed to the socket
  uint32_t presence_sent = 0;  // version of the presence frame handed to the socket
  bool wake_pending = false;   // a write has been requested and not yet served
  void* owner = nullptr;       // the session, for the RoomObserver
};

// What the room asks of its owner (the chat service).
class RoomObserver {
 public:
  virtual ~RoomObserver() = default;
  // The subscriber has something to write: ask the socket layer for a writable callback.
  virtual void wake(Subscriber& s) = 0;
  // The subscriber fell too far behind and was unlinked: close it with 4008.
  virtual void cut(Subscriber& s) = 0;
};

struct Since {
  std::string epoch;
  int64_t seq = 0;
};

struct JoinDecision {
  bool recovered = false;        // `since` was honoured: `events` is exactly what was missed
  std::vector<FramePtr> events;  // ascending seq
  int64_t seq = 0;               // the stream seq the viewer is now at
};

// A batch ready for the socket: `data` has `headroom` writable bytes before it.
struct OutBytes {
  char* data = nullptr;
  size_t size = 0;
  explicit operator bool() const { return size != 0; }
};

class Room {
 public:
  // `last_seq`: the stream's last seq (0 for a new stream). `tail`: stored events
  // ending at last_seq, ascending and contiguous (the caller fills gaps).
  Room(std::string forum_id, std::string epoch, int64_t last_seq, std::vector<FramePtr> tail,
       const ChatLimits& limits, size_t headroom, RoomObserver& observer);
  ~Room();
  Room(const Room&) = delete;
  Room& operator=(const Room&) = delete;

  const std::string& forum_id() const { return forum_id_; }
  const std::string& epoch() const { return epoch_; }
  int64_t last_seq() const { return last_seq_; }
  int64_t first_seq() const { return first_seq_; }  // oldest retained; last+1 if none
  size_t viewers() const { return count_; }
  size_t headroom() const { return headroom_; }

  // Seqs are reserved when a write starts and published once it is committed;
  // publication happens strictly in seq order (later ones wait for earlier ones).
  int64_t reserve_seq() { return ++reserved_seq_; }
  // Publishes the event for a reserved seq. An empty payload means the write
  // failed: the seq is filled with a {"ev":"noop"} event so the stream has no gap.
  void publish(int64_t seq, std::string payload);

  // Links `s` at the right place and says what the viewer gets first.
  JoinDecision subscribe(Subscriber& s, const std::optional<Since>& since);
  void unsubscribe(Subscriber& s);

  // Called when the socket can take a write: the next coalesced batch (empty if
  // nothing is pending). `scratch` is the service thread's reusable buffer.
  // Afterwards s.wake_pending is true again if more is waiting.
  OutBytes next_batch(Subscriber& s, std::vector<char>& scratch);
  bool has_pending(const Subscriber& s) const;

  // Emits a presence snapshot if the count changed and the interval has passed.
  void tick_presence(int64_t now_ms);
  // Backlog in bytes of a subscriber (for tests and stats).
  uint64_t backlog_bytes(const Subscriber& s) const;

 private:
  struct Slot {
    FramePtr frame;
    uint64_t cum_end = 0;  // running byte total through this frame
  };
  void append_frame(FramePtr f);
  void link(Subscriber& s, int64_t seq);
  void unlink(Subscriber& s);
  Subscriber*& bucket(int64_t seq) { return buckets_[static_cast<size_t>(seq) % buckets_.size()]; }
  uint64_t cum(int64_t seq) const;
  const FramePtr& frame_at(int64_t seq) const {
    return ring_[static_cast<size_t>(seq) % ring_.size()].frame;
  }
  void advance_low();
  void cut_bucket(int64_t seq);
  void wake_bucket(int64_t seq);
  void enforce_backlog();

  std::string forum_id_;
  std::string epoch_;
  const ChatLimits& limits_;
  size_t headroom_;
  RoomObserver& observer_;

  std::vector<Slot> ring_;            // frames first_seq_..last_seq_, index seq % size
  std::vector<Subscriber*> buckets_;  // subscribers by sent_seq, index seq % size
  int64_t first_seq_ = 1;
  int64_t last_seq_ = 0;
  int64_t reserved_seq_ = 0;
  uint64_t base_cum_ = 0;  // running total before first_seq_
  int64_t low_seq_ = 0;    // lowest sent_seq with a subscriber
  size_t count_ = 0;
  std::map<int64_t, std::string> waiting_;  // committed out of order (rare)

  FramePtr presence_;
  uint32_t presence_version_ = 0;
  size_t presence_count_ = 0;
  int64_t presence_last_ms_ = INT64_MIN / 2;
};

}  // namespace forumcast::chat
