// Transform: chooses each customer's input identifier [§2.2.5; §2.2.5.2 hierarchy; FAQ Q57], normalises it
// [§3.4], turns it into a TID record [Table 9] and reports the identity rules of rules.md.
//
// Only current identifiers make the TID record. An identifier ended REPLACED, CORRECTION or OTHER becomes the
// customer's PriorTid, which the delta turns into a TID replacement [§3.2] only when the state store shows CAIS
// has that TID; a stateless build never emits it.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "identity/identity.h"
#include "identity/internal.h"

namespace caisson::identity {
namespace {

using model::CustomerKind;
using model::RawIdentifier;

// Identifier groups; the foreign ones in §2.2.5.2 hierarchy order.
enum Group : int {
  kSsn, kEin, kNationalId, kLei, kPassport, kPermanent, kDriverLicense, kOthGovt, kGiin, kGroupCount, kNone
};
constexpr std::array<const char*, kGroupCount> kForeignType = {
    "", "", "NATIONALID", "LEI", "PASSPORT", "PERMANENT", "DRIVERLICENSE", "OTHGOVT", ""};

Group GroupOf(std::string_view t) {
  if (t == "SSN" || t == "ITIN") return kSsn;
  if (t == "EIN") return kEin;
  if (t == "NATIONALID" || t == "TAXID") return kNationalId;  // a foreign tax ID is reported as NATIONALID
  if (t == "LEI") return kLei;
  if (t == "PASSPORT") return kPassport;
  if (t == "PERMANENT") return kPermanent;
  if (t == "DRIVERLICENSE") return kDriverLicense;
  if (t == "OTHGOVT") return kOthGovt;
  if (t == "GIIN") return kGiin;
  return kNone;  // unknown types are ingest's finding
}

// §2.2.5.2: LEI only for legal entities; passport, permanent resident and driver's licence only for persons.
bool Usable(Group g, CustomerKind kind) {
  if (kind == CustomerKind::kNaturalPerson) return g != kLei;
  return g != kPassport && g != kPermanent && g != kDriverLicense;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
    if (x != y) return false;
  }
  return true;
}

struct Run {
  const spec::Profile& profile;
  const Options& options;
  model::Books* books;
  std::vector<Finding>* findings;
  std::vector<internal::TidRequest> requests;
  std::vector<size_t> request_customer;  // customer index per request
  std::vector<bool> request_prior;       // the request is for the customer's PriorTid

  // REQUIRES: `customer` < books->customers.size().
  void Report(std::string rule, Severity sev, std::string code, RecordKind record, size_t customer,
              const model::Origin& origin, std::string field, std::string message) {
    Finding f;
    f.rule = std::move(rule);
    f.severity = sev;
    f.cais_code = std::move(code);
    f.record = record;
    f.key = books->customers[customer].key;
    f.file = origin.file < books->files.size() ? books->files[origin.file] : std::string();
    f.line = origin.line;
    f.field = std::move(field);
    f.message = std::move(message);
    f.record_index = static_cast<int64_t>(customer);
    findings->push_back(std::move(f));
  }

  bool Current(const RawIdentifier& r) const {
    if (!r.end_date.present()) return true;
    if (!r.end_date.has_value() || options.as_of == 0) return false;  // see Options::as_of
    return r.end_date.value > options.as_of;
  }

  void DoCustomer(size_t ci, const std::vector<RawIdentifier>& rows);
  void DoPrior(size_t ci, const std::vector<RawIdentifier>& rows);
  void Request(size_t ci, bool prior, internal::TidRequest&& req);
  void FillLei(size_t ci, const std::vector<RawIdentifier>& rows, const std::vector<size_t>& leis,
               const RawIdentifier* chosen);
};

void Run::DoCustomer(size_t ci, const std::vector<RawIdentifier>& rows) {
  model::Customer& c = books->customers[ci];
  const bool np = c.kind == CustomerKind::kNaturalPerson;
  std::array<std::vector<size_t>, kGroupCount> current;
  for (size_t r = 0; r < rows.size(); ++r) {
    Group g = GroupOf(rows[r].id_type);
    if (g != kNone && Current(rows[r])) current[g].push_back(r);
  }
  c.tid.reset();

  // §2.2.5.1: a U.S. tax identifier is always the input identifier when the customer has one, even of the
  // wrong kind (CAIS then rejects the record: 22542/22541 [§5.1.4 R7]); otherwise the §2.2.5.2 hierarchy,
  // first among the types usable for this kind, then (rejected by CAIS: 22534/22535) the others.
  Group chosen = kNone;
  const char* kind_code = nullptr;
  Group own_us = np ? kSsn : kEin, other_us = np ? kEin : kSsn;
  if (!current[own_us].empty()) {
    chosen = own_us;
  } else if (!current[other_us].empty()) {
    chosen = other_us;
    kind_code = np ? "22542" : "22541";
  } else {
    for (int g = kNationalId; g <= kOthGovt && chosen == kNone; ++g) {
      if (!current[g].empty() && Usable(static_cast<Group>(g), c.kind)) chosen = static_cast<Group>(g);
    }
    for (int g = kNationalId; g <= kOthGovt && chosen == kNone; ++g) {
      if (!current[g].empty()) {
        chosen = static_cast<Group>(g);
        kind_code = np ? "22534" : "22535";
      }
    }
  }
  FillLei(ci, rows, current[kLei], chosen == kLei ? &rows[current[kLei].front()] : nullptr);
  if (chosen == kNone) {
    if (!current[kGiin].empty()) {
      Report("customer.giin", Severity::kPolicy, "", RecordKind::kCustomer, ci, rows[current[kGiin][0]].origin,
             "id_type", "a GIIN is never an input identifier, and the customer has no other one for tidValue");
    }
    Report(np ? "customer.np_required" : "customer.le_required", Severity::kReject, "22526",
           RecordKind::kCustomer, ci, c.origin, "tidValue",
           "the customer has no usable current input identifier, so no TID record can be built");
    return;
  }

  // FAQ Q57: among several current identifiers of the chosen type, the one marked primary.
  const std::vector<size_t>& cand = current[chosen];
  size_t pick = cand[0];
  if (cand.size() > 1) {
    size_t primaries = 0;
    for (size_t r : cand) {
      if (rows[r].is_primary.is_true()) {
        if (primaries == 0) pick = r;
        ++primaries;
      }
    }
    if (primaries != 1) {
      pick = cand[0];
      Report("customer.tid_hierarchy", Severity::kPolicy, "", RecordKind::kCustomer, ci, rows[cand[0]].origin,
             "is_primary",
             "several current input identifiers of the chosen type and not exactly one marked primary; the "
             "first is used for tidValue");
    }
  }
  const RawIdentifier& row = rows[pick];
  if (kind_code != nullptr) {
    std::string what = chosen == kSsn   ? "tidType SSN/ITIN on a legal entity"
                       : chosen == kEin ? "tidType EIN on a natural person"
                                        : std::string("foreignTIDType ") + kForeignType[chosen] +
                                              (np ? " on a natural person" : " on a legal entity");
    Report("customer.tid_kind", Severity::kReject, kind_code, RecordKind::kCustomer, ci, row.origin, "id_type",
           "the chosen input identifier gives " + what);
  }

  internal::TidRequest req;
  if (chosen == kSsn) {
    req.tid_type = "SSN/ITIN";
    req.value = NormaliseSsn(row.id_value);
    if (req.value.empty() || !IsValidSsn(req.value)) {
      Report("customer.tid_format", Severity::kReject, "22900", RecordKind::kCustomer, ci, row.origin, "id_value",
             req.value.empty() ? "[24906] the SSN/ITIN behind tidValue is not 9 digits in the form 999-99-9999"
                               : "[24906] the SSN/ITIN behind tidValue is outside the valid ranges");
      internal::Wipe(&req.value);
      return;
    }
  } else if (chosen == kEin) {
    req.tid_type = "EIN";
    req.value = NormaliseEin(row.id_value);
    if (req.value.empty()) {
      Report("customer.tid_format", Severity::kReject, "22900", RecordKind::kCustomer, ci, row.origin, "id_value",
             "[24907] the EIN behind tidValue is not 9 digits in the form 99-9999999");
      return;
    }
  } else {
    req.tid_type = "FOREIGN";
    req.foreign_tid_type = kForeignType[chosen];
    req.value = NormaliseForeign(row.id_value);
    if (req.value.empty()) {
      Report("customer.tid_format", Severity::kReject, "22900", RecordKind::kCustomer, ci, row.origin, "id_value",
             "[24905] the foreign input identifier behind tidValue has no letters or digits");
      return;
    }
    if (internal::HasNonAsciiAlnum(req.value)) {
      Report("customer.foreign_id_chars", Severity::kPolicy, "", RecordKind::kCustomer, ci, row.origin,
             "id_value",
             "the foreign input identifier keeps characters other than ASCII letters and digits, whose hashing "
             "for tidValue the spec does not define");
    }
  }

  model::TidRecord tid;
  tid.tid_type = req.tid_type;
  tid.origin = row.origin;
  if (chosen != kSsn && chosen != kEin) {
    tid.foreign_tid_type = req.foreign_tid_type;
    // Table 9: foreignTIDCountryCd for every foreign type except LEI, an Appendix E code, never US.
    if (chosen != kLei) {
      const bool missing = !row.country.has_value() || row.country.empty();
      if (missing || EqualsIgnoreCase(*row.country, "US") || !profile.IsCountry(*row.country)) {
        Report("tid.type", Severity::kReject, "22900", RecordKind::kTid, ci, row.origin, "country",
               missing ? "[24904] foreignTIDCountryCd is required for this foreignTIDType: the row has no country"
                       : "[24904] foreignTIDCountryCd must be a non-US ISO 3166-1 alpha-2 country code");
      }
      if (!missing) tid.foreign_tid_country_cd = *row.country;
    }
  }
  // Table 8: ein in plaintext on a legal entity whose tidType is EIN; its SHA-256 is the tidValue.
  if (chosen == kEin && !np) c.ein = req.value;
  c.tid = std::move(tid);
  Request(ci, false, std::move(req));
  DoPrior(ci, rows);
}

// [§3.2] the latest identifier ended for one of the three replacement reasons on or before as_of, of a type
// usable for the customer; an unusable or malformed one is skipped (it never was a valid TID).
void Run::DoPrior(size_t ci, const std::vector<RawIdentifier>& rows) {
  model::Customer& c = books->customers[ci];
  c.prior_tid.reset();
  const RawIdentifier* best = nullptr;
  for (const RawIdentifier& r : rows) {
    if (Current(r) || !r.end_date.has_value() || !r.end_reason) continue;
    const std::string_view reason = *r.end_reason;
    if (reason != "REPLACED" && reason != "CORRECTION" && reason != "OTHER") continue;
    const Group g = GroupOf(r.id_type);
    if (g == kNone || g == kGiin || !Usable(g, c.kind)) continue;
    if (best == nullptr || r.end_date.value > best->end_date.value) best = &r;
  }
  if (best == nullptr) return;
  const Group g = GroupOf(best->id_type);
  internal::TidRequest req;
  model::PriorTid prior;
  if (g == kSsn) {
    req.tid_type = "SSN/ITIN";
    req.value = NormaliseSsn(best->id_value);
    if (req.value.empty() || !IsValidSsn(req.value)) {
      internal::Wipe(&req.value);
      return;
    }
  } else if (g == kEin) {
    req.tid_type = "EIN";
    req.value = NormaliseEin(best->id_value);
  } else {
    req.tid_type = "FOREIGN";
    req.foreign_tid_type = kForeignType[g];
    req.value = NormaliseForeign(best->id_value);
    if (g != kLei && best->country) prior.tid.foreign_tid_country_cd = *best->country;
    prior.tid.foreign_tid_type = req.foreign_tid_type;
  }
  if (req.value.empty()) return;
  prior.tid.tid_type = req.tid_type;
  prior.tid.origin = best->origin;
  prior.end_date = best->end_date;
  prior.end_reason = *best->end_reason;
  // replacedByTID links the two only for a legal change of the identifier [§3.2; Table 9].
  if (*best->end_reason == "REPLACED") {
    prior.tid.replaced_by_tid_type = c.tid->tid_type;
    if (c.tid->foreign_tid_type) prior.tid.replacing_foreign_tid_type = c.tid->foreign_tid_type;
    if (c.tid->foreign_tid_country_cd) prior.tid.replacing_foreign_tid_country_cd = c.tid->foreign_tid_country_cd;
  }
  c.prior_tid = std::move(prior);
  Request(ci, true, std::move(req));
}

// The TID of customer ci's tid (or prior_tid): with cat-sha256 at once, so that no request outlives its
// customer (the requests of every customer were held next to the whole model); a command gets them all at once.
void Run::Request(size_t ci, bool prior, internal::TidRequest&& req) {
  if (options.transformer == "command") {
    requests.push_back(std::move(req));
    request_customer.push_back(ci);
    request_prior.push_back(prior);
    return;
  }
  model::Customer& c = books->customers[ci];
  (prior ? c.prior_tid->tid.tid_value : c.tid->tid_value) = Sha256Hex(req.value);
  internal::Wipe(&req.value);
}

// Table 8: `lei` in plaintext on a legal entity when known; required when the LEI is the input identifier.
void Run::FillLei(size_t ci, const std::vector<RawIdentifier>& rows, const std::vector<size_t>& leis,
                  const RawIdentifier* chosen) {
  model::Customer& c = books->customers[ci];
  if (c.kind != CustomerKind::kLegalEntity || leis.empty()) return;
  const RawIdentifier* use = chosen;
  if (use == nullptr) {
    use = &rows[leis[0]];
    for (size_t r : leis) {
      if (rows[r].is_primary.is_true()) {
        use = &rows[r];
        break;
      }
    }
  }
  std::string value = NormaliseForeign(use->id_value);
  if (value.empty()) return;
  if (!c.lei.has_value() || c.lei.empty()) {
    c.lei = value;
    return;
  }
  if (!EqualsIgnoreCase(NormaliseForeign(*c.lei), value)) {
    Report("input.conflict", Severity::kPolicy, "", RecordKind::kCustomer, ci, use->origin, "id_value",
           "customers.csv lei and the LEI row of identifiers.csv differ; lei keeps the customers.csv value");
  }
}

void WipeSensitive(model::SensitiveInput* s) {
  for (auto& rows : s->identifiers) {
    for (RawIdentifier& r : rows) internal::Wipe(&r.id_value);
  }
  for (std::string& d : s->birth_dates) internal::Wipe(&d);
  for (std::string& a : s->account_numbers) internal::Wipe(&a);
  s->identifiers.clear();
  s->identifiers.shrink_to_fit();
  s->birth_dates.clear();
  s->birth_dates.shrink_to_fit();
  s->account_numbers.clear();
  s->account_numbers.shrink_to_fit();
}

}  // namespace

Status Transform(const spec::Profile& profile, const Options& options, model::Books* books,
                 model::SensitiveInput* sensitive, std::vector<Finding>* findings) {
  if (options.transformer != "cat-sha256" && options.transformer != "command") {
    WipeSensitive(sensitive);
    return Status::NotSupported("transformer", "unknown transformer '" + options.transformer + "'");
  }
  Run run{profile, options, books, findings, {}, {}, {}};
  static const std::vector<RawIdentifier> kNoRows;
  for (size_t ci = 0; ci < books->customers.size(); ++ci) {
    run.DoCustomer(ci, ci < sensitive->identifiers.size() ? sensitive->identifiers[ci] : kNoRows);
  }
  internal::CheckSensitive(*books, *sensitive, findings);
  WipeSensitive(sensitive);

  auto set_tid = [&](size_t k, std::string_view tid) {
    model::Customer& c = books->customers[run.request_customer[k]];
    if (!run.request_prior[k]) {
      c.tid->tid_value = tid;
    } else {
      c.prior_tid->tid.tid_value = tid;
    }
  };
  if (options.transformer == "command") {  // cat-sha256 has set every TID already (Run::Request)
    std::vector<std::string> tids;
    Status status = internal::RunCommand(options.command, run.requests, &tids);
    for (internal::TidRequest& r : run.requests) internal::Wipe(&r.value);
    if (!status.ok()) return status;
    for (size_t k = 0; k < tids.size(); ++k) set_tid(k, tids[k]);
  }
  // The same identifier entered again under an end date is no replacement.
  for (model::Customer& c : books->customers) {
    if (!c.prior_tid) continue;
    if (!c.tid || c.prior_tid->tid.tid_value == c.tid->tid_value) {
      c.prior_tid.reset();
    } else if (c.prior_tid->end_reason == "REPLACED") {
      c.prior_tid->tid.replaced_by_tid = c.tid->tid_value;
    }
  }
  return Status::OK();
}

}  // namespace caisson::identity
