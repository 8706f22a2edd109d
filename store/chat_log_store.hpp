// store/chat_log_store.hpp: what the chat relay needs from persistence: each
// forum's event stream (its epoch and every event as sent, by seq), so that
// history and resume survive a restart. Written by chat/; the SQLite
// implementation is store/sqlite/sqlite_chat_log.{hpp,cpp}.
//
// Threading: open_stream and load_tail block (called when a room is first
// opened); append_event queues the write on the store's writer thread and
// calls `done` on that thread after COMMIT (or with the error), in the order
// the appends were made. Callers bounce `done` to their own thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace forumcast {

struct ChatEventRecord {
  std::string forum_id;
  int64_t seq = 0;
  std::string kind;        // event name: "comment", later "comment_hidden", ...
  std::string body;        // the event's JSON exactly as sent to clients
  std::string author_key;  // device token hash or "staff:<account>"; empty for system events
  int64_t at_ms = 0;       // wall clock
};

struct ChatStreamHead {
  std::string epoch;  // changes only when continuity is lost (a new database)
  int64_t last_seq = 0;
};

class ChatLogStore {
 public:
  virtual ~ChatLogStore() = default;
  // The stream of a forum; created with `new_epoch` if it does not exist yet.
  virtual Result<ChatStreamHead> open_stream(const std::string& forum_id,
                                             const std::string& new_epoch, int64_t now_ms) = 0;
  // The newest `limit` events of a forum, ascending by seq (may have gaps where
  // a write failed).
  virtual Result<std::vector<ChatEventRecord>> load_tail(const std::string& forum_id,
                                                         size_t limit) = 0;
  // Queues one event; `done` runs on the writer thread once it is committed.
  virtual void append_event(ChatEventRecord rec, std::function<void(Status)> done) = 0;
};

}  // namespace forumcast
