// store/sqlite/sqlite_forum_store.cpp: forums in SQLite (table `forums`, see
// docs/schema.md). Validation of titles and state transitions is the caller's
// (followup/ and server/); this file only persists.
#include <string>

#include "store/sqlite/sqlite_stores.hpp"

namespace forumcast::sqlite {
namespace {

constexpr std::string_view kColumns =
    "id, title, topic, starts_at, state, stream_key, created_ms, updated_ms";
// Reads join the forum's SRT port (table forum_srt_ports, migration 7).
constexpr std::string_view kSelect =
    "SELECT forums.id, title, topic, starts_at, state, stream_key, created_ms, updated_ms, "
    "forum_srt_ports.port FROM forums LEFT JOIN forum_srt_ports "
    "ON forum_srt_ports.forum_id = forums.id";

Forum row_to_forum(const Statement& st) {
  Forum f;
  f.id = st.col_text(0);
  f.title = st.col_text(1);
  f.topic = st.col_text(2);
  f.starts_at = st.col_text(3);
  f.state = forum_state_from_string(st.col_text(4)).value_or(ForumState::draft);
  f.stream_key = st.col_text(5);
  f.created_ms = st.col_int(6);
  f.updated_ms = st.col_int(7);
  if (!st.col_null(8)) f.srt_port = static_cast<int>(st.col_int(8));
  return f;
}

Result<Forum> one_forum(SqliteReaders& readers, const std::string& where, const std::string& arg,
                        const std::string& what) {
  return readers.read<Forum>([&](SqliteDb& db) -> Result<Forum> {
    auto st = db.prepare(std::string(kSelect) + " WHERE " + where);
    st->bind(1, arg);
    if (!st->step()) return make_error("not_found", what);
    return row_to_forum(*st);
  });
}

Status expect_changed(int64_t changes, const std::string& id) {
  if (changes == 0) return make_error("not_found", "no forum " + id);
  return ok_status();
}

}  // namespace

Status SqliteForumStore::create_forum(const Forum& f) {
  return ctx_.writer.submit_and_wait([f](SqliteDb& db) -> Status {
    auto st = db.prepare("INSERT INTO forums (" + std::string(kColumns) +
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    st->bind(1, f.id).bind(2, f.title).bind(3, f.topic).bind(4, f.starts_at);
    st->bind(5, to_string(f.state)).bind(6, f.stream_key).bind(7, f.created_ms);
    st->bind(8, f.updated_ms);
    st->exec();
    return ok_status();
  });
}

Result<Forum> SqliteForumStore::get_forum(const std::string& id) {
  return one_forum(ctx_.readers, "forums.id = ?1", id, "no forum " + id);
}

Result<Forum> SqliteForumStore::find_by_stream_key(const std::string& key) {
  return one_forum(ctx_.readers, "stream_key = ?1", key, "no forum has this stream key");
}

Result<std::vector<Forum>> SqliteForumStore::list_forums() {
  return ctx_.readers.read<std::vector<Forum>>([](SqliteDb& db) -> Result<std::vector<Forum>> {
    auto st =
        db.prepare(std::string(kSelect) + " ORDER BY created_ms DESC, forums.rowid DESC");
    std::vector<Forum> out;
    while (st->step()) out.push_back(row_to_forum(*st));
    return out;
  });
}

Status SqliteForumStore::set_forum_state(const std::string& id, ForumState s, int64_t now_ms) {
  return ctx_.writer.submit_and_wait([id, s, now_ms](SqliteDb& db) -> Status {
    auto st = db.prepare("UPDATE forums SET state = ?2, updated_ms = ?3 WHERE id = ?1");
    st->bind(1, id).bind(2, to_string(s)).bind(3, now_ms);
    return expect_changed(st->exec(), id);
  });
}

Status SqliteForumStore::update_forum(const Forum& f) {
  return ctx_.writer.submit_and_wait([f](SqliteDb& db) -> Status {
    auto st = db.prepare(
        "UPDATE forums SET title = ?2, topic = ?3, starts_at = ?4, updated_ms = ?5 WHERE id = ?1");
    st->bind(1, f.id).bind(2, f.title).bind(3, f.topic).bind(4, f.starts_at);
    st->bind(5, f.updated_ms);
    return expect_changed(st->exec(), f.id);
  });
}

Status SqliteForumStore::set_stream_key(const std::string& id, const std::string& key,
                                        int64_t now_ms) {
  return ctx_.writer.submit_and_wait([id, key, now_ms](SqliteDb& db) -> Status {
    auto st = db.prepare("UPDATE forums SET stream_key = ?2, updated_ms = ?3 WHERE id = ?1");
    st->bind(1, id).bind(2, key).bind(3, now_ms);
    return expect_changed(st->exec(), id);
  });
}

Status SqliteForumStore::set_srt_port(const std::string& id, std::optional<int> port) {
  return ctx_.writer.submit_and_wait([id, port](SqliteDb& db) -> Status {
    auto f = db.prepare("SELECT 1 FROM forums WHERE id = ?1");
    f->bind(1, id);
    if (!f->step()) return make_error("not_found", "no forum " + id);
    auto del = db.prepare("DELETE FROM forum_srt_ports WHERE forum_id = ?1");
    del->bind(1, id);
    del->exec();
    if (!port) return ok_status();
    auto st = db.prepare("INSERT INTO forum_srt_ports (forum_id, port) VALUES (?1, ?2)");
    st->bind(1, id).bind(2, static_cast<int64_t>(*port));
    st->exec();  // UNIQUE(port): conflict when another forum holds it
    return ok_status();
  });
}

}  // namespace forumcast::sqlite
