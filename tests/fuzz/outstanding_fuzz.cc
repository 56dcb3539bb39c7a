// Fuzz target for the readers of CAIS's daily and monthly sets (feedback::ParseOutstandingRejections,
// ParseOutstandingInconsistencies, ParseFdidRefreshReport, one shared reader underneath): any bytes as the data
// file of a fixed set of each kind. A parsed file joins its set once and fixes the set's date.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "feedback/feedback.h"

namespace {

void Expect(const caisson::Status& s, const caisson::feedback::SetKey& set, int32_t date) {
  if (s.ok() && (set.generation_date != date || set.files.size() != 1)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  caisson::feedback::OutstandingSet rejections;
  Expect(caisson::feedback::ParseOutstandingRejections(
             "99999999_555_2_20240401_OUTSTANDINGREJECTIONS_000001_data.json.bz2", text, &rejections),
         rejections, 20240401);
  caisson::feedback::InconsistencySet inconsistencies;
  Expect(caisson::feedback::ParseOutstandingInconsistencies(
             "123_456_2_20240401_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2", text, &inconsistencies),
         inconsistencies, 20240401);
  caisson::feedback::RefreshSet refresh;
  Expect(caisson::feedback::ParseFdidRefreshReport("123_456_2_20250403_FDIDREFRESHREPORT_000001_data.json.bz2",
                                                   text, &refresh),
         refresh, 20250403);
  for (const auto& r : inconsistencies.rows) {
    if (r.event_id.empty()) std::abort();
  }
  for (const auto& r : refresh.rows) {
    if (r.fdid.empty() || (r.status != "DUE" && r.status != "OVERDUE")) std::abort();
  }
  return 0;
}
