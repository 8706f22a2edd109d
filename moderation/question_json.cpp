// moderation/question_json.cpp: builds the JSON forms declared in question_json.hpp.
#include "moderation/question_json.hpp"

#include <nlohmann/json.hpp>

namespace forumcast::moderation {
namespace {

using nlohmann::json;

template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json field(const Question& q, std::string_view name) {
  if (name == "id") return q.id;
  if (name == "forum_id") return q.forum_id;
  if (name == "parent_id") return opt(q.parent_id);
  if (name == "source") return std::string(to_string(q.source));
  if (name == "asker_device_hash") return q.asker_device_hash;
  if (name == "display_name") return q.display_name;
  if (name == "compound") return q.compound;
  if (name == "building") return q.building;
  if (name == "text") return q.text;
  if (name == "original_text") return opt(q.original_text);
  if (name == "category")
    return q.category ? json(std::string(to_string(*q.category))) : json(nullptr);
  if (name == "tags") return q.tags;
  if (name == "agenda_item") return opt(q.agenda_item);
  if (name == "state") return std::string(to_string(q.state));
  if (name == "votes") return q.votes;
  if (name == "co_signers") {
    json a = json::array();
    for (const auto& c : q.co_signers)
      a.push_back({{"question_id", c.question_id},
                   {"display_name", c.display_name},
                   {"compound", c.compound}});
    return a;
  }
  if (name == "merged_into") return opt(q.merged_into);
  if (name == "on_air") {
    json a = json::array();
    for (const auto& r : q.on_air)
      a.push_back({{"start_ms", r.start_ms},
                   {"start_stream_ms", opt(r.start_stream_ms)},
                   {"end_ms", opt(r.end_ms)},
                   {"end_stream_ms", opt(r.end_stream_ms)}});
    return a;
  }
  if (name == "answers") {
    json a = json::array();
    for (const auto& x : q.answers)
      a.push_back({{"summary", x.summary},
                   {"panelist", x.panelist},
                   {"by", x.by},
                   {"at_ms", x.at_ms},
                   {"stream_ms", opt(x.stream_ms)}});
    return a;
  }
  if (name == "reject_reason") return q.reject_reason;
  if (name == "reject_text") return q.reject_text;
  if (name == "created_ms") return q.created_ms;
  if (name == "created_stream_ms") return opt(q.created_stream_ms);
  if (name == "updated_ms") return q.updated_ms;
  if (name == "updated_stream_ms") return opt(q.updated_stream_ms);
  return json(json::value_t::discarded);  // unknown field: skipped
}

constexpr std::string_view kAllFields[] = {"id",
                                           "forum_id",
                                           "parent_id",
                                           "source",
                                           "asker_device_hash",
                                           "display_name",
                                           "compound",
                                           "building",
                                           "text",
                                           "original_text",
                                           "category",
                                           "tags",
                                           "agenda_item",
                                           "state",
                                           "votes",
                                           "co_signers",
                                           "merged_into",
                                           "on_air",
                                           "answers",
                                           "reject_reason",
                                           "reject_text",
                                           "created_ms",
                                           "created_stream_ms",
                                           "updated_ms",
                                           "updated_stream_ms"};

}  // namespace

std::string to_json(const Question& q) {
  json j = json::object();
  for (std::string_view f : kAllFields) j[std::string(f)] = field(q, f);
  return j.dump();
}

std::string fields_json(const Question& q, std::initializer_list<std::string_view> fields) {
  json j = json::object();
  for (std::string_view f : fields) {
    json v = field(q, f);
    if (!v.is_discarded()) j[std::string(f)] = std::move(v);
  }
  return j.dump();
}

}  // namespace forumcast::moderation
