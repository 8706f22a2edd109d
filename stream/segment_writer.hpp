// stream/segment_writer.hpp: the mechanism of one MPEG-TS segment file: open
// a muxer on a path with the session's streams, write packets whose
// timestamps are already on the forum timeline (90 kHz), close. When to cut is
// decided elsewhere (SegmentPolicy); playlists are written elsewhere.
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
  Status open(const std::string& path, const std::vector<const AVCodecParameters*>& pars);
  // pkt->stream_index is the output index; pts/dts in 1/90000.
  Status write(AVPacket* pkt);
  // Writes the trailer and closes the file; returns bytes written.
  Result<int64_t> close();
  bool is_open() const { return static_cast<bool>(ctx_); }

 private:
  OutputPtr ctx_;
  std::string path_;
};

}  // namespace forumcast::stream
