// moderation/question_machine.cpp: asking, follow-ups, the moderator operations that
// move a question between states, and the read-side queues. Merging and votes are in
// question_merge.cpp. Every operation validates everything before it changes anything,
// so a refused operation leaves no trace.
#include "moderation/question_machine.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "moderation/audit.hpp"
#include "moderation/errors.hpp"
#include "moderation/question_json.hpp"

namespace forumcast::moderation {
namespace {

Error err(std::string_view code, std::string message) {
  return make_error(std::string(code), std::move(message));
}

constexpr size_t kMaxNameChars = 64;  // display name, compound, building, offline name

Result<std::string> clean_short(const std::string& s, std::string_view what) {
  if (!is_valid_utf8(s)) return err(errc::invalid_utf8, std::string(what) + " is not valid UTF-8");
  std::string out = clean_text(s).value_or(std::string());
  if (count_chars(out) > kMaxNameChars)
    return err(errc::too_long, std::string(what) + " is longer than 64 characters");
  return out;
}

}  // namespace

QuestionMachine::QuestionMachine(std::string forum_id, const Clock& clock,
                                 ModerationSettings settings, IdSource ids, StreamPosition stream)
    : forum_id_(std::move(forum_id)),
      clock_(clock),
      settings_(std::move(settings)),
      ids_(std::move(ids)),
      stream_(std::move(stream)) {}

QuestionMachine::Stamp QuestionMachine::now() const {
  return Stamp{clock_.wall_ms(), stream_ ? stream_() : std::nullopt};
}

Status QuestionMachine::restore(Question q, const std::vector<std::string>& voters) {
  if (entries_.count(q.id) || q.id <= 0)
    return err(errc::invalid_setting, "question id " + std::to_string(q.id) + " is taken");
  if (q.state == QuestionState::on_air) {
    if (on_air_) return err(errc::already_on_air, "two questions on air in stored data");
    on_air_ = q.id;
  }
  Entry e{std::move(q), {voters.begin(), voters.end()}};
  e.q.votes = static_cast<int64_t>(e.voters.size());
  next_id_ = std::max(next_id_, e.q.id + 1);
  int64_t id = e.q.id;
  entries_.emplace(id, std::move(e));
  return ok_status();
}

Result<QuestionMachine::Entry*> QuestionMachine::find_for(const Actor& who, int64_t id,
                                                          bool staff_only) {
  if (staff_only && !who.is_staff())
    return err(errc::forbidden, "only moderators and organizers may do this");
  auto it = entries_.find(id);
  if (it == entries_.end()) return err(errc::not_found, "no question #" + std::to_string(id));
  return &it->second;
}

Result<std::string> QuestionMachine::clean_question_text(const std::string& text) const {
  if (!is_valid_utf8(text)) return err(errc::invalid_utf8, "text is not valid UTF-8");
  std::string out = clean_text(text, /*keep_newlines=*/true).value_or(std::string());
  if (out.empty()) return err(errc::text_empty, "the question is empty");
  if (static_cast<int64_t>(count_chars(out)) > settings_.max_question_chars)
    return err(errc::too_long, "a question has at most " +
                                   std::to_string(settings_.max_question_chars) + " characters");
  return out;
}

void QuestionMachine::record(QuestionChange& change, const Question& before, const Question& after,
                             std::string_view op, const Actor& who, const Stamp& at,
                             std::initializer_list<std::string_view> fields) {
  QuestionHistoryEntry h;
  h.question_id = after.id;
  h.op = std::string(op);
  h.actor = who.name;
  h.actor_role = who.role;
  h.at_ms = at.wall_ms;
  h.stream_ms = at.stream_ms;
  h.before_json = before.id == 0 ? std::string() : fields_json(before, fields);
  h.after_json = fields_json(after, fields);
  if (who.is_staff() && who.name != "system") change.audit.push_back(audit_question(forum_id_, h));
  change.history.push_back(std::move(h));
  auto it = std::find_if(change.questions.begin(), change.questions.end(),
                         [&](const Question& q) { return q.id == after.id; });
  if (it == change.questions.end())
    change.questions.push_back(after);
  else
    *it = after;
}

Result<QuestionChange> QuestionMachine::create(const Actor& who, std::optional<int64_t> parent_id,
                                               AskRequest req) {
  if (who.role == Role::panelist) return err(errc::forbidden, "panelists do not ask questions");
  bool resident = who.role == Role::resident;
  if (resident && who.device_hash.empty())
    return err(errc::forbidden, "a resident question needs a device");
  if (resident && !settings_.intake_open)
    return err(errc::intake_paused, "the forum is not taking questions right now");
  if (parent_id) {
    auto it = entries_.find(*parent_id);
    if (it == entries_.end())
      return err(errc::not_found, "no question #" + std::to_string(*parent_id));
    const Question& parent = it->second.q;
    if (parent.is_follow_up())
      return err(errc::invalid_parent, "a follow-up belongs to a question, not to a follow-up");
    if (parent.state != QuestionState::approved && parent.state != QuestionState::on_air &&
        parent.state != QuestionState::answered)
      return err(errc::illegal_transition,
                 "cannot follow up a " + std::string(to_string(parent.state)) + " question");
  }
  auto text = clean_question_text(req.text);
  if (!text) return text.error();
  auto name = clean_short(req.display_name, "display name");
  if (!name) return name.error();
  auto compound = clean_short(req.compound, "compound");
  if (!compound) return compound.error();
  auto building = clean_short(req.building, "building");
  if (!building) return building.error();
  if (req.agenda_item && *req.agenda_item < 0)
    return err(errc::invalid_setting, "agenda item must be >= 0");

  Stamp at = now();
  Question q;
  q.id = ids_ ? ids_() : next_id_;
  if (q.id <= 0 || entries_.count(q.id))
    return err(errc::invalid_setting, "question id " + std::to_string(q.id) + " is taken");
  next_id_ = std::max(next_id_, q.id + 1);
  q.forum_id = forum_id_;
  q.parent_id = parent_id;
  q.source = resident ? QuestionSource::resident : QuestionSource::offline;
  q.asker_device_hash = resident ? who.device_hash : std::string();
  q.display_name = std::move(*name);
  q.compound = std::move(*compound);
  q.building = std::move(*building);
  q.text = std::move(*text);
  q.category = req.category;
  q.agenda_item = req.agenda_item;
  q.state = QuestionState::pending;
  q.created_ms = q.updated_ms = at.wall_ms;
  q.created_stream_ms = q.updated_stream_ms = at.stream_ms;

  QuestionChange change;
  record(change, Question{}, q, parent_id ? "follow_up" : "ask", who, at,
         {"id", "parent_id", "source", "display_name", "compound", "text", "category",
          "agenda_item", "state"});
  // Studio questions typed in by staff, and every question when pre-moderation is
  // off, are approved at once (recorded as a second step).
  if (!resident || !settings_.questions_premoderated) {
    Question before = q;
    q.state = QuestionState::approved;
    Actor approver = resident ? Actor{Role::moderator, "system", {}} : who;
    record(change, before, q, "approve", approver, at, {"state"});
  }
  int64_t id = q.id;
  entries_.emplace(id, Entry{std::move(q), {}});
  return change;
}

Result<QuestionChange> QuestionMachine::ask(const Actor& who, AskRequest req) {
  return create(who, std::nullopt, std::move(req));
}

Result<QuestionChange> QuestionMachine::follow_up(const Actor& who, int64_t parent_id,
                                                  AskRequest req) {
  return create(who, parent_id, std::move(req));
}

Result<QuestionChange> QuestionMachine::move(
    const Actor& who, int64_t id, QuestionOp op,
    const std::function<void(Question&, const Stamp&)>& apply) {
  auto e = find_for(who, id, /*staff_only=*/true);
  if (!e) return e.error();
  Question& q = (*e)->q;
  auto to = transition_target(q.state, op);
  if (!to)
    return err(errc::illegal_transition, "cannot " + std::string(to_string(op)) + " a " +
                                             std::string(to_string(q.state)) + " question");
  if (op == QuestionOp::put_on_air && on_air_ && *on_air_ != id)
    return err(errc::already_on_air,
               "question #" + std::to_string(*on_air_) + " is on air; mark it answered first");
  Stamp at = now();
  Question before = q;
  if (apply) apply(q, at);
  q.state = *to;
  q.updated_ms = at.wall_ms;
  q.updated_stream_ms = at.stream_ms;
  if (*to == QuestionState::on_air) on_air_ = id;
  if (before.state == QuestionState::on_air) on_air_.reset();
  QuestionChange change;
  record(change, before, q, to_string(op), who, at,
         {"state", "on_air", "answers", "reject_reason", "reject_text"});
  return change;
}

Result<QuestionChange> QuestionMachine::approve(const Actor& who, int64_t id) {
  return move(who, id, QuestionOp::approve, {});
}

Result<QuestionChange> QuestionMachine::reject(const Actor& who, int64_t id,
                                               const std::string& reason,
                                               const std::string& free_text) {
  if (!who.is_staff()) return err(errc::forbidden, "only moderators and organizers may do this");
  const auto& rs = settings_.reject_reasons;
  if (std::find(rs.begin(), rs.end(), reason) == rs.end())
    return err(errc::invalid_reason, "unknown reject reason '" + reason + "'");
  if (!is_valid_utf8(free_text)) return err(errc::invalid_utf8, "text is not valid UTF-8");
  std::string text = clean_text(free_text, true).value_or(std::string());
  if (static_cast<int64_t>(count_chars(text)) > settings_.max_reject_text_chars)
    return err(errc::too_long, "the rejection note is too long");
  return move(who, id, QuestionOp::reject, [&](Question& q, const Stamp&) {
    q.reject_reason = reason;
    q.reject_text = text;
  });
}

Result<QuestionChange> QuestionMachine::put_on_air(const Actor& who, int64_t id) {
  return move(who, id, QuestionOp::put_on_air, [](Question& q, const Stamp& at) {
    q.on_air.push_back(OnAirRange{at.wall_ms, at.stream_ms, std::nullopt, std::nullopt});
  });
}

Result<QuestionChange> QuestionMachine::mark_answered(const Actor& who, int64_t id,
                                                      const std::string& summary,
                                                      const std::string& panelist) {
  if (!who.is_staff()) return err(errc::forbidden, "only moderators and organizers may do this");
  if (!is_valid_utf8(summary) || !is_valid_utf8(panelist))
    return err(errc::invalid_utf8, "text is not valid UTF-8");
  std::string s = clean_text(summary, true).value_or(std::string());
  if (static_cast<int64_t>(count_chars(s)) > settings_.max_answer_chars)
    return err(errc::too_long, "the answer summary has at most " +
                                   std::to_string(settings_.max_answer_chars) + " characters");
  auto p = clean_short(panelist, "panelist");
  if (!p) return p.error();
  return move(who, id, QuestionOp::mark_answered, [&](Question& q, const Stamp& at) {
    if (!q.on_air.empty()) {
      q.on_air.back().end_ms = at.wall_ms;
      q.on_air.back().end_stream_ms = at.stream_ms;
    }
    q.answers.push_back(Answer{s, *p, who.name, at.wall_ms, at.stream_ms});
  });
}

Result<QuestionChange> QuestionMachine::back_to_queue(const Actor& who, int64_t id) {
  return move(who, id, QuestionOp::back_to_queue, [](Question& q, const Stamp& at) {
    if (q.state == QuestionState::on_air && !q.on_air.empty()) {
      q.on_air.back().end_ms = at.wall_ms;
      q.on_air.back().end_stream_ms = at.stream_ms;
    }
    if (q.state == QuestionState::rejected) {
      q.reject_reason.clear();
      q.reject_text.clear();
    }
  });
}

Result<QuestionChange> QuestionMachine::edit(const Actor& who, int64_t id,
                                             const std::string& new_text) {
  auto e = find_for(who, id, true);
  if (!e) return e.error();
  Question& q = (*e)->q;
  if (q.state == QuestionState::rejected || q.state == QuestionState::merged)
    return err(errc::illegal_transition,
               "cannot edit a " + std::string(to_string(q.state)) + " question");
  auto text = clean_question_text(new_text);
  if (!text) return text.error();
  QuestionChange change;
  if (*text == q.text) {  // nothing to record
    change.questions.push_back(q);
    return change;
  }
  Stamp at = now();
  Question before = q;
  if (!q.original_text) q.original_text = q.text;
  q.text = std::move(*text);
  q.updated_ms = at.wall_ms;
  q.updated_stream_ms = at.stream_ms;
  record(change, before, q, "edit", who, at, {"text", "original_text"});
  return change;
}

Result<QuestionChange> QuestionMachine::categorise(const Actor& who, int64_t id,
                                                   std::optional<QuestionCategory> category) {
  auto e = find_for(who, id, true);
  if (!e) return e.error();
  Question& q = (*e)->q;
  if (q.state == QuestionState::merged)
    return err(errc::illegal_transition, "cannot categorise a merged question");
  Stamp at = now();
  Question before = q;
  q.category = category;
  q.updated_ms = at.wall_ms;
  q.updated_stream_ms = at.stream_ms;
  QuestionChange change;
  record(change, before, q, "categorise", who, at, {"category"});
  return change;
}

Result<QuestionChange> QuestionMachine::set_tags(const Actor& who, int64_t id,
                                                 std::vector<std::string> tags) {
  auto e = find_for(who, id, true);
  if (!e) return e.error();
  Question& q = (*e)->q;
  if (q.state == QuestionState::merged)
    return err(errc::illegal_transition, "cannot tag a merged question");
  std::vector<std::string> clean;
  for (const auto& t : tags) {
    if (!is_valid_utf8(t)) return err(errc::invalid_utf8, "tag is not valid UTF-8");
    std::string c = clean_text(t).value_or(std::string());
    if (c.empty()) return err(errc::invalid_tag, "a tag cannot be empty");
    if (static_cast<int64_t>(count_chars(c)) > settings_.max_tag_chars)
      return err(errc::invalid_tag, "tag '" + c + "' is too long");
    if (std::find(clean.begin(), clean.end(), c) == clean.end()) clean.push_back(std::move(c));
  }
  if (static_cast<int64_t>(clean.size()) > settings_.max_tags)
    return err(errc::invalid_tag, "at most " + std::to_string(settings_.max_tags) + " tags");
  Stamp at = now();
  Question before = q;
  q.tags = std::move(clean);
  q.updated_ms = at.wall_ms;
  q.updated_stream_ms = at.stream_ms;
  QuestionChange change;
  record(change, before, q, "tag", who, at, {"tags"});
  return change;
}

Result<QuestionChange> QuestionMachine::set_agenda_item(const Actor& who, int64_t id,
                                                        std::optional<int64_t> item) {
  auto e = find_for(who, id, true);
  if (!e) return e.error();
  Question& q = (*e)->q;
  if (q.state == QuestionState::merged)
    return err(errc::illegal_transition, "cannot move a merged question");
  if (item && *item < 0) return err(errc::invalid_setting, "agenda item must be >= 0");
  Stamp at = now();
  Question before = q;
  q.agenda_item = item;
  q.updated_ms = at.wall_ms;
  q.updated_stream_ms = at.stream_ms;
  QuestionChange change;
  record(change, before, q, "set_agenda_item", who, at, {"agenda_item"});
  return change;
}

Result<AuditEntry> QuestionMachine::update_settings(const Actor& who, const ModerationSettings& s) {
  if (!who.is_staff()) return err(errc::forbidden, "only moderators and organizers may do this");
  if (auto st = validate(s); !st) return st.error();
  AuditEntry a = audit_settings(forum_id_, who, settings_, s, clock_.wall_ms());
  settings_ = s;
  return a;
}

const Question* QuestionMachine::find(int64_t id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second.q;
}

std::vector<Question> QuestionMachine::approved_queue() const {
  std::vector<const Question*> v;
  for (const auto& [id, e] : entries_)
    if (e.q.state == QuestionState::approved && !e.q.is_follow_up()) v.push_back(&e.q);
  std::stable_sort(v.begin(), v.end(), [](const Question* a, const Question* b) {
    if (a->votes != b->votes) return a->votes > b->votes;
    if (a->created_ms != b->created_ms) return a->created_ms < b->created_ms;
    return a->id < b->id;
  });
  std::vector<Question> out;
  out.reserve(v.size());
  for (const Question* q : v) out.push_back(*q);
  return out;
}

std::vector<Question> QuestionMachine::pending_queue(bool newest_first) const {
  std::vector<Question> out;
  for (const auto& [id, e] : entries_)
    if (e.q.state == QuestionState::pending) out.push_back(e.q);
  if (newest_first) std::reverse(out.begin(), out.end());
  return out;
}

std::vector<Question> QuestionMachine::follow_ups(int64_t parent_id) const {
  std::vector<Question> out;
  for (const auto& [id, e] : entries_)
    if (e.q.parent_id == parent_id) out.push_back(e.q);
  return out;
}

std::vector<Question> QuestionMachine::asked_by(const std::string& device_hash) const {
  std::vector<Question> out;
  if (device_hash.empty()) return out;
  for (const auto& [id, e] : entries_)
    if (e.q.asker_device_hash == device_hash) out.push_back(e.q);
  return out;
}

bool QuestionMachine::has_voted(int64_t id, const std::string& device_hash) const {
  auto it = entries_.find(id);
  return it != entries_.end() && it->second.voters.count(device_hash) > 0;
}

}  // namespace forumcast::moderation
