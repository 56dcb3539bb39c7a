// `caisson report-card`: the local estimate of the compliance error rate (src/reportcard).
#include <cstdio>
#include <string>

#include "calendar/calendar.h"
#include "commands.h"
#include "config/config.h"
#include "reportcard/reportcard.h"
#include "setup.h"
#include "state_use.h"

namespace caisson::app {

namespace {

Result<int32_t> DateOption(const char* option, const std::string& text) {
  if (text.empty()) return 0;
  const int32_t d = config::ParseDate(text);
  if (d < 0) return Status::InvalidArgument(option, "not a date YYYY-MM-DD or YYYYMMDD");
  return d;
}

}  // namespace

int RunReportCard(const Common& common, const ReportCardArgs& args) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  const std::filesystem::path formula_path =
      args.formula.empty() ? DataDir() / "reportcard" / "estimate.json" : args.formula;
  Result<reportcard::Formula> formula = reportcard::LoadFormula(formula_path);
  if (!formula.ok()) return Fail(formula.status());
  if (args.threshold >= 0) formula->threshold = args.threshold;
  reportcard::Options options;
  Result<int32_t> from = DateOption("--from", args.from), to = DateOption("--to", args.to);
  if (!from.ok()) return Fail(from.status());
  if (!to.ok()) return Fail(to.status());
  options.from = *from;
  options.to = *to;
  Result<int64_t> now = NowUnix(args.now, "--now");
  if (!now.ok()) return Fail(now.status());
  options.now_unix = *now;
  Result<std::unique_ptr<state::Store>> store = OpenStore(setup->config, false);
  if (!store.ok()) return Fail(store.status());
  Result<std::vector<reportcard::Row>> rows = reportcard::Compute(**store, *formula, options);
  if (!rows.ok()) return Fail(rows.status());
  const std::string out = common.json ? reportcard::RowsJson(*formula, *rows) : reportcard::RowsText(*formula, *rows);
  std::fwrite(out.data(), 1, out.size(), common.json ? stdout : stderr);
  int64_t above = 0;
  for (const reportcard::Row& r : *rows) above += r.above_threshold && r.date != 0 ? 1 : 0;
  std::fprintf(stderr, "caisson report-card: %lld day/scope row(s) above %.2f %% (%s)\n", static_cast<long long>(above),
               formula->threshold * 100, formula->name.c_str());
  return above > 0 ? 1 : 0;
}

}  // namespace caisson::app
