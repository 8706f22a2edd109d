// stream/forum_output.hpp: everything one forum writes, across all of its
// publish sessions: TS segments (TsSegmentWriter) cut by SegmentPolicy, the live
// HLS playlist (<data>/hls/<forum>/index.m3u8, segments hard-linked there from
// the recording), the recording (<data>/recordings/<forum>/: the segments, an
// append-only EVENT playlist index.m3u8 and recording.json) and the forum's
// StreamClock. Packets arrive already demuxed; timestamps are moved onto the
// forum timeline (stream_ms) here.
// Thread: begin_session/write/end_session run on the forum's ingest thread (one
// session at a time); finish() only while no session runs; stream_ms() and
// media_stats() from any thread (guarded by mu_).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "stream/av_handles.hpp"
#include "stream/hls_playlist.hpp"
#include "stream/recording_index.hpp"
#include "stream/segment_writer.hpp"
#include "stream/stream_clock.hpp"
#include "stream/stream_types.hpp"

namespace forumcast::stream {

// When to cut (policy): at a video keyframe (any packet for audio-only) once the
// segment has reached the target, with 5% tolerance for frame-rate rounding.
struct SegmentPolicy {
  int64_t target_90k = 90000;
  bool should_cut(bool has_video, bool is_video_key, int64_t elapsed_90k) const {
    return (has_video ? is_video_key : true) && elapsed_90k * 100 >= target_90k * 95;
  }
};

struct MediaStats {
  std::string video_codec, audio_codec;
  int width = 0, height = 0;
  double fps = 0;
  double keyframe_interval_s = 0;
  int segments = 0;
  int64_t first_playlist_ms = -1;
  bool live = false;
};

class ForumOutput {
 public:
  ForumOutput(std::string forum_id, const StreamOptions& opts, const Clock* clock);
  ~ForumOutput();

  // pars: output streams (video and/or audio); video_index: which is video, or -1.
  // publish_mono_ms: when the publish was accepted (for first_playlist_ms).
  Status begin_session(const std::vector<const AVCodecParameters*>& pars, int video_index,
                       const std::string& remote, int session_no, int64_t publish_mono_ms);
  // pkt->stream_index is the output index; timestamps in `tb`. Not every packet
  // is written: those before the first keyframe or going back in time are dropped.
  Status write(AVPacket* pkt, AVRational tb);
  void end_session();
  // The forum ended: live playlist gets EXT-X-ENDLIST, recording becomes VOD.
  void finish();

  std::optional<int64_t> stream_ms() const;
  int64_t next_session_base_ms() const;  // what stream_ms a session starting now gets
  int sessions_recorded() const;
  MediaStats media_stats() const;

  std::string hls_dir() const { return hls_dir_; }
  std::string rec_dir() const { return rec_dir_; }

 private:
  Status open_segment(int64_t start_90k);
  Status close_segment(int64_t end_90k, bool last);
  Status publish_segment(const SegmentEntry& e);
  void save_index();

  const std::string forum_id_;
  const StreamOptions opts_;
  const Clock* clock_;
  const std::string hls_dir_, rec_dir_;
  SegmentPolicy policy_;

  // ingest thread state
  TsSegmentWriter writer_;
  LivePlaylist live_;
  RecordingIndex idx_;
  std::vector<int64_t> last_dts_;
  int video_index_ = -1;
  bool session_started_ = false;
  bool session_open_ = false;
  bool first_segment_of_session_ = false;
  bool discontinuity_next_ = false;
  int64_t origin_90k_ = 0, base_90k_ = 0;
  int64_t seg_start_90k_ = 0, seg_end_90k_ = 0, seg_number_ = 0;
  int64_t publish_mono_ = 0;
  int64_t video_frames_ = 0, first_video_pts_ = -1, last_video_pts_ = -1, last_key_pts_ = -1;
  std::vector<ParamsPtr> pars_;

  mutable std::mutex mu_;  // guards clock_state_ and stats_
  StreamClock clock_state_;
  MediaStats stats_;
  int sessions_count_ = 0;  // sessions with media, all time (recording.json)
};

}  // namespace forumcast::stream
