// Feedback into the state store (feedback.h Apply) [§6.1; §6.3; Tables 18–21].
#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <string>
#include <utility>

#include "audit/audit.h"
#include "delta/delta.h"
#include "feedback/feedback.h"
#include "feedback/internal.h"

namespace caisson::feedback {

namespace internal {

int32_t DateOf(const std::string& ts) {
  if (ts.size() < 8) return -1;
  int32_t v = 0;
  for (int i = 0; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(ts[static_cast<size_t>(i)]))) return -1;
    v = v * 10 + (ts[static_cast<size_t>(i)] - '0');
  }
  return v;
}

Result<state::RepairItem> DueFrom(const calendar::Calendar* cal, int32_t received) {
  state::RepairItem due;
  if (cal == nullptr) return due;
  calendar::LocalDateTime start;
  start.date = {received / 10000, received / 100 % 100, received % 100};
  Result<calendar::Date> t = cal->TradingDayOf(start);
  if (!t.ok()) return t.status();
  Result<calendar::Deadline> deadline = calendar::RepairDue(*cal, *t);
  if (!deadline.ok()) return deadline.status();
  due.received_on = t->year * 10000 + t->month * 100 + t->day;
  due.due_at = calendar::FormatUtc(deadline->utc);
  due.due_unix = std::chrono::duration_cast<std::chrono::seconds>(deadline->utc.time_since_epoch()).count();
  due.due_on = deadline->et.date.year * 10000 + deadline->et.date.month * 100 + deadline->et.date.day;
  return due;
}

}  // namespace internal

namespace {

using internal::DateOf;

// The feedback version a file's status records ("v3 RECORD_SCAN_COMPLETED" -> 3; "written" -> 0).
int SeenVersion(const std::string& status) {
  if (status.size() >= 3 && status[0] == 'v' && status[1] >= '1' && status[1] <= '4' && status[2] == ' ') {
    return status[1] - '0';
  }
  return 0;
}

// TID feedback warnings (249xx) on customers the paired Data File carried, by firm key.
using TidWarnings = std::vector<std::pair<std::string, int64_t>>;

Status AuditFeedback(state::Store* store, const FileFeedback& fb, std::string_view note,
                     const TidWarnings& warnings = {}) {
  audit::Event event;
  event.kind = "feedback";
  event.payload["file"] = fb.file_name;
  event.payload["version"] = int64_t{fb.version};
  event.payload["status"] = fb.status;
  event.payload["cais_submission_id"] = fb.submission_id;
  event.payload["rejection_items"] = static_cast<int64_t>(fb.rejections.size());
  if (!note.empty()) event.payload["note"] = std::string(note);
  if (!warnings.empty()) event.payload["tid_warnings"] = static_cast<int64_t>(warnings.size());
  return store->Write([&](state::Txn& txn) {
    for (const auto& [key, code] : warnings) CAISSON_RETURN_IF_ERROR(txn.AddTidWarning(fb.base_name, key, code));
    if (note.empty()) CAISSON_RETURN_IF_ERROR(txn.SetFileStatus(fb.base_name, fmt::format("v{} {}", fb.version, fb.status)));
    return audit::Append(txn, event);
  });
}

}  // namespace

Result<Applied> Apply(const spec::Profile& profile, const calendar::Calendar* cal, const FileFeedback& fb,
                      state::Store* store) {
  Applied out;
  if (fb.cat_reporter_crd >= 0) {
    Result<state::Info> info = store->GetInfo();
    if (!info.ok()) return info.status();
    if (info->cat_reporter_crd >= 0 && info->cat_reporter_crd != fb.cat_reporter_crd) {
      return Status::InvalidArgument(fb.file_name, fmt::format("feedback for CRD {}, the store belongs to CRD {}",
                                                               fb.cat_reporter_crd, info->cat_reporter_crd));
    }
  }
  Result<state::FileEntry> file = store->GetFile(fb.base_name);
  if (!file.ok()) {
    if (file.status().code() != Status::Code::kNotFound) return file.status();
    // [ARCHITECTURE feedback] a portal (caisweb) or another submitter's file: recorded, never refused.
    out.foreign = true;
    CAISSON_RETURN_IF_ERROR(AuditFeedback(store, fb, "not a file Caisson wrote"));
    return out;
  }
  if (fb.version <= SeenVersion(file->status)) {
    out.stale = true;  // replayed or late: feedback only moves forward
    return out;
  }
  if (!fb.data_file) {
    // [App. B Table 31] a 249xx warning names a TID record; the customer of the same customerRecordID in the
    // paired Data File is the one CAIS rejects for it (22526, 22900, 22914 or 22502).
    TidWarnings warnings;
    for (const RejectionItem& item : fb.rejections) {
      if (item.error_code < 24900 || item.error_code > 24999) continue;
      for (int64_t id : item.customer_record_ids) {
        Result<state::RecordMapEntry> m =
            store->LookupRecordId(file->partner, state::RecordKind::kCustomer, std::to_string(id));
        if (m.ok()) warnings.emplace_back(m->firm_key, item.error_code);
      }
    }
    out.tid_warnings = static_cast<int64_t>(warnings.size());
    CAISSON_RETURN_IF_ERROR(AuditFeedback(store, fb, "", warnings));
    return out;
  }
  if (!IsFinal(fb.status)) {
    CAISSON_RETURN_IF_ERROR(AuditFeedback(store, fb, ""));
    return out;
  }

  // A Data File at a final status: its records are settled [§6.3].
  delta::Acceptance acceptance;
  acceptance.submission_id = file->submission_id;
  acceptance.base_name = fb.base_name;
  acceptance.source = fb.file_name;
  acceptance.file_statuses = {{fb.base_name, fmt::format("v{} {}", fb.version, fb.status)}};
  acceptance.reject_all = fb.status != "COMPLETED_WITHOUT_REJECTIONS" && fb.status != "COMPLETED_WITH_REJECTIONS";
  acceptance.date = DateOf(fb.completed_timestamp.empty() ? fb.receipt_timestamp : fb.completed_timestamp);
  if (acceptance.date < 0) acceptance.date = DateOf(fb.receipt_timestamp);
  if (acceptance.date < 0) {
    return Status::Corruption(fb.file_name, "receiptTimestamp is not YYYYMMDDTHHMMSS.fffffffff");
  }
  // [§5.4.2; Table 15] the repair clock runs from T, the CAT Trading Day the data was received: Caisson takes
  // the business date of the books state the submission sent.
  Result<state::Submission> sub = store->GetSubmission(file->submission_id);
  if (!sub.ok()) return sub.status();
  Result<state::RepairItem> due_or = internal::DueFrom(cal, sub->as_of > 0 ? sub->as_of : DateOf(fb.receipt_timestamp));
  if (!due_or.ok()) return due_or.status();
  const state::RepairItem due = *due_or;
  auto repair = [&](const RejectionItem& item, state::RecordKind kind, const std::string& key) {
    if (!item.rejection_id) return;
    state::RepairItem r = due;
    r.rejection_id = *item.rejection_id;
    r.file = fb.base_name;
    r.kind = kind;
    r.firm_key = key;
    r.error_code = item.error_code;
    acceptance.repairs.push_back(std::move(r));
  };
  for (const RejectionItem& item : fb.rejections) {
    // An FDID error names the FDID (an LTID, address or trader error rejects its FDID [§6.3 R9]).
    if (item.fdid_record_id) {
      Result<state::RecordMapEntry> m =
          store->LookupRecordId(fb.base_name, state::RecordKind::kFdid, std::to_string(*item.fdid_record_id));
      if (m.ok()) {
        acceptance.rejected_fdids.push_back(m->firm_key);
        repair(item, state::RecordKind::kFdid, m->firm_key);
      }
    } else if (!item.firm_designated_id.empty()) {
      acceptance.rejected_fdids.push_back(item.firm_designated_id);
      repair(item, state::RecordKind::kFdid, item.firm_designated_id);
    }
    for (int64_t id : item.customer_record_ids) {
      Result<state::RecordMapEntry> m =
          store->LookupRecordId(fb.base_name, state::RecordKind::kCustomer, std::to_string(id));
      if (m.ok()) {
        acceptance.rejected_customers.push_back(m->firm_key);
        repair(item, state::RecordKind::kCustomer, m->firm_key);
      }
    }
  }
  Result<delta::Accepted> done = delta::Accept(profile, acceptance, store);
  if (!done.ok()) return done.status();
  out.settled = true;
  out.accepted_fdids = done->fdids;
  out.accepted_customers = done->customers;
  out.rejected_fdids = done->rejected_fdids;
  out.rejected_customers = done->rejected_customers;
  out.repair_items = static_cast<int64_t>(acceptance.repairs.size());
  return out;
}

}  // namespace caisson::feedback
