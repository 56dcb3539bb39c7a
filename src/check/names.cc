// Submission file names: `<catSubmitterID>_<catReporterCRD>_<YYYYMMDD>_[<Group>_]{CAIS|TIDS}_<NNNNNN>.json.bz2`
// [§5.1.1 R1–R2; Table 10; rules.md §1 file.name, file.group].
#include <charconv>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "check/internal.h"
#include "validate/validate.h"

namespace caisson::check::internal {

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool AllAlnum(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool ToInt(std::string_view s, int64_t* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t at = s.find('_', start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

}  // namespace

bool IsRealDate(int64_t d) {
  int64_t y = d / 10000, m = d / 100 % 100, day = d % 100;
  if (d < 10000101 || d > 99991231 || m < 1 || m > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t max = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return day <= max;
}

Finding FileFinding(std::string_view rule, std::string_view code, std::string_view file, uint64_t line,
                    std::string message) {
  Finding f;
  f.rule = std::string(rule);
  const validate::RuleInfo* info = validate::FindRule(rule);
  f.severity = info ? info->severity : Severity::kReject;
  f.cais_code = std::string(code);
  f.record = RecordKind::kFile;
  f.file = std::string(file);
  f.line = line;
  f.message = std::move(message);
  return f;
}

std::string PartnerCode(FileKind partner) {
  switch (partner) {
    case FileKind::kData:
      return "21014";
    case FileKind::kTid:
      return "21514";
    case FileKind::kUnknown:
      break;
  }
  return {};
}

std::string PortalLimitCode(PortalLimit limit, FileKind kind) {
  if (limit == PortalLimit::kFdidRecords && kind == FileKind::kData) return "21009";
  if (limit == PortalLimit::kTidRecords && kind == FileKind::kTid) return "21509";
  return {};
}

FileName CheckName(std::string_view name, int32_t today, std::vector<Finding>* findings) {
  FileName out;
  std::string_view stem = name;
  bool good_ext = true;
  if (stem.ends_with(".json.bz2")) {
    stem.remove_suffix(9);
  } else if (stem.ends_with(".json")) {
    stem.remove_suffix(5);
    out.plain_json = true;  // reported by file.compression, which covers the missing Compression Extension
  } else {
    good_ext = false;
  }
  std::vector<std::string_view> t = Split(stem);
  size_t kind_at = t.size();
  if (t.size() >= 2 && (t[t.size() - 2] == "CAIS" || t[t.size() - 2] == "TIDS")) {
    kind_at = t.size() - 2;
  } else {
    for (size_t i = t.size(); i-- > 0;) {
      if (t[i] == "CAIS" || t[i] == "TIDS") {
        kind_at = i;
        break;
      }
    }
  }
  if (kind_at < t.size()) {
    out.kind = t[kind_at] == "CAIS" ? FileKind::kData : FileKind::kTid;
    std::string key;
    for (size_t i = 0; i < t.size(); ++i) {
      if (i > 0) key += '_';
      key += i == kind_at ? std::string_view("*") : t[i];
    }
    out.pair_key = key;
  }
  bool tid = out.kind == FileKind::kTid;
  std::string_view name_code = tid ? "21510" : "21010";
  std::string_view what = tid ? "TID File" : "Data File";

  bool shape = good_ext && (t.size() == 5 || t.size() == 6) && kind_at == t.size() - 2 && AllDigits(t[0]) &&
               AllDigits(t[1]) && ToInt(t[0], &out.submitter_id) && ToInt(t[1], &out.reporter_crd) &&
               t.back().size() == 6 && AllDigits(t.back());
  std::string_view group = t.size() == 6 ? t[3] : std::string_view();
  if (shape && t.size() == 6) shape = !group.empty() && group.size() <= 20 && AllAlnum(group);
  if (!shape) {
    out.submitter_id = out.reporter_crd = -1;
    findings->push_back(FileFinding(
        "file.name", name_code, name, 0,
        fmt::format("the name does not follow <catSubmitterID>_<catReporterCRD>_<YYYYMMDD>_[<Group>_]{}_<6-digit "
                    "File Number>.json.bz2",
                    tid ? "TIDS" : "CAIS")));
    return out;
  }
  if (EqualsNoCase(group, "caisweb")) {
    findings->push_back(FileFinding("file.name", name_code, name, 0,
                                    "the Group caisweb is reserved for files made by the CAT Reporter Portal"));
    return out;
  }
  out.valid = true;
  int64_t date = 0;
  if (t[2].size() != 8 || !AllDigits(t[2]) || !ToInt(t[2], &date) || !IsRealDate(date)) {
    findings->push_back(FileFinding("file.name", tid ? "21504" : "21004", name, 0,
                                    fmt::format("the {} name's File Generation Date is not a real YYYYMMDD date", what)));
  } else if (today > 0 && date > today) {
    findings->push_back(FileFinding("file.name", tid ? "21504" : "21004", name, 0,
                                    fmt::format("the File Generation Date {} is later than today ({})", date, today)));
  }
  if (EqualsNoCase(group, "CAIS")) {
    findings->push_back(FileFinding("file.group", "", name, 0,
                                    "the Group CAIS is allowed but not recommended: feedback file names then "
                                    "deviate from the documented format"));
  }
  return out;
}

}  // namespace caisson::check::internal
