// stream/av_handles.hpp: owning wrappers for libav C handles used inside
// stream/ (never included by a public header), and av_error_text() because
// av_err2str() does not compile in C++.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
}

#include <memory>
#include <string>

namespace forumcast::stream {

inline std::string av_error_text(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;
inline PacketPtr make_packet() {
  return PacketPtr(av_packet_alloc());
}

// An input context opened with avformat_open_input.
struct InputFree {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
using InputPtr = std::unique_ptr<AVFormatContext, InputFree>;

// An output context; closes its file if the muxer owns one (not AVFMT_NOFILE).
struct OutputFree {
  void operator()(AVFormatContext* c) const {
    if (c->pb && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
using OutputPtr = std::unique_ptr<AVFormatContext, OutputFree>;

// A custom AVIOContext and its buffer.
struct AvioFree {
  void operator()(AVIOContext* c) const {
    if (c) av_freep(&c->buffer);
    avio_context_free(&c);
  }
};
using AvioPtr = std::unique_ptr<AVIOContext, AvioFree>;

struct CodecContextFree {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextFree>;

struct ParamsFree {
  void operator()(AVCodecParameters* p) const { avcodec_parameters_free(&p); }
};
using ParamsPtr = std::unique_ptr<AVCodecParameters, ParamsFree>;

struct FrameFree {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameFree>;

}  // namespace forumcast::stream
