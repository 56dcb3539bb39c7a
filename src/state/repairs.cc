// Repair items (state.h RepairItem) [§5.4.2; §6.3].
#include <fmt/format.h>
#include <sqlite3.h>

#include <string>

#include "state/internal.h"
#include "state/state.h"

namespace caisson::state {

Status Txn::AddRepairItem(RepairItem item, bool* inserted) {
  Store::Rep& r = *store_->rep_;
  Status st;
  // [§5.4.2] a repair rejected again keeps the original deadline: an open item of the record gives its own.
  sqlite3_stmt* open = r.Cached(
      "SELECT received_on, due_at, due_unix, due_on FROM repair_item WHERE record_kind = ?1 AND firm_key = ?2 "
      "AND status = 'open' ORDER BY due_unix LIMIT 1",
      &st);
  if (open == nullptr) return st;
  {
    StmtGuard g(open);
    sqlite3_bind_int(open, 1, static_cast<int>(item.kind));
    BindText(open, 2, item.firm_key);
    int rc = sqlite3_step(open);
    if (rc == SQLITE_ROW) {
      item.received_on = sqlite3_column_int(open, 0);
      item.due_at = ColumnText(open, 1);
      item.due_unix = sqlite3_column_int64(open, 2);
      item.due_on = sqlite3_column_int(open, 3);
    } else if (rc != SQLITE_DONE) {
      return r.Error(rc, "read repair items");
    }
  }
  sqlite3_stmt* s = r.Cached(
      "INSERT OR IGNORE INTO repair_item(rejection_id, file, record_kind, firm_key, error_code, received_on, due_at, "
      "due_unix, due_on, status, closed_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'open', 0)",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  sqlite3_bind_int64(s, 1, item.rejection_id);
  BindText(s, 2, item.file);
  sqlite3_bind_int(s, 3, static_cast<int>(item.kind));
  BindText(s, 4, item.firm_key);
  sqlite3_bind_int64(s, 5, item.error_code);
  sqlite3_bind_int(s, 6, item.received_on);
  BindText(s, 7, item.due_at);
  sqlite3_bind_int64(s, 8, item.due_unix);
  sqlite3_bind_int(s, 9, item.due_on);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) return r.Error(rc, "add repair item");
  if (inserted != nullptr) *inserted = sqlite3_changes(r.db) > 0;
  return Status::OK();
}

Status Txn::CloseRepairItems(RecordKind kind, std::string_view firm_key, int32_t date) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s = r.Cached(
      "UPDATE repair_item SET status = CASE WHEN due_on > 0 AND ?3 > due_on THEN 'late' ELSE 'repaired' END, "
      "closed_on = ?3 WHERE record_kind = ?1 AND firm_key = ?2 AND status = 'open'",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  sqlite3_bind_int(s, 1, static_cast<int>(kind));
  BindText(s, 2, firm_key);
  sqlite3_bind_int(s, 3, date);
  int rc = sqlite3_step(s);
  return rc == SQLITE_DONE ? Status::OK() : r.Error(rc, "close repair items");
}

Status Txn::CloseRepairItemsOf(int64_t rejection_id, int32_t date) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s = r.Cached(
      "UPDATE repair_item SET status = CASE WHEN due_on > 0 AND ?2 > due_on THEN 'late' ELSE 'repaired' END, "
      "closed_on = ?2 WHERE rejection_id = ?1 AND status = 'open'",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  sqlite3_bind_int64(s, 1, rejection_id);
  sqlite3_bind_int(s, 2, date);
  int rc = sqlite3_step(s);
  return rc == SQLITE_DONE ? Status::OK() : r.Error(rc, "close repair items of a rejection");
}

Status Txn::CloseRepairItem(int64_t rejection_id, RecordKind kind, std::string_view firm_key, int32_t date) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s = r.Cached(
      "UPDATE repair_item SET status = 'repaired', closed_on = ?4 WHERE rejection_id = ?1 AND record_kind = ?2 "
      "AND firm_key = ?3 AND status = 'open'",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  sqlite3_bind_int64(s, 1, rejection_id);
  sqlite3_bind_int(s, 2, static_cast<int>(kind));
  BindText(s, 3, firm_key);
  sqlite3_bind_int(s, 4, date);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) return r.Error(rc, "close repair item");
  if (sqlite3_changes(r.db) == 0) {
    return Status::NotFound(r.path.string(), fmt::format("no open repair item {}", rejection_id));
  }
  return Status::OK();
}

Status Store::ForEachRepairItem(const std::function<Status(const RepairItem&)>& fn) const {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(rep_->db,
                              "SELECT rejection_id, file, record_kind, firm_key, error_code, received_on, due_at, "
                              "due_unix, due_on, status, closed_on FROM repair_item "
                              "ORDER BY status <> 'open', due_unix, rejection_id",
                              -1, &s, nullptr);
  if (rc != SQLITE_OK) return rep_->Error(rc, "read repair items");
  Status result;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    RepairItem item;
    item.rejection_id = sqlite3_column_int64(s, 0);
    item.file = ColumnText(s, 1);
    item.kind = static_cast<RecordKind>(sqlite3_column_int(s, 2));
    item.firm_key = ColumnText(s, 3);
    item.error_code = sqlite3_column_int64(s, 4);
    item.received_on = sqlite3_column_int(s, 5);
    item.due_at = ColumnText(s, 6);
    item.due_unix = sqlite3_column_int64(s, 7);
    item.due_on = sqlite3_column_int(s, 8);
    item.status = ColumnText(s, 9);
    item.closed_on = sqlite3_column_int(s, 10);
    result = fn(item);
    if (!result.ok()) break;
  }
  if (result.ok() && rc != SQLITE_DONE) result = rep_->Error(rc, "read repair items");
  sqlite3_finalize(s);
  return result;
}

}  // namespace caisson::state
