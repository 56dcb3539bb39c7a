// Profile accessors and the small name tables of spec.h.
#include <algorithm>
#include <string_view>

#include "spec/rep.h"
#include "spec/spec.h"

namespace caisson::spec {

namespace {
constexpr std::string_view kObjectNames[kObjectCount] = {"DataFileMain",
                                                         "FdidRecord",
                                                         "AddressRecord",
                                                         "LargeTraderRecord",
                                                         "FdidCustomerRecord",
                                                         "AuthTraderNameRecord",
                                                         "NaturalPersonCustomerRecord",
                                                         "LegalEntityCustomerRecord",
                                                         "CorrectionActionRecord",
                                                         "TidFileMain",
                                                         "TidRecord"};

// [Table 3], spelled as Table 8/9 write the types; array element types carry no length here (the length
// is the field's "lengths").
constexpr std::pair<DataType, std::string_view> kTypeNames[] = {
    {DataType::kUnsigned, "Unsigned"},
    {DataType::kBoolean, "Boolean"},
    {DataType::kAlphanumeric, "Alphanumeric"},
    {DataType::kText, "Text"},
    {DataType::kExtendedText, "Extended Text"},
    {DataType::kDate, "Date"},
    {DataType::kYear, "Year"},
    {DataType::kChoice, "Choice"},
    {DataType::kHexadecimal, "Hexadecimal"},
    {DataType::kArrayOfChoice, "Array [Choice]"},
    {DataType::kArrayOfAlphanumeric, "Array [Alphanumeric]"},
    {DataType::kArrayOfUnsigned, "Array [Unsigned]"},
    {DataType::kObjectArray, "Multi-Dimensional Array"},
    {DataType::kTimestamp, "Timestamp"},
};
}  // namespace

std::string_view ObjectName(Object o) { return kObjectNames[static_cast<int>(o)]; }

bool ParseObject(std::string_view name, Object* o) {
  for (int i = 0; i < kObjectCount; ++i) {
    if (kObjectNames[i] == name) {
      *o = static_cast<Object>(i);
      return true;
    }
  }
  return false;
}

std::string_view DataTypeName(DataType t) {
  for (const auto& [type, name] : kTypeNames) {
    if (type == t) return name;
  }
  return "?";
}

bool ParseDataType(std::string_view name, DataType* t) {
  for (const auto& [type, n] : kTypeNames) {
    if (n == name) {
      *t = type;
      return true;
    }
  }
  return false;
}

std::string_view PresenceName(Presence p) {
  switch (p) {
    case Presence::kRequired:
      return "R";
    case Presence::kConditional:
      return "C";
    case Presence::kOptional:
      return "O";
  }
  return "?";
}

int32_t Field::MaxLength(int32_t as_of) const {
  int32_t result = 0;
  for (const LengthStep& step : lengths) {  // sorted by from_date on load
    if (step.from_date <= as_of) result = step.max_length;
  }
  return result;
}

bool Field::Allows(std::string_view v) const {
  return std::find(enumeration.begin(), enumeration.end(), v) != enumeration.end();
}

namespace {
// The alpha2 table's slot of `code`, or -1 when it is not two upper-case ASCII letters.
int Alpha2Slot(std::string_view code) {
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return -1;
  return (code[0] - 'A') * 26 + (code[1] - 'A');
}
}  // namespace

void Profile::Rep::BuildIndex() {
  for (int o = 0; o < kObjectCount; ++o) {
    for (const Field& f : fields[static_cast<size_t>(o)]) index.fields[static_cast<size_t>(o)].emplace(f.name, &f);
  }
  for (const std::string& c : countries) {
    const int slot = Alpha2Slot(c);
    if (slot < 0) {
      index.countries_all_alpha2 = false;
    } else {
      index.countries.set(static_cast<size_t>(slot));
    }
  }
  for (const auto& [country, codes] : regions) {
    auto& set = index.regions[country];
    for (const std::string& code : codes) set.insert(code);
  }
  for (const auto& [country, formats] : postal_formats) index.postal_formats.emplace(country, &formats);
}

Profile::Profile(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {
  if (rep_) rep_->BuildIndex();
}
Profile::~Profile() = default;
Profile::Profile(Profile&&) noexcept = default;
Profile& Profile::operator=(Profile&&) noexcept = default;

const std::string& Profile::name() const { return rep_->name; }
bool Profile::provisional() const { return rep_->provisional; }
const std::string& Profile::schema_version() const { return rep_->schema_version; }
bool Profile::pii_exempt_ssn_persons() const { return rep_->pii_exempt_ssn_persons; }
bool Profile::PiiExemptField(std::string_view name) const {
  return rep_->pii_exempt_ssn_persons && rep_->pii_exempt_fields.find(name) != rep_->pii_exempt_fields.end();
}

const Field* Profile::Find(Object object, std::string_view name) const {
  const auto& index = rep_->index.fields[static_cast<size_t>(object)];
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

const std::vector<Field>& Profile::Fields(Object object) const {
  return rep_->fields[static_cast<int>(object)];
}

const Code* Profile::FindCode(std::string_view code) const {
  auto it = std::lower_bound(rep_->codes.begin(), rep_->codes.end(), code,
                             [](const Code& c, std::string_view v) { return c.code < v; });
  return (it != rep_->codes.end() && it->code == code) ? &*it : nullptr;
}

const std::vector<Code>& Profile::Codes() const { return rep_->codes; }

bool Profile::IsCountry(std::string_view alpha2) const {
  if (rep_->index.countries_all_alpha2) {
    const int slot = Alpha2Slot(alpha2);
    return slot >= 0 && rep_->index.countries.test(static_cast<size_t>(slot));
  }
  return rep_->countries.find(alpha2) != rep_->countries.end();
}

std::vector<std::string> Profile::Countries() const {
  return std::vector<std::string>(rep_->countries.begin(), rep_->countries.end());
}

bool Profile::HasRegionList(std::string_view country) const {
  return rep_->index.regions.find(country) != rep_->index.regions.end();
}

bool Profile::IsRegion(std::string_view country, std::string_view code) const {
  auto it = rep_->index.regions.find(country);
  return it != rep_->index.regions.end() && it->second.find(code) != it->second.end();
}

namespace {
// Format letters of appendix-e.json: 9 = digit, A = letter, anything else stands for itself.
bool MatchesFormat(std::string_view format, std::string_view v) {
  if (format.size() != v.size()) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    const char f = format[i];
    const char c = v[i];
    if (f == '9') {
      if (c < '0' || c > '9') return false;
    } else if (f == 'A') {
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
    } else if (f != c) {
      return false;
    }
  }
  return true;
}
}  // namespace

bool Profile::PostalCodeMatches(std::string_view country, std::string_view postal) const {
  auto it = rep_->index.postal_formats.find(country);
  if (it == rep_->index.postal_formats.end()) return true;  // [App E] no format noted: no format check
  for (const std::string& format : *it->second) {
    if (MatchesFormat(format, postal)) return true;
  }
  return false;
}

int64_t Profile::max_file_bytes_hard() const { return rep_->max_file_bytes_hard; }
int64_t Profile::portal_max_file_bytes() const { return rep_->portal_max_file_bytes; }
int64_t Profile::portal_max_records() const { return rep_->portal_max_records; }
int32_t Profile::max_customers_per_fdid() const { return rep_->max_customers_per_fdid; }

const std::vector<std::pair<std::string, std::string>>& Profile::Provisional() const {
  return rep_->provisional_items;
}

const std::string& Profile::provenance() const { return rep_->provenance; }

}  // namespace caisson::spec
