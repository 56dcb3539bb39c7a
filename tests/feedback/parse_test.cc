// feedback::Parse on the spec's own examples [§6.1.3; §6.2.1; §6.3.1] and on what it must refuse.
#include "feedback/feedback.h"

#include <gtest/gtest.h>

#include <string>

namespace caisson::feedback {
namespace {

TEST(Parse, TheV1AcknowledgementExample) {
  const std::string json =
      R"({"version": "2.0.0", "submissionID": 7, "submitterUsername": "caisimusr", "catSubmitterID": 123,
          "catReporterCRD": 456, "submissionStatus": "FILE_ACKNOWLEDGED",
          "receiptTimestamp": "20200204T152233.000045000",
          "statusHistory": {"FILE_ACKNOWLEDGED": "20200204T152233.000045000"}})";
  Result<FileFeedback> fb = Parse("123_456_20200204_CAIS_000123.v1.feedback.json.bz2", json);
  ASSERT_TRUE(fb.ok()) << fb.status().ToString();
  EXPECT_EQ(fb->base_name, "123_456_20200204_CAIS_000123");
  EXPECT_TRUE(fb->data_file);
  EXPECT_EQ(fb->version, 1);
  EXPECT_EQ(fb->submission_id, "7");
  EXPECT_EQ(fb->status, "FILE_ACKNOWLEDGED");
  EXPECT_EQ(fb->cat_reporter_crd, 456);
  EXPECT_FALSE(IsFinal(fb->status));
}

TEST(Parse, TheV3ExampleWithItsTrailingCommaAndTidCountsAsStrings) {
  // §6.3.1: the example's statusHistory ends in a comma (not JSON); the TID counts are strings.
  const std::string json = R"({"version": "2.0.0", "submissionID": 15, "submissionStatus": "RECORD_SCAN_COMPLETED",
      "receiptTimestamp": "20200204T152233.000045000", "receivedTIDsCount": "7", "successfulTIDsCount": "7",
      "statusHistory": {"FILE_ACKNOWLEDGED": "20200204T152233.000045000",
                        "RECORD_SCAN_COMPLETED": "20200204T152255.324392000",}})";
  Result<FileFeedback> fb = Parse("123_456_20200204_TIDS_000123.v3.feedback.json.bz2", json);
  ASSERT_TRUE(fb.ok()) << fb.status().ToString();
  EXPECT_FALSE(fb->data_file);
  EXPECT_EQ(fb->version, 3);
  EXPECT_EQ(fb->status, "RECORD_SCAN_COMPLETED");
}

TEST(Parse, TheV4ExampleWithRejections) {
  const std::string json = R"({"version": "2.0.0", "submissionID": 7, "submitterUsername": "caisimusr",
      "catSubmitterID": 123, "catReporterCRD": 456, "submissionStatus": "COMPLETED_WITH_REJECTIONS",
      "receiptTimestamp": "20200204T152233.000045000", "completedTimestamp": "20200204T152721.023423000",
      "receivedFDIDRecordCount": 100, "successfulFDIDRecordCount": 99,
      "statusHistory": {"FILE_ACKNOWLEDGED": "2019200204T152233.000045000"},
      "rejectionItems": [
        {"rejectionID": 1127, "firmDesignatedID": "ABC123", "fdidRecordID": 4, "largeTraderRecordID": 2,
         "errorCode": 22012, "rejectionTimestamp": "20200204T152221.023423000"},
        {"rejectionID": 9985, "customerRecordID":[73], "errorCode": 22900,
         "rejectionTimestamp": "20200204T152221.023423000"}],
      "failedCorrectionItems": [{"failedRejectionID": 5000, "warningCode": 24002}]})";
  Result<FileFeedback> fb = Parse("123_456_20200204_CAIS_000123.v4.feedback.json.bz2", json);
  ASSERT_TRUE(fb.ok()) << fb.status().ToString();
  EXPECT_TRUE(IsFinal(fb->status));
  EXPECT_EQ(fb->completed_timestamp, "20200204T152721.023423000");
  ASSERT_EQ(fb->rejections.size(), 2u);
  EXPECT_EQ(fb->rejections[0].rejection_id, 1127);
  EXPECT_EQ(fb->rejections[0].firm_designated_id, "ABC123");
  EXPECT_EQ(fb->rejections[0].fdid_record_id, 4);
  EXPECT_EQ(fb->rejections[0].large_trader_record_id, 2);
  EXPECT_EQ(fb->rejections[0].error_code, 22012);
  EXPECT_EQ(fb->rejections[1].customer_record_ids, (std::vector<int64_t>{73}));
  EXPECT_EQ(fb->rejections[1].error_code, 22900);
}

TEST(Parse, TheTidV2IntegrityErrorWithNullIds) {
  const std::string json = R"({"version": "2.0.0", "submissionID": 15, "submissionStatus": "COMPLETED_INTEGRITY_ERROR",
      "receiptTimestamp": "20200204T152233.000045000", "completedTimestamp": "20200204T152721.023423000",
      "rejectionItems": [{"rejectionID": null, "customerRecordID": null, "errorCode": 21507,
                          "rejectionTimestamp": "20200204T152721.023423000"}]})";
  Result<FileFeedback> fb = Parse("123_456_20200204_TIDS_000123.v2.feedback.json", json);
  ASSERT_TRUE(fb.ok()) << fb.status().ToString();
  ASSERT_EQ(fb->rejections.size(), 1u);
  EXPECT_FALSE(fb->rejections[0].rejection_id.has_value());
  EXPECT_TRUE(fb->rejections[0].customer_record_ids.empty());
  EXPECT_EQ(fb->rejections[0].error_code, 21507);
}

TEST(Parse, RefusesBadNamesJsonAndStatuses) {
  const std::string ok = R"({"submissionStatus": "FILE_ACKNOWLEDGED"})";
  EXPECT_EQ(Parse("123_456_20200204_CAIS_000123.json.bz2", ok).status().code(), Status::Code::kCorruption);
  EXPECT_EQ(Parse("123_456_20200204_CAIS_000123.v5.feedback.json.bz2", ok).status().code(),
            Status::Code::kCorruption);
  EXPECT_EQ(Parse("123_456_20200204_XXXX_000123.v1.feedback.json.bz2", ok).status().code(),
            Status::Code::kCorruption);
  Result<FileFeedback> truncated = Parse("123_456_20200204_CAIS_000123.v1.feedback.json.bz2", R"({"submissionSt)");
  EXPECT_EQ(truncated.status().code(), Status::Code::kCorruption);
  EXPECT_NE(truncated.status().message().find("123_456_20200204_CAIS_000123.v1.feedback.json.bz2"), std::string::npos);
  EXPECT_EQ(Parse("123_456_20200204_CAIS_000123.v1.feedback.json.bz2", R"({"submissionStatus": "DONE"})")
                .status()
                .code(),
            Status::Code::kCorruption);
  EXPECT_EQ(Parse("123_456_20200204_CAIS_000123.v1.feedback.json.bz2", R"({"version": "2.0.0"})").status().code(),
            Status::Code::kCorruption);
  // A comma inside a string is not a trailing comma.
  Result<FileFeedback> comma =
      Parse("1_2_20200204_CAIS_000001.v1.feedback.json", R"({"submissionStatus": "FILE_ACKNOWLEDGED", "submissionID": "a,}"})");
  ASSERT_TRUE(comma.ok());
  EXPECT_EQ(comma->submission_id, "a,}");
}

}  // namespace
}  // namespace caisson::feedback
