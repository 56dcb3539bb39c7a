// Pretty: `caisson show` output. The text is split into top-level values by the scanner (so a stream of objects,
// e.g. a feedback file, and syntax errors with line and column are handled alike), then each value is parsed
// with simdjson and printed with two-space indentation.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "caisjson/caisjson.h"
#include "caisjson/scan.h"

namespace caisson::caisjson {

namespace {

namespace dom = simdjson::dom;

void Indent(int depth, std::string* out) { out->append(static_cast<size_t>(depth) * 2, ' '); }

void Print(dom::element e, int depth, int64_t max_records, std::string* out) {
  switch (e.type()) {
    case dom::element_type::OBJECT: {
      dom::object o(e);
      if (o.size() == 0) {
        out->append("{}");
        return;
      }
      out->append("{\n");
      bool first = true;
      for (dom::key_value_pair kv : o) {
        if (!first) out->append(",\n");
        first = false;
        Indent(depth + 1, out);
        AppendJsonString(kv.key, out);
        out->append(": ");
        Print(kv.value, depth + 1, max_records, out);
      }
      out->push_back('\n');
      Indent(depth, out);
      out->push_back('}');
      return;
    }
    case dom::element_type::ARRAY: {
      dom::array a(e);
      if (a.size() == 0) {
        out->append("[]");
        return;
      }
      out->append("[\n");
      int64_t n = 0;
      int64_t total = static_cast<int64_t>(a.size());
      for (dom::element item : a) {
        if (max_records >= 0 && n == max_records) break;
        if (n > 0) out->append(",\n");
        Indent(depth + 1, out);
        Print(item, depth + 1, max_records, out);
        ++n;
      }
      if (n < total) {
        // A JSON-ish comment line: the output is a view for people, only exact JSON when nothing is cut.
        if (n > 0) out->push_back('\n');
        Indent(depth + 1, out);
        fmt::format_to(std::back_inserter(*out), "// ... {} more", total - n);
      }
      out->push_back('\n');
      Indent(depth, out);
      out->push_back(']');
      return;
    }
    case dom::element_type::STRING: {
      std::string_view s;
      if (e.get_string().get(s)) s = {};
      AppendJsonString(s, out);
      return;
    }
    case dom::element_type::INT64:
      fmt::format_to(std::back_inserter(*out), "{}", e.get_int64().value_unsafe());
      return;
    case dom::element_type::UINT64:
      fmt::format_to(std::back_inserter(*out), "{}", e.get_uint64().value_unsafe());
      return;
    case dom::element_type::DOUBLE:
      fmt::format_to(std::back_inserter(*out), "{}", e.get_double().value_unsafe());
      return;
    case dom::element_type::BOOL:
      out->append(e.get_bool().value_unsafe() ? "true" : "false");
      return;
    case dom::element_type::NULL_VALUE:
      out->append("null");
      return;
  }
}

}  // namespace

Result<std::string> Pretty(std::string_view json, int64_t max_records) {
  size_t bad = internal::FirstInvalidUtf8(json);
  if (bad < json.size()) {
    TextPosition pos = PositionOf(json, bad);
    return Status::Corruption(fmt::format("line {} column {}", pos.line, pos.column), "not valid UTF-8");
  }
  internal::ScanResult scan;
  std::vector<std::pair<size_t, size_t>> values;
  internal::ScanValueStream(json, &scan, &values);
  if (!scan.ok) {
    return Status::Corruption(fmt::format("line {} column {}", scan.line, scan.column), scan.error);
  }
  std::string out;
  dom::parser parser;
  for (auto [begin, end] : values) {
    simdjson::padded_string doc(json.substr(begin, end - begin));
    dom::element e;
    if (auto err = parser.parse(doc).get(e)) {
      TextPosition pos = PositionOf(json, begin);
      return Status::Corruption(fmt::format("line {} column {}", pos.line, pos.column),
                                simdjson::error_message(err));
    }
    Print(e, 0, max_records, &out);
    out.push_back('\n');
  }
  return out;
}

}  // namespace caisson::caisjson
