// Describe (`caisson spec show`) and JsonSchema (`caisson spec schema`): both generated from the profile, so
// the listing and the schema can never disagree with the data the validator uses (STYLE.md §3).
#include <fmt/format.h>

#include <cstdint>
#include <ctime>
#include <iterator>
#include <string>
#include <string_view>

#include "spec/rep.h"
#include "spec/spec.h"

namespace caisson::spec {

namespace {

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += sep;
    out += v[i];
  }
  return out;
}

std::string LengthText(const Field& f) {
  std::string out;
  for (size_t i = 0; i < f.lengths.size(); ++i) {
    const LengthStep& s = f.lengths[i];
    if (i > 0) out += " -> ";
    out += std::to_string(s.max_length);
    if (s.from_date == kUnknownDate) {
      out += " (from a date not in our sources)";
    } else if (s.from_date != 0) {
      out += fmt::format(" (from {})", s.from_date);
    }
  }
  return out;
}

// Table 8 and Table 9 objects of each file, in the order the file nests them.
constexpr Object kDataObjects[] = {Object::kDataFileMain,
                                   Object::kFdidRecord,
                                   Object::kAddressRecord,
                                   Object::kLargeTraderRecord,
                                   Object::kFdidCustomerRecord,
                                   Object::kAuthTraderNameRecord,
                                   Object::kNaturalPersonCustomerRecord,
                                   Object::kLegalEntityCustomerRecord,
                                   Object::kCorrectionActionRecord};
constexpr Object kTidObjects[] = {Object::kTidFileMain, Object::kTidRecord};

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(*out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void AppendStringArray(std::string* out, const std::vector<std::string>& v) {
  out->push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) *out += ", ";
    AppendJsonString(out, v[i]);
  }
  out->push_back(']');
}

int32_t Today() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

// [Table 3] character sets as ECMA-262 patterns (the dialect of JSON Schema). Text: printable ASCII without
// comma, pipe, double quote and @; Extended Text: code points 32-126 and 160-255.
constexpr std::string_view kTextPattern =
    "^[\\\\x20\\\\x21\\\\x23-\\\\x2B\\\\x2D-\\\\x3F\\\\x41-\\\\x7B\\\\x7D\\\\x7E]*$";
constexpr std::string_view kExtendedTextPattern = "^[\\\\x20-\\\\x7E\\\\xA0-\\\\xFF]*$";
constexpr std::string_view kAlphanumericPattern = "^[A-Za-z0-9]*$";
constexpr std::string_view kHexPattern = "^[0-9A-Fa-f]*$";

// The schema of one value of type `t` (array element types for the Array [x] types).
void AppendScalarSchema(std::string* out, const Profile& profile, const Field& f, DataType t, int32_t len) {
  switch (t) {
    case DataType::kUnsigned:
      *out += "{\"type\": \"integer\", \"minimum\": 0, \"maximum\": 9223372036854775807}";
      return;
    case DataType::kBoolean:
      *out += "{\"type\": \"boolean\"}";
      return;
    case DataType::kDate:
      *out += "{\"type\": \"integer\", \"minimum\": 10000101, \"maximum\": 99991231}";
      return;
    case DataType::kYear:
      *out += "{\"type\": \"integer\", \"minimum\": 1000, \"maximum\": 9999}";
      return;
    case DataType::kChoice: {
      *out += "{\"type\": \"string\", \"enum\": ";
      if (f.values_from == "appendix-e:countries") {
        std::vector<std::string> all;
        for (const auto& c : profile.Countries()) all.push_back(c);
        AppendStringArray(out, all);
      } else {
        AppendStringArray(out, f.enumeration);
      }
      *out += "}";
      return;
    }
    default:
      break;
  }
  if (t == DataType::kText && !f.enumeration.empty()) {
    *out += "{\"type\": \"string\", \"enum\": ";
    AppendStringArray(out, f.enumeration);
    *out += "}";
    return;
  }
  std::string_view pattern = kExtendedTextPattern;
  if (t == DataType::kText) pattern = kTextPattern;
  if (t == DataType::kAlphanumeric) pattern = kAlphanumericPattern;
  if (t == DataType::kHexadecimal) pattern = kHexPattern;
  fmt::format_to(std::back_inserter(*out), "{{\"type\": \"string\", \"maxLength\": {}", len > 0 ? len : 25);
  if (t != DataType::kTimestamp) fmt::format_to(std::back_inserter(*out), ", \"pattern\": \"{}\"", pattern);
  *out += "}";
}

void AppendFieldSchema(std::string* out, const Profile& profile, const Field& f, int32_t as_of) {
  const int32_t len = f.MaxLength(as_of);
  std::string value;
  switch (f.type) {
    case DataType::kArrayOfChoice:
      value = "{\"type\": \"array\", \"items\": ";
      AppendScalarSchema(&value, profile, f, DataType::kChoice, len);
      value += "}";
      break;
    case DataType::kArrayOfAlphanumeric:
      value = "{\"type\": \"array\", \"items\": ";
      AppendScalarSchema(&value, profile, f, DataType::kAlphanumeric, len);
      value += "}";
      break;
    case DataType::kArrayOfUnsigned:
      value = "{\"type\": \"array\", \"items\": ";
      AppendScalarSchema(&value, profile, f, DataType::kUnsigned, len);
      value += "}";
      break;
    case DataType::kObjectArray:
      value = fmt::format("{{\"type\": \"array\", \"items\": {{\"$ref\": \"#/$defs/{}\"}}}}", f.items);
      break;
    default:
      AppendScalarSchema(&value, profile, f, f.type, len);
  }
  // [§5.1.3 R17] a C or O field may also be sent as null.
  if (f.presence == Presence::kRequired) {
    *out += value;
  } else {
    *out += "{\"anyOf\": [" + value + ", {\"type\": \"null\"}]}";
  }
}

void AppendObjectSchema(std::string* out, const Profile& profile, Object o, int32_t as_of) {
  *out += "\"type\": \"object\",\n  \"properties\": {";
  std::vector<std::string> required;
  bool first = true;
  for (const Field& f : profile.Fields(o)) {
    *out += first ? "\n" : ",\n";
    first = false;
    *out += "    ";
    AppendJsonString(out, f.name);
    *out += ": ";
    AppendFieldSchema(out, profile, f, as_of);
    // An exempt field may be absent for SSN/ITIN persons; the TID type lives in the other file, so the schema
    // cannot tell those persons apart and does not require the field at all.
    if (f.presence == Presence::kRequired &&
        !(o == Object::kNaturalPersonCustomerRecord && profile.PiiExemptField(f.name))) {
      required.push_back(f.name);
    }
  }
  *out += "\n  },\n  \"required\": ";
  AppendStringArray(out, required);
  *out += ",\n  \"additionalProperties\": false";
}

}  // namespace

std::string Describe(const Profile& profile) {
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "profile {}{}\nschema version {}\n", profile.name(),
                 profile.provisional() ? " (provisional)" : "", profile.schema_version());
  if (profile.pii_exempt_ssn_persons()) {
    out += "natural persons with an SSN/ITIN TID carry no:";
    for (const Field& f : profile.Fields(Object::kNaturalPersonCustomerRecord)) {
      if (profile.PiiExemptField(f.name)) out += " " + f.name;
    }
    out += "\n";
  }
  fmt::format_to(it, "limits: {} bytes per file, portal {} bytes and {} records, {} Customers per FDID\n",
                 profile.max_file_bytes_hard(), profile.portal_max_file_bytes(), profile.portal_max_records(),
                 profile.max_customers_per_fdid());
  auto list = [&](std::string_view title, const auto& objects) {
    fmt::format_to(it, "\n{}\n", title);
    for (Object o : objects) {
      fmt::format_to(it, "\n  {}\n", ObjectName(o));
      for (const Field& f : profile.Fields(o)) {
        fmt::format_to(it, "    {:<34} {:<24} {}", f.name, DataTypeName(f.type), PresenceName(f.presence));
        if (!f.lengths.empty()) fmt::format_to(it, "  length {}", LengthText(f));
        if (!f.items.empty()) fmt::format_to(it, "  of {}", f.items);
        if (!f.enumeration.empty()) fmt::format_to(it, "  values {}", Join(f.enumeration, " "));
        if (!f.values_from.empty()) fmt::format_to(it, "  values from {}", f.values_from);
        if (!f.codes.empty()) fmt::format_to(it, "  codes {}", Join(f.codes, " "));
        fmt::format_to(it, "  [{}]\n", f.cite);
      }
    }
  };
  list("CAIS Data File", kDataObjects);
  list("Transformed Identifiers File", kTidObjects);
  size_t retired = 0;
  for (const Code& c : profile.Codes()) retired += c.retired ? 1 : 0;
  fmt::format_to(it, "\nAppendix B: {} codes ({} retired)\n", profile.Codes().size(), retired);
  for (const Code& c : profile.Codes()) {
    fmt::format_to(it, "  {} {:<15} {:<10} {}{}\n", c.code, c.category, c.applies_to, c.description,
                   c.retired ? " (retired)" : "");
  }
  fmt::format_to(it, "\nProvisional or unverified ({})\n", profile.Provisional().size());
  for (const auto& [what, why] : profile.Provisional()) fmt::format_to(it, "  - {}: {}\n", what, why);
  fmt::format_to(it, "\nProvenance: {}\n", profile.provenance());
  return out;
}

std::string JsonSchema(const Profile& profile, bool data) {
  const int32_t today = Today();
  std::string out = "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"title\": ";
  AppendJsonString(&out, fmt::format("CAIS {} ({}), generated by Caisson from profile {}",
                                     data ? "Data File" : "Transformed Identifiers File",
                                     profile.schema_version(), profile.name()));
  out += ",\n  ";
  const Object main = data ? Object::kDataFileMain : Object::kTidFileMain;
  AppendObjectSchema(&out, profile, main, today);
  out += ",\n  \"$defs\": {";
  bool first = true;
  for (Object o : data ? std::vector<Object>(std::begin(kDataObjects) + 1, std::end(kDataObjects))
                       : std::vector<Object>(std::begin(kTidObjects) + 1, std::end(kTidObjects))) {
    out += first ? "\n" : ",\n";
    first = false;
    fmt::format_to(std::back_inserter(out), "  \"{}\": {{\n  ", ObjectName(o));
    AppendObjectSchema(&out, profile, o, today);
    out += "\n  }";
  }
  out += "\n  }\n}\n";
  return out;
}

}  // namespace caisson::spec
