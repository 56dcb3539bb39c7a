// CAT Trading Day boundaries [App. C "CAT Trading Day"; §5.4.1]: the 16:15:00 end, early closes, holidays,
// weekends, both DST changes of 2026, the 2026->2027 year end and the edges of the covered years.
#include "calendar/calendar.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "testutil.h"

namespace caisson::calendar {
namespace {

const Calendar& Shipped() {
  static const Calendar* cal = [] {
    Result<Calendar> c = Calendar::Load(testing::DataDir() / "calendar" / "market-calendar.csv");
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return new Calendar(std::move(c.value()));
  }();
  return *cal;
}

std::string Day(const LocalDateTime& et) {
  Result<Date> d = Shipped().TradingDayOf(et);
  return d.ok() ? FormatDate(*d) : d.status().ToString();
}
std::string DayUtc(std::string_view text) {
  Result<Moment> m = ParseMoment(text);
  if (!m.ok()) return m.status().ToString();
  EXPECT_TRUE(m->is_utc);
  Result<Date> d = Shipped().TradingDayOf(m->utc);
  return d.ok() ? FormatDate(*d) : d.status().ToString();
}
std::string Report(Date t) {
  Result<Deadline> d = ReportDue(Shipped(), t);
  return d.ok() ? FormatLocal(d->et) + " " + FormatUtc(d->utc) : d.status().ToString();
}
std::string Repair(Date t) {
  Result<Deadline> d = RepairDue(Shipped(), t);
  return d.ok() ? FormatLocal(d->et) + " " + FormatUtc(d->utc) : d.status().ToString();
}

TEST(Calendar, CoversTheYearsOfItsRows) {
  EXPECT_EQ(Shipped().first_year(), 2022);
  EXPECT_EQ(Shipped().last_year(), 2027);
}

// market-calendar.md's per-year counts (weekdays minus full-day closures).
TEST(Calendar, TradingDaysPerYear) {
  const int expected[] = {251, 250, 252, 250, 251, 251};
  for (int y = 2022; y <= 2027; ++y) {
    int n = 0;
    for (int m = 1; m <= 12; ++m) {
      for (int k = 1;; ++k) {
        if (!Shipped().NthTradingDateOfMonth(y, m, k).ok()) break;
        ++n;
      }
    }
    EXPECT_EQ(n, expected[y - 2022]) << y;
  }
}

// Property, in a seeded loop: the CAT Trading Day of any instant is a trading date whose end is at or after
// the instant, and the end of the trading date before it is strictly before the instant.
TEST(Calendar, EveryInstantLiesInTheWindowOfItsTradingDay) {
  const unsigned seed = testing::RandomSeed();
  std::mt19937_64 rng(seed);
  const Instant from = ToUtc({{2022, 1, 4}, 0, 0, 0, 0}).value();
  const Instant to = ToUtc({{2027, 12, 31}, 16, 15, 0, 0}).value();
  std::uniform_int_distribution<int64_t> pick(0, (to - from).count());
  for (int i = 0; i < 2000; ++i) {
    const Instant at = from + std::chrono::nanoseconds{pick(rng)};
    SCOPED_TRACE(FormatUtc(at) + " seed " + std::to_string(seed));
    Result<Date> t = Shipped().TradingDayOf(at);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ASSERT_TRUE(Shipped().IsTradingDate(*t).value());
    const Instant end = ToUtc(Shipped().EndOf(*t).value()).value();
    EXPECT_LE(at, end);
    // The previous trading date: walk back a day at a time (at most the 4 days of a long weekend).
    Date p = *t;
    for (int back = 0; back < 7; ++back) {
      p = p.day > 1 ? Date{p.year, p.month, p.day - 1}
                    : (p.month > 1 ? Date{p.year, p.month - 1, 31} : Date{p.year - 1, 12, 31});
      while (!ParseDate(FormatDate(p)).ok()) --p.day;  // 31 April -> 30 April, 31 Feb -> 28/29 Feb
      if (Shipped().IsTradingDate(p).value()) break;
    }
    const Instant prev_end = ToUtc(Shipped().EndOf(p).value()).value();
    EXPECT_LT(prev_end, at) << FormatDate(p);
  }
}

TEST(Calendar, TheDayEndsAtExactly161500) {
  EXPECT_EQ(Day({{2026, 11, 24}, 16, 14, 59, 999999999}), "2026-11-24");
  EXPECT_EQ(Day({{2026, 11, 24}, 16, 15, 0, 0}), "2026-11-24");
  EXPECT_EQ(Day({{2026, 11, 24}, 16, 15, 0, 1}), "2026-11-25");  // no fraction of a second after 16:15:00
  EXPECT_EQ(Day({{2026, 11, 24}, 16, 15, 1, 0}), "2026-11-25");
  EXPECT_EQ(Day({{2026, 11, 24}, 0, 0, 0, 0}), "2026-11-24");
  EXPECT_EQ(Day({{2026, 11, 23}, 23, 59, 59, 0}), "2026-11-24");
  // The same boundary given in UTC, in EST (UTC-5) and in EDT (UTC-4).
  EXPECT_EQ(DayUtc("2026-11-24T21:15:00Z"), "2026-11-24");
  EXPECT_EQ(DayUtc("2026-11-24T21:15:01Z"), "2026-11-25");
  EXPECT_EQ(DayUtc("2026-07-01T20:15:00Z"), "2026-07-01");
  EXPECT_EQ(DayUtc("2026-07-01T20:15:01Z"), "2026-07-02");
  EXPECT_EQ(DayUtc("2026-07-01T16:15:00-04:00"), "2026-07-01");
  Result<LocalDateTime> end = Shipped().EndOf({2026, 11, 24});
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(FormatLocal(*end), "2026-11-24T16:15:00");
}

TEST(Calendar, AnEarlyCloseDayEndsAt1315) {
  Result<LocalDateTime> end = Shipped().EndOf({2026, 11, 27});
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(FormatLocal(*end), "2026-11-27T13:15:00");
  EXPECT_EQ(Day({{2026, 11, 27}, 13, 15, 0, 0}), "2026-11-27");
  EXPECT_EQ(Day({{2026, 11, 27}, 13, 15, 1, 0}), "2026-11-30");
  // market-calendar.md worked checks: 2025-11-28 13:10 and 13:30.
  EXPECT_EQ(Day({{2025, 11, 28}, 13, 10, 0, 0}), "2025-11-28");
  EXPECT_EQ(Report({2025, 11, 28}), "2025-12-01T08:00:00 2025-12-01T13:00:00Z");
  EXPECT_EQ(Day({{2025, 11, 28}, 13, 30, 0, 0}), "2025-12-01");
  EXPECT_EQ(Report({2025, 12, 1}), "2025-12-02T08:00:00 2025-12-02T13:00:00Z");
  // An early-close day counts as a whole day: Christmas Eve 2026 then Christmas.
  EXPECT_EQ(Day({{2026, 12, 24}, 13, 20, 0, 0}), "2026-12-28");
  Result<DayInfo> info = Shipped().Describe({2026, 12, 24});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->kind, DayKind::kEarlyClose);
  EXPECT_EQ(info->name, "Christmas Eve");
}

TEST(Calendar, AHolidayRollsForward) {
  EXPECT_EQ(Day({{2026, 12, 25}, 10, 0, 0, 0}), "2026-12-28");
  EXPECT_EQ(Day({{2026, 12, 24}, 17, 0, 0, 0}), "2026-12-28");
  Result<bool> trading = Shipped().IsTradingDate({2026, 12, 25});
  ASSERT_TRUE(trading.ok());
  EXPECT_FALSE(*trading);
  // The one-off closure of 2025-01-09 (market-calendar.md worked check).
  EXPECT_EQ(Day({{2025, 1, 8}, 17, 0, 0, 0}), "2025-01-10");
  EXPECT_EQ(Report({2025, 1, 10}), "2025-01-13T08:00:00 2025-01-13T13:00:00Z");
  // A federal closure is not a market closure: 2025-12-26 was a full day.
  EXPECT_EQ(Day({{2025, 12, 26}, 10, 0, 0, 0}), "2025-12-26");
  EXPECT_EQ(Report({2025, 12, 26}), "2025-12-29T08:00:00 2025-12-29T13:00:00Z");
  // Thu 2026-07-02 is a full day (no early close) and Fri 07-03 is closed.
  EXPECT_EQ(FormatLocal(Shipped().EndOf({2026, 7, 2}).value()), "2026-07-02T16:15:00");
  EXPECT_EQ(Report({2026, 7, 2}), "2026-07-06T08:00:00 2026-07-06T12:00:00Z");
  Result<LocalDateTime> closed_end = Shipped().EndOf({2026, 7, 3});
  ASSERT_FALSE(closed_end.ok());
  EXPECT_EQ(closed_end.status().ToString(), "Invalid argument: 2026-07-03: not a CAT Trading Day");
}

TEST(Calendar, AWeekendRollsForward) {
  EXPECT_EQ(Day({{2026, 11, 21}, 12, 0, 0, 0}), "2026-11-23");   // Saturday
  EXPECT_EQ(Day({{2026, 11, 22}, 23, 0, 0, 0}), "2026-11-23");   // Sunday
  EXPECT_EQ(Day({{2026, 11, 20}, 16, 15, 1, 0}), "2026-11-23");  // Friday after the end
  Result<DayInfo> info = Shipped().Describe({2026, 11, 21});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->kind, DayKind::kWeekend);
}

// 2026: EDT begins Sun 03-08 02:00 EST, EST returns Sun 11-01 02:00 EDT. 08:00 ET is 13:00Z in EST, 12:00Z in
// EDT.
TEST(Calendar, DeadlinesAcrossBothDstChangesOf2026) {
  EXPECT_EQ(Report({2026, 3, 5}), "2026-03-06T08:00:00 2026-03-06T13:00:00Z");
  EXPECT_EQ(Report({2026, 3, 6}), "2026-03-09T08:00:00 2026-03-09T12:00:00Z");
  EXPECT_EQ(Repair({2026, 3, 5}), "2026-03-10T17:00:00 2026-03-10T21:00:00Z");
  EXPECT_EQ(Report({2026, 10, 29}), "2026-10-30T08:00:00 2026-10-30T12:00:00Z");
  EXPECT_EQ(Report({2026, 10, 30}), "2026-11-02T08:00:00 2026-11-02T13:00:00Z");
  EXPECT_EQ(Repair({2026, 10, 29}), "2026-11-03T17:00:00 2026-11-03T22:00:00Z");
  // The 16:15 end in UTC moves with the clocks: 21:15Z on Fri 03-06, 20:15Z on Mon 03-09.
  EXPECT_EQ(DayUtc("2026-03-06T21:15:00Z"), "2026-03-06");
  EXPECT_EQ(DayUtc("2026-03-09T20:15:01Z"), "2026-03-10");
  // Receipts on the change days themselves (Sundays) belong to the Monday.
  EXPECT_EQ(DayUtc("2026-03-08T07:30:00Z"), "2026-03-09");
  EXPECT_EQ(DayUtc("2026-11-01T05:30:00Z"), "2026-11-02");
}

TEST(Calendar, WallTimesAroundTheDstChanges) {
  Result<Instant> gap = ToUtc({{2026, 3, 8}, 2, 30, 0, 0});
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(
      gap.status().ToString(),
      "Invalid argument: 2026-03-08T02:30:00: does not exist in New York (skipped by the change to EDT)");
  Result<Instant> repeated = ToUtc({{2026, 11, 1}, 1, 30, 0, 0});
  ASSERT_TRUE(repeated.ok());
  EXPECT_EQ(FormatUtc(*repeated), "2026-11-01T05:30:00Z");  // the earlier (EDT) reading
  Result<LocalDateTime> back = ToNewYork(*repeated + std::chrono::hours{1});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(FormatLocal(*back), "2026-11-01T01:30:00");  // the later (EST) reading
}

TEST(Calendar, YearEnd2026To2027) {
  // Thu 2026-12-31 is a full day; Fri 2027-01-01 is New Year's Day.
  EXPECT_EQ(Day({{2026, 12, 31}, 16, 15, 0, 0}), "2026-12-31");
  EXPECT_EQ(Day({{2026, 12, 31}, 17, 0, 0, 0}), "2027-01-04");
  EXPECT_EQ(Report({2026, 12, 31}), "2027-01-04T08:00:00 2027-01-04T13:00:00Z");
  EXPECT_EQ(Repair({2026, 12, 31}), "2027-01-06T17:00:00 2027-01-06T22:00:00Z");
  EXPECT_EQ(Report({2027, 1, 4}), "2027-01-05T08:00:00 2027-01-05T13:00:00Z");
  EXPECT_EQ(Repair({2027, 1, 4}), "2027-01-07T17:00:00 2027-01-07T22:00:00Z");
  Result<Date> d = Shipped().AddTradingDays({2026, 12, 30}, 3);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(FormatDate(*d), "2027-01-05");
}

TEST(Calendar, OutsideTheCoveredYearsIsAnError) {
  const std::string range =
      "outside the market calendar, which covers 2022-2027 (data/calendar/market-calendar.csv)";
  EXPECT_EQ(Day({{2021, 12, 31}, 10, 0, 0, 0}), "Invalid argument: 2021-12-31T10:00:00: " + range);
  EXPECT_EQ(Day({{2028, 1, 3}, 10, 0, 0, 0}), "Invalid argument: 2028-01-03T10:00:00: " + range);
  // The last covered trading date is known, but its T+1 lies in 2028, which the data does not cover.
  EXPECT_EQ(Day({{2027, 12, 31}, 15, 0, 0, 0}), "2027-12-31");
  EXPECT_EQ(Report({2027, 12, 31}), "Invalid argument: 2027-12-31 + 1 CAT Trading Days: " + range);
  EXPECT_EQ(Day({{2027, 12, 31}, 16, 15, 1, 0}),
            "Invalid argument: 2027-12-31T16:15:01 (its CAT Trading Day): " + range);
  // The first covered days: 2022-01-01 is a Saturday (New Year's Day not observed), so 01-03 is T.
  EXPECT_EQ(Day({{2022, 1, 1}, 9, 0, 0, 0}), "2022-01-03");
  Result<bool> before = Shipped().IsTradingDate({2021, 12, 31});
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().code(), Status::Code::kInvalidArgument);
  Result<Date> month = Shipped().NthTradingDateOfMonth(2028, 1, 3);
  ASSERT_FALSE(month.ok());
  EXPECT_EQ(month.status().ToString(), "Invalid argument: 2028-01: " + range);
}

TEST(Calendar, ImpossibleQueriesAreErrors) {
  EXPECT_EQ(Day({{2026, 2, 29}, 10, 0, 0, 0}), "Invalid argument: 2026-02-29T10:00:00: not a date and time");
  EXPECT_EQ(Day({{2026, 2, 27}, 24, 0, 0, 0}), "Invalid argument: 2026-02-27T24:00:00: not a date and time");
  Result<Date> weekend = Shipped().AddTradingDays({2026, 11, 21}, 1);
  ASSERT_FALSE(weekend.ok());
  EXPECT_EQ(weekend.status().ToString(), "Invalid argument: 2026-11-21: not a CAT Trading Day");
  Result<Date> negative = Shipped().AddTradingDays({2026, 11, 20}, -1);
  ASSERT_FALSE(negative.ok());
  Result<Date> sixth = Shipped().NthTradingDateOfMonth(2026, 13, 1);
  ASSERT_FALSE(sixth.ok());
  Result<Date> too_many = Shipped().NthTradingDateOfMonth(2026, 11, 21);  // November 2026 has 20
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().ToString(), "Invalid argument: 2026-11: the month has fewer CAT Trading Days");
  Result<Date> twentieth = Shipped().NthTradingDateOfMonth(2026, 11, 20);
  ASSERT_TRUE(twentieth.ok());
  EXPECT_EQ(FormatDate(*twentieth), "2026-11-30");
}

// [§3.8] the report is available by 17:00 ET on the third CAT Trading Day of the month. The spec's example
// report is dated 20250403, the third trading date of April 2025.
TEST(Calendar, RefreshReportDate) {
  auto due = [](int y, int m) {
    Result<Deadline> d = RefreshReportDue(Shipped(), y, m);
    return d.ok() ? FormatLocal(d->et) : d.status().ToString();
  };
  EXPECT_EQ(due(2025, 4), "2025-04-03T17:00:00");
  EXPECT_EQ(due(2026, 12), "2026-12-03T17:00:00");
  EXPECT_EQ(due(2026, 1), "2026-01-06T17:00:00");  // 01-01 closed, 01-02 Fri, 01-05 Mon, 01-06 Tue
  EXPECT_EQ(due(2026, 7), "2026-07-06T17:00:00");  // 07-03 closed, then a weekend
  EXPECT_EQ(due(2027, 1), "2027-01-06T17:00:00");  // 01-01 closed
  EXPECT_EQ(due(2028, 1),
            "Invalid argument: 2028-01: outside the market calendar, which covers 2022-2027 "
            "(data/calendar/market-calendar.csv)");
}

}  // namespace
}  // namespace caisson::calendar
