// tests/integration/chat/chat_client.cpp: see chat_client.hpp.
#include "chat_client.hpp"

#include "support/http_client.hpp"

namespace forumcast::test {

std::string new_device_token(int port) {
  HttpResult r = http_post_json(port, "/api/v1/device", "{}");
  if (r.status != 201) return {};
  return json::parse(r.body, nullptr, false).value("device_token", "");
}

bool ChatClient::pump(std::chrono::milliseconds timeout) {
  auto text = ws.read_text(timeout);
  if (!text) return false;
  json j = json::parse(*text, nullptr, false);
  auto file = [this](json& m) {
    if (m.contains("ev"))
      events.push_back(std::move(m));
    else
      replies.push_back(std::move(m));
  };
  if (j.is_array())
    for (auto& m : j) file(m);
  else
    file(j);
  return true;
}

json ChatClient::request(json req, std::chrono::milliseconds timeout) {
  int64_t rid = next_rid++;
  req["rid"] = rid;
  if (!ws.send_text(req.dump())) return json();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto it = replies.begin(); it != replies.end(); ++it)
      if ((*it)["rid"] == rid) {
        json r = std::move(*it);
        replies.erase(it);
        return r;
      }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !pump(left)) return json();
  }
}

json ChatClient::join(const std::string& forum, const std::string& device, const std::string& name,
                      json since) {
  json req = {{"op", "join"}, {"forum", forum}, {"device", device}, {"name", name}};
  if (!since.is_null()) req["since"] = since;
  return request(req);
}

std::optional<json> ChatClient::next_event(const std::string& ev,
                                           std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    while (!events.empty()) {
      json e = std::move(events.front());
      events.pop_front();
      if (e["ev"] == ev) return e;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !pump(left)) return std::nullopt;
  }
}

}  // namespace forumcast::test
