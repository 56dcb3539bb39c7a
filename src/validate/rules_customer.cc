// customer.* (rules.md §4): Natural Person and Legal Entity Customer Records [Table 8; §5.1.3.2; §3.9;
// §3.12], with their address lists (customer.address, then address.* in rules_address.cc) and TID records
// (rules_tid.cc). Field facts come from the profile; the values named here are the ones the rules reason
// about.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "base/sha256.h"
#include "model/model.h"
#include "spec/spec.h"
#include "validate/context.h"
#include "validate/customer_rules.h"

namespace caisson::validate {

namespace {

using customer_rules::CustomerScope;
using customer_rules::Lower;
using customer_rules::Populated;

bool Contains(const model::TextList& list, std::string_view v) {
  if (!list.has_value()) return false;
  for (const std::string& s : *list) {
    if (s == v) return true;
  }
  return false;
}

// `ein` as Table 8 formats it: 99-9999999 [§2.2.5.1; §5.1.4 R4].
bool IsEinFormat(std::string_view v) {
  if (v.size() != 10 || v[2] != '-') return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i != 2 && (v[i] < '0' || v[i] > '9')) return false;
  }
  return true;
}

// An LEI [ISO 17442]: 18 characters of digits and upper-case letters, then two check digits that make the
// whole code, read with A=10 … Z=35, equal 1 modulo 97 (ISO 7064 MOD 97-10). The spec asks only for "a valid
// value" (App B 22531); the check-digit test is Caisson's reading of it.
bool IsValidLei(std::string_view v) {
  if (v.size() != 20) return false;
  int remainder = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c >= '0' && c <= '9') {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z' && i < 18) {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return remainder == 1;
}

class CustomerChecker {
 public:
  CustomerChecker(const CustomerScope& s) : s_(s), c_(s.customer), ctx_(s.ctx) {
    // Profile cais-2.2.0r4-pii-exempt: a natural person whose TID comes from an SSN/ITIN carries none of the
    // exempt fields, so they are neither required nor checked.
    exempt_ssn_person_ = ctx_.profile.pii_exempt_ssn_persons() && s.natural() && c_.tid.has_value() &&
                         c_.tid->tid_type == "SSN/ITIN";
  }

  void Check() {
    CheckType();
    if (s_.natural()) {
      CheckNaturalPerson();
    } else {
      CheckLegalEntity();
    }
    CheckAddresses();
    if (ctx_.books_mode()) CheckForeignType();
  }

 private:
  bool Exempt(std::string_view field) const { return exempt_ssn_person_
      && ctx_.profile.PiiExemptField(field); }
  const spec::Field* Field(std::string_view name) { return ctx_.FieldOf(s_.object(), name); }
  int32_t LengthNow(const spec::Field* f) const { return f ? f->MaxLength(ctx_.options.as_of) : 0; }
  std::string_view KindName() const { return s_.natural() ? "a natural person" : "a legal entity"; }

  // customer.type [Table 8 customerType; §5.1.3.2 R13; App B 22524].
  void CheckType() {
    const spec::Field* f = Field("customerType");
    if (!c_.customer_type.has_value() || c_.customer_type->empty()) {
      s_.Report("customer.type", "22524", "customerType", "customerType is missing or empty.");
      return;
    }
    for (const std::string& v : *c_.customer_type) {
      if (f != nullptr && !f->Allows(v)) {
        s_.Report("customer.type", "22524", "customerType",
                  "customerType holds a value not allowed for " + std::string(KindName()) + ".");
        return;
      }
    }
  }

  // A required Extended Text name: firstName (22507), lastName (22508), legalName (22530).
  void CheckRequiredName(std::string_view rule, std::string_view code, std::string_view name,
      const model::Text& v) {
    if (Exempt(name)) return;
    if (!Populated(v)) {
      s_.Report(rule, code, name, std::string(name) + " is missing.");
      return;
    }
    const int32_t max = LengthNow(Field(name));
    if (!IsExtendedText(*v, max)) {
      s_.Report(rule, code, name, std::string(name) + " is not Extended Text within its maximum length of " +
                                      std::to_string(max) + " characters.");
    }
  }

  // customer.name_length_rollout: a length only the Full CAIS Release Rollout allows (its date is not in our
  // sources) [Table 8 firstName, middleName; Rev 2.2]. The pre-rollout length is the profile's first step.
  void CheckRollout(std::string_view name, const model::Text& v) {
    if (Exempt(name) || !Populated(v)) return;
    const spec::Field* f = Field(name);
    if (f == nullptr) return;
    const int32_t before = f->MaxLength(0);
    if (before > 0 && Utf8Length(*v) > before) {
      s_.Report("customer.name_length_rollout", "", name,
                std::string(name) + " is longer than " + std::to_string(before) +
                    " characters, which CAIS accepts only once the Full CAIS Release Rollout raises its length.");
    }
  }

  void CheckNaturalPerson() {
    // customer.np_required [§3.12; §5.1.3.2 R14; App B 22507, 22508, 22510]; customer.unparsed [§3.12].
    if (!Exempt("firstName") && Populated(c_.first_name) && *c_.first_name == "UNPARSED") {
      s_.Report("customer.unparsed", "22507", "firstName",
          "firstName UNPARSED is not allowed since 2023-06-13.");
    } else {
      CheckRequiredName("customer.np_required", "22507", "firstName", c_.first_name);
    }
    CheckRequiredName("customer.np_required", "22508", "lastName", c_.last_name);
    CheckRollout("firstName", c_.first_name);
    CheckRollout("middleName", c_.middle_name);
    if (!Exempt("yearOfBirth")) {
      const model::Num& y = c_.year_of_birth;
      if (!y.has_value() || y.value < 1000 || y.value > 9999) {
        s_.Report("customer.np_required", "22510", "yearOfBirth",
            "yearOfBirth is missing or not a 4-digit year.");
      } else if (ctx_.books_mode() && (y.value < 1900 || y.value > ctx_.options.as_of / 10000)) {
        s_.Report("customer.year", "", "yearOfBirth",
                  "yearOfBirth is before 1900 or after the year of the business date.");
      }
    }
    // customer.name_format [Table 8; App B 22509, 22532, 22540].
    if (!Exempt("nameSuffix") && Populated(c_.name_suffix)) {
      const spec::Field* f = Field("nameSuffix");
      if (f != nullptr && !f->Allows(*c_.name_suffix)) {
        s_.Report("customer.name_format", "22509", "nameSuffix",
            "nameSuffix is not one of its allowed values.");
      }
    }
    CheckOptionalName("middleName", "22540", c_.middle_name);
    CheckOptionalName("doingBusinessAs", "22532", c_.doing_business_as);
    // customer.dba: a trust reported as a natural person (with an SSN/ITIN) needs its name [Table 8
    // doingBusinessAs].
    if (!Exempt("doingBusinessAs") && Contains(c_.customer_type, "TRUST")
        && !Populated(c_.doing_business_as)) {
      s_.Report("customer.dba", "", "doingBusinessAs",
                "doingBusinessAs is missing for a natural person with customerType TRUST.");
    }
  }

  void CheckOptionalName(std::string_view name, std::string_view code, const model::Text& v) {
    if (Exempt(name) || !v.has_value()) return;
    const int32_t max = LengthNow(Field(name));
    if (!IsExtendedText(*v, max)) {
      s_.Report("customer.name_format", code, name,
                std::string(name) + " is not Extended Text within its maximum length of "
                    + std::to_string(max) +
                    " characters.");
    }
  }

  void CheckLegalEntity() {
    // customer.le_required [Table 8 legalName; App B 22530]. The 22526 part: see CheckTid.
    CheckRequiredName("customer.le_required", "22530", "legalName", c_.legal_name);
    const model::TidRecord* tid = c_.tid.has_value() ? &*c_.tid : nullptr;
    const bool tid_ein = tid != nullptr && tid->tid_type == "EIN";
    // customer.ein [§2.2.5.1; Table 8 ein; App B 22504, 22543, 22544].
    if (Populated(c_.ein)) {
      const spec::Field* f = Field("ein");
      if (!IsEinFormat(*c_.ein) || !IsText(*c_.ein, LengthNow(f))) {
        s_.ReportEin("customer.ein", "22504", "ein is not formatted as 99-9999999.");
      } else if (tid_ein && Populated(tid->tid_value) &&
                 caisson::Sha256Hex(*c_.ein) != Lower(*tid->tid_value)) {
        s_.ReportEin("customer.ein", "22544", "The SHA-256 hash of ein does not equal tidValue.");
      }
      if (tid != nullptr && Populated(tid->tid_type) && !tid_ein) {
        s_.ReportEin("customer.ein", "22543", "ein is populated but tidType is not EIN.");
      }
    } else if (tid_ein) {
      s_.ReportEin("customer.ein", "22504", "ein is missing while tidType is EIN.");
    }
    // customer.lei_format [Table 8 lei; App B 22531].
    if (Populated(c_.lei)) {
      if (!IsAlphanumeric(*c_.lei, LengthNow(Field("lei"))) || !IsValidLei(*c_.lei)) {
        s_.Report("customer.lei_format", "22531", "lei",
                  "lei is not 20 characters with valid ISO 17442 check digits.");
      }
    } else if (tid != nullptr && tid->tid_type == "FOREIGN" && tid->foreign_tid_type == "LEI") {
      s_.Report("customer.lei_format", "22531", "lei",
          "lei is missing while the input identifier is an LEI.");
    }
    // customer.foreign_trust_no_id [FAQ Q63]: not emitted; its trustees are reported instead.
    if (ctx_.books_mode() && tid == nullptr && !Populated(c_.lei) && Contains(c_.customer_type, "TRUST") &&
        Contains(c_.customer_type, "FOREIGN")) {
      s_.Report("customer.foreign_trust_no_id", "", "",
                "A foreign trust or estate with no allowable identifier and no lei is not reported; report its "
                "trustees with customerType TRUST.");
    }
  }

  // customer.address [§5.1.3.2 R8; Table 8 addrType; App B 22514, 22516, 22527], then address.* per record.
  void CheckAddresses() {
    if (Exempt("addressList")) return;
    if (!c_.has_address_list || c_.address_list.empty()) {
      s_.Report("customer.address", "22514", "addressList", "addressList has no ADDRESS1 Address Record.");
      return;
    }
    const spec::Field* type_field = ctx_.FieldOf(spec::Object::kAddressRecord, "addrType");
    if (type_field == nullptr) return;
    // The profile lists ADDRESS1…ADDRESS4 in order; a type needs every type before it [§5.1.3.2 R8].
    const std::vector<std::string>& types = type_field->enumeration;
    std::vector<int> seen(types.size(), 0);
    for (const model::Address& a : c_.address_list) {
      auto report = [&](std::string_view code, std::string message) {
        ctx_.Report("customer.address", code, RecordKind::kCustomer, s_.index, a.origin,
                    spec::Object::kAddressRecord, "addrType", std::move(message));
      };
      size_t pos = types.size();
      for (size_t k = 0; a.addr_type.has_value() && k < types.size(); ++k) {
        if (types[k] == *a.addr_type) pos = k;
      }
      if (pos == types.size()) {
        report("22516", "addrType is missing or not one of its allowed values.");
        continue;
      }
      if (++seen[pos] == 2) report("22527", "addrType appears more than once on the Customer Record.");
    }
    if (!types.empty() && seen[0] == 0) {
      s_.Report("customer.address", "22514", "addressList", "addressList has no ADDRESS1 Address Record.");
    }
    for (const model::Address& a : c_.address_list) {
      for (size_t k = 1; a.addr_type.has_value() && k < types.size(); ++k) {
        if (types[k] != *a.addr_type) continue;
        for (size_t before = 0; before < k; ++before) {
          if (seen[before] == 0) {
            ctx_.Report("customer.address", "22527", RecordKind::kCustomer, s_.index, a.origin,
                        spec::Object::kAddressRecord, "addrType",
                        "addrType " + types[k] + " is used without every address type before it.");
            break;
          }
        }
      }
    }
    CheckAddressList(ctx_, AddressOwner::kCustomer, s_.index, c_.address_list, c_.has_address_list,
        c_.origin);
  }

  // customer.foreign_type (books): customerType FOREIGN exactly when the input identifier is foreign, i.e.
  // the customer has no U.S. tax identifier [Table 8 customerType].
  void CheckForeignType() {
    if (!c_.tid.has_value() || !Populated(c_.tid->tid_type) || !c_.customer_type.has_value()) return;
    const bool foreign_tid = *c_.tid->tid_type == "FOREIGN";
    const bool foreign_type = Contains(c_.customer_type, "FOREIGN");
    if (foreign_tid && !foreign_type) {
      s_.Report("customer.foreign_type", "", "customerType",
                "customerType lacks FOREIGN although the customer has no U.S. tax identifier.");
    } else if (!foreign_tid && foreign_type) {
      s_.Report("customer.foreign_type", "", "customerType",
                "customerType has FOREIGN although the customer has a U.S. tax identifier.");
    }
  }

  const CustomerScope& s_;
  const model::Customer& c_;
  Context& ctx_;
  bool exempt_ssn_person_ = false;
};

// customer.versions_consistent [§3.9; §5.1.3.2 R11; App B 22533]: versions (same tidValue) in one file agree
// on NP/LE kind, yearOfBirth and ein; otherwise every instance is rejected.
void CheckVersions(Context& ctx, const std::vector<bool>& skip) {
  const std::vector<model::Customer>& customers = ctx.books.customers;
  const customer_rules::TidVersions versions(customers, skip);
  versions.ForEachGroup([&](int32_t head) {
    if (versions.Next(head) < 0) return;  // one version only
    const model::Customer& first = customers[static_cast<size_t>(head)];
    bool kind_differs = false, year_differs = false, ein_differs = false;
    const model::Customer* first_np = nullptr;
    const model::Customer* first_le = nullptr;
    for (int32_t i = head; i >= 0; i = versions.Next(i)) {
      const model::Customer& c = customers[static_cast<size_t>(i)];
      kind_differs |= c.kind != first.kind;
      if (c.kind == model::CustomerKind::kNaturalPerson) {
        if (first_np == nullptr) first_np = &c;
        year_differs |= c.year_of_birth.state != first_np->year_of_birth.state ||
                        c.year_of_birth.value != first_np->year_of_birth.value;
      } else {
        if (first_le == nullptr) first_le = &c;
        ein_differs |= c.ein != first_le->ein;
      }
    }
    for (int32_t i = head; i >= 0; i = versions.Next(i)) {
      const CustomerScope s{ctx, customers[static_cast<size_t>(i)], static_cast<int64_t>(i)};
      const bool np = s.natural();
      if (kind_differs) {
        s.Report("customer.versions_consistent", "22533", "",
                 "Records with the same tidValue in the file are not all of the same kind (natural person or "
                 "legal entity).");
      }
      if (year_differs) {
        s.Report("customer.versions_consistent", "22533", np ? "yearOfBirth" : "",
                 "Records with the same tidValue in the file differ in yearOfBirth.");
      }
      if (ein_differs && np) {
        s.Report("customer.versions_consistent", "22533", "",
                 "Records with the same tidValue in the file differ in ein.");
      } else if (ein_differs) {
        s.ReportEin("customer.versions_consistent", "22533",
                    "Records with the same tidValue in the file differ in ein.");
      }
    }
  });
}

}  // namespace

void CheckCustomers(Context& ctx) {
  const model::Books& books = ctx.books;
  const size_t n = books.customers.size();
  // customer.orphan [§5.1.3.2 R2; App B 22523]: referenced by at least one FDID of the Books (the cascade
  // from a rejected FDID is ResolveHolds').
  std::vector<bool> associated(n, false);
  for (const model::Fdid& f : books.fdids) {
    for (const model::Association& a : f.fdid_customer_list) {
      if (a.customer_index >= 0
          && static_cast<size_t>(a.customer_index) < n) associated[a.customer_index] = true;
    }
  }
  // customer.record_id (file) [Table 8 customerRecordID; App B 22501, 22502]: such records are not processed
  // further.
  std::vector<bool> skip(n, false);
  if (ctx.file_mode()) {
    absl::flat_hash_map<int64_t, int> ids;
    for (const model::Customer& c : books.customers) {
      if (c.customer_record_id.has_value()) ++ids[c.customer_record_id.value];
    }
    for (size_t i = 0; i < n; ++i) {
      const CustomerScope s{ctx, books.customers[i], static_cast<int64_t>(i)};
      const model::Num& id = books.customers[i].customer_record_id;
      if (!id.has_value()) {
        s.Report("customer.record_id", "22501", "customerRecordID",
            "customerRecordID is missing or not valid.");
        skip[i] = true;
      } else if (ids[id.value] > 1) {
        s.Report("customer.record_id", "22502", "customerRecordID",
                 "customerRecordID appears more than once in the Data File.");
        skip[i] = true;
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (skip[i]) continue;
    const CustomerScope s{ctx, books.customers[i], static_cast<int64_t>(i)};
    if (!associated[i]) {
      s.Report("customer.orphan", "22523", "",
          "The Customer Record is associated with no FDID Record in the file.");
    }
    CustomerChecker(s).Check();
    customer_rules::CheckTid(s);
  }
  CheckVersions(ctx, skip);
  customer_rules::CheckTidReplacements(ctx, skip);
}

}  // namespace caisson::validate
