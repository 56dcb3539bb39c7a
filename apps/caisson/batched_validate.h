// `caisson validate` in batches (issue #6): the books are scanned once (delta/scan.h), cut into batches of
// whole components (delta/batches.h), and each batch is read and validated on its own, one per core at a
// time. Memory then grows with the keys of the books, not with their bytes, and every core works.
//
// The findings and the summary are those of ValidateBooks on the whole books:
//  * a component holds every record a rule compares (an FDID with its customers, REPLACED pairs);
//  * customers with the same tidValue (or one naming another's as replacedByTID) are compared too: the scan
//    joins customers that share an identifier value before the first batch; should customers of one tidValue
//    still sit in different batches, once every batch has run the components they join move together into new
//    batches, and the batches they left run again;
//  * a finding every batch makes (a file's header) is kept once, and the counts come from the merged list.
// Anything the batches cannot settle falls back to the whole books: the `command` transformer (one external
// process per run), a books scan that fails (ValidateBooks then names the fault), an error in a batch (so that
// the error is the one a whole read reports).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "base/status.h"
#include "delta/scan.h"
#include "model/model.h"
#include "pipeline.h"
#include "setup.h"

namespace caisson::app {

struct BatchOptions {
  // FDIDs and customers per batch, about; 0 = read the whole books at once. Small batches are faster: a batch's
  // model stays in the caches through the passes over it (1 M FDIDs: 4.8 s in batches of 2,048, 6.3 s of 65,536).
  size_t records = 2048;
  // Batches validated at once: the machine's cores, at most 4 (each holds one batch's model, ~5 MB at the
  // default size).
  int workers = 2;
  // Join customers that share an identifier value in the books before the first batch
  // (delta::ScanOptions::link_identifiers), so that customers of one tidValue seldom need the second round.
  bool scan_links = true;
};

// Fills outcome->findings and outcome->summary (not holds or valid_from_dates). *batches: how many batches ran
// (0 when the whole books were read).
Status ValidateBooksInBatches(const Setup& setup, const std::filesystem::path& dir, const BatchOptions& options,
                              Outcome* outcome, size_t* batches);

// BatchOptions with CAISSON_VALIDATE_BATCH (records per batch; 0 = whole books) and CAISSON_VALIDATE_SCAN_LINKS=0
// (no identifier links from the scan: every tidValue joined by the second round, for tests) applied.
BatchOptions BatchOptionsFromEnvironment();

// What ValidateBooks gives (the whole model, holds, history dates, findings and summary), read in batches on the
// cores as above: the batches' records are put back in the books' order (FDIDs as accounts.csv lists them,
// customers as customers.csv does) and findings name records by their index in the whole model. `build` uses it:
// the model is still whole, but reading and validating it runs on every core. Falls back to the whole books as
// ValidateBooksInBatches does, and when the batches' models do not fit together.
Status ReadBooksInBatches(const Setup& setup, const std::filesystem::path& dir, const BatchOptions& options,
                          model::Books* books, Outcome* outcome, size_t* batches);

// For a build that never holds the whole books (streamed_build.h): one batch as read and validated.
struct TakenBatch {
  model::Books* books = nullptr;
  Outcome* outcome = nullptr;  // holds and findings (record indexes local to the batch)
  // The books scan's digest of each record (delta/scan.h), parallel to the batch's FDIDs and customers; 0: none.
  std::vector<uint64_t> fdid_digest, customer_digest;
  size_t books_fdids = 0, books_customers = 0;  // records of the whole books (the scan's counts)
};
struct TakeBatch {
  // Optional: called once with the whole books scan before the first batch; its findings join the batches'.
  std::function<Status(const delta::Scan& scan, std::vector<Finding>* findings)> before;
  // Called on the worker thread that read the batch; several batches may be taken at once. NotSupported: the
  // build cannot be streamed (StreamBooksInBatches then says so); any other error is the build's.
  std::function<Status(TakenBatch& batch)> take;
};

// Reads and validates the books in batches as ValidateBooksInBatches does and hands each batch to `take`;
// fills outcome->findings (record_index -1: no whole model exists) and outcome->summary. NotSupported, with nothing to keep
// from the batches taken, when the books must be read whole instead: the `command` transformer, batches off, a
// books scan or a batch that fails, a take that says so, or customers of one tidValue in two batches (the
// second round re-reads batches).
Status StreamBooksInBatches(const Setup& setup, const std::filesystem::path& dir, const BatchOptions& options,
                            const TakeBatch& take, Outcome* outcome, size_t* batches_run);

}  // namespace caisson::app
