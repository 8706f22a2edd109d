// server/webhook_worker.cpp: see webhook_worker.hpp. Converts between the store's
// OutboxRow and followup's OutboxEntry; the retry decisions are followup's.
#include "server/webhook_worker.hpp"

#include <algorithm>
#include <map>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace forumcast {
namespace {

namespace fu = followup;

fu::OutboxEntry entry_from(const OutboxRow& r) {
  fu::OutboxEntry e;
  e.id = r.id;
  e.endpoint_id = r.endpoint_id;
  e.event = r.event;
  e.body = r.body;
  e.state = r.state == "delivered" ? fu::OutboxState::delivered
            : r.state == "dead"    ? fu::OutboxState::dead
                                   : fu::OutboxState::pending;
  e.attempts = static_cast<int>(r.attempts);
  e.created_ms = r.created_ms;
  e.next_attempt_ms = r.next_attempt_ms;
  e.delivered_ms = r.delivered_ms;
  e.last_status = static_cast<int>(r.last_status);
  e.last_error = r.last_error;
  return e;
}

OutboxRow row_from(const fu::OutboxEntry& e) {
  return OutboxRow{e.id,
                   e.endpoint_id,
                   e.event,
                   e.body,
                   std::string(fu::to_string(e.state)),
                   e.attempts,
                   e.created_ms,
                   e.next_attempt_ms,
                   e.delivered_ms,
                   e.last_status,
                   e.last_error};
}

fu::WebhookEndpoint endpoint_from(const WebhookEndpointRow& r) {
  fu::WebhookEndpoint e;
  e.id = r.id;
  e.url = r.url;
  e.secret = r.secret;
  auto ev = nlohmann::json::parse(r.events_json, nullptr, false);
  if (ev.is_array())
    for (const auto& x : ev)
      if (x.is_string()) e.events.push_back(x.get<std::string>());
  e.active = r.active;
  return e;
}

constexpr const char* kQuestionCursor = "question_webhooks";

std::string question_event_name(const std::string& op) {
  if (op == "approve") return "question.approved";
  if (op == "put_on_air") return "question.on_air";
  if (op == "mark_answered") return "question.answered";
  if (op == "reject") return "question.rejected";
  return "";
}

nlohmann::json question_json(const QuestionRow& q) {
  auto list = [](const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? nlohmann::json::array() : j;
  };
  nlohmann::json answers = nlohmann::json::array();
  for (const auto& a : list(q.answers_json))
    if (a.is_object())
      answers.push_back({{"summary", a.value("summary", "")},
                         {"panelist", a.value("panelist", "")},
                         {"at_ms", a.value("at_ms", int64_t{0})}});
  return {{"id", q.id},
          {"parent_id", q.parent_id ? nlohmann::json(*q.parent_id) : nlohmann::json()},
          {"text", q.text},
          {"category", q.category},
          {"state", q.state},
          {"display_name", q.display_name},
          {"compound", q.compound},
          {"building", q.building},
          {"votes", q.votes},
          {"answers", answers}};
}

}  // namespace

WebhookWorkerOptions webhook_worker_options(const Config& c) {
  WebhookWorkerOptions o;
  o.retry.first_delay_ms = c.webhook.retry_first_delay_ms;
  o.retry.max_delay_ms = c.webhook.retry_max_delay_ms;
  o.retry.max_attempts = static_cast<int>(c.webhook.max_attempts);
  o.retry.allow_http_loopback = c.webhook.allow_http_loopback;
  o.limits.timeout_ms = static_cast<long>(c.webhook.timeout_ms);
  o.limits.connect_timeout_ms = static_cast<long>(c.webhook.connect_timeout_ms);
  o.poll_ms = c.webhook.poll_ms;
  o.batch = static_cast<size_t>(c.webhook.batch);
  return o;
}

Result<size_t> relay_question_events(Store& store, int64_t now_ms, size_t limit) {
  auto cursor = store.webhooks().get_cursor(kQuestionCursor);
  if (!cursor.ok()) return cursor.error();
  if (!cursor->has_value()) {
    auto newest = store.webhooks().max_question_history_id();
    if (!newest.ok()) return newest.error();
    if (Status st = store.webhooks().enqueue_and_advance({}, kQuestionCursor, *newest); !st.ok())
      return st.error();
    return size_t{0};
  }
  static const std::vector<std::string> kOps = {"approve", "put_on_air", "mark_answered", "reject"};
  auto rows = store.webhooks().question_history_after(**cursor, kOps, limit);
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return size_t{0};
  std::vector<OutboxRow> out;
  for (const auto& h : *rows) {
    auto q = store.questions().get_question(h.question_id);
    if (!q.ok()) continue;  // deleted since: nothing to report
    const std::string event = question_event_name(h.op);
    nlohmann::json body = {{"event", event},
                           {"at_ms", h.at_ms},
                           {"forum_id", h.forum_id},
                           {"history_id", h.id},
                           {"question", question_json(*q)}};
    // The state at the time of the event, not the row's current one.
    auto after = nlohmann::json::parse(h.after_json, nullptr, false);
    if (after.is_object() && after.contains("state") && after["state"].is_string())
      body["question"]["state"] = after["state"];
    auto more =
        webhook_rows(store, h.forum_id, event,
                     body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), now_ms);
    if (!more.ok()) return more.error();
    for (auto& r : *more) out.push_back(std::move(r));
  }
  if (Status st =
          store.webhooks().enqueue_and_advance(std::move(out), kQuestionCursor, rows->back().id);
      !st.ok())
    return st.error();
  return rows->size();
}

Result<std::vector<OutboxRow>> webhook_rows(Store& store, const std::string& forum_id,
                                            const std::string& event, const std::string& body,
                                            int64_t now_ms) {
  auto eps = store.webhooks().list_endpoints();
  if (!eps.ok()) return eps.error();
  std::vector<OutboxRow> rows;
  for (const auto& r : *eps) {
    if (!r.active || (!r.forum_id.empty() && r.forum_id != forum_id)) continue;
    if (!fu::endpoint_wants(endpoint_from(r), event)) continue;
    OutboxRow row;
    row.endpoint_id = r.id;
    row.event = event;
    row.body = body;
    row.created_ms = now_ms;
    row.next_attempt_ms = now_ms;
    rows.push_back(std::move(row));
  }
  return rows;
}

Status queue_webhook_event(Store& store, const std::string& forum_id, const std::string& event,
                           const std::string& body, int64_t now_ms) {
  auto rows = webhook_rows(store, forum_id, event, body, now_ms);
  if (!rows.ok()) return rows.error();
  return store.webhooks().enqueue(std::move(rows.value()));
}

WebhookWorker::WebhookWorker(Store& store, const Clock& clock, WebhookWorkerOptions opts)
    : store_(store), clock_(clock), opts_(opts), outbox_(opts.retry) {}

WebhookWorker::~WebhookWorker() {
  stop();
}

void WebhookWorker::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void WebhookWorker::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookWorker::poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

size_t WebhookWorker::run_once() {
  // New question events first, so that they go out in this round.
  for (int round = 0; round < 100; ++round) {
    auto relayed = relay_question_events(store_, clock_.wall_ms(), opts_.batch);
    if (!relayed.ok()) {
      if (relayed.error().code != "not_supported")
        spdlog::warn("webhooks: cannot relay question events: {}", relayed.error().message);
      break;
    }
    if (*relayed < opts_.batch) break;
  }
  const int64_t now = clock_.wall_ms();
  auto due = store_.webhooks().due_outbox(now, opts_.batch);
  if (!due.ok()) {
    spdlog::warn("webhooks: cannot read the outbox: {}", due.error().message);
    return 0;
  }
  if (due->empty()) return 0;
  auto eps = store_.webhooks().list_endpoints();
  if (!eps.ok()) {
    spdlog::warn("webhooks: cannot read endpoints: {}", eps.error().message);
    return 0;
  }
  std::map<int64_t, fu::WebhookEndpoint> endpoints;
  for (const auto& r : *eps) endpoints.emplace(r.id, endpoint_from(r));
  size_t attempts = 0;
  for (const OutboxRow& row : *due) {
    {
      std::lock_guard lock(mu_);
      if (stop_) break;
    }
    fu::OutboxEntry e = entry_from(row);
    auto ep = endpoints.find(e.endpoint_id);
    if (ep == endpoints.end() || !ep->second.active) {
      e.state = fu::OutboxState::dead;
      e.last_error = "endpoint disabled";
    } else {
      fu::SignedRequest req = outbox_.sign(e, ep->second, clock_.wall_ms());
      fu::DeliveryResult res = fu::deliver_webhook(req, opts_.limits);
      outbox_.record(e, res, clock_.wall_ms());
      ++attempts;
      if (e.state == fu::OutboxState::dead)
        spdlog::warn(
            "webhooks: delivery #{} ({}) to endpoint #{} given up after {} attempts: {} {}", e.id,
            e.event, e.endpoint_id, e.attempts, e.last_status, e.last_error);
    }
    if (Status st = store_.webhooks().update_outbox(row_from(e)); !st.ok())
      spdlog::warn("webhooks: cannot record delivery #{}: {}", e.id, st.error().message);
  }
  return attempts;
}

void WebhookWorker::run() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      poked_ = false;
    }
    run_once();
    int64_t wait_ms = opts_.poll_ms;
    if (auto next = store_.webhooks().next_due_ms(); next.ok() && next->has_value())
      wait_ms = std::clamp<int64_t>(**next - clock_.wall_ms(), 0, opts_.poll_ms);
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stop_ || poked_; });
    if (stop_) return;
  }
}

}  // namespace forumcast
