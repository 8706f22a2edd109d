// server/policy.hpp: the one place that decides what each kind of caller may do.
// Every HTTP route and every WebSocket operation names an Action and asks
// allowed(); nothing else in the code compares roles. Standard library only, so
// chat/ can be handed `allowed` as a function without depending on server/.
//
// Adding an action: one enumerator, one row in the table in policy.cpp, and a
// row in docs/http-api.md (or docs/protocol.md for WebSocket ops).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/domain.hpp"

namespace forumcast {

// Who is asking. Residents are identified by a device token; staff by a session.
enum class Caller { anonymous, resident, panelist, moderator, organizer };

enum class Action {
  view_public,         // landing page data: public forum list and views, /healthz
  register_device,     // POST /api/v1/device
  login,               // POST /api/v1/login
  view_self,           // GET /api/v1/me, POST /api/v1/logout
  participate,         // resident actions in a forum: comment, ask, vote (chat issue)
  view_presenter,      // the panel's screen of approved questions
  moderate,            // the moderation queue and its actions (chat/moderation issue)
  create_forum,        // POST /api/v1/forums
  change_forum_state,  // POST /api/v1/forums/<id>/state
  view_stream_key,     // GET /api/v1/forums/<id>/stream-key
  view_drafts,         // see forums in state draft
  list_users,          // GET /api/v1/users
  manage_users,        // add/disable accounts (CLI today)
  edit_blocked_terms,  // replace a forum's blocked-term list (WebSocket set_terms)
  export_transcript,   // GET /api/v1/forums/<id>/transcript, figures (issue 6)
  manage_tickets,      // create, list, move, assign, annotate tickets
  rate_ticket,         // a resident lists the tickets of their questions and rates them
  manage_webhooks,     // register, list, enable/disable webhook endpoints
  edit_forum,          // PATCH a forum, its panel roster and agenda, the current item
};

std::string_view to_string(Action a);
std::string_view to_string(Caller c);
Caller caller_for(Role r);

bool allowed(Caller who, Action what);

// The action a WebSocket op needs (docs/protocol.md, docs/moderation.md
// "Protocol"); nullopt for an op nobody may send.
std::optional<Action> action_for_ws_op(std::string_view op);

// Every action, for tests and docs.
const std::vector<Action>& all_actions();
const std::vector<Caller>& all_callers();

}  // namespace forumcast
