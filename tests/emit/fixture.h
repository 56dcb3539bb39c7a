// Hand-built books for the emit tests. All values are synthetic; TID values are SHA-256 digests of made-up
// labels, not of any identifier.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "caisjson/caisjson.h"
#include "emit/emit.h"
#include "model/model.h"
#include "spec/spec.h"
#include "testutil.h"

namespace caisson::emit::testfix {

inline model::Address Addr(std::string type, std::string line1, std::string city, std::string region,
                           std::string country, std::string postal) {
  model::Address a;
  a.addr_type = std::move(type);
  a.addr_line1 = std::move(line1);
  a.city = std::move(city);
  if (!region.empty()) a.region_code = std::move(region);
  a.country_code = std::move(country);
  if (!postal.empty()) a.postal_code = std::move(postal);
  return a;
}

// A 64-hex-digit value made from `seed` (uppercase on purpose: emit must lowercase it).
inline std::string Hex64(unsigned seed) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s;
  unsigned x = seed * 2654435761u + 12345u;
  for (int i = 0; i < 64; ++i) {
    x = x * 1103515245u + 12345u;
    s.push_back(kHex[(x >> 16) & 15]);
  }
  return s;
}

inline model::TidRecord Tid(std::string type, unsigned seed) {
  model::TidRecord t;
  t.tid_type = std::move(type);
  t.tid_value = Hex64(seed);
  return t;
}

inline model::Customer Person(std::string key, std::string first, std::string last, int64_t yob,
                              unsigned seed) {
  model::Customer c;
  c.kind = model::CustomerKind::kNaturalPerson;
  c.key = std::move(key);
  c.first_name = std::move(first);
  c.last_name = std::move(last);
  c.year_of_birth = model::Num::Of(yob);
  c.has_address_list = true;
  c.address_list.push_back(Addr("ADDRESS1", "1 TEST ST", "NEW YORK", "US-NY", "US", "10011"));
  c.customer_type = std::vector<std::string>{"NOTAPPLICABLE"};
  c.tid = Tid("SSN/ITIN", seed);
  return c;
}

inline model::Customer Entity(std::string key, std::string name, unsigned seed) {
  model::Customer c;
  c.kind = model::CustomerKind::kLegalEntity;
  c.key = std::move(key);
  c.legal_name = std::move(name);
  c.has_address_list = true;
  c.address_list.push_back(Addr("ADDRESS1", "84 EXAMPLE AVE", "BOSTON", "US-MA", "US", "02101"));
  c.customer_type = std::vector<std::string>{"NOTAPPLICABLE"};
  c.tid = Tid("FOREIGN", seed);
  c.tid->foreign_tid_type = "LEI";
  return c;
}

inline model::Association Assoc(int32_t customer, std::string role, int64_t start) {
  model::Association a;
  a.customer_index = customer;
  a.role = std::move(role);
  a.role_start_date = model::Num::Of(start);
  return a;
}

inline model::Fdid Account(std::string id, int64_t date) {
  model::Fdid f;
  f.firm_designated_id = std::move(id);
  f.fdid_type = "ACCOUNT";
  f.account_type = std::vector<std::string>{"MARGIN"};
  f.account_name = "TEST ACCOUNT";
  f.fdid_date = model::Num::Of(date);
  f.has_address_list = true;
  f.address_list.push_back(Addr("ADDRESS1", "1 TEST ST", "NEW YORK", "US-NY", "US", "10011"));
  return f;
}

inline Options BaseOptions(const std::filesystem::path& out) {
  Options o;
  o.cat_submitter_id = 99999;
  o.cat_reporter_crd = 123456;
  o.file_date = 20240315;
  o.out_dir = out;
  return o;
}

inline spec::Profile LoadOrDie(std::string_view name = "cais-2.2.0r4") {
  Result<spec::Profile> p = spec::LoadProfile(testing::DataDir(), name);
  if (!p.ok()) {
    ADD_FAILURE() << p.status().ToString();
    std::abort();
  }
  return std::move(p).value();
}

inline std::string Decompressed(const std::filesystem::path& p) {
  Result<std::string> r = caisjson::ReadMaybeBz2(p);
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    return {};
  }
  return std::move(r).value();
}

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Books sized n FDIDs, each with one NP customer of its own: the small-record workload of the split tests.
inline model::Books Simple(int n) {
  model::Books b;
  for (int i = 0; i < n; ++i) {
    b.customers.push_back(Person("C" + std::to_string(i), "A", "B", 1970, static_cast<unsigned>(i)));
    model::Fdid f = Account("F" + std::to_string(i), 20200101);
    f.fdid_customer_list.push_back(Assoc(i, "TRDHOLDER", 20200101));
    b.fdids.push_back(std::move(f));
  }
  return b;
}

}  // namespace caisson::emit::testfix
