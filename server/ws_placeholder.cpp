// server/ws_placeholder.cpp: see ws_placeholder.hpp.
#include "server/ws_placeholder.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace forumcast {

using json = nlohmann::json;

void PlaceholderWsHandler::on_open(net::WsConnection& c) {
  spdlog::debug("ws #{} open from {}", c.id(), c.peer_ip());
}

void PlaceholderWsHandler::on_message(net::WsConnection& c, std::string_view text) {
  json in = json::parse(text, nullptr, false);
  json out;
  if (in.is_discarded() || !in.is_object()) {
    out = {{"rid", nullptr},
           {"ok", false},
           {"error", {{"code", "bad_json"}, {"message", "a message is one JSON object"}}}};
  } else {
    out["rid"] = in.contains("rid") ? in["rid"] : json(nullptr);
    std::string op = in.value("op", "");
    if (op == "ping") {
      out["ok"] = true;
      out["result"] = {{"pong", true}};
    } else {
      out["ok"] = false;
      out["error"] = {{"code", "not_implemented"},
                      {"message", "operation \"" + op + "\" is not available yet"}};
    }
  }
  c.send(std::make_shared<const std::string>(out.dump()));
}

void PlaceholderWsHandler::on_close(net::WsConnection& c) {
  spdlog::debug("ws #{} closed", c.id());
}

}  // namespace forumcast
