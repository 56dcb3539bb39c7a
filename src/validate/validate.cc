// Validate runs the rule families; ResolveHolds decides what is held back and applies the cascades of
// rules.md "Cascades" [§6.3 R2, R9–R10; §5.1.3.1 R3; §5.1.3.2 R4]; Summarise and FindingsJson give cli.md's
// findings document.
#include <absl/container/flat_hash_map.h>

#include "validate/validate.h"

#include <fmt/format.h>

#include <cstdint>
#include <deque>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "validate/context.h"

namespace caisson::validate {

Status CheckPolicyOverrides(const std::map<std::string, std::string>& policy, std::string_view origin) {
  for (const auto& [id, value] : policy) {
    const RuleInfo* rule = FindRule(id);
    if (rule == nullptr) return Status::InvalidArgument(origin, fmt::format("unknown rule '{}'", id));
    if (rule->severity != Severity::kPolicy) {
      return Status::InvalidArgument(origin, fmt::format("rule '{}' is not a policy rule", id));
    }
    if (value != "hold" && value != "report" && value != "off") {
      return Status::InvalidArgument(
          origin, fmt::format("rule '{}': value must be \"hold\", \"report\" or \"off\"", id));
    }
  }
  return Status::OK();
}

Status Validate(const spec::Profile& profile, const model::Books& books, const Options& options,
                std::vector<Finding>* findings) {
  if (options.as_of <= 0) return Status::InvalidArgument("validate", "as_of is not set");
  Context ctx(profile, books, options, findings);
  CheckFdids(ctx);
  if (!ctx.problem.ok()) return ctx.problem;
  CheckCustomers(ctx);
  return ctx.problem;
}

namespace {

enum class Cause : unsigned char { kNone, kPolicy, kReject };

std::string_view PolicyMode(const Options& options, const std::string& rule) {
  auto it = options.policy.find(rule);
  return it == options.policy.end() ? std::string_view("hold") : std::string_view(it->second);
}

// How a record joined a closure: as a seed, or through the record `from` (an FDID or a customer index).
enum class Via : unsigned char { kSeed, kFromCustomer, kFromFdid, kFromTid, kFromPartner };
struct Reach {
  Via via = Via::kSeed;
  int64_t from = -1;
};

// One node of the hold graph: an FDID (customer == false) or a customer, and the edge that reached it.
struct Node {
  bool customer;
  int64_t index;
  Reach reach;
};

class HoldResolver {
 public:
  HoldResolver(const model::Books& books, const Options& options, std::vector<Finding>* findings)
      : books_(books), options_(options), findings_(findings) {}

  Holds Run() {
    DropOffAndSeed();
    BuildGraph();
    EnsureRejectClosure();
    std::vector<Cause> fdid_any, customer_any;
    Closure(Cause::kPolicy, &fdid_any, &customer_any);
    Holds holds;
    holds.fdid.assign(books_.fdids.size(), false);
    holds.customer.assign(books_.customers.size(), false);
    // A record with its own reject needs no cascade finding; one held by its own policy finding gets a coded
    // cascade finding only when a reject reaches it too.
    for (size_t i = 0; i < books_.fdids.size(); ++i) {
      holds.fdid[i] = fdid_any[i] != Cause::kNone;
      const bool rejected = reject_fdid_[i] != Cause::kNone;
      if (holds.fdid[i] && fdid_seed_[i] != Cause::kReject && (rejected || fdid_seed_[i] == Cause::kNone)) {
        ReportCascade(/*customer=*/false, i, rejected);
      }
    }
    for (size_t i = 0; i < books_.customers.size(); ++i) {
      holds.customer[i] = customer_any[i] != Cause::kNone;
      const bool rejected = reject_customer_[i] != Cause::kNone;
      if (holds.customer[i] && customer_seed_[i] != Cause::kReject &&
          (rejected || customer_seed_[i] == Cause::kNone)) {
        ReportCascade(/*customer=*/true, i, rejected);
      }
    }
    findings_->insert(findings_->end(), std::make_move_iterator(pending_.begin()),
                      std::make_move_iterator(pending_.end()));
    SortAndDedupe(findings_);
    return holds;
  }

 private:
  void DropOffAndSeed() {
    fdid_seed_.assign(books_.fdids.size(), Cause::kNone);
    customer_seed_.assign(books_.customers.size(), Cause::kNone);
    std::vector<Finding> kept;
    kept.reserve(findings_->size());
    for (Finding& f : *findings_) {
      Cause cause = Cause::kNone;
      if (f.severity == Severity::kReject) {
        cause = Cause::kReject;
      } else if (f.severity == Severity::kPolicy) {
        std::string_view mode = PolicyMode(options_, f.rule);
        if (mode == "off") continue;
        if (mode == "hold") cause = Cause::kPolicy;
      }
      if (cause != Cause::kNone && f.record_index >= 0) {
        if (f.record == RecordKind::kFdid && f.record_index < static_cast<int64_t>(fdid_seed_.size())) {
          Raise(&fdid_seed_[f.record_index], cause);
        } else if ((f.record == RecordKind::kCustomer || f.record == RecordKind::kTid) &&
                   f.record_index < static_cast<int64_t>(customer_seed_.size())) {
          Raise(&customer_seed_[f.record_index], cause);
        }
      }
      kept.push_back(std::move(f));
    }
    findings_->swap(kept);
  }

  static void Raise(Cause* c, Cause to) {
    if (static_cast<int>(to) > static_cast<int>(*c)) *c = to;
  }

  void BuildGraph() {
    customer_fdids_.assign(books_.customers.size(), {});
    tid_group_.assign(books_.customers.size(), -1);
    for (size_t i = 0; i < books_.fdids.size(); ++i) {
      for (const model::Association& a : books_.fdids[i].fdid_customer_list) {
        if (a.customer_index >= 0 && a.customer_index < static_cast<int32_t>(books_.customers.size())) {
          customer_fdids_[a.customer_index].push_back(static_cast<int64_t>(i));
        }
      }
    }
    absl::flat_hash_map<std::string_view, int64_t> groups;
    for (size_t i = 0; i < books_.customers.size(); ++i) {
      const auto& tid = books_.customers[i].tid;
      if (!tid || !tid->tid_value || tid->tid_value.empty()) continue;
      auto [it, inserted] = groups.emplace(*tid->tid_value, static_cast<int64_t>(tid_members_.size()));
      if (inserted) tid_members_.emplace_back();
      tid_group_[i] = it->second;
      tid_members_[it->second].push_back(static_cast<int64_t>(i));
    }
    fdid_by_name_.reserve(books_.fdids.size());
    for (size_t i = 0; i < books_.fdids.size(); ++i) {
      if (books_.fdids[i].firm_designated_id) {
        fdid_by_name_.emplace(*books_.fdids[i].firm_designated_id, static_cast<int64_t>(i));
      }
    }
    partners_.assign(books_.fdids.size(), {});
    for (size_t i = 0; i < books_.fdids.size(); ++i) {
      const model::Fdid& f = books_.fdids[i];
      if (f.fdid_end_reason != "REPLACED" || !f.replaced_by_fdid) continue;
      auto it = fdid_by_name_.find(*f.replaced_by_fdid);
      if (it == fdid_by_name_.end() || it->second == static_cast<int64_t>(i)) continue;
      // One direction only: a REPLACED FDID cannot go without its replacing FDID (23004) [§5.1.3.1 R15–R16],
      // but a new FDID stands on its own when the one it replaces is held back.
      partners_[it->second].push_back(static_cast<int64_t>(i));
    }
  }

  // Marks everything reachable from seeds whose cause is at least `min`; breadth first, so each record's
  // Reach is one shortest path back to a seed.
  void Closure(Cause min, std::vector<Cause>* fdid, std::vector<Cause>* customer) {
    fdid->assign(books_.fdids.size(), Cause::kNone);
    customer->assign(books_.customers.size(), Cause::kNone);
    fdid_reach_.assign(books_.fdids.size(), Reach{});
    customer_reach_.assign(books_.customers.size(), Reach{});
    std::deque<Node> work;
    auto at_least = [&](Cause c) {
      return c != Cause::kNone && static_cast<int>(c) >= static_cast<int>(min);
    };
    for (size_t i = 0; i < fdid_seed_.size(); ++i) {
      if (at_least(fdid_seed_[i])) work.push_back({false, static_cast<int64_t>(i), {}});
    }
    for (size_t i = 0; i < customer_seed_.size(); ++i) {
      if (at_least(customer_seed_[i])) work.push_back({true, static_cast<int64_t>(i), {}});
    }
    while (!work.empty()) {
      Node n = work.front();
      work.pop_front();
      Cause& mark = n.customer ? (*customer)[n.index] : (*fdid)[n.index];
      if (mark != Cause::kNone) continue;
      mark = min;
      (n.customer ? customer_reach_[n.index] : fdid_reach_[n.index]) = n.reach;
      if (n.customer) {
        for (int64_t f : customer_fdids_[n.index]) work.push_back({false, f, {Via::kFromCustomer, n.index}});
        if (tid_group_[n.index] >= 0) {
          for (int64_t c : tid_members_[tid_group_[n.index]])
            work.push_back({true, c, {Via::kFromTid, n.index}});
        }
      } else {
        for (const model::Association& a : books_.fdids[n.index].fdid_customer_list) {
          if (a.customer_index >= 0 && a.customer_index < static_cast<int32_t>(books_.customers.size())) {
            work.push_back({true, a.customer_index, {Via::kFromFdid, n.index}});
          }
        }
        for (int64_t p : partners_[n.index]) work.push_back({false, p, {Via::kFromPartner, n.index}});
      }
    }
  }

  void Emit(std::string_view rule, std::string_view code, RecordKind record, int64_t index,
            const model::Origin& origin, spec::Object object, std::string_view field, std::string message) {
    Finding f;
    if (MakeFinding(books_, options_.mode, rule, code, record, index, origin, object, field,
                    std::move(message), &f)) {
      pending_.push_back(std::move(f));
    }
  }

  // A record held only through others: the coded cascade finding of the edge a reject reached it by, else
  // hold.cascade (rules.md §8).
  void ReportCascade(bool customer, size_t index, bool reject) {
    const int64_t i = static_cast<int64_t>(index);
    if (!reject) {
      if (customer) {
        const model::Customer& c = books_.customers[index];
        Emit("hold.cascade", "", RecordKind::kCustomer, i, c.origin, CustomerObject(c), "",
             "customer held back with a record held by a policy rule");
      } else {
        Emit("hold.cascade", "", RecordKind::kFdid, i, books_.fdids[index].origin, spec::Object::kFdidRecord,
             "", "FDID held back with a record held by a policy rule");
      }
      return;
    }
    const Reach r = customer ? reject_customer_reach_[index] : reject_fdid_reach_[index];
    if (customer) {
      const model::Customer& c = books_.customers[index];
      if (r.via == Via::kFromTid) {
        // [§6.3 R2] every version with the same tidValue is rejected together.
        Emit("customer.version_rejected", "22529", RecordKind::kCustomer, i, c.origin, CustomerObject(c), "",
             "customer rejected because another record with the same tidValue is rejected");
      } else {
        // [§5.1.3.2 R4] a customer whose FDID is rejected is rejected with it.
        Emit("customer.orphan", "22523", RecordKind::kCustomer, i, c.origin, CustomerObject(c), "",
             "customer rejected because an associated FDID is rejected");
      }
      return;
    }
    const model::Fdid& f = books_.fdids[index];
    if (r.via == Via::kFromCustomer) {
      for (const model::Association& a : f.fdid_customer_list) {
        if (a.customer_index != r.from) continue;
        // [§5.1.3.1 R3] an FDID is rejected with any associated customer.
        Emit("fdid.customer_rejected", "22048", RecordKind::kFdid, i, a.origin,
             spec::Object::kFdidCustomerRecord, "customerRecordID",
             "FDID rejected because an associated customer is rejected");
        return;
      }
    }
    // [§5.1.3.1 R15–R16] a REPLACED FDID needs its replacing FDID accepted; Caisson sends the two together.
    Emit("fdid.replaced", "23004", RecordKind::kFdid, i, f.origin, spec::Object::kFdidRecord, "replacedByFDID",
         "the replacing FDID named in replacedByFDID is held back");
  }

  static spec::Object CustomerObject(const model::Customer& c) {
    return c.kind == model::CustomerKind::kLegalEntity ? spec::Object::kLegalEntityCustomerRecord
                                                       : spec::Object::kNaturalPersonCustomerRecord;
  }

  void EnsureRejectClosure() {
    Closure(Cause::kReject, &reject_fdid_, &reject_customer_);
    reject_fdid_reach_ = fdid_reach_;
    reject_customer_reach_ = customer_reach_;
  }

  const model::Books& books_;
  const Options& options_;
  std::vector<Finding>* findings_;
  std::vector<Finding> pending_;
  std::vector<Cause> fdid_seed_, customer_seed_;
  std::vector<std::vector<int64_t>> customer_fdids_, tid_members_, partners_;
  std::vector<int64_t> tid_group_;
  absl::flat_hash_map<std::string_view, int64_t> fdid_by_name_;
  std::vector<Reach> fdid_reach_, customer_reach_;  // of the last Closure
  std::vector<Cause> reject_fdid_, reject_customer_;
  std::vector<Reach> reject_fdid_reach_, reject_customer_reach_;
};

}  // namespace

Holds ResolveHolds(const model::Books& books, const Options& options, std::vector<Finding>* findings) {
  HoldResolver resolver(books, options, findings);
  return resolver.Run();
}

Summary Summarise(const model::Books& books, const Holds& holds, const std::vector<Finding>& findings) {
  Summary s;
  s.fdids = static_cast<int64_t>(books.fdids.size());
  s.customers = static_cast<int64_t>(books.customers.size());
  for (const model::Customer& c : books.customers) s.tids += c.tid.has_value() ? 1 : 0;
  std::vector<bool> fdid_reject(books.fdids.size(), false), customer_reject(books.customers.size(), false);
  CountFindings(findings, &s);
  for (const Finding& f : findings) {
    if (f.severity != Severity::kReject || f.record_index < 0) continue;
    if (f.record == RecordKind::kFdid && f.record_index < static_cast<int64_t>(fdid_reject.size())) {
      fdid_reject[f.record_index] = true;
    } else if ((f.record == RecordKind::kCustomer || f.record == RecordKind::kTid) &&
               f.record_index < static_cast<int64_t>(customer_reject.size())) {
      customer_reject[f.record_index] = true;
    }
  }
  for (size_t i = 0; i < holds.fdid.size() && i < fdid_reject.size(); ++i) {
    s.held_fdids += holds.fdid[i] ? 1 : 0;
    s.rejected_fdids += holds.fdid[i] && fdid_reject[i] ? 1 : 0;
  }
  for (size_t i = 0; i < holds.customer.size() && i < customer_reject.size(); ++i) {
    s.held_customers += holds.customer[i] ? 1 : 0;
    s.rejected_customers += holds.customer[i] && customer_reject[i] ? 1 : 0;
  }
  return s;
}

void AddRecordCounts(const Summary& part, Summary* total) {
  total->fdids += part.fdids;
  total->customers += part.customers;
  total->tids += part.tids;
  total->rejected_fdids += part.rejected_fdids;
  total->rejected_customers += part.rejected_customers;
  total->held_fdids += part.held_fdids;
  total->held_customers += part.held_customers;
}

void CountFindings(const std::vector<Finding>& findings, Summary* total) {
  for (const Finding& f : findings) {
    switch (f.severity) {
      case Severity::kReject: ++total->rejects; break;
      case Severity::kWarning: ++total->warnings; break;
      case Severity::kPolicy: ++total->policy; break;
      case Severity::kInconsistency: ++total->inconsistencies; break;
    }
  }
}

std::string FindingsJson(std::string_view profile, const Summary& s, const std::vector<Finding>& findings) {
  std::string out = "{\n  \"profile\": ";
  AppendJsonString(profile, &out);
  fmt::format_to(
      std::back_inserter(out),
      ",\n  \"summary\": {{\"fdids\": {}, \"customers\": {}, \"tids\": {}, \"rejected_fdids\": {}, "
      "\"rejected_customers\": {}, \"held_fdids\": {}, \"held_customers\": {}, \"rejects\": {}, "
      "\"warnings\": {}, \"policy\": {}, \"inconsistencies\": {}}},\n  \"findings\": [",
      s.fdids, s.customers, s.tids, s.rejected_fdids, s.rejected_customers, s.held_fdids, s.held_customers,
      s.rejects, s.warnings, s.policy, s.inconsistencies);
  for (size_t i = 0; i < findings.size(); ++i) {
    out.append(i == 0 ? "\n    " : ",\n    ");
    AppendFindingJson(findings[i], &out);
  }
  out.append(findings.empty() ? "]\n}\n" : "\n  ]\n}\n");
  return out;
}

}  // namespace caisson::validate
