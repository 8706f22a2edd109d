// moderation/comment_gate.hpp: the one decision chat/ asks for each resident comment,
// combining bans and timeouts, slow mode, the blocked-term filter, comment
// pre-moderation and the chat delay, in that order. It decides; chat/ does: stores,
// delivers (after deliver_after_ms), queues held comments for moderators, answers the
// client with the error (and retry_after_ms), and persists + audits a timeout the
// filter applied. Text validation (UTF-8, NFC, length) is chat/'s, before this.
//
// Threading: like BanList and SlowMode, owned by the thread serving the forum.
// The TermFilter may be shared with other threads (see term_filter.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/domain.hpp"
#include "core/result.hpp"
#include "moderation/bans.hpp"
#include "moderation/settings.hpp"
#include "moderation/slow_mode.hpp"
#include "moderation/term_filter.hpp"

namespace forumcast::moderation {

struct CommentAuthor {
  Role role = Role::resident;
  std::string device_hash;  // residents
  std::string ip;           // the connection's address, for IP bans
};

enum class CommentVerdict {
  deliver,  // store and deliver (after deliver_after_ms)
  hold,     // store hidden, put in the moderation queue with the matches
  refuse,   // do not store; answer the client with `error`
};
std::string_view to_string(CommentVerdict v);

struct CommentDecision {
  CommentVerdict verdict = CommentVerdict::deliver;
  std::string text;                // to store/deliver: masked when a mask term matched
  int64_t deliver_after_ms = 0;    // the forum's chat delay (0 for staff)
  std::string hold_reason;         // "filter" or "premoderation" when held
  std::vector<TermMatch> matches;  // for the moderator queue ("matched term shown")
  std::optional<Error> error;      // refuse: banned, timed_out, rate_limited, blocked_term
  int64_t retry_after_ms = 0;      // rate_limited / timed_out
  std::optional<BanRecord> timeout_applied;  // a timeout term matched: persist + audit it
};

class CommentGate {
 public:
  CommentGate(const Clock& clock, const TermFilter& filter, BanList& bans, SlowMode& slow);

  // Staff (moderator, organizer, panelist) pass straight through, undelayed.
  CommentDecision decide(const CommentAuthor& who, std::string_view text,
                         const ModerationSettings& settings);

 private:
  const Clock& clock_;
  const TermFilter& filter_;
  BanList& bans_;
  SlowMode& slow_;
};

}  // namespace forumcast::moderation
