// server/webhook_worker.hpp: the thread that delivers the persisted webhook outbox
// (store WebhookStore, table webhook_outbox). Each round it takes the due pending
// rows, signs each for its endpoint (followup::WebhookOutbox), POSTs it with
// followup::deliver_webhook (libcurl, blocking: hence its own thread), and records
// the attempt (delivered / retry after backoff / dead) in the store before the next
// row. A row is `pending` in the database until its attempt is recorded, so a crash
// or restart re-sends at most the row in flight and loses nothing (receivers
// de-duplicate on X-Forumcast-Delivery). Rows whose endpoint is disabled or gone
// become `dead` with last_error "endpoint disabled".
//
// Threading: start() and stop() from the owner's thread (serve); poke() from any
// thread (a route that queued something wakes the worker at once). The thread owns
// nothing but its loop; all state is in the store.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "followup/webhook_delivery.hpp"
#include "followup/webhook_outbox.hpp"
#include "server/config.hpp"
#include "store/store.hpp"

namespace forumcast {

struct WebhookWorkerOptions {
  followup::RetryPolicy retry;  // webhook.retry_first_delay_ms, retry_max_delay_ms, max_attempts
  followup::DeliveryLimits limits;  // webhook.timeout_ms, webhook.connect_timeout_ms
  int64_t poll_ms =
      5'000;          // webhook.poll_ms: rows queued by another process (CLI) are seen within this
  size_t batch = 50;  // webhook.batch: rows per round
};

// The [webhook] keys of the configuration as worker options.
WebhookWorkerOptions webhook_worker_options(const Config& c);

// Question events relayed to webhooks: question_history rows with these ops
// become these events (question.approved, question.on_air, question.answered,
// question.rejected), each queued exactly once behind the persisted cursor
// "question_webhooks" (WebhookStore::enqueue_and_advance). The body is
// {"event","at_ms","forum_id","question":{id, parent_id, text, category, state,
// compound, building, display_name, votes, answers}} — never a device hash or
// phone number. Returns how many history rows were consumed (0 when up to date);
// a first call with no cursor starts it at the newest row and relays nothing.
Result<size_t> relay_question_events(Store& store, int64_t now_ms, size_t limit);

// The outbox rows for one event: one pending row per active endpoint of `forum_id`
// (or of every forum) that wants `event`, body as given. For a ticket change they go
// into its TicketChange (same transaction); other events (question.answered ...)
// are queued with queue_webhook_event.
Result<std::vector<OutboxRow>> webhook_rows(Store& store, const std::string& forum_id,
                                            const std::string& event, const std::string& body,
                                            int64_t now_ms);
// webhook_rows + WebhookStore::enqueue; the caller then pokes the worker.
Status queue_webhook_event(Store& store, const std::string& forum_id, const std::string& event,
                           const std::string& body, int64_t now_ms);

class WebhookWorker {
 public:
  WebhookWorker(Store& store, const Clock& clock, WebhookWorkerOptions opts);
  ~WebhookWorker();  // stop()
  WebhookWorker(const WebhookWorker&) = delete;
  WebhookWorker& operator=(const WebhookWorker&) = delete;

  void start();
  // Finishes the delivery in flight (bounded by limits.timeout_ms) and joins.
  void stop();
  void poke();

  // One round on the caller's thread (tests, `forumcast webhooks flush`): delivers
  // every row due at now; returns how many attempts were made.
  size_t run_once();

 private:
  void run();

  Store& store_;
  const Clock& clock_;
  const WebhookWorkerOptions opts_;
  followup::WebhookOutbox outbox_;

  std::mutex mu_;  // guards stop_, poked_
  std::condition_variable cv_;
  bool stop_ = false;
  bool poked_ = false;
  std::thread thread_;
};

}  // namespace forumcast
