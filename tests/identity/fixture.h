// Test helpers for identity: small synthetic books (never real identifiers).
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "identity/identity.h"
#include "model/model.h"
#include "spec/spec.h"
#include "testutil.h"

namespace caisson::identity::testing {

inline const spec::Profile& TestProfile() {
  static const spec::Profile* profile = [] {
    Result<spec::Profile> p = spec::LoadProfile(caisson::testing::DataDir(), "cais-2.2.0r4");
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? new spec::Profile(std::move(p.value())) : nullptr;
  }();
  return *profile;
}

// Files: 0 accounts.csv, 1 customers.csv, 2 identifiers.csv, 3 addresses.csv.
struct World {
  model::Books books;
  model::SensitiveInput sensitive;
  std::vector<Finding> findings;
  uint64_t next_id_line = 2;

  World() { books.files = {"accounts.csv", "customers.csv", "identifiers.csv", "addresses.csv"}; }

  size_t AddCustomer(const std::string& key, model::CustomerKind kind) {
    model::Customer c;
    c.key = key;
    c.kind = kind;
    c.origin.file = 1;
    c.origin.line = books.customers.size() + 2;
    books.customers.push_back(c);
    sensitive.identifiers.emplace_back();
    sensitive.birth_dates.emplace_back();
    return books.customers.size() - 1;
  }
  size_t Np(const std::string& key) { return AddCustomer(key, model::CustomerKind::kNaturalPerson); }
  size_t Le(const std::string& key) { return AddCustomer(key, model::CustomerKind::kLegalEntity); }

  model::RawIdentifier& Id(size_t customer, const std::string& type, const std::string& value,
                           model::Text country = std::nullopt) {
    model::RawIdentifier r;
    r.id_type = type;
    r.id_value = value;
    r.country = country;
    r.origin.file = 2;
    r.origin.line = next_id_line++;
    sensitive.identifiers[customer].push_back(r);
    return sensitive.identifiers[customer].back();
  }

  Status Run(Options options = {}) {
    if (options.as_of == 0) options.as_of = 20240610;
    return Transform(TestProfile(), options, &books, &sensitive, &findings);
  }

  // Findings of `rule`.
  std::vector<Finding> Of(const std::string& rule) const {
    std::vector<Finding> out;
    for (const Finding& f : findings) {
      if (f.rule == rule) out.push_back(f);
    }
    return out;
  }
};

}  // namespace caisson::identity::testing
