// stream/stream_service.hpp: the one public entry of the stream module. A
// StreamService owns the RTMP front (one TCP port for every forum), one ingest
// thread per live forum (libav flv demuxer -> MPEG-TS segments), the live HLS
// playlists, the crash-safe recordings and the stream clock.
//
// It knows nothing of chat, the store or HTTP: the server hands it an
// Authenticator (stream key -> forum id, or a refusal) and a StreamEvents sink
// (the SRS-style bridge: on_publish / on_unpublish / on_health), and serves the
// files it writes under <data_dir>/hls and <data_dir>/recordings itself.
// Threads: callbacks run on stream threads (the RTMP thread or an ingest thread);
// the server must hop to its own loop (loop.defer) before touching its state.
// Queries (stream_ms, health, live_forums) are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "stream/stream_types.hpp"

namespace forumcast::stream {

// Stream key -> forum id, or an Error {code, message} that refuses the publish
// (codes used by forumcast: stream_key_unknown, forum_archived). Called on the
// RTMP thread, before any media of that publisher is accepted; keep it quick.
using Authenticator = std::function<Result<std::string>(const std::string& stream_key)>;

// What the server implements. Every method has a no-op default.
class StreamEvents {
 public:
  virtual ~StreamEvents() = default;
  virtual void on_publish(const std::string& forum_id, const PublishInfo& info) {}
  virtual void on_unpublish(const std::string& forum_id, const UnpublishInfo& info) {}
  // Every health_interval_ms while a forum is live, and once when it goes idle.
  virtual void on_health(const std::string& forum_id, const StreamHealth& health) {}
  // A publish attempt that was refused (bad key, archived forum, already live).
  virtual void on_refused(const std::string& remote, const Error& why) {}
};

class StreamService {
 public:
  // Does not start anything; call start().
  StreamService(StreamOptions options, Authenticator auth, StreamEvents* events,
                const Clock* clock = &SystemClock::instance());
  ~StreamService();  // stops: closes publishers, finishes segments, joins threads
  StreamService(const StreamService&) = delete;
  StreamService& operator=(const StreamService&) = delete;

  // Binds the RTMP port and starts the RTMP and health threads.
  Status start();
  void stop();

  // The bound RTMP port (useful when options.rtmp_port was 0); 0 before start().
  int rtmp_port() const;

  // Milliseconds since the forum's stream started (see docs/streaming.md, "Stream
  // clock"); present only while a publisher is live. Thread-safe.
  std::optional<int64_t> stream_ms(const std::string& forum_id) const;
  // The forum's last known health (state idle if never seen). Thread-safe.
  StreamHealth health(const std::string& forum_id) const;
  std::vector<std::string> live_forums() const;

  // SRT ingest for one forum (docs/streaming.md, "SRT"): a libav SRT listener on
  // `port` (same host as RTMP) that accepts one caller at a time whose
  // passphrase (10..79 of [A-Za-z0-9_-]) matches; a wrong passphrase is refused
  // by SRT's handshake. Errors: srt_passphrase_invalid, srt_port_invalid.
  Status listen_srt(const std::string& forum_id, int port, const std::string& passphrase);
  void stop_srt(const std::string& forum_id);  // ends its listener (and its session)

  // Closes the forum's current publisher, if any (after a key rotation, say).
  void disconnect(const std::string& forum_id);
  // The forum has ended: closes any publisher, writes EXT-X-ENDLIST to the live
  // playlist and turns the recording playlist into a VOD playlist.
  void finish(const std::string& forum_id);

  // The HLS viewer estimate: the server calls this for every playlist request;
  // distinct client keys seen in the last viewer_window_ms are counted.
  void note_viewer(const std::string& forum_id, const std::string& client_key);

  // Paths of a forum's files (they may not exist yet).
  std::string hls_dir(const std::string& forum_id) const;
  std::string recording_dir(const std::string& forum_id) const;

  // Writes the forum's whole recording as one MP4 file (remux, faststart) to
  // out_path; positions in the file are stream_ms. Blocks; run it off the loop.
  Status export_mp4(const std::string& forum_id, const std::string& out_path) const;
  // Bytes used by recordings and HLS files, per forum and in total.
  DiskUsage disk_usage() const;
  // Deletes recordings of forums whose last segment is older than
  // options.retention_days (0 = keep forever) and that are not live.
  std::vector<std::string> prune(int64_t now_wall_ms) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Is the forum id safe to use as a directory name (ASCII letters, digits, '-', '_')?
bool valid_forum_id(const std::string& forum_id);

}  // namespace forumcast::stream
