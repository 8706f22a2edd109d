// store/sqlite/sqlite_audit_store.cpp: the append-only audit log (table `audit`).
// Deliberately no foreign key to forums: the log must accept every entry, even
// one about a forum that failed to be created. What to record is the caller's.
#include <string>

#include "store/sqlite/sqlite_stores.hpp"

namespace forumcast::sqlite {

Result<int64_t> SqliteAuditStore::append_audit(const AuditEntry& e) {
  auto id = std::make_shared<int64_t>(0);
  Status st = ctx_.writer.submit_and_wait([e, id](SqliteDb& db) -> Status {
    auto ins = db.prepare(
        "INSERT INTO audit (forum_id, actor, action, target, before_json, after_json, at_ms, "
        "stream_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (e.forum_id.empty()) {
      ins->bind_null(1);
    } else {
      ins->bind(1, e.forum_id);
    }
    ins->bind(2, e.actor).bind(3, e.action).bind(4, e.target).bind(5, e.before_json);
    ins->bind(6, e.after_json).bind(7, e.at_ms).bind(8, e.stream_ms);
    ins->exec();
    *id = db.last_insert_rowid();
    return ok_status();
  });
  if (!st.ok()) return st.error();
  return *id;
}

Result<std::vector<AuditEntry>> SqliteAuditStore::list_audit(const std::string& forum_id,
                                                             size_t limit) {
  using Entries = std::vector<AuditEntry>;
  return ctx_.readers.read<Entries>([&](SqliteDb& db) -> Result<Entries> {
    constexpr std::string_view kSelect =
        "SELECT id, forum_id, actor, action, target, before_json, after_json, at_ms, stream_ms "
        "FROM audit ";
    auto st = db.prepare(std::string(kSelect) +
                         (forum_id.empty() ? "ORDER BY id DESC LIMIT ?2"
                                           : "WHERE forum_id = ?1 ORDER BY id DESC LIMIT ?2"));
    if (!forum_id.empty()) st->bind(1, forum_id);
    st->bind(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    Entries out;
    while (st->step()) {
      AuditEntry e;
      e.id = st->col_int(0);
      e.forum_id = st->col_text(1);
      e.actor = st->col_text(2);
      e.action = st->col_text(3);
      e.target = st->col_text(4);
      e.before_json = st->col_text(5);
      e.after_json = st->col_text(6);
      e.at_ms = st->col_int(7);
      e.stream_ms = st->col_opt_int(8);
      out.push_back(std::move(e));
    }
    return out;
  });
}

}  // namespace forumcast::sqlite
