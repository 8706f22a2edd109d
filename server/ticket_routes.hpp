// server/ticket_routes.hpp: tickets and webhooks over HTTP (docs/http-api.md
// "Tickets" and "Webhooks"). Staff (moderator, organizer) create tickets from
// questions, list them with filters, move, assign and annotate them; residents list
// the tickets of questions they asked or co-signed (by device token) and rate a
// resolved one; organizers register webhook endpoints. Every change goes through
// followup::TicketMachine and is saved with its webhook deliveries in one store
// transaction; the webhook worker is poked afterwards.
// Handlers run on the loop thread and make short synchronous store calls.
#pragma once

#include <functional>
#include <variant>

#include "core/clock.hpp"
#include "followup/ticket_machine.hpp"
#include "followup/webhook_outbox.hpp"
#include "net/http.hpp"
#include "server/auth.hpp"
#include "server/policy.hpp"
#include "store/store.hpp"

namespace forumcast {

struct TicketRoutesContext {
  Store& store;
  const Clock& clock;
  followup::TicketPolicy policy;         // ticket.* limits
  followup::RetryPolicy webhook_policy;  // URL rules (webhook.allow_http_loopback)
  std::function<void()> poke_webhooks;   // wakes the webhook worker; may be empty
  // http_api's gate: the caller if allowed, else the refusal (401/403/CSRF).
  std::function<std::variant<Principal, net::HttpResponse>(const net::HttpRequest&, Action)> gate;
};

// Registers /api/v1/tickets, /api/v1/tickets/*, /api/v1/my/tickets,
// /api/v1/webhooks and /api/v1/webhooks/*. The routes keep a copy of ctx; the
// store and clock it refers to must outlive the router.
void register_ticket_routes(net::HttpRouter& router, TicketRoutesContext ctx);

// Closes every ticket still `resolved` ticket.auto_close_days after its last
// resolution (actor "system", event auto_close), each saved with its audit entry and
// "ticket.closed" deliveries. For serve's periodic worker (hourly). Returns how
// many were closed; a ticket changed meanwhile (conflict) is left for the next run.
Result<int> close_due_tickets(TicketRoutesContext& ctx);

}  // namespace forumcast
