#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fix/fix.h"
#include "fix/fix_testutil.h"

namespace caisson::fix {
namespace {

using testing::Fix;

TEST(FixParse, SohAndPipeMessagesVerify) {
  const std::string body = "35=D|49=CLI1|56=FIRM|34=2|11=C1|55=XYZ";
  for (char sep : {'\x01', '|'}) {
    Message m;
    std::vector<Finding> findings;
    const std::string line = Fix(body, sep);  // the message views into it
    ASSERT_TRUE(ParseLine(line, "log", 7, &m, &findings)) << (findings.empty() ? "" : findings[0].message) << " sep " << int(sep);
    EXPECT_TRUE(findings.empty());
    EXPECT_EQ(m.Get(35), "D");
    EXPECT_EQ(m.Get(11), "C1");
    EXPECT_EQ(m.Get(999), "");
    EXPECT_EQ(m.line, 7u);
  }
}

TEST(FixParse, LogPrefixBeforeBeginStringIsSkipped) {
  Message m;
  std::vector<Finding> findings;
  const std::string line = "2026-01-05 10:00:00.123 IN  " + Fix("35=0|49=A|56=B|34=1", '|', "FIX.4.2") + "\r";
  ASSERT_TRUE(ParseLine(line, "log", 1, &m, &findings));
  EXPECT_EQ(m.Get(8), "FIX.4.2");
}

TEST(FixParse, BadChecksumIsAFindingWithFileLineAndField) {
  std::string msg = Fix("35=D|49=CLI1|56=FIRM|11=C1");
  msg[msg.size() - 2] = msg[msg.size() - 2] == '0' ? '1' : '0';  // last checksum digit
  Message m;
  std::vector<Finding> findings;
  EXPECT_FALSE(ParseLine(msg, "day.log", 12, &m, &findings));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "fix.checksum");
  EXPECT_EQ(findings[0].file, "day.log");
  EXPECT_EQ(findings[0].line, 12u);
  EXPECT_EQ(findings[0].field, "10");
}

TEST(FixParse, BadBodyLengthIsAFinding) {
  std::string msg = Fix("35=D|49=CLI1|56=FIRM|11=C1");
  const size_t at = msg.find("9=") + 2;
  msg[at] = static_cast<char>(msg[at] + 1);  // 26 -> 36: the sum changes too, but 9 is checked first
  Message m;
  std::vector<Finding> findings;
  EXPECT_FALSE(ParseLine(msg, "log", 3, &m, &findings));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "fix.body_length");
  EXPECT_EQ(findings[0].field, "9");
}

TEST(FixParse, NotTagValueIsASyntaxFinding) {
  Message m;
  std::vector<Finding> findings;
  EXPECT_FALSE(ParseLine("8=FIX.4.4|9=5|garbage|10=000|", "log", 4, &m, &findings));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "fix.syntax");
  findings.clear();
  EXPECT_FALSE(ParseLine("hello world", "log", 5, &m, &findings));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].line, 5u);
  findings.clear();
  EXPECT_FALSE(ParseLine("   ", "log", 6, &m, &findings));
  EXPECT_FALSE(ParseLine("# comment", "log", 6, &m, &findings));
  EXPECT_TRUE(findings.empty());
}

TEST(FixParse, TruncatedMessageHasNoChecksum) {
  std::string msg = Fix("35=D|49=CLI1|56=FIRM|11=C1");
  msg.resize(msg.find("10="));
  Message m;
  std::vector<Finding> findings;
  EXPECT_FALSE(ParseLine(msg, "log", 1, &m, &findings));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "fix.checksum");
}

TEST(FixParse, CheckSumIsTheByteSumModulo256) {
  EXPECT_EQ(CheckSum("8=FIX.4.4\x01"), (56u + 61 + 70 + 73 + 88 + 46 + 52 + 46 + 52 + 1) % 256);
}

TEST(FixMap, ParsesTheTestMap) {
  Result<Map> m = ParseMap(testing::kMapToml, "map.toml");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->submitter_id, 12345u);
  EXPECT_EQ(m->reporter_imid, "FIRM");
  EXPECT_EQ(m->sessions.at("NSDQX").kind, Session::Kind::kExchange);
  EXPECT_EQ(m->sessions.at("NSDQX").session, "0042");
  EXPECT_EQ(m->accounts.at("ACC2").fdid, "FDIDA0002");
  EXPECT_TRUE(m->accounts.at("ACC2").institution);
}

TEST(FixMap, RejectsWhatItCannotUse) {
  EXPECT_FALSE(ParseMap("[firm]\nsubmitter_id = 1\n", "m").ok());  // no reporter_imid
  EXPECT_FALSE(ParseMap("[firm]\nsubmitter_id = 1\nreporter_imid = \"TOOLONGIMID\"\ncomp_ids=[\"F\"]\n", "m").ok());
  EXPECT_FALSE(ParseMap("[firm]\nsubmitter_id = 1\nreporter_imid = \"F\"\ncomp_ids=[\"F\"]\n"
                        "[sessions.X]\nkind = \"exchange\"\ndestination = \"NSDQ\"\nsender_imid = \"1:F\"\n",
                        "m").ok());  // exchange without session
  Result<Map> bad_account = ParseMap("[firm]\nsubmitter_id = 1\nreporter_imid = \"F\"\ncomp_ids=[\"F\"]\n"
                                     "[accounts.12345678]\nfdid = \"12345678\"\naccount_holder_type = \"I\"\n", "m");
  ASSERT_FALSE(bad_account.ok());
  EXPECT_EQ(bad_account.status().message().find("12345678"), std::string::npos);  // never echo the account
  EXPECT_FALSE(ParseMap("[firm\n", "m").ok());
}

}  // namespace
}  // namespace caisson::fix
