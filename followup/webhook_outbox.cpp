// followup/webhook_outbox.cpp: webhook signing (libsodium HMAC-SHA256), event
// matching, URL rules and the retry schedule (see webhook_outbox.hpp).
#include "followup/webhook_outbox.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>

namespace forumcast::followup {
namespace {

void ensure_sodium() {
  static const int ok = sodium_init();  // thread-safe, idempotent
  (void)ok;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

}  // namespace

std::string_view to_string(OutboxState s) {
  switch (s) {
    case OutboxState::pending:
      return "pending";
    case OutboxState::delivered:
      return "delivered";
    case OutboxState::dead:
      return "dead";
  }
  return "pending";
}

std::string hmac_sha256_hex(std::string_view secret, std::string_view message) {
  ensure_sodium();
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_memzero(&st, sizeof st);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

std::string signature_header(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  const std::string t = std::to_string(unix_seconds);
  std::string msg = t;
  msg += '.';
  msg += body;
  return "t=" + t + ",v1=" + hmac_sha256_hex(secret, msg);
}

bool verify_signature(std::string_view secret, std::string_view header, std::string_view body,
                      int64_t now_s, int64_t tolerance_s) {
  if (!starts_with(header, "t=")) return false;
  const size_t comma = header.find(",v1=");
  if (comma == std::string_view::npos) return false;
  const std::string t(header.substr(2, comma - 2));
  if (t.empty() || t.size() > 18 || !std::all_of(t.begin(), t.end(), ::isdigit)) return false;
  const int64_t ts = std::strtoll(t.c_str(), nullptr, 10);
  if (std::llabs(now_s - ts) > tolerance_s) return false;
  const std::string expect = signature_header(secret, ts, body);
  if (expect.size() != header.size()) return false;
  return sodium_memcmp(expect.data(), header.data(), expect.size()) == 0;  // constant time
}

Status validate_webhook_url(std::string_view url, const RetryPolicy& p) {
  auto bad = [](std::string m) { return make_error("invalid_webhook_url", std::move(m)); };
  if (url.size() > 2000) return bad("a webhook URL has at most 2000 characters");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return bad("a webhook URL has no spaces or control characters");
  std::string_view rest;
  if (starts_with(url, "https://")) {
    rest = url.substr(8);
  } else if (starts_with(url, "http://") && p.allow_http_loopback) {
    rest = url.substr(7);
    const std::string_view host = rest.substr(0, rest.find_first_of(":/"));
    if (host != "127.0.0.1" && host != "localhost" && host != "[::1]")
      return bad("plain http:// is allowed only to loopback; use https://");
  } else {
    return bad("a webhook URL must start with https://");
  }
  const std::string_view host = rest.substr(0, rest.find_first_of(":/?#"));
  if (host.empty()) return bad("a webhook URL needs a host");
  if (rest.find('@') < rest.find('/')) return bad("a webhook URL carries no credentials");
  return ok_status();
}

bool endpoint_wants(const WebhookEndpoint& e, std::string_view event) {
  if (!e.active) return false;
  if (e.events.empty()) return true;
  for (const auto& pat : e.events) {
    if (pat == event || pat == "*") return true;
    if (pat.size() >= 2 && pat.compare(pat.size() - 2, 2, ".*") == 0 &&
        starts_with(event, std::string_view(pat).substr(0, pat.size() - 1)))
      return true;
  }
  return false;
}

int64_t WebhookOutbox::backoff_ms(int failed_attempts) const {
  int64_t d = policy_.first_delay_ms;
  for (int i = 1; i < failed_attempts && d < policy_.max_delay_ms; ++i) d *= 2;
  return std::min(d, policy_.max_delay_ms);
}

std::vector<OutboxEntry> WebhookOutbox::fan_out(const std::vector<WebhookEndpoint>& endpoints,
                                                std::string_view event, std::string_view body,
                                                int64_t now_ms, int64_t& next_id) const {
  std::vector<OutboxEntry> out;
  for (const auto& ep : endpoints) {
    if (!endpoint_wants(ep, event)) continue;
    OutboxEntry e;
    e.id = next_id++;
    e.endpoint_id = ep.id;
    e.event = std::string(event);
    e.body = std::string(body);
    e.created_ms = now_ms;
    e.next_attempt_ms = now_ms;
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<const OutboxEntry*> WebhookOutbox::due(const std::vector<OutboxEntry>& entries,
                                                   int64_t now_ms) const {
  std::vector<const OutboxEntry*> out;
  for (const auto& e : entries)
    if (e.state == OutboxState::pending && e.next_attempt_ms <= now_ms) out.push_back(&e);
  std::stable_sort(out.begin(), out.end(), [](const OutboxEntry* a, const OutboxEntry* b) {
    return a->next_attempt_ms != b->next_attempt_ms ? a->next_attempt_ms < b->next_attempt_ms
                                                    : a->id < b->id;
  });
  return out;
}

SignedRequest WebhookOutbox::sign(const OutboxEntry& e, const WebhookEndpoint& ep,
                                  int64_t now_ms) const {
  SignedRequest r;
  r.url = ep.url;
  r.body = e.body;
  r.headers = {{"Content-Type", "application/json"},
               {"User-Agent", "forumcast-webhook/1"},
               {"X-Forumcast-Event", e.event},
               {"X-Forumcast-Delivery", std::to_string(e.id)},
               {"X-Forumcast-Attempt", std::to_string(e.attempts + 1)},
               {"X-Forumcast-Signature", signature_header(ep.secret, now_ms / 1000, e.body)}};
  return r;
}

void WebhookOutbox::record(OutboxEntry& e, const DeliveryResult& r, int64_t now_ms) const {
  if (e.state != OutboxState::pending) return;
  e.attempts += 1;
  e.last_status = r.status;
  e.last_error = r.error;
  if (r.error.empty() && r.status >= 200 && r.status < 300) {
    e.state = OutboxState::delivered;
    e.delivered_ms = now_ms;
    return;
  }
  const bool retryable =
      !r.error.empty() || r.status == 0 || r.status == 408 || r.status == 429 || r.status >= 500;
  if (!retryable || e.attempts >= policy_.max_attempts) {
    e.state = OutboxState::dead;
    return;
  }
  e.next_attempt_ms = now_ms + backoff_ms(e.attempts);
}

}  // namespace forumcast::followup
