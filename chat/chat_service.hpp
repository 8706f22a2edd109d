// chat/chat_service.hpp: the chat relay behind /ws, in standard C++ only.
// It turns requests into replies and events (join, leave, comment), keeps the
// rooms, asks the store to commit each comment before it is acknowledged and
// published, limits rates and connections, and decides what each connection
// writes next. The socket layer (chat/lws_glue.cpp) implements ChatPeer and
// calls the on_* methods; tests use a fake peer and drive it directly.
//
// Threading: everything here runs on one thread (the libwebsockets service
// thread). Store completions come back through ChatDeps::defer. The store must
// be flushed (and its writer stopped) before the service is destroyed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chat/chat_limits.hpp"
#include "chat/room.hpp"
#include "core/clock.hpp"
#include "core/domain.hpp"
#include "core/result.hpp"

namespace forumcast {
class ChatLogStore;
}

namespace forumcast::chat {

struct JoinOp;
class ForumModeration;
struct OpResult;

// Who a joining connection is, as the server's auth decided.
struct Identity {
  Role role = Role::resident;
  std::string key;   // rate-limit (and later ban) key: device token hash, or "staff:<account>"
  std::string name;  // staff: the account name; residents give theirs in the join
};

struct ChatDeps {
  const Clock* clock = nullptr;
  ChatLogStore* log = nullptr;  // null: nothing persisted (unit tests)
  // Device token (resident) or session token (staff) -> identity; error code forbidden.
  std::function<Result<Identity>(const JoinOp&)> authenticate;
  // The forum's state; error code not_found when there is no such forum.
  std::function<Result<ForumState>(const std::string& forum)> forum_state;
  // server/policy: may this role perform this op ("join", "comment", "leave")?
  std::function<bool(Role, std::string_view op)> allowed;
  // stream/ fills this later: ms since the forum's stream started, when live.
  std::function<std::optional<int64_t>(const std::string& forum)> stream_ms;
  // Runs a function on the service thread (net's loop.defer); thread-safe.
  std::function<void(std::function<void()>)> defer;
  size_t headroom = 0;  // LWS_PRE: writable bytes before every payload
  // chat/moderation_ops.hpp: one per forum, made when its room opens (load()ed);
  // null: no moderation (unit tests of the relay).
  std::function<Result<std::unique_ptr<ForumModeration>>(const std::string& forum)> make_moderation;
};

// The socket side of one connection (implemented by the glue, or a test fake).
class ChatPeer {
 public:
  virtual ~ChatPeer() = default;
  virtual void want_write() = 0;                              // a writable callback, soon
  virtual void close(int code, std::string_view reason) = 0;  // close with this code, soon
};

struct ChatSession;

struct ChatStats {
  size_t connections = 0;
  size_t rooms = 0;
  uint64_t comments = 0;
  uint64_t cut_slow = 0;
  uint64_t rejected = 0;
};

class ChatService final : private RoomObserver {
 public:
  ChatService(ChatDeps deps, ChatLimits limits);
  ~ChatService() override;

  // At the upgrade: would a connection from `ip` be accepted now?
  bool would_admit(const std::string& ip) const;
  // A WebSocket connection is established; nullptr if over a limit (close 1013).
  ChatSession* open(ChatPeer& peer, const std::string& ip);
  // A complete text message (the glue has enforced max_frame_bytes).
  void on_message(ChatSession* s, std::string_view text);
  // The connection is writable: the next bytes to write (empty: nothing).
  // `data` has deps.headroom writable bytes in front; valid until the next call.
  OutBytes on_writable(ChatSession* s);
  // The connection is gone; `s` is invalid afterwards.
  void on_closed(ChatSession* s);
  // Called every few hundred ms: presence, pruning.
  void tick();
  // Asks every connection to close with 1001 (server going away).
  void close_all();
  // A staff-only snapshot event (stream_health, docs/protocol.md): `json` is an
  // object with "ev" and "forum"; it gets the staff stream's "stream" and "seq" and
  // goes to the forum's moderators and organizers. Dropped if no room is open.
  void publish_staff(const std::string& forum, std::string json);
  // Service thread: a server-side event to everyone in a forum (e.g. followup's
  // agenda_current): `json` is an object with "ev" and "forum"; it gets the forum
  // stream's "seq" and is stored and replayed like moderation's events. Dropped if
  // no room is open (pages read the state over HTTP when they join).
  void publish_forum(const std::string& forum, std::string json);

  ChatStats stats() const;
  const ChatLimits& limits() const { return limits_; }

 private:
  struct RoomEntry;
  void wake(Subscriber& s) override;
  void cut(Subscriber& s) override;
  void reply(ChatSession& s, std::string json);
  void fail(ChatSession& s, std::optional<int64_t> rid, const char* code, std::string message,
            std::optional<int64_t> retry_after_ms = std::nullopt);
  void handle_join(ChatSession& s, int64_t rid, JoinOp& op);
  void handle_leave(ChatSession& s, int64_t rid);
  void handle_comment(ChatSession& s, int64_t rid, std::string text);
  void committed(uint64_t session_id, int64_t rid, const std::string& forum, int64_t seq,
                 std::string body, bool ok);
  // Moderation (chat/moderation_ops.hpp): dispatch, results, audiences.
  bool handle_moderation(ChatSession& s, int64_t rid, std::string_view text);
  void moderation_done(uint64_t session_id, const std::string& forum, OpResult r);
  void publish_event(const std::string& forum, std::string json, const std::string& kind);
  void publish_comment(ChatSession* s, int64_t rid, const std::string& forum,
                       const std::string& key, const std::string& ip, std::string name,
                       std::string compound, std::string building, std::string text, Role role);
  Result<RoomEntry*> room_for(const std::string& forum);
  void leave_room(ChatSession& s);

  ChatDeps deps_;
  ChatLimits limits_;
  std::unordered_map<std::string, std::unique_ptr<RoomEntry>> rooms_;
  std::unordered_map<uint64_t, ChatSession*> sessions_;
  std::unordered_map<std::string, uint32_t> per_ip_;
  std::unique_ptr<class RateLimiter> limiter_;
  std::vector<char> scratch_;  // coalesced batches; reused, service thread only
  std::string reply_out_;      // the reply being written; reused, service thread only
  uint64_t next_session_id_ = 1;
  int64_t last_prune_ms_ = 0;
  ChatStats stats_;
};

}  // namespace forumcast::chat
