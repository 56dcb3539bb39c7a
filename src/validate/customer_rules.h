// Private to validate: helpers shared by the customer-side rule files (rules_customer.cc, rules_tid.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "model/model.h"
#include "spec/spec.h"
#include "validate/context.h"

namespace caisson::validate::customer_rules {

// One customer under check: reports against books.customers[index] (key = its customer key).
struct CustomerScope {
  Context& ctx;
  const model::Customer& customer;
  int64_t index;

  spec::Object object() const {
    return customer.kind == model::CustomerKind::kNaturalPerson ? spec::Object::kNaturalPersonCustomerRecord
                                                                : spec::Object::kLegalEntityCustomerRecord;
  }
  bool natural() const { return customer.kind == model::CustomerKind::kNaturalPerson; }
  // A field of the customer record itself (record `customer`).
  void Report(std::string_view rule, std::string_view code, std::string_view cais_field,
              std::string message) const {
    ctx.Report(rule, code, RecordKind::kCustomer, index, customer.origin, object(), cais_field,
        std::move(message));
  }
  // `ein` of a legal entity: in books mode it comes from the EIN row of identifiers.csv (the TID's origin).
  void ReportEin(std::string_view rule, std::string_view code, std::string message) const {
    const bool from_tid = ctx.books_mode() && customer.tid.has_value();
    ctx.Report(rule, code, RecordKind::kCustomer, index, from_tid ? customer.tid->origin : customer.origin,
        object(),
               "ein", std::move(message));
  }
  // A field of the customer's TID record (record `tid`, located in the TID record). REQUIRES: customer.tid.
  void ReportTid(std::string_view rule, std::string_view code, std::string_view cais_field,
                 std::string message) const {
    ctx.Report(rule, code, RecordKind::kTid, index, customer.tid->origin, spec::Object::kTidRecord,
        cais_field,
               std::move(message));
  }
};

bool Populated(const model::Text& t);
// True when `v` is exactly 64 hexadecimal characters, either case [Table 3 Hexadecimal; Table 9 tidValue].
bool IsHex64(std::string_view v);
// True when `hex` (any case) is the §3.4 TID of an SSN/ITIN that §3.4 lists as invalid: one digit repeated
// (000-00-0000 ... 999-99-9999) or 123-45-6789. Only these hashes can be recognised without the input.
bool IsHashOfListedInvalidSsn(std::string_view hex);
std::string Lower(std::string_view v);
// Customers (versions) grouped by tidValue, case-insensitively [§3.9], skipping those marked in `skip` and those
// without one. Members of a group chain through Next() in increasing index order. Keys are views into
// `customers`, which must outlive the object and stay unchanged.
class TidVersions {
 public:
  TidVersions(const std::vector<model::Customer>& customers, const std::vector<bool>& skip);
  // The first customer whose tidValue equals `tid` in any case, or -1.
  int32_t First(std::string_view tid) const;
  // The next customer of i's group, or -1.
  int32_t Next(int32_t i) const { return next_[static_cast<size_t>(i)]; }
  // Calls f(first) once per group.
  template <typename F>
  void ForEachGroup(F f) const {
    for (const auto& [tid, ends] : groups_) f(ends.first);
  }

 private:
  struct CaseInsensitiveHash {
    size_t operator()(std::string_view s) const;
  };
  struct CaseInsensitiveEq {
    bool operator()(std::string_view a, std::string_view b) const;
  };
  // first and last member of each group
  absl::flat_hash_map<std::string_view, std::pair<int32_t, int32_t>, CaseInsensitiveHash, CaseInsensitiveEq> groups_;
  std::vector<int32_t> next_;
};

// tid.* and the TID parts of customer.* (tid_kind, tid_format) for one customer (rules_tid.cc).
void CheckTid(const CustomerScope& s);
// tid.replacement's cross-record part: replacedByTID has its own TID record in the Books, and every version
// (same tidValue) is replaced [§3.2; §3.9; App B 24911] (rules_tid.cc). `skip[i]`: customer i not processed.
void CheckTidReplacements(Context& ctx, const std::vector<bool>& skip);

}  // namespace caisson::validate::customer_rules
