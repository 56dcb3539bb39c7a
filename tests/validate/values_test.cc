// Table 3 value checks (values.cc).
#include <gtest/gtest.h>

#include <string>

#include "validate/context.h"

namespace caisson::validate {
namespace {

TEST(Values, TextAllowsPrintableAsciiExceptDelimiters) {  // [Table 3 Text]
  EXPECT_TRUE(IsText("AB 12-x_~!#$%&'()*+./:;<=>?[\\]^`{}", 0));
  EXPECT_TRUE(IsText(" ", 1));
  for (const char* bad : {"a,b", "a|b", "a\"b", "a@b", "a\tb", "a\x7f" "b", "caf\xc3\xa9"}) {
    EXPECT_FALSE(IsText(bad, 0)) << bad;
  }
  EXPECT_FALSE(IsText("", 10));  // a string type needs at least one character
}

TEST(Values, TextLength) {
  EXPECT_TRUE(IsText("123456789012345", 15));
  EXPECT_FALSE(IsText("1234567890123456", 15));
  EXPECT_TRUE(IsText(std::string(500, 'x'), 0));  // no length in the profile: no limit
}

TEST(Values, ExtendedTextLatin1RangeAsUtf8) {  // [Table 3 Extended Text]
  EXPECT_TRUE(IsExtendedText("O'Brien, \"Jr\" @ 1|2", 0));  // delimiters of Text are allowed
  EXPECT_TRUE(IsExtendedText("Jos\xc3\xa9 M\xc3\xbcller", 0));   // é ü
  EXPECT_TRUE(IsExtendedText("\xc2\xa0\xc3\xbf", 0));            // U+00A0 and U+00FF, the range ends
  EXPECT_FALSE(IsExtendedText("\xc2\x9f", 0));                   // U+009F: 127-159 not printable
  EXPECT_FALSE(IsExtendedText("\x7f", 0));                       // DEL
  EXPECT_FALSE(IsExtendedText("\x1f", 0));
  EXPECT_FALSE(IsExtendedText("\xc4\x80", 0));                   // U+0100, beyond Latin-1
  EXPECT_FALSE(IsExtendedText("\xe2\x82\xac", 0));               // €
  EXPECT_FALSE(IsExtendedText("\xc3", 0));                       // truncated sequence
  EXPECT_FALSE(IsExtendedText("\xc1\xa9", 0));                   // overlong encoding
  EXPECT_FALSE(IsExtendedText("", 0));
}

TEST(Values, ExtendedTextCountsCharactersNotBytes) {
  std::string forty_accented;
  for (int i = 0; i < 40; ++i) forty_accented += "\xc3\xa9";
  EXPECT_TRUE(IsExtendedText(forty_accented, 40));  // 80 bytes, 40 characters
  EXPECT_FALSE(IsExtendedText(forty_accented + "a", 40));
}

TEST(Values, Alphanumeric) {  // [Table 3 Alphanumeric]
  EXPECT_TRUE(IsAlphanumeric("abcXYZ019", 9));
  EXPECT_FALSE(IsAlphanumeric("abcXYZ0190", 9));
  EXPECT_FALSE(IsAlphanumeric("ab-c", 0));
  EXPECT_FALSE(IsAlphanumeric("ab c", 0));
  EXPECT_FALSE(IsAlphanumeric("", 5));
}

TEST(Values, RealDate) {  // [Table 3 Date]
  EXPECT_TRUE(IsRealDate(20240229));   // leap year
  EXPECT_FALSE(IsRealDate(20230229));
  EXPECT_TRUE(IsRealDate(20000229));   // divisible by 400
  EXPECT_FALSE(IsRealDate(19000229));  // divisible by 100
  EXPECT_FALSE(IsRealDate(20241301));
  EXPECT_FALSE(IsRealDate(20240431));
  EXPECT_FALSE(IsRealDate(20240100));
  EXPECT_TRUE(IsRealDate(10000101));
  EXPECT_TRUE(IsRealDate(99991231));
  EXPECT_FALSE(IsRealDate(9991231));    // 7 digits
  EXPECT_FALSE(IsRealDate(100000101));  // 9 digits
  EXPECT_FALSE(IsRealDate(-20240101));
}

TEST(Values, Utf8Length) {
  EXPECT_EQ(Utf8Length(""), 0);
  EXPECT_EQ(Utf8Length("abc"), 3);
  EXPECT_EQ(Utf8Length("Jos\xc3\xa9"), 4);
  EXPECT_EQ(Utf8Length("\xe2\x82\xac\xf0\x9f\x98\x80"), 2);  // 3- and 4-byte sequences
}

}  // namespace
}  // namespace caisson::validate
