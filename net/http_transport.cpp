// net/http_transport.cpp: plain HTTP on the lws "http" protocol: collects a request
// (method, path, query, the headers the server uses, a body up to the limit),
// routes it (router, then static files with the SPA fallback), and writes the
// response from LWS_CALLBACK_HTTP_WRITEABLE. Responses may come later from
// another thread through Loop::defer (HttpResponder). Security headers are added
// by lws from the vhost header list (loop.cpp), so they are on every response.
#include <algorithm>
#include <cstring>
#include <filesystem>

#include "net/loop_impl.hpp"
#include "net/static_files.hpp"

namespace forumcast::net {
namespace {

struct HttpPss {
  HttpSession* s;
};

constexpr size_t kBodyChunk = 32 * 1024;

class Responder final : public HttpResponder {
 public:
  Responder(Loop::Impl* impl, uint64_t id) : impl_(impl), id_(id) {}
  void respond(HttpResponse r) override {
    if (done_.exchange(true)) return;
    if (impl_->running && impl_->on_service_thread()) {
      impl_->deliver(id_, std::move(r));
      return;
    }
    Loop::Impl* impl = impl_;
    uint64_t id = id_;
    auto shared = std::make_shared<HttpResponse>(std::move(r));
    std::lock_guard<std::mutex> lock(impl->deferred_mu);
    impl->deferred.push_back([impl, id, shared]() { impl->deliver(id, std::move(*shared)); });
    if (impl->ctx) lws_cancel_service(impl->ctx);
  }

 private:
  Loop::Impl* impl_;
  uint64_t id_;
  std::atomic<bool> done_{false};
};

struct MethodToken {
  lws_token_indexes token;
  const char* name;
};
constexpr MethodToken kMethods[] = {
    {WSI_TOKEN_GET_URI, "GET"},       {WSI_TOKEN_POST_URI, "POST"},
    {WSI_TOKEN_PUT_URI, "PUT"},       {WSI_TOKEN_PATCH_URI, "PATCH"},
    {WSI_TOKEN_DELETE_URI, "DELETE"}, {WSI_TOKEN_OPTIONS_URI, "OPTIONS"},
    {WSI_TOKEN_HEAD_URI, "HEAD"},
};

struct HeaderToken {
  lws_token_indexes token;
  const char* name;
};
constexpr HeaderToken kHeaders[] = {
    {WSI_TOKEN_HOST, "host"},
    {WSI_TOKEN_ORIGIN, "origin"},
    {WSI_TOKEN_HTTP_COOKIE, "cookie"},
    {WSI_TOKEN_HTTP_AUTHORIZATION, "authorization"},
    {WSI_TOKEN_HTTP_CONTENT_TYPE, "content-type"},
    {WSI_TOKEN_HTTP_CONTENT_LENGTH, "content-length"},
    {WSI_TOKEN_HTTP_USER_AGENT, "user-agent"},
    {WSI_TOKEN_HTTP_TRANSFER_ENCODING, "transfer-encoding"},
    {WSI_TOKEN_HTTP_ACCEPT, "accept"},
    {WSI_TOKEN_X_FORWARDED_FOR, "x-forwarded-for"},
};

std::string method_of(lws* wsi) {
  for (const auto& m : kMethods)
    if (lws_hdr_total_length(wsi, m.token) > 0) return m.name;
  return "";
}

void fill_query(lws* wsi, HttpRequest& req) {
  char buf[1024];
  for (int i = 0;; ++i) {
    int n = lws_hdr_copy_fragment(wsi, buf, sizeof buf, WSI_TOKEN_HTTP_URI_ARGS, i);
    if (n < 0) break;
    std::string_view frag(buf, static_cast<size_t>(n));
    size_t eq = frag.find('=');
    std::string key(frag.substr(0, eq));
    std::string val(eq == std::string_view::npos ? std::string_view() : frag.substr(eq + 1));
    req.query.emplace(std::move(key), std::move(val));
  }
}

bool add_header(lws* wsi, const std::string& name, const std::string& value, unsigned char** p,
                unsigned char* end) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  n += ':';
  return lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(n.c_str()),
                                     reinterpret_cast<const unsigned char*>(value.data()),
                                     static_cast<int>(value.size()), p, end) == 0;
}

size_t header_bytes(const HttpResponse& r) {
  size_t n = 512 + r.content_type.size();
  for (const auto& [k, v] : r.headers) n += k.size() + v.size() + 4;
  return n + 2048;  // the vhost's security headers
}

void free_session(Loop::Impl* impl, HttpPss* pss) {
  if (!pss || !pss->s) return;
  impl->http_sessions.erase(pss->s->id);
  delete pss->s;
  pss->s = nullptr;
}

// Finishes the transaction: 0 to keep the connection, -1 to close it.
int finish(Loop::Impl* impl, lws* wsi, HttpPss* pss) {
  bool close = pss->s && (pss->s->close_after || impl->stopping);
  free_session(impl, pss);
  if (close) return -1;
  return lws_http_transaction_completed(wsi) ? -1 : 0;
}

}  // namespace

void Loop::Impl::deliver(uint64_t session_id, HttpResponse r) {
  auto it = http_sessions.find(session_id);
  if (it == http_sessions.end()) return;  // the client has gone
  HttpSession* s = it->second;
  if (s->resp) return;
  s->resp = std::move(r);
  lws_callback_on_writable(s->wsi);
}

int Loop::Impl::http_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                              size_t len) {
  auto* pss = static_cast<HttpPss*>(user);
  switch (reason) {
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
      return confirm_upgrade(wsi, static_cast<const char*>(in));

    case LWS_CALLBACK_HTTP: {
      if (!pss) return -1;
      free_session(this, pss);
      auto* s = new HttpSession();
      s->id = next_id++;
      s->wsi = wsi;
      pss->s = s;
      http_sessions.emplace(s->id, s);
      HttpRequest& req = s->req;
      req.method = method_of(wsi);
      req.path = in ? std::string(static_cast<const char*>(in)) : std::string("/");
      if (req.path.empty() || req.path.front() != '/') req.path.insert(0, "/");
      req.peer_ip = peer_ip_of(wsi);
      req.connection_id = s->id;
      for (const auto& h : kHeaders) {
        std::string v = header_value(wsi, h.token);
        if (!v.empty()) req.headers.emplace(h.name, std::move(v));
      }
      fill_query(wsi, req);
      if (req.method == "HEAD") {
        s->head_only = true;
        req.method = "GET";
      }
      if (stopping) {
        s->close_after = true;
        deliver(s->id, HttpResponse::error(503, "shutting_down", "the server is stopping"));
        return 0;
      }
      std::string cl = req.header("content-length");
      if (!cl.empty()) s->declared_length = std::strtoull(cl.c_str(), nullptr, 10);
      bool has_body = s->declared_length > 0;
      if (!req.header("transfer-encoding").empty() && cl.empty()) {
        s->close_after = true;
        s->discard_body = true;
        deliver(s->id, HttpResponse::error(411, "length_required",
                                           "a request body needs a Content-Length"));
        return 0;
      }
      if (s->declared_length > opts.http_body_max_bytes) {
        s->close_after = true;
        s->discard_body = true;
        deliver(s->id, HttpResponse::error(413, "payload_too_large",
                                           "request body over " +
                                               std::to_string(opts.http_body_max_bytes) +
                                               " bytes (limits.http_body_max_bytes)"));
        return 0;
      }
      if (has_body) return 0;  // wait for LWS_CALLBACK_HTTP_BODY_COMPLETION
      break;                   // dispatch below
    }

    case LWS_CALLBACK_HTTP_BODY: {
      if (!pss || !pss->s || pss->s->discard_body) return 0;
      HttpSession* s = pss->s;
      if (s->req.body.size() + len > opts.http_body_max_bytes) {
        s->discard_body = true;
        s->close_after = true;
        deliver(s->id, HttpResponse::error(413, "payload_too_large", "request body too large"));
        return 0;
      }
      s->req.body.append(static_cast<const char*>(in), len);
      return 0;
    }

    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
      if (!pss || !pss->s || pss->s->discard_body || pss->s->dispatched) return 0;
      break;  // dispatch below

    case LWS_CALLBACK_HTTP_WRITEABLE: {
      if (!pss || !pss->s || !pss->s->resp) return 0;
      HttpSession* s = pss->s;
      HttpResponse& r = *s->resp;
      if (s->stage == 0) {
        if (!r.file_path.empty() && r.status == 200 && !s->head_only) {
          std::vector<unsigned char> extra(header_bytes(r));
          unsigned char* p = extra.data();
          unsigned char* end = extra.data() + extra.size();
          for (const auto& [k, v] : r.headers)
            if (!add_header(wsi, k, v, &p, end)) return -1;
          s->stage = 2;
          int n = lws_serve_http_file(wsi, r.file_path.c_str(), r.content_type.c_str(),
                                      reinterpret_cast<const char*>(extra.data()),
                                      static_cast<int>(p - extra.data()));
          if (n < 0) {
            free_session(this, pss);
            return -1;
          }
          if (n > 0) return finish(this, wsi, pss);
          return 0;  // LWS_CALLBACK_HTTP_FILE_COMPLETION follows
        }
        std::vector<unsigned char> buf(LWS_PRE + header_bytes(r));
        unsigned char* start = buf.data() + LWS_PRE;
        unsigned char* p = start;
        unsigned char* end = buf.data() + buf.size() - 1;
        if (lws_add_http_header_status(wsi, static_cast<unsigned>(r.status), &p, end)) return -1;
        if (!r.content_type.empty() && !add_header(wsi, "content-type", r.content_type, &p, end))
          return -1;
        bool has_cache = false;
        for (const auto& [k, v] : r.headers) {
          if (!add_header(wsi, k, v, &p, end)) return -1;
          if (strcasecmp(k.c_str(), "cache-control") == 0) has_cache = true;
        }
        if (!has_cache && !add_header(wsi, "cache-control", "no-store", &p, end)) return -1;
        if (s->close_after && !add_header(wsi, "connection", "close", &p, end)) return -1;
        uint64_t length = r.body.size();
        if (s->head_only && !r.file_path.empty()) {  // HEAD of a file: its size, no body
          std::error_code ec;
          length = std::filesystem::file_size(r.file_path, ec);
          if (ec) length = 0;
        }
        if (lws_add_http_header_content_length(wsi, length, &p, end)) return -1;
        if (lws_finalize_http_header(wsi, &p, end)) return -1;
        if (lws_write(wsi, start, static_cast<size_t>(p - start), LWS_WRITE_HTTP_HEADERS) < 0)
          return -1;
        if (r.body.empty() || s->head_only) return finish(this, wsi, pss);
        s->stage = 1;
        lws_callback_on_writable(wsi);
        return 0;
      }
      if (s->stage == 1) {
        size_t n = std::min(kBodyChunk, r.body.size() - s->body_off);
        bool last = s->body_off + n >= r.body.size();
        std::vector<unsigned char> buf(LWS_PRE + n);
        std::memcpy(buf.data() + LWS_PRE, r.body.data() + s->body_off, n);
        if (lws_write(wsi, buf.data() + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) <
            0)
          return -1;
        s->body_off += n;
        if (last) return finish(this, wsi, pss);
        lws_callback_on_writable(wsi);
      }
      return 0;
    }

    case LWS_CALLBACK_HTTP_FILE_COMPLETION:
      return finish(this, wsi, pss);

    case LWS_CALLBACK_CLOSED_HTTP:
      free_session(this, pss);
      return 0;

    default:
      return lws_callback_http_dummy(wsi, reason, user, in, len);
  }

  // Dispatch a complete request.
  HttpSession* s = pss->s;
  s->dispatched = true;
  HttpRequest& req = s->req;
  auto responder = std::make_shared<Responder>(this, s->id);
  HttpRouter::Match m = router.find(req.method, req.path);
  if (m.handler) {
    // A handler that throws must not unwind through lws (C): answer 500 instead.
    try {
      (*m.handler)(req, responder);
    } catch (const std::exception& e) {
      lwsl_err("handler for %s %s threw: %s\n", req.method.c_str(), req.path.c_str(), e.what());
      responder->respond(
          HttpResponse::error(500, "internal", "the server could not complete the request"));
    } catch (...) {
      responder->respond(
          HttpResponse::error(500, "internal", "the server could not complete the request"));
    }
    return 0;
  }
  if (m.path_known) {
    responder->respond(HttpResponse::error(405, "method_not_allowed",
                                           req.method + " is not allowed on " + req.path));
    return 0;
  }
  if (req.method == "GET" && !router.is_reserved(req.path)) {
    if (auto f = resolve_static(opts.web_root, req.path)) {
      HttpResponse r;
      r.content_type = f->content_type;
      r.file_path = f->fs_path;
      r.headers.emplace_back("cache-control", f->cache_control);
      responder->respond(std::move(r));
      return 0;
    }
  }
  responder->respond(HttpResponse::error(404, "not_found", "nothing at " + req.path));
  return 0;
}

}  // namespace forumcast::net
