// Dependencies run one way (STYLE.md §1): a module includes only its own headers, the public header of the
// modules it may use, and no private header of another module. This test reads every #include in src/ and apps/.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace {

// What each module may include besides itself (ARCHITECTURE.md's picture; src/CMakeLists.txt links the same).
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"base", {}},
    {"model", {"base"}},
    {"spec", {"base", "model"}},
    {"config", {"base"}},
    {"caisjson", {"base", "model", "spec"}},
    {"ingest", {"base", "model"}},
    {"identity", {"base", "model", "spec"}},
    {"validate", {"base", "model", "spec"}},
    {"emit", {"base", "model", "spec", "caisjson", "validate"}},
    {"check", {"base", "model", "spec", "caisjson", "validate"}},
    {"gen", {"base"}},
    {"calendar", {"base"}},
    {"state", {"base"}},
    {"audit", {"base", "state"}},
    {"delta", {"base", "model", "spec", "caisjson", "validate", "state", "audit"}},
    {"feedback", {"base", "model", "spec", "caisjson", "validate", "state", "audit", "delta", "calendar"}},
    {"certify", {"base", "state"}},
    {"transmit", {"base"}},
    {"org", {"base", "state", "audit"}},
    {"reportcard", {"base", "state"}},
    {"sim", {"base", "model", "spec", "caisjson", "validate", "check", "calendar"}},
    {"fix", {"base", "calendar"}},
    {"txn", {"base", "state", "calendar"}},
};

TEST(Layout, IncludesFollowTheModuleOrder) {
  const std::filesystem::path src = std::filesystem::path(CAISSON_SOURCE_DIR) / "src";
  const std::regex include_re(R"re(^\s*#\s*include\s+"([a-z_]+)/([a-z_0-9]+\.h)")re");
  int checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(src)) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension();
    if (ext != ".h" && ext != ".cc") continue;
    const std::string module = entry.path().parent_path().filename().string();
    ASSERT_TRUE(kAllowed.count(module)) << "unknown module folder " << module;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, include_re)) continue;
      ++checked;
      const std::string target = m[1];
      const std::string header = m[2];
      if (target == module) continue;
      EXPECT_TRUE(kAllowed.at(module).count(target))
          << entry.path() << " includes " << target << "/" << header << ": not above " << module;
      // Only the public header of another module ("<module>.h"), base's small headers excepted.
      if (target != "base") {
        EXPECT_EQ(header, target + ".h") << entry.path() << " includes a private header of " << target;
      }
    }
  }
  EXPECT_GT(checked, 20);
}

TEST(Layout, EveryModuleHasItsPublicHeader) {
  const std::filesystem::path src = std::filesystem::path(CAISSON_SOURCE_DIR) / "src";
  for (const auto& [module, deps] : kAllowed) {
    if (module == "base") continue;
    EXPECT_TRUE(std::filesystem::exists(src / module / (module + ".h"))) << module;
  }
}

}  // namespace
