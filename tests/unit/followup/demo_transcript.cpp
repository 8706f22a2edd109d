// tests/unit/followup/demo_transcript.cpp: see demo_transcript.hpp. The table
// below is the whole story of the demo forum; change it and the hand-counted
// figures in figures_test.cpp must change too.
#include "demo_transcript.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/clock.hpp"
#include "followup/ticket_machine.hpp"

namespace forumcast::followup::testing {
namespace {

struct Air {
  int64_t start_s, end_s;  // stream seconds; end_s < 0 = still on air
  bool answered;
  const char* panelist;
  const char* summary;
};

struct Outcome {
  QuestionState status;
  int votes;
  std::vector<Air> air;
  const char* note = "";  // reject reason
  int64_t merged_into = 0;
  const char* reject_text = "";
};

using QS = QuestionState;

// Index i describes question id i+1 of the demo data, then follow-ups 25..27.
const std::vector<Outcome>& outcomes() {
  static const std::vector<Outcome> o = {
      {QS::answered,
       18,
       {{60, 300, true, "王红梅", "方案里已预留12张长椅,东侧树荫下集中设置休息区。"}}},
      {QS::answered,
       25,
       {{300, 330, false, "", ""}, {400, 600, true, "陈思远", "铺装改用透水防滑砖,雨天不积水。"}}},
      {QS::answered, 9, {{650, 800, true, "王红梅", "方案定稿后在居委会和小程序同时公示两周。"}}},
      {QS::rejected, 0, {}, "与本期议题重复,已转交广场舞管理专题"},
      {QS::answered, 7, {{820, 900, true, "陈思远", "材料堆放在北侧空地,消防通道全程保持畅通。"}}},
      {QS::approved, 12, {}},
      {QS::merged, 0, {}, "", 3},
      {QS::answered,
       15,
       {{1600, 1750, true, "王红梅", "已报修,物业三天内更换,同时排查全楼灯具。"}}},
      {QS::answered, 11, {{1760, 1900, true, "周文", "维保单位每半月检查一次,记录张贴在电梯厅。"}}},
      {QS::approved, 6, {}},
      {QS::answered, 8, {{1910, 2000, true, "李建国", "下周组织统一清理,电瓶车进楼一律劝离。"}}},
      {QS::approved, 4, {}},
      {QS::answered, 30, {{2010, 2300, true, "李建国", "居委牵头三方协调,先用维修基金应急维修。"}}},
      {QS::approved, 3, {}},
      {QS::answered, 5, {{2800, 2950, true, "赵磊", "新居民指南已印好,扫码也能看到。"}}},
      {QS::answered, 6, {{2960, 3100, true, "赵磊", "楼组长会把租客拉进群,实名即可。"}}},
      {QS::approved, 10, {}},
      {QS::approved, 2, {}},
      {QS::answered, 3, {{3110, 3200, true, "王红梅", "社工小周每周二下午专门接待租客。"}}},
      {QS::approved, 1, {}},
      {QS::approved, 7, {}},
      {QS::rejected, 0, {}, "属于物业日常事务,已转物业处理", 0, "请直接联系物业服务中心"},
      {QS::pending, 0, {}},
      {QS::on_air, 4, {{3500, -1, false, "", ""}}},
      // follow-ups 25..27 (to questions 2, 8, 13)
      {QS::answered, 2, {{610, 640, true, "陈思远", "施工约三周,期间开放西侧临时通道。"}}},
      {QS::approved, 3, {}},
      {QS::pending, 0, {}},
  };
  return o;
}

const char* const kNames[] = {"张阿姨", "老李",   "王女士", "陈先生", "刘奶奶", "小杨",
                              "周老师", "吴师傅", "郑大姐", "孙伯伯", "钱女士", "冯先生"};

// The first n code points of UTF-8 text (never cuts a character).
std::string first_chars(const std::string& s, size_t n) {
  size_t i = 0, chars = 0;
  for (; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) break;
  return s.substr(0, i);
}

Resident resident(int i, const std::string& compound) {
  Resident r;
  r.display_name = kNames[i % 12];
  r.compound = compound;
  r.building = std::to_string(i % 9 + 1) + "号楼";
  r.phone = "1391234" + std::to_string(5000 + i);
  r.device_token = "dev-" + std::to_string(100000 + i * 7919);
  return r;
}

Question make_question(int64_t id, const std::string& text, const std::string& category,
                       const std::string& compound, std::optional<int64_t> agenda, int i,
                       const Outcome& oc) {
  Question q;
  q.id = id;
  q.text = text;
  q.category = question_category_from_string(category).value_or(QuestionCategory::none);
  q.agenda_item_id = agenda;
  q.asker = resident(i, compound);
  q.votes = oc.votes;
  q.state = oc.status;
  q.created_ms = kStreamStartMs - 2 * kDay + id * 60'000;  // collected before the forum
  q.history.push_back(
      {"ask", "", "pending", q.asker.display_name, q.created_ms, std::nullopt, "", "resident"});
  const int64_t mod_ms = kStreamStartMs - kDay + id * 1000;
  if (oc.status == QS::rejected) {
    q.reject_reason = oc.note;
    q.reject_text = oc.reject_text;
    q.history.push_back(
        {"reject", "pending", "rejected", "mod_xu", mod_ms, std::nullopt, oc.note, "moderator"});
  } else if (oc.status == QS::merged) {
    q.merged_into = oc.merged_into;
    q.history.push_back({"merge", "pending", "merged", "mod_xu", mod_ms, std::nullopt,
                         "#" + std::to_string(oc.merged_into), "moderator"});
  } else if (oc.status != QS::pending) {
    q.history.push_back(
        {"approve", "pending", "approved", "mod_xu", mod_ms, std::nullopt, "", "moderator"});
  }
  for (const Air& a : oc.air) {
    OnAirRange r;
    r.start_stream_ms = a.start_s * 1000;
    r.started_at_ms = kStreamStartMs + r.start_stream_ms;
    q.history.push_back({"put_on_air", "approved", "on_air", "mod_xu", r.started_at_ms,
                         r.start_stream_ms, "", "moderator"});
    if (a.end_s >= 0) {
      r.end_stream_ms = a.end_s * 1000;
      r.ended_at_ms = kStreamStartMs + *r.end_stream_ms;
      r.answered = a.answered;
      r.panelist = a.panelist;
      r.summary = a.summary;
      q.history.push_back({a.answered ? "mark_answered" : "back_to_queue", "on_air",
                           a.answered ? "answered" : "approved", "mod_xu", *r.ended_at_ms,
                           r.end_stream_ms, a.summary, "moderator"});
    }
    q.on_air.push_back(r);
  }
  return q;
}

}  // namespace

Transcript demo_transcript() {
  std::ifstream in(FORUMCAST_SOURCE_DIR "/tests/unit/followup/data/demo-forum.json");
  if (!in) throw std::runtime_error("demo-forum.json not found");
  const auto d = nlohmann::json::parse(in);
  Transcript t;
  t.forum.id = "F4DEMO2612";
  t.forum.title = d["forum"]["title"];
  t.forum.topic = d["forum"]["topic"];
  t.forum.starts_at = d["forum"]["starts_at"];
  t.forum.state = ForumState::ended;
  for (const auto& p : d["forum"]["panel"])
    t.panel.push_back(
        {p["name"], p["title"], *panel_role_from_string(p["role"].get<std::string>())});
  int64_t agenda_id = 1;
  for (const auto& a : d["forum"]["agenda"])
    t.agenda.push_back({agenda_id++, a["title"], a["minutes"]});

  const auto& oc = outcomes();
  int i = 0;
  for (const auto& q : d["questions"]) {
    t.questions.push_back(make_question(i + 1, q["text"], q["category"], q["compound"],
                                        q["agenda"].get<int64_t>() + 1, i,
                                        oc[static_cast<size_t>(i)]));
    ++i;
  }
  int64_t fid = static_cast<int64_t>(t.questions.size()) + 1;
  for (const auto& f : d["follow_ups"]) {
    Question& parent = t.questions[f["to"].get<size_t>()];
    Question fu = make_question(fid, f["text"], "", parent.asker.compound, parent.agenda_item_id,
                                static_cast<int>(fid), oc[static_cast<size_t>(fid - 1)]);
    fu.parent_id = parent.id;
    fu.category = parent.category;
    parent.follow_ups.push_back(std::move(fu));
    ++fid;
  }
  int64_t cid = 1;
  for (const auto& c : d["comments"]) {
    Comment cm;
    cm.id = cid;
    cm.text = c;
    cm.author = resident(static_cast<int>(cid) + 3, d["compounds"][static_cast<size_t>(cid) % 6]);
    cm.stream_ms = cid * 97'000;
    cm.at_ms = kStreamStartMs + *cm.stream_ms;
    t.comments.push_back(std::move(cm));
    ++cid;
  }
  Comment spam;
  spam.id = cid;
  spam.text = "加微信领红包,广告";
  spam.author = resident(99, "桂香里");
  spam.stream_ms = 1'234'000;
  spam.at_ms = kStreamStartMs + *spam.stream_ms;
  spam.hidden = true;
  spam.hidden_by = "mod_xu";
  t.comments.push_back(std::move(spam));

  // Tickets, driven through the real state machine after the forum.
  FakeClock clock(kStreamStartMs + 2 * kHour);
  TicketMachine m(clock);
  auto rate = [&](Ticket& tk, int stars, bool confirmed, const char* comment, int who) {
    Rating r;
    r.rater = "dev-rater-" + std::to_string(who);
    r.rater_name = kNames[who % 12];
    r.stars = stars;
    r.confirmed = confirmed;
    r.comment = comment;
    (void)m.rate(tk, r);
  };
  auto make = [&](int64_t id, int64_t qid, TicketCategory cat, std::vector<Assignee> as) -> Ticket {
    const Question* q = nullptr;
    for (const auto& x : t.questions) {
      if (x.id == qid) q = &x;
      for (const auto& f : x.follow_ups)
        if (f.id == qid) q = &f;
    }
    NewTicket n{t.forum.id,
                qid,
                first_chars(q->text, 12),
                q->text,
                cat,
                {q->asker.compound, q->asker.building},
                clock.wall_ms() + 14 * kDay};
    Ticket tk = m.create(id, n, "org_chen").value();
    if (!as.empty()) (void)m.assign(tk, as, "org_chen", "请尽快处理", true);
    return tk;
  };
  const Assignee wuye{Assignee::Kind::department, "物业服务中心"};
  const Assignee juwei{Assignee::Kind::department, "社区居委会"};
  const Assignee zhang{Assignee::Kind::worker, "张师傅"};

  Ticket t1 = make(1, 2, TicketCategory::problem, {wuye, juwei});
  Ticket t2 = make(2, 8, TicketCategory::problem, {zhang});
  Ticket t3 = make(3, 13, TicketCategory::problem, {wuye, juwei});
  Ticket t4 = make(4, 26, TicketCategory::service, {juwei});
  Ticket t5 = make(5, 6, TicketCategory::need, {});
  Ticket t6 = make(6, 9, TicketCategory::problem, {wuye});
  Ticket t7 = make(7, 17, TicketCategory::problem, {juwei});
  Ticket t8 = make(8, 11, TicketCategory::problem, {wuye});
  for (Ticket* tk : {&t1, &t2, &t3, &t4, &t6, &t8})
    (void)m.transition(*tk, TicketState::in_progress, "worker_li", "已到现场查看", true);
  clock.advance(kDay);
  (void)m.transition(t2, TicketState::resolved, "张师傅", "灯已更换", true);  // 24 h
  rate(t2, 4, true, "修得挺快", 8);
  clock.advance(kDay);
  (void)m.transition(t6, TicketState::resolved, "worker_li", "已约维保单位加检", true);  // 48 h
  rate(t6, 3, false, "", 9);
  clock.advance(kDay);
  (void)m.transition(t1, TicketState::resolved, "worker_li", "已换防滑地砖", true);  // 72 h
  rate(t1, 5, true, "很满意,谢谢!", 2);
  clock.advance(2 * kDay);
  (void)m.transition(t8, TicketState::resolved, "worker_li", "杂物已清理", true);  // 120 h
  clock.advance(5 * kDay);
  (void)m.transition(t3, TicketState::resolved, "worker_li", "已临时封堵", false);  // 240 h
  rate(t3, 2, false, "下雨还是漏,只是临时补了一下", 13);                            // reopens
  (void)m.transition(t3, TicketState::in_progress, "worker_li", "重新安排防水施工", true);
  clock.advance(10 * kDay);
  (void)m.transition(t3, TicketState::resolved, "worker_li", "屋面防水已重做", true);  // 480 h
  clock.advance(7 * kDay);
  std::vector<Ticket> due = {t3};
  (void)m.run_auto_close(due);  // t3 unrated for 7 days: closes
  t3 = due[0];
  t.tickets = {t1, t2, t3, t4, t5, t6, t7, t8};
  t.generated_ms = clock.wall_ms();
  return t;
}

}  // namespace forumcast::followup::testing
