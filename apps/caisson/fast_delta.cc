// The fast daily delta's decisions (fast_delta.h).
#include "fast_delta.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <future>
#include <string_view>

#include <fmt/format.h>

#include "base/timings.h"
#include "delta/batches.h"

namespace caisson::app {

std::string ScanContext(const Setup& setup) {
  // What shapes a record's state or hold besides its books rows; not as_of (pending rows cover the date).
  const config::Config& c = setup.config;
  std::string settings = fmt::format("crd {} submitter {} transformer {} enforce_refresh {}", c.cat_reporter_crd,
                                     c.cat_submitter_id, c.transformer, c.enforce_refresh);
  for (const std::string& arg : c.command) settings += " command " + arg;
  for (const auto& [rule, policy] : c.rules) settings += " rule " + rule + "=" + policy;
  return fmt::format("caisson {} digest {} profile {} settings {:016x}", CAISSON_VERSION, delta::kScanDigestVersion,
                     setup.profile ? setup.profile->name() : std::string(), delta::Hash64(settings, 7));
}

namespace {

// The subset of fast->load: its keys, the rows per books file, and the closures ingest calls (which point into
// *fast and its scan's map, neither of which moves while they are used).
void ReadLoadSet(FastDelta* fast) {
  fast->read_fdids.clear();
  fast->read_fdids.reserve(static_cast<size_t>(fast->load.fdids));
  for (size_t id = 0; id < fast->scan.fdids.size(); ++id) {
    if (fast->load.fdid[id]) fast->read_fdids.insert(fast->scan.fdids[id]);
  }
  fast->read_customers.clear();
  fast->read_customers.reserve(static_cast<size_t>(fast->load.customers));
  for (size_t id = 0; id < fast->scan.customers.size(); ++id) {
    if (fast->load.customer[id]) fast->read_customers.insert(fast->scan.customers[id]);
  }
  const auto* fdids = &fast->read_fdids;
  const auto* customers = &fast->read_customers;
  fast->subset.fdid = [fdids](std::string_view key) { return fdids->contains(key); };
  fast->subset.customer = [customers](std::string_view key) { return customers->contains(key); };
  fast->excerpts.clear();
  fast->excerpts.reserve(fast->scan.files.size());
  for (const delta::ScanFile& file : fast->scan.files) {
    fast->excerpts.push_back(ingest::Excerpt{file.text, delta::KeptRows(file, fast->load), /*mapped=*/false,
                                             /*utf8_checked=*/true});
  }
  const FastDelta* self = fast;
  fast->subset.excerpt = [self](std::string_view name) -> const ingest::Excerpt* {
    for (size_t i = 0; i < self->scan.files.size(); ++i) {
      if (self->scan.files[i].name == name) return &self->excerpts[i];
    }
    return nullptr;
  };
}

}  // namespace

Status PrepareDelta(const Setup& setup, const BooksArgs& args, const state::Store& store, int64_t last_submission,
                    FastDelta* out) {
  FastDelta& fast = *out;
  fast.context = ScanContext(setup);
  const char* env = std::getenv("CAISSON_DELTA_SCAN");
  Result<state::Submission> last = store.GetSubmission(last_submission);
  if (!last.ok()) return last.status();
  if (args.scan == "full") fast.why_full = "--scan full";
  else if (env != nullptr && std::string_view(env) == "full") fast.why_full = "CAISSON_DELTA_SCAN=full";
  else if (last->scan_context.empty()) fast.why_full = "the last submission recorded no books digests";
  else if (last->scan_context != fast.context) fast.why_full = "Caisson, the profile or caisson.toml changed";
  else if (last->as_of <= 0 || setup.as_of < last->as_of) fast.why_full = "as_of is before the last submission's";
  if (!fast.why_full.empty()) return Status::OK();
  PhaseTimer timer(args.repair ? "caisson build --repair" : "caisson build --delta");
  delta::ScanOptions scan_options;
  scan_options.since = last->as_of;
  // --end-inactive ends FDIDs by the date alone: those whose activity is old enough are read whatever their rows.
  if (args.end_inactive) scan_options.stale_activity_before = delta::SixMonthsBefore(setup.as_of);
  // The store's digests are read on another thread while this one scans the books (neither needs the other
  // until ChooseLoad); the store is not touched here until the reader is done.
  std::future<Result<delta::StoreDigests>> ahead =
      std::async(std::launch::async, [&store] {
        // Below the scan's threads (Linux nices threads one by one): at 10 M the second core is short, and the
        // walk is needed only after the scan; it still ends first (10 M: scan 21 -> 18 s).
        (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
        return delta::ReadStoreDigests(store);
      });
  Result<delta::Scan> scan = delta::ScanBooks(args.books, scan_options);
  timer.Mark("scan");
  Result<delta::StoreDigests> digests = ahead.get();
  timer.Mark("store digests");
  if (!digests.ok()) return digests.status();
  if (!scan.ok()) {
    fast.why_full = "the books scan failed";
    return Status::OK();
  }
  fast.scan = std::move(scan).value();
  fast.scanned = true;
  delta::LoadOptions load_options;
  if (setup.config.enforce_refresh) load_options.refresh_accepted_on_or_before = delta::MonthsBefore(setup.as_of, 11);
  Result<delta::LoadSet> load = delta::ChooseLoad(fast.scan, *digests, store, load_options);
  if (!load.ok()) return load.status();
  timer.Mark("choose");
  // A load set of most of the books (every record unsettled after submissions CAIS has not accepted yet, or a
  // day that changed much) is cheaper read in batches than whole through the subset path (10^7 FDIDs, all
  // unsettled: 24 GiB that way; the batches after this scan 2.3 GiB). Small books stay on the fast path.
  const int64_t records = static_cast<int64_t>(fast.scan.fdids.size() + fast.scan.customers.size());
  const int64_t loaded = load->fdids + load->customers;
  int64_t at_least = 100000;
  if (const char* v = std::getenv("CAISSON_FAST_DELTA_MAX"); v != nullptr && *v != '\0') at_least = std::atoll(v);
  if (!args.repair && loaded > at_least && loaded * 8 > records) {
    fast.why_full = fmt::format("{} of its {} records are changed, unsettled or their closure", loaded, records);
    fast.scan = delta::Scan();
    fast.scanned = false;
    return Status::OK();
  }
  fast.load = std::move(load).value();
  fast.on = true;
  ReadLoadSet(&fast);
  return Status::OK();
}

Result<bool> WidenToHeldComponents(const model::Books& books, const validate::Holds& holds, FastDelta* fast) {
  std::vector<uint32_t> fdids, customers;
  for (size_t i = 0; i < books.fdids.size() && i < holds.fdid.size(); ++i) {
    const model::Text& key = books.fdids[i].firm_designated_id;
    if (!holds.fdid[i] || !key) continue;
    if (const uint32_t id = fast->scan.fdids.Find(*key); id != delta::Scan::kNoId) fdids.push_back(id);
  }
  for (size_t c = 0; c < books.customers.size() && c < holds.customer.size(); ++c) {
    if (!holds.customer[c]) continue;
    if (const uint32_t id = fast->scan.customers.Find(books.customers[c].key); id != delta::Scan::kNoId) {
      customers.push_back(id);
    }
  }
  if (fdids.empty() && customers.empty()) return false;
  Result<std::vector<std::pair<uint32_t, uint32_t>>> links = delta::LinkIdentifiers(fast->scan);
  if (!links.ok()) return links.status();
  const delta::Components components = delta::FindComponents(fast->scan, *links);
  if (delta::AddComponents(components, fdids, customers, &fast->load) == 0) return false;
  ReadLoadSet(fast);
  return true;
}

void ScanForRecord(const Setup& setup, const BooksArgs& args, FastDelta* fast) {
  if (fast->context.empty()) fast->context = ScanContext(setup);
  // Only the digests and keys are used from here on, while the whole model is alive beside them: the books'
  // pages go back behind the scan, and the row offsets are dropped (1 M FDIDs: the peak 3.2 -> 2.9 GiB).
  delta::ScanOptions options;
  options.release_pages = true;
  Result<delta::Scan> scan = delta::ScanBooks(args.books, options);
  if (!scan.ok()) return;
  fast->scan = std::move(scan).value();
  for (delta::ScanFile& file : fast->scan.files) {
    file.rows = {};
    file.lines = {};
    delta::ReleaseFilePages(file);
  }
  fast->scanned = true;
}

void AttachDigests(const model::Books& books, const FastDelta& fast, delta::Plan* plan) {
  plan->fdid_scan.assign(books.fdids.size(), 0);
  plan->customer_scan.assign(plan->books_customers, 0);
  if (!fast.scanned) return;
  for (size_t i = 0; i < books.fdids.size(); ++i) {
    const model::Text& id = books.fdids[i].firm_designated_id;
    if (id) plan->fdid_scan[i] = fast.scan.FdidDigest(*id);
  }
  for (size_t c = 0; c < plan->books_customers; ++c) {
    plan->customer_scan[c] = fast.scan.CustomerDigest(books.customers[c].key);
  }
}

void TellSelect(const FastDelta& fast, delta::Options* options) {
  if (fast.on) options->absent_fdids = &fast.load.absent_fdids;
}

}  // namespace caisson::app
