// stream/segment_writer.cpp: one MPEG-TS file per segment through libav's
// mpegts muxer. A fresh muxer per file writes PAT/PMT first, so each segment
// decodes on its own (RFC 8216 EXT-X-INDEPENDENT-SEGMENTS); the muxer inserts
// h264_mp4toannexb and ADTS framing itself for FLV-style H.264/AAC input.
#include "stream/segment_writer.hpp"

namespace forumcast::stream {

Status TsSegmentWriter::open(const std::string& path, const std::vector<const AVCodecParameters*>& pars) {
  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, "mpegts", path.c_str());
  if (err < 0 || !raw) return make_error("segment_open_failed", "mpegts muxer: " + av_error_text(err));
  OutputPtr ctx(raw);
  for (const auto* par : pars) {
    AVStream* st = avformat_new_stream(ctx.get(), nullptr);
    if (!st) return make_error("segment_open_failed", "out of memory");
    avcodec_parameters_copy(st->codecpar, par);
    st->codecpar->codec_tag = 0;
    st->time_base = AVRational{1, 90000};
  }
  if ((err = avio_open(&ctx->pb, path.c_str(), AVIO_FLAG_WRITE)) < 0)
    return make_error("segment_open_failed", "open " + path + ": " + av_error_text(err));
  // The mpegts muxer adds 2 x max_delay (1.4 s) to every timestamp so that the
  // PCR stays ahead of them; the offset is the same in every segment, so the
  // playlist positions (and stream_ms) are unaffected. mp4_export removes it.
  err = avformat_write_header(ctx.get(), nullptr);
  if (err < 0) return make_error("segment_open_failed", "mpegts header: " + av_error_text(err));
  ctx_ = std::move(ctx);
  path_ = path;
  return ok_status();
}

Status TsSegmentWriter::write(AVPacket* pkt) {
  if (!ctx_) return make_error("segment_not_open", "no segment open");
  int err = av_write_frame(ctx_.get(), pkt);
  if (err < 0) return make_error("segment_write_failed", "mpegts write: " + av_error_text(err));
  return ok_status();
}

Result<int64_t> TsSegmentWriter::close() {
  if (!ctx_) return int64_t{0};
  int err = av_write_trailer(ctx_.get());
  int64_t bytes = ctx_->pb ? avio_tell(ctx_->pb) : 0;
  ctx_.reset();
  if (err < 0) return make_error("segment_write_failed", "mpegts trailer: " + av_error_text(err));
  return bytes;
}

}  // namespace forumcast::stream
