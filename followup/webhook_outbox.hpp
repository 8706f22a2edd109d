// followup/webhook_outbox.hpp: the logic of outgoing webhooks (ticket and question
// events POSTed to organizer-registered URLs), with no I/O: which endpoints get
// an event, how a delivery is signed (HMAC-SHA256 over "<unix seconds>.<body>",
// libsodium), when a failed delivery is retried (exponential backoff, capped)
// and when it is given up. The actual POST is webhook_delivery.hpp (libcurl);
// persistence of the outbox (so nothing is lost across a restart) is the
// store's: an OutboxEntry is plain data meant to be saved as is.
// Not thread-safe: one owner (the server's webhook worker) drives it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace forumcast::followup {

struct WebhookEndpoint {
  int64_t id = 0;
  std::string url;                  // https:// (http:// only to loopback when allowed)
  std::string secret;               // shared with the receiver; signs every delivery
  std::vector<std::string> events;  // e.g. "ticket.*", "question.answered"; empty = all
  bool active = true;
};

enum class OutboxState { pending, delivered, dead };
std::string_view to_string(OutboxState s);

struct OutboxEntry {
  int64_t id = 0;  // also the X-Forumcast-Delivery header
  int64_t endpoint_id = 0;
  std::string event;  // "ticket.resolved"
  std::string body;   // JSON text, signed as is
  OutboxState state = OutboxState::pending;
  int attempts = 0;
  int64_t created_ms = 0;
  int64_t next_attempt_ms = 0;
  std::optional<int64_t> delivered_ms;
  int last_status = 0;     // HTTP status of the last attempt, 0 if none
  std::string last_error;  // transport error of the last attempt
};

struct RetryPolicy {
  int64_t first_delay_ms = 10'000;   // webhook.retry_first_delay_ms
  int64_t max_delay_ms = 3'600'000;  // webhook.retry_max_delay_ms
  int max_attempts = 12;             // webhook.max_attempts (then `dead`)
  bool allow_http_loopback = false;  // webhook.allow_http_loopback (tests, local gateways)
};

// One HTTP attempt's outcome as the delivery layer reports it.
struct DeliveryResult {
  int status = 0;     // HTTP status, 0 when there was no response
  std::string error;  // transport error text ("" when a response came back)
};

// What to send for one entry.
struct SignedRequest {
  std::string url;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
};

// Lowercase hex HMAC-SHA256 of `message` under `secret` (any length).
std::string hmac_sha256_hex(std::string_view secret, std::string_view message);
// "t=<unix seconds>,v1=<hmac hex of "<t>.<body>">": the X-Forumcast-Signature value.
std::string signature_header(std::string_view secret, int64_t unix_seconds, std::string_view body);
// Receiver side: true if `header` is a valid signature of `body` made at most
// `tolerance_s` seconds away from now_s.
bool verify_signature(std::string_view secret, std::string_view header, std::string_view body,
                      int64_t now_s, int64_t tolerance_s = 300);

// Error codes: invalid_webhook_url.
Status validate_webhook_url(std::string_view url, const RetryPolicy& p);
bool endpoint_wants(const WebhookEndpoint& e, std::string_view event);

class WebhookOutbox {
 public:
  explicit WebhookOutbox(RetryPolicy policy = {}) : policy_(policy) {}
  const RetryPolicy& policy() const { return policy_; }

  // Delay before attempt n+1 after n failed attempts (n >= 1): first_delay *
  // 2^(n-1), capped at max_delay. Deterministic (no jitter).
  int64_t backoff_ms(int failed_attempts) const;

  // One pending entry per active endpoint that wants the event; ids from next_id.
  std::vector<OutboxEntry> fan_out(const std::vector<WebhookEndpoint>& endpoints,
                                   std::string_view event, std::string_view body, int64_t now_ms,
                                   int64_t& next_id) const;

  // Pending entries whose next attempt is due at now_ms, oldest first.
  std::vector<const OutboxEntry*> due(const std::vector<OutboxEntry>& entries,
                                      int64_t now_ms) const;

  // The request for one entry, signed at now_ms.
  SignedRequest sign(const OutboxEntry& e, const WebhookEndpoint& ep, int64_t now_ms) const;

  // Record an attempt: 2xx delivers; a transport error, 408, 429 or 5xx retries
  // after backoff; any other status is permanent. Out of attempts -> dead.
  void record(OutboxEntry& e, const DeliveryResult& r, int64_t now_ms) const;

 private:
  RetryPolicy policy_;
};

}  // namespace forumcast::followup
