// tests/unit/moderation/question_machine_test.cpp: the question state machine —
// every (state, operation) pair against an expected table written out here
// independently of moderation/question.cpp, plus asking, roles, on-air rules, edit,
// categorise/tag, history and audit entries, restore.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "moderation/errors.hpp"
#include "moderation/question_json.hpp"
#include "moderation_test_util.hpp"

namespace forumcast::moderation {
namespace {

using namespace testing;
using S = QuestionState;
using O = QuestionOp;
using nlohmann::json;

// The expected table (docs/moderation.md, "Transitions").
const std::map<std::pair<S, O>, S> kExpected = {
    {{S::pending, O::approve}, S::approved},       {{S::pending, O::reject}, S::rejected},
    {{S::pending, O::merge}, S::merged},           {{S::approved, O::reject}, S::rejected},
    {{S::approved, O::merge}, S::merged},          {{S::approved, O::put_on_air}, S::on_air},
    {{S::approved, O::back_to_queue}, S::pending}, {{S::rejected, O::back_to_queue}, S::pending},
    {{S::on_air, O::mark_answered}, S::answered},  {{S::on_air, O::back_to_queue}, S::approved},
    {{S::answered, O::put_on_air}, S::on_air},
};

class moderation_question_machine : public ::testing::Test {
 protected:
  FakeClock clock;
  std::optional<int64_t> stream_ms;
  std::unique_ptr<QuestionMachine> m = fresh();
  std::unique_ptr<QuestionMachine> fresh() {
    return std::make_unique<QuestionMachine>("k3m9q2xw7a", clock, ModerationSettings{},
                                             QuestionMachine::IdSource{},
                                             [this] { return stream_ms; });
  }

  int64_t ask(const std::string& text, const std::string& who = "1") {
    auto r = m->ask(resident(who), ask_req(text));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->questions.front().id : 0;
  }

  // A question in state s (and, for merged, the target it went into).
  int64_t make_in_state(S s) {
    int64_t id = ask(kDemoQuestions[0]);
    switch (s) {
      case S::pending:
        break;
      case S::approved:
        EXPECT_TRUE(m->approve(moderator(), id).ok());
        break;
      case S::rejected:
        EXPECT_TRUE(m->reject(moderator(), id, "off_topic").ok());
        break;
      case S::merged: {
        int64_t target = ask(kDemoQuestions[1], "2");
        EXPECT_TRUE(m->merge(moderator(), id, target).ok());
        break;
      }
      case S::on_air:
      case S::answered:
        EXPECT_TRUE(m->approve(moderator(), id).ok());
        EXPECT_TRUE(m->put_on_air(moderator(), id).ok());
        if (s == S::answered)
          EXPECT_TRUE(m->mark_answered(moderator(), id, "明年春天开工", "陈思远").ok());
        break;
    }
    EXPECT_EQ(m->find(id)->state, s);
    return id;
  }

  Result<QuestionChange> apply(O op, int64_t id) {
    switch (op) {
      case O::approve:
        return m->approve(moderator(), id);
      case O::reject:
        return m->reject(moderator(), id, "duplicate", "和#2重复");
      case O::merge: {
        int64_t target = ask(kDemoQuestions[2], "9");
        EXPECT_TRUE(m->approve(moderator(), target).ok());
        return m->merge(moderator(), id, target);
      }
      case O::put_on_air:
        return m->put_on_air(moderator(), id);
      case O::mark_answered:
        return m->mark_answered(moderator(), id, "已派人维修", "王红梅");
      case O::back_to_queue:
        return m->back_to_queue(moderator(), id);
    }
    return make_error("test", "unreachable");
  }
};

TEST(moderation_transition_table, EveryStatePairMatchesTheExpectedTable) {
  for (S from : kAllQuestionStates) {
    for (S to : kAllQuestionStates) {
      std::vector<O> want, got;
      for (O op : kAllStateOps) {
        auto it = kExpected.find({from, op});
        if (it != kExpected.end() && it->second == to) want.push_back(op);
        if (transition_target(from, op) == to) got.push_back(op);
      }
      EXPECT_EQ(got, want) << to_string(from) << " -> " << to_string(to);
    }
  }
}

TEST_F(moderation_question_machine, EveryOperationFromEveryStateIsAppliedOrRefused) {
  for (S from : kAllQuestionStates) {
    for (O op : kAllStateOps) {
      SCOPED_TRACE(std::string(to_string(op)) + " from " + std::string(to_string(from)));
      m = fresh();
      int64_t id = make_in_state(from);
      std::string before = to_json(*m->find(id));
      auto r = apply(op, id);
      auto expected = kExpected.find({from, op});
      if (expected == kExpected.end()) {
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, errc::illegal_transition);
        EXPECT_NE(r.error().message.find(std::string(to_string(from))), std::string::npos);
        EXPECT_EQ(to_json(*m->find(id)), before) << "a refused operation changed the record";
      } else {
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_EQ(m->find(id)->state, expected->second);
        EXPECT_EQ(r->questions.front().id, id);
        ASSERT_FALSE(r->history.empty());
        EXPECT_EQ(r->history.front().op, to_string(op));
        EXPECT_EQ(json::parse(r->history.front().before_json)["state"], to_string(from));
        EXPECT_EQ(json::parse(r->history.front().after_json)["state"], to_string(expected->second));
        EXPECT_EQ(r->history.front().actor, "mod_wang");
        ASSERT_FALSE(r->audit.empty());
        EXPECT_EQ(r->audit.front().action, "question." + std::string(to_string(op)));
        EXPECT_EQ(r->audit.front().target, "question:" + std::to_string(id));
      }
    }
  }
}

TEST_F(moderation_question_machine, ResidentAskStartsPendingAndOnlyTheAskerSeesIt) {
  auto r = m->ask(resident("1"), ask_req(kDemoQuestions[0]));
  ASSERT_TRUE(r.ok());
  const Question& q = r->questions.front();
  EXPECT_EQ(q.state, S::pending);
  EXPECT_EQ(q.source, QuestionSource::resident);
  EXPECT_EQ(q.asker_device_hash, "devhash-1");
  EXPECT_EQ(q.compound, "春晖苑一期");
  EXPECT_EQ(q.building, "3号楼");
  EXPECT_EQ(q.category, QuestionCategory::need);
  ASSERT_EQ(r->history.size(), 1u);
  EXPECT_EQ(r->history[0].op, "ask");
  EXPECT_EQ(r->history[0].before_json, "");
  EXPECT_TRUE(r->audit.empty()) << "residents' actions are not audited";
  EXPECT_TRUE(visible_to(q, resident("1")));
  EXPECT_FALSE(visible_to(q, resident("2")));
  EXPECT_FALSE(visible_to(q, panelist()));
  EXPECT_TRUE(visible_to(q, moderator()));
  ASSERT_TRUE(m->approve(moderator(), q.id).ok());
  EXPECT_TRUE(visible_to(*m->find(q.id), resident("2")));
  EXPECT_TRUE(visible_to(*m->find(q.id), panelist()));
}

TEST_F(moderation_question_machine, AskValidatesTextAndIntake) {
  EXPECT_EQ(m->ask(resident("1"), ask_req("   ")).error().code, errc::text_empty);
  EXPECT_EQ(m->ask(resident("1"), ask_req("\xff\xfe")).error().code, errc::invalid_utf8);
  std::string s500;
  for (int i = 0; i < 500; ++i) s500 += "问";
  EXPECT_TRUE(m->ask(resident("1"), ask_req(s500)).ok()) << "500 characters (1500 bytes) fit";
  EXPECT_EQ(m->ask(resident("1"), ask_req(s500 + "吗")).error().code, errc::too_long);
  EXPECT_EQ(m->ask(panelist(), ask_req(kDemoQuestions[0])).error().code, errc::forbidden);
  EXPECT_EQ(m->ask(Actor{Role::resident, "x", ""}, ask_req("无设备")).error().code,
            errc::forbidden);
  ModerationSettings s;
  s.intake_open = false;
  ASSERT_TRUE(m->update_settings(organizer(), s).ok());
  EXPECT_EQ(m->ask(resident("1"), ask_req(kDemoQuestions[1])).error().code, errc::intake_paused);
  EXPECT_TRUE(m->ask(moderator(), ask_req(kDemoQuestions[1])).ok()) << "studio entry still works";
}

TEST_F(moderation_question_machine, OfflineQuestionByModeratorIsApprovedWithSourceOffline) {
  AskRequest req = ask_req("老年人助餐点能不能增加一个?");
  req.display_name = "现场观众 刘大爷";
  auto r = m->ask(moderator(), req);
  ASSERT_TRUE(r.ok());
  const Question& q = r->questions.front();
  EXPECT_EQ(q.source, QuestionSource::offline);
  EXPECT_EQ(q.display_name, "现场观众 刘大爷");
  EXPECT_TRUE(q.asker_device_hash.empty());
  EXPECT_EQ(q.state, S::approved);
  ASSERT_EQ(r->history.size(), 2u);
  EXPECT_EQ(r->history[1].op, "approve");
  EXPECT_EQ(r->audit.size(), 2u);
}

TEST_F(moderation_question_machine, AutoApproveSettingApprovesAsSystem) {
  ModerationSettings s;
  s.questions_premoderated = false;
  ASSERT_TRUE(m->update_settings(moderator(), s).ok());
  auto r = m->ask(resident("1"), ask_req(kDemoQuestions[0]));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->questions.front().state, S::approved);
  ASSERT_EQ(r->history.size(), 2u);
  EXPECT_EQ(r->history[1].actor, "system");
  EXPECT_TRUE(r->audit.empty());
}

TEST_F(moderation_question_machine, ModeratorOperationsAreForbiddenToResidentsAndPanelists) {
  int64_t id = make_in_state(S::approved);
  int64_t other = ask(kDemoQuestions[1], "2");
  for (const Actor& a : {resident("1"), panelist()}) {
    EXPECT_EQ(m->approve(a, other).error().code, errc::forbidden);
    EXPECT_EQ(m->reject(a, other, "off_topic").error().code, errc::forbidden);
    EXPECT_EQ(m->edit(a, id, "改过的").error().code, errc::forbidden);
    EXPECT_EQ(m->merge(a, other, id).error().code, errc::forbidden);
    EXPECT_EQ(m->categorise(a, id, QuestionCategory::problem).error().code, errc::forbidden);
    EXPECT_EQ(m->set_tags(a, id, {"广场"}).error().code, errc::forbidden);
    EXPECT_EQ(m->set_agenda_item(a, id, 1).error().code, errc::forbidden);
    EXPECT_EQ(m->put_on_air(a, id).error().code, errc::forbidden);
    EXPECT_EQ(m->mark_answered(a, id, "x", "y").error().code, errc::forbidden);
    EXPECT_EQ(m->back_to_queue(a, id).error().code, errc::forbidden);
    EXPECT_EQ(m->update_settings(a, {}).error().code, errc::forbidden);
  }
  EXPECT_EQ(m->find(other)->state, S::pending);
  EXPECT_EQ(m->approve(moderator(), 999).error().code, errc::not_found);
}

TEST_F(moderation_question_machine, OneQuestionOnAirAtATimeWithStreamTimes) {
  int64_t a = make_in_state(S::approved);
  int64_t b = ask(kDemoQuestions[3], "2");
  ASSERT_TRUE(m->approve(moderator(), b).ok());
  stream_ms = 120'000;
  ASSERT_TRUE(m->put_on_air(moderator(), a).ok());
  EXPECT_EQ(m->on_air_id(), a);
  auto refused = m->put_on_air(moderator(), b);
  EXPECT_EQ(refused.error().code, errc::already_on_air);
  EXPECT_NE(refused.error().message.find("#" + std::to_string(a)), std::string::npos);
  EXPECT_EQ(m->find(b)->state, S::approved);
  clock.advance(95'000);
  stream_ms = 215'000;
  auto ans = m->mark_answered(moderator(), a, "长椅会增加到二十张", "陈思远");
  ASSERT_TRUE(ans.ok());
  const Question& q = *m->find(a);
  ASSERT_EQ(q.on_air.size(), 1u);
  EXPECT_EQ(q.on_air[0].start_stream_ms, 120'000);
  EXPECT_EQ(q.on_air[0].end_stream_ms, 215'000);
  EXPECT_EQ(q.on_air[0].end_ms.value() - q.on_air[0].start_ms, 95'000);
  ASSERT_EQ(q.answers.size(), 1u);
  EXPECT_EQ(q.answers[0].summary, "长椅会增加到二十张");
  EXPECT_EQ(q.answers[0].panelist, "陈思远");
  EXPECT_EQ(q.answers[0].stream_ms, 215'000);
  EXPECT_EQ(ans->history[0].stream_ms, 215'000);
  EXPECT_FALSE(m->on_air_id());
  ASSERT_TRUE(m->put_on_air(moderator(), b).ok());
  ASSERT_TRUE(m->back_to_queue(moderator(), b).ok()) << "taken off air unanswered";
  EXPECT_EQ(m->find(b)->state, S::approved);
  EXPECT_TRUE(m->find(b)->on_air[0].end_ms.has_value());
  ASSERT_TRUE(m->put_on_air(moderator(), a).ok()) << "the panel comes back to an answered one";
  EXPECT_EQ(m->find(a)->on_air.size(), 2u);
}

TEST_F(moderation_question_machine, EditKeepsTheOriginalText) {
  int64_t id = ask("广场地砖太滑了。。。能换吗");
  ASSERT_TRUE(m->edit(moderator(), id, "广场地砖太滑,能换成防滑的吗?").ok());
  auto r = m->edit(moderator(), id, "广场地砖下雨天太滑,能换成防滑的吗?");
  ASSERT_TRUE(r.ok());
  const Question& q = *m->find(id);
  EXPECT_EQ(q.text, "广场地砖下雨天太滑,能换成防滑的吗?");
  EXPECT_EQ(q.original_text, "广场地砖太滑了。。。能换吗");
  EXPECT_EQ(json::parse(r->history[0].before_json)["text"], "广场地砖太滑,能换成防滑的吗?");
  EXPECT_EQ(r->audit[0].action, "question.edit");
  EXPECT_EQ(m->edit(moderator(), id, " ").error().code, errc::text_empty);
  EXPECT_TRUE(m->edit(moderator(), id, q.text)->history.empty()) << "no change, no history";
  EXPECT_EQ(m->edit(moderator(), make_in_state(S::rejected), "x").error().code,
            errc::illegal_transition);
}

TEST_F(moderation_question_machine, RejectNeedsAListedReasonAndUndoClearsIt) {
  int64_t id = ask(kDemoQuestions[2]);
  EXPECT_EQ(m->reject(moderator(), id, "不喜欢").error().code, errc::invalid_reason);
  ASSERT_TRUE(m->reject(moderator(), id, "duplicate", "和上一个问题相同").ok());
  EXPECT_EQ(m->find(id)->reject_reason, "duplicate");
  EXPECT_EQ(m->find(id)->reject_text, "和上一个问题相同");
  ASSERT_TRUE(m->back_to_queue(moderator(), id).ok());
  EXPECT_EQ(m->find(id)->state, S::pending);
  EXPECT_EQ(m->find(id)->reject_reason, "");
}

TEST_F(moderation_question_machine, CategoriseTagAndAgendaItem) {
  int64_t id = ask(kDemoQuestions[4]);
  ASSERT_TRUE(m->categorise(moderator(), id, QuestionCategory::problem).ok());
  EXPECT_EQ(m->find(id)->category, QuestionCategory::problem);
  ASSERT_TRUE(m->set_tags(moderator(), id, {"电梯", "安全", "电梯"}).ok());
  EXPECT_EQ(m->find(id)->tags, (std::vector<std::string>{"电梯", "安全"}));
  EXPECT_EQ(m->set_tags(moderator(), id, {""}).error().code, errc::invalid_tag);
  EXPECT_EQ(m->set_tags(moderator(), id, {std::string(21, 'x')}).error().code, errc::invalid_tag);
  EXPECT_EQ(
      m->set_tags(moderator(), id, {"1", "2", "3", "4", "5", "6", "7", "8", "9"}).error().code,
      errc::invalid_tag);
  ASSERT_TRUE(m->set_agenda_item(moderator(), id, 1).ok());
  EXPECT_EQ(m->find(id)->agenda_item, 1);
  auto r = m->categorise(moderator(), id, std::nullopt);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::parse(r->history[0].after_json)["category"], nullptr);
  int64_t merged = make_in_state(S::merged);
  EXPECT_EQ(m->categorise(moderator(), merged, QuestionCategory::need).error().code,
            errc::illegal_transition);
}

TEST_F(moderation_question_machine, EveryChangeStampsWallAndStreamTime) {
  stream_ms = 5'000;
  int64_t id = ask(kDemoQuestions[0]);
  EXPECT_EQ(m->find(id)->created_stream_ms, 5'000);
  clock.advance(1'000);
  stream_ms = 6'000;
  ASSERT_TRUE(m->approve(moderator(), id).ok());
  EXPECT_EQ(m->find(id)->updated_ms, m->find(id)->created_ms + 1'000);
  EXPECT_EQ(m->find(id)->updated_stream_ms, 6'000);
}

TEST_F(moderation_question_machine, RestoreBringsBackVotesAndTheOnAirQuestion) {
  Question q;
  q.id = 41;
  q.forum_id = "k3m9q2xw7a";
  q.text = kDemoQuestions[0];
  q.state = S::on_air;
  ASSERT_TRUE(m->restore(q, {"d1", "d2"}).ok());
  EXPECT_EQ(m->find(41)->votes, 2);
  EXPECT_EQ(m->on_air_id(), 41);
  q.id = 42;
  EXPECT_EQ(m->restore(q, {}).error().code, errc::already_on_air);
  EXPECT_FALSE(m->restore(Question{.id = 41}, {}).ok());
  EXPECT_EQ(ask(kDemoQuestions[1]), 42) << "new ids continue after restored ones";
}

TEST_F(moderation_question_machine, PendingQueueOrders) {
  int64_t a = ask(kDemoQuestions[0]);
  clock.advance(10);
  int64_t b = ask(kDemoQuestions[1], "2");
  auto oldest = m->pending_queue();
  auto newest = m->pending_queue(true);
  ASSERT_EQ(oldest.size(), 2u);
  EXPECT_EQ(oldest[0].id, a);
  EXPECT_EQ(newest[0].id, b);
  EXPECT_EQ(m->asked_by("devhash-2").size(), 1u);
}

}  // namespace
}  // namespace forumcast::moderation
