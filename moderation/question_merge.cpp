// moderation/question_merge.cpp: merging a duplicate into another question and votes.
// Merge arithmetic: the target's voters become the union of both voter sets (a device
// that voted for both counts once); the source's asker and co-signers become co-signers
// of the target (never the target's own asker, never twice); the source's follow-ups
// move to the target's thread. The source keeps its own record, state merged.
#include <algorithm>

#include "moderation/errors.hpp"
#include "moderation/question_machine.hpp"

namespace forumcast::moderation {
namespace {

Error err(std::string_view code, std::string message) {
  return make_error(std::string(code), std::move(message));
}

bool same_person(const CoSigner& c, const Question& target) {
  return !c.device_hash.empty() && c.device_hash == target.asker_device_hash;
}

void add_co_signer(Question& target, CoSigner c) {
  if (same_person(c, target)) return;
  for (const auto& have : target.co_signers) {
    bool dup = c.device_hash.empty() ? have.question_id == c.question_id
                                     : have.device_hash == c.device_hash;
    if (dup) return;
  }
  target.co_signers.push_back(std::move(c));
}

}  // namespace

Result<QuestionChange> QuestionMachine::merge(const Actor& who, int64_t source_id,
                                              int64_t target_id) {
  auto se = find_for(who, source_id, /*staff_only=*/true);
  if (!se) return se.error();
  auto te = find_for(who, target_id, true);
  if (!te) return te.error();
  Entry& src = **se;
  Entry& dst = **te;
  auto to = transition_target(src.q.state, QuestionOp::merge);
  if (!to)
    return err(errc::illegal_transition,
               "cannot merge a " + std::string(to_string(src.q.state)) + " question");
  if (source_id == target_id)
    return err(errc::invalid_merge, "cannot merge a question into itself");
  if (dst.q.state == QuestionState::merged || dst.q.state == QuestionState::rejected)
    return err(errc::invalid_merge,
               "cannot merge into a " + std::string(to_string(dst.q.state)) + " question");
  if (src.q.is_follow_up() != dst.q.is_follow_up())
    return err(errc::invalid_merge,
               "merge questions into questions and follow-ups into follow-ups");

  Stamp at = now();
  QuestionChange change;
  const std::initializer_list<std::string_view> kTargetFields = {"votes", "co_signers"};

  // The source.
  Question src_before = src.q;
  src.q.state = *to;
  src.q.merged_into = target_id;
  src.q.updated_ms = at.wall_ms;
  src.q.updated_stream_ms = at.stream_ms;
  record(change, src_before, src.q, "merge", who, at, {"state", "merged_into"});

  // The target: votes (union) and co-signers.
  Question dst_before = dst.q;
  dst.voters.insert(src.voters.begin(), src.voters.end());
  dst.q.votes = static_cast<int64_t>(dst.voters.size());
  add_co_signer(dst.q,
                CoSigner{src.q.id, src.q.asker_device_hash, src.q.display_name, src.q.compound});
  for (const auto& c : src.q.co_signers) add_co_signer(dst.q, c);
  dst.q.updated_ms = at.wall_ms;
  dst.q.updated_stream_ms = at.stream_ms;
  record(change, dst_before, dst.q, "merged_in", who, at, kTargetFields);

  // The source's follow-ups join the target's thread.
  for (auto& [id, e] : entries_) {
    if (e.q.parent_id != source_id) continue;
    Question before = e.q;
    e.q.parent_id = target_id;
    e.q.updated_ms = at.wall_ms;
    e.q.updated_stream_ms = at.stream_ms;
    record(change, before, e.q, "reparent", who, at, {"parent_id"});
  }
  return change;
}

Result<VoteChange> QuestionMachine::change_vote(const Actor& who, int64_t id, bool add) {
  if (who.role != Role::resident || who.device_hash.empty())
    return err(errc::forbidden, "only residents vote");
  auto it = entries_.find(id);
  if (it == entries_.end()) return err(errc::not_found, "no question #" + std::to_string(id));
  Entry& e = it->second;
  if (e.q.state != QuestionState::approved && e.q.state != QuestionState::on_air)
    return err(errc::not_votable,
               "cannot vote on a " + std::string(to_string(e.q.state)) + " question");
  if (add && !e.voters.insert(who.device_hash).second)
    return err(errc::already_voted, "you already voted for this question");
  if (!add && e.voters.erase(who.device_hash) == 0)
    return err(errc::not_voted, "you have not voted for this question");
  e.q.votes = static_cast<int64_t>(e.voters.size());
  // Votes do not touch updated_ms or history: they are stored as vote rows.
  return VoteChange{id, e.q.votes, add, clock_.wall_ms()};
}

Result<VoteChange> QuestionMachine::vote(const Actor& who, int64_t id) {
  return change_vote(who, id, true);
}

Result<VoteChange> QuestionMachine::unvote(const Actor& who, int64_t id) {
  return change_vote(who, id, false);
}

}  // namespace forumcast::moderation
