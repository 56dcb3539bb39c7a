// sim::Respond's daily and monthly sets: Material Inconsistencies and their Outstanding Material
// Inconsistencies set [§6.4; §6.6.3–§6.6.4; App B Table 32], the FDID Refresh Report [§3.8], and the
// migration of an old simulator store. Read back with the firm's side
// (feedback::ParseOutstandingInconsistencies, feedback::ParseFdidRefreshReport).
#include <sqlite3.h>

#include <string>
#include <vector>

#include "sim/sim_fixture.h"

namespace caisson::sim {
namespace {

const char* kAddr =
    R"({"addrType": "ADDRESS1", "addrLine1": "1 MAIN ST", "city": "NEW YORK", "regionCode": "US-NY", )"
    R"("countryCode": "US", "postalCode": "10011"})";
const char* kTid1 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

struct Cust {
  int crid = 7;
  int yob = 1970;
  bool flag = false;  // updateNotification true
  std::string tid = kTid1;
  bool legal = false;        // a legal entity (else a natural person)
  std::string foreign = "";  // foreignTIDType under tidType FOREIGN (country DE); "" = SSN/ITIN
};

std::string Fdid(int id, const std::string& fdid, const std::vector<int>& crids,
                 const std::string& extra = "") {
  std::string s = "{\"fdidRecordID\": " + std::to_string(id) + ", \"firmDesignatedID\": \"" + fdid +
                  "\", \"fdidType\": \"ACCOUNT\", \"accountType\": "
                  "[\"OPTION\"], \"accountName\": \"ROE ACCT\", "
                  "\"fdidDate\": 20200101" +
                  extra + ", \"addressList\": [" + kAddr + "], \"fdidCustomerList\": [";
  for (size_t i = 0; i < crids.size(); ++i) {
    s += (i ? ", " : "") + std::string("{\"customerRecordID\": ") + std::to_string(crids[i]) +
         ", \"role\": \"TRDHOLDER\", \"roleStartDate\": 20200101}";
  }
  return s + "]}";
}

// A Data File of CRD `crd` (correspondentCRD `corr` when > 0) and its TID File.
std::pair<std::string, std::string> Pair(int crd, int corr, const std::vector<std::string>& fdids,
                                         const std::vector<Cust>& people) {
  std::string naturals, legals;
  size_t n_naturals = 0, n_legals = 0;
  std::string t = "{\"version\": \"2.0.0\", \"tidRecordCount\": " + std::to_string(people.size()) +
                  ", \"tidRecordList\": [\n";
  for (size_t i = 0; i < people.size(); ++i) {
    const Cust& c = people[i];
    const std::string flag = c.flag ? ", \"updateNotification\": true" : "";
    if (c.legal) {
      legals += (n_legals++ ? ",\n" : "") + std::string("{\"customerRecordID\": ") + std::to_string(c.crid) +
                ", \"legalName\": \"ROE HOLDINGS LLC\", \"customerType\": [\"BD\"], \"addressList\": [" +
                kAddr + "]" + flag + "}";
    } else {
      naturals +=
          (n_naturals++ ? ",\n" : "") + std::string("{\"customerRecordID\": ") + std::to_string(c.crid) +
          ", \"firstName\": \"ANN\", \"lastName\": \"ROE\", \"yearOfBirth\": " + std::to_string(c.yob) +
          ", \"customerType\": [\"NOTAPPLICABLE\"], \"addressList\": [" + kAddr + "]" + flag + "}";
    }
    t += (i ? ",\n" : "") + std::string("{\"customerRecordID\": ") + std::to_string(c.crid) +
         (c.foreign.empty() ? ", \"tidType\": \"SSN/ITIN\""
                            : ", \"tidType\": \"FOREIGN\", \"foreignTIDType\": \"" + c.foreign +
                                  "\", \"foreignTIDCountryCd\": \"DE\"") +
         ", \"tidValue\": \"" + c.tid + "\"}";
  }
  std::string d =
      "{\"version\": \"2.0.0\", \"catReporterCRD\": " + std::to_string(crd) + ", \"catSubmitterID\": 1" +
      (corr > 0 ? ", \"correspondentCRD\": " + std::to_string(corr) : "") +
      ",\n\"fdidRecordCount\": " + std::to_string(fdids.size()) +
      ", \"naturalPersonCustomerRecordCount\": " + std::to_string(n_naturals) +
      ", \"legalEntityCustomerRecordCount\": " + std::to_string(n_legals) + ",\n\"fdidRecordList\": [\n";
  for (size_t i = 0; i < fdids.size(); ++i) d += (i ? ",\n" : "") + fdids[i];
  d += "],\n\"naturalPersonCustomerList\": [\n" + naturals + "]";
  if (n_legals > 0) d += ",\n\"legalEntityCustomerList\": [\n" + legals + "]";
  return {d + "}\n", t + "]}\n"};
}

class DailyTest : public SimTest {
 protected:
  // Uploads `files` as `1_<crd>_<date>_CAIS_<number>` / `..._TIDS_...` into a fresh upload folder.
  void Send(int crd, const std::string& date, const std::string& number,
            const std::pair<std::string, std::string>& files) {
    fs::remove_all(dir_ / "up");
    fs::create_directories(dir_ / "up");
    const std::string head = "1_" + std::to_string(crd) + "_" + date;
    Upload(head + "_CAIS_" + number + ".json.bz2", files.first);
    Upload(head + "_TIDS_" + number + ".json.bz2", files.second);
  }
  feedback::InconsistencySet Set(const std::string& data_name) {
    feedback::InconsistencySet set;
    Status s = feedback::ParseOutstandingInconsistencies(data_name, Read(data_name), &set);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return set;
  }
};

TEST_F(DailyTest, AnotherYearOfBirthWithoutTheFlagIs30002UntilResentWithIt) {
  // Wednesday 2024-01-03 07:00: accepted with 1970. The day's scan finds nothing: the sentinel only.
  Send(2, "20240102", "000001", Pair(2, 0, {Fdid(1, "A1", {7})}, {Cust{}}));
  Response r = Run();
  EXPECT_EQ(r.accepted_customers, 1);
  EXPECT_EQ(r.outstanding_inconsistencies, 0);
  EXPECT_EQ(Written(r, "_OUTSTANDINGINCONSISTENCIES_"),
            (std::vector<std::string>{"20240103_OUTSTANDINGINCONSISTENCIES_processed"}));

  // Thursday 07:00: the same TID with 1971, updateNotification absent: intrafirm 30002, identified by the
  // 08:00 scan, due 17:00 ET two CAT Trading Days later (Monday 01-08) [§6.4.1 r7; Table 32].
  At("2024-01-04T07:00");
  Send(2, "20240103", "000002", Pair(2, 0, {Fdid(1, "A1", {7})}, {Cust{.crid = 7, .yob = 1971}}));
  r = Run();
  EXPECT_EQ(r.accepted_customers, 1);
  EXPECT_EQ(r.outstanding_inconsistencies, 1);
  const std::string data = "1_2_20240104_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2";
  EXPECT_EQ(Written(r, "_OUTSTANDINGINCONSISTENCIES_"),
            (std::vector<std::string>{data, "1_2_20240104_OUTSTANDINGINCONSISTENCIES_000001_meta.json",
                                      "20240104_OUTSTANDINGINCONSISTENCIES_processed"}));
  EXPECT_EQ(Read("1_2_20240104_OUTSTANDINGINCONSISTENCIES_000001_meta.json"),
            R"({"catSubmitterID": 1, "catReporterCRD": 2, "materialInconsistencyCount": 1, )"
            R"("errorFeedbackFileName": "1_2_20240104_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2"})"
            "\n");
  EXPECT_EQ(Read(data),
            R"({"Type": "materialInconsistency", "submissionFilename": "1_2_20240103_CAIS_000002.json.bz2", )"
            R"("submissionID": 1003, "inconsistencyEventID": "MI9001", "customerRecordID": [7], )"
            R"("inconsistencyCode": 30002, "identificationDate": "20240104T080000.000000000", )"
            R"("inconsistencyDeadline": "20240108T170000.000000000", "firmDesignatedID": ["A1"]})"
            "\n");
  feedback::InconsistencySet set = Set(data);
  EXPECT_EQ(set.cat_submitter_id, 1);
  EXPECT_EQ(set.cat_reporter_crd, 2);
  EXPECT_EQ(set.correspondent_crd, 0);
  EXPECT_EQ(set.generation_date, 20240104);
  ASSERT_EQ(set.rows.size(), 1u);
  EXPECT_EQ(set.rows[0].event_id, "MI9001");
  EXPECT_EQ(set.rows[0].submission_filename, "1_2_20240103_CAIS_000002.json.bz2");
  EXPECT_EQ(set.rows[0].customer_record_ids, (std::vector<int64_t>{7}));
  EXPECT_EQ(set.rows[0].code, 30002);
  EXPECT_EQ(set.rows[0].identification_date, "20240104T080000.000000000");
  EXPECT_EQ(set.rows[0].deadline, "20240108T170000.000000000");
  EXPECT_EQ(set.rows[0].fdids, (std::vector<std::string>{"A1"}));

  // Friday: nothing new sent; it stays outstanding with its first identification and deadline [§6.4.2 r4].
  At("2024-01-05T07:00");
  fs::remove_all(dir_ / "up");
  fs::create_directories(dir_ / "up");
  r = Run();
  EXPECT_EQ(r.outstanding_inconsistencies, 1);
  EXPECT_NE(Read("1_2_20240105_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2")
                .find(R"("identificationDate": "20240104T080000.000000000", )"
                      R"("inconsistencyDeadline": "20240108T170000.000000000")"),
            std::string::npos);

  // Monday: resent with updateNotification true: resolved, the set is empty again [§6.6.3 r1].
  At("2024-01-08T07:00");
  Send(2, "20240105", "000003",
       Pair(2, 0, {Fdid(1, "A1", {7})}, {Cust{.crid = 7, .yob = 1971, .flag = true}}));
  r = Run();
  EXPECT_EQ(r.outstanding_inconsistencies, 0);
  EXPECT_EQ(Written(r, "_OUTSTANDINGINCONSISTENCIES_"),
            (std::vector<std::string>{"20240108_OUTSTANDINGINCONSISTENCIES_processed"}));
}

TEST_F(DailyTest, TheFlagAnnouncesAChangeAndNothingIsRaised) {
  Send(2, "20240102", "000001", Pair(2, 0, {Fdid(1, "A1", {7})}, {Cust{}}));
  Run();
  At("2024-01-04T07:00");
  Send(2, "20240103", "000002",
       Pair(2, 0, {Fdid(1, "A1", {7})}, {Cust{.crid = 7, .yob = 1971, .flag = true}}));
  Response r = Run();
  EXPECT_EQ(r.outstanding_inconsistencies, 0);
  // The new year is now the one compared: sending it again without the flag raises nothing either.
  At("2024-01-05T07:00");
  Send(2, "20240104", "000003", Pair(2, 0, {Fdid(1, "A1", {7})}, {Cust{.crid = 7, .yob = 1971}}));
  EXPECT_EQ(Run().outstanding_inconsistencies, 0);
}

TEST_F(DailyTest, AnEndedAssociationOrAnAcceptanceAfterTheCutOffIsNotInTodaysSet) {
  Send(2, "20240102", "000001", Pair(2, 0, {Fdid(1, "A1", {7})}, {Cust{}}));
  Run();
  // 09:00, after the 08:00 cut-off: tomorrow's scan identifies it [§6.4.1 r6].
  At("2024-01-04T09:00");
  Send(2, "20240103", "000002", Pair(2, 0, {Fdid(1, "A1", {7})}, {Cust{.crid = 7, .yob = 1971}}));
  EXPECT_EQ(Run().outstanding_inconsistencies, 0);
  At("2024-01-05T07:00");
  fs::remove_all(dir_ / "up");
  fs::create_directories(dir_ / "up");
  EXPECT_EQ(Run().outstanding_inconsistencies, 1);
  // Friday 01-05 identification: due Tuesday 01-09 17:00.
  EXPECT_NE(Read("1_2_20240105_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2")
                .find(R"("identificationDate": "20240105T080000.000000000", )"
                      R"("inconsistencyDeadline": "20240109T170000.000000000")"),
            std::string::npos);

  // A customer whose only FDID is ended receives none [§6.4.1 r1].
  const std::string kTid2 = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  Send(2, "20240104", "000003",
       Pair(2, 0, {Fdid(1, "B1", {8}, R"(, "fdidEndDate": 20240104, "fdidEndReason": "INACTIVE")")},
            {Cust{.crid = 8, .yob = 1960, .tid = kTid2}}));
  Run();
  At("2024-01-08T07:00");
  Send(2, "20240105", "000004",
       Pair(2, 0, {Fdid(1, "B1", {8}, R"(, "fdidEndDate": 20240104, "fdidEndReason": "INACTIVE")")},
            {Cust{.crid = 8, .yob = 1961, .tid = kTid2}}));
  EXPECT_EQ(Run().outstanding_inconsistencies, 1);  // the first customer's only
}

TEST_F(DailyTest, AnotherCrdOrCorrespondentIsAcross40002ReportedToBoth) {
  // CRD 2 says 1970; CRD 3 says 1980 for the same TID: 40002 to both, one event ID [§6.4.1 r3–r4].
  Send(2, "20240102", "000001", Pair(2, 0, {Fdid(1, "A1", {7})}, {Cust{}}));
  Run();
  At("2024-01-04T07:00");
  Send(3, "20240103", "000001", Pair(3, 0, {Fdid(1, "Z9", {4})}, {Cust{.crid = 4, .yob = 1980}}));
  Response r = Run();
  EXPECT_EQ(r.outstanding_inconsistencies, 2);
  feedback::InconsistencySet two = Set("1_2_20240104_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2");
  feedback::InconsistencySet three = Set("1_3_20240104_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2");
  ASSERT_EQ(two.rows.size(), 1u);
  ASSERT_EQ(three.rows.size(), 1u);
  EXPECT_EQ(two.rows[0].code, 40002);
  EXPECT_EQ(two.rows[0].submission_filename, "1_2_20240102_CAIS_000001.json.bz2");
  EXPECT_EQ(two.rows[0].fdids, (std::vector<std::string>{"A1"}));
  EXPECT_EQ(three.rows[0].code, 40002);
  EXPECT_EQ(three.rows[0].customer_record_ids, (std::vector<int64_t>{4}));
  EXPECT_EQ(two.rows[0].event_id, three.rows[0].event_id);

  // CRD 3 confirms with updateNotification true: its row is resolved and the CRD has attested [§6.6.3 r2];
  // CRD 2's stays. Confirming again raises nothing new for CRD 3 [§6.4.1 r10].
  At("2024-01-05T07:00");
  Send(3, "20240104", "000002",
       Pair(3, 0, {Fdid(1, "Z9", {4})}, {Cust{.crid = 4, .yob = 1980, .flag = true}}));
  r = Run();
  EXPECT_EQ(r.outstanding_inconsistencies, 1);
  EXPECT_EQ(Written(r, "1_3_20240105_OUTSTANDINGINCONSISTENCIES_").size(), 0u);
  EXPECT_EQ(Set("1_2_20240105_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2").rows.size(), 1u);

  // The same clearing firm under another correspondent CRD is "across correspondents": 40002 (Table 32), not
  // 30002; the set of that pairing names it [§6.4.2 r7].
  const std::string kTid2 = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  At("2024-01-08T07:00");
  Send(2, "20240105", "000002",
       Pair(2, 0, {Fdid(2, "A2", {9})}, {Cust{.crid = 9, .yob = 1950, .tid = kTid2}}));
  Run();
  At("2024-01-09T07:00");
  Send(2, "20240108", "000003",
       Pair(2, 77, {Fdid(1, "C1", {5})}, {Cust{.crid = 5, .yob = 1951, .tid = kTid2}}));
  r = Run();
  feedback::InconsistencySet corr = Set("1_2_77_20240109_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2");
  EXPECT_EQ(corr.correspondent_crd, 77);
  ASSERT_EQ(corr.rows.size(), 1u);
  EXPECT_EQ(corr.rows[0].code, 40002);
  EXPECT_NE(Read("1_2_77_20240109_OUTSTANDINGINCONSISTENCIES_000001_meta.json")
                .find(R"("catReporterCRD": 2, "correspondentCRD": 77, "materialInconsistencyCount": 1, )"),
            std::string::npos);
  // CRD 2 without a correspondent: the first customer's row and this one's.
  EXPECT_EQ(Set("1_2_20240109_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2").rows.size(), 2u);
}

TEST_F(DailyTest, AForeignTidSentAsBothKindsIs30004UnlessAnnounced) {
  // A FOREIGN NATIONALID TID: a natural person on Wednesday, a legal entity on Thursday (30004); the same
  // change announced with updateNotification true raises nothing [§6.4.1; §6.6.4].
  const std::string kTid2 = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  Send(2, "20240102", "000001",
       Pair(2, 0, {Fdid(1, "A1", {7}), Fdid(2, "A2", {8})},
            {Cust{.crid = 7, .foreign = "NATIONALID"},
             Cust{.crid = 8, .tid = kTid2, .foreign = "NATIONALID"}}));
  Response r = Run();
  EXPECT_EQ(r.accepted_customers, 2);
  At("2024-01-04T07:00");
  Send(2, "20240103", "000002",
       Pair(2, 0, {Fdid(1, "A1", {7}), Fdid(2, "A2", {8})},
            {Cust{.crid = 7, .legal = true, .foreign = "NATIONALID"},
             Cust{.crid = 8, .flag = true, .tid = kTid2, .legal = true, .foreign = "NATIONALID"}}));
  r = Run();
  EXPECT_EQ(r.accepted_customers, 2);
  feedback::InconsistencySet set = Set("1_2_20240104_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2");
  ASSERT_EQ(set.rows.size(), 1u);
  EXPECT_EQ(set.rows[0].code, 30004);
  EXPECT_EQ(set.rows[0].customer_record_ids, (std::vector<int64_t>{7}));
  EXPECT_EQ(set.rows[0].fdids, (std::vector<std::string>{"A1"}));
}

// --- The FDID Refresh Report [§3.8]
// ------------------------------------------------------------------------

TEST_F(DailyTest, TheRefreshReportListsOpenFdidsAcceptedElevenOrMoreMonthsBefore) {
  // A1 accepted 2023-01-04 (13 months before February 2024), A2 2023-03-02 (11), A3 2023-12-01 (2), E1
  // 2023-01-04 but ended since.
  At("2023-01-04T07:00");
  Send(
      2, "20230103", "000001",
      Pair(2, 0,
           {Fdid(1, "A1", {7}), Fdid(2, "E1", {7}, R"(, "fdidEndDate": 20230104, "fdidEndReason": "ENDED")")},
           {Cust{}}));
  EXPECT_EQ(Run().refresh_date,
            0);  // 01-04 is the 2nd CAT Trading Day of January 2023 (01-02 is closed)
  At("2023-03-02T07:00");
  Send(2, "20230301", "000002", Pair(2, 0, {Fdid(1, "A2", {7})}, {Cust{}}));
  Run();
  At("2023-12-01T07:00");
  Send(2, "20231130", "000003", Pair(2, 0, {Fdid(1, "A3", {7})}, {Cust{}}));
  Run();
  fs::remove_all(dir_ / "up");
  fs::create_directories(dir_ / "up");
  // Friday 2024-02-02 is the 2nd CAT Trading Day: no report.
  At("2024-02-02T07:00");
  Response r = Run();
  EXPECT_EQ(r.refresh_date, 0);
  EXPECT_TRUE(Written(r, "FDIDREFRESHREPORT").empty());
  // Monday 2024-02-05 is the 3rd.
  At("2024-02-05T07:00");
  r = Run();
  EXPECT_EQ(r.refresh_date, 20240205);
  EXPECT_EQ(r.refresh_fdids, 2);
  const std::string data = "1_2_20240205_FDIDREFRESHREPORT_000001_data.json.bz2";
  EXPECT_EQ(Written(r, "FDIDREFRESHREPORT"),
            (std::vector<std::string>{data, "1_2_20240205_FDIDREFRESHREPORT_000001_meta.json",
                                      "20240205_FDIDREFRESHREPORT_processed"}));
  EXPECT_EQ(Read("1_2_20240205_FDIDREFRESHREPORT_000001_meta.json"),
            R"({"catSubmitterID": 1, "catReporterCRD": 2, "fdidRefreshCount": 2, )"
            R"("refreshReportFilename": "1_2_20240205_FDIDREFRESHREPORT_000001_data.json.bz2"})"
            "\n");
  EXPECT_EQ(Read(data),
            R"({"firmDesignatedID": "A1", "lastAcceptedFilename": "1_2_20230103_CAIS_000001.json.bz2", )"
            R"("refreshDueDate": 20240131, "status": "OVERDUE"})"
            "\n"
            R"({"firmDesignatedID": "A2", "lastAcceptedFilename": "1_2_20230301_CAIS_000002.json.bz2", )"
            R"("refreshDueDate": 20240331, "status": "DUE"})"
            "\n");
  feedback::RefreshSet set;
  ASSERT_OK(feedback::ParseFdidRefreshReport(data, Read(data), &set));
  EXPECT_EQ(set.cat_reporter_crd, 2);
  EXPECT_EQ(set.generation_date, 20240205);
  ASSERT_EQ(set.rows.size(), 2u);
  EXPECT_EQ(set.rows[0].fdid, "A1");
  EXPECT_EQ(set.rows[0].last_accepted_filename, "1_2_20230103_CAIS_000001.json.bz2");
  EXPECT_EQ(set.rows[0].due, 20240131);
  EXPECT_EQ(set.rows[0].status, "OVERDUE");
  EXPECT_EQ(set.rows[1].fdid, "A2");
  EXPECT_EQ(set.rows[1].status, "DUE");

  // A2 resubmitted and accepted: the period restarts, it leaves the report; asked for explicitly, the report
  // comes on any day.
  At("2024-02-06T07:00");
  Send(2, "20240205", "000004", Pair(2, 0, {Fdid(1, "A2", {7})}, {Cust{}}));
  options_.refresh_report = true;
  r = Run();
  EXPECT_EQ(r.refresh_date, 20240206);
  EXPECT_EQ(r.refresh_fdids, 1);
}

TEST_F(DailyTest, NoFdidDueGivesTheSentinelOnly) {
  At("2024-02-05T07:00");
  Response r = Run();
  EXPECT_EQ(Written(r, "FDIDREFRESHREPORT"),
            (std::vector<std::string>{"20240205_FDIDREFRESHREPORT_processed"}));
}

TEST_F(DailyTest, AStoreOfTheFirstSchemaIsMigrated) {
  // A schema-1 store, as the simulator wrote it before the refresh report: its FDID gets the date of the file
  // that carried it.
  const fs::path db = dir_ / "old.db";
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.string().c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h,
                         "CREATE TABLE sim_meta (key TEXT PRIMARY KEY, value INTEGER "
                         "NOT NULL);"
                         "CREATE TABLE sim_fdid (crd INTEGER NOT NULL, fdid TEXT NOT "
                         "NULL, file TEXT NOT NULL, "
                         "submission_id INTEGER NOT NULL, PRIMARY KEY (crd, fdid));"
                         "INSERT INTO sim_fdid VALUES (2, 'OLD1', "
                         "'1_2_20221209_CAIS_000001.json.bz2', 1001);"
                         "INSERT INTO sim_meta VALUES ('submission', 1002);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(h);
  options_.state = db;
  At("2024-02-05T07:00");
  Response r = Run();
  EXPECT_EQ(r.refresh_fdids, 1);
  EXPECT_NE(
      Read("1_2_20240205_FDIDREFRESHREPORT_000001_data.json.bz2")
          .find(R"("firmDesignatedID": "OLD1", "lastAcceptedFilename": "1_2_20221209_CAIS_000001.json.bz2", )"
                R"("refreshDueDate": 20231231, "status": "OVERDUE")"),
      std::string::npos);
  // Opened again: already at the current schema.
  EXPECT_EQ(Run().refresh_fdids, 1);
  // A store of a later schema than this build knows is refused, not guessed at.
  ASSERT_EQ(sqlite3_open(db.string().c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, "UPDATE sim_meta SET value = 3 WHERE key = 'schema'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(h);
  Result<Response> newer = Respond(*profile_, dir_ / "up", dir_ / "fb", options_);
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().code(), Status::Code::kCorruption) << newer.status().ToString();
  EXPECT_NE(newer.status().message().find("schema 3 is newer than this build's 2"), std::string::npos);
}

}  // namespace
}  // namespace caisson::sim
