// `caisson feedback ingest`: CAIS's per-file feedback into the state store (docs/feedback.md).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "caisjson/caisjson.h"
#include "calendar/calendar.h"
#include "commands.h"
#include "feedback/feedback.h"
#include "setup.h"
#include "state_use.h"

namespace caisson::app {

namespace {

namespace fs = std::filesystem;

bool IsFeedbackName(const std::string& name) {
  return name.find(".feedback.json") != std::string::npos || name.find("_OUTSTANDINGREJECTIONS_") != std::string::npos ||
         name.find("_OUTSTANDINGINCONSISTENCIES_") != std::string::npos ||
         name.find("_FDIDREFRESHREPORT_") != std::string::npos;
}

}  // namespace

int RunFeedbackIngest(const Common& common, const std::vector<fs::path>& paths) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  std::vector<fs::path> files;
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p, ec)) {
        if (e.is_regular_file() && IsFeedbackName(e.path().filename().string())) files.push_back(e.path());
      }
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      return Fail(Status::NotFound(p.string(), "no such file or folder"));
    }
  }
  // Name order puts v1 before v4 of one file, so a folder is read in the order CAIS wrote it.
  std::sort(files.begin(), files.end());
  Result<calendar::Calendar> cal = calendar::Calendar::Load(DataDir() / "calendar" / "market-calendar.csv");
  if (!cal.ok()) return Fail(cal.status());
  Result<std::unique_ptr<state::Store>> store = OpenStore(setup->config, false);
  if (!store.ok()) return Fail(store.status());
  if (Status may = MayWrite(**store); !may.ok()) return Fail(may);

  int failed = 0;
  int64_t rejected = 0;
  std::string json = "{\"files\": [";
  // The daily Outstanding Rejections: every data file of one day and pairing is one set [§6.5 r6].
  std::map<std::string, feedback::OutstandingSet> sets;
  std::map<std::string, feedback::InconsistencySet> mi_sets;  // the same for Material Inconsistencies [§6.4.2]
  std::map<std::string, feedback::RefreshSet> refresh_sets;     // and the monthly FDID Refresh Report [§3.8]
  std::vector<fs::path> per_file;
  for (const fs::path& f : files) {
    const std::string name = f.filename().string();
    if (feedback::IsOutstandingRejectionsData(name)) {
      Result<std::string> text = caisjson::ReadMaybeBz2(f);
      Status s = text.ok() ? feedback::ParseOutstandingRejections(name, *text,
                                                                   &sets[name.substr(0, name.find("_OUTSTANDINGREJECTIONS_"))])
                           : text.status();
      if (!s.ok()) {
        ++failed;
        std::fprintf(stderr, "caisson feedback: %s\n", s.ToString().c_str());
      }
    } else if (feedback::IsOutstandingInconsistenciesData(name)) {
      Result<std::string> text = caisjson::ReadMaybeBz2(f);
      Status s = text.ok() ? feedback::ParseOutstandingInconsistencies(
                                 name, *text, &mi_sets[name.substr(0, name.find("_OUTSTANDINGINCONSISTENCIES_"))])
                           : text.status();
      if (!s.ok()) {
        ++failed;
        std::fprintf(stderr, "caisson feedback: %s\n", s.ToString().c_str());
      }
    } else if (feedback::IsFdidRefreshReportData(name)) {
      Result<std::string> text = caisjson::ReadMaybeBz2(f);
      Status s = text.ok() ? feedback::ParseFdidRefreshReport(
                                 name, *text, &refresh_sets[name.substr(0, name.find("_FDIDREFRESHREPORT_"))])
                           : text.status();
      if (!s.ok()) {
        ++failed;
        std::fprintf(stderr, "caisson feedback: %s\n", s.ToString().c_str());
      }
    } else if (name.find(".feedback.json") != std::string::npos) {
      per_file.push_back(f);
    } else {
      // Metadata and sentinels of the daily and monthly sets: the data files carry every row.
      std::fprintf(stderr, "  %s: not read (metadata, sentinel or a report Caisson does not read yet)\n", name.c_str());
    }
  }
  for (auto& [key, set] : sets) {
    if (set.files.empty()) continue;
    Result<feedback::Reconciled> r = feedback::ApplyOutstanding(&*cal, set, store->get());
    if (!r.ok()) {
      ++failed;
      std::fprintf(stderr, "caisson feedback: %s\n", r.status().ToString().c_str());
      continue;
    }
    std::fprintf(stderr,
                 "  Outstanding Rejections %d (correspondent CRD %lld, %zu file(s)): %lld listed, %lld new repair "
                 "item(s), %lld closed as repaired, %lld not linked to a firm key\n",
                 set.generation_date, static_cast<long long>(set.correspondent_crd), set.files.size(),
                 static_cast<long long>(r->listed), static_cast<long long>(r->added),
                 static_cast<long long>(r->closed), static_cast<long long>(r->unlinked));
  }
  int64_t open_inconsistencies = 0;
  for (auto& [key, set] : mi_sets) {
    if (set.files.empty()) continue;
    Result<feedback::InconsistenciesApplied> r = feedback::ApplyOutstandingInconsistencies(set, store->get());
    if (!r.ok()) {
      ++failed;
      std::fprintf(stderr, "caisson feedback: %s\n", r.status().ToString().c_str());
      continue;
    }
    open_inconsistencies += r->listed;
    std::fprintf(stderr,
                 "  Outstanding Material Inconsistencies %d (correspondent CRD %lld, %zu file(s)): %lld listed, %lld "
                 "new, %lld closed as resolved, %lld not linked to a customer; the next build --delta resends "
                 "them with updateNotification true\n",
                 set.generation_date, static_cast<long long>(set.correspondent_crd), set.files.size(),
                 static_cast<long long>(r->listed), static_cast<long long>(r->added),
                 static_cast<long long>(r->closed), static_cast<long long>(r->unlinked));
  }
  for (auto& [key, set] : refresh_sets) {
    if (set.files.empty()) continue;
    Result<feedback::RefreshApplied> r = feedback::ApplyFdidRefreshReport(set, store->get());
    if (!r.ok()) {
      ++failed;
      std::fprintf(stderr, "caisson feedback: %s\n", r.status().ToString().c_str());
      continue;
    }
    std::fprintf(stderr,
                 "  FDID Refresh Report %d (correspondent CRD %lld): %lld listed (%lld DUE, %lld OVERDUE), %lld not "
                 "known to the store, %lld no longer listed; the next build resends the listed ones whole\n",
                 set.generation_date, static_cast<long long>(set.correspondent_crd), static_cast<long long>(r->listed),
                 static_cast<long long>(r->due), static_cast<long long>(r->overdue),
                 static_cast<long long>(r->unknown), static_cast<long long>(r->cleared));
  }
  const size_t total = files.size();
  files = per_file;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string name = files[i].filename().string();
    std::string outcome;
    Result<std::string> text = caisjson::ReadMaybeBz2(files[i]);
    Result<feedback::FileFeedback> fb = text.ok() ? feedback::Parse(name, *text) : Result<feedback::FileFeedback>(text.status());
    Result<feedback::Applied> applied =
        fb.ok() ? feedback::Apply(*setup->profile, &*cal, *fb, store->get()) : Result<feedback::Applied>(fb.status());
    if (!applied.ok()) {
      ++failed;
      std::fprintf(stderr, "caisson feedback: %s\n", applied.status().ToString().c_str());
      outcome = "error";
    } else if (applied->foreign) {
      outcome = "not a file Caisson wrote: recorded in the audit trail";
    } else if (applied->stale) {
      outcome = "already seen: nothing changed";
    } else if (applied->tid_warnings > 0) {
      outcome = fmt::format("{} TID warning(s) on customers of the paired Data File (shown by repair list)",
                            applied->tid_warnings);
    } else if (applied->settled) {
      rejected += applied->rejected_fdids + applied->rejected_customers;
      outcome = fmt::format("{} FDIDs and {} customers accepted, {} FDIDs and {} customers not (the next --delta "
                            "sends them again); {} repair item(s)",
                            applied->accepted_fdids, applied->accepted_customers, applied->rejected_fdids,
                            applied->rejected_customers, applied->repair_items);
    } else {
      outcome = "recorded";
    }
    if (fb.ok()) {
      std::fprintf(stderr, "  %s: v%d %s: %s\n", name.c_str(), fb->version, fb->status.c_str(), outcome.c_str());
    }
    std::string quoted_name, quoted_outcome;
    AppendJsonString(name, &quoted_name);
    AppendJsonString(outcome, &quoted_outcome);
    json += fmt::format("{}{{\"file\": {}, \"status\": \"{}\", \"outcome\": {}}}", i == 0 ? "" : ", ", quoted_name,
                        fb.ok() ? fb->status : "", quoted_outcome);
  }
  json += "]}\n";
  if (common.json) std::fwrite(json.data(), 1, json.size(), stdout);
  std::fprintf(stderr, "caisson feedback ingest: %zu file(s), %d unreadable or refused\n", total, failed);
  if (failed > 0) return 2;
  return rejected > 0 || open_inconsistencies > 0 ? 1 : 0;
}

int RunRepairList(const Common& common, const std::string& now_text) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  Result<int64_t> now_or = NowUnix(now_text, "--now");
  if (!now_or.ok()) return Fail(now_or.status());
  Result<std::unique_ptr<state::Store>> store = OpenStore(setup->config, false);
  if (!store.ok()) return Fail(store.status());
  const int64_t now = *now_or;
  int64_t open = 0, overdue = 0, closed = 0;
  std::string json = "{\"items\": [";
  bool first = true;
  Status s = (*store)->ForEachRepairItem([&](const state::RepairItem& item) {
    const bool is_open = item.status == "open";
    const double hours_left = item.due_unix > 0 ? static_cast<double>(item.due_unix - now) / 3600.0 : 0.0;
    if (is_open) ++open; else ++closed;
    if (is_open && item.due_unix > 0 && hours_left < 0) ++overdue;
    const spec::Code* code = setup->profile->FindCode(std::to_string(item.error_code));
    const std::string meaning = code != nullptr ? code->description : "(not in Appendix B)";
    std::string key, what;
    AppendJsonString(item.firm_key, &key);
    AppendJsonString(meaning, &what);
    // [App. B Table 31] the TID File warning behind a customer's 22526 / 22900 / 22914 / 22502.
    std::vector<int64_t> warnings;
    const int64_t c = item.error_code;
    if (item.kind == state::RecordKind::kCustomer && (c == 22526 || c == 22900 || c == 22914 || c == 22502)) {
      Result<state::FileEntry> data = (*store)->GetFile(item.file);
      if (data.ok()) {
        Result<std::vector<int64_t>> w = (*store)->TidWarnings(data->partner, item.firm_key);
        if (w.ok()) warnings = *w;
      }
    }
    std::string warning_json = "[", warning_text;
    for (size_t k = 0; k < warnings.size(); ++k) {
      const spec::Code* wc = setup->profile->FindCode(std::to_string(warnings[k]));
      warning_json += fmt::format("{}{}", k == 0 ? "" : ", ", warnings[k]);
      warning_text += fmt::format("; TID warning {} {}", warnings[k], wc != nullptr ? wc->description : "");
    }
    warning_json += "]";
    json += fmt::format("{}{{\"rejection_id\": {}, \"record\": \"{}\", \"key\": {}, \"code\": {}, \"meaning\": {}, "
                        "\"file\": \"{}\", \"received_on\": {}, \"due\": \"{}\", \"hours_left\": {:.1f}, "
                        "\"status\": \"{}\", \"closed_on\": {}, \"tid_warnings\": {}}}",
                        first ? "" : ", ", item.rejection_id,
                        item.kind == state::RecordKind::kFdid ? "fdid" : "customer", key, item.error_code, what,
                        item.file, item.received_on, item.due_at, is_open ? hours_left : 0.0, item.status,
                        item.closed_on, warning_json);
    first = false;
    if (is_open) {
      std::fprintf(stderr, "  %s %s %s %lld %s%s: due %s (%s)\n", hours_left < 0 ? "OVERDUE" : "open   ",
                   item.kind == state::RecordKind::kFdid ? "FDID    " : "customer", item.firm_key.c_str(),
                   static_cast<long long>(item.error_code), meaning.c_str(), warning_text.c_str(), item.due_at.c_str(),
                   item.due_unix > 0 ? fmt::format("{:.1f} h {}", std::abs(hours_left), hours_left < 0 ? "late" : "left").c_str()
                                     : "no deadline known");
    }
    return Status::OK();
  });
  if (!s.ok()) return Fail(s);
  // Material Inconsistencies [§6.4]: resolved by resending the customer with updateNotification true, which
  // the next build does by itself; the deadline is the one CAIS gave.
  json += "], \"inconsistencies\": [";
  first = true;
  int64_t mi_open = 0;
  s = (*store)->ForEachInconsistency([&](const state::Inconsistency& m) {
    const bool is_open = m.status == "open";
    const double hours_left = m.due_unix > 0 ? static_cast<double>(m.due_unix - now) / 3600.0 : 0.0;
    if (is_open) ++mi_open;
    if (is_open && m.due_unix > 0 && hours_left < 0) ++overdue;
    const spec::Code* code = setup->profile->FindCode(std::to_string(m.code));
    const std::string meaning = code != nullptr ? code->description : "(not in Appendix B)";
    std::string key, what, event;
    AppendJsonString(m.firm_key, &key);
    AppendJsonString(meaning, &what);
    AppendJsonString(m.event_id, &event);
    json += fmt::format("{}{{\"event_id\": {}, \"record\": \"customer\", \"key\": {}, \"code\": {}, "
                        "\"meaning\": {}, \"file\": \"{}\", \"identified_on\": {}, \"due\": \"{}\", "
                        "\"hours_left\": {:.1f}, \"status\": \"{}\", \"closed_on\": {}}}",
                        first ? "" : ", ", event, key, m.code, what, m.file, m.identified_on, m.due_at,
                        is_open ? hours_left : 0.0, m.status, m.closed_on);
    first = false;
    if (is_open) {
      std::fprintf(stderr, "  %s customer %s %lld %s: due %s (%s); the next build resends it with "
                   "updateNotification true\n",
                   hours_left < 0 ? "OVERDUE" : "open   ", m.firm_key.c_str(), static_cast<long long>(m.code),
                   meaning.c_str(), m.due_at.c_str(),
                   m.due_unix > 0 ? fmt::format("{:.1f} h {}", std::abs(hours_left), hours_left < 0 ? "late" : "left").c_str()
                                  : "no deadline known");
    }
    return Status::OK();
  });
  if (!s.ok()) return Fail(s);
  json += fmt::format("], \"open\": {}, \"open_inconsistencies\": {}, \"overdue\": {}, \"closed\": {}}}\n",
                      open, mi_open, overdue, closed);
  if (common.json) std::fwrite(json.data(), 1, json.size(), stdout);
  std::fprintf(stderr, "caisson repair list: %lld open, %lld open inconsistencies (%lld overdue in all), %lld closed\n",
               static_cast<long long>(open), static_cast<long long>(mi_open), static_cast<long long>(overdue),
               static_cast<long long>(closed));
  // cli.md: a missed deadline is exit 1.
  return overdue > 0 ? 1 : 0;
}

}  // namespace caisson::app
