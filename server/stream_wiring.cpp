// server/stream_wiring.cpp: see stream_wiring.hpp. The authenticator reads the
// store on the RTMP thread (store reads are thread-safe); the events sink logs
// and hands health to the server's HealthSink (which hops to the loop); pruning runs on the
// worker, armed by a loop timer.
#include "server/stream_wiring.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "net/loop.hpp"
#include "server/media_routes.hpp"
#include "stream/demo_source.hpp"
#include "stream/stream_service.hpp"

namespace forumcast {
namespace {

constexpr int64_t kPruneEveryMs = 3600 * 1000;
constexpr int64_t kForumWatchMs = 2000;

bool over(ForumState s) {
  return s == ForumState::ended || s == ForumState::archived;
}


bool split_listen(const std::string& s, std::string& host, int& port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  host = s.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  try {
    port = std::stoi(s.substr(colon + 1));
  } catch (...) {
    return false;
  }
  return true;
}

stream::StreamOptions options_from(const Config& c) {
  const StreamConfig& s = c.stream;
  stream::StreamOptions o;
  split_listen(s.rtmp_listen, o.rtmp_host, o.rtmp_port);  // validated by config
  o.data_dir = c.server.data_dir;
  o.segment_target_ms = static_cast<int>(s.segment_target_ms);
  o.window_segments = static_cast<int>(s.window_segments);
  o.takeover = s.takeover == "take_over" ? stream::TakeoverPolicy::take_over
                                         : stream::TakeoverPolicy::refuse;
  o.retention_days = static_cast<int>(s.retention_days);
  o.probe_size_bytes = static_cast<int>(s.probe_size_bytes);
  o.analyze_duration_ms = static_cast<int>(s.analyze_duration_ms);
  o.max_connections = static_cast<int>(s.max_connections);
  o.max_chunk_size = static_cast<int>(s.max_chunk_size);
  o.max_message_bytes = static_cast<int>(s.max_message_bytes);
  o.handshake_timeout_ms = static_cast<int>(s.handshake_timeout_ms);
  o.idle_timeout_ms = static_cast<int>(s.idle_timeout_ms);
  o.ingest_queue_bytes = static_cast<int>(s.ingest_queue_bytes);
  o.health_interval_ms = static_cast<int>(s.health_interval_ms);
  return o;
}

// Logs what happens to publishers. Runs on stream threads; touches nothing else.
class LogEvents final : public stream::StreamEvents {
 public:
  // The key the forum's current publisher used (any thread).
  std::string publisher_key(const std::string& forum) {
    std::lock_guard lk(mu_);
    auto it = keys_.find(forum);
    return it == keys_.end() ? std::string() : it->second;
  }
  void on_publish(const std::string& forum, const stream::PublishInfo& i) override {
    {
      std::lock_guard lk(mu_);
      keys_[forum] = i.stream_key;
    }
    spdlog::info("stream: forum {} live from {} (session {}, stream_ms {}{})", forum, i.remote,
                 i.session, i.stream_ms, i.took_over ? ", took over" : "");
  }
  void on_unpublish(const std::string& forum, const stream::UnpublishInfo& i) override {
    spdlog::info("stream: forum {} session {} ended at stream_ms {}: {}", forum, i.session,
                 i.stream_ms, i.reason);
  }
  void on_health(const std::string& forum, const stream::StreamHealth& h) override {
    StreamWiring::HealthSink sink;
    {
      std::lock_guard lk(mu_);
      sink = health_sink_;
    }
    if (!sink) return;
    std::string health = stream_health_json(h);
    std::string ev = R"({"ev":"stream_health","forum":)" + nlohmann::json(forum).dump() +
                     R"(,"at":)" + std::to_string(SystemClock::instance().wall_ms()) +
                     R"(,"health":)" + health + "}";
    sink(forum, std::move(ev));
  }
  void set_health_sink(StreamWiring::HealthSink sink) {
    std::lock_guard lk(mu_);
    health_sink_ = std::move(sink);
  }
  void on_refused(const std::string& remote, const Error& why) override {
    spdlog::warn("stream: publish from {} refused: {} ({})", remote, why.code, why.message);
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> keys_;
  StreamWiring::HealthSink health_sink_;
};

}  // namespace

struct StreamWiring::Impl {
  const Config& config;
  Store& store;
  LogEvents events;
  std::unique_ptr<stream::StreamService> svc;
  std::unique_ptr<stream::DemoSource> demo;
  bool started = false;
  std::atomic<bool> stopping{false};  // jobs still queued on the worker see it
  // Worker thread only: the forum states seen by the last watch.
  std::map<std::string, ForumState> seen;
  std::map<std::string, std::string> keys;
  bool first_watch = true;
  // SRT (worker thread only): the range, and each running listener's port and key.
  std::optional<std::pair<int, int>> srt_range;
  struct SrtListener {
    int port = 0;
    std::string key;
  };
  std::map<std::string, SrtListener> srt_running;
  bool srt_full_warned = false;
  Worker* worker = nullptr;  // set by start(); rotate_key posts a watch to it

  // Worker thread: SRT listeners and ports follow the forums (see the header).
  void sync_srt(const std::vector<Forum>& forums) {
    if (!srt_range) return;
    const auto [first, last] = *srt_range;
    auto in_range = [&](const std::optional<int>& p) { return p && *p >= first && *p <= last; };
    std::set<int> used;
    for (const Forum& f : forums)
      if (!over(f.state) && in_range(f.srt_port)) used.insert(*f.srt_port);
    std::set<std::string> present;
    for (const Forum& f : forums) {
      present.insert(f.id);
      if (over(f.state)) {
        if (srt_running.erase(f.id)) {
          svc->stop_srt(f.id);
          spdlog::info("stream: forum {} is {}: SRT listener stopped", f.id, to_string(f.state));
        }
        if (f.srt_port) (void)store.forums().set_srt_port(f.id, std::nullopt);
        continue;
      }
      std::optional<int> port = in_range(f.srt_port) ? f.srt_port : std::nullopt;
      if (!port) {
        for (int p = first; p <= last && !port; ++p)
          if (!used.count(p)) port = p;
        if (!port) {
          if (!srt_full_warned)
            spdlog::warn("stream: every SRT port of stream.srt_ports ({}-{}) is taken: forum {} "
                         "has no SRT listener (RTMP still works)",
                         first, last, f.id);
          srt_full_warned = true;
          continue;
        }
        Status st = store.forums().set_srt_port(f.id, *port);
        if (!st) {
          spdlog::warn("stream: cannot assign SRT port {} to forum {}: {}", *port, f.id,
                       st.error().message);
          continue;
        }
        used.insert(*port);
      }
      auto it = srt_running.find(f.id);
      if (it != srt_running.end() && it->second.port == *port && it->second.key == f.stream_key)
        continue;
      Status st = svc->listen_srt(f.id, *port, f.stream_key);  // replaces an older listener
      if (!st) {
        spdlog::warn("stream: no SRT listener for forum {} on port {}: {}", f.id, *port,
                     st.error().message);
        srt_running.erase(f.id);
        continue;
      }
      srt_running[f.id] = {*port, f.stream_key};
    }
    for (auto it = srt_running.begin(); it != srt_running.end();) {
      if (present.count(it->first)) {
        ++it;
        continue;
      }
      svc->stop_srt(it->first);  // the forum is gone from the store
      it = srt_running.erase(it);
    }
  }

  // Worker thread: finish forums that are over (see the header).
  void watch_forums() {
    if (stopping) return;
    auto forums = store.forums().list_forums();
    if (!forums) return;
    sync_srt(forums.value());
    for (const Forum& f : forums.value()) {
      auto it = seen.find(f.id);
      bool was_over = it != seen.end() && over(it->second);
      seen[f.id] = f.state;
      auto k = keys.find(f.id);
      if (k != keys.end() && k->second != f.stream_key && svc->stream_ms(f.id) &&
          events.publisher_key(f.id) != f.stream_key) {
        spdlog::info("stream: forum {} has a new stream key: closing its publisher", f.id);
        svc->disconnect(f.id);
      }
      keys[f.id] = f.stream_key;
      if (!over(f.state) || was_over) continue;
      if (first_watch) {  // ended while the server was down: finish once if still open
        std::string pl = svc->recording_dir(f.id) + "/index.m3u8";
        std::error_code ec;
        if (!std::filesystem::exists(pl, ec)) continue;
        std::ifstream in(pl);
        std::stringstream ss;
        ss << in.rdbuf();
        if (summarize_playlist(ss.str()).ended) continue;
      }
      spdlog::info("stream: forum {} is {}: finishing its stream", f.id, to_string(f.state));
      svc->finish(f.id);
    }
    first_watch = false;
  }

  Impl(const Config& c, Store& s) : config(c), store(s) {
    if (c.stream.enabled) srt_range = srt_port_range(c.stream.srt_ports);
  }
};

StreamWiring::StreamWiring(const Config& config, Store& store)
    : impl_(std::make_unique<Impl>(config, store)) {
  if (!config.stream.enabled) return;
  Store* st = &store;
  stream::Authenticator auth = [st](const std::string& key) -> Result<std::string> {
    auto f = st->forums().find_by_stream_key(key);
    if (!f) return make_error("stream_key_unknown", "unknown stream key");
    if (f.value().state == ForumState::archived)
      return make_error("forum_archived", "forum " + f.value().id + " is archived");
    return f.value().id;
  };
  impl_->svc = std::make_unique<stream::StreamService>(options_from(config), std::move(auth),
                                                       &impl_->events);
}

StreamWiring::~StreamWiring() {
  stop();
}

bool StreamWiring::enabled() const {
  return impl_->svc != nullptr;
}

void StreamWiring::register_routes(net::HttpRouter& router, Auth& auth, Worker& worker) {
  MediaRouteDeps deps{impl_->svc.get(), impl_->config, auth, worker,
                      [this](const std::string& id) { return rotate_key(id); }};
  register_media_routes(router, std::move(deps));
}

void StreamWiring::on_health(HealthSink sink) {
  impl_->events.set_health_sink(std::move(sink));
}

Status StreamWiring::start(net::Loop& loop, Worker& worker,
                           const std::optional<std::string>& demo_stream_key) {
  if (!impl_->svc) return ok_status();
  Status st = impl_->svc->start();
  if (!st)
    return make_error("rtmp_listen_failed", "cannot listen for RTMP on " +
                                                impl_->config.stream.rtmp_listen + ": " +
                                                st.error().message);
  impl_->started = true;
  spdlog::info("RTMP ingest on {} (port {})", impl_->config.stream.rtmp_listen, rtmp_port());

  // Retention: at start and then hourly, off the loop thread.
  if (impl_->config.stream.retention_days > 0) {
    auto prune = std::make_shared<std::function<void()>>();
    stream::StreamService* svc = impl_->svc.get();
    Impl* impl = impl_.get();
    *prune = [&loop, &worker, svc, impl, weak = std::weak_ptr<std::function<void()>>(prune)] {
      worker.post([svc, impl] {
        if (impl->stopping) return;
        for (const auto& id : svc->prune(SystemClock::instance().wall_ms()))
          spdlog::info("stream: pruned the recording of forum {}", id);
      });
      if (auto p = weak.lock()) loop.add_timer(kPruneEveryMs, [p] { (*p)(); });
    };
    (*prune)();
  }

  // Forum lifecycle: the first watch here (SRT ports assigned before the URLs
  // are printed; the loop does not run yet, so no other watch runs), then a loop
  // timer posts it to the worker every kForumWatchMs.
  impl_->worker = &worker;
  impl_->watch_forums();
  {
    auto watch = std::make_shared<std::function<void()>>();
    Impl* impl = impl_.get();
    *watch = [&loop, &worker, impl, weak = std::weak_ptr<std::function<void()>>(watch)] {
      worker.post([impl] { impl->watch_forums(); });
      if (auto p = weak.lock()) loop.add_timer(kForumWatchMs, [p] { (*p)(); });
    };
    loop.add_timer(kForumWatchMs, [watch] { (*watch)(); });
  }

  if (demo_stream_key && impl_->config.stream.demo_source) {
    impl_->demo = std::make_unique<stream::DemoSource>(
        "rtmp://127.0.0.1:" + std::to_string(rtmp_port()) + "/live/" + *demo_stream_key);
    impl_->demo->start();
  }
  return ok_status();
}

void StreamWiring::stop() {
  impl_->stopping = true;
  impl_->events.set_health_sink(nullptr);
  impl_->demo.reset();  // the publisher goes before its receiver
  if (impl_->svc && impl_->started) {
    impl_->svc->stop();
    impl_->started = false;
  }
}

bool StreamWiring::srt_enabled() const {
  return impl_->svc && impl_->srt_range.has_value();
}

int StreamWiring::rtmp_port() const {
  return impl_->svc ? impl_->svc->rtmp_port() : 0;
}

std::optional<int64_t> StreamWiring::stream_ms(const std::string& forum_id) const {
  if (!impl_->svc) return std::nullopt;
  return impl_->svc->stream_ms(forum_id);
}

Result<std::string> StreamWiring::rotate_key(const std::string& forum_id) {
  auto key = rotate_stream_key(impl_->store, forum_id);
  if (!key) return key;
  disconnect(forum_id);
  // The SRT listener takes the new passphrase now, not at the next watch.
  Impl* impl = impl_.get();
  if (impl->worker && impl->srt_range && !impl->stopping)
    impl->worker->post([impl] { impl->watch_forums(); });
  return key;
}

Result<std::string> rotate_stream_key(Store& store, const std::string& forum_id) {
  auto f = store.forums().get_forum(forum_id);
  if (!f) return f.error();
  std::string key = new_secret_token();
  Status st = store.forums().set_stream_key(forum_id, key, SystemClock::instance().wall_ms());
  if (!st) return st.error();
  spdlog::info("stream: forum {} has a new stream key", forum_id);
  return key;
}

void StreamWiring::disconnect(const std::string& forum_id) {
  if (impl_->svc) impl_->svc->disconnect(forum_id);
}

void StreamWiring::finish(const std::string& forum_id) {
  if (impl_->svc) impl_->svc->finish(forum_id);
}

}  // namespace forumcast
