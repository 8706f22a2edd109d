// stream/media_files.cpp: URL -> file for HLS and replay (see media_files.hpp).
#include "stream/media_files.hpp"

#include <cctype>
#include <filesystem>

#include "stream/stream_service.hpp"

namespace forumcast::stream {
namespace {

bool segment_name(std::string_view f) {
  if (f.size() < 4 + 6 + 3 || f.substr(0, 4) != "seg-" || f.substr(f.size() - 3) != ".ts")
    return false;
  for (char c : f.substr(4, f.size() - 7))
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

std::optional<MediaFile> resolve_media_file(const std::string& data_dir, std::string_view path) {
  std::string dir;
  if (path.substr(0, 5) == "/hls/") {
    dir = "hls";
  } else if (path.substr(0, 5) == "/rec/") {
    dir = "recordings";
  } else {
    return std::nullopt;
  }
  path.remove_prefix(5);
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string forum(path.substr(0, slash));
  const std::string_view file = path.substr(slash + 1);
  if (!valid_forum_id(forum)) return std::nullopt;
  MediaFile m;
  m.forum_id = forum;
  if (file == "index.m3u8") {
    m.content_type = "application/vnd.apple.mpegurl";
    m.cache_control = "no-cache";
    m.playlist = true;
  } else if (segment_name(file)) {
    m.content_type = "video/mp2t";
    m.cache_control = "public, max-age=86400, immutable";
  } else {
    return std::nullopt;
  }
  m.fs_path = data_dir + "/" + dir + "/" + forum + "/" + std::string(file);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(m.fs_path, ec)) return std::nullopt;
  return m;
}

}  // namespace forumcast::stream
