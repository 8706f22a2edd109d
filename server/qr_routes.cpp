// server/qr_routes.cpp: QR code SVG for the poster (see qr_routes.hpp). Dark modules
// are merged into horizontal runs, one path for the whole code.
#include "server/qr_routes.hpp"

#include <qrencode.h>

#include <memory>
#include <variant>

#include "server/admin.hpp"

namespace forumcast {

std::optional<std::string> qr_svg(const std::string& text) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!code) return std::nullopt;
  const int n = code->width;
  const int quiet = 4;
  const int size = n + 2 * quiet;
  std::string path;
  for (int y = 0; y < n; ++y) {
    int x = 0;
    while (x < n) {
      if (!(code->data[y * n + x] & 1)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < n && (code->data[y * n + x + run] & 1)) ++run;
      path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  std::string s = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + s + "\" height=\"" + s +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
}

std::optional<net::HttpResponse> route_forum_qr(ApiContext& ctx, const net::HttpRequest& req,
                                                const std::string& forum_id,
                                                const std::string& sub) {
  if (sub != "qr.svg") return std::nullopt;
  if (req.method != "GET")
    return net::HttpResponse::error(405, "method_not_allowed", req.method + " not allowed here");
  auto g = gate_request(ctx, req, Action::view_public);
  if (auto* refusal = std::get_if<net::HttpResponse>(&g)) return *refusal;
  auto f = ctx.store.forums().get_forum(forum_id);
  if (!f || (f->state != ForumState::collecting && f->state != ForumState::live &&
             f->state != ForumState::ended &&
             !allowed(std::get<Principal>(g).caller, Action::view_drafts)))
    return net::HttpResponse::error(404, "not_found", "no forum " + forum_id);
  std::string url = forum_urls(ctx.base_url(), *f).resident;
  auto svg = qr_svg(url);
  if (!svg) return net::HttpResponse::error(500, "internal", "could not encode the QR code");
  net::HttpResponse r;
  r.status = 200;
  r.content_type = "image/svg+xml";
  r.body = std::move(*svg);
  r.headers.emplace_back("x-forumcast-url", url);
  return r;
}

}  // namespace forumcast
