// LoadProfile / ListProfiles: reads data/spec/<name>.json with simdjson's DOM (profiles are small) through
// the error-code API only, and validates every entry, so a bad profile is a Status at start-up, not a crash
// later (STYLE.md §3).
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "spec/rep.h"
#include "spec/spec.h"

namespace caisson::spec {

namespace {

namespace fs = std::filesystem;
using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr int kMaxExtendsDepth = 4;
constexpr std::string_view kAppendixE = "appendix-e";

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  });
}

// Reads one JSON file and reports problems as Corruption("<file>", "<JSON path>: <what>").
class Reader {
 public:
  explicit Reader(fs::path file) : file_(std::move(file)) {}

  Status Parse(element* root) {
    std::error_code ec;
    if (!fs::is_regular_file(file_, ec)) return Status::NotFound(file_.string(), "no such file");
    simdjson::error_code err = simdjson::padded_string::load(file_.string()).get(text_);
    if (err) return Status::IOError(file_.string(), simdjson::error_message(err));
    err = parser_.parse(text_).get(*root);
    if (err) return Error("$", fmt::format("not valid JSON ({})", simdjson::error_message(err)));
    return Status::OK();
  }

  Status Error(std::string_view path, std::string_view what) const {
    return Status::Corruption(file_.string(), fmt::format("{}: {}", path, what));
  }

  Status Object(element e, std::string_view path, object* out) const {
    if (e.get(*out)) return Error(path, "expected an object");
    return Status::OK();
  }
  Status Array(element e, std::string_view path, array* out) const {
    if (e.get(*out)) return Error(path, "expected an array");
    return Status::OK();
  }
  Status String(element e, std::string_view path, std::string* out) const {
    std::string_view v;
    if (e.get(v)) return Error(path, "expected a string");
    out->assign(v);
    return Status::OK();
  }
  Status Int(element e, std::string_view path, int64_t* out) const {
    if (e.get(*out)) return Error(path, "expected an integer");
    return Status::OK();
  }
  Status Bool(element e, std::string_view path, bool* out) const {
    if (e.get(*out)) return Error(path, "expected true or false");
    return Status::OK();
  }
  // Every key of `o` must be one of `allowed`: a misspelt key is an error, not a silently ignored entry.
  Status OnlyKeys(object o, std::string_view path, std::initializer_list<std::string_view> allowed) const {
    for (auto field : o) {
      if (std::find(allowed.begin(), allowed.end(), field.key) == allowed.end()) {
        return Error(path, fmt::format("unknown key '{}'", field.key));
      }
    }
    return Status::OK();
  }
  // The member `key`, or nullopt-like false when absent.
  static bool Member(object o, std::string_view key, element* out) { return !o.at_key(key).get(*out); }

  Status RequiredString(object o, std::string_view path, std::string_view key, std::string* out) const {
    element e;
    if (!Member(o, key, &e)) return Error(path, fmt::format("missing '{}'", key));
    CAISSON_RETURN_IF_ERROR(String(e, fmt::format("{}.{}", path, key), out));
    if (out->empty()) return Error(fmt::format("{}.{}", path, key), "must not be empty");
    return Status::OK();
  }
  Status RequiredInt(object o, std::string_view path, std::string_view key, int64_t* out) const {
    element e;
    if (!Member(o, key, &e)) return Error(path, fmt::format("missing '{}'", key));
    return Int(e, fmt::format("{}.{}", path, key), out);
  }
  Status OptionalBool(object o, std::string_view path, std::string_view key, bool* out) const {
    element e;
    if (!Member(o, key, &e)) return Status::OK();
    return Bool(e, fmt::format("{}.{}", path, key), out);
  }
  Status StringList(object o, std::string_view path, std::string_view key,
                    std::vector<std::string>* out) const {
    element e;
    if (!Member(o, key, &e)) return Status::OK();
    const std::string p = fmt::format("{}.{}", path, key);
    array a;
    CAISSON_RETURN_IF_ERROR(Array(e, p, &a));
    size_t i = 0;
    for (element item : a) {
      std::string s;
      CAISSON_RETURN_IF_ERROR(String(item, fmt::format("{}[{}]", p, i++), &s));
      out->push_back(std::move(s));
    }
    return Status::OK();
  }

  const fs::path& file() const { return file_; }

 private:
  fs::path file_;
  simdjson::padded_string text_;
  simdjson::dom::parser parser_;
};

bool IsDate(int64_t v) { return v >= 10000101 && v <= 99991231; }

Status ReadLengths(const Reader& r, object f, const std::string& path, Field* field) {
  element e;
  if (!Reader::Member(f, "lengths", &e)) return Status::OK();
  array steps;
  CAISSON_RETURN_IF_ERROR(r.Array(e, path + ".lengths", &steps));
  size_t i = 0;
  for (element s : steps) {
    const std::string p = fmt::format("{}.lengths[{}]", path, i++);
    object o;
    CAISSON_RETURN_IF_ERROR(r.Object(s, p, &o));
    CAISSON_RETURN_IF_ERROR(r.OnlyKeys(o, p, {"from_date", "max_length", "note"}));
    LengthStep step;
    element d;
    if (!Reader::Member(o, "from_date", &d)) return r.Error(p, "missing 'from_date'");
    if (d.is_null()) {
      step.from_date = kUnknownDate;  // announced, date not in our sources: never in force
    } else {
      int64_t v = 0;
      CAISSON_RETURN_IF_ERROR(r.Int(d, p + ".from_date", &v));
      if (v != 0 && !IsDate(v)) return r.Error(p + ".from_date", "expected 0, null or a YYYYMMDD date");
      step.from_date = static_cast<int32_t>(v);
    }
    int64_t len = 0;
    CAISSON_RETURN_IF_ERROR(r.RequiredInt(o, p, "max_length", &len));
    if (len <= 0 || len > 100000) return r.Error(p + ".max_length", "expected a positive length");
    step.max_length = static_cast<int32_t>(len);
    element n;
    if (Reader::Member(o, "note", &n)) CAISSON_RETURN_IF_ERROR(r.String(n, p + ".note", &step.note));
    if (step.from_date == kUnknownDate && step.note.empty()) {
      return r.Error(p, "a step without a date needs a note saying why");
    }
    if (!field->lengths.empty() && step.from_date <= field->lengths.back().from_date) {
      return r.Error(p + ".from_date", "steps must be in increasing date order");
    }
    if (field->lengths.empty() && step.from_date != 0)
      return r.Error(p + ".from_date", "the first step must be 0");
    field->lengths.push_back(std::move(step));
  }
  if (field->lengths.empty()) return r.Error(path + ".lengths", "must not be empty");
  return Status::OK();
}

Status ReadField(const Reader& r, element e, const std::string& path, Object object_id, Field* field) {
  object f;
  CAISSON_RETURN_IF_ERROR(r.Object(e, path, &f));
  CAISSON_RETURN_IF_ERROR(r.OnlyKeys(f, path,
                                     {"name", "type", "lengths", "presence", "condition", "values",
                                      "values_from", "items", "codes", "cite"}));
  field->object = object_id;
  CAISSON_RETURN_IF_ERROR(r.RequiredString(f, path, "name", &field->name));
  std::string s;
  CAISSON_RETURN_IF_ERROR(r.RequiredString(f, path, "type", &s));
  if (!ParseDataType(s, &field->type))
    return r.Error(path + ".type", fmt::format("unknown data type '{}'", s));
  CAISSON_RETURN_IF_ERROR(r.RequiredString(f, path, "presence", &s));
  if (s == "R") {
    field->presence = Presence::kRequired;
  } else if (s == "C") {
    field->presence = Presence::kConditional;
  } else if (s == "O") {
    field->presence = Presence::kOptional;
  } else {
    return r.Error(path + ".presence", fmt::format("expected R, C or O, not '{}'", s));
  }
  CAISSON_RETURN_IF_ERROR(r.RequiredString(f, path, "condition", &field->condition));
  CAISSON_RETURN_IF_ERROR(r.RequiredString(f, path, "cite", &field->cite));
  CAISSON_RETURN_IF_ERROR(ReadLengths(r, f, path, field));
  CAISSON_RETURN_IF_ERROR(r.StringList(f, path, "values", &field->enumeration));
  CAISSON_RETURN_IF_ERROR(r.StringList(f, path, "codes", &field->codes));
  element x;
  if (Reader::Member(f, "values_from", &x)) {
    CAISSON_RETURN_IF_ERROR(r.String(x, path + ".values_from", &field->values_from));
    if (field->values_from != "appendix-e:countries" && field->values_from != "appendix-e:regions") {
      return r.Error(path + ".values_from", fmt::format("unknown list '{}'", field->values_from));
    }
  }
  if (Reader::Member(f, "items", &x)) CAISSON_RETURN_IF_ERROR(r.String(x, path + ".items", &field->items));

  // Shape checks by type [Table 3].
  const DataType t = field->type;
  const bool choice = t == DataType::kChoice || t == DataType::kArrayOfChoice;
  const bool needs_length = t == DataType::kText || t == DataType::kExtendedText ||
                            t == DataType::kAlphanumeric || t == DataType::kHexadecimal ||
                            t == DataType::kArrayOfAlphanumeric;
  const bool may_have_length =
      needs_length || t == DataType::kDate || t == DataType::kYear || t == DataType::kTimestamp;
  if (needs_length && field->lengths.empty()) return r.Error(path, "this data type needs 'lengths'");
  if (!may_have_length && !field->lengths.empty())
    return r.Error(path + ".lengths", "this data type has no length");
  if (choice && field->enumeration.empty() && field->values_from.empty()) {
    return r.Error(path, "a Choice needs 'values' or 'values_from'");
  }
  // A Text field may list its accepted values too (version: "2.0.0" [Table 8; Table 9]).
  if (!choice && t != DataType::kText && !field->enumeration.empty()) {
    return r.Error(path + ".values", "only a Choice or a Text field has values");
  }
  if (t == DataType::kObjectArray) {
    Object items;
    if (!ParseObject(field->items, &items)) {
      return r.Error(path + ".items", fmt::format("expected an object name, not '{}'", field->items));
    }
  } else if (!field->items.empty()) {
    return r.Error(path + ".items", "only a Multi-Dimensional Array has items");
  }
  return Status::OK();
}

Status ReadCodes(const Reader& r, element e, ProfileData* rep) {
  array a;
  CAISSON_RETURN_IF_ERROR(r.Array(e, "$.codes", &a));
  size_t i = 0;
  for (element item : a) {
    const std::string p = fmt::format("$.codes[{}]", i++);
    object o;
    CAISSON_RETURN_IF_ERROR(r.Object(item, p, &o));
    CAISSON_RETURN_IF_ERROR(r.OnlyKeys(o, p, {"code", "category", "applies_to", "description", "retired"}));
    Code c;
    CAISSON_RETURN_IF_ERROR(r.RequiredString(o, p, "code", &c.code));
    if (c.code.size() != 5 ||
        !std::all_of(c.code.begin(), c.code.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      return r.Error(p + ".code", "expected five digits");
    }
    CAISSON_RETURN_IF_ERROR(r.RequiredString(o, p, "category", &c.category));
    static constexpr std::string_view kCategories[] = {"file_integrity", "data_validation", "data_layer",
                                                       "warning", "inconsistency"};
    if (std::find(std::begin(kCategories), std::end(kCategories), c.category) == std::end(kCategories)) {
      return r.Error(p + ".category", fmt::format("unknown category '{}'", c.category));
    }
    CAISSON_RETURN_IF_ERROR(r.RequiredString(o, p, "applies_to", &c.applies_to));
    CAISSON_RETURN_IF_ERROR(r.RequiredString(o, p, "description", &c.description));
    CAISSON_RETURN_IF_ERROR(r.OptionalBool(o, p, "retired", &c.retired));
    rep->codes.push_back(std::move(c));
  }
  std::sort(rep->codes.begin(), rep->codes.end(),
            [](const Code& x, const Code& y) { return x.code < y.code; });
  for (size_t k = 1; k < rep->codes.size(); ++k) {
    if (rep->codes[k].code == rep->codes[k - 1].code) {
      return r.Error("$.codes", fmt::format("code {} listed twice", rep->codes[k].code));
    }
  }
  return Status::OK();
}

Status ReadObjects(const Reader& r, element e, ProfileData* rep) {
  object objects;
  CAISSON_RETURN_IF_ERROR(r.Object(e, "$.objects", &objects));
  for (auto member : objects) {
    const std::string p = fmt::format("$.objects.{}", member.key);
    Object id;
    if (!ParseObject(member.key, &id)) return r.Error(p, "unknown object name");
    object o;
    CAISSON_RETURN_IF_ERROR(r.Object(member.value, p, &o));
    CAISSON_RETURN_IF_ERROR(r.OnlyKeys(o, p, {"cite", "fields"}));
    std::string cite;
    CAISSON_RETURN_IF_ERROR(r.RequiredString(o, p, "cite", &cite));
    element fe;
    if (!Reader::Member(o, "fields", &fe)) return r.Error(p, "missing 'fields'");
    array fields;
    CAISSON_RETURN_IF_ERROR(r.Array(fe, p + ".fields", &fields));
    std::vector<Field>& out = rep->fields[static_cast<int>(id)];
    if (!out.empty()) return r.Error(p, "object listed twice");
    size_t i = 0;
    for (element fv : fields) {
      const std::string fp = fmt::format("{}.fields[{}]", p, i++);
      Field field;
      CAISSON_RETURN_IF_ERROR(ReadField(r, fv, fp, id, &field));
      for (const Field& other : out) {
        if (other.name == field.name)
          return r.Error(fp + ".name", fmt::format("field '{}' listed twice", field.name));
      }
      for (const std::string& code : field.codes) {
        if (std::none_of(rep->codes.begin(), rep->codes.end(),
                         [&](const Code& c) { return c.code == code; })) {
          return r.Error(fp + ".codes", fmt::format("code {} is not in the catalogue", code));
        }
      }
      out.push_back(std::move(field));
    }
    if (out.empty()) return r.Error(p + ".fields", "must not be empty");
  }
  for (int k = 0; k < kObjectCount; ++k) {
    if (rep->fields[k].empty()) {
      return r.Error("$.objects", fmt::format("missing object '{}'", ObjectName(static_cast<Object>(k))));
    }
  }
  return Status::OK();
}

Status ReadLimits(const Reader& r, element e, ProfileData* rep) {
  object o;
  CAISSON_RETURN_IF_ERROR(r.Object(e, "$.limits", &o));
  CAISSON_RETURN_IF_ERROR(r.OnlyKeys(o, "$.limits",
                                     {"max_file_bytes_hard", "portal_max_file_bytes", "portal_max_records",
                                      "max_customers_per_fdid", "cite"}));
  int64_t customers = 0;
  CAISSON_RETURN_IF_ERROR(r.RequiredInt(o, "$.limits", "max_file_bytes_hard", &rep->max_file_bytes_hard));
  CAISSON_RETURN_IF_ERROR(r.RequiredInt(o, "$.limits", "portal_max_file_bytes", &rep->portal_max_file_bytes));
  CAISSON_RETURN_IF_ERROR(r.RequiredInt(o, "$.limits", "portal_max_records", &rep->portal_max_records));
  CAISSON_RETURN_IF_ERROR(r.RequiredInt(o, "$.limits", "max_customers_per_fdid", &customers));
  if (rep->max_file_bytes_hard <= 0 || rep->portal_max_file_bytes <= 0 || rep->portal_max_records <= 0 ||
      customers <= 0 || customers > INT32_MAX) {
    return r.Error("$.limits", "every limit must be a positive integer");
  }
  rep->max_customers_per_fdid = static_cast<int32_t>(customers);
  return Status::OK();
}

Status ReadProvisionalItems(const Reader& r, element e, ProfileData* rep) {
  array a;
  CAISSON_RETURN_IF_ERROR(r.Array(e, "$.provisional_items", &a));
  size_t i = 0;
  for (element item : a) {
    const std::string p = fmt::format("$.provisional_items[{}]", i++);
    object o;
    CAISSON_RETURN_IF_ERROR(r.Object(item, p, &o));
    CAISSON_RETURN_IF_ERROR(r.OnlyKeys(o, p, {"item", "reason"}));
    std::string what, why;
    CAISSON_RETURN_IF_ERROR(r.RequiredString(o, p, "item", &what));
    CAISSON_RETURN_IF_ERROR(r.RequiredString(o, p, "reason", &why));
    rep->provisional_items.emplace_back(std::move(what), std::move(why));
  }
  return Status::OK();
}

// appendix-e.json, written by scripts/gen-appendix-e [App E].
Status ReadAppendixE(const fs::path& file, ProfileData* rep) {
  Reader r(file);
  element root;
  Status s = r.Parse(&root);
  if (!s.ok()) return s.code() == Status::Code::kNotFound ? Status::Corruption(file.string(), "missing") : s;
  object o;
  CAISSON_RETURN_IF_ERROR(r.Object(root, "$", &o));
  CAISSON_RETURN_IF_ERROR(r.OnlyKeys(o, "$", {"provenance", "countries", "regions", "postal_formats"}));
  element e;
  if (!Reader::Member(o, "countries", &e)) return r.Error("$", "missing 'countries'");
  array countries;
  CAISSON_RETURN_IF_ERROR(r.Array(e, "$.countries", &countries));
  size_t i = 0;
  for (element c : countries) {
    const std::string p = fmt::format("$.countries[{}]", i++);
    object co;
    std::string code;
    CAISSON_RETURN_IF_ERROR(r.Object(c, p, &co));
    CAISSON_RETURN_IF_ERROR(r.RequiredString(co, p, "code", &code));
    if (code.size() != 2) return r.Error(p + ".code", "expected ISO 3166-1 alpha-2");
    rep->countries.insert(std::move(code));
  }
  if (rep->countries.empty()) return r.Error("$.countries", "must not be empty");
  if (!Reader::Member(o, "regions", &e)) return r.Error("$", "missing 'regions'");
  object regions;
  CAISSON_RETURN_IF_ERROR(r.Object(e, "$.regions", &regions));
  for (auto member : regions) {
    const std::string p = fmt::format("$.regions.{}", member.key);
    if (rep->countries.find(member.key) == rep->countries.end())
      return r.Error(p, "not a country of the list");
    array list;
    CAISSON_RETURN_IF_ERROR(r.Array(member.value, p, &list));
    auto& set = rep->regions[std::string(member.key)];
    size_t k = 0;
    for (element reg : list) {
      const std::string rp = fmt::format("{}[{}]", p, k++);
      object ro;
      std::string code;
      CAISSON_RETURN_IF_ERROR(r.Object(reg, rp, &ro));
      CAISSON_RETURN_IF_ERROR(r.RequiredString(ro, rp, "code", &code));
      if (code.rfind(std::string(member.key) + "-", 0) != 0)
        return r.Error(rp + ".code", "expected <country>-<region>");
      set.insert(std::move(code));
    }
  }
  if (Reader::Member(o, "postal_formats", &e)) {
    object pf;
    CAISSON_RETURN_IF_ERROR(r.Object(e, "$.postal_formats", &pf));
    CAISSON_RETURN_IF_ERROR(r.OnlyKeys(pf, "$.postal_formats", {"provisional", "reason", "formats"}));
    bool provisional = false;
    CAISSON_RETURN_IF_ERROR(r.OptionalBool(pf, "$.postal_formats", "provisional", &provisional));
    element fe;
    if (Reader::Member(pf, "formats", &fe)) {
      object formats;
      CAISSON_RETURN_IF_ERROR(r.Object(fe, "$.postal_formats.formats", &formats));
      for (auto member : formats) {
        std::vector<std::string> list;
        const std::string p = fmt::format("$.postal_formats.formats.{}", member.key);
        array a;
        CAISSON_RETURN_IF_ERROR(r.Array(member.value, p, &a));
        for (element x : a) {
          std::string f;
          CAISSON_RETURN_IF_ERROR(r.String(x, p, &f));
          list.push_back(std::move(f));
        }
        rep->postal_formats[std::string(member.key)] = std::move(list);
      }
    }
    if (provisional) {
      std::string reason = "postal code formats";
      element re;
      if (Reader::Member(pf, "reason", &re))
        CAISSON_RETURN_IF_ERROR(r.String(re, "$.postal_formats.reason", &reason));
      rep->provisional_items.emplace_back("appendix-e postal_formats", std::move(reason));
    }
  }
  return Status::OK();
}

Result<std::unique_ptr<ProfileData>> LoadRep(const fs::path& data_dir, std::string_view name, int depth) {
  const fs::path file = data_dir / "spec" / (std::string(name) + ".json");
  Reader r(file);
  element root;
  Status s = r.Parse(&root);
  if (s.code() == Status::Code::kNotFound)
    return Status::NotSupported(fmt::format("unknown profile '{}'", name));
  if (!s.ok()) return s;
  object o;
  CAISSON_RETURN_IF_ERROR(r.Object(root, "$", &o));

  std::string declared;
  CAISSON_RETURN_IF_ERROR(r.RequiredString(o, "$", "profile", &declared));
  if (declared != name)
    return r.Error("$.profile", fmt::format("'{}' does not match the file name", declared));

  auto rep = std::make_unique<ProfileData>();
  element e;
  if (Reader::Member(o, "extends", &e)) {
    // A small derived profile: the parent's facts plus a few top-level switches (docs/spec.md).
    CAISSON_RETURN_IF_ERROR(r.OnlyKeys(o, "$",
                                       {"profile", "extends", "provisional", "pii_exempt_ssn_persons",
                                        "pii_exempt_fields", "provenance", "provisional_items"}));
    std::string parent;
    CAISSON_RETURN_IF_ERROR(r.String(e, "$.extends", &parent));
    if (!ValidName(parent) || parent == name || depth >= kMaxExtendsDepth) {
      return r.Error("$.extends", fmt::format("cannot extend '{}'", parent));
    }
    Result<std::unique_ptr<ProfileData>> base = LoadRep(data_dir, parent, depth + 1);
    if (!base.ok()) {
      if (base.status().code() == Status::Code::kNotSupported) {
        return r.Error("$.extends", fmt::format("unknown profile '{}'", parent));
      }
      return base.status();
    }
    rep = std::move(base).value();
  } else {
    CAISSON_RETURN_IF_ERROR(
        r.OnlyKeys(o, "$",
                   {"profile", "provisional", "schema_version", "provenance", "pii_exempt_ssn_persons",
                    "pii_exempt_fields", "appendix_e", "limits", "objects", "codes", "provisional_items"}));
    rep->provisional = false;
    rep->pii_exempt_ssn_persons = false;
    CAISSON_RETURN_IF_ERROR(r.RequiredString(o, "$", "schema_version", &rep->schema_version));
    if (!Reader::Member(o, "limits", &e)) return r.Error("$", "missing 'limits'");
    CAISSON_RETURN_IF_ERROR(ReadLimits(r, e, rep.get()));
    if (!Reader::Member(o, "codes", &e)) return r.Error("$", "missing 'codes'");
    CAISSON_RETURN_IF_ERROR(ReadCodes(r, e, rep.get()));
    if (!Reader::Member(o, "objects", &e)) return r.Error("$", "missing 'objects'");
    CAISSON_RETURN_IF_ERROR(ReadObjects(r, e, rep.get()));
    std::string appendix;
    CAISSON_RETURN_IF_ERROR(r.RequiredString(o, "$", "appendix_e", &appendix));
    if (appendix.size() < 6 || appendix.substr(appendix.size() - 5) != ".json" ||
        !ValidName(appendix.substr(0, appendix.size() - 5))) {
      return r.Error("$.appendix_e", "expected a file name like appendix-e.json");
    }
    CAISSON_RETURN_IF_ERROR(ReadAppendixE(data_dir / "spec" / appendix, rep.get()));
  }
  rep->name = std::string(name);
  CAISSON_RETURN_IF_ERROR(r.RequiredString(o, "$", "provenance", &rep->provenance));
  CAISSON_RETURN_IF_ERROR(r.OptionalBool(o, "$", "provisional", &rep->provisional));
  CAISSON_RETURN_IF_ERROR(r.OptionalBool(o, "$", "pii_exempt_ssn_persons", &rep->pii_exempt_ssn_persons));
  std::vector<std::string> exempt;
  CAISSON_RETURN_IF_ERROR(r.StringList(o, "$", "pii_exempt_fields", &exempt));
  for (const std::string& f : exempt) {
    bool found = false;
    for (const Field& field : rep->fields[static_cast<int>(Object::kNaturalPersonCustomerRecord)]) {
      found = found || field.name == f;
    }
    if (!found) return r.Error("$.pii_exempt_fields", fmt::format("'{}' is not a Natural Person field", f));
    rep->pii_exempt_fields.insert(f);
  }
  if (rep->pii_exempt_ssn_persons && rep->pii_exempt_fields.empty()) {
    return r.Error("$.pii_exempt_fields", "the exemption needs the list of fields it drops");
  }
  if (Reader::Member(o, "provisional_items", &e))
    CAISSON_RETURN_IF_ERROR(ReadProvisionalItems(r, e, rep.get()));
  return rep;
}

}  // namespace

Result<Profile> LoadProfile(const std::filesystem::path& data_dir, std::string_view name) {
  if (!ValidName(name) || name == kAppendixE)
    return Status::NotSupported(fmt::format("unknown profile '{}'", name));
  Result<std::unique_ptr<ProfileData>> data = LoadRep(data_dir, name, 0);
  if (!data.ok()) return data.status();
  auto rep = std::make_unique<Profile::Rep>();
  static_cast<ProfileData&>(*rep) = std::move(*data.value());
  return Profile(std::move(rep));
}

std::vector<std::string> ListProfiles(const std::filesystem::path& data_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(data_dir / "spec", ec);
  if (ec) return names;
  for (const fs::directory_entry& entry : it) {
    const fs::path& p = entry.path();
    if (p.extension() != ".json") continue;
    std::string stem = p.stem().string();
    if (stem == kAppendixE || !ValidName(stem)) continue;
    names.push_back(std::move(stem));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace caisson::spec
