// `caisson feedback ingest` through the binary: CAIS's per-file feedback settles what a build sent [§6.1–§6.3].
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "cli_util.h"
#include "feedback_files.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<state::Store> OpenStore(const fs::path& db) {
  state::Options o;
  o.create_if_missing = false;
  Result<std::unique_ptr<state::Store>> s = state::Store::Open(db, o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

TEST(FeedbackCli, FinalDataFileFeedbackAcceptsAllButTheRejectedWithCascades) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 40 --seed 3 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261116", dir).exit_code, 0);
  const std::vector<std::string> bases = DataFiles(dir / "out");
  ASSERT_GE(bases.size(), 1u);
  std::string rejected_customer, rejected_fdid;
  {
    auto store = OpenStore(dir / "books" / "caisson.db");
    ASSERT_TRUE(store);
    Result<state::RecordMapEntry> c = store->LookupRecordId(bases[0], state::RecordKind::kCustomer, "1");
    Result<state::RecordMapEntry> f = store->LookupRecordId(bases[0], state::RecordKind::kFdid, "2");
    ASSERT_TRUE(c.ok() && f.ok());
    rejected_customer = c->firm_key;
    rejected_fdid = f->firm_key;
  }
  // v1, then the final v4 of the first Data File: customerRecordID 1 (22900) and fdidRecordID 2 (22012) rejected.
  WriteFeedback(dir / "fb", bases[0], 1, "FILE_ACKNOWLEDGED", "");
  WriteFeedback(dir / "fb", bases[0], 4, "COMPLETED_WITH_REJECTIONS",
                R"({"rejectionID": 9985, "customerRecordID": [1], "errorCode": 22900, "rejectionTimestamp": "x"},)"
                R"({"rejectionID": 1127, "fdidRecordID": 2, "largeTraderRecordID": 1, "errorCode": 22012,)"
                R"( "rejectionTimestamp": "x"})");
  // The paired TID File's feedback says why customer 1 was rejected (24906: the SSN behind tidValue) [Table 31].
  std::string tid_base = bases[0];
  tid_base.replace(tid_base.find("_CAIS_"), 6, "_TIDS_");
  fs::create_directories(dir / "fb");
  std::ofstream(dir / "fb" / (tid_base + ".v3.feedback.json"))
      << R"({"version": "2.0.0", "submissionID": "t-41", "submissionStatus": "RECORD_SCAN_COMPLETED", )"
      << R"("receiptTimestamp": "20261117T091500.000000000", "statusHistory": {}, "rejectionItems": [)"
      << R"({"rejectionID": null, "customerRecordID": [1], "errorCode": 24906, "rejectionTimestamp": "x"}]})";
  RunResult ingest = RunCaisson("feedback ingest fb --config books/caisson.toml", dir);
  EXPECT_EQ(ingest.exit_code, 1) << ingest.err;  // records were rejected
  EXPECT_NE(ingest.err.find("v4 COMPLETED_WITH_REJECTIONS"), std::string::npos) << ingest.err;
  EXPECT_NE(ingest.err.find("1 TID warning(s) on customers of the paired Data File"), std::string::npos) << ingest.err;
  {
    auto store = OpenStore(dir / "books" / "caisson.db");
    ASSERT_TRUE(store);
    Result<state::RecordState> c = store->GetCustomer(rejected_customer);
    ASSERT_TRUE(c.ok());
    EXPECT_FALSE(c->accepted.has_value());
    EXPECT_FALSE(c->emitted.has_value());  // back to what CAIS has (nothing): the next delta resends it
    Result<state::RecordState> f = store->GetFdid(rejected_fdid);
    ASSERT_TRUE(f.ok());
    EXPECT_FALSE(f->accepted.has_value());
    // [§6.3] the customer's rejection takes its FDID: customerRecordID 1 is the first customer of fdidRecordID 1.
    Result<state::RecordState> carrier =
        store->GetFdid(store->LookupRecordId(bases[0], state::RecordKind::kFdid, "1")->firm_key);
    ASSERT_TRUE(carrier.ok());
    EXPECT_FALSE(carrier->accepted.has_value());
    Result<state::RecordState> other = store->GetFdid(store->LookupRecordId(bases[0], state::RecordKind::kFdid, "3")->firm_key);
    ASSERT_TRUE(other.ok());
    EXPECT_TRUE(other->accepted.has_value());
    EXPECT_EQ(other->last_accepted, 20261117);
    Result<state::FileEntry> file = store->GetFile(bases[0]);
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->status, "v4 COMPLETED_WITH_REJECTIONS");
  }
  // Replayed feedback changes nothing.
  RunResult again = RunCaisson("feedback ingest fb --config books/caisson.toml", dir);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("already seen"), std::string::npos) << again.err;

  // Each rejection is a repair item, due 17:00 ET on T+3 [§5.4.2]; T = the CAT Trading Day of the books'
  // business date (gen's as_of, Friday 2026-11-20): Wednesday 2026-11-25 17:00 ET = 22:00Z.
  RunResult list = RunCaisson("repair list --format json --config books/caisson.toml", dir);
  EXPECT_NE(list.out.find("\"code\": 22900"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"tid_warnings\": [24906]"), std::string::npos) << list.out;
  EXPECT_NE(list.err.find("; TID warning 24906 "), std::string::npos) << list.err;
  EXPECT_NE(list.out.find("\"code\": 22012"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"due\": \"2026-11-25T22:00:00Z\""), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"open\": 2,"), std::string::npos) << list.out;

  // Hours left and overdue are counted from --now (default: the clock).
  RunResult before_due = RunCaisson("repair list --format json --now 2026-11-25T16:00 --config books/caisson.toml", dir);
  EXPECT_EQ(before_due.exit_code, 0) << before_due.err;
  EXPECT_NE(before_due.out.find("\"hours_left\": 1.0"), std::string::npos) << before_due.out;
  RunResult after_due = RunCaisson("repair list --now 2026-11-25T17:00:01 --config books/caisson.toml", dir);
  EXPECT_EQ(after_due.exit_code, 1) << after_due.err;
  EXPECT_NE(after_due.err.find("OVERDUE"), std::string::npos) << after_due.err;
  EXPECT_EQ(RunCaisson("repair list --now tomorrow --config books/caisson.toml", dir).exit_code, 2);

  // The report-card estimate counts the two as outstanding before the deadline and as overdue after it.
  RunResult card = RunCaisson("report-card --format json --now 2026-11-25T16:00 --config books/caisson.toml", dir);
  EXPECT_EQ(card.exit_code, 0) << card.err;
  EXPECT_NE(card.out.find("\"label\": \"ESTIMATE"), std::string::npos) << card.out;
  EXPECT_NE(card.out.find("{\"date\": 20261116, \"scope\": \"firm\", \"submitted\": "), std::string::npos) << card.out;
  EXPECT_NE(card.out.find("\"rejected\": 2, \"repaired\": 0, \"late\": 0, \"outstanding\": 2, \"overdue\": 0, "
                          "\"rate\": 0.000000"),
            std::string::npos)
      << card.out;
  RunResult late_card = RunCaisson(
      "report-card --format json --now 2026-11-25T17:00:01 --threshold 0.001 --config books/caisson.toml", dir);
  EXPECT_EQ(late_card.exit_code, 1) << late_card.err;  // above the threshold
  EXPECT_NE(late_card.out.find("\"outstanding\": 0, \"overdue\": 2, "), std::string::npos) << late_card.out;
  EXPECT_NE(late_card.out.find("\"above_threshold\": true"), std::string::npos) << late_card.out;
  EXPECT_EQ(RunCaisson("report-card --now yesterday --config books/caisson.toml", dir).exit_code, 2);

  // The next delta sends the rejected FDID and the FDIDs of the rejected customer again; their acceptance
  // closes the repair items.
  const std::vector<std::string> before = DataFiles(dir / "out");
  RunResult delta = RunCaisson("build books --delta --out out --file-date 20261117", dir);
  ASSERT_EQ(delta.exit_code, 0) << delta.err;
  EXPECT_EQ(delta.err.find("nothing changed"), std::string::npos) << delta.err;
  std::string resent;
  for (const std::string& base : DataFiles(dir / "out")) {
    if (std::find(before.begin(), before.end(), base) == before.end()) {
      WriteFeedback(dir / "fb5", base, 4, "COMPLETED_WITHOUT_REJECTIONS", "");
      resent += *caisjson::ReadMaybeBz2(dir / "out" / (base + ".json.bz2"));
    }
  }
  // 22900 is repaired only through the correctionList [§6.6.2.1]: a CORRECTION naming the rejection and the
  // customer's record in the new file. 22012 (an LTID error) is repaired by the FDID alone.
  EXPECT_NE(resent.find(R"("correctionList":[)"), std::string::npos) << resent.substr(0, 400);
  EXPECT_NE(resent.find(R"({"rejectionID":9985,"correctionAction":"CORRECTION","correctingCustomerRecordID":)"),
            std::string::npos);
  EXPECT_EQ(resent.find(R"("rejectionID":1127)"), std::string::npos);
  RunResult check = RunCaisson("check out --config books/caisson.toml", dir);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  ASSERT_EQ(RunCaisson("feedback ingest fb5 --config books/caisson.toml", dir).exit_code, 0);
  RunResult closed = RunCaisson("repair list --format json --config books/caisson.toml", dir);
  EXPECT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_NE(closed.out.find("\"open\": 0, \"open_inconsistencies\": 0, \"overdue\": 0, \"closed\": 2"), std::string::npos) << closed.out;
  EXPECT_NE(closed.out.find("\"status\": \"repaired\", \"closed_on\": 20261117"), std::string::npos) << closed.out;
  RunResult repaired_card = RunCaisson(
      "report-card --format json --from 2026-11-16 --to 2026-11-16 --now 2026-11-30T12:00 --config books/caisson.toml",
      dir);
  EXPECT_EQ(repaired_card.exit_code, 0) << repaired_card.err;
  EXPECT_NE(repaired_card.out.find("\"rejected\": 2, \"repaired\": 2, \"late\": 0, \"outstanding\": 0, \"overdue\": 0"),
            std::string::npos)
      << repaired_card.out;
  EXPECT_EQ(repaired_card.out.find("20261117"), std::string::npos) << repaired_card.out;  // outside --to

  // Feedback for a file Caisson did not write is recorded, not refused; another firm's is refused.
  WriteFeedback(dir / "fb2", "990002_990001_20261116_caisweb_CAIS_000001", 1, "FILE_ACKNOWLEDGED", "");
  RunResult foreign = RunCaisson("feedback ingest fb2 --config books/caisson.toml", dir);
  EXPECT_EQ(foreign.exit_code, 0) << foreign.err;
  EXPECT_NE(foreign.err.find("not a file Caisson wrote"), std::string::npos) << foreign.err;
  WriteFeedback(dir / "fb3", bases[0], 2, "FILE_INTEGRITY_PASSED", "", 123);
  RunResult other_firm = RunCaisson("feedback ingest fb3 --config books/caisson.toml", dir);
  EXPECT_EQ(other_firm.exit_code, 2) << other_firm.err;
  EXPECT_NE(other_firm.err.find("the store belongs to CRD 990001"), std::string::npos) << other_firm.err;
  // A truncated file names itself and changes nothing.
  fs::create_directories(dir / "fb4");
  std::ofstream(dir / "fb4" / (bases[0] + ".v3.feedback.json")) << R"({"version": "2.0.0", "submissionSt)";
  RunResult truncated = RunCaisson("feedback ingest fb4 --config books/caisson.toml", dir);
  EXPECT_EQ(truncated.exit_code, 2) << truncated.err;
  EXPECT_NE(truncated.err.find(bases[0] + ".v3.feedback.json"), std::string::npos) << truncated.err;
  RunResult audit = RunCaisson("audit verify --config books/caisson.toml", dir);
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
}

TEST(FeedbackCli, TheDailyOutstandingRejectionsReconcileTheRepairItems) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 40 --seed 3 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261116", dir).exit_code, 0);
  const std::vector<std::string> bases = DataFiles(dir / "out");
  std::string rejected_fdid, other_fdid;
  {
    auto store = OpenStore(dir / "books" / "caisson.db");
    ASSERT_TRUE(store);
    rejected_fdid = store->LookupRecordId(bases[0], state::RecordKind::kFdid, "2")->firm_key;
    other_fdid = store->LookupRecordId(bases[0], state::RecordKind::kFdid, "5")->firm_key;
  }
  WriteFeedback(dir / "fb", bases[0], 4, "COMPLETED_WITH_REJECTIONS",
                R"({"rejectionID": 9985, "customerRecordID": [1], "errorCode": 22900, "rejectionTimestamp": "x"},)"
                R"({"rejectionID": 1127, "fdidRecordID": 2, "errorCode": 22012, "rejectionTimestamp": "x"})");
  ASSERT_EQ(RunCaisson("feedback ingest fb --config books/caisson.toml", dir).exit_code, 1);

  // Two days later CAIS still lists 1127, no longer 9985, and a rejection Caisson never saw feedback for.
  fs::create_directories(dir / "or");
  std::ofstream(dir / "or" / "990002_990001_20261118_OUTSTANDINGREJECTIONS_000001_data.json")
      << R"({"type": "FDIDRejection", "rejectedFDID": ")" << rejected_fdid << R"(", "submissionFilename": ")" << bases[0]
      << R"(.json.bz2", "submissionID": 41, "rejectionID": 1127, "fdidRecordID": 2, "errorCode": 22012, )"
      << R"("rejectionTimestamp": "20261116T120000.000000000"})" << "\n\n"
      << R"({"type": "FDIDRejection", "rejectedFDID": ")" << other_fdid << R"(", "submissionFilename": ")" << bases[0]
      << R"(.json.bz2", "submissionID": 41, "rejectionID": 777, "fdidRecordID": 5, "errorCode": 22055, )"
      << R"("rejectionTimestamp": "20261116T120000.000000000", "addrType": "ADDRESS1"})" << "\n";
  std::ofstream(dir / "or" / "20261118_OUTSTANDINGREJECTIONS_processed");
  RunResult ingest = RunCaisson("feedback ingest or --config books/caisson.toml", dir);
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_NE(ingest.err.find("2 listed, 1 new repair item(s), 1 closed as repaired"), std::string::npos) << ingest.err;
  RunResult list = RunCaisson("repair list --format json --config books/caisson.toml", dir);
  EXPECT_NE(list.out.find("\"open\": 2, \"open_inconsistencies\": 0, \"overdue\": 0, \"closed\": 1"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"rejection_id\": 777"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"rejection_id\": 9985, \"record\": \"customer\""), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"status\": \"repaired\", \"closed_on\": 20261118"), std::string::npos) << list.out;
}

// [§6.4; §6.6.3] CAIS's daily Outstanding Material Inconsistencies name a customer by its record ID in the file
// it was last accepted in; the next delta resends it (with a carrier FDID) flagged updateNotification true, and
// its acceptance resolves the inconsistency. The flag is not state: the day after, nothing is resent.
TEST(FeedbackCli, AMaterialInconsistencyIsResolvedByResendingTheCustomerWithUpdateNotification) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 40 --seed 3 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261116", dir).exit_code, 0);
  const std::vector<std::string> bases = DataFiles(dir / "out");
  std::string customer;
  {
    auto store = OpenStore(dir / "books" / "caisson.db");
    ASSERT_TRUE(store);
    customer = store->LookupRecordId(bases[0], state::RecordKind::kCustomer, "3")->firm_key;
  }
  fs::create_directories(dir / "mi");
  std::ofstream(dir / "mi" / "990002_990001_20261118_OUTSTANDINGINCONSISTENCIES_000001_data.json")
      << R"({"type": "materialInconsistency", "submissionFilename": ")" << bases[0]
      << R"(.json.bz2", "submissionID": 41, "inconsistencyEventID": "77$1#2#NULL#2026-11-18T14:00:00+00:00", )"
      << R"("customerRecordID": [3], "inconsistencyCode": 30002, "identificationDate": "20261118T140000.00000000", )"
      << R"("inconsistencyDeadline": "20261120T170000.00000000", "firmDesignatedID": ["X"]})" << "\n";
  std::ofstream(dir / "mi" / "990002_990001_20261118_OUTSTANDINGINCONSISTENCIES_000001_meta.json") << "{}";
  RunResult ingest = RunCaisson("feedback ingest mi --config books/caisson.toml", dir);
  EXPECT_EQ(ingest.exit_code, 1) << ingest.err;  // something to resolve
  EXPECT_NE(ingest.err.find("1 listed, 1 new, 0 closed as resolved, 0 not linked"), std::string::npos) << ingest.err;
  RunResult list = RunCaisson("repair list --format json --config books/caisson.toml", dir);
  EXPECT_NE(list.out.find("\"code\": 30002"), std::string::npos) << list.out;
  // 17:00 ET on 2026-11-20 (EST) is 22:00Z.
  EXPECT_NE(list.out.find("\"due\": \"2026-11-20T22:00:00Z\""), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"open_inconsistencies\": 1"), std::string::npos) << list.out;
  ASSERT_FALSE(customer.empty());
  EXPECT_NE(list.out.find("\"record\": \"customer\", \"key\": \"" + customer + "\", \"code\": 30002"),
            std::string::npos)
      << list.out;
  // The acceptance of the file that caused it (its feedback read after the set) resolves nothing: that file
  // did not carry updateNotification true [§6.6.3 r1].
  ASSERT_EQ(RunCaisson("accept 1 --date 20261117 --config books/caisson.toml", dir).exit_code, 0);
  RunResult still = RunCaisson("repair list --format json --config books/caisson.toml", dir);
  EXPECT_NE(still.out.find("\"open_inconsistencies\": 1"), std::string::npos) << still.out;

  const std::vector<std::string> before = DataFiles(dir / "out");
  RunResult delta = RunCaisson("build books --delta --out out --file-date 20261118", dir);
  ASSERT_EQ(delta.exit_code, 0) << delta.err;
  EXPECT_NE(delta.err.find("1 customer(s) with an open Material Inconsistency, 1 sent with updateNotification true"),
            std::string::npos)
      << delta.err;
  std::string sent;
  for (const std::string& base : DataFiles(dir / "out")) {
    if (std::find(before.begin(), before.end(), base) == before.end()) {
      sent += *caisjson::ReadMaybeBz2(dir / "out" / (base + ".json.bz2"));
    }
  }
  ASSERT_FALSE(sent.empty());
  EXPECT_NE(sent.find("\"updateNotification\":true"), std::string::npos) << sent.substr(0, 600);
  EXPECT_EQ(RunCaisson("check out --config books/caisson.toml", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("accept 2 --date 20261119 --config books/caisson.toml", dir).exit_code, 0);
  RunResult closed = RunCaisson("repair list --format json --config books/caisson.toml", dir);
  EXPECT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_NE(closed.out.find("\"status\": \"resolved\", \"closed_on\": 20261119"), std::string::npos) << closed.out;
  EXPECT_NE(closed.out.find("\"open_inconsistencies\": 0"), std::string::npos) << closed.out;
  RunResult next = RunCaisson("build books --delta --out out --file-date 20261119", dir);
  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_NE(next.err.find("nothing changed"), std::string::npos) << next.err;
  EXPECT_EQ(RunCaisson("audit verify --config books/caisson.toml", dir).exit_code, 0);
}

// [§3.8] CAIS's FDID Refresh Report lists FDIDs to resubmit whole; the next delta sends them, their acceptance
// takes them off, and a later report that no longer lists one clears it.
TEST(FeedbackCli, TheFdidRefreshReportMakesTheNextBuildResendTheListedFdids) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 40 --seed 3 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261116", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("accept 1 --date 20261117 --config books/caisson.toml", dir).exit_code, 0);
  const std::vector<std::string> bases = DataFiles(dir / "out");
  std::string f1, f2;
  {
    auto store = OpenStore(dir / "books" / "caisson.db");
    ASSERT_TRUE(store);
    f1 = store->LookupRecordId(bases[0], state::RecordKind::kFdid, "1")->firm_key;
    f2 = store->LookupRecordId(bases[0], state::RecordKind::kFdid, "2")->firm_key;
  }
  fs::create_directories(dir / "rr");
  std::ofstream(dir / "rr" / "990002_990001_20261203_FDIDREFRESHREPORT_000001_data.json")
      << R"({"firmDesignatedID": ")" << f1 << R"(", "lastAcceptedFilename": "a", "refreshDueDate": 20261231, )"
      << R"("status": "DUE"})" << "\n\n"
      << R"({"firmDesignatedID": ")" << f2 << R"(", "lastAcceptedFilename": "a", "refreshDueDate": 20261130, )"
      << R"("status": "OVERDUE"})" << "\n"
      << R"({"firmDesignatedID": "NOT-OURS", "lastAcceptedFilename": "a", "refreshDueDate": 20261130, )"
      << R"("status": "OVERDUE"})" << "\n";
  std::ofstream(dir / "rr" / "20261203_FDIDREFRESHREPORT_processed");
  RunResult ingest = RunCaisson("feedback ingest rr --config books/caisson.toml", dir);
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_NE(ingest.err.find("3 listed (1 DUE, 2 OVERDUE), 1 not known to the store, 0 no longer listed"),
            std::string::npos)
      << ingest.err;
  RunResult status = RunCaisson("status --format json --config books/caisson.toml", dir);
  EXPECT_NE(status.out.find("\"refresh_listed_by_cais\": 2"), std::string::npos) << status.out;

  RunResult delta = RunCaisson("build books --delta --out out --file-date 20261118", dir);
  ASSERT_EQ(delta.exit_code, 0) << delta.err;
  EXPECT_NE(delta.err.find("2 due for the refresh"), std::string::npos) << delta.err;
  ASSERT_EQ(RunCaisson("accept 2 --date 20261119 --config books/caisson.toml", dir).exit_code, 0);
  status = RunCaisson("status --format json --config books/caisson.toml", dir);
  EXPECT_NE(status.out.find("\"refresh_listed_by_cais\": 0"), std::string::npos) << status.out;
  RunResult next = RunCaisson("build books --delta --out out --file-date 20261119", dir);
  EXPECT_NE(next.err.find("nothing changed"), std::string::npos) << next.err;

  // Listed again, then a report without it clears the mark: nothing is resent.
  fs::create_directories(dir / "rr2");
  std::ofstream(dir / "rr2" / "990002_990001_20261204_FDIDREFRESHREPORT_000001_data.json")
      << R"({"firmDesignatedID": ")" << f1 << R"(", "lastAcceptedFilename": "a", "refreshDueDate": 20261231, )"
      << R"("status": "DUE"})" << "\n";
  ASSERT_EQ(RunCaisson("feedback ingest rr2 --config books/caisson.toml", dir).exit_code, 0);
  fs::create_directories(dir / "rr3");
  std::ofstream(dir / "rr3" / "990002_990001_20261205_FDIDREFRESHREPORT_000001_data.json");
  RunResult cleared = RunCaisson("feedback ingest rr3 --config books/caisson.toml", dir);
  EXPECT_NE(cleared.err.find("0 listed (0 DUE, 0 OVERDUE), 0 not known to the store, 1 no longer listed"),
            std::string::npos)
      << cleared.err;
  next = RunCaisson("build books --delta --out out --file-date 20261120", dir);
  EXPECT_NE(next.err.find("nothing changed"), std::string::npos) << next.err;
  EXPECT_EQ(RunCaisson("audit verify --config books/caisson.toml", dir).exit_code, 0);
}

// [§6.6.2.1] a rejected FDID the firm then removes from its books will never be repaired: the next build's
// first Data File carries a DELETE for its rejection, and accepting that file closes the repair item.
TEST(FeedbackCli, ARejectedRecordGoneFromTheBooksIsDeleted) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 40 --seed 3 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261116", dir).exit_code, 0);
  const std::vector<std::string> bases = DataFiles(dir / "out");
  std::string fdid;
  {
    auto store = OpenStore(dir / "books" / "caisson.db");
    ASSERT_TRUE(store);
    fdid = store->LookupRecordId(bases[0], state::RecordKind::kFdid, "2")->firm_key;
  }
  WriteFeedback(dir / "fb", bases[0], 4, "COMPLETED_WITH_REJECTIONS",
                R"({"rejectionID": 5150, "fdidRecordID": 2, "errorCode": 22012, "rejectionTimestamp": "x"})");
  ASSERT_EQ(RunCaisson("feedback ingest fb --config books/caisson.toml", dir).exit_code, 1);
  // The firm decides the account was opened in error: every row naming it leaves the books.
  for (const char* name : {"accounts.csv", "roles.csv", "addresses.csv", "large_traders.csv", "authorized_traders.csv"}) {
    const fs::path path = dir / "books" / name;
    if (!fs::exists(path)) continue;
    std::ifstream in(path);
    std::string line, kept;
    while (std::getline(in, line)) {
      if (line.rfind(fdid + ",", 0) != 0) kept += line + "\n";
    }
    in.close();
    std::ofstream(path, std::ios::trunc) << kept;
  }
  const std::vector<std::string> before = DataFiles(dir / "out");
  // Nothing else changed: the DELETE travels in a pair of its own (records zero, correctionList one).
  RunResult delta = RunCaisson("build books --delta --out out --file-date 20261117", dir);
  ASSERT_LE(delta.exit_code, 1) << delta.err;
  std::string sent, sent_base;
  for (const std::string& base : DataFiles(dir / "out")) {
    if (std::find(before.begin(), before.end(), base) == before.end()) {
      sent += *caisjson::ReadMaybeBz2(dir / "out" / (base + ".json.bz2"));
      if (sent_base.empty()) sent_base = base;
    }
  }
  ASSERT_FALSE(sent.empty()) << delta.err;
  EXPECT_NE(sent.find(R"({"rejectionID":5150,"correctionAction":"DELETE"})"), std::string::npos) << sent.substr(0, 400);
  EXPECT_EQ(sent.find("\"" + fdid + "\""), std::string::npos);
  WriteFeedback(dir / "fb2", sent_base, 4, "COMPLETED_WITHOUT_REJECTIONS", "");
  ASSERT_EQ(RunCaisson("feedback ingest fb2 --config books/caisson.toml", dir).exit_code, 0);
  RunResult list = RunCaisson("repair list --format json --config books/caisson.toml", dir);
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("\"rejection_id\": 5150, \"record\": \"fdid\""), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"status\": \"repaired\", \"closed_on\": 20261117"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"open\": 0,"), std::string::npos) << list.out;
}

// build --repair sends what repairs need and nothing else: the rejected FDID goes again, an account renamed in
// the meantime waits for the next --delta.
TEST(FeedbackCli, BuildRepairSendsOnlyTheRepairs) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 40 --seed 3 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261116", dir).exit_code, 0);
  const std::vector<std::string> bases = DataFiles(dir / "out");
  std::string rejected, renamed;
  {
    auto store = OpenStore(dir / "books" / "caisson.db");
    ASSERT_TRUE(store);
    rejected = store->LookupRecordId(bases[0], state::RecordKind::kFdid, "2")->firm_key;
    renamed = store->LookupRecordId(bases[0], state::RecordKind::kFdid, "5")->firm_key;
  }
  WriteFeedback(dir / "fb", bases[0], 4, "COMPLETED_WITH_REJECTIONS",
                R"({"rejectionID": 6001, "fdidRecordID": 2, "errorCode": 22012, "rejectionTimestamp": "x"})");
  ASSERT_EQ(RunCaisson("feedback ingest fb --config books/caisson.toml", dir).exit_code, 1);
  {  // the books rename another account: a change that is no repair
    std::ifstream in(dir / "books" / "accounts.csv");
    std::string line, text;
    while (std::getline(in, line)) {
      if (line.rfind(renamed + ",", 0) == 0) {
        std::vector<std::string> cells;
        size_t start = 0;
        for (size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1) {
          cells.push_back(line.substr(start, comma - start));
        }
        cells.push_back(line.substr(start));
        cells[3] = "RENAMED ACCOUNT";
        line.clear();
        for (size_t k = 0; k < cells.size(); ++k) line += (k ? "," : "") + cells[k];
      }
      text += line + "\n";
    }
    in.close();
    std::ofstream(dir / "books" / "accounts.csv", std::ios::trunc) << text;
  }
  auto sent_since = [&](const std::vector<std::string>& before) {
    std::string sent;
    for (const std::string& base : DataFiles(dir / "out")) {
      if (std::find(before.begin(), before.end(), base) == before.end()) {
        sent += *caisjson::ReadMaybeBz2(dir / "out" / (base + ".json.bz2"));
      }
    }
    return sent;
  };
  std::vector<std::string> before = DataFiles(dir / "out");
  RunResult repair = RunCaisson("build books --repair --out out --file-date 20261117", dir);
  ASSERT_EQ(repair.exit_code, 0) << repair.err;
  EXPECT_NE(repair.err.find("1 FDID(s) carry a repair; other changes wait for --delta"), std::string::npos)
      << repair.err;
  std::string sent = sent_since(before);
  EXPECT_NE(sent.find("\"firmDesignatedID\":\"" + rejected + "\""), std::string::npos);
  EXPECT_EQ(sent.find("\"firmDesignatedID\":\"" + renamed + "\""), std::string::npos);
  EXPECT_EQ(sent.find("RENAMED ACCOUNT"), std::string::npos);
  EXPECT_NE(sent.find("\"fdidRecordCount\":1,"), std::string::npos) << sent.substr(0, 300);

  before = DataFiles(dir / "out");
  RunResult delta = RunCaisson("build books --delta --out out --file-date 20261117", dir);
  ASSERT_EQ(delta.exit_code, 0) << delta.err;
  sent = sent_since(before);
  EXPECT_NE(sent.find("RENAMED ACCOUNT"), std::string::npos);
  EXPECT_EQ(RunCaisson("build books --repair --full --out out", dir).exit_code, 2);
}

}  // namespace
}  // namespace caisson::testing
