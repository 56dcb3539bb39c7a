// The daily loop through the binary (issue #8): build --delta -> cais-sim -> feedback ingest -> repair list
// -> fix the books -> build --delta -> cais-sim accepts -> the repair item closes, over CAT Trading Days that
// span the end of daylight saving time (Sunday 2025-11-02), Thanksgiving (Thursday 2025-11-27, closed) and
// the early close after it (Friday 2025-11-28, 13:00). The days are in 2025 because `build` refuses a File
// Generation Date after today (the wall clock: Caisson has no injectable today), and 2025 has all three
// within five weeks.
//
// How rejections happen here: Caisson's own pre-check holds back everything CAIS would reject on the records
// alone, so CAIS rejects what only CAIS can know. An account transferred in from another broker carries that
// broker's CRD as priorCATReporterCRD [§3.3]; the books have a typo in it (990777 instead of 990555). Caisson
// can only check that it is an Unsigned CRD (rules.md: "whether a CRD exists is registry data"); CAIS knows
// the CAT Reporter CRDs and rejects it 22054, and the FDID's customer with it (22523). The repair is a
// resubmission of the whole FDID with the right CRD [§6.6.2.2].
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "caisjson/caisjson.h"
#include "cli_util.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

struct Account {
  std::string fdid, customer, last_name, date, prior_crd, prior_fdid;
  std::string year_of_birth = "1970";
  std::string update_notification = "";  // Y, N or empty
};

// A small firm: two accounts of its own, and the accounts transferred in so far.
struct Firm {
  std::vector<Account> accounts = {{"FDA1", "P1", "ALPHA", "2020-01-02", "", ""},
                                   {"FDA2", "P2", "BRAVO", "2020-01-02", "", ""}};

  void Write(const fs::path& dir, const std::string& as_of) const {
    fs::create_directories(dir);
    std::ofstream(dir / "caisson.toml") << "[firm]\ncat_reporter_crd = 990001\ncat_submitter_id = 990002\n"
                                           "[spec]\nas_of = \""
                                        << as_of << "\"\n";
    std::ofstream a(dir / "accounts.csv");
    a << "fdid,fdid_type,account_types,account_name,account_number,fdid_date,fdid_end_date,fdid_end_reason,"
         "replaced_by_fdid,last_activity_date,prior_cat_reporter_crd,prior_cat_reporter_fdid\n";
    for (const Account& x : accounts) {
      a << x.fdid << ",ACCOUNT,MARGIN," << x.last_name << " ACCOUNT,ACCT-SYN-" << x.fdid << "," << x.date
        << ",,,,," << x.prior_crd << "," << x.prior_fdid << "\n";
    }
    std::ofstream c(dir / "customers.csv");
    c << "customer_id,kind,customer_types,first_name,last_name,year_of_birth,update_notification\n";
    for (const Account& x : accounts) {
      c << x.customer << ",NATURAL_PERSON,NOTAPPLICABLE,ANN," << x.last_name << "," << x.year_of_birth << ","
        << x.update_notification << "\n";
    }
    std::ofstream i(dir / "identifiers.csv");
    i << "customer_id,id_type,id_value,end_date,end_reason\n";
    int n = 1;
    for (const Account& x : accounts) i << x.customer << ",SSN,917-80-" << 1000 + n++ << ",,\n";
    std::ofstream r(dir / "roles.csv");
    r << "fdid,customer_id,role,role_start_date,role_end_date,role_end_reason\n";
    for (const Account& x : accounts) r << x.fdid << "," << x.customer << ",TRDHOLDER," << x.date << ",,\n";
    std::ofstream d(dir / "addresses.csv");
    d << "owner_type,owner_id,addr_type,line1,city,region,postal_code,country\n";
    for (const Account& x : accounts)
      d << "ACCOUNT," << x.fdid << ",ADDRESS1,1 TEST ST,NEW YORK,NY,10011,US\n";
    for (const Account& x : accounts)
      d << "CUSTOMER," << x.customer << ",ADDRESS1,2 TEST AVE,NEW YORK,NY,10012,US\n";
  }
  Account* Find(const std::string& fdid) {
    for (Account& x : accounts) {
      if (x.fdid == fdid) return &x;
    }
    return nullptr;
  }
};

class Loop : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = TempDir(); }

  // One business day of the firm: the books as of `date` (YYYY-MM-DD), built into the upload folder.
  void Build(const std::string& date, bool first = false) {
    firm_.Write(dir_ / "books", date);
    std::string file_date = date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
    RunResult b = RunCaisson(
        "build books " + std::string(first ? "" : "--delta ") + "--out up --file-date " + file_date, dir_);
    ASSERT_EQ(b.exit_code, 0) << b.err;
  }
  // CAIS answers at `moment` (New York time); the firm downloads that day's feedback folder and ingests it.
  RunResult Respond(const std::string& moment, const std::string& folder, int ingest_exit) {
    RunResult s = Answer(moment, folder);
    RunResult in = RunCaisson("feedback ingest " + folder + " --config books/caisson.toml", dir_);
    EXPECT_EQ(in.exit_code, ingest_exit) << in.err;
    return s;
  }
  RunResult Answer(const std::string& moment, const std::string& folder) {
    RunResult s = RunCaisson("cais-sim up --out " + folder + " --state sim.db --known-crd 990555 --now " +
                                 moment + " --format json",
                             dir_);
    EXPECT_EQ(s.exit_code, 0) << s.err;
    return s;
  }
  std::string Repairs() {
    return RunCaisson("repair list --format json --config books/caisson.toml", dir_).out;
  }
  // The repair-list JSON object of the item for `key` with `code` ("" when none).
  static std::string Item(const std::string& list, const std::string& key, int code, int nth = 0) {
    size_t at = 0;
    for (int i = 0; i <= nth; ++i) {
      at = list.find("\"key\": \"" + key + "\", \"code\": " + std::to_string(code), i == 0 ? 0 : at + 1);
      if (at == std::string::npos) return "";
    }
    const size_t start = list.rfind('{', at), end = list.find('}', at);
    return list.substr(start, end - start + 1);
  }

  fs::path dir_;
  Firm firm_;
};

TEST_F(Loop, RejectionsAreRepairedAcrossDstAHolidayAndAnEarlyClose) {
  // --- Thursday 2025-10-30 (EDT): the first build, with FDT1 transferred in under a mistyped prior CRD.
  // ----------
  firm_.accounts.push_back({"FDT1", "P3", "CHARLIE", "2025-10-30", "990777", "OLD-T1"});
  Build("2025-10-30", true);
  // Friday 07:00 EDT, before the T+1 08:00 deadline: CAIS rejects FDT1 (22054) and its customer (22523).
  RunResult s = Respond("2025-10-31T07:00", "fb-1031", 1);
  EXPECT_NE(s.out.find("\"status\": \"COMPLETED_WITH_REJECTIONS\", \"codes\": [22054, 22523]"),
            std::string::npos)
      << s.out;
  EXPECT_TRUE(
      fs::exists(dir_ / "fb-1031" / "990002_990001_20251031_OUTSTANDINGREJECTIONS_000001_data.json.bz2"));
  std::string list = Repairs();
  // T = Thursday 10-30; T+3 = Tuesday 11-04 17:00, after the clocks went back: EST, 22:00Z (not 21:00Z).
  EXPECT_NE(Item(list, "FDT1", 22054).find("\"received_on\": 20251030, \"due\": \"2025-11-04T22:00:00Z\", "),
            std::string::npos)
      << list;
  EXPECT_NE(Item(list, "P3", 22523).find("\"due\": \"2025-11-04T22:00:00Z\""), std::string::npos) << list;
  EXPECT_NE(list.find("\"open\": 2, "), std::string::npos) << list;

  // --- Friday 2025-10-31: the books get the right CRD; the delta resends FDT1 whole.
  // ---------------------------
  firm_.Find("FDT1")->prior_crd = "990555";
  Build("2025-10-31");
  // Monday 11-03 07:00 EST (DST ended Sunday): accepted; the items close as repaired.
  s = Respond("2025-11-03T07:00", "fb-1103", 0);
  EXPECT_NE(s.out.find("\"status\": \"COMPLETED_WITHOUT_REJECTIONS\", \"codes\": []"), std::string::npos)
      << s.out;
  EXPECT_TRUE(fs::exists(dir_ / "fb-1103" / "20251103_OUTSTANDINGREJECTIONS_processed"));
  list = Repairs();
  EXPECT_NE(Item(list, "FDT1", 22054).find("\"status\": \"repaired\", \"closed_on\": 20251103"),
            std::string::npos)
      << list;
  EXPECT_NE(Item(list, "P3", 22523).find("\"status\": \"repaired\", \"closed_on\": 20251103"),
            std::string::npos)
      << list;
  EXPECT_NE(list.find("\"open\": 0, "), std::string::npos) << list;

  // --- Monday 2025-11-24 and Wednesday 11-26: two more transfers, both mistyped.
  // --------------------------------
  firm_.accounts.push_back({"FDT2", "P4", "DELTA", "2025-11-24", "990777", "OLD-T2"});
  Build("2025-11-24");
  Respond("2025-11-25T07:00", "fb-1125", 1);
  list = Repairs();
  // T = Monday 11-24; T+3 = Friday 11-28, the early-close day (Thanksgiving is not counted): due 17:00 ET all
  // the same, although that CAT Trading Day ends at 13:15.
  EXPECT_NE(Item(list, "FDT2", 22054).find("\"received_on\": 20251124, \"due\": \"2025-11-28T22:00:00Z\""),
            std::string::npos)
      << list;

  firm_.accounts.push_back({"FDT3", "P5", "ECHO", "2025-11-26", "990777", "OLD-T3"});
  Build("2025-11-26");  // FDT2, rejected, goes again unchanged; FDT3 is new
  // Friday 11-28 07:00, after Thanksgiving: both rejected. FDT2 was resent with the same error: the old
  // rejection counts as repaired and the new one keeps the original timeline [§6.6.2.2].
  Respond("2025-11-28T07:00", "fb-1128", 1);
  list = Repairs();
  // T = Wednesday 11-26; T+1 = Friday 11-28 (early close), T+2 = Monday 12-01, T+3 = Tuesday 12-02.
  EXPECT_NE(Item(list, "FDT3", 22054).find("\"received_on\": 20251126, \"due\": \"2025-12-02T22:00:00Z\""),
            std::string::npos)
      << list;
  // Open items come first: FDT2's new one keeps T = 11-24 and its deadline; the first is closed as repaired.
  EXPECT_NE(Item(list, "FDT2", 22054)
                .find("\"received_on\": 20251124, \"due\": \"2025-11-28T22:00:00Z\", "
                      "\"hours_left\": "),
            std::string::npos)
      << list;
  EXPECT_NE(Item(list, "FDT2", 22054).find("\"status\": \"open\""), std::string::npos) << list;
  EXPECT_NE(Item(list, "FDT2", 22054, 1).find("\"status\": \"repaired\", \"closed_on\": 20251128"),
            std::string::npos)
      << list;

  // --- Friday 11-28 (early close): FDT3 fixed. Monday 12-01: FDT2 fixed, after its deadline.
  // ------------------
  firm_.Find("FDT3")->prior_crd = "990555";
  Build("2025-11-28");
  Respond("2025-12-01T07:00", "fb-1201", 1);  // FDT2 still wrong: rejected again
  list = Repairs();
  EXPECT_NE(Item(list, "FDT3", 22054).find("\"status\": \"repaired\", \"closed_on\": 20251201"),
            std::string::npos)
      << list;
  firm_.Find("FDT2")->prior_crd = "990555";
  Build("2025-12-01");
  Respond("2025-12-02T07:00", "fb-1202", 0);
  list = Repairs();
  EXPECT_NE(list.find("\"open\": 0, "), std::string::npos) << list;
  // FDT2's last item closes late (after 11-28 17:00 ET); the two before it were repaired by resubmission.
  int late = 0, repaired = 0;
  for (int n = 0; !Item(list, "FDT2", 22054, n).empty(); ++n) {
    late += Item(list, "FDT2", 22054, n).find("\"status\": \"late\", \"closed_on\": 20251202") !=
            std::string::npos;
    repaired += Item(list, "FDT2", 22054, n).find("\"status\": \"repaired\"") != std::string::npos;
  }
  EXPECT_EQ(late, 1) << list;
  EXPECT_EQ(repaired, 2) << list;
  EXPECT_NE(list.find("\"open\": 0, \"open_inconsistencies\": 0, \"overdue\": 0, \"closed\": 10}"), std::string::npos) << list;
  RunResult audit = RunCaisson("audit verify --config books/caisson.toml", dir_);
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
}

TEST_F(Loop, AMaterialInconsistencyIsListedIngestedAndResolvedWithUpdateNotification) {
  // --- Thursday 2025-10-30: the first build; Friday 07:00 CAIS accepts everything.
  Build("2025-10-30", true);
  RunResult s = Respond("2025-10-31T07:00", "fb-1031", 0);
  EXPECT_NE(s.out.find("\"outstanding_inconsistencies\": 0, "), std::string::npos) << s.out;
  EXPECT_TRUE(fs::exists(dir_ / "fb-1031" / "20251031_OUTSTANDINGINCONSISTENCIES_processed"));

  // --- Friday: P1's year of birth is corrected in the books, and the firm says update_notification N, so
  // the delta resends P1 without the flag (the build warns: customer.mi_predict 30002).
  firm_.Find("FDA1")->year_of_birth = "1971";
  firm_.Find("FDA1")->update_notification = "N";
  Build("2025-10-31");
  // Monday 11-03 07:00 EST: accepted, and the 08:00 scan finds the intrafirm inconsistency (30002). The
  // firm reads the file feedback first, then the day's set (CAIS delivers the set later in the day).
  s = Answer("2025-11-03T07:00", "fb-1103");
  EXPECT_NE(s.out.find("\"outstanding_inconsistencies\": 1, "), std::string::npos) << s.out;
  const std::string set = "990002_990001_20251103_OUTSTANDINGINCONSISTENCIES_000001";
  ASSERT_TRUE(fs::exists(dir_ / "fb-1103" / (set + "_data.json.bz2")));
  std::string feedback_files;
  for (const auto& e : fs::directory_iterator(dir_ / "fb-1103")) {
    if (e.path().filename().string().find(".feedback.json") != std::string::npos) {
      feedback_files += " fb-1103/" + e.path().filename().string();
    }
  }
  RunResult in = RunCaisson("feedback ingest" + feedback_files + " --config books/caisson.toml", dir_);
  EXPECT_EQ(in.exit_code, 0) << in.err;
  in = RunCaisson("feedback ingest fb-1103/" + set + "_data.json.bz2 --config books/caisson.toml", dir_);
  EXPECT_EQ(in.exit_code, 1) << in.err;  // an open inconsistency
  std::string list = Repairs();
  // Identified Monday 11-03; due 17:00 ET on the third CAT Trading Day of that window, Wednesday 11-05
  // (EST: 22:00Z) [§6.4.1 r7].
  EXPECT_NE(list.find("\"record\": \"customer\", \"key\": \"P1\", \"code\": 30002, "), std::string::npos)
      << list;
  EXPECT_NE(list.find("\"identified_on\": 20251103, \"due\": \"2025-11-05T22:00:00Z\""), std::string::npos)
      << list;
  EXPECT_NE(list.find("\"open_inconsistencies\": 1, "), std::string::npos) << list;

  // --- Monday: the books confirm 1971; the next delta resends P1 with updateNotification true [§6.6.3].
  firm_.Find("FDA1")->update_notification = "";
  Build("2025-11-03");
  std::string sent;
  for (const auto& e : fs::directory_iterator(dir_ / "up")) {
    const std::string n = e.path().filename().string();
    if (n.find("_20251103_CAIS_") == std::string::npos) continue;
    Result<std::string> text = caisjson::ReadMaybeBz2(e.path());
    ASSERT_TRUE(text.ok()) << n;
    sent = *text;
  }
  EXPECT_NE(sent.find("\"updateNotification\":true"), std::string::npos) << sent;
  // Tuesday 07:00: accepted; CAIS resolves it and the day's set is the sentinel alone.
  s = Respond("2025-11-04T07:00", "fb-1104", 0);
  EXPECT_NE(s.out.find("\"outstanding_inconsistencies\": 0, "), std::string::npos) << s.out;
  const std::string next = "990002_990001_20251104_OUTSTANDINGINCONSISTENCIES_000001_data.json.bz2";
  EXPECT_FALSE(fs::exists(dir_ / "fb-1104" / next));
  EXPECT_TRUE(fs::exists(dir_ / "fb-1104" / "20251104_OUTSTANDINGINCONSISTENCIES_processed"));
  list = Repairs();
  EXPECT_NE(list.find("\"open_inconsistencies\": 0, "), std::string::npos) << list;
  EXPECT_NE(list.find("\"status\": \"resolved\", \"closed_on\": 20251104"), std::string::npos) << list;
}

TEST_F(Loop, CaisSimWritesTheRefreshReportOnTheThirdTradingDayOrWhenAsked) {
  Build("2025-10-30", true);
  fs::create_directories(dir_ / "up");
  // Friday 10-31 is no 3rd CAT Trading Day: no report. Wednesday 11-05 is November's (Monday 11-03 is the
  // 1st): the FDIDs accepted days before are not due, so only the sentinel is written [§3.8 r8].
  RunResult s = Answer("2025-10-31T07:00", "fb-1031");
  EXPECT_FALSE(fs::exists(dir_ / "fb-1031" / "20251031_FDIDREFRESHREPORT_processed"));
  s = Answer("2025-11-05T07:00", "fb-1105");
  EXPECT_NE(s.out.find("\"refresh_report_date\": 20251105, \"refresh_fdids\": 0, "), std::string::npos)
      << s.out;
  EXPECT_TRUE(fs::exists(dir_ / "fb-1105" / "20251105_FDIDREFRESHREPORT_processed"));
  // Asked for, on any day; the report of a day with FDIDs due is read by feedback ingest [§3.8].
  RunResult asked = RunCaisson(
      "cais-sim up --out fb-late --state sim.db --refresh-report --now 2026-10-02T07:00 --format json", dir_);
  EXPECT_EQ(asked.exit_code, 0) << asked.err;
  EXPECT_NE(asked.out.find("\"refresh_report_date\": 20261002, \"refresh_fdids\": 2, "), std::string::npos)
      << asked.out;
  RunResult in = RunCaisson("feedback ingest fb-late --config books/caisson.toml", dir_);
  EXPECT_NE(
      in.err.find("FDID Refresh Report 20261002 (correspondent CRD 0): 2 listed (2 DUE, 0 OVERDUE)"),
      std::string::npos)
      << in.err;
}

TEST_F(Loop, CaisSimRefusesWhatItCannotRun) {
  RunResult missing = RunCaisson("cais-sim nowhere --out fb", dir_);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nowhere: no such upload folder"), std::string::npos) << missing.err;
  fs::create_directories(dir_ / "up");
  RunResult bad_now = RunCaisson("cais-sim up --out fb --now 2025-13-01T07:00", dir_);
  EXPECT_EQ(bad_now.exit_code, 2);
  EXPECT_NE(bad_now.err.find("--now"), std::string::npos) << bad_now.err;
  // An empty upload folder: nothing answered, the day's sentinel only.
  RunResult empty = RunCaisson("cais-sim up --out fb --now 2025-11-03T07:00", dir_);
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_TRUE(fs::exists(dir_ / "fb" / "20251103_OUTSTANDINGREJECTIONS_processed"));
  std::ofstream(dir_ / "fb" / "not-a-store.db") << "plain text, not SQLite";
  RunResult store = RunCaisson("cais-sim up --out fb --state fb/not-a-store.db --now 2025-11-03T07:00", dir_);
  EXPECT_EQ(store.exit_code, 2) << store.err;
}

}  // namespace
}  // namespace caisson::testing
