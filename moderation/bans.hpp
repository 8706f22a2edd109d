// moderation/bans.hpp: timeouts and bans of residents in one forum, keyed by device
// token hash and optionally an IP address, with expiry from an injected Clock (wall
// time, so records survive a restart). Display names play no part: a resident who
// reconnects under a new name with the same device, or from a banned IP, is still
// caught. Removing the author's comments (when asked) is chat/'s job; persistence
// (BanStore) and the audit entry (audit.hpp) are the caller's.
//
// Threading: not thread-safe; owned by the thread serving the forum.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "moderation/question.hpp"

namespace forumcast::moderation {

enum class BanKind { timeout, ban };
std::string_view to_string(BanKind k);
std::optional<BanKind> ban_kind_from_string(std::string_view s);

struct BanLimits {
  static constexpr int64_t kMinDurationMs = 1'000;
  static constexpr int64_t kMaxTimeoutMs = 7 * 24 * 3'600'000LL;  // a week
  static constexpr int64_t kMaxBanMs = 366 * 24 * 3'600'000LL;    // else permanent
  static constexpr size_t kMaxReasonChars = 200;
};

struct BanRequest {
  BanKind kind = BanKind::timeout;
  std::string device_hash;             // required
  std::string ip;                      // optional: also refuse this address
  std::optional<int64_t> duration_ms;  // required for timeout; none = permanent ban
  std::string reason;
  bool remove_comments = false;  // ask chat/ to remove their comments
};

struct BanRecord {
  int64_t id = 0;
  std::string forum_id;
  BanKind kind = BanKind::timeout;
  std::string device_hash;
  std::string ip;
  std::string reason;
  std::string actor;  // account name, or "system" for a filter timeout
  int64_t created_ms = 0;
  std::optional<int64_t> expires_ms;  // none = permanent
  bool remove_comments = false;
};

class BanList {
 public:
  BanList(std::string forum_id, const Clock& clock);

  // Staff only (forbidden otherwise); invalid_ban for a missing device or a duration
  // out of bounds. actor Role::organizer/moderator; the system (filters) may pass an
  // Actor with role moderator and name "system".
  Result<BanRecord> add(const Actor& who, BanRequest req);
  // Loads a stored record (start-up); expired ones are ignored.
  void restore(BanRecord r);
  // New ids continue after max_id (BanStore::max_ban_id, lifted records included).
  void reserve_ids_after(int64_t max_id) { next_id_ = std::max(next_id_, max_id + 1); }

  // The active record that applies to this device or address (the one lasting
  // longest), or none.
  std::optional<BanRecord> check(std::string_view device_hash, std::string_view ip = {}) const;
  // Lifts every active record of a device (not_found if there is none).
  Result<std::vector<BanRecord>> unban_device(const Actor& who, std::string_view device_hash);
  Result<BanRecord> lift(const Actor& who, int64_t ban_id);
  // Active records, oldest first. Drops expired ones first.
  std::vector<BanRecord> list();
  size_t prune();  // drops expired records; returns how many

 private:
  bool active(const BanRecord& r, int64_t now) const;
  void index(const BanRecord& r);
  void erase(int64_t id);

  std::string forum_id_;
  const Clock& clock_;
  int64_t next_id_ = 1;
  std::map<int64_t, BanRecord> records_;
  std::unordered_map<std::string, std::vector<int64_t>> by_device_;
  std::unordered_map<std::string, std::vector<int64_t>> by_ip_;
};

}  // namespace forumcast::moderation
