// followup/transcript.hpp: everything an export of one forum contains, as plain
// structs: the forum, its panel and agenda, the question threads (follow-ups,
// moderation history, on-air ranges with answers, votes, asker), the comments and
// the tickets. The server builds a Transcript from the store; the writers in
// writers.hpp turn it into json/csv/xlsx/md/html/vtt. Nothing here talks to the
// store or the network, and nothing here depends on moderation/: names follow
// moderation/question.hpp (state, op, stream_ms ...) where the two overlap; the
// server maps moderation's separate answers onto the on-air range they fall in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.hpp"
#include "followup/ticket.hpp"

namespace forumcast::followup {

enum class PanelRole { secretary, expert, deputy, resident_representative };
std::string_view to_string(PanelRole r);
std::optional<PanelRole> panel_role_from_string(std::string_view s);

// Question lifecycle as moderation records it (moderation/question.hpp, same names).
enum class QuestionState { pending, approved, rejected, merged, on_air, answered };
std::string_view to_string(QuestionState s);
std::optional<QuestionState> question_state_from_string(std::string_view s);

// Category a moderator gave the question; `none` until categorised.
enum class QuestionCategory { none, problem, need, service };
std::string_view to_string(QuestionCategory c);
std::optional<QuestionCategory> question_category_from_string(std::string_view s);

struct ForumInfo {
  std::string id;
  std::string title;
  std::string topic;
  std::string starts_at;  // RFC 3339 with offset, as the organizer gave it
  ForumState state = ForumState::draft;
};

struct PanelMember {
  std::string name;   // 王红梅
  std::string title;  // 春晖社区党支部书记
  PanelRole role = PanelRole::secretary;
};

struct AgendaItem {
  int64_t id = 0;
  std::string title;
  int planned_minutes = 0;
};  // Transcript::agenda is in agenda order

// A resident as an export sees them. phone and device_token are private: the
// writers drop them unless ExportOptions::include_contacts is set.
struct Resident {
  std::string display_name;
  std::string compound;      // 小区; may be empty
  std::string building;      // 楼组; may be empty
  std::string phone;         // private
  std::string device_token;  // private (the store keeps the token's hash)
};

// One entry of a question's moderation history (who, when, where in the stream);
// moderation's QuestionHistoryEntry with the state move spelled out.
struct HistoryEntry {
  std::string op;  // moderation op: "ask", "approve", "reject", "edit", "merge", "put_on_air",
                   // "mark_answered", "back_to_queue", ...
  std::string from_state;  // "" for "ask" or an op that does not move the state
  std::string to_state;
  std::string actor;  // moderator account, or the asker's display name
  int64_t at_ms = 0;
  std::optional<int64_t> stream_ms;
  std::string note;        // reject reason, edit summary, merge target ...
  std::string actor_role;  // "resident", "moderator", "organizer" ("" if unknown)
};

// One stretch on air: from `on_air` to `answered` (or back to the queue).
struct OnAirRange {
  int64_t start_stream_ms = 0;
  std::optional<int64_t> end_stream_ms;  // absent while still on air
  int64_t started_at_ms = 0;
  std::optional<int64_t> ended_at_ms;
  bool answered = false;  // ended by "mark answered"
  std::string panelist;   // who answered (a panel member's name)
  std::string summary;    // short answer summary
};

struct Question {
  int64_t id = 0;
  std::optional<int64_t> parent_id;  // set for a follow-up (追问): the question it follows
  std::string text;                  // as shown (after edits)
  std::string original_text;         // empty unless a moderator edited it
  QuestionState state = QuestionState::pending;
  QuestionCategory category = QuestionCategory::none;
  std::vector<std::string> tags;
  std::string source = "resident";  // "resident" or "offline" (entered in the studio)
  std::optional<int64_t> agenda_item_id;
  std::optional<int64_t> merged_into;
  std::string reject_reason;  // a code from the moderation settings' reject reasons
  std::string reject_text;    // optional free text shown to the asker
  Resident asker;
  int votes = 0;  // co-signs, merged ones included
  int64_t created_ms = 0;
  std::optional<int64_t> created_stream_ms;
  std::vector<HistoryEntry> history;  // oldest first
  std::vector<OnAirRange> on_air;     // oldest first
  std::vector<Question> follow_ups;   // only on top-level questions; oldest first
};

struct Comment {
  int64_t id = 0;
  std::string text;
  Resident author;
  int64_t at_ms = 0;
  std::optional<int64_t> stream_ms;
  bool hidden = false;  // hidden by a moderator: excluded unless include_hidden_comments
  std::string hidden_by;
};

struct Transcript {
  ForumInfo forum;
  std::vector<PanelMember> panel;
  std::vector<AgendaItem> agenda;
  std::vector<Question> questions;  // top-level, in asking order; follow-ups inside
  std::vector<Comment> comments;    // in time order
  std::vector<Ticket> tickets;      // in creation order
  int64_t generated_ms = 0;         // when the export was made (wall clock)
};

// Lookups the writers share.
const AgendaItem* find_agenda_item(const Transcript& t, std::optional<int64_t> id);
// Top-level question id for a question or follow-up id; nullopt if unknown.
std::optional<int64_t> thread_of(const Transcript& t, int64_t question_id);

}  // namespace forumcast::followup
