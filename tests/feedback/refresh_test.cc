// feedback::ParseFdidRefreshReport on the §3.8.1 example and on what it must refuse.
#include <gtest/gtest.h>

#include <string>

#include "feedback/feedback.h"

namespace caisson::feedback {
namespace {

constexpr char kName[] = "123_456_2_20250403_FDIDREFRESHREPORT_000001_data.json.bz2";

TEST(FdidRefreshReport, TheSpecExampleRow) {
  // The example's lastAcceptedFilename carries "_data", which no submission name has: kept as opaque text.
  const std::string text =
      R"({"firmDesignatedID": "FDID123", "lastAcceptedFilename":
          "123_456_20230527_CAIS_000001_data.json.bz2", "refreshDueDate": 20250531, "status": "DUE"}

         {"firmDesignatedID": "FDID124", "lastAcceptedFilename": "x", "refreshDueDate": 20250430,
          "status": "OVERDUE"})";
  EXPECT_TRUE(IsFdidRefreshReportData(kName));
  EXPECT_FALSE(IsFdidRefreshReportData("123_456_2_20250403_FDIDREFRESHREPORT_000001_meta.json.bz2"));
  EXPECT_FALSE(IsFdidRefreshReportData("20250403_FDIDREFRESHREPORT_processed"));
  RefreshSet set;
  ASSERT_TRUE(ParseFdidRefreshReport(kName, text, &set).ok());
  EXPECT_EQ(set.cat_reporter_crd, 456);
  EXPECT_EQ(set.correspondent_crd, 2);
  EXPECT_EQ(set.generation_date, 20250403);
  ASSERT_EQ(set.rows.size(), 2u);
  EXPECT_EQ(set.rows[0].fdid, "FDID123");
  EXPECT_EQ(set.rows[0].last_accepted_filename, "123_456_20230527_CAIS_000001_data.json.bz2");
  EXPECT_EQ(set.rows[0].due, 20250531);
  EXPECT_EQ(set.rows[0].status, "DUE");
  EXPECT_EQ(set.rows[1].status, "OVERDUE");
}

TEST(FdidRefreshReport, RefusesBadRowsNamesAndMixedSets) {
  RefreshSet set;
  EXPECT_EQ(ParseFdidRefreshReport(kName, R"({"refreshDueDate": 20250531, "status": "DUE"})", &set).code(),
            Status::Code::kCorruption);  // no FDID
  EXPECT_EQ(ParseFdidRefreshReport(kName, R"({"firmDesignatedID": "F", "status": "DUE"})", &set).code(),
            Status::Code::kCorruption);  // no due date
  EXPECT_EQ(ParseFdidRefreshReport(kName, R"({"firmDesignatedID": "F", "refreshDueDate": 1, "status": "LATE"})",
                                   &set)
                .code(),
            Status::Code::kCorruption);
  EXPECT_EQ(ParseFdidRefreshReport(kName, R"({"firmDesignatedID": "F", "refreshD)", &set).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(ParseFdidRefreshReport("x_FDIDREFRESHREPORT_000001_data.json", "", &set).code(), Status::Code::kCorruption);
  ASSERT_TRUE(ParseFdidRefreshReport(kName, "", &set).ok());
  EXPECT_EQ(ParseFdidRefreshReport("123_456_2_20250501_FDIDREFRESHREPORT_000001_data.json", "", &set).code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace caisson::feedback
