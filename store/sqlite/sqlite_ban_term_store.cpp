// store/sqlite/sqlite_ban_term_store.cpp: blocked-term lists, bans and timeouts, and
// per-forum moderation settings on SQLite (migration 3). Each change appends its
// audit row in the same transaction. Term lists are replaced whole (they are short
// and edited by hand); bans are never deleted, only lifted. What a term or a ban
// does is moderation/'s business.
#include <memory>

#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_question_store.hpp"

namespace forumcast::sqlite {

Result<std::vector<BlockedTermRow>> SqliteQuestionStore::list_terms(const std::string& scope) {
  using Rows = std::vector<BlockedTermRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    auto q = db.prepare(
        "SELECT term, action, timeout_ms FROM blocked_terms WHERE scope = ?1 ORDER BY position");
    q->bind(1, scope);
    Rows rows;
    while (q->step()) rows.push_back(BlockedTermRow{q->col_text(0), q->col_text(1), q->col_int(2)});
    return rows;
  });
}

Status SqliteQuestionStore::replace_terms(const std::string& scope,
                                          const std::vector<BlockedTermRow>& terms,
                                          const AuditEntry& audit) {
  return ctx_.writer.submit_and_wait([scope, terms, audit](SqliteDb& db) -> Status {
    auto del = db.prepare("DELETE FROM blocked_terms WHERE scope = ?1");
    del->bind(1, scope);
    del->exec();
    int64_t pos = 0;
    for (const BlockedTermRow& t : terms) {
      auto ins = db.prepare(
          "INSERT INTO blocked_terms (scope, position, term, action, timeout_ms) "
          "VALUES (?1, ?2, ?3, ?4, ?5)");
      ins->bind(1, scope).bind(2, pos++).bind(3, t.term).bind(4, t.action).bind(5, t.timeout_ms);
      ins->exec();
    }
    insert_audit_row(db, audit);
    return ok_status();
  });
}

void SqliteQuestionStore::add_ban(BanRow ban, AuditEntry audit, StoreDone done) {
  submit_with_done(
      ctx_.writer,
      [ban = std::move(ban), audit = std::move(audit)](SqliteDb& db) -> Status {
        auto ins = db.prepare(
            "INSERT INTO moderation_bans (forum_id, id, kind, device_hash, ip, reason, actor, "
            "created_ms, expires_ms, remove_comments, lifted_ms, lifted_by) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
        ins->bind(1, ban.forum_id).bind(2, ban.id).bind(3, ban.kind).bind(4, ban.device_hash);
        ins->bind(5, ban.ip).bind(6, ban.reason).bind(7, ban.actor).bind(8, ban.created_ms);
        ins->bind(9, ban.expires_ms).bind(10, int64_t{ban.remove_comments ? 1 : 0});
        ins->bind(11, ban.lifted_ms).bind(12, ban.lifted_by);
        ins->exec();
        insert_audit_row(db, audit);
        return ok_status();
      },
      std::move(done));
}

void SqliteQuestionStore::lift_ban(std::string forum_id, int64_t id, int64_t at_ms, std::string by,
                                   AuditEntry audit, StoreDone done) {
  submit_with_done(
      ctx_.writer,
      [forum_id = std::move(forum_id), id, at_ms, by = std::move(by),
       audit = std::move(audit)](SqliteDb& db) -> Status {
        auto up = db.prepare(
            "UPDATE moderation_bans SET lifted_ms = ?3, lifted_by = ?4 "
            "WHERE forum_id = ?1 AND id = ?2 AND lifted_ms IS NULL");
        up->bind(1, forum_id).bind(2, id).bind(3, at_ms).bind(4, by);
        if (up->exec() == 0)
          return make_error("not_found",
                            "no ban #" + std::to_string(id) + " in force in " + forum_id);
        insert_audit_row(db, audit);
        return ok_status();
      },
      std::move(done));
}

Result<std::vector<BanRow>> SqliteQuestionStore::list_active_bans(const std::string& forum_id,
                                                                  int64_t now_ms) {
  using Rows = std::vector<BanRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    auto q = db.prepare(
        "SELECT id, kind, device_hash, ip, reason, actor, created_ms, expires_ms, "
        "remove_comments, lifted_ms, lifted_by FROM moderation_bans WHERE forum_id = ?1 "
        "AND lifted_ms IS NULL AND (expires_ms IS NULL OR expires_ms > ?2) ORDER BY id");
    q->bind(1, forum_id).bind(2, now_ms);
    Rows rows;
    while (q->step()) {
      BanRow b;
      b.id = q->col_int(0);
      b.forum_id = forum_id;
      b.kind = q->col_text(1);
      b.device_hash = q->col_text(2);
      b.ip = q->col_text(3);
      b.reason = q->col_text(4);
      b.actor = q->col_text(5);
      b.created_ms = q->col_int(6);
      b.expires_ms = q->col_opt_int(7);
      b.remove_comments = q->col_int(8) != 0;
      b.lifted_ms = q->col_opt_int(9);
      b.lifted_by = q->col_text(10);
      rows.push_back(std::move(b));
    }
    return rows;
  });
}

Result<int64_t> SqliteQuestionStore::max_ban_id(const std::string& forum_id) {
  return ctx_.readers.read<int64_t>([&](SqliteDb& db) -> Result<int64_t> {
    auto q = db.prepare("SELECT coalesce(max(id), 0) FROM moderation_bans WHERE forum_id = ?1");
    q->bind(1, forum_id);
    q->step();
    return q->col_int(0);
  });
}

Result<std::string> SqliteQuestionStore::get_moderation_settings(const std::string& forum_id) {
  return ctx_.readers.read<std::string>([&](SqliteDb& db) -> Result<std::string> {
    auto q = db.prepare("SELECT settings_json FROM moderation_settings WHERE forum_id = ?1");
    q->bind(1, forum_id);
    if (!q->step()) return make_error("not_found", "no moderation settings for " + forum_id);
    return q->col_text(0);
  });
}

void SqliteQuestionStore::put_moderation_settings(std::string forum_id, std::string settings_json,
                                                  AuditEntry audit, StoreDone done) {
  submit_with_done(
      ctx_.writer,
      [forum_id = std::move(forum_id), settings_json = std::move(settings_json),
       audit = std::move(audit)](SqliteDb& db) -> Status {
        auto up = db.prepare(
            "INSERT INTO moderation_settings (forum_id, settings_json, updated_ms) "
            "VALUES (?1, ?2, ?3) ON CONFLICT (forum_id) DO UPDATE SET "
            "settings_json = excluded.settings_json, updated_ms = excluded.updated_ms");
        up->bind(1, forum_id).bind(2, settings_json).bind(3, audit.at_ms);
        up->exec();
        insert_audit_row(db, audit);
        return ok_status();
      },
      std::move(done));
}

}  // namespace forumcast::sqlite
