// followup/webhook_delivery.hpp: one HTTP POST of a signed webhook request with
// libcurl (Debian libcurl 7.88): no redirects followed, http/https only, a total
// timeout, response body read and dropped (at most 64 KiB). Blocking: call it
// from the webhook worker thread, never from the event loop. The retry decision
// is WebhookOutbox::record's.
#pragma once

#include "followup/webhook_outbox.hpp"

namespace forumcast::followup {

struct DeliveryLimits {
  long timeout_ms = 10'000;         // webhook.timeout_ms
  long connect_timeout_ms = 5'000;  // webhook.connect_timeout_ms
};

DeliveryResult deliver_webhook(const SignedRequest& req, const DeliveryLimits& limits = {});

}  // namespace forumcast::followup
