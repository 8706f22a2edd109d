// server/media_routes.cpp: see media_routes.hpp. Only routing, auth and headers
// here; file names, MIME types and cache policy come from stream/media_files.
#include "server/media_routes.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "net/http.hpp"
#include "server/http_api.hpp"
#include "stream/media_files.hpp"
#include "stream/stream_service.hpp"

namespace forumcast {
namespace {

using net::HttpRequest;
using net::HttpResponderPtr;
using net::HttpResponse;

HttpResponse disabled() {
  return HttpResponse::error(404, "stream_disabled", "video is turned off ([stream] enabled)");
}

// "/rec/<id>/download.mp4" -> id, or "" if the path has another shape.
std::string download_forum(const std::string& path) {
  const std::string pre = "/rec/", suf = "/download.mp4";
  if (path.size() <= pre.size() + suf.size() || path.rfind(pre, 0) != 0 ||
      path.compare(path.size() - suf.size(), suf.size(), suf) != 0)
    return "";
  std::string id = path.substr(pre.size(), path.size() - pre.size() - suf.size());
  return stream::valid_forum_id(id) ? id : "";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void serve_media(stream::StreamService* svc, const std::string& data_dir, const HttpRequest& req,
                 HttpResponderPtr res) {
  if (!svc) return res->respond(disabled());
  auto f = stream::resolve_media_file(data_dir, req.path);
  if (!f) return res->respond(HttpResponse::error(404, "not_found", "nothing at " + req.path));
  if (f->playlist) svc->note_viewer(f->forum_id, req.peer_ip + " " + req.header("user-agent"));
  HttpResponse r;
  r.content_type = f->content_type;
  r.file_path = f->fs_path;
  r.headers.emplace_back("cache-control", f->cache_control);
  res->respond(std::move(r));
}

void serve_download(stream::StreamService* svc, const std::string& data_dir, const std::string& id,
                    Worker& worker, HttpResponderPtr res) {
  worker.post([svc, data_dir, id, res] {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::path(data_dir) / "exports";
    std::filesystem::create_directories(dir, ec);
    std::string out = (dir / (id + ".mp4")).string();
    std::string tmp = out + ".part";
    Status st = svc->export_mp4(id, tmp);
    if (!st) {
      std::filesystem::remove(tmp, ec);
      res->respond(HttpResponse::error(404, "recording_not_found",
                                       "no recording for forum " + id + ": " + st.error().message));
      return;
    }
    std::filesystem::rename(tmp, out, ec);
    if (ec) {
      res->respond(HttpResponse::error(500, "export_failed", ec.message()));
      return;
    }
    HttpResponse r;
    r.content_type = "video/mp4";
    r.file_path = out;
    r.headers.emplace_back("content-disposition",
                           "attachment; filename=\"forumcast-" + id + ".mp4\"");
    r.headers.emplace_back("cache-control", "no-cache");
    res->respond(std::move(r));
  });
}

}  // namespace

static nlohmann::json health_json(const stream::StreamHealth& h) {
  return {{"state", h.state},
          {"remote", h.remote},
          {"video_codec", h.video_codec},
          {"audio_codec", h.audio_codec},
          {"width", h.width},
          {"height", h.height},
          {"fps", h.fps},
          {"bitrate_bps", h.bitrate_bps},
          {"keyframe_interval_s", h.keyframe_interval_s},
          {"bytes_in", h.bytes_in},
          {"uptime_ms", h.uptime_ms},
          {"reconnects", h.reconnects},
          {"stream_ms", h.stream_ms},
          {"first_playlist_ms", h.first_playlist_ms},
          {"segments", h.segments},
          {"viewers", h.viewers}};
}

std::string stream_health_json(const stream::StreamHealth& h) {
  return health_json(h).dump();
}

namespace {

// /api/v1/stream/<id>/{health,recording} (GET: organizer or moderator) and
// /api/v1/stream/<id>/rotate-key (POST: organizer; cookie callers need a same-origin
// application/json request, as for every other mutating route).
HttpResponse staff_api(const MediaRouteDeps& d, const HttpRequest& req) {
  if (!d.svc) return disabled();
  bool via_cookie = false;
  std::string token = request_token(req, &via_cookie);
  Principal p = token.empty() ? Principal{} : d.auth.identify(token);
  const std::string pre = "/api/v1/stream/";
  std::string rest = req.path.substr(pre.size());
  size_t slash = rest.find('/');
  std::string id = rest.substr(0, slash);
  std::string what = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (what == "status" && stream::valid_forum_id(id)) {  // public: what a player may load
    if (req.method != "GET")
      return HttpResponse::error(405, "method_not_allowed", req.method + " not allowed here");
    std::error_code ec;
    bool live = d.svc->stream_ms(id).has_value() &&
                std::filesystem::exists(d.svc->hls_dir(id) + "/index.m3u8", ec);
    bool rec = std::filesystem::exists(d.svc->recording_dir(id) + "/index.m3u8", ec);
    return HttpResponse::json(200, nlohmann::json{{"live", live}, {"recording", rec}}.dump());
  }
  const bool get = what == "health" || what == "recording";
  if (!stream::valid_forum_id(id) || (!get && what != "rotate-key"))
    return HttpResponse::error(404, "not_found", "nothing at " + req.path);
  if ((get && req.method != "GET") || (!get && req.method != "POST"))
    return HttpResponse::error(405, "method_not_allowed", req.method + " not allowed here");
  if (p.caller == Caller::anonymous)
    return HttpResponse::error(401, "unauthorized",
                               token.empty() ? "log in first" : "session expired or unknown");
  const bool staff = p.caller == Caller::organizer || (get && p.caller == Caller::moderator);
  if (!staff) return HttpResponse::error(403, "forbidden", "your role may not do this");

  if (what == "rotate-key") {
    if (via_cookie) {
      std::string origin = req.header("origin");
      std::vector<std::string> allowed = d.config.server.allowed_origins;
      if (!d.config.server.public_url.empty()) allowed.push_back(d.config.base_url());
      if (req.header("content-type").rfind("application/json", 0) != 0 ||
          (!origin.empty() && !net::origin_allowed(origin, req.header("host"), allowed)))
        return HttpResponse::error(403, "csrf",
                                   "cross-site request refused (needs application/json from "
                                   "the same origin)");
    }
    auto key = d.rotate_key(id);
    if (!key)
      return HttpResponse::error(key.error().code == "not_found" ? 404 : 500, key.error().code,
                                 key.error().message);
    return HttpResponse::json(200, nlohmann::json{{"id", id}, {"stream_key", key.value()}}.dump());
  }
  if (what == "health") return HttpResponse::json(200, health_json(d.svc->health(id)).dump());
  stream::DiskUsage du = d.svc->disk_usage();
  auto it = du.per_forum.find(id);
  RecordingSummary s;
  std::string playlist = d.svc->recording_dir(id) + "/index.m3u8";
  if (std::filesystem::exists(playlist)) s = summarize_playlist(read_text(playlist));
  nlohmann::json j = {{"forum_id", id},
                      {"duration_s", s.duration_s},
                      {"segments", s.segments},
                      {"sessions", s.sessions},
                      {"ended", s.ended},
                      {"bytes", it == du.per_forum.end() ? 0 : it->second},
                      {"total_bytes", du.total_bytes},
                      {"playlist", "/rec/" + id + "/index.m3u8"},
                      {"download", "/rec/" + id + "/download.mp4"}};
  return HttpResponse::json(200, j.dump());
}

}  // namespace

RecordingSummary summarize_playlist(const std::string& m3u8) {
  RecordingSummary s;
  std::istringstream in(m3u8);
  std::string line;
  int discontinuities = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("#EXTINF:", 0) == 0) {
      s.duration_s += std::strtod(line.c_str() + 8, nullptr);
      ++s.segments;
    } else if (line == "#EXT-X-DISCONTINUITY") {
      ++discontinuities;
    } else if (line == "#EXT-X-ENDLIST") {
      s.ended = true;
    }
  }
  s.sessions = s.segments > 0 ? 1 + discontinuities : 0;
  return s;
}

void register_media_routes(net::HttpRouter& router, MediaRouteDeps deps) {
  auto d = std::make_shared<MediaRouteDeps>(std::move(deps));
  const std::string data_dir = d->config.server.data_dir;
  stream::StreamService* svc = d->svc;
  router.reserve_prefix("/hls/");
  router.reserve_prefix("/rec/");
  router.add_route("GET", "/hls/*", [svc, data_dir](const HttpRequest& req, HttpResponderPtr res) {
    serve_media(svc, data_dir, req, std::move(res));
  });
  router.add_route("GET", "/rec/*",
                   [d, svc, data_dir](const HttpRequest& req, HttpResponderPtr res) {
                     if (std::string id = download_forum(req.path); !id.empty()) {
                       if (!svc) return res->respond(disabled());
                       return serve_download(svc, data_dir, id, d->worker, std::move(res));
                     }
                     serve_media(svc, data_dir, req, std::move(res));
                   });
  router.add_sync_route("*", "/api/v1/stream/*",
                        [d](const HttpRequest& req) { return staff_api(*d, req); });
}

}  // namespace forumcast
