// The `command` transformer and its answer parser.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "fixture.h"
#include "identity/identity.h"
#include "testutil.h"

namespace caisson::identity {
namespace {

using testing::World;

std::string Script(const std::filesystem::path& dir, const std::string& name, const std::string& body) {
  std::filesystem::path p = dir / name;
  std::ofstream(p) << "#!/bin/sh\n" << body;
  ::chmod(p.c_str(), 0755);
  return p.string();
}

const std::string kHexA(64, 'a');

TEST(ParseTransformerAnswer, Accepts) {
  std::vector<std::string> tids;
  std::string upper(64, 'F');
  ASSERT_OK(ParseTransformerAnswer(kHexA + "\n" + upper + "\r\n", 2, &tids));
  ASSERT_EQ(tids.size(), 2u);
  EXPECT_EQ(tids[0], kHexA);
  EXPECT_EQ(tids[1], std::string(64, 'f'));
  ASSERT_OK(ParseTransformerAnswer(kHexA, 1, &tids));  // last newline optional
  ASSERT_OK(ParseTransformerAnswer("", 0, &tids));
  EXPECT_TRUE(tids.empty());
}

TEST(ParseTransformerAnswer, Rejects) {
  std::vector<std::string> tids;
  EXPECT_EQ(ParseTransformerAnswer(kHexA + "\n", 2, &tids).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseTransformerAnswer(kHexA + "\n" + kHexA + "\n", 1, &tids).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseTransformerAnswer(std::string(63, 'a') + "\n", 1, &tids).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseTransformerAnswer(std::string(63, 'a') + "g\n", 1, &tids).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseTransformerAnswer(kHexA + "\n\n", 1, &tids).code(), Status::Code::kInvalidArgument);
  Status s = ParseTransformerAnswer(kHexA + "\nzz\n", 2, &tids);
  EXPECT_NE(s.message().find("line 2"), std::string::npos) << s.ToString();
}

// A transformer equal to cat-sha256: hashes the third tab-separated column of each line.
constexpr char kShaBody[] =
    "while IFS='\t' read -r t f v; do printf '%s' \"$v\" | sha256sum | cut -c1-64 | tr a-f A-F; done\n";

TEST(CommandTransformer, MatchesBuiltIn) {
  auto dir = caisson::testing::TempDir();
  Options o;
  o.transformer = "command";
  o.command = {Script(dir, "tx.sh", kShaBody)};
  World w;
  w.Id(w.Np("A"), "SSN", "987654320");
  w.Id(w.Le("B"), "EIN", "12 3456789");
  w.Id(w.Np("C"), "PASSPORT", "p-77 x", "FR");
  w.Np("D");  // no identifier: not sent
  ASSERT_OK(w.Run(o));
  EXPECT_EQ(w.books.customers[0].tid->tid_value, Sha256Hex("987-65-4320"));
  EXPECT_EQ(w.books.customers[1].tid->tid_value, Sha256Hex("12-3456789"));
  EXPECT_EQ(*w.books.customers[1].tid->tid_value, Sha256Hex(*w.books.customers[1].ein));
  EXPECT_EQ(w.books.customers[2].tid->tid_value, Sha256Hex("p77x"));
  EXPECT_FALSE(w.books.customers[3].tid.has_value());
}

TEST(CommandTransformer, SeesTheProtocolLines) {
  auto dir = caisson::testing::TempDir();
  std::string log = (dir / "in.txt").string();
  Options o;
  o.transformer = "command";
  o.command = {Script(dir, "tx.sh", "tee '" + log + "' | while read -r l; do echo " + kHexA + "; done\n")};
  World w;
  w.Id(w.Np("A"), "SSN", "987-65-4320");
  w.Id(w.Np("B"), "PASSPORT", "P1", "FR");
  ASSERT_OK(w.Run(o));
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "SSN/ITIN\t-\t987-65-4320\nFOREIGN\tPASSPORT\tP1\n");
}

TEST(CommandTransformer, LargeInputDoesNotDeadlock) {
  auto dir = caisson::testing::TempDir();
  Options o;
  o.transformer = "command";
  // awk answers line by line without reading everything first: both pipes fill up at once.
  o.command = {"awk", "{ print \"" + kHexA + "\"; fflush() }"};
  World w;
  for (int i = 0; i < 20000; ++i) w.Id(w.Np("C" + std::to_string(i)), "OTHGOVT", "ID" + std::to_string(i), "FR");
  ASSERT_OK(w.Run(o));
  EXPECT_EQ(w.books.customers[19999].tid->tid_value, kHexA);
}

TEST(CommandTransformer, Failures) {
  auto dir = caisson::testing::TempDir();
  struct Case {
    std::string body;
    Status::Code code;
  } cases[] = {
      {"cat >/dev/null; echo " + kHexA + "; exit 3\n", Status::Code::kIOError},
      {"cat >/dev/null; echo " + kHexA + "\n", Status::Code::kInvalidArgument},  // short
      {"cat >/dev/null; echo nothex; echo nothex\n", Status::Code::kInvalidArgument},
      // Reads nothing, answers nothing: IOError when the input write hits the closed pipe, InvalidArgument
      // when the input fitted in the pipe buffer first (a race); kOk here means "any failure".
      {"exit 0\n", Status::Code::kOk},
  };
  int n = 0;
  for (const Case& c : cases) {
    Options o;
    o.transformer = "command";
    o.command = {Script(dir, "tx" + std::to_string(n++) + ".sh", c.body)};
    World w;
    w.Id(w.Np("A"), "SSN", "987-65-4320");
    w.Id(w.Np("B"), "SSN", "987-65-4321");
    Status s = w.Run(o);
    EXPECT_FALSE(s.ok()) << c.body;
    if (c.code != Status::Code::kOk) {
      EXPECT_EQ(s.code(), c.code) << c.body << s.ToString();
    }
    EXPECT_TRUE(w.sensitive.identifiers.empty());
  }
  Options missing;
  missing.transformer = "command";
  missing.command = {(dir / "no-such-program").string()};
  World w;
  w.Id(w.Np("A"), "SSN", "987-65-4320");
  EXPECT_EQ(w.Run(missing).code(), Status::Code::kIOError);
}

}  // namespace
}  // namespace caisson::identity
