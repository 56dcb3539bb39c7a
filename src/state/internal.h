// Private to state: the Store's representation and small SQLite helpers shared by store.cc and txn.cc.
#pragma once

#include <cstdint>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <absl/container/flat_hash_map.h>
#include <sqlite3.h>

#include "state/state.h"

namespace caisson::state {

// The columns of a record state (fdid_state, customer_state and their recent tables), in the order reads.cc
// reads them and txn.cc binds them.
#define CAISSON_STATE_COLUMNS                                                                        \
  "key, emitted, emitted_submission, accepted, first_accepted, last_accepted, correspondent_crd, flags, " \
  "inactive_since, tid, emitted_from, emitted_until, emitted_facts, accepted_from, accepted_until, accepted_facts, " \
  "emitted_mi_facts, accepted_mi_facts, scan"
#define CAISSON_PUT_STATE(table)                                  \
  "INSERT OR REPLACE INTO " table "(" CAISSON_STATE_COLUMNS ") " \
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"

struct Store::Rep {
  std::filesystem::path path;
  sqlite3* db = nullptr;
  int lock_fd = -1;
  bool in_txn = false;
  bool in_read = false;  // HoldRead's transaction is open
  bool in_place = false;  // the open Write puts record states into the main tables (WriteMode::kInPlace)
  // Preload's record states (nullopt: the store has no row of that key); Write drops them.
  // absl: found by string_view, no key copy per lookup (Select and the activity rules make ~10^6).
  absl::flat_hash_map<std::string, std::optional<RecordState>> preloaded_fdids, preloaded_customers;
  // Prepared once per Store, keyed by the address of the SQL literal (every caller passes a literal).
  std::unordered_map<const char*, sqlite3_stmt*> cache;
  // AddRecordId is called once per record of a file: remember the last file's id.
  std::string last_file;
  int64_t last_file_id = 0;
  // The deferred quick_check (Options::defer_integrity_check): its own read-only connection on another thread.
  // `integrity_db` is that connection while it runs, so the destructor can interrupt a check nobody awaits.
  std::future<Status> integrity;
  std::mutex integrity_mu;
  sqlite3* integrity_db = nullptr;
  Status integrity_status;

  ~Rep();
  // A Status naming the path, with a code from the SQLite result code.
  Status Error(int rc, std::string_view what) const;
  // Runs SQL without results.
  Status Exec(const char* sql);
  // The cached statement for `sql`, reset and unbound; nullptr and *status set on failure.
  sqlite3_stmt* Cached(const char* sql, Status* status);
  // The meta value of `key`; "" when absent.
  Result<std::string> Meta(std::string_view key);
};

// Resets a cached statement when the scope ends, so it never holds a read open.
class StmtGuard {
 public:
  explicit StmtGuard(sqlite3_stmt* s) : s_(s) {}
  ~StmtGuard() {
    if (s_ != nullptr) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }
  StmtGuard(const StmtGuard&) = delete;
  StmtGuard& operator=(const StmtGuard&) = delete;

 private:
  sqlite3_stmt* s_;
};

inline void BindText(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
inline std::string ColumnText(sqlite3_stmt* s, int i) {
  const unsigned char* p = sqlite3_column_text(s, i);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p),
                                                    static_cast<size_t>(sqlite3_column_bytes(s, i)));
}

}  // namespace caisson::state
