// net/static_files.hpp: maps a URL path to a file of the built web client: MIME
// types, cache policy (hashed /assets/* cached for a year, index.html revalidated),
// the single-page-app fallback to index.html for client routes, and refusal of
// traversal ("..", hidden files, symlinks out of the root). Standard library only;
// the transport streams the file. Internal to net/ (and its tests).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace forumcast::net {

struct StaticFile {
  std::string fs_path;
  std::string content_type;
  std::string cache_control;
};

// url_path is already percent-decoded and starts with '/'. nullopt: 404.
// Client routes (a last segment without a '.') fall back to index.html.
std::optional<StaticFile> resolve_static(const std::string& web_root, std::string_view url_path);

// "text/html; charset=utf-8" etc. by extension; "application/octet-stream" if unknown.
std::string mime_type_for(std::string_view path);

}  // namespace forumcast::net
