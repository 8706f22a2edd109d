// core/domain.cpp: string forms of the domain enums (used in JSON, SQL and CLI).
#include "core/domain.hpp"

#include <array>
#include <utility>

namespace forumcast {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles{{
    {Role::resident, "resident"},
    {Role::panelist, "panelist"},
    {Role::moderator, "moderator"},
    {Role::organizer, "organizer"},
}};

constexpr std::array<std::pair<ForumState, std::string_view>, 5> kStates{{
    {ForumState::draft, "draft"},
    {ForumState::collecting, "collecting"},
    {ForumState::live, "live"},
    {ForumState::ended, "ended"},
    {ForumState::archived, "archived"},
}};

template <class E, size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [k, v] : table)
    if (k == e) return v;
  return "unknown";
}

template <class E, size_t N>
std::optional<E> parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view s) {
  for (const auto& [k, v] : table)
    if (v == s) return k;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Role r) {
  return name_of(kRoles, r);
}
std::optional<Role> role_from_string(std::string_view s) {
  return parse(kRoles, s);
}
std::string_view to_string(ForumState s) {
  return name_of(kStates, s);
}
std::optional<ForumState> forum_state_from_string(std::string_view s) {
  return parse(kStates, s);
}

}  // namespace forumcast
