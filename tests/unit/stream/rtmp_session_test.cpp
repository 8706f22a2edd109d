// tests/unit/stream/rtmp_session_test.cpp: the publisher conversation as
// ffmpeg and OBS hold it, with a fake authenticator: accepted and refused
// keys, unknown application, media before publish, play refused.
#include "stream/rtmp/rtmp_session.hpp"

#include <gtest/gtest.h>

#include "rtmp_test_util.hpp"

namespace forumcast::stream::rtmp {
namespace {
using namespace testing;

struct Harness {
  std::vector<RtmpMessage> media;
  std::vector<std::string> asked;
  RtmpSession session;
  Harness()
      : session(
            ChunkLimits{}, "live",
            RtmpSession::Hooks{[this](const std::string& app, const std::string& key) -> Status {
                                 asked.push_back(app + "/" + key);
                                 if (key == "fc_live_0123") return ok_status();
                                 if (key == "fc_archived")
                                   return make_error("forum_archived", "forum is archived");
                                 return make_error("stream_key_unknown", "unknown stream key");
                               },
                               [this](const RtmpMessage& m) { media.push_back(m); }}) {}
  Status send(const std::string& bytes) { return session.on_bytes(bytes); }
  std::vector<std::string> codes() {
    auto out = session.output();
    session.output().clear();
    // skip S0 S1 S2 if present
    if (!out.empty() && out[0] == 3 && out.size() >= 1 + 2 * 1536) out.erase(0, 1 + 2 * 1536);
    return status_codes(server_messages(out));
  }
};

TEST(StreamRtmpSession, HandshakeEchoesC1InS2) {
  Harness h;
  const std::string c1 = c0c1();
  ASSERT_TRUE(h.send(c1).ok());
  const std::string& out = h.session.output();
  ASSERT_EQ(out.size(), 1u + 2 * 1536);
  EXPECT_EQ(out[0], 3);
  EXPECT_EQ(out.substr(1 + 1536), c1.substr(1));
}

TEST(StreamRtmpSession, AcceptedPublishPassesMediaOnAndStripsSetDataFrame) {
  Harness h;
  ASSERT_TRUE(h.send(c0c1() + c2() + connect_cmd("live")).ok());
  auto codes = h.codes();
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0], "NetConnection.Connect.Success");
  ASSERT_TRUE(h.send(publish_cmd("fc_live_0123?obs=1")).ok());
  EXPECT_EQ(h.asked, std::vector<std::string>{"live/fc_live_0123"});
  EXPECT_EQ(h.codes(), std::vector<std::string>{"NetStream.Publish.Start"});
  EXPECT_TRUE(h.session.publishing());

  RtmpMessage meta;
  meta.csid = 4;
  meta.type = kDataAmf0;
  meta.stream_id = 1;
  meta.payload = amf0_encode_all({Amf0Value::str("@setDataFrame"), Amf0Value::str("onMetaData"),
                                  Amf0Value::obj({{"width", Amf0Value::num(640)}})});
  std::string bytes;
  ChunkWriter().write(meta, bytes);
  bytes += media(kVideo, 0, std::string("\x17\x00\x00\x00\x00", 5) + "sps");
  bytes += media(kAudio, 23,
                 "\xaf\x01"
                 "aac");
  ASSERT_TRUE(h.send(bytes).ok());
  ASSERT_EQ(h.media.size(), 3u);
  auto first = amf0_decode(h.media[0].payload);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)[0].string, "onMetaData");
  EXPECT_EQ(h.media[1].type, kVideo);
  EXPECT_EQ(h.media[2].timestamp, 23u);
}

TEST(StreamRtmpSession, WrongOrArchivedKeyGetsBadNameAndNoMedia) {
  for (const char* key : {"wrong", "fc_archived", ""}) {
    Harness h;
    ASSERT_TRUE(h.send(c0c1() + c2() + connect_cmd("live")).ok());
    h.codes();
    ASSERT_TRUE(h.send(publish_cmd(key)).ok());
    EXPECT_EQ(h.codes(), std::vector<std::string>{"NetStream.Publish.BadName"}) << key;
    EXPECT_TRUE(h.session.closing());
    EXPECT_FALSE(h.session.publishing());
    ASSERT_TRUE(h.send(media(kVideo, 0, "\x17\x00")).ok());  // ignored after closing
    EXPECT_TRUE(h.media.empty());
  }
}

TEST(StreamRtmpSession, UnknownApplicationIsRejectedAtConnect) {
  Harness h;
  ASSERT_TRUE(h.send(c0c1() + c2() + connect_cmd("vod")).ok());
  EXPECT_EQ(h.codes(), std::vector<std::string>{"NetConnection.Connect.Rejected"});
  EXPECT_TRUE(h.session.closing());
  EXPECT_TRUE(h.asked.empty());
}

TEST(StreamRtmpSession, MediaBeforePublishClosesTheConnection) {
  Harness h;
  ASSERT_TRUE(h.send(c0c1() + c2() + connect_cmd("live")).ok());
  auto st = h.send(media(kVideo, 0, "\x17\x00"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "rtmp_media_before_publish");
  EXPECT_TRUE(h.media.empty());
}

TEST(StreamRtmpSession, PlayIsRefusedAndBadVersionFailsTheHandshake) {
  Harness h;
  ASSERT_TRUE(h.send(c0c1() + c2() + connect_cmd("live")).ok());
  h.codes();
  ASSERT_TRUE(h.send(command(1, {Amf0Value::str("play"), Amf0Value::num(0), Amf0Value::null_value(),
                                 Amf0Value::str("fc_live_0123")}))
                  .ok());
  EXPECT_EQ(h.codes(), std::vector<std::string>{"NetStream.Play.Failed"});

  Harness v;
  std::string bad = c0c1();
  bad[0] = 6;  // RTMPE
  auto st = v.send(bad);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "rtmp_handshake");
}

TEST(StreamRtmpSession, UnpublishEndsTheSession) {
  Harness h;
  ASSERT_TRUE(h.send(c0c1() + c2() + connect_cmd("live") + publish_cmd("fc_live_0123")).ok());
  h.codes();
  ASSERT_TRUE(h.send(command(1, {Amf0Value::str("deleteStream"), Amf0Value::num(6),
                                 Amf0Value::null_value(), Amf0Value::num(1)}))
                  .ok());
  EXPECT_TRUE(h.session.closing());
  EXPECT_EQ(h.session.close_reason(), "publisher_closed");
}

}  // namespace
}  // namespace forumcast::stream::rtmp
