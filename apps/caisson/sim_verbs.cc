// `caisson cais-sim`: the CAIS side of the Industry Test environment for a firm's own CI (docs/cais-sim.md).
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "base/finding.h"
#include "calendar/calendar.h"
#include "commands.h"
#include "setup.h"
#include "sim/sim.h"

namespace caisson::app {

int RunCaisSim(const Common& common, const CaisSimArgs& args) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  sim::Options options;
  if (args.now.empty()) {
    options.now = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  } else {
    Result<calendar::Moment> m = calendar::ParseMoment(args.now);
    if (!m.ok()) return Fail(Status::InvalidArgument("--now", m.status().message()));
    if (m->is_utc) {
      options.now = m->utc;
    } else {
      Result<calendar::Instant> utc = calendar::ToUtc(m->et);
      if (!utc.ok()) return Fail(Status::InvalidArgument("--now", utc.status().message()));
      options.now = *utc;
    }
  }
  // Inconsistency deadlines and the FDID Refresh Report's day are CAT Trading Day arithmetic [§6.4.1 r7;
  // §3.8].
  Result<calendar::Calendar> cal = calendar::Calendar::Load(DataDir() / "calendar" / "market-calendar.csv");
  if (!cal.ok()) return Fail(cal.status());
  options.calendar = &*cal;
  options.refresh_report = args.refresh_report;
  options.state = args.state;
  options.known_reporter_crds = args.known_crds;
  options.cat_submitter_id = args.cat_submitter_id;
  Result<sim::Response> r = sim::Respond(*setup->profile, args.upload, args.out, options);
  if (!r.ok()) return Fail(r.status());
  std::string json = "{\"files\": [";
  for (size_t i = 0; i < r->files.size(); ++i) {
    const sim::FileOutcome& f = r->files[i];
    std::string codes;
    for (int64_t c : f.codes) codes += (codes.empty() ? "" : ", ") + std::to_string(c);
    std::fprintf(stderr, "  %s: submission %lld, v%d %s%s%s\n", f.name.c_str(),
                 static_cast<long long>(f.submission_id), f.last_version, f.status.c_str(),
                 codes.empty() ? "" : ": ", codes.c_str());
    std::string name;
    AppendJsonString(f.name, &name);
    json += fmt::format(
        "{}{{\"file\": {}, \"submission_id\": {}, \"version\": {}, \"status\": \"{}\", \"codes\": [{}]}}",
        i == 0 ? "" : ", ", name, f.submission_id, f.last_version, f.status, codes);
  }
  json += fmt::format(
      "], \"accepted_fdids\": {}, \"rejected_fdids\": {}, \"accepted_customers\": {}, "
      "\"rejected_customers\": {}, \"outstanding_rejections\": {}, \"outstanding_inconsistencies\": {}, "
      "\"refresh_report_date\": {}, \"refresh_fdids\": {}, \"written\": {}}}\n",
      r->accepted_fdids, r->rejected_fdids, r->accepted_customers, r->rejected_customers,
      r->outstanding_rejections, r->outstanding_inconsistencies, r->refresh_date, r->refresh_fdids,
      r->written.size());
  if (common.json) std::fwrite(json.data(), 1, json.size(), stdout);
  const std::string refresh =
      r->refresh_date == 0
          ? std::string()
          : fmt::format("; FDID Refresh Report {}: {} FDID(s)", r->refresh_date, r->refresh_fdids);
  std::fprintf(
      stderr,
      "caisson cais-sim: %zu file(s) answered; %lld FDIDs and %lld customers accepted, %lld FDIDs and %lld "
      "customers rejected; Outstanding Rejections %d: %lld row(s); Outstanding Material Inconsistencies: "
      "%lld row(s)%s; %zu file(s) written to %s\n",
      r->files.size(), static_cast<long long>(r->accepted_fdids),
      static_cast<long long>(r->accepted_customers), static_cast<long long>(r->rejected_fdids),
      static_cast<long long>(r->rejected_customers), r->daily_date,
      static_cast<long long>(r->outstanding_rejections),
      static_cast<long long>(r->outstanding_inconsistencies), refresh.c_str(), r->written.size(),
      args.out.string().c_str());
  return 0;
}

}  // namespace caisson::app
