// feedback: reads CAIS's per-file feedback and lets it decide what CAIS accepted [§6.1–§6.3; Tables 18–21].
//
// CAIS answers each submitted file with up to four feedback files, `<base>.v1..v4.feedback.json.bz2` (Data File
// feedback under cat/cais/feedback, TID File feedback under cat/tid/feedback [§6.1.1–§6.1.2]). Parse() reads one
// with a real JSON parser, tolerating the trailing commas the spec's own examples carry. Apply() records it in
// the state store and, when a Data File reaches a final status, settles its records: at
// COMPLETED_WITHOUT_REJECTIONS / COMPLETED_WITH_REJECTIONS every record it carried is accepted except those its
// rejectionItems name (through the file's record-ID maps, with the §6.3 cascades); at COMPLETED_INTEGRITY_ERROR,
// COMPLETED_FILE_TIMEOUT, INCOMPLETE_PROCESSING_FAILURE or CANCELLED_BY_SUPPORT none is, so the next delta sends
// them again. Feedback is idempotent (an older or repeated version changes nothing) and feedback for a file
// Caisson did not write is recorded in the audit trail, not refused. The daily Outstanding Rejections and
// Outstanding Material Inconsistencies sets are read below.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "calendar/calendar.h"
#include "spec/spec.h"
#include "state/state.h"

namespace caisson::feedback {

// One item of rejectionItems [Table 20 Rejection Record; Table 21].
struct RejectionItem {
  std::optional<int64_t> rejection_id;       // null on TID feedback
  std::string firm_designated_id;            // FDID rejections
  std::optional<int64_t> fdid_record_id;
  std::optional<int64_t> large_trader_record_id;
  std::optional<int64_t> auth_trader_name_id;
  std::vector<int64_t> customer_record_ids;  // customerRecordID is an array
  std::string addr_type;
  int64_t error_code = 0;
  std::string rejection_timestamp;
};

struct FileFeedback {
  std::string file_name;        // the feedback file's own name
  std::string base_name;        // the submitted file it answers, e.g. 123_456_20200204_CAIS_000123
  bool data_file = true;        // CAIS Data File (true) or TID File (false)
  int version = 0;              // 1..4
  std::string submission_id;    // CAIS's ID (a number in the Data File feedback, Text (36) in the TID one)
  std::string status;           // submissionStatus
  int64_t cat_reporter_crd = -1;  // Data File feedback only; -1 = absent
  std::string receipt_timestamp;    // YYYYMMDDTHHMMSS.fffffffff
  std::string completed_timestamp;  // "" until a final status
  std::vector<RejectionItem> rejections;
};

// Parses a decompressed feedback file. Corruption naming the file when its name is not
// `<base>.v<1-4>.feedback.json[.bz2]`, the JSON does not parse, or submissionStatus is missing or unknown.
Result<FileFeedback> Parse(std::string_view file_name, std::string_view json);

// True for the statuses after which a file's feedback ends [Tables 18–21].
bool IsFinal(std::string_view status);

struct Applied {
  bool foreign = false;    // the file is not in Caisson's name register (recorded in the audit trail only)
  bool stale = false;      // a version already seen or older: nothing changed
  bool settled = false;    // a Data File reached a final status and its records were settled
  int64_t accepted_fdids = 0, accepted_customers = 0, rejected_fdids = 0, rejected_customers = 0;
  int64_t repair_items = 0;
  int64_t tid_warnings = 0;  // TID File feedback: 249xx warnings linked to a customer of the paired Data File
};

// Records `fb` in the store (the file's status becomes "v<N> <STATUS>") and settles a Data File's records at a
// final status, in one transaction with an audit event. Each rejection becomes a repair item of the record it
// names, due 17:00 ET on T+3 [§5.4.2; Table 15], T being the CAT Trading Day of the business date the
// submission sent (when the books state was taken as received); `cal` may be null (no deadline known). TID
// File feedback records its 249xx warnings against the customers of the paired Data File, where `repair list`
// shows them beside the customer's error.
// `profile` reads the Data File back for the §6.3 cascades. InvalidArgument when the feedback is for another
// firm than the store's; the calendar's error when T or the deadline is outside its years.
Result<Applied> Apply(const spec::Profile& profile, const calendar::Calendar* cal, const FileFeedback& fb,
                      state::Store* store);

// --- The daily Outstanding Rejections [§6.5; Tables 24–25] ----------------------------------------------

// One row of an Outstanding Rejections data file.
struct OutstandingRejection {
  bool fdid = true;                // type FDIDRejection (true) or CustomerRejection
  std::string rejected_fdid;       // FDID rejections
  std::string submission_filename; // the file the record was last submitted in
  int64_t rejection_id = 0;
  std::optional<int64_t> fdid_record_id;
  std::vector<int64_t> customer_record_ids;
  int64_t error_code = 0;
  std::string rejection_timestamp;  // when the error was first identified
};

// What the daily and monthly sets share: one set per (submitter, CRD, correspondent CRD) and date, read from
// the data file names, and the files read into it.
struct SetKey {
  int64_t cat_submitter_id = 0, cat_reporter_crd = 0, correspondent_crd = 0;  // from the file name
  int32_t generation_date = 0;  // YYYYMMDD, from the file name
  std::vector<std::string> files;
};

// One day's set: the rows of its data files.
struct OutstandingSet : SetKey {
  std::vector<OutstandingRejection> rows;
};

// True for `<sub>_<crd>_<corr>_<date>_OUTSTANDINGREJECTIONS_<n>_data.json[.bz2]` (the metadata file, `_meta`,
// and the empty `<date>_OUTSTANDINGREJECTIONS_processed` sentinel are not data files).
bool IsOutstandingRejectionsData(std::string_view file_name);

// Adds the rows of one data file (a stream of JSON objects) to *set; the first file fixes the set's key from
// its name, a file of another key is InvalidArgument. Corruption naming the file for a bad name or JSON.
Status ParseOutstandingRejections(std::string_view file_name, std::string_view text, OutstandingSet* set);

struct Reconciled {
  int64_t listed = 0;       // rows read
  int64_t added = 0;        // repair items Caisson did not have (e.g. from feedback it never saw)
  int64_t closed = 0;       // open items CAIS no longer lists: repaired
  int64_t unlinked = 0;     // rows naming a file or record Caisson cannot link to a firm key
};

// Reconciles the store's repair items with CAIS's list [§6.5]: items CAIS lists and Caisson lacks are added
// (deadline as Apply computes it), open items of files of the same CRD and correspondent CRD generated before
// the scan date that CAIS no longer lists are closed as repaired. One transaction with an audit event. Give a
// whole day's set (every data file of it), or open items in the missing files are closed by mistake.
Result<Reconciled> ApplyOutstanding(const calendar::Calendar* cal, const OutstandingSet& set, state::Store* store);

// --- The daily Outstanding Material Inconsistencies [§6.4.2; Tables 22–23; the §6.4.3 example] ---------

struct OutstandingInconsistency {
  std::string event_id;              // inconsistencyEventID (opaque text)
  std::string submission_filename;   // the file the customer was last accepted in
  std::vector<int64_t> customer_record_ids;
  int64_t code = 0;                  // inconsistencyCode
  std::string identification_date;   // CAIS Timestamp
  std::string deadline;              // inconsistencyDeadline, CAIS Timestamp (Eastern Time)
  std::vector<std::string> fdids;    // firmDesignatedID: up to 10 FDIDs of the customer
};

struct InconsistencySet : SetKey {
  std::vector<OutstandingInconsistency> rows;
};

// True for `<sub>_<crd>_<corr>_<date>_OUTSTANDINGINCONSISTENCIES_<n>_data.json[.bz2]`.
bool IsOutstandingInconsistenciesData(std::string_view file_name);

// Adds the rows of one data file (a stream of JSON objects; `type` or `Type` materialInconsistency) to *set,
// as ParseOutstandingRejections does.
Status ParseOutstandingInconsistencies(std::string_view file_name, std::string_view text, InconsistencySet* set);

struct InconsistenciesApplied {
  int64_t listed = 0;    // rows read
  int64_t added = 0;     // inconsistencies Caisson did not have
  int64_t closed = 0;    // open ones of this pairing CAIS no longer lists: resolved
  int64_t unlinked = 0;  // rows naming a file or customer Caisson cannot link to a customer_id
};

// Records each listed inconsistency against the customer(s) its customerRecordIDs name in submissionFilename
// (through the record maps), with CAIS's deadline; closes the open ones of files of the same correspondent CRD
// that CAIS no longer lists. The next `build --delta` resends those customers with updateNotification true
// [§6.6.3]. One transaction with an audit event; InvalidArgument for another firm's set.
Result<InconsistenciesApplied> ApplyOutstandingInconsistencies(const InconsistencySet& set, state::Store* store);

// --- The monthly FDID Refresh Report [§3.8; Tables 6–7; the §3.8.1 example] -------------------------------

struct RefreshRow {
  std::string fdid;                    // firmDesignatedID
  std::string last_accepted_filename;  // opaque text (the spec's example does not follow §5.1.1)
  int32_t due = 0;                     // refreshDueDate, YYYYMMDD
  std::string status;                  // DUE | OVERDUE
};

struct RefreshSet : SetKey {
  std::vector<RefreshRow> rows;
};

// True for `<sub>_<crd>_<corr>_<date>_FDIDREFRESHREPORT_<n>_data.json[.bz2]`.
bool IsFdidRefreshReportData(std::string_view file_name);

// Adds the rows of one data file (a stream of JSON objects) to *set, as ParseOutstandingRejections does.
Status ParseFdidRefreshReport(std::string_view file_name, std::string_view text, RefreshSet* set);

struct RefreshApplied {
  int64_t listed = 0, due = 0, overdue = 0;
  int64_t unknown = 0;   // FDIDs the store does not know
  int64_t cleared = 0;   // FDIDs of this pairing no longer listed
};

// Marks each listed FDID of the store (delta::kFlagRefreshListed), so the next build resends it whole [§3.8],
// and clears the mark of FDIDs of the same correspondent CRD the report no longer lists. One transaction with
// an audit event; InvalidArgument for another firm's report.
Result<RefreshApplied> ApplyFdidRefreshReport(const RefreshSet& set, state::Store* store);

}  // namespace caisson::feedback
