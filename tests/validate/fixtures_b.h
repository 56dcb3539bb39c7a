// Shared fixtures for the customer, TID and address rule tests (validateB): the shipped profiles, a Books
// with one valid customer of each kind on one FDID, and helpers to run a rule family and pick findings.
//
// All identifiers are synthetic: TID values are patterned hex, the EIN is 00-0000001.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "base/finding.h"
#include "model/model.h"
#include "spec/spec.h"
#include "testutil.h"
#include "validate/context.h"
#include "validate/validate.h"

namespace caisson::validate::testing_b {

inline const spec::Profile& LoadNamed(const char* name) {
  Result<spec::Profile> r = spec::LoadProfile(caisson::testing::DataDir(), name);
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    std::abort();
  }
  return *new spec::Profile(std::move(r).value());
}
inline const spec::Profile& Profile() {
  static const spec::Profile& p = LoadNamed("cais-2.2.0r4");
  return p;
}
inline const spec::Profile& PiiExemptProfile() {
  static const spec::Profile& p = LoadNamed("cais-2.2.0r4-pii-exempt");
  return p;
}

inline std::string Sha256(std::string_view s) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), d, &n, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out.push_back(kHex[d[i] >> 4]);
    out.push_back(kHex[d[i] & 0xF]);
  }
  return out;
}

inline constexpr int32_t kAsOf = 20250601;
inline const std::string kEin = "00-0000001";
inline const std::string kNpTid = std::string(32, 'a') + std::string(32,
    'b');  // not a hash of anything known
inline const std::string kForeignTid = std::string(32, 'c') + std::string(32, 'd');
// A made-up LEI with valid ISO 7064 MOD 97-10 check digits.
inline const std::string kLei = "CAISSONTEST000000145";

// Locations: books mode uses these files; file mode uses data.json (0) / tids.json (1).
enum FileIdx : uint32_t { kCustomersCsv = 0, kIdentifiersCsv = 1, kAddressesCsv = 2, kAccountsCsv = 3 };
inline constexpr uint64_t kCustomerLine = 2, kTidLine = 3, kAddressLine = 4;

inline model::Address UsAddress(const char* type = "ADDRESS1") {
  model::Address a;
  a.addr_type = type;
  a.addr_line1 = "1 Main Street";
  a.city = "Springfield";
  a.region_code = "US-IL";
  a.country_code = "US";
  a.postal_code = "62701";
  a.origin = model::Origin{kAddressesCsv, kAddressLine, -1, -1};
  return a;
}

inline model::TidRecord Tid(const char* type, const std::string& value) {
  model::TidRecord t;
  t.tid_type = type;
  t.tid_value = value;
  t.origin = model::Origin{kIdentifiersCsv, kTidLine, -1, -1};
  return t;
}

inline model::Customer Np(const char* key = "C1") {
  model::Customer c;
  c.kind = model::CustomerKind::kNaturalPerson;
  c.key = key;
  c.first_name = "Ada";
  c.last_name = "Example";
  c.year_of_birth = model::Num::Of(1970);
  c.customer_type = std::vector<std::string>{"NOTAPPLICABLE"};
  c.has_address_list = true;
  c.address_list = {UsAddress()};
  c.tid = Tid("SSN/ITIN", kNpTid);
  c.origin = model::Origin{kCustomersCsv, kCustomerLine, -1, -1};
  return c;
}

inline model::Customer Le(const char* key = "L1") {
  model::Customer c;
  c.kind = model::CustomerKind::kLegalEntity;
  c.key = key;
  c.legal_name = "Example Holdings LLC";
  c.ein = kEin;
  c.customer_type = std::vector<std::string>{"NOTAPPLICABLE"};
  c.has_address_list = true;
  c.address_list = {UsAddress()};
  c.tid = Tid("EIN", Sha256(kEin));
  c.origin = model::Origin{kCustomersCsv, kCustomerLine, -1, -1};
  return c;
}

// Books holding `customers`, all associated with one FDID.
inline model::Books BooksOf(std::vector<model::Customer> customers) {
  model::Books b;
  b.files = {"customers.csv", "identifiers.csv", "addresses.csv", "accounts.csv"};
  model::Fdid f;
  f.firm_designated_id = "ACCT1";
  f.origin = model::Origin{kAccountsCsv, 2, -1, -1};
  for (size_t i = 0; i < customers.size(); ++i) {
    model::Association a;
    a.customer_key = customers[i].key;
    a.customer_index = static_cast<int32_t>(i);
    a.role = "TRDHOLDER";
    f.fdid_customer_list.push_back(a);
  }
  f.has_fdid_customer_list = true;
  b.fdids.push_back(f);
  b.customers = std::move(customers);
  return b;
}

// Turns books-mode fixtures into a check-mode Books: data.json / tids.json with JSON list positions and
// customerRecordIDs 1..n.
inline model::Books AsFile(model::Books b) {
  b.files = {"data.json", "tids.json"};
  int32_t np = 0, le = 0;
  for (size_t i = 0; i < b.customers.size(); ++i) {
    model::Customer& c = b.customers[i];
    const int32_t pos = c.kind == model::CustomerKind::kNaturalPerson ? np++ : le++;
    c.customer_record_id = model::Num::Of(static_cast<int64_t>(i + 1));
    c.key = "crid:" + std::to_string(i + 1);
    c.origin = model::Origin{0, 10 + i * 20, pos, -1};
    for (size_t k = 0; k < c.address_list.size(); ++k) {
      c.address_list[k].origin = model::Origin{0, 12 + i * 20 + k, static_cast<int32_t>(k), pos};
    }
    if (c.tid) {
      c.tid->customer_record_id = c.customer_record_id;
      c.tid->origin = model::Origin{1, 5 + i * 10, static_cast<int32_t>(i), -1};
    }
  }
  b.fdids[0].origin = model::Origin{0, 3, 0, -1};
  return b;
}

inline std::vector<Finding> RunCustomers(const model::Books& b, Mode mode = Mode::kBooks,
                                         const spec::Profile& profile = Profile(), int32_t as_of = kAsOf) {
  Options options;
  options.mode = mode;
  options.as_of = as_of;
  std::vector<Finding> out;
  Context ctx(profile, b, options, &out);
  CheckCustomers(ctx);
  EXPECT_TRUE(ctx.problem.ok()) << ctx.problem.ToString();
  return out;
}

inline std::vector<Finding> With(const std::vector<Finding>& all, std::string_view rule) {
  std::vector<Finding> out;
  for (const Finding& f : all) {
    if (f.rule == rule) out.push_back(f);
  }
  return out;
}

inline std::vector<Finding> WithCode(const std::vector<Finding>& all, std::string_view rule,
    std::string_view code) {
  std::vector<Finding> out;
  for (const Finding& f : all) {
    if (f.rule == rule && f.cais_code == code) out.push_back(f);
  }
  return out;
}

// Prints findings for a failing expectation.
inline std::string Dump(const std::vector<Finding>& all) {
  std::string s;
  for (const Finding& f : all) {
    s += f.rule + " " + f.cais_code + " " + f.key + " " + f.file + ":" + std::to_string(f.line) + " "
        + f.field +
         " | " + f.message + "\n";
  }
  return s;
}

// Exactly one finding of (rule, code) with this location.
#define EXPECT_ONE(findings, rule, code, file_, line_, field_)                                   \
  do {                                                                                          \
    auto hits_ = ::caisson::validate::testing_b::WithCode((findings), (rule), (code));          \
    ASSERT_EQ(hits_.size(), 1u) << ::caisson::validate::testing_b::Dump(findings);              \
    EXPECT_EQ(hits_[0].file, (file_));                                                          \
    EXPECT_EQ(hits_[0].line, static_cast<uint64_t>(line_));                                     \
    EXPECT_EQ(hits_[0].field, (field_));                                                        \
  } while (0)

}  // namespace caisson::validate::testing_b
