// ReconcileFiles (reader + reconciler over paths) and the two renderings of its result.
#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "txn/reconcile.h"

namespace caisson::txn {

namespace {

bool IsEventFile(const std::filesystem::path& p) {
  const std::string n = p.filename().string();
  return n.ends_with(".json") || n.ends_with(".json.bz2");
}

Status Expand(const std::vector<std::filesystem::path>& paths, std::vector<std::filesystem::path>* files) {
  for (const auto& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::filesystem::path> in_dir;
      for (auto it = std::filesystem::directory_iterator(p, ec); !ec && it != std::filesystem::directory_iterator();
           it.increment(ec)) {
        // In a folder only order-event files by name [§6.1.1] are read (not e.g. expected-txn-findings.json);
        // a file named on the command line is always read, and a bad name is a file.name finding.
        if (it->is_regular_file(ec) && IsEventFile(it->path()) &&
            it->path().filename().string().find("_OrderEvents_") != std::string::npos) {
          in_dir.push_back(it->path());
        }
      }
      if (ec) return Status::IOError(p.string(), ec.message());
      std::sort(in_dir.begin(), in_dir.end());
      files->insert(files->end(), in_dir.begin(), in_dir.end());
    } else {
      files->push_back(p);
    }
  }
  return Status::OK();
}

template <typename... T>
void Put(std::string* out, fmt::format_string<T...> f, T&&... args) {
  fmt::format_to(std::back_inserter(*out), f, std::forward<T>(args)...);
}

std::string Iso(const calendar::Deadline& d) {
  return calendar::FormatLocal(d.et) + " ET";
}

}  // namespace

Status ReconcileFiles(const Catalogue& catalogue, const calendar::Calendar& cal, const state::Store& store,
                      const std::vector<std::filesystem::path>& paths, const ReconcileOptions& options,
                      std::vector<FdidFinding>* findings, ReconcileSummary* summary) {
  std::vector<std::filesystem::path> files;
  CAISSON_RETURN_IF_ERROR(Expand(paths, &files));
  Reconciler rec(catalogue, cal, options);
  CAISSON_RETURN_IF_ERROR(rec.LoadState(store));
  EventReader reader(catalogue, ReaderOptions{});
  std::vector<Finding> reader_findings;
  for (const auto& path : files) {
    CAISSON_RETURN_IF_ERROR(reader.Open(path, &reader_findings));
    ++summary->files;
    const std::string& name = reader.display_name();
    const Event* ev = nullptr;
    while (reader.Next(&ev)) rec.Add(*ev, name);
  }
  summary->reader_findings = static_cast<int64_t>(reader_findings.size());
  for (auto& f : reader_findings) {
    summary->findings_by_rule[f.rule] += 1;
    FdidFinding ff;
    ff.finding = std::move(f);
    findings->push_back(std::move(ff));
  }
  return rec.Finish(findings, summary);
}

std::string ReconcileJson(std::string_view profile, const ReconcileSummary& s,
                          const std::vector<FdidFinding>& findings) {
  std::string out = "{\n  \"profile\": ";
  AppendJsonString(profile, &out);
  fmt::format_to(std::back_inserter(out),
                 ",\n  \"summary\": {{\"files\": {}, \"events\": {}, \"fdid_values\": {}, \"fdids_seen\": {}, "
                 "\"fdids_in_state\": {}, \"reader_findings\": {}, \"events_by_code\": {{",
                 s.files, s.events, s.fdid_values, s.fdids_seen, s.fdids_in_state, s.reader_findings);
  bool first = true;
  for (const auto& [code, n] : s.events_by_code) {
    out += first ? "" : ", ";
    first = false;
    AppendJsonString(code, &out);
    fmt::format_to(std::back_inserter(out), ": {}", n);
  }
  out += "}},\n  \"findings\": [";
  for (size_t i = 0; i < findings.size(); ++i) {
    out.append(i == 0 ? "\n    " : ",\n    ");
    std::string one;
    AppendFindingJson(findings[i].finding, &one);
    // The cli.md keys, then what a transaction finding adds: its deadline and how many events share it.
    if (!one.empty() && one.back() == '}') one.pop_back();
    out += one;
    out += ", \"deadline\": ";
    if (findings[i].has_deadline) {
      AppendJsonString(calendar::FormatUtc(findings[i].deadline.utc), &out);
    } else {
      out += "null";
    }
    fmt::format_to(std::back_inserter(out), ", \"events\": {}}}", findings[i].events);
  }
  out.append(findings.empty() ? "]\n}\n" : "\n  ]\n}\n");
  return out;
}

std::string ReconcileText(const ReconcileSummary& s, const std::vector<FdidFinding>& findings,
                          calendar::Instant as_of) {
  std::string out;
  Put(&out, "caisson txn reconcile: {} file(s), {} events", s.files, s.events);
  if (s.first_event_date) {
    Put(&out, " (event dates {} .. {})", s.first_event_date, s.last_event_date);
  }
  Put(&out, "\n  FDIDs seen on events: {} ({} FDID values checked); FDIDs in the CAIS state: {}\n", s.fdids_seen,
      s.fdid_values, s.fdids_in_state);
  if (s.reader_findings) Put(&out, "  unreadable or malformed lines and names: {} finding(s)\n", s.reader_findings);
  if (s.events_by_code.empty()) {
    Put(&out, "  predicted CAT FDID errors: none\n");
  } else {
    Put(&out, "  predicted CAT errors by code (events):");
    for (const auto& [code, n] : s.events_by_code) Put(&out, " {}={}", code, n);
    Put(&out, "\n");
  }
  for (const auto& [rule, n] : s.findings_by_rule) Put(&out, "    {:<34} {}\n", rule, n);
  // Deadlines: one line per distinct deadline, earliest first, with the hours left from as_of.
  std::map<int64_t, std::pair<const FdidFinding*, int64_t>> by_due;
  for (const auto& f : findings) {
    if (!f.has_deadline) continue;
    const int64_t key = f.deadline.utc.time_since_epoch().count();
    auto& slot = by_due[key];
    if (slot.first == nullptr) slot.first = &f;
    ++slot.second;
  }
  if (!by_due.empty()) Put(&out, "  deadlines:\n");
  for (const auto& [key, v] : by_due) {
    const double hours =
        std::chrono::duration<double>(v.first->deadline.utc - as_of).count() / 3600.0;
    Put(&out, "    {}  {:>8.1f} h {}  {} finding(s)\n", Iso(v.first->deadline), hours, hours < 0 ? "OVERDUE" : "left",
        v.second);
  }
  return out;
}

}  // namespace caisson::txn
