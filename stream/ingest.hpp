// stream/ingest.hpp: one publish session's demux loop, run on the forum's
// ingest thread: libav's flv demuxer reads the FlvFeed through a custom
// AVIOContext, probes quickly (small probesize/analyzeduration), picks the
// first video and audio stream and hands every packet to ForumOutput (remux
// only, never decode). Returns when the feed ends, on an error, or on stop.
#pragma once

#include <atomic>
#include <string>

#include "core/result.hpp"
#include "stream/av_handles.hpp"
#include "stream/flv_feed.hpp"
#include "stream/forum_output.hpp"

namespace forumcast::stream {

struct IngestParams {
  std::string remote;
  int session_no = 1;
  int64_t publish_mono_ms = 0;
  int probe_size_bytes = 262144;
  int analyze_duration_ms = 700;
  // When set, remux() adds the size of every packet it reads (the bytes-in figure
  // of sessions without an FLV feed, i.e. SRT). Read from other threads.
  std::atomic<uint64_t>* bytes_read = nullptr;
};

// An opened demuxer; a custom AVIOContext (FLV feed) must outlive the input.
struct OpenedInput {
  AvioPtr avio;
  InputPtr in;
};

// The flv demuxer on a feed (RTMP publishers).
Result<OpenedInput> open_flv(FlvFeed& feed, const IngestParams& p, const std::atomic<bool>& stop);
// libav's SRT listener on `url` (srt://host:port?mode=listener&passphrase=...),
// mpegts inside. Blocks until a caller with the right passphrase connects, or
// `stop` (polled about every 100 ms by libav).
Result<OpenedInput> open_srt(const std::string& url, const IngestParams& p,
                             const std::atomic<bool>& stop);
// Probes the opened input, then remuxes every packet into `out` until the end,
// an error or `stop`. Returns why it ended: "publisher_closed" or "error: <what>".
std::string remux(AVFormatContext* in, ForumOutput& out, const IngestParams& p,
                  const std::atomic<bool>& stop);

// open_flv + remux.
std::string run_ingest(FlvFeed& feed, ForumOutput& out, const IngestParams& p,
                       const std::atomic<bool>& stop);

}  // namespace forumcast::stream
