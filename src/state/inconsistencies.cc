// Material Inconsistencies (state.h Inconsistency) [§6.4; §6.6.3] and TID feedback warnings [App. B Table 31].
#include <fmt/format.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "state/internal.h"
#include "state/state.h"

namespace caisson::state {

Status Txn::AddInconsistency(const Inconsistency& item, bool* inserted) {
  Store::Rep& r = *store_->rep_;
  if (item.event_id.empty() || item.firm_key.empty()) {
    return Status::InvalidArgument(r.path.string(), "an inconsistency needs its event ID and customer");
  }
  Status st;
  sqlite3_stmt* s = r.Cached(
      "INSERT OR IGNORE INTO inconsistency(event_id, firm_key, code, file, identified_on, due_at, due_unix, due_on, "
      "status, closed_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', 0)",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, item.event_id);
  BindText(s, 2, item.firm_key);
  sqlite3_bind_int64(s, 3, item.code);
  BindText(s, 4, item.file);
  sqlite3_bind_int(s, 5, item.identified_on);
  BindText(s, 6, item.due_at);
  sqlite3_bind_int64(s, 7, item.due_unix);
  sqlite3_bind_int(s, 8, item.due_on);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) return r.Error(rc, "add inconsistency");
  if (inserted != nullptr) *inserted = sqlite3_changes(r.db) > 0;
  return Status::OK();
}

Status Txn::CloseInconsistencies(std::string_view firm_key, int32_t date, int64_t* closed) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s = r.Cached(
      "UPDATE inconsistency SET status = CASE WHEN due_on > 0 AND ?2 > due_on THEN 'late' ELSE 'resolved' END, "
      "closed_on = ?2 WHERE firm_key = ?1 AND status = 'open'",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, firm_key);
  sqlite3_bind_int(s, 2, date);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) return r.Error(rc, "close inconsistencies");
  if (closed != nullptr) *closed = sqlite3_changes(r.db);
  return Status::OK();
}

Status Txn::CloseInconsistency(std::string_view event_id, std::string_view firm_key, int32_t date) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s = r.Cached(
      "UPDATE inconsistency SET status = 'resolved', closed_on = ?3 WHERE event_id = ?1 AND firm_key = ?2 "
      "AND status = 'open'",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, event_id);
  BindText(s, 2, firm_key);
  sqlite3_bind_int(s, 3, date);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) return r.Error(rc, "close inconsistency");
  if (sqlite3_changes(r.db) == 0) return Status::NotFound(r.path.string(), "no such open inconsistency");
  return Status::OK();
}

Status Store::ForEachInconsistency(const std::function<Status(const Inconsistency&)>& fn) const {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(rep_->db,
                              "SELECT event_id, firm_key, code, file, identified_on, due_at, due_unix, due_on, status, "
                              "closed_on FROM inconsistency ORDER BY status <> 'open', due_unix, event_id, firm_key",
                              -1, &s, nullptr);
  if (rc != SQLITE_OK) return rep_->Error(rc, "read inconsistencies");
  Status result;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    Inconsistency item;
    item.event_id = ColumnText(s, 0);
    item.firm_key = ColumnText(s, 1);
    item.code = sqlite3_column_int64(s, 2);
    item.file = ColumnText(s, 3);
    item.identified_on = sqlite3_column_int(s, 4);
    item.due_at = ColumnText(s, 5);
    item.due_unix = sqlite3_column_int64(s, 6);
    item.due_on = sqlite3_column_int(s, 7);
    item.status = ColumnText(s, 8);
    item.closed_on = sqlite3_column_int(s, 9);
    result = fn(item);
    if (!result.ok()) break;
  }
  if (result.ok() && rc != SQLITE_DONE) result = rep_->Error(rc, "read inconsistencies");
  sqlite3_finalize(s);
  return result;
}

Status Txn::AddTidWarning(std::string_view tid_file, std::string_view firm_key, int64_t code) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s =
      r.Cached("INSERT OR IGNORE INTO tid_warning(tid_file, firm_key, code) VALUES (?1, ?2, ?3)", &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, tid_file);
  BindText(s, 2, firm_key);
  sqlite3_bind_int64(s, 3, code);
  int rc = sqlite3_step(s);
  return rc == SQLITE_DONE ? Status::OK() : r.Error(rc, "add TID warning");
}

Result<std::vector<int64_t>> Store::TidWarnings(std::string_view tid_file, std::string_view firm_key) const {
  Status st;
  sqlite3_stmt* s =
      rep_->Cached("SELECT code FROM tid_warning WHERE tid_file = ?1 AND firm_key = ?2 ORDER BY code", &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, tid_file);
  BindText(s, 2, firm_key);
  std::vector<int64_t> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.push_back(sqlite3_column_int64(s, 0));
  if (rc != SQLITE_DONE) return rep_->Error(rc, "read TID warnings");
  return out;
}

}  // namespace caisson::state
