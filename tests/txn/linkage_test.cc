// Linkage checks: one passing and one failing case per check, with the exact CAT code predicted.
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "testutil.h"
#include "txn/events.h"
#include "txn/linkage.h"

namespace caisson::txn {
namespace {

using Ev = std::vector<std::pair<std::string, std::string>>;  // field -> raw JSON value, in order

std::string Q(std::string_view s) { return "\"" + std::string(s) + "\""; }

void Set(Ev* e, const std::string& k, const std::string& raw) {
  for (auto& [name, v] : *e) {
    if (name == k) {
      v = raw;
      return;
    }
  }
  e->emplace_back(k, raw);
}
void Erase(Ev* e, const std::string& k) {
  std::erase_if(*e, [&](const auto& p) { return p.first == k; });
}

std::string Line(const Ev& e) {
  std::string s = "{";
  for (const auto& [k, v] : e) {
    if (s.size() > 1) s += ",";
    s += Q(k) + ":" + v;
  }
  return s + "}";
}

const std::string kKey = Q("20260105T100000.000");

Ev Head(const std::string& roe, const std::string& type) {
  return {{"actionType", Q("NEW")}, {"firmROEID", Q("20260105_" + roe)}, {"type", Q(type)}};
}

Ev Meno() {
  Ev e = Head("1", "MENO");
  Ev rest = {{"orderKeyDate", kKey}, {"orderID", Q("O1")}, {"symbol", Q("XYZ")}, {"eventTimestamp", kKey},
             {"manualFlag", "false"}, {"electronicDupFlag", "false"}, {"deptType", Q("A")},
             {"solicitationFlag", "false"}, {"side", Q("B")}, {"price", "10.5"}, {"quantity", "1000"},
             {"orderType", Q("LMT")}, {"timeInForce", "{\"DAY\":20260105}"}, {"tradingSession", Q("REG")},
             {"custDspIntrFlag", "false"}, {"firmDesignatedID", Q("FDID1")}, {"accountHolderType", Q("I")},
             {"affiliateFlag", "false"}, {"negotiatedTradeFlag", "false"}, {"representativeInd", Q("N")}};
  e.insert(e.end(), rest.begin(), rest.end());
  return e;
}

Ev Meor() {
  Ev e = Head("2", "MEOR");
  Ev rest = {{"orderKeyDate", kKey}, {"orderID", Q("O1")}, {"symbol", Q("XYZ")},
             {"eventTimestamp", Q("20260105T100001.000")}, {"manualFlag", "false"}, {"electronicDupFlag", "false"},
             {"senderIMID", Q("123:FIRM")}, {"destination", Q("456:BRKB")}, {"destinationType", Q("F")},
             {"routedOrderID", Q("R1")}, {"side", Q("B")}, {"price", "10.5"}, {"quantity", "500"},
             {"orderType", Q("LMT")}, {"timeInForce", "{\"DAY\":20260105}"}, {"tradingSession", Q("REG")},
             {"affiliateFlag", "false"}, {"isoInd", Q("NA")}, {"handlingInstructions", "{\"RAR\":true}"},
             {"routeRejectedFlag", "false"}, {"dupROIDCond", "false"}, {"multiLegInd", "false"}};
  e.insert(e.end(), rest.begin(), rest.end());
  return e;
}

Ev Meoa() {  // reported by BRKB, in its own file
  Ev e = Head("1", "MEOA");
  Ev rest = {{"orderKeyDate", Q("20260105T100001.500")}, {"orderID", Q("B1")}, {"symbol", Q("XYZ")},
             {"eventTimestamp", Q("20260105T100001.500")}, {"manualFlag", "false"}, {"electronicDupFlag", "false"},
             {"receiverIMID", Q("456:BRKB")}, {"senderIMID", Q("123:FIRM")}, {"senderType", Q("F")},
             {"routedOrderID", Q("0R1")}, {"deptType", Q("T")}, {"side", Q("B")}, {"price", "10.5"},
             {"quantity", "500"}, {"orderType", Q("LMT")}, {"timeInForce", "{\"DAY\":20260105}"},
             {"tradingSession", Q("REG")}, {"affiliateFlag", "false"}, {"isoInd", Q("NA")},
             {"handlingInstructions", "{\"RAR\":true}"}, {"custDspIntrFlag", "false"}, {"representativeInd", Q("N")}};
  e.insert(e.end(), rest.begin(), rest.end());
  return e;
}

Ev Meoc() {
  Ev e = Head("3", "MEOC");
  Ev rest = {{"orderKeyDate", kKey}, {"orderID", Q("O1")}, {"symbol", Q("XYZ")},
             {"eventTimestamp", Q("20260105T100005.000")}, {"manualFlag", "false"}, {"cancelQty", "500"},
             {"leavesQty", "0"}, {"initiator", Q("C")}};
  e.insert(e.end(), rest.begin(), rest.end());
  return e;
}

Ev Meot() {
  Ev e = Head("4", "MEOT");
  Ev rest = {{"tradeKeyDate", Q("20260105T100002.000")}, {"tradeID", Q("T1")}, {"symbol", Q("XYZ")},
             {"eventTimestamp", Q("20260105T100002.000")}, {"manualFlag", "false"}, {"cancelFlag", "false"},
             {"quantity", "200"}, {"price", "10.49"}, {"capacity", Q("P")}, {"tapeTradeID", Q("TT1")},
             {"marketCenterID", Q("L")}, {"sideDetailsInd", Q("NA")},
             {"buyDetails", "[{\"orderKeyDate\":" + kKey + ",\"orderID\":\"O1\",\"side\":\"B\"}]"},
             {"sellDetails", "[{\"side\":\"SL\",\"firmDesignatedID\":\"PROP1\",\"accountHolderType\":\"P\"}]"},
             {"multiLegInd", "false"}};
  e.insert(e.end(), rest.begin(), rest.end());
  return e;
}

Ev Mepa() {
  Ev e = Head("5", "MEPA");
  Ev rest = {{"allocationKeyDate", Q("20260105T160000")}, {"allocationID", Q("A1")}, {"symbol", Q("XYZ")},
             {"eventTimestamp", Q("20260105T160000")}, {"cancelFlag", "false"}, {"quantity", "200"},
             {"price", "10.49"}, {"side", Q("B")}, {"firmDesignatedID", Q("FDID1")}, {"institutionFlag", "false"},
             {"tradeDate", "20260105"}, {"allocationType", Q("CUS")}, {"accountHolderType", Q("I")}};
  e.insert(e.end(), rest.begin(), rest.end());
  return e;
}

Ev Meaa() {
  Ev e = Head("6", "MEAA");
  Ev rest = {{"allocationKeyDate", Q("20260105T161000")}, {"allocationID", Q("A2")},
             {"priorAllocationKeyDate", Q("20260105T160000")}, {"priorAllocationID", Q("A1")}, {"symbol", Q("XYZ")},
             {"eventTimestamp", Q("20260105T161000")}, {"quantity", "200"}, {"price", "10.49"}, {"side", Q("B")},
             {"firmDesignatedID", Q("FDID1")}, {"institutionFlag", "false"}, {"tradeDate", "20260105"},
             {"allocationType", Q("CUS")}, {"cancelFlag", "false"}, {"accountHolderType", Q("I")}};
  e.insert(e.end(), rest.begin(), rest.end());
  return e;
}

struct Day {
  std::vector<Ev> firm = {Meno(), Meor(), Meot(), Meoc(), Mepa(), Meaa()};
  std::vector<Ev> brkb = {Meoa()};
};

class Linkage : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Catalogue> c = Catalogue::Load(Catalogue::DefaultPath(caisson::testing::DataDir()));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalogue_ = std::make_unique<Catalogue>(std::move(c.value()));
    dir_ = caisson::testing::TempDir();
    options_.rules = LinkageRulesPath(caisson::testing::DataDir());
  }
  std::filesystem::path Write(const std::string& name, const std::vector<Ev>& events) {
    std::ofstream out(dir_ / name, std::ios::binary);
    for (const Ev& e : events) out << Line(e) << "\n";
    return dir_ / name;
  }
  // The linkage findings (reader findings are the reader's tests' business), as "code@line" strings.
  std::vector<std::string> Check(const Day& d, const std::string& date = "20260105") {
    std::vector<std::filesystem::path> files = {Write("12345_FIRM_" + date + "_OrderEvents_000001.json", d.firm)};
    if (!d.brkb.empty()) files.push_back(Write("12345_BRKB_" + date + "_OrderEvents_000001.json", d.brkb));
    std::vector<Finding> findings;
    summary_ = LinkageSummary();
    Status s = CheckLinkage(*catalogue_, files, options_, &findings, &summary_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::vector<std::string> out;
    for (const Finding& f : findings) {
      if (f.rule.rfind("linkage.", 0) == 0) out.push_back(f.cais_code + "@" + f.file.substr(6, 4) + ":" + std::to_string(f.line));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  using V = std::vector<std::string>;
  std::unique_ptr<Catalogue> catalogue_;
  std::filesystem::path dir_;
  LinkageOptions options_;
  LinkageSummary summary_;
};

TEST_F(Linkage, ACleanDayHasNoFinding) {
  EXPECT_EQ(Check(Day()), V{});
  EXPECT_EQ(summary_.events, 7);
  EXPECT_EQ(summary_.keys, 5);  // O1, T1, A1, A2 (new key), B1
}

TEST_F(Linkage, FirmRoeIdFormatAndDate) {
  Day d;
  Set(&d.firm[3], "firmROEID", Q("20260105-3"));
  Set(&d.firm[5], "firmROEID", Q("20260106_6"));
  EXPECT_EQ(Check(d), (V{"2032@FIRM:4", "2033@FIRM:6"}));
}

// An event CAT rejects at ingestion takes no part in linkage: what references it does not link [§7.4-§7.5].
TEST_F(Linkage, AnEventRejectedAtIngestionAssignsNoKey) {
  Day d;
  Set(&d.firm[0], "firmROEID", Q("20260105-1"));
  EXPECT_EQ(Check(d), (V{"2032@FIRM:1", "3501@FIRM:2", "3501@FIRM:4", "3502@FIRM:3"}));
}

TEST_F(Linkage, DuplicateFirmRoeIdRejectsEveryCarrier) {
  Day d;
  Set(&d.firm[3], "firmROEID", Q("20260105_2"));
  EXPECT_EQ(Check(d), (V{"3002@FIRM:2", "3002@FIRM:4"}));
}

TEST_F(Linkage, DuplicateOrderKeyRejectsEveryCarrier) {
  Day d;
  Ev again = Meno();
  Set(&again, "firmROEID", Q("20260105_9"));
  d.firm.push_back(again);
  // The route and the cancel carry the key too: CAT rejects them as well.
  EXPECT_EQ(Check(d), (V{"3004@FIRM:1", "3004@FIRM:2", "3004@FIRM:4", "3004@FIRM:7"}));
}

TEST_F(Linkage, SecondaryKeyMustResolve) {
  Day d;
  Set(&d.firm[3], "orderID", Q("O9"));
  EXPECT_EQ(Check(d), (V{"3501@FIRM:4"}));
}

TEST_F(Linkage, KeyDatesCompareAsTimestampsNotText) {
  Day d;
  Set(&d.firm[3], "orderKeyDate", Q("20260105 100000"));  // same instant, other spelling [Table 3]
  EXPECT_EQ(Check(d), V{});
}

TEST_F(Linkage, TradeSideDetailsOrderMustResolve) {
  Day d;
  Set(&d.firm[2], "buyDetails", "[{\"orderKeyDate\":" + kKey + ",\"orderID\":\"O9\",\"side\":\"B\"}]");
  EXPECT_EQ(Check(d), (V{"3502@FIRM:3"}));
}

TEST_F(Linkage, SecondaryBeforeItsPrimaryIsOutOfSequence) {
  Day d;
  Set(&d.firm[3], "eventTimestamp", Q("20260105T095959.900"));  // 100 ms before the MENO
  EXPECT_EQ(Check(d), (V{"3601@FIRM:4"}));
  Set(&d.firm[3], "eventTimestamp", Q("20260105T095959.960"));  // within the 50 ms drift
  EXPECT_EQ(Check(d), V{});
}

TEST_F(Linkage, SupplementAtItsParentsMillisecond) {
  Day d;
  Ev menos = Head("7", "MENOS");
  Ev rest = {{"orderKeyDate", kKey}, {"orderID", Q("O1")}, {"symbol", Q("XYZ")},
             {"eventTimestamp", Q("20260105T100000.000400")}, {"firmDesignatedID", Q("FDID1")}};
  menos.insert(menos.end(), rest.begin(), rest.end());
  d.firm.push_back(menos);
  EXPECT_EQ(Check(d), V{});  // same millisecond
  Set(&d.firm.back(), "eventTimestamp", Q("20260105T100000.001"));
  EXPECT_EQ(Check(d), (V{"3602@FIRM:7"}));
  // A supplement with 'PENDING' is rejected at ingestion (2270, reported by txn reconcile): no linkage finding,
  // not even for a parent that does not exist.
  Set(&d.firm.back(), "firmDesignatedID", Q("PENDING"));
  Set(&d.firm.back(), "orderID", Q("O9"));
  EXPECT_EQ(Check(d), V{});
}

TEST_F(Linkage, DuplicateRouteKeyAfterStrippingLeadingZeros) {
  Day d;
  Ev again = Meor();
  Set(&again, "firmROEID", Q("20260105_8"));
  Set(&again, "routedOrderID", Q("00R1"));
  d.firm.push_back(again);
  // Both routes unlinked by CAT (8013); BRKB's one accept still matches the key.
  EXPECT_EQ(Check(d), (V{"8013@FIRM:2", "8013@FIRM:7"}));
}

TEST_F(Linkage, DuplicateAcceptKey) {
  Day d;
  Ev again = Meoa();
  Set(&again, "firmROEID", Q("20260105_2"));
  Set(&again, "orderID", Q("B2"));
  d.brkb.push_back(again);
  EXPECT_EQ(Check(d), (V{"9013@BRKB:1", "9013@BRKB:2"}));
}

TEST_F(Linkage, RouteFieldsToAnExchange) {
  Day d;
  Set(&d.firm[1], "destinationType", Q("E"));
  Set(&d.firm[1], "destination", Q("NSDQ"));
  d.brkb.clear();
  EXPECT_EQ(Check(d), (V{"2093@FIRM:2"}));  // session required
  Set(&d.firm[1], "session", Q("0042"));
  EXPECT_EQ(Check(d), V{});
  Ev again = Meor();
  Set(&again, "firmROEID", Q("20260105_8"));
  Set(&again, "destinationType", Q("E"));
  Set(&again, "destination", Q("NSDQ"));
  Set(&again, "session", Q("42"));  // same key once zeros are stripped from the session
  d.firm.push_back(again);
  EXPECT_EQ(Check(d), (V{"6013@FIRM:2", "6013@FIRM:7"}));
}

TEST_F(Linkage, RouteIdentifiers) {
  Day d;
  Erase(&d.firm[1], "routedOrderID");
  EXPECT_EQ(Check(d), (V{"2086@FIRM:2", "9003@BRKB:1"}));
  d = Day();
  Set(&d.firm[1], "destination", Q("123:FIRM"));
  d.brkb.clear();
  EXPECT_EQ(Check(d), (V{"2189@FIRM:2"}));  // rejected at ingestion: no 8003 although FIRM is in the input
  d = Day();
  Set(&d.firm[1], "senderIMID", Q("FIRM"));
  Set(&d.brkb[0], "senderIMID", Q("FIRM"));
  EXPECT_EQ(Check(d), (V{"2091@BRKB:1", "2091@FIRM:2"}));
}

TEST_F(Linkage, BothSidesInTheInputMustLink) {
  Day d;
  Set(&d.brkb[0], "routedOrderID", Q("R2"));
  EXPECT_EQ(Check(d), (V{"8003@FIRM:2", "9003@BRKB:1"}));
  Set(&d.firm[1], "routeRejectedFlag", "true");  // a rejected route links to nothing [§2.6.3.5]
  EXPECT_EQ(Check(d), (V{"9003@BRKB:1"}));
}

// With the same routedOrderID on both sides, CAT names the field that differs [App. E Tables 184-185 wording].
TEST_F(Linkage, UnlinkedRouteNamesTheFieldThatDiffers) {
  Day d;
  Set(&d.brkb[0], "symbol", Q("XYZ2"));
  EXPECT_EQ(Check(d), (V{"8009@FIRM:2", "9009@BRKB:1"}));
  Set(&d.brkb[0], "senderIMID", Q("123:FIRMZ"));
  EXPECT_EQ(Check(d), (V{"8011@FIRM:2", "9011@BRKB:1"}));
  d = Day();
  Set(&d.brkb[0], "senderIMID", Q("123:FIRMZ"));
  EXPECT_EQ(Check(d), (V{"8005@FIRM:2", "9005@BRKB:1"}));
  d = Day();
  Set(&d.firm[1], "destination", Q("456:BRKC"));  // a typo: BRKC is not in the input, yet the accept is
  EXPECT_EQ(Check(d), (V{"8007@FIRM:2", "9007@BRKB:1"}));
}

TEST_F(Linkage, RepresentativeOrderNeedsItsAggregatedOrders) {
  Day d;
  Ev rep = Meno();
  Set(&rep, "firmROEID", Q("20260105_7"));
  Set(&rep, "orderID", Q("O3"));
  Set(&rep, "representativeInd", Q("Y"));
  d.firm.push_back(rep);
  EXPECT_EQ(Check(d), (V{"2142@FIRM:7"}));
  Set(&d.firm.back(), "aggregatedOrders", "[{\"orderID\":\"O1\",\"orderKeyDate\":" + kKey + "}]");
  EXPECT_EQ(Check(d), V{});
  Set(&d.firm.back(), "aggregatedOrders", "[{\"orderID\":\"O9\",\"orderKeyDate\":" + kKey + "}]");
  EXPECT_EQ(Check(d), (V{"3504@FIRM:7"}));  // the represented order is not found
  Set(&d.firm.back(), "representativeInd", Q("N"));
  EXPECT_EQ(Check(d), (V{"2142@FIRM:7"}));  // N with aggregatedOrders
}

TEST_F(Linkage, FulfillmentLinkTypeAgreesWithFirmDetails) {
  Day d;
  Ev meof = Head("7", "MEOF");
  Ev rest = {{"fillKeyDate", Q("20260105T100003.000")}, {"fulfillmentID", Q("F1")}, {"symbol", Q("XYZ")},
             {"eventTimestamp", Q("20260105T100003.000")}, {"manualFlag", "false"}, {"fulfillmentLinkType", Q("YE")},
             {"cancelFlag", "false"}, {"quantity", "100"}, {"price", "10.5"}, {"capacity", Q("R")},
             {"clientDetails", "[{\"orderKeyDate\":" + kKey + ",\"orderID\":\"O1\",\"side\":\"B\"}]"},
             {"firmDetails", "[{\"side\":\"SL\",\"firmDesignatedID\":\"PROP1\",\"accountHolderType\":\"P\"}]"}};
  meof.insert(meof.end(), rest.begin(), rest.end());
  d.firm.push_back(meof);
  EXPECT_EQ(Check(d), V{});
  Set(&d.firm.back(), "fulfillmentLinkType", Q("Y"));  // Y needs the representative order's orderID
  EXPECT_EQ(Check(d), (V{"2145@FIRM:7"}));
  Set(&d.firm.back(), "fulfillmentLinkType", Q("YE"));
  Set(&d.firm.back(), "clientDetails", "[{\"orderKeyDate\":" + kKey + ",\"orderID\":\"O9\",\"side\":\"B\"}]");
  EXPECT_EQ(Check(d), (V{"3503@FIRM:7"}));
}

TEST_F(Linkage, AmendedAllocationResolvesItsPriorKey) {
  Day d;
  Set(&d.firm[5], "priorAllocationID", Q("A9"));
  EXPECT_EQ(Check(d), (V{"3501@FIRM:6"}));
  Set(&d.firm[5], "priorAllocationID", Q("A2"));  // its own key as prior
  Set(&d.firm[5], "priorAllocationKeyDate", Q("20260105T161000"));
  EXPECT_EQ(Check(d), (V{"2190@FIRM:6"}));
  d = Day();
  Ev again = Mepa();
  Set(&again, "firmROEID", Q("20260105_9"));
  d.firm.push_back(again);
  EXPECT_EQ(Check(d), (V{"3020@FIRM:5", "3020@FIRM:6", "3020@FIRM:7"}));  // the MEAA's prior key too
}

TEST_F(Linkage, MultiDayStoreResolvesAGoodTillCancelOrderTheNextDay) {
  options_.store = dir_ / "orders.db";
  Day d1;
  Set(&d1.firm[0], "timeInForce", "{\"GTC\":true}");
  d1.firm.erase(d1.firm.begin() + 3);  // not cancelled: still open tonight
  d1.brkb.clear();
  ASSERT_EQ(Check(d1), V{});  // BRKB is not in the input: its side of the route is not checked
  EXPECT_GE(summary_.stored, 1);
  // Next day: only the cancel of yesterday's order.
  Day d2;
  Ev cancel = Meoc();
  Set(&cancel, "firmROEID", Q("20260106_1"));
  Set(&cancel, "eventTimestamp", Q("20260106T100000.000"));
  d2.firm = {cancel};
  d2.brkb.clear();
  EXPECT_EQ(Check(d2, "20260106"), V{});
  EXPECT_EQ(summary_.resolved_from_store, 1);
  // Without the store the same event cannot resolve.
  options_.store.clear();
  EXPECT_EQ(Check(d2, "20260106"), (V{"3501@FIRM:1"}));
  // The cancel closed the order: a third day no longer finds it.
  options_.store = dir_ / "orders.db";
  EXPECT_EQ(Check(d2, "20260106"), V{});  // a re-run of day 2 still finds it: closed only from day 3
  Set(&d2.firm[0], "firmROEID", Q("20260107_1"));
  Set(&d2.firm[0], "eventTimestamp", Q("20260107T100000.000"));
  EXPECT_EQ(Check(d2, "20260107"), (V{"3501@FIRM:1"}));
}

TEST_F(Linkage, PriorDayDuplicateOrderKeyFromTheStore) {
  options_.store = dir_ / "orders.db";
  Day d1;
  Set(&d1.firm[0], "timeInForce", "{\"GTC\":true}");
  d1.firm.resize(1);
  d1.brkb.clear();
  ASSERT_EQ(Check(d1), V{});
  Day d2;
  Ev again = Meno();
  Set(&again, "firmROEID", Q("20260106_1"));
  Set(&again, "eventTimestamp", Q("20260106T100000.000"));  // same Order Key (orderKeyDate of 5 Jan)
  d2.firm = {again};
  d2.brkb.clear();
  EXPECT_EQ(Check(d2, "20260106"), (V{"3007@FIRM:1"}));
}

// Every kind of defect planted at once in one day of two reporters: the checker finds exactly these, and the
// clean events around them stay clean (a planted-defect fixture of our own; docs/linkage.md).
TEST_F(Linkage, FindsExactlyThePlantedDefectsOfADay) {
  Day d;
  auto add = [&](Ev e, const std::string& roe) {
    Set(&e, "firmROEID", Q("20260105_" + roe));
    d.firm.push_back(std::move(e));
  };
  // Clean second order O2 with its own route R5 to BRKB, accepted.
  Ev o2 = Meno();
  Set(&o2, "orderID", Q("O2"));
  add(o2, "20");                                                     // line 7
  Ev r5 = Meor();
  Set(&r5, "orderID", Q("O2"));
  Set(&r5, "routedOrderID", Q("R5"));
  add(r5, "21");                                                     // line 8
  Ev a5 = Meoa();
  Set(&a5, "firmROEID", Q("20260105_5"));
  Set(&a5, "orderID", Q("B5"));
  Set(&a5, "routedOrderID", Q("R5"));
  d.brkb.push_back(a5);                                              // BRKB line 2
  // Planted:
  Ev c9 = Meoc();
  Set(&c9, "orderID", Q("O9"));
  add(c9, "30");                                                     // line 9: 3501
  Ev early = Meoc();
  Set(&early, "eventTimestamp", Q("20260105T095900.000"));
  add(early, "31");                                                  // line 10: 3601
  Ev badroe = Meoc();
  Set(&badroe, "orderID", Q("O2"));
  Set(&badroe, "eventTimestamp", Q("20260105T100010.000"));
  Set(&badroe, "firmROEID", Q("20260104_32"));
  d.firm.push_back(badroe);                                          // line 11: 2033
  Ev dupkey = Meno();
  Set(&dupkey, "orderID", Q("O2"));
  add(dupkey, "33");                                                 // line 12: 3004 (with line 7)
  Ev side = Meot();
  Set(&side, "tradeID", Q("T2"));
  Set(&side, "sellDetails", "[{\"orderKeyDate\":" + kKey + ",\"orderID\":\"O8\",\"side\":\"SL\"}]");
  add(side, "34");                                                   // line 13: 3502
  Ev noroute = Meor();
  Set(&noroute, "routedOrderID", Q("R7"));
  add(noroute, "35");                                                // line 14: 8003 (BRKB never accepted R7)
  Ev exch = Meor();
  Set(&exch, "destinationType", Q("E"));
  Set(&exch, "destination", Q("NSDQ"));
  Set(&exch, "routedOrderID", Q("X1"));
  add(exch, "36");                                                   // line 15: 2093
  Ev rep = Meno();
  Set(&rep, "orderID", Q("O3"));
  Set(&rep, "representativeInd", Q("YE"));
  Set(&rep, "aggregatedOrders", "[{\"orderID\":\"O1\",\"orderKeyDate\":" + kKey + "}]");
  add(rep, "37");                                                    // line 16: 2142
  Ev amend = Meaa();
  Set(&amend, "allocationID", Q("A3"));
  Set(&amend, "priorAllocationID", Q("A8"));
  add(amend, "38");                                                  // line 17: 3501
  Ev dupack = Meoa();
  Set(&dupack, "firmROEID", Q("20260105_6"));
  Set(&dupack, "orderID", Q("B6"));
  Set(&dupack, "routedOrderID", Q("000R5"));
  d.brkb.push_back(dupack);                                          // BRKB line 3: 9013 (with line 2)
  Set(&d.firm[3], "firmROEID", Q("20260105_1"));                     // line 4: 3002 (with line 1)
  EXPECT_EQ(Check(d), (V{"2033@FIRM:11", "2093@FIRM:15", "2142@FIRM:16", "3002@FIRM:1", "3002@FIRM:4",
                         "3004@FIRM:12", "3004@FIRM:7", "3004@FIRM:8", "3501@FIRM:17", "3501@FIRM:9", "3502@FIRM:13",
                         "3601@FIRM:10", "8003@FIRM:14", "9013@BRKB:2", "9013@BRKB:3"}));
}

}  // namespace
}  // namespace caisson::txn
