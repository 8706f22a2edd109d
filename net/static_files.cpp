// net/static_files.cpp: see static_files.hpp. Pure path logic plus stat/realpath;
// no sockets.
#include "net/static_files.hpp"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <utility>

namespace forumcast::net {
namespace {

struct MimeEntry {
  const char* ext;
  const char* type;
};

// lws 4.1's own table lacks several of these (HLS, fonts, manifests).
constexpr MimeEntry kMime[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"txt", "text/plain; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"xml", "application/xml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"wasm", "application/wasm"},
    {"pdf", "application/pdf"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"m3u8", "application/vnd.apple.mpegurl"},
    {"ts", "video/mp2t"},
    {"m4s", "video/iso.segment"},
    {"mp4", "video/mp4"},
    {"m4a", "audio/mp4"},
    {"vtt", "text/vtt; charset=utf-8"},
};

bool is_regular_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string real_path(const std::string& p) {
  char buf[PATH_MAX];
  if (::realpath(p.c_str(), buf) == nullptr) return {};
  return buf;
}

// Every segment must be a plain name: no "", ".", "..", no leading '.', no NUL
// or backslash.
bool safe_path(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return false;
  size_t pos = 1;
  while (pos <= url_path.size()) {
    size_t next = url_path.find('/', pos);
    if (next == std::string_view::npos) next = url_path.size();
    std::string_view seg = url_path.substr(pos, next - pos);
    if (!seg.empty() && seg.front() == '.') return false;
    if (seg.find('\0') != std::string_view::npos || seg.find('\\') != std::string_view::npos)
      return false;
    pos = next + 1;
  }
  return true;
}

std::optional<StaticFile> make(const std::string& root_real, const std::string& fs_path,
                               std::string cache) {
  std::string real = real_path(fs_path);
  if (real.empty() || real.compare(0, root_real.size(), root_real) != 0 ||
      (real.size() > root_real.size() && real[root_real.size()] != '/'))
    return std::nullopt;
  if (!is_regular_file(real)) return std::nullopt;
  return StaticFile{real, mime_type_for(real), std::move(cache)};
}

}  // namespace

std::string mime_type_for(std::string_view path) {
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return "application/octet-stream";
  std::string ext(path.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (const auto& e : kMime)
    if (ext == e.ext) return e.type;
  return "application/octet-stream";
}

std::optional<StaticFile> resolve_static(const std::string& web_root, std::string_view url_path) {
  if (web_root.empty() || !safe_path(url_path)) return std::nullopt;
  std::string root_real = real_path(web_root);
  if (root_real.empty()) return std::nullopt;
  static constexpr const char* kNoCache = "no-cache";
  if (url_path == "/" || url_path == "/index.html")
    return make(root_real, root_real + "/index.html", kNoCache);

  std::string candidate = root_real + std::string(url_path);
  if (is_regular_file(candidate)) {
    bool hashed = url_path.substr(0, 8) == "/assets/";
    return make(root_real, candidate, hashed ? "public, max-age=31536000, immutable" : kNoCache);
  }
  // Client-side routes (/f/<id>, /mod/<id>, /login, ...): no extension in the last
  // segment means "a page", answered by the app shell.
  std::string_view last = url_path.substr(url_path.rfind('/') + 1);
  if (last.find('.') == std::string_view::npos)
    return make(root_real, root_real + "/index.html", kNoCache);
  return std::nullopt;
}

}  // namespace forumcast::net
