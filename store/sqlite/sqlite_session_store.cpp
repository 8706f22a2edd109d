// store/sqlite/sqlite_session_store.cpp: staff sessions (table `sessions`) and
// resident devices (table `devices`) in SQLite. Both are keyed by the SHA-256 hex
// of a token the client holds; hashing and expiry policy are server/auth's.
#include <string>

#include "store/sqlite/sqlite_stores.hpp"

namespace forumcast::sqlite {

// ---- sessions ----

Status SqliteSessionStore::create_session(const Session& s) {
  return ctx_.writer.submit_and_wait([s](SqliteDb& db) -> Status {
    auto st = db.prepare(
        "INSERT INTO sessions (token_hash, account_id, created_ms, expires_ms, revoked) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    st->bind(1, s.token_hash).bind(2, s.account_id).bind(3, s.created_ms);
    st->bind(4, s.expires_ms).bind(5, int64_t{s.revoked ? 1 : 0});
    st->exec();
    return ok_status();
  });
}

Result<Session> SqliteSessionStore::get_session(const std::string& token_hash) {
  return ctx_.readers.read<Session>([&](SqliteDb& db) -> Result<Session> {
    auto st = db.prepare(
        "SELECT s.token_hash, s.account_id, a.name, a.role, s.created_ms, s.expires_ms, "
        "s.revoked FROM sessions s JOIN accounts a ON a.id = s.account_id "
        "WHERE s.token_hash = ?1");
    st->bind(1, token_hash);
    if (!st->step()) return make_error("not_found", "no such session");
    Session s;
    s.token_hash = st->col_text(0);
    s.account_id = st->col_int(1);
    s.account_name = st->col_text(2);
    s.role = role_from_string(st->col_text(3)).value_or(Role::moderator);
    s.created_ms = st->col_int(4);
    s.expires_ms = st->col_int(5);
    s.revoked = st->col_int(6) != 0;
    return s;
  });
}

Status SqliteSessionStore::revoke_session(const std::string& token_hash) {
  return ctx_.writer.submit_and_wait([token_hash](SqliteDb& db) -> Status {
    auto st = db.prepare("UPDATE sessions SET revoked = 1 WHERE token_hash = ?1");
    st->bind(1, token_hash);
    if (st->exec() == 0) return make_error("not_found", "no such session");
    return ok_status();
  });
}

Status SqliteSessionStore::revoke_sessions_of(int64_t account_id) {
  return ctx_.writer.submit_and_wait([account_id](SqliteDb& db) -> Status {
    auto st = db.prepare("UPDATE sessions SET revoked = 1 WHERE account_id = ?1");
    st->bind(1, account_id);
    st->exec();
    return ok_status();
  });
}

Status SqliteSessionStore::delete_expired_sessions(int64_t now_ms) {
  return ctx_.writer.submit_and_wait([now_ms](SqliteDb& db) -> Status {
    auto st = db.prepare("DELETE FROM sessions WHERE expires_ms <= ?1");
    st->bind(1, now_ms);
    st->exec();
    return ok_status();
  });
}

// ---- devices ----

Status SqliteDeviceStore::register_device(const Device& d) {
  return ctx_.writer.submit_and_wait([d](SqliteDb& db) -> Status {
    auto st = db.prepare(
        "INSERT INTO devices (token_hash, created_ms, last_seen_ms) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (token_hash) DO NOTHING");
    st->bind(1, d.token_hash).bind(2, d.created_ms).bind(3, d.last_seen_ms);
    st->exec();
    return ok_status();
  });
}

Result<Device> SqliteDeviceStore::get_device(const std::string& token_hash) {
  return ctx_.readers.read<Device>([&](SqliteDb& db) -> Result<Device> {
    auto st = db.prepare(
        "SELECT token_hash, created_ms, last_seen_ms FROM devices WHERE token_hash = ?1");
    st->bind(1, token_hash);
    if (!st->step()) return make_error("not_found", "no such device");
    Device d;
    d.token_hash = st->col_text(0);
    d.created_ms = st->col_int(1);
    d.last_seen_ms = st->col_int(2);
    return d;
  });
}

Status SqliteDeviceStore::touch_device(const std::string& token_hash, int64_t now_ms) {
  return ctx_.writer.submit_and_wait([token_hash, now_ms](SqliteDb& db) -> Status {
    auto st =
        db.prepare("UPDATE devices SET last_seen_ms = max(last_seen_ms, ?2) WHERE token_hash = ?1");
    st->bind(1, token_hash).bind(2, now_ms);
    if (st->exec() == 0) return make_error("not_found", "no such device");
    return ok_status();
  });
}

Status SqliteDeviceStore::set_device_phone(const std::string& token_hash, const std::string& phone) {
  return ctx_.writer.submit_and_wait([token_hash, phone](SqliteDb& db) -> Status {
    auto st = db.prepare("UPDATE devices SET phone = ?2 WHERE token_hash = ?1");
    st->bind(1, token_hash).bind(2, phone);
    if (st->exec() == 0) return make_error("not_found", "no such device");
    return ok_status();
  });
}

Result<std::string> SqliteDeviceStore::get_device_phone(const std::string& token_hash) {
  return ctx_.readers.read<std::string>([&](SqliteDb& db) -> Result<std::string> {
    auto st = db.prepare("SELECT phone FROM devices WHERE token_hash = ?1");
    st->bind(1, token_hash);
    if (!st->step()) return make_error("not_found", "no such device");
    return st->col_text(0);
  });
}

}  // namespace forumcast::sqlite
