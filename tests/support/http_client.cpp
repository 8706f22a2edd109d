// tests/support/http_client.cpp: see http_client.hpp.
#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace forumcast::test {
namespace {

using Clock = std::chrono::steady_clock;

bool send_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

// Appends what arrives; false on timeout, true on data or EOF (eof set).
bool recv_some(int fd, std::string& buf, Clock::time_point deadline, bool& eof) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd, POLLIN, 0};
  int r = ::poll(&p, 1, static_cast<int>(left.count()));
  if (r <= 0) return false;
  char tmp[16384];
  ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
  if (n <= 0) {
    eof = true;
    return true;
  }
  buf.append(tmp, static_cast<size_t>(n));
  return true;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

int connect_loopback(int port, std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

HttpResult http_request(int port, const std::string& method, const std::string& path,
                        const Headers& headers, const std::string& body,
                        std::chrono::milliseconds timeout) {
  HttpResult res;
  auto deadline = Clock::now() + timeout;
  int fd = connect_loopback(port, timeout);
  if (fd < 0) {
    res.error = "connect failed";
    return res;
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nConnection: close\r\n";
  bool has_length = false;
  for (const auto& [k, v] : headers) {
    req += k + ": " + v + "\r\n";
    if (lower(k) == "content-length") has_length = true;
  }
  if (!body.empty() && !has_length)
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  if (!send_all(fd, req)) {
    // The server may answer (413) and close before reading everything: go on reading.
  }
  std::string buf;
  bool eof = false;
  size_t head_end = std::string::npos;
  while ((head_end = buf.find("\r\n\r\n")) == std::string::npos && !eof) {
    if (!recv_some(fd, buf, deadline, eof)) {
      res.error = "timeout waiting for headers";
      ::close(fd);
      return res;
    }
  }
  if (head_end == std::string::npos) {
    res.error = "connection closed before the headers";
    ::close(fd);
    return res;
  }
  std::string head = buf.substr(0, head_end);
  std::string rest = buf.substr(head_end + 4);
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() >= 12) res.status = std::atoi(status_line.c_str() + 9);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t e = head.find("\r\n", pos);
    if (e == std::string::npos) e = head.size();
    std::string line = head.substr(pos, e - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string k = lower(line.substr(0, colon));
      std::string v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      auto& slot = res.headers[k];
      slot = slot.empty() ? v : slot + "\n" + v;
    }
    pos = e + 2;
  }
  std::string cl = res.header("content-length");
  bool chunked = lower(res.header("transfer-encoding")).find("chunked") != std::string::npos;
  if (method == "HEAD" || res.status == 204 || res.status == 304) {
    ::close(fd);
    return res;
  }
  if (!cl.empty()) {
    size_t want = std::strtoull(cl.c_str(), nullptr, 10);
    while (rest.size() < want && !eof)
      if (!recv_some(fd, rest, deadline, eof)) break;
    if (rest.size() < want) res.error = "short body";
    res.body = rest.substr(0, want);
  } else if (chunked) {
    std::string out;
    size_t p = 0;
    for (;;) {
      size_t e;
      while ((e = rest.find("\r\n", p)) == std::string::npos && !eof)
        if (!recv_some(fd, rest, deadline, eof)) break;
      if (e == std::string::npos) break;
      size_t n = std::strtoull(rest.substr(p, e - p).c_str(), nullptr, 16);
      if (n == 0) break;
      while (rest.size() < e + 2 + n + 2 && !eof)
        if (!recv_some(fd, rest, deadline, eof)) break;
      if (rest.size() < e + 2 + n) break;
      out += rest.substr(e + 2, n);
      p = e + 2 + n + 2;
    }
    res.body = out;
  } else {
    while (!eof)
      if (!recv_some(fd, rest, deadline, eof)) break;
    res.body = rest;
  }
  ::close(fd);
  return res;
}

HttpResult http_post_json(int port, const std::string& path, const std::string& json,
                          const Headers& headers) {
  Headers h = headers;
  h.emplace_back("Content-Type", "application/json");
  return http_request(port, "POST", path, h, json);
}

}  // namespace forumcast::test
