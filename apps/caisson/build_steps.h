// `caisson build`: the steps the whole-books build and the streamed build (streamed_build.h) share.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "audit/audit.h"
#include "commands.h"
#include "delta/delta.h"
#include "emit/emit.h"
#include "pipeline.h"
#include "record_beside.h"
#include "setup.h"
#include "state/state.h"
#include "validate/validate.h"

namespace caisson::app {

// "caisson <verb>: N FDIDs, ..." on stderr.
void PrintSummary(const char* verb, const validate::Summary& s);

// The INACTIVE and scope counts of delta::ApplyActivity, on stderr when there is something to say.
void PrintActivity(const delta::ActivityReport& activity, bool end_inactive);
// Customers sent with updateNotification true because a value CAIS compares changed [§6.6.4].
void PrintProactive(int64_t flagged);
// The delta's line: FDIDs new, changed, carrying, replacing, refreshed and unchanged; customers changed.
void PrintDeltaCounts(const delta::Plan& plan);
// Customers with an open Material Inconsistency in the books, and those sent to resolve it [§6.6.3].
void PrintInconsistencies(int64_t open, int64_t resolving);

// What identifies a build: its kind, the options that shape the files, and the key and state of every record
// it sends (what the files carry; the same whether the whole books, the fast delta's subset or batches were
// read). A re-run with the same digest as the last submission (e.g. after a kill) writes nothing new.
// Feed the corrections (in Options::corrections order), then the FDIDs sent in books order, then the customers
// sent in books order.
class BuildDigester {
 public:
  BuildDigester(std::string_view kind, const std::string& profile, const emit::Options& o);
  // A correctionList entry, by the key of the record it names ("" for a DELETE): not by its index, which
  // depends on what was read.
  void Correction(const emit::Correction& c, std::string_view record_key);
  ~BuildDigester();
  BuildDigester(const BuildDigester&) = delete;
  BuildDigester& operator=(const BuildDigester&) = delete;
  void Fdid(std::string_view key, const emit::Fingerprint& fp) { Record(key, fp); }
  void EndFdids() { EVP_DigestUpdate(ctx_, "\n", 1); }
  void Customer(std::string_view key, const emit::Fingerprint& fp) { Record(key, fp); }
  std::string Hex();

 private:
  void Record(std::string_view key, const emit::Fingerprint& fp);
  EVP_MD_CTX* ctx_;
};

// The digest of a build of the whole books.
std::string BuildDigest(std::string_view kind, const std::string& profile, const emit::Options& o,
                        const model::Books& books, const emit::Fingerprints& fps, const delta::Plan& plan);

// A build that writes nothing is still a run of the daily job: the trail says so.
Status AuditNothingWritten(state::Store* store, std::string_view kind, int32_t file_date, std::string_view why,
                           int64_t same_as);

// The audit event's facts of a build: the profile, the findings summary and the activity counts (counts and
// names only, never an identifier).
std::map<std::string, audit::Value> BuildFacts(const std::string& profile, const validate::Summary& sum,
                                               const delta::ActivityReport& activity);

// Adds the planned pairs' files and records to the submission's counts.
void CountPlanned(const emit::Written& planned, state::Submission* submission);

// The store's entries of the files emit planned or wrote (record indices as emit gives them).
std::vector<delta::SentFile> SentFiles(const emit::Options& o, const emit::Written& w);

// emit's BeforeCommit for a build (the files are complete under their temporary names): findings.json and
// manifest.json beside them first, then the recording commits (RecordBeside::Finish). Once the store commits,
// a re-run of the same build writes nothing, so the local files must already be there; a run killed before
// the commit is built again and writes them again. If the recording fails, the two files go again.
Status CommitSubmission(const BooksArgs& args, const Setup& setup, const emit::Options& options,
                        const emit::Written& complete, const Outcome& outcome, RecordBeside* recording);

// After the files took their final names: the findings and the pairs on the terminal, and the exit code.
int ReportBuild(const Common& common, const BooksArgs& args, const Setup& setup, const emit::Written& written,
                const Outcome& outcome, const state::Submission& submission, const Status& run,
                int64_t pairing_held);

}  // namespace caisson::app
