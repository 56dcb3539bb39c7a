// Private to gen: helpers shared by the two halves of the defect table (defects.cc: FDID and association
// rules; defects_customer.cc: customer, address, TID and input rules).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "gen/internal.h"

namespace caisson::gen::internal {

// One way of breaking one rule: builds a plain unit into `u`, breaks one value and marks it. `cycle` counts how
// often the table has wrapped (for kinds whose broken value must differ each time).
struct DefectKind {
  void (*fn)(Generator& g, Unit& u, int64_t cycle);
};
const DefectKind* CustomerDefects();
int CustomerDefectCount();

inline UnitSpec PlainSpec(Shape shape) {
  UnitSpec s;
  s.shape = shape;
  return s;
}
// A unit with no optional extras (one address each, open, US, no LTID), so nothing but the defect can fail.
inline void Plain(Generator& g, Unit& u, Shape shape = Shape::kIndividual) { g.Build(PlainSpec(shape), &u); }

inline int64_t DayOf(const std::string& yyyy_mm_dd) {
  return DaysFromYmd(std::stoi(yyyy_mm_dd.substr(0, 4) + yyyy_mm_dd.substr(5, 2) + yyyy_mm_dd.substr(8, 2)));
}
inline int64_t OpenDayOf(Unit& u, int account = 0) { return DayOf(u.At(kAccounts, account)[kFdidDate]); }
inline std::string AfterOpen(Unit& u, int64_t days) { return DateText(OpenDayOf(u) + days); }

inline int FindAddress(Unit& u, std::string_view owner_type, std::string_view owner, int n = 1) {
  const std::string type = fmt::format("ADDRESS{}", n);
  for (int i = 0; i < u.Count(kAddresses); ++i) {
    Row& r = u.At(kAddresses, i);
    if (r[kOwnerType] == owner_type && r[kOwnerId] == owner && r[kAddrType] == type) return i;
  }
  return -1;
}
inline int AccountAddress(Unit& u) { return FindAddress(u, "ACCOUNT", u.At(kAccounts, 0)[kFdid]); }
inline int CustomerAddress(Unit& u, int customer = 0) {
  return FindAddress(u, "CUSTOMER", u.At(kCustomers, customer)[kCustomerId]);
}

inline void MarkAcc(Unit& u, std::string_view rule, std::string_view code, std::string_view field) {
  u.Plant(kAccounts, 0, rule, code, field);
}
inline void MarkCust(Unit& u, int row, std::string_view rule, std::string_view code, std::string_view field) {
  u.Plant(kCustomers, row, rule, code, field);
}

// `word` repeated with spaces up to exactly n characters.
inline std::string Long(std::string_view word, size_t n) {
  std::string s;
  while (s.size() < n) {
    if (!s.empty()) s += ' ';
    s += word;
  }
  return s.substr(0, n);
}

}  // namespace caisson::gen::internal
