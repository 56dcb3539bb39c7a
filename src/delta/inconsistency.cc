// Material Inconsistencies Caisson can see coming [§6.4.1; §6.6.4] (delta.h ProactiveUpdates).
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "delta/delta.h"

namespace caisson::delta {

namespace {

constexpr int64_t kKindScale = 10'000'000'000;  // kind * 10^10 + yearOfBirth or the nine ein digits
constexpr int64_t kNatural = 1, kLegal = 2;

int64_t EinDigits(const model::Text& ein) {
  if (!ein) return 0;
  int64_t v = 0;
  int digits = 0;
  for (char ch : *ein) {
    if (ch == '-') continue;
    if (ch < '0' || ch > '9') return 0;
    v = v * 10 + (ch - '0');
    ++digits;
  }
  return digits == 9 ? v : 0;
}

// The foreign TIDs whose NP/LE kind CAIS compares [§6.4.1; §6.6.4].
bool KindMatters(const model::Customer& c) {
  return c.tid && c.tid->tid_type && *c.tid->tid_type == "FOREIGN" && c.tid->foreign_tid_type &&
         (*c.tid->foreign_tid_type == "OTHGOVT" || *c.tid->foreign_tid_type == "NATIONALID");
}

}  // namespace

int64_t MiFacts(const model::Customer& c) {
  if (!c.tid) return 0;
  if (c.kind == model::CustomerKind::kNaturalPerson) {
    return kNatural * kKindScale + (c.year_of_birth.has_value() ? c.year_of_birth.value : 0);
  }
  return kLegal * kKindScale + EinDigits(c.ein);
}

int64_t ProactiveUpdates(model::Books* books, const Plan& plan, std::vector<Finding>* findings) {
  int64_t flagged = 0;
  const size_t n = std::min(plan.customer.size(), plan.customer_known.size());
  for (size_t c = 0; c < n; ++c) {
    if (!plan.customer[c] || !plan.customer_known[c].in_store) continue;
    model::Customer& cust = books->customers[c];
    const state::RecordState& known = plan.customer_known[c].state;
    if (known.accepted_mi_facts == 0 || !cust.tid || known.tid != TidFingerprint(*cust.tid)) continue;
    const int64_t now = MiFacts(cust);
    if (now == known.accepted_mi_facts) continue;
    const bool kind_changed = now / kKindScale != known.accepted_mi_facts / kKindScale;
    auto report = [&](const char* code, const char* field, std::string message) {
      Finding f;
      f.rule = "customer.mi_predict";
      f.severity = Severity::kInconsistency;
      f.cais_code = code;
      f.record = RecordKind::kCustomer;
      f.key = cust.key;
      f.file = cust.origin.file < books->files.size() ? books->files[cust.origin.file] : std::string();
      f.line = cust.origin.line;
      f.field = field;
      f.message = std::move(message);
      f.record_index = static_cast<int64_t>(c);
      findings->push_back(std::move(f));
    };
    if (kind_changed && !KindMatters(cust)) continue;  // not one CAIS compares: other rules judge it
    const bool legal = cust.kind == model::CustomerKind::kLegalEntity;
    // [App B Table 32] since 22544, CAIS raises no new 30003: an ein that no longer hashes to its EIN tidValue is
    // rejected (22544, which validate checks), and an ein beside another TID type is not compared.
    if (!kind_changed && legal) continue;
    const char* code = kind_changed ? "30004" : "30002";
    if (cust.update_notification.state == model::Flag::State::kFalse) {
      report(code, kind_changed ? "" : "year_of_birth",
             kind_changed ? "The customer changes between natural person and legal entity for the same foreign "
                            "tidValue with update_notification N; CAIS will raise a Material Inconsistency."
                          : "yearOfBirth differs from the version CAIS accepted for the same tidValue with "
                            "update_notification N; CAIS will raise a Material Inconsistency.");
      continue;
    }
    if (!cust.update_notification.is_true()) {
      cust.update_notification = model::Flag::Of(true);
      ++flagged;
    }
  }
  return flagged;
}

}  // namespace caisson::delta
