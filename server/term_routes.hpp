// server/term_routes.hpp: the blocked-term lists over HTTP (docs/http-api.md
// "Blocked terms"): the global list at /api/v1/terms and a forum's list at
// /api/v1/forums/<id>/terms. GET (moderators, organizers) lists; PUT replaces,
// POST adds or changes terms, DELETE ?term= removes one (organizers,
// edit_blocked_terms). Every change goes through moderation/term_lists (validated
// like the running filter, audited `terms.update` in the same transaction) and is
// picked up by every forum's running filter before its next comment.
// Handlers run on the loop thread (an organizer's rare edit; ~10 ms for 10,000 terms).
#pragma once

#include <optional>
#include <string>

#include "net/http.hpp"
#include "server/http_api.hpp"

namespace forumcast {

// /api/v1/terms; also points the cross-process change marker at the data directory.
void register_term_routes(net::HttpRouter& router, ApiContext& ctx);

// The answer for /api/v1/forums/<id>/<sub> when sub is "terms"; nullopt otherwise.
std::optional<net::HttpResponse> route_forum_terms(ApiContext& ctx, const net::HttpRequest& req,
                                                   const std::string& forum_id,
                                                   const std::string& sub);

// The marker file a CLI edit touches so that a running server on the same data
// directory reloads the lists (moderation::set_term_change_marker).
std::string term_change_marker_path(const Config& config);

}  // namespace forumcast
