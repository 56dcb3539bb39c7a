// `caisson txn reconcile` end to end (issue #9): a generated firm is built and accepted, its generated order
// events carry planted FDID defects, and reconcile finds exactly those, with their codes, files and lines.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "cli_util.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

using Key = std::tuple<std::string, std::string, std::string, std::string, int64_t, std::string>;

// (rule, cais_code or "", key, file, line, field) of each object of `array`.
std::set<Key> Keys(simdjson::dom::array array) {
  std::set<Key> out;
  for (auto f : array) {
    std::string_view rule, key, file, field, code;
    int64_t line = 0;
    EXPECT_FALSE(f["rule"].get(rule));
    if (f["cais_code"].is_null()) {
      code = "";
    } else {
      EXPECT_FALSE(f["cais_code"].get(code));
    }
    EXPECT_FALSE(f["key"].get(key));
    EXPECT_FALSE(f["file"].get(file));
    EXPECT_FALSE(f["line"].get(line));
    EXPECT_FALSE(f["field"].get(field));
    out.emplace(rule, code, key, file, line, field);
  }
  return out;
}

class TxnCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    RunResult g = RunCaisson("gen --accounts 150 --seed 7 --out books", dir_);
    ASSERT_EQ(g.exit_code, 0) << g.err;
  }
  fs::path dir_;
};

TEST_F(TxnCli, ReconcileFindsExactlyThePlantedFdidDefects) {
  RunResult ev = RunCaisson("gen --events books --out events --seed 7 --defects 0.2", dir_);
  ASSERT_EQ(ev.exit_code, 0) << ev.err;
  // Same seed, same bytes.
  RunResult again = RunCaisson("gen --events books --out events2 --seed 7 --defects 0.2", dir_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  for (const auto& e : fs::directory_iterator(dir_ / "events")) {
    EXPECT_EQ(ReadAll(e.path()), ReadAll(dir_ / "events2" / e.path().filename())) << e.path();
  }

  simdjson::dom::parser parser;
  simdjson::dom::element expected;
  const std::string expected_text = ReadAll(dir_ / "events" / "expected-txn-findings.json");
  ASSERT_FALSE(parser.parse(expected_text).get(expected));
  std::string rejects;
  for (auto f : expected["reject_fdids"].get_array()) {
    rejects += " --reject-fdid " + std::string(f.get_string().value());
  }
  const std::set<Key> want = Keys(expected["fdid"].get_array());
  std::set<std::string> rules;
  for (const Key& k : want) rules.insert(std::get<0>(k) + "/" + std::get<1>(k));
  // Every class is planted: 3701 (missing, not_submitted, submitted_not_accepted), 3702, 3703, 3705, 3707,
  // 3709, 3710, 3711, 2270 and the inconsistency.
  EXPECT_EQ(rules, (std::set<std::string>{"txn.fdid.ended/3702", "txn.fdid.inconsistent/",
                                          "txn.fdid.missing/3701", "txn.fdid.missing/3703", "txn.fdid.missing/3705",
                                          "txn.fdid.missing/3707", "txn.fdid.missing/3709",
                                          "txn.fdid.not_submitted/3701", "txn.fdid.not_yet_valid/3702",
                                          "txn.fdid.not_yet_valid/3710", "txn.fdid.pending/3711",
                                          "txn.fdid.pending_supplement/2270",
                                          "txn.fdid.submitted_not_accepted/3701"}));

  // Reconcile without a state store: exit 2 and a message that says what is needed.
  RunResult no_state = RunCaisson("txn reconcile events --date 2026-11-20 --config books/caisson.toml", dir_);
  EXPECT_EQ(no_state.exit_code, 2);
  EXPECT_NE(no_state.err.find("txn reconcile needs the firm's CAIS state"), std::string::npos) << no_state.err;

  RunResult build = RunCaisson("build books --out out", dir_);
  ASSERT_EQ(build.exit_code, 0) << build.err;
  RunResult accept = RunCaisson("accept 1 --date 20261117 --config books/caisson.toml" + rejects, dir_);
  ASSERT_EQ(accept.exit_code, 0) << accept.err;

  RunResult rec =
      RunCaisson("txn reconcile events --date 2026-11-20 --config books/caisson.toml --format json", dir_);
  EXPECT_EQ(rec.exit_code, 1) << rec.err;
  simdjson::dom::parser parser2;
  simdjson::dom::element got;
  ASSERT_FALSE(parser2.parse(rec.out).get(got)) << rec.out;
  const std::set<Key> have = Keys(got["findings"].get_array());
  EXPECT_EQ(have, want);

  // The text summary names the codes and the deadlines.
  RunResult text = RunCaisson("txn reconcile events --date 2026-11-20 --config books/caisson.toml", dir_);
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("predicted CAT errors by code (events):"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2026-11-23T08:00:00 ET"), std::string::npos) << text.out;  // T+1 08:00 of Friday
}

TEST_F(TxnCli, CleanEventsReconcileWithoutFindings) {
  ASSERT_EQ(RunCaisson("gen --events books --out events --seed 7", dir_).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out", dir_).exit_code, 0);
  ASSERT_EQ(RunCaisson("accept 1 --date 20261117 --config books/caisson.toml", dir_).exit_code, 0);
  RunResult rec =
      RunCaisson("txn reconcile events --date 2026-11-20 --config books/caisson.toml --format json", dir_);
  EXPECT_EQ(rec.exit_code, 0) << rec.out << rec.err;
  EXPECT_NE(rec.out.find("\"findings\": []"), std::string::npos) << rec.out;
}

TEST_F(TxnCli, UnknownEventFileIsExit2) {
  ASSERT_EQ(RunCaisson("build books --out out", dir_).exit_code, 0);
  RunResult rec = RunCaisson("txn reconcile nowhere.json --config books/caisson.toml", dir_);
  EXPECT_EQ(rec.exit_code, 2);
  EXPECT_NE(rec.err.find("nowhere.json"), std::string::npos) << rec.err;
}

}  // namespace
}  // namespace caisson::testing
