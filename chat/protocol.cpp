// chat/protocol.cpp: parsing and serializing forumcast.v1 with nlohmann/json.
// Validation is strict on types and limits; unknown fields are ignored so that
// newer clients can talk to this server.
#include "chat/protocol.hpp"

#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace forumcast::chat {
namespace {

using nlohmann::json;

constexpr int64_t kMaxRid = (int64_t{1} << 53);  // JSON numbers stay exact in JavaScript

Error err(const char* code, std::string msg) {
  return Error{code, std::move(msg)};
}

std::optional<int64_t> read_rid(const json& j) {
  auto it = j.find("rid");
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  int64_t v = it->get<int64_t>();
  if (v < 0 || v > kMaxRid) return std::nullopt;
  return v;
}

// A string field, cleaned; `required` with 1..max chars, else 0..max chars.
std::optional<Error> read_text(const json& j, const char* key, bool required, size_t max_chars,
                               std::string& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return err(codes::bad_request, std::string("missing field \"") + key + "\"");
    return std::nullopt;
  }
  if (!it->is_string())
    return err(codes::bad_request, std::string("\"") + key + "\" must be a string");
  auto cleaned = clean_text(it->get_ref<const std::string&>());
  if (!cleaned) return err(codes::invalid_utf8, std::string("\"") + key + "\" is not valid UTF-8");
  size_t n = count_chars(*cleaned);
  if (required && n == 0) return err(codes::bad_request, std::string("\"") + key + "\" is empty");
  if (n > max_chars)
    return err(codes::too_large, std::string("\"") + key + "\" is longer than " +
                                     std::to_string(max_chars) + " characters");
  out = std::move(*cleaned);
  return std::nullopt;
}

std::optional<Error> read_token(const json& j, const char* key, std::string& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string() || it->get_ref<const std::string&>().size() > 256)
    return err(codes::bad_request, std::string("\"") + key + "\" must be a token string");
  out = it->get<std::string>();
  return std::nullopt;
}

bool valid_forum_id(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

std::optional<Error> parse_join(const json& j, const ChatLimits& limits, JoinOp& op) {
  auto f = j.find("forum");
  if (f == j.end() || !f->is_string() || !valid_forum_id(f->get_ref<const std::string&>()))
    return err(codes::bad_request, "\"forum\" must be a forum id");
  op.forum = f->get<std::string>();
  if (auto e = read_token(j, "device", op.device)) return e;
  if (auto e = read_token(j, "session", op.session)) return e;
  if (op.device.empty() == op.session.empty())
    return err(codes::bad_request,
               "give exactly one of \"device\" (resident) or \"session\" (staff)");
  if (!op.device.empty()) {
    if (auto e = read_text(j, "name", true, limits.name_max_chars, op.name)) return e;
    if (auto e = read_text(j, "compound", false, limits.place_max_chars, op.compound)) return e;
    if (auto e = read_text(j, "building", false, limits.place_max_chars, op.building)) return e;
  }
  auto s = j.find("since");
  if (s != j.end() && !s->is_null()) {
    if (!s->is_object())
      return err(codes::bad_request, "\"since\" must be {\"epoch\":..,\"seq\":..}");
    auto ep = s->find("epoch");
    auto sq = s->find("seq");
    if (ep == s->end() || !ep->is_string() || ep->get_ref<const std::string&>().size() > 64 ||
        sq == s->end() || !sq->is_number_integer() || sq->get<int64_t>() < 0)
      return err(codes::bad_request, "\"since\" must be {\"epoch\":<string>,\"seq\":<int >= 0>}");
    op.since = Since{ep->get<std::string>(), sq->get<int64_t>()};
  }
  return std::nullopt;
}

// Replaces bytes that are not UTF-8 so that the rid of a bad request can still be read.
std::string lossy_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xC0) len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (c >= 0x80 && (i + len > s.size() || !is_valid_utf8(s.substr(i, len)))) {
      out.push_back('?');
      ++i;
      continue;
    }
    out.append(s.substr(i, len));
    i += len;
  }
  return out;
}

}  // namespace

const std::vector<std::string_view>& all_error_codes() {
  static const std::vector<std::string_view> all = {
      codes::bad_request,  codes::unknown_op, codes::too_large, codes::invalid_utf8,
      codes::not_joined,   codes::forbidden,  codes::not_found, codes::forum_closed,
      codes::rate_limited, codes::internal};
  return all;
}

ParsedMessage parse_client_message(std::string_view text, const ChatLimits& limits) {
  ParsedMessage m;
  if (!is_valid_utf8(text)) {
    json j = json::parse(lossy_utf8(text), nullptr, false);
    if (j.is_object()) m.rid = read_rid(j);
    m.error = err(codes::invalid_utf8, "the message is not valid UTF-8");
    return m;
  }
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    m.error = err(codes::bad_request, "the message must be a JSON object");
    return m;
  }
  m.rid = read_rid(j);
  if (!m.rid) {
    m.error = err(codes::bad_request, "\"rid\" must be an integer from 0 to 2^53");
    return m;
  }
  auto op = j.find("op");
  if (op == j.end() || !op->is_string()) {
    m.error = err(codes::bad_request, "\"op\" must be a string");
    return m;
  }
  const std::string& name = op->get_ref<const std::string&>();
  if (name == "join") {
    JoinOp jo;
    if (auto e = parse_join(j, limits, jo))
      m.error = std::move(e);
    else
      m.op = std::move(jo);
  } else if (name == "leave") {
    m.op = LeaveOp{};
  } else if (name == "ping") {
    m.op = PingOp{};
  } else if (name == "comment") {
    CommentOp co;
    if (auto e = read_text(j, "text", true, limits.comment_max_chars, co.text))
      m.error = std::move(e);
    else
      m.op = std::move(co);
  } else {
    m.error = err(codes::unknown_op, "unknown op \"" + lossy_utf8(name.substr(0, 32)) + "\"");
  }
  return m;
}

std::string serialize_comment_event(const CommentEvent& e) {
  json j = {{"ev", "comment"}, {"forum", e.forum}, {"seq", e.seq},  {"at", e.at_ms},
            {"role", e.role},  {"name", e.name},   {"text", e.text}};
  if (!e.compound.empty()) j["compound"] = e.compound;
  if (!e.building.empty()) j["building"] = e.building;
  if (e.stream_ms) j["stream_ms"] = *e.stream_ms;
  return j.dump();
}

std::string serialize_presence_event(std::string_view forum, int64_t seq, size_t viewers) {
  return json{{"ev", "presence"}, {"forum", forum}, {"seq", seq}, {"viewers", viewers}}.dump();
}

std::string serialize_noop_event(std::string_view forum, int64_t seq) {
  return json{{"ev", "noop"}, {"forum", forum}, {"seq", seq}}.dump();
}

std::string reply_error(std::optional<int64_t> rid, const Error& e,
                        std::optional<int64_t> retry_after_ms) {
  json err_obj = {{"code", e.code}, {"message", e.message}};
  if (retry_after_ms) err_obj["retry_after_ms"] = *retry_after_ms;
  json j = {
      {"rid", rid ? json(*rid) : json(nullptr)}, {"ok", false}, {"error", std::move(err_obj)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string reply_ok(int64_t rid) {
  return json{{"rid", rid}, {"ok", true}}.dump();
}

std::string reply_comment(int64_t rid, int64_t seq) {
  return json{{"rid", rid}, {"ok", true}, {"seq", seq}}.dump();
}

std::string reply_join(int64_t rid, const JoinReply& r) {
  json head = {{"rid", rid},   {"ok", true},           {"forum", r.forum}, {"epoch", r.epoch},
               {"seq", r.seq}, {"viewers", r.viewers}, {"role", r.role}};
  if (r.recovered) head["recovered"] = *r.recovered;
  std::string out = head.dump();
  out.pop_back();  // '}'
  out += ",\"events\":[";
  if (r.events) {
    bool first = true;
    for (const auto& f : *r.events) {
      if (!first) out += ',';
      first = false;
      out.append(f->bytes());
    }
  }
  out += "]}";
  return out;
}

}  // namespace forumcast::chat
