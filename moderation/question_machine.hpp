// moderation/question_machine.hpp: the questions of one forum and every rule that
// changes them: ask, follow-up (追问), approve, reject, edit, merge, categorise and tag,
// put on air (one at a time), mark answered, back to the queue, votes. Each operation
// checks the actor's role and the state, and either fails with a code from errors.hpp
// (leaving everything unchanged) or returns the changed records, the history entries
// and the audit entries to persist and broadcast. It does no I/O: chat/ turns requests
// into calls and results into events; the store persists QuestionChange.
//
// Threading: not thread-safe. One instance per forum, owned by the thread that serves
// that forum (the chat service thread); the clock and stream-position callbacks are
// called on that thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/clock.hpp"
#include "core/domain.hpp"
#include "core/result.hpp"
#include "moderation/question.hpp"
#include "moderation/settings.hpp"

namespace forumcast::moderation {

struct AskRequest {
  std::string text;
  std::optional<QuestionCategory> category;
  std::optional<int64_t> agenda_item;
  std::string display_name;  // resident's name, or the studio asker's name (optional)
  std::string compound;
  std::string building;
};

// What one operation changed. `questions` holds the new record of every question
// that changed, the one acted on first (a merge also changes the target and
// re-parents follow-ups); `audit` is filled for staff actions only.
struct QuestionChange {
  std::vector<Question> questions;
  std::vector<QuestionHistoryEntry> history;
  std::vector<AuditEntry> audit;
};

struct VoteChange {
  int64_t question_id = 0;
  int64_t votes = 0;   // new count
  bool voted = false;  // this device's vote after the call
  int64_t at_ms = 0;
};

class QuestionMachine {
 public:
  using IdSource = std::function<int64_t()>;                       // unique question ids
  using StreamPosition = std::function<std::optional<int64_t>()>;  // stream_ms when live

  // ids: defaults to 1, 2, 3, ...; the server passes one backed by the store.
  // stream: defaults to "no stream" (stream_ms left empty).
  QuestionMachine(std::string forum_id, const Clock& clock, ModerationSettings settings = {},
                  IdSource ids = {}, StreamPosition stream = {});

  // Loads a stored question and its voters (at start-up). Fails with invalid_setting
  // if the id is taken or it would make a second question on air.
  Status restore(Question q, const std::vector<std::string>& voter_device_hashes);

  // A resident asks (source resident, needs device_hash) or staff type in a studio
  // question (source offline, approved at once). Panelists: forbidden.
  Result<QuestionChange> ask(const Actor& who, AskRequest req);
  // A follow-up to an approved, on-air or answered top-level question; moderated
  // like a question.
  Result<QuestionChange> follow_up(const Actor& who, int64_t parent_id, AskRequest req);

  Result<VoteChange> vote(const Actor& who, int64_t id);    // residents, approved/on_air
  Result<VoteChange> unvote(const Actor& who, int64_t id);  // withdraw

  // Moderators and organizers only (others: forbidden).
  Result<QuestionChange> approve(const Actor& who, int64_t id);
  Result<QuestionChange> reject(const Actor& who, int64_t id, const std::string& reason,
                                const std::string& free_text = {});
  Result<QuestionChange> edit(const Actor& who, int64_t id, const std::string& new_text);
  Result<QuestionChange> merge(const Actor& who, int64_t source_id, int64_t target_id);
  Result<QuestionChange> categorise(const Actor& who, int64_t id,
                                    std::optional<QuestionCategory> category);
  Result<QuestionChange> set_tags(const Actor& who, int64_t id, std::vector<std::string> tags);
  Result<QuestionChange> set_agenda_item(const Actor& who, int64_t id,
                                         std::optional<int64_t> agenda_item);
  Result<QuestionChange> put_on_air(const Actor& who, int64_t id);
  Result<QuestionChange> mark_answered(const Actor& who, int64_t id, const std::string& summary,
                                       const std::string& panelist);
  Result<QuestionChange> back_to_queue(const Actor& who, int64_t id);
  // Validates and replaces the settings; returns the audit entry.
  Result<AuditEntry> update_settings(const Actor& who, const ModerationSettings& s);

  // Reading.
  const Question* find(int64_t id) const;
  std::optional<int64_t> on_air_id() const { return on_air_; }
  // Top-level approved questions: most votes first, then oldest first, then lowest id.
  std::vector<Question> approved_queue() const;
  // Pending questions and follow-ups, oldest first unless newest_first.
  std::vector<Question> pending_queue(bool newest_first = false) const;
  std::vector<Question> follow_ups(int64_t parent_id) const;  // oldest first, any state
  std::vector<Question> asked_by(const std::string& device_hash) const;
  bool has_voted(int64_t id, const std::string& device_hash) const;
  const ModerationSettings& settings() const { return settings_; }
  const std::string& forum_id() const { return forum_id_; }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Question q;
    std::unordered_set<std::string> voters;
  };
  struct Stamp {
    int64_t wall_ms;
    std::optional<int64_t> stream_ms;
  };

  Stamp now() const;
  Result<Entry*> find_for(const Actor& who, int64_t id, bool staff_only);
  Result<std::string> clean_question_text(const std::string& text) const;
  Result<QuestionChange> create(const Actor& who, std::optional<int64_t> parent_id, AskRequest req);
  Result<QuestionChange> move(const Actor& who, int64_t id, QuestionOp op,
                              const std::function<void(Question&, const Stamp&)>& apply);
  void record(QuestionChange& change, const Question& before, const Question& after,
              std::string_view op, const Actor& who, const Stamp& at,
              std::initializer_list<std::string_view> fields);
  Result<VoteChange> change_vote(const Actor& who, int64_t id, bool add);

  std::string forum_id_;
  const Clock& clock_;
  ModerationSettings settings_;
  IdSource ids_;
  StreamPosition stream_;
  int64_t next_id_ = 1;
  std::map<int64_t, Entry> entries_;  // by id, i.e. by age
  std::optional<int64_t> on_air_;
};

}  // namespace forumcast::moderation
