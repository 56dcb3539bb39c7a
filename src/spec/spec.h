// spec: a CAIS specification profile, loaded from data/spec/<profile>.json.
//
// The profile is the only home of field facts: every field of every object of the CAIS Data File [Table 8] and
// the TID File [Table 9] with its data type [Table 3], length (effective-dated where the spec dates it),
// R/C/O and condition, enumeration and Appendix B codes; the Appendix B catalogue; Appendix E lists (countries
// from ISO 3166-1, US/CA regions from ISO 3166-2, with provenance); limits; PII suppression. Code asks the
// profile; it never spells an enumeration, a length or a code text itself.
//
// A Profile is immutable after loading and may be shared by threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace caisson::spec {

// Table 3 data types.
enum class DataType : unsigned char {
  kUnsigned, kBoolean, kAlphanumeric, kText, kExtendedText, kDate, kYear, kChoice, kHexadecimal,
  kArrayOfChoice, kArrayOfAlphanumeric, kArrayOfUnsigned, kObjectArray, kTimestamp
};
enum class Presence : unsigned char { kRequired, kConditional, kOptional };  // Table 4

// Objects of the two files, as Table 8 / Table 9 name them.
enum class Object : unsigned char {
  kDataFileMain, kFdidRecord, kAddressRecord, kLargeTraderRecord, kFdidCustomerRecord, kAuthTraderNameRecord,
  kNaturalPersonCustomerRecord, kLegalEntityCustomerRecord, kCorrectionActionRecord, kTidFileMain, kTidRecord
};
// "DataFileMain", "FdidRecord", ... (the keys of the profile's "objects").
std::string_view ObjectName(Object o);

// from_date of a length step the spec announces without a date in our sources (profile JSON: "from_date": null).
// MaxLength never selects such a step; the profile lists it under Provisional().
inline constexpr int32_t kUnknownDate = 2147483647;

struct LengthStep {
  int32_t from_date = 0;  // YYYYMMDD from which this length applies (0 = always; kUnknownDate = not yet known)
  int32_t max_length = 0;
  std::string note;       // e.g. "per the Full CAIS Release Rollout (date not in our sources)"
};

struct Field {
  std::string name;            // exact JSON name, e.g. "firmDesignatedID"
  Object object;
  DataType type;
  std::vector<LengthStep> lengths;      // empty when the type has no length
  Presence presence;
  std::string condition;                // R/C/O condition in Caisson's words, with cite
  std::vector<std::string> enumeration; // Choice values, exact spelling; empty when not a Choice
  std::vector<std::string> codes;       // Appendix B codes for this field
  std::string cite;                     // e.g. "Table 8"
  // Where the allowed values live when they are not an enumeration: "appendix-e:countries" (use
  // Profile::IsCountry), "appendix-e:regions" (Profile::IsRegion, for countries with a list), or "".
  std::string values_from;
  // For a Multi-Dimensional Array (kObjectArray): ObjectName() of its items, e.g. "AddressRecord"; else "".
  std::string items;

  // Maximum length in force on `as_of` (YYYYMMDD): the step with the latest from_date <= as_of; 0 when the
  // field has no length. For Array [Alphanumeric (n)] it is the length of each value.
  int32_t MaxLength(int32_t as_of) const;
  // True when `v` is one of the enumeration values (exact, case-sensitive).
  bool Allows(std::string_view v) const;
};

struct Code {  // an Appendix B row
  std::string code;        // "22001"
  std::string category;    // "file_integrity", "data_validation", "data_layer", "warning", "inconsistency"
  std::string applies_to;  // "CAIS", "TID", "FDID", "Customer", ...
  std::string description; // Caisson's short wording, not the spec's
  bool retired = false;
};

class Profile {
 public:
  ~Profile();
  Profile(Profile&&) noexcept;
  Profile& operator=(Profile&&) noexcept;

  const std::string& name() const;       // "cais-2.2.0r4"
  bool provisional() const;              // true for cais-2.2.0r4-pii-exempt
  const std::string& schema_version() const;  // "2.0.0" [Table 8; Table 9]
  // True when natural persons whose input identifier is an SSN/ITIN carry no names, doingBusinessAs,
  // yearOfBirth or customer addresses (the Feb-2025 exemption), so they are neither required nor emitted.
  bool pii_exempt_ssn_persons() const;
  // True when pii_exempt_ssn_persons() and `name` is a Natural Person Customer Record field the exemption drops
  // (the profile's "pii_exempt_fields"); false otherwise.
  bool PiiExemptField(std::string_view name) const;

  // The field, or nullptr when the object has no such field.
  const Field* Find(Object object, std::string_view name) const;
  // All fields of an object, in Table 8/9 order.
  const std::vector<Field>& Fields(Object object) const;
  // The Appendix B row, or nullptr.
  const Code* FindCode(std::string_view code) const;
  const std::vector<Code>& Codes() const;

  // Appendix E: ISO 3166-1 alpha-2 country codes; ISO 3166-2 regions of countries whose list CAIS checks
  // (US incl. military US-AA/US-AE/US-AP, CA), as "US-NY".
  bool IsCountry(std::string_view alpha2) const;
  // Every Appendix E country code, sorted (for generated schemas and listings).
  std::vector<std::string> Countries() const;
  bool HasRegionList(std::string_view country) const;
  bool IsRegion(std::string_view country, std::string_view code) const;
  // Postal code check for countries with a format in the profile (US, CA; provisional [App E]); true when the
  // country has no format in the profile.
  bool PostalCodeMatches(std::string_view country, std::string_view postal) const;

  // Limits [§5.1.3 R10–R12; §5.1.4 R9; §5.1.3.1 R1].
  int64_t max_file_bytes_hard() const;    // 7 GB
  int64_t portal_max_file_bytes() const;  // 1 GB
  int64_t portal_max_records() const;     // 100,000
  int32_t max_customers_per_fdid() const; // 2,000

  // Names of profile entries marked "unverified" or "provisional", with a reason each ("spec show" lists them).
  const std::vector<std::pair<std::string, std::string>>& Provisional() const;

  // The profile file's provenance text.
  const std::string& provenance() const;

 private:
  friend Result<Profile> LoadProfile(const std::filesystem::path&, std::string_view);
  struct Rep;
  explicit Profile(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// Loads data_dir/spec/<name>.json and validates it (every object known, every field well formed, every code a
// row of the catalogue). NotSupported for an unknown name; Corruption naming the file and JSON path for a bad
// profile.
Result<Profile> LoadProfile(const std::filesystem::path& data_dir, std::string_view name);

// Names of the profiles found in data_dir/spec (sorted): every <name>.json except appendix-e.json.
std::vector<std::string> ListProfiles(const std::filesystem::path& data_dir);

// Human listing for `caisson spec show`: objects, fields (type, length, R/C/O, values, codes), provisional items.
std::string Describe(const Profile& profile);

// JSON Schema (draft 2020-12) of the Data File (`data == true`) or the TID File generated from the profile.
std::string JsonSchema(const Profile& profile, bool data);

}  // namespace caisson::spec
