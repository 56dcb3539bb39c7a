// The daily Outstanding Rejections [§6.5; Tables 24–25; the §6.5.1 example].
#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "audit/audit.h"
#include "feedback/feedback.h"
#include "feedback/internal.h"

namespace caisson::feedback {

namespace {

constexpr std::string_view kKind = "_OUTSTANDINGREJECTIONS_";

using internal::Integer;
using internal::Text;
using internal::ToInt;

}  // namespace

namespace internal {

Status ReadSetFile(std::string_view file_name, std::string_view kind_text, std::string_view text, SetKey* set,
                   const std::function<Status(simdjson::dom::object, size_t)>& row) {
  const std::string where(file_name);
  const size_t kind = file_name.find(kind_text);
  if (kind == std::string_view::npos || !(file_name.ends_with("_data.json.bz2") || file_name.ends_with("_data.json"))) {
    return Status::Corruption(where, fmt::format("not a {} data file name", kind_text.substr(1, kind_text.size() - 2)));
  }
  std::vector<int64_t> parts;
  std::string_view head = file_name.substr(0, kind);
  while (!head.empty()) {
    const size_t us = head.find('_');
    int64_t v = 0;
    if (!ToInt(head.substr(0, us), &v)) break;
    parts.push_back(v);
    head = us == std::string_view::npos ? std::string_view() : head.substr(us + 1);
  }
  if (!head.empty() || (parts.size() != 4 && parts.size() != 3)) {
    return Status::Corruption(where, "the name does not start <submitter>_<crd>_<correspondent>_<date>");
  }
  // No correspondent in the name: the set without one (the spec's names always show one: a Caisson reading).
  const int64_t corr = parts.size() == 4 ? parts[2] : 0;
  const auto date = static_cast<int32_t>(parts.back());
  if (set->files.empty()) {
    set->cat_submitter_id = parts[0];
    set->cat_reporter_crd = parts[1];
    set->correspondent_crd = corr;
    set->generation_date = date;
  } else if (set->cat_submitter_id != parts[0] || set->cat_reporter_crd != parts[1] ||
             set->correspondent_crd != corr || set->generation_date != date) {
    return Status::InvalidArgument(where, "belongs to another date, CRD or correspondent CRD than its set");
  }
  if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) {  // else a data file with no row
    simdjson::dom::parser parser;
    simdjson::dom::document_stream stream;
    const std::string padded(text);
    if (parser.parse_many(padded).get(stream) != simdjson::SUCCESS) {
      return Status::Corruption(where, "not a stream of JSON objects");
    }
    size_t n = 0;
    for (auto doc : stream) {
      simdjson::dom::element root;
      if (auto err = doc.get(root); err != simdjson::SUCCESS) {
        return Status::Corruption(where, fmt::format("not JSON: {}", simdjson::error_message(err)));
      }
      simdjson::dom::object o;
      if (root.get_object().get(o) != simdjson::SUCCESS) return Status::Corruption(where, "a row is not an object");
      CAISSON_RETURN_IF_ERROR(row(o, ++n));
    }
    // A last object cut short is not a row simdjson reports: it counts the bytes left over.
    if (stream.truncated_bytes() > 0) return Status::Corruption(where, "the last row is cut short (truncated file)");
  }
  set->files.push_back(where);
  return Status::OK();
}

Status AuditSet(state::Txn& txn, std::string_view kind, const SetKey& set, int64_t listed, int64_t added,
                int64_t closed, int64_t unlinked) {
  audit::Event event;
  event.kind = std::string(kind);
  event.payload["date"] = int64_t{set.generation_date};
  event.payload["correspondent_crd"] = set.correspondent_crd;
  event.payload["files"] = static_cast<int64_t>(set.files.size());
  event.payload["listed"] = listed;
  event.payload["added"] = added;
  event.payload["closed"] = closed;
  event.payload["unlinked"] = unlinked;
  return audit::Append(txn, event);
}

}  // namespace internal

bool IsOutstandingRejectionsData(std::string_view name) {
  return name.find(kKind) != std::string_view::npos &&
         (name.ends_with("_data.json.bz2") || name.ends_with("_data.json"));
}

Status ParseOutstandingRejections(std::string_view file_name, std::string_view text, OutstandingSet* set) {
  const std::string where(file_name);
  std::vector<OutstandingRejection> rows;
  CAISSON_RETURN_IF_ERROR(internal::ReadSetFile(file_name, kKind, text, set, [&](simdjson::dom::object o, size_t row) {
    OutstandingRejection r;
    simdjson::dom::element e;
    const std::string type = o["type"].get(e) == simdjson::SUCCESS ? Text(e) : "";
    if (type != "FDIDRejection" && type != "CustomerRejection") {
      return Status::Corruption(where, fmt::format("row {}: type is neither FDIDRejection nor CustomerRejection", row));
    }
    r.fdid = type == "FDIDRejection";
    if (o["rejectedFDID"].get(e) == simdjson::SUCCESS) r.rejected_fdid = Text(e);
    if (o["submissionFilename"].get(e) == simdjson::SUCCESS) r.submission_filename = Text(e);
    if (o["rejectionID"].get(e) != simdjson::SUCCESS || !Integer(e)) {
      return Status::Corruption(where, fmt::format("row {}: rejectionID is missing", row));
    }
    r.rejection_id = *Integer(e);
    if (o["fdidRecordID"].get(e) == simdjson::SUCCESS) r.fdid_record_id = Integer(e);
    if (o["errorCode"].get(e) == simdjson::SUCCESS) r.error_code = Integer(e).value_or(0);
    if (o["rejectionTimestamp"].get(e) == simdjson::SUCCESS) r.rejection_timestamp = Text(e);
    simdjson::dom::array ids;
    if (o["customerRecordID"].get_array().get(ids) == simdjson::SUCCESS) {
      for (simdjson::dom::element id : ids) {
        if (auto n = Integer(id)) r.customer_record_ids.push_back(*n);
      }
    }
    rows.push_back(std::move(r));
    return Status::OK();
  }));
  for (OutstandingRejection& r : rows) set->rows.push_back(std::move(r));
  return Status::OK();
}

Result<Reconciled> ApplyOutstanding(const calendar::Calendar* cal, const OutstandingSet& set, state::Store* store) {
  Result<state::Info> info = store->GetInfo();
  if (!info.ok()) return info.status();
  if (info->cat_reporter_crd >= 0 && info->cat_reporter_crd != set.cat_reporter_crd) {
    return Status::InvalidArgument(set.files.empty() ? "outstanding rejections" : set.files.front(),
                                   fmt::format("rejections for CRD {}, the store belongs to CRD {}",
                                               set.cat_reporter_crd, info->cat_reporter_crd));
  }
  Reconciled out;
  std::vector<state::RepairItem> items;
  absl::flat_hash_set<std::string> listed;  // "<rejectionID>/<kind>/<key>"
  auto id_of = [](int64_t rejection, state::RecordKind kind, const std::string& key) {
    return fmt::format("{}/{}/{}", rejection, static_cast<int>(kind), key);
  };
  for (const OutstandingRejection& r : set.rows) {
    ++out.listed;
    std::string base = r.submission_filename;
    if (base.ends_with(".json.bz2")) base.resize(base.size() - 9);
    Result<state::FileEntry> file = store->GetFile(base);
    int32_t received = internal::DateOf(r.rejection_timestamp);
    if (file.ok()) {
      Result<state::Submission> sub = store->GetSubmission(file->submission_id);
      if (sub.ok() && sub->as_of > 0) received = sub->as_of;
    }
    auto add = [&](state::RecordKind kind, const std::string& key) -> Status {
      listed.insert(id_of(r.rejection_id, kind, key));
      Result<state::RepairItem> due = received > 0 ? internal::DueFrom(cal, received) : state::RepairItem();
      if (!due.ok()) return due.status();
      state::RepairItem item = *due;
      item.rejection_id = r.rejection_id;
      item.file = base;
      item.kind = kind;
      item.firm_key = key;
      item.error_code = r.error_code;
      items.push_back(std::move(item));
      return Status::OK();
    };
    if (r.fdid && !r.rejected_fdid.empty()) {
      CAISSON_RETURN_IF_ERROR(add(state::RecordKind::kFdid, r.rejected_fdid));
      continue;
    }
    bool linked = false;
    for (int64_t id : r.customer_record_ids) {
      if (!file.ok()) break;
      Result<state::RecordMapEntry> m = store->LookupRecordId(base, state::RecordKind::kCustomer, std::to_string(id));
      if (!m.ok()) continue;
      CAISSON_RETURN_IF_ERROR(add(state::RecordKind::kCustomer, m->firm_key));
      linked = true;
    }
    if (!linked) ++out.unlinked;
  }

  // Open items CAIS no longer lists: repaired, if CAIS could have seen the repair (a file of this pairing
  // generated before the scan).
  std::vector<state::RepairItem> to_close;
  CAISSON_RETURN_IF_ERROR(store->ForEachRepairItem([&](const state::RepairItem& item) {
    if (item.status != "open" || listed.contains(id_of(item.rejection_id, item.kind, item.firm_key))) {
      return Status::OK();
    }
    Result<state::FileEntry> file = store->GetFile(item.file);
    if (!file.ok() || file->correspondent_crd != set.correspondent_crd || file->file_date >= set.generation_date) {
      return Status::OK();
    }
    to_close.push_back(item);
    return Status::OK();
  }));

  CAISSON_RETURN_IF_ERROR(store->Write([&](state::Txn& txn) -> Status {
    for (const state::RepairItem& item : items) {
      bool inserted = false;
      CAISSON_RETURN_IF_ERROR(txn.AddRepairItem(item, &inserted));
      if (inserted) ++out.added;
    }
    for (const state::RepairItem& item : to_close) {
      CAISSON_RETURN_IF_ERROR(txn.CloseRepairItem(item.rejection_id, item.kind, item.firm_key, set.generation_date));
      ++out.closed;
    }
    return internal::AuditSet(txn, "outstanding_rejections", set, out.listed, out.added, out.closed, out.unlinked);
  }));
  return out;
}

}  // namespace caisson::feedback
