// tests/unit/stream/hls_playlist_test.cpp: live window, media and
// discontinuity sequence numbers (RFC 8216 6.2.2), deletion lag, event and VOD
// playlists and their parser.
#include "stream/hls_playlist.hpp"

#include <gtest/gtest.h>

namespace forumcast::stream {
namespace {

SegmentEntry seg(int64_t n, bool disc = false, double d = 1.0) {
  SegmentEntry e;
  e.number = n;
  e.uri = "seg-" + std::string(6 - std::to_string(n).size(), '0') + std::to_string(n) + ".ts";
  e.duration_s = d;
  e.stream_ms = n * 1000;
  e.pdt_wall_ms = 1'764'900'000'000 + n * 1000;
  e.discontinuity = disc;
  return e;
}

bool contains(const std::string& s, const std::string& x) {
  return s.find(x) != std::string::npos;
}

TEST(StreamHlsPlaylist, SlidingWindowWithSequenceNumbersAndDeletionLag) {
  LivePlaylist p(3, 1);
  std::vector<std::string> deleted;
  for (int i = 0; i < 8; ++i)
    for (auto& d : p.add(seg(i))) deleted.push_back(d);
  const std::string text = p.render();
  EXPECT_TRUE(contains(text, "#EXT-X-MEDIA-SEQUENCE:5\n"));
  EXPECT_TRUE(contains(text, "seg-000007.ts"));
  EXPECT_FALSE(contains(text, "seg-000004.ts"));
  EXPECT_TRUE(contains(text, "#EXT-X-TARGETDURATION:1\n"));
  EXPECT_TRUE(contains(text, "#EXT-X-PROGRAM-DATE-TIME:2025-12-05T02:00:07.000Z"));
  EXPECT_FALSE(contains(text, "#EXT-X-ENDLIST"));
  // out of the window for one more window before deletion
  EXPECT_EQ(deleted, (std::vector<std::string>{"seg-000000.ts", "seg-000001.ts"}));
}

TEST(StreamHlsPlaylist, DiscontinuitySequenceCountsTagsThatScrolledOut) {
  LivePlaylist p(3, 1);
  p.add(seg(0));
  p.add(seg(1));
  p.add(seg(2, /*disc=*/true));  // publisher came back
  p.add(seg(3));
  std::string text = p.render();
  EXPECT_TRUE(contains(text, "#EXT-X-DISCONTINUITY-SEQUENCE:0\n"));
  EXPECT_TRUE(
      contains(text, "#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2025-12-05T02:00:02.000Z"));
  p.add(seg(4));
  p.add(seg(5));  // seg 2 and its tag leave the window
  text = p.render();
  EXPECT_TRUE(contains(text, "#EXT-X-DISCONTINUITY-SEQUENCE:1\n"));
  EXPECT_FALSE(contains(text, "#EXT-X-DISCONTINUITY\n"));
  EXPECT_EQ(p.discontinuity_sequence(), 1);
}

TEST(StreamHlsPlaylist, TargetDurationGrowsForALongGopAndEndListWhenEnded) {
  LivePlaylist p(6, 1);
  p.add(seg(0, false, 1.0));
  p.add(seg(1, false, 4.2));  // publisher with a 4 s keyframe interval
  p.set_ended(true);
  const std::string text = p.render();
  EXPECT_TRUE(contains(text, "#EXT-X-TARGETDURATION:4\n"));
  EXPECT_TRUE(contains(text, "#EXT-X-ENDLIST\n"));
}

TEST(StreamHlsPlaylist, EventEntriesParseBackAndBecomeVod) {
  std::string text = event_playlist_header(1);
  text += event_playlist_entry(seg(0));
  text += event_playlist_entry(seg(1));
  text += event_playlist_entry(seg(7, true, 1.52));
  auto segs = parse_playlist(text);
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[2].number, 7);
  EXPECT_TRUE(segs[2].discontinuity);
  EXPECT_FALSE(segs[1].discontinuity);
  EXPECT_NEAR(segs[2].duration_s, 1.52, 1e-9);
  EXPECT_EQ(segs[2].stream_ms, 7000);
  EXPECT_EQ(segs[2].pdt_wall_ms, 1'764'900'007'000);
  const std::string vod = vod_playlist(segs, 1);
  EXPECT_TRUE(contains(vod, "#EXT-X-PLAYLIST-TYPE:VOD\n"));
  EXPECT_TRUE(contains(vod, "#EXT-X-TARGETDURATION:2\n"));  // 1.52 rounds to 2
  EXPECT_TRUE(contains(vod, "#EXT-X-ENDLIST\n"));
  EXPECT_EQ(parse_playlist(vod).size(), 3u);
  // a torn last line (kill -9 mid-append) loses only that entry
  EXPECT_EQ(parse_playlist(text.substr(0, text.size() - 8)).size(), 2u);
}

}  // namespace
}  // namespace forumcast::stream
