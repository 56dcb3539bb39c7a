// The verbs of `caisson` (cli.md): each takes parsed arguments, wires the modules and returns the exit status.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"

namespace caisson::app {

struct Common {
  std::filesystem::path config;   // --config; empty = ./caisson.toml, else <BOOKS>/caisson.toml, else defaults
  bool json = false;              // --format json
  std::string profile;            // --profile; empty = caisson.toml's
};

struct BooksArgs {
  std::filesystem::path books;
  std::filesystem::path out;      // build only
  std::string group;              // build --group (overrides [output] group)
  bool group_set = false;
  bool portal = false;            // build --portal
  std::string file_date;          // build --file-date YYYYMMDD
  bool delta = false;             // build --delta: the closure of what changed since the last submission
  bool full = false;              // build --full: every current record (the default of a plain build)
  bool end_inactive = false;      // build --end-inactive: end FDIDs without activity for 6 months INACTIVE
  bool repair = false;            // build --repair: only what repairs need (a delta restricted to them)
  std::string scan = "auto";      // build --scan auto|full: "full" makes a delta read the whole books
};

struct AcceptArgs {
  int64_t submission = 0;
  std::string date;                          // YYYYMMDD; default today (New York)
  std::vector<std::string> rejected_fdids;   // --reject-fdid
  std::vector<std::string> rejected_customers;  // --reject-customer
};

struct DeadlinesArgs {
  std::string received;                // --received MOMENT: when the firm received the data
  std::string identified;              // --identified MOMENT: when CAIS identified a Material Inconsistency
  std::string inconsistency_deadline;  // --inconsistency-deadline TIMESTAMP (as CAIS gave it)
  std::string refresh_report;          // --refresh-report YYYY-MM
};

struct CertifyArgs {
  std::filesystem::path books;
  std::string role = "auto";     // --role auto|self|agent|via-agent|no-fdids
  bool agents_certified = false;  // --agents-certified (via-agent)
};

struct SubmitArgs {
  std::filesystem::path dir;  // folder of CAIS/TID pairs (sub-folders per member allowed)
  std::string env;            // --env test|prodmirror|production
  int64_t member = -1;        // --member CRD; -1 = the only member in dir
  bool all = false;           // --all: every member with files waiting
};

struct OrgArgs {
  std::string verb;           // show | set-firm | add-member | add-relationship | add-account | add-user | grant | revoke
  std::string env, role, name, user, entitlement, start, end;
  int64_t crd = -1;
  std::vector<int64_t> correspondents;
  std::filesystem::path books_config;  // add-member --books-config
  bool production = false;
};

struct ReportCardArgs {
  std::string from, to;            // --from / --to YYYY-MM-DD; empty = open
  std::string now;                 // --now MOMENT (decides what is overdue); empty = the clock
  double threshold = -1;           // --threshold 0..1; < 0 = the formula's
  std::filesystem::path formula;   // --formula FILE; empty = data/reportcard/estimate.json
};

struct CaisSimArgs {
  std::filesystem::path upload;           // UPLOAD_DIR
  std::filesystem::path out;              // --out FEEDBACK_DIR
  std::string now;                        // --now MOMENT (default: the system clock)
  std::filesystem::path state;            // --state FILE (default: FEEDBACK_DIR/cais-sim.db)
  std::vector<int64_t> known_crds;        // --known-crd N (repeatable): CAT Reporter CRDs CAIS knows (22054)
  int64_t cat_submitter_id = -1;          // --submitter-id N: the uploader's own CAT Submitter ID
  bool refresh_report = false;            // --refresh-report: the FDID Refresh Report on any day [§3.8]
};

struct TxnFromFixArgs {
  std::vector<std::filesystem::path> logs;
  std::filesystem::path map;       // --map map.toml
  std::filesystem::path out;       // --out DIR
  std::string file_date;           // --file-date YYYYMMDD
  bool no_compress = false;        // --no-compress: write .json (for inspection; CAT takes .json.bz2)
};

struct TxnCheckArgs {
  std::vector<std::filesystem::path> events;
  std::filesystem::path store;     // --store orders.db (default: beside the CAIS state store)
  bool no_store = false;           // --no-store: no multi-day store
  int64_t clock_drift_ms = 50;     // --clock-drift-ms
};

struct TxnReconcileArgs {
  std::vector<std::filesystem::path> events;  // order-event files or folders of them
  std::string date;                           // --date YYYY-MM-DD: as of the end of that day (default: now)
  bool inactive_candidates = false;           // --inactive-candidates
};

struct GenEventsArgs {
  std::filesystem::path books;  // --events BOOKS
  std::filesystem::path out;
  uint64_t seed = 1;
  double defects = 0.0;
  std::string date;             // --date: last event date (default: the books' as_of)
  int days = 3;
  int64_t orders_per_account = 2;
};

int RunValidate(const Common& common, const BooksArgs& args);
int RunBuild(const Common& common, const BooksArgs& args);
int RunAccept(const Common& common, const AcceptArgs& args);
int RunStatus(const Common& common);
int RunCheck(const Common& common, const std::vector<std::filesystem::path>& paths, bool portal);
int RunShow(const std::filesystem::path& file, int64_t max_records);
int RunGen(int64_t accounts, uint64_t seed, double defects, const std::filesystem::path& out);
// gen --cais DIR: the books in `books` written as CAIS files with their planted defects, and what check must find.
int RunGenCais(const Common& common, const std::filesystem::path& books, const std::filesystem::path& out);
int RunSpecShow(const Common& common);
int RunSpecSchema(const Common& common, const std::filesystem::path& out);
int RunRepairList(const Common& common, const std::string& now);  // now: --now MOMENT, "" = the clock
int RunReportCard(const Common& common, const ReportCardArgs& args);
int RunFeedbackIngest(const Common& common, const std::vector<std::filesystem::path>& paths);
int RunAuditVerify(const Common& common);
int RunAuditExport(const Common& common, const std::filesystem::path& out);  // out "" = stdout
int RunDeadlines(const Common& common, const DeadlinesArgs& args);
int RunCertify(const Common& common, const CertifyArgs& args);
int RunCaisSim(const Common& common, const CaisSimArgs& args);
int RunSubmit(const Common& common, const SubmitArgs& args);
// Downloads new feedback of `env` into its inbox, then (when `ingest`) runs feedback ingest on the inbox.
int RunFeedbackFetch(const Common& common, const std::string& env, bool ingest);
int RunOrg(const Common& common, const OrgArgs& args);
int RunTxnFromFix(const Common& common, const TxnFromFixArgs& args);
int RunTxnCheck(const Common& common, const TxnCheckArgs& args);
int RunTxnReconcile(const Common& common, const TxnReconcileArgs& args);
int RunGenEvents(const GenEventsArgs& args);

// Exit status from a run (cli.md): 2 when it could not run, 1 when records were held back or a check failed,
// else 0.
int ExitCode(const Status& run, int64_t held_records, int64_t failed_checks);
// Prints "caisson: <message>" for a failed run on stderr and returns 2.
int Fail(const Status& status);

// The data folder holding spec/<profile>.json: $CAISSON_DATA_DIR, else ../share/caisson/data next to the
// binary, else the source tree's data/ (compiled in).
std::filesystem::path DataDir();

}  // namespace caisson::app
