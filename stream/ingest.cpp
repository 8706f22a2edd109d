// stream/ingest.cpp: flv demux -> ForumOutput (see ingest.hpp). The
// interrupt callback lets stop() end a probe or read that waits on the feed.
#include "stream/ingest.hpp"

#include <spdlog/spdlog.h>

#include <vector>

namespace forumcast::stream {
namespace {

int read_feed(void* opaque, uint8_t* buf, int size) {
  size_t n = static_cast<FlvFeed*>(opaque)->read(buf, static_cast<size_t>(size));
  return n == 0 ? AVERROR_EOF : static_cast<int>(n);
}

int interrupted(void* opaque) {
  return static_cast<const std::atomic<bool>*>(opaque)->load() ? 1 : 0;
}

}  // namespace

Result<OpenedInput> open_flv(FlvFeed& feed, const IngestParams& p, const std::atomic<bool>& stop) {
  constexpr int kIoBuffer = 131072;  // one read per wake-up batch (kWakeBytes in flv_feed.cpp)
  auto* buffer = static_cast<unsigned char*>(av_malloc(kIoBuffer));
  OpenedInput o;
  o.avio.reset(avio_alloc_context(buffer, kIoBuffer, 0, &feed, read_feed, nullptr, nullptr));
  if (!o.avio) {
    av_free(buffer);
    return make_error("ingest_failed", "out of memory");
  }
  AVFormatContext* raw = avformat_alloc_context();
  raw->pb = o.avio.get();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  raw->probesize = p.probe_size_bytes;
  raw->max_analyze_duration = int64_t{p.analyze_duration_ms} * 1000;
  raw->interrupt_callback.callback = interrupted;
  raw->interrupt_callback.opaque = const_cast<std::atomic<bool>*>(&stop);
  int err = avformat_open_input(&raw, nullptr, av_find_input_format("flv"),
                                nullptr);  // frees raw on failure
  if (err < 0) return make_error("ingest_failed", "flv open: " + av_error_text(err));
  o.in.reset(raw);
  return o;
}

Result<OpenedInput> open_srt(const std::string& url, const IngestParams& p,
                             const std::atomic<bool>& stop) {
  OpenedInput o;
  AVFormatContext* raw = avformat_alloc_context();
  raw->probesize = p.probe_size_bytes;
  raw->max_analyze_duration = int64_t{p.analyze_duration_ms} * 1000;
  raw->interrupt_callback.callback = interrupted;
  raw->interrupt_callback.opaque = const_cast<std::atomic<bool>*>(&stop);
  int err = avformat_open_input(&raw, url.c_str(), av_find_input_format("mpegts"), nullptr);
  if (err < 0) return make_error("srt_listen_failed", "srt open: " + av_error_text(err));
  o.in.reset(raw);
  return o;
}

std::string run_ingest(FlvFeed& feed, ForumOutput& out, const IngestParams& p,
                       const std::atomic<bool>& stop) {
  auto opened = open_flv(feed, p, stop);
  if (!opened.ok()) return "error: " + opened.error().message;
  return remux(opened->in.get(), out, p, stop);
}

std::string remux(AVFormatContext* in, ForumOutput& out, const IngestParams& p,
                  const std::atomic<bool>& stop) {
  in->interrupt_callback.callback = interrupted;
  in->interrupt_callback.opaque = const_cast<std::atomic<bool>*>(&stop);
  int err = avformat_find_stream_info(in, nullptr);
  if (err < 0) return "error: probe: " + av_error_text(err);

  // input stream index -> output index; first video and first audio stream only
  std::vector<int> map(in->nb_streams, -1);
  std::vector<const AVCodecParameters*> pars;
  int video_out = -1;
  bool have_audio = false;
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    const AVCodecParameters* par = in->streams[i]->codecpar;
    if (par->codec_type == AVMEDIA_TYPE_VIDEO && video_out < 0 &&
        par->codec_id != AV_CODEC_ID_NONE) {
      video_out = static_cast<int>(pars.size());
      map[i] = video_out;
      pars.push_back(par);
    } else if (par->codec_type == AVMEDIA_TYPE_AUDIO && !have_audio &&
               par->codec_id != AV_CODEC_ID_NONE) {
      have_audio = true;
      map[i] = static_cast<int>(pars.size());
      pars.push_back(par);
    }
  }
  if (pars.empty()) return "error: no audio or video stream";
  if (auto st = out.begin_session(pars, video_out, p.remote, p.session_no, p.publish_mono_ms);
      !st.ok())
    return "error: " + st.error().message;

  auto pkt = make_packet();
  std::string reason = "publisher_closed";
  while (!stop.load()) {
    err = av_read_frame(in, pkt.get());
    if (err < 0) {
      // EIO: libav's SRT (and RTMP) protocols report a caller that left this way
      if (err == AVERROR(EIO))
        reason = "publisher_disconnected";
      else if (err != AVERROR_EOF && err != AVERROR_EXIT)
        reason = "error: read: " + av_error_text(err);
      break;
    }
    if (p.bytes_read) p.bytes_read->fetch_add(static_cast<uint64_t>(pkt->size));
    const int si = pkt->stream_index;
    if (si >= 0 && si < static_cast<int>(map.size()) && map[si] >= 0) {
      // streams created after the probe (map too short) are ignored
      const AVRational tb = in->streams[si]->time_base;
      pkt->stream_index = map[si];
      if (auto st = out.write(pkt.get(), tb); !st.ok()) {
        reason = "error: " + st.error().message;
        av_packet_unref(pkt.get());
        break;
      }
    }
    av_packet_unref(pkt.get());
  }
  out.end_session();
  return reason;
}

}  // namespace forumcast::stream
