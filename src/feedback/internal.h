// Private to feedback: what Apply and ApplyOutstanding share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "base/result.h"
#include "calendar/calendar.h"
#include "state/state.h"

namespace caisson::feedback::internal {

// A repair item with T and its deadline filled [§5.4.2; Table 15]: T = the CAT Trading Day of `received`
// (YYYYMMDD, the business date the data was taken as received), due 17:00 ET on T+3. Nothing filled when
// `cal` is null. The calendar's error when outside its years.
Result<state::RepairItem> DueFrom(const calendar::Calendar* cal, int32_t received);

// A number, also when written as a string ("receivedTIDsCount": "7" in the spec's examples).
std::optional<int64_t> Integer(simdjson::dom::element e);
// A string, or a number as text; "" otherwise.
std::string Text(simdjson::dom::element e);
// Whole-string decimal integer.
bool ToInt(std::string_view s, int64_t* v);

// The numbers before the kind of a daily file name (`<sub>_<crd>[_<corr>]_<date>_KIND_...`, `kind` the offset of
// "_KIND_"): 3 or 4 of them, else Corruption naming the file.
Status DailyNameParts(std::string_view file_name, size_t kind, std::vector<int64_t>* parts);

// YYYYMMDD of a CAIS timestamp (YYYYMMDDTHHMMSS.fffffffff), or -1.
int32_t DateOf(const std::string& timestamp);

}  // namespace caisson::feedback::internal
