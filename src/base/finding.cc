#include "base/finding.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace caisson {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kReject: return "reject";
    case Severity::kWarning: return "warning";
    case Severity::kPolicy: return "policy";
    case Severity::kInconsistency: return "inconsistency";
  }
  return "reject";
}

std::string_view RecordKindName(RecordKind r) {
  switch (r) {
    case RecordKind::kFile: return "file";
    case RecordKind::kFdid: return "fdid";
    case RecordKind::kCustomer: return "customer";
    case RecordKind::kTid: return "tid";
  }
  return "file";
}

void SortAndDedupe(std::vector<Finding>* findings) {
  auto key = [](const Finding& f) {
    return std::tie(f.file, f.line, f.rule, f.cais_code, f.record, f.key, f.field, f.severity, f.message,
                    f.record_index);
  };
  std::sort(findings->begin(), findings->end(), [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  auto same = [](const Finding& a, const Finding& b) {
    return a.file == b.file && a.line == b.line && a.rule == b.rule && a.cais_code == b.cais_code &&
           a.record == b.record && a.key == b.key && a.field == b.field;
  };
  findings->erase(std::unique(findings->begin(), findings->end(), same), findings->end());
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (c < 0x20) {
          fmt::format_to(std::back_inserter(*out), "\\u{:04x}", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

namespace {
void AppendNullableString(std::string_view s, std::string* out) {
  if (s.empty()) {
    out->append("null");
  } else {
    AppendJsonString(s, out);
  }
}
}  // namespace

void AppendFindingJson(const Finding& f, std::string* out) {
  out->append("{\"rule\": ");
  AppendJsonString(f.rule, out);
  out->append(", \"severity\": ");
  AppendJsonString(SeverityName(f.severity), out);
  out->append(", \"cais_code\": ");
  AppendNullableString(f.cais_code, out);
  out->append(", \"record\": ");
  AppendJsonString(RecordKindName(f.record), out);
  out->append(", \"key\": ");
  AppendNullableString(f.key, out);
  out->append(", \"file\": ");
  AppendNullableString(f.file, out);
  out->append(", \"line\": ");
  if (f.line == 0) {
    out->append("null");
  } else {
    fmt::format_to(std::back_inserter(*out), "{}", f.line);
  }
  out->append(", \"field\": ");
  AppendNullableString(f.field, out);
  out->append(", \"message\": ");
  AppendJsonString(f.message, out);
  out->push_back('}');
}

}  // namespace caisson
