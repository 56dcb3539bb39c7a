// tid.* (rules.md §6) and the TID-record parts of customer.* (tid_kind, tid_format): the TID record [Table 9]
// attached to each customer.
//
// A TID record problem is a TID-feedback warning (249xx) that rejects the Customer with 22526/22900/22914
// [App B Table 31]: Caisson reports one finding with the Customer code whose message starts with the 249xx
// code. TID findings are record `tid`, keyed by the customer and located in the TID record (books:
// identifiers.csv row).
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include "base/sha256.h"
#include "model/model.h"
#include "spec/spec.h"
#include "validate/context.h"
#include "validate/customer_rules.h"

namespace caisson::validate::customer_rules {

namespace {

// Table 9 values the rules reason about (the enumerations themselves come from the profile).
constexpr std::string_view kForeign = "FOREIGN";
constexpr std::string_view kSsnItin = "SSN/ITIN";
constexpr std::string_view kEin = "EIN";
constexpr std::string_view kLei = "LEI";
// foreignTIDCountryCd / replacingForeignTIDCountryCd never US when FOREIGN [§5.1.3.2 R17; App B 24904,
// 24910].
constexpr std::string_view kUs = "US";

const spec::Field* TidField(Context& ctx,
    std::string_view name) { return ctx.FieldOf(spec::Object::kTidRecord, name); }

bool Allowed(Context& ctx, std::string_view field, std::string_view v) {
  const spec::Field* f = TidField(ctx, field);
  return f != nullptr && f->Allows(v);
}

// The type / foreign type / country triple of Table 9, shared by the identity fields (24902–24904 → 22900,
// tid.type) and the replacement fields (24908–24910 → 22914, tid.replacement).
struct TripleNames {
  std::string_view rule, code;
  std::string_view type_field, type_warn;
  std::string_view foreign_field, foreign_warn;
  std::string_view country_field, country_warn;
};
constexpr TripleNames kIdentity{"tid.type",       "22900",   "tidType",
                                "[24902]",        "foreignTIDType", "[24903]",
                                "foreignTIDCountryCd", "[24904]"};
constexpr TripleNames kReplacing{"tid.replacement",           "22914",   "replacedByTIDType",
                                 "[24908]",                   "replacingForeignTIDType", "[24909]",
                                 "replacingForeignTIDCountryCd", "[24910]"};

std::string Msg(std::string_view warn, std::string_view text) {
  std::string m(warn);
  m.push_back(' ');
  m.append(text);
  return m;
}

// Checks the foreign type and country of a (tidType|replacedByTIDType) value `type` (may be absent).
void CheckForeignParts(const CustomerScope& s, const TripleNames& n, const model::Text& type,
                       const model::Text& foreign, const model::Text& country) {
  const bool is_foreign = Populated(type) && *type == kForeign;
  std::string ff(n.foreign_field), cf(n.country_field), tf(n.type_field);
  if (is_foreign) {
    if (!Populated(foreign)) {
      s.ReportTid(n.rule, n.code, n.foreign_field, Msg(n.foreign_warn, ff + " is required when " + tf
          + " is FOREIGN."));
    } else if (!Allowed(s.ctx, n.foreign_field, *foreign)) {
      s.ReportTid(n.rule, n.code, n.foreign_field, Msg(n.foreign_warn, ff
          + " is not one of its allowed values."));
    }
  } else if (Populated(foreign)) {
    s.ReportTid(n.rule, n.code, n.foreign_field,
                Msg(n.foreign_warn, ff + " must not be populated unless " + tf + " is FOREIGN."));
  }
  const bool needs_country = is_foreign && !(Populated(foreign) && *foreign == kLei);
  if (needs_country) {
    if (!Populated(country)) {
      s.ReportTid(n.rule, n.code, n.country_field,
                  Msg(n.country_warn, cf + " is required when " + tf + " is FOREIGN and " + ff
                      + " is not LEI."));
    } else if (*country == kUs) {
      s.ReportTid(n.rule, n.code, n.country_field, Msg(n.country_warn, cf + " must not be US."));
    } else if (!s.ctx.profile.IsCountry(*country)) {
      s.ReportTid(n.rule, n.code, n.country_field,
                  Msg(n.country_warn, cf + " is not an ISO 3166-1 alpha-2 code of Appendix E."));
    }
  } else if (Populated(country)) {
    s.ReportTid(n.rule, n.code, n.country_field,
                Msg(n.country_warn, cf + " must be populated only when " + tf + " is FOREIGN and " + ff +
                                        " is not LEI."));
  }
}

// tid.type [Table 9; §5.1.3.2 R17; App B 24902–24904].
void CheckType(const CustomerScope& s, const model::TidRecord& t) {
  if (!Populated(t.tid_type)) {
    s.ReportTid("tid.type", "22900", "tidType", "[24902] tidType is missing from the TID record.");
  } else if (!Allowed(s.ctx, "tidType", *t.tid_type)) {
    s.ReportTid("tid.type", "22900", "tidType", "[24902] tidType is not one of its allowed values.");
  }
  CheckForeignParts(s, kIdentity, t.tid_type, t.foreign_tid_type, t.foreign_tid_country_cd);
}

// tid.replacement, the fields of one record [§3.2; Table 9; App B 24908–24912].
void CheckReplacement(const CustomerScope& s, const model::TidRecord& t) {
  const bool has_type = Populated(t.replaced_by_tid_type);
  const bool has_tid = Populated(t.replaced_by_tid);
  if (has_type && !Allowed(s.ctx, "replacedByTIDType", *t.replaced_by_tid_type)) {
    s.ReportTid("tid.replacement", "22914", "replacedByTIDType",
                "[24908] replacedByTIDType is not one of its allowed values.");
  } else if (has_tid && !has_type) {
    s.ReportTid("tid.replacement", "22914", "replacedByTIDType",
                "[24908] replacedByTIDType is required when replacedByTID is populated.");
  }
  CheckForeignParts(s, kReplacing, t.replaced_by_tid_type, t.replacing_foreign_tid_type,
                    t.replacing_foreign_tid_country_cd);
  if (has_type && !has_tid) {
    s.ReportTid("tid.replacement", "22914", "replacedByTID",
                "[24911] replacedByTID is required when replacedByTIDType is populated.");
  } else if (has_tid && !IsHex64(*t.replaced_by_tid)) {
    s.ReportTid("tid.replacement", "22914", "replacedByTID",
                "[24911] replacedByTID is not 64 hexadecimal characters.");
  } else if (has_tid && has_type && *t.replaced_by_tid_type == kSsnItin &&
             IsHashOfListedInvalidSsn(*t.replaced_by_tid)) {
    // [§3.4] the SSN/ITIN behind replacedByTID is one of the listed invalid values.
    s.ReportTid("tid.replacement", "22914", "replacedByTID",
                "[24912] replacedByTID is the hash of an SSN/ITIN that is not a valid identifier.");
  }
}

// customer.tid_kind (file mode; in books mode identity chooses the TID for the kind) [§5.1.4 R7; App B 22534,
// 22535, 22541, 22542]. Customer codes, located in the TID field that conflicts with the record's list.
void CheckKind(const CustomerScope& s, const model::TidRecord& t) {
  auto report = [&](std::string_view code, std::string_view field, std::string message) {
    s.ctx.Report("customer.tid_kind", code, RecordKind::kCustomer, s.index, t.origin,
        spec::Object::kTidRecord,
                 field, std::move(message));
  };
  const std::string tid_type = t.tid_type.str();
  const std::string foreign = Populated(t.foreign_tid_type) ? t.foreign_tid_type.str() : "";
  if (s.natural()) {
    if (foreign == kLei) {
      report("22534", "foreignTIDType",
          "foreignTIDType LEI is not allowed for a Natural Person Customer Record.");
    }
    if (tid_type == kEin) report("22542", "tidType",
        "tidType EIN is not allowed for a Natural Person Customer Record.");
  } else {
    if (foreign == "DRIVERLICENSE" || foreign == "PASSPORT" || foreign == "PERMANENT") {
      report("22535", "foreignTIDType",
             "foreignTIDType DRIVERLICENSE, PASSPORT or PERMANENT is not allowed for a Legal Entity Customer "
             "Record.");
    }
    if (tid_type == kSsnItin) {
      report("22541", "tidType", "tidType SSN/ITIN is not allowed for a Legal Entity Customer Record.");
    }
  }
}

}  // namespace

bool Populated(const model::Text& t) { return t.has_value() && !t.empty(); }

bool IsHex64(std::string_view v) {
  if (v.size() != 64) return false;
  for (char c : v) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

std::string Lower(std::string_view v) {
  std::string out(v);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}


bool IsHashOfListedInvalidSsn(std::string_view hex) {
  // [§3.4 "For SSN and ITIN" d.] every same-digit value and 123-45-6789, formatted as hashed (999-99-9999).
  static const absl::flat_hash_set<std::string>* const kHashes = [] {
    auto* set = new absl::flat_hash_set<std::string>;
    for (char d = '0'; d <= '9'; ++d) {
      const std::string s{d, d, d, '-', d, d, '-', d, d, d, d};
      set->insert(caisson::Sha256Hex(s));
    }
    set->insert(caisson::Sha256Hex("123-45-6789"));
    return set;
  }();
  return kHashes->count(Lower(hex)) > 0;
}

void CheckTid(const CustomerScope& s) {
  const model::Customer& c = s.customer;
  if (!c.tid.has_value()) {
    // In books mode identity reports a customer without a usable input identifier (22526); in file mode the
    // reader found no TID record for the customerRecordID: plain 22526 [§5.1.3.2 R1; App B T28]. (24901 is a
    // different case: a TID record whose own customerRecordID is missing or invalid [App B T31].)
    if (s.ctx.file_mode()) {
      s.ctx.Report("tid.pairing", "22526", RecordKind::kTid, s.index, c.origin, s.object(),
          "customerRecordID",
                   "customerRecordID has no TID record in the paired TID File.");
    }
    return;
  }
  const model::TidRecord& t = *c.tid;
  CheckType(s, t);
  if (s.ctx.file_mode()) {
    // tid.value [Table 9 tidValue; App B 24905]; in books mode identity produced the value.
    if (!Populated(t.tid_value)) {
      s.ReportTid("tid.value", "22900", "tidValue", "[24905] tidValue is missing from the TID record.");
    } else if (!IsHex64(*t.tid_value)) {
      s.ReportTid("tid.value", "22900", "tidValue", "[24905] tidValue is not 64 hexadecimal characters.");
    } else if (t.tid_type == kSsnItin && IsHashOfListedInvalidSsn(*t.tid_value)) {
      // customer.tid_format: of the §3.4 validity rules only the listed values are recognisable from a hash.
      s.ReportTid("customer.tid_format", "22900", "tidValue",
                  "[24906] tidValue is the hash of an SSN/ITIN that is not a valid identifier.");
    }
    CheckKind(s, t);
  }
  CheckReplacement(s, t);
}

size_t TidVersions::CaseInsensitiveHash::operator()(std::string_view s) const {
  // A tidValue is 64 characters; longer (invalid) values are hashed by their first 64, equality decides.
  char lowered[64];
  const size_t n = std::min(s.size(), sizeof lowered);
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    lowered[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return absl::Hash<absl::string_view>{}(absl::string_view(lowered, n));
}

bool TidVersions::CaseInsensitiveEq::operator()(std::string_view a, std::string_view b) const {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

TidVersions::TidVersions(const std::vector<model::Customer>& customers, const std::vector<bool>& skip)
    : next_(customers.size(), -1) {
  for (size_t i = 0; i < customers.size(); ++i) {
    const auto& tid = customers[i].tid;
    if (skip[i] || !tid.has_value() || !Populated(tid->tid_value)) continue;
    const auto index = static_cast<int32_t>(i);
    auto [it, inserted] = groups_.try_emplace(std::string_view(*tid->tid_value), index, index);
    if (!inserted) {
      next_[static_cast<size_t>(it->second.second)] = index;
      it->second.second = index;
    }
  }
}

int32_t TidVersions::First(std::string_view tid) const {
  auto it = groups_.find(tid);
  return it == groups_.end() ? -1 : it->second.first;
}

void CheckTidReplacements(Context& ctx, const std::vector<bool>& skip) {
  const std::vector<model::Customer>& customers = ctx.books.customers;
  // Replacement records are rare (never from a stateless build [§3.2]): index the versions only when needed.
  const bool any = std::any_of(customers.begin(), customers.end(), [](const model::Customer& c) {
    return c.tid.has_value() && c.tid->replaced_by_tid.has_value();
  });
  if (!any) return;
  const TidVersions versions(customers, skip);
  for (size_t i = 0; i < customers.size(); ++i) {
    const auto& tid = customers[i].tid;
    if (skip[i] || !tid.has_value() || !Populated(tid->replaced_by_tid)
        || !IsHex64(*tid->replaced_by_tid)) continue;
    const CustomerScope s{ctx, customers[i], static_cast<int64_t>(i)};
    if (versions.First(*tid->replaced_by_tid) < 0) {
      s.ReportTid("tid.replacement", "22914", "replacedByTID",
                  "[24911] replacedByTID has no TID record of its own in the file.");
    }
    if (!Populated(tid->tid_value)) continue;
    // [§3.9 option 2] every version with the original tidValue must carry the replacement.
    for (int32_t j = versions.First(*tid->tid_value); j >= 0; j = versions.Next(j)) {
      if (!Populated(customers[j].tid->replaced_by_tid)) {
        s.ReportTid("tid.replacement", "22914", "replacedByTID",
                    "[24911] replacedByTID is not given on every record with the same tidValue.");
        break;
      }
    }
  }
}

}  // namespace caisson::validate::customer_rules
