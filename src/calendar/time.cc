// New York time through the system tz database, parsing and formatting of moments, and the CAIS deadlines
// [§5.4.1-5.4.3; §3.8; §2.4 Timestamp].
#include <array>
#include <chrono>
#include <exception>
#include <string>

// Debian's libdate-tz is built with USE_OS_TZDB=1 (its CMake package says so); the header must agree.
#ifndef USE_OS_TZDB
#define USE_OS_TZDB 1
#endif
#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include "calendar/calendar.h"
#include "calendar/internal.h"

namespace caisson::calendar {

namespace internal {

int64_t DaysFromCivil(Date d) {
  date::sys_days days{date::year{d.year} / date::month{static_cast<unsigned>(d.month)} /
                      date::day{static_cast<unsigned>(d.day)}};
  return days.time_since_epoch().count();
}

Date CivilFromDays(int64_t days) {
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

bool IsValidDate(Date d) {
  if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return false;
  return date::year_month_day{date::year{d.year}, date::month{static_cast<unsigned>(d.month)},
                              date::day{static_cast<unsigned>(d.day)}}
      .ok();
}

bool IsWeekend(Date d) {
  date::weekday wd{date::sys_days{date::days{DaysFromCivil(d)}}};
  return wd == date::Saturday || wd == date::Sunday;
}

bool IsValidLocal(const LocalDateTime& et) {
  return IsValidDate(et.date) && et.hour >= 0 && et.hour <= 23 && et.minute >= 0 && et.minute <= 59 &&
         et.second >= 0 && et.second <= 59 && et.nanos >= 0 && et.nanos <= 999999999;
}

}  // namespace internal

namespace {

using std::chrono::nanoseconds;

// The zone is looked up once; the library throws when the tz database lacks it, which becomes a Status here.
Result<const date::time_zone*> NewYork() {
  static const date::time_zone* zone = []() -> const date::time_zone* {
    try {
      return date::locate_zone("America/New_York");
    } catch (const std::exception&) {
      return nullptr;
    }
  }();
  if (zone == nullptr) return Status::IOError("America/New_York", "not in the system tz database (tzdata)");
  return zone;
}

date::local_time<nanoseconds> ToLocalTime(const LocalDateTime& et) {
  return date::local_days{date::days{internal::DaysFromCivil(et.date)}} + std::chrono::hours{et.hour} +
         std::chrono::minutes{et.minute} + std::chrono::seconds{et.second} + nanoseconds{et.nanos};
}

LocalDateTime FromLocalTime(date::local_time<nanoseconds> lt) {
  date::local_days day = date::floor<date::days>(lt);
  auto hms = date::hh_mm_ss<nanoseconds>{lt - day};
  LocalDateTime et;
  et.date = internal::CivilFromDays(day.time_since_epoch().count());
  et.hour = static_cast<int>(hms.hours().count());
  et.minute = static_cast<int>(hms.minutes().count());
  et.second = static_cast<int>(hms.seconds().count());
  et.nanos = static_cast<int32_t>(hms.subseconds().count());
  return et;
}

// Reads exactly `n` digits at *pos; false otherwise.
bool Digits(std::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

// ".f{1,9}" if present; false when a '.' has no digit or more than nine.
bool Fraction(std::string_view s, size_t* pos, int32_t* nanos) {
  *nanos = 0;
  if (*pos >= s.size() || s[*pos] != '.') return true;
  ++*pos;
  size_t n = 0;
  int32_t v = 0;
  while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9') {
    if (++n > 9) return false;
    v = v * 10 + (s[(*pos)++] - '0');
  }
  if (n == 0) return false;
  for (size_t i = n; i < 9; ++i) v *= 10;
  *nanos = v;
  return true;
}

std::string Fraction9(int64_t nanos) { return nanos == 0 ? std::string() : fmt::format(".{:09}", nanos); }

}  // namespace

Result<LocalDateTime> ToNewYork(Instant utc) {
  Result<const date::time_zone*> zone = NewYork();
  if (!zone.ok()) return zone.status();
  date::sys_info info = (*zone)->get_info(utc);
  return FromLocalTime(date::local_time<nanoseconds>{utc.time_since_epoch() + info.offset});
}

Result<Instant> ToUtc(const LocalDateTime& et) {
  if (!internal::IsValidLocal(et)) return Status::InvalidArgument(FormatLocal(et), "not a date and time");
  Result<const date::time_zone*> zone = NewYork();
  if (!zone.ok()) return zone.status();
  date::local_time<nanoseconds> lt = ToLocalTime(et);
  date::local_info info = (*zone)->get_info(lt);
  if (info.result == date::local_info::nonexistent) {
    return Status::InvalidArgument(FormatLocal(et),
                                   "does not exist in New York (skipped by the change to EDT)");
  }
  // Unique, or the repeated hour of the change to EST: `first` is the earlier (EDT) reading.
  return Instant{lt.time_since_epoch() - info.first.offset};
}

Result<Date> ParseDate(std::string_view text) {
  size_t pos = 0;
  Date d;
  bool ok = Digits(text, &pos, 4, &d.year);
  const bool dashed = ok && pos < text.size() && text[pos] == '-';
  ok = ok && (!dashed || Expect(text, &pos, '-')) && Digits(text, &pos, 2, &d.month) &&
       (!dashed || Expect(text, &pos, '-')) && Digits(text, &pos, 2, &d.day) && pos == text.size();
  if (!ok || !internal::IsValidDate(d)) {
    return Status::InvalidArgument(fmt::format("'{}'", text), "not a date YYYY-MM-DD or YYYYMMDD");
  }
  return d;
}

Result<Moment> ParseMoment(std::string_view text) {
  Moment m;
  LocalDateTime& et = m.et;
  size_t pos = 0;
  bool ok = Digits(text, &pos, 4, &et.date.year);
  const bool iso = ok && pos < text.size() && text[pos] == '-';
  if (iso) {
    // YYYY-MM-DDTHH:MM[:SS[.f]][Z|+HH:MM|-HH:MM]
    ok = Expect(text, &pos, '-') && Digits(text, &pos, 2, &et.date.month) && Expect(text, &pos, '-') &&
         Digits(text, &pos, 2, &et.date.day) && (Expect(text, &pos, 'T') || Expect(text, &pos, ' ')) &&
         Digits(text, &pos, 2, &et.hour) && Expect(text, &pos, ':') && Digits(text, &pos, 2, &et.minute);
    if (ok && pos < text.size() && text[pos] == ':') {
      ok = Expect(text, &pos, ':') && Digits(text, &pos, 2, &et.second) && Fraction(text, &pos, &et.nanos);
    }
  } else {
    // CAIS Timestamp [§2.4]: YYYYMMDD then 'T' or a space, HHMMSS, optional fraction; Eastern Time.
    ok = ok && Digits(text, &pos, 2, &et.date.month) && Digits(text, &pos, 2, &et.date.day) &&
         (Expect(text, &pos, 'T') || Expect(text, &pos, ' ')) && Digits(text, &pos, 2, &et.hour) &&
         Digits(text, &pos, 2, &et.minute) && Digits(text, &pos, 2, &et.second) &&
         Fraction(text, &pos, &et.nanos);
  }
  int offset_minutes = 0;
  if (ok && iso && pos < text.size()) {
    m.is_utc = true;
    if (text[pos] == 'Z') {
      ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
      const int sign = text[pos++] == '+' ? 1 : -1;
      int oh = 0, om = 0;
      ok = Digits(text, &pos, 2, &oh) && Expect(text, &pos, ':') && Digits(text, &pos, 2, &om) && oh <= 23 &&
           om <= 59;
      offset_minutes = sign * (oh * 60 + om);
    } else {
      ok = false;
    }
  }
  ok = ok && pos == text.size() && internal::IsValidLocal(et);
  if (!ok) {
    return Status::InvalidArgument(
        fmt::format("'{}'", text),
        "not a moment: YYYY-MM-DDTHH:MM[:SS[.f]] (New York time), the same with Z or "
        "+HH:MM, or a CAIS Timestamp YYYYMMDDTHHMMSS[.f] (Eastern Time)");
  }
  if (m.is_utc) {
    // The text is wall time at the given offset; the instant is that time minus the offset.
    date::local_time<nanoseconds> lt = ToLocalTime(et);
    m.utc = Instant{lt.time_since_epoch() - std::chrono::minutes{offset_minutes}};
    m.et = LocalDateTime{};
  }
  return m;
}

std::string FormatDate(Date d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

std::string FormatLocal(const LocalDateTime& et) {
  return fmt::format("{}T{:02}:{:02}:{:02}{}", FormatDate(et.date), et.hour, et.minute, et.second,
                     Fraction9(et.nanos));
}

std::string FormatUtc(Instant utc) {
  LocalDateTime t = FromLocalTime(date::local_time<nanoseconds>{utc.time_since_epoch()});
  return FormatLocal(t) + "Z";
}

std::string_view WeekdayName(Date d) {
  static constexpr std::array<std::string_view, 7> kNames = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                             "Thursday", "Friday", "Saturday"};
  date::weekday wd{date::sys_days{date::days{internal::DaysFromCivil(d)}}};
  return kNames[wd.c_encoding()];
}

namespace {

Result<Deadline> At(Result<Date> day, int hour) {
  if (!day.ok()) return day.status();
  Deadline d;
  d.et = LocalDateTime{*day, hour, 0, 0, 0};
  Result<Instant> utc = ToUtc(d.et);
  if (!utc.ok()) return utc.status();
  d.utc = *utc;
  return d;
}

}  // namespace

// [§5.4.1] 8:00 a.m. ET on the CAT Trading Day after the day of receipt.
Result<Deadline> ReportDue(const Calendar& cal, Date t) { return At(cal.AddTradingDays(t, 1), 8); }

// [§5.4.2] 5:00 p.m. ET on the third Trading Day after the data became available.
Result<Deadline> RepairDue(const Calendar& cal, Date t) { return At(cal.AddTradingDays(t, 3), 17); }

// [§5.4.3; §6.4.1 r7] the identification day is the first of the three CAT Trading Days. The spec's own
// example (§6.4.3: identificationDate 20240401T140000, inconsistencyDeadline 20240403T170000) counts it the
// same way.
Result<Deadline> InconsistencyDue(const Calendar& cal, Date identification_day) {
  return At(cal.AddTradingDays(identification_day, 2), 17);
}

// [§3.8] by 5:00 p.m. ET on the third CAT Trading Day of the month.
Result<Deadline> RefreshReportDue(const Calendar& cal, int year, int month) {
  return At(cal.NthTradingDateOfMonth(year, month, 3), 17);
}

}  // namespace caisson::calendar
