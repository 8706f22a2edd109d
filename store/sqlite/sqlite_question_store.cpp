// store/sqlite/sqlite_question_store.cpp: questions, their history and votes on
// SQLite (migration 3). apply_question_change upserts every changed row, appends
// history and audit rows in one job (one transaction with its batch); a question
// that becomes merged hands its vote rows to the target, so the vote rows stay the
// truth for the target's union of voters. Vote changes recount the cached
// questions.votes from the rows. Rules about states belong to moderation/.
#include "store/sqlite/sqlite_question_store.hpp"

#include <algorithm>
#include <memory>

#include "store/sqlite/sqlite_db.hpp"

namespace forumcast::sqlite {
namespace {

constexpr std::string_view kQuestionColumns =
    "id, forum_id, parent_id, source, asker_device_hash, display_name, compound, building, "
    "text, original_text, category, agenda_item, state, votes, merged_into, reject_reason, "
    "reject_text, tags_json, co_signers_json, on_air_json, answers_json, created_ms, "
    "created_stream_ms, updated_ms, updated_stream_ms";

QuestionRow read_question(Statement& q) {
  QuestionRow r;
  r.id = q.col_int(0);
  r.forum_id = q.col_text(1);
  r.parent_id = q.col_opt_int(2);
  r.source = q.col_text(3);
  r.asker_device_hash = q.col_text(4);
  r.display_name = q.col_text(5);
  r.compound = q.col_text(6);
  r.building = q.col_text(7);
  r.text = q.col_text(8);
  if (!q.col_null(9)) r.original_text = q.col_text(9);
  r.category = q.col_text(10);
  r.agenda_item = q.col_opt_int(11);
  r.state = q.col_text(12);
  r.votes = q.col_int(13);
  r.merged_into = q.col_opt_int(14);
  r.reject_reason = q.col_text(15);
  r.reject_text = q.col_text(16);
  r.tags_json = q.col_text(17);
  r.co_signers_json = q.col_text(18);
  r.on_air_json = q.col_text(19);
  r.answers_json = q.col_text(20);
  r.created_ms = q.col_int(21);
  r.created_stream_ms = q.col_opt_int(22);
  r.updated_ms = q.col_int(23);
  r.updated_stream_ms = q.col_opt_int(24);
  return r;
}

void upsert_question(SqliteDb& db, const QuestionRow& r) {
  auto st = db.prepare(
      "INSERT INTO questions (id, forum_id, parent_id, source, asker_device_hash, display_name, "
      "compound, building, text, original_text, category, agenda_item, state, votes, "
      "merged_into, reject_reason, reject_text, tags_json, co_signers_json, on_air_json, "
      "answers_json, created_ms, created_stream_ms, updated_ms, updated_stream_ms) VALUES "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
      "?20, ?21, ?22, ?23, ?24, ?25) ON CONFLICT (id) DO UPDATE SET parent_id = "
      "excluded.parent_id, "
      "display_name = excluded.display_name, compound = excluded.compound, "
      "building = excluded.building, text = excluded.text, original_text = excluded.original_text, "
      "category = excluded.category, agenda_item = excluded.agenda_item, state = excluded.state, "
      "votes = excluded.votes, merged_into = excluded.merged_into, "
      "reject_reason = excluded.reject_reason, reject_text = excluded.reject_text, "
      "tags_json = excluded.tags_json, co_signers_json = excluded.co_signers_json, "
      "on_air_json = excluded.on_air_json, answers_json = excluded.answers_json, "
      "updated_ms = excluded.updated_ms, updated_stream_ms = excluded.updated_stream_ms "
      "WHERE questions.forum_id = excluded.forum_id");
  st->bind(1, r.id).bind(2, r.forum_id).bind(3, r.parent_id).bind(4, r.source);
  st->bind(5, r.asker_device_hash).bind(6, r.display_name).bind(7, r.compound);
  st->bind(8, r.building).bind(9, r.text);
  if (r.original_text) {
    st->bind(10, *r.original_text);
  } else {
    st->bind_null(10);
  }
  st->bind(11, r.category).bind(12, r.agenda_item).bind(13, r.state).bind(14, r.votes);
  st->bind(15, r.merged_into).bind(16, r.reject_reason).bind(17, r.reject_text);
  st->bind(18, r.tags_json).bind(19, r.co_signers_json).bind(20, r.on_air_json);
  st->bind(21, r.answers_json).bind(22, r.created_ms).bind(23, r.created_stream_ms);
  st->bind(24, r.updated_ms).bind(25, r.updated_stream_ms);
  if (st->exec() == 0)
    throw SqliteError(19 /* SQLITE_CONSTRAINT */,
                      "question #" + std::to_string(r.id) + " belongs to another forum");
}

void insert_history(SqliteDb& db, const QuestionHistoryRow& h) {
  auto st = db.prepare(
      "INSERT INTO question_history (forum_id, question_id, op, actor, actor_role, at_ms, "
      "stream_ms, before_json, after_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  st->bind(1, h.forum_id).bind(2, h.question_id).bind(3, h.op).bind(4, h.actor);
  st->bind(5, h.actor_role).bind(6, h.at_ms).bind(7, h.stream_ms).bind(8, h.before_json);
  st->bind(9, h.after_json);
  st->exec();
}

// The merged question's voters become voters of the target (a device that voted
// for both counts once), matching QuestionMachine's union.
void hand_votes_to_target(SqliteDb& db, int64_t source_id, int64_t target_id) {
  auto st = db.prepare(
      "INSERT OR IGNORE INTO question_votes (question_id, device_hash, forum_id, at_ms) "
      "SELECT ?2, device_hash, forum_id, at_ms FROM question_votes WHERE question_id = ?1");
  st->bind(1, source_id).bind(2, target_id);
  st->exec();
}

void recount_votes(SqliteDb& db, int64_t question_id) {
  auto st = db.prepare(
      "UPDATE questions SET votes = (SELECT count(*) FROM question_votes WHERE question_id = ?1) "
      "WHERE id = ?1");
  st->bind(1, question_id);
  st->exec();
}

}  // namespace

void insert_audit_row(SqliteDb& db, const AuditEntry& e) {
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
}

void submit_with_done(SqliteWriter& writer, SqliteWriter::Job job, StoreDone done) {
  auto shared_done = std::make_shared<StoreDone>(std::move(done));
  Status st = writer.submit(std::move(job), [shared_done](const Status& result) {
    if (*shared_done) (*shared_done)(result);
  });
  // Refused (queue full or closing): the writer will not call back, so we do.
  if (!st.ok() && *shared_done) (*shared_done)(st);
}

Result<int64_t> SqliteQuestionStore::max_question_id() {
  return ctx_.readers.read<int64_t>([](SqliteDb& db) -> Result<int64_t> {
    return db.query_int("SELECT coalesce(max(id), 0) FROM questions");
  });
}

void SqliteQuestionStore::apply_question_change(QuestionChangeRecord change, StoreDone done) {
  submit_with_done(
      ctx_.writer,
      [change = std::move(change)](SqliteDb& db) -> Status {
        for (const QuestionRow& r : change.questions) upsert_question(db, r);
        for (const QuestionRow& r : change.questions) {
          if (r.state == "merged" && r.merged_into) {
            hand_votes_to_target(db, r.id, *r.merged_into);
            recount_votes(db, *r.merged_into);
          }
        }
        for (const QuestionHistoryRow& h : change.history) insert_history(db, h);
        for (const AuditEntry& a : change.audit) insert_audit_row(db, a);
        return ok_status();
      },
      std::move(done));
}

Result<QuestionRow> SqliteQuestionStore::get_question(int64_t id) {
  return ctx_.readers.read<QuestionRow>([&](SqliteDb& db) -> Result<QuestionRow> {
    auto q =
        db.prepare("SELECT " + std::string(kQuestionColumns) + " FROM questions WHERE id = ?1");
    q->bind(1, id);
    if (!q->step()) return make_error("not_found", "no question #" + std::to_string(id));
    return read_question(*q);
  });
}

Result<std::vector<QuestionRow>> SqliteQuestionStore::list_questions(const std::string& forum_id) {
  using Rows = std::vector<QuestionRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    auto q = db.prepare("SELECT " + std::string(kQuestionColumns) +
                        " FROM questions WHERE forum_id = ?1 ORDER BY id");
    q->bind(1, forum_id);
    Rows rows;
    while (q->step()) rows.push_back(read_question(*q));
    return rows;
  });
}

Result<std::vector<QuestionHistoryRow>> SqliteQuestionStore::list_history(
    const std::string& forum_id, std::optional<int64_t> question_id) {
  using Rows = std::vector<QuestionHistoryRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    constexpr std::string_view kSelect =
        "SELECT id, forum_id, question_id, op, actor, actor_role, at_ms, stream_ms, before_json, "
        "after_json FROM question_history WHERE forum_id = ?1 ";
    auto q = db.prepare(std::string(kSelect) +
                        (question_id ? "AND question_id = ?2 ORDER BY id" : "ORDER BY id"));
    q->bind(1, forum_id);
    if (question_id) q->bind(2, *question_id);
    Rows rows;
    while (q->step()) {
      QuestionHistoryRow h;
      h.id = q->col_int(0);
      h.forum_id = q->col_text(1);
      h.question_id = q->col_int(2);
      h.op = q->col_text(3);
      h.actor = q->col_text(4);
      h.actor_role = q->col_text(5);
      h.at_ms = q->col_int(6);
      h.stream_ms = q->col_opt_int(7);
      h.before_json = q->col_text(8);
      h.after_json = q->col_text(9);
      rows.push_back(std::move(h));
    }
    return rows;
  });
}

void SqliteQuestionStore::add_vote(VoteRow vote, StoreDone done) {
  submit_with_done(
      ctx_.writer,
      [vote = std::move(vote)](SqliteDb& db) -> Status {
        auto ins = db.prepare(
            "INSERT INTO question_votes (question_id, device_hash, forum_id, at_ms) "
            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (question_id, device_hash) DO NOTHING");
        ins->bind(1, vote.question_id).bind(2, vote.device_hash).bind(3, vote.forum_id);
        ins->bind(4, vote.at_ms);
        ins->exec();
        recount_votes(db, vote.question_id);
        return ok_status();
      },
      std::move(done));
}

void SqliteQuestionStore::remove_vote(std::string forum_id, int64_t question_id,
                                      std::string device_hash, StoreDone done) {
  submit_with_done(
      ctx_.writer,
      [forum_id = std::move(forum_id), question_id,
       device_hash = std::move(device_hash)](SqliteDb& db) -> Status {
        auto del = db.prepare(
            "DELETE FROM question_votes WHERE question_id = ?1 AND device_hash = ?2 "
            "AND forum_id = ?3");
        del->bind(1, question_id).bind(2, device_hash).bind(3, forum_id);
        del->exec();
        recount_votes(db, question_id);
        return ok_status();
      },
      std::move(done));
}

Result<std::vector<VoteRow>> SqliteQuestionStore::list_votes(const std::string& forum_id) {
  using Rows = std::vector<VoteRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    auto q = db.prepare(
        "SELECT question_id, device_hash, at_ms FROM question_votes WHERE forum_id = ?1 "
        "ORDER BY question_id, at_ms, device_hash");
    q->bind(1, forum_id);
    Rows rows;
    while (q->step())
      rows.push_back(VoteRow{forum_id, q->col_int(0), q->col_text(1), q->col_int(2)});
    return rows;
  });
}

}  // namespace forumcast::sqlite
