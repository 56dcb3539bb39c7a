// The monthly FDID Refresh Report [§3.8; Tables 6–7; the §3.8.1 example].
#include <fmt/format.h>
#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "audit/audit.h"
#include "delta/delta.h"
#include "feedback/feedback.h"
#include "feedback/internal.h"

namespace caisson::feedback {

namespace {

constexpr std::string_view kKind = "_FDIDREFRESHREPORT_";

using internal::Integer;
using internal::Text;

}  // namespace

bool IsFdidRefreshReportData(std::string_view name) {
  return name.find(kKind) != std::string_view::npos &&
         (name.ends_with("_data.json.bz2") || name.ends_with("_data.json"));
}

Status ParseFdidRefreshReport(std::string_view file_name, std::string_view text, RefreshSet* set) {
  const std::string where(file_name);
  std::vector<RefreshRow> rows;
  CAISSON_RETURN_IF_ERROR(internal::ReadSetFile(file_name, kKind, text, set, [&](simdjson::dom::object o, size_t row) {
    simdjson::dom::element e;
    RefreshRow r;
    if (o["firmDesignatedID"].get(e) != simdjson::SUCCESS || Text(e).empty()) {
      return Status::Corruption(where, fmt::format("row {}: firmDesignatedID is missing", row));
    }
    r.fdid = Text(e);
    if (o["lastAcceptedFilename"].get(e) == simdjson::SUCCESS) r.last_accepted_filename = Text(e);
    if (o["refreshDueDate"].get(e) != simdjson::SUCCESS || !Integer(e)) {
      return Status::Corruption(where, fmt::format("row {}: refreshDueDate is missing", row));
    }
    r.due = static_cast<int32_t>(*Integer(e));
    if (o["status"].get(e) == simdjson::SUCCESS) r.status = Text(e);
    if (r.status != "DUE" && r.status != "OVERDUE") {
      return Status::Corruption(where, fmt::format("row {}: status is neither DUE nor OVERDUE", row));
    }
    rows.push_back(std::move(r));
    return Status::OK();
  }));
  for (RefreshRow& r : rows) set->rows.push_back(std::move(r));
  return Status::OK();
}

Result<RefreshApplied> ApplyFdidRefreshReport(const RefreshSet& set, state::Store* store) {
  const std::string where = set.files.empty() ? "FDID refresh report" : set.files.front();
  Result<state::Info> info = store->GetInfo();
  if (!info.ok()) return info.status();
  if (info->cat_reporter_crd >= 0 && info->cat_reporter_crd != set.cat_reporter_crd) {
    return Status::InvalidArgument(where, fmt::format("a report for CRD {}, the store belongs to CRD {}",
                                                      set.cat_reporter_crd, info->cat_reporter_crd));
  }
  RefreshApplied out;
  absl::flat_hash_set<std::string> listed;
  for (const RefreshRow& r : set.rows) {
    ++out.listed;
    ++(r.status == "OVERDUE" ? out.overdue : out.due);
    listed.insert(r.fdid);
  }
  std::vector<state::RecordState> changed;
  absl::flat_hash_set<std::string> known;
  CAISSON_RETURN_IF_ERROR(store->ForEachFdid([&](const state::RecordState& r) {
    const bool on = listed.contains(r.key);
    if (on) known.insert(r.key);
    const bool marked = (r.flags & delta::kFlagRefreshListed) != 0;
    if (on && !marked) {
      changed.push_back(r);
      changed.back().flags |= delta::kFlagRefreshListed;
    } else if (!on && marked && r.correspondent_crd == set.correspondent_crd) {
      changed.push_back(r);
      changed.back().flags &= ~delta::kFlagRefreshListed;
      ++out.cleared;
    }
    return Status::OK();
  }));
  out.unknown = out.listed - static_cast<int64_t>(known.size());
  CAISSON_RETURN_IF_ERROR(store->Write([&](state::Txn& txn) -> Status {
    for (const state::RecordState& r : changed) CAISSON_RETURN_IF_ERROR(txn.PutFdid(r));
    audit::Event event;
    event.kind = "fdid_refresh_report";
    event.payload["date"] = int64_t{set.generation_date};
    event.payload["correspondent_crd"] = set.correspondent_crd;
    event.payload["files"] = static_cast<int64_t>(set.files.size());
    event.payload["listed"] = out.listed;
    event.payload["overdue"] = out.overdue;
    event.payload["unknown"] = out.unknown;
    event.payload["cleared"] = out.cleared;
    return audit::Append(txn, event);
  }));
  return out;
}

}  // namespace caisson::feedback
