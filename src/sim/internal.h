// Private to sim: the simulator's own store (what "CAIS" accepted and rejected) and the feedback writers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace caisson::sim::internal {

// One row of a rejection: a rejected record of a Data File with one error code [§6.3 r6; Table 20]. The
// rows of one rejected record share `id` (the rejectionID).
struct Rejection {
  int64_t id = 0;
  int64_t code = 0;
  bool fdid = true;                // FDIDRejection (true) or CustomerRejection [Table 25 type]
  std::string firm_designated_id;  // FDID rejections
  int64_t fdid_record_id = -1;     // -1 = absent
  std::vector<int64_t> customer_record_ids;
  int64_t large_trader_record_id = -1;
  std::string tid_key;  // customers: SHA-256 hex of tidType + tidValue (the "CCID"); "" = none
  std::string file;     // the submitted file name (with extension)
  int64_t submission_id = 0;
  int64_t submitter = 0, crd = 0, corr = 0;  // corr 0 = no correspondentCRD
  std::string identified;                    // rejectionTimestamp (CAIS Timestamp) when first identified
  int64_t identified_unix = 0;               // seconds
  std::string status = "open";               // open | repaired | deleted
};

class Db {
 public:
  // Opens or creates the store. Corruption when the file is not SQLite or not a cais-sim store.
  static Result<std::unique_ptr<Db>> Open(const std::filesystem::path& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status Begin();
  Status Commit();
  void Rollback();

  // The next value of a counter ("submission" from 1001, "rejection" from 5001).
  Result<int64_t> Next(std::string_view counter);
  // How often a file name was answered, and whether one of them passed file integrity; `sha` says whether
  // these exact bytes were answered already.
  struct Seen {
    int times = 0;
    bool passed_integrity = false;
    bool same_bytes = false;
  };
  Result<Seen> Answered(std::string_view name, std::string_view sha) const;
  Status AddAnswered(std::string_view name, std::string_view sha, int64_t submission_id,
                     bool integrity_error);

  Result<bool> FdidAccepted(int64_t crd, std::string_view fdid) const;
  Status AcceptFdid(int64_t crd, std::string_view fdid, std::string_view file, int64_t submission_id);
  Status AcceptCustomer(int64_t crd, std::string_view tid_key, std::string_view file, int64_t submission_id);
  Result<bool> KnownCrd(int64_t crd) const;
  Status AddCrd(int64_t crd);

  Status AddRejection(const Rejection& r);
  // Rows in (id, code) order; `open_only` keeps status "open".
  Status ForEachRejection(bool open_only, const std::function<Status(const Rejection&)>& fn) const;
  Status SetRejectionStatus(int64_t id, std::string_view status);

 private:
  struct Rep;
  explicit Db(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// The five codes repaired only through the correctionList [§6.6.2.1].
bool CorrectionListOnly(int64_t code);

}  // namespace caisson::sim::internal

namespace caisson::sim::internal {

// One item of rejectionItems [Table 20 Rejection Record; Table 21].
struct Item {
  int64_t rejection_id = -1;       // -1 = null (TID feedback)
  std::string firm_designated_id;  // "" = absent
  int64_t fdid_record_id = -1;     // -1 = absent
  int64_t large_trader_record_id = -1;
  std::vector<int64_t> customer_record_ids;
  bool customer_record_id_null = false;  // TID integrity errors: "customerRecordID": null
  int64_t code = 0;
  std::string timestamp;
};

// One version of one file's feedback.
struct FeedbackDoc {
  bool data_file = true;
  std::string version;  // schema version
  int64_t submission_id = 0;
  std::string username;
  int64_t submitter = -1, crd = -1, corr = 0;  // Data File feedback; -1 = unknown (left out); corr 0 = none
  std::string status;
  std::string receipt, completed;                            // completed "" = not final
  std::vector<std::pair<std::string, std::string>> history;  // status -> timestamp, in order
  bool counts = false;                                       // the received/successful counts are present
  int64_t fdids = 0, fdids_ok = 0, naturals = 0, naturals_ok = 0, entities = 0, entities_ok = 0,
          corrections = 0, corrections_ok = 0, tids = 0, tids_ok = 0;
  bool with_items = false;  // rejectionItems / failedCorrectionItems may appear at this status
  std::vector<Item> items;
  std::vector<std::pair<int64_t, int64_t>> failed_corrections;  // (failedRejectionID, warningCode)
};

// The JSON text of a feedback file, keys in Table 20/21 order; conditional elements only when they apply.
std::string FeedbackJson(const FeedbackDoc& doc);

// One row of an Outstanding Rejections data file [Table 25].
std::string OutstandingRowJson(const Rejection& r);

// Writes `text` to `dir`/`name`, BZip2-compressed when `bz2` (libbz2: the same bytes for the same text),
// under a temporary name renamed at the end.
Status WriteFile(const std::filesystem::path& dir, const std::string& name, std::string_view text, bool bz2);

}  // namespace caisson::sim::internal
