// `caisson certify` end to end: gen -> certify -> build -> certify -> accept (with rejections) -> delta ->
// accept -> certify, and the exit codes for bad input.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "cli/cli_util.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(CertifyCli, FromNothingSubmittedToReady) {
  const std::filesystem::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 20 --seed 3 --out books", dir).exit_code, 0);

  // Nothing submitted yet: not ready, and the check writes no store.
  RunResult before = RunCaisson("certify books", dir);
  EXPECT_EQ(before.exit_code, 1) << before.err;
  EXPECT_TRUE(Has(before.out, "rules from the CAT Industry Member CAIS Onboarding Guide v1.9 (8/2/2023)")) << before.out;
  EXPECT_TRUE(Has(before.out, "0 submitted of 20 FDIDs (all Industry Members reported for); 15 required; "
                              "CRD 990001: 0 of 17, CRD 990101: 0 of 1, CRD 990202: 0 of 2"))
      << before.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "books" / "caisson.db"));

  ASSERT_EQ(RunCaisson("build books --out out --file-date 20260302", dir).exit_code, 0);
  RunResult written = RunCaisson("certify books --format json", dir);
  EXPECT_EQ(written.exit_code, 1);
  EXPECT_TRUE(Has(written.out, "\"detail\": \"49 of 49 submitted records still without CAIS's answer")) << written.out;

  // CAIS rejects 8 of the 20 FDIDs: 8 of 49 records is 16.33 %, over the guide's 15 %.
  std::string rejects;
  for (int i = 1; i <= 8; ++i) rejects += " --reject-fdid FD0000000" + std::to_string(i);
  ASSERT_EQ(RunCaisson("accept 1 --config books/caisson.toml --date 20260303" + rejects, dir).exit_code, 0);
  RunResult rejected = RunCaisson("certify books --format json", dir);
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_TRUE(Has(rejected.out, "\"role\": \"agent\", \"ready\": false, \"population_fdids\": 20, "
                                "\"submitted_fdids\": 20, \"required_fdids\": 15, \"error_rate\": 0.1633"))
      << rejected.out;
  EXPECT_TRUE(Has(rejected.out, "{\"id\": \"error_rate\", \"section\": \"6.2 Step 4\", \"title\": \"Error rate 15% "
                                "or less (rejected / submitted records)\", \"outcome\": \"fail\", \"detail\": \"8 "
                                "rejected of 49 submitted records: 16.33%\"}"))
      << rejected.out;

  // The repaired FDIDs go out again and are accepted: ready, with both dates to quote.
  ASSERT_EQ(RunCaisson("build books --out out2 --delta --file-date 20260304", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("accept 2 --config books/caisson.toml --date 20260305", dir).exit_code, 0);
  RunResult ready = RunCaisson("certify books", dir);
  EXPECT_EQ(ready.exit_code, 0) << ready.out;
  EXPECT_TRUE(Has(ready.out, "  [PASS  ] 6.2 Step 4  Error rate 15% or less (rejected / submitted records)\n"
                             "           0 rejected of 49 submitted records: 0.00%\n"))
      << ready.out;
  EXPECT_TRUE(Has(ready.out, "quote: 2026-03-02, 2026-03-04")) << ready.out;
  EXPECT_TRUE(Has(ready.out, "Ready: every step Caisson can check passes")) << ready.out;

  // The same books declared self-reporting are judged under §6.1.
  RunResult self = RunCaisson("certify books --role self", dir);
  EXPECT_EQ(self.exit_code, 0);
  EXPECT_TRUE(Has(self.out, "[PASS  ] 6.1 Step 2  FDID records submitted")) << self.out;
}

TEST(CertifyCli, ViaAgentAndBadInput) {
  const std::filesystem::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 5 --seed 4 --out books", dir).exit_code, 0);
  RunResult unconfirmed = RunCaisson("certify books --role via-agent", dir);
  EXPECT_EQ(unconfirmed.exit_code, 1);
  EXPECT_TRUE(Has(unconfirmed.out, "[FAIL  ] 6.3 Step 3  Every CAT Reporting Agent of the firm has certified"))
      << unconfirmed.out;
  EXPECT_EQ(RunCaisson("certify books --role via-agent --agents-certified", dir).exit_code, 0);

  EXPECT_EQ(RunCaisson("certify books --role boss", dir).exit_code, 2);
  EXPECT_EQ(RunCaisson("certify", dir).exit_code, 2);
  RunResult missing = RunCaisson("certify no-such-books --config books/caisson.toml", dir);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(missing.out.empty()) << missing.out;
}

}  // namespace
}  // namespace caisson::testing
