// `caisson build` into a new state store without the whole books in memory (issue #6: memory that grows with
// the keys, not with the bytes; a build of 10^7 FDIDs at all).
//
// The books are read and validated in batches of whole components (batched_validate.h), and each batch, on
// the worker that read it, goes through the steps the whole-books build runs on everything: the activity
// rules, the fingerprints, the selection, the books digests; then its records are serialised once into emit's
// spill (emit/spool.h) with the state the store will keep of them, and the batch's model is dropped. What stays
// in memory is the findings, ~32 bytes a record of sizes and links, and the order of the books. The files are
// then planned and written from the spill, and the store records them beside the compressor as before.
//
// The files, findings.json, manifest.json, the output and the store's rows are those of the whole-books build
// (tests/cli/streamed_build_test.cc compares them). It runs only where the whole-books build's later steps have
// nothing to do: a full build (not --delta or --repair) into a store with no submission and no record yet — no
// corrections, inconsistencies, TID replacements, pairings or vanished FDIDs to consider. Anything else, or
// books the batches cannot take (see StreamBooksInBatches), is a NotSupported and the caller reads the whole
// books. CAISSON_STREAMED_BUILD=0 turns it off.
#pragma once

#include "base/status.h"
#include "commands.h"
#include "emit/emit.h"
#include "setup.h"
#include "state/state.h"

namespace caisson::app {

// Whether `store` is one a streamed build may record into (no submission, no record state) and the run
// allows it (not --delta / --repair, batches on, CAISSON_STREAMED_BUILD not 0).
Result<bool> MayStream(const Setup& setup, const BooksArgs& args, const state::Store& store);

// Runs the whole build. *exit_code is set when it returns OK; NotSupported (nothing written, nothing recorded):
// the caller builds from the whole books.
Status RunStreamedBuild(const Common& common, const BooksArgs& args, const Setup& setup,
                        const emit::Options& options, state::Store* store, int* exit_code);

}  // namespace caisson::app
