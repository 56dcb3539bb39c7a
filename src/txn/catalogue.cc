// Catalogue: the event tables of the IM spec as data (data/txn/<profile>.json, written by
// scripts/txn-spec-extract from the spec text).
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "txn/events.h"

namespace caisson::txn {

struct Catalogue::Rep {
  std::string profile;
  size_t max_line_bytes = 0;
  std::string pending_value;
  int pending_code = 0;
  std::vector<TypeSpec> types;
  std::unordered_map<std::string, size_t> by_code;
  std::unordered_map<std::string, std::vector<std::string>> choices;
};

int TypeSpec::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

JsonKind KindOf(std::string_view s) {
  if (s == "string") return JsonKind::kString;
  if (s == "timestamp") return JsonKind::kTimestamp;
  if (s == "number") return JsonKind::kNumber;
  if (s == "boolean") return JsonKind::kBoolean;
  if (s == "object") return JsonKind::kObject;
  if (s == "array") return JsonKind::kArray;
  if (s == "none") return JsonKind::kNone;
  return JsonKind::kAny;
}

Status Bad(std::string_view origin, std::string_view why) { return Status::Corruption(origin, why); }

}  // namespace

Catalogue::Catalogue(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Catalogue::Catalogue(Catalogue&&) noexcept = default;
Catalogue& Catalogue::operator=(Catalogue&&) noexcept = default;
Catalogue::~Catalogue() = default;

std::filesystem::path Catalogue::DefaultPath(const std::filesystem::path& data_dir) {
  return data_dir / "txn" / "cat-im-4.1.0r15.json";
}

Result<Catalogue> Catalogue::Load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path.string(), "cannot open the event catalogue");
  std::stringstream buf;  // read once at start-up, not in a loop
  buf << in.rdbuf();
  return Parse(buf.str(), path.string());
}

Result<Catalogue> Catalogue::Parse(std::string_view json, std::string_view origin) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root)) return Bad(origin, "not valid JSON");
  auto rep = std::make_unique<Rep>();
  std::string_view sv;
  int64_t n = 0;
  if (root["profile"].get_string().get(sv)) return Bad(origin, "'profile' missing");
  rep->profile = std::string(sv);
  if (root["max_line_bytes"].get_int64().get(n) || n <= 0) return Bad(origin, "'max_line_bytes' missing");
  rep->max_line_bytes = static_cast<size_t>(n);
  if (root["pending_value"].get_string().get(sv)) return Bad(origin, "'pending_value' missing");
  rep->pending_value = std::string(sv);
  if (root["pending_code"].get_int64().get(n)) return Bad(origin, "'pending_code' missing");
  rep->pending_code = static_cast<int>(n);
  simdjson::dom::object choices;
  if (root["choices"].get_object().get(choices)) return Bad(origin, "'choices' missing");
  for (auto [k, v] : choices) {
    simdjson::dom::array values;
    if (v.get_array().get(values)) return Bad(origin, fmt::format("choices.{}: not an array", k));
    auto& list = rep->choices[std::string(k)];
    for (auto e : values) {
      if (e.get_string().get(sv)) return Bad(origin, fmt::format("choices.{}: not a string", k));
      list.emplace_back(sv);
    }
  }
  simdjson::dom::object types;
  if (root["types"].get_object().get(types)) return Bad(origin, "'types' missing");
  for (auto [code, t] : types) {
    TypeSpec spec;
    spec.code = std::string(code);
    const std::string where = fmt::format("types.{}", code);
    if (t["name"].get_string().get(sv)) return Bad(origin, where + ": 'name' missing");
    spec.name = std::string(sv);
    if (t["table"].get_int64().get(n)) return Bad(origin, where + ": 'table' missing");
    spec.table = static_cast<int>(n);
    simdjson::dom::array fields;
    if (t["fields"].get_array().get(fields)) return Bad(origin, where + ": 'fields' missing");
    for (auto f : fields) {
      FieldSpec fs;
      std::string_view key;
      if (f["seq"].get_int64().get(n) || f["name"].get_string().get(sv) || f["key"].get_string().get(key) ||
          key.size() != 1) {
        return Bad(origin, where + ": a field lacks seq, name or key");
      }
      fs.seq = static_cast<int>(n);
      fs.name = std::string(sv);
      fs.key = key[0];
      if (fs.key != 'R' && fs.key != 'C' && fs.key != 'O' && fs.key != 'A' && fs.key != '-') {
        return Bad(origin, where + "." + fs.name + ": key must be R, C, O, A or -");
      }
      if (f["type"].get_string().get(sv)) return Bad(origin, where + "." + fs.name + ": 'type' missing");
      fs.type = std::string(sv);
      if (f["json"].get_string().get(sv)) return Bad(origin, where + "." + fs.name + ": 'json' missing");
      fs.json = KindOf(sv);
      if (static_cast<size_t>(fs.seq) != spec.fields.size() + 1) {
        return Bad(origin, where + "." + fs.name + ": seq out of order");
      }
      spec.fields.push_back(std::move(fs));
    }
    if (spec.fields.empty()) return Bad(origin, where + ": no fields");
    simdjson::dom::array fdids;
    if (t["fdid"].get_array().get(fdids)) return Bad(origin, where + ": 'fdid' missing");
    for (auto f : fdids) {
      FdidSpec fd;
      int64_t missing = 0, invalid = 0;
      if (f["path"].get_string().get(sv) || f["missing_code"].get_int64().get(missing) ||
          f["invalid_code"].get_int64().get(invalid)) {
        return Bad(origin, where + ": an fdid entry lacks path or codes");
      }
      fd.path = std::string(sv);
      fd.missing_code = static_cast<int>(missing);
      fd.invalid_code = static_cast<int>(invalid);
      const size_t dot = fd.path.find('.');
      fd.object = dot == std::string::npos ? "" : fd.path.substr(0, dot);
      fd.field = dot == std::string::npos ? fd.path : fd.path.substr(dot + 1);
      // The field, or the object holding it, must be in the type's table.
      fd.field_index = spec.FieldIndex(fd.object.empty() ? fd.field : fd.object);
      if (fd.field_index < 0) {
        return Bad(origin, where + ": fdid path '" + fd.path + "' names no field of the table");
      }
      simdjson::dom::array dates;
      if (f["dates"].get_array().get(dates)) return Bad(origin, where + ": fdid 'dates' missing");
      for (auto d : dates) {
        if (d.get_string().get(sv)) return Bad(origin, where + ": fdid date not a string");
        if (sv == "event") {
          fd.on_event_date = true;
        } else if (sv == "tradeDate") {
          fd.on_trade_date = true;
        } else {
          return Bad(origin, where + ": fdid date must be 'event' or 'tradeDate'");
        }
      }
      bool b = false;
      if (!f["unless_other_correspondent"].get_bool().get(b)) fd.unless_other_correspondent = b;
      if (!f["presence"].get_string().get(sv) && sv.size() == 1) fd.presence = sv[0];
      spec.fdid.push_back(std::move(fd));
    }
    rep->by_code.emplace(spec.code, rep->types.size());
    rep->types.push_back(std::move(spec));
  }
  if (rep->types.empty()) return Bad(origin, "no types");
  return Catalogue(std::move(rep));
}

const std::string& Catalogue::profile() const { return rep_->profile; }
size_t Catalogue::max_line_bytes() const { return rep_->max_line_bytes; }
const std::string& Catalogue::pending_value() const { return rep_->pending_value; }
int Catalogue::pending_code() const { return rep_->pending_code; }
const std::vector<TypeSpec>& Catalogue::types() const { return rep_->types; }

const TypeSpec* Catalogue::Find(std::string_view code) const {
  // Message types are at most 5 characters [Table 3]; a short string lookup without allocation.
  if (code.size() > 8) return nullptr;
  auto it = rep_->by_code.find(std::string(code));
  return it == rep_->by_code.end() ? nullptr : &rep_->types[it->second];
}

bool Catalogue::IsChoice(std::string_view field, std::string_view value) const {
  auto it = rep_->choices.find(std::string(field));
  if (it == rep_->choices.end()) return false;
  for (const auto& v : it->second) {
    if (v == value) return true;
  }
  return false;
}

}  // namespace caisson::txn
