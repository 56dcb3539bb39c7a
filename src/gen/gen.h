// gen: writes a deterministic, synthetic, realistic books-and-records folder (books-and-records.md) and a
// caisson.toml — for demos, tests and benchmarks. Every value is synthetic: SSNs are drawn from ranges the
// SSA never issues in a way that still passes the §3.4 checks only where intended, names from small lists.
//
// With defects > 0 a fraction of the records is broken on purpose, each defect breaking exactly one rule, and
// expected-findings.json lists (rule, cais_code, file, line, field) of each planted defect.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "base/result.h"

namespace caisson::gen {

struct Options {
  int64_t accounts = 100;       // FDIDs to generate (~1.5 customers each)
  uint64_t seed = 1;
  double defects = 0.0;         // fraction of accounts that carry one planted defect, 0..1
  int32_t as_of = 20261120;     // YYYYMMDD written as [spec] as_of; dates are drawn before it
  std::filesystem::path out;    // created; existing books files in it are replaced
};

// Same options, same bytes. IOError when the folder cannot be written.
Status Generate(const Options& options);

// CAT order-event files [CAT IM 4.1.0 r15 §4, §6.1] for a books folder written by Generate (issue #9).
struct EventsOptions {
  std::filesystem::path books;   // read: accounts.csv, roles.csv, caisson.toml (CRD, as_of)
  std::filesystem::path out;     // created; one <submitter>_CSNFIRM_<date>_OrderEvents_000001.json per date
  uint64_t seed = 1;
  double defects = 0.0;          // planted FDID defects per open account (each class in turn), 0..1; the same
                                 // number of linkage defects
  int32_t date = 0;              // YYYYMMDD of the last event date; 0 = the books' as_of (weekends step back)
  int days = 3;                  // event dates: `days` weekdays ending at `date` (holidays are not skipped)
  int64_t orders_per_account = 2;  // clean orders per open account (~3.5 events each)
  std::string submitter_id = "990002";
};

// Same options and books, same bytes. Writes expected-txn-findings.json: "fdid" (rule, cais_code, key, file,
// line, field of each planted FDID defect, as `caisson txn reconcile` reports it), "linkage" (check, code,
// file, line, field) and "reject_fdids" (FDIDs the planted submitted_not_accepted defects need rejected at
// `caisson accept`). IOError / Corruption when the books cannot be read; InvalidArgument for too few accounts.
Status GenerateEvents(const EventsOptions& options);

}  // namespace caisson::gen
