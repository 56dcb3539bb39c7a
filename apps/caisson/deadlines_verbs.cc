// `caisson deadlines`: the CAT Trading Day of a moment and the CAIS deadlines that follow from it
// (docs/calendar.md; CAIS 2.2.0 r4 §5.4, §3.8, App. C).
#include <fmt/format.h>

#include <cstdio>
#include <iterator>
#include <string>

#include "calendar/calendar.h"
#include "commands.h"

namespace caisson::app {

namespace {

using calendar::Calendar;
using calendar::Date;
using calendar::Deadline;
using calendar::LocalDateTime;

struct Out {
  std::string text;
  std::string json;  // members without braces, comma-separated

  void Line(std::string_view label, std::string_view value) {
    fmt::format_to(std::back_inserter(text), "{:<24}{}\n", label, value);
  }
  void Member(std::string_view key, std::string_view value) {
    if (!json.empty()) json += ',';
    fmt::format_to(std::back_inserter(json), "\"{}\":\"{}\"", key, value);
  }
  void Deadline(std::string_view label, std::string_view key, const calendar::Deadline& d) {
    Line(label, fmt::format("{} ET {} ({})", calendar::FormatLocal(d.et), calendar::WeekdayName(d.et.date),
                            calendar::FormatUtc(d.utc)));
    Member(std::string(key) + "_et", calendar::FormatLocal(d.et));
    Member(std::string(key) + "_utc", calendar::FormatUtc(d.utc));
  }
};

// The New York wall time and the instant of a parsed moment.
Status Resolve(const calendar::Moment& m, LocalDateTime* et, calendar::Instant* utc) {
  if (m.is_utc) {
    *utc = m.utc;
    Result<LocalDateTime> local = calendar::ToNewYork(m.utc);
    if (!local.ok()) return local.status();
    *et = *local;
  } else {
    *et = m.et;
    Result<calendar::Instant> instant = calendar::ToUtc(m.et);
    if (!instant.ok()) return instant.status();
    *utc = *instant;
  }
  return Status::OK();
}

Result<Date> TradingDay(const Calendar& cal, std::string_view option, const std::string& text, Out* out,
                        std::string_view key) {
  Result<calendar::Moment> m = calendar::ParseMoment(text);
  if (!m.ok()) return Status::InvalidArgument(option, m.status().message());
  LocalDateTime et;
  calendar::Instant utc;
  CAISSON_RETURN_IF_ERROR(Resolve(*m, &et, &utc));
  Result<Date> t = cal.TradingDayOf(et);
  if (!t.ok()) return t.status();
  Result<LocalDateTime> end = cal.EndOf(*t);
  if (!end.ok()) return end.status();
  out->Line(key == "received" ? "received" : "identified",
            fmt::format("{} ET ({})", calendar::FormatLocal(et), calendar::FormatUtc(utc)));
  out->Line(key == "received" ? "CAT Trading Day (T)" : "CAT Trading Day",
            fmt::format("{} {}, ends {:02}:{:02}:00 ET", calendar::FormatDate(*t), calendar::WeekdayName(*t),
                        end->hour, end->minute));
  out->Member(std::string(key) + "_et", calendar::FormatLocal(et));
  out->Member(std::string(key) + "_utc", calendar::FormatUtc(utc));
  out->Member(std::string(key) + "_trading_day", calendar::FormatDate(*t));
  out->Member(std::string(key) + "_trading_day_end_et", calendar::FormatLocal(*end));
  return t;
}

Status Compute(const Calendar& cal, const DeadlinesArgs& args, Out* out) {
  if (!args.received.empty()) {
    Result<Date> t = TradingDay(cal, "--received", args.received, out, "received");
    if (!t.ok()) return t.status();
    Result<Deadline> report = calendar::ReportDue(cal, *t);
    if (!report.ok()) return report.status();
    out->Deadline("report due (T+1)", "report_due", *report);
    Result<Deadline> repair = calendar::RepairDue(cal, *t);
    if (!repair.ok()) return repair.status();
    out->Deadline("repair due (T+3)", "repair_due", *repair);
  }
  if (!args.identified.empty()) {
    Result<Date> day = TradingDay(cal, "--identified", args.identified, out, "identified");
    if (!day.ok()) return day.status();
    Result<Deadline> due = calendar::InconsistencyDue(cal, *day);
    if (!due.ok()) return due.status();
    out->Deadline("inconsistency due", "inconsistency_due", *due);
  }
  if (!args.inconsistency_deadline.empty()) {
    // [Table 23] inconsistencyDeadline is a CAIS Timestamp (Eastern Time); it is shown, not recomputed.
    Result<calendar::Moment> m = calendar::ParseMoment(args.inconsistency_deadline);
    if (!m.ok()) return Status::InvalidArgument("--inconsistency-deadline", m.status().message());
    Deadline d;
    CAISSON_RETURN_IF_ERROR(Resolve(*m, &d.et, &d.utc));
    out->Deadline("inconsistency deadline", "inconsistency_deadline", d);
  }
  if (!args.refresh_report.empty()) {
    Result<Date> month = calendar::ParseDate(args.refresh_report + "-01");
    if (args.refresh_report.size() != 7 || !month.ok()) {
      return Status::InvalidArgument("--refresh-report",
                                     fmt::format("'{}' is not a month YYYY-MM", args.refresh_report));
    }
    Result<Deadline> due = calendar::RefreshReportDue(cal, month->year, month->month);
    if (!due.ok()) return due.status();
    out->Deadline("FDID Refresh Report", "refresh_report", *due);
  }
  return Status::OK();
}

}  // namespace

int RunDeadlines(const Common& common, const DeadlinesArgs& args) {
  if (args.received.empty() && args.identified.empty() && args.inconsistency_deadline.empty() &&
      args.refresh_report.empty()) {
    return Fail(Status::InvalidArgument(
        "deadlines", "give --received, --identified, --inconsistency-deadline or --refresh-report"));
  }
  Result<Calendar> cal = Calendar::Load(DataDir() / "calendar" / "market-calendar.csv");
  if (!cal.ok()) return Fail(cal.status());
  Out out;
  Status s = Compute(*cal, args, &out);
  if (!s.ok()) return Fail(s);
  if (common.json) {
    std::printf("{%s}\n", out.json.c_str());
  } else {
    std::fwrite(out.text.data(), 1, out.text.size(), stdout);
  }
  return 0;
}

}  // namespace caisson::app
