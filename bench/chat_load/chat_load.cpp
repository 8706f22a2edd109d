// bench/chat_load/chat_load.cpp: the chat fan-out load generator. One thread,
// one epoll set, raw non-blocking sockets and a minimal RFC 6455 client, so that
// one process holds 10,000+ WebSocket connections on loopback.
//
// It connects N viewers and P posters to one forum, posts marked comments at a
// given total rate, and reports: fan-out latency (send -> the LAST viewer has it)
// p50/p99/max, delivery latency p50/p99, deliveries/s, losses, time to connect
// (and join) N clients, and the server's CPU seconds and RSS from /proc/<pid>.
//
// Protocols: forumcast.v1 (join, comment; events may come coalesced as arrays)
// or --plain: a broadcast room that echoes every text message to everyone
// (bench/peers/node-ws). Loopback only; bounded in connections and time.
// Leaves starting servers and printing tables to bench/chat_bench.sh.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Options {
  int port = 8080;
  bool plain = false;
  std::string forum = "demoforum4";
  std::string device;
  int viewers = 1000;
  int posters = 4;
  double rate = 10;      // comments per second, all posters together
  double duration = 10;  // seconds of posting
  double drain = 5;      // seconds to wait for the last deliveries
  int inflight = 256;    // connects in progress at once
  int pid = 0;           // server process for /proc figures
  int text_chars = 40;   // comment length in characters
  std::string label = "run";
};

int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

struct Proc {
  double cpu_s = 0;
  long rss_kb = 0;
};

Proc sample(int pid) {
  Proc p;
  if (pid <= 0) return p;
  std::ifstream st("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(st)), {});
  auto rp = all.rfind(')');
  if (rp != std::string::npos) {
    std::istringstream in(all.substr(rp + 2));
    std::string f;
    std::vector<std::string> fields;
    while (in >> f) fields.push_back(f);
    // fields[0] is field 3 (state); utime is field 14, stime 15.
    if (fields.size() > 13)
      p.cpu_s = (std::stod(fields[11]) + std::stod(fields[12])) /
                static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) p.rss_kb = std::atol(line.c_str() + 6);
  return p;
}

enum class St : uint8_t { connecting, handshake, open, joined, closed };

struct Conn {
  int fd = -1;
  St st = St::connecting;
  bool poster = false;
  bool want_out = false;
  std::string rx;
  std::string tx;
};

struct Msg {
  int64_t sent_ns = 0;
  int32_t got = 0;
  int64_t last_ns = 0;
};

class Load {
 public:
  explicit Load(Options o) : o_(std::move(o)) {
    char buf[16];
    std::snprintf(buf, sizeof buf,
                  "tk%06x:", static_cast<unsigned>(std::random_device{}() & 0xffffff));
    marker_ = buf;
  }
  int run();

 private:
  void open_one(int idx);
  void on_event(int idx, uint32_t ev);
  void on_readable(Conn& c, int idx);
  void on_frames(Conn& c, int idx);
  void on_text(Conn& c, int idx, std::string_view payload);
  void send_frame(Conn& c, int idx, uint8_t opcode, std::string_view payload);
  void flush(Conn& c, int idx);
  void set_out(Conn& c, int idx, bool on);
  void close_conn(Conn& c, bool by_server);
  void post(int n);
  void poll_once(int timeout_ms);

  Options o_;
  std::string marker_;
  int ep_ = -1;
  std::vector<Conn> conns_;
  int opened_ = 0, upgraded_ = 0, joined_ = 0, failed_ = 0, server_closes_ = 0;
  std::vector<Msg> msgs_;
  int64_t deliveries_ = 0, rid_ = 10;
  std::vector<int64_t> delivery_ns_;  // a sample of delivery latencies
  std::mt19937 rng_{12345};
  char rbuf_[1 << 16];
};

void Load::set_out(Conn& c, int idx, bool on) {
  if (c.want_out == on) return;
  c.want_out = on;
  epoll_event e{};
  e.events = EPOLLIN | (on ? EPOLLOUT : 0u);
  e.data.u32 = static_cast<uint32_t>(idx);
  epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &e);
}

void Load::open_one(int idx) {
  Conn& c = conns_[idx];
  c.poster = idx < o_.posters;
  c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (c.fd < 0) {
    ++failed_;
    c.st = St::closed;
    return;
  }
  int one = 1;
  setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(o_.port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connect(c.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  epoll_event e{};
  e.events = EPOLLIN | EPOLLOUT;
  e.data.u32 = static_cast<uint32_t>(idx);
  c.want_out = true;
  epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &e);
  ++opened_;
}

void Load::close_conn(Conn& c, bool by_server) {
  if (c.st == St::closed) return;
  if (by_server) ++server_closes_;
  if (c.st == St::connecting || c.st == St::handshake) ++failed_;
  c.st = St::closed;
  close(c.fd);
  c.fd = -1;
  std::string().swap(c.rx);
  std::string().swap(c.tx);
}

void Load::flush(Conn& c, int idx) {
  while (!c.tx.empty()) {
    ssize_t n = ::send(c.fd, c.tx.data(), c.tx.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN) break;
      close_conn(c, true);
      return;
    }
    c.tx.erase(0, static_cast<size_t>(n));
  }
  set_out(c, idx, !c.tx.empty());
}

void Load::send_frame(Conn& c, int idx, uint8_t opcode, std::string_view payload) {
  if (c.st == St::closed) return;
  std::string f;
  f.push_back(static_cast<char>(0x80 | opcode));
  size_t n = payload.size();
  if (n < 126) {
    f.push_back(static_cast<char>(0x80 | n));
  } else if (n < 65536) {
    f.push_back(static_cast<char>(0x80 | 126));
    f.push_back(static_cast<char>(n >> 8));
    f.push_back(static_cast<char>(n & 0xff));
  } else {
    f.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  }
  uint32_t mask = rng_();
  char m[4];
  std::memcpy(m, &mask, 4);
  f.append(m, 4);
  size_t off = f.size();
  f.append(payload);
  for (size_t i = 0; i < n; ++i) f[off + i] = static_cast<char>(f[off + i] ^ m[i & 3]);
  c.tx += f;
  flush(c, idx);
}

void Load::on_text(Conn& c, int idx, std::string_view p) {
  if (c.st == St::open) {  // forumcast: the first reply is the join's
    if (p.find("\"ok\":true") != std::string_view::npos) {
      c.st = St::joined;
      ++joined_;
    } else {
      std::fprintf(stderr, "join refused: %.*s\n",
                   static_cast<int>(std::min<size_t>(p.size(), 300)), p.data());
      close_conn(c, false);
    }
    return;
  }
  if (c.poster) return;
  int64_t t = 0;
  for (size_t pos = p.find(marker_); pos != std::string_view::npos;
       pos = p.find(marker_, pos + 1)) {
    size_t q = pos + marker_.size();
    int64_t id = 0;
    while (q < p.size() && p[q] >= '0' && p[q] <= '9') id = id * 10 + (p[q++] - '0');
    if (id < 0 || id >= static_cast<int64_t>(msgs_.size()) || msgs_[id].sent_ns == 0) continue;
    if (!t) t = now_ns();
    Msg& m = msgs_[id];
    ++m.got;
    m.last_ns = t;
    ++deliveries_;
    if ((deliveries_ & 15) == 0) delivery_ns_.push_back(t - m.sent_ns);
  }
}

void Load::on_frames(Conn& c, int idx) {
  size_t off = 0;
  while (c.st != St::closed) {
    size_t have = c.rx.size() - off;
    if (have < 2) break;
    auto b = reinterpret_cast<const unsigned char*>(c.rx.data() + off);
    uint8_t op = b[0] & 0x0f;
    uint64_t len = b[1] & 0x7f;
    size_t hdr = 2;
    if (len == 126) {
      if (have < 4) break;
      len = (uint64_t{b[2]} << 8) | b[3];
      hdr = 4;
    } else if (len == 127) {
      if (have < 10) break;
      len = 0;
      for (int i = 2; i < 10; ++i) len = (len << 8) | b[i];
      hdr = 10;
    }
    if (have < hdr + len) break;
    std::string_view payload(c.rx.data() + off + hdr, len);
    if (op == 0x1 || op == 0x0) {
      on_text(c, idx, payload);
    } else if (op == 0x9) {
      send_frame(c, idx, 0xA, payload);
    } else if (op == 0x8) {
      close_conn(c, true);
      return;
    }
    off += hdr + len;
  }
  if (c.st != St::closed) c.rx.erase(0, off);
}

void Load::on_readable(Conn& c, int idx) {
  for (;;) {
    ssize_t n = ::recv(c.fd, rbuf_, sizeof rbuf_, 0);
    if (n == 0) {
      close_conn(c, true);
      return;
    }
    if (n < 0) {
      if (errno != EAGAIN) close_conn(c, true);
      return;
    }
    c.rx.append(rbuf_, static_cast<size_t>(n));
    if (c.st == St::handshake) {
      size_t end = c.rx.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      if (c.rx.compare(0, 12, "HTTP/1.1 101") != 0) {
        std::fprintf(stderr, "upgrade refused: %.60s\n", c.rx.c_str());
        close_conn(c, false);
        return;
      }
      c.rx.erase(0, end + 4);
      ++upgraded_;
      if (o_.plain) {
        c.st = St::joined;
        ++joined_;
      } else {
        c.st = St::open;
        std::string name = (c.poster ? "发言人" : "观众") + std::to_string(idx);
        std::string join = "{\"op\":\"join\",\"rid\":1,\"forum\":\"" + o_.forum +
                           "\",\"device\":\"" + o_.device + "\",\"name\":\"" + name + "\"}";
        send_frame(c, idx, 0x1, join);
      }
    }
    on_frames(c, idx);
    if (c.st == St::closed) return;
    if (static_cast<size_t>(n) < sizeof rbuf_) return;
  }
}

void Load::on_event(int idx, uint32_t ev) {
  Conn& c = conns_[idx];
  if (c.st == St::closed) return;
  if (c.st == St::connecting) {
    if (!(ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) {
      close_conn(c, false);
      return;
    }
    c.st = St::handshake;
    c.tx = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(o_.port) +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
           "dGhlIHNhbXBsZSBub25jZQ==\r\n"
           "Sec-WebSocket-Version: 13\r\n" +
           (o_.plain ? std::string() : std::string("Sec-WebSocket-Protocol: forumcast.v1\r\n")) +
           "\r\n";
    flush(c, idx);
    return;
  }
  if (ev & EPOLLIN) on_readable(c, idx);
  if (c.st != St::closed && (ev & EPOLLOUT)) flush(c, idx);
  if (c.st != St::closed && (ev & (EPOLLERR | EPOLLHUP)) && !(ev & EPOLLIN)) close_conn(c, true);
}

void Load::poll_once(int timeout_ms) {
  epoll_event evs[512];
  int n = epoll_wait(ep_, evs, 512, timeout_ms);
  for (int i = 0; i < n; ++i) on_event(static_cast<int>(evs[i].data.u32), evs[i].events);
}

void Load::post(int id) {
  int p = id % o_.posters;
  Conn& c = conns_[p];
  if (c.st != St::joined) return;
  static const char* filler =
      "中心广场改造后能不能多放几张长椅老人想坐下来聊聊天楼道里的电动车什么时候清理";
  std::string text = marker_ + std::to_string(id) + ":";
  std::string_view f(filler);
  for (size_t i = 0; static_cast<int>(i) < o_.text_chars - 12; ++i)
    text.append(f.substr((i * 3) % f.size(), 3));
  msgs_[id].sent_ns = now_ns();
  if (o_.plain)
    send_frame(c, p, 0x1, text);
  else
    send_frame(
        c, p, 0x1,
        "{\"op\":\"comment\",\"rid\":" + std::to_string(++rid_) + ",\"text\":\"" + text + "\"}");
}

double pct(std::vector<int64_t>& v, double q) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]) / 1e6;
}

int Load::run() {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  int total = o_.viewers + o_.posters;
  if (total > 60000 || o_.rate * o_.duration > 1e6) {
    std::fprintf(stderr, "refusing: at most 60000 connections and 1e6 comments\n");
    return 2;
  }
  ep_ = epoll_create1(0);
  conns_.resize(static_cast<size_t>(total));
  msgs_.resize(static_cast<size_t>(o_.rate * o_.duration) + 1);

  Proc before = sample(o_.pid);
  int64_t t0 = now_ns();
  int next = 0;
  int64_t deadline = t0 + 60'000'000'000;
  int64_t upgraded_at = 0;
  while (joined_ + failed_ < total && now_ns() < deadline) {
    while (next < total && (opened_ - upgraded_ - failed_) < o_.inflight) open_one(next++);
    poll_once(5);
    if (!upgraded_at && upgraded_ + failed_ >= total) upgraded_at = now_ns();
  }
  int64_t t_joined = now_ns();
  if (!upgraded_at) upgraded_at = t_joined;
  double connect_s = static_cast<double>(upgraded_at - t0) / 1e9;
  double join_s = static_cast<double>(t_joined - t0) / 1e9;
  std::fprintf(stderr, "[%s] %d/%d connected in %.3f s, joined in %.3f s (%d failed)\n",
               o_.label.c_str(), upgraded_, total, connect_s, join_s, failed_);

  // Settle (presence, history) and measure the server at rest with N clients.
  int64_t settle_end = now_ns() + 2'500'000'000;
  while (now_ns() < settle_end) poll_once(50);
  Proc idle = sample(o_.pid);

  int64_t start = now_ns();
  int64_t interval = static_cast<int64_t>(1e9 / o_.rate);
  int total_msgs = static_cast<int>(msgs_.size()) - 1;
  int sent = 0;
  Proc cpu0 = sample(o_.pid);
  rusage ru0{};
  getrusage(RUSAGE_SELF, &ru0);
  while (sent < total_msgs) {
    int64_t t = now_ns();
    while (sent < total_msgs && start + sent * interval <= t) post(sent++);
    int64_t wait = start + sent * interval - now_ns();
    poll_once(static_cast<int>(std::clamp<int64_t>(wait / 1'000'000, 0, 5)));
  }
  int64_t sent_end = now_ns();
  int64_t expected = static_cast<int64_t>(total_msgs) * o_.viewers;
  int64_t drain_end = sent_end + static_cast<int64_t>(o_.drain * 1e9);
  while (deliveries_ < expected && now_ns() < drain_end) poll_once(10);
  int64_t end = now_ns();
  Proc cpu1 = sample(o_.pid);
  rusage ru1{};
  getrusage(RUSAGE_SELF, &ru1);

  std::vector<int64_t> fanout;
  int complete = 0;
  for (int i = 0; i < total_msgs; ++i) {
    if (msgs_[i].sent_ns == 0) continue;
    if (msgs_[i].got >= o_.viewers) ++complete;
    if (msgs_[i].got > 0) fanout.push_back(msgs_[i].last_ns - msgs_[i].sent_ns);
  }
  double mx = fanout.empty()
                  ? 0
                  : static_cast<double>(*std::max_element(fanout.begin(), fanout.end())) / 1e6;
  double p50 = pct(fanout, 0.50), p99 = pct(fanout, 0.99);
  double d50 = pct(delivery_ns_, 0.50), d99 = pct(delivery_ns_, 0.99);
  // Deliveries per second over the posting window plus the time the last one took.
  int64_t last_rx = 0;
  for (int i = 0; i < total_msgs; ++i) last_rx = std::max(last_rx, msgs_[i].last_ns);
  double window = static_cast<double>(std::max(last_rx, sent_end) - start) / 1e9;
  double dps = window > 0 ? static_cast<double>(deliveries_) / window : 0;
  double gen_cpu =
      (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) + (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
      (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) /
          1e6;
  double per_conn = upgraded_ ? (idle.rss_kb - before.rss_kb) * 1024.0 / upgraded_ : 0;
  std::printf(
      "RESULT {\"label\":\"%s\",\"viewers\":%d,\"posters\":%d,\"rate\":%.1f,\"duration_s\":%.1f,"
      "\"connected\":%d,\"failed\":%d,\"connect_s\":%.3f,\"join_s\":%.3f,"
      "\"messages\":%d,\"expected\":%lld,\"deliveries\":%lld,\"lost\":%lld,\"complete_msgs\":%d,"
      "\"fanout_p50_ms\":%.2f,\"fanout_p99_ms\":%.2f,\"fanout_max_ms\":%.2f,"
      "\"delivery_p50_ms\":%.2f,\"delivery_p99_ms\":%.2f,\"deliveries_per_s\":%.0f,"
      "\"server_closes\":%d,\"server_cpu_s\":%.2f,\"server_cpu_pct\":%.1f,\"rss_before_kb\":%ld,"
      "\"rss_idle_kb\":%ld,\"rss_end_kb\":%ld,\"bytes_per_idle_conn\":%.0f,\"generator_cpu_s\":%."
      "2f,"
      "\"elapsed_s\":%.2f}\n",
      o_.label.c_str(), o_.viewers, o_.posters, o_.rate, o_.duration, upgraded_, failed_, connect_s,
      join_s, total_msgs, static_cast<long long>(expected), static_cast<long long>(deliveries_),
      static_cast<long long>(expected - deliveries_), complete, p50, p99, mx, d50, d99, dps,
      server_closes_, cpu1.cpu_s - cpu0.cpu_s,
      100.0 * (cpu1.cpu_s - cpu0.cpu_s) / (static_cast<double>(end - start) / 1e9), before.rss_kb,
      idle.rss_kb, cpu1.rss_kb, per_conn, gen_cpu, static_cast<double>(end - t0) / 1e9);
  std::fflush(stdout);
  for (auto& c : conns_)
    if (c.fd >= 0) close(c.fd);
  close(ep_);
  return 0;
}

void usage() {
  std::fprintf(stderr,
               "usage: chat_load --port N [--plain] [--forum ID] [--device TOKEN] [--viewers N]\n"
               "                 [--posters P] [--rate R] [--duration S] [--drain S] [--pid PID]\n"
               "                 [--text-chars C] [--inflight K] [--label NAME]\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--port")
      o.port = std::stoi(val());
    else if (a == "--plain")
      o.plain = true;
    else if (a == "--forum")
      o.forum = val();
    else if (a == "--device")
      o.device = val();
    else if (a == "--viewers")
      o.viewers = std::stoi(val());
    else if (a == "--posters")
      o.posters = std::max(1, std::stoi(val()));
    else if (a == "--rate")
      o.rate = std::stod(val());
    else if (a == "--duration")
      o.duration = std::stod(val());
    else if (a == "--drain")
      o.drain = std::stod(val());
    else if (a == "--pid")
      o.pid = std::stoi(val());
    else if (a == "--text-chars")
      o.text_chars = std::stoi(val());
    else if (a == "--inflight")
      o.inflight = std::max(1, std::stoi(val()));
    else if (a == "--label")
      o.label = val();
    else {
      usage();
      return 2;
    }
  }
  if (o.rate <= 0 || o.duration <= 0 || o.duration > 300 || o.viewers < 1) {
    usage();
    return 2;
  }
  return Load(o).run();
}
