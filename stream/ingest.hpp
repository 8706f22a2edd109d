// stream/ingest.hpp: one publish session's demux loop, run on the forum's
// ingest thread: libav's flv demuxer reads the FlvFeed through a custom
// AVIOContext, probes quickly (small probesize/analyzeduration), picks the
// first video and audio stream and hands every packet to ForumOutput (remux
// only, never decode). Returns when the feed ends, on an error, or on stop.
#pragma once

#include <atomic>
#include <string>

#include "stream/flv_feed.hpp"
#include "stream/forum_output.hpp"

namespace forumcast::stream {

struct IngestParams {
  std::string remote;
  int session_no = 1;
  int64_t publish_mono_ms = 0;
  int probe_size_bytes = 262144;
  int analyze_duration_ms = 700;
};

// The reason the session ended: "publisher_closed" or "error: <what>".
std::string run_ingest(FlvFeed& feed, ForumOutput& out, const IngestParams& p, const std::atomic<bool>& stop);

}  // namespace forumcast::stream
