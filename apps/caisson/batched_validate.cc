// `caisson validate` in batches (batched_validate.h).
#include "batched_validate.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <numeric>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "base/timings.h"
#include "delta/batches.h"
#include "delta/scan.h"
#include "ingest/ingest.h"
#include "model/model.h"

namespace caisson::app {

namespace {

struct BatchResult {
  Status status;
  bool ran = false;
  std::vector<Finding> findings;
  validate::Summary summary;
  // (Hash64 of a tidValue or replacedByTID, customer scan id): the links between customers of one tidValue.
  std::vector<std::pair<uint64_t, uint32_t>> tids;
};

class BatchRunner {
 public:
  BatchRunner(const Setup& setup, const std::filesystem::path& dir, const delta::Scan& scan)
      : setup_(setup), dir_(dir), scan_(scan) {}

  // Runs `which` batches of `batches` on `workers` threads into results[b].
  void Run(const delta::Batches& batches, const std::vector<uint32_t>& which, int workers,
           std::vector<BatchResult>* results) {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next++; i < which.size(); i = next++) {
        (*results)[which[i]] = RunOne(batches, which[i]);
        // Pages this batch faulted in go back: the next batches fault in their own.
        delta::ReleaseBooksPages(scan_);
      }
    };
    std::vector<std::thread> threads;
    for (int t = 1; t < std::min<int>(workers, static_cast<int>(which.size())); ++t) threads.emplace_back(work);
    work();
    for (std::thread& t : threads) t.join();
  }

 private:
  BatchResult RunOne(const delta::Batches& batches, uint32_t b) const {
    BatchResult result;
    result.ran = true;
    std::vector<ingest::Excerpt> excerpts;
    excerpts.reserve(scan_.files.size());
    for (size_t i = 0; i < scan_.files.size(); ++i) {
      // The scan maps each file whole from its start (delta::ScanFile).
      excerpts.push_back(ingest::Excerpt{scan_.files[i].text, batches.Rows(i, b), /*mapped=*/true});
    }
    // The excerpts hold exactly the batch's rows: no row needs a test of its key.
    Subset subset;
    subset.excerpt = [&](std::string_view name) -> const ingest::Excerpt* {
      for (size_t i = 0; i < scan_.files.size(); ++i) {
        if (scan_.files[i].name == name) return &excerpts[i];
      }
      return nullptr;
    };
    model::Books books;
    Outcome outcome;
    result.status = ValidateBooks(setup_, dir_, &books, &outcome, 0, &subset);
    if (!result.status.ok()) return result;
    // The batch's customers by key (the scan's own index is gone by now: FreeWhatBatchesDoNotUse).
    absl::flat_hash_map<std::string_view, uint32_t, delta::ScanKeyHash, delta::ScanKeyEq> ids;
    const auto [c_begin, c_end] = batches.Customers(b);
    ids.reserve(static_cast<size_t>(c_end - c_begin));
    for (const uint32_t* id = c_begin; id != c_end; ++id) ids.emplace(scan_.customers[*id], *id);
    for (const model::Customer& c : books.customers) {
      if (!c.tid) continue;
      const auto it = ids.find(c.key);
      if (it == ids.end()) {
        // The scan and ingest disagree on a key: the batches cannot be trusted.
        result.status = Status::Internal("validate", "a customer key the books scan did not find");
        return result;
      }
      for (const model::Text* tid : {&c.tid->tid_value, &c.tid->replaced_by_tid}) {
        if (*tid && !tid->empty()) result.tids.emplace_back(delta::Hash64(**tid, 0x71d), it->second);
      }
    }
    result.findings = std::move(outcome.findings);
    result.summary = outcome.summary;
    return result;
  }

  const Setup& setup_;
  const std::filesystem::path& dir_;
  const delta::Scan& scan_;
};

// Customer pairs that share a tidValue (directly or through replacedByTID): one chain per value.
std::vector<std::pair<uint32_t, uint32_t>> TidLinks(std::vector<BatchResult>* results) {
  std::vector<std::pair<uint64_t, uint32_t>> all;
  for (BatchResult& r : *results) {
    all.insert(all.end(), r.tids.begin(), r.tids.end());
    r.tids = {};
  }
  std::sort(all.begin(), all.end());
  std::vector<std::pair<uint32_t, uint32_t>> links;
  for (size_t i = 1; i < all.size(); ++i) {
    if (all[i].first == all[i - 1].first && all[i].second != all[i - 1].second) {
      links.emplace_back(all[i - 1].second, all[i].second);
    }
  }
  return links;
}

Status WholeBooks(const Setup& setup, const std::filesystem::path& dir, Outcome* outcome, size_t* batches) {
  *batches = 0;
  model::Books books;
  return ValidateBooks(setup, dir, &books, outcome);
}

bool AnyFailed(const std::vector<BatchResult>& results) {
  return std::any_of(results.begin(), results.end(), [](const BatchResult& r) { return r.ran && !r.status.ok(); });
}

// Once the components are found, the batches need the scan's files (rows and bytes) and customer keys only:
// at 10^7 FDIDs the rest is ~0.8 GB.
void FreeWhatBatchesDoNotUse(delta::Scan* scan) {
  scan->fdids = delta::KeyIds();
  scan->customers.DropIndex();
  scan->fdid_digest = {};
  scan->customer_digest = {};
  scan->fdid_pending = {};
  scan->customer_pending = {};
  scan->fdid_in_accounts = {};
  scan->replaced_by = {};
  scan->roles = {};
  scan->customer_links = {};
}

// The second round: components holding customers of one tidValue (`links`) that lie in more than one batch are
// joined and move into new batches (numbered after the others); the batches they leave run again. Returns
// whether any batch ran.
bool RunSecondRound(const delta::Scan& scan, const delta::Components& components,
                    const std::vector<uint32_t>& assignment, const std::vector<std::pair<uint32_t, uint32_t>>& links,
                    const BatchOptions& options, BatchRunner* runner, std::vector<BatchResult>* results) {
  const delta::Components joined = delta::JoinComponents(components, links);
  const auto old_count = static_cast<uint32_t>(results->size());
  // Per joined component: the one batch it lay in, or kMoves.
  constexpr uint32_t kUnseen = UINT32_MAX, kMoves = UINT32_MAX - 1;
  std::vector<uint32_t> lay(joined.count, kUnseen);
  auto each = [&](auto&& fn) {
    for (size_t f = 0; f < joined.of_fdid.size(); ++f) fn(joined.of_fdid[f], components.of_fdid[f]);
    for (size_t c = 0; c < joined.of_customer.size(); ++c) fn(joined.of_customer[c], components.of_customer[c]);
  };
  each([&](uint32_t now, uint32_t before) {
    uint32_t& l = lay[now];
    const uint32_t b = assignment[before];
    if (l == kUnseen) l = b;
    else if (l != b) l = kMoves;
  });
  std::vector<bool> dirty(old_count, false);
  each([&](uint32_t now, uint32_t before) {
    if (lay[now] == kMoves) dirty[assignment[before]] = true;
  });
  std::vector<uint32_t> regrouped(joined.count);
  uint32_t next = old_count;
  size_t filled = 0;
  bool any_moved = false;
  for (uint32_t k = 0; k < joined.count; ++k) {
    if (lay[k] != kMoves) {
      regrouped[k] = lay[k];
      continue;
    }
    if (any_moved && filled >= options.records) {
      ++next;
      filled = 0;
    }
    any_moved = true;
    regrouped[k] = next;
    filled += joined.records[k];
  }
  if (!any_moved) return false;
  const delta::Batches batches(scan, joined, std::move(regrouped));
  results->resize(batches.count());
  std::vector<uint32_t> which;
  for (uint32_t b = 0; b < batches.count(); ++b) {
    if (b >= old_count || dirty[b]) {
      (*results)[b] = BatchResult{};
      which.push_back(b);
    }
  }
  runner->Run(batches, which, options.workers, results);
  return true;
}

// One list, sorted and without the findings every batch made; the counts of records add up, those of findings
// come from the list.
void Merge(std::vector<BatchResult>* results, Outcome* outcome) {
  outcome->findings.clear();
  validate::Summary& s = outcome->summary;
  s = {};
  for (BatchResult& r : *results) {
    outcome->findings.insert(outcome->findings.end(), std::make_move_iterator(r.findings.begin()),
                             std::make_move_iterator(r.findings.end()));
    r.findings = {};
    validate::AddRecordCounts(r.summary, &s);
  }
  SortAndDedupe(&outcome->findings);
  validate::CountFindings(outcome->findings, &s);
}

}  // namespace

BatchOptions BatchOptionsFromEnvironment() {
  BatchOptions options;
  options.workers = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  if (const char* env = std::getenv("CAISSON_VALIDATE_BATCH"); env != nullptr && *env != '\0') {
    options.records = static_cast<size_t>(std::strtoull(env, nullptr, 10));
  }
  if (const char* env = std::getenv("CAISSON_VALIDATE_SCAN_LINKS"); env != nullptr && std::string_view(env) == "0") {
    options.scan_links = false;
  }
  return options;
}

Status ValidateBooksInBatches(const Setup& setup, const std::filesystem::path& dir, const BatchOptions& options,
                              Outcome* outcome, size_t* batches_run) {
  if (options.records == 0 || setup.config.transformer == "command") {
    return WholeBooks(setup, dir, outcome, batches_run);
  }
  PhaseTimer timer("caisson validate");
  delta::ScanOptions scan_options;
  scan_options.release_pages = true;
  scan_options.link_identifiers = options.scan_links;
  Result<delta::Scan> scanned = delta::ScanBooks(dir, scan_options);
  if (!scanned.ok()) return WholeBooks(setup, dir, outcome, batches_run);
  delta::Scan scan = std::move(scanned).value();
  timer.Mark("scan");

  // Customers sharing an identifier start in one component: the second round is then only a safety net.
  const delta::Components components = delta::FindComponents(scan, scan.customer_links);
  const std::vector<uint32_t> assignment = delta::AssignBatches(components, options.records);
  FreeWhatBatchesDoNotUse(&scan);
  // After FindComponents, which reads every FDID key (in accounts.csv's pages) for spaces.
  delta::ReleaseBooksPages(scan);
  timer.Mark("components");
  std::vector<BatchResult> results;
  BatchRunner runner(setup, dir, scan);
  {
    const delta::Batches batches(scan, components, assignment);
    results.resize(batches.count());
    std::vector<uint32_t> all(batches.count());
    std::iota(all.begin(), all.end(), 0u);
    runner.Run(batches, all, options.workers, &results);
  }
  timer.Mark("batches");
  if (AnyFailed(results)) return WholeBooks(setup, dir, outcome, batches_run);

  const std::vector<std::pair<uint32_t, uint32_t>> links = TidLinks(&results);
  if (!links.empty() && RunSecondRound(scan, components, assignment, links, options, &runner, &results)) {
    timer.Mark("tid batches");
    if (AnyFailed(results)) return WholeBooks(setup, dir, outcome, batches_run);
  }
  Merge(&results, outcome);
  *batches_run = results.size();
  timer.Mark("merge");
  return Status::OK();
}

}  // namespace caisson::app
