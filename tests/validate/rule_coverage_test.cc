// Meta test (STYLE.md §5): every rule of the catalogue that runs on books (B) or on files (F) is named by at
// least one test, and every rule id a test names is in the catalogue. A rule without a test is a rule that can
// silently stop working.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "testutil.h"
#include "validate/validate.h"

namespace caisson::validate {
namespace {

std::string AllTestSources() {
  std::string all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(testing::TestsDir())) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    if (!name.ends_with("_test.cc") && !name.ends_with(".h")) continue;
    if (name == "rule_coverage_test.cc") continue;
    std::ifstream in(e.path());
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return all;
}

TEST(RuleCoverage, EveryBooksOrFileRuleIsNamedByATest) {
  const std::string sources = AllTestSources();
  for (const RuleInfo& rule : Rules()) {
    if (!rule.books && !rule.file) continue;
    EXPECT_NE(sources.find("\"" + rule.id + "\""), std::string::npos) << rule.id << " has no test naming it";
  }
}

TEST(RuleCoverage, EveryRuleATestNamesIsInTheCatalogue) {
  const std::string sources = AllTestSources();
  const std::set<std::string> families = {"file", "fdid", "role", "customer", "address", "tid", "correction",
                                          "hold", "input"};
  const std::regex id_re(R"re("([a-z]+)\.([a-z0-9_]+)")re");
  int seen = 0;
  for (auto it = std::sregex_iterator(sources.begin(), sources.end(), id_re); it != std::sregex_iterator(); ++it) {
    if (!families.count((*it)[1].str())) continue;
    const std::string id = (*it)[1].str() + "." + (*it)[2].str();
    if (id.ends_with("_test") || id.find(".csv") != std::string::npos) continue;
    if (id == "fdid.nope") continue;  // the unknown rule id that [rules] override tests use on purpose
    ++seen;
    EXPECT_NE(FindRule(id), nullptr) << id << " is named by a test but is not a rule";
  }
  EXPECT_GT(seen, 100);
}

}  // namespace
}  // namespace caisson::validate
