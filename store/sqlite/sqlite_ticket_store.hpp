// store/sqlite/sqlite_ticket_store.hpp: the follow-through interfaces of
// store/ticket_store.hpp on SQLite (tables of migration 4 "followup": tickets,
// ticket_events, ticket_ratings, webhook_endpoints, webhook_outbox, forum_panel,
// forum_agenda; migration 5: forum_agenda_current, followup_cursors). One class implements the three interfaces because they share the
// context; every method is synchronous (writes through submit_and_wait, reads from
// the read pool). What a ticket may become is followup/'s business.
// Internal to store/sqlite; callers see store/ticket_store.hpp only.
#pragma once

#include "store/sqlite/sqlite_stores.hpp"
#include "store/ticket_store.hpp"

namespace forumcast::sqlite {

class SqliteTicketStore final : public TicketStore, public WebhookStore, public ForumProgramStore {
 public:
  explicit SqliteTicketStore(SqliteContext ctx) : ctx_(ctx) {}

  // TicketStore
  Result<TicketRecord> create_ticket(TicketChange change) override;
  Result<TicketRecord> get_ticket(int64_t id) override;
  Result<std::vector<TicketRecord>> list_tickets(const TicketFilter& filter) override;
  Result<TicketRecord> save_ticket(TicketChange change) override;

  // WebhookStore
  Result<WebhookEndpointRow> add_endpoint(WebhookEndpointRow e, AuditEntry audit) override;
  Result<std::vector<WebhookEndpointRow>> list_endpoints() override;
  Status set_endpoint_active(int64_t id, bool active, AuditEntry audit) override;
  Status enqueue(std::vector<OutboxRow> rows) override;
  Result<std::vector<OutboxRow>> due_outbox(int64_t now_ms, size_t limit) override;
  Result<std::optional<int64_t>> next_due_ms() override;
  Status update_outbox(const OutboxRow& row) override;
  Result<std::vector<OutboxRow>> list_outbox(const std::string& state, size_t limit) override;
  Result<std::optional<int64_t>> get_cursor(const std::string& name) override;
  Status enqueue_and_advance(std::vector<OutboxRow> rows, const std::string& cursor,
                             int64_t value) override;
  Result<std::vector<QuestionHistoryRow>> question_history_after(
      int64_t after_id, const std::vector<std::string>& ops, size_t limit) override;
  Result<int64_t> max_question_history_id() override;

  // ForumProgramStore
  Result<std::vector<PanelRow>> get_panel(const std::string& forum_id) override;
  Status set_panel(const std::string& forum_id, const std::vector<PanelRow>& panel,
                   const AuditEntry& audit) override;
  Result<std::vector<AgendaRow>> get_agenda(const std::string& forum_id) override;
  Result<std::vector<AgendaRow>> set_agenda(const std::string& forum_id,
                                            const std::vector<AgendaRow>& agenda,
                                            const AuditEntry& audit) override;
  Result<std::optional<int64_t>> get_current_item(const std::string& forum_id) override;
  Status set_current_item(const std::string& forum_id, std::optional<int64_t> item_id,
                          int64_t now_ms, const AuditEntry& audit) override;

 private:
  SqliteContext ctx_;
};

}  // namespace forumcast::sqlite
