// End-to-end tests of every verb through the real binary (cli.md): exit codes 0/1/2, nothing written on 2,
// byte-identical output, and that `check` accepts what `build` writes.
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "cli_util.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

int CountFiles(const fs::path& dir, const std::string& needle) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().filename().string().find(needle) != std::string::npos) ++n;
  }
  return n;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    RunResult gen = RunCaisson("gen --accounts 60 --seed 11 --out books", dir_);
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
  }
  fs::path dir_;
};

TEST_F(Cli, CleanBooksValidateBuildAndCheckExitZero) {
  RunResult v = RunCaisson("validate books", dir_);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  RunResult b = RunCaisson("build books --out out --file-date 20261120", dir_);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(CountFiles(dir_ / "out", "_CAIS_000001.json.bz2"), 1);
  EXPECT_EQ(CountFiles(dir_ / "out", "_TIDS_000001.json.bz2"), 1);
  EXPECT_TRUE(fs::exists(dir_ / "out" / "manifest.json"));
  EXPECT_TRUE(fs::exists(dir_ / "out" / "findings.json"));
  RunResult c = RunCaisson("check out --config books/caisson.toml", dir_);
  EXPECT_EQ(c.exit_code, 0) << c.err;
}

TEST_F(Cli, BuildIsByteIdenticalAndNeverReusesABaseName) {
  // Identical books, config, file date and name register (cli.md): two copies, each with its own store.
  fs::copy(dir_ / "books", dir_ / "books2", fs::copy_options::recursive);
  ASSERT_EQ(RunCaisson("build books --out a --file-date 20261120", dir_).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books2 --out b --file-date 20261120", dir_).exit_code, 0);
  for (const auto& e : fs::directory_iterator(dir_ / "a")) {
    EXPECT_EQ(ReadAll(e.path()), ReadAll(dir_ / "b" / e.path().filename())) << e.path().filename();
  }
  // The register knows the names even where the folder does not: a full resend into another folder continues
  // the File Numbers [§5.1.1 R4].
  ASSERT_EQ(RunCaisson("build books --full --out c --file-date 20261120 --group X1", dir_).exit_code, 0);
  const int pairs = CountFiles(dir_ / "a", "_CAIS_");
  ASSERT_GE(pairs, 1);
  const std::string next = fmt::format("_{:06d}.json.bz2", pairs + 1);
  RunResult again = RunCaisson("build books --out c2 --file-date 20261120", dir_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(CountFiles(dir_ / "c2", "_CAIS" + next), 1) << again.err;
  EXPECT_EQ(CountFiles(dir_ / "c2", "_TIDS" + next), 1);
  EXPECT_EQ(CountFiles(dir_ / "c2", "_CAIS_000001"), 0);
  // Without the store, the folder alone still keeps a name from being reused.
  fs::remove(dir_ / "books2" / "caisson.db");
  ASSERT_EQ(RunCaisson("build books2 --out b --file-date 20261120", dir_).exit_code, 0);
  EXPECT_EQ(CountFiles(dir_ / "b", "_CAIS" + next), 1);
  EXPECT_EQ(CountFiles(dir_ / "b", "_TIDS" + next), 1);
}

TEST_F(Cli, FormatJsonPrintsTheFindingsDocument) {
  RunResult v = RunCaisson("validate books --format json", dir_);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("\"profile\": \"cais-2.2.0r4\""), std::string::npos) << v.out.substr(0, 300);
  EXPECT_NE(v.out.find("\"summary\""), std::string::npos);
  EXPECT_NE(v.out.find("\"findings\""), std::string::npos);
}

TEST_F(Cli, ShowPrintsADataFile) {
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261120", dir_).exit_code, 0);
  std::string name;
  for (const auto& e : fs::directory_iterator(dir_ / "out")) {
    if (e.path().filename().string().find("_CAIS_") != std::string::npos) name = e.path().filename().string();
  }
  RunResult s = RunCaisson("show out/" + name + " --max-records 1", dir_);
  EXPECT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find("\"version\": \"2.0.0\""), std::string::npos) << s.out.substr(0, 300);
}

TEST_F(Cli, SpecShowAndSchema) {
  RunResult s = RunCaisson("spec show", dir_);
  EXPECT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find("firmDesignatedID"), std::string::npos);
  RunResult j = RunCaisson("spec schema --out schema", dir_);
  EXPECT_EQ(j.exit_code, 0) << j.err;
  EXPECT_TRUE(fs::exists(dir_ / "schema" / "cais-2.2.0r4.data.schema.json"));
  EXPECT_TRUE(fs::exists(dir_ / "schema" / "cais-2.2.0r4.tid.schema.json"));
}

// Bad input: a clear message, exit 2, nothing written.
struct BadCase {
  const char* name;
  const char* setup;  // shell run in the test folder before `build`
  const char* args;
  const char* message;  // part of stderr
};

class BadInput : public Cli, public ::testing::WithParamInterface<BadCase> {};

TEST_P(BadInput, ExitsTwoAndWritesNothing) {
  const BadCase& c = GetParam();
  std::string setup = std::string("cd '") + dir_.string() + "' && " + c.setup;
  ASSERT_EQ(std::system(setup.c_str()), 0) << setup;
  RunResult r = RunCaisson(c.args, dir_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out")) << "something was written";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadInput,
    ::testing::Values(
        BadCase{"MissingFolder", "true", "build nowhere --config books/caisson.toml --out out", "nowhere"},
        BadCase{"MissingAccounts", "rm books/accounts.csv", "build books --out out", "accounts.csv"},
        BadCase{"MissingRequiredColumn", "sed -i '1s/fdid_date/opened/' books/accounts.csv", "build books --out out",
                "fdid_date"},
        BadCase{"UnterminatedQuote", "printf 'C-X,NATURAL_PERSON,\"unterminated\\n' >> books/customers.csv",
                "build books --out out", "customers.csv"},
        BadCase{"NotUtf8", "printf 'C-Y,NATURAL_PERSON,\\377\\376\\n' >> books/customers.csv",
                "build books --out out", "customers.csv"},
        BadCase{"BadToml", "printf '[firm\\n' > bad.toml", "build books --config bad.toml --out out", "bad.toml"},
        BadCase{"UnknownProfile", "true", "build books --profile nope --out out", "nope"},
        BadCase{"UnknownFlag", "true", "build books --out out --frobnicate", "frobnicate"},
        BadCase{"GroupCaisweb", "true", "build books --out out --group CaisWeb", "--group"},
        BadCase{"GroupWithUnderscore", "true", "build books --out out --group a_b", "--group"},
        BadCase{"FutureFileDate", "true", "build books --out out --file-date 29991231", "file-date"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST_F(Cli, CheckReportsATruncatedFileAndItsPartnerWithoutCrashing) {
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261120", dir_).exit_code, 0);
  std::string data;
  for (const auto& e : fs::directory_iterator(dir_ / "out")) {
    if (e.path().filename().string().find("_CAIS_") != std::string::npos) data = e.path().string();
  }
  fs::resize_file(data, fs::file_size(data) / 2);
  RunResult c = RunCaisson("check out --config books/caisson.toml --format json", dir_);
  EXPECT_EQ(c.exit_code, 1) << c.err;
  EXPECT_NE(c.out.find("\"cais_code\": \"21013\""), std::string::npos) << c.out.substr(0, 600);
  EXPECT_NE(c.out.find("\"cais_code\": \"21514\""), std::string::npos) << "the TID partner fails too";
}

TEST(CliHelp, HelpExitsZero) {
  fs::path dir = TempDir();
  RunResult r = RunCaisson("--help", dir);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("validate"), std::string::npos);
}

}  // namespace
}  // namespace caisson::testing
