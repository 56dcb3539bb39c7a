// txn/reconcile: the FDID check CAT runs at Linkage Discovery (T+1 12:00 ET), run before it against the firm's
// CAIS state [CAT IM §2.4.2.1; App. E Table 178; §7.5 Table 157].
//
// CAT looks up every firmDesignatedID / newOrderFDID an event carries in CAIS Production data: it must exist
// for the reporter (else 3701/3703/3705/3707/3709, by where it sits) and be valid on the date (a customer
// associated on or before it, no fdidEndDate before it; else 3702/.../3710); 'PENDING' raises 3711. The
// reconciler predicts those codes from state::RecordState (accepted = what CAIS has; emitted = what Caisson sent)
// and adds Caisson's own obligations view. Classes (Caisson's names, not the spec's):
//   txn.fdid.not_submitted          never sent to CAIS and its CAIS report is not due yet (T+1 08:00 ET,
//                                   calendar::ReportDue): send it, or CAT raises the missing code shown
//   txn.fdid.missing                never sent to CAIS and T+1 08:00 has passed: CAT raises the missing code;
//                                   fix in CAIS by T+3 17:00 ET (calendar::RepairDue)
//   txn.fdid.submitted_not_accepted sent but not (yet) accepted: CAT reads accepted data only, so it predicts the
//                                   missing code unless CAIS accepts it first (T+3 17:00 ET)
//   txn.fdid.not_yet_valid          accepted, but no customer associated on or before the date: invalid code
//   txn.fdid.ended                  accepted, fdidEndDate before the date: invalid code
//   txn.fdid.pending                'PENDING' on a new order: 3711; the real FDID is due T+3 08:00 ET
//   txn.fdid.pending_supplement     'PENDING' on a supplement: ingestion error 2270 [Table 17 #12]
//   txn.fdid.inconsistent           accountHolderType 'O' on a new order, and the FDID's CAIS record lacks
//                                   accountType MARKET [CAIS Table 8]: no CAT code; severity inconsistency
//   txn.fdid.inactive_candidate     (option) accepted and open, not on any event read in the last 6 months
// One finding per (FDID, class, code, field): the first event's file and line, and how many events share it.
// Memory grows with distinct FDIDs, never with events. A Reconciler is used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "base/result.h"
#include "calendar/calendar.h"
#include "state/state.h"
#include "txn/events.h"

namespace caisson::txn {

struct ReconcileOptions {
  // The moment the check is made for: it decides not_submitted vs missing and the hours left. Required.
  calendar::Instant as_of;
  // The firm's CRD, for correspondentCRD on allocations [3709/3710]. Default -1: taken from the store.
  int64_t cat_reporter_crd = -1;
  // Also list accepted open FDIDs not seen on any event of the last `inactive_months` months. Default: false.
  bool inactive_candidates = false;
  int inactive_months = 6;
};

// What the reconciler knows of one FDID in CAIS (a projection of state::RecordState).
struct FdidState {
  std::string fdid;
  bool emitted = false;
  bool accepted = false;
  state::Validity emitted_validity;
  state::Validity accepted_validity;
  int32_t first_accepted = 0;  // YYYYMMDD; 0 = never
};

// A finding with the deadline it runs against.
struct FdidFinding {
  Finding finding;           // record "fdid", key = the FDID, cais_code = the predicted code (or empty)
  bool has_deadline = false;
  calendar::Deadline deadline;
  int64_t events = 0;        // events sharing this finding
};

struct ReconcileSummary {
  int64_t files = 0;
  int64_t events = 0;            // events read (reader-rejected lines not included)
  int64_t reader_findings = 0;
  int64_t fdid_values = 0;       // FDID values looked at (one event may carry several)
  int64_t fdids_seen = 0;        // distinct FDIDs on the events ('PENDING' not counted)
  int64_t fdids_in_state = 0;
  int32_t first_event_date = 0, last_event_date = 0;  // YYYYMMDD
  std::map<std::string, int64_t> events_by_code;      // predicted code -> events
  std::map<std::string, int64_t> findings_by_rule;
};

class Reconciler {
 public:
  // REQUIRES: `catalogue` and `cal` outlive the reconciler.
  Reconciler(const Catalogue& catalogue, const calendar::Calendar& cal, const ReconcileOptions& options);
  ~Reconciler();
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  // Takes every FDID row of the store (memory: one small entry per FDID). Errors of the store pass through.
  Status LoadState(const state::Store& store);
  // Adds one FDID's state (tests, or a caller with another source).
  void AddState(const FdidState& s);
  // Checks the FDIDs `event` carries. `file` names it in findings. Cheap when all is well (no allocation
  // unless a new FDID is seen or a finding is opened).
  void Add(const Event& event, std::string_view file);
  // Appends the findings (sorted by file, line, rule; inactive candidates last) and fills the FDID counts of
  // *summary. A finding whose event has no usable eventTimestamp, or a date outside the calendar's years, has
  // no deadline. Returns OK.
  Status Finish(std::vector<FdidFinding>* findings, ReconcileSummary* summary);

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

// Reads `paths` (files, or folders of *.json / *.json.bz2) with an EventReader and reconciles every event.
// Reader findings come first in *findings (no deadline). Errors: a path that cannot be opened, the store's.
Status ReconcileFiles(const Catalogue& catalogue, const calendar::Calendar& cal, const state::Store& store,
                      const std::vector<std::filesystem::path>& paths, const ReconcileOptions& options,
                      std::vector<FdidFinding>* findings, ReconcileSummary* summary);

// The findings document (cli.md shape, plus "deadline" and "events" on each finding, and a txn summary).
std::string ReconcileJson(std::string_view profile, const ReconcileSummary& summary,
                          const std::vector<FdidFinding>& findings);
// The one-page text summary: events read, FDIDs seen, predicted errors by code, hours to each deadline.
std::string ReconcileText(const ReconcileSummary& summary, const std::vector<FdidFinding>& findings,
                          calendar::Instant as_of);

}  // namespace caisson::txn
