// Value checks on the Table 3 data types, shared by every rule family.
//
// Conventions (Caisson's reading, not spelled out by Table 3):
// - An empty string is not a valid value of any string type: Table 3 describes a string "composed of" allowed
//   characters, and an optional field without a value is omitted or null [§5.1.3 R17]. Callers that treat an
//   empty value as absent check for it first.
// - `max_length` <= 0 means "no length limit" (the field has no length in the profile).
// - Lengths count characters, not bytes, and escapes do not count [Table 3]: the values here are unescaped.
#include <cstdint>
#include <string_view>

#include "validate/context.h"

namespace caisson::validate {

namespace {

bool WithinLength(int64_t length, int32_t max_length) { return max_length <= 0 || length <= max_length; }

// [Table 3] Text: printable ASCII 32–126 except the delimiters comma (44), pipe (124), double quote (34), @
// (64).
bool IsTextChar(unsigned char c) { return c >= 32 && c <= 126 && c != ',' && c != '|'
    && c != '"' && c != '@'; }

}  // namespace

bool IsText(std::string_view v, int32_t max_length) {
  if (v.empty() || !WithinLength(static_cast<int64_t>(v.size()), max_length)) return false;
  for (char ch : v) {
    if (!IsTextChar(static_cast<unsigned char>(ch))) return false;
  }
  return true;
}

// [Table 3] Extended Text: "printable ASCII between 32 and 255", which after UTF-8 encoding is 32–126 and
// 160–255, i.e. the code points U+0020–U+007E and U+00A0–U+00FF. Those are encoded in one byte (20–7E) or two
// bytes C2 A0–C2 BF and C3 80–C3 BF; anything else (other code points, malformed or overlong UTF-8) fails.
bool IsExtendedText(std::string_view v, int32_t max_length) {
  if (v.empty()) return false;
  int64_t chars = 0;
  for (size_t i = 0; i < v.size(); ++chars) {
    const auto b = static_cast<unsigned char>(v[i]);
    if (b >= 0x20 && b <= 0x7E) {
      ++i;
      continue;
    }
    if (i + 1 >= v.size()) return false;
    const auto b2 = static_cast<unsigned char>(v[i + 1]);
    const bool ok = (b == 0xC2 && b2 >= 0xA0 && b2 <= 0xBF) || (b == 0xC3 && b2 >= 0x80 && b2 <= 0xBF);
    if (!ok) return false;
    i += 2;
  }
  return WithinLength(chars, max_length);
}

// [Table 3] Alphanumeric: letters and digits [a-zA-Z0-9] only, case sensitive.
bool IsAlphanumeric(std::string_view v, int32_t max_length) {
  if (v.empty() || !WithinLength(static_cast<int64_t>(v.size()), max_length)) return false;
  for (char c : v) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!alnum) return false;
  }
  return true;
}

// [Table 3] Date: an 8-digit YYYYMMDD integer (so year 1000–9999) that names a day of the Gregorian calendar.
bool IsRealDate(int64_t yyyymmdd) {
  if (yyyymmdd < 10000101 || yyyymmdd > 99991231) return false;
  const int64_t year = yyyymmdd / 10000;
  const int64_t month = yyyymmdd / 100 % 100;
  const int64_t day = yyyymmdd % 100;
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int64_t max_day = (month == 2 && leap) ? 29 : kDays[month - 1];
  return day <= max_day;
}

// Number of UTF-8 code points: every byte that is not a continuation byte (10xxxxxx) starts one. For
// malformed UTF-8 this is an approximation; the readers reject malformed UTF-8 before the rules run.
int64_t Utf8Length(std::string_view v) {
  int64_t n = 0;
  for (char ch : v) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace caisson::validate
