// moderation/question_rows.cpp: Question/BanRecord/BlockedTerm <-> store rows.
#include "moderation/question_rows.hpp"

#include <nlohmann/json.hpp>

namespace forumcast::moderation {
namespace {

using nlohmann::json;

Error bad(const std::string& what) {
  return make_error("store_error", what);
}

template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}
std::optional<int64_t> opt_int(const json& j, const char* k) {
  if (!j.contains(k) || j.at(k).is_null()) return std::nullopt;
  return j.at(k).get<int64_t>();
}

}  // namespace

QuestionRow to_row(const Question& q) {
  QuestionRow r;
  r.id = q.id;
  r.forum_id = q.forum_id;
  r.parent_id = q.parent_id;
  r.source = std::string(to_string(q.source));
  r.asker_device_hash = q.asker_device_hash;
  r.display_name = q.display_name;
  r.compound = q.compound;
  r.building = q.building;
  r.text = q.text;
  r.original_text = q.original_text;
  r.category = q.category ? std::string(to_string(*q.category)) : std::string();
  r.agenda_item = q.agenda_item;
  r.state = std::string(to_string(q.state));
  r.votes = q.votes;
  r.merged_into = q.merged_into;
  r.reject_reason = q.reject_reason;
  r.reject_text = q.reject_text;
  r.tags_json = json(q.tags).dump();
  json cs = json::array();
  for (const auto& c : q.co_signers)
    cs.push_back({{"question_id", c.question_id},
                  {"device_hash", c.device_hash},
                  {"display_name", c.display_name},
                  {"compound", c.compound}});
  r.co_signers_json = cs.dump();
  json oa = json::array();
  for (const auto& o : q.on_air)
    oa.push_back({{"start_ms", o.start_ms},
                  {"start_stream_ms", opt(o.start_stream_ms)},
                  {"end_ms", opt(o.end_ms)},
                  {"end_stream_ms", opt(o.end_stream_ms)}});
  r.on_air_json = oa.dump();
  json an = json::array();
  for (const auto& a : q.answers)
    an.push_back({{"summary", a.summary},
                  {"panelist", a.panelist},
                  {"by", a.by},
                  {"at_ms", a.at_ms},
                  {"stream_ms", opt(a.stream_ms)}});
  r.answers_json = an.dump();
  r.created_ms = q.created_ms;
  r.created_stream_ms = q.created_stream_ms;
  r.updated_ms = q.updated_ms;
  r.updated_stream_ms = q.updated_stream_ms;
  return r;
}

Result<Question> from_row(const QuestionRow& r) {
  Question q;
  q.id = r.id;
  q.forum_id = r.forum_id;
  q.parent_id = r.parent_id;
  auto source = question_source_from_string(r.source);
  auto state = question_state_from_string(r.state);
  if (!source || !state) return bad("question " + std::to_string(r.id) + ": bad source or state");
  q.source = *source;
  q.state = *state;
  if (!r.category.empty()) {
    q.category = question_category_from_string(r.category);
    if (!q.category) return bad("question " + std::to_string(r.id) + ": bad category");
  }
  q.asker_device_hash = r.asker_device_hash;
  q.display_name = r.display_name;
  q.compound = r.compound;
  q.building = r.building;
  q.text = r.text;
  q.original_text = r.original_text;
  q.agenda_item = r.agenda_item;
  q.votes = r.votes;
  q.merged_into = r.merged_into;
  q.reject_reason = r.reject_reason;
  q.reject_text = r.reject_text;
  q.created_ms = r.created_ms;
  q.created_stream_ms = r.created_stream_ms;
  q.updated_ms = r.updated_ms;
  q.updated_stream_ms = r.updated_stream_ms;
  try {
    q.tags = json::parse(r.tags_json).get<std::vector<std::string>>();
    for (const auto& c : json::parse(r.co_signers_json))
      q.co_signers.push_back(
          CoSigner{c.at("question_id").get<int64_t>(), c.at("device_hash").get<std::string>(),
                   c.at("display_name").get<std::string>(), c.at("compound").get<std::string>()});
    for (const auto& o : json::parse(r.on_air_json))
      q.on_air.push_back(OnAirRange{o.at("start_ms").get<int64_t>(), opt_int(o, "start_stream_ms"),
                                    opt_int(o, "end_ms"), opt_int(o, "end_stream_ms")});
    for (const auto& a : json::parse(r.answers_json))
      q.answers.push_back(Answer{a.at("summary").get<std::string>(),
                                 a.at("panelist").get<std::string>(), a.at("by").get<std::string>(),
                                 a.at("at_ms").get<int64_t>(), opt_int(a, "stream_ms")});
  } catch (const json::exception& e) {
    return bad("question " + std::to_string(r.id) + ": " + e.what());
  }
  return q;
}

QuestionHistoryRow to_row(const std::string& forum_id, const QuestionHistoryEntry& h) {
  QuestionHistoryRow r;
  r.forum_id = forum_id;
  r.question_id = h.question_id;
  r.op = h.op;
  r.actor = h.actor;
  r.actor_role = std::string(forumcast::to_string(h.actor_role));
  r.at_ms = h.at_ms;
  r.stream_ms = h.stream_ms;
  r.before_json = h.before_json;
  r.after_json = h.after_json;
  return r;
}

QuestionChangeRecord to_record(const std::string& forum_id, const QuestionChange& c) {
  QuestionChangeRecord rec;
  for (const auto& q : c.questions) rec.questions.push_back(to_row(q));
  for (const auto& h : c.history) rec.history.push_back(to_row(forum_id, h));
  rec.audit = c.audit;
  return rec;
}

BanRow to_row(const BanRecord& b) {
  BanRow r;
  r.id = b.id;
  r.forum_id = b.forum_id;
  r.kind = std::string(to_string(b.kind));
  r.device_hash = b.device_hash;
  r.ip = b.ip;
  r.reason = b.reason;
  r.actor = b.actor;
  r.created_ms = b.created_ms;
  r.expires_ms = b.expires_ms;
  r.remove_comments = b.remove_comments;
  return r;
}

Result<BanRecord> from_row(const BanRow& r) {
  auto kind = ban_kind_from_string(r.kind);
  if (!kind) return bad("ban " + std::to_string(r.id) + ": bad kind '" + r.kind + "'");
  return BanRecord{r.id,     r.forum_id, *kind,        r.device_hash, r.ip,
                   r.reason, r.actor,    r.created_ms, r.expires_ms,  r.remove_comments};
}

BlockedTermRow to_row(const BlockedTerm& t) {
  return BlockedTermRow{t.term, std::string(to_string(t.action)), t.timeout_ms};
}

Result<BlockedTerm> from_row(const BlockedTermRow& r) {
  auto action = term_action_from_string(r.action);
  if (!action || *action == TermAction::none)
    return bad("blocked term '" + r.term + "': bad action '" + r.action + "'");
  return BlockedTerm{r.term, *action, r.timeout_ms};
}

}  // namespace forumcast::moderation
