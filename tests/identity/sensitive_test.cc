// fdid.sensitive: account numbers, raw identifiers and birth dates never reach an emitted field.

#include <string>

#include <gtest/gtest.h>

#include "fixture.h"
#include "identity/identity.h"
#include "testutil.h"

namespace caisson::identity {
namespace {

using testing::World;

// One FDID (accounts.csv line 2) with customer 0 associated.
size_t AddFdid(World* w, const std::string& fdid, const std::string& account_number, size_t customer) {
  model::Fdid f;
  f.firm_designated_id = fdid;
  f.account_type = std::vector<std::string>{"INSTITUTION"};
  f.account_name = "Synthetic Holdings";
  f.origin.file = 0;
  f.origin.line = w->books.fdids.size() + 2;
  model::Association a;
  a.customer_key = w->books.customers[customer].key;
  a.customer_index = static_cast<int32_t>(customer);
  f.fdid_customer_list.push_back(a);
  f.has_fdid_customer_list = true;
  w->books.fdids.push_back(f);
  w->sensitive.account_numbers.push_back(account_number);
  return w->books.fdids.size() - 1;
}

TEST(FdidSensitive, CleanBooksPass) {
  World w;
  size_t c = w.Np("C1");
  w.books.customers[c].last_name = "Example";
  w.Id(c, "SSN", "987-65-4320");
  w.sensitive.birth_dates[c] = "19800214";
  AddFdid(&w, "ACC-0001", "77-001234", c);
  ASSERT_OK(w.Run());
  EXPECT_TRUE(w.Of("fdid.sensitive").empty());
}

TEST(FdidSensitive, FdidIsAccountNumber) {
  World w;
  size_t c = w.Np("C1");
  w.Id(c, "SSN", "987-65-4320");
  AddFdid(&w, "77001234", "77-001234", c);   // non-proprietary, equal without separators
  size_t prop = AddFdid(&w, "77005555", "77005555", c);
  w.books.fdids[prop].account_type = std::vector<std::string>{"FIRM"};  // proprietary by default
  size_t flagged = AddFdid(&w, "77006666", "77006666", c);
  w.books.fdids[flagged].account_type = std::vector<std::string>{"FIRM"};
  w.books.fdids[flagged].proprietary = model::Flag::Of(false);
  ASSERT_OK(w.Run());
  auto f = w.Of("fdid.sensitive");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].record, RecordKind::kFdid);
  EXPECT_EQ(f[0].key, "77001234");
  EXPECT_EQ(f[0].file, "accounts.csv");
  EXPECT_EQ(f[0].line, 2u);
  EXPECT_EQ(f[0].field, "fdid");
  EXPECT_EQ(f[0].severity, Severity::kPolicy);
  EXPECT_EQ(f[0].cais_code, "");
  EXPECT_EQ(f[1].key, "77006666");
}

TEST(FdidSensitive, FieldsContainingValues) {
  World w;
  size_t c = w.Np("C1");
  w.Id(c, "SSN", "987-65-4320");
  w.Id(c, "PASSPORT", "XK-55123", "FR");
  w.Id(c, "LEI", "5493001KJTIIGC8Y1R12");  // plaintext anyway: not a needle
  w.sensitive.birth_dates[c] = "19800214";
  size_t other = w.Np("C2");
  size_t f = AddFdid(&w, "ACC-0001", "77-001234", c);
  w.books.fdids[f].account_name = "Trust 987654320";                // SSN without separators
  model::Address addr;
  addr.addr_line1 = "acct 77001234 care of";                        // account number
  addr.origin = {3, 9, -1, -1};
  w.books.fdids[f].address_list.push_back(addr);
  model::AuthTraderName t;
  t.auth_trader_name = "Born 1980-02-14";                           // birth date
  t.origin = {0, 2, -1, -1};
  w.books.fdids[f].auth_trader_names_list.push_back(t);
  w.books.customers[c].doing_business_as = "xk 55123 trading";       // passport, other case and separators
  w.books.customers[c].legal_name = "5493001KJTIIGC8Y1R12";
  w.books.customers[other].last_name = "987-65-4320";                // not this FDID's customer: own values only
  ASSERT_OK(w.Run());
  auto found = w.Of("fdid.sensitive");
  std::vector<std::string> fields;
  for (const Finding& x : found) fields.push_back(x.key + ":" + x.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"ACC-0001:account_name", "ACC-0001:line1",
                                              "ACC-0001:full_name", "C1:doing_business_as"}));
  EXPECT_EQ(found[1].file, "addresses.csv");
  EXPECT_EQ(found[1].line, 9u);
  EXPECT_EQ(found[3].record, RecordKind::kCustomer);
  EXPECT_EQ(found[3].record_index, 0);
  for (const Finding& x : found) {
    EXPECT_EQ(x.message.find("987"), std::string::npos);
    EXPECT_EQ(x.message.find("1980"), std::string::npos);
  }
}

// The scan passes over texts with fewer digits than every value sought; a value with no digits is still found,
// and customers no FDID brings in are still checked against their own values.
TEST(FdidSensitive, ValuesWithoutDigitsAndCustomersOfNoFdid) {
  World w;
  size_t c = w.Np("C1");
  w.Id(c, "PASSPORT", "QWERTYUI", "FR");
  w.Id(c, "SSN", "987-65-4320");
  size_t lone = w.Np("C2");
  w.Id(lone, "SSN", "123-45-6780");
  size_t f = AddFdid(&w, "ACC-0001", "77-001234", c);
  w.books.fdids[f].account_name = "Qwertyui Family";                 // letters only: no digit to count
  w.books.customers[c].last_name = "Plain";                           // no digits: passed over, nothing to find
  w.books.customers[lone].legal_name = "Holding 123 45 6780";         // C2 is on no FDID
  ASSERT_OK(w.Run());
  std::vector<std::string> fields;
  for (const Finding& x : w.Of("fdid.sensitive")) fields.push_back(x.key + ":" + x.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"ACC-0001:account_name", "C2:legal_name"}));
}

TEST(FdidSensitive, ShortValuesIgnored) {
  World w;
  size_t c = w.Np("C1");
  w.Id(c, "OTHGOVT", "A-1", "FR");
  AddFdid(&w, "ACC-0001", "123", c);
  w.books.fdids[0].account_name = "A1 123 plan";
  ASSERT_OK(w.Run());
  EXPECT_TRUE(w.Of("fdid.sensitive").empty());
}

}  // namespace
}  // namespace caisson::identity
