// fdid.* rules on the FDID record itself (rules.md §2); associations, LTIDs and the names list are in
// rules_role.cc. Lengths and enumerations come from the profile; only values the spec's rules single out
// (PENDING, DVP/RVP, CORRECTION, REPLACED, INACTIVE) are named here, each with its cite.
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "validate/context.h"
#include "validate/fdid_rules.h"

namespace caisson::validate {
namespace fdid_rules {

int64_t DayNumber(int64_t yyyymmdd) {
  // Howard Hinnant's days_from_civil.
  int64_t y = yyyymmdd / 10000;
  const int64_t m = (yyyymmdd / 100) % 100;
  const int64_t d = yyyymmdd % 100;
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t MonthsBefore(int64_t yyyymmdd, int32_t months) {
  int64_t y = yyyymmdd / 10000;
  int64_t m = (yyyymmdd / 100) % 100 - months;
  int64_t d = yyyymmdd % 100;
  while (m < 1) {
    m += 12;
    --y;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t last = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) last = 29;
  if (d > last) d = last;
  return y * 10000 + m * 100 + d;
}

bool IsDateValue(const model::Num& v) { return v.has_value() && IsRealDate(v.value); }

bool FdidFields::Resolve(Context& ctx) {
  using spec::Object;
  id = ctx.FieldOf(Object::kFdidRecord, "firmDesignatedID");
  type = ctx.FieldOf(Object::kFdidRecord, "fdidType");
  account_type = ctx.FieldOf(Object::kFdidRecord, "accountType");
  account_name = ctx.FieldOf(Object::kFdidRecord, "accountName");
  end_reason = ctx.FieldOf(Object::kFdidRecord, "fdidEndReason");
  replaced = ctx.FieldOf(Object::kFdidRecord, "replacedByFDID");
  prior_fdid = ctx.FieldOf(Object::kFdidRecord, "priorCATReporterFDID");
  dvp = ctx.FieldOf(Object::kFdidRecord, "DVPCustodianID");
  clearing = ctx.FieldOf(Object::kFdidRecord, "clearingBrokerID");
  addr_type = ctx.FieldOf(Object::kAddressRecord, "addrType");
  role = ctx.FieldOf(Object::kFdidCustomerRecord, "role");
  role_end_reason = ctx.FieldOf(Object::kFdidCustomerRecord, "roleEndReason");
  ltid_end_reason = ctx.FieldOf(Object::kLargeTraderRecord, "ltidEndReason");
  auth_trader_name = ctx.FieldOf(Object::kAuthTraderNameRecord, "authTraderName");
  return ctx.problem.ok();
}

}  // namespace fdid_rules

namespace {

using fdid_rules::FdidFields;
using fdid_rules::FdidScope;
using fdid_rules::IsDateValue;
using spec::Object;

constexpr Object kFdidObj = Object::kFdidRecord;

std::string_view Trim(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

bool Has(const model::TextList& list, std::string_view v) {
  if (!list) return false;
  for (const std::string& s : *list) {
    if (s == v) return true;
  }
  return false;
}

// FDID-format value: Text (n) [Table 3], not all spaces [§3.11].
bool IsFdidFormat(std::string_view v, int32_t max_length) {
  return !v.empty() && !Trim(v).empty() && IsText(v, max_length);
}

void CheckIdentifier(const FdidScope& s, const spec::Field& fdid_field) {
  const model::Fdid& f = s.fdid;
  if (!f.firm_designated_id) {
    s.Report("fdid.format", "22001", f.origin, kFdidObj, "firmDesignatedID", "firmDesignatedID is missing");
    return;
  }
  const std::string_view v = *f.firm_designated_id;
  if (!IsFdidFormat(v, fdid_field.MaxLength(s.ctx.options.as_of))) {
    s.Report("fdid.format", "22001", f.origin, kFdidObj, "firmDesignatedID",
             "firmDesignatedID is not Text within its length, or is blank");
  }
  // [§3.11] CAIS trims and rejects the placeholder PENDING in any letter case.
  if (EqualsIgnoreCase(Trim(v), "PENDING")) {
    s.Report("fdid.pending", "22001", f.origin, kFdidObj, "firmDesignatedID",
             "firmDesignatedID is the placeholder PENDING");
  }
  if (!v.empty() && (v.front() == ' ' || v.back() == ' ')) {
    s.Report("fdid.whitespace", "", f.origin, kFdidObj, "firmDesignatedID",
             "firmDesignatedID has leading or trailing spaces that CAIS would trim");
  }
}

void CheckType(const FdidScope& s, const spec::Field& type_field, const spec::Field& account_field) {
  const model::Fdid& f = s.fdid;
  if (!f.fdid_type || !type_field.Allows(*f.fdid_type)) {
    s.Report("fdid.type", "22005", f.origin, kFdidObj, "fdidType",
             "fdidType is missing or not an allowed value");
  }
  if (!f.account_type || f.account_type->empty()) {
    s.Report("fdid.type", "22049", f.origin, kFdidObj, "accountType", "accountType is missing or empty");
    return;
  }
  for (size_t i = 0; i < f.account_type->size(); ++i) {
    const std::string& v = (*f.account_type)[i];
    std::string field = fmt::format("accountType[{}]", i);
    if (!account_field.Allows(v)) {
      s.Report("fdid.type", "22049", f.origin, kFdidObj, field,
               "accountType holds a value that is not allowed");
      continue;
    }
    // [§5.1.3.1 R5] accountType values that are also fdidType values (ENTITYID, RELATIONSHIP) need that
    // fdidType; the profile's enumerations say which values those are.
    if (type_field.Allows(v) && f.fdid_type != v) {
      s.Report("fdid.type", "22069", f.origin, kFdidObj, field,
               "accountType value does not fit the fdidType");
    }
  }
}

void CheckDates(const FdidScope& s, const spec::Field& reason_field) {
  const model::Fdid& f = s.fdid;
  const bool start_ok = IsDateValue(f.fdid_date);
  if (!start_ok) {
    s.Report("fdid.dates", "22007", f.origin, kFdidObj, "fdidDate", "fdidDate is missing or not a real date");
  }
  const bool end_ok = IsDateValue(f.fdid_end_date);
  if (f.fdid_end_date.present() && !end_ok) {
    s.Report("fdid.dates", "22008", f.origin, kFdidObj, "fdidEndDate", "fdidEndDate is not a real date");
  }
  if (start_ok && end_ok && f.fdid_end_date.value < f.fdid_date.value) {
    s.Report("fdid.dates", "22009", f.origin, kFdidObj, "fdidEndDate",
             "fdidEndDate is earlier than fdidDate");
  }
  // [Table 8] end date and end reason travel together.
  if (f.fdid_end_reason && !f.fdid_end_date.present()) {
    s.Report("fdid.end_pair", "22008", f.origin, kFdidObj, "fdidEndDate",
             "fdidEndDate is missing while fdidEndReason is set");
  }
  if (f.fdid_end_date.present() && !f.fdid_end_reason) {
    s.Report("fdid.end_pair", "22010", f.origin, kFdidObj, "fdidEndReason",
             "fdidEndReason is missing while fdidEndDate is set");
  } else if (f.fdid_end_reason && !reason_field.Allows(*f.fdid_end_reason)) {
    s.Report("fdid.end_pair", "22010", f.origin, kFdidObj, "fdidEndReason",
             "fdidEndReason is not an allowed value");
  }
  // [§5.1.3.1 R38] a CORRECTION end closes the FDID on the day it opened.
  if (f.fdid_end_reason == "CORRECTION" && start_ok && end_ok && f.fdid_end_date.value != f.fdid_date.value) {
    s.Report("fdid.end_correction", "", f.origin, kFdidObj, "fdidEndDate",
             "fdidEndDate must equal fdidDate when fdidEndReason is CORRECTION");
  }
}

void CheckFutureDates(const FdidScope& s) {
  const model::Fdid& f = s.fdid;
  const int32_t as_of = s.ctx.options.as_of;
  auto check = [&](const model::Num& v, const model::Origin& origin, Object object, std::string_view field) {
    if (IsDateValue(v) && v.value > as_of) {
      s.Report("fdid.future_date", "", origin, object, field,
               fmt::format("{} is later than the as-of date", field));
    }
  };
  check(f.fdid_date, f.origin, kFdidObj, "fdidDate");
  check(f.fdid_end_date, f.origin, kFdidObj, "fdidEndDate");
  for (const model::Association& a : f.fdid_customer_list) {
    check(a.role_start_date, a.origin, Object::kFdidCustomerRecord, "roleStartDate");
    check(a.role_end_date, a.origin, Object::kFdidCustomerRecord, "roleEndDate");
  }
  for (const model::LargeTrader& lt : f.large_trader_list) {
    check(lt.ltid_effective_date, lt.origin, Object::kLargeTraderRecord, "ltidEffectiveDate");
    check(lt.ltid_end_date, lt.origin, Object::kLargeTraderRecord, "ltidEndDate");
  }
}

void CheckTransferAndCrds(const FdidScope& s, const spec::Field& prior_fdid_field) {
  const model::Fdid& f = s.fdid;
  // [§3.3] a mass transfer names both the prior CRD and the prior FDID.
  if (f.prior_cat_reporter_crd.state == model::Num::State::kInvalid ||
      (!f.prior_cat_reporter_crd.present() && f.prior_cat_reporter_fdid)) {
    s.Report("fdid.transfer", "22054", f.origin, kFdidObj, "priorCATReporterCRD",
             "priorCATReporterCRD is missing or not an Unsigned CRD");
  }
  const int32_t max = prior_fdid_field.MaxLength(s.ctx.options.as_of);
  if ((f.prior_cat_reporter_fdid && !IsFdidFormat(*f.prior_cat_reporter_fdid, max)) ||
      (f.prior_cat_reporter_crd.present() && !f.prior_cat_reporter_fdid)) {
    s.Report("fdid.transfer", "22058", f.origin, kFdidObj, "priorCATReporterFDID",
             "priorCATReporterFDID is missing or not in FDID format");
  }
  if (f.branch_office_crd.state == model::Num::State::kInvalid) {
    s.Report("fdid.crd_fields", "22052", f.origin, kFdidObj, "branchOfficeCRD",
             "branchOfficeCRD is not Unsigned");
  }
  if (f.registered_rep_crd) {
    for (size_t i = 0; i < f.registered_rep_crd->size(); ++i) {
      if (!(*f.registered_rep_crd)[i].has_value()) {
        s.Report("fdid.crd_fields", "22065", f.origin, kFdidObj, fmt::format("registeredRepCRD[{}]", i),
                 "registeredRepCRD holds a value that is not Unsigned");
      }
    }
  }
}

void CheckAddressTypes(const FdidScope& s, const spec::Field& addr_type) {
  const model::Fdid& f = s.fdid;
  if (!f.has_address_list || f.address_list.empty()) {
    s.Report("fdid.address1", "22055", f.origin, kFdidObj, "addressList", "FDID has no ADDRESS1 address");
    return;
  }
  // [§5.1.3.1 R26] the types are the first n values of the addrType enumeration (ADDRESS1, ADDRESS2, ...),
  // each once; ADDRESS1 is the mailing address.
  std::vector<int> seen(addr_type.enumeration.size(), 0);
  bool bad_type = false;
  for (const model::Address& a : f.address_list) {
    size_t pos = addr_type.enumeration.size();
    if (a.addr_type) {
      for (size_t k = 0; k < addr_type.enumeration.size(); ++k) {
        if (addr_type.enumeration[k] == *a.addr_type) pos = k;
      }
    }
    if (pos == addr_type.enumeration.size()) {
      s.Report("fdid.address1", "22057", a.origin, Object::kAddressRecord, "addrType",
               "addrType is missing or not an allowed value");
      bad_type = true;
      continue;
    }
    if (++seen[pos] == 2) {
      s.Report("fdid.address1", "22059", a.origin, Object::kAddressRecord, "addrType",
               "addrType is used twice on the FDID");
    }
  }
  if (seen.empty() || seen[0] == 0) {
    if (!bad_type) {
      s.Report("fdid.address1", "22055", f.origin, kFdidObj, "addressList", "FDID has no ADDRESS1 address");
    }
    // [App B 22059]: ADDRESS2 (or any later type) without ADDRESS1 is also an improper use of the address type,
    // as 22527 is beside 22514 for a Customer.
    for (size_t k = 1; k < seen.size(); ++k) {
      if (seen[k] > 0) {
        s.Report("fdid.address1", "22059", f.origin, kFdidObj, "addressList",
                 "FDID has a later address type but no ADDRESS1 address");
        break;
      }
    }
    return;
  }
  for (size_t k = 1; k < seen.size(); ++k) {
    if (seen[k] > 0 && seen[k - 1] == 0) {
      s.Report("fdid.address1", "22059", f.origin, kFdidObj, "addressList",
               "FDID address types are not consecutive from ADDRESS1");
      break;
    }
  }
}

void CheckCustody(const FdidScope& s, const spec::Field& dvp, const spec::Field& clearing) {
  const model::Fdid& f = s.fdid;
  const int32_t as_of = s.ctx.options.as_of;
  // [§5.1.3.1 R29] a DVP/RVP account names its custodian.
  if (Has(f.account_type, "DVP/RVP") && (!f.dvp_custodian_id || f.dvp_custodian_id->empty())) {
    s.Report("fdid.dvp_custodian", "22075", f.origin, kFdidObj, "DVPCustodianID",
             "DVPCustodianID is required when accountType includes DVP/RVP");
  }
  if (f.dvp_custodian_id) {
    for (size_t i = 0; i < f.dvp_custodian_id->size(); ++i) {
      const std::string& v = (*f.dvp_custodian_id)[i];
      if (v.empty() || !IsAlphanumeric(v, dvp.MaxLength(as_of))) {
        s.Report("fdid.dvp_custodian", "22075", f.origin, kFdidObj, fmt::format("DVPCustodianID[{}]", i),
                 "DVPCustodianID holds a value that is not Alphanumeric within its length");
      }
    }
  }
  if (f.clearing_broker_id) {
    // [Table 8] clearingBrokerID is exactly its length, leading zeros included.
    const int32_t n = clearing.MaxLength(as_of);
    for (size_t i = 0; i < f.clearing_broker_id->size(); ++i) {
      const std::string& v = (*f.clearing_broker_id)[i];
      if (static_cast<int32_t>(v.size()) != n || !IsAlphanumeric(v, n)) {
        s.Report("fdid.dvp_custodian", "22064", f.origin, kFdidObj, fmt::format("clearingBrokerID[{}]", i),
                 "clearingBrokerID holds a value that is not exactly its length of alphanumerics");
      }
    }
  }
}

// [§3.8; §5.1.3.1 R22] an INACTIVE end needs six months without CAT-reportable activity.
void CheckInactive(const FdidScope& s) {
  const model::Fdid& f = s.fdid;
  if (f.fdid_end_reason != "INACTIVE" || !IsDateValue(f.fdid_end_date) ||
      !IsDateValue(f.last_activity_date)) {
    return;
  }
  if (f.last_activity_date.value > fdid_rules::MonthsBefore(f.fdid_end_date.value, 6)) {
    s.Report("fdid.inactive", "", f.origin, kFdidObj, "fdidEndReason",
             "fdidEndReason INACTIVE with CAT-reportable activity less than six months before fdidEndDate or "
             "after it");
  }
}

// Cross-record: each FDID once (22002) and REPLACED pairs (22011, 22024, 23004, 23005) [§3.1].
void CheckAcrossFdids(Context& ctx, const FdidFields& fields) {
  const model::Books& books = ctx.books;
  absl::flat_hash_map<std::string_view, int64_t> first;
  first.reserve(books.fdids.size());
  for (int64_t i = 0; i < static_cast<int64_t>(books.fdids.size()); ++i) {
    const model::Fdid& f = books.fdids[i];
    if (!f.firm_designated_id) continue;
    auto [it, inserted] = first.emplace(Trim(*f.firm_designated_id), i);
    if (!inserted) {
      ctx.Report("fdid.duplicate", "22002", RecordKind::kFdid, i, f.origin, kFdidObj, "firmDesignatedID",
                 "firmDesignatedID appears more than once");
    }
  }
  for (int64_t i = 0; i < static_cast<int64_t>(books.fdids.size()); ++i) {
    const model::Fdid& f = books.fdids[i];
    FdidScope s{ctx, f, i, fields};
    const bool replaced = f.fdid_end_reason == "REPLACED";
    if (!replaced) {
      if (f.replaced_by_fdid) {
        s.Report("fdid.replaced", "22011", f.origin, kFdidObj, "replacedByFDID",
                 "replacedByFDID is set but fdidEndReason is not REPLACED");
      }
      continue;
    }
    if (!f.replaced_by_fdid ||
        !IsFdidFormat(*f.replaced_by_fdid, fields.replaced->MaxLength(ctx.options.as_of))) {
      s.Report("fdid.replaced", "22011", f.origin, kFdidObj, "replacedByFDID",
               "replacedByFDID is missing or not in FDID format");
      continue;
    }
    if (f.firm_designated_id && Trim(*f.replaced_by_fdid) == Trim(*f.firm_designated_id)) {
      s.Report("fdid.replaced", "22024", f.origin, kFdidObj, "replacedByFDID",
               "replacedByFDID names the FDID itself");
      continue;
    }
    auto it = first.find(Trim(*f.replaced_by_fdid));
    if (it == first.end()) {
      // The target may be an FDID CAIS accepted earlier [§5.1.3.1 R15; App B 23004]. A CAIS file alone cannot
      // tell (that needs the state store: run column S), so `check` stays silent; the books hold every FDID
      // the firm has, so there the pair must travel together.
      if (ctx.file_mode()) continue;
      s.Report("fdid.replaced", "23004", f.origin, kFdidObj, "replacedByFDID",
               "replacedByFDID names an FDID that is not among these records");
      continue;
    }
    const model::Fdid& target = books.fdids[it->second];
    if (IsDateValue(f.fdid_end_date) && IsDateValue(target.fdid_date) &&
        f.fdid_end_date.value < target.fdid_date.value) {
      s.Report("fdid.replaced", "23005", f.origin, kFdidObj, "fdidEndDate",
               "fdidEndDate is earlier than the replacing FDID's fdidDate");
    }
  }
}

}  // namespace

void CheckFdids(Context& ctx) {
  FdidFields fields;
  if (!fields.Resolve(ctx)) return;
  const int32_t as_of = ctx.options.as_of;
  absl::flat_hash_map<int64_t, int64_t> record_ids;
  for (int64_t i = 0; i < static_cast<int64_t>(ctx.books.fdids.size()); ++i) {
    const model::Fdid& f = ctx.books.fdids[i];
    FdidScope s{ctx, f, i, fields};
    if (ctx.file_mode()) {
      if (!f.fdid_record_id.has_value()) {
        s.Report("fdid.record_id", "22003", f.origin, kFdidObj, "fdidRecordID",
                 "fdidRecordID is missing or not Unsigned");
      } else if (!record_ids.emplace(f.fdid_record_id.value, i).second) {
        s.Report("fdid.record_id", "22004", f.origin, kFdidObj, "fdidRecordID", "fdidRecordID appears twice");
      }
    }
    CheckIdentifier(s, *fields.id);
    CheckType(s, *fields.type, *fields.account_type);
    if (!f.account_name || f.account_name.empty() ||
        !IsExtendedText(*f.account_name, fields.account_name->MaxLength(as_of))) {
      s.Report("fdid.account_name", "22050", f.origin, kFdidObj, "accountName",
               "accountName is missing or not Extended Text within its length");
    }
    CheckDates(s, *fields.end_reason);
    CheckFutureDates(s);
    CheckTransferAndCrds(s, *fields.prior_fdid);
    CheckAddressTypes(s, *fields.addr_type);
    CheckAddressList(ctx, AddressOwner::kFdid, i, f.address_list, f.has_address_list, f.origin);
    CheckCustody(s, *fields.dvp, *fields.clearing);
    fdid_rules::CheckAssociations(s);
    fdid_rules::CheckLargeTraders(s);
    fdid_rules::CheckAuthNames(s);
    if (ctx.books_mode()) CheckInactive(s);
  }
  CheckAcrossFdids(ctx, fields);
}

}  // namespace caisson::validate
