// customer.* rules on Natural Person Customer Records (rules_customer.cc).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "validate/fixtures_b.h"

namespace caisson::validate {
namespace {

using namespace testing_b;  // NOLINT: test fixtures

TEST(CustomerNp, ValidRecordHasNoFinding) {
  std::vector<Finding> f = RunCustomers(BooksOf({Np()}));
  EXPECT_TRUE(f.empty()) << Dump(f);
  f = RunCustomers(AsFile(BooksOf({Np()})), Mode::kFile);
  EXPECT_TRUE(f.empty()) << Dump(f);
}

TEST(CustomerNp, FirstNameMissing) {
  model::Customer c = Np();
  c.first_name.reset();
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.np_required", "22507", "customers.csv", kCustomerLine, "first_name");
  EXPECT_EQ(f[0].severity, Severity::kReject);
  EXPECT_EQ(f[0].record, RecordKind::kCustomer);
  EXPECT_EQ(f[0].key, "C1");
  f = RunCustomers(AsFile(BooksOf({c})), Mode::kFile);
  EXPECT_ONE(f, "customer.np_required", "22507", "data.json", 10, "naturalPersonCustomerList[0].firstName");
}

TEST(CustomerNp, LastNameMissingOrInvalid) {
  model::Customer c = Np();
  c.last_name = "";
  EXPECT_ONE(RunCustomers(BooksOf({c})), "customer.np_required", "22508", "customers.csv", kCustomerLine,
             "last_name");
  c.last_name = "Name\x01";  // control character: not Extended Text
  EXPECT_ONE(RunCustomers(BooksOf({c})), "customer.np_required", "22508", "customers.csv", kCustomerLine,
             "last_name");
  c.last_name = std::string(200, 'x');  // Extended Text (200)
  EXPECT_TRUE(With(RunCustomers(BooksOf({c})), "customer.np_required").empty());
  c.last_name = std::string(201, 'x');
  EXPECT_ONE(RunCustomers(BooksOf({c})), "customer.np_required", "22508", "customers.csv", kCustomerLine,
             "last_name");
}

TEST(CustomerNp, FirstNameLengthInForceIs40) {  // the 200 step has no date in our sources
  model::Customer c = Np();
  c.first_name = std::string(40, 'x');
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_TRUE(f.empty()) << Dump(f);
  c.first_name = std::string(41, 'x');
  f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.np_required", "22507", "customers.csv", kCustomerLine, "first_name");
  // ... and the rollout notice says why.
  EXPECT_ONE(f, "customer.name_length_rollout", "", "customers.csv", kCustomerLine, "first_name");
  EXPECT_EQ(WithCode(f, "customer.name_length_rollout", "")[0].severity, Severity::kWarning);
}

TEST(CustomerNp, MiddleNameFormatAndRollout) {
  model::Customer c = Np();
  c.middle_name = std::string(20, 'm');
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
  c.middle_name = std::string(21, 'm');
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.name_format", "22540", "customers.csv", kCustomerLine, "middle_name");
  EXPECT_ONE(f, "customer.name_length_rollout", "", "customers.csv", kCustomerLine, "middle_name");
  c.middle_name = "J\xe2\x82\xac";  // a character outside Extended Text
  f = RunCustomers(AsFile(BooksOf({c})), Mode::kFile);
  EXPECT_ONE(f, "customer.name_format", "22540", "data.json", 10, "naturalPersonCustomerList[0].middleName");
  EXPECT_TRUE(With(f, "customer.name_length_rollout").empty());
}

TEST(CustomerNp, Unparsed) {  // [§3.12]
  model::Customer c = Np();
  c.first_name = "UNPARSED";
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.unparsed", "22507", "customers.csv", kCustomerLine, "first_name");
  EXPECT_TRUE(With(f, "customer.np_required").empty());
  c.first_name = "NNVE";  // the single-name convention is fine
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
}

TEST(CustomerNp, YearOfBirth) {
  model::Customer c = Np();
  c.year_of_birth = model::Num::Invalid();
  EXPECT_ONE(RunCustomers(BooksOf({c})), "customer.np_required", "22510", "customers.csv", kCustomerLine,
             "year_of_birth");
  c.year_of_birth = model::Num::Of(999);  // not 4 digits
  EXPECT_ONE(RunCustomers(AsFile(BooksOf({c})), Mode::kFile), "customer.np_required", "22510", "data.json",
      10,
             "naturalPersonCustomerList[0].yearOfBirth");
  c.year_of_birth = model::Num{};
  EXPECT_EQ(WithCode(RunCustomers(BooksOf({c})), "customer.np_required", "22510").size(), 1u);
}

TEST(CustomerNp, YearPolicyBooksOnly) {
  model::Customer c = Np();
  c.year_of_birth = model::Num::Of(1899);
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.year", "", "customers.csv", kCustomerLine, "year_of_birth");
  EXPECT_EQ(f[0].severity, Severity::kPolicy);
  c.year_of_birth = model::Num::Of(2026);  // after the year of as_of (2025)
  EXPECT_EQ(With(RunCustomers(BooksOf({c})), "customer.year").size(), 1u);
  c.year_of_birth = model::Num::Of(2025);
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
  c.year_of_birth = model::Num::Of(1899);
  EXPECT_TRUE(RunCustomers(AsFile(BooksOf({c})), Mode::kFile).empty());  // CAIS checks the format only
}

TEST(CustomerNp, NameSuffix) {
  model::Customer c = Np();
  c.name_suffix = "JUNIOR";
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
  c.name_suffix = "JR";
  EXPECT_ONE(RunCustomers(BooksOf({c})), "customer.name_format", "22509", "customers.csv", kCustomerLine,
             "name_suffix");
}

TEST(CustomerNp, DoingBusinessAsFormat) {
  model::Customer c = Np();
  c.doing_business_as = std::string(200, 'd');
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
  c.doing_business_as = std::string(201, 'd');
  EXPECT_ONE(RunCustomers(BooksOf({c})), "customer.name_format", "22532", "customers.csv", kCustomerLine,
             "doing_business_as");
}

TEST(CustomerNp, DbaPolicyForTrusts) {
  model::Customer c = Np();
  c.customer_type = std::vector<std::string>{"TRUST"};
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.dba", "", "customers.csv", kCustomerLine, "doing_business_as");
  EXPECT_EQ(f[0].severity, Severity::kPolicy);
  c.doing_business_as = "Example Family Trust";
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
}

TEST(CustomerType, MissingEmptyOrWrongKind) {  // [Table 8 customerType; §5.1.3.2 R13]
  model::Customer c = Np();
  c.customer_type.reset();
  EXPECT_ONE(RunCustomers(BooksOf({c})), "customer.type", "22524", "customers.csv", kCustomerLine,
             "customer_types");
  c.customer_type = std::vector<std::string>{};
  EXPECT_EQ(WithCode(RunCustomers(BooksOf({c})), "customer.type", "22524").size(), 1u);
  c.customer_type = std::vector<std::string>{"EMPLOYEE", "BD"};  // BD is a legal-entity value
  EXPECT_ONE(RunCustomers(AsFile(BooksOf({c})), Mode::kFile), "customer.type", "22524", "data.json", 10,
             "naturalPersonCustomerList[0].customerType");
  c.customer_type = std::vector<std::string>{"EMPLOYEE", "OTHBKR", "CP"};
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
  model::Customer le = Le();
  le.customer_type = std::vector<std::string>{"CP"};  // natural-person only
  EXPECT_EQ(WithCode(RunCustomers(BooksOf({le})), "customer.type", "22524").size(), 1u);
  le.customer_type = std::vector<std::string>{"BD", "RIC"};
  EXPECT_TRUE(RunCustomers(BooksOf({le})).empty());
}

TEST(CustomerOrphan, NotAssociatedWithAnyFdid) {  // [§5.1.3.2 R2]
  model::Books b = BooksOf({Np("C1"), Np("C2")});
  b.fdids[0].fdid_customer_list.pop_back();
  std::vector<Finding> f = RunCustomers(b);
  EXPECT_ONE(f, "customer.orphan", "22523", "customers.csv", kCustomerLine, "");
  EXPECT_EQ(f[0].key, "C2");
  EXPECT_EQ(f[0].record_index, 1);
  EXPECT_TRUE(RunCustomers(BooksOf({Np("C1"), Np("C2")})).empty());
}

TEST(CustomerNp, PiiExemptProfileSkipsSsnPersonsFields) {
  model::Customer c = Np();
  c.first_name.reset();
  c.last_name.reset();
  c.year_of_birth = model::Num{};
  c.has_address_list = false;
  c.address_list.clear();
  EXPECT_TRUE(RunCustomers(BooksOf({c}), Mode::kBooks, PiiExemptProfile()).empty());
  // The default profile still requires them [§3.12; §5.1.3.2 R8].
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_EQ(WithCode(f, "customer.np_required", "22507").size(), 1u);
  EXPECT_EQ(WithCode(f, "customer.np_required", "22508").size(), 1u);
  EXPECT_EQ(WithCode(f, "customer.np_required", "22510").size(), 1u);
  EXPECT_EQ(WithCode(f, "customer.address", "22514").size(), 1u);
  // A natural person with a foreign identifier is not exempt.
  c.tid = Tid("FOREIGN", kForeignTid);
  c.tid->foreign_tid_type = "PASSPORT";
  c.tid->foreign_tid_country_cd = "FR";
  c.customer_type = std::vector<std::string>{"FOREIGN"};
  f = RunCustomers(BooksOf({c}), Mode::kBooks, PiiExemptProfile());
  EXPECT_EQ(WithCode(f, "customer.np_required", "22507").size(), 1u) << Dump(f);
  EXPECT_EQ(WithCode(f, "customer.address", "22514").size(), 1u);
}

TEST(CustomerRecordId, MissingAndDuplicatedInFileMode) {
  model::Books b = AsFile(BooksOf({Np("C1"), Le("L1"), Np("C3")}));
  b.customers[0].customer_record_id = model::Num::Invalid();
  b.customers[0].first_name.reset();  // not processed further: no 22507
  b.customers[2].customer_record_id = model::Num::Of(2);  // same as the legal entity's
  std::vector<Finding> f = RunCustomers(b, Mode::kFile);
  EXPECT_ONE(f, "customer.record_id", "22501", "data.json", 10,
      "naturalPersonCustomerList[0].customerRecordID");
  ASSERT_EQ(WithCode(f, "customer.record_id", "22502").size(), 2u) << Dump(f);
  EXPECT_EQ(WithCode(f, "customer.record_id", "22502")[0].field,
      "legalEntityCustomerList[0].customerRecordID");
  EXPECT_EQ(WithCode(f, "customer.record_id", "22502")[1].field,
      "naturalPersonCustomerList[1].customerRecordID");
  EXPECT_EQ(f.size(), 3u) << Dump(f);
  EXPECT_TRUE(With(RunCustomers(b, Mode::kBooks), "customer.record_id").empty());  // run column F only
}

}  // namespace
}  // namespace caisson::validate
