// moderation/bans.cpp: ban and timeout records with device and IP indexes.
#include "moderation/bans.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "moderation/errors.hpp"

namespace forumcast::moderation {
namespace {

Error err(std::string_view code, std::string message) {
  return make_error(std::string(code), std::move(message));
}

}  // namespace

std::string_view to_string(BanKind k) {
  return k == BanKind::ban ? "ban" : "timeout";
}

std::optional<BanKind> ban_kind_from_string(std::string_view s) {
  if (s == "ban") return BanKind::ban;
  if (s == "timeout") return BanKind::timeout;
  return std::nullopt;
}

BanList::BanList(std::string forum_id, const Clock& clock)
    : forum_id_(std::move(forum_id)), clock_(clock) {}

bool BanList::active(const BanRecord& r, int64_t now) const {
  return !r.expires_ms || *r.expires_ms > now;
}

void BanList::index(const BanRecord& r) {
  by_device_[r.device_hash].push_back(r.id);
  if (!r.ip.empty()) by_ip_[r.ip].push_back(r.id);
}

void BanList::erase(int64_t id) {
  auto it = records_.find(id);
  if (it == records_.end()) return;
  auto drop = [id](auto& map, const std::string& key) {
    auto m = map.find(key);
    if (m == map.end()) return;
    auto& v = m->second;
    v.erase(std::remove(v.begin(), v.end(), id), v.end());
    if (v.empty()) map.erase(m);
  };
  drop(by_device_, it->second.device_hash);
  if (!it->second.ip.empty()) drop(by_ip_, it->second.ip);
  records_.erase(it);
}

Result<BanRecord> BanList::add(const Actor& who, BanRequest req) {
  if (!who.is_staff()) return err(errc::forbidden, "only moderators and organizers may do this");
  if (req.device_hash.empty()) return err(errc::invalid_ban, "a ban needs the resident's device");
  if (!is_valid_utf8(req.reason) || count_chars(req.reason) > BanLimits::kMaxReasonChars)
    return err(errc::invalid_ban, "the reason must be valid UTF-8, at most 200 characters");
  if (req.kind == BanKind::timeout && !req.duration_ms)
    return err(errc::invalid_ban, "a timeout needs a duration");
  if (req.duration_ms) {
    int64_t max = req.kind == BanKind::timeout ? BanLimits::kMaxTimeoutMs : BanLimits::kMaxBanMs;
    if (*req.duration_ms < BanLimits::kMinDurationMs || *req.duration_ms > max)
      return err(errc::invalid_ban,
                 "duration must be between 1 s and " + std::to_string(max / 3'600'000) + " h");
  }
  BanRecord r;
  r.id = next_id_++;
  r.forum_id = forum_id_;
  r.kind = req.kind;
  r.device_hash = std::move(req.device_hash);
  r.ip = std::move(req.ip);
  r.reason = std::move(req.reason);
  r.actor = who.name;
  r.created_ms = clock_.wall_ms();
  if (req.duration_ms) r.expires_ms = r.created_ms + *req.duration_ms;
  r.remove_comments = req.remove_comments;
  index(r);
  records_.emplace(r.id, r);
  return r;
}

void BanList::restore(BanRecord r) {
  if (!active(r, clock_.wall_ms()) || records_.count(r.id)) return;
  next_id_ = std::max(next_id_, r.id + 1);
  index(r);
  int64_t id = r.id;
  records_.emplace(id, std::move(r));
}

std::optional<BanRecord> BanList::check(std::string_view device_hash, std::string_view ip) const {
  int64_t now = clock_.wall_ms();
  const BanRecord* best = nullptr;
  auto consider = [&](const auto& map, std::string_view key) {
    if (key.empty()) return;
    auto m = map.find(std::string(key));
    if (m == map.end()) return;
    for (int64_t id : m->second) {
      const BanRecord& r = records_.at(id);
      if (!active(r, now)) continue;
      bool longer =
          !best || (best->expires_ms && (!r.expires_ms || *r.expires_ms > *best->expires_ms));
      if (longer) best = &r;
    }
  };
  consider(by_device_, device_hash);
  consider(by_ip_, ip);
  if (!best) return std::nullopt;
  return *best;
}

Result<std::vector<BanRecord>> BanList::unban_device(const Actor& who,
                                                     std::string_view device_hash) {
  if (!who.is_staff()) return err(errc::forbidden, "only moderators and organizers may do this");
  int64_t now = clock_.wall_ms();
  std::vector<BanRecord> lifted;
  auto m = by_device_.find(std::string(device_hash));
  if (m != by_device_.end()) {
    std::vector<int64_t> ids = m->second;
    for (int64_t id : ids) {
      const BanRecord& r = records_.at(id);
      if (active(r, now)) lifted.push_back(r);
      erase(id);
    }
  }
  if (lifted.empty()) return err(errc::not_found, "this device is not banned");
  return lifted;
}

Result<BanRecord> BanList::lift(const Actor& who, int64_t ban_id) {
  if (!who.is_staff()) return err(errc::forbidden, "only moderators and organizers may do this");
  auto it = records_.find(ban_id);
  if (it == records_.end() || !active(it->second, clock_.wall_ms()))
    return err(errc::not_found, "no active ban #" + std::to_string(ban_id));
  BanRecord r = it->second;
  erase(ban_id);
  return r;
}

size_t BanList::prune() {
  int64_t now = clock_.wall_ms();
  std::vector<int64_t> dead;
  for (const auto& [id, r] : records_)
    if (!active(r, now)) dead.push_back(id);
  for (int64_t id : dead) erase(id);
  return dead.size();
}

std::vector<BanRecord> BanList::list() {
  prune();
  std::vector<BanRecord> out;
  out.reserve(records_.size());
  for (const auto& [id, r] : records_) out.push_back(r);
  return out;
}

}  // namespace forumcast::moderation
