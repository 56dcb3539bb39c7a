// The firm's CAT set-up and the files sent over SFTP (schema 6, issue #10): plain rows; `org` checks values.
#include <string>

#include <fmt/format.h>
#include <sqlite3.h>

#include "state/internal.h"
#include "state/state.h"

namespace caisson::state {

namespace {

Status StepDone(Store::Rep& r, sqlite3_stmt* s, std::string_view what) {
  int rc = sqlite3_step(s);
  return rc == SQLITE_DONE ? Status::OK() : r.Error(rc, what);
}

// Binds each argument in order (text or integer) and runs the cached statement.
void BindOne(sqlite3_stmt* s, int i, std::string_view v) { BindText(s, i, v); }
void BindOne(sqlite3_stmt* s, int i, int64_t v) { sqlite3_bind_int64(s, i, v); }

template <typename... Args>
Status Run(Store::Rep& r, const char* sql, std::string_view what, Args... args) {
  Status st;
  sqlite3_stmt* s = r.Cached(sql, &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  int i = 0;
  (BindOne(s, ++i, args), ...);
  return StepDone(r, s, what);
}

// Steps a fresh statement over every row, calling `row` for each; stops at the first non-OK.
Status Each(Store::Rep& r, const char* sql, std::string_view what, const std::function<Status(sqlite3_stmt*)>& row) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(r.db, sql, -1, &s, nullptr);
  if (rc != SQLITE_OK) return r.Error(rc, what);
  Status result;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    result = row(s);
    if (!result.ok()) break;
  }
  if (result.ok() && rc != SQLITE_DONE) result = r.Error(rc, what);
  sqlite3_finalize(s);
  return result;
}

Upload ReadUpload(sqlite3_stmt* s) {
  Upload u;
  u.id = sqlite3_column_int64(s, 0);
  u.at = ColumnText(s, 1);
  u.env = ColumnText(s, 2);
  u.host = ColumnText(s, 3);
  u.remote_path = ColumnText(s, 4);
  u.base_name = ColumnText(s, 5);
  u.bytes = sqlite3_column_int64(s, 6);
  u.sha256 = ColumnText(s, 7);
  u.actor = ColumnText(s, 8);
  return u;
}

constexpr const char* kUploadColumns = "id, at, env, host, remote_path, base_name, bytes, sha256, actor";

}  // namespace

Status Txn::SetOrgSetting(std::string_view key, std::string_view value) {
  return Run(*store_->rep_, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", "write org setting",
             std::string_view(fmt::format("org.{}", key)), value);
}

Status Txn::PutOrgMember(const OrgMember& m) {
  return Run(*store_->rep_,
             "INSERT OR REPLACE INTO org_member(crd, name, correspondent_crds, books_config) VALUES (?1, ?2, ?3, ?4)",
             "write member", m.crd, std::string_view(m.name), std::string_view(m.correspondent_crds),
             std::string_view(m.books_config));
}

Status Txn::PutOrgRelationship(const OrgRelationship& x) {
  return Run(*store_->rep_,
             "INSERT OR REPLACE INTO org_relationship(env, member_crd, start_date, end_date) VALUES (?1, ?2, ?3, ?4)",
             "write relationship", std::string_view(x.env), x.member_crd, int64_t{x.start_date},
             int64_t{x.end_date});
}

Status Txn::PutOrgSftpAccount(const OrgSftpAccount& a) {
  return Run(*store_->rep_,
             "INSERT OR REPLACE INTO org_sftp_account(env, username, entitlement, production) VALUES (?1, ?2, ?3, ?4)",
             "write SFTP account", std::string_view(a.env), std::string_view(a.user), std::string_view(a.entitlement),
             int64_t{a.production ? 1 : 0});
}

Status Txn::PutOrgUserRole(const OrgUserRole& x) {
  return Run(*store_->rep_, "INSERT OR REPLACE INTO org_user_role(username, role) VALUES (?1, ?2)", "write user role",
             std::string_view(x.user), std::string_view(x.role));
}

Status Txn::DeleteOrgUserRole(const OrgUserRole& x) {
  Store::Rep& r = *store_->rep_;
  CAISSON_RETURN_IF_ERROR(Run(r, "DELETE FROM org_user_role WHERE username = ?1 AND role = ?2", "revoke user role",
                              std::string_view(x.user), std::string_view(x.role)));
  if (sqlite3_changes(r.db) == 0) {
    return Status::NotFound(r.path.string(), fmt::format("user '{}' does not hold role '{}'", x.user, x.role));
  }
  return Status::OK();
}

Status Txn::AddUpload(Upload* u) {
  Store::Rep& r = *store_->rep_;
  Result<Upload> known = store_->GetUpload(u->env, u->base_name);
  if (known.ok()) {
    return Status::InvalidArgument(r.path.string(), fmt::format("{} was already sent to {} at {}", u->base_name,
                                                                u->env, known->at));
  }
  if (known.status().code() != Status::Code::kNotFound) return known.status();
  if (u->at.empty()) u->at = NowUtc();
  CAISSON_RETURN_IF_ERROR(Run(r,
                              "INSERT INTO upload(at, env, host, remote_path, base_name, bytes, sha256, actor) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              "record upload", std::string_view(u->at), std::string_view(u->env),
                              std::string_view(u->host), std::string_view(u->remote_path),
                              std::string_view(u->base_name), u->bytes, std::string_view(u->sha256),
                              std::string_view(u->actor)));
  u->id = sqlite3_last_insert_rowid(r.db);
  return Status::OK();
}

Result<std::string> Store::GetOrgSetting(std::string_view key) const { return rep_->Meta(fmt::format("org.{}", key)); }

Status Store::ForEachOrgMember(const std::function<Status(const OrgMember&)>& fn) const {
  return Each(*rep_, "SELECT crd, name, correspondent_crds, books_config FROM org_member ORDER BY crd",
              "read members", [&](sqlite3_stmt* s) {
                return fn(OrgMember{sqlite3_column_int64(s, 0), ColumnText(s, 1), ColumnText(s, 2), ColumnText(s, 3)});
              });
}

Status Store::ForEachOrgRelationship(const std::function<Status(const OrgRelationship&)>& fn) const {
  return Each(*rep_,
              "SELECT env, member_crd, start_date, end_date FROM org_relationship ORDER BY env, member_crd, start_date",
              "read relationships", [&](sqlite3_stmt* s) {
                return fn(OrgRelationship{ColumnText(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int(s, 2),
                                          sqlite3_column_int(s, 3)});
              });
}

Status Store::ForEachOrgSftpAccount(const std::function<Status(const OrgSftpAccount&)>& fn) const {
  return Each(*rep_, "SELECT env, username, entitlement, production FROM org_sftp_account ORDER BY env, username",
              "read SFTP accounts", [&](sqlite3_stmt* s) {
                return fn(OrgSftpAccount{ColumnText(s, 0), ColumnText(s, 1), ColumnText(s, 2),
                                         sqlite3_column_int(s, 3) != 0});
              });
}

Status Store::ForEachOrgUserRole(const std::function<Status(const OrgUserRole&)>& fn) const {
  return Each(*rep_, "SELECT username, role FROM org_user_role ORDER BY username, role", "read user roles",
              [&](sqlite3_stmt* s) { return fn(OrgUserRole{ColumnText(s, 0), ColumnText(s, 1)}); });
}

Result<Upload> Store::GetUpload(std::string_view env, std::string_view base_name) const {
  Status st;
  static const std::string sql =
      fmt::format("SELECT {} FROM upload WHERE env = ?1 AND base_name = ?2", kUploadColumns);
  sqlite3_stmt* s = rep_->Cached(sql.c_str(), &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, env);
  BindText(s, 2, base_name);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) return ReadUpload(s);
  if (rc == SQLITE_DONE) {
    return Status::NotFound(rep_->path.string(), fmt::format("{} was never sent to {}", base_name, env));
  }
  return rep_->Error(rc, "read upload");
}

Status Store::ForEachUpload(const std::function<Status(const Upload&)>& fn) const {
  static const std::string sql = fmt::format("SELECT {} FROM upload ORDER BY id", kUploadColumns);
  return Each(*rep_, sql.c_str(), "read uploads", [&](sqlite3_stmt* s) { return fn(ReadUpload(s)); });
}

}  // namespace caisson::state
