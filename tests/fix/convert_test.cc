#include <bzlib.h>

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fix/fix.h"
#include "fix/fix_testutil.h"
#include "fix/scenario.h"
#include "testutil.h"

namespace caisson::fix {
namespace {

struct Conversion {
  std::vector<Event> events;
  std::vector<Finding> findings;
  Summary summary;
};

Conversion Convert(const std::vector<std::string>& lines) {
  Result<Map> map = ParseMap(testing::kMapToml, "map.toml");
  EXPECT_TRUE(map.ok());
  Conversion run;
  Converter c(*map, [&](const Event& e) { run.events.push_back(e); }, &run.findings);
  uint64_t n = 0;
  for (const std::string& line : lines) {
    Message m;
    if (ParseLine(line, "day.log", ++n, &m, &run.findings)) c.Add(m, "day.log", &run.summary);
  }
  c.Finish(&run.summary);
  return run;
}

std::vector<std::string> Types(const Conversion& r) {
  std::vector<std::string> t;
  for (const Event& e : r.events) t.push_back(e.type);
  return t;
}

TEST(FixConvert, RoutedFilledReplacedAllocatedOrder) {
  Conversion r = Convert(testing::RoutedOrderLog());
  for (const Finding& f : r.findings) ADD_FAILURE() << f.rule << " line " << f.line << ": " << f.message;
  EXPECT_EQ(Types(r), (std::vector<std::string>{"MENO", "MEOR", "MEOT", "MEOM", "MEPA", "MEPA", "MEAA", "MEAA"}));
  ASSERT_EQ(r.events.size(), 8u);
  // 15:00 UTC on 5 Jan 2026 is 10:00 New York (EST).
  EXPECT_EQ(r.events[0].json,
            "{\"actionType\":\"NEW\",\"firmROEID\":\"20260105_CLI1.FIRM.2.0\",\"type\":\"MENO\","
            "\"CATReporterIMID\":\"FIRM\",\"orderKeyDate\":\"20260105T100000.000\",\"orderID\":\"ORD1\","
            "\"symbol\":\"XYZ\",\"eventTimestamp\":\"20260105T100000.000\",\"manualFlag\":false,"
            "\"electronicDupFlag\":false,\"deptType\":\"A\",\"solicitationFlag\":false,\"side\":\"B\","
            "\"price\":10.5,\"quantity\":1000,\"orderType\":\"LMT\",\"timeInForce\":{\"DAY\":20260105},"
            "\"tradingSession\":\"REG\",\"custDspIntrFlag\":false,\"firmDesignatedID\":\"FDIDA0001\","
            "\"accountHolderType\":\"I\",\"affiliateFlag\":false,\"negotiatedTradeFlag\":false,"
            "\"representativeInd\":\"N\"}");
  EXPECT_EQ(r.events[0].event_date, "20260105");
  const std::string& meor = r.events[1].json;
  EXPECT_NE(meor.find("\"routedOrderID\":\"00R1\""), std::string::npos) << meor;  // exactly as sent
  EXPECT_NE(meor.find("\"session\":\"0042\""), std::string::npos);
  EXPECT_NE(meor.find("\"destinationType\":\"E\",\"routedOrderID\""), std::string::npos);
  EXPECT_NE(meor.find("\"senderIMID\":\"123:FIRMX\",\"destination\":\"NSDQ\""), std::string::npos);
  EXPECT_NE(meor.find("\"handlingInstructions\":{\"RAR\":true}"), std::string::npos);
  EXPECT_NE(meor.find("\"routeRejectedFlag\":false"), std::string::npos);
  EXPECT_NE(meor.find("\"quantity\":600"), std::string::npos);
  const std::string& meot = r.events[2].json;
  EXPECT_NE(meot.find("\"buyDetails\":[{\"orderKeyDate\":\"20260105T100000.000\",\"orderID\":\"ORD1\",\"side\":\"B\"}]"),
            std::string::npos) << meot;
  EXPECT_NE(meot.find("\"sellDetails\":[{\"side\":\"SL\",\"firmDesignatedID\":\"FIRMPRINC1\",\"accountHolderType\":\"P\"}]"),
            std::string::npos);
  EXPECT_NE(meot.find("\"capacity\":\"P\",\"tapeTradeID\":\"T0000123\",\"marketCenterID\":\"L\""), std::string::npos);
  const std::string& meom = r.events[3].json;
  EXPECT_NE(meom.find("\"orderID\":\"ORD1\""), std::string::npos);
  EXPECT_EQ(meom.find("priorOrderID"), std::string::npos);  // same orderID: no prior key [§4.7]
  EXPECT_NE(meom.find("\"requestTimestamp\":\"20260105T100003.000\",\"initiator\":\"C\""), std::string::npos) << meom;
  EXPECT_NE(meom.find("\"quantity\":1200,\"leavesQty\":700"), std::string::npos);
  EXPECT_NE(meom.find("\"price\":10.55"), std::string::npos);
  const std::string& mepa = r.events[4].json;
  EXPECT_NE(mepa.find("\"allocationID\":\"AL1-1\""), std::string::npos) << mepa;
  EXPECT_NE(mepa.find("\"firmDesignatedID\":\"FDIDA0001\""), std::string::npos);
  EXPECT_NE(mepa.find("\"tradeDate\":20260105,\"settlementDate\":20260106"), std::string::npos);
  EXPECT_NE(mepa.find("\"newOrderFDID\":\"FDIDA0001\""), std::string::npos);
  EXPECT_NE(mepa.find("\"eventTimestamp\":\"20260105T160000.000\""), std::string::npos);
  EXPECT_NE(r.events[5].json.find("\"institutionFlag\":true"), std::string::npos);
  const std::string& meaa = r.events[6].json;
  EXPECT_NE(meaa.find("\"allocationID\":\"AL2-1\",\"priorAllocationKeyDate\":\"20260105T160000.000\","
                      "\"priorAllocationID\":\"AL1-1\""), std::string::npos) << meaa;
  EXPECT_NE(meaa.find("\"cancelFlag\":false"), std::string::npos);
  // Logon, the venue's ack and fill, and the agency pass-through fill make no event.
  EXPECT_EQ(r.summary.not_reported, 3);
  EXPECT_EQ(r.summary.events, 8);
}

TEST(FixConvert, RouteThatDropsTheOrderLinkIsAFinding) {
  std::vector<std::string> log = testing::RoutedOrderLog();
  std::string body = "35=D|49=FIRM|56=NSDQX|34=1|52=20260105-15:00:00.020|11=00R1|55=XYZ|54=1|38=600|40=2|"
                     "44=10.50|59=0|60=20260105-15:00:00.020";
  log[3] = testing::Fix(body, '\x01');
  Conversion r = Convert(log);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].rule, "fix.route_unlinked");
  EXPECT_EQ(r.findings[0].line, 4u);
  EXPECT_EQ(r.findings[0].field, "526");
  // With no route, the agency fill to the client has no known venue: a finding too, not a guessed event.
  EXPECT_EQ(r.findings[1].rule, "fix.unsourced_fill");
  EXPECT_EQ(r.findings[1].line, 7u);
  for (const Event& e : r.events) EXPECT_NE(e.type, "MEOR");
}

TEST(FixConvert, ReplaceWithUnknownOrigClOrdIdIsAFinding) {
  std::vector<std::string> log = testing::RoutedOrderLog();
  log[8] = testing::Fix("35=G|49=CLI1|56=FIRM|34=3|52=20260105-15:00:03.000|11=C2|41=NOPE|1=ACC1|55=XYZ|54=1|"
                        "38=1200|40=2|44=10.55|59=0|60=20260105-15:00:03.000", '\x01');
  Conversion r = Convert(log);
  ASSERT_GE(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "fix.unknown_origclordid");
  EXPECT_EQ(r.findings[0].line, 9u);
  EXPECT_EQ(r.findings[0].field, "41");
}

TEST(FixConvert, UnmappedAccountMakesNoEventAndNeverEchoesTheAccount) {
  std::vector<std::string> log = testing::RoutedOrderLog();
  log[1] = testing::Fix("35=D|49=CLI1|56=FIRM|34=2|52=20260105-15:00:00.000|11=C1|1=99887766|55=XYZ|54=1|38=1000|"
                        "40=2|44=10.50|59=0|60=20260105-15:00:00.000", '\x01');
  Conversion r = Convert(log);
  ASSERT_GE(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "fix.unmapped_account");
  EXPECT_EQ(r.findings[0].field, "1");
  for (const Finding& f : r.findings) EXPECT_EQ(f.message.find("99887766"), std::string::npos);
  for (const Event& e : r.events) {
    EXPECT_NE(e.type, "MENO");
    EXPECT_NE(e.type, "MEOR");
  }
}

TEST(FixConvert, RejectedRouteSetsRouteRejectedFlag) {
  std::vector<std::string> log = testing::RoutedOrderLog();
  log[4] = testing::Fix("35=8|49=NSDQX|56=FIRM|34=1|52=20260105-15:00:00.030|11=00R1|37=NONE|17=X1A|150=8|39=8|"
                        "55=XYZ|54=1|38=600|60=20260105-15:00:00.030", '\x01');
  log.erase(log.begin() + 5, log.begin() + 7);  // no venue fill, no pass-through fill
  Conversion r = Convert(log);
  ASSERT_GE(r.events.size(), 2u);
  EXPECT_EQ(r.events[1].type, "MEOR");
  EXPECT_NE(r.events[1].json.find("\"routeRejectedFlag\":true"), std::string::npos);
}

TEST(FixConvert, ClientCancelBecomesMeocWithTheRequestTime) {
  std::vector<std::string> log = testing::RoutedOrderLog();
  log.resize(3);  // logon, the order, its acknowledgement
  log.push_back(testing::Fix("35=F|49=CLI1|56=FIRM|34=3|52=20260105-15:10:00.000|11=C9|41=C1|55=XYZ|54=1|38=1000|"
                             "60=20260105-15:10:00.000", '\x01'));
  log.push_back(testing::Fix("35=8|49=FIRM|56=CLI1|34=3|52=20260105-15:10:00.100|11=C9|41=C1|37=ORD1|17=E9|150=4|"
                             "39=4|55=XYZ|54=1|38=1000|151=0|14=0|60=20260105-15:10:00.100", '\x01'));
  Conversion r = Convert(log);
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(Types(r), (std::vector<std::string>{"MENO", "MEOC"}));
  EXPECT_EQ(r.events[1].json,
            "{\"actionType\":\"NEW\",\"firmROEID\":\"20260105_FIRM.CLI1.3.0\",\"type\":\"MEOC\","
            "\"CATReporterIMID\":\"FIRM\",\"orderKeyDate\":\"20260105T100000.000\",\"orderID\":\"ORD1\","
            "\"symbol\":\"XYZ\",\"eventTimestamp\":\"20260105T101000.100\",\"manualFlag\":false,"
            "\"cancelQty\":1000,\"leavesQty\":0,\"initiator\":\"C\",\"requestTimestamp\":\"20260105T101000.000\"}");
  // Cancelled to 0, the order is forgotten (memory follows open orders): a later report on it names nothing.
  log.push_back(testing::Fix("35=8|49=FIRM|56=CLI1|34=4|52=20260105-15:11:00.000|11=C1|37=ORD1|17=E10|150=F|39=2|"
                             "55=XYZ|54=1|32=10|31=10.5|29=4|1003=T9|151=0|60=20260105-15:11:00.000", '\x01'));
  Conversion late = Convert(log);
  ASSERT_EQ(late.findings.size(), 1u);
  EXPECT_EQ(late.findings[0].rule, "fix.unknown_clordid");
  EXPECT_EQ(late.findings[0].line, 6u);
}

TEST(FixConvert, Fix42FillsAndRisklessPrincipalFulfillment) {
  std::vector<std::string> log = testing::RoutedOrderLog();
  log.resize(3);  // logon, the order, its acknowledgement
  // FIX 4.2: ExecType 1 (partial fill); OrderCapacity R: a riskless principal fill, reported as MEOF.
  log.push_back(testing::Fix("35=8|49=FIRM|56=CLI1|34=3|52=20260105-15:00:05.000|11=C1|37=ORD1|17=E5|20=0|150=1|"
                             "39=1|55=XYZ|54=1|32=100|31=10.5|528=R|151=900|14=100|60=20260105-15:00:05.000",
                             '\x01', "FIX.4.2"));
  Conversion r = Convert(log);
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].rule;
  ASSERT_EQ(Types(r), (std::vector<std::string>{"MENO", "MEOF"}));
  const std::string& meof = r.events[1].json;
  EXPECT_NE(meof.find("\"fulfillmentID\":\"E5\""), std::string::npos) << meof;
  EXPECT_NE(meof.find("\"fulfillmentLinkType\":\"YE\""), std::string::npos);
  EXPECT_NE(meof.find("\"clientDetails\":[{\"orderKeyDate\":\"20260105T100000.000\",\"orderID\":\"ORD1\","
                      "\"side\":\"B\"}],\"firmDetails\":[{\"side\":\"SL\",\"firmDesignatedID\":\"FIRMPRINC1\","
                      "\"accountHolderType\":\"P\"}]"), std::string::npos);
}

TEST(FixConvert, TimestampsKeepTheLogsPrecisionInEasternTime) {
  std::vector<std::string> log = {testing::Fix(
      "35=D|49=CLI1|56=FIRM|34=2|11=C1|1=ACC1|55=XYZ|54=2|38=10|40=1|59=3|60=20260705-13:30:00.123456", '\x01'),
      testing::Fix("35=8|49=FIRM|56=CLI1|34=2|11=C1|37=ORD7|17=E1|150=0|39=0|60=20260705-13:30:00.200", '\x01')};
  Conversion r = Convert(log);
  ASSERT_EQ(r.events.size(), 1u);
  // July: EDT, UTC-4; microseconds kept; a market order has no price; IOC.
  EXPECT_NE(r.events[0].json.find("\"eventTimestamp\":\"20260705T093000.123456\""), std::string::npos)
      << r.events[0].json;
  EXPECT_EQ(r.events[0].json.find("\"price\""), std::string::npos);
  EXPECT_NE(r.events[0].json.find("\"side\":\"SL\""), std::string::npos);
  EXPECT_NE(r.events[0].json.find("\"timeInForce\":{\"IOC\":true}"), std::string::npos);
}

TEST(FixFromFix, WritesOneNamedFilePerEventDateUnderItsFinalName) {
  const auto dir = caisson::testing::TempDir();
  {
    std::ofstream out(dir / "day.log", std::ios::binary);
    for (const std::string& l : testing::RoutedOrderLog()) out << "20260105 IN " << l << "\n";
  }
  Result<Map> map = ParseMap(testing::kMapToml, "map.toml");
  ASSERT_TRUE(map.ok());
  Options options;
  options.file_date = "20260105";
  options.compress = false;
  std::vector<Finding> findings;
  Summary summary;
  ASSERT_OK(FromFix({dir / "day.log"}, *map, dir / "out", options, &findings, &summary));
  EXPECT_TRUE(findings.empty());
  ASSERT_EQ(summary.files.size(), 1u);
  EXPECT_EQ(summary.files[0].filename(), "12345_FIRM_20260105_OrderEvents_000001.json");
  std::ifstream in(summary.files[0]);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_LE(line.size(), 8190u);
  }
  EXPECT_EQ(lines, 8);
  // A second run continues the numbering: base names are never reused.
  options.compress = true;
  Summary again;
  ASSERT_OK(FromFix({dir / "day.log"}, *map, dir / "out", options, &findings, &again));
  ASSERT_EQ(again.files.size(), 1u);
  EXPECT_EQ(again.files[0].filename(), "12345_FIRM_20260105_OrderEvents_000002.json.bz2");
  for (const auto& e : std::filesystem::directory_iterator(dir / "out")) {
    EXPECT_EQ(e.path().extension().string().find("part"), std::string::npos);
  }
}

}  // namespace
}  // namespace caisson::fix
