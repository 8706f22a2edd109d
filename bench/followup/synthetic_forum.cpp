// bench/followup/synthetic_forum.cpp: see synthetic_forum.hpp. Records are built
// directly (not through the TicketMachine) so that building is cheap next to
// the export being measured.
#include "synthetic_forum.hpp"

#include <string>

namespace forumcast::followup::bench {
namespace {

const char* const kPhrases[] = {
    "中心广场荒废好几年了,改造以后能不能多放几张长椅?老人想坐下来聊聊天。",
    "广场的地砖下雨天特别滑,我妈上个月差点摔倒,改造时能换成防滑的吗?",
    "3号楼楼道灯坏了一个多星期了,晚上上下楼很危险,找谁修?",
    "我们楼的电梯上个月困过人,维保单位多久来检查一次?",
    "顶楼漏水四年了,物业说要业委会同意,业委会说要物业出方案,到底找谁?",
    "我是刚搬来的租客,不知道垃圾几点扔、怎么分类,有没有新居民指南?",
    "小区里能不能设一个快递集中点?快递车把路都堵了。",
    "非机动车乱停的问题,能不能画线分区?\"统一管理\",大家都方便。",
};
const char* const kCompounds[] = {"春晖苑一期", "春晖苑二期",   "春晖苑三期",
                                  "桂香里",     "梧桐新村东区", "梧桐新村西区"};
const char* const kNames[] = {"张阿姨", "老李", "王女士", "陈先生", "刘奶奶", "小杨"};
const char* const kPanel[] = {"王红梅", "李建国", "陈思远", "周文", "赵磊"};
constexpr int64_t kStart = 1'796'450'400'000;

Resident resident(int i) {
  return Resident{kNames[i % 6], kCompounds[i % 6], std::to_string(i % 30 + 1) + "号楼",
                  "139" + std::to_string(10'000'000 + i), "dev-" + std::to_string(i)};
}

Question question(int64_t id, int i) {
  Question q;
  q.id = id;
  q.text = std::string(kPhrases[i % 8]) + " (" + std::to_string(id) + ")";
  q.category = static_cast<QuestionCategory>(1 + i % 3);
  q.agenda_item_id = 1 + i % 4;
  q.asker = resident(i);
  q.votes = i % 37;
  q.created_ms = kStart + int64_t{i} * 1000;
  q.history.push_back(
      {"ask", "", "pending", q.asker.display_name, q.created_ms, std::nullopt, "", "resident"});
  const int kind = i % 10;
  if (kind == 9) {
    q.state = QuestionState::rejected;
    q.reject_reason = "与本期议题无关";
    q.history.push_back({"reject", "pending", "rejected", "mod_xu", q.created_ms + 5000,
                         std::nullopt, q.reject_reason, "moderator"});
    return q;
  }
  q.history.push_back({"approve", "pending", "approved", "mod_xu", q.created_ms + 5000,
                       std::nullopt, "", "moderator"});
  q.state = QuestionState::approved;
  if (kind < 3) {
    OnAirRange r;
    r.start_stream_ms = int64_t{i} * 600;
    r.end_stream_ms = r.start_stream_ms + 500;
    r.started_at_ms = kStart + r.start_stream_ms;
    r.ended_at_ms = kStart + *r.end_stream_ms;
    r.answered = true;
    r.panelist = kPanel[i % 5];
    r.summary = "已记录,会后由社区跟进落实,一周内反馈进展。";
    q.on_air.push_back(r);
    q.state = QuestionState::answered;
    q.history.push_back({"put_on_air", "approved", "on_air", "mod_xu", r.started_at_ms,
                         r.start_stream_ms, "", "moderator"});
    q.history.push_back({"mark_answered", "on_air", "answered", "mod_xu", *r.ended_at_ms,
                         r.end_stream_ms, r.summary, "moderator"});
  }
  return q;
}

}  // namespace

Transcript synthetic_forum(const Size& size) {
  Transcript t;
  t.forum = {"F4BENCH001", "书记论坛 · 基准测试", "压力测试", "2026-12-05T14:00:00+08:00",
             ForumState::ended};
  for (int i = 0; i < 5; ++i)
    t.panel.push_back({kPanel[i], "社区党支部书记", PanelRole::secretary});
  for (int i = 0; i < 4; ++i) t.agenda.push_back({i + 1, "议程 " + std::to_string(i + 1), 20});
  t.questions.reserve(static_cast<size_t>(size.questions));
  int64_t next_id = size.questions + 1;
  for (int i = 0; i < size.questions; ++i) {
    Question q = question(i + 1, i);
    if (i % 10 == 0) {
      Question f = question(next_id++, i + 5);
      f.parent_id = q.id;
      q.follow_ups.push_back(std::move(f));
    }
    t.questions.push_back(std::move(q));
  }
  t.comments.reserve(static_cast<size_t>(size.comments));
  for (int i = 0; i < size.comments; ++i) {
    Comment c;
    c.id = i + 1;
    c.text = i % 7 == 0 ? "支持!说到点子上了" : "楼道灯我们楼也坏了, 希望\"尽快\"修好";
    c.author = resident(i);
    c.at_ms = kStart + int64_t{i} * 100;
    c.stream_ms = int64_t{i} * 100;
    c.hidden = i % 100 == 0;
    t.comments.push_back(std::move(c));
  }
  t.tickets.reserve(static_cast<size_t>(size.tickets));
  for (int i = 0; i < size.tickets; ++i) {
    Ticket tk;
    tk.id = i + 1;
    tk.forum_id = t.forum.id;
    tk.question_id = (i * 5) % size.questions + 1;
    tk.title = "工单 " + std::to_string(i + 1) + ":楼道灯维修";
    tk.description = kPhrases[i % 8];
    tk.category = static_cast<TicketCategory>(i % 3);
    tk.location = {kCompounds[i % 6], std::to_string(i % 30 + 1) + "号楼"};
    tk.assignees = {{Assignee::Kind::department, "物业服务中心"},
                    {Assignee::Kind::worker, "张师傅"}};
    tk.created_ms = kStart + int64_t{i} * 60'000;
    tk.created_by = "org_chen";
    tk.due_ms = tk.created_ms + 14 * 86'400'000LL;
    auto ev = [&](const char* action, TicketState from, TicketState to, int64_t at,
                  const char* note) {
      tk.history.push_back({action, from, to, "worker_li", at, note, true});
      tk.state = to;
    };
    ev("create", TicketState::open, TicketState::open, tk.created_ms, "");
    ev("assign", TicketState::open, TicketState::assigned, tk.created_ms + 3'600'000,
       "物业服务中心、张师傅");
    ev("transition", TicketState::assigned, TicketState::in_progress, tk.created_ms + 7'200'000,
       "已到现场查看");
    if (i % 4 != 3) {
      const int64_t at = tk.created_ms + (1 + i % 10) * 86'400'000LL;
      ev("transition", TicketState::in_progress, TicketState::resolved, at, "已修复");
      tk.resolved_ms = at;
      tk.resolution_round = 1;
      if (i % 2 == 0) {
        tk.ratings.push_back({"dev-" + std::to_string(i), kNames[i % 6], 1 + i % 5, i % 5 >= 2,
                              i % 5 < 2 ? "还没修好" : "", at + 3'600'000, 1});
      }
    }
    t.tickets.push_back(std::move(tk));
  }
  t.generated_ms = kStart + 30 * 86'400'000LL;
  return t;
}

}  // namespace forumcast::followup::bench
