// The simulator's store: one SQLite file holding what "CAIS" answered, accepted and rejected, so later runs
// judge replacements, transfers and repairs against earlier days, as CAIS does [§6.3; §6.6.2; App B 23004].
// It keeps fingerprints of TIDs only, never a tidValue.
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

std::string Join(const std::vector<int64_t>& v) {
  std::string out;
  for (int64_t x : v) out += (out.empty() ? "" : ",") + std::to_string(x);
  return out;
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
  return std::unique_ptr<Db>(new Db(std::move(rep)));
}

Status Db::Begin() { return rep_->Exec("BEGIN IMMEDIATE"); }
Status Db::Commit() { return rep_->Exec("COMMIT"); }
void Db::Rollback() { (void)rep_->Exec("ROLLBACK"); }

Result<int64_t> Db::Next(std::string_view counter) {
  Status ok;
  int64_t start = counter == "submission" ? 1001 : 5001;
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

Status Db::AcceptFdid(int64_t crd, std::string_view fdid, std::string_view file, int64_t submission_id) {
  Status ok;
  Stmt st(rep_->db,
          "INSERT OR REPLACE INTO sim_fdid (crd, fdid, file, submission_id) VALUES (?1, ?2, ?3, ?4)", &ok);
  st.Bind(1, crd).Bind(2, fdid).Bind(3, file).Bind(4, submission_id);
  return rep_->Done(st, ok);
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

bool CorrectionListOnly(int64_t code) {
  return code == 22001 || code == 22900 || code == 22526 || code == 22501 || code == 22914;
}

}  // namespace caisson::sim::internal
