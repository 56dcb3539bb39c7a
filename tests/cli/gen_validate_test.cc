// Property: `gen --defects` -> `validate` finds exactly the planted defects (STYLE.md §5): every planted defect
// is reported with its rule, code, file, line and field, and every reject or policy finding is either planted or
// a cascade of a planted one.
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
using Key = std::tuple<std::string, std::string, std::string, uint64_t, std::string>;  // rule code file line field

std::string Str(simdjson::simdjson_result<simdjson::dom::element> e) {
  std::string_view v;
  if (e.get(v) != simdjson::SUCCESS) return "";  // absent or null
  return std::string(v);
}

std::set<Key> Keys(simdjson::dom::array list, std::set<std::string>* severities_out = nullptr,
                   const std::set<std::string>& keep_severities = {}) {
  std::set<Key> keys;
  for (simdjson::dom::element f : list) {
    std::string severity = Str(f["severity"]);
    if (!keep_severities.empty() && !keep_severities.count(severity)) continue;
    if (severities_out) severities_out->insert(severity);
    uint64_t line = 0;
    if (f["line"].get(line) != simdjson::SUCCESS) line = 0;
    keys.emplace(Str(f["rule"]), Str(f["cais_code"]), Str(f["file"]), line, Str(f["field"]));
  }
  return keys;
}

TEST(GenValidate, FindsExactlyThePlantedDefects) {
  fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 400 --seed 3 --defects 0.25 --out books", dir).exit_code, 0);
  RunResult v = RunCaisson("validate books --format json", dir);
  ASSERT_EQ(v.exit_code, 1) << v.err;

  simdjson::dom::parser parser;
  simdjson::dom::element actual_doc, expected_doc;
  ASSERT_EQ(parser.parse(v.out).get(actual_doc), simdjson::SUCCESS);
  std::set<Key> actual = Keys(actual_doc["findings"].get_array().value());
  simdjson::dom::parser parser2;
  std::string expected_text = ReadAll(dir / "books" / "expected-findings.json");
  ASSERT_EQ(parser2.parse(expected_text).get(expected_doc), simdjson::SUCCESS);
  simdjson::dom::array expected_list;
  if (expected_doc.is_array()) {
    expected_list = expected_doc.get_array().value();
  } else {
    ASSERT_EQ(expected_doc["findings"].get(expected_list), simdjson::SUCCESS);
  }
  std::set<Key> expected = Keys(expected_list);
  ASSERT_GT(expected.size(), 50u);

  for (const Key& k : expected) {
    EXPECT_TRUE(actual.count(k)) << "planted but not found: " << std::get<0>(k) << " " << std::get<1>(k) << " "
                                 << std::get<2>(k) << ":" << std::get<3>(k) << " " << std::get<4>(k);
  }
  const std::set<std::string> cascades = {"fdid.customer_rejected", "customer.orphan", "customer.version_rejected",
                                          "hold.cascade"};
  std::set<Key> blocking = Keys(actual_doc["findings"].get_array().value(), nullptr, {"reject", "policy"});
  for (const Key& k : blocking) {
    if (cascades.count(std::get<0>(k))) continue;
    EXPECT_TRUE(expected.count(k)) << "found but not planted: " << std::get<0>(k) << " " << std::get<1>(k) << " "
                                   << std::get<2>(k) << ":" << std::get<3>(k) << " " << std::get<4>(k);
  }
}

}  // namespace
}  // namespace caisson::testing
