// chat/chat_ws.cpp: ChatService behind net's /ws (see chat_ws.hpp).
#include "chat/chat_ws.hpp"

#include <atomic>

#include "chat/moderation_ops.hpp"
#include "moderation/text_normalizer.hpp"

#include "chat/protocol.hpp"
#include "net/loop.hpp"
#include "store/store.hpp"

namespace forumcast::chat {

namespace {
// The service's housekeeping tick: presence (itself limited to one per
// presence_interval_ms), comments whose chat delay has passed (released within one
// tick of their due time: 50 ms, not the 250 ms it was, which added up to a quarter
// second and bursts to a delayed forum's fan-out), rate-limiter pruning.
constexpr int64_t kTickMs = 50;
}

// One per WebSocket connection (c.user): the ChatPeer the service talks to.
struct ChatWsEndpoint::Peer final : ChatPeer {
  net::WsConnection* ws = nullptr;
  ChatSession* session = nullptr;
  void want_write() override { ws->request_write(); }
  void close(int code, std::string_view reason) override {
    ws->close(static_cast<uint16_t>(code), reason);
  }
};

ChatWsEndpoint::ChatWsEndpoint(const ChatLimits& limits, Store& store, const Clock& clock,
                               ChatHooks hooks) {
  ChatDeps d;
  d.clock = &clock;
  d.log = &store.chat_log();
  d.authenticate = std::move(hooks.authenticate);
  d.allowed = std::move(hooks.allowed);
  d.stream_ms = std::move(hooks.stream_ms);
  d.forum_state = [&store](const std::string& forum) -> Result<ForumState> {
    auto f = store.forums().get_forum(forum);
    if (!f) return f.error();
    return f->state;
  };
  d.defer = [this](std::function<void()> fn) {
    std::lock_guard lk(loop_mu_);
    if (loop_) loop_->defer(std::move(fn));
  };
  d.headroom = net::ws_write_headroom();
  // Moderation (chat/moderation_ops.hpp): one ForumModeration per forum, loaded when
  // its room opens. Without OpenCC's tables the ops are not offered (unknown_op).
  if (auto norm = moderation::TextNormalizer::create()) {
    auto ids = std::make_shared<std::atomic<int64_t>>(-1);  // question ids: one counter per process
    d.make_moderation = [&store, &clock, allowed = d.allowed, defer = d.defer, stream = d.stream_ms,
                         norm = *norm, ids, fstate = d.forum_state](
                            const std::string& forum) -> Result<std::unique_ptr<ForumModeration>> {
      if (ids->load() < 0) {
        auto max = store.questions().max_question_id();
        if (!max) return max.error();
        ids->store(*max);
      }
      ModerationDeps md;
      md.clock = &clock;
      md.allowed = allowed;
      md.questions = &store.questions();
      md.votes = &store.votes();
      md.bans = &store.bans();
      md.settings = &store.moderation_settings();
      md.terms = &store.blocked_terms();
      md.defer = defer;
      if (stream) md.stream_ms = [stream, forum] { return stream(forum); };
      md.normalizer = norm;
      md.question_ids = [ids] { return ++*ids; };
      md.forum_state = [fstate, forum] { return fstate(forum); };  // intake after the end
      // Read at each ask and move, so the current item applies to the very next one.
      md.agenda = [&store, forum]() -> Result<AgendaView> {
        auto rows = store.programs().get_agenda(forum);
        if (!rows) return rows.error();
        auto current = store.programs().get_current_item(forum);
        if (!current) return current.error();
        AgendaView v;
        for (const auto& r : *rows) v.items.push_back(r.id);
        v.current = *current;
        return v;
      };
      auto m = std::make_unique<ForumModeration>(forum, std::move(md));
      if (Status st = m->load(); !st) return st.error();
      return m;
    };
  }
  service_ = std::make_unique<ChatService>(std::move(d), limits);
}

ChatWsEndpoint::~ChatWsEndpoint() {
  detach();
}

void ChatWsEndpoint::attach(net::Loop& loop) {
  {
    std::lock_guard lk(loop_mu_);
    loop_ = &loop;
  }
  loop.defer([this] { tick(); });
}

void ChatWsEndpoint::detach() {
  std::lock_guard lk(loop_mu_);
  loop_ = nullptr;
}

void ChatWsEndpoint::tick() {
  service_->tick();
  std::lock_guard lk(loop_mu_);
  if (loop_) loop_->add_timer(kTickMs, [this] { tick(); });
}

void ChatWsEndpoint::on_open(net::WsConnection& c) {
  auto* p = new Peer;
  p->ws = &c;
  c.user = p;
  p->session = service_->open(*p, c.peer_ip());
  if (!p->session) c.close(kCloseTryLater, "too many connections");
}

void ChatWsEndpoint::on_message(net::WsConnection& c, std::string_view text) {
  auto* p = static_cast<Peer*>(c.user);
  if (p && p->session) service_->on_message(p->session, text);
}

net::WsBytes ChatWsEndpoint::on_writable(net::WsConnection& c) {
  auto* p = static_cast<Peer*>(c.user);
  if (!p || !p->session) return {};
  OutBytes out = service_->on_writable(p->session);
  return {out.data, out.size};
}

void ChatWsEndpoint::on_close(net::WsConnection& c) {
  auto* p = static_cast<Peer*>(c.user);
  c.user = nullptr;
  if (!p) return;
  service_->on_closed(p->session);
  delete p;
}

}  // namespace forumcast::chat
