// File names [§6.1.1, Tables 143-144] and Timestamps [§2.5, Table 3].
#include <charconv>
#include <chrono>
#include <string>

#include <fmt/format.h>

#include "calendar/calendar.h"
#include "txn/events.h"
#include "txn/internal.h"

namespace caisson::txn {

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool AllAlnum(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return true;
}

int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

namespace internal {

bool ValidDate(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + ((m == 2 && leap) ? 1 : 0);
}

bool ParseYmd(std::string_view s, int32_t* ymd) {
  if (s.size() != 8 || !AllDigits(s)) return false;
  const int y = Digits(s, 0, 4), m = Digits(s, 4, 2), d = Digits(s, 6, 2);
  if (!ValidDate(y, m, d)) return false;
  *ymd = y * 10000 + m * 100 + d;
  return true;
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
int64_t DaysFromCivil(int32_t ymd) {
  int y = ymd / 10000;
  const unsigned m = static_cast<unsigned>(ymd / 100 % 100), d = static_cast<unsigned>(ymd % 100);
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

int32_t CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  return static_cast<int32_t>(y * 10000 + m * 100 + d);
}

int32_t AddDays(int32_t ymd, int days) { return CivilFromDays(DaysFromCivil(ymd) + days); }

}  // namespace internal

int64_t Timestamp::SortKey() const {
  return internal::DaysFromCivil(date) * 86'400'000'000'000LL + nanos;
}

bool ParseTimestamp(std::string_view raw, bool is_string, Timestamp* out) {
  if (!is_string) {
    // NUMBER form: an unsigned count of nanoseconds since the epoch, UTC [Table 3].
    if (!AllDigits(raw) || raw.size() > 19) return false;
    int64_t ns = 0;
    auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), ns);
    if (ec != std::errc() || p != raw.data() + raw.size()) return false;
    // The New York offset is constant within a UTC hour (US changes happen on the hour), so one tz lookup per
    // hour of input serves every event in it.
    thread_local int64_t cached_hour = INT64_MIN;
    thread_local int64_t cached_offset_ns = 0;
    const int64_t hour = ns / 3'600'000'000'000LL;
    if (hour != cached_hour) {
      const calendar::Instant utc{std::chrono::nanoseconds(hour * 3'600'000'000'000LL)};
      auto et = calendar::ToNewYork(utc);
      if (!et.ok()) return false;
      const int32_t ymd = et->date.year * 10000 + et->date.month * 100 + et->date.day;
      const int64_t local_ns = internal::DaysFromCivil(ymd) * 86'400'000'000'000LL +
                               (et->hour * 3600LL + et->minute * 60LL + et->second) * 1'000'000'000LL;
      cached_offset_ns = local_ns - hour * 3'600'000'000'000LL;
      cached_hour = hour;
    }
    const int64_t local = ns + cached_offset_ns;
    const int64_t day = local >= 0 ? local / 86'400'000'000'000LL : (local - 86'399'999'999'999LL) / 86'400'000'000'000LL;
    out->date = internal::CivilFromDays(day);
    out->nanos = local - day * 86'400'000'000'000LL;
    out->fraction_digits = 9;
    out->number_form = true;
    return true;
  }
  // STRING form, Eastern Time: YYYYMMDD, ' ' or 'T', HHMMSS, then '.' and 3, 6 or 9 digits (CCC, NNN...), at
  // most 25 characters [Table 3]. "20190617T000120." (a dot with no digits) is invalid.
  if (raw.size() < 15 || raw.size() > 25) return false;
  int32_t ymd = 0;
  if (!internal::ParseYmd(raw.substr(0, 8), &ymd)) return false;
  if (raw[8] != ' ' && raw[8] != 'T') return false;
  if (!AllDigits(raw.substr(9, 6))) return false;
  const int hh = Digits(raw, 9, 2), mm = Digits(raw, 11, 2), ss = Digits(raw, 13, 2);
  // Table 3 prints MM and SS as 01-59, yet its own valid examples have 00; 00-59 is read (digest §10.4).
  if (hh > 23 || mm > 59 || ss > 59) return false;
  int64_t frac = 0;
  int digits = 0;
  if (raw.size() > 15) {
    if (raw[15] != '.') return false;
    const std::string_view f = raw.substr(16);
    if (!AllDigits(f) || (f.size() != 3 && f.size() != 6 && f.size() != 9)) return false;
    digits = static_cast<int>(f.size());
    for (char c : f) frac = frac * 10 + (c - '0');
    for (int i = digits; i < 9; ++i) frac *= 10;
  }
  out->date = ymd;
  out->nanos = (hh * 3600LL + mm * 60LL + ss) * 1'000'000'000LL + frac;
  out->fraction_digits = digits;
  out->number_form = false;
  return true;
}

Result<FileName> ParseFileName(std::string_view name) {
  const auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(name, fmt::format("file name: {} [§6.1.1]", why));
  };
  FileName f;
  std::string_view rest = name;
  if (rest.ends_with(".bz2")) {
    f.bz2 = true;
    rest.remove_suffix(4);
  }
  if (!rest.ends_with(".json")) return bad("the format extension must be 'json'");
  rest.remove_suffix(5);
  if (rest.ends_with(".DEL")) {
    f.is_delete = true;
    rest.remove_suffix(4);
  }
  // Split on '_': submitter, IMID, date, [group], "OrderEvents", number.
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t us = rest.find('_', start);
    parts.push_back(rest.substr(start, us == std::string_view::npos ? std::string_view::npos : us - start));
    if (us == std::string_view::npos) break;
    start = us + 1;
  }
  if (parts.size() != 5 && parts.size() != 6) return bad("expected 5 or 6 elements separated by '_'");
  if (!AllDigits(parts[0])) return bad("the CAT Submitter ID must be digits");
  if (!AllAlnum(parts[1]) || parts[1].size() > 7) return bad("the CAT Reporter IMID must be Alphanumeric(7)");
  if (!internal::ParseYmd(parts[2], &f.generation_date)) return bad("the File Generation Date must be YYYYMMDD");
  size_t i = 3;
  if (parts.size() == 6) {
    if (!AllAlnum(parts[3]) || parts[3].size() > 20) return bad("the Group must be Alphanumeric(20)");
    f.group = std::string(parts[3]);
    i = 4;
  }
  if (parts[i] != "OrderEvents") return bad("the File Kind must be 'OrderEvents'");
  if (parts[i + 1].size() != 6 || !AllDigits(parts[i + 1])) return bad("the File Number must be 6 digits");
  f.submitter_id = std::string(parts[0]);
  f.reporter_imid = std::string(parts[1]);
  f.file_number = Digits(parts[i + 1], 0, 6);
  return f;
}

std::string FormatFileName(const FileName& f) {
  std::string out = fmt::format("{}_{}_{}_", f.submitter_id, f.reporter_imid, f.generation_date);
  if (!f.group.empty()) out += f.group + "_";
  out += fmt::format("OrderEvents_{:06d}", f.file_number);
  if (f.is_delete) out += ".DEL";
  out += ".json";
  if (f.bz2) out += ".bz2";
  return out;
}

}  // namespace caisson::txn
