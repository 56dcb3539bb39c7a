// Reading one CAIS feedback file [§6.1.2 names; Table 20; Table 21; the §6.1.3–§6.3.1 examples].
#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <string>
#include <string_view>

#include "feedback/feedback.h"
#include "feedback/internal.h"

namespace caisson::feedback {

namespace internal {

bool ToInt(std::string_view s, int64_t* v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::optional<int64_t> Integer(simdjson::dom::element e) {
  int64_t v = 0;
  if (e.get_int64().get(v) == simdjson::SUCCESS) return v;
  uint64_t u = 0;
  if (e.get_uint64().get(u) == simdjson::SUCCESS && u <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(u);
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS && ToInt(s, &v)) return v;
  return std::nullopt;
}

std::string Text(simdjson::dom::element e) {
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  if (auto n = Integer(e)) return std::to_string(*n);
  return {};
}

}  // namespace internal

namespace {

using internal::Integer;
using internal::Text;

constexpr std::string_view kStatuses[] = {
    "FILE_ACKNOWLEDGED",        "FILE_INTEGRITY_PASSED",      "RECORD_SCAN_COMPLETED",
    "COMPLETED_WITHOUT_REJECTIONS", "COMPLETED_WITH_REJECTIONS", "COMPLETED",
    "COMPLETED_INTEGRITY_ERROR", "COMPLETED_FILE_TIMEOUT",     "INCOMPLETE_PROCESSING_FAILURE",
    "CANCELLED_BY_SUPPORT"};

// The spec's own §6.3.1 example has a comma before a closing brace; CAIS's files may too. Commas directly
// followed (after white space) by '}' or ']' outside strings are dropped; nothing else is changed.
std::string WithoutTrailingCommas(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out.push_back(c);
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == ',') {
      size_t j = i + 1;
      while (j < json.size() && (json[j] == ' ' || json[j] == '\n' || json[j] == '\r' || json[j] == '\t')) ++j;
      if (j < json.size() && (json[j] == '}' || json[j] == ']')) continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

bool IsFinal(std::string_view status) {
  return status == "COMPLETED_WITHOUT_REJECTIONS" || status == "COMPLETED_WITH_REJECTIONS" || status == "COMPLETED" ||
         status == "COMPLETED_INTEGRITY_ERROR" || status == "COMPLETED_FILE_TIMEOUT" ||
         status == "INCOMPLETE_PROCESSING_FAILURE" || status == "CANCELLED_BY_SUPPORT";
}

Result<FileFeedback> Parse(std::string_view file_name, std::string_view json) {
  FileFeedback fb;
  fb.file_name = std::string(file_name);
  // <base>.v<N>.feedback.json[.bz2] [§6.1.2]
  std::string_view name = file_name;
  if (name.ends_with(".bz2")) name.remove_suffix(4);
  const size_t marker = name.rfind(".feedback.json");
  if (marker == std::string_view::npos || marker + 14 != name.size() || marker < 3 || name[marker - 2] != 'v' ||
      name[marker - 3] != '.' || name[marker - 1] < '1' || name[marker - 1] > '4') {
    return Status::Corruption(std::string(file_name), "not a feedback file name <base>.v<1-4>.feedback.json.bz2");
  }
  fb.version = name[marker - 1] - '0';
  fb.base_name = std::string(name.substr(0, marker - 3));
  if (fb.base_name.find("_CAIS_") != std::string::npos) {
    fb.data_file = true;
  } else if (fb.base_name.find("_TIDS_") != std::string::npos) {
    fb.data_file = false;
  } else {
    return Status::Corruption(std::string(file_name), "the base name is neither a CAIS nor a TIDS file");
  }

  const std::string text = WithoutTrailingCommas(json);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(text).get(root); err != simdjson::SUCCESS) {
    return Status::Corruption(std::string(file_name), fmt::format("not JSON: {}", simdjson::error_message(err)));
  }
  simdjson::dom::object main;
  if (root.get_object().get(main) != simdjson::SUCCESS) {
    return Status::Corruption(std::string(file_name), "the feedback is not a JSON object");
  }
  simdjson::dom::element e;
  if (main["submissionStatus"].get(e) != simdjson::SUCCESS || (fb.status = Text(e)).empty()) {
    return Status::Corruption(std::string(file_name), "submissionStatus is missing");
  }
  bool known = false;
  for (std::string_view s : kStatuses) known = known || s == fb.status;
  if (!known) {
    return Status::Corruption(std::string(file_name), fmt::format("unknown submissionStatus \"{}\"", fb.status));
  }
  if (main["submissionID"].get(e) == simdjson::SUCCESS) fb.submission_id = Text(e);
  if (main["receiptTimestamp"].get(e) == simdjson::SUCCESS) fb.receipt_timestamp = Text(e);
  if (main["completedTimestamp"].get(e) == simdjson::SUCCESS) fb.completed_timestamp = Text(e);
  if (main["catReporterCRD"].get(e) == simdjson::SUCCESS) {
    if (auto n = Integer(e)) fb.cat_reporter_crd = *n;
  }
  simdjson::dom::array items;
  if (main["rejectionItems"].get_array().get(items) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : items) {
      simdjson::dom::object o;
      if (item.get_object().get(o) != simdjson::SUCCESS) continue;
      RejectionItem r;
      if (o["rejectionID"].get(e) == simdjson::SUCCESS) r.rejection_id = Integer(e);
      if (o["firmDesignatedID"].get(e) == simdjson::SUCCESS) r.firm_designated_id = Text(e);
      if (o["fdidRecordID"].get(e) == simdjson::SUCCESS) r.fdid_record_id = Integer(e);
      if (o["largeTraderRecordID"].get(e) == simdjson::SUCCESS) r.large_trader_record_id = Integer(e);
      if (o["authTraderNameID"].get(e) == simdjson::SUCCESS) r.auth_trader_name_id = Integer(e);
      if (o["addrType"].get(e) == simdjson::SUCCESS) r.addr_type = Text(e);
      if (o["customerRecordID"].get(e) == simdjson::SUCCESS) {
        simdjson::dom::array ids;
        if (e.get_array().get(ids) == simdjson::SUCCESS) {
          for (simdjson::dom::element id : ids) {
            if (auto n = Integer(id)) r.customer_record_ids.push_back(*n);
          }
        } else if (auto n = Integer(e)) {
          r.customer_record_ids.push_back(*n);
        }
      }
      if (o["errorCode"].get(e) == simdjson::SUCCESS) r.error_code = Integer(e).value_or(0);
      if (o["rejectionTimestamp"].get(e) == simdjson::SUCCESS) r.rejection_timestamp = Text(e);
      fb.rejections.push_back(std::move(r));
    }
  }
  return fb;
}

}  // namespace caisson::feedback
