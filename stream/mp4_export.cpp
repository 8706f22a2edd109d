// stream/mp4_export.cpp: StreamService::export_mp4, the single-file download
// of a forum's recording: the recording's TS segments (in playlist order) are
// remuxed into one MP4 with the moov atom in front (movflags=faststart), so a
// browser can play it while downloading. Timestamps keep the forum timeline:
// position in the file == stream_ms (gaps between sessions stay gaps).
// Limit: the MP4 takes its codec parameters from the first segment; a later
// session with a different resolution plays with the first one's (documented).
#include <spdlog/spdlog.h>

#include <vector>

#include "stream/av_handles.hpp"
#include "stream/hls_playlist.hpp"
#include "stream/recording_index.hpp"
#include "stream/stream_service.hpp"

namespace forumcast::stream {

Status StreamService::export_mp4(const std::string& forum_id, const std::string& out_path) const {
  if (!valid_forum_id(forum_id)) return make_error("recording_not_found", "no such forum");
  const std::string dir = recording_dir(forum_id);
  auto text = read_file(dir + "/index.m3u8");
  if (!text) return make_error("recording_not_found", "forum " + forum_id + " has no recording");
  const auto segs = parse_playlist(*text);
  if (segs.empty())
    return make_error("recording_not_found", "forum " + forum_id + " has no recorded segment");

  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, "mp4", out_path.c_str());
  if (err < 0) return make_error("export_failed", "mp4 muxer: " + av_error_text(err));
  OutputPtr out(raw);
  std::vector<AVMediaType> out_types;
  bool header = false;
  int64_t offset_90k = 0;  // TS timestamps - stream position (the mpegts mux delay)
  std::vector<int64_t> last_dts;
  constexpr AVRational k90k{1, 90000};

  for (const auto& seg : segs) {
    AVFormatContext* in_raw = nullptr;
    const std::string path = dir + "/" + seg.uri;
    if (avformat_open_input(&in_raw, path.c_str(), nullptr, nullptr) < 0) {
      spdlog::warn("export: skipping unreadable segment {}", path);
      continue;
    }
    InputPtr in(in_raw);
    if (avformat_find_stream_info(in.get(), nullptr) < 0) continue;
    std::vector<int> map(in->nb_streams, -1);
    if (!header) {
      for (unsigned i = 0; i < in->nb_streams; ++i) {
        const auto* par = in->streams[i]->codecpar;
        if (par->codec_type != AVMEDIA_TYPE_VIDEO && par->codec_type != AVMEDIA_TYPE_AUDIO)
          continue;
        AVStream* st = avformat_new_stream(out.get(), nullptr);
        avcodec_parameters_copy(st->codecpar, par);
        st->codecpar->codec_tag = 0;
        st->time_base = k90k;
        out_types.push_back(par->codec_type);
      }
      if (out_types.empty())
        return make_error("export_failed", "first segment has no audio or video");
      if ((err = avio_open(&out->pb, out_path.c_str(), AVIO_FLAG_WRITE)) < 0)
        return make_error("export_failed", "open " + out_path + ": " + av_error_text(err));
      AVDictionary* opts = nullptr;
      av_dict_set(&opts, "movflags", "faststart", 0);
      err = avformat_write_header(out.get(), &opts);
      av_dict_free(&opts);
      if (err < 0) return make_error("export_failed", "mp4 header: " + av_error_text(err));
      last_dts.assign(out_types.size(), AV_NOPTS_VALUE);
      header = true;
      // the first segment starts at seg.stream_ms; its first timestamp tells the offset
      int64_t first = AV_NOPTS_VALUE;
      for (unsigned i = 0; i < in->nb_streams; ++i)
        if (in->streams[i]->start_time != AV_NOPTS_VALUE) {
          int64_t t = av_rescale_q(in->streams[i]->start_time, in->streams[i]->time_base, k90k);
          if (first == AV_NOPTS_VALUE || t < first) first = t;
        }
      offset_90k = (first == AV_NOPTS_VALUE ? 0 : first) - seg.stream_ms * 90;
    }
    // match input streams to output streams by media type, in order
    std::vector<bool> used(out_types.size(), false);
    for (unsigned i = 0; i < in->nb_streams; ++i)
      for (size_t o = 0; o < out_types.size(); ++o)
        if (!used[o] && in->streams[i]->codecpar->codec_type == out_types[o]) {
          map[i] = static_cast<int>(o);
          used[o] = true;
          break;
        }
    auto pkt = make_packet();
    while (av_read_frame(in.get(), pkt.get()) >= 0) {
      const int si = pkt->stream_index;
      if (si < 0 || si >= static_cast<int>(map.size()) || map[si] < 0 ||
          pkt->dts == AV_NOPTS_VALUE) {
        av_packet_unref(pkt.get());
        continue;
      }
      const int o = map[si];
      const AVRational tb = in->streams[si]->time_base;
      int64_t dts = av_rescale_q(pkt->dts, tb, k90k) - offset_90k;
      int64_t pts =
          (pkt->pts == AV_NOPTS_VALUE ? dts : av_rescale_q(pkt->pts, tb, k90k) - offset_90k);
      if (dts < 0 || (last_dts[o] != AV_NOPTS_VALUE && dts <= last_dts[o])) {
        av_packet_unref(pkt.get());
        continue;
      }
      last_dts[o] = dts;
      pkt->stream_index = o;
      pkt->dts = av_rescale_q(dts, k90k, out->streams[o]->time_base);
      pkt->pts = av_rescale_q(std::max(pts, dts), k90k, out->streams[o]->time_base);
      pkt->duration = av_rescale_q(pkt->duration, tb, out->streams[o]->time_base);
      pkt->pos = -1;
      err = av_interleaved_write_frame(out.get(), pkt.get());
      av_packet_unref(pkt.get());
      if (err < 0) return make_error("export_failed", "mp4 write: " + av_error_text(err));
    }
  }
  if (!header) return make_error("export_failed", "no readable segment");
  if ((err = av_write_trailer(out.get())) < 0)
    return make_error("export_failed", "mp4 trailer: " + av_error_text(err));
  return ok_status();
}

}  // namespace forumcast::stream
