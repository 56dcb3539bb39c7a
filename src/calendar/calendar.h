// calendar: CAT Trading Days and the CAIS reporting clocks [CAIS 2.2.0 r4 §5.4; App. C "CAT Trading Day";
// Tables 15-16; §3.8; §6.4.1 r7].
//
// A CAT Trading Day runs from just after 16:15:00 ET on one trading date to exactly 16:15:00 ET (no fraction
// of a second later) on the next; on an early-close date it ends 15 minutes after the close. Weekends and the
// dates on which the exchanges are closed are not trading dates, so an instant on them belongs to the next
// trading date. Which dates are closed or close early is data (data/calendar/market-calendar.csv), never
// code. All clocks are New York wall time; conversions to UTC go through the system tz database
// (America/New_York).
//
// A Calendar is immutable after Load and may be shared by threads. Every query outside the covered years
// [first_year(), last_year()] returns InvalidArgument naming the range: the calendar never guesses.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"

namespace caisson::calendar {

// A Gregorian calendar date.
struct Date {
  int year = 0;
  int month = 0;  // 1-12
  int day = 0;    // 1-31
  friend auto operator<=>(const Date&, const Date&) = default;
};

// A New York wall-clock date and time (the time zone of every CAIS clock [§2.4 Timestamp]).
struct LocalDateTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int32_t nanos = 0;  // 0-999,999,999
  friend auto operator<=>(const LocalDateTime&, const LocalDateTime&) = default;
};

// A point in time (UTC), nanosecond precision as in CAIS Timestamps.
using Instant = std::chrono::sys_time<std::chrono::nanoseconds>;

// A deadline: the New York wall time and the same moment in UTC.
struct Deadline {
  LocalDateTime et;
  Instant utc;
};

// What the calendar says about one date.
enum class DayKind { kTrading, kEarlyClose, kClosed, kWeekend };
struct DayInfo {
  DayKind kind = DayKind::kTrading;
  std::string name;               // the holiday's name for kEarlyClose / kClosed, else ""
  LocalDateTime trading_day_end;  // 16:15:00, or close + 15 min; only for kTrading / kEarlyClose
};

class Calendar {
 public:
  // Reads the market calendar CSV (columns date,kind,close_time_et,name,confidence; data/calendar/README.md).
  // Fails with IOError when the file cannot be read and Corruption("<file>:<line>", "column '<c>': ...") for
  // a malformed row (bad date, weekend date, unknown kind, close time missing or out of place, unsorted or
  // duplicate dates, a year without rows).
  static Result<Calendar> Load(const std::filesystem::path& csv);
  // The same from text; `origin` names the source in messages.
  static Result<Calendar> Parse(std::string_view text, std::string_view origin);

  Calendar(Calendar&&) noexcept;
  Calendar& operator=(Calendar&&) noexcept;
  ~Calendar();

  // The covered years, inclusive (the first and last year that have rows).
  int first_year() const;
  int last_year() const;

  // Classifies `date`. InvalidArgument for an impossible date or one outside the covered years.
  Result<DayInfo> Describe(Date date) const;
  // True when `date` is a CAT Trading Day (an early-close date is one). Errors as Describe.
  Result<bool> IsTradingDate(Date date) const;
  // The New York time at which the CAT Trading Day of `trading_date` ends: 16:15:00, or close + 15 minutes on
  // an early-close date. InvalidArgument when `trading_date` is not a trading date or is outside the range.
  Result<LocalDateTime> EndOf(Date trading_date) const;

  // The CAT Trading Day whose window (end of the previous trading date, end of this one] holds the moment.
  // A moment after the end of its date, or on a weekend or closed date, belongs to the next trading date.
  // InvalidArgument when the moment or the answer lies outside the covered years, or for an impossible time.
  Result<Date> TradingDayOf(const LocalDateTime& et) const;
  Result<Date> TradingDayOf(Instant utc) const;

  // The trading date `n` (>= 0) trading dates after `trading_date` (an early-close date counts as a whole
  // day). InvalidArgument when `trading_date` is not a trading date, n < 0, or the answer is outside the
  // range.
  Result<Date> AddTradingDays(Date trading_date, int n) const;
  // The n-th (1-based) trading date of a month. InvalidArgument when the month has fewer or is out of range.
  Result<Date> NthTradingDateOfMonth(int year, int month, int n) const;

 private:
  struct Rep;
  explicit Calendar(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// --- Deadlines. T is always a CAT Trading Day (from TradingDayOf). ---------------------------------------

// Initial report of received Customer/Account data: 08:00 ET on T+1, T = the CAT Trading Day the firm
// received it [§5.4.1; Table 15 "Initial Report Due (T+1)"].
Result<Deadline> ReportDue(const Calendar& cal, Date t);
// Repair of a rejection: 17:00 ET on T+3, T = the CAT Trading Day the firm received the data [§5.4.2; Table
// 15 "Repair Due (T+3)"]. A repair that is rejected again keeps this deadline: pass the original T.
Result<Deadline> RepairDue(const Calendar& cal, Date t);
// Resolution of a Material Inconsistency: 17:00 ET on the third CAT Trading Day of the window that begins
// with the CAT Trading Day of its identification [§5.4.3; §6.4.1 r7], i.e. identification day + 2. For data
// submitted by the T+1 08:00 deadline the scan identifies it on T+1, which gives Table 16's T+3.
Result<Deadline> InconsistencyDue(const Calendar& cal, Date identification_day);
// The FDID Refresh Report of a month is available by 17:00 ET on its third CAT Trading Day [§3.8].
Result<Deadline> RefreshReportDue(const Calendar& cal, int year, int month);

// --- Time conversions and parsing (America/New_York through the system tz database). --------------------

// The New York wall time of an instant. IOError if the tz database lacks America/New_York.
Result<LocalDateTime> ToNewYork(Instant utc);
// The instant of a New York wall time. InvalidArgument for a time skipped by the spring DST change; in the
// repeated hour of the autumn change the earlier (EDT) instant is returned. IOError as ToNewYork.
Result<Instant> ToUtc(const LocalDateTime& et);

// A moment as given on the command line or in a file: either New York wall time or a UTC instant.
struct Moment {
  bool is_utc = false;  // true when the text carried 'Z' or a UTC offset
  LocalDateTime et;     // valid when !is_utc
  Instant utc;          // valid when is_utc
};
// Parses "YYYY-MM-DDTHH:MM[:SS[.f{1,9}]]" (New York time), the same followed by 'Z' or "+HH:MM"/"-HH:MM"
// (an instant), or a CAIS Timestamp "YYYYMMDD[T| ]HHMMSS[.f{1,9}]" (Eastern Time [§2.4]). InvalidArgument
// naming the text otherwise (impossible date or time included).
Result<Moment> ParseMoment(std::string_view text);
// Parses "YYYY-MM-DD" or "YYYYMMDD"; InvalidArgument for anything else or an impossible date.
Result<Date> ParseDate(std::string_view text);

// "2026-11-25".
std::string FormatDate(Date d);
// "2026-11-25T16:20:00", with ".fffffffff" only when nanos != 0.
std::string FormatLocal(const LocalDateTime& et);
// "2026-11-25T21:20:00Z", with ".fffffffff" only when the fraction is not zero.
std::string FormatUtc(Instant utc);
// "Wednesday".
std::string_view WeekdayName(Date d);

}  // namespace caisson::calendar
