// `caisson validate` in batches (batched_validate.h).
#include "batched_validate.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "base/hash_sort.h"
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
  bool take_failed = false;  // status is the streamed build's, not the books'

  std::vector<Finding> findings;
  validate::Summary summary;
  // Kept for a build (BatchRunner::keep_books): the batch's model, holds and history dates.
  model::Books books;
  validate::Holds holds;
  std::vector<int32_t> valid_from_dates;
  // (Hash64 of a tidValue or replacedByTID, customer scan id): the links between customers of one tidValue.
  std::vector<std::pair<uint64_t, uint32_t>> tids;
};

class BatchRunner {
 public:
  static constexpr size_t kReleaseRecords = 65536;

  BatchRunner(const Setup& setup, const std::filesystem::path& dir, const delta::Scan& scan, bool keep_books,
              const TakeBatch* take = nullptr)
      : setup_(setup), dir_(dir), scan_(scan), keep_books_(keep_books), take_(take) {}

  // Runs `which` batches of `batches` on `workers` threads into results[b]. `records`: the batch size.
  void Run(const delta::Batches& batches, const std::vector<uint32_t>& which, int workers, size_t records,
           std::vector<BatchResult>* results) {
    std::atomic<size_t> next{0};
    // The books' pages the batches faulted in go back every ~64 Ki records: each release walks every file's
    // mapping, which small batches would otherwise pay for each time.
    const size_t release_every = std::max<size_t>(1, kReleaseRecords / std::max<size_t>(records, 1));
    auto work = [&] {
      for (size_t i = next++; i < which.size(); i = next++) {
        (*results)[which[i]] = RunOne(batches, which[i]);
        if ((i + 1) % release_every == 0) delta::ReleaseBooksPages(scan_);
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
      excerpts.push_back(ingest::Excerpt{scan_.files[i].text, batches.Rows(i, b), /*mapped=*/true,
                                         /*utf8_checked=*/true});
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
    if (take_ != nullptr) {
      // The batch's model goes to the build here; its findings still come back for the merge.
      result.summary = outcome.summary;
      TakenBatch taken;
      taken.books = &books;
      taken.outcome = &outcome;
      taken.books_fdids = scan_.fdids.size();
      taken.books_customers = scan_.customers.size();
      absl::flat_hash_map<std::string_view, uint32_t, delta::ScanKeyHash, delta::ScanKeyEq> fdid_ids;
      const auto [f_begin, f_end] = batches.Fdids(b);
      fdid_ids.reserve(static_cast<size_t>(f_end - f_begin));
      for (const uint32_t* id = f_begin; id != f_end; ++id) fdid_ids.emplace(scan_.fdids[*id], *id);
      taken.fdid_digest.assign(books.fdids.size(), 0);
      for (size_t i = 0; i < books.fdids.size(); ++i) {
        const model::Text& key = books.fdids[i].firm_designated_id;
        if (!key) continue;
        const auto it = fdid_ids.find(std::string_view(*key));
        if (it != fdid_ids.end()) taken.fdid_digest[i] = scan_.fdid_digest[it->second];
      }
      taken.customer_digest.assign(books.customers.size(), 0);
      for (size_t c = 0; c < books.customers.size(); ++c) {
        const auto it = ids.find(books.customers[c].key);
        if (it != ids.end()) taken.customer_digest[c] = scan_.customer_digest[it->second];
      }
      result.status = take_->take(taken);
      result.take_failed = !result.status.ok();
      result.findings = std::move(outcome.findings);
      return result;
    }
    result.findings = std::move(outcome.findings);
    result.summary = outcome.summary;
    if (keep_books_) {
      result.books = std::move(books);
      result.holds = std::move(outcome.holds);
      result.valid_from_dates = std::move(outcome.valid_from_dates);
    }
    return result;
  }

  const Setup& setup_;
  const std::filesystem::path& dir_;
  const delta::Scan& scan_;
  const bool keep_books_;
  const TakeBatch* take_;
};

// Customer pairs that share a tidValue (directly or through replacedByTID): one chain per value.
std::vector<std::pair<uint32_t, uint32_t>> TidLinks(std::vector<BatchResult>* results) {
  std::vector<std::pair<uint64_t, uint32_t>> all;
  for (BatchResult& r : *results) {
    all.insert(all.end(), r.tids.begin(), r.tids.end());
    r.tids = {};
  }
  SortHashPairs(&all);
  std::vector<std::pair<uint32_t, uint32_t>> links;
  for (size_t i = 1; i < all.size(); ++i) {
    if (all[i].first == all[i - 1].first && all[i].second != all[i - 1].second) {
      links.emplace_back(all[i - 1].second, all[i].second);
    }
  }
  return links;
}

// `books` may be null (validate: the model is not wanted).
Status WholeBooks(const Setup& setup, const std::filesystem::path& dir, model::Books* books, Outcome* outcome,
                  size_t* batches) {
  *batches = 0;
  model::Books local;
  return ValidateBooks(setup, dir, books != nullptr ? books : &local, outcome);
}

bool AnyFailed(const std::vector<BatchResult>& results) {
  return std::any_of(results.begin(), results.end(), [](const BatchResult& r) { return r.ran && !r.status.ok(); });
}

// Once the components are found, the batches need the scan's files (rows and bytes) and customer keys only:
// at 10^7 FDIDs the rest is ~0.8 GB.
// A streamed build keeps the FDID keys and the digests: each record it records keeps its books digest.
void FreeWhatBatchesDoNotUse(delta::Scan* scan, bool keep_digests) {
  scan->customers.DropIndex();
  if (keep_digests) {
    scan->fdids.DropIndex();
  } else {
    scan->fdids = delta::KeyIds();
    scan->fdid_digest = {};
    scan->customer_digest = {};
  }
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
  runner->Run(batches, which, options.workers, options.records, results);
  return true;
}

// One list, sorted and without the findings every batch made; the counts of records add up, those of findings
// come from the list.
void Merge(std::vector<BatchResult>* results, Outcome* outcome) {
  outcome->findings.clear();
  validate::Summary& s = outcome->summary;
  s = {};
  std::vector<int32_t> dates;
  for (BatchResult& r : *results) {
    outcome->findings.insert(outcome->findings.end(), std::make_move_iterator(r.findings.begin()),
                             std::make_move_iterator(r.findings.end()));
    r.findings = {};
    validate::AddRecordCounts(r.summary, &s);
    dates.insert(dates.end(), r.valid_from_dates.begin(), r.valid_from_dates.end());
  }
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  outcome->valid_from_dates = std::move(dates);
  SortAndDedupe(&outcome->findings);
  validate::CountFindings(outcome->findings, &s);
}


// Where a record's row starts in the books, and where the record is in its batch.
struct Place {
  uint32_t file = 0;
  uint64_t line = 0;
  uint32_t batch = 0;
  uint32_t local = 0;
  bool operator<(const Place& o) const { return file != o.file ? file < o.file : line < o.line; }
};

// For each batch, the index each of its records takes in the whole books: ingest keeps rows in file order, so
// sorting by where the rows start gives the order a read of the whole books gives. False if two records claim
// one row (the batches cannot be trusted).
template <typename Record, typename Records>
bool WholeIndexes(const std::vector<BatchResult>& results, Records records,
                  std::vector<std::vector<int32_t>>* whole) {
  std::vector<Place> places;
  whole->assign(results.size(), {});
  for (uint32_t b = 0; b < results.size(); ++b) {
    const std::vector<Record>& list = records(results[b].books);
    (*whole)[b].resize(list.size());
    for (uint32_t i = 0; i < list.size(); ++i) places.push_back(Place{list[i].origin.file, list[i].origin.line, b, i});
  }
  std::sort(places.begin(), places.end());
  for (size_t p = 0; p < places.size(); ++p) {
    if (p > 0 && !(places[p - 1] < places[p])) return false;
    (*whole)[places[p].batch][places[p].local] = static_cast<int32_t>(p);
  }
  return true;
}

// Moves every batch's records into `out` (batch after batch, each batch's vector freed once moved) and then puts
// them in their whole-books places without a second copy of the list.
template <typename Record>
void Gather(std::vector<std::vector<Record>*> parts, const std::vector<std::vector<int32_t>>& whole,
            std::vector<Record>* out) {
  size_t total = 0;
  for (const std::vector<Record>* p : parts) total += p->size();
  out->clear();
  out->reserve(total);
  std::vector<int32_t> to;
  to.reserve(total);
  for (size_t b = 0; b < parts.size(); ++b) {
    for (Record& r : *parts[b]) out->push_back(std::move(r));
    to.insert(to.end(), whole[b].begin(), whole[b].end());
    *parts[b] = std::vector<Record>();
  }
  // The record at i belongs at to[i]. Cycle by cycle, each record moves once: from[k] is where the record that
  // belongs at k is now (k itself once it is in place).
  std::vector<int32_t> from(to.size());
  for (size_t i = 0; i < to.size(); ++i) from[static_cast<size_t>(to[i])] = static_cast<int32_t>(i);
  to = {};
  for (size_t i = 0; i < from.size(); ++i) {
    if (static_cast<size_t>(from[i]) == i) continue;
    Record held = std::move((*out)[i]);
    size_t k = i;
    while (static_cast<size_t>(from[k]) != i) {
      const auto next = static_cast<size_t>(from[k]);
      (*out)[k] = std::move((*out)[next]);
      from[k] = static_cast<int32_t>(k);
      k = next;
    }
    (*out)[k] = std::move(held);
    from[k] = static_cast<int32_t>(k);
  }
}

// The whole books from the batches' models, with holds, history dates and findings naming records by their
// whole-books index: what ValidateBooks on the whole books gives. False (nothing changed) if the batches do not
// fit together; the caller then reads the whole books.
bool MergeBooks(std::vector<BatchResult>* results, model::Books* books, Outcome* outcome) {
  if (results->empty()) return false;
  PhaseTimer timer("caisson merge");
  std::vector<std::vector<int32_t>> fdid_at, customer_at;
  if (!WholeIndexes<model::Fdid>(*results, [](const model::Books& b) -> auto& { return b.fdids; }, &fdid_at) ||
      !WholeIndexes<model::Customer>(*results, [](const model::Books& b) -> auto& { return b.customers; },
                                     &customer_at)) {
    return false;
  }
  for (size_t b = 0; b < results->size(); ++b) {
    const BatchResult& r = (*results)[b];
    if (r.books.files != (*results)[0].books.files || r.holds.fdid.size() != r.books.fdids.size() ||
        r.holds.customer.size() != r.books.customers.size()) {
      return false;
    }
    for (const Finding& f : r.findings) {
      if (f.record_index < 0) continue;
      const size_t limit = f.record == RecordKind::kFdid ? fdid_at[b].size()
                           : f.record == RecordKind::kFile ? SIZE_MAX : customer_at[b].size();
      if (static_cast<size_t>(f.record_index) >= limit) return false;
    }
  }

  timer.Mark("indexes");
  *books = model::Books();
  books->files = (*results)[0].books.files;
  std::vector<std::vector<model::Fdid>*> fdids;
  std::vector<std::vector<model::Customer>*> customers;
  std::vector<int32_t> dates;
  std::vector<Finding> findings;
  validate::Holds& holds = outcome->holds;
  holds.fdid.assign(std::accumulate(fdid_at.begin(), fdid_at.end(), size_t{0},
                                    [](size_t n, const auto& v) { return n + v.size(); }), false);
  holds.customer.assign(std::accumulate(customer_at.begin(), customer_at.end(), size_t{0},
                                        [](size_t n, const auto& v) { return n + v.size(); }), false);
  for (size_t b = 0; b < results->size(); ++b) {
    BatchResult& r = (*results)[b];
    for (model::Fdid& f : r.books.fdids) {
      for (model::Association& a : f.fdid_customer_list) {
        if (a.customer_index >= 0) a.customer_index = customer_at[b][static_cast<size_t>(a.customer_index)];
      }
    }
    for (size_t i = 0; i < fdid_at[b].size(); ++i) holds.fdid[static_cast<size_t>(fdid_at[b][i])] = r.holds.fdid[i];
    for (size_t i = 0; i < customer_at[b].size(); ++i) {
      holds.customer[static_cast<size_t>(customer_at[b][i])] = r.holds.customer[i];
    }
    for (Finding& f : r.findings) {
      if (f.record_index >= 0 && f.record != RecordKind::kFile) {
        const auto& at = f.record == RecordKind::kFdid ? fdid_at[b] : customer_at[b];
        f.record_index = at[static_cast<size_t>(f.record_index)];
      }
      findings.push_back(std::move(f));
    }
    r.findings = {};
    r.holds = {};
    dates.insert(dates.end(), r.valid_from_dates.begin(), r.valid_from_dates.end());
    fdids.push_back(&r.books.fdids);
    customers.push_back(&r.books.customers);
  }
  timer.Mark("remap");
  Gather(std::move(fdids), fdid_at, &books->fdids);
  timer.Mark("fdids");
  Gather(std::move(customers), customer_at, &books->customers);
  timer.Mark("customers");
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  outcome->valid_from_dates = std::move(dates);
  SortAndDedupe(&findings);
  outcome->findings = std::move(findings);
  outcome->summary = validate::Summarise(*books, outcome->holds, outcome->findings);
  timer.Mark("findings");
  return true;
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

namespace {

// With `take` (a streamed build), nothing falls back to the whole books: NotSupported says the caller must.
Status RunInBatches(const Setup& setup, const std::filesystem::path& dir, const BatchOptions& options,
                    model::Books* books, Outcome* outcome, size_t* batches_run, const TakeBatch* take = nullptr) {
  const Status whole = Status::NotSupported("build", "the books cannot be streamed in batches");
  if (options.records == 0 || setup.config.transformer == "command") {
    if (take != nullptr) return whole;
    return WholeBooks(setup, dir, books, outcome, batches_run);
  }
  PhaseTimer timer("caisson validate");
  delta::ScanOptions scan_options;
  scan_options.release_pages = true;
  scan_options.link_identifiers = options.scan_links;
  Result<delta::Scan> scanned = delta::ScanBooks(dir, scan_options);
  if (!scanned.ok() && take != nullptr) return whole;
  if (!scanned.ok()) return WholeBooks(setup, dir, books, outcome, batches_run);
  delta::Scan scan = std::move(scanned).value();
  timer.Mark("scan");

  // Customers sharing an identifier start in one component: the second round is then only a safety net.
  const delta::Components components = delta::FindComponents(scan, scan.customer_links);
  const std::vector<uint32_t> assignment = delta::AssignBatches(components, options.records);
  std::vector<Finding> before_findings;
  if (take != nullptr && take->before) CAISSON_RETURN_IF_ERROR(take->before(scan, &before_findings));
  FreeWhatBatchesDoNotUse(&scan, take != nullptr);
  // After FindComponents, which reads every FDID key (in accounts.csv's pages) for spaces.
  delta::ReleaseBooksPages(scan);
  timer.Mark("components");
  std::vector<BatchResult> results;
  BatchRunner runner(setup, dir, scan, books != nullptr, take);
  {
    const delta::Batches batches(scan, components, assignment);
    results.resize(batches.count());
    std::vector<uint32_t> all(batches.count());
    std::iota(all.begin(), all.end(), 0u);
    runner.Run(batches, all, options.workers, options.records, &results);
  }
  timer.Mark("batches");
  if (take != nullptr) {
    // A failed take (the spill's disk, say) is the build's own error; a batch the books fail is read whole.
    for (const BatchResult& r : results) {
      if (r.take_failed && r.status.code() != Status::Code::kNotSupported) return r.status;
    }
    if (AnyFailed(results)) return whole;
    // Customers of one tidValue in two batches would need the second round, which re-reads batches a build
    // has already spilled: the caller reads the whole books instead.
    const std::vector<std::pair<uint32_t, uint32_t>> links = TidLinks(&results);
    for (const auto& [a, b] : links) {
      if (assignment[components.of_customer[a]] != assignment[components.of_customer[b]]) return whole;
    }
    // A batch's record indexes name records of a model that is gone; nothing after the batches reads them.
    for (BatchResult& r : results) {
      for (Finding& f : r.findings) f.record_index = -1;
    }
    if (!results.empty()) {
      results[0].findings.insert(results[0].findings.end(), before_findings.begin(), before_findings.end());
    }
    *batches_run = results.size();
    Merge(&results, outcome);
    return Status::OK();
  }
  if (AnyFailed(results)) return WholeBooks(setup, dir, books, outcome, batches_run);

  const std::vector<std::pair<uint32_t, uint32_t>> links = TidLinks(&results);
  if (!links.empty() && RunSecondRound(scan, components, assignment, links, options, &runner, &results)) {
    timer.Mark("tid batches");
    if (AnyFailed(results)) return WholeBooks(setup, dir, books, outcome, batches_run);
  }
  // The scan's files and customer keys are not needed any more: the whole model is about to be put together.
  scan = delta::Scan();
  timer.Mark("drop scan");
  if (books == nullptr) {
    Merge(&results, outcome);
  } else if (!MergeBooks(&results, books, outcome)) {
    results.clear();
    return WholeBooks(setup, dir, books, outcome, batches_run);
  }
  *batches_run = results.size();
  timer.Mark("merge");
  return Status::OK();
}

}  // namespace

Status ValidateBooksInBatches(const Setup& setup, const std::filesystem::path& dir, const BatchOptions& options,
                              Outcome* outcome, size_t* batches_run) {
  return RunInBatches(setup, dir, options, nullptr, outcome, batches_run);
}

Status ReadBooksInBatches(const Setup& setup, const std::filesystem::path& dir, const BatchOptions& options,
                          model::Books* books, Outcome* outcome, size_t* batches_run) {
  return RunInBatches(setup, dir, options, books, outcome, batches_run);
}

Status StreamBooksInBatches(const Setup& setup, const std::filesystem::path& dir, const BatchOptions& options,
                            const TakeBatch& take, Outcome* outcome, size_t* batches_run) {
  return RunInBatches(setup, dir, options, nullptr, outcome, batches_run, &take);
}

}  // namespace caisson::app
