// Private to caisjson: the record walker shared by ReadDataFile and ReadTidFile.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "base/finding.h"
#include "caisjson/scan.h"
#include "model/model.h"
#include "spec/spec.h"

namespace caisson::caisjson::internal {

// Which rule family a record's parse problems belong to [rules.md §2, §4, §6].
enum class Family : unsigned char { kFdid, kCustomer, kTid, kCorrection };

// State of one file being read.
class Reader {
 public:
  Reader(const spec::Profile& profile, std::string_view text, std::string_view name, uint32_t file_index,
         bool tid_file, std::vector<Finding>* findings)
      : profile_(profile), text_(text), name_(name), file_index_(file_index), tid_file_(tid_file),
        findings_(findings) {}

  // A file-level finding (record "file", no key).
  void FileFinding(std::string_view rule, std::string_view code, uint64_t line, std::string_view field,
                   std::string message);

  // Parses one record of `list` (its JSON name) with simdjson; false (after a file.json finding) when simdjson
  // rejects it (a number out of range). `*el` is valid until the next Parse.
  bool Parse(const ScanItem& item, std::string_view list, simdjson::dom::element* el);

  // Walkers: fill the model from a parsed record; `index` is the position in its JSON list.
  void WalkFdid(const ScanItem& item, int32_t index, simdjson::dom::element el, model::Books* books);
  void WalkCustomer(const ScanItem& item, int32_t index, simdjson::dom::element el, model::CustomerKind kind,
                    model::Books* books);
  // Returns false when the item is not an object (reported).
  bool WalkTid(const ScanItem& item, int32_t index, simdjson::dom::element el, model::TidRecord* tid);
  // correction.format findings (warnings) for one Correction Action Record; `books` holds this file's
  // customers, which a correctingCustomerRecordID must name.
  void WalkCorrection(const ScanItem& item, int32_t index, simdjson::dom::element el, const model::Books& books);

  const std::vector<uint64_t>* sub_lines = nullptr;

 private:
  struct Rec;  // the record being walked (walker.cc)
  friend struct Walk;

  const spec::Profile& profile_;
  std::string_view text_;
  std::string name_;
  uint32_t file_index_;
  bool tid_file_;
  std::vector<Finding>* findings_;
  simdjson::dom::parser parser_;
  std::string padded_;  // copy of a record at the very end of the text, with simdjson's padding
};

// "crid:<n>" for a customerRecordID value, "" otherwise.
std::string CridKey(const model::Num& crid);

}  // namespace caisson::caisjson::internal
