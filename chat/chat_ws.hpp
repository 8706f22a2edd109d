// chat/chat_ws.hpp: the chat relay on the server's /ws endpoint. Adapts
// net::WsHandler (pull-mode writes: shared frames go to the socket without a
// copy) to ChatService, persists through the store's ChatLogStore, runs the
// presence tick on a loop timer, and bounces store completions to the loop
// with Loop::defer. This and chat_ws.cpp are the only chat files that know of
// net/; neither includes <libwebsockets.h> (net/ws_transport.cpp does).
//
// Wiring (server/serve.cpp): construct before the Loop, pass it as the loop's
// WsHandler, attach(loop) after listen(), detach() after run() returns.
// Threading: the service thread, except detach's guard against late store
// completions (any thread).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "chat/chat_limits.hpp"
#include "chat/chat_service.hpp"
#include "net/ws.hpp"

namespace forumcast {
class Store;
namespace net {
class Loop;
}
}  // namespace forumcast

namespace forumcast::chat {

struct ChatHooks {
  // token -> who (see ChatDeps::authenticate); the server maps its auth here.
  std::function<Result<Identity>(const JoinOp&)> authenticate;
  std::function<bool(Role, std::string_view op)> allowed;
  // stream/: ms since the forum's stream started when it is live (may be empty).
  std::function<std::optional<int64_t>(const std::string& forum)> stream_ms;
};

class ChatWsEndpoint final : public net::WsHandler {
 public:
  ChatWsEndpoint(const ChatLimits& limits, Store& store, const Clock& clock, ChatHooks hooks);
  ~ChatWsEndpoint() override;

  void attach(net::Loop& loop);  // after listen(): store completions and the tick
  void detach();                 // after run(): later store completions are dropped

  void on_open(net::WsConnection& c) override;
  void on_message(net::WsConnection& c, std::string_view text) override;
  void on_close(net::WsConnection& c) override;
  net::WsBytes on_writable(net::WsConnection& c) override;

  ChatStats stats() const { return service_->stats(); }
  // Service thread: a staff-only event to a forum's staff (ChatService::publish_staff).
  void publish_staff(const std::string& forum, std::string json) {
    service_->publish_staff(forum, std::move(json));
  }
  // Service thread: an event to everyone in a forum (ChatService::publish_forum).
  void publish_forum(const std::string& forum, std::string json) {
    service_->publish_forum(forum, std::move(json));
  }

 private:
  struct Peer;
  void tick();

  std::mutex loop_mu_;  // guards loop_ against store completions on the writer thread
  net::Loop* loop_ = nullptr;
  std::unique_ptr<ChatService> service_;
};

}  // namespace forumcast::chat
