// moderation/comment_gate.cpp: bans -> slow mode -> filter -> pre-moderation -> delay.
#include "moderation/comment_gate.hpp"

#include "moderation/errors.hpp"

namespace forumcast::moderation {
namespace {

Error err(std::string_view code, std::string message) {
  return make_error(std::string(code), std::move(message));
}

}  // namespace

std::string_view to_string(CommentVerdict v) {
  switch (v) {
    case CommentVerdict::deliver:
      return "deliver";
    case CommentVerdict::hold:
      return "hold";
    case CommentVerdict::refuse:
      return "refuse";
  }
  return "refuse";
}

CommentGate::CommentGate(const Clock& clock, const TermFilter& filter, BanList& bans,
                         SlowMode& slow)
    : clock_(clock), filter_(filter), bans_(bans), slow_(slow) {}

CommentDecision CommentGate::decide(const CommentAuthor& who, std::string_view text,
                                    const ModerationSettings& settings) {
  CommentDecision d;
  if (who.role != Role::resident) {
    d.text.assign(text);
    return d;
  }
  auto refuse = [&](std::string_view code, std::string message) {
    d.verdict = CommentVerdict::refuse;
    d.error = err(code, std::move(message));
    return d;
  };

  // 1. Bans and timeouts: device, or the connection's address.
  if (auto b = bans_.check(who.device_hash, who.ip)) {
    if (b->kind == BanKind::ban) return refuse(errc::banned, "you cannot comment in this forum");
    d.retry_after_ms = *b->expires_ms - clock_.wall_ms();
    return refuse(errc::timed_out, "you are timed out; try again later");
  }
  // 2. Slow mode (the interval follows the forum settings).
  if (slow_.interval() != settings.slow_mode_ms) slow_.set_interval(settings.slow_mode_ms);
  SlowDecision s = slow_.try_post(who.device_hash);
  if (!s.allowed) {
    d.retry_after_ms = s.retry_after_ms;
    return refuse(errc::rate_limited, "slow mode: wait before commenting again");
  }
  // 3. Blocked terms.
  FilterResult f = filter_.check(text);
  d.matches = std::move(f.matches);
  d.text = std::move(f.masked_text);
  if (f.action == TermAction::timeout) {
    Actor system{Role::moderator, "system", {}};
    BanRequest req{BanKind::timeout, who.device_hash, {}, f.timeout_ms, "blocked term", false};
    if (auto r = bans_.add(system, req)) d.timeout_applied = *r;
    d.retry_after_ms = f.timeout_ms;
    return refuse(errc::blocked_term, "this comment contains a blocked term");
  }
  if (f.action == TermAction::reject)
    return refuse(errc::blocked_term, "this comment contains a blocked term");
  if (f.action == TermAction::hold) {
    d.verdict = CommentVerdict::hold;
    d.hold_reason = "filter";
    return d;
  }
  // 4. Pre-moderation, 5. chat delay.
  if (settings.comments_premoderated) {
    d.verdict = CommentVerdict::hold;
    d.hold_reason = "premoderation";
    return d;
  }
  d.deliver_after_ms = settings.chat_delay_ms;
  return d;
}

}  // namespace forumcast::moderation
