// Private helpers of the calendar module (date arithmetic); not for other modules.
#pragma once

#include <cstdint>

#include "calendar/calendar.h"

namespace caisson::calendar::internal {

// Days since 1970-01-01 of a valid date.
int64_t DaysFromCivil(Date d);
Date CivilFromDays(int64_t days);
bool IsValidDate(Date d);
bool IsWeekend(Date d);
// A valid date and 00:00:00 <= time <= 23:59:59.999999999.
bool IsValidLocal(const LocalDateTime& et);

}  // namespace caisson::calendar::internal
