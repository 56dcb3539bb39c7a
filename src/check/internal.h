// Private to check: submission file names [§5.1.1; Table 10] and their rules (file.name, file.group).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"

namespace caisson::check::internal {

enum class FileKind : unsigned char { kUnknown, kData, kTid };

struct FileName {
  FileKind kind = FileKind::kUnknown;
  // The base name with the File Kind element blanked, so a Data File and its TID File share it [§5.1.1 R5];
  // empty when the kind is unknown.
  std::string pair_key;
  bool plain_json = false;     // ends in ".json" (no ".bz2")
  bool valid = false;          // the whole name follows Table 10 (date aside)
  int64_t submitter_id = -1;   // when valid
  int64_t reporter_crd = -1;   // when valid
};

// Parses `name` and appends file.name / file.group findings (record "file", file = name, no line).
// `today` (YYYYMMDD, 0 = unknown) bounds the File Generation Date.
FileName CheckName(std::string_view name, int32_t today, std::vector<Finding>* findings);

// True for a real calendar date YYYYMMDD.
bool IsRealDate(int64_t yyyymmdd);

// The code a file gets when its paired file failed file integrity [§6.2 R11; App B 21014 (the Data File), 21514
// (the TID File)]; empty for an unknown kind.
std::string PartnerCode(FileKind partner);

// The portal upload limits [§5.1.3 R12; §5.1.4 R9].
enum class PortalLimit : unsigned char { kBytes, kFdidRecords, kCustomerRecords, kTidRecords };

// The App B code for exceeding `limit` in a file of kind `kind`: 21009 for FDID Records in a Data File (l.6849),
// 21509 for TID Records in a TID File (l.6915); empty otherwise (the 1 GB size and the Customer Record limit
// are stated without a code).
std::string PortalLimitCode(PortalLimit limit, FileKind kind);

// A file-level finding (rule of rules.md §1, severity from the catalogue).
Finding FileFinding(std::string_view rule, std::string_view code, std::string_view file, uint64_t line,
                    std::string message);

}  // namespace caisson::check::internal
