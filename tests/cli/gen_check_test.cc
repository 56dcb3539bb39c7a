// Property: `gen --defects --cais` -> `check` finds every planted defect a CAIS file can show (issue #6 "check
// finds every defect gen plants"): each one with its rule and code on its record, and every other reject is a
// cascade of one. On clean books the same files pass.
#include <filesystem>
#include <set>
#include <string>
#include <tuple>

#include <simdjson.h>

#include <gtest/gtest.h>

#include "cli_util.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;
using Key = std::tuple<std::string, std::string, std::string, std::string>;  // rule code file key

std::string Str(simdjson::simdjson_result<simdjson::dom::element> e) {
  std::string_view v;
  if (e.get(v) != simdjson::SUCCESS) return "";  // absent or null
  return std::string(v);
}

TEST(GenCheck, FindsEveryPlantedDefectTheFilesCanShow) {
  fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 500 --seed 5 --defects 0.3 --out books --cais cais", dir).exit_code, 0);
  RunResult c = RunCaisson("check cais --config books/caisson.toml --format json", dir);
  ASSERT_EQ(c.exit_code, 1) << c.err;

  simdjson::dom::parser parser, parser2;
  simdjson::dom::element actual_doc, expected_doc;
  ASSERT_EQ(parser.parse(c.out).get(actual_doc), simdjson::SUCCESS);
  const std::string expected_text = ReadAll(dir / "cais" / "expected-check-findings.json");
  ASSERT_EQ(parser2.parse(expected_text).get(expected_doc), simdjson::SUCCESS);

  std::set<Key> expected;
  std::set<std::pair<std::string, std::string>> planted_records;  // file key
  std::set<std::string> planted_rules;
  simdjson::dom::array expected_list, unseen_list, actual_list;
  ASSERT_EQ(expected_doc["findings"].get(expected_list), simdjson::SUCCESS);
  ASSERT_EQ(expected_doc["not_expected"].get(unseen_list), simdjson::SUCCESS);
  ASSERT_EQ(actual_doc["findings"].get(actual_list), simdjson::SUCCESS);
  for (simdjson::dom::element e : expected_list) {
    expected.emplace(Str(e["rule"]), Str(e["cais_code"]), Str(e["file"]), Str(e["key"]));
    planted_records.emplace(Str(e["file"]), Str(e["key"]));
    planted_rules.insert(Str(e["rule"]));
  }
  ASSERT_GT(expected.size(), 60u);
  ASSERT_GT(planted_rules.size(), 25u);  // the defects span the rule families, not one rule
  size_t unseen = 0;
  for (simdjson::dom::element e : unseen_list) {
    EXPECT_FALSE(Str(e["reason"]).empty());
    ++unseen;
  }
  EXPECT_LE(unseen, 3u);  // a new entry there needs a reason a reviewer accepts

  std::set<Key> actual;
  const std::set<std::string> cascades = {"fdid.customer_rejected", "customer.orphan", "customer.version_rejected"};
  for (simdjson::dom::element f : actual_list) {
    Key k{Str(f["rule"]), Str(f["cais_code"]), Str(f["file"]), Str(f["key"])};
    actual.insert(k);
    if (Str(f["severity"]) != "reject" || cascades.count(std::get<0>(k))) continue;
    EXPECT_TRUE(planted_records.count({std::get<2>(k), std::get<3>(k)}))
        << "a reject on a record without a planted defect: " << std::get<0>(k) << " " << std::get<1>(k) << " "
        << std::get<2>(k) << " " << std::get<3>(k);
  }
  for (const Key& k : expected) {
    EXPECT_TRUE(actual.count(k)) << "planted but not found by check: " << std::get<0>(k) << " " << std::get<1>(k)
                                 << " " << std::get<2>(k) << " " << std::get<3>(k);
  }
}

TEST(GenCheck, CleanBooksMakeFilesCheckPasses) {
  fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 300 --seed 9 --out books --cais cais", dir).exit_code, 0);
  const std::string expected = ReadAll(dir / "cais" / "expected-check-findings.json");
  EXPECT_NE(expected.find("\"findings\": []"), std::string::npos) << expected;
  RunResult c = RunCaisson("check cais --config books/caisson.toml", dir);
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.err.find("0 rejects"), std::string::npos) << c.err;
}

// `check` reads a pair in batches of records that share no key (CAISSON_CHECK_BATCH records; 0 = the pair at
// once): on generated files with defects in 30 % of the accounts, batches far smaller than a pair report the
// same findings document, summary line and exit status.
TEST(GenCheck, BatchesFindWhatTheWholePairFinds) {
  fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 2500 --seed 11 --defects 0.3 --out books --cais cais", dir).exit_code, 0);
  auto check = [&](const char* records) {
    setenv("CAISSON_CHECK_BATCH", records, 1);
    RunResult r = RunCaisson("check cais --config books/caisson.toml --format json", dir);
    unsetenv("CAISSON_CHECK_BATCH");
    return r;
  };
  const RunResult whole = check("0");
  ASSERT_EQ(whole.exit_code, 1) << whole.err;
  ASSERT_NE(whole.out.find("\"findings\""), std::string::npos);
  for (const char* records : {"1", "7", "300"}) {
    const RunResult batched = check(records);
    EXPECT_EQ(batched.exit_code, whole.exit_code) << records;
    EXPECT_EQ(batched.out, whole.out) << "batches of " << records;
    EXPECT_EQ(batched.err.substr(batched.err.rfind("caisson check:")), whole.err.substr(whole.err.rfind("caisson check:")));
  }
}

}  // namespace
}  // namespace caisson::testing
