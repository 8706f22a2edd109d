// server/export_routes.hpp: GET /api/v1/forums/<id>/transcript?format=... (organizer
// only; docs/http-api.md "Transcripts"). http_api.cpp's /api/v1/forums/* route hands
// sub-paths it does not own to route_forum_followup, passing its gate (caller
// identification, CSRF rule, policy) so that the rules stay in one place.
// The transcript and the figures (per forum and across forums) are built on the
// export thread (FollowupRuntime::export_worker, one thread, so that a big export
// never stalls the network loop and live chat; the benchmark's 10,000-question forum
// takes 0.3-0.7 s of CPU): the caller is identified and authorised on the loop, the
// answer goes back through the HttpResponder (Loop::defer). At most
// export.max_concurrent such requests are in flight; more get 503 export_busy with
// Retry-After.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "core/clock.hpp"
#include "net/http.hpp"
#include "server/auth.hpp"
#include "server/policy.hpp"
#include "store/store.hpp"

namespace forumcast {

// The follow-through's policy actions (server/policy; kept as aliases for the
// routes written before the actions existed).
inline constexpr Action kExportTranscriptAction = Action::export_transcript;
inline constexpr Action kManageTicketsAction = Action::manage_tickets;
inline constexpr Action kManageWebhooksAction = Action::manage_webhooks;
inline constexpr Action kRateTicketAction = Action::rate_ticket;
inline constexpr Action kEditForumAction = Action::edit_forum;

// The caller if allowed, else the refusal to send (401/403/CSRF).
using FollowupGate = std::function<std::variant<Principal, net::HttpResponse>(Action)>;

// The transcript response for an already authorised caller: query parameters
// format (default json), lang (zh-CN|en), include_contacts=1 (audited),
// include_hidden=1. 400 bad format/lang, 404 unknown forum, 500 store/xlsx failure.
net::HttpResponse transcript_response(Store& store, const Clock& clock, const std::string& forum_id,
                                      const net::HttpRequest& req, const std::string& actor);

// Sub-paths of /api/v1/forums/<id>/ owned by the follow-through ("transcript", and
// server/forum_program_routes' "" (PATCH), panel, agenda, figures); nullopt when
// `sub` is not one of them.
std::optional<net::HttpResponse> route_forum_followup(Store& store, const Clock& clock,
                                                      const net::HttpRequest& req,
                                                      const std::string& forum_id,
                                                      const std::string& sub,
                                                      const FollowupGate& gate);

// GET /api/v1/forums/<id>/transcript and GET /api/v1/forums/<id>/figures, answered
// off the loop thread through `res`: true when taken (answered now or later), false
// when `sub`/method is not one of them (the caller goes on with its sync routes).
// Loop thread.
bool offload_forum_export(Store& store, const Clock& clock, const net::HttpRequest& req,
                          const std::string& forum_id, const std::string& sub,
                          const FollowupGate& gate, const net::HttpResponderPtr& res);

// Runs `work` on the export thread and answers `res` with its result (inline when
// serve set no export thread); 503 export_busy when export.max_concurrent requests
// are already in flight. Loop thread. Used by GET /api/v1/figures too.
void answer_off_loop(const net::HttpResponderPtr& res, std::function<net::HttpResponse()> work);

// Export/figures requests in flight now (running or queued); for logs and tests.
size_t exports_in_flight();

}  // namespace forumcast
