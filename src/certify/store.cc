// The counts of certify::Input from the state store and the firm's books.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "certify/certify.h"

namespace caisson::certify {

namespace {

enum class Fate { kNotSubmitted, kAccepted, kRejected, kAwaiting };

// A record's fate from its row: delta::Accept settles a rejected record by setting emitted back to accepted,
// so "emitted differs from accepted" means CAIS has not answered the last submission that carried it, and a
// submitted record that CAIS never accepted was rejected. A repair item marks a rejection even when a later
// submission was accepted: the guide's rate is about the testing submissions, repaired or not.
Fate FateOf(const state::RecordState& r, bool has_repair_item) {
  if (r.emitted_submission == 0 && !r.accepted.has_value()) return Fate::kNotSubmitted;
  if (r.emitted.has_value() && r.emitted != r.accepted) return Fate::kAwaiting;
  if (!r.accepted.has_value() || has_repair_item) return Fate::kRejected;
  return Fate::kAccepted;
}

}  // namespace

Status FillFromStore(const state::Store* store, const Population& books, Input* input) {
  std::set<std::pair<int, std::string>> repaired;  // (RecordKind, firm key) named by any repair item
  if (store != nullptr) {
    CAISSON_RETURN_IF_ERROR(store->ForEachRepairItem([&](const state::RepairItem& item) {
      repaired.emplace(static_cast<int>(item.kind), item.firm_key);
      return Status::OK();
    }));
  }

  input->submitted_records = input->rejected_records = input->awaiting_records = 0;
  std::unordered_map<std::string, Fate> fdid_fate, customer_fate;
  auto tally = [&](state::RecordKind kind, std::unordered_map<std::string, Fate>* fates) {
    return [&, kind, fates](const state::RecordState& r) {
      const Fate f = FateOf(r, repaired.count({static_cast<int>(kind), r.key}) > 0);
      if (f == Fate::kNotSubmitted) return Status::OK();
      (*fates)[r.key] = f;
      ++input->submitted_records;
      if (f == Fate::kRejected) ++input->rejected_records;
      if (f == Fate::kAwaiting) ++input->awaiting_records;
      return Status::OK();
    };
  };
  if (store != nullptr) {
    CAISSON_RETURN_IF_ERROR(store->ForEachFdid(tally(state::RecordKind::kFdid, &fdid_fate)));
    CAISSON_RETURN_IF_ERROR(store->ForEachCustomer(tally(state::RecordKind::kCustomer, &customer_fate)));
  }

  std::map<int64_t, Member> members;
  std::set<std::string> customers_of_submitted;
  for (const BooksFdid& f : books.fdids) {
    Member& m = members[f.member_crd];
    m.crd = f.member_crd;
    ++m.fdids;
    if (fdid_fate.count(f.fdid) == 0) continue;
    ++m.submitted_fdids;
    customers_of_submitted.insert(f.customers.begin(), f.customers.end());
  }
  input->members.clear();
  for (auto& [crd, m] : members) input->members.push_back(m);

  input->tid_in_population.fill(0);
  input->tid_submitted.fill(0);
  input->customers_of_submitted = static_cast<int64_t>(customers_of_submitted.size());
  input->customers_of_submitted_sent = 0;
  for (const BooksCustomer& c : books.customers) {
    if (c.tid.has_value()) ++input->tid_in_population[static_cast<int>(*c.tid)];
    if (customers_of_submitted.count(c.customer_id) == 0 || customer_fate.count(c.customer_id) == 0) continue;
    ++input->customers_of_submitted_sent;
    if (c.tid.has_value()) ++input->tid_submitted[static_cast<int>(*c.tid)];
  }

  // [guide §7] the Help Desk asks for the dates the testing submissions were made: the File Generation Dates
  // of every submission that got as far as writing its files.
  input->submission_dates.clear();
  if (store == nullptr) return Status::OK();
  Result<int64_t> last = store->LastSubmissionId();
  if (!last.ok()) return last.status();
  std::set<int32_t> dates;
  for (int64_t id = 1; id <= *last; ++id) {
    Result<state::Submission> s = store->GetSubmission(id);
    if (!s.ok()) {
      if (s.status().code() == Status::Code::kNotFound) continue;
      return s.status();
    }
    if (s->status == "pending" || s->fdids + s->customers == 0 || s->file_date == 0) continue;
    dates.insert(s->file_date);
  }
  input->submission_dates.assign(dates.begin(), dates.end());
  return Status::OK();
}

}  // namespace caisson::certify
