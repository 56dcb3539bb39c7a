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

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "caisjson/caisjson.h"
#include "model/model.h"
#include "spec/spec.h"
#include "validate/validate.h"

namespace caisson::emit {

// A Correction Action Record of the Data File's correctionList [Table 8; §6.6.2.1]: the way CAIS requires
// rejections 22001, 22900, 22526, 22501 and 22914 to be repaired. A CORRECTION travels in the file that carries
// its correcting record (an FDID names it by firmDesignatedID, a customer by its customerRecordID in that file);
// a DELETE, which clears a rejection without a record, goes in the first file.
struct Correction {
  int64_t rejection_id = 0;
  bool remove = false;          // correctionAction "DELETE"; else "CORRECTION"
  int32_t fdid_index = -1;      // CORRECTION of an FDID error: the correcting Books::fdids index
  int32_t customer_index = -1;  // CORRECTION of a customer error: the correcting Books::customers index
  // Spool::Write, whose indexes are spool ids and which keeps no keys: the key of the correcting FDID.
  std::string correcting_fdid;
};

struct Written;

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
  // Correction Action Records for today's files (Correction). Default: none.
  std::vector<Correction> corrections;
  // File Numbers start at least here (the state store's name register knows numbers the folder may not).
  // Default: 1.
  int first_file_number = 1;
  // Called once the files are planned, before any is written, with each pair's names, number, counts and
  // records (PairInfo's compressed sizes and SHA-256 still unset): the state store can record the records while
  // the files are compressed. Default: none.
  std::function<void(const Written& planned)> on_planned;
};

struct PairInfo {
  int64_t correspondent_crd = -1;   // -1: none
  std::string data_name, tid_name;  // file names (with .json.bz2)
  uint64_t data_bytes = 0, data_compressed_bytes = 0, tid_bytes = 0, tid_compressed_bytes = 0;
  std::string data_sha256, tid_sha256;  // of the compressed files
  int64_t fdids = 0, natural_persons = 0, legal_entities = 0, tids = 0;
  int file_number = 0;
  int64_t corrections = 0;  // Correction Action Records in the Data File
  // Books indices in record-ID order: fdidRecordID = position + 1 in `fdid_indices`, customerRecordID (Data
  // File) and the TID record of the same customer = position + 1 in `customer_indices`.
  std::vector<int32_t> fdid_indices, customer_indices;
};

struct Written {
  std::vector<PairInfo> pairs;
  int64_t corrections_written = 0;
  int64_t corrections_unplaced = 0;  // their correcting record is in no file today (not sent, or held back)
};

// Called once every file is complete under its temporary name and before any takes its final name; a non-OK
// status cancels the submission (nothing is renamed, the temporary files are removed). The state store records
// the submission here, so a killed run is either unrecorded (and tidied by the next run) or recorded with its
// files complete.
using BeforeCommit = std::function<Status(const Written&)>;

// Writes the pairs for every record of `books` not held back. REQUIRES: every customer not held back has a TID
// (identity ran), held flags are sized like books. Nothing is left under a final name on failure.
Result<Written> WriteSubmission(const spec::Profile& profile, const model::Books& books,
                                const validate::Holds& holds, const Options& options,
                                const BeforeCommit& before_commit = nullptr);

// A record's full state as CAIS would receive it, for the delta [§3.6]: the first 16 bytes of the SHA-256 of
// the bytes emit writes for it, with fdidRecordID and customerRecordID left out (associations name the
// customer's firm key instead), plus the correspondentCRD an FDID travels under; a customer's covers its TID
// record. Equal fingerprints mean CAIS would receive the same record.
using Fingerprint = std::array<uint8_t, 16>;
struct Fingerprints {
  std::vector<Fingerprint> fdid;      // parallel to Books::fdids
  std::vector<Fingerprint> customer;  // parallel to Books::customers
};
Fingerprints ComputeFingerprints(const spec::Profile& profile, const model::Books& books);

// The base name `<submitter>_<crd>_<YYYYMMDD>_[<group>_]<kind>_<NNNNNN>` (kind "CAIS" or "TIDS").
std::string BaseName(const Options& options, std::string_view kind, int file_number);

// Writes out_dir/manifest.json (local only: CAIS defines no manifest [§5.1]) atomically.
Status WriteManifest(const spec::Profile& profile, const Options& options, const Written& written,
                     const validate::Summary& summary);

// Writes `text` to `path` atomically (temporary name + rename).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view text);

}  // namespace caisson::emit
