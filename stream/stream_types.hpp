// stream/stream_types.hpp: the plain value types the stream module shares with
// the server: options (every limit named here and in docs/streaming.md), what a
// publish looks like, and the health report. Standard library only.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace forumcast::stream {

enum class TakeoverPolicy {
  refuse,    // a second publisher to a live forum gets NetStream.Publish.BadName
  take_over  // the new publisher replaces the old one (old connection closed)
};

struct StreamOptions {
  std::string rtmp_host = "0.0.0.0";  // tests and benches use 127.0.0.1
  int rtmp_port = 1935;               // 0 = pick a free port (tests)
  std::string rtmp_app = "live";      // rtmp://host:port/<app>/<stream-key>
  std::string data_dir = "./data";    // hls/<forum>/ and recordings/<forum>/ below it

  int segment_target_ms = 1000;  // cut at the first keyframe at or after this length
  int window_segments = 6;       // live playlist sliding window
  TakeoverPolicy takeover = TakeoverPolicy::refuse;
  int retention_days = 0;  // prune(): 0 keeps recordings forever

  // Ingest probing (libav): small so that publish -> first playlist stays ~1 s.
  int probe_size_bytes = 262144;
  int analyze_duration_ms = 700;

  // RTMP bounds. A publisher that crosses one is closed (the others carry on).
  int max_connections = 64;                  // open TCP connections on the RTMP port
  int max_chunk_size = 65536;                // largest Set Chunk Size accepted
  int max_message_bytes = 4 * 1024 * 1024;   // largest RTMP message (one video frame)
  int max_chunk_streams = 64;                // distinct chunk stream ids per connection
  int handshake_timeout_ms = 5000;           // connect .. publish must finish in this
  int idle_timeout_ms = 10000;               // no bytes from a publisher for this long
  int ingest_queue_bytes = 8 * 1024 * 1024;  // FLV bytes waiting for the demuxer

  int health_interval_ms = 2000;
  int viewer_window_ms = 15000;
};

struct PublishInfo {
  std::string remote;      // "127.0.0.1:53412"
  std::string stream_key;  // as received (the server may log a prefix only)
  int session = 0;         // 1 for the forum's first publish, then 2, 3, ...
  int64_t stream_ms = 0;   // stream clock at the start of this session
  bool took_over = false;  // an older publisher was replaced
};

struct UnpublishInfo {
  int session = 0;
  int64_t stream_ms = 0;  // stream clock at the end of this session
  std::string reason;     // "publisher_closed", "taken_over", "disconnected", "error: ..."
};

struct StreamHealth {
  std::string state = "idle";  // idle | starting | live
  std::string remote;          // publisher address
  std::string video_codec;     // "h264"
  std::string audio_codec;     // "aac"
  int width = 0;
  int height = 0;
  double fps = 0;           // measured from video packet timestamps
  int64_t bitrate_bps = 0;  // over the last health interval
  double keyframe_interval_s = 0;
  int64_t bytes_in = 0;            // this session
  int64_t uptime_ms = 0;           // this session
  int reconnects = 0;              // sessions after the first one
  int64_t stream_ms = -1;          // -1 when not live
  int64_t first_playlist_ms = -1;  // publish -> first playlist of this session
  int segments = 0;                // written in this forum (all sessions)
  int viewers = 0;                 // HLS viewer estimate (see note_viewer)
};

struct DiskUsage {
  int64_t total_bytes = 0;
  std::map<std::string, int64_t> per_forum;  // recordings + live HLS
};

}  // namespace forumcast::stream
