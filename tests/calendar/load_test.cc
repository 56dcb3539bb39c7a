// The market-calendar CSV reader: malformed rows are errors naming file, line and column; and the parsing and
// formatting of dates and moments.
#include <gtest/gtest.h>

#include <string>

#include "calendar/calendar.h"
#include "testutil.h"

namespace caisson::calendar {
namespace {

const std::string kHeader = "date,kind,close_time_et,name,confidence\n";

std::string LoadError(const std::string& text) {
  Result<Calendar> cal = Calendar::Parse(text, "cal.csv");
  return cal.ok() ? "OK" : cal.status().ToString();
}

TEST(CalendarLoad, AMinimalCalendar) {
  Result<Calendar> cal = Calendar::Parse(kHeader +
                                             "2026-11-26,closed,,Thanksgiving Day,confirmed\r\n"
                                             "2026-11-27,early_close,13:00,\"Day after, Thanksgiving\","
                                             "rule-derived\n",
                                         "cal.csv");
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  EXPECT_EQ(cal->first_year(), 2026);
  EXPECT_EQ(cal->last_year(), 2026);
  Result<DayInfo> info = cal->Describe({2026, 11, 27});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->kind, DayKind::kEarlyClose);
  EXPECT_EQ(info->name, "Day after, Thanksgiving");
  EXPECT_EQ(FormatLocal(info->trading_day_end), "2026-11-27T13:15:00");
  EXPECT_FALSE(cal->Describe({2025, 12, 31}).ok());
}

TEST(CalendarLoad, MalformedRowsNameFileLineAndColumn) {
  const std::string ok_row = "2026-11-26,closed,,Thanksgiving Day,confirmed\n";
  EXPECT_EQ(LoadError(""), "Corruption: cal.csv: empty file; expected a header and rows");
  EXPECT_EQ(LoadError(kHeader), "Corruption: cal.csv: no rows");
  EXPECT_EQ(LoadError("date,kind,close,name,confidence\n" + ok_row),
            "Corruption: cal.csv:1: the header must be 'date,kind,close_time_et,name,confidence'");
  EXPECT_EQ(LoadError(kHeader + "2026-11-26,closed,,Thanksgiving Day\n"),
            "Corruption: cal.csv:2: 4 columns, expected 5");
  EXPECT_EQ(LoadError(kHeader + "2026-02-30,closed,,X,confirmed\n"),
            "Corruption: cal.csv:2: column 'date': '2026-02-30' is not a date YYYY-MM-DD");
  EXPECT_EQ(LoadError(kHeader + "20261126,closed,,X,confirmed\n"),
            "Corruption: cal.csv:2: column 'date': '20261126' is not a date YYYY-MM-DD");
  EXPECT_EQ(LoadError(kHeader + "2026-11-28,closed,,X,confirmed\n"),
            "Corruption: cal.csv:2: column 'date': 2026-11-28 is a Saturday; weekends are never listed");
  EXPECT_EQ(LoadError(kHeader + ok_row + "2026-11-26,closed,,X,confirmed\n"),
            "Corruption: cal.csv:3: column 'date': 2026-11-26 is not after the previous row");
  EXPECT_EQ(LoadError(kHeader + "2026-11-26,holiday,,X,confirmed\n"),
            "Corruption: cal.csv:2: column 'kind': 'holiday' is neither 'closed' nor 'early_close'");
  EXPECT_EQ(LoadError(kHeader + "2026-11-26,closed,13:00,X,confirmed\n"),
            "Corruption: cal.csv:2: column 'close_time_et': must be empty for a closed date");
  EXPECT_EQ(LoadError(kHeader + "2026-11-27,early_close,,X,confirmed\n"),
            "Corruption: cal.csv:2: column 'close_time_et': '' is not a time HH:MM before 16:00");
  EXPECT_EQ(LoadError(kHeader + "2026-11-27,early_close,16:30,X,confirmed\n"),
            "Corruption: cal.csv:2: column 'close_time_et': '16:30' is not a time HH:MM before 16:00");
  EXPECT_EQ(LoadError(kHeader + "2026-11-27,early_close,1:00,X,confirmed\n"),
            "Corruption: cal.csv:2: column 'close_time_et': '1:00' is not a time HH:MM before 16:00");
  EXPECT_EQ(LoadError(kHeader + "2026-11-26,closed,,,confirmed\n"),
            "Corruption: cal.csv:2: column 'name': empty");
  EXPECT_EQ(
      LoadError(kHeader + "2026-11-26,closed,,X,guessed\n"),
      "Corruption: cal.csv:2: column 'confidence': 'guessed' is neither 'confirmed' nor 'rule-derived'");
  EXPECT_EQ(LoadError(kHeader + "2026-11-26,closed,,\"X,confirmed\n"),
            "Corruption: cal.csv:2: unterminated quoted field");
  EXPECT_EQ(LoadError(kHeader + "2026-11-26,closed,,X\"Y,confirmed\n"),
            "Corruption: cal.csv:2: a quote inside an unquoted field");
  EXPECT_EQ(LoadError(kHeader + "2024-12-25,closed,,X,confirmed\n" + ok_row),
            "Corruption: cal.csv: no rows for 2025; every covered year needs its closures");
}

TEST(CalendarLoad, MissingFileIsAnIOError) {
  Result<Calendar> cal = Calendar::Load(testing::TempDir() / "nope.csv");
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(cal.status().code(), Status::Code::kIOError);
}

// The shipped file is the reference copy: 60 closures and 12 early closes.
TEST(CalendarLoad, TheShippedCalendarHasEveryRow) {
  Result<Calendar> cal = Calendar::Load(testing::DataDir() / "calendar" / "market-calendar.csv");
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  int closed = 0, early = 0;
  for (int y = 2022; y <= 2027; ++y) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= 31; ++d) {
        Result<DayInfo> info = cal->Describe({y, m, d});
        if (!info.ok()) continue;  // 31 April and the like
        closed += info->kind == DayKind::kClosed;
        early += info->kind == DayKind::kEarlyClose;
      }
    }
  }
  EXPECT_EQ(closed, 60);
  EXPECT_EQ(early, 12);
}

TEST(CalendarParse, Moments) {
  Result<Moment> local = ParseMoment("2026-11-25T16:20:00");
  ASSERT_TRUE(local.ok());
  EXPECT_FALSE(local->is_utc);
  EXPECT_EQ(FormatLocal(local->et), "2026-11-25T16:20:00");
  Result<Moment> minutes = ParseMoment("2026-11-25 16:20");
  ASSERT_TRUE(minutes.ok());
  EXPECT_EQ(FormatLocal(minutes->et), "2026-11-25T16:20:00");
  Result<Moment> frac = ParseMoment("2026-11-25T16:15:00.5");
  ASSERT_TRUE(frac.ok());
  EXPECT_EQ(FormatLocal(frac->et), "2026-11-25T16:15:00.500000000");
  Result<Moment> z = ParseMoment("2026-11-25T21:20:00Z");
  ASSERT_TRUE(z.ok());
  EXPECT_TRUE(z->is_utc);
  EXPECT_EQ(FormatUtc(z->utc), "2026-11-25T21:20:00Z");
  Result<Moment> offset = ParseMoment("2026-11-25T16:20:00-05:00");
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(z->utc, offset->utc);
  Result<Moment> plus = ParseMoment("2026-11-26T05:50:00+08:30");
  ASSERT_TRUE(plus.ok());
  EXPECT_EQ(FormatUtc(plus->utc), "2026-11-25T21:20:00Z");
  Result<Moment> cais = ParseMoment("20170107 213000.123456789");  // a §2.4 Timestamp example
  ASSERT_TRUE(cais.ok());
  EXPECT_FALSE(cais->is_utc);
  EXPECT_EQ(FormatLocal(cais->et), "2017-01-07T21:30:00.123456789");
  for (const char* bad :
       {"", "2026-11-25", "2026-11-25T16", "2026-11-25T16:20:00.", "2026-11-25T16:20:00.1234567891",
        "2026-11-25T25:00:00", "2026-02-29T10:00:00", "2026-11-25T16:20:00X", "2026-11-25T16:20:00+0500",
        "20190617T0120", "20190617T000120.", "20261125T1620"}) {
    Result<Moment> m = ParseMoment(bad);
    EXPECT_FALSE(m.ok()) << bad;
    if (!m.ok()) {
      EXPECT_EQ(m.status().code(), Status::Code::kInvalidArgument) << bad;
    }
  }
  EXPECT_EQ(
      ParseMoment("2026-13-01T00:00").status().ToString(),
      "Invalid argument: '2026-13-01T00:00': not a moment: YYYY-MM-DDTHH:MM[:SS[.f]] (New York time), the "
      "same with Z or +HH:MM, or a CAIS Timestamp YYYYMMDDTHHMMSS[.f] (Eastern Time)");
}

TEST(CalendarParse, Dates) {
  EXPECT_EQ(FormatDate(ParseDate("2026-12-03").value()), "2026-12-03");
  EXPECT_EQ(FormatDate(ParseDate("20261203").value()), "2026-12-03");
  EXPECT_FALSE(ParseDate("2026-1203").ok());
  EXPECT_FALSE(ParseDate("2026-11-31").ok());
  EXPECT_EQ(WeekdayName({2026, 11, 25}), "Wednesday");
  EXPECT_EQ(FormatUtc(ToUtc({{2026, 11, 25}, 16, 20, 0, 7}).value()), "2026-11-25T21:20:00.000000007Z");
}

}  // namespace
}  // namespace caisson::calendar
