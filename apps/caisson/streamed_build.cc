// The streamed build (streamed_build.h).
#include "streamed_build.h"

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <mutex>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "base/timings.h"
#include "batched_validate.h"
#include "build_steps.h"
#include "delta/delta.h"
#include "emit/spool.h"
#include "fast_delta.h"
#include "record_beside.h"
#include "state_use.h"

namespace caisson::app {

namespace {

// Books order: where a record's row starts (ingest keeps rows in file order).
uint64_t OrderOf(const model::Origin& o) { return (uint64_t{o.file} << 40) | o.line; }

// The state the store keeps of a record, as spill bytes (emitted_submission is set when it is recorded).
void PutState(const state::RecordState& rs, std::string* out) {
  auto pod = [out](const auto& v) { out->append(reinterpret_cast<const char*>(&v), sizeof(v)); };
  auto fingerprint = [&](const std::optional<state::Fingerprint>& fp) {
    pod(static_cast<uint8_t>(fp.has_value()));
    if (fp) pod(*fp);
  };
  pod(static_cast<uint32_t>(rs.key.size()));
  out->append(rs.key);
  fingerprint(rs.emitted);
  fingerprint(rs.accepted);
  fingerprint(rs.tid);
  pod(rs.first_accepted);
  pod(rs.last_accepted);
  pod(rs.correspondent_crd);
  pod(rs.flags);
  pod(rs.inactive_since);
  pod(rs.emitted_validity);
  pod(rs.accepted_validity);
  pod(rs.emitted_mi_facts);
  pod(rs.accepted_mi_facts);
  pod(rs.scan);
}

// Reads back what PutState and the lists after it wrote.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename T>
  T Pod() {
    T v{};
    std::memcpy(&v, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return v;
  }
  std::string_view Text() {
    const auto n = Pod<uint32_t>();
    std::string_view s = in_.substr(0, n);
    in_.remove_prefix(n);
    return s;
  }
  state::RecordState State() {
    state::RecordState rs;
    rs.key = std::string(Text());
    rs.emitted = Fingerprint();
    rs.accepted = Fingerprint();
    rs.tid = Fingerprint();
    rs.first_accepted = Pod<int32_t>();
    rs.last_accepted = Pod<int32_t>();
    rs.correspondent_crd = Pod<int64_t>();
    rs.flags = Pod<int32_t>();
    rs.inactive_since = Pod<int32_t>();
    rs.emitted_validity = Pod<state::Validity>();
    rs.accepted_validity = Pod<state::Validity>();
    rs.emitted_mi_facts = Pod<int64_t>();
    rs.accepted_mi_facts = Pod<int64_t>();
    rs.scan = Pod<uint64_t>();
    return rs;
  }
  // The key and the emitted fingerprint only (the build digest).
  std::pair<std::string_view, state::Fingerprint> KeyAndFingerprint() {
    std::string_view key = Text();
    return {key, Fingerprint().value_or(state::Fingerprint{})};
  }
  std::optional<state::Fingerprint> Fingerprint() {
    if (Pod<uint8_t>() == 0) return std::nullopt;
    return Pod<state::Fingerprint>();
  }
  std::vector<std::string_view> Texts() {
    std::vector<std::string_view> list(Pod<uint32_t>());
    for (std::string_view& s : list) s = Text();
    return list;
  }

 private:
  std::string_view in_;
};

void PutTexts(const std::vector<std::string_view>& list, std::string* out) {
  const auto n = static_cast<uint32_t>(list.size());
  out->append(reinterpret_cast<const char*>(&n), sizeof(n));
  for (std::string_view s : list) {
    const auto len = static_cast<uint32_t>(s.size());
    out->append(reinterpret_cast<const char*>(&len), sizeof(len));
    out->append(s);
  }
}

std::string_view Or(const model::Text& t) { return t ? std::string_view(*t) : std::string_view(); }

// The store's open repair items and Material Inconsistencies, which a full build settles record by record as
// the whole-books build does (CorrectionsFor, OpenInconsistencies): each batch notes which of their records it
// holds and sends, and flags its inconsistent customers before they are spilled.
struct OpenRepairs {
  static constexpr uint64_t kNotSent = ~uint64_t{0};
  std::vector<state::RepairItem> items;  // open ones, in the store's order
  std::map<std::string, std::vector<uint32_t>, std::less<>> fdid_items, customer_items;  // key -> items
  std::set<std::string, std::less<>> inconsistent;  // customers with an open Material Inconsistency
  // Per item, from the batches: its record is in the books; the books order of its record when it is sent.
  std::vector<bool> in_books;
  std::vector<uint64_t> sent_order;
  int64_t inconsistencies = 0, resolving = 0;  // OpenInconsistencies's count; those flagged and sent

  bool empty() const { return items.empty() && inconsistent.empty(); }

  static Result<OpenRepairs> Read(const state::Store& store) {
    OpenRepairs open;
    CAISSON_RETURN_IF_ERROR(store.ForEachRepairItem([&](const state::RepairItem& item) {
      if (item.status != "open") return Status::OK();
      const auto at = static_cast<uint32_t>(open.items.size());
      (item.kind == state::RecordKind::kFdid ? open.fdid_items : open.customer_items)[item.firm_key].push_back(at);
      open.items.push_back(item);
      return Status::OK();
    }));
    CAISSON_RETURN_IF_ERROR(store.ForEachInconsistency([&](const state::Inconsistency& item) {
      if (item.status == "open") open.inconsistent.insert(item.firm_key);
      return Status::OK();
    }));
    open.in_books.assign(open.items.size(), false);
    open.sent_order.assign(open.items.size(), kNotSent);
    return open;
  }

  // One batch's part (under the caller's lock, except the flags, which are the batch's own records).
  void Note(model::Books* books, const delta::Plan& plan, const std::vector<uint64_t>& fdid_order,
            const std::vector<uint64_t>& customer_order) {
    auto note = [&](const auto& index, std::string_view key, bool sent, uint64_t order) {
      auto it = index.find(key);
      if (it == index.end()) return;
      for (uint32_t item : it->second) {
        in_books[item] = true;
        if (sent) sent_order[item] = order;
      }
    };
    if (!fdid_items.empty()) {
      for (size_t i = 0; i < books->fdids.size(); ++i) {
        const model::Text& key = books->fdids[i].firm_designated_id;
        if (key) note(fdid_items, *key, plan.fdid[i] != delta::Reason::kNotSent, fdid_order[i]);
      }
    }
    for (size_t c = 0; c < books->customers.size(); ++c) {
      model::Customer& customer = books->customers[c];
      if (!customer_items.empty()) note(customer_items, customer.key, plan.customer[c], customer_order[c]);
      if (inconsistent.empty() || !inconsistent.contains(customer.key)) continue;
      ++inconsistencies;
      if (!plan.customer[c]) continue;
      // The flag goes into the file, not into the fingerprints (as in the whole-books build).
      customer.update_notification = model::Flag::Of(true);
      ++resolving;
    }
  }

  // After the spool is sealed: the correctionList in CorrectionsFor's order, its indexes spool ids, and for
  // each entry the key of the record it names ("" for a DELETE: the build digest's).
  std::vector<emit::Correction> Corrections(const emit::Spool& spool, std::vector<std::string_view>* keys) const {
    std::map<uint64_t, int32_t> fdid_at, customer_at;  // books order -> spool id, for the records needed
    for (size_t k = 0; k < items.size(); ++k) {
      if (sent_order[k] == kNotSent) continue;
      (items[k].kind == state::RecordKind::kFdid ? fdid_at : customer_at)[sent_order[k]] = -1;
    }
    for (size_t i = 0; i < spool.fdids() && !fdid_at.empty(); ++i) {
      if (auto it = fdid_at.find(spool.FdidOrder(static_cast<int32_t>(i))); it != fdid_at.end()) {
        it->second = static_cast<int32_t>(i);
      }
    }
    for (size_t c = 0; c < spool.customers() && !customer_at.empty(); ++c) {
      if (auto it = customer_at.find(spool.CustomerOrder(static_cast<int32_t>(c))); it != customer_at.end()) {
        it->second = static_cast<int32_t>(c);
      }
    }
    std::vector<emit::Correction> out;
    for (size_t k = 0; k < items.size(); ++k) {
      const bool fdid = items[k].kind == state::RecordKind::kFdid;
      int32_t sent = -1;
      if (sent_order[k] != kNotSent) sent = (fdid ? fdid_at : customer_at).at(sent_order[k]);
      std::optional<emit::Correction> c = CorrectionFor(items[k], in_books[k], sent);
      if (!c) continue;
      if (c->fdid_index >= 0) c->correcting_fdid = items[k].firm_key;
      keys->push_back(c->remove ? std::string_view() : std::string_view(items[k].firm_key));
      out.push_back(std::move(*c));
    }
    return out;
  }
};

// What the batches leave behind for the rest of the build.
class Streamer {
 public:
  // `fresh`: the store holds no record yet (nothing to look up per record).
  Streamer(const Setup& setup, const BooksArgs& args, state::Store* store, emit::Spool* spool, bool fresh,
           OpenRepairs* open)
      : setup_(setup), args_(args), store_(store), spool_(spool), fresh_(fresh), open_(open) {}

  // Before the first batch (TakeBatch::before): state.vanished [§5.1.3 R14], which Select finds by walking the
  // store's FDIDs: one CAIS accepted and nothing ended that has no accounts.csv row. The fast delta names the
  // same candidates (delta::ChooseLoad).
  Status Vanished(const delta::Scan& scan, std::vector<Finding>* findings) {
    if (fresh_) return Status::OK();
    uint32_t cursor = delta::Scan::kNoId;
    return store_->ForEachFdidDigest([&](const state::DigestRow& row) -> Status {
      const uint32_t id = scan.FindFdid(row.key, &cursor);
      if ((id != delta::Scan::kNoId && scan.fdid_in_accounts[id]) || !row.accepted ||
          (row.flags & delta::kFlagEnded) != 0) {
        return Status::OK();
      }
      findings->push_back(delta::VanishedFinding(row.key));
      return Status::OK();
    });
  }

  // One batch (TakeBatch::take): the steps of the whole-books build up to emit, then into the spill.
  Status Take(TakenBatch& taken) {
    std::call_once(reserved_, [&] { spool_->Reserve(taken.books_fdids, taken.books_customers); });
    model::Books& books = *taken.books;
    Outcome& outcome = *taken.outcome;
    const Status cannot = Status::NotSupported("build", "the store's state needs the whole books");
    std::vector<uint64_t> fdid_order(books.fdids.size()), customer_order(books.customers.size());
    for (size_t i = 0; i < books.fdids.size(); ++i) fdid_order[i] = OrderOf(books.fdids[i].origin);
    for (size_t c = 0; c < books.customers.size(); ++c) customer_order[c] = OrderOf(books.customers[c].origin);

    delta::ActivityOptions activity_options;
    activity_options.as_of = setup_.as_of;
    activity_options.end_inactive = args_.end_inactive;
    activity_options.lookup = !fresh_;  // the batch's rows, not the whole store each time
    Result<delta::ActivityReport> activity = [&] {
      std::lock_guard<std::mutex> hold(store_mu_);
      return delta::ApplyActivity(&books, outcome.holds, *store_, activity_options);
    }();
    if (!activity.ok()) return activity.status();
    const emit::Fingerprints fps = emit::ComputeFingerprints(*setup_.profile, books);
    delta::Options options;
    options.full = !args_.delta;
    options.out_of_scope = activity->out_of_scope_fdid;
    if (auto it = setup_.config.rules.find("state.pairing"); it != setup_.config.rules.end()) {
      options.pairing_policy = it->second;
    }
    if (setup_.config.enforce_refresh) options.refresh_accepted_on_or_before = delta::MonthsBefore(setup_.as_of, 11);
    // A full build sends every customer anyway; a delta resends those with an open Material Inconsistency
    // (OpenInconsistencies, per batch).
    options.resend_customers.assign(books.customers.size(), false);
    if (args_.delta && !open_->inconsistent.empty()) {
      for (size_t c = 0; c < books.customers.size(); ++c) {
        options.resend_customers[c] = open_->inconsistent.contains(books.customers[c].key);
      }
    }
    // The batch's rows one by one; the FDIDs the books lack were walked once (Vanished).
    const std::vector<state::RecordState> none;
    if (!fresh_) options.absent_fdids = &none;
    Result<delta::Plan> plan = [&] {
      std::lock_guard<std::mutex> hold(store_mu_);
      return delta::Select(books, outcome.holds, fps.fdid, fps.customer, *store_, options);
    }();
    if (!plan.ok()) return plan.status();
    // A TID replacement appends previous versions to the books, after every customer: the whole-books build
    // places them.
    if (plan->tid_replacements > 0) return cannot;
    if (!open_->empty()) {
      std::lock_guard<std::mutex> hold(mu_);
      open_->Note(&books, *plan, fdid_order, customer_order);
    }
    // [§6.6.4] after the inconsistencies' flags, as in the whole-books build: a customer flagged already is not
    // counted again.
    std::vector<Finding> predicted;
    const int64_t proactive = delta::ProactiveUpdates(&books, *plan, &predicted);
    // state.pairing and predicted findings go with the batch's own (the merge sorts and counts them).
    outcome.findings.insert(outcome.findings.end(), plan->findings.begin(), plan->findings.end());
    outcome.findings.insert(outcome.findings.end(), predicted.begin(), predicted.end());
    plan->fdid_scan = taken.fdid_digest;
    plan->customer_scan = taken.customer_digest;
    delta::RememberedDigests remember =
        delta::DigestsToRemember(books, *plan, outcome.holds, fps.fdid, fps.customer);

    bool representable = true;
    int64_t customers_spooled = 0;
    std::vector<std::string_view> ltids, traders;
    emit::Spool::Batch batch;
    batch.books = &books;
    batch.holds = &plan->emit_holds;
    batch.fdid_order = &fdid_order;
    batch.customer_order = &customer_order;
    batch.fdid_extra = [&](size_t i, std::string* out) {
      const model::Fdid& f = books.fdids[i];
      representable &= plan->fdid[i] != delta::Reason::kNotSent;
      PutState(delta::SentFdidState(f, plan->fdid_known[i], fps.fdid[i], taken.fdid_digest[i]), out);
      ltids.clear();
      traders.clear();
      for (const model::LargeTrader& lt : f.large_trader_list) ltids.push_back(Or(lt.large_trader_id));
      for (const model::AuthTraderName& n : f.auth_trader_names_list) traders.push_back(Or(n.auth_trader_name));
      PutTexts(ltids, out);
      PutTexts(traders, out);
    };
    batch.customer_extra = [&](size_t c, std::string* out) {
      const model::Customer& cust = books.customers[c];
      ++customers_spooled;
      representable &= plan->customer[c];
      PutState(delta::SentCustomerState(cust, plan->customer_known[c], fps.customer[c], taken.customer_digest[c]),
               out);
    };
    CAISSON_RETURN_IF_ERROR(spool_->Add(batch));
    // What the spill holds must be exactly what the whole-books build records as sent.
    const int64_t customers_sent = std::count(plan->customer.begin(), plan->customer.end(), true);
    if (!representable || customers_spooled != customers_sent) return cannot;

    std::lock_guard<std::mutex> hold(mu_);
    proactive_ += proactive;
    activity_.ended_inactive += activity->ended_inactive;
    activity_.still_inactive += activity->still_inactive;
    activity_.reactivated += activity->reactivated;
    activity_.without_activity += activity->without_activity;
    activity_.out_of_scope += activity->out_of_scope;
    counts_.new_fdids += plan->new_fdids;
    counts_.changed_fdids += plan->changed_fdids;
    counts_.carrier_fdids += plan->carrier_fdids;
    counts_.replacing_fdids += plan->replacing_fdids;
    counts_.unchanged_fdids += plan->unchanged_fdids;
    counts_.full_fdids += plan->full_fdids;
    counts_.refresh_fdids += plan->refresh_fdids;
    counts_.changed_customers += plan->changed_customers;
    counts_.stranded_customers += plan->stranded_customers;
    counts_.pairing_held += plan->pairing_held;
    remembered_.fdids.insert(remembered_.fdids.end(), remember.fdids.begin(), remember.fdids.end());
    remembered_.customers.insert(remembered_.customers.end(), remember.customers.begin(), remember.customers.end());
    return Status::OK();
  }

  const delta::ActivityReport& activity() const { return activity_; }
  int64_t proactive() const { return proactive_; }  // customers flagged by ProactiveUpdates
  const delta::Plan& counts() const { return counts_; }
  // What delta::RememberDigests writes after the files are named (records not sent: few in a full build).
  const delta::RememberedDigests& remembered() const { return remembered_; }

 private:
  const Setup& setup_;
  const BooksArgs& args_;
  state::Store* store_;
  emit::Spool* spool_;
  const bool fresh_;
  OpenRepairs* open_;
  std::mutex store_mu_;  // the store is used by one thread at a time
  std::mutex mu_;
  std::once_flag reserved_;
  delta::ActivityReport activity_;
  int64_t proactive_ = 0;
  delta::Plan counts_;
  delta::RememberedDigests remembered_;
};

// The records of the spill in books order (the build digest's order).
std::vector<int32_t> InBooksOrder(size_t n, const std::function<uint64_t(int32_t)>& order) {
  std::vector<int32_t> ids(n);
  std::iota(ids.begin(), ids.end(), 0);
  std::sort(ids.begin(), ids.end(), [&](int32_t a, int32_t b) { return order(a) < order(b); });
  return ids;
}

// delta::Record's rows from the spill: the states written when the batches ran, the record-ID maps of the files.
delta::RecordRows RowsFromSpool(const emit::Spool& spool) {
  delta::RecordRows rows;
  rows.rows = static_cast<int64_t>(spool.fdids() + spool.customers());
  rows.put_states = [&spool](state::Txn& txn, int64_t submission_id) -> Status {
    for (size_t i = 0; i < spool.fdids(); ++i) {
      state::RecordState rs = Reader(spool.FdidExtra(static_cast<int32_t>(i))).State();
      rs.emitted_submission = submission_id;
      CAISSON_RETURN_IF_ERROR(txn.PutFdid(rs));
    }
    for (size_t c = 0; c < spool.customers(); ++c) {
      state::RecordState rs = Reader(spool.CustomerExtra(static_cast<int32_t>(c))).State();
      rs.emitted_submission = submission_id;
      CAISSON_RETURN_IF_ERROR(txn.PutCustomer(rs));
    }
    return Status::OK();
  };
  rows.map_file = [&spool](state::Txn& txn, const delta::SentFile& f) -> Status {
    const std::string& base = f.entry.base_name;
    for (size_t p = 0; p < f.fdids.size(); ++p) {
      Reader r(spool.FdidExtra(f.fdids[p]));
      const state::RecordState rs = r.State();
      const std::vector<std::string_view> ltids = r.Texts();
      const std::vector<std::string_view> traders = r.Texts();
      CAISSON_RETURN_IF_ERROR(delta::MapFdid(txn, base, p + 1, rs.key, ltids, traders));
    }
    for (size_t p = 0; p < f.customers.size(); ++p) {
      const std::string_view key = Reader(spool.CustomerExtra(f.customers[p])).Text();
      CAISSON_RETURN_IF_ERROR(delta::MapCustomer(txn, base, p + 1, key));
    }
    return delta::MapDeletions(txn, f);
  };
  return rows;
}

}  // namespace

bool MayStream(const Setup& setup, const BooksArgs& args) {
  if (args.repair || setup.config.transformer == "command" || BatchOptionsFromEnvironment().records == 0) {
    return false;
  }
  if (const char* env = std::getenv("CAISSON_STREAMED_BUILD"); env != nullptr && std::string_view(env) == "0") {
    return false;
  }
  return true;
}

Status RunStreamedBuild(const Common& common, const BooksArgs& args, const Setup& setup,
                        const emit::Options& options_in, state::Store* store, int* exit_code) {
  PhaseTimer timer("caisson build (streamed)");
  emit::Options options = options_in;
  Result<std::unique_ptr<emit::Spool>> opened = emit::Spool::Open(*setup.profile, args.out);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<emit::Spool> spool = std::move(opened).value();
  Result<int64_t> last_submission = store->LastSubmissionId();
  if (!last_submission.ok()) return last_submission.status();
  Result<state::Store::Layers> layers = store->CountLayers();
  if (!layers.ok()) return layers.status();
  const bool fresh = *last_submission == 0 && layers->main == 0 && layers->recent == 0;
  Result<OpenRepairs> open = OpenRepairs::Read(*store);
  if (!open.ok()) return open.status();
  Streamer streamer(setup, args, store, spool.get(), fresh, &*open);
  TakeBatch take;
  take.before = [&](const delta::Scan& scan, std::vector<Finding>* findings) {
    return streamer.Vanished(scan, findings);
  };
  take.take = [&](TakenBatch& taken) { return streamer.Take(taken); };
  Outcome outcome;
  size_t batches = 0;
  CAISSON_RETURN_IF_ERROR(
      StreamBooksInBatches(setup, args.books, BatchOptionsFromEnvironment(), take, &outcome, &batches));
  timer.Mark("read, validate, spill");
  PrintActivity(streamer.activity(), args.end_inactive);
  if (streamer.proactive() > 0) PrintProactive(streamer.proactive());
  if (open->inconsistencies > 0) PrintInconsistencies(open->inconsistencies, open->resolving);

  const std::string kind = args.delta ? "delta" : "full";
  if (args.delta) {
    // [§5.4.1] Two or more states since the last submission go out one at a time: the whole-books delta
    // steps to the first of them (it validates the books again as of that date).
    Result<state::Submission> last = store->GetSubmission(*last_submission);
    if (!last.ok()) return last.status();
    int pending = 0;
    for (int32_t d : outcome.valid_from_dates) pending += last->as_of > 0 && d > last->as_of && d <= setup.as_of;
    if (pending >= 2) return Status::NotSupported("build --delta", "several states since the last submission");
  }
  CAISSON_RETURN_IF_ERROR(spool->Seal());
  std::vector<std::string_view> correction_keys;
  options.corrections = open->Corrections(*spool, &correction_keys);
  std::string digest;
  {
    BuildDigester digester(kind, setup.profile->name(), options);
    for (size_t k = 0; k < options.corrections.size(); ++k) {
      digester.Correction(options.corrections[k], correction_keys[k]);
    }
    for (int32_t id : InBooksOrder(spool->fdids(), [&](int32_t i) { return spool->FdidOrder(i); })) {
      const auto [key, fp] = Reader(spool->FdidExtra(id)).KeyAndFingerprint();
      digester.Fdid(key, fp);
    }
    digester.EndFdids();
    for (int32_t id : InBooksOrder(spool->customers(), [&](int32_t i) { return spool->CustomerOrder(i); })) {
      const auto [key, fp] = Reader(spool->CustomerExtra(id)).KeyAndFingerprint();
      digester.Customer(key, fp);
    }
    digest = digester.Hex();
  }
  timer.Mark("digest");
  if (*last_submission > 0) {
    Result<state::Submission> last = store->GetSubmission(*last_submission);
    if (!last.ok()) return last.status();
    if (last->input_digest == digest) {
      CAISSON_RETURN_IF_ERROR(AuditNothingWritten(store, kind, options.file_date, "already built", last->id));
      PrintSummary("build", outcome.summary);
      std::fprintf(stderr, "caisson build: this build is submission %lld already (%s); nothing written\n",
                   static_cast<long long>(last->id), last->out_dir.c_str());
      *exit_code = ExitCode(Status::OK(), outcome.summary.held_fdids + outcome.summary.held_customers, 0);
      return Status::OK();
    }
  }
  if (args.delta) {
    const delta::Plan& plan = streamer.counts();
    PrintDeltaCounts(plan);
    const bool deletes = std::any_of(options.corrections.begin(), options.corrections.end(),
                                     [](const emit::Correction& c) { return c.remove; });
    if (spool->fdids() == 0 && spool->customers() == 0 && !deletes) {
      CAISSON_RETURN_IF_ERROR(AuditNothingWritten(store, kind, options.file_date, "nothing changed", 0));
      Result<int64_t> remembered = delta::WriteDigests(streamer.remembered(), store);
      if (!remembered.ok()) return remembered.status();
      std::string doc = validate::FindingsJson(setup.profile->name(), outcome.summary, outcome.findings);
      if (common.json) std::fwrite(doc.data(), 1, doc.size(), stdout);
      else PrintFindingsText(outcome.findings, 20);
      PrintSummary("build", outcome.summary);
      std::fprintf(stderr, "caisson build --delta: nothing changed since the last submission; no files written\n");
      *exit_code = ExitCode(Status::OK(), outcome.summary.held_fdids + outcome.summary.held_customers +
                                              plan.pairing_held, 0);
      return Status::OK();
    }
  }
  CAISSON_RETURN_IF_ERROR(store->Integrity());  // before any file is written
  Result<int32_t> next =
      store->NextFileNumber(options.cat_submitter_id, options.cat_reporter_crd, options.file_date, options.group);
  if (!next.ok()) return next.status();
  options.first_file_number = *next;

  state::Submission submission;
  submission.kind = kind;
  submission.file_date = options.file_date;
  std::error_code ec;
  submission.out_dir = std::filesystem::absolute(args.out, ec).lexically_normal().string();
  submission.input_digest = digest;
  submission.as_of = setup.as_of;
  submission.scan_context = ScanContext(setup);
  const delta::ActivityReport& activity = streamer.activity();
  const std::map<std::string, audit::Value> facts = BuildFacts(setup.profile->name(), outcome.summary, activity);
  const delta::RecordRows rows = RowsFromSpool(*spool);
  RecordBeside recording;
  options.on_planned = [&](const emit::Written& planned) {
    std::vector<delta::SentFile> files = SentFiles(options, planned);
    CountPlanned(planned, &submission);
    recording.Start([&, files = std::move(files)](const delta::CompleteFiles& complete) mutable {
      return delta::Record(rows, streamer.counts(), std::move(files), facts, &submission, store, complete);
    });
  };
  Result<emit::Written> written = spool->Write(options, [&](const emit::Written& complete) -> Status {
    timer.Mark("emit");
    Status recorded = CommitSubmission(args, setup, options, complete, outcome, &recording);
    timer.Mark("record");
    return recorded;
  });
  if (Status cancelled = recording.Cancel(); written.ok() && !cancelled.ok()) return cancelled;
  if (!written.ok()) return written.status();
  CAISSON_RETURN_IF_ERROR(delta::MarkWritten(submission.id, store));
  Result<int64_t> remembered = delta::WriteDigests(streamer.remembered(), store);
  if (!remembered.ok()) return remembered.status();
  spool.reset();
  *exit_code = ReportBuild(common, args, setup, *written, outcome, submission, Status::OK(),
                           streamer.counts().pairing_held);
  return Status::OK();
}

}  // namespace caisson::app
