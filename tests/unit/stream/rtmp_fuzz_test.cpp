// tests/unit/stream/rtmp_fuzz_test.cpp: fuzz-like loops (fixed seeds, bounded
// counts) over random and mutated bytes through the AMF0 decoder, the chunk
// reader and the whole publisher state machine. The assertion is that nothing
// crashes or trips ASan/UBSan, and that every failure is a coded Error.
#include <gtest/gtest.h>

#include <random>

#include "rtmp_test_util.hpp"
#include "stream/rtmp/rtmp_session.hpp"

namespace forumcast::stream::rtmp {
namespace {
using namespace testing;

std::string random_bytes(std::mt19937& rng, size_t n) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string mutate(std::mt19937& rng, std::string s) {
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int i = 0; i < edits && !s.empty(); ++i) {
    size_t at = rng() % s.size();
    switch (rng() % 4) {
      case 0:
        s[at] = static_cast<char>(rng());
        break;
      case 1:
        s.erase(at, 1 + rng() % 16);
        break;
      case 2:
        s.insert(at, random_bytes(rng, 1 + rng() % 16));
        break;
      case 3:
        s[at] = static_cast<char>(0xFF);
        break;
    }
  }
  return s;
}

std::string valid_publisher_stream() {
  std::string s =
      c0c1() + c2() + connect_cmd("live") +
      command(0, {Amf0Value::str("createStream"), Amf0Value::num(4), Amf0Value::null_value()}) +
      publish_cmd("fc_live_0123");
  for (uint32_t t = 0; t < 10; ++t) {
    s += media(kVideo, t * 40, std::string("\x27\x01\x00\x00\x00", 5) + std::string(300, 'v'));
    s += media(kAudio, t * 23, "\xaf\x01" + std::string(50, 'a'));
  }
  return s;
}

TEST(StreamRtmpFuzz, Amf0SurvivesRandomAndMutatedInput) {
  std::mt19937 rng(1234);
  const std::string seed =
      amf0_encode_all({Amf0Value::str("connect"), Amf0Value::num(1),
                       Amf0Value::obj({{"app", Amf0Value::str("live")},
                                       {"o", Amf0Value::obj({{"x", Amf0Value::num(1)}})}})});
  for (int i = 0; i < 3000; ++i) {
    auto out = amf0_decode(i % 2 ? random_bytes(rng, rng() % 200) : mutate(rng, seed));
    if (!out.ok()) {
      EXPECT_EQ(out.error().code, "rtmp_amf_malformed");
    }
  }
}

TEST(StreamRtmpFuzz, ChunkReaderSurvivesRandomInput) {
  std::mt19937 rng(99);
  for (int i = 0; i < 2000; ++i) {
    ChunkReader r(ChunkLimits{65536, 1 << 20, 16, 1 << 21});
    r.feed(random_bytes(rng, rng() % 2000));
    for (int k = 0; k < 100; ++k) {
      auto m = r.next();
      if (!m.ok()) {
        EXPECT_EQ(m.error().code, "rtmp_chunk_malformed");
        break;
      }
      if (!m.value()) break;
    }
    EXPECT_LE(r.buffered(), 2000u);
  }
}

TEST(StreamRtmpFuzz, SessionSurvivesMutatedPublisherStreams) {
  std::mt19937 rng(7);
  const std::string good = valid_publisher_stream();
  int errors = 0, published = 0;
  for (int i = 0; i < 1500; ++i) {
    size_t media_bytes = 0;
    RtmpSession s(
        ChunkLimits{65536, 1 << 20, 16, 1 << 21}, "live",
        RtmpSession::Hooks{[](const std::string&, const std::string& key) -> Status {
                             return key == "fc_live_0123"
                                        ? ok_status()
                                        : Status(make_error("stream_key_unknown", "no"));
                           },
                           [&](const RtmpMessage& m) { media_bytes += m.payload.size(); }});
    const std::string input = i == 0 ? good : mutate(rng, good);
    // deliver in random-sized pieces, as TCP would
    size_t at = 0;
    Status st = ok_status();
    while (at < input.size() && st.ok() && !s.closing()) {
      size_t n = std::min<size_t>(input.size() - at, 1 + rng() % 3000);
      st = s.on_bytes(std::string_view(input).substr(at, n));
      at += n;
      s.output().clear();
    }
    if (!st.ok()) {
      ++errors;
      EXPECT_FALSE(st.error().code.empty());
    }
    if (s.publishing()) ++published;
    if (!s.publishing()) {
      EXPECT_EQ(media_bytes, 0u) << "media accepted without an authorized publish";
    }
  }
  EXPECT_GT(published, 0);  // the unmutated stream (and some mutants) publish
  EXPECT_GT(errors, 0);     // and many mutants are refused with a coded error
}

TEST(StreamRtmpFuzz, RandomBytesAfterTheHandshake) {
  std::mt19937 rng(42);
  for (int i = 0; i < 1000; ++i) {
    RtmpSession s(ChunkLimits{}, "live",
                  RtmpSession::Hooks{[](auto&, auto&) { return ok_status(); }, [](auto&) {}});
    (void)s.on_bytes(c0c1() + c2());
    auto st = s.on_bytes(random_bytes(rng, rng() % 4000));
    if (!st.ok()) {
      EXPECT_FALSE(st.error().code.empty());
    }
  }
}

}  // namespace
}  // namespace forumcast::stream::rtmp
