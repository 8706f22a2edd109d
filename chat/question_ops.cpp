// chat/question_ops.cpp: the question operations of ForumModeration: ask,
// follow_up, offline_question, vote, unvote, questions (snapshot), approve,
// reject, edit, merge, categorise, tag, set_agenda_item, on_air, answered,
// back_to_queue. A question asked without an agenda item belongs to the item under
// discussion (a follow-up to its parent's); explicit items are checked against the
// forum's agenda (ModerationDeps::agenda). Each
// checks `allowed`, calls QuestionMachine (which checks roles and states again),
// persists the change as one QuestionChangeRecord (or one vote row) and, after
// the COMMIT, replies and emits the question events: staff get every change,
// the asker their own question while residents cannot see it, everyone the
// public ones, and everyone a question_removed when one stops being public.
#include "chat/question_ops.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "chat/moderation_ops.hpp"
#include "chat/protocol.hpp"
#include "moderation/errors.hpp"
#include "moderation/question_json.hpp"
#include "moderation/question_rows.hpp"

namespace forumcast::chat {
namespace {

using nlohmann::json;
namespace mod = forumcast::moderation;

constexpr std::string_view kQuestionOps[] = {
    "ask",          "follow_up", "offline_question", "vote",   "unvote",
    "questions",    "approve",   "reject",           "edit",   "merge",
    "categorise",   "tag",       "set_agenda_item",  "on_air", "answered",
    "back_to_queue"};

std::string fail_reply(int64_t rid, std::string_view code, std::string message) {
  return reply_error(rid, Error{std::string(code), std::move(message)});
}

std::optional<int64_t> int_field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

// An optional agenda item id: absent or null -> nullopt; anything but a whole number
// -> false.
bool opt_item_field(const json& j, const char* key, std::optional<int64_t>* out) {
  out->reset();
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  if (!it->is_number_integer()) return false;
  *out = it->get<int64_t>();
  return true;
}

std::string str_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool publicly_visible(const mod::Question& q) {
  return q.state == mod::QuestionState::approved || q.state == mod::QuestionState::on_air ||
         q.state == mod::QuestionState::answered;
}

std::string question_wire_json(const mod::Question& q, bool staff) {
  json j = json::parse(mod::to_json(q));
  j.erase("asker_device_hash");
  if (!staff) j.erase("original_text");
  return j.dump();
}

std::string question_event_json(std::string_view forum, std::string_view op,
                                const std::string& question_json) {
  json j = {{"ev", "question"}, {"forum", forum}, {"op", op}};
  j["question"] = json::parse(question_json);
  return j.dump();
}

bool is_question_op(std::string_view op) {
  for (auto o : kQuestionOps)
    if (o == op) return true;
  return false;
}

std::vector<OpEvent> ForumModeration::question_events(std::string_view op,
                                                      const std::vector<mod::Question>& qs) {
  std::vector<OpEvent> out;
  for (size_t i = 0; i < qs.size(); ++i) {
    const mod::Question& q = qs[i];
    known_ids_.insert(q.id);
    // The acted-on question carries the op; the others changed along with it.
    std::string_view this_op = i == 0 ? op : std::string_view("update");
    out.push_back({Audience::staff,
                   {},
                   question_event_json(forum_id_, this_op, question_wire_json(q, true))});
    bool was_public = public_ids_.count(q.id) != 0;
    bool is_public = publicly_visible(q);
    if (is_public) {
      public_ids_.insert(q.id);
      out.push_back({Audience::everyone,
                     {},
                     question_event_json(forum_id_, this_op, question_wire_json(q, false))});
    } else {
      if (was_public) {
        public_ids_.erase(q.id);
        json r = {{"ev", "question_removed"},
                  {"forum", forum_id_},
                  {"id", q.id},
                  {"state", mod::to_string(q.state)}};
        if (q.merged_into) r["merged_into"] = *q.merged_into;
        out.push_back({Audience::everyone, {}, r.dump()});
      }
      // The asker follows their own question while others cannot see it.
      if (!q.asker_device_hash.empty())
        out.push_back({Audience::device, q.asker_device_hash,
                       question_event_json(forum_id_, this_op, question_wire_json(q, false))});
    }
  }
  return out;
}

Status ForumModeration::check_agenda_item(std::optional<int64_t> item) {
  if (!item || !deps_.agenda) return ok_status();
  auto a = deps_.agenda();
  if (!a)
    return make_error(std::string(codes::internal), "the agenda could not be read; try again");
  if (std::find(a->items.begin(), a->items.end(), *item) == a->items.end())
    return make_error(std::string(mod::errc::unknown_agenda_item),
                      "agenda item " + std::to_string(*item) + " is not on this forum's agenda");
  return ok_status();
}

std::optional<int64_t> ForumModeration::current_agenda_item() {
  if (!deps_.agenda) return std::nullopt;
  auto a = deps_.agenda();
  return a ? a->current : std::nullopt;
}

void ForumModeration::commit_change(int64_t rid, const OpCaller& who, mod::QuestionChange change,
                                    OpDone done) {
  bool staff = who.role == Role::moderator || who.role == Role::organizer;
  std::string op = change.history.empty() ? "update" : change.history.front().op;
  json reply = {{"rid", rid}, {"ok", true}};
  if (!change.questions.empty())
    reply["question"] = json::parse(question_wire_json(change.questions.front(), staff));
  OpResult result;
  result.reply = reply.dump();
  result.events = question_events(op, change.questions);
  QuestionChangeRecord rec = mod::to_record(forum_id_, change);
  after_commit(
      deps_.questions
          ? std::function<void(StoreDone)>([this, rec = std::move(rec)](StoreDone d) mutable {
              deps_.questions->apply_question_change(std::move(rec), std::move(d));
            })
          : std::function<void(StoreDone)>(),
      [rid, result = std::move(result), done = std::move(done)](Status st) mutable {
        if (!st.ok())
          return done({fail_reply(rid, codes::internal, "the change could not be saved; try again"),
                       {},
                       {},
                       {},
                       {}});
        done(std::move(result));
      });
}

void ForumModeration::vote_op(const OpCaller& who, int64_t rid, int64_t id, bool add, OpDone done) {
  mod::Actor a = actor(who);
  auto r = add ? machine_.vote(a, id) : machine_.unvote(a, id);
  if (!r) return done({reply_error(rid, r.error()), {}, {}, {}, {}});
  OpResult result;
  result.reply =
      json{{"rid", rid}, {"ok", true}, {"id", id}, {"votes", r->votes}, {"voted", r->voted}}.dump();
  result.events.push_back(
      {Audience::everyone,
       {},
       json{{"ev", "votes"}, {"forum", forum_id_}, {"id", id}, {"votes", r->votes}}.dump()});
  std::function<void(StoreDone)> write;
  if (deps_.votes) {
    if (add)
      write = [this, row = VoteRow{forum_id_, id, who.device_hash, r->at_ms}](StoreDone d) mutable {
        deps_.votes->add_vote(std::move(row), std::move(d));
      };
    else
      write = [this, id, dev = who.device_hash](StoreDone d) mutable {
        deps_.votes->remove_vote(forum_id_, id, dev, std::move(d));
      };
  }
  after_commit(std::move(write), [rid, result = std::move(result),
                                  done = std::move(done)](Status st) mutable {
    if (!st.ok())
      return done({fail_reply(rid, codes::internal, "the vote could not be saved; try again"),
                   {},
                   {},
                   {},
                   {}});
    done(std::move(result));
  });
}

OpResult ForumModeration::list_questions(const OpCaller& who, int64_t rid) const {
  bool staff = who.role == Role::moderator || who.role == Role::organizer;
  // Staff: every question; others: the public ones plus (residents) their own.
  json list = json::array();
  for (int64_t id : known_ids_) {
    const mod::Question* q = machine_.find(id);
    if (!q) continue;
    bool own = !who.device_hash.empty() && q->asker_device_hash == who.device_hash;
    if (staff || own || publicly_visible(*q))
      list.push_back(json::parse(question_wire_json(*q, staff)));
  }
  json order = json::array();
  for (const auto& q : machine_.approved_queue()) order.push_back(q.id);
  json out = {{"rid", rid},
              {"ok", true},
              {"questions", std::move(list)},
              {"approved_order", std::move(order)}};
  out["on_air"] = machine_.on_air_id() ? json(*machine_.on_air_id()) : json(nullptr);
  return {out.dump(), {}, {}, {}, {}};
}

void ForumModeration::question_op(const OpCaller& who, int64_t rid, std::string_view op,
                                  const json& req, OpDone done) {
  mod::Actor a = actor(who);
  auto id = int_field(req, "id");
  if (!id && op == "set_agenda_item") id = int_field(req, "question");  // same, by its name
  auto need_id = [&]() -> bool {
    if (id) return true;
    done({fail_reply(rid, codes::bad_request, "\"id\" must be a question number"), {}, {}, {}, {}});
    return false;
  };
  Result<mod::QuestionChange> r = make_error("internal", "unhandled");
  if (op == "questions") return done(list_questions(who, rid));
  // Intake is closed once the forum has ended (or before it opens): residents'
  // questions, follow-ups and votes are refused; staff may still record the studio.
  if (who.role == Role::resident &&
      (op == "ask" || op == "follow_up" || op == "vote" || op == "unvote") && intake_closed())
    return done({fail_reply(rid, codes::forum_closed, "this forum does not take questions now"),
                 {},
                 {},
                 {},
                 {}});
  if (op == "ask" || op == "follow_up" || op == "offline_question") {
    mod::AskRequest ask;
    ask.text = str_field(req, "text");
    if (auto c = str_field(req, "category"); !c.empty()) {
      ask.category = mod::question_category_from_string(c);
      if (!ask.category)
        return done(
            {fail_reply(rid, codes::bad_request, "\"category\" must be problem, need or service"),
             {},
             {},
             {},
             {}});
    }
    if (!opt_item_field(req, "agenda_item", &ask.agenda_item))
      return done({fail_reply(rid, codes::bad_request, "\"agenda_item\" must be an item id"),
                   {},
                   {},
                   {},
                   {}});
    if (Status st = check_agenda_item(ask.agenda_item); !st)
      return done({reply_error(rid, st.error()), {}, {}, {}, {}});
    if (op == "offline_question") {
      ask.display_name = str_field(req, "name");
      ask.compound = str_field(req, "compound");
      ask.building = str_field(req, "building");
    } else {
      ask.display_name = who.name;
      ask.compound = who.compound;
      ask.building = who.building;
    }
    if (op == "follow_up") {
      auto parent = int_field(req, "parent");
      if (!parent)
        return done({fail_reply(rid, codes::bad_request, "\"parent\" must be a question number"),
                     {},
                     {},
                     {},
                     {}});
      // Without an item of its own, a follow-up belongs where its question does.
      if (!ask.agenda_item)
        if (const mod::Question* p = machine_.find(*parent)) ask.agenda_item = p->agenda_item;
      r = machine_.follow_up(a, *parent, std::move(ask));
    } else {
      // Without one, a question belongs to the item under discussion right now.
      if (!ask.agenda_item) ask.agenda_item = current_agenda_item();
      r = machine_.ask(a, std::move(ask));
    }
  } else if (op == "vote" || op == "unvote") {
    if (!need_id()) return;
    return vote_op(who, rid, *id, op == "vote", std::move(done));
  } else {
    if (!need_id()) return;
    if (op == "approve") {
      r = machine_.approve(a, *id);
    } else if (op == "reject") {
      r = machine_.reject(a, *id, str_field(req, "reason"), str_field(req, "text"));
    } else if (op == "edit") {
      r = machine_.edit(a, *id, str_field(req, "text"));
    } else if (op == "merge") {
      auto into = int_field(req, "into");
      if (!into)
        return done({fail_reply(rid, codes::bad_request, "\"into\" must be a question number"),
                     {},
                     {},
                     {},
                     {}});
      r = machine_.merge(a, *id, *into);
    } else if (op == "categorise") {
      std::optional<mod::QuestionCategory> cat;
      if (auto c = str_field(req, "category"); !c.empty()) {
        cat = mod::question_category_from_string(c);
        if (!cat)
          return done(
              {fail_reply(rid, codes::bad_request, "\"category\" must be problem, need or service"),
               {},
               {},
               {},
               {}});
      }
      r = machine_.categorise(a, *id, cat);
    } else if (op == "tag") {
      std::vector<std::string> tags;
      auto t = req.find("tags");
      if (t == req.end() || !t->is_array())
        return done({fail_reply(rid, codes::bad_request, "\"tags\" must be a list of strings"),
                     {},
                     {},
                     {},
                     {}});
      for (const auto& x : *t) {
        if (!x.is_string())
          return done({fail_reply(rid, codes::bad_request, "\"tags\" must be a list of strings"),
                       {},
                       {},
                       {},
                       {}});
        tags.push_back(x.get<std::string>());
      }
      r = machine_.set_tags(a, *id, std::move(tags));
    } else if (op == "set_agenda_item") {
      std::optional<int64_t> item;
      if (!req.contains("item") || !opt_item_field(req, "item", &item))
        return done({fail_reply(rid, codes::bad_request,
                                "\"item\" must be an agenda item id, or null for none"),
                     {},
                     {},
                     {},
                     {}});
      if (Status st = check_agenda_item(item); !st)
        return done({reply_error(rid, st.error()), {}, {}, {}, {}});
      r = machine_.set_agenda_item(a, *id, item);
    } else if (op == "on_air") {
      r = machine_.put_on_air(a, *id);
    } else if (op == "answered") {
      r = machine_.mark_answered(a, *id, str_field(req, "summary"), str_field(req, "panelist"));
    } else if (op == "back_to_queue") {
      r = machine_.back_to_queue(a, *id);
    }
  }
  if (!r) return done({reply_error(rid, r.error()), {}, {}, {}, {}});
  commit_change(rid, who, std::move(*r), std::move(done));
}

}  // namespace forumcast::chat
