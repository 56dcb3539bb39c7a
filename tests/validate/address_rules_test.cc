// address.* (rules_address.cc) at both owner levels, and customer.address (rules_customer.cc).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "validate/fixtures_b.h"

namespace caisson::validate {
namespace {

using namespace testing_b;  // NOLINT: test fixtures

// Runs CheckAddressList on one address of the FDID of BooksOf({}).
std::vector<Finding> RunFdidAddress(const model::Address& a, Mode mode = Mode::kBooks) {
  model::Books b = BooksOf({});
  b.fdids[0].has_address_list = true;
  b.fdids[0].address_list = {a};
  if (mode == Mode::kFile) {
    b.files = {"data.json", "tids.json"};
    b.fdids[0].origin = model::Origin{0, 3, 0, -1};
    b.fdids[0].address_list[0].origin = model::Origin{0, 4, 0, 0};
  }
  Options options;
  options.mode = mode;
  options.as_of = kAsOf;
  std::vector<Finding> out;
  Context ctx(Profile(), b, options, &out);
  CheckAddressList(ctx, AddressOwner::kFdid, 0, b.fdids[0].address_list, true, b.fdids[0].origin);
  EXPECT_TRUE(ctx.problem.ok());
  return out;
}

std::vector<Finding> RunCustomerAddress(const model::Address& a, Mode mode = Mode::kBooks) {
  model::Customer c = Np();
  c.address_list = {a};
  c.address_list[0].origin = model::Origin{kAddressesCsv, kAddressLine, -1, -1};
  model::Books b = BooksOf({c});
  if (mode == Mode::kFile) b = AsFile(b);
  return RunCustomers(b, mode);
}

// One finding of `rule` with the FDID code and the Customer code at each level, located in the address.
void ExpectBothLevels(const model::Address& a, const char* rule, const char* fdid_code,
    const char* customer_code,
                      const char* field_books, const char* cais_field) {
  std::vector<Finding> f = RunFdidAddress(a);
  EXPECT_ONE(f, rule, fdid_code, "addresses.csv", kAddressLine, field_books);
  EXPECT_EQ(f[0].record, RecordKind::kFdid);
  EXPECT_EQ(f[0].key, "ACCT1");
  f = RunFdidAddress(a, Mode::kFile);
  EXPECT_ONE(f, rule, fdid_code, "data.json", 4, std::string("fdidRecordList[0].addressList[0].")
      + cais_field);
  f = RunCustomerAddress(a);
  EXPECT_ONE(f, rule, customer_code, "addresses.csv", kAddressLine, field_books);
  EXPECT_EQ(WithCode(f, rule, customer_code)[0].record, RecordKind::kCustomer);
  EXPECT_EQ(WithCode(f, rule, customer_code)[0].key, "C1");
  f = RunCustomerAddress(a, Mode::kFile);
  EXPECT_ONE(f, rule, customer_code, "data.json", 12,
             std::string("naturalPersonCustomerList[0].addressList[0].") + cais_field);
}

TEST(Address, ValidAddressesHaveNoFinding) {
  std::vector<model::Address> good;
  good.push_back(UsAddress());
  model::Address ca = UsAddress();
  ca.region_code = "CA-ON";
  ca.country_code = "CA";
  ca.postal_code = "K1A 0B1";
  good.push_back(ca);
  model::Address military = UsAddress();
  military.city = "APO";
  military.region_code = "US-AE";
  military.postal_code = "09001-1234";
  good.push_back(military);
  model::Address gb = UsAddress();  // no region list or postal format: both optional
  gb.region_code.reset();
  gb.postal_code.reset();
  gb.country_code = "GB";
  good.push_back(gb);
  model::Address pr = gb;  // Puerto Rico as a country [App E fn 6]
  pr.country_code = "PR";
  good.push_back(pr);
  model::Address lines = UsAddress();
  lines.addr_line2 = "Suite 5";
  lines.addr_line3 = "Building \xc3\x89";
  lines.addr_line4 = std::string(40, 'x');
  good.push_back(lines);
  for (const model::Address& a : good) {
    EXPECT_TRUE(RunFdidAddress(a).empty()) << Dump(RunFdidAddress(a));
    EXPECT_TRUE(RunCustomerAddress(a).empty()) << Dump(RunCustomerAddress(a));
  }
}

TEST(AddressLines, Line1Missing) {
  model::Address a = UsAddress();
  a.addr_line1.reset();
  ExpectBothLevels(a, "address.lines", "22056", "22515", "line1", "addrLine1");
}

TEST(AddressLines, LineAfterAGap) {
  model::Address a = UsAddress();
  a.addr_line3 = "Floor 2";
  ExpectBothLevels(a, "address.lines", "22035", "22517", "line3", "addrLine3");
}

TEST(AddressLengths, LineFormat) {
  model::Address a = UsAddress();
  a.addr_line2 = std::string(41, 'x');  // 4 x 40 [§5.1.3.2 R10]
  ExpectBothLevels(a, "address.lengths", "22060", "22528", "line2", "addrLine2");
  a.addr_line2 = "Tab\there";
  ExpectBothLevels(a, "address.lengths", "22060", "22528", "line2", "addrLine2");
}

TEST(AddressLengths, City) {
  model::Address a = UsAddress();
  a.city.reset();
  ExpectBothLevels(a, "address.lengths", "22036", "22518", "city", "city");
  a.city = std::string(101, 'c');
  ExpectBothLevels(a, "address.lengths", "22036", "22518", "city", "city");
  a.city = std::string(100, 'c');
  EXPECT_TRUE(RunFdidAddress(a).empty());
}

TEST(AddressLengths, RegionAndPostalText) {
  model::Address a = UsAddress();
  a.country_code = "GB";
  a.region_code = std::string(41, 'r');
  ExpectBothLevels(a, "address.lengths", "22037", "22519", "region", "regionCode");
  a = UsAddress();
  a.country_code = "GB";
  a.postal_code = "SW1A@1AA";  // @ is not Text
  ExpectBothLevels(a, "address.lengths", "22039", "22521", "postal_code", "postalCode");
  a.postal_code = std::string(16, '1');
  ExpectBothLevels(a, "address.lengths", "22039", "22521", "postal_code", "postalCode");
}

TEST(AddressCountry, MissingOrUnknown) {
  model::Address a = UsAddress();
  a.country_code.reset();
  ExpectBothLevels(a, "address.country", "22038", "22520", "country", "countryCode");
  a.country_code = "USA";
  ExpectBothLevels(a, "address.country", "22038", "22520", "country", "countryCode");
  a.country_code = "us";  // ISO codes are upper case
  ExpectBothLevels(a, "address.country", "22038", "22520", "country", "countryCode");
}

TEST(AddressUsRegion, RegionRequiredAndFromList) {
  model::Address a = UsAddress();
  a.region_code.reset();
  ExpectBothLevels(a, "address.us_region", "22037", "22519", "region", "regionCode");
  a.region_code = "IL";  // must be ISO 3166-2 (Caisson derives US-IL from the books)
  ExpectBothLevels(a, "address.us_region", "22037", "22519", "region", "regionCode");
  a.region_code = "CA-ON";  // a Canadian code on a US address
  ExpectBothLevels(a, "address.us_region", "22037", "22519", "region", "regionCode");
}

TEST(AddressUsRegion, MilitaryRegionNeedsMilitaryCity) {  // [§5.1.3.1 R36; §5.1.3.2 R15]
  model::Address a = UsAddress();
  a.region_code = "US-AP";
  ExpectBothLevels(a, "address.us_region", "22037", "22519", "region", "regionCode");
  a.city = "FPO";
  EXPECT_TRUE(RunFdidAddress(a).empty());
}

TEST(AddressUsRegion, PostalRequiredAndFormatted) {
  model::Address a = UsAddress();
  a.postal_code.reset();
  ExpectBothLevels(a, "address.us_region", "22039", "22521", "postal_code", "postalCode");
  a.postal_code = "6270";
  ExpectBothLevels(a, "address.us_region", "22039", "22521", "postal_code", "postalCode");
  a.country_code = "CA";
  a.region_code = "CA-QC";
  a.postal_code = "H2X1Y4";  // missing the space of A9A 9A9
  ExpectBothLevels(a, "address.us_region", "22039", "22521", "postal_code", "postalCode");
}

// [App E fn 6]: a US territory given as a US region has no region or postal validation, at both levels and in
// both modes; any other US region still needs its postal code.
TEST(AddressUsRegion, TerritoriesNeedNoPostalCode) {
  for (const char* region : {"US-PR", "US-GU", "US-VI", "US-AS", "US-MP", "US-UM"}) {
    model::Address a = UsAddress();
    a.region_code = region;
    a.postal_code.reset();
    EXPECT_TRUE(RunFdidAddress(a).empty()) << region;
    EXPECT_TRUE(RunFdidAddress(a, Mode::kFile).empty()) << region;
    EXPECT_TRUE(WithCode(RunCustomerAddress(a), "address.us_region", "22521").empty()) << region;
    EXPECT_TRUE(WithCode(RunCustomerAddress(a, Mode::kFile), "address.us_region", "22521").empty()) << region;
    a.postal_code = "PR-1";  // not the US format: not checked either
    EXPECT_TRUE(RunFdidAddress(a).empty()) << region;
    EXPECT_TRUE(WithCode(RunCustomerAddress(a), "address.us_region", "22521").empty()) << region;
  }
  model::Address a = UsAddress();
  a.region_code = "US-NY";
  a.postal_code.reset();
  ExpectBothLevels(a, "address.us_region", "22039", "22521", "postal_code", "postalCode");
}

// customer.address: list structure [§5.1.3.2 R8].
TEST(CustomerAddress, NoAddress1) {
  model::Customer c = Np();
  c.has_address_list = false;
  c.address_list.clear();
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.address", "22514", "customers.csv", kCustomerLine, "addressList");
  c.address_list = {UsAddress("ADDRESS2")};
  c.has_address_list = true;
  f = RunCustomers(AsFile(BooksOf({c})), Mode::kFile);
  EXPECT_ONE(f, "customer.address", "22514", "data.json", 10, "naturalPersonCustomerList[0].addressList");
  // ADDRESS2 without ADDRESS1 is also out of order.
  EXPECT_ONE(f, "customer.address", "22527", "data.json", 12,
             "naturalPersonCustomerList[0].addressList[0].addrType");
}

TEST(CustomerAddress, TypeInvalidOrRepeated) {
  model::Customer c = Np();
  c.address_list = {UsAddress("ADDRESS1"), UsAddress("HOME")};
  c.address_list[1].origin.line = 9;
  std::vector<Finding> f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.address", "22516", "addresses.csv", 9, "addr_type");
  c.address_list = {UsAddress("ADDRESS1"), UsAddress("ADDRESS1")};
  c.address_list[1].origin.line = 9;
  f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.address", "22527", "addresses.csv", 9, "addr_type");
  c.address_list = {UsAddress("ADDRESS1"), UsAddress("ADDRESS3")};
  c.address_list[1].origin.line = 9;
  f = RunCustomers(BooksOf({c}));
  EXPECT_ONE(f, "customer.address", "22527", "addresses.csv", 9, "addr_type");
  c.address_list = {UsAddress("ADDRESS2"), UsAddress("ADDRESS1"), UsAddress("ADDRESS3"),
      UsAddress("ADDRESS4")};
  EXPECT_TRUE(RunCustomers(BooksOf({c})).empty());
}

}  // namespace
}  // namespace caisson::validate
