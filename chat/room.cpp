// chat/room.cpp: the ring of shared frames, the seq buckets of subscribers, the
// resume decision, coalesced batches and the slow-reader cut-off. See room.hpp.
#include "chat/room.hpp"

#include <algorithm>
#include <cassert>

#include "chat/protocol.hpp"

namespace forumcast::chat {

Room::Room(std::string forum_id, std::string epoch, int64_t last_seq, std::vector<FramePtr> tail,
           const ChatLimits& limits, size_t headroom, RoomObserver& observer)
    : forum_id_(std::move(forum_id)),
      epoch_(std::move(epoch)),
      limits_(limits),
      headroom_(headroom),
      observer_(observer),
      ring_(std::max<size_t>(1, limits.retain_events)),
      buckets_(ring_.size() + 1, nullptr) {
  if (tail.size() > ring_.size())
    tail.erase(tail.begin(), tail.end() - static_cast<ptrdiff_t>(ring_.size()));
  first_seq_ = last_seq - static_cast<int64_t>(tail.size()) + 1;
  last_seq_ = first_seq_ - 1;
  for (auto& f : tail) append_frame(std::move(f));
  assert(last_seq_ == last_seq);
  last_seq_ = last_seq;
  reserved_seq_ = last_seq;
  low_seq_ = last_seq;
}

Room::~Room() {
  // Sessions normally unsubscribe first; detach any that did not.
  for (auto& head : buckets_)
    for (Subscriber* s = head; s;) {
      Subscriber* n = s->next;
      s->room = nullptr, s->prev = s->next = nullptr;
      s = n;
    }
}

uint64_t Room::cum(int64_t seq) const {
  assert(seq >= first_seq_ - 1 && seq <= last_seq_);
  if (seq == first_seq_ - 1) return base_cum_;
  return ring_[static_cast<size_t>(seq) % ring_.size()].cum_end;
}

void Room::append_frame(FramePtr f) {
  if (last_seq_ - first_seq_ + 1 == static_cast<int64_t>(ring_.size())) {
    // The oldest frame leaves the window: whoever still needs it cannot get it.
    cut_bucket(first_seq_ - 1);
    base_cum_ = ring_[static_cast<size_t>(first_seq_) % ring_.size()].cum_end;
    ring_[static_cast<size_t>(first_seq_) % ring_.size()].frame.reset();
    ++first_seq_;
    low_seq_ = std::max(low_seq_, first_seq_ - 1);
  }
  uint64_t before = cum(last_seq_);
  int64_t seq = last_seq_ + 1;
  ring_[static_cast<size_t>(seq) % ring_.size()] = Slot{std::move(f), before + 0};
  ring_[static_cast<size_t>(seq) % ring_.size()].cum_end =
      before + ring_[static_cast<size_t>(seq) % ring_.size()].frame->size();
  last_seq_ = seq;
}

void Room::publish(int64_t seq, std::string payload) {
  if (seq <= last_seq_) return;  // already published
  reserved_seq_ = std::max(reserved_seq_, seq);
  waiting_[seq] = std::move(payload);
  while (!waiting_.empty() && waiting_.begin()->first == last_seq_ + 1) {
    auto node = waiting_.extract(waiting_.begin());
    std::string& body = node.mapped();
    if (body.empty()) body = serialize_noop_event(forum_id_, node.key());
    int64_t prev = last_seq_;
    append_frame(make_frame(body, headroom_, node.key()));
    wake_bucket(prev);
  }
  enforce_backlog();
}

void Room::link(Subscriber& s, int64_t seq) {
  s.sent_seq = seq;
  Subscriber*& head = bucket(seq);
  s.prev = nullptr;
  s.next = head;
  if (head) head->prev = &s;
  head = &s;
  if (count_ == 0 || seq < low_seq_) low_seq_ = seq;
  ++count_;
}

void Room::unlink(Subscriber& s) {
  if (s.prev)
    s.prev->next = s.next;
  else
    bucket(s.sent_seq) = s.next;
  if (s.next) s.next->prev = s.prev;
  s.prev = s.next = nullptr;
  --count_;
}

void Room::advance_low() {
  if (count_ == 0) {
    low_seq_ = last_seq_;
    return;
  }
  while (bucket(low_seq_) == nullptr && low_seq_ < last_seq_) ++low_seq_;
}

void Room::cut_bucket(int64_t seq) {
  Subscriber* s = bucket(seq);
  while (s) {
    Subscriber* n = s->next;
    unlink(*s);
    s->room = nullptr;
    s->wake_pending = false;
    observer_.cut(*s);
    s = n;
  }
}

void Room::wake_bucket(int64_t seq) {
  for (Subscriber* s = bucket(seq); s; s = s->next) {
    if (s->wake_pending) continue;
    s->wake_pending = true;
    observer_.wake(*s);
  }
}

void Room::enforce_backlog() {
  while (count_ > 0) {
    advance_low();
    if (cum(last_seq_) - cum(low_seq_) <= limits_.send_queue_bytes) break;
    cut_bucket(low_seq_);
  }
}

JoinDecision Room::subscribe(Subscriber& s, const std::optional<Since>& since) {
  JoinDecision d;
  int64_t from;
  if (since && since->epoch == epoch_ && since->seq >= first_seq_ - 1 && since->seq <= last_seq_) {
    d.recovered = true;
    from = since->seq + 1;
  } else {
    int64_t n =
        std::min<int64_t>(static_cast<int64_t>(limits_.history_events), last_seq_ - first_seq_ + 1);
    from = last_seq_ - n + 1;
  }
  d.events.reserve(static_cast<size_t>(last_seq_ - from + 1));
  for (int64_t q = from; q <= last_seq_; ++q) d.events.push_back(frame_at(q));
  d.seq = last_seq_;
  s.room = this;
  s.wake_pending = false;
  s.presence_sent = presence_version_;
  link(s, last_seq_);
  return d;
}

void Room::unsubscribe(Subscriber& s) {
  if (s.room != this) return;
  unlink(s);
  s.room = nullptr;
  s.wake_pending = false;
}

bool Room::has_pending(const Subscriber& s) const {
  return s.room == this &&
         (s.sent_seq < last_seq_ || (presence_ && s.presence_sent != presence_version_));
}

uint64_t Room::backlog_bytes(const Subscriber& s) const {
  return cum(last_seq_) - cum(s.sent_seq);
}

OutBytes Room::next_batch(Subscriber& s, std::vector<char>& scratch) {
  OutBytes out;
  if (s.room != this) return out;
  s.wake_pending = false;
  bool presence = presence_ && s.presence_sent != presence_version_;
  int64_t from = s.sent_seq + 1;
  int64_t avail = last_seq_ - s.sent_seq;
  if (avail == 0 && !presence) return out;

  if (avail >= 1 &&
      ((avail == 1 && !presence) || frame_at(from)->size() >= limits_.write_max_bytes)) {
    const Frame& f = *frame_at(from);  // one frame: hand over the shared bytes as they are
    unlink(s);
    link(s, from);
    out = {f.writable_payload(), f.size()};
  } else if (avail == 0) {
    s.presence_sent = presence_version_;
    out = {presence_->writable_payload(), presence_->size()};
  } else {
    scratch.resize(headroom_);
    scratch.push_back('[');
    int64_t q = from;
    for (; q <= last_seq_; ++q) {
      const Frame& f = *frame_at(q);
      size_t used = scratch.size() - headroom_;
      if (q > from && used + f.size() + 2 > limits_.write_max_bytes) break;
      if (q > from) scratch.push_back(',');
      scratch.insert(scratch.end(), f.bytes().begin(), f.bytes().end());
    }
    if (presence) {
      scratch.push_back(',');
      scratch.insert(scratch.end(), presence_->bytes().begin(), presence_->bytes().end());
      s.presence_sent = presence_version_;
    }
    scratch.push_back(']');
    unlink(s);
    link(s, q - 1);
    out = {scratch.data() + headroom_, scratch.size() - headroom_};
  }
  if (has_pending(s)) {
    s.wake_pending = true;
    observer_.wake(s);
  }
  return out;
}

void Room::tick_presence(int64_t now_ms) {
  if (count_ == presence_count_ && presence_) return;
  if (now_ms - presence_last_ms_ < limits_.presence_interval_ms) return;
  if (!presence_ && count_ == 0) return;
  presence_ =
      make_frame(serialize_presence_event(forum_id_, last_seq_, count_), headroom_, last_seq_);
  ++presence_version_;
  presence_count_ = count_;
  presence_last_ms_ = now_ms;
  // Everyone behind already has a write pending; only the caught-up need a wake.
  wake_bucket(last_seq_);
}

}  // namespace forumcast::chat
