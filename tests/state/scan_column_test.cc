// Schema 7: the fast delta's per-record digests and the build context of a submission.
#include <filesystem>
#include <string>

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

TEST(ScanColumns, AStoreOfSchemaSixIsMigratedKeepingItsRowsWithUnknownDigests) {
  const fs::path db = TempDir() / "caisson.db";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    for (int i = 0; i < 6; ++i) ASSERT_EQ(sqlite3_exec(raw, kMigrations[i], nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "INSERT INTO fdid_state(key, first_accepted, last_accepted, correspondent_crd, flags) "
                           "VALUES ('FD1', 20261101, 20261102, 0, 1);"
                           "INSERT INTO customer_state(key, first_accepted, last_accepted, correspondent_crd, flags) "
                           "VALUES ('C1', 20261101, 20261103, 0, 0);"
                           "INSERT INTO submission(created_at, kind, file_date, fdids, customers, tids, files, status, "
                           "as_of) VALUES ('2026-11-01T00:00:00Z', 'full', 20261101, 1, 1, 1, 2, 'written', 20261101);"
                           "PRAGMA user_version = 6;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  Result<std::unique_ptr<Store>> opened = Store::Open(db, {});
  ASSERT_OK(opened.status());
  Store& store = **opened;
  EXPECT_EQ(store.GetInfo()->schema_version, kSchemaVersion);
  EXPECT_EQ(store.GetFdid("FD1")->last_accepted, 20261102);
  EXPECT_EQ(store.GetFdid("FD1")->scan, 0u);
  EXPECT_EQ(store.GetCustomer("C1")->last_accepted, 20261103);
  EXPECT_EQ(store.GetCustomer("C1")->scan, 0u);
  EXPECT_EQ(store.GetSubmission(1)->as_of, 20261101);
  EXPECT_EQ(store.GetSubmission(1)->scan_context, "");
}

TEST(ScanColumns, DigestsAndContextRoundTripIncludingTheHighBit) {
  Result<std::unique_ptr<Store>> opened = Store::Open(TempDir() / "caisson.db", {});
  ASSERT_OK(opened.status());
  Store& store = **opened;
  Submission sub;
  sub.kind = "delta";
  sub.status = "written";
  sub.scan_context = "profile x|rules y";
  ASSERT_OK(store.Write([&](Txn& t) {
    RecordState f;
    f.key = "FD1";
    f.scan = 0xfedcba9876543210ull;
    CAISSON_RETURN_IF_ERROR(t.PutFdid(f));
    RecordState c;
    c.key = "C1";
    c.scan = 42;
    CAISSON_RETURN_IF_ERROR(t.PutCustomer(c));
    return t.AddSubmission(&sub);
  }));
  EXPECT_EQ(store.GetFdid("FD1")->scan, 0xfedcba9876543210ull);
  EXPECT_EQ(store.GetCustomer("C1")->scan, 42u);
  EXPECT_EQ(store.GetSubmission(sub.id)->scan_context, "profile x|rules y");
}

TEST(ScanColumns, TheDigestWalkReadsWhatTheFastDeltaNeeds) {
  Result<std::unique_ptr<Store>> opened = Store::Open(TempDir() / "caisson.db", {});
  ASSERT_OK(opened.status());
  Store& store = **opened;
  Fingerprint a{}, b{};
  a[0] = 1;
  b[0] = 2;
  ASSERT_OK(store.Write([&](Txn& t) {
    RecordState settled;
    settled.key = "F1";
    settled.emitted = settled.accepted = a;
    settled.scan = 0x8000000000000001ull;
    settled.flags = 5;
    settled.last_accepted = 20261101;
    settled.inactive_since = 20261102;
    CAISSON_RETURN_IF_ERROR(t.PutFdid(settled));
    RecordState pending;
    pending.key = "F2";
    pending.emitted = b;
    pending.accepted = a;
    CAISSON_RETURN_IF_ERROR(t.PutFdid(pending));
    RecordState never;
    never.key = "F3";
    CAISSON_RETURN_IF_ERROR(t.PutFdid(never));
    RecordState c;
    c.key = "C1";
    c.emitted = a;
    c.scan = 9;
    return t.PutCustomer(c);
  }));
  std::string seen;
  ASSERT_OK(store.ForEachFdidDigest([&](const DigestRow& r) {
    seen += fmt::format("{} {:x} e{} a{} s{} f{} la{} in{}\n", r.key, r.scan, r.emitted, r.accepted, r.settled, r.flags,
                        r.last_accepted, r.inactive_since);
    return Status::OK();
  }));
  EXPECT_EQ(seen,
            "F1 8000000000000001 etrue atrue strue f5 la20261101 in20261102\n"
            "F2 0 etrue atrue sfalse f0 la0 in0\n"
            "F3 0 efalse afalse sfalse f0 la0 in0\n");
  seen.clear();
  ASSERT_OK(store.ForEachCustomerDigest([&](const DigestRow& r) {
    seen += fmt::format("{} {} e{} a{} s{}", r.key, r.scan, r.emitted, r.accepted, r.settled);
    return Status::OK();
  }));
  EXPECT_EQ(seen, "C1 9 etrue afalse sfalse");
}

}  // namespace
}  // namespace caisson::state
