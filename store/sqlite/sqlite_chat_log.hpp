// store/sqlite/sqlite_chat_log.hpp: ChatLogStore on SQLite (tables chat_streams
// and chat_events, migration 2 "chat"). Appends are batched jobs on the store's
// writer thread whose completion runs after COMMIT; reads use the read pool.
// Internal to store/sqlite; callers see store/chat_log_store.hpp only.
#pragma once

#include "store/chat_log_store.hpp"
#include "store/sqlite/sqlite_stores.hpp"

namespace forumcast::sqlite {

class SqliteChatLog final : public ChatLogStore {
 public:
  explicit SqliteChatLog(SqliteContext ctx) : ctx_(ctx) {}
  Result<ChatStreamHead> open_stream(const std::string& forum_id, const std::string& new_epoch,
                                     int64_t now_ms) override;
  Result<std::vector<ChatEventRecord>> load_tail(const std::string& forum_id,
                                                 size_t limit) override;
  void append_event(ChatEventRecord rec, std::function<void(Status)> done) override;

 private:
  SqliteContext ctx_;
};

}  // namespace forumcast::sqlite
