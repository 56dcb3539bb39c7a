// Shared test helpers.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <unistd.h>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/status.h"

#define ASSERT_OK(expr)                                      \
  do {                                                       \
    ::caisson::Status s_ = (expr);                           \
    ASSERT_TRUE(s_.ok()) << s_.ToString();                   \
  } while (0)
#define EXPECT_OK(expr)                                      \
  do {                                                       \
    ::caisson::Status s_ = (expr);                           \
    EXPECT_TRUE(s_.ok()) << s_.ToString();                   \
  } while (0)

namespace caisson::testing {

inline std::filesystem::path DataDir() { return CAISSON_DATA_DIR; }
inline std::filesystem::path TestsDir() { return CAISSON_TESTS_DIR; }

// Seed for property loops: CAISSON_SEED if set, else random; printed so a failure can be replayed.
inline unsigned RandomSeed() {
  const char* env = std::getenv("CAISSON_SEED");
  unsigned seed = env ? static_cast<unsigned>(std::strtoul(env, nullptr, 10)) : std::random_device{}();
  std::printf("CAISSON_SEED=%u\n", seed);
  return seed;
}

// Removes the folders TempDir made when the test process ends, unless a test failed (they are then kept for
// the post-mortem and named on stderr) or CAISSON_KEEP_TEMP is set. Only the process that made them removes
// them: a forked child that exits must not take its parent's folders with it.
class TempDirJanitor {
 public:
  static TempDirJanitor& Get() {
    static TempDirJanitor janitor;
    return janitor;
  }
  void Add(const std::filesystem::path& dir) { dirs_.push_back(dir); }
  ~TempDirJanitor() {
    if (::getpid() != owner_ || dirs_.empty()) return;
    const bool failed = ::testing::UnitTest::GetInstance()->Failed();
    if (failed || std::getenv("CAISSON_KEEP_TEMP") != nullptr) {
      for (const auto& dir : dirs_) std::fprintf(stderr, "kept %s\n", dir.c_str());
      return;
    }
    std::error_code ec;
    for (const auto& dir : dirs_) std::filesystem::remove_all(dir, ec);
  }

 private:
  TempDirJanitor() : owner_(::getpid()) {}
  pid_t owner_;
  std::vector<std::filesystem::path> dirs_;
};

// A fresh empty folder under the system temp dir, unique per test; removed when the test process ends.
inline std::filesystem::path TempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "caisson-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
                     std::to_string(::getpid());
  std::replace(name.begin(), name.end(), '/', '-');  // parameterised tests: "Cases/BadInput", "Name/0"
  std::filesystem::path dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  TempDirJanitor::Get().Add(dir);
  return dir;
}

}  // namespace caisson::testing
