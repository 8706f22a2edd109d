// stream/demo_source.cpp: the demo publisher (see demo_source.hpp). Two small
// filter graphs (video: testsrc2 -> drawtext -> format; audio: sine ->
// aformat), two encoders, one flv muxer on libav's RTMP client. Frames are
// released at their presentation time against a monotonic start, so the
// receiver sees a live source.
#include "stream/demo_source.hpp"

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "stream/av_handles.hpp"

namespace forumcast::stream {
namespace {

struct GraphFree {
  void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
};
using GraphPtr = std::unique_ptr<AVFilterGraph, GraphFree>;

AVFilterContext* add(AVFilterGraph* g, const char* filter, const char* name, const char* args) {
  AVFilterContext* ctx = nullptr;
  if (avfilter_graph_create_filter(&ctx, avfilter_get_by_name(filter), name, args, nullptr, g) < 0)
    return nullptr;
  return ctx;
}

struct Track {
  GraphPtr graph;
  AVFilterContext* sink = nullptr;
  CodecContextPtr enc;
  AVStream* st = nullptr;
  FramePtr frame{av_frame_alloc()};
  int64_t next_pts = 0;  // in encoder time base
  bool done = false;
};

}  // namespace

struct DemoSource::Impl {
  std::string url;
  DemoSourceOptions opts;
  std::thread thread;
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::atomic<int64_t> frames{0};

  bool wait_ms(int64_t ms) {  // false when stopping
    std::unique_lock lk(mu);
    return !cv.wait_for(lk, std::chrono::milliseconds(ms), [&] { return stopping; });
  }
  bool wait_until(std::chrono::steady_clock::time_point t) {
    std::unique_lock lk(mu);
    return !cv.wait_until(lk, t, [&] { return stopping; });
  }
  Status build_video(Track& t);
  Status build_audio(Track& t);
  Status run_once();
  void loop() {
    while (true) {
      {
        std::lock_guard lk(mu);
        if (stopping) return;
      }
      Status st = run_once();
      if (!st.ok())
        spdlog::warn("demo source: {} ({}); retrying", st.error().message, st.error().code);
      if (!wait_ms(opts.retry_ms)) return;
    }
  }
};

Status DemoSource::Impl::build_video(Track& t) {
  t.graph.reset(avfilter_graph_alloc());
  AVFilterGraph* g = t.graph.get();
  const std::string src_args = "size=" + std::to_string(opts.width) + "x" +
                               std::to_string(opts.height) + ":rate=" + std::to_string(opts.fps);
  AVFilterContext* src = add(g, "testsrc2", "src", src_args.c_str());
  AVFilterContext* last = src;
  if (std::filesystem::exists(opts.font_file)) {
    // options set one by one: no filter-graph escaping of ':' in the text
    AVFilterContext* dt = avfilter_graph_alloc_filter(g, avfilter_get_by_name("drawtext"), "clock");
    if (dt) {
      const std::string text = opts.label + "\n%{localtime}\n%{pts:hms}";
      av_opt_set(dt, "fontfile", opts.font_file.c_str(), AV_OPT_SEARCH_CHILDREN);
      av_opt_set(dt, "text", text.c_str(), AV_OPT_SEARCH_CHILDREN);
      av_opt_set(dt, "fontsize", "28", AV_OPT_SEARCH_CHILDREN);
      av_opt_set(dt, "fontcolor", "white", AV_OPT_SEARCH_CHILDREN);
      av_opt_set(dt, "box", "1", AV_OPT_SEARCH_CHILDREN);
      av_opt_set(dt, "boxcolor", "black@0.6", AV_OPT_SEARCH_CHILDREN);
      av_opt_set(dt, "x", "20", AV_OPT_SEARCH_CHILDREN);
      av_opt_set(dt, "y", "20", AV_OPT_SEARCH_CHILDREN);
      if (avfilter_init_str(dt, nullptr) >= 0 && avfilter_link(src, 0, dt, 0) >= 0) last = dt;
    }
  }
  AVFilterContext* fmt = add(g, "format", "fmt", "pix_fmts=yuv420p");
  t.sink = add(g, "buffersink", "sink", nullptr);
  if (!src || !fmt || !t.sink || avfilter_link(last, 0, fmt, 0) < 0 ||
      avfilter_link(fmt, 0, t.sink, 0) < 0 || avfilter_graph_config(g, nullptr) < 0)
    return make_error("demo_filter_failed", "cannot build the test pattern filter graph");

  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) return make_error("demo_encoder_missing", "libx264 is not available");
  t.enc.reset(avcodec_alloc_context3(codec));
  AVCodecContext* e = t.enc.get();
  e->width = opts.width;
  e->height = opts.height;
  e->pix_fmt = AV_PIX_FMT_YUV420P;
  e->time_base = AVRational{1, opts.fps};
  e->framerate = AVRational{opts.fps, 1};
  e->gop_size = opts.fps;  // 1-second keyframes: 1-second HLS segments
  e->keyint_min = opts.fps;
  e->max_b_frames = 0;
  e->bit_rate = int64_t{opts.video_kbps} * 1000;
  e->rc_max_rate = e->bit_rate;
  e->rc_buffer_size = static_cast<int>(e->bit_rate);
  e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av_opt_set(e->priv_data, "preset", "veryfast", 0);
  av_opt_set(e->priv_data, "tune", "zerolatency", 0);
  av_opt_set(e->priv_data, "x264-params", "scenecut=0", 0);
  if (avcodec_open2(e, codec, nullptr) < 0)
    return make_error("demo_encoder_failed", "libx264 did not open");
  return ok_status();
}

Status DemoSource::Impl::build_audio(Track& t) {
  t.graph.reset(avfilter_graph_alloc());
  AVFilterGraph* g = t.graph.get();
  AVFilterContext* src = add(g, "sine", "tone", "frequency=440:sample_rate=44100");
  AVFilterContext* fmt = add(g, "aformat", "afmt", "sample_fmts=fltp:channel_layouts=mono");
  t.sink = add(g, "abuffersink", "asink", nullptr);
  if (!src || !fmt || !t.sink || avfilter_link(src, 0, fmt, 0) < 0 ||
      avfilter_link(fmt, 0, t.sink, 0) < 0 || avfilter_graph_config(g, nullptr) < 0)
    return make_error("demo_filter_failed", "cannot build the tone filter graph");
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (!codec) return make_error("demo_encoder_missing", "no AAC encoder");
  t.enc.reset(avcodec_alloc_context3(codec));
  AVCodecContext* e = t.enc.get();
  e->sample_rate = 44100;
  e->sample_fmt = AV_SAMPLE_FMT_FLTP;
  av_channel_layout_default(&e->ch_layout, 1);
  e->time_base = AVRational{1, 44100};
  e->bit_rate = int64_t{opts.audio_kbps} * 1000;
  e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (avcodec_open2(e, codec, nullptr) < 0)
    return make_error("demo_encoder_failed", "AAC encoder did not open");
  av_buffersink_set_frame_size(t.sink, e->frame_size);
  return ok_status();
}

Status DemoSource::Impl::run_once() {
  Track v, a;
  if (auto st = build_video(v); !st.ok()) return st;
  if (auto st = build_audio(a); !st.ok()) return st;
  AVFormatContext* raw = nullptr;
  if (avformat_alloc_output_context2(&raw, nullptr, "flv", url.c_str()) < 0 || !raw)
    return make_error("demo_output_failed", "flv muxer");
  OutputPtr out(raw);
  for (Track* t : {&v, &a}) {
    t->st = avformat_new_stream(out.get(), nullptr);
    avcodec_parameters_from_context(t->st->codecpar, t->enc.get());
    t->st->time_base = t->enc->time_base;
  }
  AVDictionary* io_opts = nullptr;
  av_dict_set(&io_opts, "rw_timeout", "5000000", 0);
  int err = avio_open2(&out->pb, url.c_str(), AVIO_FLAG_WRITE, nullptr, &io_opts);
  av_dict_free(&io_opts);
  if (err < 0)
    return make_error("demo_connect_failed",
                      "cannot publish to " + url + ": " + av_error_text(err));
  if ((err = avformat_write_header(out.get(), nullptr)) < 0)
    return make_error("demo_connect_failed", "flv header: " + av_error_text(err));
  spdlog::info("demo source: publishing {}x{}@{} to {}", opts.width, opts.height, opts.fps, url);

  const auto start = std::chrono::steady_clock::now();
  auto pkt = make_packet();
  auto drain = [&](Track& t) -> Status {
    while (avcodec_receive_packet(t.enc.get(), pkt.get()) >= 0) {
      pkt->stream_index = t.st->index;
      av_packet_rescale_ts(pkt.get(), t.enc->time_base, t.st->time_base);
      int e = av_interleaved_write_frame(out.get(), pkt.get());
      av_packet_unref(pkt.get());
      if (e < 0)
        return make_error("demo_publish_failed", "the RTMP front went away: " + av_error_text(e));
    }
    return ok_status();
  };
  while (true) {
    // the track whose next frame is due first
    const double tv = static_cast<double>(v.next_pts) / opts.fps;
    const double ta = static_cast<double>(a.next_pts) / 44100.0;
    Track& t = tv <= ta ? v : a;
    const double due = std::min(tv, ta);
    if (!wait_until(start + std::chrono::microseconds(static_cast<int64_t>(due * 1e6)))) break;
    av_frame_unref(t.frame.get());
    if (av_buffersink_get_frame(t.sink, t.frame.get()) < 0)
      return make_error("demo_filter_failed", "no frame");
    t.frame->pts = t.next_pts;
    t.next_pts += &t == &v ? 1 : t.frame->nb_samples;
    if (&t == &v) t.frame->pict_type = AV_PICTURE_TYPE_NONE;
    if (avcodec_send_frame(t.enc.get(), t.frame.get()) < 0)
      return make_error("demo_encoder_failed", "encode");
    if (auto st = drain(t); !st.ok()) return st;
    if (&t == &v) ++frames;
  }
  av_write_trailer(out.get());
  return ok_status();
}

DemoSource::DemoSource(std::string rtmp_url, DemoSourceOptions opts)
    : impl_(std::make_unique<Impl>()) {
  impl_->url = std::move(rtmp_url);
  impl_->opts = std::move(opts);
}

DemoSource::~DemoSource() {
  stop();
}

void DemoSource::start() {
  if (impl_->thread.joinable()) return;
  {
    std::lock_guard lk(impl_->mu);
    impl_->stopping = false;
  }
  impl_->thread = std::thread([this] { impl_->loop(); });
}

void DemoSource::stop() {
  {
    std::lock_guard lk(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int64_t DemoSource::frames_sent() const {
  return impl_->frames.load();
}

}  // namespace forumcast::stream
