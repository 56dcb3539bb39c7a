// FIX → CAT value translations (docs/fix.md §4). Every mapping here is a Caisson convention except the CAT
// values themselves, which are App. G's; the FIX values are the standard dictionary's.
#include <charconv>
#include <chrono>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "calendar/calendar.h"
#include "fix/internal.h"

namespace caisson::fix::internal {

Owned Owned::From(const Message& m, std::string_view file) {
  Owned o;
  o.fields.reserve(m.fields.size());
  for (const Field& f : m.fields) o.fields.emplace_back(f.tag, std::string(f.value));
  o.line = m.line;
  o.file = std::string(file);
  return o;
}

std::string_view Owned::Get(int tag) const {
  for (const auto& [t, v] : fields) {
    if (t == tag) return v;
  }
  return {};
}

namespace {

bool Digits(std::string_view s, int* out) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return !s.empty();
}

}  // namespace

bool ToStamp(std::string_view s, Stamp* out) {
  // YYYYMMDD-HH:MM:SS[.fraction]
  if (s.size() < 17 || s[8] != '-' || s[11] != ':' || s[14] != ':') return false;
  int y, mo, d, h, mi, se;
  if (!Digits(s.substr(0, 4), &y) || !Digits(s.substr(4, 2), &mo) || !Digits(s.substr(6, 2), &d) ||
      !Digits(s.substr(9, 2), &h) || !Digits(s.substr(12, 2), &mi) || !Digits(s.substr(15, 2), &se)) {
    return false;
  }
  int64_t nanos = 0;
  size_t frac_digits = 0;
  if (s.size() > 17) {
    if (s[17] != '.' || s.size() == 18 || s.size() > 27) return false;
    std::string_view frac = s.substr(18);
    int v = 0;
    if (!Digits(frac, &v)) return false;
    frac_digits = frac.size();
    nanos = v;
    for (size_t i = frac.size(); i < 9; ++i) nanos *= 10;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return false;
  const calendar::Instant utc =
      sys_days{ymd} + hours{h} + minutes{mi} + seconds{se > 59 ? 59 : se} + nanoseconds{nanos};
  Result<calendar::LocalDateTime> et = calendar::ToNewYork(utc);
  if (!et.ok()) return false;
  // [§2.3.1] electronic events at least milliseconds; keep what the log had, in 3/6/9 digit steps.
  const size_t digits = frac_digits <= 3 ? 3 : (frac_digits <= 6 ? 6 : 9);
  int64_t frac_value = et->nanos;
  for (size_t i = digits; i < 9; ++i) frac_value /= 10;
  out->date = fmt::format("{:04}{:02}{:02}", et->date.year, et->date.month, et->date.day);
  out->text = fmt::format("{}T{:02}{:02}{:02}.{:0{}}", out->date, et->hour, et->minute, et->second, frac_value,
                          digits);
  return true;
}

std::string_view Side(std::string_view s) {
  // [App. G side] equity values; FIX 54: 1 Buy, 2 Sell, 5 Sell short, 6 Sell short exempt.
  if (s == "1") return "B";
  if (s == "2") return "SL";
  if (s == "5") return "SS";
  if (s == "6") return "SX";
  return {};
}

bool NormalizeDecimal(std::string_view s, int max_scale, std::string* out) {
  out->clear();
  if (s.empty()) return false;
  const size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (whole.empty()) return false;  // [Table 3] a digit is required before the point
  for (char c : whole) {
    if (c < '0' || c > '9') return false;
  }
  for (char c : frac) {
    if (c < '0' || c > '9') return false;
  }
  while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  if (static_cast<int>(frac.size()) > max_scale) return false;
  out->append(whole);
  if (!frac.empty()) {
    out->push_back('.');
    out->append(frac);
  }
  return true;
}

bool IsText(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (unsigned char c : s) {
    if (c < 32 || c > 126 || c == ',' || c == '|' || c == '"' || c == '@') return false;
  }
  return true;
}

bool ReadTerms(const Owned& m, Terms* t, std::string* field, std::string* why) {
  *t = Terms{};
  t->side = std::string(Side(m.Get(54)));
  if (t->side.empty()) {
    *field = "54";
    *why = "Side (54) has no CAT side value";
    return false;
  }
  // [Table 3 Real Quantity] Numeric(12,6); [Price] Numeric(10,8).
  if (!NormalizeDecimal(m.Get(38), 6, &t->quantity)) {
    *field = "38";
    *why = "OrderQty (38) is not a quantity CAT accepts";
    return false;
  }
  if (!m.Get(110).empty() && !NormalizeDecimal(m.Get(110), 0, &t->min_qty)) {
    *field = "110";
    *why = "MinQty (110) is not a whole quantity";
    return false;
  }
  const std::string_view ord_type = m.Get(40);
  std::string stop;
  if (!m.Get(99).empty() && !NormalizeDecimal(m.Get(99), 8, &stop)) {
    *field = "99";
    *why = "StopPx (99) is not a price";
    return false;
  }
  // [§3.5.1 Table 14] stops are MKT/LMT plus STOP (STOPF when the stop price is unknown).
  if (ord_type == "1") {
    t->order_type = "MKT";
  } else if (ord_type == "2") {
    t->order_type = "LMT";
  } else if (ord_type == "3" || ord_type == "4") {
    t->order_type = ord_type == "3" ? "MKT" : "LMT";
    if (stop.empty()) {
      t->hi.emplace_back("STOPF", "true");
    } else {
      t->hi.emplace_back("STOP", stop);
    }
  } else if (ord_type == "K") {
    t->order_type = "MKT";
    t->hi.emplace_back("MTL", "true");
  } else {
    *field = "40";
    *why = "OrdType (40) has no Caisson mapping";
    return false;
  }
  if (t->order_type == "LMT") {
    if (!NormalizeDecimal(m.Get(44), 8, &t->price)) {
      *field = "44";
      *why = "a limit order needs a Price (44) CAT accepts";
      return false;
    }
  }
  t->tif_code = std::string(m.Get(59).empty() ? "0" : m.Get(59));
  t->expire_date = std::string(m.Get(432));
  t->expire_time = std::string(m.Get(126));
  const std::string_view tif = t->tif_code;
  if (tif == "4") t->hi.emplace_back("FOK", "true");
  if (tif == "2") t->hi.emplace_back(t->order_type == "MKT" ? "MOO" : "LOO", "true");
  if (tif == "7") t->hi.emplace_back(t->order_type == "MKT" ? "MOC" : "LOC", "true");
  bool iso = false;
  for (char c : m.Get(18)) {
    switch (c) {
      case '1': t->hi.emplace_back("NH", "true"); break;
      case 'G': t->hi.emplace_back("AON", "true"); break;
      case 'M': t->hi.emplace_back("M", "true"); break;
      case 'P': t->hi.emplace_back("P", "true"); break;
      case 'R': t->hi.emplace_back("R", "true"); break;
      case '6': t->hi.emplace_back("ALO", "true"); break;
      case 'f': iso = true; break;
      default: break;  // no CAT handling instruction: not reported [Caisson convention]
    }
  }
  t->iso = iso ? (tif == "3" ? "ISOI" : "ISOD") : "NA";
  t->manual = m.Get(1028) == "Y";
  return true;
}

bool TimeInForceJson(const Terms& t, std::string_view event_date, std::string* out) {
  const std::string_view tif = t.tif_code;
  if (tif == "0" || tif == "2" || tif == "7") {
    *out = fmt::format("{{\"DAY\":{}}}", event_date);
  } else if (tif == "1") {
    *out = "{\"GTC\":true}";
  } else if (tif == "3" || tif == "4") {
    *out = "{\"IOC\":true}";
  } else if (tif == "5") {
    *out = fmt::format("{{\"GTX\":{}}}", event_date);
  } else if (tif == "6") {
    Stamp s;
    if (!t.expire_time.empty() && ToStamp(t.expire_time, &s)) {
      *out = fmt::format("{{\"GTT\":\"{}\"}}", s.text);
    } else if (t.expire_date.size() == 8 && t.expire_date.find_first_not_of("0123456789") == std::string::npos) {
      *out = fmt::format("{{\"GTD\":{}}}", t.expire_date);
    } else {
      return false;
    }
  } else {
    return false;
  }
  return true;
}

void Json::Key(std::string_view key) {
  if (out_.size() > 1) out_.push_back(',');
  AppendJsonString(key, &out_);
  out_.push_back(':');
}

void Json::Str(std::string_view key, std::string_view value) {
  if (value.empty()) return;
  Key(key);
  AppendJsonString(value, &out_);
}

void Json::Raw(std::string_view key, std::string_view json) {
  if (json.empty()) return;
  Key(key);
  out_.append(json);
}

void Json::Bool(std::string_view key, bool v) {
  Key(key);
  out_.append(v ? "true" : "false");
}

std::string Json::Done() {
  out_.push_back('}');
  return std::move(out_);
}

}  // namespace caisson::fix::internal
