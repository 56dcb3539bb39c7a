// emit: writes paired CAIS Data File + TID File submissions [§4; §5.1; §5.1.1; Table 8; Table 9; Table 10].
//
// Records not held back are grouped by correspondentCRD (one pair per value, accounts without one in their own
// pairs [§2.1.1]); an FDID travels with all its customers and a REPLACED FDID with its replacing FDID; a
// customer shared by FDIDs in different files is repeated in each. A new pair starts before either file would
// pass max_file_bytes uncompressed or, in portal mode, 100,000 FDID / customer / TID records. fdidRecordID,
// customerRecordID, largeTraderRecordID and authTraderNameID are numbered from 1 per file (the last two per
// FDID). Output is byte-identical for identical input, options and existing folder content. Every file is
// bzip2-compressed, written under a temporary name and renamed; File Numbers continue after the highest one
// present in the output folder for the same submitter, CRD, date and group, so base names are never reused.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "caisjson/caisjson.h"
#include "model/model.h"
#include "spec/spec.h"
#include "validate/validate.h"

namespace caisson::emit {

struct Options {
  int64_t cat_submitter_id = 0;     // REQUIRES: > 0
  int64_t cat_reporter_crd = 0;     // REQUIRES: > 0
  int32_t file_date = 0;            // File Generation Date YYYYMMDD. REQUIRES: set
  std::string group;                // optional [A-Za-z0-9]{1,20}, never "caisweb" (checked by config)
  int64_t max_file_bytes = 1000000000;
  bool portal = false;
  std::filesystem::path out_dir;    // created when missing
  // How the .json.bz2 files are compressed; the text is the same either way. Default: lbzip2 (all cores).
  caisjson::Compressor compressor = caisjson::Compressor::kLbzip2;
};

struct PairInfo {
  int64_t correspondent_crd = -1;   // -1: none
  std::string data_name, tid_name;  // file names (with .json.bz2)
  uint64_t data_bytes = 0, data_compressed_bytes = 0, tid_bytes = 0, tid_compressed_bytes = 0;
  std::string data_sha256, tid_sha256;  // of the compressed files
  int64_t fdids = 0, natural_persons = 0, legal_entities = 0, tids = 0;
};

struct Written {
  std::vector<PairInfo> pairs;
};

// Writes the pairs for every record of `books` not held back. REQUIRES: every customer not held back has a TID
// (identity ran), held flags are sized like books. Nothing is left under a final name on failure.
Result<Written> WriteSubmission(const spec::Profile& profile, const model::Books& books,
                                const validate::Holds& holds, const Options& options);

// The base name `<submitter>_<crd>_<YYYYMMDD>_[<group>_]<kind>_<NNNNNN>` (kind "CAIS" or "TIDS").
std::string BaseName(const Options& options, std::string_view kind, int file_number);

// Writes out_dir/manifest.json (local only: CAIS defines no manifest [§5.1]) atomically.
Status WriteManifest(const spec::Profile& profile, const Options& options, const Written& written,
                     const validate::Summary& summary);

// Writes `text` to `path` atomically (temporary name + rename).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view text);

}  // namespace caisson::emit
