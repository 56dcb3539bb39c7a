// The market calendar: CSV reader and CAT Trading Day arithmetic [App. C "CAT Trading Day"; §5.4.1].
#include "calendar/calendar.h"

#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

// Debian's libdate-tz is built with USE_OS_TZDB=1 (its CMake package says so); the header must agree.
#ifndef USE_OS_TZDB
#define USE_OS_TZDB 1
#endif
#include <date/date.h>
#include <fmt/format.h>

#include "calendar/internal.h"

namespace caisson::calendar {

namespace {

constexpr std::string_view kHeader = "date,kind,close_time_et,name,confidence";
// [App. C] a normal CAT Trading Day ends at 16:15:00 ET; an early-close day 15 minutes after the close.
constexpr int kNormalEndMinute = 16 * 60 + 15;
constexpr int kEndAfterCloseMinutes = 15;

struct Entry {
  DayKind kind = DayKind::kTrading;
  int end_minute = kNormalEndMinute;  // minutes after midnight ET at which the trading day ends
  int name = -1;                      // index into Rep::names
};

// Splits CSV text (RFC 4180: quoted fields, "" inside quotes, CRLF or LF) into rows with their first line.
class CsvReader {
 public:
  CsvReader(std::string_view text, std::string_view origin) : text_(text), origin_(origin) {}

  // Reads the next row into *fields; false at the end. A malformed row sets *status.
  bool Next(std::vector<std::string>* fields, uint64_t* line, Status* status) {
    fields->clear();
    if (pos_ >= text_.size()) return false;
    *line = line_;
    std::string field;
    bool quoted = false;
    bool was_quoted = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (quoted) {
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field += '"';
            ++pos_;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_;
          field += c;
        }
        continue;
      }
      if (c == '"') {
        if (!field.empty() || was_quoted) {
          *status =
              Status::Corruption(fmt::format("{}:{}", origin_, line_), "a quote inside an unquoted field");
          return true;
        }
        quoted = was_quoted = true;
      } else if (c == ',') {
        fields->push_back(std::move(field));
        field.clear();
        was_quoted = false;
      } else if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') {
        continue;
      } else if (c == '\n') {
        ++line_;
        break;
      } else {
        if (was_quoted) {
          *status = Status::Corruption(fmt::format("{}:{}", origin_, line_), "text after a closing quote");
          return true;
        }
        field += c;
      }
    }
    if (quoted) {
      *status = Status::Corruption(fmt::format("{}:{}", origin_, *line), "unterminated quoted field");
      return true;
    }
    fields->push_back(std::move(field));
    return true;
  }

 private:
  std::string_view text_;
  std::string_view origin_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
};

bool ParseHhMm(std::string_view s, int* minute) {
  if (s.size() != 5 || s[2] != ':') return false;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return false;
  *minute = h * 60 + m;
  return true;
}

}  // namespace

struct Calendar::Rep {
  int first_year = 0;
  int last_year = 0;
  int64_t first_day = 0;    // days since 1970-01-01 of first_year-01-01
  std::vector<Entry> days;  // one per date of the covered years
  std::vector<std::string> names;

  Status OutOfRange(std::string_view what) const {
    return Status::InvalidArgument(
        what,
        fmt::format("outside the market calendar, which covers {}-{} (data/calendar/market-calendar.csv)",
                    first_year, last_year));
  }
  // Index of `d` in days, or -1 outside the covered years.
  int64_t Index(Date d) const {
    int64_t i = internal::DaysFromCivil(d) - first_day;
    return (i < 0 || i >= static_cast<int64_t>(days.size())) ? -1 : i;
  }
  Date DateAt(int64_t i) const { return internal::CivilFromDays(first_day + i); }
  bool Trading(int64_t i) const {
    return days[i].kind == DayKind::kTrading || days[i].kind == DayKind::kEarlyClose;
  }
};

Calendar::Calendar(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Calendar::Calendar(Calendar&&) noexcept = default;
Calendar& Calendar::operator=(Calendar&&) noexcept = default;
Calendar::~Calendar() = default;

int Calendar::first_year() const { return rep_->first_year; }
int Calendar::last_year() const { return rep_->last_year; }

Result<Calendar> Calendar::Load(const std::filesystem::path& csv) {
  std::ifstream in(csv, std::ios::binary);
  if (!in) return Status::IOError(csv.string(), "cannot open the market calendar");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IOError(csv.string(), "cannot read the market calendar");
  return Parse(text, csv.string());
}

Result<Calendar> Calendar::Parse(std::string_view text, std::string_view origin) {
  struct Row {
    Date date;
    Entry entry;
  };
  std::vector<Row> rows;
  std::vector<std::string> names;
  CsvReader reader(text, origin);
  std::vector<std::string> f;
  uint64_t line = 0;
  Status status;
  bool header = true;
  while (reader.Next(&f, &line, &status)) {
    if (!status.ok()) return status;
    const std::string where = fmt::format("{}:{}", origin, line);
    if (header) {
      if (f.size() != 5 || fmt::format("{},{},{},{},{}", f[0], f[1], f[2], f[3], f[4]) != kHeader) {
        return Status::Corruption(where, fmt::format("the header must be '{}'", kHeader));
      }
      header = false;
      continue;
    }
    if (f.size() == 1 && f[0].empty()) continue;  // a blank line (the file's last newline included)
    if (f.size() != 5) return Status::Corruption(where, fmt::format("{} columns, expected 5", f.size()));
    Row row;
    Result<Date> date = ParseDate(f[0]);
    if (!date.ok() || f[0].size() != 10) {
      return Status::Corruption(where, fmt::format("column 'date': '{}' is not a date YYYY-MM-DD", f[0]));
    }
    row.date = *date;
    if (internal::IsWeekend(row.date)) {
      return Status::Corruption(where, fmt::format("column 'date': {} is a {}; weekends are never listed",
                                                   f[0], WeekdayName(row.date)));
    }
    if (!rows.empty() && !(rows.back().date < row.date)) {
      return Status::Corruption(where, fmt::format("column 'date': {} is not after the previous row", f[0]));
    }
    if (f[1] == "closed") {
      row.entry.kind = DayKind::kClosed;
      if (!f[2].empty()) {
        return Status::Corruption(where, "column 'close_time_et': must be empty for a closed date");
      }
    } else if (f[1] == "early_close") {
      row.entry.kind = DayKind::kEarlyClose;
      int close = 0;
      // An early close before the normal 16:00 close; the day then ends 15 minutes later [App. C].
      if (!ParseHhMm(f[2], &close) || close >= 16 * 60) {
        return Status::Corruption(
            where, fmt::format("column 'close_time_et': '{}' is not a time HH:MM before 16:00", f[2]));
      }
      row.entry.end_minute = close + kEndAfterCloseMinutes;
    } else {
      return Status::Corruption(
          where, fmt::format("column 'kind': '{}' is neither 'closed' nor 'early_close'", f[1]));
    }
    if (f[3].empty()) return Status::Corruption(where, "column 'name': empty");
    if (f[4] != "confirmed" && f[4] != "rule-derived") {
      return Status::Corruption(
          where, fmt::format("column 'confidence': '{}' is neither 'confirmed' nor 'rule-derived'", f[4]));
    }
    row.entry.name = static_cast<int>(names.size());
    names.push_back(f[3]);
    rows.push_back(row);
  }
  if (header) return Status::Corruption(std::string(origin), "empty file; expected a header and rows");
  if (rows.empty()) return Status::Corruption(std::string(origin), "no rows");

  auto rep = std::make_unique<Rep>();
  rep->first_year = rows.front().date.year;
  rep->last_year = rows.back().date.year;
  // Every year has market holidays: a year without a row means missing data, not a year without closures.
  for (int y = rep->first_year, i = 0; y <= rep->last_year; ++y) {
    while (i < static_cast<int>(rows.size()) && rows[i].date.year < y) ++i;
    if (i == static_cast<int>(rows.size()) || rows[i].date.year != y) {
      return Status::Corruption(std::string(origin),
                                fmt::format("no rows for {}; every covered year needs its "
                                            "closures",
                                            y));
    }
  }
  rep->first_day = internal::DaysFromCivil(Date{rep->first_year, 1, 1});
  const int64_t end_day = internal::DaysFromCivil(Date{rep->last_year + 1, 1, 1});
  rep->days.resize(static_cast<size_t>(end_day - rep->first_day));
  for (size_t i = 0; i < rep->days.size(); ++i) {
    if (internal::IsWeekend(rep->DateAt(static_cast<int64_t>(i)))) rep->days[i].kind = DayKind::kWeekend;
  }
  for (const Row& row : rows) rep->days[rep->Index(row.date)] = row.entry;
  rep->names = std::move(names);
  return Calendar(std::move(rep));
}

Result<DayInfo> Calendar::Describe(Date date) const {
  if (!internal::IsValidDate(date)) return Status::InvalidArgument(FormatDate(date), "not a calendar date");
  int64_t i = rep_->Index(date);
  if (i < 0) return rep_->OutOfRange(FormatDate(date));
  const Entry& e = rep_->days[i];
  DayInfo info;
  info.kind = e.kind;
  if (e.name >= 0) info.name = rep_->names[e.name];
  if (rep_->Trading(i))
    info.trading_day_end = LocalDateTime{date, e.end_minute / 60, e.end_minute % 60, 0, 0};
  return info;
}

Result<bool> Calendar::IsTradingDate(Date date) const {
  Result<DayInfo> info = Describe(date);
  if (!info.ok()) return info.status();
  return info->kind == DayKind::kTrading || info->kind == DayKind::kEarlyClose;
}

Result<LocalDateTime> Calendar::EndOf(Date trading_date) const {
  Result<DayInfo> info = Describe(trading_date);
  if (!info.ok()) return info.status();
  if (info->kind == DayKind::kClosed || info->kind == DayKind::kWeekend) {
    return Status::InvalidArgument(FormatDate(trading_date), "not a CAT Trading Day");
  }
  return info->trading_day_end;
}

Result<Date> Calendar::TradingDayOf(const LocalDateTime& et) const {
  if (!internal::IsValidLocal(et)) return Status::InvalidArgument(FormatLocal(et), "not a date and time");
  int64_t i = rep_->Index(et.date);
  if (i < 0) return rep_->OutOfRange(FormatLocal(et));
  if (rep_->Trading(i)) {
    // [App. C] the day ends at exactly hh:mm:00 with no fraction of a second: that instant still belongs to
    // it.
    const Entry& e = rep_->days[i];
    const int minute = et.hour * 60 + et.minute;
    const bool after_end =
        minute > e.end_minute || (minute == e.end_minute && (et.second > 0 || et.nanos > 0));
    if (!after_end) return et.date;
  }
  for (int64_t j = i + 1; j < static_cast<int64_t>(rep_->days.size()); ++j) {
    if (rep_->Trading(j)) return rep_->DateAt(j);
  }
  return rep_->OutOfRange(FormatLocal(et) + " (its CAT Trading Day)");
}

Result<Date> Calendar::TradingDayOf(Instant utc) const {
  Result<LocalDateTime> et = ToNewYork(utc);
  if (!et.ok()) return et.status();
  return TradingDayOf(*et);
}

Result<Date> Calendar::AddTradingDays(Date trading_date, int n) const {
  Result<bool> trading = IsTradingDate(trading_date);
  if (!trading.ok()) return trading.status();
  if (!*trading) return Status::InvalidArgument(FormatDate(trading_date), "not a CAT Trading Day");
  if (n < 0) return Status::InvalidArgument(FormatDate(trading_date), "a negative number of trading days");
  int64_t i = rep_->Index(trading_date);
  while (n > 0) {
    ++i;
    if (i >= static_cast<int64_t>(rep_->days.size())) {
      return rep_->OutOfRange(fmt::format("{} + {} CAT Trading Days", FormatDate(trading_date), n));
    }
    if (rep_->Trading(i)) --n;
  }
  return rep_->DateAt(i);
}

Result<Date> Calendar::NthTradingDateOfMonth(int year, int month, int n) const {
  const std::string what = fmt::format("{:04}-{:02}", year, month);
  if (month < 1 || month > 12 || n < 1) return Status::InvalidArgument(what, "not a month, or n < 1");
  int64_t i = rep_->Index(Date{year, month, 1});
  if (i < 0) return rep_->OutOfRange(what);
  for (; i < static_cast<int64_t>(rep_->days.size()) && rep_->DateAt(i).month == month; ++i) {
    if (rep_->Trading(i) && --n == 0) return rep_->DateAt(i);
  }
  return Status::InvalidArgument(what, "the month has fewer CAT Trading Days");
}

}  // namespace caisson::calendar
