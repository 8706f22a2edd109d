// moderation/audit.cpp: builds AuditEntry values with JSON before/after.
#include "moderation/audit.hpp"

#include <nlohmann/json.hpp>

namespace forumcast::moderation {

AuditEntry make_audit(std::string forum_id, const Actor& who, std::string action,
                      std::string target, std::string before_json, std::string after_json,
                      int64_t at_ms, std::optional<int64_t> stream_ms) {
  AuditEntry a;
  a.forum_id = std::move(forum_id);
  a.actor = who.name.empty() ? std::string(forumcast::to_string(who.role)) : who.name;
  a.action = std::move(action);
  a.target = std::move(target);
  a.before_json = std::move(before_json);
  a.after_json = std::move(after_json);
  a.at_ms = at_ms;
  a.stream_ms = stream_ms;
  return a;
}

AuditEntry audit_question(const std::string& forum_id, const QuestionHistoryEntry& h) {
  AuditEntry a;
  a.forum_id = forum_id;
  a.actor = h.actor;
  a.action = "question." + h.op;
  a.target = "question:" + std::to_string(h.question_id);
  a.before_json = h.before_json;
  a.after_json = h.after_json;
  a.at_ms = h.at_ms;
  a.stream_ms = h.stream_ms;
  return a;
}

AuditEntry audit_settings(const std::string& forum_id, const Actor& who,
                          const ModerationSettings& before, const ModerationSettings& after,
                          int64_t at_ms) {
  return make_audit(forum_id, who, "settings.update", "forum:" + forum_id, to_json(before),
                    to_json(after), at_ms);
}

std::string to_json(const std::vector<BlockedTerm>& terms) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& t : terms) {
    nlohmann::json j = {{"term", t.term}, {"action", std::string(to_string(t.action))}};
    if (t.action == TermAction::timeout) j["timeout_ms"] = t.timeout_ms;
    a.push_back(std::move(j));
  }
  return a.dump();
}

AuditEntry audit_terms(const std::string& forum_id, const Actor& who,
                       const std::vector<BlockedTerm>& before,
                       const std::vector<BlockedTerm>& after, int64_t at_ms) {
  return make_audit(forum_id, who, "terms.update", forum_id.empty() ? "terms" : "terms:" + forum_id,
                    to_json(before), to_json(after), at_ms);
}

std::string to_json(const BanRecord& r) {
  // The device hash identifies the device without revealing its token; the IP is
  // personal data kept for organizers only (the audit log is organizer-only).
  nlohmann::json j = {
      {"id", r.id},
      {"kind", std::string(to_string(r.kind))},
      {"device_hash", r.device_hash},
      {"ip", r.ip},
      {"reason", r.reason},
      {"created_ms", r.created_ms},
      {"expires_ms", r.expires_ms ? nlohmann::json(*r.expires_ms) : nlohmann::json()},
      {"remove_comments", r.remove_comments}};
  return j.dump();
}

AuditEntry audit_ban(const Actor& who, const BanRecord& r) {
  return make_audit(r.forum_id, who, std::string(to_string(r.kind)) + ".add",
                    "device:" + r.device_hash, "", to_json(r), r.created_ms);
}

AuditEntry audit_unban(const Actor& who, const BanRecord& r, int64_t at_ms) {
  return make_audit(r.forum_id, who, std::string(to_string(r.kind)) + ".lift",
                    "device:" + r.device_hash, to_json(r), "", at_ms);
}

AuditEntry audit_comment_visibility(const std::string& forum_id, const Actor& who,
                                    int64_t comment_id, bool hidden, int64_t at_ms,
                                    std::optional<int64_t> stream_ms) {
  nlohmann::json before = {{"hidden", !hidden}}, after = {{"hidden", hidden}};
  return make_audit(forum_id, who, hidden ? "comment.hide" : "comment.unhide",
                    "comment:" + std::to_string(comment_id), before.dump(), after.dump(), at_ms,
                    stream_ms);
}

}  // namespace forumcast::moderation
