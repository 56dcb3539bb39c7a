// Issue #9 done-when: a FIX log of a routed, partially filled, replaced and allocated order becomes CAT order
// events that pass the linkage checker (and the event reader) with no finding; the verbs through the binary.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "cli_util.h"
#include "fix/fix.h"
#include "fix/scenario.h"
#include "testutil.h"
#include "txn/txn.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

void WriteScenario(const fs::path& dir) {
  std::ofstream log(dir / "day.log", std::ios::binary);
  for (const std::string& l : fix::testing::RoutedOrderLog()) log << "2026-01-05 OUT " << l << "\n";
  std::ofstream map(dir / "map.toml", std::ios::binary);
  map << fix::testing::kMapToml;
}

TEST(FixLinkage, RoutedFilledReplacedAllocatedOrderPassesTheLinkageChecker) {
  const fs::path dir = TempDir();
  WriteScenario(dir);
  Result<fix::Map> map = fix::LoadMap(dir / "map.toml");
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  fix::Options options;
  options.file_date = "20260105";
  std::vector<Finding> fix_findings;
  fix::Summary summary;
  ASSERT_OK(fix::FromFix({dir / "day.log"}, *map, dir / "out", options, &fix_findings, &summary));
  EXPECT_TRUE(fix_findings.empty());
  EXPECT_EQ(summary.events, 8);
  ASSERT_EQ(summary.files.size(), 1u);

  Result<txn::Catalogue> catalogue = txn::Catalogue::Load(txn::Catalogue::DefaultPath(DataDir()));
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().ToString();
  txn::LinkageOptions lo;
  lo.rules = txn::LinkageRulesPath(DataDir());
  std::vector<Finding> findings;
  txn::LinkageSummary ls;
  ASSERT_OK(txn::CheckLinkage(*catalogue, summary.files, lo, &findings, &ls));
  // Every finding, the reader's included (required fields, types, unknown fields, file name).
  for (const Finding& f : findings) {
    ADD_FAILURE() << f.rule << " " << f.cais_code << " " << f.file << ":" << f.line << " " << f.field << ": "
                  << f.message;
  }
  EXPECT_EQ(ls.events, 8);
  EXPECT_EQ(ls.keys, 6);  // the order, the trade, two allocations and the two amendments' new keys
  EXPECT_EQ(ls.routes, 1);
}

TEST(FixLinkage, BrokenChainIsCaughtByTheChecker) {
  // The same order with the replace confirmed under a new OrderID but the MEOM's prior key then corrupted:
  // the converter is right, so corrupt its output the way a broken OMS would and watch 3501 appear.
  const fs::path dir = TempDir();
  WriteScenario(dir);
  Result<fix::Map> map = fix::LoadMap(dir / "map.toml");
  ASSERT_TRUE(map.ok());
  fix::Options options;
  options.file_date = "20260105";
  options.compress = false;
  std::vector<Finding> ff;
  fix::Summary summary;
  ASSERT_OK(fix::FromFix({dir / "day.log"}, *map, dir / "out", options, &ff, &summary));
  ASSERT_EQ(summary.files.size(), 1u);
  std::string text = ReadAll(summary.files[0]);
  const std::string meoc_key = "\"type\":\"MEOM\",\"CATReporterIMID\":\"FIRM\",\"orderKeyDate\":\"20260105T100000.000\",\"orderID\":\"ORD1\"";
  const size_t at = text.find(meoc_key);
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at + meoc_key.size() - 5, 4, "ORD2");
  std::ofstream(summary.files[0], std::ios::binary | std::ios::trunc) << text;
  Result<txn::Catalogue> catalogue = txn::Catalogue::Load(txn::Catalogue::DefaultPath(DataDir()));
  ASSERT_TRUE(catalogue.ok());
  txn::LinkageOptions lo;
  lo.rules = txn::LinkageRulesPath(DataDir());
  std::vector<Finding> findings;
  txn::LinkageSummary ls;
  ASSERT_OK(txn::CheckLinkage(*catalogue, summary.files, lo, &findings, &ls));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].cais_code, "3501");
  EXPECT_EQ(findings[0].line, 4u);
}

TEST(FixLinkageCli, FromFixThenCheckThroughTheBinary) {
  const fs::path dir = TempDir();
  WriteScenario(dir);
  RunResult made = RunCaisson("txn from-fix day.log --map map.toml --out out --file-date 20260105 --format json", dir);
  ASSERT_EQ(made.exit_code, 0) << made.err << made.out;
  EXPECT_NE(made.out.find("\"events\": 8"), std::string::npos) << made.out;
  EXPECT_NE(made.out.find("\"files\": [\"12345_FIRM_20260105_OrderEvents_000001.json.bz2\"]"), std::string::npos);
  RunResult checked =
      RunCaisson("txn check out/12345_FIRM_20260105_OrderEvents_000001.json.bz2 --no-store --format json", dir);
  EXPECT_EQ(checked.exit_code, 0) << checked.err << checked.out;
  EXPECT_NE(checked.out.find("\"findings\": []"), std::string::npos) << checked.out;
  EXPECT_EQ(RunCaisson("txn check nope.json --no-store", dir).exit_code, 2);  // unreadable input
  // The multi-day store goes beside the CAIS state store: caisson.db beside caisson.toml (cli.md).
  std::ofstream(dir / "caisson.toml") << "[firm]\ncat_reporter_crd = 123\ncat_submitter_id = 123\n";
  RunResult stored = RunCaisson("txn check out --config caisson.toml", dir);
  EXPECT_EQ(stored.exit_code, 0) << stored.err;
  EXPECT_TRUE(fs::exists(dir / "orders.db"));
  // A bad map is a usage error (2), a bad checksum a finding (1).
  EXPECT_EQ(RunCaisson("txn from-fix day.log --map nope.toml --out out2", dir).exit_code, 2);
  std::ofstream(dir / "bad.log") << "8=FIX.4.4|9=5|35=0|10=000|\n";
  RunResult bad = RunCaisson("txn from-fix bad.log --map map.toml --out out3 --file-date 20260105", dir);
  EXPECT_EQ(bad.exit_code, 1) << bad.err;
  EXPECT_NE(bad.err.find("bad.log:1 reject [fix."), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace caisson::testing

namespace caisson::testing {
namespace {

// caisson gen --events plants linkage defects and lists them in expected-txn-findings.json ("linkage": check,
// code, file, line, field); txn check must find exactly those. CAT rejects *every* event carrying a duplicated
// firmROEID [App. E 3002], so the checker also reports the first carrier of each planted duplicate: those extra
// 3002 findings are accepted only when they share the firmROEID of an expected one.
TEST(TxnCheckCli, FindsExactlyThePlantedLinkageDefectsOfGenEvents) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 150 --seed 7 --out books", dir).exit_code, 0);
  RunResult ev = RunCaisson("gen --events books --out events --seed 7 --defects 0.2", dir);
  ASSERT_EQ(ev.exit_code, 0) << ev.err;
  RunResult r = RunCaisson("txn check events --no-store --format json", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  simdjson::dom::parser p1, p2;
  simdjson::dom::element got_doc, want_doc;
  ASSERT_FALSE(p1.parse(r.out).get(got_doc)) << r.out;
  const std::string expected_text = ReadAll(dir / "events" / "expected-txn-findings.json");
  ASSERT_FALSE(p2.parse(expected_text).get(want_doc));
  using K = std::tuple<std::string, std::string, int64_t, std::string, std::string>;  // code file line field rule
  std::set<K> want;
  for (auto f : want_doc["linkage"].get_array()) {
    std::string_view code, file, field, rule;
    int64_t line = 0;
    ASSERT_FALSE(f["code"].get(code) || f["file"].get(file) || f["line"].get(line) || f["field"].get(field) ||
                 f["rule"].get(rule));
    want.emplace(code, file, line, field, rule);
  }
  ASSERT_GE(want.size(), 4u);  // every planted kind at least once
  std::set<K> got;
  std::map<std::pair<std::string, std::string>, std::vector<K>> dup_roe;  // (file, firmROEID) -> 3002 findings
  for (auto f : got_doc["findings"].get_array()) {
    std::string_view rule, code, file, field, key;
    int64_t line = 0;
    ASSERT_FALSE(f["rule"].get(rule));
    if (rule.rfind("linkage.", 0) != 0) continue;  // the reader's own findings are the reader's business
    ASSERT_FALSE(f["cais_code"].get(code) || f["file"].get(file) || f["line"].get(line) || f["field"].get(field) ||
                 f["key"].get(key));
    got.emplace(code, file, line, field, rule);
    if (code == "3002") dup_roe[{std::string(file), std::string(key)}].emplace_back(code, file, line, field, rule);
  }
  for (const K& k : want) EXPECT_TRUE(got.count(k)) << "missed " << std::get<0>(k) << " " << std::get<1>(k) << ":" << std::get<2>(k);
  for (const K& k : got) {
    if (want.count(k)) continue;
    bool partner = false;
    if (std::get<0>(k) == "3002") {
      for (const auto& [roe, group] : dup_roe) {
        if (std::find(group.begin(), group.end(), k) == group.end()) continue;
        for (const K& other : group) partner = partner || want.count(other) > 0;
      }
    }
    EXPECT_TRUE(partner) << "unexpected " << std::get<0>(k) << " " << std::get<1>(k) << ":" << std::get<2>(k) << " "
                         << std::get<3>(k);
  }
}

}  // namespace
}  // namespace caisson::testing
