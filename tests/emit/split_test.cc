// Splitting into pairs (size, portal record limits, REPLACED units), names and File Number continuation.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "emit/emit.h"
#include "emit/internal.h"
#include "fixture.h"
#include "testutil.h"

namespace caisson::emit {
namespace {

using namespace testfix;

void Touch(const std::filesystem::path& p) { std::ofstream(p) << "x"; }

TEST(BaseName, WithAndWithoutGroup) {
  Options o = BaseOptions("/tmp");
  EXPECT_EQ(BaseName(o, "CAIS", 1), "99999_123456_20240315_CAIS_000001");
  o.group = "Grp7";
  EXPECT_EQ(BaseName(o, "TIDS", 123), "99999_123456_20240315_Grp7_TIDS_000123");
}

TEST(Split, AtExactlyMaxFileBytes) {
  const spec::Profile profile = LoadOrDie();
  const auto dir = testing::TempDir();
  const model::Books books = Simple(3);
  Result<Written> whole = WriteSubmission(profile, books, {}, BaseOptions(dir / "whole"));
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  ASSERT_EQ(whole->pairs.size(), 1u);
  const uint64_t size = whole->pairs[0].data_bytes;  // the Data File is the larger of the two here
  ASSERT_GT(size, whole->pairs[0].tid_bytes);

  Options exact = BaseOptions(dir / "exact");
  exact.max_file_bytes = static_cast<int64_t>(size);
  Result<Written> w = WriteSubmission(profile, books, {}, exact);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->pairs.size(), 1u);
  EXPECT_EQ(w->pairs[0].data_bytes, size);

  Options less = BaseOptions(dir / "less");
  less.max_file_bytes = static_cast<int64_t>(size) - 1;
  w = WriteSubmission(profile, books, {}, less);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->pairs.size(), 2u);
  EXPECT_EQ(w->pairs[0].fdids, 2);
  EXPECT_EQ(w->pairs[1].fdids, 1);
  EXPECT_LE(w->pairs[0].data_bytes, size - 1);
  EXPECT_EQ(w->pairs[1].data_name, "99999_123456_20240315_CAIS_000002.json.bz2");
  // Numbering restarts in the second file.
  const std::string second = Decompressed(dir / "less" / w->pairs[1].data_name);
  EXPECT_NE(second.find("{\"fdidRecordID\":1,\"firmDesignatedID\":\"F2\""), std::string::npos);
  EXPECT_NE(second.find("\n{\"customerRecordID\":1,"), std::string::npos);
}

TEST(Split, UnitLargerThanTheLimitGoesAlone) {
  const spec::Profile profile = LoadOrDie();
  const auto dir = testing::TempDir();
  Options o = BaseOptions(dir);
  o.max_file_bytes = 10;
  Result<Written> w = WriteSubmission(profile, Simple(3), {}, o);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->pairs.size(), 3u);
  for (const PairInfo& p : w->pairs) {
    EXPECT_EQ(p.fdids, 1);
    EXPECT_EQ(p.tids, 1);
  }
}

TEST(Split, PortalLimitsComeFromTheProfile) {
  const spec::Profile profile = LoadOrDie();
  Options o = BaseOptions("/tmp");
  internal::Limits sftp = internal::LimitsFor(profile, o);
  EXPECT_EQ(sftp.max_bytes, 1000000000u);
  EXPECT_EQ(sftp.max_fdids, 0);
  o.max_file_bytes = 9000000000;  // above the 7 GB SFTP maximum
  EXPECT_EQ(internal::LimitsFor(profile, o).max_bytes, 7000000000u);
  o.portal = true;
  internal::Limits portal = internal::LimitsFor(profile, o);
  EXPECT_EQ(portal.max_bytes, 1000000000u);
  EXPECT_EQ(portal.max_fdids, 100000);
  EXPECT_EQ(portal.max_customers, 100000);
  EXPECT_EQ(portal.max_tids, 100000);
}

// The portal record limits at a small injected value: exactly the limit fits, one more starts a new pair.
TEST(Split, RecordLimitsBothSides) {
  const spec::Profile profile = LoadOrDie();
  const auto dir = testing::TempDir();
  internal::Limits limits;
  limits.max_fdids = 3;
  Result<Written> w =
      internal::WriteSubmissionWithLimits(profile, Simple(3), {}, BaseOptions(dir / "a"), limits);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->pairs.size(), 1u);
  w = internal::WriteSubmissionWithLimits(profile, Simple(4), {}, BaseOptions(dir / "b"), limits);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->pairs.size(), 2u);
  EXPECT_EQ(w->pairs[0].fdids, 3);
  EXPECT_EQ(w->pairs[1].fdids, 1);

  // Customer limit: one FDID with two customers, then one with one.
  model::Books b = Simple(2);
  b.customers.push_back(Person("extra", "X", "Y", 1960, 99));
  b.fdids[0].fdid_customer_list.push_back(Assoc(2, "AUTHREP", 20200101));
  internal::Limits customers;
  customers.max_customers = 2;
  w = internal::WriteSubmissionWithLimits(profile, b, {}, BaseOptions(dir / "c"), customers);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->pairs.size(), 2u);
  EXPECT_EQ(w->pairs[0].natural_persons, 2);
  EXPECT_EQ(w->pairs[1].natural_persons, 1);
  internal::Limits tids;
  tids.max_tids = 3;
  w = internal::WriteSubmissionWithLimits(profile, b, {}, BaseOptions(dir / "d"), tids);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->pairs.size(), 1u);
}

TEST(Split, ReplacedFdidTravelsWithItsReplacement) {
  const spec::Profile profile = LoadOrDie();
  const auto dir = testing::TempDir();
  model::Books b = Simple(3);
  b.fdids[0].fdid_end_date = model::Num::Of(20230101);
  b.fdids[0].fdid_end_reason = "REPLACED";
  b.fdids[0].replaced_by_fdid = "F2";
  internal::Limits limits;
  limits.max_fdids = 2;
  Result<Written> w = internal::WriteSubmissionWithLimits(profile, b, {}, BaseOptions(dir), limits);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->pairs.size(), 2u);
  const std::string first = Decompressed(dir / w->pairs[0].data_name);
  EXPECT_NE(first.find("{\"fdidRecordID\":1,\"firmDesignatedID\":\"F0\""), std::string::npos);
  EXPECT_NE(first.find("{\"fdidRecordID\":2,\"firmDesignatedID\":\"F2\""), std::string::npos);
  const std::string second = Decompressed(dir / w->pairs[1].data_name);
  EXPECT_NE(second.find("{\"fdidRecordID\":1,\"firmDesignatedID\":\"F1\""), std::string::npos);
}

TEST(Split, CorrespondentGroupsOrderedNoneFirstThenAscending) {
  const spec::Profile profile = LoadOrDie();
  const auto dir = testing::TempDir();
  model::Books b = Simple(4);
  b.fdids[0].correspondent_crd = model::Num::Of(500);
  b.fdids[1].correspondent_crd = model::Num::Of(40);
  b.fdids[3].correspondent_crd = model::Num::Of(500);
  Result<Written> w = WriteSubmission(profile, b, {}, BaseOptions(dir));
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->pairs.size(), 3u);
  EXPECT_EQ(w->pairs[0].correspondent_crd, -1);
  EXPECT_EQ(w->pairs[1].correspondent_crd, 40);
  EXPECT_EQ(w->pairs[2].correspondent_crd, 500);
  EXPECT_EQ(w->pairs[2].fdids, 2);
  const std::string d = Decompressed(dir / w->pairs[2].data_name);
  EXPECT_NE(d.find("\"catSubmitterID\":99999,\"correspondentCRD\":500,\"fdidRecordCount\":2,"),
            std::string::npos);
}

TEST(FileNumbers, ContinueAfterTheHighestInTheFolder) {
  const spec::Profile profile = LoadOrDie();
  const auto dir = testing::TempDir();
  Touch(dir / "99999_123456_20240315_CAIS_000007.json.bz2");
  Touch(dir / "99999_123456_20240315_TIDS_000009.json");
  Touch(dir / "99999_123456_20240315_CAIS_000011.json.bz2.tmp-1");
  Touch(dir / "99999_123456_20240315_G_CAIS_000050.json.bz2");  // another group
  Touch(dir / "99999_123456_20240314_CAIS_000099.json.bz2");    // another date
  Touch(dir / "99999_654321_20240315_CAIS_000098.json.bz2");    // another CRD
  Touch(dir / "99999_123456_20240315_CAIS_000080x.json.bz2");   // not a File Number
  Result<Written> w = WriteSubmission(profile, Simple(1), {}, BaseOptions(dir));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->pairs[0].data_name, "99999_123456_20240315_CAIS_000012.json.bz2");
  EXPECT_EQ(w->pairs[0].tid_name, "99999_123456_20240315_TIDS_000012.json.bz2");
  w = WriteSubmission(profile, Simple(1), {}, BaseOptions(dir));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->pairs[0].data_name, "99999_123456_20240315_CAIS_000013.json.bz2");
  Options g = BaseOptions(dir);
  g.group = "G";
  w = WriteSubmission(profile, Simple(1), {}, g);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->pairs[0].data_name, "99999_123456_20240315_G_CAIS_000051.json.bz2");
}

TEST(FileNumbers, ExhaustedIsAnError) {
  const spec::Profile profile = LoadOrDie();
  const auto dir = testing::TempDir();
  Touch(dir / "99999_123456_20240315_CAIS_999999.json.bz2");
  Result<Written> w = WriteSubmission(profile, Simple(1), {}, BaseOptions(dir));
  EXPECT_EQ(w.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace caisson::emit
