// store/forum_program_store.hpp: each forum's panel roster (嘉宾) and agenda (议程),
// issue 6. Interface only; SQLite implementation in store/sqlite/sqlite_ticket_store.*
// (tables forum_panel and forum_agenda, migration 4). Role and agenda rules are the
// caller's; the store keeps the lists in order. Every method is synchronous and safe
// from any thread. Errors as in store.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain.hpp"
#include "core/result.hpp"

namespace forumcast {

struct PanelRow {
  std::string name;
  std::string title;
  std::string role;  // secretary | expert | deputy | resident_representative
};

struct AgendaRow {
  int64_t id = 0;  // assigned by the store when 0; kept otherwise
  std::string title;
  int64_t planned_minutes = 0;
};

// A forum's panel roster and agenda (questions.agenda_item refers to AgendaRow::id),
// and the agenda item under discussion now (table forum_agenda_current, migration 5).
class ForumProgramStore {
 public:
  virtual ~ForumProgramStore() = default;
  virtual Result<std::vector<PanelRow>> get_panel(const std::string& forum_id) = 0;
  // Replaces the whole roster (in order) and appends the audit entry. not_found.
  virtual Status set_panel(const std::string& forum_id, const std::vector<PanelRow>& panel,
                           const AuditEntry& audit) = 0;
  virtual Result<std::vector<AgendaRow>> get_agenda(const std::string& forum_id) = 0;
  // Replaces the agenda (in order); returns it with ids. Items keep ids given to them.
  virtual Result<std::vector<AgendaRow>> set_agenda(const std::string& forum_id,
                                                    const std::vector<AgendaRow>& agenda,
                                                    const AuditEntry& audit) = 0;
  // The item under discussion now (nullopt: none). A set_agenda that drops the
  // current item clears it in the same transaction.
  virtual Result<std::optional<int64_t>> get_current_item(const std::string& forum_id) = 0;
  // not_found if the forum does not exist or item_id is not one of its items.
  virtual Status set_current_item(const std::string& forum_id, std::optional<int64_t> item_id,
                                  int64_t now_ms, const AuditEntry& audit) = 0;
};

}  // namespace forumcast
