// The reads of a Store: point lookups through cached statements, iteration through a statement of its own (so
// a callback may call any other read).
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <sqlite3.h>

#include "state/internal.h"
#include "state/state.h"

namespace caisson::state {

namespace {

constexpr const char* kStateColumns = CAISSON_STATE_COLUMNS;

std::optional<Fingerprint> ColumnFingerprint(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) != SQLITE_BLOB || sqlite3_column_bytes(s, i) != 16) return std::nullopt;
  Fingerprint fp;
  std::memcpy(fp.data(), sqlite3_column_blob(s, i), fp.size());
  return fp;
}

void ReadState(sqlite3_stmt* s, RecordState* rec) {
  const unsigned char* key = sqlite3_column_text(s, 0);
  rec->key.assign(reinterpret_cast<const char*>(key), static_cast<size_t>(sqlite3_column_bytes(s, 0)));
  rec->emitted = ColumnFingerprint(s, 1);
  rec->emitted_submission = sqlite3_column_int64(s, 2);
  rec->accepted = ColumnFingerprint(s, 3);
  rec->first_accepted = sqlite3_column_int(s, 4);
  rec->last_accepted = sqlite3_column_int(s, 5);
  rec->correspondent_crd = sqlite3_column_int64(s, 6);
  rec->flags = sqlite3_column_int(s, 7);
  rec->inactive_since = sqlite3_column_int(s, 8);
  rec->tid = ColumnFingerprint(s, 9);
  rec->emitted_validity = {sqlite3_column_int(s, 10), sqlite3_column_int(s, 11), sqlite3_column_int(s, 12)};
  rec->accepted_validity = {sqlite3_column_int(s, 13), sqlite3_column_int(s, 14), sqlite3_column_int(s, 15)};
  rec->emitted_mi_facts = sqlite3_column_int64(s, 16);
  rec->accepted_mi_facts = sqlite3_column_int64(s, 17);
  rec->scan = static_cast<uint64_t>(sqlite3_column_int64(s, 18));
}

// A key's row in the recent layer shadows its row in the main table (schema 8; Store::Compact).
Result<RecordState> GetState(Store::Rep& r, const char* recent_sql, const char* main_sql, std::string_view key,
                             const char* what) {
  for (const char* sql : {recent_sql, main_sql}) {
    Status st;
    sqlite3_stmt* s = r.Cached(sql, &st);
    if (s == nullptr) return st;
    StmtGuard g(s);
    BindText(s, 1, key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) continue;
    if (rc != SQLITE_ROW) return r.Error(rc, "read record state");
    RecordState rec;
    ReadState(s, &rec);
    return rec;
  }
  return Status::NotFound(r.path.string(), fmt::format("no {} {}", what, key));
}

using Stmt = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;

Result<Stmt> Prepare(Store::Rep& r, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(r.db, sql.c_str(), -1, &s, nullptr);
  if (rc != SQLITE_OK) return r.Error(rc, "prepare");
  return Stmt(s, &sqlite3_finalize);
}

std::string_view KeyColumn(sqlite3_stmt* s) {
  const unsigned char* p = sqlite3_column_text(s, 0);
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s, 0))};
}

// Walks the two layers of one kind of record in key order (`sql` selects the key first and has "{}" for the
// table), handing `row` the statement positioned on each key's newest row. Keys compare as SQLite's BINARY
// collation does: bytes as unsigned, then length (std::string_view::compare).
Status WalkLayers(Store::Rep& r, const std::string& sql, const char* recent, const char* main,
                  const std::function<Status(sqlite3_stmt*)>& row, const char* what) {
  Result<Stmt> a = Prepare(r, fmt::format(fmt::runtime(sql), recent));
  if (!a.ok()) return a.status();
  Result<Stmt> b = Prepare(r, fmt::format(fmt::runtime(sql), main));
  if (!b.ok()) return b.status();
  sqlite3_stmt* top = a->get();
  sqlite3_stmt* under = b->get();
  int rt = sqlite3_step(top);
  int ru = sqlite3_step(under);
  while (rt == SQLITE_ROW || ru == SQLITE_ROW) {
    int order = rt != SQLITE_ROW ? 1 : ru != SQLITE_ROW ? -1 : KeyColumn(top).compare(KeyColumn(under));
    if (order <= 0) {
      CAISSON_RETURN_IF_ERROR(row(top));
      if (order == 0) ru = sqlite3_step(under);
      rt = sqlite3_step(top);
    } else {
      CAISSON_RETURN_IF_ERROR(row(under));
      ru = sqlite3_step(under);
    }
  }
  if (rt != SQLITE_DONE) return r.Error(rt, what);
  return ru == SQLITE_DONE ? Status::OK() : r.Error(ru, what);
}

Status ForEachState(Store::Rep& r, const char* recent, const char* main,
                    const std::function<Status(const RecordState&)>& fn) {
  RecordState rec;  // one scratch row for the whole walk
  return WalkLayers(r, fmt::format("SELECT {} FROM {{}} ORDER BY key", kStateColumns), recent, main,
                    [&](sqlite3_stmt* s) {
                      ReadState(s, &rec);
                      return fn(rec);
                    },
                    "iterate record states");
}

Status ForEachDigest(Store::Rep& r, const char* recent, const char* main, bool fdids,
                     const std::function<Status(const DigestRow&)>& fn) {
  // The three tests in one column (bits 0-2): fewer column calls on a walk of every record. (In SQLite `|` and
  // `<<` bind equally tight, left to right: every shift is parenthesised.) The FDID-only columns are not read
  // for the 1.5 * 10^7 customers of a 10 M-FDID store.
  const std::string sql = fmt::format(
      "SELECT key, scan, (emitted IS NOT NULL) | ((accepted IS NOT NULL) << 1) | "
      "((emitted IS NOT NULL AND emitted IS accepted) << 2){} FROM {{}} ORDER BY key",
      fdids ? ", flags, last_accepted, inactive_since" : "");
  DigestRow row;
  return WalkLayers(r, sql, recent, main,
                    [&](sqlite3_stmt* s) {
                      row.key = KeyColumn(s);
                      row.scan = static_cast<uint64_t>(sqlite3_column_int64(s, 1));
                      const int bits = sqlite3_column_int(s, 2);
                      row.emitted = (bits & 1) != 0;
                      row.accepted = (bits & 2) != 0;
                      row.settled = (bits & 4) != 0;
                      if (fdids) {
                        row.flags = sqlite3_column_int(s, 3);
                        row.last_accepted = sqlite3_column_int(s, 4);
                        row.inactive_since = sqlite3_column_int(s, 5);
                      }
                      return fn(row);
                    },
                    "iterate record digests");
}

Result<int64_t> Count(Store::Rep& r, const char* sql) {
  Status st;
  sqlite3_stmt* s = r.Cached(sql, &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) return r.Error(rc, "count");
  return static_cast<int64_t>(sqlite3_column_int64(s, 0));
}

}  // namespace

namespace {

constexpr const char* kGetFdidRecent = "SELECT " CAISSON_STATE_COLUMNS " FROM fdid_recent WHERE key = ?1";
constexpr const char* kGetFdid = "SELECT " CAISSON_STATE_COLUMNS " FROM fdid_state WHERE key = ?1";
constexpr const char* kGetCustomerRecent = "SELECT " CAISSON_STATE_COLUMNS " FROM customer_recent WHERE key = ?1";
constexpr const char* kGetCustomer = "SELECT " CAISSON_STATE_COLUMNS " FROM customer_state WHERE key = ?1";

// What Preload read of `key`: nullptr when it was not preloaded; a nullopt inside when the store has no row.
const std::optional<RecordState>* Preloaded(const absl::flat_hash_map<std::string, std::optional<RecordState>>& m,
                                            std::string_view key) {
  if (m.empty()) return nullptr;
  auto it = m.find(absl::string_view(key.data(), key.size()));
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace

Result<RecordState> Store::GetFdid(std::string_view fdid) const {
  if (const std::optional<RecordState>* p = Preloaded(rep_->preloaded_fdids, fdid)) {
    if (*p) return **p;
    return Status::NotFound(rep_->path.string(), fmt::format("no FDID {}", fdid));
  }
  return GetState(*rep_, kGetFdidRecent, kGetFdid, fdid, "FDID");
}

Result<RecordState> Store::GetCustomer(std::string_view customer_id) const {
  if (const std::optional<RecordState>* p = Preloaded(rep_->preloaded_customers, customer_id)) {
    if (*p) return **p;
    return Status::NotFound(rep_->path.string(), fmt::format("no customer {}", customer_id));
  }
  return GetState(*rep_, kGetCustomerRecent, kGetCustomer, customer_id, "customer");
}

Status Store::Preload(const std::vector<std::string_view>& fdids, const std::vector<std::string_view>& customers) {
  auto load = [&](const std::vector<std::string_view>& keys, const char* recent, const char* sql, const char* what,
                  absl::flat_hash_map<std::string, std::optional<RecordState>>* into) -> Status {
    absl::flat_hash_map<std::string, std::optional<RecordState>> m;
    m.reserve(keys.size());
    for (std::string_view key : keys) {
      Result<RecordState> r = GetState(*rep_, recent, sql, key, what);
      if (r.ok()) m.emplace(std::string(key), std::move(r).value());
      else if (r.status().code() == Status::Code::kNotFound) m.emplace(std::string(key), std::nullopt);
      else return r.status();
    }
    *into = std::move(m);
    return Status::OK();
  };
  CAISSON_RETURN_IF_ERROR(load(fdids, kGetFdidRecent, kGetFdid, "FDID", &rep_->preloaded_fdids));
  return load(customers, kGetCustomerRecent, kGetCustomer, "customer", &rep_->preloaded_customers);
}

Status Store::ForEachFdid(const std::function<Status(const RecordState&)>& fn) const {
  return ForEachState(*rep_, "fdid_recent", "fdid_state", fn);
}

Status Store::ForEachCustomer(const std::function<Status(const RecordState&)>& fn) const {
  return ForEachState(*rep_, "customer_recent", "customer_state", fn);
}

Status Store::ForEachFdidDigest(const std::function<Status(const DigestRow&)>& fn) const {
  return ForEachDigest(*rep_, "fdid_recent", "fdid_state", true, fn);
}

Status Store::ForEachCustomerDigest(const std::function<Status(const DigestRow&)>& fn) const {
  return ForEachDigest(*rep_, "customer_recent", "customer_state", false, fn);
}

// A key counts once, whichever layers hold it.
Result<int64_t> Store::CountFdids() const {
  return Count(*rep_,
               "SELECT (SELECT count(*) FROM fdid_state) + (SELECT count(*) FROM fdid_recent r WHERE NOT EXISTS "
               "(SELECT 1 FROM fdid_state m WHERE m.key = r.key))");
}
Result<int64_t> Store::CountCustomers() const {
  return Count(*rep_,
               "SELECT (SELECT count(*) FROM customer_state) + (SELECT count(*) FROM customer_recent r WHERE NOT "
               "EXISTS (SELECT 1 FROM customer_state m WHERE m.key = r.key))");
}

Result<Store::Layers> Store::CountLayers() const {
  Layers l;
  for (const char* kind : {"fdid", "customer"}) {
    const bool fdids = kind[0] == 'f';
    Result<int64_t> recent = Count(*rep_, fdids ? "SELECT count(*) FROM fdid_recent" : "SELECT count(*) FROM customer_recent");
    if (!recent.ok()) return recent.status();
    Result<std::string> main = rep_->Meta(fdids ? "state_main_fdids" : "state_main_customers");
    if (!main.ok()) return main.status();
    const int64_t m = std::strtoll(main->c_str(), nullptr, 10);
    l.recent += *recent;
    l.main += m;
    (fdids ? l.fdids_at_most : l.customers_at_most) = *recent + m;
  }
  return l;
}

Result<Submission> Store::GetSubmission(int64_t id) const {
  Status st;
  sqlite3_stmt* s = rep_->Cached(
      "SELECT id, created_at, kind, file_date, fdids, customers, tids, files, status, out_dir, input_digest, "
      "as_of, scan_context FROM submission WHERE id = ?1",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  sqlite3_bind_int64(s, 1, id);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return Status::NotFound(rep_->path.string(), fmt::format("no submission {}", id));
  if (rc != SQLITE_ROW) return rep_->Error(rc, "read submission");
  Submission sub;
  sub.id = sqlite3_column_int64(s, 0);
  sub.created_at = ColumnText(s, 1);
  sub.kind = ColumnText(s, 2);
  sub.file_date = sqlite3_column_int(s, 3);
  sub.fdids = sqlite3_column_int64(s, 4);
  sub.customers = sqlite3_column_int64(s, 5);
  sub.tids = sqlite3_column_int64(s, 6);
  sub.files = sqlite3_column_int64(s, 7);
  sub.status = ColumnText(s, 8);
  sub.out_dir = ColumnText(s, 9);
  sub.input_digest = ColumnText(s, 10);
  sub.as_of = sqlite3_column_int(s, 11);
  sub.scan_context = ColumnText(s, 12);
  return sub;
}

namespace {
constexpr const char* kFileColumns =
    "base_name, kind, partner, submission_id, cat_submitter_id, cat_reporter_crd, file_date, grp, "
    "file_number, correspondent_crd, compressed_bytes, uncompressed_bytes, sha256, fdid_records, "
    "customer_records, tid_records, status";

FileEntry FileRow(sqlite3_stmt* s) {
  FileEntry f;
  f.base_name = ColumnText(s, 0);
  f.kind = ColumnText(s, 1);
  f.partner = ColumnText(s, 2);
  f.submission_id = sqlite3_column_int64(s, 3);
  f.cat_submitter_id = sqlite3_column_int64(s, 4);
  f.cat_reporter_crd = sqlite3_column_int64(s, 5);
  f.file_date = sqlite3_column_int(s, 6);
  f.group = ColumnText(s, 7);
  f.file_number = sqlite3_column_int(s, 8);
  f.correspondent_crd = sqlite3_column_int64(s, 9);
  f.compressed_bytes = sqlite3_column_int64(s, 10);
  f.uncompressed_bytes = sqlite3_column_int64(s, 11);
  f.sha256 = ColumnText(s, 12);
  f.fdid_records = sqlite3_column_int64(s, 13);
  f.customer_records = sqlite3_column_int64(s, 14);
  f.tid_records = sqlite3_column_int64(s, 15);
  f.status = ColumnText(s, 16);
  return f;
}
}  // namespace

Result<FileEntry> Store::GetFile(std::string_view base_name) const {
  Status st;
  static const std::string sql = std::string("SELECT ") + kFileColumns + " FROM file WHERE base_name = ?1";
  sqlite3_stmt* s = rep_->Cached(sql.c_str(), &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, base_name);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) {
    return Status::NotFound(rep_->path.string(), fmt::format("{} is not in the name register", base_name));
  }
  if (rc != SQLITE_ROW) return rep_->Error(rc, "read file");
  return FileRow(s);
}

Status Store::ForEachFileOf(int64_t submission_id, const std::function<Status(const FileEntry&)>& fn) const {
  Status st;
  static const std::string sql =
      std::string("SELECT ") + kFileColumns + " FROM file WHERE submission_id = ?1 ORDER BY base_name";
  sqlite3_stmt* s = rep_->Cached(sql.c_str(), &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  sqlite3_bind_int64(s, 1, submission_id);
  std::vector<FileEntry> rows;  // a submission has a handful of files; collected so `fn` may write
  for (;;) {
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return rep_->Error(rc, "read files of a submission");
    rows.push_back(FileRow(s));
  }
  for (const FileEntry& f : rows) CAISSON_RETURN_IF_ERROR(fn(f));
  return Status::OK();
}

Result<int64_t> Store::LastSubmissionId() const {
  Status st;
  sqlite3_stmt* s = rep_->Cached("SELECT coalesce(max(id), 0) FROM submission", &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) return rep_->Error(rc, "last submission");
  return static_cast<int64_t>(sqlite3_column_int64(s, 0));
}

Result<int32_t> Store::NextFileNumber(int64_t cat_submitter_id, int64_t cat_reporter_crd, int32_t file_date,
                                      std::string_view group) const {
  Status st;
  sqlite3_stmt* s = rep_->Cached(
      "SELECT coalesce(max(file_number), 0) FROM file WHERE cat_submitter_id = ?1 AND cat_reporter_crd = ?2 "
      "AND file_date = ?3 AND grp = ?4",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  sqlite3_bind_int64(s, 1, cat_submitter_id);
  sqlite3_bind_int64(s, 2, cat_reporter_crd);
  sqlite3_bind_int(s, 3, file_date);
  BindText(s, 4, group);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) return rep_->Error(rc, "next file number");
  return static_cast<int32_t>(sqlite3_column_int(s, 0) + 1);
}

Result<RecordMapEntry> Store::LookupRecordId(std::string_view base_name, RecordKind kind,
                                             std::string_view record_id) const {
  Status st;
  sqlite3_stmt* s = rep_->Cached(
      "SELECT m.firm_key, m.fdid FROM record_map m JOIN file f ON f.id = m.file_id "
      "WHERE f.base_name = ?1 AND m.kind = ?2 AND m.record_id = ?3",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, base_name);
  sqlite3_bind_int(s, 2, static_cast<int>(kind));
  BindText(s, 3, record_id);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) {
    return Status::NotFound(rep_->path.string(), fmt::format("{}: no record ID {} of kind {}", base_name,
                                                             record_id, static_cast<int>(kind)));
  }
  if (rc != SQLITE_ROW) return rep_->Error(rc, "look up record ID");
  RecordMapEntry e;
  e.kind = kind;
  e.record_id.assign(record_id);
  e.firm_key = ColumnText(s, 0);
  e.fdid = ColumnText(s, 1);
  return e;
}

Status Store::ForEachRecordId(std::string_view base_name, RecordKind kind,
                              const std::function<Status(const RecordMapEntry&)>& fn) const {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(rep_->db,
                              "SELECT m.record_id, m.firm_key, m.fdid FROM record_map m JOIN file f ON f.id = m.file_id "
                              "WHERE f.base_name = ?1 AND m.kind = ?2",
                              -1, &s, nullptr);
  if (rc != SQLITE_OK) return rep_->Error(rc, "read record IDs");
  BindText(s, 1, base_name);
  sqlite3_bind_int(s, 2, static_cast<int>(kind));
  Status result;
  RecordMapEntry e;
  e.kind = kind;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    e.record_id = ColumnText(s, 0);
    e.firm_key = ColumnText(s, 1);
    e.fdid = ColumnText(s, 2);
    result = fn(e);
    if (!result.ok()) break;
  }
  if (result.ok() && rc != SQLITE_DONE) result = rep_->Error(rc, "read record IDs");
  sqlite3_finalize(s);
  return result;
}

Status Store::ForEachAuditRow(const std::function<Status(const AuditRow&)>& fn) const {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(rep_->db,
                              "SELECT seq, at, kind, actor, payload, prev_hash, hash FROM audit_event ORDER BY seq",
                              -1, &s, nullptr);
  if (rc != SQLITE_OK) return rep_->Error(rc, "prepare");
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owner(s, &sqlite3_finalize);
  AuditRow row;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    row.seq = sqlite3_column_int64(s, 0);
    row.at = ColumnText(s, 1);
    row.kind = ColumnText(s, 2);
    row.actor = ColumnText(s, 3);
    row.payload = ColumnText(s, 4);
    row.prev_hash = ColumnText(s, 5);
    row.hash = ColumnText(s, 6);
    CAISSON_RETURN_IF_ERROR(fn(row));
  }
  return rc == SQLITE_DONE ? Status::OK() : rep_->Error(rc, "iterate audit events");
}

Result<AuditHead> Store::GetAuditHead() const {
  AuditHead head;
  Result<std::string> seq = rep_->Meta("audit_head_seq");
  if (!seq.ok()) return seq.status();
  Result<std::string> hash = rep_->Meta("audit_head_hash");
  if (!hash.ok()) return hash.status();
  if (!seq->empty()) head.seq = std::strtoll(seq->c_str(), nullptr, 10);
  head.hash = std::move(hash.value());
  return head;
}

}  // namespace caisson::state
