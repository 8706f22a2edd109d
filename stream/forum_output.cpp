// stream/forum_output.cpp: the per-forum writer (see forum_output.hpp). Files:
//   recordings/<forum>/seg-000042.ts   the segments (kept; MPEG-TS survives kill -9)
//   recordings/<forum>/index.m3u8      EVENT playlist, appended per segment; VOD once finished
//   recordings/<forum>/recording.json  wall clock <-> position mapping, sessions
//   hls/<forum>/seg-000042.ts          hard link to the recording's segment
//   hls/<forum>/index.m3u8             live sliding window (temp + rename)
#include "stream/forum_output.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace forumcast::stream {
namespace fs = std::filesystem;

namespace {
constexpr AVRational k90k{1, 90000};

std::string segment_name(int64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "seg-%06lld.ts", static_cast<long long>(n));
  return buf;
}
int target_seconds(int target_ms) {
  return std::max(1, (target_ms + 999) / 1000);
}
}  // namespace

ForumOutput::ForumOutput(std::string forum_id, const StreamOptions& opts, const Clock* clock)
    : forum_id_(std::move(forum_id)),
      opts_(opts),
      clock_(clock),
      hls_dir_(opts.data_dir + "/hls/" + forum_id_),
      rec_dir_(opts.data_dir + "/recordings/" + forum_id_),
      live_(opts.window_segments, target_seconds(opts.segment_target_ms)) {
  policy_.target_90k = int64_t{opts.segment_target_ms} * 90;
  idx_.forum_id = forum_id_;
  // A forum recorded before (possibly by a process that was killed): continue
  // its timeline, segment numbering and playlist.
  if (auto text = read_file(rec_dir_ + "/recording.json")) {
    if (auto idx = recording_index_from_json(*text)) {
      idx_ = *idx;
      for (auto& s : idx_.sessions)
        if (s.stream_ms_end < 0) s.stream_ms_end = idx_.recorded_until_ms;
      // segments written after the last index update (a kill -9 between the
      // playlist append and the index save) must not be overwritten
      if (auto pl = read_file(rec_dir_ + "/index.m3u8")) {
        auto segs = parse_playlist(*pl);
        if (!segs.empty() && segs.back().number >= idx_.next_segment)
          idx_.next_segment = segs.back().number + 1;
      }
      while (fs::exists(rec_dir_ + "/" + segment_name(idx_.next_segment))) ++idx_.next_segment;
      clock_state_.restore(idx_.start_wall_ms, idx_.recorded_until_ms, idx_.recorded_until_wall_ms);
      stats_.segments = static_cast<int>(idx_.next_segment);
      sessions_count_ = static_cast<int>(idx_.sessions.size());
    }
  }
}

ForumOutput::~ForumOutput() {
  if (session_open_) end_session();
}

Status ForumOutput::begin_session(const std::vector<const AVCodecParameters*>& pars,
                                  int video_index, const std::string& remote, int session_no,
                                  int64_t publish_mono_ms) {
  if (session_open_) end_session();
  video_index_ = video_index;
  writer_.abandon();  // a new session may bring new codec parameters: new muxer
  last_dts_.assign(pars.size(), AV_NOPTS_VALUE);
  session_open_ = true;
  session_started_ = false;
  first_segment_of_session_ = true;
  discontinuity_next_ = idx_.next_segment > 0;
  publish_mono_ = publish_mono_ms;
  video_frames_ = 0;
  first_video_pts_ = last_video_pts_ = last_key_pts_ = -1;
  pars_.clear();
  for (const auto* p : pars) {
    AVCodecParameters* copy = avcodec_parameters_alloc();
    avcodec_parameters_copy(copy, p);
    pars_.emplace_back(copy);
  }
  SessionRecord rec;
  rec.number = session_no;
  rec.remote = remote;
  idx_.sessions.push_back(rec);
  if (idx_.finished) {
    // a finished forum goes live again: the VOD playlist becomes an event playlist
    idx_.finished = false;
    live_.set_ended(false);
    if (auto pl = read_file(rec_dir_ + "/index.m3u8")) {
      std::string text = event_playlist_header(target_seconds(opts_.segment_target_ms));
      for (const auto& e : parse_playlist(*pl)) text += event_playlist_entry(e);
      (void)write_file_atomic(rec_dir_ + "/index.m3u8", text);
    }
  }
  std::lock_guard lk(mu_);
  stats_.video_codec.clear();
  stats_.audio_codec.clear();
  stats_.width = stats_.height = 0;
  for (size_t i = 0; i < pars.size(); ++i) {
    const char* name = avcodec_get_name(pars[i]->codec_id);
    if (pars[i]->codec_type == AVMEDIA_TYPE_VIDEO) {
      stats_.video_codec = name;
      stats_.width = pars[i]->width;
      stats_.height = pars[i]->height;
    } else {
      stats_.audio_codec = name;
    }
  }
  stats_.fps = 0;
  stats_.keyframe_interval_s = 0;
  stats_.first_playlist_ms = -1;
  stats_.live = true;
  return ok_status();
}

Status ForumOutput::write(AVPacket* pkt, AVRational tb) {
  if (!session_open_) return make_error("ingest_no_session", "packet outside a session");
  const int idx = pkt->stream_index;
  if (idx < 0 || idx >= static_cast<int>(last_dts_.size())) return ok_status();
  if (pkt->dts == AV_NOPTS_VALUE) pkt->dts = pkt->pts;
  if (pkt->pts == AV_NOPTS_VALUE) pkt->pts = pkt->dts;
  if (pkt->dts == AV_NOPTS_VALUE) return ok_status();
  const bool is_video = idx == video_index_;
  const bool key = (pkt->flags & AV_PKT_FLAG_KEY) != 0;
  const int64_t dts90 = av_rescale_q(pkt->dts, tb, k90k);
  const int64_t pts90 = av_rescale_q(pkt->pts, tb, k90k);
  const int64_t dur90 = pkt->duration > 0 ? av_rescale_q(pkt->duration, tb, k90k) : 0;

  if (!session_started_) {
    if (video_index_ >= 0 && !(is_video && key)) return ok_status();  // wait for a keyframe
    origin_90k_ = dts90;
    int64_t base;
    {
      std::lock_guard lk(mu_);
      base = clock_state_.begin_session(clock_->wall_ms(), clock_->monotonic_ms());
      if (idx_.start_wall_ms == 0) idx_.start_wall_ms = clock_state_.start_wall_ms();
    }
    base_90k_ = base * 90;
    auto& rec = idx_.sessions.back();
    rec.wall_start_ms = clock_->wall_ms();
    rec.stream_ms_start = base;
    session_started_ = true;
  }
  const int64_t rel_dts = dts90 - origin_90k_;
  if (rel_dts < 0) return ok_status();  // before the session's first keyframe
  if (last_dts_[idx] != AV_NOPTS_VALUE && dts90 <= last_dts_[idx])
    return ok_status();  // not monotonic
  last_dts_[idx] = dts90;
  const int64_t f_dts = base_90k_ + rel_dts;
  const int64_t f_pts = base_90k_ + std::max<int64_t>(pts90 - origin_90k_, rel_dts);

  if (!writer_.segment_open()) {
    if (auto st = open_segment(is_video || video_index_ < 0 ? f_pts : f_dts); !st.ok()) return st;
  } else if (policy_.should_cut(video_index_ >= 0, is_video && key, f_pts - seg_start_90k_)) {
    if (auto st = close_segment(f_pts, /*last=*/false); !st.ok()) return st;
    if (auto st = open_segment(f_pts); !st.ok()) return st;
  }
  pkt->pts = f_pts;
  pkt->dts = f_dts;
  pkt->duration = dur90;
  pkt->pos = -1;
  if (auto st = writer_.write(pkt); !st.ok()) return st;
  seg_end_90k_ = std::max(seg_end_90k_, f_pts + dur90);

  if (is_video) {
    ++video_frames_;
    if (first_video_pts_ < 0) first_video_pts_ = f_pts;
    last_video_pts_ = std::max(last_video_pts_, f_pts);
  }
  std::lock_guard lk(mu_);
  clock_state_.note_media((seg_end_90k_ - base_90k_) / 90, clock_->monotonic_ms());
  if (is_video) {
    if (last_video_pts_ > first_video_pts_)
      stats_.fps =
          (video_frames_ - 1) * 90000.0 / static_cast<double>(last_video_pts_ - first_video_pts_);
    if (key) {
      if (last_key_pts_ >= 0 && f_pts > last_key_pts_)
        stats_.keyframe_interval_s = (f_pts - last_key_pts_) / 90000.0;
      last_key_pts_ = f_pts;
    }
  }
  return ok_status();
}

Status ForumOutput::open_segment(int64_t start_90k) {
  std::error_code ec;
  fs::create_directories(rec_dir_, ec);
  fs::create_directories(hls_dir_, ec);
  seg_number_ = idx_.next_segment++;
  seg_start_90k_ = start_90k;
  seg_end_90k_ = start_90k;
  if (!writer_.session_open()) {
    std::vector<const AVCodecParameters*> pars;
    for (const auto& p : pars_) pars.push_back(p.get());
    if (auto st = writer_.begin_session(pars); !st.ok()) return st;
  }
  return writer_.start_segment(rec_dir_ + "/" + segment_name(seg_number_));
}

Status ForumOutput::close_segment(int64_t end_90k, bool last) {
  auto bytes = writer_.end_segment(last);
  if (!bytes.ok()) return bytes.error();
  SegmentEntry e;
  e.number = seg_number_;
  e.uri = segment_name(seg_number_);
  e.duration_s = static_cast<double>(std::max<int64_t>(end_90k - seg_start_90k_, 1)) / 90000.0;
  e.stream_ms = seg_start_90k_ / 90;
  e.discontinuity = discontinuity_next_;
  discontinuity_next_ = false;
  {
    std::lock_guard lk(mu_);
    e.pdt_wall_ms = clock_state_.start_wall_ms() + e.stream_ms;
  }
  auto& rec = idx_.sessions.back();
  if (rec.first_segment < 0) rec.first_segment = e.number;
  rec.last_segment = e.number;
  idx_.recorded_until_ms = end_90k / 90;
  idx_.recorded_until_wall_ms = clock_->wall_ms();
  return publish_segment(e);
}

Status ForumOutput::publish_segment(const SegmentEntry& e) {
  // recording first (the durable record), then the live view
  const std::string rec_pl = rec_dir_ + "/index.m3u8";
  if (!fs::exists(rec_pl))
    if (auto st =
            append_file(rec_pl, event_playlist_header(target_seconds(opts_.segment_target_ms)));
        !st.ok())
      return st;
  if (auto st = append_file(rec_pl, event_playlist_entry(e)); !st.ok()) return st;
  save_index();

  std::error_code ec;
  const std::string link = hls_dir_ + "/" + e.uri;
  fs::remove(link, ec);
  fs::create_hard_link(rec_dir_ + "/" + e.uri, link, ec);
  if (ec) fs::copy_file(rec_dir_ + "/" + e.uri, link, fs::copy_options::overwrite_existing, ec);
  for (const auto& doomed : live_.add(e)) fs::remove(hls_dir_ + "/" + doomed, ec);
  if (auto st = write_file_atomic(hls_dir_ + "/index.m3u8", live_.render()); !st.ok()) return st;

  std::lock_guard lk(mu_);
  ++stats_.segments;
  if (first_segment_of_session_) {
    stats_.first_playlist_ms = clock_->monotonic_ms() - publish_mono_;
    first_segment_of_session_ = false;
  }
  return ok_status();
}

void ForumOutput::save_index() {
  (void)write_file_atomic(rec_dir_ + "/recording.json", to_json(idx_));
}

void ForumOutput::end_session() {
  if (!session_open_) return;
  if (writer_.segment_open()) (void)close_segment(seg_end_90k_, /*last=*/true);
  writer_.abandon();
  session_open_ = false;
  {
    std::lock_guard lk(mu_);
    clock_state_.end_session(clock_->wall_ms());
    stats_.live = false;
    if (session_started_) {
      idx_.sessions.back().stream_ms_end = clock_state_.end_pos_ms();
      ++sessions_count_;
    }
  }
  if (!session_started_) {
    idx_.sessions.pop_back();  // nothing was recorded
  } else {
    idx_.recorded_until_wall_ms = clock_->wall_ms();
    save_index();
  }
  session_started_ = false;
}

void ForumOutput::finish() {
  if (session_open_) end_session();
  if (idx_.next_segment == 0) return;  // never recorded anything
  live_.set_ended(true);
  if (!live_.window().empty()) (void)write_file_atomic(hls_dir_ + "/index.m3u8", live_.render());
  if (auto pl = read_file(rec_dir_ + "/index.m3u8"))
    (void)write_file_atomic(
        rec_dir_ + "/index.m3u8",
        vod_playlist(parse_playlist(*pl), target_seconds(opts_.segment_target_ms)));
  idx_.finished = true;
  save_index();
}

std::optional<int64_t> ForumOutput::stream_ms() const {
  std::lock_guard lk(mu_);
  return clock_state_.now(clock_->monotonic_ms());
}

int64_t ForumOutput::next_session_base_ms() const {
  std::lock_guard lk(mu_);
  if (clock_state_.live()) return clock_state_.written_ms();
  if (!clock_state_.started()) return 0;
  return clock_state_.end_pos_ms() +
         std::max<int64_t>(0, clock_->wall_ms() - clock_state_.end_wall_ms());
}

int ForumOutput::sessions_recorded() const {
  std::lock_guard lk(mu_);
  return sessions_count_;
}

MediaStats ForumOutput::media_stats() const {
  std::lock_guard lk(mu_);
  return stats_;
}

}  // namespace forumcast::stream
