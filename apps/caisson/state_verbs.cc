// `caisson accept` and `caisson status`, and the state-store plumbing the verbs share (state_use.h).
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "delta/delta.h"
#include "setup.h"
#include "state/state.h"
#include "org/org.h"
#include "state_use.h"

namespace caisson::app {

std::filesystem::path StatePath(const config::Config& config) {
  if (!config.state_path.empty()) return config.state_path;
  if (!config.path.empty()) return config.path.parent_path() / "caisson.db";
  return "caisson.db";
}

Result<std::unique_ptr<state::Store>> OpenStore(const config::Config& config, bool create, bool defer_check) {
  state::Options options;
  options.create_if_missing = create;
  options.defer_integrity_check = defer_check;
  options.cat_reporter_crd = config.cat_reporter_crd;
  options.cat_submitter_id = config.cat_submitter_id;
  options.caisson_version = CAISSON_VERSION;
  const std::filesystem::path path = StatePath(config);
  Result<std::unique_ptr<state::Store>> store = state::Store::Open(path, options);
  if (!store.ok() && store.status().code() == Status::Code::kNotFound) {
    return Status::InvalidArgument(path.string(),
                                   "no state store yet: run a full `caisson build` first (it creates the store)");
  }
  return store;
}

Result<std::vector<emit::Correction>> CorrectionsFor(const state::Store& store, const model::Books& books,
                                                     const std::vector<bool>& fdid_sent,
                                                     const std::vector<bool>& customer_sent) {
  // The key indexes are built at the first open repair item: a store without any (every first build) needs
  // none, and at 1 M FDIDs they were the build's peak (four trees of every firm key next to the model).
  std::map<std::string, int32_t> fdid_index, customer_index;
  // Every firm key of the books, sent today or not: a rejected record gone from them need not be reported.
  std::set<std::string> in_books_fdids, in_books_customers;
  bool indexed = false;
  auto index = [&] {
    indexed = true;
    for (size_t i = 0; i < books.fdids.size() && i < fdid_sent.size(); ++i) {
      if (fdid_sent[i] && books.fdids[i].firm_designated_id) {
        fdid_index.emplace(std::string(*books.fdids[i].firm_designated_id), static_cast<int32_t>(i));
      }
    }
    for (size_t i = 0; i < books.customers.size() && i < customer_sent.size(); ++i) {
      if (customer_sent[i]) customer_index.emplace(books.customers[i].key, static_cast<int32_t>(i));
    }
    for (const model::Fdid& f : books.fdids) {
      if (f.firm_designated_id) in_books_fdids.insert(std::string(*f.firm_designated_id));
    }
    for (const model::Customer& c : books.customers) in_books_customers.insert(c.key);
  };
  std::vector<emit::Correction> out;
  Status s = store.ForEachRepairItem([&](const state::RepairItem& item) {
    if (item.status != "open") return Status::OK();
    if (!indexed) index();
    const bool fdid = item.kind == state::RecordKind::kFdid;
    const bool in_books = fdid ? in_books_fdids.contains(item.firm_key) : in_books_customers.contains(item.firm_key);
    int32_t sent = -1;
    if (auto& sent_index = fdid ? fdid_index : customer_index; in_books) {
      if (auto it = sent_index.find(item.firm_key); it != sent_index.end()) sent = it->second;
    }
    if (std::optional<emit::Correction> c = CorrectionFor(item, in_books, sent)) out.push_back(*c);
    return Status::OK();
  });
  if (!s.ok()) return s;
  return out;
}

std::optional<emit::Correction> CorrectionFor(const state::RepairItem& item, bool in_books, int32_t sent_index) {
  const int64_t c = item.error_code;
  // [§6.6.2.1; §5.1.3.2 R16] DELETE clears a rejection (22001–23999) whose record is no longer in the books:
  // nothing will repair it, and CAIS keeps it outstanding until told.
  if (!in_books) {
    if (c < 22001 || c > 23999) return std::nullopt;
    emit::Correction deletion;
    deletion.rejection_id = item.rejection_id;
    deletion.remove = true;
    return deletion;
  }
  if (c != 22001 && c != 22900 && c != 22526 && c != 22501 && c != 22914) return std::nullopt;
  if (sent_index < 0) return std::nullopt;
  emit::Correction correction;
  correction.rejection_id = item.rejection_id;
  (item.kind == state::RecordKind::kFdid ? correction.fdid_index : correction.customer_index) = sent_index;
  return correction;
}

Status MayWrite(const state::Store& store) {
  // Local state is no submission: the Test entitlement (reporter) is enough, whatever environment it is for.
  return org::Authorize(store, org::ActingUser(), org::Action::kWrite, org::Env::kTest);
}

Result<int64_t> RepairsOnly(const state::Store& store, const model::Books& books, delta::Plan* plan) {
  std::map<std::string, size_t> fdid_index, customer_index;
  for (size_t i = 0; i < books.fdids.size(); ++i) {
    if (books.fdids[i].firm_designated_id) fdid_index.emplace(std::string(*books.fdids[i].firm_designated_id), i);
  }
  for (size_t i = 0; i < books.customers.size(); ++i) customer_index.emplace(books.customers[i].key, i);
  std::vector<bool> fdid(books.fdids.size(), false), customer(books.customers.size(), false);
  auto mark = [&](bool is_fdid, const std::string& key) {
    auto& index = is_fdid ? fdid_index : customer_index;
    if (auto it = index.find(key); it != index.end()) (is_fdid ? fdid : customer)[it->second] = true;
  };
  Status s = store.ForEachRepairItem([&](const state::RepairItem& item) {
    if (item.status == "open") mark(item.kind == state::RecordKind::kFdid, item.firm_key);
    return Status::OK();
  });
  if (s.ok()) {
    s = store.ForEachInconsistency([&](const state::Inconsistency& m) {
      if (m.status == "open") mark(false, m.firm_key);
      return Status::OK();
    });
  }
  if (!s.ok()) return s;
  delta::KeepRepairsOnly(books, fdid, customer, plan);
  int64_t kept = 0;
  for (delta::Reason r : plan->fdid) kept += r != delta::Reason::kNotSent ? 1 : 0;
  return kept;
}

Result<int64_t> OpenInconsistencies(const state::Store& store, const model::Books& books, std::vector<bool>* resend) {
  resend->assign(books.customers.size(), false);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < books.customers.size(); ++i) index.emplace(books.customers[i].key, i);
  int64_t n = 0;
  Status s = store.ForEachInconsistency([&](const state::Inconsistency& m) {
    if (m.status != "open") return Status::OK();
    auto it = index.find(m.firm_key);
    if (it == index.end() || (*resend)[it->second]) return Status::OK();
    (*resend)[it->second] = true;
    ++n;
    return Status::OK();
  });
  if (!s.ok()) return s;
  return n;
}

namespace {

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

}  // namespace

int RunAccept(const Common& common, const AcceptArgs& args) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  int32_t date = setup->today;
  if (!args.date.empty()) {
    date = config::ParseDate(args.date);
    if (date < 0) return Fail(Status::InvalidArgument("--date", "not a date YYYYMMDD"));
  }
  Result<std::unique_ptr<state::Store>> store = OpenStore(setup->config, false);
  if (!store.ok()) return Fail(store.status());
  if (Status may = MayWrite(**store); !may.ok()) return Fail(may);
  delta::Acceptance acceptance;
  acceptance.submission_id = args.submission;
  acceptance.date = date;
  acceptance.rejected_fdids = args.rejected_fdids;
  acceptance.rejected_customers = args.rejected_customers;
  Result<delta::Accepted> done = delta::Accept(*setup->profile, acceptance, store->get());
  if (!done.ok()) return Fail(done.status());
  if (!done->fold.ok()) {
    std::fprintf(stderr, "caisson accept: warning: the acceptance is recorded, but folding the store's recent "
                         "record states failed (reads stay correct; the next acceptance tries again): %s\n",
                 done->fold.ToString().c_str());
  }
  std::fprintf(stderr,
               "caisson accept: submission %lld accepted on %d: %lld FDIDs and %lld customers accepted, %lld FDIDs "
               "and %lld customers rejected (the next --delta resends them)\n",
               static_cast<long long>(args.submission), date, static_cast<long long>(done->fdids),
               static_cast<long long>(done->customers), static_cast<long long>(done->rejected_fdids),
               static_cast<long long>(done->rejected_customers));
  if (common.json) {
    std::printf("{\"submission\": %lld, \"date\": %d, \"accepted_fdids\": %lld, \"accepted_customers\": %lld, "
                "\"rejected_fdids\": %lld, \"rejected_customers\": %lld}\n",
                static_cast<long long>(args.submission), date, static_cast<long long>(done->fdids),
                static_cast<long long>(done->customers), static_cast<long long>(done->rejected_fdids),
                static_cast<long long>(done->rejected_customers));
  }
  return 0;
}

int RunStatus(const Common& common) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  Result<std::unique_ptr<state::Store>> opened = OpenStore(setup->config, false);
  if (!opened.ok()) return Fail(opened.status());
  state::Store& store = **opened;
  struct Counts {
    int64_t total = 0, accepted = 0, pending = 0, never_accepted = 0, ended = 0, refresh_due = 0, inactive = 0,
            without_activity = 0, refresh_overdue = 0, refresh_listed = 0;
  };
  // [§3.8] the 12-month refresh, listed from 11 months like CAIS's FDID Refresh Report (DUE, OVERDUE).
  struct Due {
    std::string fdid;
    int32_t last_accepted;
    bool overdue;
  };
  constexpr size_t kListed = 100;
  std::vector<Due> due;
  const int32_t due_from = delta::MonthsBefore(setup->as_of, 11);
  const int32_t overdue_from = delta::MonthsBefore(setup->as_of, 12);
  auto count = [&](Counts* c, bool fdid) {
    return [&, c, fdid](const state::RecordState& r) {
      ++c->total;
      if (r.accepted.has_value()) ++c->accepted; else ++c->never_accepted;
      if (r.emitted.has_value() && r.emitted != r.accepted) ++c->pending;
      if (fdid && (r.flags & delta::kFlagEnded) != 0) ++c->ended;
      if (fdid && r.inactive_since > 0) ++c->inactive;
      if (fdid && (r.flags & delta::kFlagRefreshListed) != 0) ++c->refresh_listed;
      if (fdid && (r.flags & delta::kFlagEnded) == 0 && (r.flags & delta::kFlagNoActivity) != 0) ++c->without_activity;
      if (fdid && (r.flags & delta::kFlagEnded) == 0 && r.last_accepted > 0 && r.last_accepted <= due_from) {
        ++c->refresh_due;
        const bool overdue = r.last_accepted <= overdue_from;
        if (overdue) ++c->refresh_overdue;
        if (due.size() < kListed) due.push_back({r.key, r.last_accepted, overdue});
      }
      return Status::OK();
    };
  };
  Counts fdids, customers;
  Status s = store.ForEachFdid(count(&fdids, true));
  if (s.ok()) s = store.ForEachCustomer(count(&customers, false));
  if (!s.ok()) return Fail(s);
  Result<int64_t> last = store.LastSubmissionId();
  if (!last.ok()) return Fail(last.status());
  std::string json = fmt::format(
      "{{\"store\": {}, \"fdids\": {{\"total\": {}, \"accepted\": {}, \"awaiting_acceptance\": {}, "
      "\"never_accepted\": {}, \"ended\": {}, \"inactive\": {}, \"open_without_activity_data\": {}, "
      "\"refresh_due\": {}, \"refresh_overdue\": {}, \"refresh_listed_by_cais\": {}}}, \"customers\": "
      "{{\"total\": {}, \"accepted\": {}, "
      "\"awaiting_acceptance\": {}, \"never_accepted\": {}}}, \"submissions\": [",
      JsonString(StatePath(setup->config).string()), fdids.total, fdids.accepted, fdids.pending,
      fdids.never_accepted, fdids.ended, fdids.inactive, fdids.without_activity, fdids.refresh_due,
      fdids.refresh_overdue, fdids.refresh_listed, customers.total,
      customers.accepted, customers.pending, customers.never_accepted);
  std::fprintf(stderr, "caisson status: %s\n", StatePath(setup->config).c_str());
  std::fprintf(stderr,
               "  FDIDs: %lld (%lld accepted, %lld awaiting acceptance, %lld never accepted, %lld ended, %lld of them "
               "INACTIVE by Caisson; %lld open without activity data)\n"
               "  customers: %lld (%lld accepted, %lld awaiting acceptance, %lld never accepted)\n"
               "  refresh: %lld open FDIDs last accepted 11 or more months ago, %lld of them 12 or more (OVERDUE); "
               "%s [§3.8]; %lld on CAIS's FDID Refresh Report, resent by the next build\n",
               static_cast<long long>(fdids.total), static_cast<long long>(fdids.accepted),
               static_cast<long long>(fdids.pending), static_cast<long long>(fdids.never_accepted),
               static_cast<long long>(fdids.ended), static_cast<long long>(fdids.inactive),
               static_cast<long long>(fdids.without_activity), static_cast<long long>(customers.total),
               static_cast<long long>(customers.accepted), static_cast<long long>(customers.pending),
               static_cast<long long>(customers.never_accepted), static_cast<long long>(fdids.refresh_due),
               static_cast<long long>(fdids.refresh_overdue),
               setup->config.enforce_refresh ? "enforced ([state] enforce_refresh)"
                                             : "not enforced while its compliance date is postponed",
               static_cast<long long>(fdids.refresh_listed));
  for (size_t i = 0; i < due.size() && i < 20; ++i) {
    std::fprintf(stderr, "    %s %s (last accepted %d)\n", due[i].overdue ? "OVERDUE" : "DUE", due[i].fdid.c_str(),
                 due[i].last_accepted);
  }
  if (fdids.refresh_due > 20) {
    std::fprintf(stderr, "    ... and %lld more (--format json lists %zu)\n",
                 static_cast<long long>(fdids.refresh_due - 20), kListed);
  }
  for (int64_t id = *last, shown = 0; id >= 1 && shown < 10; --id, ++shown) {
    Result<state::Submission> sub = store.GetSubmission(id);
    if (!sub.ok()) continue;
    std::fprintf(stderr, "  submission %lld: %s, file date %d, %lld FDIDs, %lld customers, %lld files, %s\n",
                 static_cast<long long>(sub->id), sub->kind.c_str(), sub->file_date,
                 static_cast<long long>(sub->fdids), static_cast<long long>(sub->customers),
                 static_cast<long long>(sub->files), sub->status.c_str());
    json += fmt::format("{}{{\"id\": {}, \"kind\": \"{}\", \"file_date\": {}, \"fdids\": {}, \"customers\": {}, "
                        "\"files\": {}, \"status\": \"{}\", \"created_at\": \"{}\"}}",
                        shown == 0 ? "" : ", ", sub->id, sub->kind, sub->file_date, sub->fdids, sub->customers,
                        sub->files, sub->status, sub->created_at);
  }
  json += "], \"refresh\": [";
  for (size_t i = 0; i < due.size(); ++i) {
    json += fmt::format("{}{{\"fdid\": {}, \"last_accepted\": {}, \"status\": \"{}\"}}", i == 0 ? "" : ", ",
                        JsonString(due[i].fdid), due[i].last_accepted, due[i].overdue ? "OVERDUE" : "DUE");
  }
  json += "]}\n";
  if (common.json) std::fwrite(json.data(), 1, json.size(), stdout);
  // cli.md: a missed deadline is exit 1; the refresh deadline counts only when enforced.
  return setup->config.enforce_refresh && fdids.refresh_overdue > 0 ? 1 : 0;
}

}  // namespace caisson::app
