// Test fixture for the FDID-side validate tests: a valid set of books (one FDID, one customer) that a test
// then breaks in one place. All values are synthetic.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spec/spec.h"
#include "testutil.h"
#include "validate/validate.h"

namespace caisson::validate::testing {

// File indexes of Books::files in the fixture.
enum FileIx : uint32_t {
  kAccounts,
  kCustomers,
  kRoles,
  kAddresses,
  kLargeTraders,
  kAuthTraders,
  kIdentifiers
};
constexpr int32_t kAsOf = 20261120;

inline const spec::Profile& TestProfile() {
  static const spec::Profile* profile = [] {
    Result<spec::Profile> p = spec::LoadProfile(caisson::testing::DataDir(), "cais-2.2.0r4");
    if (!p.ok()) {
      ADD_FAILURE() << p.status().ToString();
      std::abort();
    }
    return new spec::Profile(std::move(p).value());
  }();
  return *profile;
}

inline model::Origin At(uint32_t file, uint64_t line, int32_t index = 0, int32_t parent = -1) {
  model::Origin o;
  o.file = file;
  o.line = line;
  o.index = index;
  o.parent_index = parent;
  return o;
}

inline model::Address MakeAddress(std::string type, model::Origin origin) {
  model::Address a;
  a.addr_type = std::move(type);
  a.addr_line1 = "1 Synthetic Way";
  a.city = "New York";
  a.region_code = "US-NY";
  a.country_code = "US";
  a.postal_code = "10001";
  a.origin = origin;
  return a;
}

// customers[i]: natural person "C-<i+1>", customersRecordID i+1, its own TID, one ADDRESS1.
inline model::Customer MakeCustomer(int i) {
  model::Customer c;
  c.kind = model::CustomerKind::kNaturalPerson;
  c.customer_record_id = model::Num::Of(i + 1);
  c.key = "C-" + std::to_string(i + 1);
  c.first_name = "Ann";
  c.last_name = "Example";
  c.year_of_birth = model::Num::Of(1970);
  c.customer_type = std::vector<std::string>{"NOTAPPLICABLE"};
  c.has_address_list = true;
  c.address_list.push_back(MakeAddress("ADDRESS1", At(kAddresses, 10 + i, 0, i)));
  c.origin = At(kCustomers, 2 + i, i);
  model::TidRecord t;
  t.customer_record_id = c.customer_record_id;
  t.tid_type = "SSN/ITIN";
  // A made-up 64-hex value, distinct per customer; not the hash of any identifier.
  std::string hex(64, '0');
  hex[0] = "abcdef0123456789"[i % 16];
  hex[63] = "0123456789abcdef"[(i / 16) % 16];
  hex[10] = '7';
  t.tid_value = hex;
  t.origin = At(kIdentifiers, 2 + i, i);
  c.tid = t;
  return c;
}

inline model::Association MakeAssociation(const model::Books& books, int customer, std::string role,
                                          int32_t index, int32_t parent, uint64_t line) {
  model::Association a;
  a.customer_index = customer;
  a.customer_record_id = books.customers[customer].customer_record_id;
  a.customer_key = books.customers[customer].key;
  a.role = std::move(role);
  a.role_start_date = model::Num::Of(20200102);
  a.origin = At(kRoles, line, index, parent);
  return a;
}

// fdids[i]: "ACCT-000<i+1>", ACCOUNT/MARGIN, opened 2020-01-02, one ADDRESS1, customers[i] as TRDHOLDER.
inline model::Fdid MakeFdid(const model::Books& books, int i) {
  model::Fdid f;
  f.fdid_record_id = model::Num::Of(i + 1);
  f.firm_designated_id = "ACCT-000" + std::to_string(i + 1);
  f.fdid_type = "ACCOUNT";
  f.account_type = std::vector<std::string>{"MARGIN"};
  f.account_name = "Synthetic margin account";
  f.fdid_date = model::Num::Of(20200102);
  f.has_address_list = true;
  f.address_list.push_back(MakeAddress("ADDRESS1", At(kAddresses, 2 + i, 0, i)));
  f.has_fdid_customer_list = true;
  f.fdid_customer_list.push_back(MakeAssociation(books, i, "TRDHOLDER", 0, i, 2 + i));
  f.origin = At(kAccounts, 2 + i, i);
  return f;
}

// `n` valid FDIDs, each with its own valid customer.
inline model::Books MakeBooks(int n = 1) {
  model::Books b;
  b.files = {"accounts.csv",      "customers.csv",          "roles.csv",      "addresses.csv",
             "large_traders.csv", "authorized_traders.csv", "identifiers.csv"};
  for (int i = 0; i < n; ++i) b.customers.push_back(MakeCustomer(i));
  for (int i = 0; i < n; ++i) b.fdids.push_back(MakeFdid(b, i));
  return b;
}

inline std::vector<Finding> RunRules(const model::Books& books, Mode mode = Mode::kBooks) {
  Options options;
  options.mode = mode;
  options.as_of = kAsOf;
  std::vector<Finding> findings;
  Status s = Validate(TestProfile(), books, options, &findings);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return findings;
}

inline std::vector<Finding> OfRule(const std::vector<Finding>& all, std::string_view rule) {
  std::vector<Finding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const Finding& f) { return f.rule == rule; });
  return out;
}

inline std::string Dump(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) {
    AppendFindingJson(f, &out);
    out.push_back('\n');
  }
  return out;
}

// Asserts that `all` holds exactly one finding of `rule`, with this code, file, line and field.
#define EXPECT_ONE(all, rule_id, code, file_name, line_no, field_name)         \
  do {                                                                         \
    auto of_rule_ = ::caisson::validate::testing::OfRule((all), (rule_id));    \
    ASSERT_EQ(of_rule_.size(), 1u) << ::caisson::validate::testing::Dump(all); \
    EXPECT_EQ(of_rule_[0].cais_code, (code));                                  \
    EXPECT_EQ(of_rule_[0].file, (file_name));                                  \
    EXPECT_EQ(of_rule_[0].line, static_cast<uint64_t>(line_no));               \
    EXPECT_EQ(of_rule_[0].field, (field_name));                                \
  } while (0)

#define EXPECT_NONE(all, rule_id)                                             \
  EXPECT_TRUE(::caisson::validate::testing::OfRule((all), (rule_id)).empty()) \
      << ::caisson::validate::testing::Dump(all)

}  // namespace caisson::validate::testing
