// What every verb that reads caisson.toml shares: the configuration, the profile and the business date.
#pragma once

#include <filesystem>
#include <optional>

#include "base/result.h"
#include "commands.h"
#include "config/config.h"
#include "spec/spec.h"

namespace caisson::app {

struct Setup {
  config::Config config;
  std::optional<spec::Profile> profile;
  int32_t as_of = 0;  // YYYYMMDD
  int32_t today = 0;  // YYYYMMDD in America/New_York
};

// Reads caisson.toml (common.config; else ./caisson.toml; else `fallback_dir`/caisson.toml; else defaults),
// loads the profile (--profile overrides), checks [rules], and fixes as_of. Prints the provisional-profile
// warning on stderr.
Result<Setup> Prepare(const Common& common, const std::filesystem::path& fallback_dir);

// Seconds since the epoch of a --now MOMENT (New York wall time, or with Z / an offset; see
// calendar::ParseMoment); the system clock when `text` is empty. InvalidArgument naming `option` otherwise.
Result<int64_t> NowUnix(const std::string& text, const char* option);

}  // namespace caisson::app
