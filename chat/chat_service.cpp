// chat/chat_service.cpp: requests -> replies and events; rooms; store round trips.
// See chat_service.hpp. Replies go to a small per-session list; events go
// through the rooms' shared frames (room.hpp), never copied per receiver.
#include "chat/chat_service.hpp"

#include <algorithm>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "chat/moderation_ops.hpp"
#include "chat/protocol.hpp"
#include "chat/rate_limiter.hpp"
#include "core/random.hpp"
#include "store/chat_log_store.hpp"

namespace forumcast::chat {

struct ChatSession {
  uint64_t id = 0;
  ChatPeer* peer = nullptr;
  std::string ip;
  Subscriber sub;
  // Moderators and organizers: the room's staff-only stream (allocated at a staff
  // join, so that residents' sessions do not carry it).
  std::unique_ptr<Subscriber> staff_sub;
  bool joined = false;
  bool closing = false;
  Identity who;
  std::string forum, name, compound, building;
  std::vector<std::string> replies;  // JSON with headroom in front, oldest first
};

struct ChatService::RoomEntry {
  std::unique_ptr<Room> room;
  std::unique_ptr<Room> staff_room;      // staff-only events (held comments, pending queue)
  std::unique_ptr<ForumModeration> mod;  // null without deps.make_moderation
  ForumState state = ForumState::live;
  int64_t state_checked_ms = INT64_MIN / 2;
};

namespace {
constexpr int64_t kStateRefreshMs = 1000;
constexpr int64_t kPruneEveryMs = 60'000;

bool accepts_comments(ForumState s) {
  return s == ForumState::collecting || s == ForumState::live;
}
}  // namespace

ChatService::ChatService(ChatDeps deps, ChatLimits limits)
    : deps_(std::move(deps)),
      limits_(limits),
      limiter_(std::make_unique<RateLimiter>(limits_.comment_burst, limits_.comment_refill_ms)) {
  if (!deps_.clock) deps_.clock = &SystemClock::instance();
  scratch_.reserve(deps_.headroom + limits_.write_max_bytes + 1024);
}

ChatService::~ChatService() {
  for (auto& [id, s] : sessions_) {
    if (s->sub.room) s->sub.room->unsubscribe(s->sub);
    if (s->staff_sub && s->staff_sub->room) s->staff_sub->room->unsubscribe(*s->staff_sub);
    delete s;
  }
}

bool ChatService::would_admit(const std::string& ip) const {
  if (sessions_.size() >= limits_.max_connections) return false;
  auto it = per_ip_.find(ip);
  return it == per_ip_.end() || it->second < limits_.max_connections_per_ip;
}

ChatSession* ChatService::open(ChatPeer& peer, const std::string& ip) {
  if (!would_admit(ip)) {
    ++stats_.rejected;
    return nullptr;
  }
  auto* s = new ChatSession;
  s->id = next_session_id_++;
  s->peer = &peer;
  s->ip = ip;
  s->sub.owner = s;
  sessions_.emplace(s->id, s);
  ++per_ip_[ip];
  return s;
}

void ChatService::on_closed(ChatSession* s) {
  if (!s) return;
  leave_room(*s);
  auto it = per_ip_.find(s->ip);
  if (it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
  sessions_.erase(s->id);
  delete s;
}

void ChatService::close_all() {
  for (auto& [id, s] : sessions_) {
    if (s->closing) continue;
    s->closing = true;
    s->peer->close(kCloseGoingAway, "server shutting down");
  }
}

void ChatService::reply(ChatSession& s, std::string json) {
  if (s.closing) return;
  if (s.replies.size() >= limits_.max_pending_replies) {
    s.closing = true;
    s.peer->close(kCloseSlowReader, "too many unread replies");
    return;
  }
  std::string framed(deps_.headroom, '\0');
  framed += json;
  s.replies.push_back(std::move(framed));
  s.peer->want_write();
}

void ChatService::fail(ChatSession& s, std::optional<int64_t> rid, const char* code,
                       std::string message, std::optional<int64_t> retry_after_ms) {
  reply(s, reply_error(rid, Error{code, std::move(message)}, retry_after_ms));
}

void ChatService::on_message(ChatSession* s, std::string_view text) {
  if (!s || s->closing) return;
  ParsedMessage m = parse_client_message(text, limits_);
  if (m.error) {
    if (m.error->code == codes::unknown_op && m.rid && handle_moderation(*s, *m.rid, text)) return;
    reply(*s, reply_error(m.rid, *m.error));
    return;
  }
  int64_t rid = *m.rid;
  if (auto* j = std::get_if<JoinOp>(&m.op))
    handle_join(*s, rid, *j);
  else if (std::holds_alternative<LeaveOp>(m.op))
    handle_leave(*s, rid);
  else if (auto* c = std::get_if<CommentOp>(&m.op))
    handle_comment(*s, rid, std::move(c->text));
  else if (std::holds_alternative<PingOp>(m.op))
    reply(*s, reply_ok(rid));
}

Result<ChatService::RoomEntry*> ChatService::room_for(const std::string& forum) {
  auto it = rooms_.find(forum);
  if (it != rooms_.end()) return it->second.get();
  std::string epoch = random_base32(5);
  int64_t last_seq = 0;
  std::vector<FramePtr> tail;
  std::vector<std::pair<int64_t, std::string>> authors;  // stored comments: seq -> author key
  if (deps_.log) {
    auto head = deps_.log->open_stream(forum, epoch, deps_.clock->wall_ms());
    if (!head) return head.error();
    epoch = head->epoch;
    last_seq = head->last_seq;
    auto rows = deps_.log->load_tail(forum, limits_.retain_events);
    if (!rows) return rows.error();
    for (const auto& r : *rows)
      if (r.kind == "comment" && r.author_key.rfind("dev:", 0) == 0)
        authors.emplace_back(r.seq, r.author_key);
    // Frames for the contiguous range ending at last_seq; a failed write left a gap: noop.
    int64_t first = rows->empty() ? last_seq + 1 : std::min(rows->front().seq, last_seq + 1);
    size_t i = 0;
    for (int64_t q = first; q <= last_seq; ++q) {
      while (i < rows->size() && (*rows)[i].seq < q) ++i;
      if (i < rows->size() && (*rows)[i].seq == q)
        tail.push_back(make_frame((*rows)[i].body, deps_.headroom, q));
      else
        tail.push_back(make_frame(serialize_noop_event(forum, q), deps_.headroom, q));
    }
  }
  auto e = std::make_unique<RoomEntry>();
  if (deps_.make_moderation) {
    auto mod = deps_.make_moderation(forum);
    if (!mod) return mod.error();
    e->mod = std::move(*mod);
    e->staff_room =
        std::make_unique<Room>(forum, epoch + "-staff", 0, std::vector<FramePtr>{}, limits_,
                               deps_.headroom, static_cast<RoomObserver&>(*this));
    // Authors (for bans by seq) and hidden comments from the stored stream.
    for (const auto& f : tail) {
      auto j = nlohmann::json::parse(f->bytes(), nullptr, false);
      if (!j.is_object()) continue;
      std::string ev = j.value("ev", "");
      if (ev == "comment_hidden" || ev == "comment_unhidden")
        e->mod->set_hidden(j.value("target", int64_t{0}), ev == "comment_hidden");
    }
    for (const auto& [seq, key] : authors) e->mod->note_comment(seq, key, "");
  }
  e->room = std::make_unique<Room>(forum, epoch, last_seq, std::move(tail), limits_, deps_.headroom,
                                   static_cast<RoomObserver&>(*this));
  RoomEntry* raw = e.get();
  rooms_.emplace(forum, std::move(e));
  return raw;
}

void ChatService::leave_room(ChatSession& s) {
  if (s.sub.room) s.sub.room->unsubscribe(s.sub);
  if (s.staff_sub && s.staff_sub->room) s.staff_sub->room->unsubscribe(*s.staff_sub);
  s.joined = false;
}

void ChatService::handle_join(ChatSession& s, int64_t rid, JoinOp& op) {
  if (!deps_.authenticate) return fail(s, rid, codes::forbidden, "joining is not configured");
  auto who = deps_.authenticate(op);
  if (!who) return fail(s, rid, codes::forbidden, who.error().message);
  if (deps_.allowed && !deps_.allowed(who->role, "join"))
    return fail(s, rid, codes::forbidden, "this role may not join");
  // A join storm must not become a storm of store reads: the state of an open
  // room is reused for kStateRefreshMs.
  ForumState state = ForumState::live;
  int64_t mono = deps_.clock->monotonic_ms();
  auto known = rooms_.find(op.forum);
  if (known != rooms_.end() && mono - known->second->state_checked_ms < kStateRefreshMs) {
    state = known->second->state;
  } else if (deps_.forum_state) {
    auto st = deps_.forum_state(op.forum);
    if (!st) return fail(s, rid, codes::not_found, "no such forum");
    state = *st;
  }
  bool staff = who->role != Role::resident;
  if (state == ForumState::draft && !staff) return fail(s, rid, codes::not_found, "no such forum");
  if (state == ForumState::archived && !staff)
    return fail(s, rid, codes::forum_closed, "this forum is archived");
  auto entry = room_for(op.forum);
  if (!entry) return fail(s, rid, codes::internal, "the chat history could not be read");
  if ((*entry)->state != state || mono - (*entry)->state_checked_ms >= kStateRefreshMs) {
    (*entry)->state = state;
    (*entry)->state_checked_ms = mono;
  }

  leave_room(s);
  s.who = std::move(*who);
  s.forum = op.forum;
  s.name = staff ? s.who.name : std::move(op.name);
  s.compound = staff ? std::string() : std::move(op.compound);
  s.building = staff ? std::string() : std::move(op.building);
  Room& room = *(*entry)->room;
  JoinDecision d = room.subscribe(s.sub, op.since);
  s.joined = true;
  if (RoomEntry& re = **entry; re.mod) {
    bool moderator = s.who.role == Role::moderator || s.who.role == Role::organizer;
    if (moderator) {
      if (!s.staff_sub) {
        s.staff_sub = std::make_unique<Subscriber>();
        s.staff_sub->owner = &s;
      }
      re.staff_room->subscribe(*s.staff_sub, std::nullopt);
    }
    // Hidden comments are not in residents' (and panelists') history.
    if (!moderator)
      std::erase_if(d.events, [&](const FramePtr& f) { return re.mod->is_hidden(f->seq()); });
  }
  JoinReply r;
  r.forum = op.forum;
  r.epoch = room.epoch();
  r.seq = d.seq;
  if (op.since) r.recovered = d.recovered;
  r.viewers = room.viewers();
  r.role = std::string(to_string(s.who.role));
  r.events = &d.events;
  reply(s, reply_join(rid, r));
}

void ChatService::handle_leave(ChatSession& s, int64_t rid) {
  if (!s.joined) return fail(s, rid, codes::not_joined, "join a forum first");
  leave_room(s);
  reply(s, reply_ok(rid));
}

void ChatService::handle_comment(ChatSession& s, int64_t rid, std::string text) {
  if (!s.joined || !s.sub.room) return fail(s, rid, codes::not_joined, "join a forum first");
  if (deps_.allowed && !deps_.allowed(s.who.role, "comment"))
    return fail(s, rid, codes::forbidden, "this role may not comment");
  RoomEntry& entry = *rooms_.at(s.forum);
  int64_t mono = deps_.clock->monotonic_ms();
  if (deps_.forum_state && mono - entry.state_checked_ms >= kStateRefreshMs) {
    auto st = deps_.forum_state(s.forum);
    if (st) entry.state = *st;
    entry.state_checked_ms = mono;
  }
  if (!accepts_comments(entry.state))
    return fail(s, rid, codes::forum_closed, "this forum does not take comments now");
  if (auto wait = limiter_->take(s.who.key, mono))
    return fail(s, rid, codes::rate_limited, "too many comments; wait a moment", *wait);
  if (entry.mod && s.who.role == Role::resident) {
    CommentOutcome o = entry.mod->check_comment(
        OpCaller{s.who.role, s.name, s.who.key, s.compound, s.building, s.ip}, text);
    if (o.verdict == moderation::CommentVerdict::refuse) {
      std::optional<int64_t> retry;
      if (o.retry_after_ms > 0) retry = o.retry_after_ms;
      return reply(s, reply_error(rid, *o.error, retry));
    }
    if (o.verdict == moderation::CommentVerdict::hold) {
      nlohmann::json ack = {{"rid", rid}, {"ok", true}, {"held", o.held_id}};
      if (o.deliver_after_ms > 0) ack["delay_ms"] = o.deliver_after_ms;  // the chat delay
      reply(s, ack.dump());
      OpResult r;
      r.events = std::move(o.events);
      moderation_done(0, s.forum, std::move(r));
      return;
    }
    text = std::move(o.text);  // masked
  }
  publish_comment(&s, rid, s.forum, s.who.key, s.ip, s.name, s.compound, s.building,
                  std::move(text), s.who.role);
}

void ChatService::publish_comment(ChatSession* s, int64_t rid, const std::string& forum,
                                  const std::string& key, const std::string& ip, std::string name,
                                  std::string compound, std::string building, std::string text,
                                  Role role) {
  RoomEntry& entry = *rooms_.at(forum);
  Room& room = *entry.room;
  CommentEvent ev;
  ev.forum = forum;
  ev.seq = room.reserve_seq();
  ev.at_ms = deps_.clock->wall_ms();
  ev.role = std::string(to_string(role));
  ev.name = std::move(name);
  ev.compound = std::move(compound);
  ev.building = std::move(building);
  ev.text = std::move(text);
  if (deps_.stream_ms) ev.stream_ms = deps_.stream_ms(forum);
  if (entry.mod && role == Role::resident) entry.mod->note_comment(ev.seq, key, ip);
  std::string body = serialize_comment_event(ev);
  ++stats_.comments;
  uint64_t sid = s ? s->id : 0;
  if (!deps_.log) {
    committed(sid, rid, forum, ev.seq, std::move(body), true);
    return;
  }
  ChatEventRecord rec{forum, ev.seq, "comment", body, key, ev.at_ms};
  auto defer = deps_.defer;
  deps_.log->append_event(std::move(rec), [this, defer, id = sid, rid, forum, seq = ev.seq,
                                           body = std::move(body)](Status st) mutable {
    bool ok = st.ok();
    auto run = [this, id, rid, forum = std::move(forum), seq, body = std::move(body),
                ok]() mutable { committed(id, rid, forum, seq, std::move(body), ok); };
    if (defer)
      defer(std::move(run));
    else
      run();
  });
}

bool ChatService::handle_moderation(ChatSession& s, int64_t rid, std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("op") || !j["op"].is_string()) return false;
  std::string op = j["op"].get<std::string>();
  if (!ForumModeration::handles(op)) return false;
  if (!s.joined || !s.sub.room) {
    fail(s, rid, codes::not_joined, "join a forum first");
    return true;
  }
  RoomEntry& entry = *rooms_.at(s.forum);
  if (!entry.mod) return false;
  bool resident = s.who.role == Role::resident;
  OpCaller who{s.who.role, s.name,     resident ? s.who.key : std::string(),
               s.compound, s.building, s.ip};
  entry.mod->handle(who, rid, op, text, [this, id = s.id, forum = s.forum](OpResult r) {
    moderation_done(id, forum, std::move(r));
  });
  return true;
}

void ChatService::publish_event(const std::string& forum, std::string event_json,
                                const std::string& kind) {
  auto rit = rooms_.find(forum);
  if (rit == rooms_.end()) return;
  Room& room = *rit->second->room;
  auto j = nlohmann::json::parse(event_json);
  int64_t seq = room.reserve_seq();
  j["seq"] = seq;
  std::string body = j.dump();
  if (!deps_.log) return room.publish(seq, std::move(body));
  ChatEventRecord rec{forum, seq, kind, body, "", deps_.clock->wall_ms()};
  auto defer = deps_.defer;
  deps_.log->append_event(std::move(rec), [this, defer, forum, seq, body](Status st) mutable {
    auto run = [this, forum, seq, body = std::move(body), ok = st.ok()]() mutable {
      auto it = rooms_.find(forum);
      if (it != rooms_.end()) it->second->room->publish(seq, ok ? std::move(body) : std::string());
    };
    if (defer)
      defer(std::move(run));
    else
      run();
  });
}

void ChatService::moderation_done(uint64_t session_id, const std::string& forum, OpResult r) {
  auto sit = sessions_.find(session_id);
  if (sit != sessions_.end() && !r.reply.empty()) reply(*sit->second, std::move(r.reply));
  auto rit = rooms_.find(forum);
  if (rit == rooms_.end()) return;
  RoomEntry& entry = *rit->second;
  for (auto& e : r.events) {
    auto j = nlohmann::json::parse(e.json);
    std::string kind = j.value("ev", "event");
    switch (e.to) {
      case Audience::everyone:
        publish_event(forum, std::move(e.json), kind);
        break;
      case Audience::staff: {
        int64_t seq = entry.staff_room->reserve_seq();
        j["seq"] = seq;
        j["stream"] = "staff";  // its own seq, not the forum stream's
        entry.staff_room->publish(seq, j.dump());
        break;
      }
      case Audience::device:
        for (auto& [id, sess] : sessions_)
          if (sess->joined && sess->forum == forum && sess->who.key == e.device_hash)
            reply(*sess, e.json);
        break;
    }
  }
  if (r.publish) {
    const PublishComment& c = *r.publish;
    publish_comment(nullptr, 0, forum, c.device_hash, c.ip, c.name, c.compound, c.building, c.text,
                    Role::resident);
  }
}

void ChatService::publish_staff(const std::string& forum, std::string json) {
  auto rit = rooms_.find(forum);
  if (rit == rooms_.end() || !rit->second->staff_room) return;
  Room& staff = *rit->second->staff_room;
  if (staff.viewers() == 0) return;  // nobody to tell; no seq used
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return;
  int64_t seq = staff.reserve_seq();
  j["seq"] = seq;
  j["stream"] = "staff";
  staff.publish(seq, j.dump());
}

void ChatService::publish_forum(const std::string& forum, std::string json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object() || !j.contains("ev") || !j["ev"].is_string()) return;
  std::string kind = j["ev"].get<std::string>();
  publish_event(forum, std::move(json), kind);
}

void ChatService::committed(uint64_t session_id, int64_t rid, const std::string& forum, int64_t seq,
                            std::string body, bool ok) {
  auto rit = rooms_.find(forum);
  if (rit != rooms_.end()) rit->second->room->publish(seq, ok ? std::move(body) : std::string());
  auto sit = sessions_.find(session_id);
  if (sit == sessions_.end()) return;
  if (ok)
    reply(*sit->second, reply_comment(rid, seq));
  else
    fail(*sit->second, rid, codes::internal, "the comment could not be saved; try again");
}

OutBytes ChatService::on_writable(ChatSession* s) {
  OutBytes out;
  if (!s || s->closing) return out;
  if (!s->replies.empty()) {
    // The reply moves to the service's buffer so an idle session keeps no copy
    // of a large join reply (its history) once it is written.
    reply_out_.swap(s->replies.front());
    s->replies.erase(s->replies.begin());
    if (s->replies.empty()) std::vector<std::string>().swap(s->replies);
    if (!s->replies.empty() || (s->sub.room && s->sub.room->has_pending(s->sub)) ||
        (s->staff_sub && s->staff_sub->room && s->staff_sub->room->has_pending(*s->staff_sub)))
      s->peer->want_write();
    out = {reply_out_.data() + deps_.headroom, reply_out_.size() - deps_.headroom};
    return out;
  }
  if (s->sub.room) out = s->sub.room->next_batch(s->sub, scratch_);
  Subscriber* st = s->staff_sub.get();
  if (!out && st && st->room)
    out = st->room->next_batch(*st, scratch_);
  else if (out && st && st->room && st->room->has_pending(*st))
    s->peer->want_write();
  return out;
}

void ChatService::wake(Subscriber& sub) {
  static_cast<ChatSession*>(sub.owner)->peer->want_write();
}

void ChatService::cut(Subscriber& sub) {
  auto* s = static_cast<ChatSession*>(sub.owner);
  s->joined = false;
  ++stats_.cut_slow;
  if (s->closing) return;
  s->closing = true;
  s->peer->close(kCloseSlowReader, "too slow: reconnect and resume with since");
}

void ChatService::tick() {
  int64_t now = deps_.clock->monotonic_ms();
  for (auto& [id, e] : rooms_) {
    e->room->tick_presence(now);
    // Comments held by the chat delay whose time has come (unless a moderator dropped them).
    if (e->mod)
      for (auto& r : e->mod->release_due()) moderation_done(0, id, std::move(r));
  }
  if (now - last_prune_ms_ >= kPruneEveryMs) {
    limiter_->prune(now);
    last_prune_ms_ = now;
  }
}

ChatStats ChatService::stats() const {
  ChatStats st = stats_;
  st.connections = sessions_.size();
  st.rooms = rooms_.size();
  return st;
}

}  // namespace forumcast::chat
