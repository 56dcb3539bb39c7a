// Helpers shared by the ingest tests: write a books file, load a folder, pick the findings of one rule.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/ingest.h"

namespace caisson::ingest::fixture {

inline void Write(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name, std::ios::binary) << text;
}

inline Loaded MustLoad(const std::filesystem::path& dir, std::vector<Finding>* findings, int32_t as_of = 20250101) {
  Options o;
  o.as_of = as_of;
  Result<Loaded> r = LoadBooks(dir, o, findings);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : Loaded{};
}

// Findings of one rule.
inline std::vector<Finding> Of(const std::vector<Finding>& all, const std::string& rule) {
  std::vector<Finding> out;
  for (const Finding& f : all) {
    if (f.rule == rule) out.push_back(f);
  }
  return out;
}

}  // namespace caisson::ingest::fixture
