// server/media_routes.hpp: the HTTP routes of the video (docs/streaming.md,
// "HTTP"): /hls/<id>/... and /rec/<id>/... files with their MIME type and cache
// policy (stream/media_files.hpp decides which file), the replay download
// /rec/<id>/download.mp4 (exported on the worker), and the staff stream API
// /api/v1/stream/<id>/{health,recording} (GET, organizer or moderator) and
// /api/v1/stream/<id>/rotate-key (POST, organizer), and the public
// /api/v1/stream/<id>/status ({"live":bool,"recording":bool}) players poll. Files are streamed by
// net/. Handlers run on the loop thread; the MP4 export runs on the worker.
#pragma once

#include <functional>
#include <string>

#include "core/result.hpp"

#include "net/http.hpp"
#include "server/auth.hpp"
#include "server/config.hpp"
#include "server/worker.hpp"

namespace forumcast {
namespace stream {
class StreamService;
struct StreamHealth;
}

struct MediaRouteDeps {
  stream::StreamService* svc;  // null (stream.enabled false): routes answer 404 stream_disabled
  const Config& config;
  Auth& auth;
  Worker& worker;
  // POST /api/v1/stream/<id>/rotate-key: stores a new key, closes the publisher.
  std::function<Result<std::string>(const std::string& forum_id)> rotate_key;
};
void register_media_routes(net::HttpRouter& router, MediaRouteDeps deps);

// Duration and publish sessions of a recording playlist's text (sum of EXTINF,
// 1 + EXT-X-DISCONTINUITY count when it has segments).
struct RecordingSummary {
  double duration_s = 0;
  int segments = 0;
  int sessions = 0;
  bool ended = false;  // EXT-X-ENDLIST present
};
RecordingSummary summarize_playlist(const std::string& m3u8);

// The health object of GET /api/v1/stream/<id>/health and of the stream_health
// WebSocket event (docs/streaming.md, "Health"), as JSON text.
std::string stream_health_json(const stream::StreamHealth& h);

}  // namespace forumcast
