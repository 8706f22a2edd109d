// tests/integration/followup/webhook_receiver.hpp: a tiny HTTP/1.1 server on
// 127.0.0.1 (port 0) standing in for a city hotline system: records every POST
// (headers, body) and answers with the status the test sets. One connection at a
// time, Connection: close. wait_for() waits on a condition, never sleeps.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace forumcast::testing {

struct ReceivedHook {
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  int answered = 0;
};

class WebhookReceiver {
 public:
  WebhookReceiver() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~WebhookReceiver() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void set_status(int s) { status_ = s; }

  bool wait_for(const std::function<bool(const std::vector<ReceivedHook>&)>& pred,
                std::chrono::seconds timeout = std::chrono::seconds(20)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return pred(got_); });
  }
  std::vector<ReceivedHook> received() {
    std::lock_guard lock(mu_);
    return got_;
  }

 private:
  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;  // wakes to check stop_
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      serve(c);
      ::close(c);
    }
  }
  void serve(int c) {
    std::string in;
    char buf[4096];
    size_t header_end = std::string::npos, need = 0;
    for (;;) {
      pollfd p{c, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return;
      ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) return;
      in.append(buf, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = in.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        std::string lower = in.substr(0, header_end);
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        auto cl = lower.find("content-length:");
        need = cl == std::string::npos ? 0 : std::stoul(lower.substr(cl + 15));
      }
      if (in.size() >= header_end + 4 + need) break;
    }
    ReceivedHook h;
    size_t line = in.find("\r\n") + 2;
    while (line < header_end) {
      size_t end = in.find("\r\n", line);
      std::string l = in.substr(line, end - line);
      auto colon = l.find(':');
      if (colon != std::string::npos) {
        std::string k = l.substr(0, colon);
        std::transform(k.begin(), k.end(), k.begin(), ::tolower);
        std::string v = l.substr(colon + 1);
        v.erase(0, v.find_first_not_of(' '));
        h.headers[k] = v;
      }
      line = end + 2;
    }
    h.body = in.substr(header_end + 4, need);
    h.answered = status_;
    std::string resp = "HTTP/1.1 " + std::to_string(h.answered) +
                       " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    ::send(c, resp.data(), resp.size(), MSG_NOSIGNAL);
    {
      std::lock_guard lock(mu_);
      got_.push_back(std::move(h));
    }
    cv_.notify_all();
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> status_{200};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ReceivedHook> got_;
  std::thread thread_;
};

}  // namespace forumcast::testing
