// The order-event reader: every kind of bad input is a finding with file, line and field, and the other
// lines are still read [§6.1.2].
#include <bzlib.h>
#include <unistd.h>

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

constexpr char kName[] = "123456_ABCD_20260302_OrderEvents_000001.json";

// A MENO with every required field of Table 16 (Booleans may be left out: absent reads as false).
std::string Meno(std::string_view order_id, std::string_view fdid = "FDID1",
                 std::string_view ts = "20260302T093000.123") {
  return std::string(R"({"actionType":"NEW","firmROEID":"20260302_1","type":"MENO","orderKeyDate":")") +
         std::string(ts) + R"(","orderID":")" + std::string(order_id) +
         R"(","symbol":"XYZ","eventTimestamp":")" + std::string(ts) +
         R"(","manualFlag":false,"deptType":"A","side":"B","price":10.01,"quantity":500,"orderType":"LMT",)"
         R"("timeInForce":{"DAY":20260302},"tradingSession":"REG","custDspIntrFlag":false,)"
         R"("firmDesignatedID":")" + std::string(fdid) +
         R"(","accountHolderType":"I","affiliateFlag":false,"negotiatedTradeFlag":false,"representativeInd":"N"})";
}

std::filesystem::path Write(const std::filesystem::path& dir, std::string_view name, std::string_view text) {
  const auto p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

struct Read {
  std::vector<std::string> types;
  std::vector<uint64_t> lines;
  std::vector<Finding> findings;
};

Read ReadAll(const std::filesystem::path& p) {
  Read r;
  EventReader reader(Cat(), ReaderOptions{});
  Status s = reader.Open(p, &r.findings);
  EXPECT_TRUE(s.ok()) << s.ToString();
  const Event* ev = nullptr;
  while (reader.Next(&ev)) {
    r.types.emplace_back(ev->type());
    r.lines.push_back(ev->line());
  }
  return r;
}

std::string Rules(const std::vector<Finding>& fs) {
  std::string out;
  for (const auto& f : fs) out += f.rule + "@" + std::to_string(f.line) + ":" + f.field + "/" + f.cais_code + " ";
  return out;
}

TEST(Catalogue, HoldsTheSpecTables) {
  const TypeSpec* meno = Cat().Find("MENO");
  ASSERT_NE(meno, nullptr);
  EXPECT_EQ(meno->table, 16);
  ASSERT_EQ(meno->fields.size(), 47u);
  const int fdid = meno->FieldIndex("firmDesignatedID");
  ASSERT_EQ(fdid, 26);  // Seq 27 [Table 16]
  EXPECT_EQ(meno->fields[26].key, 'R');
  EXPECT_EQ(meno->fields[26].type, "Text (40)");
  ASSERT_EQ(meno->fdid.size(), 1u);
  EXPECT_EQ(meno->fdid[0].missing_code, 3701);
  EXPECT_EQ(meno->fdid[0].invalid_code, 3702);
  // MEOA carries no FDID [Table 24].
  const TypeSpec* meoa = Cat().Find("MEOA");
  ASSERT_NE(meoa, nullptr);
  EXPECT_EQ(meoa->FieldIndex("firmDesignatedID"), -1);
  EXPECT_TRUE(meoa->fdid.empty());
  // Allocations: firmDesignatedID on both dates, newOrderFDID on tradeDate unless another correspondent.
  const TypeSpec* mepa = Cat().Find("MEPA");
  ASSERT_NE(mepa, nullptr);
  ASSERT_EQ(mepa->fdid.size(), 2u);
  EXPECT_TRUE(mepa->fdid[0].on_event_date && mepa->fdid[0].on_trade_date);
  EXPECT_EQ(mepa->fdid[1].field, "newOrderFDID");
  EXPECT_EQ(mepa->fdid[1].missing_code, 3709);
  EXPECT_FALSE(mepa->fdid[1].on_event_date);
  EXPECT_TRUE(mepa->fdid[1].unless_other_correspondent);
  EXPECT_EQ(mepa->fields[static_cast<size_t>(mepa->FieldIndex("tradeDate"))].json, JsonKind::kNumber);
  const TypeSpec* meot = Cat().Find("MEOT");
  ASSERT_EQ(meot->fdid.size(), 2u);
  EXPECT_EQ(meot->fdid[0].object, "buyDetails");
  EXPECT_EQ(meot->fdid[1].missing_code, 3705);
  EXPECT_EQ(Cat().types().size(), 99u);  // every message type of Tables 15, 60, 61
  EXPECT_EQ(Cat().max_line_bytes(), 8190u);
  EXPECT_EQ(Cat().pending_value(), "PENDING");
  EXPECT_TRUE(Cat().IsChoice("accountHolderType", "O"));
  EXPECT_FALSE(Cat().IsChoice("accountHolderType", "Z"));
}

TEST(Catalogue, RejectsAnFdidPathThatNamesNoField) {
  auto c = Catalogue::Parse(
      R"({"profile":"p","max_line_bytes":10,"pending_value":"PENDING","pending_code":3711,"choices":{},)"
      R"("types":{"MEOA":{"name":"x","table":1,"fields":[{"seq":1,"name":"type","type":"Message Type",)"
      R"("json":"string","key":"R"}],"fdid":[{"path":"firmDesignatedID","missing_code":3701,)"
      R"("invalid_code":3702,"dates":["event"]}]}}})",
      "t.json");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("names no field"), std::string::npos) << c.status().ToString();
}

TEST(Timestamp, StringAndNumberForms) {
  Timestamp t;
  ASSERT_TRUE(ParseTimestamp("20190617T000120", true, &t));
  EXPECT_EQ(t.date, 20190617);
  EXPECT_EQ(t.nanos, 80'000'000'000LL);
  ASSERT_TRUE(ParseTimestamp("20170107 213000.123456789", true, &t));
  EXPECT_EQ(t.nanos, (21 * 3600 + 30 * 60) * 1'000'000'000LL + 123456789);
  EXPECT_EQ(t.fraction_digits, 9);
  ASSERT_TRUE(ParseTimestamp("20190617T000120.000", true, &t));
  EXPECT_EQ(t.fraction_digits, 3);
  EXPECT_FALSE(ParseTimestamp("20190617T0120", true, &t));
  EXPECT_FALSE(ParseTimestamp("20190617T000120.", true, &t));
  EXPECT_FALSE(ParseTimestamp("20190230T000120", true, &t));   // 30 February
  EXPECT_FALSE(ParseTimestamp("20190617T240000", true, &t));
  EXPECT_FALSE(ParseTimestamp("20190617X000120", true, &t));
  // 1483842600123456789 ns UTC = 2017-01-08 02:30:00.123456789 UTC = 2017-01-07 21:30 EST: the Event Date
  // is the ET date.
  ASSERT_TRUE(ParseTimestamp("1483842600123456789", false, &t));
  EXPECT_EQ(t.date, 20170107);
  EXPECT_EQ(t.nanos, (21 * 3600 + 30 * 60) * 1'000'000'000LL + 123456789);
  // Summer: UTC-4. 2026-07-01 03:00 UTC = 2026-06-30 23:00 EDT.
  ASSERT_TRUE(ParseTimestamp("1782874800000000000", false, &t));
  EXPECT_EQ(t.date, 20260630);
  EXPECT_EQ(t.nanos, 23LL * 3600 * 1'000'000'000LL);
  EXPECT_FALSE(ParseTimestamp("-5", false, &t));
  EXPECT_FALSE(ParseTimestamp("1.5", false, &t));
}

TEST(FileName, ParsesAndFormats) {
  auto f = ParseFileName("SUBID_MYID_20170101_FileGroup1_OrderEvents_000123.json.bz2");
  EXPECT_FALSE(f.ok());  // the Submitter ID must be digits
  f = ParseFileName("1234_MYID_20170101_FileGroup1_OrderEvents_000123.json.bz2");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->reporter_imid, "MYID");
  EXPECT_EQ(f->group, "FileGroup1");
  EXPECT_EQ(f->file_number, 123);
  EXPECT_TRUE(f->bz2);
  EXPECT_EQ(FormatFileName(*f), "1234_MYID_20170101_FileGroup1_OrderEvents_000123.json.bz2");
  f = ParseFileName("1234_MYID_20190207_OrderEvents_000002.DEL.json.bz2");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->is_delete);
  EXPECT_FALSE(ParseFileName("1234_MYID_20170101_OrderEvents_123.json").ok());
  EXPECT_FALSE(ParseFileName("1234_MYID_20170101_OrderEvents_000123.csv.bz2").ok());
  EXPECT_FALSE(ParseFileName("1234_TOOLONGID_20170101_OrderEvents_000123.json").ok());
  EXPECT_FALSE(ParseFileName("1234_MYID_20171301_OrderEvents_000123.json").ok());
}

TEST(Reader, ReadsGoodEventsAndExposesFields) {
  const auto dir = testing::TempDir();
  std::string escaped = Meno("O2", "PENDING");
  escaped.replace(escaped.find("\"symbol\":\"XYZ\""), 14, "\"sym\\u0062ol\":\"X\\\\Z\"");
  const auto p = Write(dir, kName, Meno("O1") + "\n" + escaped + "\n");
  EventReader reader(Cat(), ReaderOptions{});
  std::vector<Finding> findings;
  ASSERT_OK(reader.Open(p, &findings));
  const Event* ev = nullptr;
  ASSERT_TRUE(reader.Next(&ev));
  EXPECT_EQ(ev->type(), "MENO");
  EXPECT_EQ(ev->line(), 1u);
  EXPECT_EQ(ev->event_date(), 20260302);
  EXPECT_EQ(ev->Get("orderID"), "O1");
  EXPECT_EQ(ev->Get("price"), "10.01");
  EXPECT_EQ(ev->Get("manualFlag"), "false");
  EXPECT_EQ(ev->Get("timeInForce"), R"({"DAY":20260302})");
  const Field* day = ev->FindNested("timeInForce", "DAY");
  ASSERT_NE(day, nullptr);
  EXPECT_EQ(day->value, "20260302");
  EXPECT_EQ(ev->Get("routedOrderID"), "");
  const Field* by_index = ev->FieldAt(ev->spec()->FieldIndex("firmDesignatedID"));
  ASSERT_NE(by_index, nullptr);
  EXPECT_EQ(by_index->value, "FDID1");
  EXPECT_EQ(ev->FieldAt(ev->spec()->FieldIndex("routedOrderID")), nullptr);  // not a MENO field
  EXPECT_EQ(ev->FieldAt(ev->spec()->FieldIndex("RFQID")), nullptr);          // a MENO field, absent
  ASSERT_TRUE(reader.Next(&ev));
  EXPECT_EQ(ev->Get("firmDesignatedID"), "PENDING");
  EXPECT_EQ(ev->line(), 2u);
  // An escaped key and value are decoded: "sym\u0062ol" is symbol, "X\\Z" is X\Z.
  ASSERT_NE(ev->Find("symbol"), nullptr);
  EXPECT_EQ(ev->Get("symbol"), "X\\Z");
  EXPECT_TRUE(ev->Find("symbol")->escaped);
  EXPECT_FALSE(reader.Next(&ev));
  EXPECT_TRUE(findings.empty()) << Rules(findings);
  EXPECT_EQ(reader.file_name().reporter_imid, "ABCD");
}

TEST(Reader, NestedArraysOfObjects) {
  const auto dir = testing::TempDir();
  const std::string meot =
      R"({"actionType":"NEW","firmROEID":"20260302_9","type":"MEOT","tradeKeyDate":"20260302T100000",)"
      R"("tradeID":"T1","symbol":"XYZ","eventTimestamp":"20260302T100000.000","manualFlag":false,)"
      R"("cancelFlag":false,"quantity":100,"price":10,"capacity":"P","tapeTradeID":"X1","marketCenterID":"L",)"
      R"("sideDetailsInd":"BUY","buyDetails":[{"side":"B","firmDesignatedID":"PROP1","accountHolderType":"O"}],)"
      R"("sellDetails":[{"orderKeyDate":"20260302T090000","orderID":"O9","side":"SL"}],"multiLegInd":false})";
  const auto p = Write(dir, kName, meot + "\n");
  EventReader reader(Cat(), ReaderOptions{});
  std::vector<Finding> findings;
  ASSERT_OK(reader.Open(p, &findings));
  const Event* ev = nullptr;
  ASSERT_TRUE(reader.Next(&ev));
  const Field* f = ev->FindNested("buyDetails", "firmDesignatedID");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->value, "PROP1");
  EXPECT_EQ(ev->FindNested("sellDetails", "firmDesignatedID"), nullptr);
  EXPECT_EQ(ev->FindNested("sellDetails", "orderID")->value, "O9");
  EXPECT_EQ(ev->ElementCount("sellDetails"), 1);
  EXPECT_TRUE(findings.empty()) << Rules(findings);
}

TEST(Reader, EveryBadLineIsAFindingAndTheRestIsRead) {
  const auto dir = testing::TempDir();
  std::string text;
  text += Meno("O1") + "\n";                                             // 1 good
  text += "{\"actionType\":\"NEW\",\"type\":\n";                         // 2 not JSON
  text += "\n";                                                          // 3 empty
  text += std::string(R"({"actionType":"NEW","type":"MEXX"})") + "\n";   // 4 unknown type
  text += Meno("O2", "F", "20260302T0930") + "\n";                       // 5 bad timestamp
  std::string longline = Meno("O3");
  longline.insert(longline.size() - 1, ",\"pad\":\"" + std::string(8200, 'x') + "\"");
  text += longline + "\n";                                               // 6 over-long
  std::string no_symbol = Meno("O4");
  no_symbol.erase(no_symbol.find("\"symbol\":\"XYZ\","), 15);
  text += no_symbol + "\n";                                              // 7 missing required
  std::string extra = Meno("O5");
  extra.insert(extra.size() - 1, ",\"bogus\":1");
  text += extra + "\n";                                                  // 8 unknown field
  std::string wrong = Meno("O6");
  wrong.replace(wrong.find("\"quantity\":500"), 14, "\"quantity\":\"500\"");
  text += wrong + "\n";                                                  // 9 data type
  text += "[1,2]\n";                                                     // 10 not an object
  text += std::string(R"({"actionType":"DEL","firmROEID":"20260302_1"})") + "\n";  // 11 a record delete
  text += std::string(R"({"actionType":"DEL","firmROEID":"20260302_2"} {"x":1})") + "\n";  // 12 trailing
  text += Meno("O7");                                                    // 13 good, no final LF
  const auto p = Write(dir, kName, text);
  Read r = ReadAll(p);
  EXPECT_EQ(r.lines, (std::vector<uint64_t>{1, 5, 7, 8, 9, 11, 13}));
  EXPECT_EQ(Rules(r.findings),
            "event.json@2:/2134 event.json@3:/2134 event.type@4:type/ event.timestamp@5:orderKeyDate/2027 "
            "event.timestamp@5:eventTimestamp/2027 event.line_length@6:/2132 event.required@7:symbol/ "
            "event.unknown_field@8:bogus/2133 event.data_type@9:quantity/ event.json@10:/2134 event.json@12:/2134 ");
  for (const auto& f : r.findings) EXPECT_EQ(f.file, kName);
}

TEST(Reader, ReporterImidMustBeTheFileNames) {
  const auto dir = testing::TempDir();
  std::string own = Meno("O1"), other = Meno("O2");
  own.insert(own.find("\"orderKeyDate\""), "\"CATReporterIMID\":\"ABCD\",");
  other.insert(other.find("\"orderKeyDate\""), "\"CATReporterIMID\":\"WXYZ\",");
  const auto p = Write(dir, kName, own + "\n" + other + "\n");
  Read r = ReadAll(p);
  EXPECT_EQ(r.lines, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(Rules(r.findings), "event.reporter_imid@2:CATReporterIMID/2011 ");
}

TEST(Reader, OverLongLineAtTheEndWithoutLf) {
  const auto dir = testing::TempDir();
  const auto p = Write(dir, kName, Meno("O1") + "\n" + std::string(20000, ' '));
  Read r = ReadAll(p);
  EXPECT_EQ(r.lines, (std::vector<uint64_t>{1}));
  EXPECT_EQ(Rules(r.findings), "event.line_length@2:/2132 ");
}

TEST(Reader, ExactlyMaxBytesIsRead) {
  const auto dir = testing::TempDir();
  std::string line = Meno("O1");
  line.insert(line.size() - 1, ",\"RFQID\":\"\"");
  const size_t pad = 8190 - line.size();
  line.insert(line.size() - 2, std::string(pad, 'y'));  // grow the RFQID value to reach 8190 bytes
  ASSERT_EQ(line.size(), 8190u);
  std::string over = line;
  over.insert(over.size() - 2, "y");
  const auto p = Write(dir, kName, line + "\n" + over + "\n");
  Read r = ReadAll(p);
  EXPECT_EQ(r.lines, (std::vector<uint64_t>{1}));
  EXPECT_EQ(Rules(r.findings), "event.line_length@2:/2132 ");
}

TEST(Reader, LastLineEndsExactlyAtAPageBoundary) {
  // Plain files are mapped; a line whose padding would run past the mapping is parsed from a padded copy.
  const auto dir = testing::TempDir();
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  std::string first = Meno("O1"), last = Meno("O2");
  first.insert(first.size() - 1, ",\"RFQID\":\"\"");
  first.insert(first.size() - 2, std::string(2 * page - first.size() - 1 - last.size(), 'y'));
  const std::string text = first + "\n" + last;  // no final LF
  ASSERT_EQ(text.size(), 2 * page);
  for (const std::string& t : {text, text + "\n"}) {
    const auto p = Write(dir, kName, t);
    Read r = ReadAll(p);
    EXPECT_EQ(r.lines, (std::vector<uint64_t>{1, 2}));
    EXPECT_TRUE(r.findings.empty()) << Rules(r.findings);
  }
}

TEST(Reader, BadFileNameIsAFindingNotAStop) {
  const auto dir = testing::TempDir();
  const auto p = Write(dir, "events.json", Meno("O1") + "\n");
  Read r = ReadAll(p);
  EXPECT_EQ(r.lines.size(), 1u);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "event_file.name");
  EXPECT_EQ(r.findings[0].file, "events.json");
}

std::string Bz2(const std::string& text) {
  std::string out(text.size() + text.size() / 100 + 700, '\0');
  unsigned len = static_cast<unsigned>(out.size());
  EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &len, const_cast<char*>(text.data()),
                                     static_cast<unsigned>(text.size()), 9, 0, 0),
            BZ_OK);
  out.resize(len);
  return out;
}

TEST(Reader, Bzip2StreamsConcatenatedAndTruncated) {
  const auto dir = testing::TempDir();
  std::string text;
  for (int i = 0; i < 3000; ++i) text += Meno("O" + std::to_string(i)) + "\n";
  const std::string z = Bz2(text) + Bz2(Meno("LAST") + "\n");
  auto p = Write(dir, std::string(kName) + ".bz2", z);
  Read r = ReadAll(p);
  EXPECT_EQ(r.lines.size(), 3001u);
  EXPECT_TRUE(r.findings.empty()) << Rules(r.findings);
  p = Write(dir, "123456_ABCD_20260302_OrderEvents_000002.json.bz2", z.substr(0, z.size() / 2));
  r = ReadAll(p);
  EXPECT_LT(r.lines.size(), 3001u);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings.back().rule, "event_file.read");
  EXPECT_EQ(r.findings.back().cais_code, "2153");
  p = Write(dir, "123456_ABCD_20260302_OrderEvents_000003.json.bz2", "BZh9garbage");
  r = ReadAll(p);
  EXPECT_TRUE(r.lines.empty());
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "event_file.read");
}

TEST(Reader, Bzip2LargerThanTheDecompressionQueue) {
  // ~11 MB decompressed: more chunks than the decompression thread's queue holds, so chunks are reused.
  const auto dir = testing::TempDir();
  std::string text;
  for (int i = 0; i < 24000; ++i) text += Meno("O" + std::to_string(i)) + "\n";
  ASSERT_GT(text.size(), 10u << 20);
  const auto p = Write(dir, std::string(kName) + ".bz2", Bz2(text));
  EventReader reader(Cat(), ReaderOptions{});
  std::vector<Finding> findings;
  ASSERT_OK(reader.Open(p, &findings));
  const Event* ev = nullptr;
  int n = 0;
  std::string last;
  while (reader.Next(&ev)) {
    ASSERT_EQ(ev->Get("orderID"), "O" + std::to_string(n)) << "line " << ev->line();
    ++n;
  }
  EXPECT_EQ(n, 24000);
  EXPECT_EQ(reader.bytes_read(), text.size());
  EXPECT_TRUE(findings.empty()) << Rules(findings);
}

TEST(Reader, MissingFileIsNotFound) {
  EventReader reader(Cat(), ReaderOptions{});
  std::vector<Finding> findings;
  EXPECT_EQ(reader.Open("/nonexistent/x.json", &findings).code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace caisson::txn
