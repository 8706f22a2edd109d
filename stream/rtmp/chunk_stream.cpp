// stream/rtmp/chunk_stream.cpp: RTMP chunk parsing and writing (spec 5.3). The
// reader never trusts a length: a chunk is parsed only once all of its bytes
// are present, message lengths and chunk sizes are checked against the limits,
// and a fmt 1-3 chunk on a chunk stream never seen with fmt 0 is an error.
#include "stream/rtmp/chunk_stream.hpp"

#include <algorithm>

namespace forumcast::stream::rtmp {
namespace {

uint32_t be(const unsigned char* p, int n) {
  uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

Error malformed(const std::string& what) {
  return make_error("rtmp_chunk_malformed", "RTMP chunk: " + what);
}

}  // namespace

Status ChunkReader::set_chunk_size(uint32_t size) {
  if (size < 1 || size > limits_.max_chunk_size)
    return make_error("rtmp_chunk_size_refused", "Set Chunk Size " + std::to_string(size) +
                                                     " outside 1.." +
                                                     std::to_string(limits_.max_chunk_size));
  chunk_size_ = size;
  return ok_status();
}

void ChunkReader::abort(uint32_t csid) {
  auto it = streams_.find(csid);
  if (it == streams_.end()) return;
  pending_ -= it->second.partial.size();
  it->second.partial.clear();
}

Result<std::optional<RtmpMessage>> ChunkReader::next() {
  for (;;) {
    const auto* p = reinterpret_cast<const unsigned char*>(buf_.data()) + pos_;
    const size_t avail = buf_.size() - pos_;
    if (avail < 1) break;
    // basic header
    size_t h = 1;
    const int fmt = p[0] >> 6;
    uint32_t csid = p[0] & 0x3F;
    if (csid == 0) {
      if (avail < 2) break;
      csid = 64 + p[1];
      h = 2;
    } else if (csid == 1) {
      if (avail < 3) break;
      csid = 64 + p[1] + 256u * p[2];
      h = 3;
    }
    static constexpr size_t kMsgHeader[4] = {11, 7, 3, 0};
    if (avail < h + kMsgHeader[fmt]) break;

    auto found = streams_.find(csid);
    if (found == streams_.end()) {
      if (fmt != 0)
        return malformed("fmt " + std::to_string(fmt) + " on new chunk stream " +
                         std::to_string(csid));
      if (streams_.size() >= limits_.max_chunk_streams) return malformed("too many chunk streams");
    }
    // Working copy of the header fields, committed once the whole chunk is here.
    // The payload received so far stays where it is (copying it per chunk made
    // parsing quadratic in the message size).
    StreamState* cur = found == streams_.end() ? nullptr : &found->second;
    StreamState st;
    if (cur) {
      st.timestamp = cur->timestamp;
      st.delta = cur->delta;
      st.length = cur->length;
      st.type = cur->type;
      st.stream_id = cur->stream_id;
      st.extended = cur->extended;
      st.has_header = cur->has_header;
    }
    const size_t have = cur ? cur->partial.size() : 0;
    const unsigned char* mh = p + h;
    const bool starting = have == 0;
    uint32_t ts_field = 0;
    if (fmt <= 2) ts_field = be(mh, 3);
    if (fmt <= 1) {
      st.length = be(mh + 3, 3);
      st.type = mh[6];
    }
    if (fmt == 0)
      st.stream_id = mh[7] | (mh[8] << 8) | (mh[9] << 16) | (static_cast<uint32_t>(mh[10]) << 24);
    if (fmt != 0 && !st.has_header) return malformed("no previous header on chunk stream");
    if (fmt != 3 && !starting)
      return malformed("new message header before the previous message finished");
    size_t need = h + kMsgHeader[fmt];
    bool ext = fmt <= 2 ? ts_field == 0xFFFFFF : st.extended;
    uint32_t ext_value = 0;
    if (ext) {
      if (avail < need + 4) break;
      ext_value = be(p + need, 4);
      need += 4;
    }
    if (st.length > limits_.max_message_bytes)
      return malformed("message of " + std::to_string(st.length) + " bytes over the limit");
    const uint32_t remaining = st.length - static_cast<uint32_t>(have);
    const uint32_t take = std::min(remaining, chunk_size_);
    if (avail < need + take) break;

    // whole chunk present: commit header state
    const uint32_t ts = ext ? ext_value : ts_field;
    if (fmt <= 2) st.extended = ext;
    if (fmt == 0) {
      st.timestamp = ts;
      st.delta = 0;
    } else if (fmt == 1 || fmt == 2) {
      st.delta = ts;
      st.timestamp += ts;
    } else if (starting) {
      st.timestamp += st.delta;  // fmt 3 starting a new message repeats the delta
    }
    st.has_header = true;
    if (pending_ + take > limits_.max_pending_bytes) return malformed("too many bytes pending");
    StreamState& dst = cur ? *cur : streams_[csid];
    std::string partial = std::move(dst.partial);
    dst = std::move(st);  // header fields; its partial is empty
    // One allocation per message (not a doubling series) for frame-sized messages;
    // larger ones grow as they arrive, so a peer's announced length alone reserves
    // at most kReserveMax per chunk stream.
    constexpr uint32_t kReserveMax = 256 * 1024;
    if (partial.empty() && dst.length <= kReserveMax) partial.reserve(dst.length);
    partial.append(reinterpret_cast<const char*>(p + need), take);
    pending_ += take;
    pos_ += need + take;

    std::optional<RtmpMessage> done;
    if (partial.size() == dst.length) {
      RtmpMessage m;
      m.csid = csid;
      m.type = dst.type;
      m.stream_id = dst.stream_id;
      m.timestamp = dst.timestamp;
      m.payload = std::move(partial);
      pending_ -= m.payload.size();
      done = std::move(m);
    } else {
      dst.partial = std::move(partial);
    }
    // compact the consumed prefix now and then
    if (pos_ > 65536 || pos_ == buf_.size()) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    if (done) return done;
  }
  return std::optional<RtmpMessage>{};
}

void ChunkWriter::write(const RtmpMessage& m, std::string& out) const {
  auto basic = [&](int fmt) {
    if (m.csid < 64) {
      out.push_back(static_cast<char>((fmt << 6) | m.csid));
    } else if (m.csid < 320) {
      out.push_back(static_cast<char>(fmt << 6));
      out.push_back(static_cast<char>(m.csid - 64));
    } else {
      out.push_back(static_cast<char>((fmt << 6) | 1));
      out.push_back(static_cast<char>((m.csid - 64) & 0xFF));
      out.push_back(static_cast<char>((m.csid - 64) >> 8));
    }
  };
  auto put = [&](uint32_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  const bool ext = m.timestamp >= 0xFFFFFF;
  basic(0);
  put(ext ? 0xFFFFFF : m.timestamp, 3);
  put(static_cast<uint32_t>(m.payload.size()), 3);
  out.push_back(static_cast<char>(m.type));
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((m.stream_id >> (8 * i)) & 0xFF));
  if (ext) put(m.timestamp, 4);
  size_t off = 0;
  do {
    if (off > 0) {
      basic(3);
      if (ext) put(m.timestamp, 4);
    }
    size_t n = std::min<size_t>(chunk_size_, m.payload.size() - off);
    out.append(m.payload, off, n);
    off += n;
  } while (off < m.payload.size());
}

}  // namespace forumcast::stream::rtmp
