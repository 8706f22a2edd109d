// server/qr_routes.hpp: the forum's QR code as SVG for the printable poster
// (GET /api/v1/forums/<id>/qr.svg, anyone who may see the forum). The code holds the
// resident URL <public base>/f/<id> (server.public_url when set), encoded with
// libqrencode (error correction M), one square per module, a 4-module quiet zone,
// shape-rendering crispEdges so that it prints sharp at any size.
#pragma once

#include <optional>
#include <string>

#include "net/http.hpp"
#include "server/http_api.hpp"

namespace forumcast {

// The QR code of `text` as a standalone SVG document (viewBox in modules, no fixed
// size); nullopt when libqrencode refuses the text (too long for a QR code).
std::optional<std::string> qr_svg(const std::string& text);

// Answers /api/v1/forums/<id>/qr.svg (sub == "qr.svg"); nullopt for any other sub-path.
// Headers: Content-Type image/svg+xml, X-Forumcast-Url (the encoded URL).
std::optional<net::HttpResponse> route_forum_qr(ApiContext& ctx, const net::HttpRequest& req,
                                                const std::string& forum_id, const std::string& sub);

}  // namespace forumcast
