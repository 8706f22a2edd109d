// store/sqlite/sqlite_chat_log.cpp: the chat event log. One row per event with
// the JSON exactly as clients received it, keyed by (forum_id, seq); one row per
// forum stream with its epoch. See sqlite_chat_log.hpp and docs/schema.md.
#include "store/sqlite/sqlite_chat_log.hpp"

#include <algorithm>

namespace forumcast::sqlite {

Result<ChatStreamHead> SqliteChatLog::open_stream(const std::string& forum_id,
                                                  const std::string& new_epoch, int64_t now_ms) {
  Status st = ctx_.writer.submit_and_wait([forum_id, new_epoch, now_ms](SqliteDb& db) -> Status {
    auto ins = db.prepare(
        "INSERT INTO chat_streams (forum_id, epoch, created_ms) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (forum_id) DO NOTHING");
    ins->bind(1, forum_id).bind(2, new_epoch).bind(3, now_ms);
    ins->exec();
    return ok_status();
  });
  if (!st.ok()) return st.error();
  return ctx_.readers.read<ChatStreamHead>([&](SqliteDb& db) -> Result<ChatStreamHead> {
    ChatStreamHead head;
    auto q = db.prepare("SELECT epoch FROM chat_streams WHERE forum_id = ?1");
    q->bind(1, forum_id);
    if (!q->step()) return make_error("not_found", "no chat stream for " + forum_id);
    head.epoch = q->col_text(0);
    auto m = db.prepare("SELECT coalesce(max(seq), 0) FROM chat_events WHERE forum_id = ?1");
    m->bind(1, forum_id);
    m->step();
    head.last_seq = m->col_int(0);
    return head;
  });
}

Result<std::vector<ChatEventRecord>> SqliteChatLog::load_tail(const std::string& forum_id,
                                                              size_t limit) {
  using Rows = std::vector<ChatEventRecord>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    auto q = db.prepare(
        "SELECT seq, kind, body, author_key, at_ms FROM chat_events WHERE forum_id = ?1 "
        "ORDER BY seq DESC LIMIT ?2");
    q->bind(1, forum_id).bind(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    Rows rows;
    while (q->step())
      rows.push_back(ChatEventRecord{forum_id, q->col_int(0), q->col_text(1), q->col_text(2),
                                     q->col_text(3), q->col_int(4)});
    std::reverse(rows.begin(), rows.end());
    return rows;
  });
}

void SqliteChatLog::append_event(ChatEventRecord rec, std::function<void(Status)> done) {
  auto shared_done = std::make_shared<std::function<void(Status)>>(std::move(done));
  Status st = ctx_.writer.submit(
      [rec = std::move(rec)](SqliteDb& db) -> Status {
        auto ins = db.prepare(
            "INSERT INTO chat_events (forum_id, seq, kind, body, author_key, at_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        ins->bind(1, rec.forum_id).bind(2, rec.seq).bind(3, rec.kind).bind(4, rec.body);
        ins->bind(5, rec.author_key).bind(6, rec.at_ms);
        ins->exec();
        return ok_status();
      },
      [shared_done](const Status& result) { (*shared_done)(result); });
  // Refused (queue full or closing): the writer will not call back, so we do.
  if (!st.ok()) (*shared_done)(st);
}

}  // namespace forumcast::sqlite
