// ComputeFingerprints (the delta's notion of "full state changed") and WriteSubmission's hand-over points:
// record-ID order in PairInfo, the before-commit hook, and File Numbers that start at the register's.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "emit/emit.h"
#include "fixture.h"
#include "testutil.h"

namespace caisson::emit {
namespace {

using namespace testfix;
namespace fs = std::filesystem;

TEST(Fingerprint, SameStateSameFingerprintWhateverTheOrderOfRecords) {
  const spec::Profile profile = LoadOrDie();
  model::Books a = Simple(3);
  model::Books b = Simple(3);
  std::swap(b.fdids[0], b.fdids[2]);  // another order of FDIDs: same records
  const Fingerprints fa = ComputeFingerprints(profile, a);
  const Fingerprints fb = ComputeFingerprints(profile, b);
  ASSERT_EQ(fa.fdid.size(), 3u);
  ASSERT_EQ(fa.customer.size(), 3u);
  EXPECT_EQ(fa.fdid[0], fb.fdid[2]);
  EXPECT_EQ(fa.fdid[1], fb.fdid[1]);
  EXPECT_EQ(fa.customer, fb.customer);
  EXPECT_NE(fa.fdid[0], fa.fdid[1]);
}

// Large books are fingerprinted on several threads: every record's fingerprint is the one it has in books of its
// own (its customer's key is what an association contributes).
TEST(Fingerprint, LargeBooksSplitOverThreadsGiveEachRecordItsOwnFingerprint) {
  const spec::Profile profile = LoadOrDie();
  const int n = 40000;  // over two threads' worth (16,384 records each)
  const model::Books large = Simple(n);
  const Fingerprints all = ComputeFingerprints(profile, large);
  for (int i : {0, 1, n / 3, n / 2, n / 2 + 1, n - 2, n - 1}) {
    model::Books one;
    one.customers.push_back(large.customers[static_cast<size_t>(i)]);
    one.fdids.push_back(large.fdids[static_cast<size_t>(i)]);
    one.fdids[0].fdid_customer_list[0].customer_index = 0;
    const Fingerprints alone = ComputeFingerprints(profile, one);
    EXPECT_EQ(all.fdid[static_cast<size_t>(i)], alone.fdid[0]) << i;
    EXPECT_EQ(all.customer[static_cast<size_t>(i)], alone.customer[0]) << i;
  }
}

TEST(Fingerprint, EveryKindOfChangeChangesIt) {
  const spec::Profile profile = LoadOrDie();
  const model::Books base = Simple(2);
  const Fingerprints f0 = ComputeFingerprints(profile, base);
  auto fdid_changes = [&](auto edit) {
    model::Books b = base;
    edit(b);
    return ComputeFingerprints(profile, b).fdid[0] != f0.fdid[0];
  };
  EXPECT_TRUE(fdid_changes([](model::Books& b) { b.fdids[0].account_name = "OTHER NAME"; }));
  EXPECT_TRUE(fdid_changes([](model::Books& b) { b.fdids[0].fdid_end_date = model::Num::Of(20260101); }));
  EXPECT_TRUE(fdid_changes([](model::Books& b) {
    b.fdids[0].fdid_customer_list[0].role_end_date = model::Num::Of(20260101);
  }));
  // An association moved to another customer: same JSON but for the customerRecordID, which is per file.
  EXPECT_TRUE(fdid_changes([](model::Books& b) { b.fdids[0].fdid_customer_list[0].customer_index = 1; }));
  EXPECT_TRUE(fdid_changes([](model::Books& b) { b.fdids[0].correspondent_crd = model::Num::Of(777); }));
  // A role naming a customer the books lack (22041; ingest leaves its index -1): no read outside the books.
  EXPECT_TRUE(fdid_changes([](model::Books& b) {
    b.fdids[0].fdid_customer_list[0].customer_index = -1;
    b.fdids[0].fdid_customer_list[0].customer_key = "GONE";
  }));
  EXPECT_TRUE(fdid_changes([](model::Books& b) { b.fdids[0].address_list[0].city = "BOSTON"; }));
  // The customer's own record is not the FDID's state.
  EXPECT_FALSE(fdid_changes([](model::Books& b) { b.customers[0].first_name = "ZED"; }));

  auto customer_changes = [&](auto edit) {
    model::Books b = base;
    edit(b);
    return ComputeFingerprints(profile, b).customer[0] != f0.customer[0];
  };
  EXPECT_TRUE(customer_changes([](model::Books& b) { b.customers[0].first_name = "ZED"; }));
  EXPECT_TRUE(customer_changes([](model::Books& b) { b.customers[0].tid->tid_value = Hex64(99); }));
  EXPECT_TRUE(customer_changes([](model::Books& b) { b.customers[0].address_list[0].postal_code = "10001"; }));
  EXPECT_FALSE(customer_changes([](model::Books& b) { b.fdids[0].account_name = "OTHER NAME"; }));
}

TEST(WriteSubmissionHandOver, RecordIdOrderHookAndFirstFileNumber) {
  const spec::Profile profile = LoadOrDie();
  const fs::path dir = testing::TempDir();
  model::Books books = Simple(3);
  Options options = BaseOptions(dir);
  options.first_file_number = 7;
  bool called = false;
  Result<Written> w = WriteSubmission(profile, books, {}, options, [&](const Written& pending) {
    called = true;
    // Nothing has its final name yet.
    for (const PairInfo& p : pending.pairs) EXPECT_FALSE(fs::exists(dir / p.data_name)) << p.data_name;
    return Status::OK();
  });
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_TRUE(called);
  ASSERT_EQ(w->pairs.size(), 1u);
  const PairInfo& p = w->pairs[0];
  EXPECT_EQ(p.file_number, 7);
  EXPECT_EQ(p.data_name, "99999_123456_20240315_CAIS_000007.json.bz2");
  EXPECT_TRUE(fs::exists(dir / p.data_name));
  EXPECT_EQ(p.fdid_indices, (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(p.customer_indices, (std::vector<int32_t>{0, 1, 2}));
}

TEST(WriteSubmissionHandOver, AFailingHookLeavesNothing) {
  const spec::Profile profile = LoadOrDie();
  const fs::path dir = testing::TempDir();
  Result<Written> w = WriteSubmission(profile, Simple(2), {}, BaseOptions(dir),
                                      [](const Written&) { return Status::IOError("store", "disk full"); });
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Status::Code::kIOError);
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 0);
}

}  // namespace
}  // namespace caisson::emit
