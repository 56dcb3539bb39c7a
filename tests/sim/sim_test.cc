// sim::Respond: what the simulated CAIS writes for clean pairs, integrity failures, store-only rejections and
// the correctionList, read back with the firm's side (feedback::Parse, feedback::ParseOutstandingRejections).
#include "sim/sim.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "caisjson/caisjson.h"
#include "feedback/feedback.h"
#include "sim/sim_fixture.h"
#include "testutil.h"

namespace caisson::sim {
namespace {

namespace fs = std::filesystem;

const char* kAddress =
    R"({"addrType": "ADDRESS1", "addrLine1": "1 MAIN ST", "city": "NEW YORK", "regionCode": "US-NY", )"
    R"("countryCode": "US", "postalCode": "10011"})";
const char* kTidA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const char* kTidB = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

// An FDID record: `extra` is inserted after fdidDate (e.g. an end or a transfer).
std::string Fdid(int id, const std::string& fdid, int crid, const std::string& extra = "") {
  return "{\"fdidRecordID\": " + std::to_string(id) + ", \"firmDesignatedID\": \"" + fdid +
         "\", \"fdidType\": \"ACCOUNT\", \"accountType\": [\"OPTION\"], \"accountName\": \"ROE ACCT\", "
         "\"fdidDate\": 20240101" +
         extra + ", \"addressList\": [" + kAddress +
         "], \"fdidCustomerList\": [{\"customerRecordID\": " + std::to_string(crid) +
         ", \"role\": \"TRDHOLDER\", \"roleStartDate\": 20240101}]}";
}

std::string Person(int crid, const std::string& last) {
  return "{\"customerRecordID\": " + std::to_string(crid) + ", \"firstName\": \"ANN\", \"lastName\": \"" +
         last + "\", \"yearOfBirth\": 1970, \"customerType\": [\"NOTAPPLICABLE\"], \"addressList\": [" +
         kAddress + "]}";
}

std::string DataFile(const std::vector<std::string>& fdids, const std::vector<std::string>& people,
                     const std::string& corrections = "") {
  std::string s =
      "{\"version\": \"2.0.0\", \"catReporterCRD\": 2, \"catSubmitterID\": 1,\n\"fdidRecordCount\": " +
      std::to_string(fdids.size()) +
      ", \"naturalPersonCustomerRecordCount\": " + std::to_string(people.size()) +
      ", \"legalEntityCustomerRecordCount\": 0,\n\"fdidRecordList\": [\n";
  for (size_t i = 0; i < fdids.size(); ++i) s += (i ? ",\n" : "") + fdids[i];
  s += "],\n\"naturalPersonCustomerList\": [\n";
  for (size_t i = 0; i < people.size(); ++i) s += (i ? ",\n" : "") + people[i];
  s += "]";
  if (!corrections.empty()) s += ",\n\"correctionList\": [" + corrections + "]";
  return s + "}\n";
}

std::string TidFile(const std::vector<std::pair<int, std::string>>& tids) {
  std::string s = "{\"version\": \"2.0.0\", \"tidRecordCount\": " + std::to_string(tids.size()) +
                  ", \"tidRecordList\": [\n";
  for (size_t i = 0; i < tids.size(); ++i) {
    s += (i ? ",\n" : "") + std::string("{\"customerRecordID\": ") + std::to_string(tids[i].first) +
         ", \"tidType\": \"SSN/ITIN\", \"tidValue\": \"" + tids[i].second + "\"}";
  }
  return s + "]}\n";
}


TEST_F(SimTest, ACleanPairGoesThroughFourVersionsThatParseBack) {
  UploadPair("000001", DataFile({Fdid(1, "A1", 7)}, {Person(7, "ROE")}), TidFile({{7, kTidA}}));
  Response r = Run();
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.accepted_fdids, 1);
  EXPECT_EQ(r.accepted_customers, 1);
  EXPECT_EQ(Statuses("1_2_20240102_CAIS_000001", 4),
            (std::vector<std::string>{"FILE_ACKNOWLEDGED", "FILE_INTEGRITY_PASSED", "RECORD_SCAN_COMPLETED",
                                      "COMPLETED_WITHOUT_REJECTIONS"}));
  EXPECT_EQ(Statuses("1_2_20240102_TIDS_000001", 4),
            (std::vector<std::string>{"FILE_ACKNOWLEDGED", "FILE_INTEGRITY_PASSED", "RECORD_SCAN_COMPLETED",
                                      "COMPLETED"}));
  // Every timestamp derives from `now` (07:00 ET; EST in January): exact bytes.
  EXPECT_EQ(
      Read("1_2_20240102_CAIS_000001.v4.feedback.json.bz2"),
      R"({"version": "2.0.0", "submissionID": 1001, "submitterUsername": "caissim", "catSubmitterID": 1, )"
      R"("catReporterCRD": 2, "submissionStatus": "COMPLETED_WITHOUT_REJECTIONS", )"
      R"("receiptTimestamp": "20240103T070000.000000000", "completedTimestamp": "20240103T070300.000000000", )"
      R"("receivedFDIDRecordCount": 1, "successfulFDIDRecordCount": 1, "receivedNaturalRecordCount": 1, )"
      R"("successfulNaturalRecordCount": 1, "receivedLegalEntityRecordCount": 0, )"
      R"("successfulLegalEntityRecordCount": 0, "receivedCorrectionActionCount": 0, )"
      R"("successfulCorrectionActionCount": 0, "statusHistory": {"FILE_ACKNOWLEDGED": )"
      R"("20240103T070000.000000000", "FILE_INTEGRITY_PASSED": "20240103T070100.000000000", )"
      R"("RECORD_SCAN_COMPLETED": "20240103T070200.000000000", "COMPLETED_WITHOUT_REJECTIONS": )"
      R"("20240103T070300.000000000"}})"
      "\n");
  EXPECT_EQ(
      Read("1_2_20240102_TIDS_000001.v4.feedback.json.bz2"),
      R"({"version": "2.0.0", "submissionID": "1002", "submissionStatus": "COMPLETED", )"
      R"("receiptTimestamp": "20240103T070000.000000000", "completedTimestamp": "20240103T070300.000000000", )"
      R"("receivedTIDsCount": 1, "successfulTIDsCount": 1, "statusHistory": {"FILE_ACKNOWLEDGED": )"
      R"("20240103T070000.000000000", "FILE_INTEGRITY_PASSED": "20240103T070100.000000000", )"
      R"("RECORD_SCAN_COMPLETED": "20240103T070200.000000000", "COMPLETED": "20240103T070300.000000000"}})"
      "\n");
  // Nothing outstanding: only the sentinel [§6.5 r3].
  EXPECT_EQ(Written(r, "_OUTSTANDINGREJECTIONS_"),
            (std::vector<std::string>{"20240103_OUTSTANDINGREJECTIONS_processed"}));
  EXPECT_EQ(r.outstanding_rejections, 0);
  EXPECT_EQ(std::count_if(
                r.written.begin(), r.written.end(),
                [](const std::string& n) { return n.find("_OUTSTANDINGREJECTIONS_0") != std::string::npos; }),
            0);
  // A second run answers nothing again.
  EXPECT_TRUE(Run().files.empty());
}

TEST_F(SimTest, AnIntegrityErrorEndsBothFilesAtV2) {
  // fdidRecordCount says 2 for one record (21007); the TID File fails with it (21514) [§6.2 r11].
  std::string data = DataFile({Fdid(1, "A1", 7)}, {Person(7, "ROE")});
  data.replace(data.find("\"fdidRecordCount\": 1"), 20, "\"fdidRecordCount\": 2");
  UploadPair("000001", data, TidFile({{7, kTidA}}));
  Response r = Run();
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[0].last_version, 2);
  EXPECT_EQ(r.files[0].codes, (std::vector<int64_t>{21007}));
  EXPECT_EQ(r.files[1].codes, (std::vector<int64_t>{21514}));
  EXPECT_EQ(Statuses("1_2_20240102_CAIS_000001", 2),
            (std::vector<std::string>{"FILE_ACKNOWLEDGED", "COMPLETED_INTEGRITY_ERROR"}));
  EXPECT_FALSE(fs::exists(dir_ / "fb" / "1_2_20240102_CAIS_000001.v3.feedback.json.bz2"));
  feedback::FileFeedback tid = Parsed("1_2_20240102_TIDS_000001.v2.feedback.json.bz2");
  EXPECT_EQ(tid.status, "COMPLETED_INTEGRITY_ERROR");
  ASSERT_EQ(tid.rejections.size(), 1u);
  EXPECT_FALSE(tid.rejections[0].rejection_id.has_value());  // null in the TID feedback [Table 21]
  EXPECT_EQ(tid.rejections[0].error_code, 21514);
  feedback::FileFeedback fb = Parsed("1_2_20240102_CAIS_000001.v2.feedback.json.bz2");
  ASSERT_EQ(fb.rejections.size(), 1u);
  EXPECT_EQ(fb.rejections[0].rejection_id, 5001);
  EXPECT_EQ(fb.completed_timestamp, "20240103T070100.000000000");

  // The same name again with corrected data is processed [§6.6.1]; its feedback base gets "_2".
  fs::remove_all(dir_ / "up");
  fs::create_directories(dir_ / "up");
  UploadPair("000001", DataFile({Fdid(1, "A1", 7)}, {Person(7, "ROE")}), TidFile({{7, kTidA}}));
  r = Run();
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[0].feedback_base, "1_2_20240102_CAIS_000001_2");
  EXPECT_EQ(r.files[0].status, "COMPLETED_WITHOUT_REJECTIONS");
  // Once a name passed integrity, a new file under it is a duplicate (21001 / 21501) [§6.2 r1].
  fs::remove_all(dir_ / "up");
  fs::create_directories(dir_ / "up");
  UploadPair("000001", DataFile({Fdid(1, "A2", 7)}, {Person(7, "ROE")}), TidFile({{7, kTidA}}));
  r = Run();
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[0].codes, (std::vector<int64_t>{21001, 21014}));
  EXPECT_EQ(r.files[1].codes, (std::vector<int64_t>{21501, 21514}));
}

TEST_F(SimTest, AnUnpairedFileIsRejectedWith21014) {
  Upload("1_2_20240102_CAIS_000003.json.bz2", DataFile({Fdid(1, "A1", 7)}, {Person(7, "ROE")}));
  Response r = Run();
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].status, "COMPLETED_INTEGRITY_ERROR");
  EXPECT_EQ(r.files[0].codes, (std::vector<int64_t>{21014}));
}

TEST_F(SimTest, AFileThatIsNotBzip2FailsIntegrityWithItsPartner) {
  // A plain JSON Data File (21013 [App B Table 26]) and a TID File cut short inside its bzip2 data (21513).
  std::ofstream(dir_ / "up" / "1_2_20240102_CAIS_000004.json")
      << DataFile({Fdid(1, "A1", 7)}, {Person(7, "ROE")});
  Upload("1_2_20240102_TIDS_000004.json.bz2", TidFile({{7, kTidA}}));
  fs::resize_file(dir_ / "up" / "1_2_20240102_TIDS_000004.json.bz2", 40);
  Response r = Run();
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[0].codes, (std::vector<int64_t>{21013, 21014}));
  EXPECT_EQ(r.files[1].codes, (std::vector<int64_t>{21513, 21514}));
  EXPECT_EQ(r.files[0].status, "COMPLETED_INTEGRITY_ERROR");
  EXPECT_EQ(Parsed("1_2_20240102_TIDS_000004.v2.feedback.json.bz2").rejections.size(), 2u);
}

TEST_F(SimTest, TheStoreRejectsUnknownReplacementsAndPriorCrdsUntilRepaired) {
  // A1 is REPLACED by B9, which CAIS never accepted (23004); T1 came from CRD 777, unknown to CAIS (22054).
  // Each FDID's customer is rejected with it (22523) [§6.3 r2].
  UploadPair(
      "000001",
      DataFile({Fdid(1, "A1", 7,
                     R"(, "fdidEndDate": 20240102, "fdidEndReason": "REPLACED", "replacedByFDID": "B9")"),
                Fdid(2, "T1", 8, R"(, "priorCATReporterCRD": 777, "priorCATReporterFDID": "OLD1")")},
               {Person(7, "ROE"), Person(8, "DOE")}),
      TidFile({{7, kTidA}, {8, kTidB}}));
  Response r = Run();
  EXPECT_EQ(r.rejected_fdids, 2);
  EXPECT_EQ(r.rejected_customers, 2);
  feedback::FileFeedback v4 = Parsed("1_2_20240102_CAIS_000001.v4.feedback.json.bz2");
  EXPECT_EQ(v4.status, "COMPLETED_WITH_REJECTIONS");
  ASSERT_EQ(v4.rejections.size(), 4u);
  EXPECT_EQ(v4.rejections[0].rejection_id, 5001);
  EXPECT_EQ(v4.rejections[0].firm_designated_id, "A1");
  EXPECT_EQ(v4.rejections[0].error_code, 23004);
  EXPECT_EQ(v4.rejections[1].firm_designated_id, "T1");
  EXPECT_EQ(v4.rejections[1].error_code, 22054);
  EXPECT_EQ(v4.rejections[2].customer_record_ids, (std::vector<int64_t>{7}));
  EXPECT_EQ(v4.rejections[2].error_code, 22523);
  // Identified at 07:02 ET, before the 08:00 cut-off: in today's Outstanding Rejections [§6.5].
  const std::string data_name = "1_2_20240103_OUTSTANDINGREJECTIONS_000001_data.json.bz2";
  EXPECT_EQ(
      Read("1_2_20240103_OUTSTANDINGREJECTIONS_000001_meta.json"),
      R"({"catSubmitterID": 1, "catReporterCRD": 2, "outstandingFDIDCount": 2, "outstandingCustomerCount": 2, )"
      R"("errorFeedbackFileName": "1_2_20240103_OUTSTANDINGREJECTIONS_000001_data.json.bz2"})"
      "\n");
  feedback::OutstandingSet set;
  ASSERT_OK(feedback::ParseOutstandingRejections(data_name, Read(data_name), &set));
  ASSERT_EQ(set.rows.size(), 4u);
  EXPECT_EQ(set.rows[0].rejected_fdid, "A1");
  EXPECT_EQ(set.rows[0].rejection_id, 5001);
  EXPECT_EQ(set.rows[0].submission_filename, "1_2_20240102_CAIS_000001.json.bz2");
  EXPECT_EQ(set.rows[0].rejection_timestamp, "20240103T070200.000000000");
  EXPECT_EQ(set.generation_date, 20240103);

  // Next day: B9 comes with A1, and T1 with its real prior CRD 555: both accepted, the rejections repaired.
  At("2024-01-04T07:00");
  UploadPair(
      "000002",
      DataFile({Fdid(1, "A1", 7,
                     R"(, "fdidEndDate": 20240102, "fdidEndReason": "REPLACED", "replacedByFDID": "B9")"),
                Fdid(2, "B9", 7),
                Fdid(3, "T1", 8, R"(, "priorCATReporterCRD": 555, "priorCATReporterFDID": "OLD1")")},
               {Person(7, "ROE"), Person(8, "DOE")}),
      TidFile({{7, kTidA}, {8, kTidB}}));
  r = Run();
  EXPECT_EQ(r.rejected_fdids, 0);
  EXPECT_EQ(r.accepted_fdids, 3);
  EXPECT_EQ(r.outstanding_rejections, 0);
  EXPECT_EQ(Written(r, "_OUTSTANDINGREJECTIONS_"),
            (std::vector<std::string>{"20240104_OUTSTANDINGREJECTIONS_processed"}));
}

TEST_F(SimTest, TheCorrectionListRepairsA22900AndWarnsOnUnknownRejections) {
  // A malformed tidValue: the customer is rejected 22900, the TID feedback carries 24905 [Table 31].
  UploadPair("000001", DataFile({Fdid(1, "A1", 7)}, {Person(7, "ROE")}), TidFile({{7, "not-hex"}}));
  Response r = Run();
  feedback::FileFeedback tid = Parsed("1_2_20240102_TIDS_000001.v4.feedback.json.bz2");
  ASSERT_EQ(tid.rejections.size(), 1u);
  EXPECT_EQ(tid.rejections[0].error_code, 24905);
  EXPECT_EQ(tid.rejections[0].customer_record_ids, (std::vector<int64_t>{7}));
  feedback::FileFeedback v4 = Parsed("1_2_20240102_CAIS_000001.v4.feedback.json.bz2");
  ASSERT_EQ(v4.rejections.size(), 2u);
  EXPECT_EQ(v4.rejections[0].error_code, 22048);  // the FDID, with the customer that took it
  EXPECT_EQ(v4.rejections[0].customer_record_ids, (std::vector<int64_t>{7}));
  EXPECT_EQ(v4.rejections[1].error_code, 22900);
  const int64_t customer_rejection = *v4.rejections[1].rejection_id;

  // Resent without the correctionList: accepted, but 22900 stays open (repair credit only through it).
  At("2024-01-04T07:00");
  UploadPair("000002", DataFile({Fdid(1, "A1", 7)}, {Person(7, "ROE")}), TidFile({{7, kTidA}}));
  r = Run();
  EXPECT_EQ(r.rejected_customers, 0);
  EXPECT_EQ(r.outstanding_rejections, 1);  // 22900 (the FDID's 22048 was repaired by the resubmission)

  // With a CORRECTION naming it, and an unknown rejectionID: the first repairs, the second is 24001.
  At("2024-01-05T07:00");
  UploadPair("000003",
             DataFile({Fdid(1, "A1", 7)}, {Person(7, "ROE")},
                      R"({"rejectionID": )" + std::to_string(customer_rejection) +
                          R"(, "correctionAction": "CORRECTION", "correctingCustomerRecordID": 7}, )"
                          R"({"rejectionID": 424242, "correctionAction": "DELETE"})"),
             TidFile({{7, kTidA}}));
  r = Run();
  EXPECT_EQ(r.outstanding_rejections, 0);
  feedback::FileFeedback fixed = Parsed("1_2_20240102_CAIS_000003.v4.feedback.json.bz2");
  EXPECT_EQ(fixed.status, "COMPLETED_WITHOUT_REJECTIONS");
  const std::string text = Read("1_2_20240102_CAIS_000003.v4.feedback.json.bz2");
  EXPECT_NE(text.find(R"("receivedCorrectionActionCount": 2, "successfulCorrectionActionCount": 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("failedCorrectionItems": [{"failedRejectionID": 424242, "warningCode": 24001}])"),
            std::string::npos)
      << text;
  // Repairing it again is 24009 [App B Table 30].
  At("2024-01-08T07:00");
  UploadPair("000004",
             DataFile({Fdid(1, "A1", 7)}, {Person(7, "ROE")},
                      R"({"rejectionID": )" + std::to_string(customer_rejection) +
                          R"(, "correctionAction": "CORRECTION", "correctingCustomerRecordID": 7})"),
             TidFile({{7, kTidA}}));
  Run();
  EXPECT_NE(Read("1_2_20240102_CAIS_000004.v4.feedback.json.bz2").find(R"("warningCode": 24009)"),
            std::string::npos);
}

}  // namespace
}  // namespace caisson::sim
