// net/ws_transport.cpp: the WebSocket transport of /ws (RFC 6455, subprotocol
// "forumcast.v1"): the upgrade check (path, subprotocol, origin, connection
// limits, shutdown), message assembly with the size limit (close 1009), binary
// frames refused (1003), the byte-bounded send queue written only from
// LWS_CALLBACK_SERVER_WRITEABLE, closing with a code, and the idle policy (a ping
// after ping_after_ms without input, hang-up after hangup_after_ms; one sweep a
// second). UTF-8 (1007) is checked by lws from the context options (loop.cpp).
//
// The send path copies each message once into a per-connection buffer with
// LWS_PRE headroom; chat may later replace it with shared pre-padded buffers and
// coalescing here, without changing net/ws.hpp.
#include <cstring>

#include "net/loop_impl.hpp"

namespace forumcast::net {

// A connection's WsConn hangs off the wsi's opaque user pointer (no per-session
// allocation by lws: per_session_data_size is 0 for the WebSocket protocol).

class WsConn final : public WsConnection {
 public:
  WsConn(Loop::Impl* impl, lws* wsi, uint64_t id) : impl_(impl), wsi_(wsi), id_(id) {}

  uint64_t id() const override { return id_; }
  const std::string& peer_ip() const override { return ip_; }
  // The request's path, query and Cookie header are kept only while on_open runs
  // (nothing needs them later, and 10,000 idle viewers should not carry them).
  const std::string& path() const override { return upgrade_ ? upgrade_->path : empty_; }
  const std::string& query() const override { return upgrade_ ? upgrade_->query : empty_; }
  const std::string& cookie_header() const override {
    return upgrade_ ? upgrade_->cookie : empty_;
  }
  size_t queued_bytes() const override { return queued_; }
  bool closing() const override { return closing_; }

  bool send(std::shared_ptr<const std::string> text) override {
    if (closing_ || !text) return false;
    if (queued_ + text->size() > impl_->opts.ws_send_queue_max_bytes) {
      drop_queue_ = true;
      close(close_code::policy_violation, "send queue full");
      return false;
    }
    queued_ += text->size();
    if (!queue_) queue_ = std::make_unique<std::deque<std::shared_ptr<const std::string>>>();
    queue_->push_back(std::move(text));
    lws_callback_on_writable(wsi_);
    return true;
  }

  void request_write() override {
    if (!closing_) lws_callback_on_writable(wsi_);
  }

  void close(uint16_t code, std::string_view reason) override {
    if (closing_) return;
    closing_ = true;
    close_code_ = code;
    close_reason_ = std::make_unique<std::string>(reason.substr(0, 123));
    lws_callback_on_writable(wsi_);
  }

  // Input of any kind (a message fragment, a pong) proves the peer is alive.
  void heard(int64_t now_ms) {
    last_rx_ms_ = now_ms;
    ping_sent_ = false;
  }

  // The once-a-second idle check (Loop::Impl::sweep_idle).
  void check_idle(int64_t now_ms) {
    int64_t quiet = now_ms - last_rx_ms_;
    if (quiet >= impl_->hangup_after_ms) {
      lws_set_timeout(wsi_, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);  // hang up, no close frame
    } else if (quiet >= impl_->ping_after_ms && !ping_sent_ && !closing_) {
      ping_sent_ = ping_due_ = true;
      lws_callback_on_writable(wsi_);
    }
  }

  // LWS_CALLBACK_SERVER_WRITEABLE: one message per call. 0 to go on, -1 to close.
  int on_writable() {
    if (ping_due_ && !closing_) {
      ping_due_ = false;
      unsigned char ping[LWS_PRE + 1];
      if (lws_write(wsi_, ping + LWS_PRE, 0, LWS_WRITE_PING) < 0) return -1;
      lws_callback_on_writable(wsi_);  // whatever the ping displaced goes next
      return 0;
    }
    if (drop_queue_) {
      queue_.reset();
      queued_ = 0;
    }
    if (queue_ && !queue_->empty()) {
      std::shared_ptr<const std::string> msg = std::move(queue_->front());
      queue_->pop_front();
      if (queue_->empty()) queue_.reset();  // idle connections hold no queue memory
      queued_ -= msg->size();
      buf_.resize(LWS_PRE + msg->size());
      std::memcpy(buf_.data() + LWS_PRE, msg->data(), msg->size());
      int n = lws_write(wsi_, buf_.data() + LWS_PRE, msg->size(), LWS_WRITE_TEXT);
      if (n < static_cast<int>(msg->size())) return -1;  // the peer has gone
      if (buf_.capacity() > kKeepBufBytes) std::vector<unsigned char>().swap(buf_);
      if (queue_ || closing_) lws_callback_on_writable(wsi_);
      return 0;
    }
    if (!closing_ && impl_->ws_handler) {  // pull mode: bytes shared by the handler
      WsBytes b = impl_->ws_handler->on_writable(*this);
      if (b.size == 0) return 0;
      int n = lws_write(wsi_, reinterpret_cast<unsigned char*>(b.data), b.size, LWS_WRITE_TEXT);
      return n < static_cast<int>(b.size) ? -1 : 0;
    }
    if (closing_) {
      // close() leaves a reason; refuse() has already handed its own to lws.
      if (close_reason_)
        lws_close_reason(wsi_, static_cast<lws_close_status>(close_code_),
                         reinterpret_cast<unsigned char*>(close_reason_->data()),
                         close_reason_->size());
      return -1;
    }
    return 0;
  }

  // LWS_CALLBACK_RECEIVE. 0 to go on, -1 to close (after lws_close_reason).
  int on_receive(const char* data, size_t len) {
    if (closing_) return 0;
    if (lws_frame_is_binary(wsi_))
      return refuse(close_code::unsupported_data, "binary frames are not supported");
    if (rx_.size() + len > impl_->opts.ws_message_max_bytes)
      return refuse(close_code::message_too_big,
                    "message over " + std::to_string(impl_->opts.ws_message_max_bytes) + " bytes");
    rx_.append(data, len);
    if (lws_is_final_fragment(wsi_) && lws_remaining_packet_payload(wsi_) == 0) {
      std::string msg;
      msg.swap(rx_);
      if (impl_->ws_handler) {
        try {
          impl_->ws_handler->on_message(*this, msg);
        } catch (...) {  // never unwind through lws; the client gets 1011
          return refuse(1011, "internal error");
        }
      }
    }
    return 0;
  }

  int refuse(uint16_t code, const std::string& reason) {
    closing_ = true;
    std::string r = reason.substr(0, 123);
    lws_close_reason(wsi_, static_cast<lws_close_status>(code),
                     reinterpret_cast<unsigned char*>(r.data()), r.size());
    return -1;
  }

  struct Upgrade {
    std::string path, query, cookie;
  };
  std::string ip_;
  const Upgrade* upgrade_ = nullptr;  // set during on_open only

 private:
  static inline const std::string empty_;

 private:
  Loop::Impl* impl_;
  lws* wsi_;
  uint64_t id_;
  // Allocated on the first push and freed when drained: libstdc++'s deque
  // allocates ~600 bytes even when empty, which idle viewers should not pay.
  std::unique_ptr<std::deque<std::shared_ptr<const std::string>>> queue_;
  static constexpr size_t kKeepBufBytes = 16 * 1024;
  size_t queued_ = 0;
  std::vector<unsigned char> buf_;
  std::string rx_;
  bool closing_ = false;
  bool drop_queue_ = false;
  bool ping_due_ = false;   // write a ping at the next writable callback
  bool ping_sent_ = false;  // a ping is out and nothing has been heard since
  int64_t last_rx_ms_ = monotonic_ms_now();
  uint16_t close_code_ = close_code::normal;
  std::unique_ptr<std::string> close_reason_;  // allocated when closing
};

namespace {

int refuse_upgrade(lws* wsi, unsigned status) {
  // >0 tells lws that we answered ourselves.
  if (lws_return_http_status(wsi, status, nullptr)) return -1;
  return 1;
}

std::string raw_query(lws* wsi) {
  std::string q;
  char buf[1024];
  for (int i = 0;; ++i) {
    int n = lws_hdr_copy_fragment(wsi, buf, sizeof buf, WSI_TOKEN_HTTP_URI_ARGS, i);
    if (n < 0) break;
    if (!q.empty()) q += '&';
    q.append(buf, static_cast<size_t>(n));
  }
  return q;
}

}  // namespace

int Loop::Impl::confirm_upgrade(lws* wsi, const char* protocol) {
  // `protocol` is the upgrade kind ("websocket"); the subprotocols the client
  // offers are in Sec-WebSocket-Protocol, a comma-separated list (RFC 6455 §4.1).
  bool offered = false;
  std::string list = header_value(wsi, WSI_TOKEN_PROTOCOL);
  for (size_t pos = 0; pos <= list.size();) {
    size_t end = list.find(',', pos);
    if (end == std::string::npos) end = list.size();
    std::string item = list.substr(pos, end - pos);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item == "forumcast.v1") offered = true;
    pos = end + 1;
  }
  if (!protocol || std::strcmp(protocol, "websocket") != 0 || !offered || !ws_handler)
    return refuse_upgrade(wsi, 400);  // no or unknown subprotocol
  if (header_value(wsi, WSI_TOKEN_GET_URI) != "/ws") return refuse_upgrade(wsi, 404);
  if (stopping) return refuse_upgrade(wsi, 503);
  std::string origin = header_value(wsi, WSI_TOKEN_ORIGIN);
  if (!origin.empty() &&
      !origin_allowed(origin, header_value(wsi, WSI_TOKEN_HOST), opts.allowed_origins))
    return refuse_upgrade(wsi, 403);
  if (static_cast<int>(ws_conns.size()) >= opts.max_connections) return refuse_upgrade(wsi, 503);
  auto it = ws_per_ip.find(peer_ip_of(wsi));
  if (it != ws_per_ip.end() && it->second >= opts.max_connections_per_ip)
    return refuse_upgrade(wsi, 429);
  return 0;
}

int Loop::Impl::ws_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                            size_t len) {
  (void)user;
  auto* c0 = static_cast<WsConn*>(lws_get_opaque_user_data(wsi));
  switch (reason) {
    case LWS_CALLBACK_ESTABLISHED: {
      auto* c = new WsConn(this, wsi, next_id++);
      c->ip_ = peer_ip_of(wsi);
      WsConn::Upgrade up{header_value(wsi, WSI_TOKEN_GET_URI), raw_query(wsi),
                         header_value(wsi, WSI_TOKEN_HTTP_COOKIE)};
      c->upgrade_ = &up;
      lws_set_opaque_user_data(wsi, c);
      ws_conns.emplace(c->id(), c);
      ++ws_per_ip[c->ip_];
      if (ws_handler) ws_handler->on_open(*c);
      c->upgrade_ = nullptr;
      if (stopping) c->close(close_code::going_away, "server shutting down");
      return 0;
    }
    case LWS_CALLBACK_RECEIVE:
      if (!c0) return -1;
      c0->heard(monotonic_ms_now());
      return c0->on_receive(static_cast<const char*>(in), len);
    case LWS_CALLBACK_RECEIVE_PONG:
      if (c0) c0->heard(monotonic_ms_now());
      return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
      if (!c0) return 0;
      return c0->on_writable();
    case LWS_CALLBACK_CLOSED: {
      if (!c0) return 0;
      WsConn* c = c0;
      lws_set_opaque_user_data(wsi, nullptr);
      if (ws_handler) ws_handler->on_close(*c);
      ws_conns.erase(c->id());
      auto it = ws_per_ip.find(c->ip_);
      if (it != ws_per_ip.end() && --it->second <= 0) ws_per_ip.erase(it);
      delete c;
      return 0;
    }
    default:
      return 0;
  }
}

void Loop::Impl::sweep_idle() {
  int64_t now = monotonic_ms_now();
  for (auto& [id, c] : ws_conns) c->check_idle(now);
}

void Loop::Impl::close_all_ws(uint16_t code, const char* reason) {
  for (auto& [id, c] : ws_conns) c->close(code, reason);
}

size_t ws_write_headroom() {
  return LWS_PRE;
}

WsConnection* Loop::find_ws(uint64_t id) {
  auto it = impl_->ws_conns.find(id);
  return it == impl_->ws_conns.end() ? nullptr : it->second;
}

}  // namespace forumcast::net
