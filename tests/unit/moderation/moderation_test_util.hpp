// tests/unit/moderation/moderation_test_util.hpp: actors, demo texts (from
// /work/shared/demo-forum.json, the 书记论坛 demo) and a shared TextNormalizer for the
// moderation unit tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/clock.hpp"
#include "moderation/question_machine.hpp"
#include "moderation/text_normalizer.hpp"

namespace forumcast::moderation::testing {

inline Actor moderator() {
  return Actor{Role::moderator, "mod_wang", {}};
}
inline Actor organizer() {
  return Actor{Role::organizer, "org_li", {}};
}
inline Actor panelist() {
  return Actor{Role::panelist, "王红梅", {}};
}
inline Actor resident(const std::string& n) {
  return Actor{Role::resident, "居民" + n, "devhash-" + n};
}

inline const char* kDemoQuestions[] = {
    "中心广场荒废好几年了,改造以后能不能多放几张长椅?老人想坐下来聊聊天。",
    "广场的地砖下雨天特别滑,我妈上个月差点摔倒,改造时能换成防滑的吗?",
    "改造方案什么时候公示?我们想先看到图纸再提意见。",
    "3号楼楼道灯坏了一个多星期了,晚上上下楼很危险,找谁修?",
    "我们楼的电梯上个月困过人,维保单位多久来检查一次?",
    "顶楼漏水四年了,物业说要业委会同意,业委会说要物业出方案,到底谁管?",
};
inline const char* kDemoFollowUp = "如果换防滑砖,施工要多久?期间老人从哪里走?";

inline AskRequest ask_req(const std::string& text, const std::string& compound = "春晖苑一期") {
  AskRequest r;
  r.text = text;
  r.display_name = "张阿姨";
  r.compound = compound;
  r.building = "3号楼";
  r.category = QuestionCategory::need;
  return r;
}

// One normaliser per test binary: building its tables takes a moment.
inline std::shared_ptr<const TextNormalizer> shared_normalizer() {
  static std::shared_ptr<const TextNormalizer> n = [] {
    auto r = TextNormalizer::create();
    if (!r) ADD_FAILURE() << r.error().code << ": " << r.error().message;
    return r ? *r : nullptr;
  }();
  return n;
}

}  // namespace forumcast::moderation::testing
