// The state store: opening and its refusals (newer schema, corrupt, locked, other firm, missing), transactions,
// the name register, record-ID maps, streaming iteration and the size budget of issue #7.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "state/schema.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::state {
namespace {

namespace fs = std::filesystem;
using caisson::testing::TempDir;

std::string ReadBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void RawExec(const fs::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

std::unique_ptr<Store> MustOpen(const fs::path& path, Options options = {}) {
  Result<std::unique_ptr<Store>> s = Store::Open(path, options);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s.value()) : nullptr;
}

Fingerprint Fp(uint8_t seed) {
  Fingerprint f;
  for (size_t i = 0; i < f.size(); ++i) f[i] = static_cast<uint8_t>(seed * 31 + i * 7);
  return f;
}

Submission Sub(const std::string& kind, int32_t date, const std::string& status) {
  Submission s;
  s.kind = kind;
  s.file_date = date;
  s.status = status;
  return s;
}

FileEntry File(const std::string& base, int32_t date, const std::string& group, int32_t number) {
  FileEntry f;
  f.base_name = base;
  f.kind = "CAIS";
  f.partner = base + "-tids";
  f.cat_submitter_id = 140000;
  f.cat_reporter_crd = 99999;
  f.file_date = date;
  f.group = group;
  f.file_number = number;
  f.sha256 = std::string(64, 'a');
  f.status = "written";
  return f;
}

TEST(StateStore, CreatesThenReopensWithTheSameRows) {
  fs::path db = TempDir() / "caisson.db";
  {
    Options o;
    o.caisson_version = "0.1.0";
    auto store = MustOpen(db, o);
    ASSERT_TRUE(store);
    Result<Info> info = store->GetInfo();
    ASSERT_OK(info.status());
    EXPECT_EQ(info->schema_version, kSchemaVersion);
    EXPECT_EQ(info->created_by, "0.1.0");
    EXPECT_EQ(info->created_at.size(), 24u) << info->created_at;  // 2026-11-20T21:15:03.042Z
    EXPECT_EQ(info->cat_reporter_crd, -1);
    RecordState r;
    r.key = "FDID-1";
    r.accepted = Fp(1);
    r.first_accepted = 20261120;
    r.last_accepted = 20261121;
    r.correspondent_crd = 4242;
    r.flags = 3;
    r.emitted_validity = {20240102, 20261130, kValidityMarket};
    r.accepted_validity = {20240101, 0, 0};
    r.emitted_mi_facts = 10000001980;
    r.accepted_mi_facts = 20123456789;
    ASSERT_OK(store->Write([&](Txn& t) { return t.PutFdid(r); }));
  }
  auto store = MustOpen(db);
  ASSERT_TRUE(store);
  Result<RecordState> got = store->GetFdid("FDID-1");
  ASSERT_OK(got.status());
  EXPECT_FALSE(got->emitted.has_value());
  EXPECT_EQ(got->emitted_submission, 0);
  ASSERT_TRUE(got->accepted.has_value());
  EXPECT_EQ(*got->accepted, Fp(1));
  EXPECT_EQ(got->first_accepted, 20261120);
  EXPECT_EQ(got->last_accepted, 20261121);
  EXPECT_EQ(got->correspondent_crd, 4242);
  EXPECT_EQ(got->flags, 3);
  EXPECT_EQ(got->emitted_validity.from, 20240102);
  EXPECT_EQ(got->emitted_validity.until, 20261130);
  EXPECT_EQ(got->emitted_validity.facts, kValidityMarket);
  EXPECT_EQ(got->accepted_validity.from, 20240101);
  EXPECT_EQ(got->accepted_validity.until, 0);
  EXPECT_EQ(got->emitted_mi_facts, 10000001980);
  EXPECT_EQ(got->accepted_mi_facts, 20123456789);
  bool iterated = false;
  ASSERT_OK(store->ForEachFdid([&](const RecordState& row) {
    iterated = true;
    EXPECT_EQ(row.emitted_validity.until, 20261130);
    EXPECT_EQ(row.accepted_validity.from, 20240101);
    return Status::OK();
  }));
  EXPECT_TRUE(iterated);
  EXPECT_EQ(store->GetCustomer("FDID-1").status().code(), Status::Code::kNotFound);
}

TEST(StateStore, MigrationsRunOnceAndReopeningChangesNothing) {
  fs::path db = TempDir() / "caisson.db";
  std::string created_at;
  {
    auto store = MustOpen(db);
    ASSERT_TRUE(store);
    created_at = store->GetInfo()->created_at;
  }
  auto again = MustOpen(db);
  ASSERT_TRUE(again);
  Result<Info> info = again->GetInfo();
  ASSERT_OK(info.status());
  EXPECT_EQ(info->schema_version, kSchemaVersion);
  EXPECT_EQ(info->created_at, created_at);
  again.reset();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", -1, &s, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), 17);  // meta submission fdid_state customer_state file record_map
                                            // audit_event repair_item inconsistency tid_warning; 6: org_member
                                            // org_relationship org_sftp_account org_user_role upload;
                                            // 8: fdid_recent customer_recent
  sqlite3_finalize(s);
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))), "wal");
  sqlite3_finalize(s);
  sqlite3_close(raw);
}

TEST(StateStore, AStoreOfSchemaOneIsMigratedKeepingItsRows) {
  fs::path db = TempDir() / "caisson.db";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, kMigrations[0], nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "INSERT INTO fdid_state VALUES ('FD1', NULL, NULL, NULL, 20261101, 20261102, 0, 1);"
                           "INSERT INTO submission(created_at, kind, file_date, fdids, customers, tids, files, status) "
                           "VALUES ('2026-11-01T00:00:00.000Z', 'full', 20261101, 1, 1, 1, 2, 'written');"
                           "PRAGMA user_version = 1;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto store = MustOpen(db);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->GetInfo()->schema_version, kSchemaVersion);
  Result<RecordState> fd1 = store->GetFdid("FD1");
  ASSERT_OK(fd1.status());
  EXPECT_EQ(fd1->last_accepted, 20261102);
  EXPECT_EQ(fd1->flags, 1);
  EXPECT_EQ(fd1->inactive_since, 0);
  EXPECT_EQ(fd1->accepted_validity.from, 0);
  Result<Submission> sub = store->GetSubmission(1);
  ASSERT_OK(sub.status());
  EXPECT_EQ(sub->out_dir, "");
  EXPECT_EQ(sub->input_digest, "");
}

TEST(StateStore, StoreOfANewerCaissonIsRefusedUntouched) {
  fs::path db = TempDir() / "caisson.db";
  { ASSERT_TRUE(MustOpen(db)); }
  RawExec(db, fmt::format("PRAGMA user_version = {}", kSchemaVersion + 1));
  const std::string before = ReadBytes(db);
  Result<std::unique_ptr<Store>> s = Store::Open(db, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kNotSupported);
  EXPECT_EQ(s.status().message(),
            db.string() + fmt::format(": written by a newer Caisson: schema {}, this caisson knows {}",
                                      kSchemaVersion + 1, kSchemaVersion));
  EXPECT_EQ(ReadBytes(db), before);
}

TEST(StateStore, NonSqliteFileIsCorruptionAndStaysAsItWas) {
  fs::path db = TempDir() / "caisson.db";
  std::string garbage(8192, '\0');
  std::mt19937 rng(7);
  for (char& c : garbage) c = static_cast<char>(rng());
  { std::ofstream(db, std::ios::binary) << garbage; }
  Result<std::unique_ptr<Store>> s = Store::Open(db, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(s.status().message(), db.string() + ": not a SQLite database");
  EXPECT_EQ(ReadBytes(db), garbage);
  EXPECT_FALSE(fs::exists(db.string() + "-wal"));
}

// Fills a store with 2000 FDID rows; the file then spans more than five pages.
void FillFdids(const fs::path& db) {
  auto store = MustOpen(db);
  ASSERT_TRUE(store);
  ASSERT_OK(store->Write([&](Txn& t) {
    for (int i = 0; i < 2000; ++i) {
      RecordState r;
      r.key = "FDID" + std::to_string(i);
      r.emitted = Fp(static_cast<uint8_t>(i));
      CAISSON_RETURN_IF_ERROR(t.PutFdid(r));
    }
    return Status::OK();
  }));
}

TEST(StateStore, DamagedPagesAreCorruption) {
  fs::path db = TempDir() / "caisson.db";
  FillFdids(db);
  ASSERT_GT(fs::file_size(db), 5 * 4096u);
  {
    // Keep the header page (so it still reads as SQLite) and scribble over the B-tree pages after it.
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    std::string junk(4 * 4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  Result<std::unique_ptr<Store>> s = Store::Open(db, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption) << s.status().ToString();
  EXPECT_NE(s.status().message().find(db.string()), std::string::npos) << s.status().ToString();
}

TEST(StateStore, DeferredCheckOfDamagedPagesStopsTheFirstWriteAndChangesNothing) {
  fs::path db = TempDir() / "caisson.db";
  FillFdids(db);
  const uintmax_t size = fs::file_size(db);
  ASSERT_GT(size, 8 * 4096u);
  {
    // The last pages are FDID leaves that Open itself never reads: only the check can find them.
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 3 * 4096));
    std::string junk(3 * 4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const std::string before = ReadBytes(db);
  Options deferred;
  deferred.defer_integrity_check = true;
  {
    Result<std::unique_ptr<Store>> s = Store::Open(db, deferred);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    Status w = (*s)->Write([](Txn& t) { return t.SetFirm(990001, 990002); });
    EXPECT_EQ(w.code(), Status::Code::kCorruption) << w.ToString();
    EXPECT_NE(w.message().find("quick_check"), std::string::npos) << w.ToString();
    EXPECT_EQ((*s)->Integrity().code(), Status::Code::kCorruption);
  }
  EXPECT_EQ(ReadBytes(db), before);
  // Undeferred, the same store is refused by Open.
  Result<std::unique_ptr<Store>> s = Store::Open(db, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption) << s.status().ToString();
}

TEST(StateStore, PreloadedStatesAnswerUntilTheNextWrite) {
  fs::path db = TempDir() / "caisson.db";
  FillFdids(db);
  auto store = MustOpen(db);
  ASSERT_TRUE(store);
  ASSERT_OK(store->Preload({"FDID3", "FDID-NONE"}, {"C-NONE"}));
  Result<RecordState> three = store->GetFdid("FDID3");
  ASSERT_TRUE(three.ok()) << three.status().ToString();
  EXPECT_EQ(three->emitted, Fp(3));
  EXPECT_EQ(store->GetFdid("FDID-NONE").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store->GetCustomer("C-NONE").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store->GetFdid("FDID4")->emitted, Fp(4));  // not preloaded: read from the store
  // A write drops them: the next read sees the new row.
  ASSERT_OK(store->Write([&](Txn& t) {
    RecordState r = *three;
    r.emitted = Fp(99);
    CAISSON_RETURN_IF_ERROR(t.PutFdid(r));
    RecordState n;
    n.key = "FDID-NONE";
    n.emitted = Fp(7);
    return t.PutFdid(n);
  }));
  EXPECT_EQ(store->GetFdid("FDID3")->emitted, Fp(99));
  ASSERT_TRUE(store->GetFdid("FDID-NONE").ok());
}

TEST(StateStore, DeferredCheckOfASoundStoreLetsWritesThrough) {
  fs::path db = TempDir() / "caisson.db";
  FillFdids(db);
  Options deferred;
  deferred.defer_integrity_check = true;
  deferred.cat_reporter_crd = 990001;
  {
    Result<std::unique_ptr<Store>> s = Store::Open(db, deferred);  // records the firm: waits for the check
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_OK((*s)->Integrity());
  }
  {
    Result<std::unique_ptr<Store>> s = Store::Open(db, deferred);  // the firm is recorded: nothing written
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    Result<RecordState> r = (*s)->GetFdid("FDID7");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_OK((*s)->Write([](Txn& t) { return t.SetFirm(990001, 990003); }));
    EXPECT_OK((*s)->Integrity());
  }
  {
    // Closed before anyone awaits the check: the destructor stops it.
    Result<std::unique_ptr<Store>> s = Store::Open(db, deferred);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
  }
  Result<std::unique_ptr<Store>> s = Store::Open(db, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<Info> info = (*s)->GetInfo();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->cat_submitter_id, 990003);
}

TEST(StateStore, SecondStoreInTheSameProcessIsRefusedWithThePid) {
  fs::path db = TempDir() / "caisson.db";
  auto first = MustOpen(db);
  ASSERT_TRUE(first);
  Result<std::unique_ptr<Store>> second = Store::Open(db, {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kIOError);
  EXPECT_EQ(second.status().message(),
            "another caisson run (pid " + std::to_string(::getpid()) + ") is using " + db.string());
  first.reset();  // the lock goes with the Store
  EXPECT_TRUE(MustOpen(db));
}

TEST(StateStore, StoreHeldByAnotherProcessIsRefusedOrWaitedFor) {
  fs::path db = TempDir() / "caisson.db";
  { ASSERT_TRUE(MustOpen(db)); }
  int ready[2], release[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(release), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    ::close(release[1]);  // so the read below ends when the parent goes away, whatever happens to it
    Result<std::unique_ptr<Store>> held = Store::Open(db, {});
    char c = held.ok() ? 'y' : 'n';
    (void)!::write(ready[1], &c, 1);
    (void)!::read(release[0], &c, 1);  // hold the store until the parent says so
    ::_exit(held.ok() ? 0 : 1);
  }
  ::close(ready[1]);
  ::close(release[0]);
  struct Reap {  // releases and reaps the child even when an assertion returns early
    pid_t pid;
    int fd;
    int status = -1;
    ~Reap() {
      if (fd >= 0) ::close(fd);
      if (pid > 0) ::waitpid(pid, &status, 0);
    }
  } reap{child, release[1]};
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ::close(ready[0]);
  ASSERT_EQ(c, 'y');
  Result<std::unique_ptr<Store>> refused = Store::Open(db, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "another caisson run (pid " + std::to_string(child) + ") is using " + db.string());
  // A waiting open blocks until the child lets go.
  ASSERT_EQ(::write(release[1], "x", 1), 1);
  Options wait;
  wait.wait_for_lock = true;
  EXPECT_TRUE(MustOpen(db, wait));
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  reap.pid = 0;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(StateStore, BooksOfAnotherFirmAreRefused) {
  fs::path db = TempDir() / "caisson.db";
  Options firm;
  firm.cat_reporter_crd = 99999;
  firm.cat_submitter_id = 140000;
  { ASSERT_TRUE(MustOpen(db, firm)); }
  Options other = firm;
  other.cat_reporter_crd = 12345;
  Result<std::unique_ptr<Store>> s = Store::Open(db, other);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.status().message(), "books are for CRD 12345, the store at " + db.string() + " belongs to CRD 99999");
  auto any = MustOpen(db);  // -1: no check (audit verify)
  ASSERT_TRUE(any);
  Result<Info> info = any->GetInfo();
  EXPECT_EQ(info->cat_reporter_crd, 99999);
  EXPECT_EQ(info->cat_submitter_id, 140000);
}

TEST(StateStore, MissingStoreIsNotFoundWhenCreationIsOff) {
  fs::path dir = TempDir();
  Options o;
  o.create_if_missing = false;
  Result<std::unique_ptr<Store>> s = Store::Open(dir / "caisson.db", o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(s.status().message(), (dir / "caisson.db").string() + ": no state store (a full build creates it)");
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(StateStore, FailedBodyRollsEverythingBack) {
  fs::path db = TempDir() / "caisson.db";
  auto store = MustOpen(db);
  ASSERT_TRUE(store);
  Status s = store->Write([&](Txn& t) {
    Submission sub = Sub("full", 20261120, "written");
    CAISSON_RETURN_IF_ERROR(t.AddSubmission(&sub));
    RecordState r;
    r.key = "F1";
    r.emitted = Fp(9);
    r.emitted_submission = sub.id;
    CAISSON_RETURN_IF_ERROR(t.PutFdid(r));
    CAISSON_RETURN_IF_ERROR(t.AddFile(File("A_CAIS_000001", 20261120, "", 1)));
    CAISSON_RETURN_IF_ERROR(t.AddRecordId("A_CAIS_000001", {RecordKind::kFdid, "1", "F1", ""}));
    return Status::IOError("disk", "full");
  });
  EXPECT_EQ(s.ToString(), "IO error: disk: full");
  EXPECT_EQ(store->GetFdid("F1").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store->GetFile("A_CAIS_000001").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store->GetSubmission(1).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(*store->NextFileNumber(140000, 99999, 20261120, ""), 1);
  EXPECT_EQ(*store->CountFdids(), 0);
  // The same writes in a body that succeeds are all there; the record map must not reuse the rolled-back id.
  ASSERT_OK(store->Write([&](Txn& t) {
    CAISSON_RETURN_IF_ERROR(t.AddFile(File("A_CAIS_000001", 20261120, "", 1)));
    return t.AddRecordId("A_CAIS_000001", {RecordKind::kFdid, "1", "F1", ""});
  }));
  EXPECT_EQ(store->LookupRecordId("A_CAIS_000001", RecordKind::kFdid, "1")->firm_key, "F1");
}

TEST(StateStore, ABaseNameIsRegisteredOnlyOnce) {
  fs::path db = TempDir() / "caisson.db";
  auto store = MustOpen(db);
  ASSERT_TRUE(store);
  ASSERT_OK(store->Write([&](Txn& t) { return t.AddFile(File("X_CAIS_000001", 20261120, "", 1)); }));
  Status again = store->Write([&](Txn& t) { return t.AddFile(File("X_CAIS_000001", 20261121, "", 1)); });
  EXPECT_EQ(again.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(again.message(), db.string() +
                                 ": base name X_CAIS_000001 is already in the name register (base names are "
                                 "never reused)");
  Result<FileEntry> f = store->GetFile("X_CAIS_000001");
  ASSERT_OK(f.status());
  EXPECT_EQ(f->file_date, 20261120);
  EXPECT_EQ(f->partner, "X_CAIS_000001-tids");
  EXPECT_EQ(f->status, "written");
  ASSERT_OK(store->Write([&](Txn& t) { return t.SetFileStatus("X_CAIS_000001", "accepted"); }));
  EXPECT_EQ(store->GetFile("X_CAIS_000001")->status, "accepted");
  EXPECT_EQ(store->Write([&](Txn& t) { return t.SetFileStatus("nope", "accepted"); }).code(),
            Status::Code::kNotFound);
  // A file registered while it was still being written gets its sizes and digest later.
  ASSERT_OK(store->Write([&](Txn& t) { return t.SetFileContent("X_CAIS_000001", 10, 20, std::string(64, 'b')); }));
  EXPECT_EQ(store->GetFile("X_CAIS_000001")->compressed_bytes, 10);
  EXPECT_EQ(store->GetFile("X_CAIS_000001")->uncompressed_bytes, 20);
  EXPECT_EQ(store->GetFile("X_CAIS_000001")->sha256, std::string(64, 'b'));
  EXPECT_EQ(store->Write([&](Txn& t) { return t.SetFileContent("nope", 1, 1, ""); }).code(), Status::Code::kNotFound);
}

TEST(StateStore, NextFileNumberContinuesPerSubmitterCrdDateAndGroup) {
  auto store = MustOpen(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->NextFileNumber(140000, 99999, 20261120, ""), 1);
  ASSERT_OK(store->Write([&](Txn& t) {
    CAISSON_RETURN_IF_ERROR(t.AddFile(File("a1", 20261120, "", 1)));
    CAISSON_RETURN_IF_ERROR(t.AddFile(File("a5", 20261120, "", 5)));
    CAISSON_RETURN_IF_ERROR(t.AddFile(File("a2", 20261120, "", 2)));
    CAISSON_RETURN_IF_ERROR(t.AddFile(File("g7", 20261120, "G", 7)));
    return t.AddFile(File("b9", 20261121, "", 9));
  }));
  EXPECT_EQ(*store->NextFileNumber(140000, 99999, 20261120, ""), 6);
  EXPECT_EQ(*store->NextFileNumber(140000, 99999, 20261120, "G"), 8);
  EXPECT_EQ(*store->NextFileNumber(140000, 99999, 20261121, ""), 10);
  EXPECT_EQ(*store->NextFileNumber(140000, 99999, 20261122, ""), 1);
  EXPECT_EQ(*store->NextFileNumber(140000, 11111, 20261120, ""), 1);
  EXPECT_EQ(*store->NextFileNumber(140001, 99999, 20261120, ""), 1);
}

TEST(StateStore, RecordIdsMapBackToFirmKeys) {
  auto store = MustOpen(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  const int kRows = 100000;  // the bulk path: one transaction, one prepared statement
  ASSERT_OK(store->Write([&](Txn& t) {
    CAISSON_RETURN_IF_ERROR(t.AddFile(File("F_CAIS_000001", 20261120, "", 1)));
    CAISSON_RETURN_IF_ERROR(t.AddFile(File("F_CAIS_000002", 20261120, "", 2)));
    for (int i = 0; i < kRows; ++i) {
      std::string id = std::to_string(i);
      CAISSON_RETURN_IF_ERROR(t.AddRecordId("F_CAIS_000001", {RecordKind::kFdid, id, "FDID" + id, ""}));
    }
    CAISSON_RETURN_IF_ERROR(t.AddRecordId("F_CAIS_000001", {RecordKind::kCustomer, "7", "CUST7", ""}));
    CAISSON_RETURN_IF_ERROR(t.AddRecordId("F_CAIS_000001", {RecordKind::kLargeTrader, "7", "LT7", "FDID7"}));
    CAISSON_RETURN_IF_ERROR(t.AddRecordId("F_CAIS_000001", {RecordKind::kAuthTrader, "7", "AT7", "FDID8"}));
    return t.AddRecordId("F_CAIS_000002", {RecordKind::kFdid, "7", "OTHER", ""});
  }));
  auto look = [&](const char* file, RecordKind k, const char* id) {
    Result<RecordMapEntry> e = store->LookupRecordId(file, k, id);
    return e.ok() ? e->firm_key + "|" + e->fdid : e.status().ToString();
  };
  EXPECT_EQ(look("F_CAIS_000001", RecordKind::kFdid, "7"), "FDID7|");
  EXPECT_EQ(look("F_CAIS_000001", RecordKind::kFdid, "99999"), "FDID99999|");
  EXPECT_EQ(look("F_CAIS_000001", RecordKind::kCustomer, "7"), "CUST7|");
  EXPECT_EQ(look("F_CAIS_000001", RecordKind::kLargeTrader, "7"), "LT7|FDID7");
  EXPECT_EQ(look("F_CAIS_000001", RecordKind::kAuthTrader, "7"), "AT7|FDID8");
  EXPECT_EQ(look("F_CAIS_000002", RecordKind::kFdid, "7"), "OTHER|");
  EXPECT_EQ(store->LookupRecordId("F_CAIS_000002", RecordKind::kCustomer, "7").status().code(),
            Status::Code::kNotFound);
  EXPECT_EQ(store->LookupRecordId("F_CAIS_000003", RecordKind::kFdid, "7").status().code(),
            Status::Code::kNotFound);
  Status dup = store->Write(
      [&](Txn& t) { return t.AddRecordId("F_CAIS_000001", {RecordKind::kFdid, "7", "FDIDX", ""}); });
  EXPECT_EQ(dup.code(), Status::Code::kInvalidArgument) << dup.ToString();
  Status unknown = store->Write(
      [&](Txn& t) { return t.AddRecordId("F_CAIS_000009", {RecordKind::kFdid, "1", "FDID1", ""}); });
  EXPECT_EQ(unknown.code(), Status::Code::kNotFound) << unknown.ToString();
}

TEST(StateStore, IterationStreamsEveryRowInKeyOrderAndStopsOnError) {
  auto store = MustOpen(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("C" + std::to_string(100000 + i));
  std::vector<std::string> shuffled = keys;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(caisson::testing::RandomSeed()));
  ASSERT_OK(store->Write([&](Txn& t) {
    for (const std::string& k : shuffled) {
      RecordState r;
      r.key = k;
      r.flags = static_cast<int32_t>(k.back() - '0');
      CAISSON_RETURN_IF_ERROR(t.PutCustomer(r));
    }
    RecordState f;
    f.key = "F";
    return t.PutFdid(f);
  }));
  std::vector<std::string> seen;
  ASSERT_OK(store->ForEachCustomer([&](const RecordState& r) {
    EXPECT_EQ(r.flags, r.key.back() - '0');
    seen.push_back(r.key);
    return Status::OK();
  }));
  EXPECT_EQ(seen, keys);
  EXPECT_EQ(*store->CountCustomers(), 1000);
  EXPECT_EQ(*store->CountFdids(), 1);
  int calls = 0;
  Status stop = store->ForEachCustomer([&](const RecordState& r) {
    // A callback may read the store while the walk is open.
    EXPECT_EQ(store->GetCustomer(r.key)->key, r.key);
    return ++calls == 10 ? Status::Internal("stop") : Status::OK();
  });
  EXPECT_EQ(stop.ToString(), "Internal error: stop");
  EXPECT_EQ(calls, 10);
}

TEST(StateStore, SubmissionsAreNumberedAndKeepTheirCounts) {
  auto store = MustOpen(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  Submission a = Sub("full", 20261120, "written");
  a.fdids = 3;
  a.customers = 4;
  a.tids = 5;
  a.files = 2;
  Submission b = Sub("delta", 20261121, "written");
  b.created_at = "2026-11-21T01:02:03.004Z";
  ASSERT_OK(store->Write([&](Txn& t) {
    CAISSON_RETURN_IF_ERROR(t.AddSubmission(&a));
    return t.AddSubmission(&b);
  }));
  EXPECT_EQ(a.id, 1);
  EXPECT_EQ(b.id, 2);
  ASSERT_OK(store->Write([&](Txn& t) { return t.SetSubmissionStatus(1, "accepted"); }));
  Result<Submission> got = store->GetSubmission(1);
  ASSERT_OK(got.status());
  EXPECT_EQ(got->kind, "full");
  EXPECT_EQ(got->fdids, 3);
  EXPECT_EQ(got->customers, 4);
  EXPECT_EQ(got->tids, 5);
  EXPECT_EQ(got->files, 2);
  EXPECT_EQ(got->status, "accepted");
  EXPECT_EQ(got->created_at, a.created_at);
  EXPECT_EQ(store->GetSubmission(2)->created_at, "2026-11-21T01:02:03.004Z");
  EXPECT_EQ(store->Write([&](Txn& t) { return t.SetSubmissionStatus(3, "x"); }).code(), Status::Code::kNotFound);
  // A state row cannot name a submission that does not exist (foreign keys are on).
  RecordState r;
  r.key = "F";
  r.emitted_submission = 77;
  EXPECT_EQ(store->Write([&](Txn& t) { return t.PutFdid(r); }).code(), Status::Code::kInvalidArgument);
}

// Issue #7: the store stays at or under 200 bytes per FDID and per customer. A size check, not a timing.
TEST(StateStore, AtMost200BytesPerFdidAndCustomer) {
  fs::path db = TempDir() / "caisson.db";
  const int kFdids = 20000, kCustomers = 30000;
  {
    auto store = MustOpen(db);
    ASSERT_TRUE(store);
    std::mt19937 rng(caisson::testing::RandomSeed());
    auto fp = [&] {
      Fingerprint f;
      for (auto& b : f) b = static_cast<uint8_t>(rng());
      return f;
    };
    ASSERT_OK(store->Write([&](Txn& t) {
      Submission sub = Sub("full", 20261120, "accepted");
      CAISSON_RETURN_IF_ERROR(t.AddSubmission(&sub));
      // Keys as firms use them, in an order unrelated to the key order (B-tree pages end up part full).
      for (int i = 0; i < kFdids + kCustomers; ++i) {
        uint32_t n = static_cast<uint32_t>(rng()) % 1000000000u;
        RecordState r;
        r.key = (i < kFdids ? "ACCT-" : "CUST-") + std::to_string(n) + "-" + std::to_string(i);
        r.emitted = fp();
        r.emitted_submission = sub.id;
        r.accepted = fp();
        r.first_accepted = 20220612;
        r.last_accepted = 20261120;
        r.correspondent_crd = i % 3 == 0 ? 123456 : 0;
        r.flags = i % 5;
        CAISSON_RETURN_IF_ERROR(i < kFdids ? t.PutFdid(r) : t.PutCustomer(r));
      }
      return Status::OK();
    }));
  }  // closing the last connection checkpoints the WAL into the main file
  EXPECT_FALSE(fs::exists(db.string() + "-wal"));
  const double per_record = static_cast<double>(fs::file_size(db)) / (kFdids + kCustomers);
  std::printf("state store: %.1f bytes per FDID/customer\n", per_record);
  EXPECT_LE(per_record, 200.0);
}

}  // namespace
}  // namespace caisson::state

namespace caisson::state {
namespace {

TEST(StateStore, ARejectedAgainRecordKeepsItsDeadlineAndLateRepairsAreLate) {
  auto store = MustOpen(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  RepairItem first;
  first.rejection_id = 100;
  first.file = "F1";
  first.kind = RecordKind::kFdid;
  first.firm_key = "FD1";
  first.error_code = 22012;
  first.received_on = 20261120;
  first.due_at = "2026-11-25T22:00:00Z";
  first.due_unix = 1764108000;
  first.due_on = 20261125;
  RepairItem again = first;  // [§5.4.2] rejected again on a later file: a new rejectionID, the original deadline
  again.rejection_id = 200;
  again.file = "F2";
  again.received_on = 20261127;
  again.due_at = "2026-12-02T22:00:00Z";
  again.due_on = 20261202;
  RepairItem other = first;
  other.rejection_id = 300;
  other.firm_key = "FD2";
  ASSERT_OK(store->Write([&](Txn& txn) {
    CAISSON_RETURN_IF_ERROR(txn.AddRepairItem(first));
    CAISSON_RETURN_IF_ERROR(txn.AddRepairItem(first));  // the same item again: nothing
    CAISSON_RETURN_IF_ERROR(txn.AddRepairItem(again));
    return txn.AddRepairItem(other);
  }));
  ASSERT_OK(store->Write([&](Txn& txn) {
    CAISSON_RETURN_IF_ERROR(txn.CloseRepairItems(RecordKind::kFdid, "FD1", 20261126));  // a day after the deadline
    return txn.CloseRepairItems(RecordKind::kFdid, "FD2", 20261125);
  }));
  std::vector<RepairItem> items;
  ASSERT_OK(store->ForEachRepairItem([&](const RepairItem& i) {
    items.push_back(i);
    return Status::OK();
  }));
  ASSERT_EQ(items.size(), 3u);
  for (const RepairItem& i : items) {
    EXPECT_EQ(i.due_on, 20261125) << i.rejection_id;  // the re-rejection kept the first deadline
    EXPECT_EQ(i.status, i.firm_key == "FD1" ? "late" : "repaired") << i.rejection_id;
  }
}

}  // namespace
}  // namespace caisson::state
