// Respond: one run of the simulated CAIS over an upload folder [§6.1–§6.3, §6.5, §6.6]. Each new pair is
// judged (judge.cc), then answered with its feedback versions; the day's Outstanding Rejections and Material
// Inconsistencies sets follow, and the FDID Refresh Report on its day (daily.cc).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "caisjson/caisjson.h"
#include "sim/judge.h"
#include "sim/sim.h"

namespace caisson::sim {

namespace {

namespace fs = std::filesystem;
using internal::FeedbackDoc;
using internal::Item;
using internal::Rejection;

bool IsUpload(const std::string& n) {
  if (n.find(".feedback.") != std::string::npos) return false;
  if (!n.ends_with(".json.bz2") && !n.ends_with(".json")) return false;
  return n.find("_CAIS_") != std::string::npos || n.find("_TIDS_") != std::string::npos;
}

std::string BaseOf(const std::string& name) {
  if (name.ends_with(".json.bz2")) return name.substr(0, name.size() - 9);
  if (name.ends_with(".json")) return name.substr(0, name.size() - 5);
  return name;
}

// The base name with the File Kind blanked: a Data File and its TID File share it [§5.1.1].
std::string PairKey(const std::string& base) {
  std::string key = base;
  size_t at = key.rfind("_CAIS_");
  if (at == std::string::npos) at = key.rfind("_TIDS_");
  if (at != std::string::npos) key.replace(at, 6, "_*_");
  return key;
}

calendar::Instant Plus(calendar::Instant t, int64_t seconds) { return t + std::chrono::seconds(seconds); }

// Feedback versions of one file [Tables 18, 19]: v1 FILE_ACKNOWLEDGED; v2 FILE_INTEGRITY_PASSED or
// COMPLETED_INTEGRITY_ERROR (final); v3 RECORD_SCAN_COMPLETED; v4 COMPLETED_WITH(OUT)_REJECTIONS or, for a
// TID File, COMPLETED.
struct Stamps {
  std::string ack, integrity, scan, done;
};

std::vector<FeedbackDoc> Versions(const FeedbackDoc& proto, const internal::Judged::File& f,
                                  const Stamps& ts) {
  std::vector<FeedbackDoc> out;
  FeedbackDoc v = proto;
  v.receipt = ts.ack;
  v.status = "FILE_ACKNOWLEDGED";
  v.history = {{"FILE_ACKNOWLEDGED", ts.ack}};
  out.push_back(v);
  if (f.integrity_error) {
    v.status = "COMPLETED_INTEGRITY_ERROR";
    v.completed = ts.integrity;
    v.history.emplace_back("COMPLETED_INTEGRITY_ERROR", ts.integrity);
    v.with_items = true;
    out.push_back(v);
    return out;
  }
  v.status = "FILE_INTEGRITY_PASSED";
  v.history.emplace_back("FILE_INTEGRITY_PASSED", ts.integrity);
  out.push_back(v);
  v.status = "RECORD_SCAN_COMPLETED";
  v.history.emplace_back("RECORD_SCAN_COMPLETED", ts.scan);
  v.with_items = true;
  // Table 20: the Data File counts from RECORD_SCAN_COMPLETED on; Table 21: the TID counts only at COMPLETED.
  v.counts = proto.data_file;
  out.push_back(v);
  v.status = proto.data_file
                 ? (f.items.empty() ? "COMPLETED_WITHOUT_REJECTIONS" : "COMPLETED_WITH_REJECTIONS")
                 : "COMPLETED";
  v.completed = ts.done;
  v.history.emplace_back(v.status, ts.done);
  v.counts = true;
  out.push_back(v);
  return out;
}

}  // namespace

Result<std::string> CaisTimestamp(calendar::Instant t) {
  Result<calendar::LocalDateTime> et = calendar::ToNewYork(t);
  if (!et.ok()) return et.status();
  return fmt::format("{:04d}{:02d}{:02d}T{:02d}{:02d}{:02d}.{:09d}", et->date.year, et->date.month,
                     et->date.day, et->hour, et->minute, et->second, et->nanos);
}

Result<Response> Respond(const spec::Profile& profile, const fs::path& upload_dir,
                         const fs::path& feedback_dir, const Options& options) {
  std::error_code ec;
  if (!fs::is_directory(upload_dir, ec))
    return Status::NotFound(upload_dir.string(), "no such upload folder");
  fs::create_directories(feedback_dir, ec);
  if (ec) return Status::IOError(feedback_dir.string(), ec.message());
  Result<calendar::LocalDateTime> now_et = calendar::ToNewYork(options.now);
  if (!now_et.ok()) return now_et.status();
  const calendar::Date today = now_et->date;
  const int32_t today_num = today.year * 10000 + today.month * 100 + today.day;
  if ((options.daily || options.refresh_report) && options.calendar == nullptr) {
    return Status::InvalidArgument("cais-sim", "the daily sets and the FDID Refresh Report need a calendar");
  }
  // The FDID Refresh Report is made available on the 3rd CAT Trading Day of each month [§3.8].
  bool refresh = options.refresh_report;
  if (options.daily && !refresh) {
    Result<calendar::Date> third = options.calendar->NthTradingDateOfMonth(today.year, today.month, 3);
    if (!third.ok()) return third.status();
    refresh = *third == today;
  }

  Result<std::unique_ptr<internal::Db>> db =
      internal::Db::Open(options.state.empty() ? feedback_dir / "cais-sim.db" : options.state);
  if (!db.ok()) return db.status();

  // The new files, grouped into pairs by name.
  std::map<std::string, internal::Pair> pairs;
  std::vector<fs::path> uploads;
  for (const auto& e : fs::directory_iterator(upload_dir, ec)) {
    if (e.is_regular_file() && IsUpload(e.path().filename().string())) uploads.push_back(e.path());
  }
  if (ec) return Status::IOError(upload_dir.string(), ec.message());
  std::sort(uploads.begin(), uploads.end());
  for (const fs::path& p : uploads) {
    const std::string name = p.filename().string();
    Result<std::string> sha = caisjson::Sha256OfFile(p);
    if (!sha.ok()) return sha.status();
    Result<internal::Db::Seen> seen = (*db)->Answered(name, *sha);
    if (!seen.ok()) return seen.status();
    internal::Pair& pair = pairs[PairKey(BaseOf(name))];
    internal::Upload& u = name.find("_TIDS_") != std::string::npos ? pair.tid : pair.data;
    u.path = p;
    u.name = name;
    u.sha = *sha;
    u.times_answered = seen->times;
    u.duplicate = seen->passed_integrity;
    u.answered = seen->same_bytes;
  }
  // A pair whose files were all answered with these bytes is still lying in the folder: skip it. A pair with
  // one new file is answered whole, the unchanged partner included (both files are resubmitted [§5.1.3]).
  std::erase_if(pairs, [](const auto& kv) {
    const internal::Pair& p = kv.second;
    return (p.data.name.empty() || p.data.answered) && (p.tid.name.empty() || p.tid.answered);
  });

  Response response;
  CAISSON_RETURN_IF_ERROR((*db)->Begin());
  auto fail = [&](const Status& s) -> Result<Response> {
    (*db)->Rollback();
    return s;
  };
  internal::JudgeOptions jopts;
  jopts.as_of = today_num;
  jopts.cat_submitter_id = options.cat_submitter_id;
  jopts.known_reporter_crds = options.known_reporter_crds;
  int64_t k = 0;
  for (auto& [key, pair] : pairs) {
    // Each pair k is received k seconds after `now`; its stages follow a minute apart.
    const calendar::Instant at = Plus(options.now, k++);
    Stamps ts;
    for (auto [out, offset] :
         {std::pair{&ts.ack, 0}, {&ts.integrity, 60}, {&ts.scan, 120}, {&ts.done, 180}}) {
      Result<std::string> t = CaisTimestamp(Plus(at, offset));
      if (!t.ok()) return fail(t.status());
      *out = *t;
    }
    jopts.integrity_timestamp = ts.integrity;
    jopts.scan_timestamp = ts.scan;
    jopts.scan_unix =
        std::chrono::duration_cast<std::chrono::seconds>(Plus(at, 120).time_since_epoch()).count();
    Result<internal::Judged> judged = internal::Judge(profile, jopts, &pair, db->get());
    if (!judged.ok()) return fail(judged.status());
    response.accepted_fdids += judged->accepted_fdids;
    response.rejected_fdids += judged->rejected_fdids;
    response.accepted_customers += judged->accepted_customers;
    response.rejected_customers += judged->rejected_customers;
    for (const internal::Judged::File* f : {&judged->data, &judged->tid}) {
      if (f->name.empty()) continue;
      FeedbackDoc proto;
      proto.data_file = f == &judged->data;
      proto.version = profile.schema_version();
      proto.submission_id = f->submission_id;
      proto.username = options.submitter_username;
      proto.submitter = judged->submitter;
      proto.crd = judged->crd;
      proto.corr = judged->corr;
      proto.fdids = judged->fdids;
      proto.fdids_ok = judged->fdids - judged->rejected_fdids;
      proto.naturals = judged->naturals;
      proto.naturals_ok = judged->naturals_ok;
      proto.entities = judged->entities;
      proto.entities_ok = judged->entities_ok;
      proto.corrections = judged->corrections;
      proto.corrections_ok = judged->corrections - static_cast<int64_t>(judged->failed_corrections.size());
      proto.tids = judged->tids;
      proto.tids_ok = judged->tids_ok;
      proto.items = f->items;
      if (proto.data_file) proto.failed_corrections = judged->failed_corrections;
      // A name CAIS answered before gets its feedback under "<base>_<n>" (n = 2, 3, ...): §6.1.2 r2 appends
      // "a file version" to the base without saying how (derived).
      std::string base = BaseOf(f->name);
      if (f->times_answered > 0) base += "_" + std::to_string(f->times_answered + 1);
      FileOutcome outcome;
      outcome.name = f->name;
      outcome.feedback_base = base;
      outcome.data_file = proto.data_file;
      outcome.submission_id = f->submission_id;
      for (const Item& item : f->items) outcome.codes.push_back(item.code);
      int version = 0;
      for (const FeedbackDoc& doc : Versions(proto, *f, ts)) {
        const std::string name = fmt::format("{}.v{}.feedback.json.bz2", base, ++version);
        Status s = internal::WriteFile(feedback_dir, name, internal::FeedbackJson(doc), true);
        if (!s.ok()) return fail(s);
        response.written.push_back(name);
        outcome.status = doc.status;
      }
      outcome.last_version = version;
      response.files.push_back(std::move(outcome));
    }
  }

  // The daily Outstanding Rejections [§6.5]: rejections identified by 08:00 ET today and still open, one set
  // per (submitter, CRD, correspondent CRD), at most 400,000 rejectionIDs per data file.
  if (options.daily) {
    Result<calendar::Instant> cutoff = calendar::ToUtc(calendar::LocalDateTime{today, 8, 0, 0, 0});
    if (!cutoff.ok()) return fail(cutoff.status());
    const int64_t cutoff_unix =
        std::chrono::duration_cast<std::chrono::seconds>(cutoff->time_since_epoch()).count();
    std::map<internal::SetWho, std::vector<internal::SetRow>> sets;
    Status s = (*db)->ForEachRejection(true, [&](const Rejection& r) {
      if (r.identified_unix > cutoff_unix) return Status::OK();
      // The id is the rejectionID, marked with its kind for the metadata's two counts [Table 24].
      sets[{r.submitter, r.crd, r.corr}].push_back(
          {(r.fdid ? "F" : "C") + std::to_string(r.id), internal::OutstandingRowJson(r)});
      ++response.outstanding_rejections;
      return Status::OK();
    });
    if (!s.ok()) return fail(s);
    Status w = internal::WriteSets(
        feedback_dir, "OUTSTANDINGREJECTIONS", today_num, sets,
        [](const internal::SetWho& who, const std::vector<const internal::SetRow*>& rows,
           const std::string& data) {
          std::set<std::string> fdid_ids, customer_ids;
          for (const internal::SetRow* row : rows) {
            (row->id[0] == 'F' ? fdid_ids : customer_ids).insert(row->id);
          }
          return internal::MetaHead(who) + fmt::format(
                            "\"outstandingFDIDCount\": {}, \"outstandingCustomerCount\": {}, "
                            "\"errorFeedbackFileName\": \"{}\"}}\n",
                            fdid_ids.size(), customer_ids.size(), data);
        },
        &response.written);
    if (!w.ok()) return fail(w);
    response.daily_date = today_num;
    // The day's Material Inconsistencies scan, after the same 08:00 cut-off [§6.4.1 r6; §6.4.2].
    w = internal::WriteInconsistencySet(*options.calendar, *cutoff, today_num, feedback_dir, db->get(),
                                        &response.written, &response.outstanding_inconsistencies);
    if (!w.ok()) return fail(w);
  }
  if (refresh) {
    Status w = internal::WriteRefreshReport(today, feedback_dir, db->get(), &response.written,
                                            &response.refresh_fdids);
    if (!w.ok()) return fail(w);
    response.refresh_date = today_num;
  }
  CAISSON_RETURN_IF_ERROR((*db)->Commit());
  return response;
}

}  // namespace caisson::sim
