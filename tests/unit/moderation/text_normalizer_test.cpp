// tests/unit/moderation/text_normalizer_test.cpp: folding rules with the Chinese
// evasions of issue 4 and more (full width, case, traditional, separators, zero-width
// characters, emoji, diacritics), and the map back to original byte ranges.
#include <gtest/gtest.h>

#include "moderation_test_util.hpp"

namespace forumcast::moderation {
namespace {

using testing::shared_normalizer;

std::string fold(std::string_view s) {
  return shared_normalizer()->normalize_utf8(s);
}

TEST(moderation_text_normalizer, ChineseEvasionsFoldToTheSameText) {
  ASSERT_NE(shared_normalizer(), nullptr);
  EXPECT_EQ(fold("骗子"), "骗子");
  EXPECT_EQ(fold("騙子"), "骗子") << "traditional -> simplified";
  EXPECT_EQ(fold("骗 子"), "骗子") << "ASCII space";
  EXPECT_EQ(fold("骗　子"), "骗子") << "ideographic space U+3000";
  EXPECT_EQ(fold("骗*子"), "骗子");
  EXPECT_EQ(fold("骗＊子"), "骗子") << "full-width asterisk";
  EXPECT_EQ(fold("骗\u200b子"), "骗子") << "zero-width space";
  EXPECT_EQ(fold("骗\u200d\ufeff子"), "骗子") << "zero-width joiner, BOM";
  EXPECT_EQ(fold("骗😀子"), "骗子") << "emoji between characters";
  EXPECT_EQ(fold("骗👍🏻子"), "骗子") << "emoji with skin-tone modifier";
  EXPECT_EQ(fold("骗,。、!子"), "骗子") << "Chinese punctuation";
  EXPECT_EQ(fold("騙-_-子"), "骗子");
  EXPECT_EQ(fold("詐騙"), "诈骗");
  EXPECT_EQ(fold("發財"), "发财");
  EXPECT_EQ(fold("微信"), "微信") << "simplified text is unchanged";
}

TEST(moderation_text_normalizer, WidthCaseAndDiacritics) {
  EXPECT_EQ(fold("ＰＩＡＮ"), "pian") << "full-width Latin";
  EXPECT_EQ(fold("PiAn ZI"), "pianzi") << "mixed case, space";
  EXPECT_EQ(fold("piàn zǐ"), "pianzi") << "pinyin tone marks";
  EXPECT_EQ(fold("ｗｅｉ ｘｉｎ"), "weixin");
  EXPECT_EQ(fold("１３８００１３８０００"), "13800138000") << "full-width digits";
  EXPECT_EQ(fold("①③⑧"), "138") << "circled digits";
  EXPECT_EQ(fold("Straße"), "strasse") << "full case folding";
  EXPECT_EQ(fold("ｶﾞ"), "カ") << "half-width katakana, voiced mark dropped";
}

TEST(moderation_text_normalizer, DemoTextKeepsItsLettersAndDigits) {
  EXPECT_EQ(fold("3号楼楼道灯坏了一个多星期了,晚上上下楼很危险,找谁修?"),
            "3号楼楼道灯坏了一个多星期了晚上上下楼很危险找谁修");
  EXPECT_EQ(fold("Thanks for streaming this, I live in 桂香里 too"),
            "thanksforstreamingthisilivein桂香里too");
}

TEST(moderation_text_normalizer, PositionsPointBackToOriginalBytes) {
  std::string text = "你好,騙　子!";
  NormalizedText n;
  shared_normalizer()->normalize(text, n);
  ASSERT_EQ(n.chars, U"你好骗子");
  ASSERT_EQ(n.begin.size(), 4u);
  EXPECT_EQ(text.substr(n.begin[2], n.end[2] - n.begin[2]), "騙");
  EXPECT_EQ(text.substr(n.begin[3], n.end[3] - n.begin[3]), "子");
  EXPECT_EQ(text.substr(n.begin[2], n.end[3] - n.begin[2]), "騙　子");
}

TEST(moderation_text_normalizer, OneCharacterCanFoldToSeveral) {
  std::string text = "买㎏糖";  // U+338F SQUARE KG
  NormalizedText n;
  shared_normalizer()->normalize(text, n);
  ASSERT_EQ(n.chars, U"买kg糖");
  EXPECT_EQ(n.begin[1], n.begin[2]) << "both letters map to the one original character";
  EXPECT_EQ(text.substr(n.begin[1], n.end[2] - n.begin[1]), "㎏");
}

TEST(moderation_text_normalizer, MalformedBytesAreSkippedNotFatal) {
  EXPECT_EQ(fold("骗\xff\xfe子"), "骗子");
  EXPECT_EQ(fold(std::string("a\0b", 3)), "ab");
  EXPECT_EQ(fold(""), "");
}

TEST(moderation_text_normalizer, MissingOpenccConfigIsAnError) {
  auto r = TextNormalizer::create("/nonexistent/t2s.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "normalizer_unavailable");
}

}  // namespace
}  // namespace forumcast::moderation
