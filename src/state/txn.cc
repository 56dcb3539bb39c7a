// The writes of a transaction (Txn). Every statement is prepared once per Store and reused.
#include <string>

#include <fmt/format.h>
#include <sqlite3.h>

#include "state/internal.h"
#include "state/state.h"

namespace caisson::state {

namespace {

void BindFingerprint(sqlite3_stmt* s, int i, const std::optional<Fingerprint>& fp) {
  if (fp) {
    sqlite3_bind_blob(s, i, fp->data(), static_cast<int>(fp->size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(s, i);
  }
}

// Runs a bound statement that returns no row.
Status StepDone(Store::Rep& r, sqlite3_stmt* s, std::string_view what) {
  int rc = sqlite3_step(s);
  return rc == SQLITE_DONE ? Status::OK() : r.Error(rc, what);
}

// Into the recent layer (schema 8; Store::Compact).
constexpr const char* kPutFdid = CAISSON_PUT_STATE("fdid_recent");
constexpr const char* kPutCustomer = CAISSON_PUT_STATE("customer_recent");

Status Put(Store::Rep& r, const char* sql, const RecordState& rec) {
  if (rec.key.empty()) return Status::InvalidArgument(r.path.string(), "a record state needs a key");
  Status st;
  sqlite3_stmt* s = r.Cached(sql, &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, rec.key);
  BindFingerprint(s, 2, rec.emitted);
  if (rec.emitted_submission > 0) sqlite3_bind_int64(s, 3, rec.emitted_submission);  // else NULL
  BindFingerprint(s, 4, rec.accepted);
  sqlite3_bind_int(s, 5, rec.first_accepted);
  sqlite3_bind_int(s, 6, rec.last_accepted);
  sqlite3_bind_int64(s, 7, rec.correspondent_crd);
  sqlite3_bind_int(s, 8, rec.flags);
  sqlite3_bind_int(s, 9, rec.inactive_since);
  BindFingerprint(s, 10, rec.tid);
  sqlite3_bind_int(s, 11, rec.emitted_validity.from);
  sqlite3_bind_int(s, 12, rec.emitted_validity.until);
  sqlite3_bind_int(s, 13, rec.emitted_validity.facts);
  sqlite3_bind_int(s, 14, rec.accepted_validity.from);
  sqlite3_bind_int(s, 15, rec.accepted_validity.until);
  sqlite3_bind_int(s, 16, rec.accepted_validity.facts);
  sqlite3_bind_int64(s, 17, rec.emitted_mi_facts);
  sqlite3_bind_int64(s, 18, rec.accepted_mi_facts);
  sqlite3_bind_int64(s, 19, static_cast<int64_t>(rec.scan));
  return StepDone(r, s, "write record state");
}

Status SetMeta(Store::Rep& r, std::string_view key, std::string_view value) {
  Status st;
  sqlite3_stmt* s = r.Cached("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, key);
  BindText(s, 2, value);
  return StepDone(r, s, "write meta");
}

}  // namespace

namespace {

// WriteMode::kInPlace: into the main table, and the key's recent row (which would shadow it) goes.
constexpr const char* kPutFdidMain = CAISSON_PUT_STATE("fdid_state");
constexpr const char* kPutCustomerMain = CAISSON_PUT_STATE("customer_state");

Status PutInPlace(Store::Rep& r, const char* put, const char* drop, const RecordState& rec) {
  CAISSON_RETURN_IF_ERROR(Put(r, put, rec));
  Status st;
  sqlite3_stmt* s = r.Cached(drop, &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, rec.key);
  return StepDone(r, s, "drop recent record state");
}

}  // namespace

Status Txn::PutFdid(const RecordState& rec) {
  Store::Rep& r = *store_->rep_;
  if (r.in_place) return PutInPlace(r, kPutFdidMain, "DELETE FROM fdid_recent WHERE key = ?1", rec);
  return Put(r, kPutFdid, rec);
}
Status Txn::PutCustomer(const RecordState& rec) {
  Store::Rep& r = *store_->rep_;
  if (r.in_place) return PutInPlace(r, kPutCustomerMain, "DELETE FROM customer_recent WHERE key = ?1", rec);
  return Put(r, kPutCustomer, rec);
}

Status Txn::SetFirm(int64_t cat_reporter_crd, int64_t cat_submitter_id) {
  Store::Rep& r = *store_->rep_;
  Result<Info> info = store_->GetInfo();
  if (!info.ok()) return info.status();
  if (info->cat_reporter_crd >= 0 && info->cat_reporter_crd != cat_reporter_crd) {
    return Status::InvalidArgument(fmt::format("books are for CRD {}, the store at {} belongs to CRD {}",
                                               cat_reporter_crd, r.path.string(), info->cat_reporter_crd));
  }
  if (info->cat_reporter_crd < 0) {
    CAISSON_RETURN_IF_ERROR(SetMeta(r, "cat_reporter_crd", std::to_string(cat_reporter_crd)));
  }
  if (cat_submitter_id >= 0 && info->cat_submitter_id != cat_submitter_id) {
    CAISSON_RETURN_IF_ERROR(SetMeta(r, "cat_submitter_id", std::to_string(cat_submitter_id)));
  }
  return Status::OK();
}

Status Txn::AddSubmission(Submission* sub) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s = r.Cached(
      "INSERT INTO submission(created_at, kind, file_date, fdids, customers, tids, files, status, out_dir, "
      "input_digest, as_of, scan_context) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  if (sub->created_at.empty()) sub->created_at = NowUtc();
  BindText(s, 1, sub->created_at);
  BindText(s, 2, sub->kind);
  sqlite3_bind_int(s, 3, sub->file_date);
  sqlite3_bind_int64(s, 4, sub->fdids);
  sqlite3_bind_int64(s, 5, sub->customers);
  sqlite3_bind_int64(s, 6, sub->tids);
  sqlite3_bind_int64(s, 7, sub->files);
  BindText(s, 8, sub->status);
  BindText(s, 9, sub->out_dir);
  BindText(s, 10, sub->input_digest);
  sqlite3_bind_int(s, 11, sub->as_of);
  BindText(s, 12, sub->scan_context);
  CAISSON_RETURN_IF_ERROR(StepDone(r, s, "add submission"));
  sub->id = sqlite3_last_insert_rowid(r.db);
  return Status::OK();
}

Status Txn::SetSubmissionStatus(int64_t id, std::string_view status) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s = r.Cached("UPDATE submission SET status = ?2 WHERE id = ?1", &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  sqlite3_bind_int64(s, 1, id);
  BindText(s, 2, status);
  CAISSON_RETURN_IF_ERROR(StepDone(r, s, "set submission status"));
  if (sqlite3_changes(r.db) == 0) return Status::NotFound(r.path.string(), fmt::format("no submission {}", id));
  return Status::OK();
}

Status Txn::AddFile(const FileEntry& f) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s = r.Cached(
      "INSERT INTO file(base_name, kind, partner, submission_id, cat_submitter_id, cat_reporter_crd, file_date, "
      "grp, file_number, correspondent_crd, compressed_bytes, uncompressed_bytes, sha256, fdid_records, "
      "customer_records, tid_records, status, registered_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
      &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, f.base_name);
  BindText(s, 2, f.kind);
  BindText(s, 3, f.partner);
  if (f.submission_id > 0) sqlite3_bind_int64(s, 4, f.submission_id);
  sqlite3_bind_int64(s, 5, f.cat_submitter_id);
  sqlite3_bind_int64(s, 6, f.cat_reporter_crd);
  sqlite3_bind_int(s, 7, f.file_date);
  BindText(s, 8, f.group);
  sqlite3_bind_int(s, 9, f.file_number);
  sqlite3_bind_int64(s, 10, f.correspondent_crd);
  sqlite3_bind_int64(s, 11, f.compressed_bytes);
  sqlite3_bind_int64(s, 12, f.uncompressed_bytes);
  BindText(s, 13, f.sha256);
  sqlite3_bind_int64(s, 14, f.fdid_records);
  sqlite3_bind_int64(s, 15, f.customer_records);
  sqlite3_bind_int64(s, 16, f.tid_records);
  BindText(s, 17, f.status);
  BindText(s, 18, NowUtc());
  int rc = sqlite3_step(s);
  if (rc == SQLITE_CONSTRAINT_UNIQUE) {
    return Status::InvalidArgument(r.path.string(), fmt::format("base name {} is already in the name register "
                                                                "(base names are never reused)", f.base_name));
  }
  if (rc != SQLITE_DONE) return r.Error(rc, fmt::format("register {}", f.base_name));
  return Status::OK();
}

namespace {

// Runs an UPDATE of one file's row: NotFound when no row has that base name.
Status UpdatedFile(Store::Rep& r, sqlite3_stmt* s, std::string_view base_name, std::string_view what) {
  CAISSON_RETURN_IF_ERROR(StepDone(r, s, what));
  if (sqlite3_changes(r.db) == 0) {
    return Status::NotFound(r.path.string(), fmt::format("{} is not in the name register", base_name));
  }
  return Status::OK();
}

}  // namespace

Status Txn::SetFileStatus(std::string_view base_name, std::string_view status) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s = r.Cached("UPDATE file SET status = ?2 WHERE base_name = ?1", &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, base_name);
  BindText(s, 2, status);
  return UpdatedFile(r, s, base_name, "set file status");
}

Status Txn::SetFileContent(std::string_view base_name, int64_t compressed_bytes, int64_t uncompressed_bytes,
                           std::string_view sha256) {
  Store::Rep& r = *store_->rep_;
  Status st;
  sqlite3_stmt* s = r.Cached(
      "UPDATE file SET compressed_bytes = ?2, uncompressed_bytes = ?3, sha256 = ?4 WHERE base_name = ?1", &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, base_name);
  sqlite3_bind_int64(s, 2, compressed_bytes);
  sqlite3_bind_int64(s, 3, uncompressed_bytes);
  BindText(s, 4, sha256);
  return UpdatedFile(r, s, base_name, "set file content");
}

Status Txn::AddRecordId(std::string_view base_name, const RecordMapEntry& e) {
  Store::Rep& r = *store_->rep_;
  Status st;
  if (r.last_file != base_name) {
    sqlite3_stmt* q = r.Cached("SELECT id FROM file WHERE base_name = ?1", &st);
    if (q == nullptr) return st;
    StmtGuard g(q);
    BindText(q, 1, base_name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE) {
      return Status::NotFound(r.path.string(), fmt::format("{} is not in the name register", base_name));
    }
    if (rc != SQLITE_ROW) return r.Error(rc, "find file");
    r.last_file.assign(base_name);
    r.last_file_id = sqlite3_column_int64(q, 0);
  }
  sqlite3_stmt* s = r.Cached(
      "INSERT INTO record_map(file_id, kind, record_id, firm_key, fdid) VALUES (?1, ?2, ?3, ?4, ?5)", &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  sqlite3_bind_int64(s, 1, r.last_file_id);
  sqlite3_bind_int(s, 2, static_cast<int>(e.kind));
  BindText(s, 3, e.record_id);
  BindText(s, 4, e.firm_key);
  BindText(s, 5, e.fdid);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status::InvalidArgument(r.path.string(), fmt::format("{}: record ID {} (kind {}) is mapped twice",
                                                                base_name, e.record_id, static_cast<int>(e.kind)));
  }
  return rc == SQLITE_DONE ? Status::OK() : r.Error(rc, "add record ID");
}

Result<AuditHead> Txn::GetAuditHead() const { return store_->GetAuditHead(); }

Status Txn::AppendAuditRow(const AuditRow& row) {
  Store::Rep& r = *store_->rep_;
  Result<AuditHead> head = store_->GetAuditHead();
  if (!head.ok()) return head.status();
  if (row.seq != head->seq + 1 || row.prev_hash != head->hash) {
    return Status::InvalidArgument(r.path.string(), fmt::format("audit event {} does not follow the head {}",
                                                                row.seq, head->seq));
  }
  Status st;
  sqlite3_stmt* s = r.Cached(
      "INSERT INTO audit_event(seq, at, kind, actor, payload, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      &st);
  if (s == nullptr) return st;
  {
    StmtGuard g(s);
    sqlite3_bind_int64(s, 1, row.seq);
    BindText(s, 2, row.at);
    BindText(s, 3, row.kind);
    BindText(s, 4, row.actor);
    BindText(s, 5, row.payload);
    BindText(s, 6, row.prev_hash);
    BindText(s, 7, row.hash);
    CAISSON_RETURN_IF_ERROR(StepDone(r, s, "append audit event"));
  }
  // The head in meta lets Verify notice a deleted last event, which leaves a chain that is valid on its own.
  CAISSON_RETURN_IF_ERROR(SetMeta(r, "audit_head_seq", std::to_string(row.seq)));
  return SetMeta(r, "audit_head_hash", row.hash);
}

}  // namespace caisson::state
