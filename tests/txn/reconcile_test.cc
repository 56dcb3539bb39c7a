// FDID reconciliation: each class with the exact App. E Table 178 code CAT would raise [§2.4.2.1].
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testutil.h"
#include "txn/txn.h"

namespace caisson::txn {
namespace {

const Catalogue& Cat() {
  static const Catalogue* cat = [] {
    auto c = Catalogue::Load(Catalogue::DefaultPath(testing::DataDir()));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return new Catalogue(std::move(c.value()));
  }();
  return *cat;
}

const calendar::Calendar& Cal() {
  static const calendar::Calendar* cal = [] {
    auto c = calendar::Calendar::Load(testing::DataDir() / "calendar" / "market-calendar.csv");
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return new calendar::Calendar(std::move(c.value()));
  }();
  return *cal;
}

calendar::Instant At(const char* ny) {
  auto m = calendar::ParseMoment(ny);
  EXPECT_TRUE(m.ok());
  auto utc = calendar::ToUtc(m->et);
  EXPECT_TRUE(utc.ok());
  return *utc;
}

std::string Meno(std::string_view fdid, std::string_view date = "20260302", std::string_view holder = "I") {
  const std::string ts = std::string(date) + "T093000.123";
  return std::string(R"({"actionType":"NEW","firmROEID":")") + std::string(date) +
         R"(_1","type":"MENO","orderKeyDate":")" + ts + R"(","orderID":"O1","symbol":"XYZ","eventTimestamp":")" +
         ts + R"(","deptType":"A","side":"B","price":1,"quantity":5,"orderType":"LMT","timeInForce":{"DAY":)" +
         std::string(date) + R"(},"tradingSession":"REG","firmDesignatedID":")" + std::string(fdid) +
         R"(","accountHolderType":")" + std::string(holder) + R"(","representativeInd":"N"})";
}

std::string Mepa(std::string_view fdid, std::string_view trade_date, std::string_view new_order_fdid,
                 std::string_view correspondent = "") {
  std::string s =
      R"({"actionType":"NEW","firmROEID":"20260302_A","type":"MEPA","allocationKeyDate":"20260302T180000",)"
      R"("allocationID":"A1","symbol":"XYZ","eventTimestamp":"20260302T180000","quantity":5,"price":1,"side":"B",)"
      R"("firmDesignatedID":")" + std::string(fdid) + R"(","institutionFlag":false,"tradeDate":)" +
      std::string(trade_date) + R"(,"allocationType":"CUS","newOrderFDID":")" + std::string(new_order_fdid) +
      R"(","accountHolderType":"I")";
  if (!correspondent.empty()) s += R"(,"correspondentCRD":)" + std::string(correspondent);
  return s + "}";
}

std::string Meot(std::string_view buy_fdid, std::string_view sell_fdid) {
  return std::string(
             R"({"actionType":"NEW","firmROEID":"20260302_T","type":"MEOT","tradeKeyDate":"20260302T100000",)"
             R"("tradeID":"T1","symbol":"XYZ","eventTimestamp":"20260302T100000.000","quantity":5,"price":1,)"
             R"("capacity":"P","tapeTradeID":"X","marketCenterID":"L","sideDetailsInd":"NA",)"
             R"("buyDetails":[{"side":"B","firmDesignatedID":")") +
         std::string(buy_fdid) + R"(","accountHolderType":"P"}],"sellDetails":[{"side":"SL","firmDesignatedID":")" +
         std::string(sell_fdid) + R"(","accountHolderType":"P"}]})";
}

FdidState Accepted(std::string fdid, int32_t from, int32_t until = 0, int32_t facts = 0) {
  FdidState s;
  s.fdid = std::move(fdid);
  s.emitted = s.accepted = true;
  s.accepted_validity = state::Validity{from, until, facts};
  s.emitted_validity = s.accepted_validity;
  s.first_accepted = from;
  return s;
}

struct Outcome {
  std::vector<FdidFinding> findings;
  ReconcileSummary summary;
  std::string Codes() const {
    std::string out;
    for (const auto& f : findings) {
      out += f.finding.rule + ":" + f.finding.key + ":" + f.finding.field + ":" + f.finding.cais_code + "@" +
             std::to_string(f.finding.line) + " ";
    }
    return out;
  }
};

Outcome Reconcile(const std::vector<std::string>& lines, const std::vector<FdidState>& states,
              calendar::Instant as_of, bool inactive = false) {
  const auto dir = testing::TempDir();
  const auto p = dir / "123456_ABCD_20260302_OrderEvents_000001.json";
  {
    std::ofstream out(p);
    for (const auto& l : lines) out << l << "\n";
  }
  ReconcileOptions opt;
  opt.as_of = as_of;
  opt.cat_reporter_crd = 123456;
  opt.inactive_candidates = inactive;
  Reconciler rec(Cat(), Cal(), opt);
  for (const auto& s : states) rec.AddState(s);
  EventReader reader(Cat(), ReaderOptions{});
  std::vector<Finding> rf;
  EXPECT_OK(reader.Open(p, &rf));
  const Event* ev = nullptr;
  while (reader.Next(&ev)) rec.Add(*ev, reader.display_name());
  EXPECT_TRUE(rf.empty()) << rf.front().rule << " " << rf.front().field << " line " << rf.front().line;
  Outcome r;
  EXPECT_OK(rec.Finish(&r.findings, &r.summary));
  return r;
}

TEST(Reconcile, ValidFdidsGiveNoFinding) {
  Outcome r = Reconcile({Meno("F1"), Mepa("F1", "20260302", "F1"), Meot("F1", "F1")}, {Accepted("F1", 20260101)},
                    At("2026-03-02T20:00"));
  EXPECT_EQ(r.Codes(), "");
  EXPECT_EQ(r.summary.events, 3);
  EXPECT_EQ(r.summary.fdids_seen, 1);
  EXPECT_EQ(r.summary.fdid_values, 5);  // MENO 1, MEPA 2, MEOT 2
}

TEST(Reconcile, NeverSentIsNotSubmittedUntilTPlus1EightThenMissing) {
  // Event on Monday 2026-03-02: the CAIS report is due Tuesday 08:00 ET.
  Outcome before = Reconcile({Meno("NEW1")}, {}, At("2026-03-03T07:59"));
  EXPECT_EQ(before.Codes(), "txn.fdid.not_submitted:NEW1:firmDesignatedID:3701@1 ");
  ASSERT_TRUE(before.findings[0].has_deadline);
  EXPECT_EQ(calendar::FormatLocal(before.findings[0].deadline.et), "2026-03-03T08:00:00");
  Outcome after = Reconcile({Meno("NEW1")}, {}, At("2026-03-03T08:00"));
  EXPECT_EQ(after.Codes(), "txn.fdid.missing:NEW1:firmDesignatedID:3701@1 ");
  // The CAIS fix is due T+3 17:00 ET (Thursday).
  EXPECT_EQ(calendar::FormatLocal(after.findings[0].deadline.et), "2026-03-05T17:00:00");
}

TEST(Reconcile, SubmittedNotAcceptedPredictsTheMissingCode) {
  FdidState s;
  s.fdid = "SENT1";
  s.emitted = true;
  s.emitted_validity = {20260101, 0, 0};
  Outcome r = Reconcile({Meno("SENT1")}, {s}, At("2026-03-03T09:00"));
  EXPECT_EQ(r.Codes(), "txn.fdid.submitted_not_accepted:SENT1:firmDesignatedID:3701@1 ");
  EXPECT_NE(r.findings[0].finding.message.find("3701"), std::string::npos);
}

TEST(Reconcile, NotYetValidAndEnded) {
  Outcome r = Reconcile({Meno("LATE"), Meno("GONE"), Meno("NOCUST")},
                    {Accepted("LATE", 20260303), Accepted("GONE", 20250101, 20260227), Accepted("NOCUST", 0)},
                    At("2026-03-02T20:00"));
  EXPECT_EQ(r.Codes(),
            "txn.fdid.not_yet_valid:LATE:firmDesignatedID:3702@1 txn.fdid.ended:GONE:firmDesignatedID:3702@2 "
            "txn.fdid.not_yet_valid:NOCUST:firmDesignatedID:3702@3 ");
  // The end date itself is still valid ("an fdidEndDate on or after the date").
  Outcome same_day = Reconcile({Meno("END")}, {Accepted("END", 20250101, 20260302)}, At("2026-03-02T20:00"));
  EXPECT_EQ(same_day.Codes(), "");
}

TEST(Reconcile, PendingOnANewOrderIs3711AndOnASupplement2270) {
  const std::string menos =
      R"({"actionType":"NEW","firmROEID":"20260302_S","type":"MENOS","orderKeyDate":"20260302T093000.123",)"
      R"("orderID":"O1","symbol":"XYZ","eventTimestamp":"20260302T093000.123","firmDesignatedID":"PENDING"})";
  Outcome r = Reconcile({Meno("PENDING"), menos}, {}, At("2026-03-02T20:00"));
  EXPECT_EQ(r.Codes(),
            "txn.fdid.pending:PENDING:firmDesignatedID:3711@1 "
            "txn.fdid.pending_supplement:PENDING:firmDesignatedID:2270@2 ");
  // T+3 08:00 ET: Thursday 2026-03-05.
  EXPECT_EQ(calendar::FormatLocal(r.findings[0].deadline.et), "2026-03-05T08:00:00");
}

TEST(Reconcile, SideDetailsUseTheirOwnCodes) {
  Outcome r = Reconcile({Meot("NOBUY", "NOSELL")}, {}, At("2026-03-04T09:00"));
  EXPECT_EQ(r.Codes(),
            "txn.fdid.missing:NOBUY:buyDetails.firmDesignatedID:3703@1 "
            "txn.fdid.missing:NOSELL:sellDetails.firmDesignatedID:3705@1 ");
  Outcome late = Reconcile({Meot("P1", "P1")}, {Accepted("P1", 20260303)}, At("2026-03-04T09:00"));
  EXPECT_EQ(late.Codes(),
            "txn.fdid.not_yet_valid:P1:buyDetails.firmDesignatedID:3704@1 "
            "txn.fdid.not_yet_valid:P1:sellDetails.firmDesignatedID:3706@1 ");
}

TEST(Reconcile, AllocationsCheckTradeDateAndNewOrderFdid) {
  // firmDesignatedID valid on the Event Date but not on the earlier tradeDate: 3702.
  Outcome r = Reconcile({Mepa("ALLOC", "20260227", "NOFDID")}, {Accepted("ALLOC", 20260302)}, At("2026-03-04T09:00"));
  EXPECT_EQ(r.Codes(),
            "txn.fdid.missing:NOFDID:newOrderFDID:3709@1 txn.fdid.not_yet_valid:ALLOC:firmDesignatedID:3702@1 ");
  // newOrderFDID on tradeDate only: valid from the event date but not the tradeDate -> 3710.
  Outcome r2 = Reconcile({Mepa("ALLOC", "20260302", "NOF")}, {Accepted("ALLOC", 20260101), Accepted("NOF", 20260302)},
                     At("2026-03-04T09:00"));
  EXPECT_EQ(r2.Codes(), "");
  Outcome r3 = Reconcile({Mepa("ALLOC", "20260227", "NOF")}, {Accepted("ALLOC", 20260101), Accepted("NOF", 20260302)},
                     At("2026-03-04T09:00"));
  EXPECT_EQ(r3.Codes(), "txn.fdid.not_yet_valid:NOF:newOrderFDID:3710@1 ");
  // Another firm's correspondentCRD: newOrderFDID is not checked; our own CRD: it is.
  Outcome other = Reconcile({Mepa("ALLOC", "20260302", "NOFDID", "999")}, {Accepted("ALLOC", 20260101)},
                        At("2026-03-04T09:00"));
  EXPECT_EQ(other.Codes(), "");
  Outcome own = Reconcile({Mepa("ALLOC", "20260302", "NOFDID", "123456")}, {Accepted("ALLOC", 20260101)},
                      At("2026-03-04T09:00"));
  EXPECT_EQ(own.Codes(), "txn.fdid.missing:NOFDID:newOrderFDID:3709@1 ");
}

TEST(Reconcile, MarketMakingWithoutMarketIsInconsistent) {
  Outcome r = Reconcile({Meno("MM1", "20260302", "O"), Meno("MM2", "20260302", "O")},
                    {Accepted("MM1", 20260101, 0, 0), Accepted("MM2", 20260101, 0, state::kValidityMarket)},
                    At("2026-03-02T20:00"));
  EXPECT_EQ(r.Codes(), "txn.fdid.inconsistent:MM1:firmDesignatedID:@1 ");
  EXPECT_EQ(r.findings[0].finding.severity, Severity::kInconsistency);
  EXPECT_FALSE(r.findings[0].has_deadline);
}

TEST(Reconcile, OneFindingPerFdidWithAnEventCount) {
  Outcome r = Reconcile({Meno("X"), Meno("X"), Meno("X")}, {}, At("2026-03-04T09:00"));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].events, 3);
  EXPECT_EQ(r.findings[0].finding.line, 1u);
  EXPECT_EQ(r.summary.events_by_code.at("3701"), 3);
}

TEST(Reconcile, AnEventWithoutTimestampStillGetsItsFindingWithoutDeadline) {
  std::string meno = Meno("NOTS");
  meno.replace(meno.find("\"eventTimestamp\":\"20260302T093000.123\""), 38, "\"eventTimestamp\":\"2026\"");
  const auto dir = testing::TempDir();
  const auto p = dir / "123456_ABCD_20260302_OrderEvents_000001.json";
  std::ofstream(p) << meno << "\n";
  ReconcileOptions opt;
  opt.as_of = At("2026-03-04T09:00");
  Reconciler rec(Cat(), Cal(), opt);
  EventReader reader(Cat(), ReaderOptions{});
  std::vector<Finding> rf;
  ASSERT_OK(reader.Open(p, &rf));
  const Event* ev = nullptr;
  ASSERT_TRUE(reader.Next(&ev));
  rec.Add(*ev, reader.display_name());
  ASSERT_EQ(rf.size(), 1u);
  EXPECT_EQ(rf[0].rule, "event.timestamp");
  std::vector<FdidFinding> out;
  ReconcileSummary summary;
  ASSERT_OK(rec.Finish(&out, &summary));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].finding.rule, "txn.fdid.missing");
  EXPECT_EQ(out[0].finding.cais_code, "3701");
  EXPECT_FALSE(out[0].has_deadline);
}

TEST(Reconcile, MeoaCarriesNoFdid) {
  const std::string meoa =
      R"({"actionType":"NEW","firmROEID":"20260302_B","type":"MEOA","orderKeyDate":"20260302T093000",)"
      R"("orderID":"O2","symbol":"XYZ","eventTimestamp":"20260302T093000.000","receiverIMID":"1:ABCD",)"
      R"("senderIMID":"2:EFGH","senderType":"F","routedOrderID":"R1","deptType":"A","side":"B","price":1,)"
      R"("quantity":5,"orderType":"LMT","timeInForce":{"DAY":20260302},"tradingSession":"REG","isoInd":"NA"})";
  Outcome r = Reconcile({meoa}, {}, At("2026-03-04T09:00"));
  EXPECT_EQ(r.Codes(), "");
  EXPECT_EQ(r.summary.fdid_values, 0);
}

TEST(Reconcile, InactiveCandidates) {
  // OLD: accepted a year ago, not on any event read; SEEN: on an event; YOUNG: accepted last month.
  Outcome r = Reconcile({Meno("SEEN")},
                    {Accepted("OLD", 20250101), Accepted("SEEN", 20250101), Accepted("YOUNG", 20260201),
                     Accepted("ENDED", 20250101, 20250601)},
                    At("2026-03-02T20:00"), true);
  EXPECT_EQ(r.Codes(), "txn.fdid.inactive_candidate:OLD::@0 ");
}

TEST(Reconcile, JsonAndTextOutput) {
  Outcome r = Reconcile({Meno("NEW1")}, {}, At("2026-03-03T06:00"));
  const std::string json = ReconcileJson("cat-im-4.1.0r15", r.summary, r.findings);
  EXPECT_NE(json.find(R"("rule": "txn.fdid.not_submitted", "severity": "reject", "cais_code": "3701", )"
                      R"("record": "fdid", "key": "NEW1", "file": "123456_ABCD_20260302_OrderEvents_000001.json", )"
                      R"("line": 1, "field": "firmDesignatedID")"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("deadline": "2026-03-03T13:00:00Z", "events": 1})"), std::string::npos) << json;
  const std::string text = ReconcileText(r.summary, r.findings, At("2026-03-03T06:00"));
  EXPECT_NE(text.find("2026-03-03T08:00:00 ET       2.0 h left  1 finding(s)"), std::string::npos) << text;
  EXPECT_NE(text.find(" 3701=1"), std::string::npos) << text;
}

}  // namespace
}  // namespace caisson::txn
