// correctionList [Table 8; §6.6.2.1]: each Correction Action Record in the file of its correcting record.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "emit/emit.h"
#include "emit/internal.h"
#include "fixture.h"
#include "testutil.h"

namespace caisson::emit {
namespace {

using namespace testfix;
namespace fs = std::filesystem;

TEST(Corrections, EachGoesWithItsRecordDeletesGoFirstAndTheRestAreCounted) {
  const spec::Profile profile = LoadOrDie();
  const fs::path dir = testing::TempDir();
  model::Books books = Simple(4);
  books.fdids[2].correspondent_crd = model::Num::Of(777);  // F2 (and C2) in a second pair
  Options options = BaseOptions(dir);
  options.corrections = {
      {11, false, -1, 2, ""},  // customer C2: CORRECTION in the second file, its customerRecordID there
      {12, false, 1, -1, ""},  // FDID F1: CORRECTION by firmDesignatedID, first file
      {13, true, -1, -1, ""},  // DELETE: first file
      {14, false, -1, 3, ""},  // C3 is held back: nowhere to go
  };
  validate::Holds holds;
  holds.fdid = {false, false, false, true};
  holds.customer = {false, false, false, true};
  Result<Written> w = WriteSubmission(profile, books, holds, options);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->pairs.size(), 2u);
  EXPECT_EQ(w->corrections_written, 3);
  EXPECT_EQ(w->corrections_unplaced, 1);
  const std::string first = Decompressed(dir / w->pairs[0].data_name);
  const std::string second = Decompressed(dir / w->pairs[1].data_name);
  EXPECT_EQ(w->pairs[0].corrections, 2);
  EXPECT_EQ(w->pairs[1].corrections, 1);
  EXPECT_NE(first.find(",\"correctionList\":[\n{\"rejectionID\":12,\"correctionAction\":\"CORRECTION\","
                       "\"correctingFirmDesignatedID\":\"F1\"},\n{\"rejectionID\":13,\"correctionAction\":\"DELETE\"}\n]}\n"),
            std::string::npos)
      << first;
  EXPECT_NE(second.find(",\"correctionList\":[\n{\"rejectionID\":11,\"correctionAction\":\"CORRECTION\","
                        "\"correctingCustomerRecordID\":1}\n]}\n"),
            std::string::npos)
      << second;
  EXPECT_EQ(w->pairs[0].data_bytes, first.size());  // the planned size includes the list
}

}  // namespace
}  // namespace caisson::emit
