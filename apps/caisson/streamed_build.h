// A full `caisson build` without the whole books in memory (issue #6: memory that grows with
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
// (tests/cli/batched_validate_test.cc compares them, on a first build and on full builds over a store that
// has sent and had acceptances). It runs for a full build (not --delta or --repair). On a store that has
// records, each batch reads the store rows of its own records, and the FDIDs CAIS accepted that the books no
// longer have (state.vanished) are found once from the books scan. Open repair items and Material
// Inconsistencies are settled per record: each batch notes which of their records it holds and sends (and
// flags its inconsistent customers with updateNotification), and the correctionList is made from that once
// the spill is sealed, in the whole-books build's order. Anything else
// the whole-books build does across records (TID replacements, which append the previous versions after every
// customer), and books the
// batches cannot take (see StreamBooksInBatches), is a NotSupported before anything is written, and the caller
// reads the whole books. CAISSON_STREAMED_BUILD=0 turns it off.
#pragma once

#include "base/status.h"
#include "commands.h"
#include "emit/emit.h"
#include "setup.h"
#include "state/state.h"

namespace caisson::app {

// Whether the run may stream: a full build with batches on and CAISSON_STREAMED_BUILD not 0.
bool MayStream(const Setup& setup, const BooksArgs& args);

// Runs the whole build. *exit_code is set when it returns OK; NotSupported (nothing written, nothing recorded):
// the caller builds from the whole books.
Status RunStreamedBuild(const Common& common, const BooksArgs& args, const Setup& setup,
                        const emit::Options& options, state::Store* store, int* exit_code);

}  // namespace caisson::app
