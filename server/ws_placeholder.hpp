// server/ws_placeholder.hpp: the /ws handler until chat/ plugs in. Answers
// {"op":"ping","rid":..} with ok and every other operation with not_implemented,
// in the reply format of docs/protocol.md: {"rid":..,"ok":false,"error":{..}}.
#pragma once

#include "net/ws.hpp"

namespace forumcast {

class PlaceholderWsHandler final : public net::WsHandler {
 public:
  void on_open(net::WsConnection& c) override;
  void on_message(net::WsConnection& c, std::string_view text) override;
  void on_close(net::WsConnection& c) override;
};

}  // namespace forumcast
