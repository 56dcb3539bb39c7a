// role.* (rules.md §3) and the FDID's list rules: fdid.customers, fdid.trading_customer, fdid.ltid,
// fdid.auth_names, fdid.auth_name_record, fdid.public_admin. Role names the spec's rules single out
// (TRDHOLDER, AUTH3RD, ...) are named here with their cites; the allowed values come from the profile.
#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include "validate/context.h"
#include "validate/fdid_rules.h"

namespace caisson::validate::fdid_rules {
namespace {

using spec::Object;
constexpr Object kAssoc = Object::kFdidCustomerRecord;
constexpr int64_t kOpenEnd = std::numeric_limits<int64_t>::max() / 2;

bool IsAuthorizedTrader(const model::Text& role) { return role == "AUTH3RD" || role == "AUTHREP"; }
bool IsHolder(const model::Text& role) { return role == "TRDHOLDER" || role == "NTHOLDER"; }

bool FdidIsEnded(const model::Fdid& f) { return IsDateValue(f.fdid_end_date); }

// [§5.1.3.1 R33; App B 22068] an association counts as active when it has no roleEndDate, or — for an FDID
// being ended — no roleEndDate earlier than the fdidEndDate.
bool IsActive(const model::Fdid& f, const model::Association& a) {
  if (!a.role_end_date.present()) return true;
  if (FdidIsEnded(f) && IsDateValue(a.role_end_date)) return a.role_end_date.value >= f.fdid_end_date.value;
  return false;
}

// Calendar days shared by two role periods, both ends inclusive; an open end runs forever.
int64_t SharedDays(const model::Association& a, const model::Association& b) {
  if (!IsDateValue(a.role_start_date) || !IsDateValue(b.role_start_date)) return 0;
  auto end = [](const model::Association& x) {
    return IsDateValue(x.role_end_date) ? DayNumber(x.role_end_date.value) : kOpenEnd;
  };
  int64_t lo = std::max(DayNumber(a.role_start_date.value), DayNumber(b.role_start_date.value));
  int64_t hi = std::min(end(a), end(b));
  return hi < lo ? 0 : hi - lo + 1;
}

// Two periods of one customer on one FDID clash when both are open, or they share more than one calendar day
// [§5.1.3.1 R33; App B 22042].
bool Clash(const model::Association& a, const model::Association& b) {
  if (!a.role_end_date.present() && !b.role_end_date.present()) return true;
  return SharedDays(a, b) > 1;
}

void CheckRoleDates(const FdidScope& s, const model::Association& a, const spec::Field& reason_field) {
  const model::Fdid& f = s.fdid;
  const bool start_ok = IsDateValue(a.role_start_date);
  if (!start_ok) {
    s.Report("role.dates", "22044", a.origin, kAssoc, "roleStartDate",
             "roleStartDate is missing or not a real date");
  }
  const bool end_ok = IsDateValue(a.role_end_date);
  if ((a.role_end_date.present() && !end_ok) || (!a.role_end_date.present() && a.role_end_reason)) {
    s.Report("role.dates", "22045", a.origin, kAssoc, "roleEndDate",
             "roleEndDate is not a real date, or is missing while roleEndReason is set");
  }
  if ((a.role_end_reason && !reason_field.Allows(*a.role_end_reason)) ||
      (a.role_end_date.present() && !a.role_end_reason)) {
    s.Report("role.dates", "22047", a.origin, kAssoc, "roleEndReason",
             "roleEndReason is not an allowed value, or is missing while roleEndDate is set");
  }
  if (start_ok && end_ok && a.role_end_date.value < a.role_start_date.value) {
    s.Report("role.dates", "22046", a.origin, kAssoc, "roleEndDate",
             "roleEndDate is earlier than roleStartDate");
  }
  if (end_ok && FdidIsEnded(f) && a.role_end_date.value > f.fdid_end_date.value) {
    s.Report("role.dates", "22067", a.origin, kAssoc, "roleEndDate", "roleEndDate is later than fdidEndDate");
  }
  if (a.role_end_reason == "INACTIVE" && f.fdid_end_reason != "INACTIVE") {
    s.Report("role.dates", "22077", a.origin, kAssoc, "roleEndReason",
             "roleEndReason INACTIVE is allowed only on an FDID ended as INACTIVE");
  }
}

void CheckRole(const FdidScope& s, const model::Association& a, const spec::Field& role_field) {
  const model::Fdid& f = s.fdid;
  Context& ctx = s.ctx;
  if (!a.role || !role_field.Allows(*a.role)) {
    s.Report("role.value", "22043", a.origin, kAssoc, "role", "role is missing or not an allowed value");
  }
  if (a.customer_index < 0) {
    s.Report("role.unknown_customer", "22041", a.origin, kAssoc, "customerRecordID",
             "the association names a customer that is not among the customer records");
  }
  // [Table 8 hasDiscretion] required for authorized traders; omitted or false for holders.
  if (IsAuthorizedTrader(a.role) &&
      (!a.has_discretion.present() || a.has_discretion.state == model::Flag::State::kInvalid)) {
    s.Report("role.has_discretion", "22061", a.origin, kAssoc, "hasDiscretion",
             "hasDiscretion is required for an authorized trader");
  } else if (IsHolder(a.role) &&
             (a.has_discretion.is_true() || a.has_discretion.state == model::Flag::State::kInvalid)) {
    s.Report("role.has_discretion", "22061", a.origin, kAssoc, "hasDiscretion",
             "hasDiscretion must be omitted or false for a holder");
  }
  // [§5.1.3.1 R6] relationships and entity IDs carry trading holders only.
  if ((f.fdid_type == "RELATIONSHIP" || f.fdid_type == "ENTITYID") && a.role && *a.role != "TRDHOLDER") {
    s.Report("role.fdid_type", "", a.origin, kAssoc, "role",
             "role must be TRDHOLDER when fdidType is RELATIONSHIP or ENTITYID");
  }
  if (!ctx.books_mode() || a.customer_index < 0) return;
  const model::Customer& c = ctx.books.customers[a.customer_index];
  // [Table 8 role] the firm, its affiliates and its employees trade as AUTHREP; a clearing firm reports a
  // correspondent's roles as received [§3.14].
  if (a.role == "AUTH3RD" && !f.correspondent_crd.present()) {
    bool employee = false;
    if (c.customer_type) {
      for (const std::string& t : *c.customer_type) employee = employee || t == "EMPLOYEE";
    }
    if (c.affiliation || employee) {
      s.Report("role.authrep", "", a.origin, kAssoc, "role",
               "AUTH3RD is used for the firm, an affiliate or an employee, who are AUTHREP");
    }
  }
}

}  // namespace

void CheckAssociations(const FdidScope& s) {
  const model::Fdid& f = s.fdid;
  Context& ctx = s.ctx;
  const spec::Field* role_field = s.fields.role;
  const spec::Field* reason_field = s.fields.role_end_reason;

  // [App B 22040] the list may be left out only when the FDID is being ended.
  if (!f.has_fdid_customer_list && !f.fdid_end_date.present()) {
    s.Report("fdid.customers", "22040", f.origin, Object::kFdidRecord, "fdidCustomerList",
             "fdidCustomerList is missing");
    return;
  }
  if (!f.has_fdid_customer_list) return;

  bool any_active = false, trading = false, public_admin = false;
  absl::flat_hash_set<std::string_view> distinct;
  absl::flat_hash_map<int64_t, std::vector<size_t>> by_customer;
  absl::flat_hash_map<std::string_view, std::vector<size_t>> by_tid;
  const auto& list = f.fdid_customer_list;
  for (size_t i = 0; i < list.size(); ++i) {
    const model::Association& a = list[i];
    CheckRole(s, a, *role_field);
    CheckRoleDates(s, a, *reason_field);
    distinct.insert(a.customer_key);
    const bool active = IsActive(f, a);
    any_active = any_active || active;
    // [§5.1.3.1 R34] a trading holder, or an authorized trader with discretion.
    if (active && (a.role == "TRDHOLDER" || (IsAuthorizedTrader(a.role) && a.has_discretion.is_true()))) {
      trading = true;
    }
    if (active && a.role == "TRDHOLDER" && a.customer_index >= 0) {
      const model::Customer& c = ctx.books.customers[a.customer_index];
      public_admin = public_admin || c.doing_business_as == "PUBLIC ADMINISTRATOR";
    }
    // Pairs are compared only within one customer (role.one_active) or one tidValue (role.same_tid), so an
    // FDID with many customers stays linear.
    int64_t who = a.customer_index >= 0              ? a.customer_index
                  : a.customer_record_id.has_value() ? -2 - a.customer_record_id.value
                                                     : -1;
    if (who != -1) {
      std::vector<size_t>& earlier = by_customer[who];
      for (size_t j : earlier) {
        if (Clash(a, list[j])) {
          s.Report("role.one_active", "22042", a.origin, kAssoc, "customerRecordID",
                   "the customer holds more than one active role on the FDID");
          break;
        }
      }
      earlier.push_back(i);
    }
    if (a.customer_index < 0) continue;
    const model::Customer& ca = ctx.books.customers[a.customer_index];
    if (!ca.tid || !ca.tid->tid_value || ca.tid->tid_value.empty()) continue;
    // [App B 22042; FAQ Q69] CAIS reconciles customers by tidValue.
    std::vector<size_t>& same_tid = by_tid[*ca.tid->tid_value];
    for (size_t j : same_tid) {
      if (list[j].customer_index != a.customer_index && Clash(a, list[j])) {
        s.Report("role.same_tid", "22042", a.origin, kAssoc, "customerRecordID",
                 "two customers with the same tidValue are active on the FDID");
        break;
      }
    }
    same_tid.push_back(i);
  }
  if (!any_active) {
    s.Report("fdid.customers", "22068", f.origin, Object::kFdidRecord, "fdidCustomerList",
             "FDID has no active customer association");
  }
  if (static_cast<int64_t>(distinct.size()) > ctx.profile.max_customers_per_fdid()) {
    s.Report("fdid.customers", "", f.origin, Object::kFdidRecord, "fdidCustomerList",
             "FDID has more customers than one FDID record may carry");
  }
  if (!trading) {
    s.Report("fdid.trading_customer", "22071", f.origin, Object::kFdidRecord, "fdidCustomerList",
             "FDID has no active TRDHOLDER nor authorized trader with discretion");
  }
  // [§3.13; FAQ Q68] a public administrator's FDID names its authorized traders.
  if (ctx.books_mode() && public_admin &&
      (!f.has_auth_trader_names_list || f.auth_trader_names_list.empty())) {
    s.Report("fdid.public_admin", "", f.origin, Object::kFdidRecord, "authTraderNamesList",
             "a PUBLIC ADMINISTRATOR holder needs an authorized-trader names list on the FDID");
  }
}

namespace {

bool AllOf(std::string_view v, bool (*pred)(char)) {
  for (char c : v) {
    if (!pred(c)) return false;
  }
  return true;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpperAlnum(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z'); }

// [Table 8 largeTraderID] LTID 99999999-9999, or ULTID ULT + 5 + '-' + 4 of [0-9A-Z].
bool IsLargeTraderId(std::string_view v) {
  if (v.size() != 13 || v[8] != '-') return false;
  if (v.substr(0, 3) == "ULT") return AllOf(v.substr(3, 5), IsUpperAlnum) && AllOf(v.substr(9), IsUpperAlnum);
  return AllOf(v.substr(0, 8), IsDigit) && AllOf(v.substr(9), IsDigit);
}

}  // namespace

void CheckLargeTraders(const FdidScope& s) {
  const model::Fdid& f = s.fdid;
  const spec::Field* reason_field = s.fields.ltid_end_reason;
  constexpr Object kLt = Object::kLargeTraderRecord;
  absl::flat_hash_set<std::string_view> ids;
  absl::flat_hash_set<int64_t> record_ids;
  for (const model::LargeTrader& lt : f.large_trader_list) {
    if (!lt.large_trader_id || !IsLargeTraderId(*lt.large_trader_id)) {
      s.Report("fdid.ltid", "22012", lt.origin, kLt, "largeTraderID",
               "largeTraderID is missing or not an LTID/ULTID");
    } else if (!ids.insert(*lt.large_trader_id).second) {
      s.Report("fdid.ltid", "22006", lt.origin, kLt, "largeTraderID",
               "largeTraderID appears twice on the FDID");
    }
    // Books carry no largeTraderRecordID: emit numbers them.
    if (s.ctx.file_mode()) {
      if (!lt.large_trader_record_id.has_value()) {
        s.Report("fdid.ltid", "22013", lt.origin, kLt, "largeTraderRecordID",
                 "largeTraderRecordID is missing or not Unsigned");
      } else if (!record_ids.insert(lt.large_trader_record_id.value).second) {
        s.Report("fdid.ltid", "22014", lt.origin, kLt, "largeTraderRecordID",
                 "largeTraderRecordID appears twice on the FDID");
      }
    }
    const bool start_ok = IsDateValue(lt.ltid_effective_date);
    if (!start_ok) {
      s.Report("fdid.ltid", "22015", lt.origin, kLt, "ltidEffectiveDate",
               "ltidEffectiveDate is missing or not a real date");
    }
    const bool end_ok = IsDateValue(lt.ltid_end_date);
    if ((lt.ltid_end_date.present() && !end_ok) || (!lt.ltid_end_date.present() && lt.ltid_end_reason)) {
      s.Report("fdid.ltid", "22016", lt.origin, kLt, "ltidEndDate",
               "ltidEndDate is not a real date, or is missing while ltidEndReason is set");
    }
    if ((lt.ltid_end_reason && !reason_field->Allows(*lt.ltid_end_reason)) ||
        (lt.ltid_end_date.present() && !lt.ltid_end_reason)) {
      s.Report("fdid.ltid", "22017", lt.origin, kLt, "ltidEndReason",
               "ltidEndReason is not an allowed value, or is missing while ltidEndDate is set");
    }
    if (start_ok && end_ok && lt.ltid_end_date.value < lt.ltid_effective_date.value) {
      s.Report("fdid.ltid", "22028", lt.origin, kLt, "ltidEndDate",
               "ltidEndDate is earlier than ltidEffectiveDate");
    }
    if (lt.ltid_end_reason == "INACTIVE" && f.fdid_end_reason != "INACTIVE") {
      s.Report("fdid.ltid", "22076", lt.origin, kLt, "ltidEndReason",
               "ltidEndReason INACTIVE is allowed only on an FDID ended as INACTIVE");
    }
  }
}

void CheckAuthNames(const FdidScope& s) {
  const model::Fdid& f = s.fdid;
  if (!f.has_auth_trader_names_list || f.auth_trader_names_list.empty()) return;
  const spec::Field* name_field = s.fields.auth_trader_name;
  constexpr Object kAt = Object::kAuthTraderNameRecord;
  // [§3.13] the names list is temporary and limited to traders whose full data the firm lacks.
  s.Report("fdid.auth_names", "", f.origin, Object::kFdidRecord, "authTraderNamesList",
           "authTraderNamesList is a temporary list to be retired; report full customer records where known");
  absl::flat_hash_set<int64_t> ids;
  for (const model::AuthTraderName& n : f.auth_trader_names_list) {
    if (s.ctx.file_mode()) {  // books carry no authTraderNameID: emit numbers them
      if (!n.auth_trader_name_id.has_value()) {
        s.Report("fdid.auth_name_record", "22072", n.origin, kAt, "authTraderNameID",
                 "authTraderNameID is missing or not Unsigned");
      } else if (!ids.insert(n.auth_trader_name_id.value).second) {
        s.Report("fdid.auth_name_record", "22073", n.origin, kAt, "authTraderNameID",
                 "authTraderNameID appears twice in the list");
      }
    }
    if (!n.auth_trader_name || n.auth_trader_name.empty() ||
        !IsExtendedText(*n.auth_trader_name, name_field->MaxLength(s.ctx.options.as_of))) {
      s.Report("fdid.auth_name_record", "22074", n.origin, kAt, "authTraderName",
               "authTraderName is missing or not Extended Text within its length");
    }
  }
}

}  // namespace caisson::validate::fdid_rules
