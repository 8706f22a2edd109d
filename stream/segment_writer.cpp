// stream/segment_writer.cpp: libav's mpegts muxer with its AVIOContext swapped
// per segment (the way libav's own hls muxer does it): flush the muxer
// (av_write_frame(NULL)), close the file, open the next one and ask the muxer
// to resend PAT/PMT first, so each segment decodes on its own (RFC 8216
// EXT-X-INDEPENDENT-SEGMENTS). The muxer inserts h264_mp4toannexb and ADTS
// framing itself for FLV-style H.264/AAC input.
#include "stream/segment_writer.hpp"

extern "C" {
#include <libavutil/opt.h>
}

#include <climits>

namespace forumcast::stream {

Status TsSegmentWriter::begin_session(const std::vector<const AVCodecParameters*>& pars) {
  abandon();
  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, "mpegts", nullptr);
  if (err < 0 || !raw)
    return make_error("segment_open_failed", "mpegts muxer: " + av_error_text(err));
  OutputPtr ctx(raw);
  for (const auto* par : pars) {
    AVStream* st = avformat_new_stream(ctx.get(), nullptr);
    if (!st) return make_error("segment_open_failed", "out of memory");
    avcodec_parameters_copy(st->codecpar, par);
    st->codecpar->codec_tag = 0;
    st->time_base = AVRational{1, 90000};
  }
  ctx_ = std::move(ctx);
  header_written_ = false;
  return ok_status();
}

Status TsSegmentWriter::start_segment(const std::string& path) {
  if (!ctx_) return make_error("segment_not_open", "no session");
  if (ctx_->pb) return make_error("segment_open_failed", "previous segment not ended");
  int err = avio_open(&ctx_->pb, path.c_str(), AVIO_FLAG_WRITE);
  if (err < 0) return make_error("segment_open_failed", "open " + path + ": " + av_error_text(err));
  if (!header_written_) {
    AVDictionary* opts = nullptr;
    // PAT/PMT once per segment (resend_headers below), not periodically
    const std::string period = std::to_string(INT_MAX / 2 - 1);
    av_dict_set(&opts, "pat_period", period.c_str(), 0);
    av_dict_set(&opts, "sdt_period", period.c_str(), 0);
    err = avformat_write_header(ctx_.get(), &opts);
    av_dict_free(&opts);
    if (err < 0) return make_error("segment_open_failed", "mpegts header: " + av_error_text(err));
    header_written_ = true;
  } else {
    av_opt_set(ctx_->priv_data, "mpegts_flags", "resend_headers", 0);
  }
  return ok_status();
}

Status TsSegmentWriter::write(AVPacket* pkt) {
  if (!segment_open()) return make_error("segment_not_open", "no segment open");
  int err = av_write_frame(ctx_.get(), pkt);
  if (err < 0) return make_error("segment_write_failed", "mpegts write: " + av_error_text(err));
  return ok_status();
}

Result<int64_t> TsSegmentWriter::end_segment(bool last) {
  if (!segment_open()) {
    if (last) abandon();
    return int64_t{0};
  }
  int err = last ? av_write_trailer(ctx_.get()) : av_write_frame(ctx_.get(), nullptr);
  avio_flush(ctx_->pb);
  const int64_t bytes = avio_tell(ctx_->pb);
  avio_closep(&ctx_->pb);
  if (last) abandon();
  if (err < 0) return make_error("segment_write_failed", "mpegts flush: " + av_error_text(err));
  return bytes;
}

void TsSegmentWriter::abandon() {
  if (ctx_ && ctx_->pb) avio_closep(&ctx_->pb);
  ctx_.reset();
  header_written_ = false;
}

}  // namespace forumcast::stream
