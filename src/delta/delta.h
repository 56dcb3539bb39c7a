// delta: what today's submission must carry — the closure of §3.6, not a diff (ARCHITECTURE.md "delta").
//
// CAIS reads every record it receives as the record's full current state and treats what a sent record leaves
// out as ended [§3.6; §5.1.3.1 R14, R25]. So the unit of change is a whole FDID with all its customers:
//  * an FDID never emitted, or whose full state (its fingerprint) differs from the one last emitted, is sent;
//  * a customer whose own record changed is sent with one of its active FDIDs in full, because a customer
//    alone in a file is rejected [§5.1.3.2 R2; App B 22523]; its other FDIDs stay out;
//  * a REPLACED FDID brings its replacing FDID unless CAIS accepted that one already [§3.1; App B 23004];
//  * everything else is not sent (§3.6's exception for unchanged records).
// An FDID CAIS accepted that is no longer in the books is a `state.vanished` finding: CAIS keeps it open until
// it is ended explicitly [§5.1.3 R14]. One accepted under another correspondentCRD than the books now give is a
// `state.pairing` finding and, by default, held back [§2.1.1]. Fingerprints come from emit (the bytes it would write); this module
// only compares them with the state store. Used by one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string_view>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/finding.h"
#include "base/result.h"
#include "model/model.h"
#include "spec/spec.h"
#include "state/state.h"
#include "validate/validate.h"

namespace caisson::delta {

using Fingerprint = state::Fingerprint;

// state::RecordState::flags bits this module owns.
inline constexpr int32_t kFlagEnded = 1;       // the FDID was last emitted with an fdidEndDate
inline constexpr int32_t kFlagNoActivity = 2;  // the books gave no last_activity_date for the FDID
inline constexpr int32_t kFlagRefreshListed = 4;  // CAIS's FDID Refresh Report lists it; cleared on acceptance
// Customers: last emitted with updateNotification true, so its acceptance resolves the customer's open
// Material Inconsistencies [§6.6.3 r1]; an acceptance without it (e.g. of the file that caused one) does not.
inline constexpr int32_t kFlagUpdateNotification = 8;

// The active-account scope and INACTIVE ends [§1.1; §3.8; §5.1.3.1 R22], applied to the books before the
// fingerprints are taken:
//  * an FDID Caisson ended INACTIVE earlier (state: inactive_since) stays INACTIVE with that date while the
//    books show no activity after it; with activity after it, it is left open, so the delta resends it whole
//    with its associations active (reactivation [§3.8]);
//  * with `end_inactive`, an open FDID not held back whose last_activity_date is more than six months before
//    as_of is ended INACTIVE on as_of, the end cascading to its open roles and LTIDs;
//  * an FDID whose last activity is before `scope_start` and that was never emitted is out of scope.
// FDIDs the books end themselves are left as they are.
struct ActivityOptions {
  int32_t as_of = 0;              // YYYYMMDD. REQUIRES: set
  bool end_inactive = false;      // `build --end-inactive`
  int32_t scope_start = 20220612; // CAT-reportable activity on or after this date puts an FDID in scope
  // Read the store row of each FDID of the books rather than the whole store (the fast delta's subset).
  bool lookup = false;
};
struct ActivityReport {
  int64_t ended_inactive = 0;     // newly ended today
  int64_t still_inactive = 0;     // ended earlier, no activity since
  int64_t reactivated = 0;        // ended earlier, activity since
  int64_t without_activity = 0;   // open FDIDs with no last_activity_date
  int64_t out_of_scope = 0;
  std::vector<bool> out_of_scope_fdid;  // parallel to Books::fdids
};
Result<ActivityReport> ApplyActivity(model::Books* books, const validate::Holds& holds, const state::Store& store,
                                     const ActivityOptions& options);

// YYYYMMDD `months` calendar months before `date` (the day clamped to the month's length).
int32_t MonthsBefore(int32_t date, int months);
inline int32_t SixMonthsBefore(int32_t date) { return MonthsBefore(date, 6); }

struct Options {
  // Send every current record not held back (`build --full`; not the Help-Desk Full Data Replacement of §3.7).
  // Default: false (the closure).
  bool full = false;
  // FDIDs out of the active-account scope (ActivityReport); never sent unless emitted before. Empty = none.
  std::vector<bool> out_of_scope;
  // state.pairing: "hold" (default: an FDID accepted under another correspondentCRD is not sent), "report"
  // (sent, with the finding) or "off" (caisson.toml [rules]).
  std::string pairing_policy = "hold";
  // Enforced periodic refresh [§3.8]: an open FDID last accepted on or before this date is resent whole
  // (`[state] enforce_refresh`: 11 months before as_of). 0 = off (default).
  int32_t refresh_accepted_on_or_before = 0;
  // Customers to send even when unchanged (parallel to Books::customers; empty = none): those with an open
  // Material Inconsistency, which a resubmission with updateNotification true resolves [§6.6.3].
  std::vector<bool> resend_customers;
  // Resend, whole, the open FDIDs CAIS's FDID Refresh Report listed (kFlagRefreshListed) [§3.8]. Default: true.
  bool resend_refresh_listed = true;
  // The fast delta (scan.h) hands Select a closed subset of the books: Select then reads the store rows of
  // the subset's records one by one instead of the whole store, and takes the store's FDIDs that the whole
  // books lack (state.vanished candidates) from here. Null (default): the books given are all.
  const std::vector<state::RecordState>* absent_fdids = nullptr;
};

// Why an FDID is in today's submission.
enum class Reason : unsigned char {
  kNotSent,    // unchanged since it was last emitted, or held back
  kNew,        // never emitted
  kChanged,    // its full state differs from the one last emitted
  kCarrier,    // unchanged, sent to carry a changed customer (22523)
  kReplacing,  // unchanged, sent with the FDID it replaces (23004)
  kFull,       // Options::full
  kTidReplacement,  // unchanged, but a customer of it replaces its TID: every association moves [§3.2]
  kRefresh,    // unchanged, but due for the 12-month refresh (Options::refresh_accepted_on_or_before) [§3.8]
};

// What the store knew of one record when the plan was made (the parts Record needs to keep).
struct Known {
  bool in_store = false;
  state::RecordState state;  // key empty when !in_store
};

// The Known of each record by Books index: a row for each record the store has, 4 bytes for each it lacks (a
// first build of 10^6 FDIDs and 1.5 * 10^6 customers knows none of them, and a whole Known each was ~0.5 GiB).
class KnownRows {
 public:
  void Resize(size_t n) { at_.assign(n, -1); }
  void Set(size_t i, const state::RecordState& row) {
    if (at_[i] < 0) {
      at_[i] = static_cast<int32_t>(rows_.size());
      rows_.push_back(Known{true, row});
    } else {
      rows_[static_cast<size_t>(at_[i])].state = row;
    }
  }
  const Known& operator[](size_t i) const { return at_[i] < 0 ? kAbsent : rows_[static_cast<size_t>(at_[i])]; }
  size_t size() const { return at_.size(); }

 private:
  inline static const Known kAbsent{};
  std::vector<int32_t> at_;
  std::vector<Known> rows_;
};

struct Plan {
  std::vector<Reason> fdid;      // parallel to Books::fdids
  std::vector<bool> customer;    // parallel to Books::customers: sent today
  std::vector<bool> customer_changed;  // its own record differs from the one last emitted
  // Changed, but on no FDID that could carry it today (all ended, held back, out of scope, or its roles
  // inactive): not sent, and nothing CAIS needs until one of those FDIDs changes.
  std::vector<bool> customer_stranded;
  // The customer's PriorTid is the TID CAIS has: today's file carries both versions [§3.2] (AddPriorVersions).
  std::vector<bool> tid_replacement;
  // What emit must write: every FDID not sent today counts as held back.
  validate::Holds emit_holds;
  KnownRows fdid_known, customer_known;  // parallel to the Books
  int64_t new_fdids = 0, changed_fdids = 0, carrier_fdids = 0, replacing_fdids = 0, unchanged_fdids = 0;
  int64_t changed_customers = 0, stranded_customers = 0;  // stranded: changed, but no active FDID to carry it
  int64_t full_fdids = 0, tid_replacements = 0, refresh_fdids = 0;
  int64_t pairing_held = 0;  // FDIDs held back by state.pairing
  std::vector<Finding> findings;  // state.vanished, state.pairing
  // Nothing to send.
  bool empty() const {
    return new_fdids + changed_fdids + carrier_fdids + replacing_fdids + full_fdids + refresh_fdids == 0;
  }
  size_t books_customers = 0;  // Books::customers before AddPriorVersions
  // The books digest (scan.h) of each record, parallel to Books::fdids / ::customers (0 = unknown); set by
  // the caller after Select. Record keeps it with every state it records as emitted.
  std::vector<uint64_t> fdid_scan, customer_scan;
};

// Compares the books with the store. REQUIRES: `holds` from validate::ResolveHolds for `books`; the
// fingerprints parallel to Books::fdids / ::customers (emit::ComputeFingerprints).
Result<Plan> Select(const model::Books& books, const validate::Holds& holds,
                    const std::vector<Fingerprint>& fdid_fp, const std::vector<Fingerprint>& customer_fp,
                    const state::Store& store, const Options& options);

// The state.vanished finding Select makes for an FDID CAIS accepted, not ended, that the books lack.
Finding VanishedFinding(std::string_view key);

// `build --repair`: keeps in `plan` only the FDIDs a repair needs — those `repair_fdid` marks and those
// associated with a customer `repair_customer` marks (rejected records, customers with an open inconsistency;
// both parallel to the Books) — with their customers; every other change waits for the next delta. Call after
// Select.
void KeepRepairsOnly(const model::Books& books, const std::vector<bool>& repair_fdid,
                     const std::vector<bool>& repair_customer, Plan* plan);

// For each TID replacement of `plan`, appends to books->customers the customer's previous version (its
// PriorTid as TID record, same firm key) and, on every FDID sent today where the customer holds an open
// association, that association for the previous version explicitly ended: roleEndReason the identifier's
// end_reason, roleEndDate its end_date (CORRECTION: the roleStartDate) [§3.2]. The current version keeps the
// original roleStartDate. Extends plan->emit_holds to the new customers. Call after Select, before emit.
void AddPriorVersions(model::Books* books, Plan* plan);

// What CAIS compares for Material Inconsistencies [§6.4.1], as the store keeps it: kind * 10^10 + yearOfBirth
// (natural person, kind 1) or the nine ein digits (legal entity, kind 2); 0 without a TID record.
int64_t MiFacts(const model::Customer& c);

// [§6.4.1; §6.6.4] For each customer sent today whose TID is the one CAIS has: when its yearOfBirth, or its
// natural-person/legal-entity kind under a FOREIGN OTHGOVT or NATIONALID TID, differs from the accepted
// version, sets updateNotification true so that CAIS raises no intrafirm inconsistency — unless the books say
// update_notification N, which gets a customer.mi_predict finding (30002 / 30004). A changed ein gets none:
// CAIS raises no new 30003 since 22544 [App B Table 32]. Call after Select and before emit: the flag is not part of
// the fingerprints. Returns how many customers it flagged.
int64_t ProactiveUpdates(model::Books* books, const Plan& plan, std::vector<Finding>* findings);

// The fingerprint of a TID record kept in the store instead of the TID (tidType, foreign type, tidValue).
Fingerprint TidFingerprint(const model::TidRecord& tid);

// One file emit wrote (the app translates emit's PairInfo), under its temporary name until Record commits.
struct SentFile {
  state::FileEntry entry;         // base name, kind, partner, sizes, sha256, counts
  std::vector<int32_t> fdids;     // CAIS files: Books::fdids indices in fdidRecordID order (id = position + 1)
  std::vector<int32_t> customers; // CAIS files: Books::customers indices in customerRecordID order
  std::vector<int64_t> deleted_rejections;  // CAIS files: rejectionIDs of the DELETEs its correctionList carries
};

// Records a written submission in one transaction: the submission row (status "pending"), its files in the
// name register (status "pending": still under their temporary names), the record-ID maps (fdid, customer,
// largeTrader "<fdidRecordID>/<largeTraderRecordID>" -> LTID, authTrader "<fdidRecordID>/<authTraderNameID>"
// -> name), the emitted fingerprint of every record sent, and a "build" audit event whose payload holds the
// submission, its counts, its file names with their SHA-256, the plan's counts and `facts` (e.g. the findings
// summary; counts and names only, never an identifier). Sets submission->id.
// REQUIRES: the files are complete under their temporary names (emit's BeforeCommit).
//
// `complete` (optional) lets the rows be written while the files are still being compressed: `files` then hold
// the planned names, counts and records, and once every row is written Record calls `complete`, which waits
// for the files and sets each entry's sizes and SHA-256 (or fails, and nothing is recorded); the transaction
// commits only after that, so the invariant above holds.
using CompleteFiles = std::function<Status(std::vector<SentFile>* files)>;
Status Record(const model::Books& books, const Plan& plan, const std::vector<Fingerprint>& fdid_fp,
              const std::vector<Fingerprint>& customer_fp, std::vector<SentFile> files,
              const std::map<std::string, audit::Value>& facts, state::Submission* submission,
              state::Store* store, const CompleteFiles& complete = nullptr);

// Record for a build that never holds the whole books (apps/caisson's streamed build): the caller writes the
// states and the record-ID maps; `counts` gives the plan's counts for the audit event (its vectors may be empty).
struct RecordRows {
  int64_t rows = 0;  // records whose state is written today (chooses the store's write mode)
  // Puts the state of every record sent: SentFdidState / SentCustomerState with emitted_submission set.
  std::function<Status(state::Txn&, int64_t submission_id)> put_states;
  // Maps one CAIS file's record IDs: MapFdid for each FDID, MapCustomer for each customer, MapDeletions.
  std::function<Status(state::Txn&, const SentFile&)> map_file;
};
Status Record(const RecordRows& rows, const Plan& counts, std::vector<SentFile> files,
              const std::map<std::string, audit::Value>& facts, state::Submission* submission,
              state::Store* store, const CompleteFiles& complete = nullptr);

// The state Record keeps of an FDID / customer sent today, given what the store knew of it and its books
// digest; emitted_submission is left 0 for the caller to set.
state::RecordState SentFdidState(const model::Fdid& f, const Known& known, const Fingerprint& fp, uint64_t scan);
state::RecordState SentCustomerState(const model::Customer& c, const Known& known, const Fingerprint& fp,
                                     uint64_t scan);

// The record-ID map entries Record writes for a CAIS file `base`: FDID record `record_id` (1-based) with its
// LTIDs and trader names in list order, customer record `record_id`, and the file's DELETEd rejections.
Status MapFdid(state::Txn& txn, const std::string& base, size_t record_id, std::string_view key,
               const std::vector<std::string_view>& ltids, const std::vector<std::string_view>& traders);
Status MapCustomer(state::Txn& txn, const std::string& base, size_t record_id, std::string_view key);
Status MapDeletions(state::Txn& txn, const SentFile& f);

// The fast delta's memory of records that did not go out: for each record of `books` not sent in `plan`
// whose state is still the one last emitted (fingerprint equal to state.emitted), or a stranded customer,
// keeps its books digest (plan.fdid_scan / customer_scan, when non-zero and different from the stored one),
// so that the next delta need not read it. A stranded customer's change is found again when an FDID brings it
// back: any change that could make one of its FDIDs carry it changes that FDID's rows, and a read FDID reads
// its customers. A record `holds` holds back loses its digest instead: what holds it may change with the date
// or with other records, so the next delta reads it again. One transaction; returns how many rows it updated.
Result<int64_t> RememberDigests(const model::Books& books, const Plan& plan, const validate::Holds& holds,
                                const std::vector<Fingerprint>& fdid_fp, const std::vector<Fingerprint>& customer_fp,
                                state::Store* store);
// RememberDigests in two steps, for a build that has the books in batches: the rows one batch changes, and
// their writing (one transaction).
struct RememberedDigests {
  std::vector<state::RecordState> fdids, customers;
};
RememberedDigests DigestsToRemember(const model::Books& books, const Plan& plan, const validate::Holds& holds,
                                    const std::vector<Fingerprint>& fdid_fp,
                                    const std::vector<Fingerprint>& customer_fp);
Result<int64_t> WriteDigests(const RememberedDigests& rows, state::Store* store);

// After the files took their final names: the submission and its files become "written".
Status MarkWritten(int64_t submission_id, state::Store* store);

// Completes a submission a killed run recorded but did not finish: each "pending" file whose final name is
// missing takes it from its complete temporary file (`<name>.json.bz2.tmp-<pid>` in the submission's out_dir,
// checked against the recorded SHA-256). Corruption naming the file when neither exists: the store then
// describes files that are gone, which needs a person. Sets *recovered to the files renamed.
Status Recover(state::Store* store, int64_t* recovered);

// The acceptance of a submission (`caisson accept`, until feedback ingestion does it [§6.3]): every record it
// sent becomes accepted on `date` (YYYYMMDD), except the rejected ones, which go back to their last accepted
// state so that the next delta sends them again. The cascades of §6.3 apply: a rejected customer takes every
// FDID of the submission's Data Files associated with it (read from the files in the submission's out_dir),
// and a rejected FDID is rejected whole (an LTID error names its FDID). One transaction with an "accept" audit
// event. Open repair items of every accepted record close ("late" after their deadline); `repairs` are added.
// InvalidArgument for an unknown submission, one not yet written, or a rejected key it did not send.
struct Acceptance {
  int64_t submission_id = 0;
  int32_t date = 0;
  std::vector<std::string> rejected_fdids;      // firm FDIDs
  std::vector<std::string> rejected_customers;  // firm customer_ids
  // Per Data File (feedback ingestion): only the records that file carried (base name, no extension), and the
  // submission's status is left alone; rejected keys the submission no longer holds are skipped. "" = all.
  std::string base_name;
  bool reject_all = false;  // the whole file failed (integrity error, timeout, processing failure, cancelled)
  std::vector<std::pair<std::string, std::string>> file_statuses;  // set in the same transaction
  std::string source;  // for the audit event, e.g. the feedback file's name
  std::vector<state::RepairItem> repairs;  // rejections to repair, recorded in the same transaction
};
// Once the acceptance is committed, the record states written since the last fold are folded into the store's
// main tables when they number 1/64 of them (state::Store::Compact). A day's delta writes ~3 % of the records, so
// accepting it folds them: acceptance is off the daily job's clock, and the next build starts from small recent
// tables (at 10 M FDIDs a build over a day's unfolded states took ~1.5 s more). The per-file acceptances of
// feedback fold once, at the large file. A failed fold changes nothing and leaves reads correct: see `fold`.
struct Accepted {
  int64_t fdids = 0, customers = 0, rejected_fdids = 0, rejected_customers = 0;
  int64_t folded = 0;  // record states folded into the main tables
  Status fold;
};
inline constexpr double kFoldFraction = 1.0 / 64;
Result<Accepted> Accept(const spec::Profile& profile, const Acceptance& acceptance, state::Store* store);

}  // namespace caisson::delta
