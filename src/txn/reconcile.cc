// Reconciler: CAT's FDID check [§2.4.2.1; App. E Table 178] predicted from the CAIS state.
#include "txn/reconcile.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>
#include <fmt/format.h>

#include "txn/internal.h"

namespace caisson::txn {

namespace {

enum class Cls : unsigned char {
  kNotSubmitted,
  kMissing,
  kSubmittedNotAccepted,
  kNotYetValid,
  kEnded,
  kPending,
  kPendingSupplement,
  kInconsistent,
};

constexpr std::string_view kRule[] = {
    "txn.fdid.not_submitted", "txn.fdid.missing", "txn.fdid.submitted_not_accepted", "txn.fdid.not_yet_valid",
    "txn.fdid.ended",         "txn.fdid.pending", "txn.fdid.pending_supplement",     "txn.fdid.inconsistent",
};

// Which deadline a class runs against.
enum class Due : unsigned char { kReport, kCaisRepair, kCatRepair, kNone };

Due DueOf(Cls c) {
  switch (c) {
    case Cls::kNotSubmitted: return Due::kReport;          // CAIS initial report, T+1 08:00 ET
    case Cls::kPending:
    case Cls::kPendingSupplement: return Due::kCatRepair;  // real FDID by T+3 08:00 ET [§2.4.2.1; §4.2]
    case Cls::kInconsistent: return Due::kNone;
    default: return Due::kCaisRepair;                      // CAIS corrections, T+3 17:00 ET [§2.4.2.1]
  }
}

struct Issue {
  Cls cls;
  int code;             // 0 = none
  const FdidSpec* where;
  uint32_t file;        // index into Rep::files
  uint64_t line;
  Timestamp ts;         // of the first event
  int64_t events;
  int32_t date;         // the date that failed (Event Date or tradeDate)
};

struct Entry {
  bool in_state = false;
  FdidState st;
  int32_t first_seen = 0, last_seen = 0;  // event dates
  std::vector<Issue> issues;
};

std::string FormatYmd(int32_t d) { return fmt::format("{:04d}-{:02d}-{:02d}", d / 10000, d / 100 % 100, d % 100); }

calendar::Date ToDate(int32_t ymd) { return calendar::Date{ymd / 10000, ymd / 100 % 100, ymd % 100}; }
int32_t FromDate(calendar::Date d) { return d.year * 10000 + d.month * 100 + d.day; }

}  // namespace

struct Reconciler::Rep {
  const Catalogue& cat;
  const calendar::Calendar& cal;
  ReconcileOptions opt;
  absl::flat_hash_map<std::string, Entry> map;
  std::vector<std::string> files;
  std::string last_file;
  int64_t fdid_values = 0;
  int64_t events = 0;
  int32_t first_date = 0, last_date = 0;
  int32_t as_of_date = 0;  // YYYYMMDD in New York

  // Per type (by position in cat.types()): where the fields the check reads sit, resolved once.
  struct TypeIdx {
    int holder = -1, trade_date = -1, correspondent = -1;
  };
  std::vector<TypeIdx> idx;
  std::string own_crd;  // the firm's CRD as text, for correspondentCRD

  Rep(const Catalogue& c, const calendar::Calendar& k, const ReconcileOptions& o) : cat(c), cal(k), opt(o) {
    auto et = calendar::ToNewYork(o.as_of);
    if (et.ok()) as_of_date = FromDate(et->date);
    for (const TypeSpec& t : cat.types()) {
      idx.push_back(TypeIdx{t.FieldIndex("accountHolderType"), t.FieldIndex("tradeDate"),
                            t.FieldIndex("correspondentCRD")});
    }
    SetCrd(o.cat_reporter_crd);
  }
  void SetCrd(int64_t crd) {
    opt.cat_reporter_crd = crd;
    own_crd = crd < 0 ? std::string() : std::to_string(crd);
  }

  uint32_t FileIndex(std::string_view file) {
    if (files.empty() || files.back() != file) files.emplace_back(file);
    return static_cast<uint32_t>(files.size() - 1);
  }

  void Open(Entry& e, Cls cls, int code, const FdidSpec* where, std::string_view file, const Event& ev,
            int32_t date) {
    for (Issue& is : e.issues) {
      if (is.cls == cls && is.code == code && is.where == where) {
        ++is.events;
        return;
      }
    }
    e.issues.push_back(Issue{cls, code, where, FileIndex(file), ev.line(), ev.event_timestamp(), 1, date});
  }

  // Whether the CAIS report of an FDID first used by an event of trading day T is still not due at as_of.
  bool ReportStillOpen(const Timestamp& ts) {
    auto t = TradingDay(ts);
    if (!t.ok()) return false;
    auto due = calendar::ReportDue(cal, *t);
    return due.ok() && opt.as_of < due->utc;
  }

  Result<calendar::Date> TradingDay(const Timestamp& ts) {
    calendar::LocalDateTime et;
    et.date = ToDate(ts.date);
    const int64_t secs = ts.nanos / 1'000'000'000;
    et.hour = static_cast<int>(secs / 3600);
    et.minute = static_cast<int>(secs / 60 % 60);
    et.second = static_cast<int>(secs % 60);
    et.nanos = static_cast<int32_t>(ts.nanos % 1'000'000'000);
    return cal.TradingDayOf(et);
  }

  void Check(std::string_view value, const FdidSpec& fs, const Event& ev, std::string_view file,
             std::string_view holder_type, int trade_date_index) {
    ++fdid_values;
    const bool firm_field = fs.field == "firmDesignatedID";
    if (firm_field && value == cat.pending_value()) {
      // A supplement carries the real FDID; 'PENDING' there is an ingestion error [Table 17 #12; 2270].
      const bool supplement = fs.object.empty() && fs.presence == 'C' && ev.type().ends_with("S");
      Entry& e = map[cat.pending_value()];
      if (supplement) {
        Open(e, Cls::kPendingSupplement, 2270, &fs, file, ev, ev.event_date());
      } else {
        Open(e, Cls::kPending, cat.pending_code(), &fs, file, ev, ev.event_date());
      }
      return;
    }
    auto it = map.find(absl::string_view(value.data(), value.size()));
    if (it == map.end()) it = map.emplace(std::string(value), Entry{}).first;
    Entry& e = it->second;
    const int32_t d = ev.event_date();
    if (d != 0) {
      if (e.first_seen == 0 || d < e.first_seen) e.first_seen = d;
      if (d > e.last_seen) e.last_seen = d;
    }
    // Which dates the value must be valid on [§2.4.2.1; 3702, 3710].
    int32_t dates[2] = {0, 0};
    int n = 0;
    if (fs.on_event_date && d != 0) dates[n++] = d;
    if (fs.on_trade_date) {
      const Field* tdf = ev.FieldAt(trade_date_index);
      const std::string_view td = tdf ? tdf->value : std::string_view();
      int32_t ymd = 0;
      if (internal::ParseYmd(td, &ymd)) dates[n++] = ymd;
    }
    if (!e.in_state || (!e.st.emitted && !e.st.accepted)) {
      const Cls cls = ReportStillOpen(ev.event_timestamp()) ? Cls::kNotSubmitted : Cls::kMissing;
      Open(e, cls, fs.missing_code, &fs, file, ev, n > 0 ? dates[0] : d);
      return;
    }
    if (!e.st.accepted) {
      Open(e, Cls::kSubmittedNotAccepted, fs.missing_code, &fs, file, ev, n > 0 ? dates[0] : d);
      return;
    }
    const state::Validity& v = e.st.accepted_validity;
    for (int i = 0; i < n; ++i) {
      if (v.from == 0 || dates[i] < v.from) {
        Open(e, Cls::kNotYetValid, fs.invalid_code, &fs, file, ev, dates[i]);
      } else if (v.until != 0 && v.until < dates[i]) {
        Open(e, Cls::kEnded, fs.invalid_code, &fs, file, ev, dates[i]);
      }
    }
    // accountHolderType 'O' (market making) on a new order needs accountType MARKET in CAIS [CAIS Table 8].
    if (firm_field && fs.presence == 'R' && !fs.on_trade_date && fs.object.empty() &&
        cat.IsChoice("market_making_account_holder_type", holder_type) && (v.facts & state::kValidityMarket) == 0) {
      Open(e, Cls::kInconsistent, 0, &fs, file, ev, d);
    }
  }

  void Add(const Event& ev, std::string_view file) {
    ++events;
    const int32_t d = ev.event_date();
    if (d != 0) {
      if (first_date == 0 || d < first_date) first_date = d;
      if (d > last_date) last_date = d;
    }
    const TypeSpec* spec = ev.spec();
    if (spec == nullptr || spec->fdid.empty() || ev.action_type() == "DEL") return;
    const TypeIdx& ti = idx[static_cast<size_t>(spec - cat.types().data())];
    for (const FdidSpec& fs : spec->fdid) {
      if (fs.unless_other_correspondent) {
        // newOrderFDID is checked only when correspondentCRD is blank or the reporter's own [3709/3710].
        const Field* corr = ev.FieldAt(ti.correspondent);
        if (corr != nullptr && !corr->value.empty() && corr->value != own_crd) continue;
      }
      if (fs.object.empty()) {
        const Field* f = ev.FieldAt(fs.field_index);
        if (f == nullptr || f->kind != JsonKind::kString || f->value.empty()) continue;
        const Field* h = ev.FieldAt(ti.holder);
        Check(f->value, fs, ev, file, h ? h->value : std::string_view(), ti.trade_date);
      } else {
        const int count = std::max(1, ev.ElementCount(fs.object));
        for (int i = 0; i < count; ++i) {
          const Field* f = ev.FindNested(fs.object, fs.field, i);
          if (f == nullptr || f->kind != JsonKind::kString || f->value.empty()) continue;
          const Field* h = ev.FindNested(fs.object, "accountHolderType", i);
          Check(f->value, fs, ev, file, h ? h->value : std::string_view(), ti.trade_date);
        }
      }
    }
  }

  Result<calendar::Deadline> DeadlineOf(Due due, const Timestamp& ts) {
    auto t = TradingDay(ts);
    if (!t.ok()) return t.status();
    switch (due) {
      case Due::kReport: return calendar::ReportDue(cal, *t);
      case Due::kCaisRepair: return calendar::RepairDue(cal, *t);
      case Due::kCatRepair: {
        // Repairs and 'PENDING' fixes: 08:00 ET on T+3 [§6.4; §7.6; App. D].
        auto t3 = cal.AddTradingDays(*t, 3);
        if (!t3.ok()) return t3.status();
        calendar::Deadline dl;
        dl.et.date = *t3;
        dl.et.hour = 8;
        auto utc = calendar::ToUtc(dl.et);
        if (!utc.ok()) return utc.status();
        dl.utc = *utc;
        return dl;
      }
      case Due::kNone: break;
    }
    return Status::Internal("reconcile", "no deadline");
  }

  std::string Message(const Issue& is, const Entry& e, std::string_view type) {
    const std::string field = is.where->path;
    std::string more = is.events > 1 ? fmt::format(" ({} events)", is.events) : std::string();
    switch (is.cls) {
      case Cls::kNotSubmitted:
        return fmt::format("{} on {}: not yet sent to CAIS; report it by T+1 08:00 ET or CAT raises {}{}", field,
                           type, is.code, more);
      case Cls::kMissing:
        return fmt::format("{} on {}: not in CAIS (never sent); CAT raises {}{}", field, type, is.code, more);
      case Cls::kSubmittedNotAccepted:
        return fmt::format("{} on {}: sent to CAIS but not accepted; CAT reads accepted data only and raises {} "
                           "unless CAIS accepts it first{}",
                           field, type, is.code, more);
      case Cls::kNotYetValid:
        return fmt::format("{} on {}: no customer associated in CAIS on or before {} (from {}); CAT raises {}{}",
                           field, type, FormatYmd(is.date),
                           e.st.accepted_validity.from ? FormatYmd(e.st.accepted_validity.from) : "none", is.code,
                           more);
      case Cls::kEnded:
        return fmt::format("{} on {}: fdidEndDate {} is before {}; CAT raises {}{}", field, type,
                           FormatYmd(e.st.accepted_validity.until), FormatYmd(is.date), is.code, more);
      case Cls::kPending:
        return fmt::format("{} on {} is 'PENDING': CAT raises {}; send the real FDID (supplement or COR) by T+3 "
                           "08:00 ET{}",
                           field, type, is.code, more);
      case Cls::kPendingSupplement:
        return fmt::format("{} on {} must not be 'PENDING' (ingestion error {}){}", field, type, is.code, more);
      case Cls::kInconsistent:
        return fmt::format("accountHolderType 'O' on {} but the FDID's CAIS record has no accountType MARKET{}",
                           type, more);
    }
    return {};
  }
};

Reconciler::Reconciler(const Catalogue& catalogue, const calendar::Calendar& cal, const ReconcileOptions& options)
    : rep_(std::make_unique<Rep>(catalogue, cal, options)) {}
Reconciler::~Reconciler() = default;

void Reconciler::AddState(const FdidState& s) {
  Entry& e = rep_->map[s.fdid];
  e.in_state = true;
  e.st = s;
}

Status Reconciler::LoadState(const state::Store& store) {
  if (rep_->opt.cat_reporter_crd < 0) {
    auto info = store.GetInfo();
    if (!info.ok()) return info.status();
    rep_->SetCrd(info->cat_reporter_crd);
  }
  return store.ForEachFdid([&](const state::RecordState& r) {
    FdidState s;
    s.fdid = r.key;
    // A rejection resets `emitted` to what CAIS holds (so the next delta resends), but the record was written:
    // emitted_submission says so.
    s.emitted = r.emitted.has_value() || r.emitted_submission != 0;
    s.accepted = r.accepted.has_value();
    s.emitted_validity = r.emitted_validity;
    s.accepted_validity = r.accepted_validity;
    s.first_accepted = r.first_accepted;
    AddState(s);
    return Status::OK();
  });
}

void Reconciler::Add(const Event& event, std::string_view file) { rep_->Add(event, file); }

Status Reconciler::Finish(std::vector<FdidFinding>* findings, ReconcileSummary* summary) {
  Rep& r = *rep_;
  std::vector<FdidFinding> out;
  std::vector<FdidFinding> inactive;
  int64_t seen = 0, in_state = 0;
  // A window start 6 months before as_of (same day of month, clamped).
  int32_t window = 0;
  {
    int y = r.as_of_date / 10000, m = r.as_of_date / 100 % 100, d = r.as_of_date % 100;
    m -= r.opt.inactive_months;
    while (m < 1) {
      m += 12;
      --y;
    }
    while (d > 28 && !internal::ValidDate(y, m, d)) --d;
    window = y * 10000 + m * 100 + d;
  }
  for (auto& [fdid, e] : r.map) {
    if (fdid == r.cat.pending_value() && !e.in_state) {
      // not an FDID: only its issues count
    } else {
      if (e.last_seen != 0 || !e.issues.empty()) ++seen;
      if (e.in_state) ++in_state;
    }
    for (const Issue& is : e.issues) {
      FdidFinding ff;
      Finding& f = ff.finding;
      f.rule = std::string(kRule[static_cast<int>(is.cls)]);
      f.severity = is.cls == Cls::kInconsistent ? Severity::kInconsistency : Severity::kReject;
      f.cais_code = is.code ? std::to_string(is.code) : std::string();
      f.record = RecordKind::kFdid;
      f.key = fdid;
      f.file = r.files[is.file];
      f.line = is.line;
      f.field = is.where->path;
      // The type is not kept per issue; the FdidSpec belongs to exactly one type's table.
      std::string_view type;
      for (const TypeSpec& t : r.cat.types()) {
        if (!t.fdid.empty() && &t.fdid.front() <= is.where && is.where <= &t.fdid.back()) {
          type = t.code;
          break;
        }
      }
      f.message = r.Message(is, e, type);
      ff.events = is.events;
      const Due due = DueOf(is.cls);
      if (due != Due::kNone) {
        // No deadline when the event has no usable eventTimestamp (the reader reported it) or its date lies
        // outside the calendar's years: the finding stands without one.
        auto dl = r.DeadlineOf(due, is.ts);
        if (dl.ok()) {
          ff.has_deadline = true;
          ff.deadline = *dl;
        }
      }
      out.push_back(std::move(ff));
    }
    if (r.opt.inactive_candidates && e.in_state && e.st.accepted && fdid != r.cat.pending_value()) {
      const state::Validity& v = e.st.accepted_validity;
      const bool open = v.until == 0 || v.until > r.as_of_date;
      const bool old_enough = e.st.first_accepted != 0 && e.st.first_accepted <= window;
      const bool active = e.last_seen != 0 && e.last_seen >= window;
      if (open && old_enough && !active) {
        FdidFinding ff;
        Finding& f = ff.finding;
        f.rule = "txn.fdid.inactive_candidate";
        f.severity = Severity::kWarning;
        f.record = RecordKind::kFdid;
        f.key = fdid;
        f.message = e.last_seen ? fmt::format("accepted and open in CAIS; last on an order event {}: candidate "
                                              "for fdidEndReason INACTIVE",
                                              FormatYmd(e.last_seen))
                                : "accepted and open in CAIS; on no order event read: candidate for "
                                  "fdidEndReason INACTIVE";
        inactive.push_back(std::move(ff));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const FdidFinding& a, const FdidFinding& b) {
    const Finding& x = a.finding;
    const Finding& y = b.finding;
    return std::tie(x.file, x.line, x.rule, x.field, x.key) < std::tie(y.file, y.line, y.rule, y.field, y.key);
  });
  std::sort(inactive.begin(), inactive.end(),
            [](const FdidFinding& a, const FdidFinding& b) { return a.finding.key < b.finding.key; });
  for (auto& f : out) {
    summary->findings_by_rule[f.finding.rule] += 1;
    if (!f.finding.cais_code.empty()) summary->events_by_code[f.finding.cais_code] += f.events;
    findings->push_back(std::move(f));
  }
  for (auto& f : inactive) {
    summary->findings_by_rule[f.finding.rule] += 1;
    findings->push_back(std::move(f));
  }
  summary->events += r.events;
  summary->fdid_values += r.fdid_values;
  summary->fdids_seen = seen;
  summary->fdids_in_state = in_state;
  summary->first_event_date = r.first_date;
  summary->last_event_date = r.last_date;
  return Status::OK();
}

}  // namespace caisson::txn
