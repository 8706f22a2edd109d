// moderation/question.hpp: the question record (a resident's or studio question, or a
// follow-up 追问), its states and operations, and the history entry each change writes.
// Plain data with string forms; the rules that move a question between states live
// in question_machine.hpp, persistence in store/ (QuestionStore), wire format in chat/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.hpp"

namespace forumcast::moderation {

// pending -> approved | rejected | merged; approved -> on_air -> answered.
// See docs/moderation.md for the full table, including the ways back.
enum class QuestionState { pending, approved, rejected, merged, on_air, answered };
inline constexpr QuestionState kAllQuestionStates[] = {
    QuestionState::pending, QuestionState::approved, QuestionState::rejected,
    QuestionState::merged,  QuestionState::on_air,   QuestionState::answered};

enum class QuestionCategory { problem, need, service };  // 问题 / 需求 / 服务
enum class QuestionSource { resident, offline };         // offline: typed in by a moderator

// Operations that move a question from one state to another.
enum class QuestionOp { approve, reject, merge, put_on_air, mark_answered, back_to_queue };
inline constexpr QuestionOp kAllStateOps[] = {QuestionOp::approve,       QuestionOp::reject,
                                              QuestionOp::merge,         QuestionOp::put_on_air,
                                              QuestionOp::mark_answered, QuestionOp::back_to_queue};

std::string_view to_string(QuestionState s);
std::string_view to_string(QuestionCategory c);
std::string_view to_string(QuestionSource s);
std::string_view to_string(QuestionOp op);
std::optional<QuestionState> question_state_from_string(std::string_view s);
std::optional<QuestionCategory> question_category_from_string(std::string_view s);
std::optional<QuestionSource> question_source_from_string(std::string_view s);

// The state `op` leads to from `from`, or nullopt when the transition is illegal.
// This is the whole transition table; QuestionMachine adds the other checks
// (roles, one question on air per forum, merge targets).
std::optional<QuestionState> transition_target(QuestionState from, QuestionOp op);

// Who acts. Staff are identified by account name, residents by device token hash.
struct Actor {
  Role role = Role::resident;
  std::string name;         // account name (staff) or display name (resident)
  std::string device_hash;  // residents only; empty for staff
  bool is_staff() const { return role == Role::moderator || role == Role::organizer; }
};

// Someone whose duplicate question was merged into this one (联名).
struct CoSigner {
  int64_t question_id = 0;  // the merged question they asked
  std::string device_hash;  // empty for an offline asker
  std::string display_name;
  std::string compound;
};

// One period on air. end_* are empty while it is on air.
struct OnAirRange {
  int64_t start_ms = 0;
  std::optional<int64_t> start_stream_ms;
  std::optional<int64_t> end_ms;
  std::optional<int64_t> end_stream_ms;
};

struct Answer {
  std::string summary;   // short answer summary typed by the moderator
  std::string panelist;  // who answered (from the panel roster)
  std::string by;        // moderator account that recorded it
  int64_t at_ms = 0;
  std::optional<int64_t> stream_ms;
};

struct Question {
  int64_t id = 0;
  std::string forum_id;
  std::optional<int64_t> parent_id;  // set for a follow-up (追问)
  // Who asked.
  QuestionSource source = QuestionSource::resident;
  std::string asker_device_hash;  // empty for offline questions
  std::string display_name;       // resident display name, or the offline name (may be empty)
  std::string compound;           // 小区, optional
  std::string building;           // 楼组, optional
  // What.
  std::string text;
  std::optional<std::string> original_text;  // the text as asked, once edited
  std::optional<QuestionCategory> category;
  std::vector<std::string> tags;
  std::optional<int64_t> agenda_item;
  // Where it is.
  QuestionState state = QuestionState::pending;
  int64_t votes = 0;  // distinct devices (voters are kept by QuestionMachine)
  std::vector<CoSigner> co_signers;
  std::optional<int64_t> merged_into;
  std::vector<OnAirRange> on_air;
  std::vector<Answer> answers;  // last one is the current answer
  std::string reject_reason;    // a code from ModerationSettings::reject_reasons
  std::string reject_text;      // optional free text shown to the asker
  // When (wall ms; stream_ms when the stream was live).
  int64_t created_ms = 0;
  std::optional<int64_t> created_stream_ms;
  int64_t updated_ms = 0;
  std::optional<int64_t> updated_stream_ms;

  bool is_follow_up() const { return parent_id.has_value(); }
};

// One recorded change of one question ("recorded as they happen", issue 6).
// before/after are compact JSON objects holding only the fields that changed.
struct QuestionHistoryEntry {
  int64_t question_id = 0;
  std::string op;  // ask, approve, reject, merge, merged_in, put_on_air, ...
  std::string actor;
  Role actor_role = Role::resident;
  int64_t at_ms = 0;
  std::optional<int64_t> stream_ms;
  std::string before_json;
  std::string after_json;
};

// Who may see a question: staff everything; panelists what is approved or later;
// residents that too, plus their own questions in any state.
bool visible_to(const Question& q, const Actor& who);

}  // namespace forumcast::moderation
