// Every row of the spec's Table 15 (error repair deadlines) and Table 16 (inconsistencies) [CAIS 2.2.0 r4
// §5.4.2-5.4.3], placed on concrete 2026 dates whose weekdays and holidays match the row's cells.
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "calendar/calendar.h"
#include "testutil.h"

namespace caisson::calendar {

// Readable failures for every test of this executable (GoogleTest finds PrintTo by ADL).
void PrintTo(const LocalDateTime& et, std::ostream* os) { *os << FormatLocal(et); }
void PrintTo(const Date& d, std::ostream* os) { *os << FormatDate(d); }

namespace {

Calendar LoadShipped() {
  Result<Calendar> cal = Calendar::Load(testing::DataDir() / "calendar" / "market-calendar.csv");
  EXPECT_TRUE(cal.ok()) << cal.status().ToString();
  return std::move(cal.value());
}

LocalDateTime At(Date d, int h, int m) { return LocalDateTime{d, h, m, 0, 0}; }

Date NextDate(Date d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  const int last = kDays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  if (d.day < last) return Date{d.year, d.month, d.day + 1};
  return d.month == 12 ? Date{d.year + 1, 1, 1} : Date{d.year, d.month + 1, 1};
}

struct Row {
  const char* cells;       // the row's cells, abbreviated: received | holiday | T+1 | T+3
  LocalDateTime received;  // New York time
  const char* received_weekday;
  std::vector<Date> holidays;  // closed dates of the "Holiday" cell (empty for N/A)
  Date half_day;               // an early-close date of the "Holiday" cell, or {}
  Date report_due;             // 08:00 ET
  const char* report_weekday;
  Date repair_due;  // 17:00 ET
  const char* repair_weekday;
};

const std::vector<Row>& Rows() {
  static const std::vector<Row> rows = {
      {"Mon 2:20pm | N/A | Tue 8am | Thu 5pm", At({2026, 10, 19}, 14, 20), "Monday", {}, {},
       {2026, 10, 20}, "Tuesday", {2026, 10, 22}, "Thursday"},
      {"Mon 11:40pm | N/A | Wed 8am | Fri 5pm", At({2026, 10, 19}, 23, 40), "Monday", {}, {},
       {2026, 10, 21}, "Wednesday", {2026, 10, 23}, "Friday"},
      {"Fri 11:00am | N/A | Mon 8am | Wed 5pm", At({2026, 10, 23}, 11, 0), "Friday", {}, {},
       {2026, 10, 26}, "Monday", {2026, 10, 28}, "Wednesday"},
      {"Fri 4:02pm | N/A | Mon 8am | Wed 5pm", At({2026, 10, 23}, 16, 2), "Friday", {}, {},
       {2026, 10, 26}, "Monday", {2026, 10, 28}, "Wednesday"},
      // Martin Luther King, Jr. Day, Monday 2026-01-19.
      {"Fri 4:02pm | next Monday | Tue 8am | Thu 5pm", At({2026, 1, 16}, 16, 2), "Friday", {{2026, 1, 19}},
       {},
       {2026, 1, 20}, "Tuesday", {2026, 1, 22}, "Thursday"},
      // Thanksgiving 2026-11-26, early close 2026-11-27.
      {"Wed 3:00pm | Thu, Fri half day | Fri 8am | Tue 5pm", At({2026, 11, 25}, 15, 0), "Wednesday",
       {{2026, 11, 26}}, {2026, 11, 27}, {2026, 11, 27}, "Friday", {2026, 12, 1}, "Tuesday"},
      {"Sat 11:15am | N/A | Tue 8am | Thu 5pm", At({2026, 10, 24}, 11, 15), "Saturday", {}, {},
       {2026, 10, 27}, "Tuesday", {2026, 10, 29}, "Thursday"},
      // Labor Day, Monday 2026-09-07.
      {"Sat 11:15am | next Monday | Wed 8am | Fri 5pm", At({2026, 9, 5}, 11, 15), "Saturday", {{2026, 9, 7}},
       {},
       {2026, 9, 9}, "Wednesday", {2026, 9, 11}, "Friday"},
      {"Mon 10:00am (holiday) | on event date | Wed 8am | Fri 5pm", At({2026, 9, 7}, 10, 0), "Monday",
       {{2026, 9, 7}}, {}, {2026, 9, 9}, "Wednesday", {2026, 9, 11}, "Friday"},
  };
  return rows;
}

// The row's dates really have the weekdays and holidays its cells name, and no other closure or early close
// lies between receipt and the repair deadline (so "N/A" holds).
void CheckRowSetting(const Calendar& cal, const Row& row) {
  EXPECT_EQ(WeekdayName(row.received.date), row.received_weekday);
  EXPECT_EQ(WeekdayName(row.report_due), row.report_weekday);
  EXPECT_EQ(WeekdayName(row.repair_due), row.repair_weekday);
  for (Date d = row.received.date; d <= row.repair_due;) {
    Result<DayInfo> info = cal.Describe(d);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    bool listed_closed = false;
    for (Date h : row.holidays) listed_closed |= (h == d);
    if (listed_closed) {
      EXPECT_EQ(info->kind, DayKind::kClosed) << FormatDate(d);
    } else if (d == row.half_day) {
      EXPECT_EQ(info->kind, DayKind::kEarlyClose) << FormatDate(d);
    } else {
      EXPECT_TRUE(info->kind == DayKind::kTrading || info->kind == DayKind::kWeekend) << FormatDate(d);
    }
    d = NextDate(d);
  }
}

TEST(Table15, EveryRowGivesTheReportAndRepairDeadlines) {
  Calendar cal = LoadShipped();
  for (const Row& row : Rows()) {
    SCOPED_TRACE(row.cells);
    CheckRowSetting(cal, row);
    Result<Date> t = cal.TradingDayOf(row.received);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    Result<Deadline> report = ReportDue(cal, *t);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->et, (LocalDateTime{row.report_due, 8, 0, 0, 0})) << FormatLocal(report->et);
    Result<Deadline> repair = RepairDue(cal, *t);
    ASSERT_TRUE(repair.ok()) << repair.status().ToString();
    EXPECT_EQ(repair->et, (LocalDateTime{row.repair_due, 17, 0, 0, 0})) << FormatLocal(repair->et);
  }
}

// Table 16 has the same rows; its last column is the inconsistency resolution deadline. Data received on T
// is submitted by 08:00 on T+1 and so takes part in that day's scan [§6.4.1 r6]; the window of three CAT
// Trading Days begins on the day of identification [§6.4.1 r7; §5.4.3].
TEST(Table16, EveryRowGivesTheInconsistencyDeadline) {
  Calendar cal = LoadShipped();
  for (const Row& row : Rows()) {
    SCOPED_TRACE(row.cells);
    Result<Date> t = cal.TradingDayOf(row.received);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    Result<Deadline> report = ReportDue(cal, *t);
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->et, (LocalDateTime{row.report_due, 8, 0, 0, 0}));
    // Submitted at the T+1 08:00 deadline itself: identified that CAT Trading Day.
    Result<Date> identified = cal.TradingDayOf(report->et);
    ASSERT_TRUE(identified.ok());
    EXPECT_EQ(*identified, row.report_due);
    Result<Deadline> due = InconsistencyDue(cal, *identified);
    ASSERT_TRUE(due.ok()) << due.status().ToString();
    EXPECT_EQ(due->et, (LocalDateTime{row.repair_due, 17, 0, 0, 0})) << FormatLocal(due->et);
  }
}

// §6.4.3's data example: identificationDate 20240401T140000.00000000, inconsistencyDeadline
// 20240403T170000.00000000.
TEST(Table16, TheSpecExampleInconsistencyDeadline) {
  Calendar cal = LoadShipped();
  Result<Moment> identified = ParseMoment("20240401T140000.00000000");
  ASSERT_TRUE(identified.ok()) << identified.status().ToString();
  ASSERT_FALSE(identified->is_utc);
  Result<Date> day = cal.TradingDayOf(identified->et);
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(*day, (Date{2024, 4, 1}));
  Result<Deadline> due = InconsistencyDue(cal, *day);
  ASSERT_TRUE(due.ok());
  Result<Moment> given = ParseMoment("20240403T170000.00000000");
  ASSERT_TRUE(given.ok());
  EXPECT_EQ(due->et, given->et);
  EXPECT_EQ(FormatUtc(due->utc), "2024-04-03T21:00:00Z");  // EDT
}

// A repair rejected again keeps the deadline of the original receipt: the deadline depends only on T.
TEST(Table15, ARepairRejectedAgainKeepsTheOriginalDeadline) {
  Calendar cal = LoadShipped();
  Result<Date> t = cal.TradingDayOf(At({2026, 10, 19}, 14, 20));
  ASSERT_TRUE(t.ok());
  Result<Deadline> first = RepairDue(cal, *t);
  Result<Deadline> again = RepairDue(cal, *t);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->utc, again->utc);
  EXPECT_EQ(FormatUtc(first->utc), "2026-10-22T21:00:00Z");
}

}  // namespace
}  // namespace caisson::calendar
