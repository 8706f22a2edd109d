// tests/unit/server/static_files_test.cpp: net/static_files: MIME types, cache
// policy, SPA fallback and refusal of traversal, on a web root made in a temp dir.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "net/static_files.hpp"
#include "support/temp_dir.hpp"

namespace forumcast::net {
namespace {

struct ServerStaticFiles : ::testing::Test {
  test::TempDir dir{"forumcast-static"};
  std::string root;
  void SetUp() override {
    root = dir.file("dist");
    std::filesystem::create_directories(root + "/assets");
    test::write_file(root + "/index.html", "<!doctype html>");
    test::write_file(root + "/assets/index-abc123.js", "console.log(1)");
    test::write_file(root + "/favicon.svg", "<svg/>");
    test::write_file(root + "/.env", "SECRET=1");
    test::write_file(dir.file("outside.txt"), "secret");
    std::filesystem::create_symlink(dir.file("outside.txt"), root + "/link.txt");
  }
};

TEST_F(ServerStaticFiles, ServesFilesWithTypesAndCachePolicy) {
  auto idx = resolve_static(root, "/");
  ASSERT_TRUE(idx);
  EXPECT_EQ(idx->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(idx->cache_control, "no-cache");
  auto js = resolve_static(root, "/assets/index-abc123.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(js->cache_control.find("max-age=31536000"), std::string::npos);
  auto svg = resolve_static(root, "/favicon.svg");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->content_type, "image/svg+xml");
  EXPECT_EQ(svg->cache_control, "no-cache");
}

TEST_F(ServerStaticFiles, ClientRoutesFallBackToIndex) {
  for (const char* p : {"/f/k3m9q2xw7a", "/mod/k3m9q2xw7a", "/login", "/org/forums/new",
                        "/present/abc", "/overlay/abc"}) {
    auto f = resolve_static(root, p);
    ASSERT_TRUE(f) << p;
    EXPECT_EQ(std::filesystem::path(f->fs_path).filename(), "index.html") << p;
    EXPECT_EQ(f->cache_control, "no-cache");
  }
  EXPECT_FALSE(resolve_static(root, "/assets/missing.js"));
  EXPECT_FALSE(resolve_static(root, "/missing.png"));
}

TEST_F(ServerStaticFiles, RefusesTraversalHiddenFilesAndEscapingSymlinks) {
  EXPECT_FALSE(resolve_static(root, "/../outside.txt"));
  EXPECT_FALSE(resolve_static(root, "/assets/../../outside.txt"));
  EXPECT_FALSE(resolve_static(root, "/.env"));
  EXPECT_FALSE(resolve_static(root, "/link.txt"));
  EXPECT_FALSE(resolve_static(root, "relative"));
  EXPECT_FALSE(resolve_static("", "/"));
}

TEST(ServerStaticMime, KnowsMediaAndFontTypes) {
  EXPECT_EQ(mime_type_for("/hls/x/index.m3u8"), "application/vnd.apple.mpegurl");
  EXPECT_EQ(mime_type_for("/hls/x/seg1.ts"), "video/mp2t");
  EXPECT_EQ(mime_type_for("/hls/x/seg1.m4s"), "video/iso.segment");
  EXPECT_EQ(mime_type_for("/r.mp4"), "video/mp4");
  EXPECT_EQ(mime_type_for("/manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(mime_type_for("/f.woff2"), "font/woff2");
  EXPECT_EQ(mime_type_for("/A.PNG"), "image/png");
  EXPECT_EQ(mime_type_for("/noext"), "application/octet-stream");
  EXPECT_EQ(mime_type_for("/dir.v2/noext"), "application/octet-stream");
}

}  // namespace
}  // namespace forumcast::net
