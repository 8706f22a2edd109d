// store/sqlite/sqlite_account_store.cpp: staff accounts in SQLite (table
// `accounts`). Password hashing and name rules are server/auth's; this file stores
// the encoded hash it is given.
#include <string>

#include "store/sqlite/sqlite_stores.hpp"

namespace forumcast::sqlite {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, name, role, password_hash, disabled, created_ms FROM accounts ";

Account row_to_account(const Statement& st) {
  Account a;
  a.id = st.col_int(0);
  a.name = st.col_text(1);
  a.role = role_from_string(st.col_text(2)).value_or(Role::moderator);
  a.password_hash = st.col_text(3);
  a.disabled = st.col_int(4) != 0;
  a.created_ms = st.col_int(5);
  return a;
}

Status expect_changed(int64_t changes, const std::string& name) {
  if (changes == 0) return make_error("not_found", "no account " + name);
  return ok_status();
}

}  // namespace

Result<Account> SqliteAccountStore::add_account(const Account& a) {
  auto saved = std::make_shared<Account>(a);
  Status st = ctx_.writer.submit_and_wait([saved](SqliteDb& db) -> Status {
    auto ins = db.prepare(
        "INSERT INTO accounts (name, role, password_hash, disabled, created_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    ins->bind(1, saved->name).bind(2, to_string(saved->role)).bind(3, saved->password_hash);
    ins->bind(4, int64_t{saved->disabled ? 1 : 0}).bind(5, saved->created_ms);
    ins->exec();
    saved->id = db.last_insert_rowid();
    return ok_status();
  });
  if (!st.ok()) {
    if (st.error().code == "conflict")
      return make_error("conflict", "an account named " + a.name + " already exists");
    return st.error();
  }
  return *saved;
}

Result<Account> SqliteAccountStore::get_account(const std::string& name) {
  return ctx_.readers.read<Account>([&](SqliteDb& db) -> Result<Account> {
    auto st = db.prepare(std::string(kSelect) + "WHERE name = ?1");
    st->bind(1, name);
    if (!st->step()) return make_error("not_found", "no account " + name);
    return row_to_account(*st);
  });
}

Result<Account> SqliteAccountStore::get_account_by_id(int64_t id) {
  return ctx_.readers.read<Account>([&](SqliteDb& db) -> Result<Account> {
    auto st = db.prepare(std::string(kSelect) + "WHERE id = ?1");
    st->bind(1, id);
    if (!st->step()) return make_error("not_found", "no account #" + std::to_string(id));
    return row_to_account(*st);
  });
}

Result<std::vector<Account>> SqliteAccountStore::list_accounts() {
  return ctx_.readers.read<std::vector<Account>>([](SqliteDb& db) -> Result<std::vector<Account>> {
    auto st = db.prepare(std::string(kSelect) + "ORDER BY id");
    std::vector<Account> out;
    while (st->step()) out.push_back(row_to_account(*st));
    return out;
  });
}

Status SqliteAccountStore::set_account_disabled(const std::string& name, bool disabled) {
  return ctx_.writer.submit_and_wait([name, disabled](SqliteDb& db) -> Status {
    auto st = db.prepare("UPDATE accounts SET disabled = ?2 WHERE name = ?1");
    st->bind(1, name).bind(2, int64_t{disabled ? 1 : 0});
    if (st->exec() == 0) return make_error("not_found", "no account " + name);
    if (disabled) {
      auto rev = db.prepare(
          "UPDATE sessions SET revoked = 1 "
          "WHERE account_id = (SELECT id FROM accounts WHERE name = ?1)");
      rev->bind(1, name);
      rev->exec();
    }
    return ok_status();
  });
}

Status SqliteAccountStore::set_password_hash(const std::string& name, const std::string& hash) {
  return ctx_.writer.submit_and_wait([name, hash](SqliteDb& db) -> Status {
    auto st = db.prepare("UPDATE accounts SET password_hash = ?2 WHERE name = ?1");
    st->bind(1, name).bind(2, hash);
    return expect_changed(st->exec(), name);
  });
}

Status SqliteAccountStore::set_account_role(const std::string& name, Role role) {
  return ctx_.writer.submit_and_wait([name, role](SqliteDb& db) -> Status {
    auto st = db.prepare("UPDATE accounts SET role = ?2 WHERE name = ?1");
    st->bind(1, name).bind(2, to_string(role));
    return expect_changed(st->exec(), name);
  });
}

}  // namespace forumcast::sqlite
