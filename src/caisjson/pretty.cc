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

// Parses one JSON value of `json` at [begin, end) with simdjson (the rest of the text serves as padding when
// there is enough of it).
Status ParseValue(std::string_view json, size_t begin, size_t end, dom::parser* parser, std::string* padded,
                  dom::element* e) {
  simdjson::error_code err;
  if (end + simdjson::SIMDJSON_PADDING <= json.size()) {
    err = parser->parse(json.data() + begin, end - begin, false).get(*e);
  } else {
    padded->assign(json.substr(begin, end - begin));
    padded->append(simdjson::SIMDJSON_PADDING, ' ');
    err = parser->parse(padded->data(), end - begin, false).get(*e);
  }
  if (err) {
    TextPosition pos = PositionOf(json, begin);
    return Status::Corruption(fmt::format("line {} column {}", pos.line, pos.column), simdjson::error_message(err));
  }
  return Status::OK();
}

// Prints a top-level object member by member and its arrays item by item, as Print would print it whole: a
// CAIS file may be larger than one simdjson document can be.
class ObjectPrinter {
 public:
  ObjectPrinter(std::string_view json, int64_t max_records, std::string* out, const PrettySink& flush,
                const std::function<void()>& release)
      : json_(json), max_records_(max_records), out_(out), flush_(flush), release_(release) {}

  Status PrintObject(size_t begin, size_t end) {
    internal::ScanResult scan;
    internal::ScanMainObject(json_.substr(begin, end - begin), &scan, release_);
    if (!scan.ok) return Status::Internal("show", "a value the stream scan accepted failed the object scan");
    return PrintScanned(begin, scan);
  }

  // `scan`: the object at `begin` scanned by ScanMainObject.
  Status PrintScanned(size_t begin, const internal::ScanResult& scan) {
    if (scan.keys.empty()) {
      out_->append("{}");
      return Status::OK();
    }
    out_->append("{\n");
    bool first = true;
    for (const internal::ScanKey& k : scan.keys) {
      if (!first) out_->append(",\n");
      first = false;
      Indent(1, out_);
      // The scanner keeps the key as written; print it decoded and escaped again, as for any other key.
      const std::string quoted = "\"" + k.key + "\"";
      dom::element key;
      CAISSON_RETURN_IF_ERROR(ParseValue(quoted, 0, quoted.size(), &parser_, &padded_, &key));
      std::string_view decoded;
      if (key.get_string().get(decoded)) decoded = {};
      AppendJsonString(decoded, out_);
      out_->append(": ");
      if (!k.is_array) {
        dom::element v;
        CAISSON_RETURN_IF_ERROR(ParseValue(json_, begin + k.value_begin, begin + k.value_end, &parser_, &padded_, &v));
        Print(v, 1, max_records_, out_);
        continue;
      }
      CAISSON_RETURN_IF_ERROR(PrintArray(begin, k.items));
    }
    out_->push_back('\n');
    out_->push_back('}');
    return Status::OK();
  }

 private:
  Status PrintArray(size_t base, const std::vector<internal::ScanItem>& items) {
    if (items.empty()) {
      out_->append("[]");
      return Status::OK();
    }
    out_->append("[\n");
    int64_t n = 0;
    const auto total = static_cast<int64_t>(items.size());
    for (const internal::ScanItem& item : items) {
      if (max_records_ >= 0 && n == max_records_) break;
      if (n > 0) out_->append(",\n");
      Indent(2, out_);
      dom::element e;
      CAISSON_RETURN_IF_ERROR(ParseValue(json_, base + item.begin, base + item.end, &parser_, &padded_, &e));
      Print(e, 2, max_records_, out_);
      ++n;
      if (release_ && n % 4096 == 0) release_();
      if (flush_ && out_->size() >= kFlushAt) CAISSON_RETURN_IF_ERROR(Flush());
    }
    if (n < total) {
      if (n > 0) out_->push_back('\n');
      Indent(2, out_);
      fmt::format_to(std::back_inserter(*out_), "// ... {} more", total - n);
    }
    out_->push_back('\n');
    Indent(1, out_);
    out_->push_back(']');
    return Status::OK();
  }

  Status Flush() {
    Status s = flush_(*out_);
    out_->clear();
    return s;
  }

  static constexpr size_t kFlushAt = size_t{1} << 20;
  std::string_view json_;
  int64_t max_records_;
  std::string* out_;
  const PrettySink& flush_;
  const std::function<void()>& release_;
  dom::parser parser_;
  std::string padded_;
};

}  // namespace

Status PrettyTo(std::string_view json, int64_t max_records, const PrettySink& sink,
                const std::function<void()>& release) {
  size_t bad = release ? internal::FirstInvalidUtf8(json, release) : internal::FirstInvalidUtf8(json);
  if (bad < json.size()) {
    TextPosition pos = PositionOf(json, bad);
    return Status::Corruption(fmt::format("line {} column {}", pos.line, pos.column), "not valid UTF-8");
  }
  std::string out;
  {
    // A CAIS file is one object: one scan, giving pages back as it goes. Anything else (a stream of objects,
    // a syntax error) is read as a stream of values below.
    internal::ScanResult whole;
    internal::ScanMainObject(json, &whole, release);
    if (whole.ok) {
      ObjectPrinter printer(json, max_records, &out, sink, release);
      CAISSON_RETURN_IF_ERROR(printer.PrintScanned(0, whole));
      out.push_back('\n');
      return sink(out);
    }
  }
  internal::ScanResult scan;
  std::vector<std::pair<size_t, size_t>> values;
  internal::ScanValueStream(json, &scan, &values);
  if (!scan.ok) {
    return Status::Corruption(fmt::format("line {} column {}", scan.line, scan.column), scan.error);
  }
  dom::parser parser;
  std::string padded;
  ObjectPrinter objects(json, max_records, &out, sink, release);
  for (auto [begin, end] : values) {
    if (json[begin] == '{') {
      CAISSON_RETURN_IF_ERROR(objects.PrintObject(begin, end));
    } else {
      dom::element e;
      CAISSON_RETURN_IF_ERROR(ParseValue(json, begin, end, &parser, &padded, &e));
      Print(e, 0, max_records, &out);
    }
    out.push_back('\n');
    if (out.size() >= (size_t{1} << 20)) {
      CAISSON_RETURN_IF_ERROR(sink(out));
      out.clear();
    }
  }
  return out.empty() ? Status::OK() : sink(out);
}

Result<std::string> Pretty(std::string_view json, int64_t max_records) {
  std::string all;
  CAISSON_RETURN_IF_ERROR(PrettyTo(json, max_records, [&](std::string_view part) {
    all.append(part);
    return Status::OK();
  }));
  return all;
}

}  // namespace caisson::caisjson
