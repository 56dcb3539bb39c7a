// Active-account scope and INACTIVE ends (delta.h ApplyActivity) [§1.1; §3.8; §5.1.3.1 R22].
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "delta/delta.h"

namespace caisson::delta {

namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Ends the FDID and, as CAIS would cascade them [§3.8], its open roles and LTIDs, INACTIVE on `date`.
void EndInactive(model::Fdid* f, int32_t date) {
  f->fdid_end_date = model::Num::Of(date);
  f->fdid_end_reason = "INACTIVE";
  for (model::Association& a : f->fdid_customer_list) {
    if (a.role_end_date.has_value()) continue;
    a.role_end_date = model::Num::Of(date);
    a.role_end_reason = "INACTIVE";
  }
  for (model::LargeTrader& lt : f->large_trader_list) {
    if (lt.ltid_end_date.has_value()) continue;
    lt.ltid_end_date = model::Num::Of(date);
    lt.ltid_end_reason = "INACTIVE";
  }
}

}  // namespace

int32_t MonthsBefore(int32_t date, int months) {
  int y = date / 10000, m = date / 100 % 100 - months, d = date % 100;
  while (m < 1) {
    m += 12;
    --y;
  }
  if (d > DaysIn(y, m)) d = DaysIn(y, m);
  return y * 10000 + m * 100 + d;
}

Result<ActivityReport> ApplyActivity(model::Books* books, const validate::Holds& holds, const state::Store& store,
                                     const ActivityOptions& options) {
  ActivityReport report;
  const size_t n = books->fdids.size();
  report.out_of_scope_fdid.assign(n, false);
  absl::flat_hash_map<std::string_view, int32_t> index;
  index.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const model::Text& id = books->fdids[i].firm_designated_id;
    if (id) index.try_emplace(std::string_view(*id), static_cast<int32_t>(i));
  }
  std::vector<int32_t> inactive_since(n, 0);
  std::vector<bool> emitted(n, false);
  auto take = [&](const state::RecordState& r) {
    auto it = index.find(std::string_view(r.key));
    if (it != index.end()) {
      inactive_since[static_cast<size_t>(it->second)] = r.inactive_since;
      emitted[static_cast<size_t>(it->second)] = r.emitted.has_value();
    }
    return Status::OK();
  };
  if (!options.lookup) {
    CAISSON_RETURN_IF_ERROR(store.ForEachFdid(take));
  } else {
    for (const auto& [key, i] : index) {
      Result<state::RecordState> row = store.GetFdid(key);
      if (row.ok()) CAISSON_RETURN_IF_ERROR(take(*row));
      else if (row.status().code() != Status::Code::kNotFound) return row.status();
    }
  }
  const int32_t cutoff = SixMonthsBefore(options.as_of);
  for (size_t i = 0; i < n; ++i) {
    model::Fdid& f = books->fdids[i];
    if (f.fdid_end_date.has_value() || holds.fdid[i]) continue;  // the books' own end, or not sent anyway
    const bool known = f.last_activity_date.has_value();
    const int64_t last = known ? f.last_activity_date.value : 0;
    if (!known) ++report.without_activity;
    if (known && last < options.scope_start && !emitted[i]) {
      report.out_of_scope_fdid[i] = true;
      ++report.out_of_scope;
      continue;
    }
    if (inactive_since[i] > 0) {
      if (known && last > inactive_since[i]) {
        ++report.reactivated;  // left open: sent whole, its associations active [§3.8]
      } else {
        EndInactive(&f, inactive_since[i]);
        ++report.still_inactive;
      }
      continue;
    }
    if (options.end_inactive && known && last < cutoff) {
      EndInactive(&f, options.as_of);
      ++report.ended_inactive;
    }
  }
  return report;
}

}  // namespace caisson::delta
