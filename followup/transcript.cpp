// followup/transcript.cpp: string forms of the transcript and ticket enums, and
// the small lookups the writers share. The strings are the wire/JSON values
// documented in docs/transcript.md; changing one is a schema change.
#include "followup/transcript.hpp"

#include <array>

namespace forumcast::followup {
namespace {

template <class E, size_t N>
std::optional<E> parse(std::string_view s, const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 6> kTicketStates = {"open",     "assigned", "in_progress",
                                                           "resolved", "closed",   "reopened"};
constexpr std::array<std::string_view, 3> kTicketCategories = {"problem", "need", "service"};
constexpr std::array<std::string_view, 4> kPanelRoles = {"secretary", "expert", "deputy",
                                                         "resident_representative"};
constexpr std::array<std::string_view, 6> kQuestionStatees = {"pending", "approved", "rejected",
                                                              "merged",  "on_air",   "answered"};
constexpr std::array<std::string_view, 4> kQuestionCategories = {"", "problem", "need", "service"};

}  // namespace

std::string_view to_string(TicketState s) {
  return kTicketStates[static_cast<size_t>(s)];
}
std::optional<TicketState> ticket_state_from_string(std::string_view s) {
  return parse<TicketState>(s, kTicketStates);
}
std::string_view to_string(TicketCategory c) {
  return kTicketCategories[static_cast<size_t>(c)];
}
std::optional<TicketCategory> ticket_category_from_string(std::string_view s) {
  return parse<TicketCategory>(s, kTicketCategories);
}
std::string_view to_string(Assignee::Kind k) {
  return k == Assignee::Kind::department ? "department" : "worker";
}
std::string_view to_string(PanelRole r) {
  return kPanelRoles[static_cast<size_t>(r)];
}
std::optional<PanelRole> panel_role_from_string(std::string_view s) {
  return parse<PanelRole>(s, kPanelRoles);
}
std::string_view to_string(QuestionState s) {
  return kQuestionStatees[static_cast<size_t>(s)];
}
std::optional<QuestionState> question_state_from_string(std::string_view s) {
  return parse<QuestionState>(s, kQuestionStatees);
}
std::string_view to_string(QuestionCategory c) {
  return kQuestionCategories[static_cast<size_t>(c)];
}
std::optional<QuestionCategory> question_category_from_string(std::string_view s) {
  return parse<QuestionCategory>(s, kQuestionCategories);
}

const AgendaItem* find_agenda_item(const Transcript& t, std::optional<int64_t> id) {
  if (!id) return nullptr;
  for (const auto& a : t.agenda)
    if (a.id == *id) return &a;
  return nullptr;
}

std::optional<int64_t> thread_of(const Transcript& t, int64_t question_id) {
  for (const auto& q : t.questions) {
    if (q.id == question_id) return q.id;
    for (const auto& f : q.follow_ups)
      if (f.id == question_id) return q.id;
  }
  return std::nullopt;
}

}  // namespace forumcast::followup
