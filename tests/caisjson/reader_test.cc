// ReadDataFile / ReadTidFile: the §5.1.5 example pair (errata fixed, synthetic TIDs) and every parser finding.
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "testutil.h"

namespace caisson::caisjson {
namespace {

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ReaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto p = spec::LoadProfile(caisson::testing::DataDir(), "cais-2.2.0r4");
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    profile_ = new spec::Profile(std::move(p).value());
  }
  static void TearDownTestSuite() { delete profile_; }

  static std::string Example(const char* name) {
    return Slurp(caisson::testing::TestsDir() / "caisjson" / "testdata" / name);
  }
  std::vector<Finding> Data(std::string_view json) {
    std::vector<Finding> f;
    EXPECT_OK(ReadDataFile(*profile_, json, "1_2_20240102_CAIS_000001.json.bz2", 0, &books_, &f));
    return f;
  }
  std::vector<Finding> Tid(std::string_view json) {
    std::vector<Finding> f;
    EXPECT_OK(ReadTidFile(*profile_, json, "1_2_20240102_TIDS_000001.json.bz2", 1, &books_, &f));
    return f;
  }
  static std::string Codes(const std::vector<Finding>& fs) {
    std::string s;
    for (const Finding& f : fs) s += f.rule + ":" + f.cais_code + "@" + std::to_string(f.line) + " ";
    return s;
  }

  static spec::Profile* profile_;
  model::Books books_;
};
spec::Profile* ReaderTest::profile_ = nullptr;

// A small valid Data File with one FDID and one natural person; `fdid_extra` and `np_extra` go into the records.
std::string SmallData(std::string_view fdid_extra = "", std::string_view np_extra = "",
                      std::string_view main_extra = "") {
  std::string s = "{\"version\": \"2.0.0\", \"catReporterCRD\": 2, \"catSubmitterID\": 1,";
  s += main_extra;
  s += "\n\"fdidRecordCount\": 1, \"naturalPersonCustomerRecordCount\": 1, \"legalEntityCustomerRecordCount\": 0,\n";
  s += "\"fdidRecordList\": [\n{\"fdidRecordID\": 1, \"firmDesignatedID\": \"A1\", \"fdidType\": \"ACCOUNT\"";
  s += fdid_extra;
  s += ",\n \"fdidCustomerList\": [\n  {\"customerRecordID\": 7, \"role\": \"TRDHOLDER\", \"roleStartDate\": 20240101}]}\n],\n";
  s += "\"naturalPersonCustomerList\": [\n{\"customerRecordID\": 7, \"firstName\": \"ANN\"";
  s += np_extra;
  s += "}\n]}\n";
  return s;
}

TEST_F(ReaderTest, ExamplePairReadsIntoBooks) {
  std::string data = Example("example_data.json");
  std::vector<Finding> f = Data(data);
  EXPECT_TRUE(f.empty()) << Codes(f);
  ASSERT_EQ(books_.fdids.size(), 3u);
  ASSERT_EQ(books_.customers.size(), 4u);
  EXPECT_EQ(books_.cat_reporter_crd.value, 123456);
  EXPECT_EQ(books_.cat_submitter_id.value, 99999);
  EXPECT_EQ(books_.correspondent_crd.value, 3210);
  EXPECT_EQ(books_.files[0], "1_2_20240102_CAIS_000001.json.bz2");

  const model::Fdid& f0 = books_.fdids[0];
  EXPECT_EQ(f0.firm_designated_id, "EZAccount123");
  EXPECT_EQ(f0.origin.line, 10u);
  EXPECT_EQ(f0.origin.index, 0);
  EXPECT_EQ(f0.fdid_date.value, 20190102);
  ASSERT_TRUE(f0.account_type.has_value());
  EXPECT_EQ(*f0.account_type, std::vector<std::string>{"OPTION"});
  ASSERT_EQ(f0.address_list.size(), 2u);
  EXPECT_EQ(f0.address_list[1].origin.line, 26u);
  EXPECT_EQ(f0.address_list[1].origin.index, 1);
  EXPECT_EQ(f0.address_list[1].origin.parent_index, 0);
  EXPECT_EQ(f0.address_list[1].addr_line2, "TRADING DESK 15");
  ASSERT_EQ(f0.large_trader_list.size(), 2u);
  EXPECT_EQ(f0.large_trader_list[0].origin.line, 37u);
  ASSERT_EQ(f0.fdid_customer_list.size(), 3u);
  EXPECT_EQ(f0.fdid_customer_list[2].origin.line, 59u);
  EXPECT_TRUE(f0.fdid_customer_list[2].has_discretion.is_true());
  EXPECT_EQ(f0.fdid_customer_list[2].customer_key, "crid:15");
  EXPECT_EQ(f0.fdid_customer_list[2].customer_index, 2);
  EXPECT_EQ(f0.fdid_customer_list[1].customer_index, 1);

  const model::Fdid& f1 = books_.fdids[1];
  EXPECT_FALSE(f1.has_fdid_customer_list);
  EXPECT_EQ(f1.fdid_end_date.value, 20191201);
  EXPECT_EQ(f1.fdid_end_reason, "ENDED");
  const model::Fdid& f2 = books_.fdids[2];
  EXPECT_EQ(f2.origin.line, 87u);
  ASSERT_EQ(f2.address_list.size(), 3u);
  EXPECT_EQ(f2.address_list[1].region_code, "SURREY");
  EXPECT_EQ(f2.address_list[2].origin.line, 111u);
  ASSERT_EQ(f2.large_trader_list.size(), 3u);
  EXPECT_EQ(f2.large_trader_list[2].origin.line, 131u);
  ASSERT_EQ(f2.fdid_customer_list.size(), 1u);
  EXPECT_EQ(f2.fdid_customer_list[0].customer_index, 3);  // the legal entity, listed after the persons

  const model::Customer& c0 = books_.customers[0];
  EXPECT_EQ(c0.kind, model::CustomerKind::kNaturalPerson);
  EXPECT_EQ(c0.key, "crid:1");
  EXPECT_EQ(c0.origin.line, 147u);
  EXPECT_EQ(c0.doing_business_as, "JOHN'S PLUMBING");
  EXPECT_EQ(c0.year_of_birth.value, 1980);
  EXPECT_EQ(c0.address_list[0].origin.line, 155u);
  EXPECT_FALSE(c0.update_notification.present());
  EXPECT_TRUE(books_.customers[1].update_notification.is_true());
  EXPECT_EQ(books_.customers[2].middle_name, "W");
  EXPECT_EQ(books_.customers[2].address_list[0].origin.line, 192u);
  const model::Customer& c3 = books_.customers[3];
  EXPECT_EQ(c3.kind, model::CustomerKind::kLegalEntity);
  EXPECT_EQ(c3.legal_name, "PRIMARY TRADING");
  EXPECT_EQ(c3.origin.line, 205u);
  EXPECT_EQ(c3.origin.index, 0);

  std::string tid = Example("example_tid.json");
  f = Tid(tid);
  EXPECT_TRUE(f.empty()) << Codes(f);
  EXPECT_EQ(books_.files[1], "1_2_20240102_TIDS_000001.json.bz2");
  for (const model::Customer& c : books_.customers) ASSERT_TRUE(c.tid.has_value()) << c.key;
  EXPECT_EQ(books_.customers[3].tid->tid_type, "FOREIGN");
  EXPECT_EQ(books_.customers[3].tid->foreign_tid_country_cd, "GB");
  EXPECT_EQ(books_.customers[3].tid->origin.line, 13u);
  EXPECT_EQ(books_.customers[3].tid->origin.file, 1u);
  EXPECT_EQ(books_.customers[1].tid->tid_value, std::string(64, 'c'));
}

TEST_F(ReaderTest, SmallFileHasNoFindings) {
  std::vector<Finding> f = Data(SmallData());
  EXPECT_TRUE(f.empty()) << Codes(f);
  ASSERT_EQ(books_.fdids.size(), 1u);
  EXPECT_EQ(books_.fdids[0].fdid_customer_list[0].customer_index, 0);
  EXPECT_EQ(books_.fdids[0].fdid_customer_list[0].origin.line, 6u);
}

TEST_F(ReaderTest, SyntaxErrorHasLineAndColumn) {
  std::vector<Finding> f = Data("{\"version\": \"2.0.0\",\n  \"catReporterCRD\": 2\n  \"x\": 1}");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "file.json");
  EXPECT_EQ(f[0].cais_code, "21011");
  EXPECT_EQ(f[0].record, RecordKind::kFile);
  EXPECT_EQ(f[0].line, 3u);
  EXPECT_NE(f[0].message.find("line 3 column 3"), std::string::npos) << f[0].message;
  EXPECT_TRUE(books_.fdids.empty());

  books_ = {};
  f = Tid("{\"version\": \"2.0.0\", \"tidRecordCount\": 0, \"tidRecordList\": [}");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cais_code, "21511");
  EXPECT_NE(f[0].message.find("line 1 column 61"), std::string::npos) << f[0].message;
}

TEST_F(ReaderTest, SyntaxErrorsOfEveryKind) {
  for (const char* bad : {"", "[]", "{} {}", "{\"a\": 01}", "{\"a\": \"\\x\"}", "{\"a\": \"\t\"}", "{\"a\": tru}",
                          "{\"a\": -}", "{\"a\": 1.}", "{\"a\": \"\\u12g4\"}", "{\"a\" 1}", "{\"a\": [1,]}",
                          "{\"a\": \"x", "{\"a\": 1e}", "{\"a\": \"\xff\"}"}) {
    std::vector<Finding> f = Data(bad);
    ASSERT_EQ(f.size(), 1u) << bad;
    EXPECT_EQ(f[0].rule, "file.json") << bad;
    EXPECT_EQ(f[0].cais_code, "21011") << bad;
  }
  std::vector<Finding> f = Data("{\"catReporterCRD\": 007}");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("leading zero"), std::string::npos);
}

TEST_F(ReaderTest, DuplicateKeys) {
  std::vector<Finding> f = Data(SmallData(", \"fdidType\": \"ACCOUNT\"", "", "\"catSubmitterID\": 1,"));
  ASSERT_EQ(f.size(), 2u) << Codes(f);
  SortAndDedupe(&f);
  EXPECT_EQ(f[0].rule, "file.duplicate_key");
  EXPECT_EQ(f[0].cais_code, "21019");
  EXPECT_EQ(f[0].line, 1u);
  EXPECT_EQ(f[0].field, "catSubmitterID");
  EXPECT_EQ(f[1].rule, "file.duplicate_key");
  EXPECT_EQ(f[1].line, 4u);
  EXPECT_EQ(f[1].field, "fdidRecordList[0].fdidType");

  books_ = {};
  f = Tid("{\"version\": \"2.0.0\", \"tidRecordCount\": 0, \"tidRecordList\": [], \"version\": \"2.0.0\"}");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cais_code, "21516");
}

TEST_F(ReaderTest, UnknownAttributesAndFields) {
  std::vector<Finding> f = Data(SmallData(", \"colour\": \"RED\"", ", \"ssn\": \"x\"", "\"extra\": 1,"));
  SortAndDedupe(&f);
  ASSERT_EQ(f.size(), 3u) << Codes(f);
  EXPECT_EQ(f[0].rule, "file.unknown_attribute");
  EXPECT_EQ(f[0].cais_code, "21012");
  EXPECT_EQ(f[0].field, "extra");
  EXPECT_EQ(f[1].rule, "fdid.unknown_field");
  EXPECT_EQ(f[1].cais_code, "22018");
  EXPECT_EQ(f[1].key, "A1");
  EXPECT_EQ(f[1].line, 4u);
  EXPECT_EQ(f[1].record_index, 0);
  EXPECT_EQ(f[2].rule, "customer.unknown_field");
  EXPECT_EQ(f[2].cais_code, "22546");
  EXPECT_EQ(f[2].key, "crid:7");
  EXPECT_EQ(f[2].line, 9u);
  EXPECT_EQ(f[2].field, "naturalPersonCustomerList[0].ssn");

  books_ = {};
  f = Tid("{\"version\": \"2.0.0\", \"tidRecordCount\": 0, \"tidRecordList\": [], \"tidFileKind\": 1}");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cais_code, "21512");
}

TEST_F(ReaderTest, WrongJsonTypes) {
  std::vector<Finding> f = Data(SmallData(", \"fdidDate\": \"20240101\", \"accountType\": \"OPTION\"",
                                          ", \"yearOfBirth\": 1980.5, \"updateNotification\": \"Y\""));
  SortAndDedupe(&f);
  ASSERT_EQ(f.size(), 4u) << Codes(f);
  EXPECT_EQ(f[0].rule, "fdid.data_type");
  EXPECT_EQ(f[0].cais_code, "22034");
  EXPECT_EQ(f[2].rule, "customer.data_type");
  EXPECT_EQ(f[2].cais_code, "22522");
  EXPECT_EQ(books_.fdids[0].fdid_date.state, model::Num::State::kInvalid);
  EXPECT_FALSE(books_.fdids[0].account_type.has_value());
  EXPECT_EQ(books_.customers[0].year_of_birth.state, model::Num::State::kInvalid);
  EXPECT_EQ(books_.customers[0].update_notification.state, model::Flag::State::kInvalid);
}

TEST_F(ReaderTest, NullMeansAbsent) {
  std::vector<Finding> f = Data(SmallData(", \"fdidEndDate\": null, \"addressList\": null", ", \"middleName\": null"));
  EXPECT_TRUE(f.empty()) << Codes(f);
  EXPECT_FALSE(books_.fdids[0].fdid_end_date.present());
  EXPECT_FALSE(books_.fdids[0].has_address_list);
  EXPECT_FALSE(books_.customers[0].middle_name.has_value());
}

TEST_F(ReaderTest, HeaderVersionAndCounts) {
  std::string d = SmallData();
  d.replace(d.find("\"2.0.0\""), 7, "\"2.1.0\"");
  d.replace(d.find("\"fdidRecordCount\": 1"), 20, "\"fdidRecordCount\": 2");
  d.replace(d.find("\"catReporterCRD\": 2"), 19, "\"catReporterCRD\": -2");
  std::vector<Finding> f = Data(d);
  SortAndDedupe(&f);
  ASSERT_EQ(f.size(), 3u) << Codes(f);
  EXPECT_EQ(Codes(f), "file.header:21003@1 file.header:21008@1 file.counts:21007@2 ");
  EXPECT_EQ(books_.cat_reporter_crd.state, model::Num::State::kInvalid);

  books_ = {};
  f = Data("{\"version\": \"2.0.0\"}");
  SortAndDedupe(&f);
  EXPECT_EQ(Codes(f), "file.counts:21007@1 file.counts:21016@1 file.counts:21017@1 file.header:21002@1 "
                      "file.header:21003@1 ");
  books_ = {};
  f = Tid("{\"version\": \"2.0.0\", \"tidRecordCount\": 1, \"tidRecordList\": []}");
  EXPECT_EQ(Codes(f), "file.counts:21507@1 ");
  books_ = {};
  f = Tid("{\"tidRecordCount\": 0}");
  EXPECT_EQ(Codes(f), "file.header:21508@1 ");
}

TEST_F(ReaderTest, TidPairing) {
  ASSERT_TRUE(Data(SmallData()).empty());
  std::string tid =
      "{\"version\": \"2.0.0\", \"tidRecordCount\": 3, \"tidRecordList\": [\n"
      "{\"customerRecordID\": 7, \"tidType\": \"EIN\", \"tidValue\": \"ab\"},\n"
      "{\"customerRecordID\": 8, \"tidType\": \"EIN\", \"tidValue\": \"ab\"},\n"
      "{\"customerRecordID\": 7, \"tidType\": \"SSN/ITIN\", \"tidValue\": \"cd\", \"x\": 1}]}";
  std::vector<Finding> f = Tid(tid);
  SortAndDedupe(&f);
  EXPECT_EQ(Codes(f), "tid.pairing:22914@3 tid.pairing:22526@4 tid.unknown_field:22914@4 ") << Codes(f);
  EXPECT_EQ(f[0].message.substr(0, 8), "[24914] ");
  EXPECT_EQ(f[0].record, RecordKind::kTid);
  EXPECT_EQ(f[0].key, "crid:8");
  EXPECT_EQ(f[1].message.substr(0, 8), "[24915] ");
  EXPECT_EQ(f[1].record_index, 0);
  EXPECT_EQ(f[2].message.substr(0, 8), "[24917] ");
  EXPECT_EQ(f[2].record_index, 0);
  ASSERT_TRUE(books_.customers[0].tid.has_value());
  EXPECT_EQ(books_.customers[0].tid->tid_type, "EIN");  // the first one wins
}

TEST_F(ReaderTest, TidDuplicatedInBothFiles) {
  std::string d = SmallData();
  d.replace(d.find("\"naturalPersonCustomerRecordCount\": 1"), 37, "\"naturalPersonCustomerRecordCount\": 2");
  d.replace(d.find("}\n]}"), 4, "},\n{\"customerRecordID\": 7}\n]}");
  ASSERT_TRUE(Data(d).empty()) << Codes(Data(d));
  books_ = {};
  ASSERT_TRUE(Data(d).empty());
  std::vector<Finding> f = Tid(
      "{\"version\": \"2.0.0\", \"tidRecordCount\": 2, \"tidRecordList\": [\n"
      "{\"customerRecordID\": 7, \"tidType\": \"EIN\"},\n{\"customerRecordID\": 7, \"tidType\": 5}]}");
  SortAndDedupe(&f);
  EXPECT_EQ(Codes(f), "tid.data_type:22900@3 tid.pairing:22502@3 ") << Codes(f);
  EXPECT_EQ(f[0].message.substr(0, 8), "[24916] ");
  EXPECT_TRUE(books_.customers[1].tid.has_value());
}

TEST_F(ReaderTest, TidDataTypeCodeFollowsTheField) {
  ASSERT_TRUE(Data(SmallData()).empty());
  std::vector<Finding> f = Tid(
      "{\"version\": \"2.0.0\", \"tidRecordCount\": 2, \"tidRecordList\": [\n"
      "{\"customerRecordID\": \"7\"},\n{\"customerRecordID\": 7, \"replacedByTID\": 1}]}");
  SortAndDedupe(&f);
  EXPECT_EQ(Codes(f), "tid.data_type:22526@2 tid.pairing:22526@2 tid.data_type:22914@3 ") << Codes(f);
  EXPECT_EQ(f[1].message.substr(0, 8), "[24901] ");
}

// [App B Table 31: 24901 -> 22526]: a TID record without a usable customerRecordID is a 22526, not a 24914/22914
// (that one is for a valid customerRecordID no customer of the Data File has).
TEST_F(ReaderTest, TidWithoutCustomerRecordIdIs24901) {
  ASSERT_TRUE(Data(SmallData()).empty());
  std::vector<Finding> f = Tid(
      "{\"version\": \"2.0.0\", \"tidRecordCount\": 3, \"tidRecordList\": [\n"
      "{\"tidType\": \"EIN\"},\n{\"customerRecordID\": null, \"tidType\": \"EIN\"},\n"
      "{\"customerRecordID\": -3, \"tidType\": \"EIN\"}]}");
  SortAndDedupe(&f);
  EXPECT_EQ(Codes(f), "tid.pairing:22526@2 tid.pairing:22526@3 tid.data_type:22526@4 tid.pairing:22526@4 ")
      << Codes(f);
  for (const Finding& x : f) {
    if (x.rule != "tid.pairing") continue;
    EXPECT_EQ(x.message.substr(0, 8), "[24901] ") << x.message;
    EXPECT_EQ(x.record, RecordKind::kTid);
    EXPECT_EQ(x.key, "");
    EXPECT_EQ(x.record_index, -1);
  }
  EXPECT_EQ(f[0].field, "tidRecordList[0].customerRecordID");
}

// correction.format [Table 8 Correction Action Record; App B Table 30]: warnings located on each item.
TEST_F(ReaderTest, CorrectionListFormat) {
  std::string corrections =
      ", \"correctionList\": [\n"
      "{\"rejectionID\": \"x\", \"correctionAction\": \"FIX\", \"bogus\": 1},\n"
      "{\"correctionAction\": \"CORRECTION\"},\n"
      "{\"rejectionID\": 5, \"correctionAction\": \"CORRECTION\", \"correctingCustomerRecordID\": 8},\n"
      "{\"rejectionID\": 6, \"correctionAction\": \"CORRECTION\", \"correctingCustomerRecordID\": 7},\n"
      "{\"rejectionID\": 7, \"correctionAction\": \"CORRECTION\", \"correctingFirmDesignatedID\": \"ZZ9\"},\n"
      "{\"rejectionID\": 8, \"correctionAction\": \"DELETE\"},\n"
      "{\"rejectionID\": 9, \"correctionAction\": \"CORRECTION\", \"correctingFirmDesignatedID\": \"\"},\n"
      "5]";
  std::string d = SmallData();
  d.insert(d.rfind('}'), corrections);
  std::vector<Finding> f = Data(d);
  SortAndDedupe(&f);
  std::string got;
  for (const Finding& x : f) {
    got += x.rule + ":" + x.cais_code + "@" + std::to_string(x.line) + ":" + x.field + ":" + x.key + " ";
    EXPECT_EQ(x.severity, Severity::kWarning) << x.rule;
    EXPECT_EQ(x.record, RecordKind::kFile);
    EXPECT_EQ(x.file, "1_2_20240102_CAIS_000001.json.bz2");
  }
  const uint64_t l = 11;  // the line of correctionList's first item
  auto at = [&](uint64_t n) { return std::to_string(l + n); };
  EXPECT_EQ(got, "correction.format:24002@" + at(0) + ":correctionList[0].correctionAction: "
                 "correction.format:24006@" + at(0) + ":correctionList[0].bogus: "
                 "correction.format:24008@" + at(0) + ":correctionList[0].rejectionID: "
                 "correction.format:@" + at(1) + ":correctionList[1].correctionAction: "
                 "correction.format:24001@" + at(1) + ":correctionList[1].rejectionID: "
                 "correction.format:24007@" + at(2) + ":correctionList[2].correctingCustomerRecordID:crid:8 "
                 "correction.format:24003@" + at(6) + ":correctionList[6].correctingFirmDesignatedID: "
                 "correction.format:24008@" + at(7) + ":correctionList[7]: ")
      << got;
}

TEST_F(ReaderTest, NonObjectRecordsAndLists) {
  std::vector<Finding> f = Data(
      "{\"version\": \"2.0.0\", \"catReporterCRD\": 2, \"catSubmitterID\": 1, \"fdidRecordCount\": 1,"
      " \"naturalPersonCustomerRecordCount\": 0, \"legalEntityCustomerRecordCount\": 0,"
      " \"fdidRecordList\": [5], \"naturalPersonCustomerList\": {}}");
  SortAndDedupe(&f);
  EXPECT_EQ(Codes(f), "fdid.data_type:22034@1 file.json:21011@1 ") << Codes(f);
  EXPECT_TRUE(books_.fdids.empty());
}

TEST_F(ReaderTest, NumberTooLargeIsReportedNotCrashed) {
  std::vector<Finding> f = Data(SmallData(", \"branchOfficeCRD\": 99999999999999999999999"));
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].rule, "file.json");
  EXPECT_EQ(f[0].line, 4u);
}

TEST(PositionTest, LinesAndColumns) {
  TextPosition p = PositionOf("ab\ncd", 4);
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 2u);
}

}  // namespace
}  // namespace caisson::caisjson
