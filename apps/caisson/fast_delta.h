// The fast daily delta (issue #7 speed target): `build --delta` reads only the records that may have changed
// (delta/scan.h) instead of the whole books, and falls back to the whole books when it cannot tell. `build
// --repair`, a delta that sends only the repairs, takes the same path.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "base/result.h"
#include "commands.h"
#include "delta/delta.h"
#include "delta/scan.h"
#include "ingest/ingest.h"
#include "pipeline.h"
#include "setup.h"
#include "state/state.h"

namespace caisson::app {

struct FastDelta {
  bool on = false;           // the subset path runs
  std::string why_full;      // why the whole books are read ("" when on)
  std::string context;       // ScanContext of this build
  bool scanned = false;      // `scan` holds today's digests
  delta::Scan scan;
  delta::LoadSet load;       // when on
  Subset subset;             // when on: the rows ValidateBooks reads
  // The keys of the records read (views into `scan`): a small set, so that the per-row test of ingest stays
  // in cache instead of probing the scan's maps of every key.
  absl::flat_hash_set<std::string_view, delta::ScanKeyHash, delta::ScanKeyEq> read_fdids, read_customers;
  // The rows ingest reads, per books file (parallel to scan.files): it reads no file twice.
  std::vector<ingest::Excerpt> excerpts;
};

// What the stored digests assume: Caisson's version, the digest version (delta::kScanDigestVersion), the profile,
// and the settings of caisson.toml that shape a record's state or hold (firm, [tid], [rules], enforce_refresh; not
// as_of). A change reads the whole books once.
std::string ScanContext(const Setup& setup);

// Decides the path of `build --delta` and `build --repair` (the whole books for --scan full or
// CAISSON_DELTA_SCAN=full, no digests recorded with the last submission, another context, an as_of before
// the last submission's, and for a delta a choice of more than an eighth of the books' records once it is
// above 100,000 of them, CAISSON_FAST_DELTA_MAX) and, for the fast one, scans the books and chooses the records to read. A repair
// reads what a delta would (the records with a repair are among them) and sends only the repairs
// (delta::KeepRepairsOnly): reading less would miss what holds a repaired record back, e.g. a changed or held
// customer that shares its identifier. A scan that
// fails only makes the path full (LoadBooks then reports the books' fault).
// *fast must stay where it is while the subset is used (its closures point into it).
Status PrepareDelta(const Setup& setup, const BooksArgs& args, const state::Store& store, int64_t last_submission,
                    FastDelta* fast);

// After the subset's validation: a record held back may owe it to a cascade (22048, 22523, 22529; rules.md)
// that runs through records the closure did not read, and can pass it on to any record of its component. So
// the fast path reads the whole components (validate's batches: roles, REPLACED links, FDIDs equal but for
// spaces, shared identifier values) of the held records, as the whole books would see them. Returns true
// when that added records: the subset must then be read and validated again.
Result<bool> WidenToHeldComponents(const model::Books& books, const validate::Holds& holds, FastDelta* fast);

// For a build on the whole books: scans them (since 0) so that the build records the digests. A failure
// leaves `scanned` false and the build records none.
void ScanForRecord(const Setup& setup, const BooksArgs& args, FastDelta* fast);

// Fills plan->fdid_scan / customer_scan from the scan (zeros when none); on the fast path, hands Select the
// store's FDIDs the whole books lack (options->absent_fdids), so that it reads only the subset's rows.
void AttachDigests(const model::Books& books, const FastDelta& fast, delta::Plan* plan);
void TellSelect(const FastDelta& fast, delta::Options* options);

}  // namespace caisson::app
