// Private to validate: helpers shared by the FDID-side rule files (rules_fdid.cc, rules_role.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/model.h"
#include "spec/spec.h"
#include "validate/context.h"

namespace caisson::validate::fdid_rules {

// The profile fields the FDID-side rules read, resolved once per Validate (STYLE.md §3).
struct FdidFields {
  const spec::Field* id = nullptr;
  const spec::Field* type = nullptr;
  const spec::Field* account_type = nullptr;
  const spec::Field* account_name = nullptr;
  const spec::Field* end_reason = nullptr;
  const spec::Field* replaced = nullptr;
  const spec::Field* prior_fdid = nullptr;
  const spec::Field* dvp = nullptr;
  const spec::Field* clearing = nullptr;
  const spec::Field* addr_type = nullptr;
  const spec::Field* role = nullptr;
  const spec::Field* role_end_reason = nullptr;
  const spec::Field* ltid_end_reason = nullptr;
  const spec::Field* auth_trader_name = nullptr;

  // False (with ctx.problem set) when the profile lacks one of them.
  bool Resolve(Context& ctx);
};

// One FDID under check: reports findings against books.fdids[index] (record `fdid`, key = its FDID).
struct FdidScope {
  Context& ctx;
  const model::Fdid& fdid;
  int64_t index;
  const FdidFields& fields;

  void Report(std::string_view rule, std::string_view code, const model::Origin& origin, spec::Object object,
              std::string_view cais_field, std::string message) const {
    ctx.Report(rule, code, RecordKind::kFdid, index, origin, object, cais_field, std::move(message));
  }
};

// Days since 1970-01-01 of a YYYYMMDD date (proleptic Gregorian). REQUIRES: IsRealDate(yyyymmdd).
int64_t DayNumber(int64_t yyyymmdd);
// The YYYYMMDD date `months` calendar months before `yyyymmdd`, the day clamped to the month's length.
int64_t MonthsBefore(int64_t yyyymmdd, int32_t months);
// True when `v` is a valid Date value of the record (present, a number, a real calendar date).
bool IsDateValue(const model::Num& v);

// Association and sub-record rules of one FDID (rules_role.cc).
void CheckAssociations(const FdidScope& s);  // role.*, fdid.customers, fdid.trading_customer, public_admin
void CheckLargeTraders(const FdidScope& s);  // fdid.ltid
void CheckAuthNames(const FdidScope& s);     // fdid.auth_names, fdid.auth_name_record

}  // namespace caisson::validate::fdid_rules
