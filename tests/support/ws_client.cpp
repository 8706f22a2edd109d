// tests/support/ws_client.cpp: see ws_client.hpp (RFC 6455 §5 framing).
#include "support/ws_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <random>

namespace forumcast::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string base64(const std::string& in) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  while (i + 2 < in.size()) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += kTable[(v >> 6) & 63];
    out += kTable[v & 63];
    i += 3;
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += kTable[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::mt19937& rng() {
  static thread_local std::mt19937 g{std::random_device{}()};
  return g;
}

}  // namespace

uint16_t WsFrame::close_code() const {
  if (payload.size() < 2) return 1005;
  return static_cast<uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                               static_cast<unsigned char>(payload[1]));
}

std::string WsFrame::close_reason() const {
  return payload.size() > 2 ? payload.substr(2) : "";
}

WsClient::~WsClient() {
  close_socket();
}

void WsClient::close_socket() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool WsClient::connect(int port, const std::string& path, const std::string& subprotocol,
                       const Headers& extra, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  fd_ = connect_loopback(port, timeout);
  if (fd_ < 0) return false;
  std::string key_raw(16, '\0');
  for (char& c : key_raw) c = static_cast<char>(rng()() & 0xff);
  std::string req =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + base64(key_raw) +
      "\r\nSec-WebSocket-Version: 13\r\n";
  if (!subprotocol.empty()) req += "Sec-WebSocket-Protocol: " + subprotocol + "\r\n";
  for (const auto& [k, v] : extra) req += k + ": " + v + "\r\n";
  req += "\r\n";
  if (!send_raw(req)) return false;
  size_t end;
  while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
    if (!fill(buf_.size() + 1, deadline)) return false;
  response_head_ = buf_.substr(0, end);
  buf_.erase(0, end + 4);
  if (response_head_.size() >= 12) status_ = std::atoi(response_head_.c_str() + 9);
  return status_ == 101;
}

std::string WsClient::accepted_protocol() const {
  std::string lower = response_head_;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t p = lower.find("sec-websocket-protocol:");
  if (p == std::string::npos) return {};
  p += 23;
  size_t e = response_head_.find("\r\n", p);
  std::string v = response_head_.substr(p, e == std::string::npos ? std::string::npos : e - p);
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  return v;
}

bool WsClient::send_raw(std::string_view bytes) {
  if (fd_ < 0) return false;
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool WsClient::send_frame(uint8_t opcode, std::string_view payload, bool fin) {
  std::string f;
  f.push_back(static_cast<char>((fin ? 0x80 : 0) | (opcode & 0x0f)));
  size_t n = payload.size();
  if (n < 126) {
    f.push_back(static_cast<char>(0x80 | n));
  } else if (n < 65536) {
    f.push_back(static_cast<char>(0x80 | 126));
    f.push_back(static_cast<char>(n >> 8));
    f.push_back(static_cast<char>(n & 0xff));
  } else {
    f.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i)
      f.push_back(static_cast<char>((static_cast<uint64_t>(n) >> (8 * i)) & 0xff));
  }
  unsigned char mask[4];
  for (auto& m : mask) m = static_cast<unsigned char>(rng()() & 0xff);
  f.append(reinterpret_cast<char*>(mask), 4);
  for (size_t i = 0; i < n; ++i) f.push_back(static_cast<char>(payload[i] ^ mask[i & 3]));
  return send_raw(f);
}

bool WsClient::send_close(uint16_t code, std::string_view reason) {
  std::string p;
  p.push_back(static_cast<char>(code >> 8));
  p.push_back(static_cast<char>(code & 0xff));
  p.append(reason);
  return send_frame(ws_op::close, p, true);
}

bool WsClient::fill(size_t n, Clock::time_point deadline) {
  while (buf_.size() < n) {
    if (fd_ < 0 || eof_) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char tmp[16384];
    ssize_t got = ::recv(fd_, tmp, sizeof tmp, 0);
    if (got <= 0) {
      eof_ = true;
      return false;
    }
    buf_.append(tmp, static_cast<size_t>(got));
  }
  return true;
}

std::optional<WsFrame> WsClient::read_frame(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  if (!fill(2, deadline)) return std::nullopt;
  auto b0 = static_cast<unsigned char>(buf_[0]);
  auto b1 = static_cast<unsigned char>(buf_[1]);
  size_t len = b1 & 0x7f;
  size_t hdr = 2;
  if (len == 126) {
    if (!fill(4, deadline)) return std::nullopt;
    len = (static_cast<unsigned char>(buf_[2]) << 8) | static_cast<unsigned char>(buf_[3]);
    hdr = 4;
  } else if (len == 127) {
    if (!fill(10, deadline)) return std::nullopt;
    len = 0;
    for (int i = 2; i < 10; ++i) len = (len << 8) | static_cast<unsigned char>(buf_[i]);
    hdr = 10;
  }
  bool masked = (b1 & 0x80) != 0;  // servers must not mask; tolerate it anyway
  size_t mask_off = hdr;
  if (masked) hdr += 4;
  if (!fill(hdr + len, deadline)) return std::nullopt;
  WsFrame f;
  f.fin = (b0 & 0x80) != 0;
  f.opcode = b0 & 0x0f;
  f.payload = buf_.substr(hdr, len);
  if (masked)
    for (size_t i = 0; i < len; ++i)
      f.payload[i] = static_cast<char>(f.payload[i] ^ buf_[mask_off + (i & 3)]);
  buf_.erase(0, hdr + len);
  return f;
}

std::optional<std::string> WsClient::read_text(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::string msg;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto f = read_frame(left);
    if (!f) return std::nullopt;
    if (f->opcode == ws_op::ping) {
      send_frame(ws_op::pong, f->payload, true);
      continue;
    }
    if (f->opcode == ws_op::pong) continue;
    if (f->opcode == ws_op::close) {
      return std::nullopt;
    }
    msg += f->payload;
    if (f->fin) return msg;
  }
}

std::optional<uint16_t> WsClient::wait_close(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto f = read_frame(left);
    if (!f) return std::nullopt;
    if (f->opcode == ws_op::close) return f->close_code();
  }
}

}  // namespace forumcast::test
