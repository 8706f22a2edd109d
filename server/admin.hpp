// server/admin.hpp: the data-changing operations shared by the CLI and the HTTP
// API (create, edit a forum and change its state, its panel roster and agenda,
// add/disable a staff account), each
// validated and written to the audit log with its actor ("cli", an account name,
// "system"). Also the URLs a forum is reached at. No HTTP or CLI parsing here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/domain.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace forumcast {

struct NewForum {
  std::string title;      // 1..120 characters after cleaning
  std::string topic;      // 0..500 characters
  std::string starts_at;  // "" or RFC 3339 ("2026-12-05T14:00:00+08:00")
  std::string id;         // "" = a new random id (the demo uses a fixed one)
  ForumState state = ForumState::draft;
};

// Errors: "invalid_argument" (with the field in the message), store errors.
Result<Forum> create_forum(Store& store, const Clock& clock, const NewForum& f,
                           const std::string& actor);
Result<Forum> set_forum_state(Store& store, const Clock& clock, const std::string& id,
                              ForumState state, const std::string& actor);

// A change of a forum's title, topic or start time: fields left nullopt keep their
// value; the same rules as create_forum. Audited "forum.edit" (before, after).
// Errors: "invalid_argument", "forum_archived" (read-only), "not_found".
struct ForumEdit {
  std::optional<std::string> title;
  std::optional<std::string> topic;
  std::optional<std::string> starts_at;
};
Result<Forum> edit_forum(Store& store, const Clock& clock, const std::string& id,
                         const ForumEdit& edit, const std::string& actor);

// Panel roster and agenda (store/forum_program_store.hpp). Limits are config keys
// forum.panel_max_members, forum.agenda_max_items, forum.agenda_max_minutes,
// forum.text_max_chars.
struct ProgramLimits {
  size_t panel_max_members = 30;
  size_t agenda_max_items = 50;
  int64_t agenda_max_minutes = 600;
  size_t text_max_chars = 120;
};
// Panel roles: secretary | expert | deputy | resident_representative ("resident_rep"
// is accepted and stored as resident_representative).
std::optional<std::string> panel_role_from_string(const std::string& role);
// Each replaces the whole list after validating every entry (names and titles
// cleaned, 1..text_max_chars; role known; minutes 0..agenda_max_minutes; agenda ids
// either 0 = new or one of the forum's items, no duplicates). Audited
// "forum.panel" / "forum.agenda" with the lists before and after. Errors:
// "invalid_argument", "too_many" (over a limit), "forum_archived", "not_found".
Result<std::vector<PanelRow>> replace_panel(Store& store, const Clock& clock,
                                            const std::string& forum_id,
                                            std::vector<PanelRow> panel,
                                            const ProgramLimits& limits, const std::string& actor);
Result<std::vector<AgendaRow>> replace_agenda(Store& store, const Clock& clock,
                                              const std::string& forum_id,
                                              std::vector<AgendaRow> agenda,
                                              const ProgramLimits& limits,
                                              const std::string& actor);
// Sets (or with nullopt clears) the item under discussion. Audited
// "forum.agenda_current". Errors: "not_found" (forum or item), "forum_archived".
Status set_current_agenda_item(Store& store, const Clock& clock, const std::string& forum_id,
                               std::optional<int64_t> item_id, const std::string& actor);

// Errors: "invalid_argument", "conflict" (name taken), store errors.
Result<Account> add_account(Store& store, const Clock& clock, const std::string& name, Role role,
                            const std::string& password, size_t password_min_chars,
                            const std::string& actor);
// Disables and revokes every session of the account.
Status disable_account(Store& store, const Clock& clock, const std::string& name,
                       const std::string& actor);
// Sets a new password, enables the account and revokes its sessions.
Status reset_password(Store& store, const Clock& clock, const std::string& name,
                      const std::string& password, const std::string& actor);

struct ForumUrls {
  std::string resident;   // <base>/f/<id>
  std::string moderator;  // <base>/mod/<id>
  std::string hls;        // <base>/hls/<id>/index.m3u8
  std::string rtmp;       // rtmp://<host>:<rtmp port>/live/<stream key>
  // srt://<host>:<srt port>?passphrase=<stream key>&pbkeylen=16, or "" when SRT is
  // off (stream.srt_ports empty) or the forum has no SRT port (docs/streaming.md).
  std::string srt;
};
ForumUrls forum_urls(const std::string& base_url, const Forum& f);
// The RTMP port forum_urls puts in `rtmp` (default 1935): the CLI sets the
// configured one ([stream] rtmp_listen), `serve` the bound one. Any thread.
void set_rtmp_url_port(int port);
// Whether forum_urls fills `srt` (default false): the CLI and `serve` set it
// from stream.enabled and stream.srt_ports. Any thread.
void set_srt_urls_enabled(bool on);

// Validation used by both paths.
bool valid_account_name(const std::string& name);  // 2..32 of [a-z0-9._-], starts alnum
bool valid_starts_at(const std::string& s);        // "" or RFC 3339 date-time

}  // namespace forumcast
