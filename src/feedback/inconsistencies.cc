// The daily Outstanding Material Inconsistencies [§6.4.2; Tables 22–23; the §6.4.3 example].
#include <fmt/format.h>
#include <simdjson.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "audit/audit.h"
#include "calendar/calendar.h"
#include "feedback/feedback.h"
#include "feedback/internal.h"

namespace caisson::feedback {

namespace {

constexpr std::string_view kKind = "_OUTSTANDINGINCONSISTENCIES_";

using internal::Integer;
using internal::Text;

// inconsistencyDeadline is Eastern Time [§2.4]; the §6.4.3 example writes 8 fractional digits, which
// ParseMoment takes as it takes 1 to 9.
Status FillDeadline(const std::string& deadline, state::Inconsistency* item) {
  if (deadline.empty()) return Status::OK();
  Result<calendar::Moment> m = calendar::ParseMoment(deadline);
  if (!m.ok()) return m.status();
  calendar::Instant utc = m->utc;
  calendar::LocalDateTime et = m->et;
  if (m->is_utc) {
    Result<calendar::LocalDateTime> local = calendar::ToNewYork(utc);
    if (!local.ok()) return local.status();
    et = *local;
  } else {
    Result<calendar::Instant> u = calendar::ToUtc(et);
    if (!u.ok()) return u.status();
    utc = *u;
  }
  item->due_at = calendar::FormatUtc(utc);
  item->due_unix = std::chrono::duration_cast<std::chrono::seconds>(utc.time_since_epoch()).count();
  item->due_on = et.date.year * 10000 + et.date.month * 100 + et.date.day;
  return Status::OK();
}

}  // namespace

bool IsOutstandingInconsistenciesData(std::string_view name) {
  return name.find(kKind) != std::string_view::npos &&
         (name.ends_with("_data.json.bz2") || name.ends_with("_data.json"));
}

Status ParseOutstandingInconsistencies(std::string_view file_name, std::string_view text, InconsistencySet* set) {
  const std::string where(file_name);
  std::vector<OutstandingInconsistency> rows;
  CAISSON_RETURN_IF_ERROR(internal::ReadSetFile(file_name, kKind, text, set, [&](simdjson::dom::object o, size_t row) {
    simdjson::dom::element e;
    // Table 23 names the field `Type`; the §6.4.3 example writes `type`. Both are read.
    std::string type;
    if (o["type"].get(e) == simdjson::SUCCESS || o["Type"].get(e) == simdjson::SUCCESS) type = Text(e);
    if (type != "materialInconsistency") {
      return Status::Corruption(where, fmt::format("row {}: type is not materialInconsistency", row));
    }
    OutstandingInconsistency r;
    if (o["inconsistencyEventID"].get(e) != simdjson::SUCCESS || Text(e).empty()) {
      return Status::Corruption(where, fmt::format("row {}: inconsistencyEventID is missing", row));
    }
    r.event_id = Text(e);
    if (o["submissionFilename"].get(e) == simdjson::SUCCESS) r.submission_filename = Text(e);
    if (o["inconsistencyCode"].get(e) != simdjson::SUCCESS || !Integer(e)) {
      return Status::Corruption(where, fmt::format("row {}: inconsistencyCode is missing", row));
    }
    r.code = *Integer(e);
    if (o["identificationDate"].get(e) == simdjson::SUCCESS) r.identification_date = Text(e);
    if (o["inconsistencyDeadline"].get(e) == simdjson::SUCCESS) r.deadline = Text(e);
    simdjson::dom::array list;
    if (o["customerRecordID"].get_array().get(list) == simdjson::SUCCESS) {
      for (simdjson::dom::element id : list) {
        if (auto n = Integer(id)) r.customer_record_ids.push_back(*n);
      }
    }
    if (o["firmDesignatedID"].get_array().get(list) == simdjson::SUCCESS) {
      for (simdjson::dom::element f : list) r.fdids.push_back(Text(f));
    }
    rows.push_back(std::move(r));
    return Status::OK();
  }));
  for (OutstandingInconsistency& r : rows) set->rows.push_back(std::move(r));
  return Status::OK();
}

Result<InconsistenciesApplied> ApplyOutstandingInconsistencies(const InconsistencySet& set, state::Store* store) {
  const std::string where = set.files.empty() ? "outstanding inconsistencies" : set.files.front();
  Result<state::Info> info = store->GetInfo();
  if (!info.ok()) return info.status();
  if (info->cat_reporter_crd >= 0 && info->cat_reporter_crd != set.cat_reporter_crd) {
    return Status::InvalidArgument(where, fmt::format("inconsistencies for CRD {}, the store belongs to CRD {}",
                                                      set.cat_reporter_crd, info->cat_reporter_crd));
  }
  InconsistenciesApplied out;
  std::vector<state::Inconsistency> items;
  absl::flat_hash_set<std::string> listed;  // "<event>\n<key>"
  for (const OutstandingInconsistency& r : set.rows) {
    ++out.listed;
    std::string base = r.submission_filename;
    if (base.ends_with(".json.bz2")) base.resize(base.size() - 9);
    state::Inconsistency item;
    item.event_id = r.event_id;
    item.code = r.code;
    item.file = base;
    item.identified_on = internal::DateOf(r.identification_date);
    if (item.identified_on < 0) item.identified_on = 0;
    Status due = FillDeadline(r.deadline, &item);
    if (!due.ok()) return Status::Corruption(where, fmt::format("inconsistencyDeadline: {}", due.message()));
    bool linked = false;
    for (int64_t id : r.customer_record_ids) {
      Result<state::RecordMapEntry> m = store->LookupRecordId(base, state::RecordKind::kCustomer, std::to_string(id));
      if (!m.ok()) continue;
      item.firm_key = m->firm_key;
      listed.insert(item.event_id + "\n" + item.firm_key);
      items.push_back(item);
      linked = true;
    }
    if (!linked) ++out.unlinked;
  }
  // Open ones of this pairing CAIS no longer lists: resolved (a resubmission CAIS accepted, or CAIS's own
  // resolution) — only for files generated before the scan, which CAIS has seen.
  std::vector<state::Inconsistency> to_close;
  CAISSON_RETURN_IF_ERROR(store->ForEachInconsistency([&](const state::Inconsistency& m) {
    if (m.status != "open" || listed.contains(m.event_id + "\n" + m.firm_key)) return Status::OK();
    Result<state::FileEntry> file = store->GetFile(m.file);
    if (!file.ok() || file->correspondent_crd != set.correspondent_crd || file->file_date >= set.generation_date) {
      return Status::OK();
    }
    to_close.push_back(m);
    return Status::OK();
  }));
  CAISSON_RETURN_IF_ERROR(store->Write([&](state::Txn& txn) -> Status {
    for (const state::Inconsistency& m : items) {
      bool inserted = false;
      CAISSON_RETURN_IF_ERROR(txn.AddInconsistency(m, &inserted));
      if (inserted) ++out.added;
    }
    for (const state::Inconsistency& m : to_close) {
      CAISSON_RETURN_IF_ERROR(txn.CloseInconsistency(m.event_id, m.firm_key, set.generation_date));
      ++out.closed;
    }
    return internal::AuditSet(txn, "outstanding_inconsistencies", set, out.listed, out.added, out.closed, out.unlinked);
  }));
  return out;
}

}  // namespace caisson::feedback
