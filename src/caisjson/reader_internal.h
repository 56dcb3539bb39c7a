// Private to caisjson: the record walker shared by ReadDataFile and ReadTidFile.
#pragma once

#include <cstdint>
#include <functional>
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
  // correction.format findings (warnings) for one Correction Action Record; a correctingCustomerRecordID must
  // name a customer of this file (`has_customer`).
  void WalkCorrection(const ScanItem& item, int32_t index, simdjson::dom::element el,
                      const std::function<bool(int64_t)>& has_customer);

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

// The Main object of a Data File: header values and record lists (null when absent or not an array).
struct DataMain {
  model::Num cat_submitter_id, cat_reporter_crd, correspondent_crd;
  const std::vector<ScanItem>* fdids = nullptr;
  const std::vector<ScanItem>* nps = nullptr;
  const std::vector<ScanItem>* les = nullptr;
  const std::vector<ScanItem>* corrections = nullptr;
};

// Scans a whole Data File (UTF-8 and syntax) into *scan and checks its Main object (ReadDataFile's contract);
// false after a syntax error, when there is nothing more to read. `release` as for ScanMainObject.
bool ReadDataMain(const spec::Profile& profile, std::string_view json, Reader* r, ScanResult* scan, DataMain* main,
                  const std::function<void()>& release);
// The same for a TID File; *tids is tidRecordList (null when absent or not an array).
bool ReadTidMain(const spec::Profile& profile, std::string_view json, Reader* r, ScanResult* scan,
                 const std::vector<ScanItem>** tids, const std::function<void()>& release);
// Points each association of this file's FDIDs at the customer with its customerRecordID (first one).
void AttachAssociations(uint32_t file_index, model::Books* books);
// Reads TID records `which` of `items` (all when null; in ascending order) and pairs them with the customers of
// *books by customerRecordID, as ReadTidFile does. `release`, when set, is called after every `release_every`
// records read.
void PairTids(Reader* r, const std::vector<ScanItem>& items, const std::vector<uint32_t>* which,
              std::string_view name, model::Books* books, std::vector<Finding>* findings,
              const std::function<void()>& release = {}, size_t release_every = 0);

// "crid:<n>" for a customerRecordID value, "" otherwise.
std::string CridKey(const model::Num& crid);

}  // namespace caisson::caisjson::internal
