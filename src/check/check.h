// check: validates CAIS file pairs made by any tool before they are submitted (`caisson check`).
//
// Paths may be files or folders (every *_CAIS_*/*_TIDS_* .json.bz2 or .json inside). Files are paired by base
// name; each pair gets the file integrity rules (name, bz2, JSON syntax with line and column, header, counts,
// pairing, size) and then every record rule of rules.md whose run column has F, through the same validator
// `validate` uses. Problems with a file are findings (record "file"), never a crash or a non-OK status.
// A pair's text is decompressed into a mapped temporary file and its records are validated in batches of
// records that share no key (caisjson::PairReader), so memory grows with the keys of a pair, not its bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/finding.h"
#include "base/result.h"
#include "spec/spec.h"
#include "validate/validate.h"

namespace caisson::check {

struct Options {
  int32_t as_of = 0;               // YYYYMMDD. REQUIRES: set
  int32_t today = 0;               // YYYYMMDD in America/New_York: File Generation Dates after it are invalid
  int64_t cat_submitter_id = -1;   // when >= 0, names and headers must carry these values
  int64_t cat_reporter_crd = -1;
  bool portal = false;             // apply the portal upload limits
  std::map<std::string, std::string> policy;  // as validate::Options::policy
  // A pair is read and validated in batches of about this many records (FDIDs, customers and TID records)
  // that share no key (caisjson::PairReader), so memory holds a batch, not the pair; 0 = the pair at once.
  // The findings do not depend on it. Small batches stay in the caches (1 M FDIDs: 13.5 s at 4,096, 14.3 s
  // at 65,536).
  size_t batch_records = 4096;
  int workers = 1;  // batches validated at once (threads)
};

struct Report {
  // Sorted, deduped. Finding::record_index is the record's index in a model of its whole pair
  // (caisjson::ReadDataFile then ReadTidFile), whatever the batches.
  std::vector<Finding> findings;
  validate::Summary summary;       // over all pairs
  int64_t files = 0;               // files examined
};

// NotFound when a path does not exist; otherwise OK with findings.
Status CheckPaths(const spec::Profile& profile, const std::vector<std::filesystem::path>& paths,
                  const Options& options, Report* report);

}  // namespace caisson::check
