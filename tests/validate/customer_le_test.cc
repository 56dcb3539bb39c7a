// customer.* rules on Legal Entity Customer Records and across versions (rules_customer.cc).
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "validate/fixtures_b.h"

namespace caisson::validate {
namespace {

using namespace testing_b;  // NOLINT: test fixtures

model::Customer LeiEntity() {
  model::Customer c = Le();
  c.ein.reset();
  c.lei = kLei;
  c.tid = Tid("FOREIGN", Sha256(kLei));
  c.tid->foreign_tid_type = "LEI";
  c.customer_type = std::vector<std::string>{"FOREIGN"};
  return c;
}

TEST(CustomerLe, ValidRecordHasNoFinding) {
  std::vector<Finding> f = RunCustomers(BooksOf({Le(), LeiEntity()}));
  EXPECT_TRUE(f.empty()) << Dump(f);
  f = RunCustomers(AsFile(BooksOf({Le(), LeiEntity()})), Mode::kFile);
  EXPECT_TRUE(f.empty()) << Dump(f);
}

TEST(CustomerLe, LegalNameRequired) {
  model::Customer c = Le();
  c.legal_name.reset();
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.le_required", "22530", "customers.csv", kCustomerLine, "legal_name");
  EXPECT_EQ(f[0].key, "L1");
  c.legal_name = std::string(201, 'n');
  EXPECT_ONE(RunCustomers(AsFile(BooksOf({c})), Mode::kFile), "customer.le_required", "22530", "data.json",
      10,
             "legalEntityCustomerList[0].legalName");
}

TEST(CustomerEin, MissingOrBadlyFormattedWithTidTypeEin) {  // App B 22504
  model::Customer c = Le();
  c.ein.reset();
  // Books: ein comes from the EIN row of identifiers.csv.
  EXPECT_ONE(RunCustomers(BooksOf({c})), "customer.ein", "22504", "identifiers.csv", kTidLine, "id_value");
  c.ein = "000000001";  // digits without the hyphen
  std::vector<Finding> f = RunCustomers(AsFile(BooksOf({c})), Mode::kFile);
  EXPECT_ONE(f, "customer.ein", "22504", "data.json", 10, "legalEntityCustomerList[0].ein");
  EXPECT_TRUE(WithCode(f, "customer.ein", "22544").empty());  // no hash comparison on a malformed ein
}

TEST(CustomerEin, EinWithoutTidTypeEin) {  // App B 22543
  model::Customer c = LeiEntity();
  c.ein = kEin;
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.ein", "22543", "identifiers.csv", kTidLine, "id_value");
  EXPECT_EQ(f.size(), 1u) << Dump(f);
}

TEST(CustomerEin, HashMustEqualTidValue) {  // App B 22544, case-insensitive [§3.4]
  model::Customer c = Le();
  std::string upper = Sha256(kEin);
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  c.tid->tid_value = upper;
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
  c.tid->tid_value = Sha256("00-0000002");
  EXPECT_ONE(RunCustomers(AsFile(BooksOf({c})), Mode::kFile), "customer.ein", "22544", "data.json", 10,
             "legalEntityCustomerList[0].ein");
}

TEST(CustomerLei, CheckDigits) {  // App B 22531; ISO 7064 MOD 97-10
  model::Customer c = Le();
  c.lei = kLei;
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
  c.lei = "CAISSONTEST000000154";  // digits swapped
  EXPECT_ONE(RunCustomers(BooksOf({c})), "customer.lei_format", "22531", "customers.csv", kCustomerLine,
      "lei");
  c.lei = "CAISSONTEST00000014";  // 19 characters
  EXPECT_EQ(WithCode(RunCustomers(BooksOf({c})), "customer.lei_format", "22531").size(), 1u);
  c.lei = "caissontest000000145";  // ISO 17442 letters are upper case
  EXPECT_EQ(WithCode(RunCustomers(BooksOf({c})), "customer.lei_format", "22531").size(), 1u);
}

TEST(CustomerLei, RequiredWhenInputIdentifierIsLei) {
  model::Customer c = LeiEntity();
  c.lei.reset();
  EXPECT_ONE(RunCustomers(AsFile(BooksOf({c})), Mode::kFile), "customer.lei_format", "22531", "data.json", 10,
             "legalEntityCustomerList[0].lei");
}

TEST(CustomerForeignTrust, WarningWithoutIdentifier) {  // [FAQ Q63]
  model::Customer c = Le();
  c.ein.reset();
  c.tid.reset();
  c.customer_type = std::vector<std::string>{"TRUST", "FOREIGN"};
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.foreign_trust_no_id", "", "customers.csv", kCustomerLine, "");
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f.size(), 1u) << Dump(f);  // books mode: no 22526 here (identity reports it)
  c.lei = kLei;
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
}

TEST(CustomerForeignType, FollowsTidTypeInBooks) {
  model::Customer c = LeiEntity();
  c.customer_type = std::vector<std::string>{"NOTAPPLICABLE"};
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.foreign_type", "", "customers.csv", kCustomerLine, "customer_types");
  EXPECT_EQ(f[0].severity, Severity::kPolicy);
  model::Customer us = Le();
  us.customer_type = std::vector<std::string>{"FOREIGN"};
  EXPECT_EQ(With(RunCustomers(BooksOf({us})), "customer.foreign_type").size(), 1u);
  EXPECT_TRUE(RunCustomers(AsFile(BooksOf({us})), Mode::kFile).empty());  // run column B only
}

TEST(CustomerVersions, SameTidDifferentYearOfBirth) {  // [§3.9; §5.1.3.2 R11]
  model::Customer a = Np("C1"), b = Np("C2");
  EXPECT_TRUE(RunCustomers(BooksOf({a, b})).empty());
  b.year_of_birth = model::Num::Of(1971);
  model::Books books = BooksOf({a, b});
  books.customers[1].origin.line = 7;
  std::vector<Finding> f = RunCustomers(books);
  std::vector<Finding> hits = WithCode(f, "customer.versions_consistent", "22533");
  ASSERT_EQ(hits.size(), 2u) << Dump(f);  // every instance
  EXPECT_EQ(hits[0].key, "C1");
  EXPECT_EQ(hits[0].field, "year_of_birth");
  EXPECT_EQ(hits[1].key, "C2");
  EXPECT_EQ(hits[1].line, 7u);
}

TEST(CustomerVersions, SameTidDifferentKindOrEin) {
  model::Customer np = Np("C1");
  model::Customer le = Le("L1");
  np.tid = Tid("FOREIGN", kForeignTid);
  np.tid->foreign_tid_type = "NATIONALID";
  np.tid->foreign_tid_country_cd = "FR";
  np.customer_type = std::vector<std::string>{"FOREIGN"};
  le.ein.reset();
  le.tid = np.tid;
  le.tid->tid_value = std::string(32, 'C') + std::string(32, 'D');  // same value, other case
  le.customer_type = std::vector<std::string>{"FOREIGN"};
  std::vector<Finding> f = RunCustomers(AsFile(BooksOf({np, le})), Mode::kFile);
  std::vector<Finding> hits = WithCode(f, "customer.versions_consistent", "22533");
  ASSERT_EQ(hits.size(), 2u) << Dump(f);
  EXPECT_EQ(hits[0].field, "naturalPersonCustomerList[0]");
  EXPECT_EQ(hits[1].field, "legalEntityCustomerList[0]");

  model::Customer l1 = Le("L1"), l2 = Le("L2");
  l2.ein = "00-0000002";
  l2.tid = l1.tid;  // same TID, different ein: also 22544 on l2
  f = RunCustomers(BooksOf({l1, l2}));
  hits = WithCode(f, "customer.versions_consistent", "22533");
  ASSERT_EQ(hits.size(), 2u) << Dump(f);
  EXPECT_EQ(hits[0].field, "id_value");
  EXPECT_EQ(hits[0].file, "identifiers.csv");
}

}  // namespace
}  // namespace caisson::validate
