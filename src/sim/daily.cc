// What CAIS does once a day or once a month beside the per-file feedback: the Material Inconsistency checks
// and their daily Outstanding Material Inconsistencies set [§6.4; §6.6.3–§6.6.4; Tables 22–23; App B Table
// 32], and the monthly FDID Refresh Report [§3.8; Tables 6–7].
//
// Classification (App B Table 32): a difference from the version the same CAT Reporter CRD accepted under the
// same correspondent CRD is intrafirm (3000x); one from another CRD's version is across firms (4000x), and so
// is one from the same clearing firm's version under another correspondent CRD (Table 32 files that case
// under 4000x too). Compared [§6.4.1]: yearOfBirth between natural persons (x002), and the natural-person /
// legal-entity kind under a FOREIGN OTHGOVT / NATIONALID TID (x004). ein (x003) is not: the judge enforces
// 22544 (an ein must hash to its EIN tidValue), and App B Table 32 generates no new 30003 / 40003 once 22544
// is in effect.
#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/finding.h"
#include "sim/internal.h"
#include "sim/sim.h"

namespace caisson::sim::internal {

namespace {

// The code suffix (2 yearOfBirth, 4 kind) of a difference between two accepted versions; 0 = none.
int Difference(const MiVersion& a, const MiVersion& b) {
  if (a.kind != b.kind) return a.foreign_kind && b.foreign_kind ? 4 : 0;
  if (a.kind == 1 && a.year_of_birth != 0 && b.year_of_birth != 0 && a.year_of_birth != b.year_of_birth) {
    return 2;
  }
  return 0;
}

// Raises `code` against the (identity, crd, corr) record unless one is outstanding already [§6.4.1 r8]. The
// customer keeps one inconsistencyEventID while any of its rows is open [§6.4.2 r9].
Status Raise(const MiVersion& at, int64_t code, int64_t raised_unix, Db* db) {
  std::string event_id;
  bool outstanding = false;
  CAISSON_RETURN_IF_ERROR(db->ForEachOpenInconsistency([&](const Inconsistency& m) {
    if (m.identity != at.identity) return Status::OK();
    if (event_id.empty()) event_id = m.event_id;
    if (m.crd == at.crd && m.corr == at.corr) outstanding = true;
    return Status::OK();
  }));
  if (outstanding) return Status::OK();
  if (event_id.empty()) {
    Result<int64_t> n = db->Next("inconsistency");
    if (!n.ok()) return n.status();
    event_id = fmt::format("MI{}", *n);
  }
  Inconsistency m;
  m.event_id = event_id;
  m.identity = at.identity;
  m.crd = at.crd;
  m.corr = at.corr;
  m.code = code;
  m.raised_unix = raised_unix;
  return db->AddInconsistency(m);
}

std::string Timestamp(calendar::Instant t, Status* status) {
  Result<std::string> s = CaisTimestamp(t);
  if (!s.ok()) {
    *status = s.status();
    return "";
  }
  return *s;
}

void Field(std::string_view key, std::string* out) {
  if (out->size() > 1) out->append(", ");
  AppendJsonString(key, out);
  out->append(": ");
}

}  // namespace

Status OnCustomerAccepted(const MiVersion& accepted, bool update_notification, Db* db) {
  if (accepted.identity.empty()) return Status::OK();
  MiVersion v = accepted;
  Result<std::optional<MiVersion>> prior = db->GetMiVersion(v.identity, v.crd, v.corr);
  if (!prior.ok()) return prior.status();
  // Another version of the same customer in the same file [§3.9 option 2]: one record, its IDs together.
  if (*prior && (*prior)->submission_id == v.submission_id) {
    for (int64_t id : (*prior)->customer_record_ids) {
      if (std::find(v.customer_record_ids.begin(), v.customer_record_ids.end(), id) ==
          v.customer_record_ids.end())
        v.customer_record_ids.push_back(id);
    }
    std::sort(v.customer_record_ids.begin(), v.customer_record_ids.end());
    for (const std::string& f : (*prior)->fdids) {
      if (v.fdids.size() < 10 && std::find(v.fdids.begin(), v.fdids.end(), f) == v.fdids.end())
        v.fdids.push_back(f);
    }
    v.active = v.active || (*prior)->active;
  }
  // updateNotification true resolves what is open for this customer and CRD [§6.6.3 r1]; resolving an
  // interfirm one is the CRD's one-time attestation [§6.6.3 r2].
  if (update_notification) {
    int resolved = 0;
    bool interfirm = false;
    CAISSON_RETURN_IF_ERROR(db->ResolveInconsistencies(v.identity, v.crd, &resolved, &interfirm));
    if (interfirm) CAISSON_RETURN_IF_ERROR(db->Attest(v.identity, v.crd));
  }
  Result<std::vector<MiVersion>> all = db->MiVersions(v.identity);
  if (!all.ok()) return all.status();
  CAISSON_RETURN_IF_ERROR(db->PutMiVersion(v));
  // Only a customer with an open association to an open FDID receives one [§6.4.1 r1].
  if (!v.active) return Status::OK();
  // Intrafirm: against the version accepted since the last updateNotification true [§6.4.1 r2]; the flag
  // announces the change and none is raised [§6.6.4].
  if (*prior && (*prior)->submission_id != v.submission_id && !update_notification) {
    if (int d = Difference(**prior, v); d != 0) {
      CAISSON_RETURN_IF_ERROR(Raise(v, 30000 + d, v.accepted_unix, db));
    }
  }
  // Interfirm: against every other pairing's latest version, whatever the flag [§6.4.1 r3], reported to both
  // sides [r4], except to a CRD that attested [r5; §6.6.3 r2].
  Result<bool> attested = db->Attested(v.identity, v.crd);
  if (!attested.ok()) return attested.status();
  for (const MiVersion& other : *all) {
    if (other.crd == v.crd && other.corr == v.corr) continue;
    if (!other.active) continue;
    const int d = Difference(other, v);
    if (d == 0) continue;
    if (!*attested) CAISSON_RETURN_IF_ERROR(Raise(v, 40000 + d, v.accepted_unix, db));
    Result<bool> other_attested = db->Attested(other.identity, other.crd);
    if (!other_attested.ok()) return other_attested.status();
    if (!*other_attested) CAISSON_RETURN_IF_ERROR(Raise(other, 40000 + d, v.accepted_unix, db));
  }
  return Status::OK();
}

Status WriteInconsistencySet(const calendar::Calendar& cal, calendar::Instant cutoff, int32_t today,
                             const std::filesystem::path& dir, Db* db, std::vector<std::string>* written,
                             int64_t* rows) {
  const int64_t cutoff_unix =
      std::chrono::duration_cast<std::chrono::seconds>(cutoff.time_since_epoch()).count();
  // The scan identifies what was accepted by the cut-off [§6.4.1 r6]: identificationDate is the cut-off, the
  // deadline 17:00 ET on the third CAT Trading Day of the window starting with its day [§6.4.1 r7].
  Status status;
  const std::string identified = Timestamp(cutoff, &status);
  CAISSON_RETURN_IF_ERROR(status);
  Result<calendar::Date> day = cal.TradingDayOf(cutoff);
  if (!day.ok()) return day.status();
  Result<calendar::Deadline> due = calendar::InconsistencyDue(cal, *day);
  if (!due.ok()) return due.status();
  const std::string deadline = Timestamp(due->utc, &status);
  CAISSON_RETURN_IF_ERROR(status);

  std::vector<Inconsistency> open;
  CAISSON_RETURN_IF_ERROR(db->ForEachOpenInconsistency([&](const Inconsistency& m) {
    open.push_back(m);
    return Status::OK();
  }));
  std::map<SetWho, std::vector<SetRow>> sets;
  for (Inconsistency& m : open) {
    if (m.identified.empty()) {
      if (m.raised_unix > cutoff_unix) continue;  // the next day's scan [§6.4.1 r6]
      m.identified = identified;
      m.deadline = deadline;
      CAISSON_RETURN_IF_ERROR(db->IdentifyInconsistency(m));
    }
    Result<std::optional<MiVersion>> v = db->GetMiVersion(m.identity, m.crd, m.corr);
    if (!v.ok()) return v.status();
    if (!*v) continue;
    const MiVersion& at = **v;
    // Table 23, in its order. Table 23 spells the first key `Type`; the §6.4.3 example writes `type`. The
    // table's spelling is written (feedback reads both).
    std::string row = "{";
    Field("Type", &row);
    AppendJsonString("materialInconsistency", &row);
    Field("submissionFilename", &row);
    AppendJsonString(at.file, &row);
    Field("submissionID", &row);
    row += std::to_string(at.submission_id);
    Field("inconsistencyEventID", &row);
    AppendJsonString(m.event_id, &row);
    Field("customerRecordID", &row);
    row += '[';
    for (size_t i = 0; i < at.customer_record_ids.size(); ++i)
      row += (i == 0 ? "" : ", ") + std::to_string(at.customer_record_ids[i]);
    row += ']';
    Field("inconsistencyCode", &row);
    row += std::to_string(m.code);
    Field("identificationDate", &row);
    AppendJsonString(m.identified, &row);
    Field("inconsistencyDeadline", &row);
    AppendJsonString(m.deadline, &row);
    Field("firmDesignatedID", &row);
    row += '[';
    for (size_t i = 0; i < at.fdids.size(); ++i) {
      if (i > 0) row += ", ";
      AppendJsonString(at.fdids[i], &row);
    }
    row += "]}\n";
    sets[{at.submitter, m.crd, m.corr}].push_back({m.event_id, std::move(row)});
    ++*rows;
  }
  return WriteSets(
      dir, "OUTSTANDINGINCONSISTENCIES", today, sets,
      [](const SetWho& who, const std::vector<const SetRow*>& in_file, const std::string& data) {
        std::string meta = MetaHead(who);
        meta +=
            fmt::format("\"materialInconsistencyCount\": {}, \"errorFeedbackFileName\": ", in_file.size());
        AppendJsonString(data, &meta);
        return meta + "}\n";
      },
      written);
}

Status WriteRefreshReport(calendar::Date today, const std::filesystem::path& dir, Db* db,
                          std::vector<std::string>* written, int64_t* rows) {
  const int32_t today_num = today.year * 10000 + today.month * 100 + today.day;
  const int report_month = today.year * 12 + (today.month - 1);
  std::map<SetWho, std::vector<SetRow>> sets;
  CAISSON_RETURN_IF_ERROR(db->ForEachFdid([&](const AcceptedFdid& f) {
    // Open FDIDs (no fdidEndDate, or one after the run date) last accepted at least 11 calendar months before
    // the report's month [§3.8 r6].
    if (f.accepted_on <= 0 || (f.end_date != 0 && f.end_date <= today_num)) return Status::OK();
    const int accepted_month = (f.accepted_on / 10000) * 12 + (f.accepted_on / 100 % 100 - 1);
    if (report_month - accepted_month < 11) return Status::OK();
    // refreshDueDate: the last day of the 12-calendar-month period, read as the month-end of the twelfth
    // month after the acceptance's (the §3.8.1 example's dates are month-ends; Table 5 is still empty).
    const int due_month = accepted_month + 12;
    const std::chrono::year_month_day_last last{
        std::chrono::year(due_month / 12),
        std::chrono::month_day_last(std::chrono::month(due_month % 12 + 1))};
    const int32_t due = (due_month / 12) * 10000 + (due_month % 12 + 1) * 100 +
                        static_cast<int32_t>(static_cast<unsigned>(last.day()));
    std::string row = "{";
    Field("firmDesignatedID", &row);
    AppendJsonString(f.fdid, &row);
    Field("lastAcceptedFilename", &row);
    AppendJsonString(f.file, &row);
    Field("refreshDueDate", &row);
    row += std::to_string(due);
    Field("status", &row);
    AppendJsonString(due < today_num ? "OVERDUE" : "DUE", &row);
    row += "}\n";
    sets[{f.submitter, f.crd, f.corr}].push_back({f.fdid, std::move(row)});
    ++*rows;
    return Status::OK();
  }));
  return WriteSets(
      dir, "FDIDREFRESHREPORT", today_num, sets,
      [](const SetWho& who, const std::vector<const SetRow*>& in_file, const std::string& data) {
        std::string meta = MetaHead(who);
        meta += fmt::format("\"fdidRefreshCount\": {}, \"refreshReportFilename\": ", in_file.size());
        AppendJsonString(data, &meta);
        return meta + "}\n";
      },
      written);
}

}  // namespace caisson::sim::internal
