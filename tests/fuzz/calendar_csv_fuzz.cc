// Fuzz target for calendar::Calendar::Parse (the market-calendar CSV) and calendar::ParseMoment: any bytes
// either load or give Corruption naming the origin, never a crash; a loaded calendar answers queries inside its
// range and refuses those outside it.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "calendar/calendar.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caisson::calendar;  // NOLINT: a fuzz driver, not a header
  std::string_view text(reinterpret_cast<const char*>(data), size);
  caisson::Result<Calendar> cal = Calendar::Parse(text, "fuzz.csv");
  if (!cal.ok()) {
    if (cal.status().code() != caisson::Status::Code::kCorruption) std::abort();
    if (cal.status().message().rfind("fuzz.csv", 0) != 0) std::abort();
  } else {
    if (cal->first_year() > cal->last_year()) std::abort();
    caisson::Result<Date> t = cal->TradingDayOf(LocalDateTime{{cal->first_year(), 1, 1}, 12, 0, 0, 0});
    if (t.ok()) {
      caisson::Result<bool> trading = cal->IsTradingDate(*t);
      if (!trading.ok() || !*trading) std::abort();
      caisson::Result<Date> next = cal->AddTradingDays(*t, 3);
      if (next.ok() && !(*t < *next)) std::abort();
    }
    if (cal->TradingDayOf(LocalDateTime{{cal->last_year() + 1, 1, 1}, 12, 0, 0, 0}).ok()) std::abort();
  }
  caisson::Result<Moment> m = ParseMoment(text);
  if (m.ok() && !m->is_utc && FormatLocal(m->et).empty()) std::abort();
  return 0;
}
