// store/sqlite/sqlite_question_store.hpp: the moderation interfaces of
// store/question_store.hpp on SQLite (tables of migration 3 "moderation": questions,
// question_history, question_votes, blocked_terms, moderation_bans,
// moderation_settings). One class implements all five interfaces because they share
// the context and the audit-row helper; questions and votes are in
// sqlite_question_store.cpp, terms, bans and settings in sqlite_ban_term_store.cpp.
// Live-path writes are batched jobs on the writer thread whose `done` runs after
// COMMIT; reads use the read pool. What a row means is moderation/'s business.
// Internal to store/sqlite; callers see store/question_store.hpp only.
#pragma once

#include "store/question_store.hpp"
#include "store/sqlite/sqlite_stores.hpp"

namespace forumcast::sqlite {

class SqliteDb;

// INSERT INTO audit inside the caller's job (same transaction as the change).
void insert_audit_row(SqliteDb& db, const AuditEntry& e);

// Submits a job whose completion goes to `done`; when the writer refuses it
// (queue full, closing) `done` is called at once with that error.
void submit_with_done(SqliteWriter& writer, SqliteWriter::Job job, StoreDone done);

class SqliteQuestionStore final : public QuestionStore,
                                  public VoteStore,
                                  public BlockedTermStore,
                                  public BanStore,
                                  public ModerationSettingsStore {
 public:
  explicit SqliteQuestionStore(SqliteContext ctx) : ctx_(ctx) {}

  // QuestionStore
  Result<int64_t> max_question_id() override;
  void apply_question_change(QuestionChangeRecord change, StoreDone done) override;
  Result<QuestionRow> get_question(int64_t id) override;
  Result<std::vector<QuestionRow>> list_questions(const std::string& forum_id) override;
  Result<std::vector<QuestionHistoryRow>> list_history(const std::string& forum_id,
                                                       std::optional<int64_t> question_id) override;

  // VoteStore
  void add_vote(VoteRow vote, StoreDone done) override;
  void remove_vote(std::string forum_id, int64_t question_id, std::string device_hash,
                   StoreDone done) override;
  Result<std::vector<VoteRow>> list_votes(const std::string& forum_id) override;

  // BlockedTermStore
  Result<std::vector<BlockedTermRow>> list_terms(const std::string& scope) override;
  Status replace_terms(const std::string& scope, const std::vector<BlockedTermRow>& terms,
                       const AuditEntry& audit) override;

  // BanStore
  void add_ban(BanRow ban, AuditEntry audit, StoreDone done) override;
  void lift_ban(std::string forum_id, int64_t id, int64_t at_ms, std::string by, AuditEntry audit,
                StoreDone done) override;
  Result<std::vector<BanRow>> list_active_bans(const std::string& forum_id,
                                               int64_t now_ms) override;
  Result<int64_t> max_ban_id(const std::string& forum_id) override;

  // ModerationSettingsStore
  Result<std::string> get_moderation_settings(const std::string& forum_id) override;
  void put_moderation_settings(std::string forum_id, std::string settings_json, AuditEntry audit,
                               StoreDone done) override;

 private:
  SqliteContext ctx_;
};

}  // namespace forumcast::sqlite
