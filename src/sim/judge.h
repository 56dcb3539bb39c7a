// Private to sim: the judgement of one uploaded pair — check's file integrity and record rules, then what
// only CAIS's own store can see — and its effect on the store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "sim/internal.h"
#include "spec/spec.h"

namespace caisson::sim::internal {

struct Upload {
  std::filesystem::path path;  // empty = this side of the pair was not uploaded
  std::string name, sha;
  int times_answered = 0;  // earlier submissions of the same name
  bool duplicate = false;  // one of them passed file integrity: 21001 / 21501 [§6.2 r1]
  bool answered = false;   // these very bytes were answered under this name
};
struct Pair {
  Upload data, tid;
};

struct JudgeOptions {
  int32_t as_of = 0;  // YYYYMMDD: the date CAIS runs on
  int64_t cat_submitter_id = -1;
  std::vector<int64_t> known_reporter_crds;
  std::string integrity_timestamp, scan_timestamp;  // when integrity and record errors are identified
  int64_t scan_unix = 0;
};

struct Judged {
  struct File {
    std::string name;  // "" = not uploaded
    int64_t submission_id = 0;
    int times_answered = 0;
    bool integrity_error = false;
    std::vector<Item> items;  // rejectionItems
  };
  File data, tid;
  int64_t submitter = -1, crd = -1, corr = 0;
  int64_t fdids = 0, naturals = 0, naturals_ok = 0, entities = 0, entities_ok = 0, corrections = 0, tids = 0,
          tids_ok = 0;
  int64_t accepted_fdids = 0, rejected_fdids = 0, accepted_customers = 0, rejected_customers = 0;
  std::vector<std::pair<int64_t, int64_t>> failed_corrections;  // (failedRejectionID, warningCode)
};

// Judges `pair` and records the outcome in `db` (answered files, acceptances, new and repaired rejections).
// Errors only when the store fails or a file vanished while being read.
Result<Judged> Judge(const spec::Profile& profile, const JudgeOptions& options, Pair* pair, Db* db);

}  // namespace caisson::sim::internal
