// feedback::ParseOutstandingRejections on the §6.5.1 example's rows and on what it must refuse.
#include <gtest/gtest.h>

#include <string>

#include "feedback/feedback.h"

namespace caisson::feedback {
namespace {

constexpr char kName[] = "99999999_555_2_20240401_OUTSTANDINGREJECTIONS_000001_data.json.bz2";

TEST(Outstanding, TheSpecExampleRowsAsAStream) {
  const std::string text =
      R"({"type": "FDIDRejection", "rejectedFDID": "ExAccount4", "submissionFilename":
          "99999999_555_20240312_Group03_CAIS_000001.json.bz2", "submissionID": 61045,
          "rejectionID": 61045000000002, "fdidRecordID": 1, "errorCode": 22042,
          "customerRecordID": [34], "rejectionTimestamp": "20240312T125431.606107000"}

         {"type": "CustomerRejection", "submissionFilename":
          "99999999_555_20240112_Group43_CAIS_000861.json.bz2", "submissionID": 563921,
          "customerRejectionEventID": "1078$24948#250#NULL#2023-02-28T01:01:26.340000+00:00",
          "rejectionID": 563921000000023, "customerRecordID": [1, 4, 46, 311], "errorCode": 22518,
          "addrType": "ADDRESS1", "rejectionTimestamp": "20240112T125431.354705000"})";
  EXPECT_TRUE(IsOutstandingRejectionsData(kName));
  EXPECT_FALSE(IsOutstandingRejectionsData("99999999_555_2_20240401_OUTSTANDINGREJECTIONS_000001_meta.json"));
  EXPECT_FALSE(IsOutstandingRejectionsData("20240402_OUTSTANDINGREJECTIONS_processed"));
  OutstandingSet set;
  ASSERT_TRUE(ParseOutstandingRejections(kName, text, &set).ok());
  EXPECT_EQ(set.cat_submitter_id, 99999999);
  EXPECT_EQ(set.cat_reporter_crd, 555);
  EXPECT_EQ(set.correspondent_crd, 2);
  EXPECT_EQ(set.generation_date, 20240401);
  ASSERT_EQ(set.rows.size(), 2u);
  EXPECT_TRUE(set.rows[0].fdid);
  EXPECT_EQ(set.rows[0].rejected_fdid, "ExAccount4");
  EXPECT_EQ(set.rows[0].rejection_id, 61045000000002);
  EXPECT_EQ(set.rows[0].fdid_record_id, 1);
  EXPECT_EQ(set.rows[0].error_code, 22042);
  EXPECT_FALSE(set.rows[1].fdid);
  EXPECT_EQ(set.rows[1].customer_record_ids, (std::vector<int64_t>{1, 4, 46, 311}));
  EXPECT_EQ(set.rows[1].submission_filename, "99999999_555_20240112_Group43_CAIS_000861.json.bz2");
}

TEST(Outstanding, RefusesBadRowsNamesAndMixedSets) {
  OutstandingSet set;
  EXPECT_EQ(ParseOutstandingRejections(kName, R"({"type": "Other", "rejectionID": 1})", &set).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(ParseOutstandingRejections(kName, R"({"type": "FDIDRejection"})", &set).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(ParseOutstandingRejections(kName, R"({"type": "FDIDRejection", "rejec)", &set).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(ParseOutstandingRejections("x_OUTSTANDINGREJECTIONS_000001_data.json", "", &set).code(),
            Status::Code::kCorruption);
  ASSERT_TRUE(ParseOutstandingRejections(kName, "", &set).ok());  // a day with nothing in this file
  EXPECT_EQ(ParseOutstandingRejections("99999999_555_2_20240402_OUTSTANDINGREJECTIONS_000002_data.json", "", &set)
                .code(),
            Status::Code::kInvalidArgument);  // another day in the same set
}

}  // namespace
}  // namespace caisson::feedback
