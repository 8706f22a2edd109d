// stream/rtmp/rtmp_server.cpp: epoll loop of the RTMP front (see
// rtmp_server.hpp). Level-triggered epoll; each readable connection gets at
// most one 64 KiB read per pass so that no publisher starves the others, and a
// connection whose feed is over its high-water mark is taken out of the read
// set until the ingest thread drains it (checked every pass, 50 ms at most).
#include "stream/rtmp/rtmp_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "stream/rtmp/rtmp_session.hpp"

namespace forumcast::stream::rtmp {
namespace {
constexpr size_t kReadSize = 65536;
constexpr uint32_t kIn = EPOLLIN, kOut = EPOLLOUT;
constexpr size_t kMaxOutput = 256 * 1024;  // our answers are small; a peer not reading them is cut
constexpr uint64_t kListenId = 0;
constexpr uint64_t kWakeId = ~uint64_t{0};

std::string peer_name(const sockaddr_storage& ss) {
  char host[INET6_ADDRSTRLEN] = {};
  int port = 0;
  if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    port = ntohs(a->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
  inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
  port = ntohs(a->sin6_port);
  return "[" + std::string(host) + "]:" + std::to_string(port);
}
}  // namespace

struct RtmpServer::Conn {
  uint64_t id = 0;
  int fd = -1;
  std::string remote;
  std::unique_ptr<RtmpSession> session;
  std::shared_ptr<FlvFeed> feed;
  int64_t created_ms = 0;
  int64_t last_rx_ms = 0;
  bool paused = false;      // out of the read set (feed full)
  bool want_write = false;  // EPOLLOUT armed
  bool draining = false;    // closed for us; reading until the peer closes
  int64_t drain_since_ms = 0;
};

RtmpServer::RtmpServer(RtmpServerOptions opts, Hooks hooks, const Clock* clock)
    : opts_(std::move(opts)), hooks_(std::move(hooks)), clock_(clock) {}

RtmpServer::~RtmpServer() {
  stop();
}

Result<int> RtmpServer::start() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
  addrinfo* res = nullptr;
  if (getaddrinfo(opts_.host.c_str(), std::to_string(opts_.port).c_str(), &hints, &res) != 0 ||
      !res)
    return make_error("rtmp_listen_failed", "bad RTMP listen address " + opts_.host);
  listen_fd_ = ::socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (listen_fd_ < 0 || ::bind(listen_fd_, res->ai_addr, res->ai_addrlen) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    std::string why = std::strerror(errno);
    freeaddrinfo(res);
    if (listen_fd_ >= 0) ::close(listen_fd_);
    listen_fd_ = -1;
    return make_error("rtmp_listen_failed", "cannot listen on " + opts_.host + ":" +
                                                std::to_string(opts_.port) + ": " + why);
  }
  freeaddrinfo(res);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                           : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kListenId;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  ev.data.u64 = kWakeId;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  thread_ = std::thread([this] { run(); });
  return port_.load();
}

void RtmpServer::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(listen_fd_);
  ::close(epoll_fd_);
  ::close(wake_fd_);
  listen_fd_ = epoll_fd_ = wake_fd_ = -1;
}

void RtmpServer::request_close(uint64_t conn, std::string reason) {
  {
    std::lock_guard lk(close_mu_);
    close_requests_.emplace_back(conn, std::move(reason));
  }
  uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
}

void RtmpServer::run() {
  epoll_event events[64];
  while (!stopping_) {
    // timeouts are checked every pass: often while a publisher is paused (to
    // resume it quickly), otherwise a few times a second
    bool any_paused = false;
    for (const auto& [id, c] : conns_) any_paused |= c->paused;
    int n = epoll_wait(epoll_fd_, events, 64, any_paused ? 20 : 250);
    for (int i = 0; i < n && !stopping_; ++i) {
      const uint64_t id = events[i].data.u64;
      if (id == kListenId) {
        accept_all();
      } else if (id == kWakeId) {
        uint64_t v;
        (void)!::read(wake_fd_, &v, sizeof v);
      } else {
        auto it = conns_.find(id);
        if (it == conns_.end()) continue;
        Conn& c = *it->second;
        if (events[i].events & (EPOLLERR | EPOLLHUP) && !(events[i].events & EPOLLIN)) {
          close_conn(id, c.draining                ? ""
                         : c.session->publishing() ? "publisher_disconnected"
                                                   : "connection reset");
          continue;
        }
        if ((events[i].events & EPOLLOUT) && !c.draining) flush(c);
        if (conns_.count(id) && (events[i].events & EPOLLIN)) on_readable(c);
      }
    }
    std::vector<std::pair<uint64_t, std::string>> reqs;
    {
      std::lock_guard lk(close_mu_);
      reqs.swap(close_requests_);
    }
    for (auto& [id, why] : reqs) close_conn(id, why);
    sweep(clock_->monotonic_ms());
  }
  std::vector<uint64_t> ids;
  for (auto& [id, c] : conns_) ids.push_back(id);
  for (auto id : ids) close_conn(id, "server_stopping");
}

void RtmpServer::accept_all() {
  for (;;) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int fd =
        ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    const std::string remote = peer_name(ss);
    if (static_cast<int>(conns_.size()) >= opts_.max_connections) {
      spdlog::warn("rtmp: refused {}: rtmp_too_many_connections (limit {})", remote,
                   opts_.max_connections);
      ::close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Conn>();
    c->id = next_id_++;
    c->fd = fd;
    c->remote = remote;
    c->created_ms = c->last_rx_ms = clock_->monotonic_ms();
    Conn* raw = c.get();
    RtmpSession::Hooks sh;
    sh.authorize = [this, raw](const std::string& app, const std::string& key) -> Status {
      auto feed = hooks_.on_publish(raw->id, raw->remote, key);
      if (!feed.ok()) return feed.error();
      raw->feed = std::move(feed.value());
      return ok_status();
    };
    sh.on_media = [raw](const RtmpMessage& m) {
      if (raw->feed) raw->feed->push_tag(m.type, m.timestamp, m.payload);
    };
    c->session = std::make_unique<RtmpSession>(opts_.limits, opts_.app, std::move(sh));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = c->id;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
    conns_.emplace(c->id, std::move(c));
  }
}

void RtmpServer::on_readable(Conn& c) {
  const uint64_t id = c.id;
  char buf[kReadSize];
  ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
  if (c.draining) {  // refused or finished: discard until the peer closes
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) close_conn(id, "");
    return;
  }
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    close_conn(id, c.session->publishing() ? "publisher_disconnected"
                                           : "connection closed before publish");
    return;
  }
  if (n < 0) return;
  c.last_rx_ms = clock_->monotonic_ms();
  Status st = c.session->on_bytes(std::string_view(buf, static_cast<size_t>(n)));
  flush(c);
  if (!conns_.count(id)) return;
  if (!st.ok()) {
    close_conn(id, st.error().code + ": " + st.error().message);
    return;
  }
  if (c.session->closing()) {
    close_conn(id, c.session->close_reason(), /*linger=*/true);
    return;
  }
  if (c.feed && c.feed->over_high_water() && !c.paused) {
    c.paused = true;
    epoll_event ev{};
    ev.events = c.want_write ? kOut : 0u;
    ev.data.u64 = c.id;
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
  }
}

void RtmpServer::flush(Conn& c) {
  std::string& out = c.session->output();
  while (!out.empty()) {
    ssize_t n = ::send(c.fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      out.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
    return;  // the peer is gone; the read side will notice
  }
  if (out.size() > kMaxOutput) {
    close_conn(c.id, "rtmp_output_overflow: the peer does not read our answers");
    return;
  }
  const bool want = !out.empty();
  if (want != c.want_write) {
    c.want_write = want;
    epoll_event ev{};
    ev.events = (c.paused ? 0u : kIn) | (want ? kOut : 0u);
    ev.data.u64 = c.id;
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
  }
}

void RtmpServer::sweep(int64_t now) {
  std::vector<std::pair<uint64_t, std::string>> doomed;
  for (auto& [id, cp] : conns_) {
    Conn& c = *cp;
    if (c.paused && c.feed && c.feed->under_low_water()) {
      c.paused = false;
      epoll_event ev{};
      ev.events = kIn | (c.want_write ? kOut : 0u);
      ev.data.u64 = c.id;
      epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
      c.last_rx_ms = now;
    }
    if (c.draining) {
      if (now - c.drain_since_ms > 2000) doomed.emplace_back(id, "");
      continue;
    }
    if (!c.session->publishing() && now - c.created_ms > opts_.handshake_timeout_ms)
      doomed.emplace_back(id, "rtmp_handshake_timeout: no publish within " +
                                  std::to_string(opts_.handshake_timeout_ms) + " ms");
    else if (!c.paused && now - c.last_rx_ms > opts_.idle_timeout_ms)
      doomed.emplace_back(
          id, "rtmp_idle_timeout: no data for " + std::to_string(opts_.idle_timeout_ms) + " ms");
  }
  for (auto& [id, why] : doomed) close_conn(id, why);
}

void RtmpServer::close_conn(uint64_t id, const std::string& reason, bool linger) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  Conn& c = *it->second;
  if (!c.draining) {
    // last words (onStatus error, Unpublish.Success): best effort, non-blocking
    if (const auto& out = c.session->output(); !out.empty())
      (void)!::send(c.fd, out.data(), out.size(), MSG_NOSIGNAL);
    const bool was_publishing = static_cast<bool>(c.feed);
    if (c.feed) c.feed->close();
    c.feed.reset();
    if (hooks_.on_closed) hooks_.on_closed(id, c.remote, reason, was_publishing);
    if (linger && !stopping_) {
      // Half-close and drain: closing with unread input would send a RST that
      // can destroy the answer we just sent before the peer reads it.
      ::shutdown(c.fd, SHUT_WR);
      c.draining = true;
      c.drain_since_ms = clock_->monotonic_ms();
      c.paused = false;
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u64 = c.id;
      epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
      return;
    }
  }
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
  conns_.erase(it);
}

}  // namespace forumcast::stream::rtmp
