// Private to feedback: what Apply and ApplyOutstanding share.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "calendar/calendar.h"
#include "state/state.h"

namespace caisson::feedback::internal {

// A repair item with T and its deadline filled [§5.4.2; Table 15]: T = the CAT Trading Day of `received`
// (YYYYMMDD, the business date the data was taken as received), due 17:00 ET on T+3. Nothing filled when
// `cal` is null. The calendar's error when outside its years.
Result<state::RepairItem> DueFrom(const calendar::Calendar* cal, int32_t received);

// YYYYMMDD of a CAIS timestamp (YYYYMMDDTHHMMSS.fffffffff), or -1.
int32_t DateOf(const std::string& timestamp);

}  // namespace caisson::feedback::internal
