// tests/unit/moderation/term_filter_test.cpp: blocked terms — every evasion of the
// issue matches, actions and the strongest one, masking (surrounding text intact,
// valid UTF-8), list validation, and swapping the list while another thread checks.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/text.hpp"
#include "moderation/errors.hpp"
#include "moderation/term_filter.hpp"
#include "moderation_test_util.hpp"

namespace forumcast::moderation {
namespace {

using testing::shared_normalizer;

class moderation_term_filter : public ::testing::Test {
 protected:
  TermFilter f{shared_normalizer()};
  void SetUp() override {
    // The demo forum's example list, plus a mask, a timeout and a traditional term.
    ASSERT_TRUE(f.set_terms({{"骗子", TermAction::hold},
                             {"广告", TermAction::hold},
                             {"加微信", TermAction::reject},
                             {"傻瓜", TermAction::mask},
                             {"詐騙", TermAction::timeout, 30 * 60'000},
                             {"pianzi", TermAction::hold}})
                    .ok());
  }
};

TEST_F(moderation_term_filter, EveryEvasionOfTheIssueMatches) {
  for (std::string text : {"他是骗子", "他是騙子", "他是骗 子", "他是骗　子", "他是骗*子",
                           "他是骗\u200b子", "他是骗😀子", "他是骗,子", "他是騙　子!!"}) {
    FilterResult r = f.check(text);
    ASSERT_EQ(r.matches.size(), 1u) << text;
    EXPECT_EQ(r.matches[0].term, "骗子");
    EXPECT_EQ(r.action, TermAction::hold) << text;
    EXPECT_EQ(text.substr(0, r.matches[0].begin), "他是") << "range starts at the term";
    EXPECT_EQ(r.masked_text, text) << "hold does not change the text";
  }
  for (std::string text : {"ＰＩＡＮＺＩ", "Pian Zi", "piàn-zǐ", "P i A n Z i"})
    EXPECT_EQ(f.check(text).action, TermAction::hold) << text;
}

TEST_F(moderation_term_filter, TraditionalTermsMatchSimplifiedTextAndBack) {
  FilterResult r = f.check("小心电信诈骗");
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].term, "詐騙");
  EXPECT_EQ(r.action, TermAction::timeout);
  EXPECT_EQ(r.timeout_ms, 30 * 60'000);
  EXPECT_EQ(f.check("小心電信詐騙").action, TermAction::timeout);
}

TEST_F(moderation_term_filter, NoMatchesInOrdinaryDemoComments) {
  for (const char* c : {"支持多放长椅!", "地砖确实滑,下雨天我都绕着走", "书记讲得很实在",
                        "租客也是居民,欢迎大家", "能不能每期论坛都直播?上班的人也能看",
                        "租客能不能加入楼组的微信群?我们也想知道小区的通知。", "骗", "子骗",
                        "Thanks for streaming this, I live in 桂香里 too"}) {
    FilterResult r = f.check(c);
    EXPECT_TRUE(r.matches.empty()) << c;
    EXPECT_EQ(r.action, TermAction::none);
    EXPECT_EQ(r.masked_text, c);
  }
}

TEST_F(moderation_term_filter, MaskReplacesOnlyTheMatchedCharacters) {
  FilterResult r = f.check("你才是傻瓜呢,别瞎说");
  EXPECT_EQ(r.action, TermAction::mask);
  EXPECT_EQ(r.masked_text, "你才是＊＊呢,别瞎说");
  r = f.check("傻 瓜!傻瓜");
  EXPECT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.masked_text, "＊＊＊!＊＊") << "a separator inside a match is masked too";
  r = f.check("Ａ傻\u200b瓜Ｂ");
  EXPECT_EQ(r.masked_text, "Ａ＊＊＊Ｂ");
  EXPECT_TRUE(is_valid_utf8(r.masked_text));
  EXPECT_EQ(count_chars(r.masked_text), count_chars("Ａ傻\u200b瓜Ｂ"));
}

TEST_F(moderation_term_filter, TheStrongestActionWinsAndAllMatchesAreReported) {
  FilterResult r = f.check("傻瓜,加微信买广告");
  ASSERT_EQ(r.matches.size(), 3u);
  EXPECT_EQ(r.matches[0].term, "傻瓜");
  EXPECT_EQ(r.matches[1].term, "加微信");
  EXPECT_EQ(r.matches[2].term, "广告");
  EXPECT_EQ(r.action, TermAction::reject);
  EXPECT_EQ(r.masked_text, "＊＊,加微信买广告");
}

TEST_F(moderation_term_filter, OverlappingTermsAreAllFound) {
  ASSERT_TRUE(
      f.set_terms(
           {{"微信", TermAction::mask}, {"加微信", TermAction::reject}, {"信号", TermAction::hold}})
          .ok());
  FilterResult r = f.check("加微信号");
  ASSERT_EQ(r.matches.size(), 3u);
  EXPECT_EQ(r.action, TermAction::reject);
  EXPECT_EQ(r.masked_text, "加＊＊号");
}

TEST_F(moderation_term_filter, TermsFoldingAlikeKeepTheStrongestAction) {
  ASSERT_TRUE(f.set_terms({{"骗子", TermAction::hold}, {"騙子", TermAction::reject}}).ok());
  FilterResult r = f.check("骗子");
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.action, TermAction::reject);
  EXPECT_EQ(f.terms().size(), 2u) << "the list as set is kept for editing";
}

TEST_F(moderation_term_filter, InvalidListsAreRefusedAndTheOldOneStays) {
  EXPECT_EQ(f.set_terms({{"***", TermAction::hold}}).error().code, errc::invalid_term);
  EXPECT_EQ(f.set_terms({{"  ", TermAction::hold}}).error().code, errc::invalid_term);
  EXPECT_EQ(f.set_terms({{"\xff", TermAction::hold}}).error().code, errc::invalid_term);
  EXPECT_EQ(f.set_terms({{std::string(33, 'a'), TermAction::hold}}).error().code,
            errc::invalid_term);
  EXPECT_EQ(f.set_terms({{"骗子", TermAction::none}}).error().code, errc::invalid_term);
  EXPECT_EQ(f.set_terms({{"骗子", TermAction::timeout, 0}}).error().code, errc::invalid_term);
  EXPECT_EQ(f.check("骗子").action, TermAction::hold);
  ASSERT_TRUE(f.set_terms({}).ok());
  EXPECT_TRUE(f.check("骗子").matches.empty());
}

TEST_F(moderation_term_filter, LatinTermsAndDigits) {
  ASSERT_TRUE(f.set_terms({{"vx123", TermAction::reject}, {"QQ群", TermAction::hold}}).ok());
  EXPECT_EQ(f.check("加ＶＸ１２３").action, TermAction::reject);
  EXPECT_EQ(f.check("加v x ①②③").action, TermAction::reject);
  EXPECT_EQ(f.check("进qq 群").action, TermAction::hold);
}

TEST_F(moderation_term_filter, ManyTermsOnePass) {
  std::vector<BlockedTerm> terms;
  for (int i = 0; i < 2000; ++i) terms.push_back({"词" + std::to_string(i), TermAction::hold});
  terms.push_back({"广场舞", TermAction::mask});
  ASSERT_TRUE(f.set_terms(terms).ok());
  FilterResult r = f.check("晚上的广场舞太吵,词1999和词7都在");
  ASSERT_EQ(r.matches.size(), 6u) << "广场舞, 词1, 词19, 词199, 词1999, 词7";
  EXPECT_EQ(r.masked_text, "晚上的＊＊＊太吵,词1999和词7都在");
}

TEST_F(moderation_term_filter, ReadersKeepWorkingWhileTheListIsSwapped) {
  std::atomic<bool> done{false};
  std::atomic<int> bad{0}, checks{0};
  std::thread reader([&] {
    while (!done.load()) {
      FilterResult r = f.check("你是骗子吗");
      // Either list A (hold) or list B (reject) is in force, never anything else.
      if (r.action != TermAction::hold && r.action != TermAction::reject) bad++;
      checks++;
    }
  });
  for (int i = 0; i < 200; ++i) {
    TermAction a = i % 2 ? TermAction::hold : TermAction::reject;
    ASSERT_TRUE(f.set_terms({{"骗子", a}, {"广告", TermAction::hold}}).ok());
  }
  // Make sure the reader ran while we were swapping (bounded wait, no sleep).
  for (int spins = 0; checks.load() < 10 && spins < 100'000'000; ++spins) std::this_thread::yield();
  done = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GE(checks.load(), 10);
}

}  // namespace
}  // namespace forumcast::moderation
