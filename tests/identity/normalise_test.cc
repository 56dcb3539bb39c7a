// Sha256Hex, normalisation and validity of input identifiers [§3.4; §5.1 test vectors].

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "identity/identity.h"
#include "testutil.h"

namespace caisson::identity {
namespace {

TEST(Sha256Hex, SpecVectors) {
  // §5.1: the three hashes printed in the spec.
  EXPECT_EQ(Sha256Hex("999-99-9999"), "1438887c12c566c8f87325380e06517bfb2e46e4de7e07fc6f004ea5bb21945d");
  EXPECT_EQ(Sha256Hex("111-11-1111"), "4628ea314743d5ac373997763be3d39b86fc40c5d2015d2db345b0231e215b6c");
  EXPECT_EQ(Sha256Hex("000-00-0000"), "5fb0d784eb4b5277d787d9fef634cde3f1915fe4ae306d4a4c41db866565e7bd");
  EXPECT_EQ(Sha256Hex("123-45-6789"), "01a54629efb952287e554eb23ef69c52097a75aecc0e3a93ca0855ab6d7a31a0");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(NormaliseSsn, Shapes) {
  EXPECT_EQ(NormaliseSsn("987-65-4320"), "987-65-4320");
  EXPECT_EQ(NormaliseSsn("987654320"), "987-65-4320");
  EXPECT_EQ(NormaliseSsn("987 65 4320"), "987-65-4320");
  EXPECT_EQ(NormaliseSsn(" 987  65-4320 "), "987-65-4320");
  EXPECT_EQ(NormaliseSsn("98765-4320"), "");
  EXPECT_EQ(NormaliseSsn("987--65-4320"), "");
  EXPECT_EQ(NormaliseSsn("987-65-432"), "");
  EXPECT_EQ(NormaliseSsn("9876543201"), "");
  EXPECT_EQ(NormaliseSsn("987.65.4320"), "");
  EXPECT_EQ(NormaliseSsn("-987-65-4320"), "");
  EXPECT_EQ(NormaliseSsn("987-65-4320-"), "");
  EXPECT_EQ(NormaliseSsn("A87-65-4320"), "");
  EXPECT_EQ(NormaliseSsn(""), "");
}

TEST(NormaliseEin, Shapes) {
  EXPECT_EQ(NormaliseEin("12-3456789"), "12-3456789");
  EXPECT_EQ(NormaliseEin("123456789"), "12-3456789");
  EXPECT_EQ(NormaliseEin("12 3456789"), "12-3456789");
  EXPECT_EQ(NormaliseEin("123-45-6789"), "");
  EXPECT_EQ(NormaliseEin("12-345678"), "");
  EXPECT_EQ(NormaliseEin("12/3456789"), "");
}

TEST(NormaliseForeign, KeepsLettersDigitsAndNonAscii) {
  EXPECT_EQ(NormaliseForeign(" AB-12 34:cd;/ "), "AB1234cd");
  EXPECT_EQ(NormaliseForeign("--- ..."), "");
  EXPECT_EQ(NormaliseForeign("X\xC3\xA9-9"), "X\xC3\xA9" "9");
}

TEST(Normalise, IdempotentProperty) {
  std::mt19937 rng(testing::RandomSeed());
  const std::string alphabet = "0123456789-  abcXYZ.:;\xC3\xA9";
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    int n = static_cast<int>(rng() % 16);
    for (int k = 0; k < n; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    // Also a share of well-shaped SSN/EIN inputs, so the non-empty branch is exercised.
    if (i % 3 == 0) {
      s.clear();
      for (int k = 0; k < 9; ++k) s.push_back(static_cast<char>('0' + rng() % 10));
      if (i % 2 == 0) s.insert(3, "-").insert(6, " ");
    }
    std::string ssn = NormaliseSsn(s), ein = NormaliseEin(s), foreign = NormaliseForeign(s);
    EXPECT_EQ(NormaliseSsn(ssn), ssn) << i;
    EXPECT_EQ(NormaliseEin(ein), ein) << i;
    EXPECT_EQ(NormaliseForeign(foreign), foreign) << i;
  }
}

TEST(IsValidSsn, Section34Ranges) {
  EXPECT_TRUE(IsValidSsn("987-65-4320"));
  EXPECT_TRUE(IsValidSsn("900-70-0001"));  // 9xx (ITIN) areas are not excluded
  EXPECT_FALSE(IsValidSsn("000-65-4320"));
  EXPECT_FALSE(IsValidSsn("666-65-4320"));
  EXPECT_FALSE(IsValidSsn("987-00-4320"));
  EXPECT_FALSE(IsValidSsn("987-65-0000"));
  EXPECT_FALSE(IsValidSsn("123-45-6789"));
  EXPECT_FALSE(IsValidSsn("111-11-1111"));
  EXPECT_FALSE(IsValidSsn("333-33-3333"));
  // §3.4 rejects every one-digit value; §5.1.4 R6 lists fewer. The stricter §3.4 list applies.
  EXPECT_FALSE(IsValidSsn("222-22-2222"));
  EXPECT_FALSE(IsValidSsn("999-99-9999"));
  EXPECT_FALSE(IsValidSsn("987654320"));   // not formatted
  EXPECT_FALSE(IsValidSsn("987-65-432a"));
}

// Appends ISO 7064 MOD 97-10 check digits to an 18-character LEI body.
std::string WithCheckDigits(const std::string& body) {
  unsigned rem = 0;
  for (char c : body + "00") {
    unsigned v = c >= 'A' ? static_cast<unsigned>(c - 'A' + 10) : static_cast<unsigned>(c - '0');
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  unsigned check = 98 - rem;
  return body + static_cast<char>('0' + check / 10) + static_cast<char>('0' + check % 10);
}

TEST(IsValidLei, CheckDigits) {
  EXPECT_TRUE(IsValidLei("5493001KJTIIGC8Y1R12"));  // GLEIF's documentation example
  std::string lei = WithCheckDigits("9845003ABCDEFGH12Z");
  ASSERT_EQ(lei.size(), 20u);
  EXPECT_TRUE(IsValidLei(lei));
  std::string bad = lei;
  bad[19] = bad[19] == '9' ? '0' : static_cast<char>(bad[19] + 1);
  EXPECT_FALSE(IsValidLei(bad));
  std::string swapped = lei;
  std::swap(swapped[7], swapped[8]);  // "AB" -> "BA"
  EXPECT_FALSE(IsValidLei(swapped));
  EXPECT_FALSE(IsValidLei("5493001KJTIIGC8Y1R1"));
  EXPECT_FALSE(IsValidLei("5493001kjtiigc8y1r12"));
  EXPECT_FALSE(IsValidLei("5493001KJTIIGC8Y1R1-"));
}

}  // namespace
}  // namespace caisson::identity
