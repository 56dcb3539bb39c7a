// Schema 7: the fast delta's per-record digests and the build context of a submission.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "state/schema.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::state {
namespace {

namespace fs = std::filesystem;
using caisson::testing::TempDir;

TEST(ScanColumns, AStoreOfSchemaSixIsMigratedToSevenKeepingItsRowsWithUnknownDigests) {
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
  EXPECT_EQ(store.GetInfo()->schema_version, 7);
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

}  // namespace
}  // namespace caisson::state
