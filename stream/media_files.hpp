// stream/media_files.hpp: which file answers an HLS or replay URL, with its MIME
// type and cache policy, so the server's HTTP routes stay a few lines and know
// nothing of the on-disk layout. Strict names only (no traversal possible):
//   /hls/<forum-id>/index.m3u8        live playlist        no-cache
//   /hls/<forum-id>/seg-NNNNNN.ts     live segment         cacheable (never rewritten)
//   /rec/<forum-id>/index.m3u8        recording playlist   no-cache (grows while live)
//   /rec/<forum-id>/seg-NNNNNN.ts     recorded segment     cacheable
// Standard library only; the transport streams the file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace forumcast::stream {

struct MediaFile {
  std::string fs_path;
  std::string content_type;   // application/vnd.apple.mpegurl | video/mp2t
  std::string cache_control;  // "no-cache" | "public, max-age=86400, immutable"
  std::string forum_id;
  bool playlist = false;  // count it as a viewer (StreamService::note_viewer)
};

// url_path is percent-decoded, without query. nullopt: 404 (unknown shape or no file).
std::optional<MediaFile> resolve_media_file(const std::string& data_dir, std::string_view url_path);

}  // namespace forumcast::stream
