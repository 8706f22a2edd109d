// tests/unit/chat/question_ops_test.cpp: ForumModeration (chat/moderation_ops.hpp)
// with the real policy table (server/policy), a FakeClock and the real
// TextNormalizer: every staff op is forbidden to residents and panelists; the
// ask -> approve -> vote -> on air -> answered flow with who sees which event;
// merge; agenda items (the current one by default, unknown ones refused, moved by
// moderators with set_agenda_item); held comments never go to everyone; slow mode; hide/unhide;
// bans by comment that survive a new display name; and, on a real SQLite file, everything a forum
// needs comes back after a restart (load()).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <tuple>

#include "chat/moderation_ops.hpp"
#include "moderation/text_normalizer.hpp"
#include "server/policy.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace forumcast::chat {
namespace {

using nlohmann::json;
const std::string kForum = "k3m9q2xw7a";

bool policy(Role r, std::string_view op) {
  auto a = action_for_ws_op(op);
  return a && allowed(caller_for(r), *a);
}

std::shared_ptr<const moderation::TextNormalizer> normalizer() {
  static auto n = moderation::TextNormalizer::create();
  EXPECT_TRUE(n.ok());
  return n.ok() ? *n : nullptr;
}

OpCaller resident(const std::string& n, const std::string& name = "") {
  return OpCaller{Role::resident, name.empty() ? "居民" + n : name,
                  "devhash-" + n, "春晖苑一期",
                  "3号楼",        "127.0.0." + n};
}
const OpCaller kModerator{Role::moderator, "mod_wang", "", "", "", "127.0.0.9"};
const OpCaller kOrganizer{Role::organizer, "org_li", "", "", "", "127.0.0.9"};
const OpCaller kPanelist{Role::panelist, "王红梅", "", "", "", "127.0.0.9"};

struct Outcome {
  json reply;
  std::vector<OpEvent> events;
  OpResult raw;
  bool ok() const { return reply.value("ok", false); }
  std::string code() const {
    return reply.contains("error") ? reply["error"]["code"].get<std::string>() : "";
  }
  std::vector<json> to(Audience a, const std::string& device = "") const {
    std::vector<json> out;
    for (const auto& e : events)
      if (e.to == a && (a != Audience::device || e.device_hash == device))
        out.push_back(json::parse(e.json));
    return out;
  }
};

Outcome run(ForumModeration& m, const OpCaller& who, json req) {
  static int64_t rid = 1;
  req["rid"] = ++rid;
  auto p = std::make_shared<std::promise<OpResult>>();
  auto f = p->get_future();
  m.handle(who, rid, req["op"].get<std::string>(), req.dump(),
           [p](OpResult r) { p->set_value(std::move(r)); });
  EXPECT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  Outcome o;
  o.raw = f.get();
  o.reply = json::parse(o.raw.reply);
  EXPECT_EQ(o.reply["rid"], rid);
  o.events = o.raw.events;
  return o;
}

ModerationDeps deps(const Clock& clock) {
  ModerationDeps d;
  d.clock = &clock;
  d.allowed = policy;
  d.normalizer = normalizer();
  return d;
}

TEST(ModerationOps, EveryStaffOpIsForbiddenToResidentsAndPanelists) {
  FakeClock clock;
  ForumModeration m(kForum, deps(clock));
  int checked = 0;
  for (auto op : ForumModeration::ops()) {
    auto action = action_for_ws_op(op);
    ASSERT_TRUE(action.has_value()) << op << " has no policy row";
    if (*action != Action::moderate && *action != Action::edit_blocked_terms) continue;
    for (const OpCaller& who : {resident("1"), kPanelist}) {
      auto o = run(m, who, {{"op", op}, {"id", 1}, {"seq", 1}});
      EXPECT_EQ(o.code(), "forbidden") << op << " by " << to_string(who.role);
      EXPECT_TRUE(o.events.empty());
    }
    ++checked;
  }
  EXPECT_GE(checked, 20);
  // Moderators may not edit blocked terms; organizers may.
  EXPECT_EQ(run(m, kModerator, {{"op", "set_terms"}, {"terms", json::array()}}).code(),
            "forbidden");
  EXPECT_TRUE(run(m, kOrganizer, {{"op", "set_terms"}, {"terms", json::array()}}).ok());
  // Staff do not vote or ask as residents do.
  EXPECT_EQ(run(m, kModerator, {{"op", "ask"}, {"text", "测试"}}).code(), "forbidden");
}

TEST(ModerationOps, AskApproveVoteOnAirAnsweredAsEachAudienceSeesIt) {
  FakeClock clock;
  ForumModeration m(kForum, deps(clock));
  const OpCaller asker = resident("1");
  auto asked = run(m, asker,
                   {{"op", "ask"},
                    {"text", "3号楼楼道灯坏了一个多星期了,晚上上下楼很危险,找谁修?"},
                    {"category", "problem"}});
  ASSERT_TRUE(asked.ok()) << asked.reply.dump();
  int64_t id = asked.reply["question"]["id"];
  EXPECT_EQ(asked.reply["question"]["state"], "pending");
  EXPECT_FALSE(asked.reply["question"].contains("asker_device_hash"));
  // Pending: staff and the asker only.
  EXPECT_TRUE(asked.to(Audience::everyone).empty());
  ASSERT_EQ(asked.to(Audience::staff).size(), 1u);
  EXPECT_EQ(asked.to(Audience::staff)[0]["question"]["compound"], "春晖苑一期");
  ASSERT_EQ(asked.to(Audience::device, asker.device_hash).size(), 1u);
  for (const auto& e : asked.events) EXPECT_EQ(e.json.find("devhash-"), std::string::npos);

  // Another resident cannot see it in the snapshot; the asker can.
  auto other_view = run(m, resident("2"), {{"op", "questions"}});
  EXPECT_TRUE(other_view.reply["questions"].empty());
  EXPECT_EQ(run(m, asker, {{"op", "questions"}}).reply["questions"].size(), 1u);
  // Nobody votes on a pending question.
  EXPECT_EQ(run(m, resident("2"), {{"op", "vote"}, {"id", id}}).code(), "not_votable");

  auto approved = run(m, kModerator, {{"op", "approve"}, {"id", id}});
  ASSERT_TRUE(approved.ok());
  ASSERT_EQ(approved.to(Audience::everyone).size(), 1u);
  EXPECT_EQ(approved.to(Audience::everyone)[0]["op"], "approve");
  EXPECT_EQ(approved.to(Audience::everyone)[0]["question"]["state"], "approved");
  EXPECT_TRUE(approved.to(Audience::device, asker.device_hash).empty());  // everyone covers them

  auto voted = run(m, resident("2"), {{"op", "vote"}, {"id", id}});
  ASSERT_TRUE(voted.ok());
  EXPECT_EQ(voted.reply["votes"], 1);
  EXPECT_EQ(voted.to(Audience::everyone)[0]["ev"], "votes");
  EXPECT_EQ(run(m, resident("2"), {{"op", "vote"}, {"id", id}}).code(), "already_voted");
  EXPECT_EQ(run(m, resident("3"), {{"op", "vote"}, {"id", id}}).reply["votes"], 2);
  EXPECT_EQ(run(m, resident("3"), {{"op", "unvote"}, {"id", id}}).reply["votes"], 1);

  auto on_air = run(m, kModerator, {{"op", "on_air"}, {"id", id}});
  ASSERT_TRUE(on_air.ok());
  EXPECT_EQ(on_air.to(Audience::everyone)[0]["question"]["state"], "on_air");
  EXPECT_EQ(run(m, kModerator, {{"op", "approve"}, {"id", id}}).code(), "illegal_transition");
  auto answered = run(m, kModerator,
                      {{"op", "answered"},
                       {"id", id},
                       {"summary", "物业三天内修好,街道督办"},
                       {"panelist", "王红梅"}});
  ASSERT_TRUE(answered.ok()) << answered.reply.dump();
  auto ev = answered.to(Audience::everyone);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0]["op"], "mark_answered");
  EXPECT_EQ(ev[0]["question"]["answers"][0]["summary"], "物业三天内修好,街道督办");
  EXPECT_EQ(run(m, resident("2"), {{"op", "questions"}}).reply["questions"].size(), 1u);
}

TEST(ModerationOps, MergeRemovesThePublicDuplicateAndTellsItsAsker) {
  FakeClock clock;
  ForumModeration m(kForum, deps(clock));
  int64_t a = run(m, resident("1"), {{"op", "ask"}, {"text", "广场的地砖下雨天特别滑"}})
                  .reply["question"]["id"];
  int64_t b = run(m, resident("2"), {{"op", "ask"}, {"text", "广场地砖太滑了,能换防滑的吗?"}})
                  .reply["question"]["id"];
  run(m, kModerator, {{"op", "approve"}, {"id", a}});
  run(m, kModerator, {{"op", "approve"}, {"id", b}});
  run(m, resident("3"), {{"op", "vote"}, {"id", a}});
  auto merged = run(m, kModerator, {{"op", "merge"}, {"id", a}, {"into", b}});
  ASSERT_TRUE(merged.ok()) << merged.reply.dump();
  auto everyone = merged.to(Audience::everyone);
  ASSERT_EQ(everyone.size(), 2u);
  EXPECT_EQ(everyone[0]["ev"], "question_removed");
  EXPECT_EQ(everyone[0]["merged_into"], b);
  EXPECT_EQ(everyone[1]["question"]["votes"], 1);
  EXPECT_EQ(everyone[1]["question"]["co_signers"].size(), 1u);
  auto told = merged.to(Audience::device, "devhash-1");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0]["question"]["state"], "merged");
}

TEST(ModerationOps, QuestionsBelongToTheCurrentAgendaItemAndModeratorsMoveThem) {
  FakeClock clock;
  ModerationDeps d = deps(clock);
  auto agenda = std::make_shared<AgendaView>(AgendaView{{11, 12}, 11});
  d.agenda = [agenda]() -> Result<AgendaView> { return *agenda; };
  ForumModeration m(kForum, std::move(d));
  const OpCaller asker = resident("1");
  // No item given: the one under discussion; a follow-up goes with its question.
  auto asked = run(m, asker, {{"op", "ask"}, {"text", "广场改造什么时候开工?"}});
  ASSERT_TRUE(asked.ok()) << asked.reply.dump();
  int64_t id = asked.reply["question"]["id"];
  EXPECT_EQ(asked.reply["question"]["agenda_item"], 11);
  EXPECT_EQ(asked.to(Audience::staff)[0]["question"]["agenda_item"], 11);
  agenda->current.reset();
  EXPECT_TRUE(run(m, asker, {{"op", "ask"}, {"text", "没有议程项的问题"}})
                  .reply["question"]["agenda_item"]
                  .is_null());
  EXPECT_EQ(run(m, asker, {{"op", "ask"}, {"text", "停车费怎么算?"}, {"agenda_item", 12}})
                .reply["question"]["agenda_item"],
            12);
  // An item that is not on this forum's agenda, or not a number: refused, nothing kept.
  EXPECT_EQ(run(m, asker, {{"op", "ask"}, {"text", "别的论坛的议程"}, {"agenda_item", 99}}).code(),
            "unknown_agenda_item");
  EXPECT_EQ(run(m, asker, {{"op", "ask"}, {"text", "议程"}, {"agenda_item", "12"}}).code(),
            "bad_request");
  EXPECT_EQ(m.machine().size(), 3u);
  ASSERT_TRUE(run(m, kModerator, {{"op", "approve"}, {"id", id}}).ok());
  auto follow = run(m, asker, {{"op", "follow_up"}, {"parent", id}, {"text", "工期多久?"}});
  EXPECT_EQ(follow.reply["question"]["agenda_item"], 11) << follow.reply.dump();

  // The moderator moves the (public) question: staff and everyone hear of it.
  auto moved = run(m, kModerator, {{"op", "set_agenda_item"}, {"id", id}, {"item", 12}});
  ASSERT_TRUE(moved.ok()) << moved.reply.dump();
  EXPECT_EQ(moved.reply["question"]["agenda_item"], 12);
  ASSERT_EQ(moved.to(Audience::staff).size(), 1u);
  EXPECT_EQ(moved.to(Audience::staff)[0]["op"], "set_agenda_item");
  ASSERT_EQ(moved.to(Audience::everyone).size(), 1u);
  EXPECT_EQ(moved.to(Audience::everyone)[0]["question"]["agenda_item"], 12);
  // A pending question: staff and its asker only; "question" names it as "id" does.
  int64_t pending =
      run(m, resident("2"), {{"op", "ask"}, {"text", "垃圾房搬到哪里?"}}).reply["question"]["id"];
  auto cleared =
      run(m, kOrganizer, {{"op", "set_agenda_item"}, {"question", pending}, {"item", nullptr}});
  ASSERT_TRUE(cleared.ok()) << cleared.reply.dump();
  EXPECT_TRUE(cleared.reply["question"]["agenda_item"].is_null());
  EXPECT_TRUE(cleared.to(Audience::everyone).empty());
  EXPECT_EQ(cleared.to(Audience::device, "devhash-2").size(), 1u);
  // Refusals change nothing and tell nobody.
  for (const auto& [who, req, want] : std::vector<std::tuple<OpCaller, json, std::string>>{
           {asker, {{"op", "set_agenda_item"}, {"id", id}, {"item", 11}}, "forbidden"},
           {kPanelist, {{"op", "set_agenda_item"}, {"id", id}, {"item", 11}}, "forbidden"},
           {kModerator,
            {{"op", "set_agenda_item"}, {"id", id}, {"item", 99}},
            "unknown_agenda_item"},
           {kModerator, {{"op", "set_agenda_item"}, {"id", id}}, "bad_request"},
           {kModerator, {{"op", "set_agenda_item"}, {"id", id}, {"item", "11"}}, "bad_request"},
           {kModerator, {{"op", "set_agenda_item"}, {"id", 9999}, {"item", 11}}, "not_found"},
           {kModerator, {{"op", "set_agenda_item"}, {"item", 11}}, "bad_request"}}) {
    auto o = run(m, who, req);
    EXPECT_EQ(o.code(), want) << req.dump();
    EXPECT_TRUE(o.events.empty());
  }
  EXPECT_EQ(m.machine().find(id)->agenda_item, 12);
}

TEST(ModerationOps, HeldCommentGoesToStaffOnlyAndIsPublishedWhenApproved) {
  FakeClock clock;
  ForumModeration m(kForum, deps(clock));
  ASSERT_TRUE(
      run(m, kOrganizer, {{"op", "set_terms"}, {"terms", {{{"term", "骗子"}, {"action", "hold"}}}}})
          .ok());
  auto held = m.check_comment(resident("1"), "物业就是骗 子");
  EXPECT_EQ(held.verdict, moderation::CommentVerdict::hold);
  ASSERT_EQ(held.events.size(), 1u);
  EXPECT_EQ(held.events[0].to, Audience::staff);
  json ev = json::parse(held.events[0].json);
  EXPECT_EQ(ev["ev"], "held_comment");
  EXPECT_EQ(ev["comment"]["matches"][0]["term"], "骗子");
  EXPECT_EQ(m.check_comment(resident("2"), "广场改造支持!").verdict,
            moderation::CommentVerdict::deliver);

  auto list = run(m, kModerator, {{"op", "held_comments"}});
  ASSERT_EQ(list.reply["held"].size(), 1u);
  auto approved = run(m, kModerator, {{"op", "approve_comment"}, {"id", held.held_id}});
  ASSERT_TRUE(approved.ok());
  ASSERT_TRUE(approved.raw.publish.has_value());
  EXPECT_EQ(approved.raw.publish->text, "物业就是骗 子");
  EXPECT_EQ(approved.raw.publish->device_hash, "devhash-1");
  EXPECT_TRUE(approved.to(Audience::everyone).empty());
  EXPECT_EQ(run(m, kModerator, {{"op", "approve_comment"}, {"id", held.held_id}}).code(),
            "not_found");
}

TEST(ModerationOps, SlowModeRefusesWithRetryAfterAndSettingsAreBroadcast) {
  FakeClock clock;
  ForumModeration m(kForum, deps(clock));
  auto set = run(m, kModerator, {{"op", "set_settings"}, {"settings", {{"slow_mode_ms", 10'000}}}});
  ASSERT_TRUE(set.ok()) << set.reply.dump();
  EXPECT_EQ(set.to(Audience::everyone)[0]["settings"]["slow_mode_ms"], 10'000);
  EXPECT_EQ(m.check_comment(resident("1"), "第一条").verdict, moderation::CommentVerdict::deliver);
  auto early = m.check_comment(resident("1"), "第二条");
  EXPECT_EQ(early.verdict, moderation::CommentVerdict::refuse);
  EXPECT_EQ(early.error->code, "rate_limited");
  EXPECT_GT(early.retry_after_ms, 0);
  clock.advance(10'000);
  EXPECT_EQ(m.check_comment(resident("1"), "第二条").verdict, moderation::CommentVerdict::deliver);
  EXPECT_EQ(run(m, kModerator, {{"op", "set_settings"}, {"settings", {{"chat_delay_ms", 99'000}}}})
                .code(),
            "invalid_setting");
}

TEST(ModerationOps, ChatDelayHoldsCommentsUntilDueAndModeratorsCanDropThem) {
  FakeClock clock;
  ForumModeration m(kForum, deps(clock));
  ASSERT_TRUE(
      run(m, kModerator, {{"op", "set_settings"}, {"settings", {{"chat_delay_ms", 5'000}}}}).ok());
  auto first = m.check_comment(resident("1"), "视频慢几秒,评论也慢几秒");
  ASSERT_EQ(first.verdict, moderation::CommentVerdict::hold);
  EXPECT_EQ(first.deliver_after_ms, 5'000);
  ASSERT_EQ(first.events.size(), 1u);
  EXPECT_EQ(first.events[0].to, Audience::staff);
  EXPECT_EQ(json::parse(first.events[0].json)["comment"]["reason"], "delay");
  auto second = m.check_comment(resident("2"), "这条会被拦下");
  EXPECT_TRUE(m.release_due().empty());
  clock.advance(4'999);
  EXPECT_TRUE(m.release_due().empty());
  ASSERT_TRUE(run(m, kModerator, {{"op", "reject_comment"}, {"id", second.held_id}}).ok());
  clock.advance(1);
  auto due = m.release_due();
  ASSERT_EQ(due.size(), 1u);  // the rejected one never comes out
  ASSERT_TRUE(due[0].publish.has_value());
  EXPECT_EQ(due[0].publish->text, "视频慢几秒,评论也慢几秒");
  EXPECT_TRUE(m.release_due().empty());
  // Staff are never delayed.
  EXPECT_EQ(m.check_comment(kModerator, "主持人提示").verdict, moderation::CommentVerdict::deliver);
}

TEST(ModerationOps, DelayedCommentsAreNeverDroppedByTheHeldCap) {
  FakeClock clock;
  ModerationDeps d = deps(clock);
  d.max_held_comments = 3;
  ForumModeration m(kForum, std::move(d));
  ASSERT_TRUE(
      run(m, kModerator, {{"op", "set_settings"}, {"settings", {{"chat_delay_ms", 2'000}}}}).ok());
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(m.check_comment(resident("1"), "第" + std::to_string(i) + "条").verdict,
              moderation::CommentVerdict::hold);
  // Past 10 x the cap (30) nothing is released early either: all wait for the delay.
  EXPECT_TRUE(m.release_due().empty());
  clock.advance(2'000);
  auto due = m.release_due();
  ASSERT_EQ(due.size(), 20u);
  EXPECT_EQ(due.front().publish->text, "第0条");
  EXPECT_EQ(due.back().publish->text, "第19条");
}

TEST(ModerationOps, BeyondTenTimesTheCapDelayedCommentsGoOutEarlyNotLost) {
  FakeClock clock;
  ModerationDeps d = deps(clock);
  d.max_held_comments = 2;
  ForumModeration m(kForum, std::move(d));
  ASSERT_TRUE(
      run(m, kModerator, {{"op", "set_settings"}, {"settings", {{"chat_delay_ms", 30'000}}}}).ok());
  for (int i = 0; i < 25; ++i) (void)m.check_comment(resident("1"), "刷屏" + std::to_string(i));
  auto early = m.release_due();
  EXPECT_EQ(early.size(), 5u);  // 25 waiting, 20 allowed: the 5 oldest go now
  EXPECT_EQ(early.front().publish->text, "刷屏0");
  clock.advance(30'000);
  EXPECT_EQ(m.release_due().size(), 20u);
}

TEST(ModerationOps, HideUnhideAndBanByCommentSurviveANewName) {
  FakeClock clock;
  ForumModeration m(kForum, deps(clock));
  m.note_comment(41, "devhash-7", "127.0.0.7");
  m.note_comment(42, "devhash-7", "127.0.0.7");
  auto hid = run(m, kModerator, {{"op", "hide_comment"}, {"seq", 41}});
  ASSERT_TRUE(hid.ok());
  EXPECT_TRUE(m.is_hidden(41));
  EXPECT_EQ(hid.to(Audience::everyone)[0]["ev"], "comment_hidden");
  EXPECT_EQ(hid.raw.hidden_seqs, std::vector<int64_t>{41});
  EXPECT_TRUE(run(m, kModerator, {{"op", "unhide_comment"}, {"seq", 41}}).ok());
  EXPECT_FALSE(m.is_hidden(41));

  auto banned =
      run(m, kModerator,
          {{"op", "ban"}, {"seq", 42}, {"reason", "刷屏广告"}, {"remove_comments", true}});
  ASSERT_TRUE(banned.ok()) << banned.reply.dump();
  EXPECT_EQ(banned.to(Audience::staff)[0]["ev"], "ban");
  EXPECT_EQ(banned.raw.hidden_seqs.size(), 2u);
  EXPECT_TRUE(m.is_hidden(42));
  auto again = m.check_comment(resident("7", "换了个名字"), "我又来了");
  EXPECT_EQ(again.verdict, moderation::CommentVerdict::refuse);
  EXPECT_EQ(again.error->code, "banned");
  auto list = run(m, kModerator, {{"op", "bans"}});
  ASSERT_EQ(list.reply["bans"].size(), 1u);
  EXPECT_EQ(list.reply["bans"][0].dump().find("devhash"), std::string::npos);
  ASSERT_TRUE(run(m, kModerator, {{"op", "unban"}, {"id", list.reply["bans"][0]["id"]}}).ok());
  EXPECT_EQ(m.check_comment(resident("7"), "谢谢").verdict, moderation::CommentVerdict::deliver);
  EXPECT_EQ(run(m, kModerator, {{"op", "timeout"}, {"seq", 999}}).code(), "not_found");
}

class ModerationOpsStored : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/forumcast-modops-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    open();
    Forum f;
    f.id = kForum;
    f.title = "书记论坛 · 第四期";
    f.state = ForumState::live;
    f.stream_key = "q7v2m4k8s6d3f5h1j9l0p2r4t6w8y0z2";
    ASSERT_TRUE(store_->forums().create_forum(f).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void open() {
    store_.reset();
    auto s = open_sqlite_store({.path = dir_ + "/forumcast.db"});
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }
  ModerationDeps stored(const Clock& clock) {
    ModerationDeps d = deps(clock);
    d.questions = &store_->questions();
    d.votes = &store_->votes();
    d.bans = &store_->bans();
    d.settings = &store_->moderation_settings();
    d.terms = &store_->blocked_terms();
    return d;
  }
  std::string dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ModerationOpsStored, AForumComesBackAfterARestart) {
  FakeClock clock;
  int64_t id = 0;
  {
    ForumModeration m(kForum, stored(clock));
    ASSERT_TRUE(m.load().ok());
    id = run(m, resident("1"), {{"op", "ask"}, {"text", "改造方案什么时候公示?"}})
             .reply["question"]["id"];
    ASSERT_TRUE(run(m, kModerator, {{"op", "approve"}, {"id", id}}).ok());
    ASSERT_TRUE(run(m, resident("2"), {{"op", "vote"}, {"id", id}}).ok());
    ASSERT_TRUE(
        run(m, kModerator, {{"op", "set_settings"}, {"settings", {{"slow_mode_ms", 5'000}}}}).ok());
    ASSERT_TRUE(run(m, kOrganizer,
                    {{"op", "set_terms"}, {"terms", {{{"term", "骗子"}, {"action", "reject"}}}}})
                    .ok());
    m.note_comment(5, "devhash-9", "127.0.0.9");
    ASSERT_TRUE(run(m, kModerator, {{"op", "timeout"}, {"seq", 5}, {"duration_ms", 600'000}}).ok());
  }
  open();
  ForumModeration m(kForum, stored(clock));
  ASSERT_TRUE(m.load().ok());
  const auto* q = m.machine().find(id);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->state, moderation::QuestionState::approved);
  EXPECT_EQ(q->votes, 1);
  EXPECT_EQ(run(m, resident("2"), {{"op", "vote"}, {"id", id}}).code(), "already_voted");
  EXPECT_EQ(m.settings().slow_mode_ms, 5'000);
  EXPECT_EQ(m.check_comment(resident("9"), "你好").error->code, "timed_out");
  EXPECT_EQ(m.check_comment(resident("3"), "骗子").error->code, "blocked_term");
  // New questions continue after the stored ids.
  int64_t next =
      run(m, resident("1"), {{"op", "ask"}, {"text", "长椅能多放几张吗?"}}).reply["question"]["id"];
  EXPECT_GT(next, id);
  auto audit = store_->audit().list_audit(kForum, 50);
  ASSERT_TRUE(audit.ok());
  EXPECT_GE(audit->size(), 4u);  // approve, settings, terms, timeout
}

}  // namespace
}  // namespace forumcast::chat
