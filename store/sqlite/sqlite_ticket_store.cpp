// store/sqlite/sqlite_ticket_store.cpp: tickets with their history and ratings,
// webhook endpoints and the outbox, forum panel and agenda on SQLite (migration 4).
// A ticket change (row, new events, new ratings, outbox rows, audit entries) is one
// job, so one transaction: a webhook delivery is queued exactly when its change is
// committed. Saves are optimistic: the row carries the version the caller read and
// a stale version is refused with conflict. Rules of change belong to followup/.
#include "store/sqlite/sqlite_ticket_store.hpp"

#include <algorithm>
#include <memory>

#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_question_store.hpp"  // insert_audit_row

namespace forumcast::sqlite {
namespace {

constexpr std::string_view kTicketColumns =
    "id, forum_id, question_id, thread_id, title, description, category, compound, building, "
    "assignees_json, due_ms, state, created_by, created_ms, resolved_ms, closed_ms, "
    "resolution_round, updated_ms, version";

TicketRow read_ticket(Statement& q) {
  TicketRow r;
  r.id = q.col_int(0);
  r.forum_id = q.col_text(1);
  r.question_id = q.col_opt_int(2);
  r.thread_id = q.col_opt_int(3);
  r.title = q.col_text(4);
  r.description = q.col_text(5);
  r.category = q.col_text(6);
  r.compound = q.col_text(7);
  r.building = q.col_text(8);
  r.assignees_json = q.col_text(9);
  r.due_ms = q.col_opt_int(10);
  r.state = q.col_text(11);
  r.created_by = q.col_text(12);
  r.created_ms = q.col_int(13);
  r.resolved_ms = q.col_opt_int(14);
  r.closed_ms = q.col_opt_int(15);
  r.resolution_round = q.col_int(16);
  r.updated_ms = q.col_int(17);
  r.version = q.col_int(18);
  return r;
}

// Binds the row's columns 2..18 (everything but id and version).
void bind_ticket(Statement& st, const TicketRow& r) {
  st.bind(2, r.forum_id).bind(3, r.question_id).bind(4, r.thread_id).bind(5, r.title);
  st.bind(6, r.description).bind(7, r.category).bind(8, r.compound).bind(9, r.building);
  st.bind(10, r.assignees_json).bind(11, r.due_ms).bind(12, r.state).bind(13, r.created_by);
  st.bind(14, r.created_ms).bind(15, r.resolved_ms).bind(16, r.closed_ms);
  st.bind(17, r.resolution_round).bind(18, r.updated_ms);
}

void insert_event(SqliteDb& db, int64_t ticket_id, const TicketEventRow& e) {
  auto st = db.prepare(
      "INSERT INTO ticket_events (ticket_id, action, from_state, to_state, actor, at_ms, note, "
      "public) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  st->bind(1, ticket_id).bind(2, e.action).bind(3, e.from_state).bind(4, e.to_state);
  st->bind(5, e.actor).bind(6, e.at_ms).bind(7, e.note).bind(8, int64_t{e.is_public ? 1 : 0});
  st->exec();
}

void insert_rating(SqliteDb& db, int64_t ticket_id, const TicketRatingRow& r) {
  auto st = db.prepare(
      "INSERT INTO ticket_ratings (ticket_id, rater, rater_name, stars, confirmed, comment, "
      "at_ms, round) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  st->bind(1, ticket_id).bind(2, r.rater).bind(3, r.rater_name).bind(4, r.stars);
  st->bind(5, int64_t{r.confirmed ? 1 : 0}).bind(6, r.comment).bind(7, r.at_ms).bind(8, r.round);
  st->exec();
}

void insert_outbox(SqliteDb& db, const OutboxRow& o) {
  auto st = db.prepare(
      "INSERT INTO webhook_outbox (endpoint_id, event, body, state, attempts, created_ms, "
      "next_attempt_ms, delivered_ms, last_status, last_error) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  st->bind(1, o.endpoint_id).bind(2, o.event).bind(3, o.body).bind(4, o.state);
  st->bind(5, o.attempts).bind(6, o.created_ms).bind(7, o.next_attempt_ms);
  st->bind(8, o.delivered_ms).bind(9, o.last_status).bind(10, o.last_error);
  st->exec();
}

void insert_side_rows(SqliteDb& db, int64_t ticket_id, const TicketChange& c) {
  for (const auto& e : c.new_events) insert_event(db, ticket_id, e);
  for (const auto& r : c.new_ratings) insert_rating(db, ticket_id, r);
  for (const auto& o : c.outbox) insert_outbox(db, o);
  for (const auto& a : c.audit) insert_audit_row(db, a);
}

// History and ratings of one ticket, oldest first.
void load_children(SqliteDb& db, TicketRecord& rec) {
  const int64_t id = rec.ticket.id;
  auto ev = db.prepare(
      "SELECT id, action, from_state, to_state, actor, at_ms, note, public FROM ticket_events "
      "WHERE ticket_id = ?1 ORDER BY id");
  ev->bind(1, id);
  while (ev->step())
    rec.history.push_back(TicketEventRow{ev->col_int(0), id, ev->col_text(1), ev->col_text(2),
                                         ev->col_text(3), ev->col_text(4), ev->col_int(5),
                                         ev->col_text(6), ev->col_int(7) != 0});
  auto ra = db.prepare(
      "SELECT rater, rater_name, stars, confirmed, comment, at_ms, round FROM ticket_ratings "
      "WHERE ticket_id = ?1 ORDER BY id");
  ra->bind(1, id);
  while (ra->step())
    rec.ratings.push_back(TicketRatingRow{id, ra->col_text(0), ra->col_text(1), ra->col_int(2),
                                          ra->col_int(3) != 0, ra->col_text(4), ra->col_int(5),
                                          ra->col_int(6)});
}

Result<TicketRecord> read_record(SqliteDb& db, int64_t id) {
  auto q = db.prepare("SELECT " + std::string(kTicketColumns) + " FROM tickets WHERE id = ?1");
  q->bind(1, id);
  if (!q->step()) return make_error("not_found", "no ticket T" + std::to_string(id));
  TicketRecord rec;
  rec.ticket = read_ticket(*q);
  load_children(db, rec);
  return rec;
}

OutboxRow read_outbox(Statement& q) {
  OutboxRow o;
  o.id = q.col_int(0);
  o.endpoint_id = q.col_int(1);
  o.event = q.col_text(2);
  o.body = q.col_text(3);
  o.state = q.col_text(4);
  o.attempts = q.col_int(5);
  o.created_ms = q.col_int(6);
  o.next_attempt_ms = q.col_int(7);
  o.delivered_ms = q.col_opt_int(8);
  o.last_status = q.col_int(9);
  o.last_error = q.col_text(10);
  return o;
}

constexpr std::string_view kOutboxColumns =
    "id, endpoint_id, event, body, state, attempts, created_ms, next_attempt_ms, delivered_ms, "
    "last_status, last_error";

Status require_forum(SqliteDb& db, const std::string& forum_id) {
  auto q = db.prepare("SELECT count(*) FROM forums WHERE id = ?1");
  q->bind(1, forum_id);
  q->step();
  if (q->col_int(0) == 0) return make_error("not_found", "no forum " + forum_id);
  return ok_status();
}

int64_t clamp_limit(size_t limit) {
  return static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX));
}

}  // namespace

// ---- tickets ----

Result<TicketRecord> SqliteTicketStore::create_ticket(TicketChange change) {
  auto id = std::make_shared<int64_t>(0);
  Status st = ctx_.writer.submit_and_wait([&change, id](SqliteDb& db) -> Status {
    auto ins =
        db.prepare("INSERT INTO tickets (" + std::string(kTicketColumns) +
                   ") VALUES (NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                   "?15, ?16, ?17, ?18, 1)");
    bind_ticket(*ins, change.ticket);
    ins->exec();
    *id = db.last_insert_rowid();
    insert_side_rows(db, *id, change);
    return ok_status();
  });
  if (!st.ok()) return st.error();
  return get_ticket(*id);
}

Result<TicketRecord> SqliteTicketStore::get_ticket(int64_t id) {
  return ctx_.readers.read<TicketRecord>(
      [&](SqliteDb& db) -> Result<TicketRecord> { return read_record(db, id); });
}

Result<std::vector<TicketRecord>> SqliteTicketStore::list_tickets(const TicketFilter& f) {
  using Rows = std::vector<TicketRecord>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    // Unset filters bind '' / NULL and match everything, so one cached statement serves all.
    auto q = db.prepare(
        "SELECT " + std::string(kTicketColumns) +
        " FROM tickets t WHERE (?1 = '' OR forum_id = ?1) AND (?2 = '' OR category = ?2) "
        "AND (?3 = '' OR compound = ?3) AND (?4 = '' OR state = ?4) "
        "AND (?5 = '' OR EXISTS (SELECT 1 FROM json_each(t.assignees_json) "
        "     WHERE json_extract(value, '$.name') = ?5)) "
        "AND (?6 = '' OR EXISTS (SELECT 1 FROM questions q WHERE q.id IN (t.question_id, "
        "t.thread_id) "
        "     AND (q.asker_device_hash = ?6 OR EXISTS (SELECT 1 FROM question_votes v "
        "          WHERE v.question_id = q.id AND v.device_hash = ?6)))) "
        "AND (?7 IS NULL OR t.question_id = ?7 OR t.thread_id = ?7) "
        "ORDER BY id LIMIT ?8");
    q->bind(1, f.forum_id).bind(2, f.category).bind(3, f.compound).bind(4, f.state);
    q->bind(5, f.assignee)
        .bind(6, f.device_hash)
        .bind(7, f.question_id)
        .bind(8, clamp_limit(f.limit));
    Rows rows;
    while (q->step()) rows.push_back(TicketRecord{read_ticket(*q), {}, {}});
    q->reset();
    for (auto& rec : rows) load_children(db, rec);
    return rows;
  });
}

Result<TicketRecord> SqliteTicketStore::save_ticket(TicketChange change) {
  Status st = ctx_.writer.submit_and_wait([&change](SqliteDb& db) -> Status {
    const TicketRow& r = change.ticket;
    auto up = db.prepare(
        "UPDATE tickets SET forum_id = ?2, question_id = ?3, thread_id = ?4, title = ?5, "
        "description = ?6, category = ?7, compound = ?8, building = ?9, assignees_json = ?10, "
        "due_ms = ?11, state = ?12, created_by = ?13, created_ms = ?14, resolved_ms = ?15, "
        "closed_ms = ?16, resolution_round = ?17, updated_ms = ?18, version = version + 1 "
        "WHERE id = ?1 AND version = ?19");
    up->bind(1, r.id);
    bind_ticket(*up, r);
    up->bind(19, r.version);
    if (up->exec() == 0) {
      auto ex = db.prepare("SELECT count(*) FROM tickets WHERE id = ?1");
      ex->bind(1, r.id);
      ex->step();
      if (ex->col_int(0) == 0) return make_error("not_found", "no ticket T" + std::to_string(r.id));
      return make_error("conflict", "ticket T" + std::to_string(r.id) +
                                        " was changed by someone else; reload it and try again");
    }
    insert_side_rows(db, r.id, change);
    return ok_status();
  });
  if (!st.ok()) return st.error();
  return get_ticket(change.ticket.id);
}

// ---- webhooks ----

Result<WebhookEndpointRow> SqliteTicketStore::add_endpoint(WebhookEndpointRow e, AuditEntry audit) {
  auto id = std::make_shared<int64_t>(0);
  Status st = ctx_.writer.submit_and_wait([&e, &audit, id](SqliteDb& db) -> Status {
    auto ins = db.prepare(
        "INSERT INTO webhook_endpoints (forum_id, url, secret, events_json, active, created_by, "
        "created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    ins->bind(1, e.forum_id).bind(2, e.url).bind(3, e.secret).bind(4, e.events_json);
    ins->bind(5, int64_t{e.active ? 1 : 0}).bind(6, e.created_by).bind(7, e.created_ms);
    ins->exec();
    *id = db.last_insert_rowid();
    AuditEntry a = audit;
    if (a.target.empty()) a.target = "webhook:" + std::to_string(*id);
    insert_audit_row(db, a);
    return ok_status();
  });
  if (!st.ok()) return st.error();
  e.id = *id;
  return e;
}

Result<std::vector<WebhookEndpointRow>> SqliteTicketStore::list_endpoints() {
  using Rows = std::vector<WebhookEndpointRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    auto q = db.prepare(
        "SELECT id, forum_id, url, secret, events_json, active, created_by, created_ms "
        "FROM webhook_endpoints ORDER BY id");
    Rows rows;
    while (q->step())
      rows.push_back(WebhookEndpointRow{q->col_int(0), q->col_text(1), q->col_text(2),
                                        q->col_text(3), q->col_text(4), q->col_int(5) != 0,
                                        q->col_text(6), q->col_int(7)});
    return rows;
  });
}

Status SqliteTicketStore::set_endpoint_active(int64_t id, bool active, AuditEntry audit) {
  return ctx_.writer.submit_and_wait([id, active, &audit](SqliteDb& db) -> Status {
    auto up = db.prepare("UPDATE webhook_endpoints SET active = ?2 WHERE id = ?1");
    up->bind(1, id).bind(2, int64_t{active ? 1 : 0});
    if (up->exec() == 0) return make_error("not_found", "no webhook #" + std::to_string(id));
    insert_audit_row(db, audit);
    return ok_status();
  });
}

Status SqliteTicketStore::enqueue(std::vector<OutboxRow> rows) {
  if (rows.empty()) return ok_status();
  return ctx_.writer.submit_and_wait([&rows](SqliteDb& db) -> Status {
    for (const auto& o : rows) insert_outbox(db, o);
    return ok_status();
  });
}

Result<std::vector<OutboxRow>> SqliteTicketStore::due_outbox(int64_t now_ms, size_t limit) {
  using Rows = std::vector<OutboxRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    auto q = db.prepare("SELECT " + std::string(kOutboxColumns) +
                        " FROM webhook_outbox WHERE state = 'pending' AND next_attempt_ms <= ?1 "
                        "ORDER BY next_attempt_ms, id LIMIT ?2");
    q->bind(1, now_ms).bind(2, clamp_limit(limit));
    Rows rows;
    while (q->step()) rows.push_back(read_outbox(*q));
    return rows;
  });
}

Result<std::optional<int64_t>> SqliteTicketStore::next_due_ms() {
  using R = std::optional<int64_t>;
  return ctx_.readers.read<R>([&](SqliteDb& db) -> Result<R> {
    auto q = db.prepare("SELECT min(next_attempt_ms) FROM webhook_outbox WHERE state = 'pending'");
    q->step();
    return q->col_opt_int(0);
  });
}

Status SqliteTicketStore::update_outbox(const OutboxRow& o) {
  return ctx_.writer.submit_and_wait([o](SqliteDb& db) -> Status {
    auto up = db.prepare(
        "UPDATE webhook_outbox SET state = ?2, attempts = ?3, next_attempt_ms = ?4, "
        "delivered_ms = ?5, last_status = ?6, last_error = ?7 WHERE id = ?1");
    up->bind(1, o.id).bind(2, o.state).bind(3, o.attempts).bind(4, o.next_attempt_ms);
    up->bind(5, o.delivered_ms).bind(6, o.last_status).bind(7, o.last_error);
    if (up->exec() == 0) return make_error("not_found", "no outbox entry #" + std::to_string(o.id));
    return ok_status();
  });
}

Result<std::vector<OutboxRow>> SqliteTicketStore::list_outbox(const std::string& state,
                                                              size_t limit) {
  using Rows = std::vector<OutboxRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    auto q =
        db.prepare("SELECT " + std::string(kOutboxColumns) +
                   " FROM webhook_outbox WHERE (?1 = '' OR state = ?1) ORDER BY id DESC LIMIT ?2");
    q->bind(1, state).bind(2, clamp_limit(limit));
    Rows rows;
    while (q->step()) rows.push_back(read_outbox(*q));
    return rows;
  });
}

// ---- panel and agenda ----

Result<std::vector<PanelRow>> SqliteTicketStore::get_panel(const std::string& forum_id) {
  using Rows = std::vector<PanelRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    auto q = db.prepare(
        "SELECT name, title, role FROM forum_panel WHERE forum_id = ?1 ORDER BY position");
    q->bind(1, forum_id);
    Rows rows;
    while (q->step()) rows.push_back(PanelRow{q->col_text(0), q->col_text(1), q->col_text(2)});
    return rows;
  });
}

Status SqliteTicketStore::set_panel(const std::string& forum_id, const std::vector<PanelRow>& panel,
                                    const AuditEntry& audit) {
  return ctx_.writer.submit_and_wait([&](SqliteDb& db) -> Status {
    if (Status ok = require_forum(db, forum_id); !ok.ok()) return ok;
    auto del = db.prepare("DELETE FROM forum_panel WHERE forum_id = ?1");
    del->bind(1, forum_id);
    del->exec();
    int64_t pos = 0;
    for (const auto& p : panel) {
      auto ins = db.prepare(
          "INSERT INTO forum_panel (forum_id, position, name, title, role) VALUES (?1, ?2, ?3, ?4, "
          "?5)");
      ins->bind(1, forum_id).bind(2, ++pos).bind(3, p.name).bind(4, p.title).bind(5, p.role);
      ins->exec();
    }
    insert_audit_row(db, audit);
    return ok_status();
  });
}

Result<std::vector<AgendaRow>> SqliteTicketStore::get_agenda(const std::string& forum_id) {
  using Rows = std::vector<AgendaRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    auto q = db.prepare(
        "SELECT id, title, planned_minutes FROM forum_agenda WHERE forum_id = ?1 ORDER BY "
        "position");
    q->bind(1, forum_id);
    Rows rows;
    while (q->step()) rows.push_back(AgendaRow{q->col_int(0), q->col_text(1), q->col_int(2)});
    return rows;
  });
}

Result<std::vector<AgendaRow>> SqliteTicketStore::set_agenda(const std::string& forum_id,
                                                             const std::vector<AgendaRow>& agenda,
                                                             const AuditEntry& audit) {
  auto out = std::make_shared<std::vector<AgendaRow>>();
  Status st = ctx_.writer.submit_and_wait([&, out](SqliteDb& db) -> Status {
    if (Status ok = require_forum(db, forum_id); !ok.ok()) return ok;
    *out = agenda;
    auto del = db.prepare("DELETE FROM forum_agenda WHERE forum_id = ?1");
    del->bind(1, forum_id);
    del->exec();
    int64_t pos = 0;
    for (auto& a : *out) {
      auto ins = db.prepare(
          "INSERT INTO forum_agenda (id, forum_id, position, title, planned_minutes) "
          "VALUES (?1, ?2, ?3, ?4, ?5)");
      if (a.id > 0) {
        ins->bind(1, a.id);
      } else {
        ins->bind_null(1);
      }
      ins->bind(2, forum_id).bind(3, ++pos).bind(4, a.title).bind(5, a.planned_minutes);
      ins->exec();
      a.id = db.last_insert_rowid();
    }
    auto clear = db.prepare(
        "DELETE FROM forum_agenda_current WHERE forum_id = ?1 AND item_id NOT IN "
        "(SELECT id FROM forum_agenda WHERE forum_id = ?1)");
    clear->bind(1, forum_id);
    clear->exec();
    insert_audit_row(db, audit);
    return ok_status();
  });
  if (!st.ok()) return st.error();
  return *out;
}

Result<std::optional<int64_t>> SqliteTicketStore::get_current_item(const std::string& forum_id) {
  using R = std::optional<int64_t>;
  return ctx_.readers.read<R>([&](SqliteDb& db) -> Result<R> {
    auto q = db.prepare("SELECT item_id FROM forum_agenda_current WHERE forum_id = ?1");
    q->bind(1, forum_id);
    if (!q->step()) return R{};
    return R{q->col_int(0)};
  });
}

Status SqliteTicketStore::set_current_item(const std::string& forum_id,
                                           std::optional<int64_t> item_id, int64_t now_ms,
                                           const AuditEntry& audit) {
  return ctx_.writer.submit_and_wait([&](SqliteDb& db) -> Status {
    if (Status ok = require_forum(db, forum_id); !ok.ok()) return ok;
    if (item_id) {
      auto q = db.prepare("SELECT 1 FROM forum_agenda WHERE forum_id = ?1 AND id = ?2");
      q->bind(1, forum_id).bind(2, *item_id);
      if (!q->step())
        return make_error("not_found", "forum " + forum_id + " has no agenda item " +
                                           std::to_string(*item_id));
      auto up = db.prepare(
          "INSERT INTO forum_agenda_current (forum_id, item_id, set_ms) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (forum_id) DO UPDATE SET item_id = excluded.item_id, set_ms = "
          "excluded.set_ms");
      up->bind(1, forum_id).bind(2, *item_id).bind(3, now_ms);
      up->exec();
    } else {
      auto del = db.prepare("DELETE FROM forum_agenda_current WHERE forum_id = ?1");
      del->bind(1, forum_id);
      del->exec();
    }
    insert_audit_row(db, audit);
    return ok_status();
  });
}

// ---- question event relay ----

Result<std::optional<int64_t>> SqliteTicketStore::get_cursor(const std::string& name) {
  using R = std::optional<int64_t>;
  return ctx_.readers.read<R>([&](SqliteDb& db) -> Result<R> {
    auto q = db.prepare("SELECT value FROM followup_cursors WHERE name = ?1");
    q->bind(1, name);
    if (!q->step()) return R{};
    return R{q->col_int(0)};
  });
}

Status SqliteTicketStore::enqueue_and_advance(std::vector<OutboxRow> rows, const std::string& cursor,
                                              int64_t value) {
  return ctx_.writer.submit_and_wait([&](SqliteDb& db) -> Status {
    for (const auto& o : rows) insert_outbox(db, o);
    auto up = db.prepare(
        "INSERT INTO followup_cursors (name, value) VALUES (?1, ?2) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
    up->bind(1, cursor).bind(2, value);
    up->exec();
    return ok_status();
  });
}

Result<std::vector<QuestionHistoryRow>> SqliteTicketStore::question_history_after(
    int64_t after_id, const std::vector<std::string>& ops, size_t limit) {
  using Rows = std::vector<QuestionHistoryRow>;
  return ctx_.readers.read<Rows>([&](SqliteDb& db) -> Result<Rows> {
    std::string in;
    for (size_t k = 0; k < ops.size(); ++k) in += (k ? ", ?" : "?") + std::to_string(k + 3);
    if (in.empty()) return Rows{};
    auto q = db.prepare(
        "SELECT id, forum_id, question_id, op, actor, actor_role, at_ms, stream_ms, before_json, "
        "after_json FROM question_history WHERE id > ?1 AND op IN (" +
        in + ") ORDER BY id LIMIT ?2");
    q->bind(1, after_id).bind(2, clamp_limit(limit));
    for (size_t k = 0; k < ops.size(); ++k) q->bind(static_cast<int>(k + 3), ops[k]);
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

Result<int64_t> SqliteTicketStore::max_question_history_id() {
  return ctx_.readers.read<int64_t>([&](SqliteDb& db) -> Result<int64_t> {
    auto q = db.prepare("SELECT coalesce(max(id), 0) FROM question_history");
    q->step();
    return q->col_int(0);
  });
}

}  // namespace forumcast::sqlite
