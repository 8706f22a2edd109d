// tests/unit/stream/media_files_test.cpp: HLS/replay URL -> file, MIME type and
// cache policy; anything else (traversal, odd names, missing files) is a 404.
#include "stream/media_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace forumcast::stream {
namespace {
namespace fs = std::filesystem;

TEST(StreamMediaFiles, ResolvesPlaylistsAndSegmentsWithTheirCachePolicy) {
  const fs::path root = fs::temp_directory_path() / "forumcast-media-files-test";
  fs::remove_all(root);
  fs::create_directories(root / "hls/f7q2mzk4aa");
  fs::create_directories(root / "recordings/f7q2mzk4aa");
  for (auto p : {"hls/f7q2mzk4aa/index.m3u8", "hls/f7q2mzk4aa/seg-000012.ts",
                 "recordings/f7q2mzk4aa/index.m3u8"})
    std::ofstream(root / p) << "x";
  const std::string d = root.string();

  auto pl = resolve_media_file(d, "/hls/f7q2mzk4aa/index.m3u8");
  ASSERT_TRUE(pl);
  EXPECT_EQ(pl->content_type, "application/vnd.apple.mpegurl");
  EXPECT_EQ(pl->cache_control, "no-cache");
  EXPECT_TRUE(pl->playlist);
  EXPECT_EQ(pl->forum_id, "f7q2mzk4aa");
  auto seg = resolve_media_file(d, "/hls/f7q2mzk4aa/seg-000012.ts");
  ASSERT_TRUE(seg);
  EXPECT_EQ(seg->content_type, "video/mp2t");
  EXPECT_NE(seg->cache_control.find("max-age"), std::string::npos);
  EXPECT_FALSE(seg->playlist);
  auto rec = resolve_media_file(d, "/rec/f7q2mzk4aa/index.m3u8");
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->fs_path, d + "/recordings/f7q2mzk4aa/index.m3u8");

  for (const char* bad :
       {"/hls/f7q2mzk4aa/seg-000013.ts", "/hls/../etc/passwd", "/hls/f7q2mzk4aa/../x/index.m3u8",
        "/hls/f7q2mzk4aa/recording.json", "/hls/f7q2mzk4aa/seg-00x012.ts", "/hls/f7q2mzk4aa",
        "/hls//index.m3u8", "/rec/f7q2mzk4aa/index.m3u8.tmp", "/f/f7q2mzk4aa/index.m3u8"})
    EXPECT_FALSE(resolve_media_file(d, bad)) << bad;
  fs::remove_all(root);
}

}  // namespace
}  // namespace forumcast::stream
