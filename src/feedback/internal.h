// Private to feedback: what Apply and ApplyOutstanding share.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "base/result.h"
#include "calendar/calendar.h"
#include "feedback/feedback.h"
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

// Reads one data file of a daily or monthly set (`<sub>_<crd>[_<corr>]_<date><kind><n>_data.json[.bz2]`, a stream
// of JSON objects): the name fixes the set's key (the first file) or must match it; each object goes to
// `row` with its 1-based number. On success the file joins set->files; the caller keeps its rows only then.
// Corruption naming the file for a bad name, bad JSON or a cut-short last object; InvalidArgument for a file
// of another set; `row`'s error as it returned it.
Status ReadSetFile(std::string_view file_name, std::string_view kind, std::string_view text, SetKey* set,
                   const std::function<Status(simdjson::dom::object, size_t)>& row);

// Appends the audit event of one applied set (`kind`, e.g. "outstanding_rejections") with its counts.
Status AuditSet(state::Txn& txn, std::string_view kind, const SetKey& set, int64_t listed, int64_t added,
                int64_t closed, int64_t unlinked);

// YYYYMMDD of a CAIS timestamp (YYYYMMDDTHHMMSS.fffffffff), or -1.
int32_t DateOf(const std::string& timestamp);

}  // namespace caisson::feedback::internal
