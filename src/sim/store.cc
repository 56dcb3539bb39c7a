// The simulator's store: one SQLite file holding what "CAIS" answered, accepted and rejected, so later runs
// judge replacements, transfers and repairs against earlier days, as CAIS does [§6.3; §6.6.2; App B 23004].
// It keeps fingerprints of TIDs only, never a tidValue.
#include <tuple>

#include <fmt/format.h>
#include <sqlite3.h>

#include "sim/internal.h"

namespace caisson::sim::internal {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS sim_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sim_answered (name TEXT NOT NULL, sha TEXT NOT NULL, submission_id INTEGER NOT NULL,
  integrity_error INTEGER NOT NULL, PRIMARY KEY (name, submission_id));
CREATE TABLE IF NOT EXISTS sim_fdid (crd INTEGER NOT NULL, fdid TEXT NOT NULL, file TEXT NOT NULL,
  submission_id INTEGER NOT NULL, PRIMARY KEY (crd, fdid));
CREATE TABLE IF NOT EXISTS sim_customer (crd INTEGER NOT NULL, tid_key TEXT NOT NULL, file TEXT NOT NULL,
  submission_id INTEGER NOT NULL, PRIMARY KEY (crd, tid_key));
CREATE TABLE IF NOT EXISTS sim_crd (crd INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS sim_rejection (id INTEGER NOT NULL, code INTEGER NOT NULL, fdid INTEGER NOT NULL,
  firm_designated_id TEXT NOT NULL, fdid_record_id INTEGER NOT NULL, customer_record_ids TEXT NOT NULL,
  large_trader_record_id INTEGER NOT NULL, tid_key TEXT NOT NULL, file TEXT NOT NULL,
  submission_id INTEGER NOT NULL, submitter INTEGER NOT NULL, crd INTEGER NOT NULL, corr INTEGER NOT NULL,
  identified TEXT NOT NULL, identified_unix INTEGER NOT NULL, status TEXT NOT NULL, PRIMARY KEY (id, code));
)sql";

// Schema 2 (sim_meta "schema" = 2): what the FDID Refresh Report [§3.8] and the Material Inconsistency checks
// [§6.4.1] need. A schema-1 store (no "schema" key) is migrated on open; its FDIDs get the File Generation
// Date and CAT Submitter ID of the file that carried them (the closest the old rows know of their
// acceptance).
constexpr int64_t kSchemaVersion = 2;
constexpr const char* kSchema2 = R"sql(
ALTER TABLE sim_fdid ADD COLUMN corr INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sim_fdid ADD COLUMN submitter INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sim_fdid ADD COLUMN accepted_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sim_fdid ADD COLUMN end_date INTEGER NOT NULL DEFAULT 0;
CREATE TABLE sim_mi_version (identity TEXT NOT NULL, crd INTEGER NOT NULL, corr INTEGER NOT NULL,
  submitter INTEGER NOT NULL, kind INTEGER NOT NULL, year_of_birth INTEGER NOT NULL,
  foreign_kind INTEGER NOT NULL, active INTEGER NOT NULL, file TEXT NOT NULL, submission_id INTEGER NOT NULL,
  customer_record_ids TEXT NOT NULL, fdids TEXT NOT NULL, accepted_unix INTEGER NOT NULL,
  PRIMARY KEY (identity, crd, corr));
CREATE TABLE sim_mi_attestation (identity TEXT NOT NULL, crd INTEGER NOT NULL, PRIMARY KEY (identity, crd));
CREATE TABLE sim_inconsistency (event_id TEXT NOT NULL, identity TEXT NOT NULL, crd INTEGER NOT NULL,
  corr INTEGER NOT NULL, code INTEGER NOT NULL, raised_unix INTEGER NOT NULL, identified TEXT NOT NULL,
  deadline TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (event_id, crd, corr, code));
)sql";

std::string Join(const std::vector<int64_t>& v) {
  std::string out;
  for (int64_t x : v) out += (out.empty() ? "" : ",") + std::to_string(x);
  return out;
}

std::string JoinText(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& x : v) out += (out.empty() ? "" : "\n") + x;
  return out;
}

std::vector<std::string> SplitText(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    size_t nl = s.find('\n');
    out.emplace_back(s.substr(0, nl));
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
  }
  return out;
}

// The n-th (0-based) `_`-separated part of a submission name `<sub>_<crd>_<YYYYMMDD>_...` [§5.1.1] as a
// number; 0 when it is not one.
int64_t PartOfName(std::string_view name, int n) {
  for (int skip = 0; skip < n; ++skip) {
    size_t us = name.find('_');
    if (us == std::string_view::npos) return 0;
    name.remove_prefix(us + 1);
  }
  name = name.substr(0, name.find('_'));
  if (name.empty() || name.size() > 17) return 0;
  int64_t v = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::vector<int64_t> Split(std::string_view s) {
  std::vector<int64_t> out;
  while (!s.empty()) {
    size_t comma = s.find(',');
    out.push_back(std::stoll(std::string(s.substr(0, comma))));
    s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
  }
  return out;
}

// A prepared statement finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql, Status* status) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK) {
      *status = Status::Internal("cais-sim store", sqlite3_errmsg(db));
    }
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  int Step() { return s_ == nullptr ? SQLITE_ERROR : sqlite3_step(s_); }
  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t));
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

}  // namespace

struct Db::Rep {
  sqlite3* db = nullptr;
  std::string path;
  ~Rep() {
    if (db != nullptr) sqlite3_close_v2(db);
  }
  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      Status s = Status::Corruption(path, err != nullptr ? err : "SQLite error");
      sqlite3_free(err);
      return s;
    }
    return Status::OK();
  }
  // Runs a statement that returns no rows.
  Status Done(Stmt& st, const Status& prepared) {
    if (!prepared.ok()) return prepared;
    if (st.Step() != SQLITE_DONE) return Status::IOError(path, sqlite3_errmsg(db));
    return Status::OK();
  }
};

Db::Db(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Db::~Db() = default;

Result<std::unique_ptr<Db>> Db::Open(const std::filesystem::path& path) {
  auto rep = std::make_unique<Rep>();
  rep->path = path.string();
  if (sqlite3_open_v2(rep->path.c_str(), &rep->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    return Status::IOError(rep->path, rep->db != nullptr ? sqlite3_errmsg(rep->db) : "cannot open");
  }
  sqlite3_busy_timeout(rep->db, 5000);
  Status s = rep->Exec(kSchema);
  if (!s.ok()) return Status::Corruption(rep->path, "not a cais-sim store: " + s.message());
  auto db = std::unique_ptr<Db>(new Db(std::move(rep)));
  CAISSON_RETURN_IF_ERROR(db->Migrate());
  return db;
}

Status Db::Migrate() {
  Status ok;
  int64_t version = 1;
  {
    Stmt get(rep_->db, "SELECT value FROM sim_meta WHERE key = 'schema'", &ok);
    if (!ok.ok()) return ok;
    if (get.Step() == SQLITE_ROW) version = get.Int(0);
  }
  if (version == kSchemaVersion) return Status::OK();
  if (version > kSchemaVersion) {
    return Status::Corruption(
        rep_->path, fmt::format("cais-sim store schema {} is newer than this build's {}", version, kSchemaVersion));
  }
  CAISSON_RETURN_IF_ERROR(rep_->Exec("BEGIN IMMEDIATE"));
  Status s = rep_->Exec(kSchema2);
  std::vector<std::tuple<int64_t, std::string, std::string>> rows;  // crd, fdid, file
  if (s.ok()) {
    Stmt st(rep_->db, "SELECT crd, fdid, file FROM sim_fdid", &s);
    while (s.ok() && st.Step() == SQLITE_ROW) rows.emplace_back(st.Int(0), st.Text(1), st.Text(2));
  }
  for (size_t i = 0; s.ok() && i < rows.size(); ++i) {
    const auto& [crd, fdid, file] = rows[i];
    Stmt up(rep_->db, "UPDATE sim_fdid SET accepted_on = ?3, submitter = ?4 WHERE crd = ?1 AND fdid = ?2",
            &s);
    up.Bind(1, crd).Bind(2, fdid).Bind(3, PartOfName(file, 2)).Bind(4, PartOfName(file, 0));
    s = rep_->Done(up, s);
  }
  if (s.ok()) {
    Stmt put(rep_->db, "INSERT OR REPLACE INTO sim_meta (key, value) VALUES ('schema', ?1)", &s);
    put.Bind(1, kSchemaVersion);
    s = rep_->Done(put, s);
  }
  if (!s.ok()) {
    (void)rep_->Exec("ROLLBACK");
    return Status::Corruption(rep_->path, "cannot migrate the cais-sim store: " + s.message());
  }
  return rep_->Exec("COMMIT");
}

Status Db::Begin() { return rep_->Exec("BEGIN IMMEDIATE"); }
Status Db::Commit() { return rep_->Exec("COMMIT"); }
void Db::Rollback() { (void)rep_->Exec("ROLLBACK"); }

Result<int64_t> Db::Next(std::string_view counter) {
  Status ok;
  int64_t start = counter == "submission" ? 1001 : counter == "inconsistency" ? 9001 : 5001;
  Stmt get(rep_->db, "SELECT value FROM sim_meta WHERE key = ?1", &ok);
  if (!ok.ok()) return ok;
  get.Bind(1, counter);
  int64_t value = get.Step() == SQLITE_ROW ? get.Int(0) : start;
  Stmt put(rep_->db, "INSERT OR REPLACE INTO sim_meta (key, value) VALUES (?1, ?2)", &ok);
  put.Bind(1, counter).Bind(2, value + 1);
  CAISSON_RETURN_IF_ERROR(rep_->Done(put, ok));
  return value;
}

Result<Db::Seen> Db::Answered(std::string_view name, std::string_view sha) const {
  Status ok;
  Stmt st(rep_->db, "SELECT sha, integrity_error FROM sim_answered WHERE name = ?1", &ok);
  if (!ok.ok()) return ok;
  st.Bind(1, name);
  Seen seen;
  while (st.Step() == SQLITE_ROW) {
    ++seen.times;
    if (st.Int(1) == 0) seen.passed_integrity = true;
    if (st.Text(0) == sha) seen.same_bytes = true;
  }
  return seen;
}

Status Db::AddAnswered(std::string_view name, std::string_view sha, int64_t submission_id,
                       bool integrity_error) {
  Status ok;
  Stmt st(rep_->db,
          "INSERT INTO sim_answered (name, sha, submission_id, integrity_error) VALUES (?1, ?2, ?3, ?4)",
          &ok);
  st.Bind(1, name).Bind(2, sha).Bind(3, submission_id).Bind(4, int64_t{integrity_error ? 1 : 0});
  return rep_->Done(st, ok);
}

Result<bool> Db::FdidAccepted(int64_t crd, std::string_view fdid) const {
  Status ok;
  Stmt st(rep_->db, "SELECT 1 FROM sim_fdid WHERE crd = ?1 AND fdid = ?2", &ok);
  if (!ok.ok()) return ok;
  st.Bind(1, crd).Bind(2, fdid);
  return st.Step() == SQLITE_ROW;
}

Status Db::AcceptFdid(const AcceptedFdid& f) {
  Status ok;
  Stmt st(rep_->db,
          "INSERT OR REPLACE INTO sim_fdid (crd, fdid, file, submission_id, corr, submitter, accepted_on, "
          "end_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
          &ok);
  st.Bind(1, f.crd).Bind(2, f.fdid).Bind(3, f.file).Bind(4, f.submission_id).Bind(5, f.corr);
  st.Bind(6, f.submitter).Bind(7, int64_t{f.accepted_on}).Bind(8, int64_t{f.end_date});
  return rep_->Done(st, ok);
}

Status Db::ForEachFdid(const std::function<Status(const AcceptedFdid&)>& fn) const {
  Status ok;
  Stmt st(rep_->db,
          "SELECT crd, fdid, file, submission_id, corr, submitter, accepted_on, end_date FROM sim_fdid "
          "ORDER BY crd, fdid",
          &ok);
  if (!ok.ok()) return ok;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    AcceptedFdid f;
    f.crd = st.Int(0);
    f.fdid = st.Text(1);
    f.file = st.Text(2);
    f.submission_id = st.Int(3);
    f.corr = st.Int(4);
    f.submitter = st.Int(5);
    f.accepted_on = static_cast<int32_t>(st.Int(6));
    f.end_date = static_cast<int32_t>(st.Int(7));
    CAISSON_RETURN_IF_ERROR(fn(f));
  }
  if (rc != SQLITE_DONE) return Status::IOError(rep_->path, sqlite3_errmsg(rep_->db));
  return Status::OK();
}

Status Db::AcceptCustomer(int64_t crd, std::string_view tid_key, std::string_view file,
                          int64_t submission_id) {
  Status ok;
  Stmt st(rep_->db,
          "INSERT OR REPLACE INTO sim_customer (crd, tid_key, file, submission_id) VALUES (?1, ?2, ?3, ?4)",
          &ok);
  st.Bind(1, crd).Bind(2, tid_key).Bind(3, file).Bind(4, submission_id);
  return rep_->Done(st, ok);
}

Result<bool> Db::KnownCrd(int64_t crd) const {
  Status ok;
  Stmt st(rep_->db, "SELECT 1 FROM sim_crd WHERE crd = ?1", &ok);
  if (!ok.ok()) return ok;
  st.Bind(1, crd);
  return st.Step() == SQLITE_ROW;
}

Status Db::AddCrd(int64_t crd) {
  Status ok;
  Stmt st(rep_->db, "INSERT OR IGNORE INTO sim_crd (crd) VALUES (?1)", &ok);
  st.Bind(1, crd);
  return rep_->Done(st, ok);
}

Status Db::AddRejection(const Rejection& r) {
  Status ok;
  Stmt st(rep_->db,
          "INSERT OR IGNORE INTO sim_rejection (id, code, fdid, firm_designated_id, fdid_record_id, "
          "customer_record_ids, large_trader_record_id, tid_key, file, submission_id, submitter, crd, corr, "
          "identified, identified_unix, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
          "?13, ?14, "
          "?15, ?16)",
          &ok);
  st.Bind(1, r.id).Bind(2, r.code).Bind(3, int64_t{r.fdid ? 1 : 0}).Bind(4, r.firm_designated_id);
  st.Bind(5, r.fdid_record_id).Bind(6, Join(r.customer_record_ids)).Bind(7, r.large_trader_record_id);
  st.Bind(8, r.tid_key).Bind(9, r.file).Bind(10, r.submission_id).Bind(11, r.submitter).Bind(12, r.crd);
  st.Bind(13, r.corr).Bind(14, r.identified).Bind(15, r.identified_unix).Bind(16, r.status);
  return rep_->Done(st, ok);
}

Status Db::ForEachRejection(bool open_only, const std::function<Status(const Rejection&)>& fn) const {
  Status ok;
  Stmt st(rep_->db,
          open_only ? "SELECT * FROM sim_rejection WHERE status = 'open' ORDER BY id, code"
                    : "SELECT * FROM sim_rejection ORDER BY id, code",
          &ok);
  if (!ok.ok()) return ok;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    Rejection r;
    r.id = st.Int(0);
    r.code = st.Int(1);
    r.fdid = st.Int(2) != 0;
    r.firm_designated_id = st.Text(3);
    r.fdid_record_id = st.Int(4);
    r.customer_record_ids = Split(st.Text(5));
    r.large_trader_record_id = st.Int(6);
    r.tid_key = st.Text(7);
    r.file = st.Text(8);
    r.submission_id = st.Int(9);
    r.submitter = st.Int(10);
    r.crd = st.Int(11);
    r.corr = st.Int(12);
    r.identified = st.Text(13);
    r.identified_unix = st.Int(14);
    r.status = st.Text(15);
    CAISSON_RETURN_IF_ERROR(fn(r));
  }
  if (rc != SQLITE_DONE) return Status::IOError(rep_->path, sqlite3_errmsg(rep_->db));
  return Status::OK();
}

Status Db::SetRejectionStatus(int64_t id, std::string_view status) {
  Status ok;
  Stmt st(rep_->db, "UPDATE sim_rejection SET status = ?2 WHERE id = ?1", &ok);
  st.Bind(1, id).Bind(2, status);
  return rep_->Done(st, ok);
}

namespace {

constexpr const char* kVersionColumns =
    "identity, crd, corr, submitter, kind, year_of_birth, foreign_kind, active, file, submission_id, "
    "customer_record_ids, fdids, accepted_unix";

MiVersion VersionOf(const Stmt& st) {
  MiVersion v;
  v.identity = st.Text(0);
  v.crd = st.Int(1);
  v.corr = st.Int(2);
  v.submitter = st.Int(3);
  v.kind = static_cast<int>(st.Int(4));
  v.year_of_birth = st.Int(5);
  v.foreign_kind = st.Int(6) != 0;
  v.active = st.Int(7) != 0;
  v.file = st.Text(8);
  v.submission_id = st.Int(9);
  v.customer_record_ids = Split(st.Text(10));
  v.fdids = SplitText(st.Text(11));
  v.accepted_unix = st.Int(12);
  return v;
}

}  // namespace

Result<std::optional<MiVersion>> Db::GetMiVersion(std::string_view identity, int64_t crd,
                                                  int64_t corr) const {
  Status ok;
  const std::string sql = fmt::format(
      "SELECT {} FROM sim_mi_version WHERE identity = ?1 AND crd = ?2 AND corr = ?3", kVersionColumns);
  Stmt st(rep_->db, sql.c_str(), &ok);
  if (!ok.ok()) return ok;
  st.Bind(1, identity).Bind(2, crd).Bind(3, corr);
  if (st.Step() != SQLITE_ROW) return std::optional<MiVersion>();
  return std::optional<MiVersion>(VersionOf(st));
}

Result<std::vector<MiVersion>> Db::MiVersions(std::string_view identity) const {
  Status ok;
  const std::string sql =
      fmt::format("SELECT {} FROM sim_mi_version WHERE identity = ?1 ORDER BY crd, corr", kVersionColumns);
  Stmt st(rep_->db, sql.c_str(), &ok);
  if (!ok.ok()) return ok;
  st.Bind(1, identity);
  std::vector<MiVersion> out;
  while (st.Step() == SQLITE_ROW) out.push_back(VersionOf(st));
  return out;
}

Status Db::PutMiVersion(const MiVersion& v) {
  Status ok;
  const std::string sql = fmt::format(
      "INSERT OR REPLACE INTO sim_mi_version ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
      "?12, ?13)",
      kVersionColumns);
  Stmt st(rep_->db, sql.c_str(), &ok);
  st.Bind(1, v.identity).Bind(2, v.crd).Bind(3, v.corr).Bind(4, v.submitter).Bind(5, int64_t{v.kind});
  st.Bind(6, v.year_of_birth).Bind(7, int64_t{v.foreign_kind ? 1 : 0}).Bind(8, int64_t{v.active ? 1 : 0});
  st.Bind(9, v.file).Bind(10, v.submission_id).Bind(11, Join(v.customer_record_ids));
  st.Bind(12, JoinText(v.fdids)).Bind(13, v.accepted_unix);
  return rep_->Done(st, ok);
}

Status Db::Attest(std::string_view identity, int64_t crd) {
  Status ok;
  Stmt st(rep_->db, "INSERT OR IGNORE INTO sim_mi_attestation (identity, crd) VALUES (?1, ?2)", &ok);
  st.Bind(1, identity).Bind(2, crd);
  return rep_->Done(st, ok);
}

Result<bool> Db::Attested(std::string_view identity, int64_t crd) const {
  Status ok;
  Stmt st(rep_->db, "SELECT 1 FROM sim_mi_attestation WHERE identity = ?1 AND crd = ?2", &ok);
  if (!ok.ok()) return ok;
  st.Bind(1, identity).Bind(2, crd);
  return st.Step() == SQLITE_ROW;
}

Status Db::AddInconsistency(const Inconsistency& m) {
  Status ok;
  Stmt st(rep_->db,
          "INSERT OR REPLACE INTO sim_inconsistency (event_id, identity, crd, corr, code, raised_unix, "
          "identified, deadline, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
          &ok);
  st.Bind(1, m.event_id).Bind(2, m.identity).Bind(3, m.crd).Bind(4, m.corr).Bind(5, m.code);
  st.Bind(6, m.raised_unix).Bind(7, m.identified).Bind(8, m.deadline).Bind(9, m.status);
  return rep_->Done(st, ok);
}

Status Db::IdentifyInconsistency(const Inconsistency& m) { return AddInconsistency(m); }

Status Db::ForEachOpenInconsistency(const std::function<Status(const Inconsistency&)>& fn) const {
  Status ok;
  Stmt st(rep_->db,
          "SELECT event_id, identity, crd, corr, code, raised_unix, identified, deadline, status FROM "
          "sim_inconsistency WHERE status = 'open' ORDER BY raised_unix, event_id, crd, corr, code",
          &ok);
  if (!ok.ok()) return ok;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    Inconsistency m;
    m.event_id = st.Text(0);
    m.identity = st.Text(1);
    m.crd = st.Int(2);
    m.corr = st.Int(3);
    m.code = st.Int(4);
    m.raised_unix = st.Int(5);
    m.identified = st.Text(6);
    m.deadline = st.Text(7);
    m.status = st.Text(8);
    CAISSON_RETURN_IF_ERROR(fn(m));
  }
  if (rc != SQLITE_DONE) return Status::IOError(rep_->path, sqlite3_errmsg(rep_->db));
  return Status::OK();
}

Status Db::ResolveInconsistencies(std::string_view identity, int64_t crd, int* resolved, bool* interfirm) {
  Status ok;
  {
    Stmt st(rep_->db,
            "SELECT code FROM sim_inconsistency WHERE identity = ?1 AND crd = ?2 AND status = 'open'", &ok);
    if (!ok.ok()) return ok;
    st.Bind(1, identity).Bind(2, crd);
    while (st.Step() == SQLITE_ROW) {
      ++*resolved;
      if (st.Int(0) >= 40000) *interfirm = true;
    }
  }
  Stmt up(rep_->db,
          "UPDATE sim_inconsistency SET status = 'resolved' WHERE identity = ?1 AND crd = ?2 AND "
          "status = 'open'",
          &ok);
  up.Bind(1, identity).Bind(2, crd);
  return rep_->Done(up, ok);
}

bool CorrectionListOnly(int64_t code) {
  return code == 22001 || code == 22900 || code == 22526 || code == 22501 || code == 22914;
}

}  // namespace caisson::sim::internal
