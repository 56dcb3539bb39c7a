// The closure of §3.6 (delta.h) and its recording in the state store.
#include "delta/delta.h"

#include <algorithm>

#include <fmt/format.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "base/sha256.h"



namespace caisson::delta {

namespace {

// Keys of the books, by text. Duplicate FDIDs are held back by validate (22002); the first one counts here.
absl::flat_hash_map<std::string_view, int32_t> IndexFdids(const model::Books& books) {
  absl::flat_hash_map<std::string_view, int32_t> index;
  index.reserve(books.fdids.size());
  for (size_t i = 0; i < books.fdids.size(); ++i) {
    const model::Fdid& f = books.fdids[i];
    if (f.firm_designated_id) index.try_emplace(std::string_view(*f.firm_designated_id), static_cast<int32_t>(i));
  }
  return index;
}

absl::flat_hash_map<std::string_view, int32_t> IndexCustomers(const model::Books& books) {
  absl::flat_hash_map<std::string_view, int32_t> index;
  index.reserve(books.customers.size());
  for (size_t i = 0; i < books.customers.size(); ++i) {
    index.try_emplace(std::string_view(books.customers[i].key), static_cast<int32_t>(i));
  }
  return index;
}

bool Ended(const model::Fdid& f) { return f.fdid_end_date.has_value(); }

bool ActiveAssociation(const model::Association& a) { return !a.role_end_date.has_value(); }

bool Differs(const std::optional<Fingerprint>& known, const Fingerprint& now) {
  return !known.has_value() || *known != now;
}

}  // namespace

Finding VanishedFinding(std::string_view key) {
  Finding f;
  f.rule = "state.vanished";
  f.severity = Severity::kPolicy;
  f.record = RecordKind::kFdid;
  f.key = std::string(key);
  f.file = "accounts.csv";
  f.field = "fdid";
  f.message = "An FDID CAIS accepted is no longer in the books; CAIS keeps it open until an fdidEndDate is sent.";
  return f;
}

Result<Plan> Select(const model::Books& books, const validate::Holds& holds,
                    const std::vector<Fingerprint>& fdid_fp, const std::vector<Fingerprint>& customer_fp,
                    const state::Store& store, const Options& options) {
  const size_t nf = books.fdids.size(), nc = books.customers.size();
  if (fdid_fp.size() != nf || customer_fp.size() != nc || holds.fdid.size() != nf ||
      holds.customer.size() != nc) {
    return Status::Internal("delta", "fingerprints or holds are not sized like the books");
  }
  Plan plan;
  plan.fdid.assign(nf, Reason::kNotSent);
  plan.customer.assign(nc, false);
  plan.customer_changed.assign(nc, false);
  plan.customer_stranded.assign(nc, false);
  plan.tid_replacement.assign(nc, false);
  plan.books_customers = nc;
  plan.fdid_known.Resize(nf);
  plan.customer_known.Resize(nc);

  const auto fdid_index = IndexFdids(books);
  auto take_fdid = [&](const state::RecordState& row) {
    auto it = fdid_index.find(std::string_view(row.key));
    if (it != fdid_index.end()) {
      plan.fdid_known.Set(static_cast<size_t>(it->second), row);
      return Status::OK();
    }
    // [§5.1.3 R14] an omitted FDID is not ended: CAIS keeps what it accepted.
    if (row.accepted.has_value() && (row.flags & kFlagEnded) == 0) plan.findings.push_back(VanishedFinding(row.key));
    return Status::OK();
  };
  const auto customer_index = IndexCustomers(books);
  auto take_customer = [&](const state::RecordState& row) {
    auto it = customer_index.find(std::string_view(row.key));
    if (it != customer_index.end()) {
      plan.customer_known.Set(static_cast<size_t>(it->second), row);
    }
    return Status::OK();
  };
  if (options.absent_fdids == nullptr) {
    CAISSON_RETURN_IF_ERROR(store.ForEachFdid(take_fdid));
    CAISSON_RETURN_IF_ERROR(store.ForEachCustomer(take_customer));
  } else {
    // The fast delta's subset: the rows of its records, then the FDIDs the whole books lack, in key order as
    // ForEachFdid would give them.
    std::vector<std::pair<std::string_view, int32_t>> keys(fdid_index.begin(), fdid_index.end());
    std::sort(keys.begin(), keys.end());
    for (const auto& [key, i] : keys) {
      Result<state::RecordState> row = store.GetFdid(key);
      if (row.ok()) CAISSON_RETURN_IF_ERROR(take_fdid(*row));
      else if (row.status().code() != Status::Code::kNotFound) return row.status();
    }
    for (const state::RecordState& row : *options.absent_fdids) CAISSON_RETURN_IF_ERROR(take_fdid(row));
    std::sort(plan.findings.begin(), plan.findings.end(),
              [](const Finding& a, const Finding& b) { return a.key < b.key; });
    for (const auto& [key, i] : customer_index) {
      Result<state::RecordState> row = store.GetCustomer(key);
      if (row.ok()) CAISSON_RETURN_IF_ERROR(take_customer(*row));
      else if (row.status().code() != Status::Code::kNotFound) return row.status();
    }
  }

  // state.pairing [§2.1.1]: an FDID CAIS accepted under one correspondentCRD that the books now put under
  // another. Updates must keep the pairing it was accepted with, so by default it is held back.
  std::vector<bool> held = holds.fdid;
  for (size_t i = 0; i < nf; ++i) {
    const Known& k = plan.fdid_known[i];
    if (held[i] || !k.in_store || !k.state.accepted.has_value() || options.pairing_policy == "off") continue;
    const model::Fdid& f = books.fdids[i];
    const int64_t now = f.correspondent_crd.has_value() ? f.correspondent_crd.value : 0;
    if (now == k.state.correspondent_crd) continue;
    Finding finding;
    finding.rule = "state.pairing";
    finding.severity = Severity::kPolicy;
    finding.record = RecordKind::kFdid;
    finding.key = f.firm_designated_id ? std::string(*f.firm_designated_id) : std::string();
    finding.file = f.origin.file < books.files.size() ? books.files[f.origin.file] : std::string();
    finding.line = f.origin.line;
    finding.field = "correspondent_crd";
    finding.message = "The FDID was accepted under another correspondentCRD; its updates must keep that pairing.";
    finding.record_index = static_cast<int64_t>(i);
    plan.findings.push_back(std::move(finding));
    if (options.pairing_policy != "report") {
      held[i] = true;
      ++plan.pairing_held;
    }
  }

  // Never emitted and no activity since the scope start: not for CAIS at all [§1.1].
  auto out_of_scope = [&](size_t i) {
    const Known& k = plan.fdid_known[i];
    return !options.out_of_scope.empty() && options.out_of_scope[i] && !(k.in_store && k.state.emitted);
  };
  // FDIDs on their own state.
  for (size_t i = 0; i < nf; ++i) {
    if (held[i] || out_of_scope(i)) continue;
    const Known& k = plan.fdid_known[i];
    if (options.full) {
      plan.fdid[i] = Reason::kFull;
    } else if (!k.in_store || !k.state.emitted.has_value()) {
      plan.fdid[i] = Reason::kNew;
    } else if (Differs(k.state.emitted, fdid_fp[i])) {
      plan.fdid[i] = Reason::kChanged;
    } else if (!Ended(books.fdids[i]) &&
               ((options.refresh_accepted_on_or_before > 0 && k.state.accepted.has_value() &&
                 k.state.last_accepted <= options.refresh_accepted_on_or_before) ||
                (options.resend_refresh_listed && (k.state.flags & kFlagRefreshListed) != 0))) {
      plan.fdid[i] = Reason::kRefresh;
    }
  }
  // A REPLACED FDID travels with its replacing FDID unless CAIS has that one already [§3.1].
  for (size_t i = 0; i < nf; ++i) {
    if (plan.fdid[i] == Reason::kNotSent || !books.fdids[i].replaced_by_fdid) continue;
    auto it = fdid_index.find(std::string_view(*books.fdids[i].replaced_by_fdid));
    if (it == fdid_index.end()) continue;
    const size_t r = static_cast<size_t>(it->second);
    if (held[r] || plan.fdid[r] != Reason::kNotSent) continue;
    if (!plan.fdid_known[r].state.accepted.has_value()) plan.fdid[r] = Reason::kReplacing;
  }
  // [§3.2] a customer whose previous identifier is the TID CAIS has: every open FDID of it goes, with both.
  for (size_t c = 0; c < nc; ++c) {
    const model::Customer& cust = books.customers[c];
    if (holds.customer[c] || !cust.prior_tid || !plan.customer_known[c].in_store) continue;
    if (plan.customer_known[c].state.tid != TidFingerprint(cust.prior_tid->tid)) continue;
    plan.tid_replacement[c] = true;
    ++plan.tid_replacements;
  }
  if (plan.tid_replacements > 0) {
    for (size_t i = 0; i < nf; ++i) {
      if (held[i] || out_of_scope(i) || Ended(books.fdids[i]) || plan.fdid[i] != Reason::kNotSent) continue;
      for (const model::Association& a : books.fdids[i].fdid_customer_list) {
        if (a.customer_index >= 0 && plan.tid_replacement[static_cast<size_t>(a.customer_index)]) {
          plan.fdid[i] = Reason::kTidReplacement;
          break;
        }
      }
    }
  }
  // Customers of the FDIDs sent go with them; a changed customer nobody carries needs a carrier.
  for (size_t i = 0; i < nf; ++i) {
    if (plan.fdid[i] == Reason::kNotSent) continue;
    for (const model::Association& a : books.fdids[i].fdid_customer_list) {
      if (a.customer_index >= 0) plan.customer[static_cast<size_t>(a.customer_index)] = true;
    }
  }
  std::vector<int32_t> carrier(nc, -1);  // first active, unended FDID not held back, in books order
  for (size_t i = 0; i < nf; ++i) {
    if (held[i] || Ended(books.fdids[i]) || out_of_scope(i)) continue;
    for (const model::Association& a : books.fdids[i].fdid_customer_list) {
      if (a.customer_index < 0 || !ActiveAssociation(a)) continue;
      int32_t& c = carrier[static_cast<size_t>(a.customer_index)];
      if (c < 0) c = static_cast<int32_t>(i);
    }
  }
  for (size_t c = 0; c < nc; ++c) {
    if (holds.customer[c]) continue;
    const Known& k = plan.customer_known[c];
    const bool resend = c < options.resend_customers.size() && options.resend_customers[c];
    if (!options.full && !resend && k.in_store && !Differs(k.state.emitted, customer_fp[c])) continue;
    plan.customer_changed[c] = true;
    ++plan.changed_customers;
    if (plan.customer[c]) continue;
    if (carrier[c] < 0) {
      ++plan.stranded_customers;  // only on ended FDIDs or inactive roles: nothing CAIS needs
      plan.customer_stranded[c] = true;
      continue;
    }
    const size_t f = static_cast<size_t>(carrier[c]);
    plan.fdid[f] = Reason::kCarrier;
    for (const model::Association& a : books.fdids[f].fdid_customer_list) {
      if (a.customer_index >= 0) plan.customer[static_cast<size_t>(a.customer_index)] = true;
    }
  }

  plan.emit_holds.fdid.assign(nf, true);
  plan.emit_holds.customer = holds.customer;
  for (size_t i = 0; i < nf; ++i) {
    switch (plan.fdid[i]) {
      case Reason::kNotSent:
        if (!held[i]) ++plan.unchanged_fdids;
        continue;
      case Reason::kNew: ++plan.new_fdids; break;
      case Reason::kChanged: ++plan.changed_fdids; break;
      case Reason::kCarrier: ++plan.carrier_fdids; break;
      case Reason::kReplacing: ++plan.replacing_fdids; break;
      case Reason::kFull: ++plan.full_fdids; break;
      case Reason::kTidReplacement: ++plan.carrier_fdids; break;
      case Reason::kRefresh: ++plan.refresh_fdids; break;
    }
    plan.emit_holds.fdid[i] = false;
  }
  return plan;
}

void KeepRepairsOnly(const model::Books& books, const std::vector<bool>& repair_fdid,
                     const std::vector<bool>& repair_customer, Plan* plan) {
  const size_t nf = plan->fdid.size();
  for (size_t i = 0; i < nf; ++i) {
    if (plan->fdid[i] == Reason::kNotSent) continue;
    bool needed = i < repair_fdid.size() && repair_fdid[i];
    for (const model::Association& a : books.fdids[i].fdid_customer_list) {
      const auto c = static_cast<size_t>(a.customer_index);
      needed = needed || (a.customer_index >= 0 && c < repair_customer.size() && repair_customer[c]);
    }
    if (needed) continue;
    // Undo what Select counted for it; Record skips it, so its change goes with the next delta.
    switch (plan->fdid[i]) {
      case Reason::kNew: --plan->new_fdids; break;
      case Reason::kChanged: --plan->changed_fdids; break;
      case Reason::kCarrier: case Reason::kTidReplacement: --plan->carrier_fdids; break;
      case Reason::kReplacing: --plan->replacing_fdids; break;
      case Reason::kFull: --plan->full_fdids; break;
      case Reason::kRefresh: --plan->refresh_fdids; break;
      case Reason::kNotSent: break;
    }
    plan->fdid[i] = Reason::kNotSent;
    plan->emit_holds.fdid[i] = true;
  }
  std::fill(plan->customer.begin(), plan->customer.end(), false);
  for (size_t i = 0; i < nf; ++i) {
    if (plan->fdid[i] == Reason::kNotSent) continue;
    for (const model::Association& a : books.fdids[i].fdid_customer_list) {
      if (a.customer_index >= 0) plan->customer[static_cast<size_t>(a.customer_index)] = true;
    }
  }
}

Fingerprint TidFingerprint(const model::TidRecord& tid) {
  std::string text;
  text.append(tid.tid_type ? std::string_view(*tid.tid_type) : "").push_back('\n');
  text.append(tid.foreign_tid_type ? std::string_view(*tid.foreign_tid_type) : "").push_back('\n');
  for (char c : tid.tid_value ? std::string_view(*tid.tid_value) : std::string_view()) {
    text.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  const Sha256Digest d = Sha256(text);
  Fingerprint fp{};
  std::memcpy(fp.data(), d.data(), fp.size());
  return fp;
}

void AddPriorVersions(model::Books* books, Plan* plan) {
  const size_t nc = plan->books_customers;
  for (size_t c = 0; c < nc; ++c) {
    if (!plan->tid_replacement[c]) continue;
    const model::Customer& current = books->customers[c];
    const model::PriorTid prior = *current.prior_tid;
    model::Customer old;
    old.kind = current.kind;
    old.key = current.key;
    old.first_name = current.first_name;
    old.middle_name = current.middle_name;
    old.last_name = current.last_name;
    old.name_suffix = current.name_suffix;
    old.doing_business_as = current.doing_business_as;
    old.year_of_birth = current.year_of_birth;
    old.legal_name = current.legal_name;
    old.lei = current.lei;
    // ein travels with an EIN TID only; the previous version's own TID decides.
    if (prior.tid.tid_type && *prior.tid.tid_type == "EIN") old.ein = current.ein;
    old.has_address_list = current.has_address_list;
    old.address_list = current.address_list;
    old.customer_type = current.customer_type;
    old.affiliation = current.affiliation;
    old.origin = current.origin;
    old.tid = prior.tid;
    const auto old_index = static_cast<int32_t>(books->customers.size());
    books->customers.push_back(std::move(old));
    plan->emit_holds.customer.push_back(false);
    for (size_t i = 0; i < books->fdids.size(); ++i) {
      if (plan->fdid[i] == Reason::kNotSent) continue;
      std::vector<model::Association>& list = books->fdids[i].fdid_customer_list;
      const size_t n = list.size();
      for (size_t k = 0; k < n; ++k) {
        const model::Association a = list[k];
        if (a.customer_index != static_cast<int32_t>(c) || a.role_end_date.has_value()) continue;
        model::Association ended = a;
        ended.customer_index = old_index;
        ended.role_end_reason = prior.end_reason;
        const bool correction = prior.end_reason == "CORRECTION";
        const int64_t end = correction ? a.role_start_date.value : prior.end_date.value;
        if (!correction && a.role_start_date.has_value() && end < a.role_start_date.value) continue;
        ended.role_end_date = model::Num::Of(end);
        list.push_back(std::move(ended));
      }
    }
  }
}

}  // namespace caisson::delta
