// server/policy.cpp: the role x action table. Organizers may do everything a
// moderator may; panelists only see the presenter screen; residents participate;
// anonymous callers see public data, register a device and log in.
#include "server/policy.hpp"

#include <initializer_list>

namespace forumcast {
namespace {

struct Row {
  Action action;
  std::string_view name;
  std::initializer_list<Caller> callers;
};

using C = Caller;
const Row kTable[] = {
    {Action::view_public,
     "view_public",
     {C::anonymous, C::resident, C::panelist, C::moderator, C::organizer}},
    {Action::register_device,
     "register_device",
     {C::anonymous, C::resident, C::panelist, C::moderator, C::organizer}},
    {Action::login, "login", {C::anonymous, C::resident, C::panelist, C::moderator, C::organizer}},
    {Action::view_self, "view_self", {C::panelist, C::moderator, C::organizer}},
    {Action::participate, "participate", {C::resident}},
    {Action::view_presenter, "view_presenter", {C::panelist, C::moderator, C::organizer}},
    {Action::moderate, "moderate", {C::moderator, C::organizer}},
    {Action::create_forum, "create_forum", {C::organizer}},
    {Action::change_forum_state, "change_forum_state", {C::organizer}},
    {Action::view_stream_key, "view_stream_key", {C::organizer}},
    {Action::view_drafts, "view_drafts", {C::moderator, C::organizer}},
    {Action::list_users, "list_users", {C::organizer}},
    {Action::manage_users, "manage_users", {C::organizer}},
    {Action::edit_blocked_terms, "edit_blocked_terms", {C::organizer}},
    {Action::export_transcript, "export_transcript", {C::organizer}},
    {Action::manage_tickets, "manage_tickets", {C::moderator, C::organizer}},
    {Action::rate_ticket, "rate_ticket", {C::resident}},
    {Action::manage_webhooks, "manage_webhooks", {C::organizer}},
    {Action::edit_forum, "edit_forum", {C::organizer}},
};

// WebSocket ops -> actions (chat relay and moderation ops, issue 3 and 4).
struct OpRow {
  std::string_view op;
  Action action;
};
const OpRow kWsOps[] = {
    {"join", Action::view_public},
    {"leave", Action::view_public},
    {"ping", Action::view_public},
    {"questions", Action::view_public},
    {"settings", Action::view_public},
    {"comment", Action::participate},
    {"ask", Action::participate},
    {"follow_up", Action::participate},
    {"vote", Action::participate},
    {"unvote", Action::participate},
    {"offline_question", Action::moderate},
    {"approve", Action::moderate},
    {"reject", Action::moderate},
    {"edit", Action::moderate},
    {"merge", Action::moderate},
    {"categorise", Action::moderate},
    {"tag", Action::moderate},
    {"set_agenda_item", Action::moderate},
    {"on_air", Action::moderate},
    {"answered", Action::moderate},
    {"back_to_queue", Action::moderate},
    {"hide_comment", Action::moderate},
    {"unhide_comment", Action::moderate},
    {"held_comments", Action::moderate},
    {"approve_comment", Action::moderate},
    {"reject_comment", Action::moderate},
    {"timeout", Action::moderate},
    {"ban", Action::moderate},
    {"unban", Action::moderate},
    {"bans", Action::moderate},
    {"set_settings", Action::moderate},
    {"terms", Action::moderate},
    {"set_terms", Action::edit_blocked_terms},
};

const Row* row(Action a) {
  for (const auto& r : kTable)
    if (r.action == a) return &r;
  return nullptr;
}

}  // namespace

std::string_view to_string(Action a) {
  const Row* r = row(a);
  return r ? r->name : "unknown";
}

std::string_view to_string(Caller c) {
  switch (c) {
    case Caller::anonymous:
      return "anonymous";
    case Caller::resident:
      return "resident";
    case Caller::panelist:
      return "panelist";
    case Caller::moderator:
      return "moderator";
    case Caller::organizer:
      return "organizer";
  }
  return "unknown";
}

Caller caller_for(Role r) {
  switch (r) {
    case Role::resident:
      return Caller::resident;
    case Role::panelist:
      return Caller::panelist;
    case Role::moderator:
      return Caller::moderator;
    case Role::organizer:
      return Caller::organizer;
  }
  return Caller::anonymous;
}

bool allowed(Caller who, Action what) {
  const Row* r = row(what);
  if (!r) return false;  // an action without a row is allowed to nobody
  for (Caller c : r->callers)
    if (c == who) return true;
  return false;
}

std::optional<Action> action_for_ws_op(std::string_view op) {
  for (const auto& r : kWsOps)
    if (r.op == op) return r.action;
  return std::nullopt;
}

const std::vector<Action>& all_actions() {
  static const std::vector<Action> v = [] {
    std::vector<Action> out;
    for (const auto& r : kTable) out.push_back(r.action);
    return out;
  }();
  return v;
}

const std::vector<Caller>& all_callers() {
  static const std::vector<Caller> v = {C::anonymous, C::resident, C::panelist, C::moderator,
                                        C::organizer};
  return v;
}

}  // namespace forumcast
