// `caisson txn reconcile` and `caisson gen --events`: the transaction side (issue #9; docs/txn.md).
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "calendar/calendar.h"
#include "commands.h"
#include "gen/gen.h"
#include "setup.h"
#include "state/state.h"
#include "state_use.h"
#include "txn/txn.h"

namespace caisson::app {

int RunTxnReconcile(const Common& common, const TxnReconcileArgs& args) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  Result<calendar::Calendar> cal = calendar::Calendar::Load(DataDir() / "calendar" / "market-calendar.csv");
  if (!cal.ok()) return Fail(cal.status());
  Result<txn::Catalogue> cat = txn::Catalogue::Load(txn::Catalogue::DefaultPath(DataDir()));
  if (!cat.ok()) return Fail(cat.status());
  // As of: the end of --date D (00:00 ET the day after), else now.
  calendar::Instant as_of = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  if (!args.date.empty()) {
    Result<calendar::Date> d = calendar::ParseDate(args.date);
    if (!d.ok()) return Fail(Status::InvalidArgument("--date", d.status().message()));
    calendar::LocalDateTime end_of_day;
    end_of_day.date = *d;
    Result<calendar::Instant> start = calendar::ToUtc(end_of_day);
    if (!start.ok()) return Fail(start.status());
    as_of = *start + std::chrono::hours(24);
    // A DST change makes that day 23 or 25 hours long; re-anchor on the next day's midnight.
    Result<calendar::LocalDateTime> et = calendar::ToNewYork(as_of);
    if (et.ok() && et->hour != 0) as_of -= std::chrono::hours(et->hour > 12 ? et->hour - 24 : et->hour);
  }
  state::Options so;
  so.create_if_missing = false;
  so.cat_reporter_crd = setup->config.cat_reporter_crd;
  const std::filesystem::path path = StatePath(setup->config);
  Result<std::unique_ptr<state::Store>> store = state::Store::Open(path, so);
  if (!store.ok()) {
    if (store.status().code() == Status::Code::kNotFound) {
      return Fail(Status::InvalidArgument(
          path.string(), "txn reconcile needs the firm's CAIS state (the state store of `caisson build` and "
                         "`caisson accept`); there is none here: set [state] path in caisson.toml or pass --config"));
    }
    return Fail(store.status());
  }
  txn::ReconcileOptions opt;
  opt.as_of = as_of;
  opt.cat_reporter_crd = setup->config.cat_reporter_crd;
  opt.inactive_candidates = args.inactive_candidates;
  std::vector<txn::FdidFinding> findings;
  txn::ReconcileSummary summary;
  Status s = txn::ReconcileFiles(*cat, *cal, **store, args.events, opt, &findings, &summary);
  if (!s.ok()) return Fail(s);
  int64_t rejects = 0;
  for (const auto& f : findings) rejects += f.finding.severity == Severity::kReject ? 1 : 0;
  if (common.json) {
    const std::string doc = txn::ReconcileJson(cat->profile(), summary, findings);
    std::fwrite(doc.data(), 1, doc.size(), stdout);
  } else {
    const std::string text = txn::ReconcileText(summary, findings, as_of);
    std::fwrite(text.data(), 1, text.size(), stdout);
    constexpr size_t kShown = 20;
    for (size_t i = 0; i < findings.size() && i < kShown; ++i) {
      const Finding& f = findings[i].finding;
      std::string where = f.file.empty() ? std::string("-") : f.file;
      if (f.line > 0) where += fmt::format(":{}", f.line);
      std::fprintf(stdout, "  %s %s [%s%s%s] %s%s%s: %s\n", where.c_str(),
                   std::string(SeverityName(f.severity)).c_str(), f.rule.c_str(), f.cais_code.empty() ? "" : " ",
                   f.cais_code.c_str(), f.key.c_str(), f.field.empty() ? "" : " ", f.field.c_str(),
                   f.message.c_str());
    }
    if (findings.size() > kShown) {
      std::fprintf(stdout, "  ... and %zu more (see --format json)\n", findings.size() - kShown);
    }
  }
  return rejects > 0 ? 1 : 0;
}

int RunGenEvents(const GenEventsArgs& args) {
  gen::EventsOptions o;
  o.books = args.books;
  o.out = args.out;
  o.seed = args.seed;
  o.defects = args.defects;
  o.days = args.days;
  o.orders_per_account = args.orders_per_account;
  if (!args.date.empty()) {
    Result<calendar::Date> d = calendar::ParseDate(args.date);
    if (!d.ok()) return Fail(Status::InvalidArgument("--date", d.status().message()));
    o.date = d->year * 10000 + d->month * 100 + d->day;
  }
  Status s = gen::GenerateEvents(o);
  if (!s.ok()) return Fail(s);
  std::fprintf(stderr, "caisson gen --events: order events for %s (seed %llu, defects %.3f) in %s\n",
               args.books.string().c_str(), static_cast<unsigned long long>(args.seed), args.defects,
               args.out.string().c_str());
  return 0;
}

}  // namespace caisson::app
