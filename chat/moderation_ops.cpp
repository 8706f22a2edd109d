// chat/moderation_ops.cpp: ForumModeration's set-up, dispatch and the
// non-question operations: held comments (approve_comment, reject_comment,
// held_comments), hide_comment / unhide_comment, timeout / ban / unban / bans,
// settings / set_settings, terms / set_terms, and the comment decision. Each
// staff action is audited in the same transaction as its change (hide/unhide
// and held-comment decisions write an audit-only QuestionChangeRecord). See
// moderation_ops.hpp for what the chat service does with the results.
#include "chat/moderation_ops.hpp"

#include <nlohmann/json.hpp>

#include "chat/protocol.hpp"
#include "chat/question_ops.hpp"
#include "moderation/audit.hpp"
#include "moderation/errors.hpp"
#include "moderation/question_rows.hpp"
#include "moderation/term_lists.hpp"

namespace forumcast::chat {
namespace {

using nlohmann::json;
namespace mod = forumcast::moderation;

constexpr std::string_view kCommentOps[] = {"hide_comment", "unhide_comment", "held_comments",
                                            "approve_comment", "reject_comment"};
constexpr std::string_view kBanOps[] = {"timeout", "ban", "unban", "bans"};
constexpr std::string_view kSettingsOps[] = {"settings", "set_settings"};
constexpr std::string_view kTermOps[] = {"terms", "set_terms"};

template <size_t N>
bool in(const std::string_view (&list)[N], std::string_view op) {
  for (auto o : list)
    if (o == op) return true;
  return false;
}

OpResult failed(int64_t rid, std::string_view code, std::string message) {
  return {reply_error(rid, Error{std::string(code), std::move(message)}), {}, {}, {}, {}};
}

std::optional<int64_t> int_field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

std::string str_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool bool_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

json ban_json(const mod::BanRecord& b) {
  json j = {{"id", b.id},
            {"kind", mod::to_string(b.kind)},
            {"reason", b.reason},
            {"actor", b.actor},
            {"created_ms", b.created_ms},
            {"by_ip", !b.ip.empty()},
            {"remove_comments", b.remove_comments}};
  j["expires_ms"] = b.expires_ms ? json(*b.expires_ms) : json(nullptr);
  return j;
}

json matches_json(const std::vector<mod::TermMatch>& ms) {
  json a = json::array();
  for (const auto& m : ms) a.push_back({{"term", m.term}, {"action", mod::to_string(m.action)}});
  return a;
}

}  // namespace

ForumModeration::ForumModeration(std::string forum_id, ModerationDeps deps)
    : forum_id_(std::move(forum_id)),
      deps_(std::move(deps)),
      clock_(deps_.clock ? deps_.clock : &SystemClock::instance()),
      machine_(forum_id_, *clock_, {},
               deps_.question_ids ? deps_.question_ids : mod::QuestionMachine::IdSource([this] {
                 return next_question_id_++;
               }),
               deps_.stream_ms),
      bans_(forum_id_, *clock_),
      slow_(*clock_),
      filter_(deps_.normalizer),
      gate_(*clock_, filter_, bans_, slow_) {}

ForumModeration::~ForumModeration() = default;

Status ForumModeration::load() {
  mod::Actor system{Role::organizer, "system", {}};
  if (deps_.settings) {
    auto s = deps_.settings->get_moderation_settings(forum_id_);
    if (s) {
      auto parsed = mod::settings_from_json(*s);
      if (!parsed) return parsed.error();
      if (auto a = machine_.update_settings(system, *parsed); !a) return a.error();
    } else if (s.error().code != "not_found") {
      return s.error();
    }
  }
  slow_.set_interval(settings().slow_mode_ms);
  if (Status st = reload_terms(); !st) return st;
  if (deps_.questions) {
    auto max = deps_.questions->max_question_id();
    if (!max) return max.error();
    next_question_id_ = *max + 1;
    auto rows = deps_.questions->list_questions(forum_id_);
    if (!rows) return rows.error();
    std::map<int64_t, std::vector<std::string>> voters;
    if (deps_.votes) {
      auto v = deps_.votes->list_votes(forum_id_);
      if (!v) return v.error();
      for (const auto& row : *v) voters[row.question_id].push_back(row.device_hash);
    }
    for (const auto& row : *rows) {
      auto q = mod::from_row(row);
      if (!q) return q.error();
      known_ids_.insert(q->id);
      if (publicly_visible(*q)) public_ids_.insert(q->id);
      if (Status st = machine_.restore(std::move(*q), voters[row.id]); !st) return st;
    }
  }
  if (deps_.bans) {
    auto max = deps_.bans->max_ban_id(forum_id_);
    if (!max) return max.error();
    bans_.reserve_ids_after(*max);
    auto rows = deps_.bans->list_active_bans(forum_id_, now_ms());
    if (!rows) return rows.error();
    for (const auto& row : *rows) {
      auto b = mod::from_row(row);
      if (!b) return b.error();
      bans_.restore(*b);
    }
  }
  return ok_status();
}

// The global list and this forum's, from the store, into the running filter.
// Called at load and whenever moderation::term_lists_generation() moved (an edit
// through the HTTP API, the CLI or another forum's console).
Status ForumModeration::reload_terms() {
  terms_generation_ = mod::term_lists_generation();
  if (!deps_.terms) return ok_status();
  auto global = mod::list_terms(*deps_.terms, "");
  if (!global) return global.error();
  auto mine = mod::list_terms(*deps_.terms, forum_id_);
  if (!mine) return mine.error();
  std::vector<mod::BlockedTerm> all = *global;
  all.insert(all.end(), mine->begin(), mine->end());
  if (Status st = filter_.set_terms(std::move(all)); !st) return st;
  global_terms_ = std::move(*global);
  forum_terms_ = std::move(*mine);
  return ok_status();
}

void ForumModeration::refresh_terms() {
  if (mod::term_lists_generation() == terms_generation_) return;
  // On failure the previous list stays in force; the next comment tries again.
  if (reload_terms() && deps_.terms) terms_event_due_ = true;  // staff hear it at the next tick
}

bool ForumModeration::intake_closed() {
  if (!deps_.forum_state) return false;
  int64_t mono = clock_->monotonic_ms();
  if (!state_checked_ms_ || mono - *state_checked_ms_ >= deps_.forum_state_refresh_ms) {
    auto st = deps_.forum_state();
    if (st) forum_state_ = *st;
    state_checked_ms_ = mono;
  }
  return forum_state_ != ForumState::collecting && forum_state_ != ForumState::live;
}

const std::vector<std::string_view>& ForumModeration::ops() {
  static const std::vector<std::string_view> all = [] {
    std::vector<std::string_view> v;
    for (auto o : {"ask", "follow_up", "offline_question", "vote", "unvote", "questions", "approve",
                   "reject", "edit", "merge", "categorise", "tag", "set_agenda_item", "on_air",
                   "answered", "back_to_queue"})
      v.push_back(o);
    for (auto o : kCommentOps) v.push_back(o);
    for (auto o : kBanOps) v.push_back(o);
    for (auto o : kSettingsOps) v.push_back(o);
    for (auto o : kTermOps) v.push_back(o);
    return v;
  }();
  return all;
}

bool ForumModeration::handles(std::string_view op) {
  return is_question_op(op) || in(kCommentOps, op) || in(kBanOps, op) || in(kSettingsOps, op) ||
         in(kTermOps, op);
}

mod::Actor ForumModeration::actor(const OpCaller& who) const {
  return mod::Actor{who.role, who.name,
                    who.role == Role::resident ? who.device_hash : std::string()};
}

void ForumModeration::handle(const OpCaller& who, int64_t rid, std::string_view op,
                             std::string_view message, OpDone done) {
  if (!handles(op))
    return done(
        failed(rid, codes::unknown_op, "unknown op \"" + std::string(op.substr(0, 32)) + "\""));
  if (!deps_.allowed || !deps_.allowed(who.role, op))
    return done(failed(rid, codes::forbidden, "your role may not " + std::string(op)));
  json req = json::parse(message, nullptr, false);
  if (!req.is_object())
    return done(failed(rid, codes::bad_request, "the message must be a JSON object"));
  if (is_question_op(op)) return question_op(who, rid, op, req, std::move(done));
  if (in(kCommentOps, op)) return comment_op(who, rid, op, req, std::move(done));
  if (in(kBanOps, op)) return ban_op(who, rid, op, req, std::move(done));
  if (in(kSettingsOps, op)) return settings_op(who, rid, op, req, std::move(done));
  return terms_op(who, rid, op, req, std::move(done));
}

void ForumModeration::after_commit(std::function<void(StoreDone)> write,
                                   std::function<void(Status)> finish) {
  if (!write) return finish(ok_status());
  auto defer = deps_.defer;
  write([defer, finish = std::move(finish)](Status st) mutable {
    if (!defer) return finish(st);
    defer([finish = std::move(finish), st = std::move(st)]() mutable { finish(st); });
  });
}

// ---- comments ----

CommentOutcome ForumModeration::check_comment(const OpCaller& who, std::string_view text) {
  CommentOutcome out;
  refresh_terms();
  mod::CommentDecision d = gate_.decide({who.role, who.device_hash, who.ip}, text, settings());
  out.verdict = d.verdict;
  out.text = std::move(d.text);
  out.deliver_after_ms = d.deliver_after_ms;
  out.error = std::move(d.error);
  out.retry_after_ms = d.retry_after_ms;
  if (d.timeout_applied && deps_.bans) {
    // A timeout term matched: persisted and audited as the system's action.
    mod::Actor system{Role::moderator, "system", {}};
    deps_.bans->add_ban(mod::to_row(*d.timeout_applied), mod::audit_ban(system, *d.timeout_applied),
                        [](Status) {});
  }
  bool delayed = d.verdict == mod::CommentVerdict::deliver && d.deliver_after_ms > 0;
  if (d.verdict == mod::CommentVerdict::hold || delayed) {
    out.verdict = mod::CommentVerdict::hold;
    if (delayed) d.hold_reason = "delay";
    Held h;
    h.id = next_held_id_++;
    h.comment =
        PublishComment{who.device_hash, who.name, who.compound, who.building, out.text, who.ip};
    h.reason = d.hold_reason;
    h.matches = d.matches;
    h.at_ms = now_ms();
    if (delayed) h.release_mono_ms = clock_->monotonic_ms() + d.deliver_after_ms;
    json ev = {{"ev", "held_comment"}, {"forum", forum_id_}};
    ev["comment"] = {{"id", h.id},
                     {"name", who.name},
                     {"compound", who.compound},
                     {"building", who.building},
                     {"text", out.text},
                     {"reason", h.reason},
                     {"matches", matches_json(h.matches)},
                     {"at", h.at_ms}};
    if (delayed) ev["comment"]["release_at"] = h.at_ms + d.deliver_after_ms;
    out.events.push_back({Audience::staff, {}, ev.dump()});
    out.held_id = h.id;
    held_.emplace(h.id, std::move(h));
    if (held_.size() > deps_.max_held_comments) cap_held();
  }
  return out;
}

// Comments held for review (filter, pre-moderation) beyond max_held_comments: the
// oldest are dropped. Delayed comments are never dropped (their authors were told
// they are coming); beyond kDelayedFactor x max_held_comments waiting (a flood at a
// long delay) the oldest go out at the next tick instead of waiting longer.
void ForumModeration::cap_held() {
  constexpr size_t kDelayedFactor = 10;
  const int64_t now = clock_->monotonic_ms();
  size_t review = 0, waiting = 0;  // waiting: delayed and not yet due
  for (const auto& [id, x] : held_) {
    if (!x.release_mono_ms)
      ++review;
    else if (*x.release_mono_ms > now)
      ++waiting;
  }
  for (auto it = held_.begin(); it != held_.end() && review > deps_.max_held_comments;) {
    if (it->second.release_mono_ms) {
      ++it;
      continue;
    }
    it = held_.erase(it);
    --review;
  }
  for (auto it = held_.begin();
       it != held_.end() && waiting > kDelayedFactor * deps_.max_held_comments; ++it) {
    if (!it->second.release_mono_ms || *it->second.release_mono_ms <= now) continue;
    it->second.release_mono_ms = now;  // due now: released by the next release_due()
    --waiting;
  }
}

std::vector<OpResult> ForumModeration::release_due() {
  std::vector<OpResult> out;
  refresh_terms();
  if (terms_event_due_) {
    // A list changed elsewhere (HTTP, CLI): staff get this forum's list as after set_terms.
    terms_event_due_ = false;
    json ev = {{"ev", "terms"}, {"forum", forum_id_}};
    ev["terms"] = json::parse(mod::terms_json(forum_terms_));
    OpResult r;
    r.events.push_back({Audience::staff, {}, ev.dump()});
    out.push_back(std::move(r));
  }
  const int64_t now = clock_->monotonic_ms();
  for (auto it = held_.begin(); it != held_.end();) {
    if (!it->second.release_mono_ms || *it->second.release_mono_ms > now) {
      ++it;
      continue;
    }
    OpResult r;
    r.publish = std::move(it->second.comment);
    r.events.push_back(
        {Audience::staff,
         {},
         json{{"ev", "held_resolved"}, {"forum", forum_id_}, {"id", it->first}, {"approved", true}}
             .dump()});
    out.push_back(std::move(r));
    it = held_.erase(it);
  }
  return out;
}

void ForumModeration::note_comment(int64_t seq, const std::string& device_hash,
                                   const std::string& ip) {
  if (device_hash.empty()) return;
  authors_[seq] = Author{device_hash, ip};
  while (authors_.size() > deps_.max_comment_authors) authors_.erase(authors_.begin());
}

void ForumModeration::set_hidden(int64_t seq, bool hidden) {
  if (hidden)
    hidden_.insert(seq);
  else
    hidden_.erase(seq);
}

void ForumModeration::comment_op(const OpCaller& who, int64_t rid, std::string_view op,
                                 const json& req, OpDone done) {
  mod::Actor a = actor(who);
  if (op == "held_comments") {
    json list = json::array();
    for (const auto& [id, h] : held_)
      list.push_back({{"id", id},
                      {"name", h.comment.name},
                      {"compound", h.comment.compound},
                      {"building", h.comment.building},
                      {"text", h.comment.text},
                      {"reason", h.reason},
                      {"matches", matches_json(h.matches)},
                      {"at", h.at_ms}});
    return done(
        {json{{"rid", rid}, {"ok", true}, {"held", std::move(list)}}.dump(), {}, {}, {}, {}});
  }
  auto id = int_field(req, op == "approve_comment" || op == "reject_comment" ? "id" : "seq");
  if (!id || *id <= 0) return done(failed(rid, codes::bad_request, "give the comment's number"));
  OpResult result;
  result.reply = json{{"rid", rid}, {"ok", true}}.dump();
  AuditEntry audit;
  if (op == "approve_comment" || op == "reject_comment") {
    auto it = held_.find(*id);
    if (it == held_.end())
      return done(failed(rid, codes::not_found, "no held comment #" + std::to_string(*id)));
    bool approve = op == "approve_comment";
    if (approve) result.publish = it->second.comment;
    audit = mod::make_audit(forum_id_, a, approve ? "comment.approve" : "comment.reject",
                            "held:" + std::to_string(*id), "",
                            json{{"text", it->second.comment.text}}.dump(), now_ms());
    held_.erase(it);
    result.events.push_back(
        {Audience::staff,
         {},
         json{{"ev", "held_resolved"}, {"forum", forum_id_}, {"id", *id}, {"approved", approve}}
             .dump()});
  } else {
    bool hide = op == "hide_comment";
    if (hide == is_hidden(*id)) return done(std::move(result));  // already so: nothing to do
    set_hidden(*id, hide);
    (hide ? result.hidden_seqs : result.unhidden_seqs).push_back(*id);
    result.events.push_back({Audience::everyone,
                             {},
                             json{{"ev", hide ? "comment_hidden" : "comment_unhidden"},
                                  {"forum", forum_id_},
                                  {"target", *id}}
                                 .dump()});
    audit = mod::audit_comment_visibility(forum_id_, a, *id, hide, now_ms(),
                                          deps_.stream_ms ? deps_.stream_ms() : std::nullopt);
  }
  std::function<void(StoreDone)> write;
  if (deps_.questions)
    write = [this, audit = std::move(audit)](StoreDone d) mutable {
      deps_.questions->apply_question_change(QuestionChangeRecord{{}, {}, {std::move(audit)}},
                                             std::move(d));
    };
  after_commit(std::move(write),
               [rid, result = std::move(result), done = std::move(done)](Status st) mutable {
                 if (!st.ok())
                   return done(failed(rid, codes::internal, "could not be saved; try again"));
                 done(std::move(result));
               });
}

// ---- timeouts and bans ----

void ForumModeration::ban_op(const OpCaller& who, int64_t rid, std::string_view op, const json& req,
                             OpDone done) {
  mod::Actor a = actor(who);
  if (op == "bans") {
    json list = json::array();
    for (const auto& b : bans_.list()) list.push_back(ban_json(b));
    return done(
        {json{{"rid", rid}, {"ok", true}, {"bans", std::move(list)}}.dump(), {}, {}, {}, {}});
  }
  OpResult result;
  std::function<void(StoreDone)> write;
  if (op == "unban") {
    auto id = int_field(req, "id");
    if (!id) return done(failed(rid, codes::bad_request, "\"id\" must be a ban number"));
    auto r = bans_.lift(a, *id);
    if (!r) return done({reply_error(rid, r.error()), {}, {}, {}, {}});
    int64_t at = now_ms();
    result.reply = json{{"rid", rid}, {"ok", true}, {"ban", ban_json(*r)}}.dump();
    result.events.push_back(
        {Audience::staff,
         {},
         json{{"ev", "ban_lifted"}, {"forum", forum_id_}, {"id", *id}, {"by", who.name}}.dump()});
    if (deps_.bans)
      write = [this, id = *id, at, by = who.name,
               audit = mod::audit_unban(a, *r, at)](StoreDone d) mutable {
        deps_.bans->lift_ban(forum_id_, id, at, by, std::move(audit), std::move(d));
      };
  } else {
    // Moderators point at a comment (seq) or a question (id); devices never leave the server.
    std::string device, ip;
    if (auto seq = int_field(req, "seq")) {
      auto it = authors_.find(*seq);
      if (it == authors_.end())
        return done(failed(rid, codes::not_found, "no resident comment #" + std::to_string(*seq)));
      device = it->second.device_hash;
      ip = it->second.ip;
    } else if (auto qid = int_field(req, "question")) {
      const mod::Question* q = machine_.find(*qid);
      if (!q || q->asker_device_hash.empty())
        return done(failed(rid, codes::not_found, "no resident question #" + std::to_string(*qid)));
      device = q->asker_device_hash;
    } else {
      return done(failed(rid, codes::bad_request,
                         "give \"seq\" (a comment) or \"question\" (a question number)"));
    }
    mod::BanRequest br;
    br.kind = op == "ban" ? mod::BanKind::ban : mod::BanKind::timeout;
    br.device_hash = device;
    if (bool_field(req, "by_ip")) br.ip = ip;
    br.duration_ms = int_field(req, "duration_ms");
    br.reason = str_field(req, "reason");
    br.remove_comments = bool_field(req, "remove_comments");
    auto r = bans_.add(a, std::move(br));
    if (!r) return done({reply_error(rid, r.error()), {}, {}, {}, {}});
    result.reply = json{{"rid", rid}, {"ok", true}, {"ban", ban_json(*r)}}.dump();
    result.events.push_back(
        {Audience::staff,
         {},
         json{{"ev", "ban"}, {"forum", forum_id_}, {"ban", ban_json(*r)}}.dump()});
    if (r->remove_comments) {
      for (const auto& [seq, author] : authors_) {
        if (author.device_hash != device || is_hidden(seq)) continue;
        set_hidden(seq, true);
        result.hidden_seqs.push_back(seq);
        result.events.push_back(
            {Audience::everyone,
             {},
             json{{"ev", "comment_hidden"}, {"forum", forum_id_}, {"target", seq}}.dump()});
      }
    }
    if (deps_.bans)
      write = [this, row = mod::to_row(*r), audit = mod::audit_ban(a, *r)](StoreDone d) mutable {
        deps_.bans->add_ban(std::move(row), std::move(audit), std::move(d));
      };
  }
  after_commit(std::move(write),
               [rid, result = std::move(result), done = std::move(done)](Status st) mutable {
                 if (!st.ok())
                   return done(failed(rid, codes::internal, "could not be saved; try again"));
                 done(std::move(result));
               });
}

// ---- settings ----

void ForumModeration::settings_op(const OpCaller& who, int64_t rid, std::string_view op,
                                  const json& req, OpDone done) {
  json current = json::parse(mod::to_json(settings()));
  if (op == "settings")
    return done({json{{"rid", rid}, {"ok", true}, {"settings", current}}.dump(), {}, {}, {}, {}});
  auto it = req.find("settings");
  if (it == req.end() || !it->is_object())
    return done(
        failed(rid, codes::bad_request, "\"settings\" must be an object of the fields to change"));
  json merged = current;
  merged.update(*it);
  auto parsed = mod::settings_from_json(merged.dump());
  if (!parsed) return done({reply_error(rid, parsed.error()), {}, {}, {}, {}});
  auto audit = machine_.update_settings(actor(who), *parsed);
  if (!audit) return done({reply_error(rid, audit.error()), {}, {}, {}, {}});
  slow_.set_interval(parsed->slow_mode_ms);
  std::string stored = mod::to_json(*parsed);
  json now = json::parse(stored);
  OpResult result;
  result.reply = json{{"rid", rid}, {"ok", true}, {"settings", now}}.dump();
  result.events.push_back(
      {Audience::everyone,
       {},
       json{{"ev", "settings"}, {"forum", forum_id_}, {"settings", now}}.dump()});
  std::function<void(StoreDone)> write;
  if (deps_.settings)
    write = [this, stored = std::move(stored), audit = std::move(*audit)](StoreDone d) mutable {
      deps_.settings->put_moderation_settings(forum_id_, std::move(stored), std::move(audit),
                                              std::move(d));
    };
  after_commit(std::move(write),
               [rid, result = std::move(result), done = std::move(done)](Status st) mutable {
                 if (!st.ok())
                   return done(failed(rid, codes::internal, "could not be saved; try again"));
                 done(std::move(result));
               });
}

// ---- blocked terms (this forum's list; the global list is edited from the CLI/HTTP) ----

void ForumModeration::terms_op(const OpCaller& who, int64_t rid, std::string_view op,
                               const json& req, OpDone done) {
  auto list_json = [](const std::vector<mod::BlockedTerm>& ts) {
    json a = json::array();
    for (const auto& t : ts) {
      json x = {{"term", t.term}, {"action", mod::to_string(t.action)}};
      if (t.action == mod::TermAction::timeout) x["timeout_ms"] = t.timeout_ms;
      a.push_back(std::move(x));
    }
    return a;
  };
  refresh_terms();
  if (op == "terms")
    return done({json{{"rid", rid},
                      {"ok", true},
                      {"terms", list_json(forum_terms_)},
                      {"global_terms", global_terms_.size()}}
                     .dump(),
                 {},
                 {},
                 {},
                 {}});
  auto it = req.find("terms");
  if (it == req.end() || !it->is_array())
    return done(
        failed(rid, codes::bad_request, "\"terms\" must be a list of {term, action, timeout_ms}"));
  std::vector<mod::BlockedTerm> next;
  for (const auto& x : *it) {
    if (!x.is_object())
      return done(failed(rid, codes::bad_request, "each term must be {term, action}"));
    mod::BlockedTerm t;
    t.term = str_field(x, "term");
    auto action = mod::term_action_from_string(str_field(x, "action"));
    if (!action || *action == mod::TermAction::none)
      return done(
          failed(rid, mod::errc::invalid_term, "action must be mask, hold, reject or timeout"));
    t.action = *action;
    if (auto ms = int_field(x, "timeout_ms")) t.timeout_ms = *ms;
    next.push_back(std::move(t));
  }
  std::vector<mod::BlockedTerm> all = global_terms_;
  all.insert(all.end(), next.begin(), next.end());
  std::vector<mod::BlockedTerm> before_all = global_terms_;
  before_all.insert(before_all.end(), forum_terms_.begin(), forum_terms_.end());
  if (Status st = filter_.set_terms(std::move(all)); !st)
    return done({reply_error(rid, st.error()), {}, {}, {}, {}});
  if (deps_.terms) {
    // Rare and small (an organizer's edit): written synchronously, like the CLI.
    std::vector<BlockedTermRow> rows;
    for (const auto& t : next) rows.push_back(mod::to_row(t));
    Status st = deps_.terms->replace_terms(
        forum_id_, rows, mod::audit_terms(forum_id_, actor(who), forum_terms_, next, now_ms()));
    if (!st) {
      (void)filter_.set_terms(std::move(before_all));
      return done(failed(rid, codes::internal, "the list could not be saved; try again"));
    }
  }
  forum_terms_ = std::move(next);
  OpResult result;
  result.reply = json{{"rid", rid}, {"ok", true}, {"count", forum_terms_.size()}}.dump();
  result.events.push_back(
      {Audience::staff,
       {},
       json{{"ev", "terms"}, {"forum", forum_id_}, {"terms", list_json(forum_terms_)}}.dump()});
  done(std::move(result));
}

}  // namespace forumcast::chat
