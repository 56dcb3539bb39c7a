// Private to src/spec: the data behind a Profile, shared by the loader, the accessors and the generators.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "spec/spec.h"

namespace caisson::spec {

inline constexpr int kObjectCount = static_cast<int>(Object::kTidRecord) + 1;

// Everything a Profile holds; Profile::Rep is this, under the name spec.h keeps private.
struct ProfileData {
  std::string name;
  bool provisional = false;
  std::string schema_version;
  bool pii_exempt_ssn_persons = false;
  std::set<std::string, std::less<>> pii_exempt_fields;
  std::string provenance;
  std::array<std::vector<Field>, kObjectCount> fields;
  std::vector<Code> codes;  // sorted by code
  std::set<std::string, std::less<>> countries;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> regions;
  std::map<std::string, std::vector<std::string>, std::less<>> postal_formats;
  int64_t max_file_bytes_hard = 0;
  int64_t portal_max_file_bytes = 0;
  int64_t portal_max_records = 0;
  int32_t max_customers_per_fdid = 0;
  std::vector<std::pair<std::string, std::string>> provisional_items;
};

// Lookup tables over the data, made once by Profile's constructor (the data does not change after): validate
// asks for a field, a country and a region for every address it checks, and std::map / linear lookups were
// ~5 % of its time.
struct ProfileIndex {
  std::array<std::unordered_map<std::string_view, const Field*>, kObjectCount> fields;
  std::bitset<26 * 26> countries;  // alpha-2 codes, (first - 'A') * 26 + (second - 'A')
  bool countries_all_alpha2 = true;
  std::unordered_map<std::string_view, std::unordered_set<std::string_view>> regions;
  std::unordered_map<std::string_view, const std::vector<std::string>*> postal_formats;
};

struct Profile::Rep : ProfileData {
  ProfileIndex index;
  void BuildIndex();
};

// Table 3 spelling of a data type, as written in profiles ("Extended Text", "Array [Choice]", ...).
std::string_view DataTypeName(DataType t);
// The inverse; false when `name` is not a Table 3 type.
bool ParseDataType(std::string_view name, DataType* t);
// "R", "C" or "O".
std::string_view PresenceName(Presence p);
// The object whose ObjectName() is `name`; false when none.
bool ParseObject(std::string_view name, Object* o);

}  // namespace caisson::spec
