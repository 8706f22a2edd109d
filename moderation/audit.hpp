// moderation/audit.hpp: AuditEntry values (core/domain.hpp) for every moderator and
// organizer action in moderation: question operations, settings, blocked-term edits,
// bans and unbans, comment hide/unhide. Actions are "<area>.<op>" (question.approve,
// settings.update, terms.update, ban.add, ban.lift, comment.hide, ...); before/after
// are JSON text. Writing them is the caller's (AuditStore).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain.hpp"
#include "moderation/bans.hpp"
#include "moderation/question.hpp"
#include "moderation/settings.hpp"
#include "moderation/term_filter.hpp"

namespace forumcast::moderation {

AuditEntry make_audit(std::string forum_id, const Actor& who, std::string action,
                      std::string target, std::string before_json, std::string after_json,
                      int64_t at_ms, std::optional<int64_t> stream_ms = {});

// action "question.<op>", target "question:<id>".
AuditEntry audit_question(const std::string& forum_id, const QuestionHistoryEntry& h);
AuditEntry audit_settings(const std::string& forum_id, const Actor& who,
                          const ModerationSettings& before, const ModerationSettings& after,
                          int64_t at_ms);
AuditEntry audit_terms(const std::string& forum_id, const Actor& who,
                       const std::vector<BlockedTerm>& before,
                       const std::vector<BlockedTerm>& after, int64_t at_ms);
AuditEntry audit_ban(const Actor& who, const BanRecord& r);  // ban.add / timeout.add
AuditEntry audit_unban(const Actor& who, const BanRecord& r, int64_t at_ms);
// hidden: true for comment.hide, false for comment.unhide.
AuditEntry audit_comment_visibility(const std::string& forum_id, const Actor& who,
                                    int64_t comment_id, bool hidden, int64_t at_ms,
                                    std::optional<int64_t> stream_ms = {});

std::string to_json(const std::vector<BlockedTerm>& terms);
std::string to_json(const BanRecord& r);

}  // namespace forumcast::moderation
