// `caisson deadlines` through the real binary: text and JSON answers, and exit 2 with a message for a bad
// moment or one outside the market calendar.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "cli_util.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

// Received Wed 2026-11-25 after 16:15; Thu is Thanksgiving, so T is the early-close Friday (Table 15's
// "Wednesday ... Thursday, Friday is half day" setting, after the end of the Wednesday).
TEST(DeadlinesCli, ReceivedGivesTheTradingDayAndDeadlines) {
  std::filesystem::path dir = TempDir();
  RunResult r = RunCaisson("deadlines --received 2026-11-25T16:20:00", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "received                2026-11-25T16:20:00 ET (2026-11-25T21:20:00Z)\n"
            "CAT Trading Day (T)     2026-11-27 Friday, ends 13:15:00 ET\n"
            "report due (T+1)        2026-11-30T08:00:00 ET Monday (2026-11-30T13:00:00Z)\n"
            "repair due (T+3)        2026-12-02T17:00:00 ET Wednesday (2026-12-02T22:00:00Z)\n");
  EXPECT_EQ(r.err, "");
}

TEST(DeadlinesCli, JsonAndUtcInput) {
  std::filesystem::path dir = TempDir();
  RunResult r = RunCaisson("deadlines --received 2026-11-24T21:15:00Z --format json", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"received_et\":\"2026-11-24T16:15:00\",\"received_utc\":\"2026-11-24T21:15:00Z\","
            "\"received_trading_day\":\"2026-11-24\",\"received_trading_day_end_et\":\"2026-11-24T16:15:00\","
            "\"report_due_et\":\"2026-11-25T08:00:00\",\"report_due_utc\":\"2026-11-25T13:00:00Z\","
            "\"repair_due_et\":\"2026-11-30T17:00:00\",\"repair_due_utc\":\"2026-11-30T22:00:00Z\"}\n");
}

TEST(DeadlinesCli, RefreshReportAndInconsistency) {
  std::filesystem::path dir = TempDir();
  RunResult r = RunCaisson("deadlines --refresh-report 2026-12", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "FDID Refresh Report     2026-12-03T17:00:00 ET Thursday (2026-12-03T22:00:00Z)\n");
  // §6.4.3's example row: identified 2024-04-01 14:00, deadline 2024-04-03 17:00.
  RunResult i = RunCaisson(
      "deadlines --identified 20240401T140000.00000000 --inconsistency-deadline 20240403T170000.00000000 "
      "--format json",
      dir);
  EXPECT_EQ(i.exit_code, 0) << i.err;
  EXPECT_EQ(i.out,
            "{\"identified_et\":\"2024-04-01T14:00:00\",\"identified_utc\":\"2024-04-01T18:00:00Z\","
            "\"identified_trading_day\":\"2024-04-01\",\"identified_trading_day_end_et\":\"2024-04-01T16:15:00\","
            "\"inconsistency_due_et\":\"2024-04-03T17:00:00\",\"inconsistency_due_utc\":\"2024-04-03T21:00:00Z\","
            "\"inconsistency_deadline_et\":\"2024-04-03T17:00:00\","
            "\"inconsistency_deadline_utc\":\"2024-04-03T21:00:00Z\"}\n");
}

TEST(DeadlinesCli, BadOrUncoveredMomentsExitTwo) {
  std::filesystem::path dir = TempDir();
  RunResult bad = RunCaisson("deadlines --received 2026-11-31T10:00", dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(bad.err,
            "caisson: Invalid argument: --received: '2026-11-31T10:00': not a moment: YYYY-MM-DDTHH:MM[:SS[.f]] "
            "(New York time), the same with Z or +HH:MM, or a CAIS Timestamp YYYYMMDDTHHMMSS[.f] (Eastern "
            "Time)\n");
  RunResult outside = RunCaisson("deadlines --received 2028-01-03T10:00", dir);
  EXPECT_EQ(outside.exit_code, 2);
  EXPECT_EQ(outside.err,
            "caisson: Invalid argument: 2028-01-03T10:00:00: outside the market calendar, which covers "
            "2022-2027 (data/calendar/market-calendar.csv)\n");
  // T is the last covered trading date, but T+1 is not covered: no guess.
  RunResult edge = RunCaisson("deadlines --received 2027-12-31T15:00", dir);
  EXPECT_EQ(edge.exit_code, 2);
  EXPECT_EQ(edge.err,
            "caisson: Invalid argument: 2027-12-31 + 1 CAT Trading Days: outside the market calendar, which "
            "covers 2022-2027 (data/calendar/market-calendar.csv)\n");
  RunResult gap = RunCaisson("deadlines --received 2026-03-08T02:30", dir);
  EXPECT_EQ(gap.exit_code, 2);
  EXPECT_EQ(gap.err,
            "caisson: Invalid argument: 2026-03-08T02:30:00: does not exist in New York (skipped by the change "
            "to EDT)\n");
  EXPECT_EQ(RunCaisson("deadlines --refresh-report 2026-1", dir).exit_code, 2);
  RunResult none = RunCaisson("deadlines", dir);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err,
            "caisson: Invalid argument: deadlines: give --received, --identified, --inconsistency-deadline or "
            "--refresh-report\n");
  EXPECT_EQ(RunCaisson("deadlines --bogus", dir).exit_code, 2);
}

TEST(DeadlinesCli, AMissingCalendarIsAnError) {
  std::filesystem::path dir = TempDir();
  // The child inherits the variable; DataDir() then points at an empty folder.
  ASSERT_EQ(setenv("CAISSON_DATA_DIR", dir.string().c_str(), 1), 0);
  RunResult r = RunCaisson("deadlines --received 2026-11-25T10:00", dir);
  unsetenv("CAISSON_DATA_DIR");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "caisson: IO error: " + (dir / "calendar" / "market-calendar.csv").string() +
                       ": cannot open the market calendar\n");
}

}  // namespace
}  // namespace caisson::testing
