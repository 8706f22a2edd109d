// store/sqlite/migrations.cpp: the schema as an ordered list of migrations and the
// runner that applies the missing ones at open. Documented in docs/schema.md.
//
// HOW TO ADD TABLES (later modules: chat history, questions, tickets, ...):
//   1. Append ONE entry at the end of kMigrations with the next version number and
//      a short name. Never edit or reorder an entry that has been committed: a
//      database in the field has already applied it.
//   2. Write plain SQL (CREATE TABLE ... STRICT, CREATE INDEX, ALTER TABLE ADD
//      COLUMN). A migration that must rebuild a table follows SQLite's 12-step
//      procedure (https://sqlite.org/lang_altertable.html#otheralter); foreign
//      keys are off while migrations run and `PRAGMA foreign_key_check` must be
//      clean before the migration commits.
//   3. Describe the new tables in docs/schema.md and add a test that opens a
//      database at the previous version and checks the upgrade.
// Store-wide tables use the names of the domain (forums, accounts, ...); a module's
// tables start with its name if there is any doubt (chat_messages, followup_...).
#include "store/sqlite/migrations.hpp"

#include <array>
#include <filesystem>
#include <string>

#include "store/sqlite/sqlite_db.hpp"

namespace forumcast::sqlite {
namespace {

// Migration 1 (issue 2): forums, staff accounts and their sessions, resident
// devices, the audit log.
constexpr std::string_view kV1Foundation = R"sql(
CREATE TABLE forums (
  id          TEXT PRIMARY KEY,
  title       TEXT NOT NULL,
  topic       TEXT NOT NULL DEFAULT '',
  starts_at   TEXT NOT NULL DEFAULT '',
  state       TEXT NOT NULL CHECK (state IN ('draft','collecting','live','ended','archived')),
  stream_key  TEXT NOT NULL UNIQUE,
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX forums_by_created ON forums (created_ms DESC);

CREATE TABLE accounts (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  role           TEXT NOT NULL CHECK (role IN ('resident','panelist','moderator','organizer')),
  password_hash  TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_ms     INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_ms  INTEGER NOT NULL,
  expires_ms  INTEGER NOT NULL,
  revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_ms);

CREATE TABLE devices (
  token_hash    TEXT PRIMARY KEY,
  created_ms    INTEGER NOT NULL,
  last_seen_ms  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE audit (
  id           INTEGER PRIMARY KEY,
  forum_id     TEXT,
  actor        TEXT NOT NULL,
  action       TEXT NOT NULL,
  target       TEXT NOT NULL DEFAULT '',
  before_json  TEXT NOT NULL DEFAULT '',
  after_json   TEXT NOT NULL DEFAULT '',
  at_ms        INTEGER NOT NULL,
  stream_ms    INTEGER
) STRICT;
CREATE INDEX audit_by_forum ON audit (forum_id, id DESC);
)sql";

// Migration 2 (issue 3, chat/): each forum's chat event stream. `body` is the
// event's JSON exactly as clients received it, so history and resume after a
// restart replay the same bytes; `epoch` changes only with a new stream.
constexpr std::string_view kV2Chat = R"sql(
CREATE TABLE chat_streams (
  forum_id    TEXT PRIMARY KEY REFERENCES forums (id) ON DELETE CASCADE,
  epoch       TEXT NOT NULL,
  created_ms  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE chat_events (
  forum_id    TEXT NOT NULL REFERENCES chat_streams (forum_id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  body        TEXT NOT NULL,
  author_key  TEXT NOT NULL DEFAULT '',
  at_ms       INTEGER NOT NULL,
  PRIMARY KEY (forum_id, seq)
) STRICT, WITHOUT ROWID;
)sql";

// Migration 3 (issue 4, moderation/): questions and follow-ups with their history,
// votes (one row per device; questions.votes is a cached count), blocked-term lists
// (scope '' = every forum), bans and timeouts (lifted rows kept), per-forum
// moderation settings (JSON). Nested lists of a question are JSON text columns.
constexpr std::string_view kV3Moderation = R"sql(
CREATE TABLE questions (
  id                 INTEGER PRIMARY KEY,
  forum_id           TEXT NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
  parent_id          INTEGER,
  source             TEXT NOT NULL CHECK (source IN ('resident','offline')),
  asker_device_hash  TEXT NOT NULL DEFAULT '',
  display_name       TEXT NOT NULL DEFAULT '',
  compound           TEXT NOT NULL DEFAULT '',
  building           TEXT NOT NULL DEFAULT '',
  text               TEXT NOT NULL,
  original_text      TEXT,
  category           TEXT NOT NULL DEFAULT '' CHECK (category IN ('','problem','need','service')),
  agenda_item        INTEGER,
  state              TEXT NOT NULL CHECK (state IN ('pending','approved','rejected','merged','on_air','answered')),
  votes              INTEGER NOT NULL DEFAULT 0,
  merged_into        INTEGER,
  reject_reason      TEXT NOT NULL DEFAULT '',
  reject_text        TEXT NOT NULL DEFAULT '',
  tags_json          TEXT NOT NULL DEFAULT '[]',
  co_signers_json    TEXT NOT NULL DEFAULT '[]',
  on_air_json        TEXT NOT NULL DEFAULT '[]',
  answers_json       TEXT NOT NULL DEFAULT '[]',
  created_ms         INTEGER NOT NULL,
  created_stream_ms  INTEGER,
  updated_ms         INTEGER NOT NULL,
  updated_stream_ms  INTEGER
) STRICT;
CREATE INDEX questions_by_forum_state ON questions (forum_id, state);
CREATE INDEX questions_by_forum_category ON questions (forum_id, category);
CREATE INDEX questions_by_forum_compound ON questions (forum_id, compound);
CREATE INDEX questions_by_parent ON questions (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE question_history (
  id           INTEGER PRIMARY KEY,
  forum_id     TEXT NOT NULL,
  question_id  INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  op           TEXT NOT NULL,
  actor        TEXT NOT NULL DEFAULT '',
  actor_role   TEXT NOT NULL CHECK (actor_role IN ('resident','panelist','moderator','organizer')),
  at_ms        INTEGER NOT NULL,
  stream_ms    INTEGER,
  before_json  TEXT NOT NULL DEFAULT '',
  after_json   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX question_history_by_forum ON question_history (forum_id, id);
CREATE INDEX question_history_by_question ON question_history (question_id, id);

CREATE TABLE question_votes (
  question_id  INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  device_hash  TEXT NOT NULL,
  forum_id     TEXT NOT NULL,
  at_ms        INTEGER NOT NULL,
  PRIMARY KEY (question_id, device_hash)
) STRICT, WITHOUT ROWID;
CREATE INDEX question_votes_by_forum ON question_votes (forum_id, question_id, at_ms);

CREATE TABLE blocked_terms (
  scope       TEXT NOT NULL,
  position    INTEGER NOT NULL,
  term        TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('mask','hold','reject','timeout')),
  timeout_ms  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE moderation_bans (
  forum_id         TEXT NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
  id               INTEGER NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('timeout','ban')),
  device_hash      TEXT NOT NULL DEFAULT '',
  ip               TEXT NOT NULL DEFAULT '',
  reason           TEXT NOT NULL DEFAULT '',
  actor            TEXT NOT NULL DEFAULT '',
  created_ms       INTEGER NOT NULL,
  expires_ms       INTEGER,
  remove_comments  INTEGER NOT NULL DEFAULT 0 CHECK (remove_comments IN (0, 1)),
  lifted_ms        INTEGER,
  lifted_by        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (forum_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE moderation_settings (
  forum_id       TEXT PRIMARY KEY REFERENCES forums (id) ON DELETE CASCADE,
  settings_json  TEXT NOT NULL,
  updated_ms     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Migration 4 (issue 6, followup/): tickets (工单) made from questions, their
// history and residents' ratings; outgoing webhook endpoints and the persisted
// outbox (nothing lost across a restart); each forum's panel roster and agenda.
// Assignees are a JSON list [{kind, name}] (filtered with json_each).
constexpr std::string_view kV4Followup = R"sql(
CREATE TABLE tickets (
  id                INTEGER PRIMARY KEY,
  forum_id          TEXT NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
  question_id       INTEGER,
  thread_id         INTEGER,
  title             TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  category          TEXT NOT NULL CHECK (category IN ('problem','need','service')),
  compound          TEXT NOT NULL DEFAULT '',
  building          TEXT NOT NULL DEFAULT '',
  assignees_json    TEXT NOT NULL DEFAULT '[]',
  due_ms            INTEGER,
  state             TEXT NOT NULL CHECK (state IN ('open','assigned','in_progress','resolved','closed','reopened')),
  created_by        TEXT NOT NULL,
  created_ms        INTEGER NOT NULL,
  resolved_ms       INTEGER,
  closed_ms         INTEGER,
  resolution_round  INTEGER NOT NULL DEFAULT 0,
  updated_ms        INTEGER NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX tickets_by_forum_state ON tickets (forum_id, state);
CREATE INDEX tickets_by_forum_category ON tickets (forum_id, category);
CREATE INDEX tickets_by_forum_compound ON tickets (forum_id, compound);
CREATE INDEX tickets_by_question ON tickets (question_id) WHERE question_id IS NOT NULL;
CREATE INDEX tickets_by_thread ON tickets (thread_id) WHERE thread_id IS NOT NULL;

CREATE TABLE ticket_events (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  action      TEXT NOT NULL,
  from_state  TEXT NOT NULL,
  to_state    TEXT NOT NULL,
  actor       TEXT NOT NULL DEFAULT '',
  at_ms       INTEGER NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  public      INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1))
) STRICT;
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, id);

CREATE TABLE ticket_ratings (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  rater       TEXT NOT NULL,
  rater_name  TEXT NOT NULL DEFAULT '',
  stars       INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  confirmed   INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
  comment     TEXT NOT NULL DEFAULT '',
  at_ms       INTEGER NOT NULL,
  round       INTEGER NOT NULL,
  UNIQUE (ticket_id, rater, round)
) STRICT;

CREATE TABLE webhook_endpoints (
  id           INTEGER PRIMARY KEY,
  forum_id     TEXT NOT NULL DEFAULT '',
  url          TEXT NOT NULL,
  secret       TEXT NOT NULL,
  events_json  TEXT NOT NULL DEFAULT '[]',
  active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_by   TEXT NOT NULL DEFAULT '',
  created_ms   INTEGER NOT NULL
) STRICT;

CREATE TABLE webhook_outbox (
  id               INTEGER PRIMARY KEY,
  endpoint_id      INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event            TEXT NOT NULL,
  body             TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('pending','delivered','dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  created_ms       INTEGER NOT NULL,
  next_attempt_ms  INTEGER NOT NULL,
  delivered_ms     INTEGER,
  last_status      INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_ms, id);

CREATE TABLE forum_panel (
  forum_id  TEXT NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  name      TEXT NOT NULL,
  title     TEXT NOT NULL DEFAULT '',
  role      TEXT NOT NULL CHECK (role IN ('secretary','expert','deputy','resident_representative')),
  PRIMARY KEY (forum_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE forum_agenda (
  id               INTEGER PRIMARY KEY,
  forum_id         TEXT NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  title            TEXT NOT NULL,
  planned_minutes  INTEGER NOT NULL DEFAULT 0,
  UNIQUE (forum_id, position)
) STRICT;
)sql";

// Version 5: a resident's optional phone number for follow-up, kept with the device
// (set by POST /api/v1/device/contact; only organizers' exports with contacts read it).
constexpr std::string_view kV5DeviceContact = R"sql(
ALTER TABLE devices ADD COLUMN phone TEXT NOT NULL DEFAULT '';
)sql";

// Migration 6 (issue 6, followup/): the agenda item under discussion now (one row
// per forum that has one; no foreign key to forum_agenda because set_agenda
// rewrites those rows, it clears a dropped item itself), and named cursors of
// relays that must not repeat themselves (question events -> webhook outbox).
constexpr std::string_view kV6FollowupProgram = R"sql(
CREATE TABLE forum_agenda_current (
  forum_id  TEXT PRIMARY KEY REFERENCES forums (id) ON DELETE CASCADE,
  item_id   INTEGER NOT NULL,
  set_ms    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE followup_cursors (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Migration 7 (issue 5, SRT in `serve`): the UDP port of each forum's SRT
// listener, assigned from stream.srt_ports and kept across restarts so that an
// encoder configured once keeps working; released when the forum is over.
constexpr std::string_view kV7SrtPorts = R"sql(
CREATE TABLE forum_srt_ports (
  forum_id  TEXT PRIMARY KEY REFERENCES forums (id) ON DELETE CASCADE,
  port      INTEGER NOT NULL UNIQUE
) STRICT, WITHOUT ROWID;
)sql";

// Append new migrations at the end: {next version, "name", kVnSql}.
constexpr std::array<Migration, 7> kMigrations{{
    {1, "foundation", kV1Foundation},
    {2, "chat", kV2Chat},
    {3, "moderation", kV3Moderation},
    {4, "followup", kV4Followup},
    {5, "device_contact", kV5DeviceContact},
    {6, "followup_program", kV6FollowupProgram},
    {7, "srt_ports", kV7SrtPorts},
}};

Status fail(std::string code, std::string msg) {
  return make_error(std::move(code), std::move(msg));
}

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return static_cast<int>(kMigrations.size());
}

Status apply_migrations(SqliteDb& db) {
  return apply_migrations(db, migrations());
}

Status backup_before_upgrade(SqliteDb& db, int latest) {
  std::string dest;
  try {
    const int64_t current = db.query_int("PRAGMA user_version");
    if (current <= 0 || current >= latest) return ok_status();
    dest = db.path() + ".v" + std::to_string(current) + ".bak";
    std::error_code ec;
    if (std::filesystem::exists(dest, ec)) return ok_status();
    auto st = db.prepare("VACUUM INTO ?1");
    st->bind(1, dest);
    st->exec();
    return ok_status();
  } catch (const SqliteError& e) {
    // Another process opening the same file may have written it a moment ago.
    std::error_code ec;
    if (!dest.empty() && std::filesystem::exists(dest, ec)) return ok_status();
    return fail("store_migration",
                "cannot back up " + db.path() + " before upgrading it: " + e.what());
  }
}

Status apply_migrations(SqliteDb& db, std::span<const Migration> list) {
  const int known = static_cast<int>(list.size());
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i].version != static_cast<int>(i + 1))
      return fail("store_migration", "migration list out of order at " + std::string(list[i].name));
  try {
    const int64_t app = db.query_int("PRAGMA application_id");
    if (app != 0 && app != kApplicationId)
      return fail("store_open", db.path() + " is not a forumcast database (application_id " +
                                    std::to_string(app) + ")");
    int64_t current = db.query_int("PRAGMA user_version");
    if (current > known)
      return fail("store_too_new", db.path() + " has schema version " + std::to_string(current) +
                                       "; this forumcast knows up to " + std::to_string(known) +
                                       ": upgrade forumcast");
    if (current == known) return ok_status();
  } catch (const SqliteError& e) {
    return fail("store_open", e.what());
  }

  // Foreign keys cannot be toggled inside a transaction; off while migrating so a
  // table rebuild does not cascade, checked explicitly before each commit.
  try {
    db.exec("PRAGMA foreign_keys=OFF");
  } catch (const SqliteError& e) {
    return fail("store_open", e.what());
  }
  Status result = ok_status();
  for (const Migration& m : list) {
    try {
      db.exec("BEGIN IMMEDIATE");
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const int64_t current = db.query_int("PRAGMA user_version");
      if (current > known) {
        db.exec("ROLLBACK");
        result = fail("store_too_new", db.path() + " was upgraded to schema version " +
                                           std::to_string(current) + " by a newer forumcast");
        break;
      }
      if (current >= m.version) {
        db.exec("COMMIT");
        continue;
      }
      db.exec(m.sql);
      if (db.query_int("SELECT count(*) FROM pragma_foreign_key_check") != 0)
        throw SqliteError(787 /* SQLITE_CONSTRAINT_FOREIGNKEY */, "foreign_key_check failed");
      db.exec("PRAGMA application_id=" + std::to_string(kApplicationId));
      db.exec("PRAGMA user_version=" + std::to_string(m.version));
      db.exec("COMMIT");
    } catch (const SqliteError& e) {
      if (db.in_transaction()) {
        try {
          db.exec("ROLLBACK");
        } catch (const SqliteError&) {
        }
      }
      result = fail("store_migration", "migration " + std::to_string(m.version) + " (" +
                                           std::string(m.name) +
                                           ") failed and was rolled back: " + e.what());
      break;
    }
  }
  try {
    db.exec("PRAGMA foreign_keys=ON");
  } catch (const SqliteError& e) {
    if (result.ok()) result = fail("store_open", e.what());
  }
  return result;
}

}  // namespace forumcast::sqlite
