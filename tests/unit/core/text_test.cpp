// Unit tests for core/text: validation, counting characters not bytes, cleaning.
#include "core/text.hpp"

#include <gtest/gtest.h>

using namespace forumcast;

TEST(Text, ValidatesUtf8) {
  EXPECT_TRUE(is_valid_utf8("中心广场改造"));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_FALSE(is_valid_utf8("\xff\xfe"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(is_valid_utf8("\xe4\xb8"));      // truncated
}

TEST(Text, CountsCharactersNotBytes) {
  EXPECT_EQ(count_chars("楼道灯坏了"), 5u);
  EXPECT_EQ(count_chars("abc"), 3u);
  EXPECT_EQ(count_chars("😀"), 1u);
}

TEST(Text, CleanNormalisesToNfcAndStripsControls) {
  // "e" + combining acute becomes U+00E9.
  EXPECT_EQ(*clean_text("caf\x65\xcc\x81"), "caf\xc3\xa9");
  EXPECT_EQ(*clean_text("  你好\x07世界\n "), "你好世界");
  EXPECT_EQ(*clean_text("a\nb"), "a b");
  EXPECT_EQ(*clean_text("a\nb", true), "a\nb");
  EXPECT_EQ(*clean_text("\xe3\x80\x80全角空格\xe3\x80\x80"), "全角空格");
  EXPECT_FALSE(clean_text("\xff").has_value());
}
