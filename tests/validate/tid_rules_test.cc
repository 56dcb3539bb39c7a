// tid.* rules and the TID parts of customer.* (rules_tid.cc).
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "validate/fixtures_b.h"

namespace caisson::validate {
namespace {

using namespace testing_b;  // NOLINT: test fixtures

model::Customer ForeignNp(const char* foreign_type = "PASSPORT", const char* country = "FR") {
  model::Customer c = Np();
  c.tid = Tid("FOREIGN", kForeignTid);
  c.tid->foreign_tid_type = foreign_type;
  if (country != nullptr) c.tid->foreign_tid_country_cd = country;
  c.customer_type = std::vector<std::string>{"FOREIGN"};
  return c;
}

// The single finding of rule/code must sit in the TID record: record `tid`, key of the customer.
void ExpectTidFinding(const std::vector<Finding>& f, const char* rule, const char* code,
    const char* field_books,
                      const char* prefix) {
  std::vector<Finding> hits = WithCode(f, rule, code);
  ASSERT_EQ(hits.size(), 1u) << Dump(f);
  EXPECT_EQ(hits[0].record, RecordKind::kTid);
  EXPECT_EQ(hits[0].key, "C1");
  EXPECT_EQ(hits[0].file, "identifiers.csv");
  EXPECT_EQ(hits[0].line, kTidLine);
  EXPECT_EQ(hits[0].field, field_books);
  EXPECT_EQ(hits[0].message.rfind(prefix, 0), 0u) << hits[0].message;
}

TEST(TidType, ValidTidsHaveNoFinding) {
  for (const model::Customer& c : {Np(), ForeignNp(), ForeignNp("NATIONALID", "DE")}) {
    std::vector<Finding> f = RunCustomers(BooksOf({c}));
    EXPECT_TRUE(f.empty()) << Dump(f);
    f = RunCustomers(AsFile(BooksOf({c})), Mode::kFile);
    EXPECT_TRUE(f.empty()) << Dump(f);
  }
}

TEST(TidType, TidTypeMissingOrInvalid) {  // [24902]
  model::Customer c = Np();
  c.tid->tid_type = "SSN";
  ExpectTidFinding(RunCustomers(BooksOf({c})), "tid.type", "22900", "id_type", "[24902] ");
  c.tid->tid_type.reset();
  std::vector<Finding> f = RunCustomers(AsFile(BooksOf({c})), Mode::kFile);
  ASSERT_EQ(WithCode(f, "tid.type", "22900").size(), 1u) << Dump(f);
  EXPECT_EQ(WithCode(f, "tid.type", "22900")[0].field, "tidRecordList[0].tidType");
  EXPECT_EQ(WithCode(f, "tid.type", "22900")[0].file, "tids.json");
  EXPECT_EQ(WithCode(f, "tid.type", "22900")[0].line, 5u);
  EXPECT_EQ(WithCode(f, "tid.type", "22900")[0].key, "crid:1");
}

TEST(TidType, ForeignTidType) {  // [24903]
  model::Customer c = ForeignNp();
  c.tid->foreign_tid_type.reset();
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  ExpectTidFinding(f, "tid.type", "22900", "id_type", "[24903] ");
  c.tid->foreign_tid_type = "GIIN";
  ExpectTidFinding(RunCustomers(BooksOf({c})), "tid.type", "22900", "id_type", "[24903] ");
  model::Customer ssn = Np();
  ssn.tid->foreign_tid_type = "PASSPORT";  // only with FOREIGN
  ExpectTidFinding(RunCustomers(BooksOf({ssn})), "tid.type", "22900", "id_type", "[24903] ");
}

TEST(TidType, ForeignCountry) {  // [24904]; §5.1.3.2 R17
  ExpectTidFinding(RunCustomers(BooksOf({ForeignNp("PASSPORT", nullptr)})), "tid.type", "22900", "country",
                   "[24904] ");
  ExpectTidFinding(RunCustomers(BooksOf({ForeignNp("PASSPORT", "US")})), "tid.type", "22900", "country",
                   "[24904] ");
  ExpectTidFinding(RunCustomers(BooksOf({ForeignNp("PASSPORT", "XX")})), "tid.type", "22900", "country",
                   "[24904] ");
  model::Customer ssn = Np();
  ssn.tid->foreign_tid_country_cd = "FR";  // only with FOREIGN
  ExpectTidFinding(RunCustomers(BooksOf({ssn})), "tid.type", "22900", "country", "[24904] ");
  // LEI carries no country.
  model::Customer le = Le();
  le.ein.reset();
  le.lei = kLei;
  le.tid = Tid("FOREIGN", Sha256(kLei));
  le.tid->foreign_tid_type = "LEI";
  le.customer_type = std::vector<std::string>{"FOREIGN"};
  EXPECT_TRUE(RunCustomers(BooksOf({le})).empty());
  le.tid->foreign_tid_country_cd = "FR";
  std::vector<Finding> f = RunCustomers(BooksOf({le}));
  ASSERT_EQ(WithCode(f, "tid.type", "22900").size(), 1u) << Dump(f);
  EXPECT_EQ(WithCode(f, "tid.type", "22900")[0].message.rfind("[24904] ", 0), 0u);
}

TEST(TidValue, SixtyFourHexInFileMode) {  // [24905]
  model::Customer c = Np();
  c.tid->tid_value = std::string(63, 'a');
  std::vector<Finding> f = RunCustomers(AsFile(BooksOf({c})), Mode::kFile);
  EXPECT_ONE(f, "tid.value", "22900", "tids.json", 5, "tidRecordList[0].tidValue");
  EXPECT_EQ(f[0].record, RecordKind::kTid);
  EXPECT_EQ(f[0].message.rfind("[24905] ", 0), 0u);
  c.tid->tid_value = std::string(63, 'a') + "g";
  EXPECT_EQ(With(RunCustomers(AsFile(BooksOf({c})), Mode::kFile), "tid.value").size(), 1u);
  c.tid->tid_value.reset();
  EXPECT_EQ(With(RunCustomers(AsFile(BooksOf({c})), Mode::kFile), "tid.value").size(), 1u);
  c.tid->tid_value = std::string(64, 'F');  // case-insensitive
  EXPECT_TRUE(RunCustomers(AsFile(BooksOf({c})), Mode::kFile).empty());
}

TEST(TidPairing, CustomerWithoutTidRecordInFileMode) {  // 22526 without a 249xx prefix [App B T28, T31]
  model::Customer c = Np();
  c.tid.reset();
  std::vector<Finding> f = RunCustomers(AsFile(BooksOf({c})), Mode::kFile);
  EXPECT_ONE(f, "tid.pairing", "22526", "data.json", 10, "naturalPersonCustomerList[0].customerRecordID");
  EXPECT_EQ(f[0].record, RecordKind::kTid);
  EXPECT_EQ(f[0].message.find("[249"), std::string::npos) << "24901 is for a TID record without customerRecordID";
  EXPECT_EQ(f.size(), 1u) << Dump(f);
  // Books mode: identity reported the missing identifier already.
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
}

TEST(TidFormat, HashOfListedInvalidSsnInFileMode) {  // [§3.4; 24906]
  for (const char* ssn : {"000-00-0000", "222-22-2222", "999-99-9999", "123-45-6789"}) {
    model::Customer c = Np();
    c.tid->tid_value = Sha256(ssn);
    std::vector<Finding> f = RunCustomers(AsFile(BooksOf({c})), Mode::kFile);
    EXPECT_ONE(f, "customer.tid_format", "22900", "tids.json", 5, "tidRecordList[0].tidValue");
    EXPECT_EQ(f[0].record, RecordKind::kTid);
    EXPECT_EQ(f[0].message.rfind("[24906] ", 0), 0u);
  }
  model::Customer c = Np();
  std::string upper = Sha256("555-55-5555");
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  c.tid->tid_value = upper;  // hexadecimal is case-insensitive [Table 3]
  EXPECT_EQ(With(RunCustomers(AsFile(BooksOf({c})), Mode::kFile), "customer.tid_format").size(), 1u);
  c.tid->tid_value = Sha256("123-45-6780");  // not on the list
  EXPECT_TRUE(RunCustomers(AsFile(BooksOf({c})), Mode::kFile).empty());
  c.tid->tid_value = Sha256("999-99-9999");
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());  // books: identity checks the raw value
}

TEST(TidKind, FileModeKindConflicts) {  // [§5.1.4 R7; Table 28]
  struct Case {
    model::Customer c;
    const char* code;
    const char* field;
  };
  model::Customer np_ein = Np();
  np_ein.tid = Tid("EIN", Sha256(kEin));
  model::Customer np_lei = ForeignNp("LEI", nullptr);
  model::Customer le_ssn = Le();
  le_ssn.ein.reset();
  le_ssn.tid = Tid("SSN/ITIN", kNpTid);
  model::Customer le_passport = Le();
  le_passport.ein.reset();
  le_passport.tid = ForeignNp().tid;
  le_passport.customer_type = std::vector<std::string>{"FOREIGN"};
  for (const Case& k : {Case{np_ein, "22542", "tidType"}, Case{np_lei, "22534", "foreignTIDType"},
                        Case{le_ssn, "22541", "tidType"}, Case{le_passport, "22535", "foreignTIDType"}}) {
    std::vector<Finding> f = RunCustomers(AsFile(BooksOf({k.c})), Mode::kFile);
    EXPECT_ONE(f, "customer.tid_kind", k.code, "tids.json", 5, std::string("tidRecordList[0].") + k.field);
    EXPECT_EQ(WithCode(f, "customer.tid_kind", k.code)[0].record, RecordKind::kCustomer);
    EXPECT_TRUE(With(RunCustomers(BooksOf({k.c})), "customer.tid_kind").empty());  // identity's in books mode
  }
}

model::Customer Replacing(const std::string& new_tid) {
  model::Customer c = Np();
  c.tid->replaced_by_tid_type = "SSN/ITIN";
  c.tid->replaced_by_tid = new_tid;
  return c;
}

TEST(TidReplacement, ValidReplacement) {  // [§3.2]
  const std::string new_tid = std::string(64, 'e');
  model::Customer next = Np("C2");
  next.tid->tid_value = new_tid;
  std::vector<Finding> f = RunCustomers(BooksOf({Replacing(new_tid), next}));
  EXPECT_TRUE(f.empty()) << Dump(f);
}

TEST(TidReplacement, TypeAndForeignParts) {  // [24908]–[24910]
  const std::string new_tid = std::string(64, 'e');
  model::Customer next = Np("C2");
  next.tid->tid_value = new_tid;
  model::Customer c = Replacing(new_tid);
  c.tid->replaced_by_tid_type.reset();
  ExpectTidFinding(RunCustomers(BooksOf({c, next})), "tid.replacement", "22914", "replacedByTIDType",
      "[24908] ");
  c.tid->replaced_by_tid_type = "PASSPORT";
  ExpectTidFinding(RunCustomers(BooksOf({c, next})), "tid.replacement", "22914", "replacedByTIDType",
      "[24908] ");
  c.tid->replaced_by_tid_type = "FOREIGN";
  std::vector<Finding> f = RunCustomers(BooksOf({c, next}));
  ASSERT_EQ(WithCode(f, "tid.replacement", "22914").size(), 2u) << Dump(f);  // type and country missing
  EXPECT_EQ(WithCode(f, "tid.replacement", "22914")[0].message.rfind("[24909] ", 0), 0u);
  EXPECT_EQ(WithCode(f, "tid.replacement", "22914")[1].message.rfind("[24910] ", 0), 0u);
  c.tid->replacing_foreign_tid_type = "NATIONALID";
  c.tid->replacing_foreign_tid_country_cd = "US";
  f = RunCustomers(BooksOf({c, next}));
  ASSERT_EQ(WithCode(f, "tid.replacement", "22914").size(), 1u) << Dump(f);
  EXPECT_EQ(WithCode(f, "tid.replacement", "22914")[0].message.rfind("[24910] ", 0), 0u);
  c.tid->replacing_foreign_tid_country_cd = "DE";
  EXPECT_TRUE(RunCustomers(BooksOf({c, next})).empty());
}

TEST(TidReplacement, ReplacedByTid) {  // [24911], [24912]
  const std::string new_tid = std::string(64, 'e');
  model::Customer next = Np("C2");
  next.tid->tid_value = new_tid;
  model::Customer c = Replacing(std::string(64, 'x'));
  ExpectTidFinding(RunCustomers(BooksOf({c, next})), "tid.replacement", "22914", "replacedByTID", "[24911] ");
  c = Replacing(new_tid);  // no TID record of its own
  ExpectTidFinding(RunCustomers(BooksOf({c})), "tid.replacement", "22914", "replacedByTID", "[24911] ");
  c.tid->replaced_by_tid.reset();
  ExpectTidFinding(RunCustomers(BooksOf({c})), "tid.replacement", "22914", "replacedByTID", "[24911] ");
  // Another version with the original tidValue that is not replaced [§3.9].
  std::vector<Finding> f = RunCustomers(BooksOf({Replacing(new_tid), next, Np("C3")}));
  ExpectTidFinding(f, "tid.replacement", "22914", "replacedByTID", "[24911] ");
  // The replacing SSN/ITIN is one §3.4 lists as invalid.
  const std::string bad = Sha256("111-11-1111");
  next.tid->tid_value = bad;
  ExpectTidFinding(RunCustomers(BooksOf({Replacing(bad), next})), "tid.replacement", "22914", "replacedByTID",
                   "[24912] ");
}

}  // namespace
}  // namespace caisson::validate
