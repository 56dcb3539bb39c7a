// Opening a store (lock, checks, migrations), transactions and the reads.
#include "state/state.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <sqlite3.h>

#include "base/timings.h"
#include "state/internal.h"
#include "state/schema.h"

namespace caisson::state {

Store::Rep::~Rep() {
  if (integrity.valid()) {  // nobody awaited the check (an early failure): stop it rather than wait
    {
      std::lock_guard<std::mutex> hold(integrity_mu);
      if (integrity_db != nullptr) sqlite3_interrupt(integrity_db);
    }
    integrity.wait();
  }
  for (auto& [sql, stmt] : cache) sqlite3_finalize(stmt);
  if (db != nullptr) sqlite3_close_v2(db);
  if (lock_fd >= 0) ::close(lock_fd);  // releases the flock
}

Status Store::Rep::Error(int rc, std::string_view what) const {
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string msg = fmt::format("{}: {}", what, detail);
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status::Corruption(path.string(), msg);
    case SQLITE_CONSTRAINT:
      return Status::InvalidArgument(path.string(), msg);
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Status::IOError(path.string(), msg);
    default:
      return Status::Internal(path.string(), msg);
  }
}

Status Store::Rep::Exec(const char* sql) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::OK() : Error(rc, "sqlite");
}

sqlite3_stmt* Store::Rep::Cached(const char* sql, Status* status) {
  auto it = cache.find(sql);
  if (it != cache.end()) return it->second;
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) {
    *status = Error(rc, "prepare");
    return nullptr;
  }
  cache.emplace(sql, s);
  return s;
}

Result<std::string> Store::Rep::Meta(std::string_view key) {
  Status st;
  sqlite3_stmt* s = Cached("SELECT value FROM meta WHERE key = ?1", &st);
  if (s == nullptr) return st;
  StmtGuard g(s);
  BindText(s, 1, key);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) return ColumnText(s, 0);
  if (rc == SQLITE_DONE) return std::string();
  return Error(rc, "read meta");
}

namespace {

// Takes the process lock. flock belongs to the open file description, so a second Store in this process is
// refused like another process; O_CLOEXEC keeps child programs (lbzip2, a TID command) from inheriting it.
Status Lock(const std::filesystem::path& path, bool wait, int* fd_out) {
  const std::string lock_path = path.string() + ".lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(lock_path, std::strerror(errno));
  const int op = LOCK_EX | (wait ? 0 : LOCK_NB);
  while (::flock(fd, op) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) {
      char buf[32] = {0};
      ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
      ::close(fd);
      long pid = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
      std::string who = pid > 0 ? fmt::format("pid {}", pid) : std::string("pid unknown");
      return Status::IOError(fmt::format("another caisson run ({}) is using {}", who, path.string()));
    }
    int err = errno;
    ::close(fd);
    return Status::IOError(lock_path, std::strerror(err));
  }
  std::string pid = fmt::format("{}\n", static_cast<long>(::getpid()));
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    int err = errno;
    ::close(fd);
    return Status::IOError(lock_path, std::strerror(err));
  }
  *fd_out = fd;
  return Status::OK();
}

// Runs a query returning one integer (a PRAGMA); the SQLite code on failure.
int QueryInt(sqlite3* db, const char* sql, int64_t* out) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
      *out = sqlite3_column_int64(s, 0);
      rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(s);
  return rc;
}

// Refuses a store recorded for another firm before anything is written [issue #7 "Bad input must get"].
Status CheckFirm(Store::Rep& r, int64_t crd) {
  if (crd < 0) return Status::OK();
  Result<std::string> stored = r.Meta("cat_reporter_crd");
  if (!stored.ok()) return stored.status();
  if (stored->empty() || *stored == std::to_string(crd)) return Status::OK();
  return Status::InvalidArgument(fmt::format("books are for CRD {}, the store at {} belongs to CRD {}", crd,
                                             r.path.string(), *stored));
}

// Corruption naming the path unless SQLite's quick_check of `db` answers "ok".
Status QuickCheck(sqlite3* db, const std::filesystem::path& path) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, nullptr);
  std::string first;
  if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) first = ColumnText(s, 0);
  sqlite3_finalize(s);
  if (rc == SQLITE_INTERRUPT) return Status::Internal(path.string(), "quick_check interrupted");
  if (rc != SQLITE_ROW) {
    return Status::Corruption(path.string(), fmt::format("quick_check: {}", sqlite3_errmsg(db)));
  }
  if (first != "ok") return Status::Corruption(path.string(), "quick_check: " + first);
  return Status::OK();
}

Status Migrate(Store::Rep& r, int64_t from, const Options& options) {
  for (int64_t v = from + 1; v <= kSchemaVersion; ++v) {
    CAISSON_RETURN_IF_ERROR(r.Exec("BEGIN IMMEDIATE"));
    Status s = r.Exec(kMigrations[v - 1]);
    if (s.ok() && v == 1) {
      sqlite3_stmt* m = nullptr;
      int rc = sqlite3_prepare_v2(r.db, "INSERT INTO meta(key, value) VALUES ('created_at', ?1), ('created_by', ?2)",
                                  -1, &m, nullptr);
      if (rc == SQLITE_OK) {
        BindText(m, 1, NowUtc());
        BindText(m, 2, options.caisson_version);
        rc = sqlite3_step(m);
      }
      sqlite3_finalize(m);
      if (rc != SQLITE_DONE) s = r.Error(rc, "record meta");
    }
    if (s.ok()) s = r.Exec(fmt::format("PRAGMA user_version = {}", v).c_str());
    if (s.ok()) s = r.Exec("COMMIT");
    if (!s.ok()) {
      (void)r.Exec("ROLLBACK");
      return s;
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::filesystem::path& path, const Options& options) {
  std::error_code ec;
  if (!options.create_if_missing && !std::filesystem::exists(path, ec)) {
    return Status::NotFound(path.string(), "no state store (a full build creates it)");
  }
  auto rep = std::make_unique<Rep>();
  rep->path = path;
  CAISSON_RETURN_IF_ERROR(Lock(path, options.wait_for_lock, &rep->lock_fd));

  // NOMUTEX: a Store is used by one thread at a time (state.h), so SQLite need not lock its connection mutex on
  // every call; the fast delta's digest walk made 2.5 M rows x 6 column calls, each locking and unlocking it.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (options.create_if_missing ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &rep->db, flags, nullptr);
  if (rc != SQLITE_OK) return rep->Error(rc, "open");
  sqlite3_extended_result_codes(rep->db, 1);

  // Reading the version is the first access to the file: a non-SQLite file fails here, before any write.
  int64_t version = 0;
  rc = QueryInt(rep->db, "PRAGMA user_version", &version);
  if ((rc & 0xff) == SQLITE_NOTADB) return Status::Corruption(path.string(), "not a SQLite database");
  if (rc != SQLITE_OK) return rep->Error(rc, "read schema version");
  if (version > kSchemaVersion) {
    return Status::NotSupported(path.string(), fmt::format("written by a newer Caisson: schema {}, this caisson "
                                                           "knows {}", version, kSchemaVersion));
  }
  // quick_check reads every page (~1.4 s at 10^6 records). Deferred, it runs on a second core while the caller
  // reads; every write waits for it (Write, Integrity). Never deferred before a migration, which writes.
  const bool defer = options.defer_integrity_check && version == kSchemaVersion;
  if (version > 0 && !defer) CAISSON_RETURN_IF_ERROR(QuickCheck(rep->db, path));
  if (defer) {
    Rep* r = rep.get();
    r->integrity = std::async(std::launch::async, [r]() -> Status {
      // The lowest priority (Linux nices threads one by one): the check takes what the run's own threads
      // leave of the cores, and runs at full speed only once the run waits for it.
      (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
      sqlite3* db = nullptr;
      int rc = sqlite3_open_v2(r->path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
      Status s;
      if (rc != SQLITE_OK) {
        s = Status::IOError(r->path.string(), fmt::format("open for quick_check: {}", sqlite3_errstr(rc)));
      } else {
        sqlite3_busy_timeout(db, 5000);
        {
          std::lock_guard<std::mutex> hold(r->integrity_mu);
          r->integrity_db = db;
        }
        s = QuickCheck(db, r->path);
        std::lock_guard<std::mutex> hold(r->integrity_mu);
        r->integrity_db = nullptr;
      }
      sqlite3_close_v2(db);
      return s;
    });
  }
  if (version > 0) {
    CAISSON_RETURN_IF_ERROR(CheckFirm(*rep, options.cat_reporter_crd));
  }

  // synchronous=FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and a lost name
  // register row lets a later run reuse a base name already sent (base names are unique forever, §5.1.1).
  // FULL costs one fsync per commit, and a run commits a handful of times.
  int64_t ignored = 0;
  rc = QueryInt(rep->db, "PRAGMA journal_mode = WAL", &ignored);
  if (rc != SQLITE_OK) return rep->Error(rc, "journal_mode");
  CAISSON_RETURN_IF_ERROR(rep->Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"));
  // Firms' keys arrive in book order, not key order, so a full build inserts at random places in the B-trees;
  // with SQLite's default 2 MB page cache 10^6 such puts took 7.6 s, with up to 64 MiB 3.6 s (-O2, this
  // machine). The cache grows only as pages are used.
  CAISSON_RETURN_IF_ERROR(rep->Exec("PRAGMA cache_size = -65536"));
  sqlite3_busy_timeout(rep->db, 5000);  // a read-only sqlite3 shell may hold a read lock briefly
  CAISSON_RETURN_IF_ERROR(Migrate(*rep, version, options));

  std::unique_ptr<Store> store(new Store(std::move(rep)));
  bool firm_recorded = false;
  if (options.cat_reporter_crd >= 0) {
    // Only a store that lacks the firm is written to here, so a deferred check is not awaited on every open.
    Result<Info> info = store->GetInfo();
    if (!info.ok()) return info.status();
    firm_recorded = info->cat_reporter_crd == options.cat_reporter_crd &&
                    (options.cat_submitter_id < 0 || info->cat_submitter_id == options.cat_submitter_id);
  }
  if (options.cat_reporter_crd >= 0 && !firm_recorded) {
    CAISSON_RETURN_IF_ERROR(store->Write([&](Txn& txn) {
      return txn.SetFirm(options.cat_reporter_crd, options.cat_submitter_id);
    }));
  }
  return store;
}

Store::Store(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Store::~Store() = default;

const std::filesystem::path& Store::path() const { return rep_->path; }

Result<Info> Store::GetInfo() const {
  Info info;
  int64_t version = 0;
  int rc = QueryInt(rep_->db, "PRAGMA user_version", &version);
  if (rc != SQLITE_OK) return rep_->Error(rc, "read schema version");
  info.schema_version = static_cast<int>(version);
  for (auto [key, out] : {std::pair<const char*, std::string*>{"created_at", &info.created_at},
                          {"created_by", &info.created_by}}) {
    Result<std::string> v = rep_->Meta(key);
    if (!v.ok()) return v.status();
    *out = std::move(v.value());
  }
  for (auto [key, out] : {std::pair<const char*, int64_t*>{"cat_reporter_crd", &info.cat_reporter_crd},
                          {"cat_submitter_id", &info.cat_submitter_id}}) {
    Result<std::string> v = rep_->Meta(key);
    if (!v.ok()) return v.status();
    if (!v->empty()) *out = std::strtoll(v->c_str(), nullptr, 10);
  }
  return info;
}

Status Store::Integrity() {
  if (rep_->integrity.valid()) rep_->integrity_status = rep_->integrity.get();
  return rep_->integrity_status;
}

Status Store::HoldRead() {
  if (rep_->in_txn || rep_->in_read) return Status::OK();
  // BEGIN alone takes no lock; the first read does, and keeps it until COMMIT.
  CAISSON_RETURN_IF_ERROR(rep_->Exec("BEGIN"));
  rep_->in_read = true;
  return Status::OK();
}

void Store::ReleaseRead() {
  if (!rep_->in_read) return;
  (void)rep_->Exec("COMMIT");  // nothing was written: ending a read transaction cannot lose data
  rep_->in_read = false;
}

Status Store::Write(const std::function<Status(Txn&)>& body, WriteMode mode) {
  if (rep_->in_txn) return Status::Internal(rep_->path.string(), "Write called inside a Write body");
  ReleaseRead();
  rep_->preloaded_fdids.clear();  // a write may change what they hold
  rep_->preloaded_customers.clear();
  CAISSON_RETURN_IF_ERROR(Integrity());
  // A transaction's dirty pages stay in the cache up to this size instead of spilling into the WAL and being read
  // back: a day's record states go to the recent tables, which hold ~1.5 * 10^6 rows (~180 MB) before a fold
  // at 10^7 FDIDs. Reads keep the smaller cache (a walk of every page would fill any size), and so does a write
  // in place (a full build's millions of rows spill whatever the size: the larger cache only added its 192 MiB
  // to the build's peak).
  if (mode == WriteMode::kLayered) CAISSON_RETURN_IF_ERROR(rep_->Exec("PRAGMA cache_size = -262144"));
  CAISSON_RETURN_IF_ERROR(rep_->Exec("BEGIN IMMEDIATE"));
  rep_->in_txn = true;
  struct Guard {  // rolls back unless committed, even if the body throws
    Rep* r;
    bool done = false;
    ~Guard() {
      if (!done) (void)r->Exec("ROLLBACK");
      r->in_txn = false;
      r->in_place = false;
      r->last_file.clear();  // a rolled-back file row may have had that id
      (void)r->Exec("PRAGMA cache_size = -65536");
    }
  } guard{rep_.get()};
  rep_->in_place = mode == WriteMode::kInPlace;
  Txn txn(this);
  PhaseTimer timer("caisson state write");
  Status s = body(txn);
  if (!s.ok()) return s;
  if (rep_->in_place) {
    s = rep_->Exec(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('state_main_fdids', (SELECT count(*) FROM fdid_state)), "
        "('state_main_customers', (SELECT count(*) FROM customer_state))");
    if (!s.ok()) return s;
  }
  timer.Mark("body");
  s = rep_->Exec("COMMIT");
  timer.Mark("commit");
  if (s.ok()) guard.done = true;
  return s;
}

Result<int64_t> Store::Compact(double min_fraction) {
  Result<Layers> layers = CountLayers();
  if (!layers.ok()) return layers.status();
  if (layers->recent == 0 || static_cast<double>(layers->recent) < min_fraction * static_cast<double>(layers->main)) {
    return int64_t{0};
  }
  CAISSON_RETURN_IF_ERROR(Write([&](Txn&) -> Status {
    for (const char* kind : {"fdid", "customer"}) {
      // Counted before the fold: keys new to the main table (a walk of the small table, not of the main one).
      int64_t main_rows = 0, added = 0;
      Result<std::string> main = rep_->Meta(fmt::format("state_main_{}s", kind));
      if (!main.ok()) return main.status();
      main_rows = std::strtoll(main->c_str(), nullptr, 10);
      const std::string count = fmt::format(
          "SELECT count(*) FROM {0}_recent r WHERE NOT EXISTS (SELECT 1 FROM {0}_state m WHERE m.key = r.key)", kind);
      int rc = QueryInt(rep_->db, count.c_str(), &added);
      if (rc != SQLITE_OK) return rep_->Error(rc, "count recent record states");
      // In key order, so each main page is read and written once.
      CAISSON_RETURN_IF_ERROR(rep_->Exec(fmt::format(
          "INSERT OR REPLACE INTO {0}_state({1}) SELECT {1} FROM {0}_recent ORDER BY key; DELETE FROM {0}_recent; "
          "INSERT OR REPLACE INTO meta(key, value) VALUES ('state_main_{0}s', '{2}');",
          kind, CAISSON_STATE_COLUMNS, main_rows + added).c_str()));
    }
    return Status::OK();
  }));
  return layers->recent;
}

std::string NowUtc() {
  using std::chrono::system_clock;
  const auto now = system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
}

}  // namespace caisson::state
