#include "config/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "testutil.h"

namespace caisson::config {
namespace {

namespace fs = std::filesystem;

const char* kFull = R"([firm]
cat_reporter_crd = 123456
cat_submitter_id = 654321

[spec]
profile = "cais-2.2.0r4-pii-exempt"
as_of = "2026-11-22"

[tid]
transformer = "command"
command = ["/opt/firm/tid-transform", "--batch"]

[output]
group = "Desk7"
max_file_bytes = 7000000000
portal = true
compressor = "libbz2"

[state]
path = "state/caisson.db"
enforce_refresh = true

[rules]
"fdid.public_admin" = "report"
"input.column" = "off"
)";

TEST(Config, FullValidFile) {
  fs::path dir = testing::TempDir();
  std::ofstream(dir / "caisson.toml") << kFull;
  Result<Config> c = Load(dir / "caisson.toml");
  ASSERT_OK(c.status());
  EXPECT_EQ(c->path, dir / "caisson.toml");
  EXPECT_EQ(c->cat_reporter_crd, 123456);
  EXPECT_EQ(c->cat_submitter_id, 654321);
  EXPECT_EQ(c->profile, "cais-2.2.0r4-pii-exempt");
  EXPECT_EQ(c->as_of, "2026-11-22");
  EXPECT_EQ(c->transformer, "command");
  EXPECT_EQ(c->command, (std::vector<std::string>{"/opt/firm/tid-transform", "--batch"}));
  EXPECT_EQ(c->group, "Desk7");
  EXPECT_EQ(c->max_file_bytes, 7000000000);
  EXPECT_TRUE(c->portal);
  EXPECT_EQ(c->compressor, "libbz2");
  EXPECT_EQ(c->state_path, dir / "state" / "caisson.db");
  EXPECT_TRUE(c->enforce_refresh);
  EXPECT_TRUE(c->state_path.is_absolute());
  EXPECT_EQ(c->rules,
            (std::map<std::string, std::string>{{"fdid.public_admin", "report"}, {"input.column", "off"}}));
}

TEST(Config, DefaultsAndBareTomlDate) {
  Result<Config> c = Parse("[spec]\nas_of = 2026-01-05\n", "x/caisson.toml");
  ASSERT_OK(c.status());
  EXPECT_EQ(c->as_of, "2026-01-05");
  EXPECT_EQ(c->cat_reporter_crd, -1);
  EXPECT_EQ(c->profile, "cais-2.2.0r4");
  EXPECT_EQ(c->transformer, "cat-sha256");
  EXPECT_TRUE(c->command.empty());
  EXPECT_EQ(c->max_file_bytes, 1000000000);
  EXPECT_FALSE(c->portal);
  EXPECT_FALSE(c->enforce_refresh);
  EXPECT_EQ(c->compressor, "lbzip2");
  // No [state]: caisson.db next to caisson.toml.
  EXPECT_EQ(c->state_path, (fs::current_path() / "x" / "caisson.db").lexically_normal());
  Result<Config> empty = Parse("", "");
  ASSERT_OK(empty.status());
  EXPECT_EQ(empty->state_path, (fs::current_path() / "caisson.db").lexically_normal());
}

TEST(Config, LoadMissingIsNotFound) {
  Result<Config> c = Load(testing::TempDir() / "absent.toml");
  EXPECT_EQ(c.status().code(), Status::Code::kNotFound);
}

struct Bad {
  const char* toml;
  const char* message;  // exact, with origin "c.toml"
};

TEST(Config, EachBadCaseIsInvalidArgumentWithLineAndKey) {
  const Bad cases[] = {
      {"[firm]\ncat_reporter_crd = 1\nbogus = 2\n", "c.toml:3: firm.bogus: unknown key"},
      {"[colour]\nx = 1\n", "c.toml:1: [colour]: unknown section"},
      {"top = 1\n", "c.toml:1: top: unknown key (settings belong in a [section])"},
      {"[firm]\ncat_reporter_crd = \"123\"\n", "c.toml:2: firm.cat_reporter_crd: must be an integer"},
      {"[firm]\ncat_submitter_id = 0\n",
       "c.toml:2: firm.cat_submitter_id: must be between 1 and 9223372036854775807"},
      {"[spec]\nprofile = \"CAIS 2\"\n", "c.toml:2: spec.profile: must match [a-z0-9.-]+"},
      {"[spec]\nas_of = \"2026-02-30\"\n", "c.toml:2: spec.as_of: must be a date YYYY-MM-DD"},
      {"[tid]\ntransformer = \"md5\"\n", "c.toml:2: tid.transformer: must be \"cat-sha256\" or \"command\""},
      {"[tid]\ncommand = [\"/bin/x\"]\n",
       "c.toml:2: tid.command: only allowed with transformer = \"command\""},
      {"[tid]\ntransformer = \"command\"\n", "c.toml:2: tid.transformer: \"command\" requires tid.command"},
      {"[tid]\ntransformer = \"command\"\ncommand = []\n",
       "c.toml:3: tid.command: must be a non-empty array of strings"},
      {"[tid]\ntransformer = \"command\"\ncommand = [\"a\", 1]\n",
       "c.toml:3: tid.command: every element must be a non-empty string"},
      {"[output]\ngroup = \"caisWEB\"\n",
       "c.toml:2: output.group: must be 1 to 20 letters or digits and not \"caisweb\""},
      {"[output]\ngroup = \"a-b\"\n",
       "c.toml:2: output.group: must be 1 to 20 letters or digits and not \"caisweb\""},
      {"[output]\ngroup = \"abcdefghijklmnopqrstu\"\n",
       "c.toml:2: output.group: must be 1 to 20 letters or digits and not \"caisweb\""},
      {"[output]\nmax_file_bytes = 7000000001\n",
       "c.toml:2: output.max_file_bytes: must be between 1 and 7000000000"},
      {"[output]\nmax_file_bytes = 0\n", "c.toml:2: output.max_file_bytes: must be between 1 and 7000000000"},
      {"[output]\nportal = \"yes\"\n", "c.toml:2: output.portal: must be true or false"},
      {"[output]\ncompressor = \"gzip\"\n", "c.toml:2: output.compressor: must be \"lbzip2\" or \"libbz2\""},
      {"[output]\nportal = true\ncompressor = 9\n", "c.toml:3: output.compressor: must be a string"},
      {"[state]\npath = \"\"\n", "c.toml:2: state.path: must not be empty"},
      {"[state]\nenforce_refresh = 1\n", "c.toml:2: state.enforce_refresh: must be true or false"},
      {"[rules]\n\"fdid.public_admin\" = \"warn\"\n",
       "c.toml:2: rules.\"fdid.public_admin\": must be \"hold\", \"report\" or \"off\""},
      {"[output.extra]\nx = 1\n", "c.toml:1: output.extra: unknown key"},
  };
  for (const Bad& b : cases) {
    Result<Config> c = Parse(b.toml, "c.toml");
    EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument) << b.toml;
    EXPECT_EQ(c.status().message(), b.message) << b.toml;
  }
}

TEST(Config, BoundariesAccepted) {
  ASSERT_OK(Parse("[output]\nmax_file_bytes = 1\ngroup = \"abcdefghijklmnopqrst\"\n", "c.toml").status());
  ASSERT_OK(Parse("[output]\nmax_file_bytes = 7000000000\ngroup = \"CAIS\"\n", "c.toml").status());
}

TEST(Config, SyntaxErrorNamesLineAndColumn) {
  Result<Config> c = Parse("[firm]\ncat_reporter_crd = = 1\n", "c.toml");
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(c.status().message().rfind("c.toml:2:", 0), 0u) << c.status().message();
}

TEST(Config, ParseDate) {
  EXPECT_EQ(ParseDate("2024-02-29"), 20240229);
  EXPECT_EQ(ParseDate("20240229"), 20240229);
  EXPECT_EQ(ParseDate("2023-02-29"), -1);
  EXPECT_EQ(ParseDate("2024-13-01"), -1);
  EXPECT_EQ(ParseDate("2024-1-01"), -1);
  EXPECT_EQ(ParseDate("2024/01/01"), -1);
  EXPECT_EQ(ParseDate(""), -1);
  EXPECT_EQ(ParseDate("20240100"), -1);
}

TEST(Config, TodayNewYorkIsARealDate) {
  int32_t today = TodayNewYork();
  EXPECT_GE(today, 20240101);
  EXPECT_EQ(ParseDate(std::to_string(today)), today);
}

}  // namespace
}  // namespace caisson::config
