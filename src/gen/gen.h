// gen: writes a deterministic, synthetic, realistic books-and-records folder (books-and-records.md) and a
// caisson.toml — for demos, tests and benchmarks. Every value is synthetic: SSNs are drawn from ranges the
// SSA never issues in a way that still passes the §3.4 checks only where intended, names from small lists.
//
// With defects > 0 a fraction of the records is broken on purpose, each defect breaking exactly one rule, and
// expected-findings.json lists (rule, cais_code, file, line, field) of each planted defect.
#pragma once

#include <cstdint>
#include <filesystem>

#include "base/result.h"

namespace caisson::gen {

struct Options {
  int64_t accounts = 100;       // FDIDs to generate (~1.5 customers each)
  uint64_t seed = 1;
  double defects = 0.0;         // fraction of accounts that carry one planted defect, 0..1
  int32_t as_of = 20261120;     // YYYYMMDD written as [spec] as_of; dates are drawn before it
  std::filesystem::path out;    // created; existing books files in it are replaced
};

// Same options, same bytes. IOError when the folder cannot be written.
Status Generate(const Options& options);

}  // namespace caisson::gen
