// followup/export_common.cpp: bilingual labels and shared helpers of the writers
// (see export_common.hpp). The zh-CN wording follows what community workers use
// on paper: 问题清单, 附议, 答复, 工单, 已办结, 满意率.
#include "followup/export_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/clock.hpp"

namespace forumcast::followup::detail {
namespace {

Labels make_zh() {
  Labels l;
  l.id = "编号";
  l.status = "状态";
  l.category = "类别";
  l.agenda = "议程";
  l.text = "内容";
  l.original_text = "原文(编辑前)";
  l.asker = "提问人";
  l.compound = "小区";
  l.building = "楼组";
  l.phone = "电话";
  l.device_token = "设备标识";
  l.source = "来源";
  l.votes = "附议";
  l.follow_ups = "追问数";
  l.asked_at = "提问时间";
  l.on_air_at = "上麦(视频时间)";
  l.on_air_end = "下麦(视频时间)";
  l.answered_by = "回答人";
  l.answer_summary = "答复摘要";
  l.replay = "回放链接";
  l.tickets = "工单";
  l.reject_reason = "未采纳原因";
  l.merged_into = "合并至";
  l.tags = "标签";
  l.parent = "所属问题";
  l.time = "时间";
  l.stream_time = "视频时间";
  l.author = "发言人";
  l.hidden = "已隐藏";
  l.title = "标题";
  l.description = "描述";
  l.assignees = "承办";
  l.state = "状态";
  l.due = "期限";
  l.created_at = "创建时间";
  l.created_by = "创建人";
  l.resolved_at = "解决时间";
  l.closed_at = "办结时间";
  l.hours_to_resolve = "办理时长(小时)";
  l.ratings = "评价次数";
  l.average_rating = "平均评分";
  l.last_rating_comment = "最近评价意见";
  l.public_notes = "公开进展";
  l.question = "问题";
  l.rater_keys = "评价人标识";
  l.minutes = "会议纪要";
  l.date = "时间";
  l.topic = "议题";
  l.panel = "嘉宾";
  l.role = "身份";
  l.planned = "计划时长";
  l.minutes_unit = "分钟";
  l.qa = "问答记录";
  l.not_on_agenda = "未归入议程";
  l.answer = "答复";
  l.video = "视频位置";
  l.follow_up = "追问";
  l.summary = "汇总";
  l.all = "全部";
  l.no_compound = "未填写小区";
  l.forum_state = "论坛状态";
  l.generated = "导出时间";
  l.none = "无";
  l.yes = "是";
  l.name = "姓名";
  l.position = "职务";
  l.asked_by = "提问";
  l.f_asked = "提问数";
  l.f_approved = "通过数";
  l.f_answered_live = "现场答复";
  l.f_ticketed = "转工单";
  l.f_follow_ups = "追问数";
  l.f_votes = "附议数";
  l.f_tickets = "工单数";
  l.f_resolved = "已解决";
  l.f_ever_resolved = "曾解决";
  l.f_rated = "已评价工单";
  l.f_ratings = "评价次数";
  l.f_median_h = "办理时长中位数(小时)";
  l.f_p90_h = "办理时长90分位(小时)";
  l.f_average_rating = "平均评分";
  l.f_share_rated = "评价率";
  return l;
}

Labels make_en() {
  Labels l;
  l.id = "ID";
  l.status = "Status";
  l.category = "Category";
  l.agenda = "Agenda item";
  l.text = "Text";
  l.original_text = "Original text (before edit)";
  l.asker = "Asked by";
  l.compound = "Compound";
  l.building = "Building";
  l.phone = "Phone";
  l.device_token = "Device token";
  l.source = "Source";
  l.votes = "Votes";
  l.follow_ups = "Follow-ups";
  l.asked_at = "Asked at";
  l.on_air_at = "On air (video time)";
  l.on_air_end = "Off air (video time)";
  l.answered_by = "Answered by";
  l.answer_summary = "Answer summary";
  l.replay = "Replay link";
  l.tickets = "Tickets";
  l.reject_reason = "Reject reason";
  l.merged_into = "Merged into";
  l.tags = "Tags";
  l.parent = "Follows up";
  l.time = "Time";
  l.stream_time = "Video time";
  l.author = "Author";
  l.hidden = "Hidden";
  l.title = "Title";
  l.description = "Description";
  l.assignees = "Assignees";
  l.state = "State";
  l.due = "Due";
  l.created_at = "Created at";
  l.created_by = "Created by";
  l.resolved_at = "Resolved at";
  l.closed_at = "Closed at";
  l.hours_to_resolve = "Hours to resolve";
  l.ratings = "Ratings";
  l.average_rating = "Average rating";
  l.last_rating_comment = "Latest rating comment";
  l.public_notes = "Public progress notes";
  l.question = "Question";
  l.rater_keys = "Rater keys";
  l.minutes = "Minutes";
  l.date = "Date";
  l.topic = "Topic";
  l.panel = "Panel";
  l.role = "Role";
  l.planned = "Planned";
  l.minutes_unit = "min";
  l.qa = "Questions and answers";
  l.not_on_agenda = "Not on the agenda";
  l.answer = "Answer";
  l.video = "Video";
  l.follow_up = "Follow-up";
  l.summary = "Summary";
  l.all = "All";
  l.no_compound = "Compound not given";
  l.forum_state = "Forum state";
  l.generated = "Exported at";
  l.none = "none";
  l.yes = "yes";
  l.name = "Name";
  l.position = "Position";
  l.asked_by = "Asked by";
  l.f_asked = "Asked";
  l.f_approved = "Approved";
  l.f_answered_live = "Answered live";
  l.f_ticketed = "Ticketed";
  l.f_follow_ups = "Follow-ups";
  l.f_votes = "Votes";
  l.f_tickets = "Tickets";
  l.f_resolved = "Resolved";
  l.f_ever_resolved = "Ever resolved";
  l.f_rated = "Rated tickets";
  l.f_ratings = "Ratings";
  l.f_median_h = "Median hours to resolve";
  l.f_p90_h = "P90 hours to resolve";
  l.f_average_rating = "Average rating";
  l.f_share_rated = "Share rated";
  return l;
}

const Labels kZh = make_zh();
const Labels kEn = make_en();

}  // namespace

const Labels& labels(Lang l) {
  return l == Lang::en ? kEn : kZh;
}

std::string_view label(Lang l, QuestionState s) {
  static constexpr std::string_view zh[] = {"待审核", "已通过", "未采纳",
                                            "已合并", "直播中", "已答复"};
  static constexpr std::string_view en[] = {"pending", "approved", "rejected",
                                            "merged",  "on air",   "answered"};
  return (l == Lang::en ? en : zh)[static_cast<size_t>(s)];
}
std::string_view label(Lang l, QuestionCategory c) {
  static constexpr std::string_view zh[] = {"未分类", "问题", "需求", "服务"};
  static constexpr std::string_view en[] = {"uncategorised", "problem", "need", "service"};
  return (l == Lang::en ? en : zh)[static_cast<size_t>(c)];
}
std::string_view label(Lang l, TicketState s) {
  static constexpr std::string_view zh[] = {"待派单", "已派单", "处理中",
                                            "已解决", "已办结", "已重启"};
  static constexpr std::string_view en[] = {"open",     "assigned", "in progress",
                                            "resolved", "closed",   "reopened"};
  return (l == Lang::en ? en : zh)[static_cast<size_t>(s)];
}
std::string_view label(Lang l, TicketCategory c) {
  static constexpr std::string_view zh[] = {"问题", "需求", "服务"};
  static constexpr std::string_view en[] = {"problem", "need", "service"};
  return (l == Lang::en ? en : zh)[static_cast<size_t>(c)];
}
std::string_view label(Lang l, PanelRole r) {
  static constexpr std::string_view zh[] = {"书记", "专家", "代表委员", "居民代表"};
  static constexpr std::string_view en[] = {"secretary", "expert", "deputy",
                                            "resident representative"};
  return (l == Lang::en ? en : zh)[static_cast<size_t>(r)];
}
std::string_view label(Lang l, std::string_view source) {
  if (source == "offline") return l == Lang::en ? "in the studio" : "现场";
  return l == Lang::en ? "online" : "线上";
}

TicketIndex::TicketIndex(const Transcript& t) {
  for (const auto& q : t.questions) {
    thread_[q.id] = q.id;
    for (const auto& f : q.follow_ups) thread_[f.id] = q.id;
  }
  for (const auto& tk : t.tickets) {
    if (!tk.question_id) continue;
    if (auto it = thread_.find(*tk.question_id); it != thread_.end())
      by_thread_[it->second].push_back(&tk);
  }
}

const std::vector<const Ticket*>& TicketIndex::of(int64_t question_id) const {
  auto th = thread_.find(question_id);
  if (th == thread_.end()) return empty_;
  auto it = by_thread_.find(th->second);
  return it == by_thread_.end() ? empty_ : it->second;
}

std::optional<int64_t> TicketIndex::thread_of(int64_t question_id) const {
  auto it = thread_.find(question_id);
  if (it == thread_.end()) return std::nullopt;
  return it->second;
}

const OnAirRange* answer_of(const Question& q) {
  for (auto it = q.on_air.rbegin(); it != q.on_air.rend(); ++it)
    if (it->answered) return &*it;
  return nullptr;
}

std::string rfc3339_or_empty(int64_t wall_ms) {
  return wall_ms == 0 ? "" : format_rfc3339(wall_ms);
}

std::string reject_display(const Question& q) {
  if (q.reject_text.empty()) return q.reject_reason;
  if (q.reject_reason.empty()) return q.reject_text;
  return q.reject_reason + ": " + q.reject_text;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string ticket_ids(const std::vector<const Ticket*>& ts) {
  std::string out;
  for (const auto* t : ts) {
    if (!out.empty()) out += ", ";
    out += 'T';
    out += std::to_string(t->id);
  }
  return out;
}

std::string assignee_names(const Ticket& t) {
  std::string out;
  for (const auto& a : t.assignees) {
    if (!out.empty()) out += "、";
    out += a.name;
  }
  return out;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string hours(int64_t ms) {
  return fixed(static_cast<double>(ms) / 3'600'000.0, 1);
}

std::vector<std::pair<const AgendaItem*, std::vector<const Question*>>> minutes_groups(
    const Transcript& t) {
  std::map<int64_t, size_t> slot;  // agenda id -> group index
  std::vector<std::pair<const AgendaItem*, std::vector<const Question*>>> groups;
  for (const auto& a : t.agenda) {
    slot[a.id] = groups.size();
    groups.push_back({&a, {}});
  }
  std::vector<const Question*> loose;
  for (const auto& q : t.questions) {
    auto it = q.agenda_item_id ? slot.find(*q.agenda_item_id) : slot.end();
    if (it == slot.end())
      loose.push_back(&q);
    else
      groups[it->second].second.push_back(&q);
  }
  groups.push_back({nullptr, std::move(loose)});
  for (auto& g : groups) {
    std::stable_sort(g.second.begin(), g.second.end(), [](const Question* a, const Question* b) {
      const OnAirRange* ra = first_air(*a);
      const OnAirRange* rb = first_air(*b);
      if (ra && rb)
        return ra->start_stream_ms != rb->start_stream_ms
                   ? ra->start_stream_ms < rb->start_stream_ms
                   : a->id < b->id;
      if (ra || rb) return ra != nullptr;
      if (a->votes != b->votes) return a->votes > b->votes;
      return a->id < b->id;
    });
  }
  if (groups.back().second.empty()) groups.pop_back();
  return groups;
}

}  // namespace forumcast::followup::detail
