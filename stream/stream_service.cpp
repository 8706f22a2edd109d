// stream/stream_service.cpp: wiring of the stream module (see
// stream_service.hpp): RTMP front hooks -> per-forum slot (authentication,
// takeover, one ingest thread per session, sessions of a forum serialised by
// joining the previous thread first), the health timer and the queries.
// Thread ownership: slots_ and everything in a ForumSlot but `output` are
// guarded by mu_; `output` is used by the forum's ingest thread (one at a time)
// and its thread-safe queries.
#include "stream/stream_service.hpp"

#include <spdlog/spdlog.h>

extern "C" {
#include <libavutil/log.h>
}

#include <condition_variable>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "stream/flv_feed.hpp"
#include "stream/forum_output.hpp"
#include "stream/ingest.hpp"
#include "stream/rtmp/rtmp_server.hpp"

namespace forumcast::stream {
namespace fs = std::filesystem;

bool valid_forum_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

namespace {
std::string key_hint(const std::string& key) {
  return key.size() <= 4 ? "****" : key.substr(0, 4) + "…";
}
}  // namespace

struct ForumSlot {
  std::string forum_id;
  std::unique_ptr<ForumOutput> output;
  std::thread worker;
  std::shared_ptr<FlvFeed> feed;
  std::shared_ptr<std::atomic<uint64_t>> srt_bytes;  // an SRT session's bytes in (no feed)
  std::shared_ptr<std::atomic<bool>> stop;
  uint64_t conn = 0;  // current publisher connection; 0 = none
  std::string remote;
  std::string close_reason;
  int session_no = 0;
  int64_t publish_mono = 0;
  bool finishing = false;
  bool reported_live = false;  // for the one "idle" health report after a session
  uint64_t last_bytes = 0;
  int64_t last_bytes_mono = 0;
  int64_t bitrate = 0;
  std::unordered_map<std::string, int64_t> viewers;  // client key -> last seen (mono ms)
};

// The current session's bytes in: the FLV feed's (RTMP) or the remuxer's count (SRT).
uint64_t session_bytes(const ForumSlot& s) {
  if (s.feed) return s.feed->bytes_pushed();
  return s.srt_bytes ? s.srt_bytes->load() : 0;
}

struct StreamService::Impl {
  StreamOptions opts;
  Authenticator auth;
  StreamEvents* events;
  StreamEvents no_events;
  const Clock* clock;
  std::unique_ptr<rtmp::RtmpServer> rtmp;

  mutable std::mutex mu;
  std::map<std::string, std::unique_ptr<ForumSlot>> slots;
  std::unordered_map<uint64_t, std::string> conn_forum;

  std::thread health_thread;
  std::mutex health_mu;
  std::condition_variable health_cv;
  bool health_stop = false;
  bool started = false;

  ForumSlot& slot_locked(const std::string& forum) {
    auto& s = slots[forum];
    if (!s) {
      s = std::make_unique<ForumSlot>();
      s->forum_id = forum;
    }
    return *s;
  }

  using SessionBody =
      std::function<std::string(ForumOutput&, const IngestParams&, const std::atomic<bool>&)>;
  // Registers a publish session on a free slot and starts its worker (which first
  // joins the slot's previous worker). on_done runs on the worker at its end.
  PublishInfo start_session_locked(ForumSlot& s, uint64_t conn, const std::string& remote,
                                   const std::string& key, SessionBody body,
                                   std::function<void()> on_done);
  Result<std::shared_ptr<FlvFeed>> on_publish(uint64_t conn, const std::string& remote,
                                              const std::string& key);
  void srt_loop(std::string forum, std::string url, std::shared_ptr<std::atomic<bool>> stop);

  struct SrtListener {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> stop;
    int port = 0;
  };
  std::map<std::string, SrtListener> srt;      // forum -> listener; guarded by mu
  uint64_t next_srt_conn = uint64_t{1} << 62;  // pseudo connection ids of SRT sessions
  void on_closed(uint64_t conn, const std::string& remote, const std::string& reason,
                 bool was_publishing);
  StreamHealth health_locked(ForumSlot& s, int64_t now_mono) const;
  void health_loop();
  Error refuse(const std::string& remote, Error e) {
    spdlog::warn("stream: publish refused from {}: {} ({})", remote, e.code, e.message);
    events->on_refused(remote, e);
    return e;
  }
};

PublishInfo StreamService::Impl::start_session_locked(ForumSlot& s, uint64_t conn,
                                                      const std::string& remote,
                                                      const std::string& key, SessionBody body,
                                                      std::function<void()> on_done) {
  const std::string forum = s.forum_id;
  if (!s.output) s.output = std::make_unique<ForumOutput>(forum, opts, clock);
  s.session_no = std::max(s.session_no, s.output->sessions_recorded()) + 1;
  s.conn = conn;
  s.remote = remote;
  s.close_reason.clear();
  s.publish_mono = clock->monotonic_ms();
  s.stop = std::make_shared<std::atomic<bool>>(false);
  s.last_bytes = 0;
  s.last_bytes_mono = s.publish_mono;
  s.bitrate = 0;
  conn_forum[conn] = forum;

  IngestParams p;
  p.remote = remote;
  p.session_no = s.session_no;
  p.publish_mono_ms = s.publish_mono;
  p.probe_size_bytes = opts.probe_size_bytes;
  p.analyze_duration_ms = opts.analyze_duration_ms;
  PublishInfo info;
  info.remote = remote;
  info.stream_key = key;
  info.session = s.session_no;
  info.stream_ms = s.output->next_session_base_ms();

  std::thread previous = std::move(s.worker);
  ForumSlot* slot = &s;
  s.worker = std::thread([this, slot, stop = s.stop, p, conn, forum, body = std::move(body),
                          on_done = std::move(on_done), previous = std::move(previous)]() mutable {
    if (previous.joinable()) previous.join();  // sessions of one forum never overlap
    std::string reason = body(*slot->output, p, *stop);
    UnpublishInfo u;
    u.session = p.session_no;
    u.stream_ms = slot->output->next_session_base_ms();
    {
      std::lock_guard lk(mu);
      if (reason == "publisher_closed") {
        if (slot->conn != conn && slot->conn != 0)
          reason = "taken_over";
        else if (!slot->close_reason.empty())
          reason = slot->close_reason;
      }
      if (slot->conn == conn) {
        // the ingest ended on its own (error, SRT caller gone): drop the publisher too
        rtmp->request_close(conn, reason);
        conn_forum.erase(conn);
        slot->conn = 0;
      }
    }
    u.reason = reason;
    spdlog::info("stream: forum {} session {} ended at stream_ms {}: {}", forum, u.session,
                 u.stream_ms, reason);
    events->on_unpublish(forum, u);
    if (on_done) on_done();
  });
  return info;
}

Result<std::shared_ptr<FlvFeed>> StreamService::Impl::on_publish(uint64_t conn,
                                                                 const std::string& remote,
                                                                 const std::string& key) {
  if (key.empty()) return refuse(remote, make_error("stream_key_unknown", "no stream key"));
  auto who =
      auth ? auth(key) : Result<std::string>(make_error("stream_key_unknown", "no authenticator"));
  if (!who.ok()) return refuse(remote, who.error());
  const std::string forum = who.value();
  if (!valid_forum_id(forum))
    return refuse(remote, make_error("stream_forum_invalid", "forum id unusable"));

  PublishInfo info;
  std::shared_ptr<FlvFeed> feed;
  bool took_over = false;
  {
    std::lock_guard lk(mu);
    ForumSlot& s = slot_locked(forum);
    if (s.finishing)
      return refuse(remote, make_error("stream_forum_finishing", "the forum is being closed"));
    if (s.conn != 0) {
      if (opts.takeover == TakeoverPolicy::refuse)
        return refuse(remote, make_error("stream_already_live",
                                         "forum " + forum + " already has a live publisher (" +
                                             s.remote + ")"));
      rtmp->request_close(s.conn, "taken_over");
      conn_forum.erase(s.conn);
      if (s.feed) s.feed->close();
      if (s.stop) *s.stop = true;
      took_over = true;
    }
    feed = std::make_shared<FlvFeed>(static_cast<size_t>(opts.ingest_queue_bytes));
    s.feed = feed;
    info = start_session_locked(
        s, conn, remote, key,
        [feed](ForumOutput& out, const IngestParams& p, const std::atomic<bool>& stop) {
          return run_ingest(*feed, out, p, stop);
        },
        nullptr);
    info.took_over = took_over;
  }
  spdlog::info("stream: forum {} publish from {} (key {}), session {}{}", forum, remote,
               key_hint(key), info.session, info.took_over ? ", took over" : "");
  events->on_publish(forum, info);
  return feed;
}

void StreamService::Impl::on_closed(uint64_t conn, const std::string& remote,
                                    const std::string& reason, bool was_publishing) {
  std::lock_guard lk(mu);
  auto it = conn_forum.find(conn);
  if (it == conn_forum.end()) {
    if (!was_publishing && !reason.empty() && reason.rfind("connection closed", 0) != 0)
      spdlog::info("stream: rtmp connection {} closed: {}", remote, reason);
    return;
  }
  ForumSlot& s = *slots[it->second];
  conn_forum.erase(it);
  if (s.conn == conn) {
    s.conn = 0;
    if (s.close_reason.empty()) s.close_reason = reason;
  }
}

void StreamService::Impl::srt_loop(std::string forum, std::string url,
                                   std::shared_ptr<std::atomic<bool>> stop) {
  while (!*stop) {
    IngestParams probe;
    probe.probe_size_bytes = opts.probe_size_bytes;
    probe.analyze_duration_ms = opts.analyze_duration_ms;
    auto opened = open_srt(url, probe, *stop);  // waits for a caller with the passphrase
    if (*stop) break;
    if (!opened.ok()) {
      spdlog::warn("stream: SRT listener of forum {}: {}", forum, opened.error().message);
      for (int i = 0; i < 10 && !*stop; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    auto input = std::make_shared<OpenedInput>(std::move(opened.value()));
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> finished = done->get_future();
    const std::string remote = "srt:" + url.substr(6, url.find('?') - 6);
    PublishInfo info;
    std::shared_ptr<std::atomic<bool>> session_stop;
    {
      std::lock_guard lk(mu);
      ForumSlot& s = slot_locked(forum);
      if (s.conn != 0 || s.finishing) {
        Error e = make_error("stream_already_live",
                             "forum " + forum + " already has a live publisher (" + s.remote + ")");
        spdlog::warn("stream: publish refused from {}: {} ({})", remote, e.code, e.message);
        events->on_refused(remote, e);
        continue;  // the input goes: the caller is disconnected
      }
      s.feed.reset();
      s.srt_bytes = std::make_shared<std::atomic<uint64_t>>(0);
      info = start_session_locked(
          s, next_srt_conn++, remote, "(srt passphrase)",
          [input, bytes = s.srt_bytes](ForumOutput& out, const IngestParams& p,
                                       const std::atomic<bool>& st) {
            IngestParams counted = p;
            counted.bytes_read = bytes.get();
            return remux(input->in.get(), out, counted, st);
          },
          [done] { done->set_value(); });
      session_stop = s.stop;
    }
    spdlog::info("stream: forum {} publish over SRT ({}), session {}", forum, remote, info.session);
    events->on_publish(forum, info);
    while (finished.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
      if (*stop) *session_stop = true;
  }
}

StreamHealth StreamService::Impl::health_locked(ForumSlot& s, int64_t now) const {
  StreamHealth h;
  int window = opts.viewer_window_ms;
  for (auto it = s.viewers.begin(); it != s.viewers.end();) {
    if (now - it->second > window) {
      it = s.viewers.erase(it);
    } else {
      ++it;
    }
  }
  h.viewers = static_cast<int>(s.viewers.size());
  if (!s.output) return h;
  MediaStats m = s.output->media_stats();
  h.segments = m.segments;
  h.reconnects = std::max(0, s.session_no - 1);
  if (s.conn == 0) return h;
  h.state = m.live && m.segments > 0 && m.first_playlist_ms >= 0 ? "live" : "starting";
  h.remote = s.remote;
  h.video_codec = m.video_codec;
  h.audio_codec = m.audio_codec;
  h.width = m.width;
  h.height = m.height;
  h.fps = m.fps;
  h.keyframe_interval_s = m.keyframe_interval_s;
  h.bytes_in = static_cast<int64_t>(session_bytes(s));
  h.bitrate_bps = s.bitrate;
  h.uptime_ms = now - s.publish_mono;
  h.first_playlist_ms = m.first_playlist_ms;
  if (auto ms = s.output->stream_ms()) h.stream_ms = *ms;
  return h;
}

void StreamService::Impl::health_loop() {
  std::unique_lock hl(health_mu);
  while (!health_stop) {
    health_cv.wait_for(hl, std::chrono::milliseconds(opts.health_interval_ms));
    if (health_stop) break;
    std::vector<std::pair<std::string, StreamHealth>> reports;
    {
      std::lock_guard lk(mu);
      const int64_t now = clock->monotonic_ms();
      for (auto& [id, s] : slots) {
        if (s->conn != 0 && (s->feed || s->srt_bytes)) {
          const uint64_t bytes = session_bytes(*s);
          if (now > s->last_bytes_mono)
            s->bitrate =
                static_cast<int64_t>((bytes - s->last_bytes) * 8000 / (now - s->last_bytes_mono));
          s->last_bytes = bytes;
          s->last_bytes_mono = now;
        }
        const bool live = s->conn != 0;
        if (live || s->reported_live) reports.emplace_back(id, health_locked(*s, now));
        s->reported_live = live;
      }
    }
    hl.unlock();
    for (auto& [id, h] : reports) events->on_health(id, h);
    hl.lock();
  }
}

StreamService::StreamService(StreamOptions options, Authenticator auth, StreamEvents* events,
                             const Clock* clock)
    : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(options);
  impl_->auth = std::move(auth);
  impl_->events = events ? events : &impl_->no_events;
  impl_->clock = clock;
}

StreamService::~StreamService() {
  stop();
}

Status StreamService::start() {
  Impl& I = *impl_;
  if (I.started) return ok_status();
  // libav is used only here; its per-stream chatter (x264 statistics, flv
  // warnings) would drown the server log. Errors still show.
  av_log_set_level(AV_LOG_ERROR);
  rtmp::RtmpServerOptions ro;
  ro.host = I.opts.rtmp_host;
  ro.port = I.opts.rtmp_port;
  ro.app = I.opts.rtmp_app;
  ro.limits.max_chunk_size = static_cast<uint32_t>(I.opts.max_chunk_size);
  ro.limits.max_message_bytes = static_cast<uint32_t>(I.opts.max_message_bytes);
  ro.limits.max_chunk_streams = static_cast<uint32_t>(I.opts.max_chunk_streams);
  ro.limits.max_pending_bytes = static_cast<uint64_t>(I.opts.max_message_bytes) * 2;
  ro.max_connections = I.opts.max_connections;
  ro.handshake_timeout_ms = I.opts.handshake_timeout_ms;
  ro.idle_timeout_ms = I.opts.idle_timeout_ms;
  rtmp::RtmpServer::Hooks hooks;
  hooks.on_publish = [&I](uint64_t conn, const std::string& remote, const std::string& key) {
    return I.on_publish(conn, remote, key);
  };
  hooks.on_closed = [&I](uint64_t conn, const std::string& remote, const std::string& reason,
                         bool pub) { I.on_closed(conn, remote, reason, pub); };
  I.rtmp = std::make_unique<rtmp::RtmpServer>(ro, std::move(hooks), I.clock);
  auto port = I.rtmp->start();
  if (!port.ok()) return port.error();
  I.started = true;
  I.health_stop = false;
  I.health_thread = std::thread([&I] { I.health_loop(); });
  spdlog::info("stream: RTMP front on {}:{} (rtmp://HOST:{}/{}/<stream-key>)", I.opts.rtmp_host,
               port.value(), port.value(), I.opts.rtmp_app);
  return ok_status();
}

void StreamService::stop() {
  Impl& I = *impl_;
  if (!I.started) return;
  I.started = false;
  std::vector<std::thread> listeners;
  {
    std::lock_guard lk(I.mu);
    for (auto& [id, l] : I.srt) {
      *l.stop = true;
      listeners.push_back(std::move(l.thread));
    }
    I.srt.clear();
  }
  for (auto& t : listeners) t.join();
  I.rtmp->stop();  // closes every publisher: feeds end, ingest threads finish
  std::vector<std::thread> workers;
  {
    std::lock_guard lk(I.mu);
    for (auto& [id, s] : I.slots) {
      if (s->stop) *s->stop = true;
      if (s->feed) s->feed->cancel();
      if (s->worker.joinable()) workers.push_back(std::move(s->worker));
    }
  }
  for (auto& t : workers) t.join();
  {
    std::lock_guard hl(I.health_mu);
    I.health_stop = true;
  }
  I.health_cv.notify_all();
  if (I.health_thread.joinable()) I.health_thread.join();
}

Status StreamService::listen_srt(const std::string& forum_id, int port,
                                 const std::string& passphrase) {
  Impl& I = *impl_;
  if (!valid_forum_id(forum_id)) return make_error("stream_forum_invalid", "forum id unusable");
  // SRT passphrases are 10..79 characters; only URL-safe ones pass through libav's URL
  if (passphrase.size() < 10 || passphrase.size() > 79)
    return make_error("srt_passphrase_invalid", "an SRT passphrase has 10 to 79 characters");
  for (char c : passphrase)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      return make_error("srt_passphrase_invalid",
                        "an SRT passphrase here uses letters, digits, '-' and '_'");
  if (port <= 0 || port > 65535) return make_error("srt_port_invalid", "SRT port out of range");
  stop_srt(forum_id);
  const std::string url = "srt://" + I.opts.rtmp_host + ":" + std::to_string(port) +
                          "?mode=listener&transtype=live&pbkeylen=16&passphrase=" + passphrase;
  std::lock_guard lk(I.mu);
  auto& l = I.srt[forum_id];
  l.stop = std::make_shared<std::atomic<bool>>(false);
  l.port = port;
  l.thread = std::thread([&I, forum_id, url, stop = l.stop] { I.srt_loop(forum_id, url, stop); });
  spdlog::info("stream: SRT listener for forum {} on {}:{}", forum_id, I.opts.rtmp_host, port);
  return ok_status();
}

void StreamService::stop_srt(const std::string& forum_id) {
  Impl& I = *impl_;
  std::thread t;
  {
    std::lock_guard lk(I.mu);
    auto it = I.srt.find(forum_id);
    if (it == I.srt.end()) return;
    *it->second.stop = true;
    t = std::move(it->second.thread);
    I.srt.erase(it);
  }
  if (t.joinable()) t.join();
}

int StreamService::rtmp_port() const {
  return impl_->rtmp ? impl_->rtmp->port() : 0;
}

std::optional<int64_t> StreamService::stream_ms(const std::string& forum_id) const {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->slots.find(forum_id);
  if (it == impl_->slots.end() || !it->second->output || it->second->conn == 0) return std::nullopt;
  return it->second->output->stream_ms();
}

StreamHealth StreamService::health(const std::string& forum_id) const {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->slots.find(forum_id);
  if (it == impl_->slots.end()) return StreamHealth{};
  return impl_->health_locked(*it->second, impl_->clock->monotonic_ms());
}

std::vector<std::string> StreamService::live_forums() const {
  std::lock_guard lk(impl_->mu);
  std::vector<std::string> out;
  for (auto& [id, s] : impl_->slots)
    if (s->conn != 0) out.push_back(id);
  return out;
}

void StreamService::disconnect(const std::string& forum_id) {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->slots.find(forum_id);
  if (it == impl_->slots.end() || it->second->conn == 0 || !impl_->rtmp) return;
  it->second->close_reason = "disconnected";
  impl_->rtmp->request_close(it->second->conn, "disconnected");
  if (it->second->stop) *it->second->stop = true;  // SRT sessions have no RTMP connection
}

void StreamService::finish(const std::string& forum_id) {
  Impl& I = *impl_;
  std::thread worker;
  ForumSlot* slot = nullptr;
  {
    std::lock_guard lk(I.mu);
    ForumSlot& s = I.slot_locked(forum_id);
    s.finishing = true;
    if (s.conn != 0 && I.rtmp) {
      s.close_reason = "forum_finished";
      I.rtmp->request_close(s.conn, "forum_finished");
      if (s.stop) *s.stop = true;
    }
    if (s.feed) s.feed->close();
    worker = std::move(s.worker);
    slot = &s;
  }
  if (worker.joinable()) worker.join();
  {
    std::lock_guard lk(I.mu);
    if (!slot->output) slot->output = std::make_unique<ForumOutput>(forum_id, I.opts, I.clock);
  }
  slot->output->finish();
  std::lock_guard lk(I.mu);
  slot->finishing = false;
}

void StreamService::note_viewer(const std::string& forum_id, const std::string& client_key) {
  constexpr size_t kMaxTracked = 100000;
  std::lock_guard lk(impl_->mu);
  auto it = impl_->slots.find(forum_id);
  if (it == impl_->slots.end()) return;
  auto& v = it->second->viewers;
  if (v.size() >= kMaxTracked && !v.count(client_key)) return;
  v[client_key] = impl_->clock->monotonic_ms();
}

std::string StreamService::hls_dir(const std::string& forum_id) const {
  return impl_->opts.data_dir + "/hls/" + forum_id;
}
std::string StreamService::recording_dir(const std::string& forum_id) const {
  return impl_->opts.data_dir + "/recordings/" + forum_id;
}

DiskUsage StreamService::disk_usage() const {
  DiskUsage du;
  std::error_code ec;
  for (const char* sub : {"recordings", "hls"}) {
    const fs::path root = fs::path(impl_->opts.data_dir) / sub;
    if (!fs::is_directory(root, ec)) continue;
    for (const auto& forum : fs::directory_iterator(root, ec)) {
      if (!forum.is_directory(ec)) continue;
      int64_t bytes = 0;
      for (const auto& f : fs::directory_iterator(forum.path(), ec)) {
        if (!f.is_regular_file(ec)) continue;
        // hls/ segments are hard links to recordings/: count them once
        if (std::string(sub) == "hls" && f.hard_link_count(ec) > 1) continue;
        bytes += static_cast<int64_t>(f.file_size(ec));
      }
      du.per_forum[forum.path().filename().string()] += bytes;
      du.total_bytes += bytes;
    }
  }
  return du;
}

std::vector<std::string> StreamService::prune(int64_t now_wall_ms) const {
  std::vector<std::string> pruned;
  if (impl_->opts.retention_days <= 0) return pruned;
  const int64_t keep_ms = int64_t{impl_->opts.retention_days} * 86'400'000;
  const auto live = live_forums();
  std::error_code ec;
  const fs::path root = fs::path(impl_->opts.data_dir) / "recordings";
  for (const auto& forum : fs::directory_iterator(root, ec)) {
    const std::string id = forum.path().filename().string();
    if (std::find(live.begin(), live.end(), id) != live.end()) continue;
    auto text = read_file((forum.path() / "recording.json").string());
    if (!text) continue;
    auto idx = recording_index_from_json(*text);
    if (!idx || now_wall_ms - idx->recorded_until_wall_ms <= keep_ms) continue;
    fs::remove_all(forum.path(), ec);
    fs::remove_all(fs::path(impl_->opts.data_dir) / "hls" / id, ec);
    spdlog::info("stream: pruned recording of forum {} (older than {} days)", id,
                 impl_->opts.retention_days);
    pruned.push_back(id);
  }
  return pruned;
}

}  // namespace forumcast::stream
