// Private to sim: the simulator's own store (what "CAIS" accepted and rejected) and the feedback writers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/result.h"
#include "calendar/calendar.h"

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

// The last acceptance of an FDID [§3.8; Table 7].
struct AcceptedFdid {
  int64_t crd = 0, corr = 0, submitter = 0;  // corr 0 = none
  std::string fdid;
  std::string file;  // the Data File (with extension) that carried it
  int64_t submission_id = 0;
  int32_t accepted_on = 0;  // YYYYMMDD, New York date of the acceptance; 0 = unknown (a migrated row)
  int32_t end_date = 0;     // fdidEndDate, 0 = none
};

// The version of a customer CAIS last accepted from one (CAT Reporter CRD, correspondent CRD), with what the
// Material Inconsistency checks compare [§6.4.1] and what the daily file reports of it [Table 23].
struct MiVersion {
  std::string identity;  // SHA-256 hex of tidType|foreignTIDType|foreignTIDCountryCd|tidValue, never the TID
  int64_t crd = 0, corr = 0, submitter = 0;
  int kind = 1;                   // 1 natural person, 2 legal entity
  int64_t year_of_birth = 0;      // natural persons; 0 = none
  bool foreign_kind = false;      // a FOREIGN OTHGOVT / NATIONALID TID: the kind is compared
  bool active = false;            // an open association to an open FDID [§6.4.1 r1]
  std::string file;               // submissionFilename: the Data File it was last accepted in
  int64_t submission_id = 0;
  std::vector<int64_t> customer_record_ids;
  std::vector<std::string> fdids;  // its open FDIDs in that file, at most 10
  int64_t accepted_unix = 0;
};

// One Material Inconsistency of one (identity, crd, corr) and code [Table 23].
struct Inconsistency {
  std::string event_id;  // inconsistencyEventID: one per customer (identity) while it has any open
  std::string identity;
  int64_t crd = 0, corr = 0, code = 0;
  int64_t raised_unix = 0;  // the acceptance that raised it; the daily scan identifies it after [§6.4.1 r6]
  std::string identified;   // identificationDate (CAIS Timestamp); "" = not yet scanned
  std::string deadline;     // inconsistencyDeadline (CAIS Timestamp)
  std::string status = "open";  // open | resolved
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
  // Records (replaces) the last acceptance of an FDID, as the FDID Refresh Report needs it [§3.8].
  Status AcceptFdid(const AcceptedFdid& f);
  // Every accepted FDID, in (crd, fdid) order.
  Status ForEachFdid(const std::function<Status(const AcceptedFdid&)>& fn) const;
  Status AcceptCustomer(int64_t crd, std::string_view tid_key, std::string_view file, int64_t submission_id);
  Result<bool> KnownCrd(int64_t crd) const;
  Status AddCrd(int64_t crd);

  Status AddRejection(const Rejection& r);
  // Rows in (id, code) order; `open_only` keeps status "open".
  Status ForEachRejection(bool open_only, const std::function<Status(const Rejection&)>& fn) const;
  Status SetRejectionStatus(int64_t id, std::string_view status);

  // Material Inconsistencies [§6.4.1; §6.6.3]. The version CAIS last accepted of a customer per (identity,
  // crd, corr); nullopt when none.
  Result<std::optional<MiVersion>> GetMiVersion(std::string_view identity, int64_t crd, int64_t corr) const;
  // Every scope's last accepted version of `identity`, in (crd, corr) order.
  Result<std::vector<MiVersion>> MiVersions(std::string_view identity) const;
  Status PutMiVersion(const MiVersion& v);
  // The one-time attestation of a CAT Reporter CRD for a customer [§6.6.3 r2; §6.4.1 r5].
  Status Attest(std::string_view identity, int64_t crd);
  Result<bool> Attested(std::string_view identity, int64_t crd) const;
  Status AddInconsistency(const Inconsistency& m);
  // Rows not resolved, in (raised_unix, event_id, crd, corr, code) order.
  Status ForEachOpenInconsistency(const std::function<Status(const Inconsistency&)>& fn) const;
  // Marks a pending row identified.
  Status IdentifyInconsistency(const Inconsistency& m);
  // Resolves every unresolved row of (identity, crd), setting *interfirm when one of them was a 4000x.
  Status ResolveInconsistencies(std::string_view identity, int64_t crd, int* resolved, bool* interfirm);

 private:
  struct Rep;
  explicit Db(std::unique_ptr<Rep> rep);
  // Brings a store of an older schema to the current one, in one transaction.
  Status Migrate();
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

// One row of a daily or monthly set's data file; `id` is what the 400,000 limit counts (the rejectionID, the
// inconsistencyEventID, the FDID).
struct SetRow {
  std::string id;
  std::string json;  // one line
};
// (CAT Submitter ID, CAT Reporter CRD, correspondent CRD; 0 = none).
using SetWho = std::tuple<int64_t, int64_t, int64_t>;
// The opening of every set's meta file: `{"catSubmitterID": S, "catReporterCRD": C, ` and, when there is one,
// `"correspondentCRD": R, `.
std::string MetaHead(const SetWho& who);
// Writes the sets of `kind` (e.g. "OUTSTANDINGINCONSISTENCIES") for `date` (YYYYMMDD) into `dir`: per
// SetWho, groups of at most 400,000 distinct ids, each
// `<sub>_<crd>[_<corr>]_<date>_<kind>_<nnnnnn>_data.json.bz2` then its `_meta.json` (text from `meta(who, rows of the group, data file name)`), and last the empty
// sentinel `<date>_<kind>_processed` [§3.8 r3–r8; §6.4.2 r2–r8; §6.5]. Appends the names to *written.
Status WriteSets(const std::filesystem::path& dir, std::string_view kind, int32_t date,
                 const std::map<SetWho, std::vector<SetRow>>& sets,
                 const std::function<std::string(const SetWho&, const std::vector<const SetRow*>&,
                                                 const std::string&)>& meta,
                 std::vector<std::string>* written);

// Writes `text` to `dir`/`name`, BZip2-compressed when `bz2` (libbz2: the same bytes for the same text),
// under a temporary name renamed at the end.
Status WriteFile(const std::filesystem::path& dir, const std::string& name, std::string_view text, bool bz2);

// --- Material Inconsistencies and the FDID Refresh Report (daily.cc) ------------------------------------

// Records `v`, the version of a customer just accepted, and raises or resolves its Material Inconsistencies
// [§6.4.1; §6.6.3; §6.6.4]. `update_notification`: the record carried updateNotification true.
Status OnCustomerAccepted(const MiVersion& v, bool update_notification, Db* db);

// The daily Outstanding Material Inconsistencies set of `today` [§6.4.2; Tables 22–23]: identifies the rows
// raised by `cutoff` (08:00 ET today [§6.4.1 r6]) and writes every open identified row. *rows = rows written.
Status WriteInconsistencySet(const calendar::Calendar& cal, calendar::Instant cutoff, int32_t today,
                             const std::filesystem::path& dir, Db* db, std::vector<std::string>* written,
                             int64_t* rows);

// The FDID Refresh Report of `today` [§3.8; Tables 6–7]. *rows = FDIDs listed.
Status WriteRefreshReport(calendar::Date today, const std::filesystem::path& dir, Db* db,
                          std::vector<std::string>* written, int64_t* rows);

}  // namespace caisson::sim::internal
