// net/http.cpp: the std-only parts of net/http.hpp: request accessors, response
// helpers, the router's matching rules and percent-decoding. No lws here.
#include "net/http.hpp"

#include <algorithm>

namespace forumcast::net {
namespace {

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string HttpRequest::header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> HttpRequest::cookie(std::string_view name) const {
  std::string_view all = [&]() -> std::string_view {
    auto it = headers.find("cookie");
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  }();
  while (!all.empty()) {
    size_t semi = all.find(';');
    std::string_view part = trim(all.substr(0, semi));
    all = semi == std::string_view::npos ? std::string_view() : all.substr(semi + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(part.substr(0, eq)) == name) return std::string(trim(part.substr(eq + 1)));
  }
  return std::nullopt;
}

std::string HttpRequest::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? std::string() : it->second;
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::error(int status, std::string_view code, std::string_view message) {
  return json(status, "{\"error\":{\"code\":\"" + json_escape(code) + "\",\"message\":\"" +
                          json_escape(message) + "\"}}");
}

void HttpRouter::add_route(std::string method, std::string path, HttpHandler h) {
  Route r;
  r.method = std::move(method);
  if (!path.empty() && path.back() == '*') {
    path.pop_back();
    r.prefix = true;
  } else if (path.size() > 1 && path.back() == '/') {
    r.prefix = true;
  }
  r.path = std::move(path);
  r.handler = std::move(h);
  routes_.push_back(std::move(r));
}

void HttpRouter::add_sync_route(std::string method, std::string path, HttpSyncHandler h) {
  add_route(
      std::move(method), std::move(path),
      [h = std::move(h)](const HttpRequest& req, HttpResponderPtr res) { res->respond(h(req)); });
}

HttpRouter::Match HttpRouter::find(std::string_view method, std::string_view path) const {
  Match m;
  size_t best_len = 0;
  bool best_exact = false;
  for (const Route& r : routes_) {
    bool matches = r.prefix ? path.substr(0, r.path.size()) == r.path : path == r.path;
    if (!matches) continue;
    m.path_known = true;
    if (r.method != "*" && r.method != method) continue;
    bool exact = !r.prefix;
    if (m.handler == nullptr || (exact && !best_exact) ||
        (exact == best_exact && r.path.size() > best_len)) {
      m.handler = &r.handler;
      best_len = r.path.size();
      best_exact = exact;
    }
  }
  return m;
}

void HttpRouter::reserve_prefix(std::string prefix) {
  reserved_.push_back(std::move(prefix));
}

bool HttpRouter::is_reserved(std::string_view path) const {
  return std::any_of(reserved_.begin(), reserved_.end(),
                     [&](const std::string& p) { return path.substr(0, p.size()) == p; });
}

bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed) {
  if (origin.empty()) return false;
  if (!host.empty()) {
    if (origin.substr(0, 7) == "http://" && origin.substr(7) == host) return true;
    if (origin.substr(0, 8) == "https://" && origin.substr(8) == host) return true;
  }
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& a) { return a == origin; });
}

std::optional<std::string> url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace forumcast::net
