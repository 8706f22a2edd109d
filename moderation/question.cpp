// moderation/question.cpp: string forms of the question enums, the transition table
// and the visibility rule. The table here is the single source of truth for which
// operation may move a question from which state; docs/moderation.md mirrors it.
#include "moderation/question.hpp"

#include <array>
#include <utility>

namespace forumcast::moderation {
namespace {

constexpr std::array<std::pair<QuestionState, std::string_view>, 6> kStates{{
    {QuestionState::pending, "pending"},
    {QuestionState::approved, "approved"},
    {QuestionState::rejected, "rejected"},
    {QuestionState::merged, "merged"},
    {QuestionState::on_air, "on_air"},
    {QuestionState::answered, "answered"},
}};
constexpr std::array<std::pair<QuestionCategory, std::string_view>, 3> kCategories{{
    {QuestionCategory::problem, "problem"},
    {QuestionCategory::need, "need"},
    {QuestionCategory::service, "service"},
}};
constexpr std::array<std::pair<QuestionSource, std::string_view>, 2> kSources{{
    {QuestionSource::resident, "resident"},
    {QuestionSource::offline, "offline"},
}};
constexpr std::array<std::pair<QuestionOp, std::string_view>, 6> kOps{{
    {QuestionOp::approve, "approve"},
    {QuestionOp::reject, "reject"},
    {QuestionOp::merge, "merge"},
    {QuestionOp::put_on_air, "put_on_air"},
    {QuestionOp::mark_answered, "mark_answered"},
    {QuestionOp::back_to_queue, "back_to_queue"},
}};

struct Transition {
  QuestionState from;
  QuestionOp op;
  QuestionState to;
};
using S = QuestionState;
using O = QuestionOp;
constexpr std::array<Transition, 10> kTransitions{{
    {S::pending, O::approve, S::approved},
    {S::pending, O::reject, S::rejected},
    {S::approved, O::reject, S::rejected},  // changed their mind after approving
    {S::pending, O::merge, S::merged},
    {S::approved, O::merge, S::merged},
    {S::approved, O::put_on_air, S::on_air},
    {S::answered, O::put_on_air, S::on_air},  // the panel comes back to it
    {S::on_air, O::mark_answered, S::answered},
    {S::on_air, O::back_to_queue, S::approved},   // taken off air unanswered
    {S::approved, O::back_to_queue, S::pending},  // back to the moderation queue
}};
// rejected -> pending (undo a rejection) is also back_to_queue:
constexpr Transition kUnreject{S::rejected, O::back_to_queue, S::pending};

template <class E, size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& t, E e) {
  for (const auto& [k, v] : t)
    if (k == e) return v;
  return "unknown";
}
template <class E, size_t N>
std::optional<E> parse(const std::array<std::pair<E, std::string_view>, N>& t, std::string_view s) {
  for (const auto& [k, v] : t)
    if (v == s) return k;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(QuestionState s) {
  return name_of(kStates, s);
}
std::string_view to_string(QuestionCategory c) {
  return name_of(kCategories, c);
}
std::string_view to_string(QuestionSource s) {
  return name_of(kSources, s);
}
std::string_view to_string(QuestionOp op) {
  return name_of(kOps, op);
}
std::optional<QuestionState> question_state_from_string(std::string_view s) {
  return parse(kStates, s);
}
std::optional<QuestionCategory> question_category_from_string(std::string_view s) {
  return parse(kCategories, s);
}
std::optional<QuestionSource> question_source_from_string(std::string_view s) {
  return parse(kSources, s);
}

std::optional<QuestionState> transition_target(QuestionState from, QuestionOp op) {
  for (const auto& t : kTransitions)
    if (t.from == from && t.op == op) return t.to;
  if (kUnreject.from == from && kUnreject.op == op) return kUnreject.to;
  return std::nullopt;
}

bool visible_to(const Question& q, const Actor& who) {
  if (who.is_staff()) return true;
  bool public_state = q.state == QuestionState::approved || q.state == QuestionState::on_air ||
                      q.state == QuestionState::answered;
  if (public_state) return true;
  return who.role == Role::resident && !who.device_hash.empty() &&
         who.device_hash == q.asker_device_hash;
}

}  // namespace forumcast::moderation
