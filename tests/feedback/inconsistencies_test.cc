// feedback::ParseOutstandingInconsistencies on the §6.4.3 example's rows and on what it must refuse.
#include <gtest/gtest.h>

#include <string>

#include "feedback/feedback.h"

namespace caisson::feedback {
namespace {

constexpr char kName[] = "123_456_2_20240401_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2";

TEST(OutstandingInconsistencies, TheSpecExampleRowsAsAStream) {
  const std::string text =
      R"({"type": "materialInconsistency", "submissionFilename":
          "123_456_20231201_Group11_CAIS_000129.json.bz2", "submissionID": 456389,
          "inconsistencyEventID": "368453$24948#555#NULL#2023-02-28T01:01:26.340000+00:00", "customerRecordID":
          [367,357], "inconsistencyCode": 30002, "identificationDate": "20240401T140000.00000000",
          "inconsistencyDeadline": "20240403T170000.00000000", "firmDesignatedID": ["EZAccount123"]}

         {"Type": "materialInconsistency", "submissionFilename":
          "123_456_20240104_Group32_CAIS_963482.json.bz2", "submissionID": 596634,
          "inconsistencyEventID": "34698132$24948#555#NULL#2023-02-28T01:01:26.340000+00:00", "customerRecordID":
          [68], "inconsistencyCode": 30004, "identificationDate": "20240401T140000.00000000",
          "inconsistencyDeadline": "20240403T170000.00000000", "firmDesignatedID": ["Account987", "ABC12"]})";
  EXPECT_TRUE(IsOutstandingInconsistenciesData(kName));
  EXPECT_FALSE(IsOutstandingInconsistenciesData("123_456_2_20240401_OUTSTANDINGINCONSISTENCIES_000001_meta.json"));
  EXPECT_FALSE(IsOutstandingInconsistenciesData("20240401_OUTSTANDINGINCONSISTENCIES_processed"));
  InconsistencySet set;
  ASSERT_TRUE(ParseOutstandingInconsistencies(kName, text, &set).ok());
  EXPECT_EQ(set.cat_submitter_id, 123);
  EXPECT_EQ(set.cat_reporter_crd, 456);
  EXPECT_EQ(set.correspondent_crd, 2);
  EXPECT_EQ(set.generation_date, 20240401);
  ASSERT_EQ(set.rows.size(), 2u);
  EXPECT_EQ(set.rows[0].event_id, "368453$24948#555#NULL#2023-02-28T01:01:26.340000+00:00");
  EXPECT_EQ(set.rows[0].customer_record_ids, (std::vector<int64_t>{367, 357}));
  EXPECT_EQ(set.rows[0].code, 30002);
  EXPECT_EQ(set.rows[0].deadline, "20240403T170000.00000000");
  EXPECT_EQ(set.rows[0].fdids, (std::vector<std::string>{"EZAccount123"}));
  EXPECT_EQ(set.rows[1].code, 30004);  // Table 23's spelling `Type` is read too
  EXPECT_EQ(set.rows[1].fdids, (std::vector<std::string>{"Account987", "ABC12"}));
}

TEST(OutstandingInconsistencies, RefusesBadRowsNamesAndMixedSets) {
  InconsistencySet set;
  EXPECT_EQ(ParseOutstandingInconsistencies(kName, R"({"type": "FDIDRejection", "inconsistencyEventID": "e"})", &set)
                .code(),
            Status::Code::kCorruption);
  EXPECT_EQ(ParseOutstandingInconsistencies(kName, R"({"type": "materialInconsistency", "inconsistencyCode": 30002})",
                                            &set)
                .code(),
            Status::Code::kCorruption);  // no event ID
  EXPECT_EQ(ParseOutstandingInconsistencies(kName, R"({"type": "materialInconsistency", "inconsistencyEventID": "e"})",
                                            &set)
                .code(),
            Status::Code::kCorruption);  // no code
  EXPECT_EQ(ParseOutstandingInconsistencies(kName, R"({"type": "materialInconsistency", "incons)", &set).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(ParseOutstandingInconsistencies("x_OUTSTANDINGINCONSISTENCIES_000001_data.json", "", &set).code(),
            Status::Code::kCorruption);
  ASSERT_TRUE(ParseOutstandingInconsistencies(kName, "", &set).ok());
  EXPECT_EQ(ParseOutstandingInconsistencies("123_456_2_20240402_OUTSTANDINGINCONSISTENCIES_000002_data.json", "", &set)
                .code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace caisson::feedback
