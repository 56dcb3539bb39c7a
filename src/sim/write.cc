// The JSON of CAIS's feedback files [§6.1.2; Tables 20, 21, 24, 25], written in the element order of the
// tables.
#include <set>

#include <fmt/format.h>

#include "base/finding.h"
#include "caisjson/caisjson.h"
#include "sim/internal.h"

namespace caisson::sim::internal {

namespace {

void Key(std::string_view key, std::string* out, bool* first) {
  if (!*first) out->append(", ");
  *first = false;
  AppendJsonString(key, out);
  out->append(": ");
}

void Str(std::string_view key, std::string_view value, std::string* out, bool* first) {
  Key(key, out, first);
  AppendJsonString(value, out);
}

void Int(std::string_view key, int64_t value, std::string* out, bool* first) {
  Key(key, out, first);
  out->append(std::to_string(value));
}

void Ids(std::string_view key, const std::vector<int64_t>& ids, std::string* out, bool* first) {
  Key(key, out, first);
  out->push_back('[');
  for (size_t i = 0; i < ids.size(); ++i) out->append((i == 0 ? "" : ", ") + std::to_string(ids[i]));
  out->push_back(']');
}

std::string ItemJson(const Item& item, bool data_file) {
  std::string out = "{";
  bool first = true;
  if (item.rejection_id >= 0) {
    Int("rejectionID", item.rejection_id, &out, &first);
  } else {
    Key("rejectionID", &out, &first);
    out.append("null");
  }
  if (!item.firm_designated_id.empty()) Str("firmDesignatedID", item.firm_designated_id, &out, &first);
  if (item.fdid_record_id >= 0) Int("fdidRecordID", item.fdid_record_id, &out, &first);
  if (item.large_trader_record_id >= 0) Int("largeTraderRecordID", item.large_trader_record_id, &out, &first);
  if (item.customer_record_id_null) {
    Key("customerRecordID", &out, &first);
    out.append("null");
  } else if (!item.customer_record_ids.empty()) {
    Ids("customerRecordID", item.customer_record_ids, &out, &first);
  }
  (void)data_file;
  Int("errorCode", item.code, &out, &first);
  Str("rejectionTimestamp", item.timestamp, &out, &first);
  out.push_back('}');
  return out;
}

}  // namespace

std::string FeedbackJson(const FeedbackDoc& d) {
  std::string out = "{";
  bool first = true;
  Str("version", d.version, &out, &first);
  if (d.data_file) {
    Int("submissionID", d.submission_id, &out, &first);
    Str("submitterUsername", d.username, &out, &first);
    if (d.submitter >= 0) Int("catSubmitterID", d.submitter, &out, &first);
    if (d.crd >= 0) Int("catReporterCRD", d.crd, &out, &first);
    if (d.corr > 0) Int("correspondentCRD", d.corr, &out, &first);
  } else {
    // Table 21: submissionID is Text (36) in the TID feedback.
    Str("submissionID", std::to_string(d.submission_id), &out, &first);
  }
  Str("submissionStatus", d.status, &out, &first);
  Str("receiptTimestamp", d.receipt, &out, &first);
  if (!d.completed.empty()) Str("completedTimestamp", d.completed, &out, &first);
  if (d.counts && d.data_file) {
    Int("receivedFDIDRecordCount", d.fdids, &out, &first);
    Int("successfulFDIDRecordCount", d.fdids_ok, &out, &first);
    Int("receivedNaturalRecordCount", d.naturals, &out, &first);
    Int("successfulNaturalRecordCount", d.naturals_ok, &out, &first);
    Int("receivedLegalEntityRecordCount", d.entities, &out, &first);
    Int("successfulLegalEntityRecordCount", d.entities_ok, &out, &first);
    Int("receivedCorrectionActionCount", d.corrections, &out, &first);
    Int("successfulCorrectionActionCount", d.corrections_ok, &out, &first);
  } else if (d.counts) {
    Int("receivedTIDsCount", d.tids, &out, &first);
    Int("successfulTIDsCount", d.tids_ok, &out, &first);
  }
  Key("statusHistory", &out, &first);
  out.push_back('{');
  bool inner = true;
  for (const auto& [status, ts] : d.history) Str(status, ts, &out, &inner);
  out.push_back('}');
  if (d.with_items && !d.items.empty()) {
    Key("rejectionItems", &out, &first);
    out.push_back('[');
    for (size_t i = 0; i < d.items.size(); ++i)
      out.append((i == 0 ? "" : ", ") + ItemJson(d.items[i], d.data_file));
    out.push_back(']');
  }
  if (d.with_items && d.data_file && !d.failed_corrections.empty()) {
    Key("failedCorrectionItems", &out, &first);
    out.push_back('[');
    for (size_t i = 0; i < d.failed_corrections.size(); ++i) {
      out.append(fmt::format("{}{{\"failedRejectionID\": {}, \"warningCode\": {}}}", i == 0 ? "" : ", ",
                             d.failed_corrections[i].first, d.failed_corrections[i].second));
    }
    out.push_back(']');
  }
  out.append("}\n");
  return out;
}

std::string OutstandingRowJson(const Rejection& r) {
  std::string out = "{";
  bool first = true;
  Str("type", r.fdid ? "FDIDRejection" : "CustomerRejection", &out, &first);
  if (r.fdid) Str("rejectedFDID", r.firm_designated_id, &out, &first);
  Str("submissionFilename", r.file, &out, &first);
  Int("submissionID", r.submission_id, &out, &first);
  Int("rejectionID", r.id, &out, &first);
  if (r.fdid && r.fdid_record_id >= 0) Int("fdidRecordID", r.fdid_record_id, &out, &first);
  Int("errorCode", r.code, &out, &first);
  if (!r.customer_record_ids.empty()) Ids("customerRecordID", r.customer_record_ids, &out, &first);
  Str("rejectionTimestamp", r.identified, &out, &first);
  if (r.large_trader_record_id >= 0) Int("largeTraderRecordID", r.large_trader_record_id, &out, &first);
  out.append("}\n");
  return out;
}

std::string MetaHead(const SetWho& who) {
  const auto& [submitter, crd, corr] = who;
  std::string head = fmt::format("{{\"catSubmitterID\": {}, \"catReporterCRD\": {}, ", submitter, crd);
  if (corr > 0) head += fmt::format("\"correspondentCRD\": {}, ", corr);
  return head;
}

Status WriteSets(const std::filesystem::path& dir, std::string_view kind, int32_t date,
                 const std::map<SetWho, std::vector<SetRow>>& sets,
                 const std::function<std::string(const SetWho&, const std::vector<const SetRow*>&,
                                                 const std::string&)>& meta,
                 std::vector<std::string>* written) {
  constexpr size_t kMaxIds = 400000;
  for (const auto& [who, rows] : sets) {
    const auto& [submitter, crd, corr] = who;
    // No correspondentCRD in the submission: the element is left out of the name (the spec shows only names
    // with one; derived, as for the Outstanding Rejections).
    const std::string head = corr > 0 ? fmt::format("{}_{}_{}_{}", submitter, crd, corr, date)
                                      : fmt::format("{}_{}_{}", submitter, crd, date);
    int group = 0;
    size_t i = 0;
    while (i < rows.size()) {
      std::string data;
      std::set<std::string> ids;
      std::vector<const SetRow*> in_file;
      for (; i < rows.size(); ++i) {
        if (!ids.contains(rows[i].id) && ids.size() == kMaxIds) break;
        ids.insert(rows[i].id);
        in_file.push_back(&rows[i]);
        data += rows[i].json;
      }
      const std::string stem = fmt::format("{}_{}_{:06d}", head, kind, ++group);
      const std::string data_name = stem + "_data.json.bz2";
      CAISSON_RETURN_IF_ERROR(WriteFile(dir, data_name, data, true));
      written->push_back(data_name);
      CAISSON_RETURN_IF_ERROR(WriteFile(dir, stem + "_meta.json", meta(who, in_file, data_name), false));
      written->push_back(stem + "_meta.json");
    }
  }
  const std::string sentinel = fmt::format("{}_{}_processed", date, kind);
  CAISSON_RETURN_IF_ERROR(WriteFile(dir, sentinel, "", false));
  written->push_back(sentinel);
  return Status::OK();
}

Status WriteFile(const std::filesystem::path& dir, const std::string& name, std::string_view text, bool bz2) {
  caisjson::FileWriter w;
  CAISSON_RETURN_IF_ERROR(w.Open(dir / name, bz2, caisjson::Compressor::kLibbz2));
  CAISSON_RETURN_IF_ERROR(w.Write(text));
  return w.Commit();
}

}  // namespace caisson::sim::internal
