// stream/segment_writer.hpp: the mechanism of MPEG-TS segment files: one
// mpegts muxer per publish session whose output file is switched at every
// segment boundary (PAT/PMT re-sent at the start of each file, continuity
// counters carried on, so concatenated segments are a clean TS stream).
// Packets come with timestamps already on the forum timeline (90 kHz). When
// to cut is decided elsewhere (SegmentPolicy); playlists are written elsewhere.
// Thread: the forum's ingest thread.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "stream/av_handles.hpp"

namespace forumcast::stream {

class TsSegmentWriter {
 public:
  // pars: the codec parameters of each output stream, in output index order.
  Status begin_session(const std::vector<const AVCodecParameters*>& pars);
  // Opens the next segment file (the previous one must have been ended).
  Status start_segment(const std::string& path);
  // pkt->stream_index is the output index; pts/dts in 1/90000.
  Status write(AVPacket* pkt);
  // Flushes and closes the current file; `last` also ends the session (trailer).
  // Returns the bytes written to the file.
  Result<int64_t> end_segment(bool last);
  bool segment_open() const { return ctx_ && ctx_->pb; }
  bool session_open() const { return static_cast<bool>(ctx_); }
  void abandon();  // drops the session without a trailer (after an error)

 private:
  OutputPtr ctx_;
  bool header_written_ = false;
};

}  // namespace forumcast::stream
