// fdid.* rules on the FDID's lists: address structure, customer list, trading customer, LTIDs, names list,
// public administrator.
#include <gtest/gtest.h>

#include "validate/fdid_fixture.h"

namespace caisson::validate::testing {
namespace {

TEST(FdidLists, Address1Structure) {
  model::Books b = MakeBooks();
  b.fdids[0].address_list.push_back(MakeAddress("ADDRESS2", At(kAddresses, 5, 1, 0)));
  EXPECT_NONE(RunRules(b), "fdid.address1");
  b.fdids[0].address_list[1].addr_type = "ADDRESS3";  // gap: ADDRESS2 missing
  EXPECT_ONE(RunRules(b), "fdid.address1", "22059", "accounts.csv", 2, "addressList");
  b.fdids[0].address_list[1].addr_type = "ADDRESS1";  // twice
  EXPECT_ONE(RunRules(b, Mode::kFile), "fdid.address1", "22059", "addresses.csv", 5,
             "fdidRecordList[0].addressList[1].addrType");
  b.fdids[0].address_list[1].addr_type = "HOME";
  EXPECT_ONE(RunRules(b), "fdid.address1", "22057", "addresses.csv", 5, "addr_type");
  b.fdids[0].address_list.clear();
  EXPECT_ONE(RunRules(b), "fdid.address1", "22055", "accounts.csv", 2, "addressList");
  b.fdids[0].address_list.push_back(MakeAddress("ADDRESS2", At(kAddresses, 5, 0, 0)));
  // [App B 22055, 22059]: ADDRESS2 without ADDRESS1 is both a missing ADDRESS1 and an improper address type.
  for (Mode mode : {Mode::kBooks, Mode::kFile}) {
    std::vector<Finding> f = OfRule(RunRules(b, mode), "fdid.address1");
    ASSERT_EQ(f.size(), 2u) << Dump(f);
    EXPECT_EQ(f[0].cais_code, "22055");
    EXPECT_EQ(f[1].cais_code, "22059");
    EXPECT_EQ(f[1].file, "accounts.csv");
    EXPECT_EQ(f[1].line, f[0].line);
    EXPECT_EQ(f[1].field, mode == Mode::kBooks ? "addressList" : "fdidRecordList[0].addressList");
  }
}

TEST(FdidLists, CustomerListPresentUnlessEnding) {
  model::Books b = MakeBooks();
  b.fdids[0].has_fdid_customer_list = false;
  b.fdids[0].fdid_customer_list.clear();
  b.customers.clear();
  EXPECT_ONE(RunRules(b), "fdid.customers", "22040", "accounts.csv", 2, "fdidCustomerList");
  b.fdids[0].fdid_end_date = model::Num::Of(20240102);
  b.fdids[0].fdid_end_reason = "ENDED";
  EXPECT_NONE(RunRules(b, Mode::kFile), "fdid.customers");
}

TEST(FdidLists, CustomersNeedOneNotEndedBeforeTheFdidEnd) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_end_date = model::Num::Of(20240102);
  b.fdids[0].fdid_end_reason = "ENDED";
  auto& a = b.fdids[0].fdid_customer_list[0];
  a.role_end_date = model::Num::Of(20240102);
  a.role_end_reason = "ENDED";
  EXPECT_NONE(RunRules(b), "fdid.customers");
  EXPECT_NONE(RunRules(b), "fdid.trading_customer");
  a.role_end_date = model::Num::Of(20240101);
  EXPECT_ONE(RunRules(b), "fdid.customers", "22068", "accounts.csv", 2, "fdidCustomerList");
}

TEST(FdidLists, CustomersLimitFromTheProfile) {
  model::Books b = MakeBooks();
  const int32_t limit = TestProfile().max_customers_per_fdid();
  ASSERT_EQ(limit, 2000);
  for (int i = 1; i < limit; ++i) {
    b.customers.push_back(MakeCustomer(i));
    b.fdids[0].fdid_customer_list.push_back(MakeAssociation(b, i, "NTHOLDER", i, 0, 2 + i));
  }
  EXPECT_NONE(RunRules(b), "fdid.customers");
  b.customers.push_back(MakeCustomer(limit));
  b.fdids[0].fdid_customer_list.push_back(MakeAssociation(b, limit, "NTHOLDER", limit, 0, 2 + limit));
  EXPECT_ONE(RunRules(b), "fdid.customers", "", "accounts.csv", 2, "fdidCustomerList");
}

TEST(FdidLists, TradingCustomer) {
  model::Books b = MakeBooks();
  auto& a = b.fdids[0].fdid_customer_list[0];
  a.role = "AUTH3RD";
  a.has_discretion = model::Flag::Of(true);
  EXPECT_NONE(RunRules(b), "fdid.trading_customer");
  a.has_discretion = model::Flag::Of(false);
  EXPECT_ONE(RunRules(b), "fdid.trading_customer", "22071", "accounts.csv", 2, "fdidCustomerList");
  a.role = "NTHOLDER";
  a.has_discretion = model::Flag();
  EXPECT_ONE(RunRules(b), "fdid.trading_customer", "22071", "accounts.csv", 2, "fdidCustomerList");
}

model::LargeTrader MakeLtid(std::string id, int32_t index, uint64_t line) {
  model::LargeTrader lt;
  lt.large_trader_record_id = model::Num::Of(index + 1);
  lt.large_trader_id = std::move(id);
  lt.ltid_effective_date = model::Num::Of(20210104);
  lt.origin = At(kLargeTraders, line, index, 0);
  return lt;
}

TEST(FdidLists, LtidFormatsAndRepeats) {
  model::Books b = MakeBooks();
  b.fdids[0].has_large_trader_list = true;
  b.fdids[0].large_trader_list = {MakeLtid("12345678-0001", 0, 2), MakeLtid("ULTAB12C-9Z01", 1, 3)};
  EXPECT_NONE(RunRules(b), "fdid.ltid");
  EXPECT_NONE(RunRules(b, Mode::kFile), "fdid.ltid");
  for (std::string bad :
       {"1234567-00001", "12345678-001", "ULTab12c-9z01", "ULTAB12C_9Z01", "12345678-000A"}) {
    b.fdids[0].large_trader_list[1].large_trader_id = bad;
    EXPECT_ONE(RunRules(b), "fdid.ltid", "22012", "large_traders.csv", 3, "large_trader_id");
  }
  b.fdids[0].large_trader_list[1].large_trader_id = "12345678-0001";
  EXPECT_ONE(RunRules(b, Mode::kFile), "fdid.ltid", "22006", "large_traders.csv", 3,
             "fdidRecordList[0].largeTraderList[1].largeTraderID");
}

TEST(FdidLists, LtidRecordIdsInFileModeOnly) {
  model::Books b = MakeBooks();
  b.fdids[0].has_large_trader_list = true;
  b.fdids[0].large_trader_list = {MakeLtid("12345678-0001", 0, 2), MakeLtid("12345678-0002", 1, 3)};
  b.fdids[0].large_trader_list[1].large_trader_record_id = model::Num::Of(1);
  EXPECT_ONE(RunRules(b, Mode::kFile), "fdid.ltid", "22014", "large_traders.csv", 3,
             "fdidRecordList[0].largeTraderList[1].largeTraderRecordID");
  b.fdids[0].large_trader_list[1].large_trader_record_id = model::Num::Invalid();
  EXPECT_ONE(RunRules(b, Mode::kFile), "fdid.ltid", "22013", "large_traders.csv", 3,
             "fdidRecordList[0].largeTraderList[1].largeTraderRecordID");
  EXPECT_NONE(RunRules(b), "fdid.ltid");
}

TEST(FdidLists, LtidDates) {
  model::Books b = MakeBooks();
  b.fdids[0].has_large_trader_list = true;
  b.fdids[0].large_trader_list = {MakeLtid("12345678-0001", 0, 2)};
  auto& lt = b.fdids[0].large_trader_list[0];
  lt.ltid_effective_date = model::Num::Of(20210230);
  EXPECT_ONE(RunRules(b), "fdid.ltid", "22015", "large_traders.csv", 2, "effective_date");
  lt.ltid_effective_date = model::Num::Of(20210104);
  lt.ltid_end_date = model::Num::Of(20220104);
  EXPECT_ONE(RunRules(b), "fdid.ltid", "22017", "large_traders.csv", 2, "end_reason");
  lt.ltid_end_reason = "ENDED";
  EXPECT_NONE(RunRules(b), "fdid.ltid");
  lt.ltid_end_date = model::Num();
  EXPECT_ONE(RunRules(b), "fdid.ltid", "22016", "large_traders.csv", 2, "end_date");
  lt.ltid_end_date = model::Num::Of(20210103);
  EXPECT_ONE(RunRules(b), "fdid.ltid", "22028", "large_traders.csv", 2, "end_date");
  lt.ltid_end_date = model::Num::Of(20220104);
  lt.ltid_end_reason = "INACTIVE";
  EXPECT_ONE(RunRules(b), "fdid.ltid", "22076", "large_traders.csv", 2, "end_reason");
}

model::AuthTraderName MakeName(int64_t id, std::string name, int32_t index, uint64_t line) {
  model::AuthTraderName n;
  n.auth_trader_name_id = model::Num::Of(id);
  n.auth_trader_name = std::move(name);
  n.origin = At(kAuthTraders, line, index, 0);
  return n;
}

TEST(FdidLists, AuthNamesWarnWheneverUsed) {
  model::Books b = MakeBooks();
  EXPECT_NONE(RunRules(b), "fdid.auth_names");
  b.fdids[0].has_auth_trader_names_list = true;
  b.fdids[0].auth_trader_names_list = {MakeName(1, "Pat Sample", 0, 2)};
  auto all = RunRules(b);
  EXPECT_ONE(all, "fdid.auth_names", "", "accounts.csv", 2, "authTraderNamesList");
  EXPECT_EQ(OfRule(all, "fdid.auth_names")[0].severity, Severity::kWarning);
}

TEST(FdidLists, AuthNameRecord) {
  model::Books b = MakeBooks();
  b.fdids[0].has_auth_trader_names_list = true;
  b.fdids[0].auth_trader_names_list = {MakeName(1, std::string(200, 'x'), 0, 2),
                                       MakeName(2, "Lee Sample", 1, 3)};
  EXPECT_NONE(RunRules(b, Mode::kFile), "fdid.auth_name_record");
  b.fdids[0].auth_trader_names_list[1].auth_trader_name_id = model::Num::Of(1);
  EXPECT_ONE(RunRules(b, Mode::kFile), "fdid.auth_name_record", "22073", "authorized_traders.csv", 3,
             "fdidRecordList[0].authTraderNamesList[1].authTraderNameID");
  b.fdids[0].auth_trader_names_list[1].auth_trader_name_id = model::Num();
  EXPECT_ONE(RunRules(b, Mode::kFile), "fdid.auth_name_record", "22072", "authorized_traders.csv", 3,
             "fdidRecordList[0].authTraderNamesList[1].authTraderNameID");
  b = MakeBooks();
  b.fdids[0].has_auth_trader_names_list = true;
  b.fdids[0].auth_trader_names_list = {MakeName(1, std::string(201, 'x'), 0, 2)};
  EXPECT_ONE(RunRules(b), "fdid.auth_name_record", "22074", "authorized_traders.csv", 2, "authTraderName");
}

TEST(FdidLists, PublicAdministratorNeedsNamesList) {
  model::Books b = MakeBooks();
  b.customers[0].doing_business_as = "PUBLIC ADMINISTRATOR";
  auto all = RunRules(b);
  EXPECT_ONE(all, "fdid.public_admin", "", "accounts.csv", 2, "authTraderNamesList");
  EXPECT_EQ(OfRule(all, "fdid.public_admin")[0].severity, Severity::kPolicy);
  EXPECT_NONE(RunRules(b, Mode::kFile), "fdid.public_admin");  // run column B only
  b.fdids[0].has_auth_trader_names_list = true;
  b.fdids[0].auth_trader_names_list = {MakeName(1, "Pat Sample", 0, 2)};
  EXPECT_NONE(RunRules(b), "fdid.public_admin");
}

}  // namespace
}  // namespace caisson::validate::testing
