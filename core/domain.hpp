// core/domain.hpp: the nouns of forumcast (forums, accounts, sessions, devices,
// comments, audit entries) as plain structs with their string forms. Behaviour
// lives in the modules (moderation, followup, chat); persistence in store/.
// Later issues add their own types (questions, tickets) beside their modules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace forumcast {

enum class Role { resident, panelist, moderator, organizer };
std::string_view to_string(Role r);
std::optional<Role> role_from_string(std::string_view s);

// draft -> collecting -> live -> ended -> archived (see docs/lifecycle in followup)
enum class ForumState { draft, collecting, live, ended, archived };
std::string_view to_string(ForumState s);
std::optional<ForumState> forum_state_from_string(std::string_view s);

struct Forum {
  std::string id;  // 10 base32 chars, appears in URLs
  std::string title;
  std::string topic;      // may be empty
  std::string starts_at;  // RFC 3339 with offset as the organizer gave it; may be empty
  ForumState state = ForumState::draft;
  std::string stream_key;  // secret; only organizers see it
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  // The UDP port of the forum's SRT listener, assigned by `serve` from
  // stream.srt_ports while the forum can stream (docs/streaming.md, "SRT").
  std::optional<int> srt_port;
};

struct Account {
  int64_t id = 0;
  std::string name;  // unique login name
  Role role = Role::moderator;
  std::string password_hash;  // Argon2id encoded string (libsodium crypto_pwhash_str)
  bool disabled = false;
  int64_t created_ms = 0;
};

// A staff login. The token itself is never stored, only its SHA-256 hex.
struct Session {
  std::string token_hash;
  int64_t account_id = 0;
  std::string account_name;
  Role role = Role::moderator;
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  bool revoked = false;
};

// A resident's browser. The device token is kept by the browser; the store keeps
// only its hash, so a database leak does not let anyone impersonate a device.
struct Device {
  std::string token_hash;
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;
};

struct AuditEntry {
  int64_t id = 0;
  std::string forum_id;     // empty for global actions (accounts)
  std::string actor;        // account name, or "cli", or "system"
  std::string action;       // e.g. "forum.create", "user.disable"
  std::string target;       // what was acted on
  std::string before_json;  // state before, JSON text ("" if none)
  std::string after_json;   // state after, JSON text ("" if none)
  int64_t at_ms = 0;
  std::optional<int64_t> stream_ms;
};

}  // namespace forumcast
