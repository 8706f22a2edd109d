// server/forum_program_routes.hpp: the organizer's forum routes of the follow-through
// (docs/http-api.md "Forum edit, panel, agenda, figures"): PATCH a forum, its panel
// roster and agenda (CRUD, reorder, the item under discussion, pushed to the forum's
// viewers as the `agenda_current` event), and the accountability figures per forum
// and across forums. Also the process-wide follow-through settings and hooks that
// serve fills from the configuration before it listens (FollowupRuntime), read by
// these routes, the ticket routes and the transcript route.
// Handlers run on the loop thread and make short synchronous store calls; the
// figures (every question and ticket of a forum, without comments) are built on the
// export thread (server/export_routes).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "core/clock.hpp"
#include "followup/ticket_machine.hpp"
#include "followup/webhook_outbox.hpp"
#include "net/http.hpp"
#include "server/admin.hpp"
#include "server/auth.hpp"
#include "server/config.hpp"
#include "server/policy.hpp"
#include "server/transcript_builder.hpp"
#include "server/worker.hpp"
#include "store/store.hpp"

namespace forumcast {

struct FollowupRuntime {
  bool configured = false;              // set by followup_runtime_from (serve)
  followup::TicketPolicy tickets;       // [ticket]
  followup::RetryPolicy webhook_retry;  // [webhook] retry and URL rules
  size_t webhook_max_endpoints = 20;    // webhook.max_endpoints
  ProgramLimits program;                // [forum]
  TranscriptLimits transcript;          // export.max_comments
  std::function<void()> poke_webhooks;  // wakes the webhook worker (may be empty)
  // Publishes one event (JSON object text with "ev") on a forum's chat stream to
  // everyone watching it; may be empty (then clients poll GET .../agenda).
  std::function<void(const std::string& forum, const std::string& event_json)> publish;
  // Where transcript and figures requests are built, off the loop thread
  // (server/export_routes); null: on the calling thread. Set by serve, which keeps
  // it alive (and clears this) while the loop runs.
  Worker* export_worker = nullptr;
  size_t export_max_concurrent = 2;  // export.max_concurrent
};

// The settings above from the configuration (hooks left empty).
FollowupRuntime followup_runtime_from(const Config& c);
// The process's instance: serve sets it before the loop starts; read on the loop
// thread afterwards. Defaults (config defaults) until set.
FollowupRuntime& followup_runtime();

using ProgramGate = std::function<std::variant<Principal, net::HttpResponse>(Action)>;

// Sub-paths of /api/v1/forums/<id> owned here: "" (PATCH only), "program" (GET),
// "panel[/<pos>]",
// "agenda[/<item id>|/order|/current]", "figures"; nullopt when not one of them.
std::optional<net::HttpResponse> route_forum_program(Store& store, const Clock& clock,
                                                     const net::HttpRequest& req,
                                                     const std::string& forum_id,
                                                     const std::string& sub,
                                                     const ProgramGate& gate);

// GET /api/v1/forums/<id>/figures for an already authorised caller (404 unknown
// forum). Any thread.
net::HttpResponse forum_figures(Store& store, const Clock& clock, const std::string& forum_id);

// GET /api/v1/figures?by=compound|forum (organizer): figures across every forum
// that is not a draft.
net::HttpResponse cross_forum_figures(Store& store, const Clock& clock,
                                      const net::HttpRequest& req);

// The JSON event a forum's viewers receive when the item under discussion changes.
std::string agenda_current_event(const std::string& forum_id, const std::optional<AgendaRow>& item);

}  // namespace forumcast
