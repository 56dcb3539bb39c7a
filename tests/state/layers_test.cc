// Schema 8: record states are written to a recent layer that shadows the main tables until Compact folds it in.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "state/schema.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::state {
namespace {

namespace fs = std::filesystem;
using caisson::testing::TempDir;

std::unique_ptr<Store> OpenAt(const fs::path& db) {
  Result<std::unique_ptr<Store>> opened = Store::Open(db, {});
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  return opened.ok() ? std::move(opened).value() : nullptr;
}

RecordState Row(std::string key, int32_t last_accepted, uint64_t scan = 0) {
  RecordState r;
  r.key = std::move(key);
  r.last_accepted = last_accepted;
  r.scan = scan;
  return r;
}

Status PutFdids(Store& store, const std::vector<RecordState>& rows) {
  return store.Write([&](Txn& t) -> Status {
    for (const RecordState& r : rows) CAISSON_RETURN_IF_ERROR(t.PutFdid(r));
    return Status::OK();
  });
}

std::vector<std::string> FdidWalk(const Store& store) {
  std::vector<std::string> out;
  EXPECT_TRUE(store
                  .ForEachFdid([&](const RecordState& r) {
                    out.push_back(r.key + "@" + std::to_string(r.last_accepted));
                    return Status::OK();
                  })
                  .ok());
  return out;
}

std::vector<std::string> FdidDigestWalk(const Store& store) {
  std::vector<std::string> out;
  EXPECT_TRUE(store
                  .ForEachFdidDigest([&](const DigestRow& r) {
                    out.push_back(std::string(r.key) + "@" + std::to_string(r.last_accepted));
                    return Status::OK();
                  })
                  .ok());
  return out;
}

TEST(StateLayers, AStoreOfSchemaSevenIsMigratedWithItsRowsCountedAsMain) {
  const fs::path db = TempDir() / "caisson.db";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    for (int i = 0; i < 7; ++i) ASSERT_EQ(sqlite3_exec(raw, kMigrations[i], nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "INSERT INTO fdid_state(key, first_accepted, last_accepted, correspondent_crd, flags) "
                           "VALUES ('FD1', 20261101, 20261102, 0, 0), ('FD2', 20261101, 20261102, 0, 0);"
                           "INSERT INTO customer_state(key, first_accepted, last_accepted, correspondent_crd, flags) "
                           "VALUES ('C1', 20261101, 20261103, 0, 0);"
                           "PRAGMA user_version = 7;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto store = OpenAt(db);
  ASSERT_TRUE(store);
  Result<Store::Layers> layers = store->CountLayers();
  ASSERT_OK(layers.status());
  EXPECT_EQ(layers->main, 3);
  EXPECT_EQ(layers->recent, 0);
  EXPECT_EQ(store->GetFdid("FD2")->last_accepted, 20261102);
}

TEST(StateLayers, ANewerRowShadowsTheMainOneInEveryRead) {
  auto store = OpenAt(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  ASSERT_OK(PutFdids(*store, {Row("FD1", 20261101, 7), Row("FD2", 20261101)}));
  Result<int64_t> folded = store->Compact(0);
  ASSERT_OK(folded.status());
  EXPECT_EQ(*folded, 2);
  ASSERT_OK(PutFdids(*store, {Row("FD1", 20261120, 9)}));

  EXPECT_EQ(store->GetFdid("FD1")->last_accepted, 20261120);
  EXPECT_EQ(store->GetFdid("FD1")->scan, 9u);
  EXPECT_EQ(store->GetFdid("FD2")->last_accepted, 20261101);
  EXPECT_EQ(FdidWalk(*store), (std::vector<std::string>{"FD1@20261120", "FD2@20261101"}));
  EXPECT_EQ(FdidDigestWalk(*store), (std::vector<std::string>{"FD1@20261120", "FD2@20261101"}));
  EXPECT_EQ(*store->CountFdids(), 2);
  ASSERT_OK(store->Preload({"FD1", "FD3"}, {}));
  EXPECT_EQ(store->GetFdid("FD1")->last_accepted, 20261120);
  EXPECT_EQ(store->GetFdid("FD3").status().code(), Status::Code::kNotFound);
}

TEST(StateLayers, TheWalkMergesBothLayersInSqliteKeyOrder) {
  auto store = OpenAt(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  // BINARY collation: bytes compare as unsigned (so "\xC3\xA9" after "z"), and a prefix sorts first.
  ASSERT_OK(PutFdids(*store, {Row("A", 1), Row("C", 1), Row("E", 1), Row("z", 1)}));
  ASSERT_OK(store->Compact(0).status());
  ASSERT_OK(PutFdids(*store, {Row("AA", 2), Row("B", 2), Row("C", 2), Row("D", 2), Row("\xC3\xA9", 2)}));
  const std::vector<std::string> expected = {"A@1", "AA@2", "B@2", "C@2", "D@2", "E@1", "z@1", "\xC3\xA9@2"};
  EXPECT_EQ(FdidWalk(*store), expected);
  EXPECT_EQ(FdidDigestWalk(*store), expected);
  EXPECT_EQ(*store->CountFdids(), 8);
  Result<Store::Layers> layers = store->CountLayers();
  EXPECT_EQ(layers->main, 4);
  EXPECT_EQ(layers->recent, 5);
  EXPECT_EQ(layers->fdids_at_most, 9);  // C is in both layers
  EXPECT_EQ(layers->customers_at_most, 0);

  // Folding changes what is stored where, never what is read.
  ASSERT_OK(store->Compact(0).status());
  EXPECT_EQ(FdidWalk(*store), expected);
  layers = store->CountLayers();
  EXPECT_EQ(layers->main, 8);
  EXPECT_EQ(layers->recent, 0);
}

TEST(StateLayers, CompactWaitsUntilTheRecentLayerIsLargeEnough) {
  auto store = OpenAt(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  std::vector<RecordState> many;
  for (int i = 0; i < 100; ++i) many.push_back(Row("FD" + std::to_string(1000 + i), 1));
  ASSERT_OK(PutFdids(*store, many));
  ASSERT_OK(store->Compact(0).status());

  ASSERT_OK(PutFdids(*store, {Row("FD1000", 2), Row("FD1001", 2), Row("FD2000", 2)}));
  Result<int64_t> folded = store->Compact(1.0 / 16);  // 3 < 100 / 16
  ASSERT_OK(folded.status());
  EXPECT_EQ(*folded, 0);
  EXPECT_EQ(store->CountLayers()->recent, 3);

  ASSERT_OK(PutFdids(*store, {Row("FD1002", 2), Row("FD1003", 2), Row("FD1004", 2), Row("FD2001", 2)}));
  folded = store->Compact(1.0 / 16);  // 7 >= 100 / 16
  ASSERT_OK(folded.status());
  EXPECT_EQ(*folded, 7);
  Result<Store::Layers> layers = store->CountLayers();
  EXPECT_EQ(layers->recent, 0);
  EXPECT_EQ(layers->main, 102);  // two keys were new
  EXPECT_EQ(*store->CountFdids(), 102);
  EXPECT_EQ(store->GetFdid("FD1004")->last_accepted, 2);
  EXPECT_EQ(store->GetFdid("FD1005")->last_accepted, 1);
}

TEST(StateLayers, AnInPlaceWriteGoesToTheMainTablesAndDropsTheShadowingRow) {
  auto store = OpenAt(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  ASSERT_OK(PutFdids(*store, {Row("FD1", 1), Row("FD2", 1)}));
  ASSERT_OK(store->Compact(0).status());
  ASSERT_OK(PutFdids(*store, {Row("FD1", 2)}));  // recent, shadowing the main row
  ASSERT_OK(store->Write(
      [](Txn& t) -> Status {
        CAISSON_RETURN_IF_ERROR(t.PutFdid(Row("FD1", 3)));
        return t.PutFdid(Row("FD9", 3));
      },
      Store::WriteMode::kInPlace));
  Result<Store::Layers> layers = store->CountLayers();
  ASSERT_OK(layers.status());
  EXPECT_EQ(layers->recent, 0);
  EXPECT_EQ(layers->main, 3);
  EXPECT_EQ(FdidWalk(*store), (std::vector<std::string>{"FD1@3", "FD2@1", "FD9@3"}));

  // A rolled-back in-place write changes nothing, and the next write is layered again.
  EXPECT_FALSE(store
                   ->Write(
                       [](Txn& t) -> Status {
                         CAISSON_RETURN_IF_ERROR(t.PutFdid(Row("FD2", 4)));
                         return Status::Internal("test", "stop");
                       },
                       Store::WriteMode::kInPlace)
                   .ok());
  EXPECT_EQ(store->GetFdid("FD2")->last_accepted, 1);
  ASSERT_OK(PutFdids(*store, {Row("FD2", 5)}));
  layers = store->CountLayers();
  EXPECT_EQ(layers->recent, 1);
  EXPECT_EQ(layers->main, 3);
  EXPECT_EQ(store->GetFdid("FD2")->last_accepted, 5);
}

TEST(StateLayers, CustomersHaveTheirOwnLayers) {
  auto store = OpenAt(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  ASSERT_OK(store->Write([](Txn& t) { return t.PutCustomer(Row("C1", 1)); }));
  ASSERT_OK(store->Compact(0).status());
  ASSERT_OK(store->Write([](Txn& t) { return t.PutCustomer(Row("C1", 2)); }));
  EXPECT_EQ(store->GetCustomer("C1")->last_accepted, 2);
  EXPECT_EQ(store->GetFdid("C1").status().code(), Status::Code::kNotFound);
  int rows = 0;
  ASSERT_OK(store->ForEachCustomer([&](const RecordState& r) {
    ++rows;
    EXPECT_EQ(r.last_accepted, 2);
    return Status::OK();
  }));
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(*store->CountCustomers(), 1);
  // A reopened store reads the same.
  const fs::path db = store->path();
  store.reset();
  store = OpenAt(db);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->GetCustomer("C1")->last_accepted, 2);
}

}  // namespace
}  // namespace caisson::state
