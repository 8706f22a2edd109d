// chat/moderation_ops.hpp: the moderation side of the chat relay for one forum:
// the protocol operations of issue 4 (questions, votes, comment hide/unhide and
// held comments, timeouts and bans, settings, blocked terms), each checked against
// server/policy through `allowed`, executed on moderation/'s logic, persisted
// through the store's batched writer, and answered with a reply and events for an
// audience (everyone, staff only, or one device), only after the store's COMMIT.
// It also makes the one decision asked of every resident comment (CommentGate).
//
// It leaves to chat/chat_service (the hook): reading rid/op, routing an op this
// class handles() here, writing the reply, fanning events out (everyone: the
// room's shared-frame stream; staff: the staff subscriber list; device: that
// device's sessions), storing and delaying comments, and filtering hidden
// comments from history. Wire format: docs/moderation.md "Protocol".
//
// Threading: one instance per forum, owned by the chat service thread; store
// completions come back through deps.defer before `done` runs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>  // requests are handed on parsed; no json.hpp here

#include "core/clock.hpp"
#include "core/domain.hpp"
#include "core/result.hpp"
#include "moderation/bans.hpp"
#include "moderation/comment_gate.hpp"
#include "moderation/question_machine.hpp"
#include "moderation/settings.hpp"
#include "moderation/slow_mode.hpp"
#include "moderation/term_filter.hpp"
#include "store/question_store.hpp"

namespace forumcast::chat {

// Who sends the op (filled by the service from the joined session).
struct OpCaller {
  Role role = Role::resident;
  std::string name;         // account name (staff) or display name (resident)
  std::string device_hash;  // residents only
  std::string compound;
  std::string building;
  std::string ip;
};

enum class Audience { everyone, staff, device };

// The forum's agenda as the question ops need it: which item ids exist, and the one
// under discussion (store/forum_program_store.hpp, read when a question is asked or
// moved, so a change of the current item applies to the very next question).
struct AgendaView {
  std::vector<int64_t> items;
  std::optional<int64_t> current;
};

struct OpEvent {
  Audience to = Audience::everyone;
  std::string device_hash;  // Audience::device: every session of this device
  std::string json;         // the event object, without seq (the fan-out adds it)
};

// A comment the service must now store and publish as an ordinary comment event
// (a held comment a moderator approved).
struct PublishComment {
  std::string device_hash, name, compound, building, text;
  std::string ip;
};

struct OpResult {
  std::string reply;            // the reply JSON for the requester
  std::vector<OpEvent> events;  // in order
  std::optional<PublishComment> publish;
  std::vector<int64_t> hidden_seqs;    // comments to drop from residents' history now
  std::vector<int64_t> unhidden_seqs;  // ... and to restore
};
using OpDone = std::function<void(OpResult)>;

struct ModerationDeps {
  const Clock* clock = nullptr;  // default SystemClock
  // server/policy (action_for_ws_op + allowed): may this role perform this op?
  std::function<bool(Role, std::string_view op)> allowed;
  // Null: nothing persisted (unit tests).
  QuestionStore* questions = nullptr;
  VoteStore* votes = nullptr;
  BanStore* bans = nullptr;
  ModerationSettingsStore* settings = nullptr;
  BlockedTermStore* terms = nullptr;
  // Runs a store completion on the service thread; null: inline.
  std::function<void(std::function<void()>)> defer;
  // ms since the forum's stream started, when live.
  std::function<std::optional<int64_t>()> stream_ms;
  std::shared_ptr<const moderation::TextNormalizer> normalizer;  // required
  // Question ids are unique across forums: one source per process (the service's,
  // starting after QuestionStore::max_question_id()). Null: a counter of this forum.
  std::function<int64_t()> question_ids;
  // Held for review per forum; older ones are dropped. Delayed comments (chat delay)
  // are never dropped; past 10x this many they are released early.
  size_t max_held_comments = 1000;
  size_t max_comment_authors = 20'000;  // seq -> author remembered for bans and hiding
  // The forum's state (store read); residents' ask, follow_up, vote and unvote are
  // refused with forum_closed unless it is collecting or live. Null: always open.
  std::function<Result<ForumState>()> forum_state;
  int64_t forum_state_refresh_ms = 1000;  // a state read is reused this long
  // The forum's agenda (a store read on the service thread). An `ask` or
  // `offline_question` without `agenda_item` belongs to the current item; an explicit
  // item (ask, follow_up, offline_question, set_agenda_item) must be one of `items`
  // (else unknown_agenda_item). Null: no default and no check (unit tests).
  std::function<Result<AgendaView>()> agenda;
};

// What the service does with one comment.
struct CommentOutcome {
  moderation::CommentVerdict verdict = moderation::CommentVerdict::deliver;
  std::string text;              // to store/deliver (masked)
  int64_t deliver_after_ms = 0;  // chat delay
  std::optional<Error> error;    // refuse: reply with it
  int64_t retry_after_ms = 0;    // rate_limited / timed_out
  int64_t held_id = 0;           // hold: the number in the moderators' queue
  std::vector<OpEvent> events;   // hold: the staff event
};

class ForumModeration {
 public:
  ForumModeration(std::string forum_id, ModerationDeps deps);
  ~ForumModeration();
  ForumModeration(const ForumModeration&) = delete;
  ForumModeration& operator=(const ForumModeration&) = delete;

  // Start-up: settings, the forum's blocked terms, questions and voters, active bans.
  Status load();

  // Ops this class answers (the service routes them here).
  static bool handles(std::string_view op);
  static const std::vector<std::string_view>& ops();
  // `message` is the whole request; `rid` already read. `done` runs exactly once.
  void handle(const OpCaller& who, int64_t rid, std::string_view op, std::string_view message,
              OpDone done);

  // Comments.
  // A comment delayed by the forum's chat delay comes back as verdict hold with
  // reason "delay": it waits in the held queue (moderators may reject it) until
  // release_due() hands it out.
  CommentOutcome check_comment(const OpCaller& who, std::string_view text);
  // Called from the service's tick: delayed comments whose time has come, each as
  // an OpResult with `publish` and the staff held_resolved event.
  std::vector<OpResult> release_due();
  // The service published a comment: remember its author (bans and hiding by seq).
  void note_comment(int64_t seq, const std::string& device_hash, const std::string& ip);
  bool is_hidden(int64_t seq) const { return hidden_.count(seq) != 0; }
  void set_hidden(int64_t seq, bool hidden);  // replaying comment_hidden events at start-up

  const moderation::ModerationSettings& settings() const { return machine_.settings(); }
  const moderation::QuestionMachine& machine() const { return machine_; }
  const std::string& forum_id() const { return forum_id_; }

 private:
  struct Held {
    int64_t id = 0;
    PublishComment comment;
    std::string reason;
    std::vector<moderation::TermMatch> matches;
    int64_t at_ms = 0;
    std::optional<int64_t> release_mono_ms;  // chat delay: published then unless rejected
  };
  struct Author {
    std::string device_hash, ip;
  };

  // question_ops.cpp
  void question_op(const OpCaller& who, int64_t rid, std::string_view op, const nlohmann::json& req,
                   OpDone done);
  void commit_change(int64_t rid, const OpCaller& who, moderation::QuestionChange change,
                     OpDone done);
  void vote_op(const OpCaller& who, int64_t rid, int64_t id, bool add, OpDone done);
  // An explicit agenda item checked against the forum's agenda (unknown_agenda_item;
  // internal when the agenda cannot be read); nullopt passes.
  Status check_agenda_item(std::optional<int64_t> item);
  // The item under discussion now (nullopt without one, or when it cannot be read:
  // a resident's question is never refused for that).
  std::optional<int64_t> current_agenda_item();
  OpResult list_questions(const OpCaller& who, int64_t rid) const;
  std::vector<OpEvent> question_events(std::string_view op,
                                       const std::vector<moderation::Question>& qs);
  // moderation_ops.cpp
  void comment_op(const OpCaller& who, int64_t rid, std::string_view op, const nlohmann::json& req,
                  OpDone done);
  void ban_op(const OpCaller& who, int64_t rid, std::string_view op, const nlohmann::json& req,
              OpDone done);
  void settings_op(const OpCaller& who, int64_t rid, std::string_view op, const nlohmann::json& req,
                   OpDone done);
  void terms_op(const OpCaller& who, int64_t rid, std::string_view op, const nlohmann::json& req,
                OpDone done);
  Status reload_terms();
  void refresh_terms();  // reload_terms() if the lists changed anywhere
  void cap_held();       // max_held_comments: drop old review holds, never delayed comments
  bool intake_closed();  // forum not collecting/live (cached forum_state_refresh_ms)
  // Runs `finish(status)` after the store committed (or at once without a store).
  void after_commit(std::function<void(StoreDone)> write, std::function<void(Status)> finish);
  moderation::Actor actor(const OpCaller& who) const;
  int64_t now_ms() const { return clock_->wall_ms(); }

  std::string forum_id_;
  ModerationDeps deps_;
  const Clock* clock_;
  moderation::QuestionMachine machine_;
  moderation::BanList bans_;
  moderation::SlowMode slow_;
  moderation::TermFilter filter_;
  moderation::CommentGate gate_;
  std::set<int64_t> known_ids_;   // every question of the forum
  std::set<int64_t> public_ids_;  // questions residents currently see
  std::map<int64_t, Held> held_;  // by id, oldest first
  int64_t next_held_id_ = 1;
  std::map<int64_t, Author> authors_;  // comment seq -> author, bounded
  std::set<int64_t> hidden_;
  std::vector<moderation::BlockedTerm> global_terms_;  // scope "" (edited elsewhere)
  std::vector<moderation::BlockedTerm> forum_terms_;   // this forum's list
  int64_t next_question_id_ = 1;                       // without deps.question_ids
  uint64_t terms_generation_ = 0;  // moderation::term_lists_generation() at the last reload
  bool terms_event_due_ = false;   // reloaded: release_due() tells staff (ev "terms")
  ForumState forum_state_ = ForumState::live;
  std::optional<int64_t> state_checked_ms_;
};

}  // namespace forumcast::chat
