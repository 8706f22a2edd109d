// store/ticket_store_unsupported.hpp: the default behind Store::tickets(),
// webhooks() and programs() for stores that do not implement the follow-through
// interfaces (test doubles, a future store): every call answers "not_supported".
// Header-only so that a Store subclass need not link anything for it.
#pragma once

#include "store/ticket_store.hpp"

namespace forumcast {

class UnsupportedFollowupStore final : public TicketStore,
                                       public WebhookStore,
                                       public ForumProgramStore {
 public:
  static UnsupportedFollowupStore& instance() {
    static UnsupportedFollowupStore s;
    return s;
  }
  Result<TicketRecord> create_ticket(TicketChange) override { return no(); }
  Result<TicketRecord> get_ticket(int64_t) override { return no(); }
  Result<std::vector<TicketRecord>> list_tickets(const TicketFilter&) override { return no(); }
  Result<TicketRecord> save_ticket(TicketChange) override { return no(); }
  Result<WebhookEndpointRow> add_endpoint(WebhookEndpointRow, AuditEntry) override { return no(); }
  Result<std::vector<WebhookEndpointRow>> list_endpoints() override { return no(); }
  Status set_endpoint_active(int64_t, bool, AuditEntry) override { return no(); }
  Status enqueue(std::vector<OutboxRow>) override { return no(); }
  Result<std::vector<OutboxRow>> due_outbox(int64_t, size_t) override { return no(); }
  Result<std::optional<int64_t>> next_due_ms() override { return no(); }
  Status update_outbox(const OutboxRow&) override { return no(); }
  Result<std::vector<OutboxRow>> list_outbox(const std::string&, size_t) override { return no(); }
  Result<std::optional<int64_t>> get_cursor(const std::string&) override { return no(); }
  Status enqueue_and_advance(std::vector<OutboxRow>, const std::string&, int64_t) override {
    return no();
  }
  Result<std::vector<QuestionHistoryRow>> question_history_after(int64_t,
                                                                 const std::vector<std::string>&,
                                                                 size_t) override {
    return no();
  }
  Result<int64_t> max_question_history_id() override { return no(); }
  Result<std::vector<PanelRow>> get_panel(const std::string&) override { return no(); }
  Status set_panel(const std::string&, const std::vector<PanelRow>&, const AuditEntry&) override {
    return no();
  }
  Result<std::vector<AgendaRow>> get_agenda(const std::string&) override { return no(); }
  Result<std::vector<AgendaRow>> set_agenda(const std::string&, const std::vector<AgendaRow>&,
                                            const AuditEntry&) override {
    return no();
  }
  Result<std::optional<int64_t>> get_current_item(const std::string&) override { return no(); }
  Status set_current_item(const std::string&, std::optional<int64_t>, int64_t,
                          const AuditEntry&) override {
    return no();
  }

 private:
  static Error no() { return Error{"not_supported", "this store keeps no tickets or webhooks"}; }
};

}  // namespace forumcast
