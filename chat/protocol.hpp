// chat/protocol.hpp: the forumcast.v1 wire format (docs/protocol.md).
// Parses client requests with strict validation into typed structs, and
// serializes replies and events. Events are serialized once per event here and
// then shared as Frames; nothing in this file knows about sockets or rooms.
//
// Envelope (fixed): request {"op":..,"rid":<int>,..}; reply {"rid":..,"ok":true,..}
// or {"rid":..,"ok":false,"error":{"code":..,"message":..}}; event
// {"ev":..,"forum":..,"seq":..,..}; several events may share a frame as an array.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "chat/chat_limits.hpp"
#include "chat/frame.hpp"
#include "chat/room.hpp"
#include "core/result.hpp"

namespace forumcast::chat {

inline constexpr std::string_view kSubprotocol = "forumcast.v1";

// The closed list of error codes (docs/protocol.md "Errors").
namespace codes {
inline constexpr const char* bad_request =
    "bad_request";                                       // not JSON, wrong field types, empty text
inline constexpr const char* unknown_op = "unknown_op";  // "op" names no operation
inline constexpr const char* too_large = "too_large";    // a text over its character limit
inline constexpr const char* invalid_utf8 = "invalid_utf8";  // the message is not UTF-8
inline constexpr const char* not_joined = "not_joined";      // comment/leave before join
inline constexpr const char* forbidden = "forbidden";        // bad token or role may not do this
inline constexpr const char* not_found = "not_found";        // no such forum
inline constexpr const char* forum_closed = "forum_closed";  // forum does not take this now
inline constexpr const char* rate_limited = "rate_limited";  // carries retry_after_ms
inline constexpr const char* internal = "internal";          // the store failed; try again
}  // namespace codes
const std::vector<std::string_view>& all_error_codes();

struct JoinOp {
  std::string forum;
  std::string name;      // resident display name, cleaned (empty for staff)
  std::string compound;  // optional 小区
  std::string building;  // optional 楼组
  std::string device;    // resident device token (from POST /api/v1/device)
  std::string session;   // staff session token
  std::optional<Since> since;
};
struct LeaveOp {};
struct PingOp {};  // application-level keepalive / round-trip check: replies ok
struct CommentOp {
  std::string text;  // cleaned: NFC, no control characters, 1..comment_max_chars
};

struct ParsedMessage {
  std::optional<int64_t> rid;  // absent when the request could not be read
  std::optional<Error> error;  // set: answer with this error
  std::variant<std::monostate, JoinOp, LeaveOp, CommentOp, PingOp> op;
};

ParsedMessage parse_client_message(std::string_view text, const ChatLimits& limits);

// Events (each a JSON object; serialized once, then shared).
struct CommentEvent {
  std::string forum;
  int64_t seq = 0;
  int64_t at_ms = 0;  // wall clock
  std::string role;   // "resident", "moderator", ...
  std::string name;
  std::string compound;
  std::string building;
  std::string text;
  std::optional<int64_t> stream_ms;
};
std::string serialize_comment_event(const CommentEvent& e);
std::string serialize_presence_event(std::string_view forum, int64_t seq, size_t viewers);
std::string serialize_noop_event(std::string_view forum, int64_t seq);

// Replies.
std::string reply_error(std::optional<int64_t> rid, const Error& e,
                        std::optional<int64_t> retry_after_ms = std::nullopt);
std::string reply_ok(int64_t rid);
std::string reply_comment(int64_t rid, int64_t seq);
struct JoinReply {
  std::string forum;
  std::string epoch;
  int64_t seq = 0;
  std::optional<bool> recovered;  // present when the join asked to resume
  size_t viewers = 0;
  std::string role;
  const std::vector<FramePtr>* events = nullptr;  // copied as raw bytes
};
std::string reply_join(int64_t rid, const JoinReply& r);

}  // namespace forumcast::chat
