// Shared test helpers.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <random>
#include <unistd.h>
#include <string>

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

// A fresh empty folder under the system temp dir, unique per test.
inline std::filesystem::path TempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("caisson-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
                               std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace caisson::testing
