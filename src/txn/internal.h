// Private helpers of txn shared by its .cc files.
#pragma once

#include <cstdint>
#include <string_view>

namespace caisson::txn::internal {

bool ValidDate(int y, int m, int d);
// "YYYYMMDD" (a real date) -> *ymd.
bool ParseYmd(std::string_view s, int32_t* ymd);
// Days since 1970-01-01 of YYYYMMDD and back (proleptic Gregorian).
int64_t DaysFromCivil(int32_t ymd);
int32_t CivilFromDays(int64_t days);
int32_t AddDays(int32_t ymd, int days);

}  // namespace caisson::txn::internal
