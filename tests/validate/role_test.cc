// role.* rules (rules.md §3): one passing and one failing case per rule.
#include <gtest/gtest.h>

#include "validate/fdid_fixture.h"

namespace caisson::validate::testing {
namespace {

TEST(Role, Value) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_customer_list[0].role = "OWNER";
  EXPECT_ONE(RunRules(b), "role.value", "22043", "roles.csv", 2, "role");
  EXPECT_ONE(RunRules(b, Mode::kFile), "role.value", "22043", "roles.csv", 2,
             "fdidRecordList[0].fdidCustomerList[0].role");
  b.fdids[0].fdid_customer_list[0].role = "TRDHOLDER";
  EXPECT_NONE(RunRules(b), "role.value");
}

TEST(Role, UnknownCustomer) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_customer_list[0].customer_index = -1;
  EXPECT_ONE(RunRules(b), "role.unknown_customer", "22041", "roles.csv", 2, "customer_id");
  EXPECT_ONE(RunRules(b, Mode::kFile), "role.unknown_customer", "22041", "roles.csv", 2,
             "fdidRecordList[0].fdidCustomerList[0].customerRecordID");
}

TEST(Role, OneActiveRoleOverlapAtMostOneDay) {
  model::Books b = MakeBooks();
  auto& list = b.fdids[0].fdid_customer_list;
  list[0].role = "NTHOLDER";
  list[0].role_end_date = model::Num::Of(20230301);
  list[0].role_end_reason = "ENDED";
  list.push_back(MakeAssociation(b, 0, "TRDHOLDER", 1, 0, 3));
  list[1].role_start_date = model::Num::Of(20230301);  // one shared calendar day: allowed
  EXPECT_NONE(RunRules(b), "role.one_active");
  list[1].role_start_date = model::Num::Of(20230228);  // two shared days
  EXPECT_ONE(RunRules(b), "role.one_active", "22042", "roles.csv", 3, "customer_id");
  list[0].role_end_date = model::Num();  // both open
  list[0].role_end_reason.reset();
  list[1].role_start_date = model::Num::Of(20240101);
  EXPECT_ONE(RunRules(b), "role.one_active", "22042", "roles.csv", 3, "customer_id");
}

TEST(Role, SameTidActiveTwice) {
  model::Books b = MakeBooks();
  b.customers.push_back(MakeCustomer(1));
  b.fdids[0].fdid_customer_list.push_back(MakeAssociation(b, 1, "NTHOLDER", 1, 0, 3));
  EXPECT_NONE(RunRules(b), "role.same_tid");
  b.customers[1].tid->tid_value = b.customers[0].tid->tid_value;
  EXPECT_ONE(RunRules(b), "role.same_tid", "22042", "roles.csv", 3, "customer_id");
}

TEST(Role, Dates) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_customer_list.push_back(MakeAssociation(b, 0, "NTHOLDER", 1, 0, 3));
  auto& a = b.fdids[0].fdid_customer_list[0];
  auto& e = b.fdids[0].fdid_customer_list[1];
  e.role_start_date = model::Num::Of(20190101);
  e.role_end_date = model::Num::Of(20190102);
  e.role_end_reason = "ENDED";
  EXPECT_NONE(RunRules(b), "role.dates");
  a.role_start_date = model::Num::Invalid();
  EXPECT_ONE(RunRules(b), "role.dates", "22044", "roles.csv", 2, "role_start_date");
  a.role_start_date = model::Num::Of(20200102);
  e.role_end_reason.reset();
  EXPECT_ONE(RunRules(b), "role.dates", "22047", "roles.csv", 3, "role_end_reason");
  e.role_end_reason = "ENDED";
  e.role_end_date = model::Num();
  EXPECT_ONE(RunRules(b), "role.dates", "22045", "roles.csv", 3, "role_end_date");
  e.role_end_date = model::Num::Of(20181231);
  EXPECT_ONE(RunRules(b), "role.dates", "22046", "roles.csv", 3, "role_end_date");
  e.role_end_date = model::Num::Of(20190102);
  e.role_end_reason = "INACTIVE";
  EXPECT_ONE(RunRules(b), "role.dates", "22077", "roles.csv", 3, "role_end_reason");
  e.role_end_reason = "ENDED";
  b.fdids[0].fdid_end_date = model::Num::Of(20190101);
  b.fdids[0].fdid_date = model::Num::Of(20180101);
  b.fdids[0].fdid_end_reason = "ENDED";
  a.role_start_date = model::Num::Of(20180101);
  a.role_end_date = model::Num::Of(20190101);
  a.role_end_reason = "ENDED";
  EXPECT_ONE(RunRules(b), "role.dates", "22067", "roles.csv", 3, "role_end_date");
}

TEST(Role, HasDiscretion) {
  model::Books b = MakeBooks();
  auto& a = b.fdids[0].fdid_customer_list[0];
  a.has_discretion = model::Flag::Of(false);
  EXPECT_NONE(RunRules(b), "role.has_discretion");
  a.has_discretion = model::Flag::Of(true);
  EXPECT_ONE(RunRules(b), "role.has_discretion", "22061", "roles.csv", 2, "has_discretion");
  a.has_discretion = model::Flag();
  b.customers.push_back(MakeCustomer(1));
  b.fdids[0].fdid_customer_list.push_back(MakeAssociation(b, 1, "AUTHREP", 1, 0, 3));
  EXPECT_ONE(RunRules(b, Mode::kFile), "role.has_discretion", "22061", "roles.csv", 3,
             "fdidRecordList[0].fdidCustomerList[1].hasDiscretion");
}

TEST(Role, FdidTypeRelationshipNeedsTradingHolders) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_type = "RELATIONSHIP";
  b.fdids[0].account_type = std::vector<std::string>{"RELATIONSHIP"};
  EXPECT_NONE(RunRules(b), "role.fdid_type");
  b.customers.push_back(MakeCustomer(1));
  b.fdids[0].fdid_customer_list.push_back(MakeAssociation(b, 1, "NTHOLDER", 1, 0, 3));
  EXPECT_ONE(RunRules(b), "role.fdid_type", "", "roles.csv", 3, "role");
}

TEST(Role, AuthRepForEmployeesAndAffiliates) {
  model::Books b = MakeBooks();
  b.customers.push_back(MakeCustomer(1));
  b.fdids[0].fdid_customer_list.push_back(MakeAssociation(b, 1, "AUTH3RD", 1, 0, 3));
  b.fdids[0].fdid_customer_list[1].has_discretion = model::Flag::Of(true);
  EXPECT_NONE(RunRules(b), "role.authrep");
  b.customers[1].customer_type = std::vector<std::string>{"EMPLOYEE"};
  auto all = RunRules(b);
  EXPECT_ONE(all, "role.authrep", "", "roles.csv", 3, "role");
  EXPECT_EQ(OfRule(all, "role.authrep")[0].severity, Severity::kPolicy);
  EXPECT_NONE(RunRules(b, Mode::kFile), "role.authrep");  // run column B only
  b.customers[1].customer_type = std::vector<std::string>{"NOTAPPLICABLE"};
  b.customers[1].affiliation = "AFFILIATE";
  EXPECT_ONE(RunRules(b), "role.authrep", "", "roles.csv", 3, "role");
  // [§3.14] a clearing firm reports a correspondent's roles as received.
  b.fdids[0].correspondent_crd = model::Num::Of(4242);
  EXPECT_NONE(RunRules(b), "role.authrep");
}

}  // namespace
}  // namespace caisson::validate::testing
