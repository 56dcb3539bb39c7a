// ReadDataFile and ReadTidFile: scan the file once (syntax, Main keys, record ranges), then parse each record on
// its own with simdjson (scan.h explains why), check the Main object [Table 8; Table 9; §6.2] and pair TID
// records with customers [§5.1.3.2 R1; §5.1.4 R3].
#include <charconv>
#include <string>
#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

#include "caisjson/caisjson.h"
#include "caisjson/reader_internal.h"
#include "caisjson/scan.h"

namespace caisson::caisjson {

namespace {

namespace dom = simdjson::dom;
using internal::Reader;
using internal::ScanKey;
using internal::ScanResult;

// Both kinds of file, so one routine reads either Main object.
struct Kind {
  bool tid;
  spec::Object main;
  const char* json_code;         // 21011 / 21511
  const char* unknown_code;      // 21012 / 21512
  const char* duplicate_code;    // 21019 / 21516
  const char* version_code;      // 21008 / 21508
};
constexpr Kind kData{false, spec::Object::kDataFileMain, "21011", "21012", "21019", "21008"};
constexpr Kind kTid{true, spec::Object::kTidFileMain, "21511", "21512", "21516", "21508"};

// Syntax (UTF-8 first, then the grammar). Returns false after a file.json finding.
bool Scan(std::string_view json, const Kind& kind, Reader* r, ScanResult* scan,
          const std::function<void()>& release) {
  size_t bad = release ? internal::FirstInvalidUtf8(json, release) : internal::FirstInvalidUtf8(json);
  if (bad < json.size()) {
    TextPosition pos = PositionOf(json, bad);
    r->FileFinding("file.json", kind.json_code, pos.line, "",
                   fmt::format("not valid UTF-8 at line {} column {}", pos.line, pos.column));
    return false;
  }
  internal::ScanMainObject(json, scan, release);
  if (!scan->ok) {
    r->FileFinding("file.json", kind.json_code, scan->line, "",
                   fmt::format("not valid JSON at line {} column {}: {}", scan->line, scan->column, scan->error));
    return false;
  }
  return true;
}

// The Main members by name (first occurrence); reports duplicates and unknown keys.
std::unordered_map<std::string_view, const ScanKey*> MainKeys(const spec::Profile& profile, const Kind& kind,
                                                              const ScanResult& scan, Reader* r) {
  std::unordered_map<std::string_view, const ScanKey*> keys;
  for (const ScanKey& k : scan.keys) {
    if (!keys.emplace(k.key, &k).second) {
      r->FileFinding("file.duplicate_key", kind.duplicate_code, k.line, k.key,
                     fmt::format("{} appears more than once in the file's top-level object", k.key));
      continue;
    }
    if (profile.Find(kind.main, k.key) == nullptr) {
      r->FileFinding("file.unknown_attribute", kind.unknown_code, k.line, k.key,
                     fmt::format("{} is not an attribute of the file's top-level object", k.key));
    }
  }
  return keys;
}

// A Main scalar value as an Unsigned: absent, Invalid (wrong type or negative), or the value.
model::Num MainNum(std::string_view json, const ScanKey* k) {
  if (k == nullptr) return {};
  std::string_view v = json.substr(k->value_begin, k->value_end - k->value_begin);
  if (v == "null") return {};
  int64_t x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || end != v.data() + v.size() || x < 0) return model::Num::Invalid();
  return model::Num::Of(x);
}

// The `version` value when it is a JSON string, decoded with simdjson.
bool MainString(std::string_view json, const ScanKey* k, std::string* out) {
  if (k == nullptr || json[k->value_begin] != '"') return false;
  simdjson::padded_string s(json.substr(k->value_begin, k->value_end - k->value_begin));
  dom::parser p;
  std::string_view v;
  if (p.parse(s).get_string().get(v)) return false;
  *out = std::string(v);
  return true;
}

void CheckVersion(const spec::Profile& profile, const Kind& kind, std::string_view json,
                  const std::unordered_map<std::string_view, const ScanKey*>& keys, Reader* r) {
  auto it = keys.find("version");
  const ScanKey* k = it == keys.end() ? nullptr : it->second;
  std::string v;
  if (!MainString(json, k, &v) || v != profile.schema_version()) {
    r->FileFinding("file.header", kind.version_code, k ? k->line : 1, "version",
                   k ? fmt::format("version must be the string \"{}\"", profile.schema_version())
                     : fmt::format("version is missing (\"{}\" expected)", profile.schema_version()));
  }
}

const ScanKey* Get(const std::unordered_map<std::string_view, const ScanKey*>& keys, std::string_view name) {
  auto it = keys.find(name);
  return it == keys.end() ? nullptr : it->second;
}

// A record list: must be an array when present (else file.json). Items, or nullptr.
const std::vector<internal::ScanItem>* List(const Kind& kind, const ScanKey* k, std::string_view json, Reader* r) {
  if (k == nullptr) return nullptr;
  if (!k->is_array) {
    if (json.substr(k->value_begin, 4) == "null") return nullptr;
    r->FileFinding("file.json", kind.json_code, k->line, k->key, fmt::format("{} must be a JSON array", k->key));
    return nullptr;
  }
  return &k->items;
}

// file.counts [§6.2 R4–R5]: the count is present, Unsigned and equal to its list's length.
void CheckCount(std::string_view json, const ScanKey* count, std::string_view count_name,
                const std::vector<internal::ScanItem>* list, std::string_view list_name, std::string_view code,
                Reader* r) {
  model::Num n = MainNum(json, count);
  size_t len = list ? list->size() : 0;
  if (!n.has_value()) {
    r->FileFinding("file.counts", code, count ? count->line : 1, count_name,
                   fmt::format("{} is {}", count_name, count ? "not an Unsigned number" : "missing"));
  } else if (static_cast<uint64_t>(n.value) != len) {
    r->FileFinding("file.counts", code, count->line, count_name,
                   fmt::format("{} is {} but {} holds {} records", count_name, n.value, list_name, len));
  }
}

}  // namespace

namespace internal {

bool ReadDataMain(const spec::Profile& profile, std::string_view json, Reader* reader, ScanResult* scan,
                  DataMain* main, const std::function<void()>& release) {
  Reader& r = *reader;
  if (!Scan(json, kData, &r, scan, release)) return false;
  r.sub_lines = &scan->sub_lines;
  auto keys = MainKeys(profile, kData, *scan, &r);
  CheckVersion(profile, kData, json, keys, &r);

  // Header [§6.2 R7–R8; Table 8]: presence and type here; agreement with the file name is check's.
  struct HeaderNum {
    const char* name;
    const char* code;
    bool required;
    model::Num* out;
  };
  for (const HeaderNum& h : {HeaderNum{"catSubmitterID", "21002", true, &main->cat_submitter_id},
                             HeaderNum{"catReporterCRD", "21003", true, &main->cat_reporter_crd},
                             HeaderNum{"correspondentCRD", "21018", false, &main->correspondent_crd}}) {
    const ScanKey* k = Get(keys, h.name);
    *h.out = MainNum(json, k);
    if (h.out->state == model::Num::State::kInvalid || (h.required && !h.out->present())) {
      r.FileFinding("file.header", h.code, k ? k->line : 1, h.name,
                    fmt::format("{} is {}", h.name, k ? "not an Unsigned number" : "missing"));
    }
  }

  main->fdids = List(kData, Get(keys, "fdidRecordList"), json, &r);
  main->nps = List(kData, Get(keys, "naturalPersonCustomerList"), json, &r);
  main->les = List(kData, Get(keys, "legalEntityCustomerList"), json, &r);
  main->corrections = List(kData, Get(keys, "correctionList"), json, &r);
  CheckCount(json, Get(keys, "fdidRecordCount"), "fdidRecordCount", main->fdids, "fdidRecordList", "21007", &r);
  CheckCount(json, Get(keys, "naturalPersonCustomerRecordCount"), "naturalPersonCustomerRecordCount", main->nps,
             "naturalPersonCustomerList", "21016", &r);
  CheckCount(json, Get(keys, "legalEntityCustomerRecordCount"), "legalEntityCustomerRecordCount", main->les,
             "legalEntityCustomerList", "21017", &r);
  return true;
}

bool ReadTidMain(const spec::Profile& profile, std::string_view json, Reader* reader, ScanResult* scan,
                 const std::vector<ScanItem>** tids, const std::function<void()>& release) {
  Reader& r = *reader;
  *tids = nullptr;
  if (!Scan(json, kTid, &r, scan, release)) return false;
  r.sub_lines = &scan->sub_lines;
  auto keys = MainKeys(profile, kTid, *scan, &r);
  CheckVersion(profile, kTid, json, keys, &r);
  *tids = List(kTid, Get(keys, "tidRecordList"), json, &r);
  CheckCount(json, Get(keys, "tidRecordCount"), "tidRecordCount", *tids, "tidRecordList", "21507", &r);
  return true;
}

void AttachAssociations(uint32_t file_index, model::Books* books) {
  // Associations point at customers by customerRecordID, over both customer lists [Table 8].
  std::unordered_map<int64_t, int32_t> by_crid;
  for (size_t i = 0; i < books->customers.size(); ++i) {
    const model::Customer& c = books->customers[i];
    if (c.origin.file == file_index && c.customer_record_id.has_value()) {
      by_crid.emplace(c.customer_record_id.value, static_cast<int32_t>(i));
    }
  }
  for (model::Fdid& f : books->fdids) {
    if (f.origin.file != file_index) continue;
    for (model::Association& a : f.fdid_customer_list) {
      if (!a.customer_record_id.has_value()) continue;
      auto it = by_crid.find(a.customer_record_id.value);
      a.customer_index = it == by_crid.end() ? -1 : it->second;
    }
  }
}

}  // namespace internal

Status ReadDataFile(const spec::Profile& profile, std::string_view json, std::string_view name, uint32_t file_index,
                    model::Books* books, std::vector<Finding>* findings) {
  if (books->files.size() <= file_index) books->files.resize(file_index + 1);
  books->files[file_index] = std::string(name);
  Reader r(profile, json, name, file_index, false, findings);
  ScanResult scan;
  internal::DataMain main;
  if (!internal::ReadDataMain(profile, json, &r, &scan, &main, {})) return Status::OK();
  books->cat_submitter_id = main.cat_submitter_id;
  books->cat_reporter_crd = main.cat_reporter_crd;
  books->correspondent_crd = main.correspondent_crd;
  const auto* fdids = main.fdids;
  const auto* nps = main.nps;
  const auto* les = main.les;
  const auto* corrections = main.corrections;

  dom::element el;
  if (fdids) {
    books->fdids.reserve(books->fdids.size() + fdids->size());
    for (size_t i = 0; i < fdids->size(); ++i) {
      if (r.Parse((*fdids)[i], "fdidRecordList", &el)) {
        r.WalkFdid((*fdids)[i], static_cast<int32_t>(i), el, books);
      }
    }
  }
  for (auto [list, kind, list_name] :
       {std::tuple{nps, model::CustomerKind::kNaturalPerson, "naturalPersonCustomerList"},
        std::tuple{les, model::CustomerKind::kLegalEntity, "legalEntityCustomerList"}}) {
    if (list == nullptr) continue;
    for (size_t i = 0; i < list->size(); ++i) {
      if (r.Parse((*list)[i], list_name, &el)) r.WalkCustomer((*list)[i], static_cast<int32_t>(i), el, kind, books);
    }
  }
  if (corrections) {
    auto has_customer = [&](int64_t crid) {
      for (const model::Customer& c : books->customers) {
        if (c.origin.file == file_index && c.customer_record_id.has_value() && c.customer_record_id.value == crid) {
          return true;
        }
      }
      return false;
    };
    for (size_t i = 0; i < corrections->size(); ++i) {
      if (r.Parse((*corrections)[i], "correctionList", &el)) {
        r.WalkCorrection((*corrections)[i], static_cast<int32_t>(i), el, has_customer);
      }
    }
  }
  internal::AttachAssociations(file_index, books);
  return Status::OK();
}

namespace internal {

void PairTids(Reader* reader, const std::vector<ScanItem>& items, const std::vector<uint32_t>* which,
              std::string_view name, model::Books* books, std::vector<Finding>* findings,
              const std::function<void()>& release, size_t release_every) {
  Reader& r = *reader;
  // Customers of the Data File by customerRecordID; a customerRecordID may (wrongly) appear twice there.
  std::unordered_map<int64_t, std::vector<int32_t>> by_crid;
  for (size_t i = 0; i < books->customers.size(); ++i) {
    const model::Customer& c = books->customers[i];
    if (c.customer_record_id.has_value()) {
      by_crid[c.customer_record_id.value].push_back(static_cast<int32_t>(i));
    }
  }
  std::unordered_map<int64_t, int> seen;  // TID records per customerRecordID so far
  dom::element el;
  const size_t count = which != nullptr ? which->size() : items.size();
  for (size_t n = 0; n < count; ++n) {
    const size_t i = which != nullptr ? (*which)[n] : n;
    const ScanItem& item = items[i];
    if (release && release_every > 0 && (n + 1) % release_every == 0) release();
    if (!r.Parse(item, "tidRecordList", &el)) continue;
    size_t first_finding = findings->size();
    model::TidRecord t;
    if (!r.WalkTid(item, static_cast<int32_t>(i), el, &t)) continue;
    std::string path = fmt::format("tidRecordList[{}].customerRecordID", i);
    auto pairing = [&](std::string_view code, std::string msg, int64_t index) {
      Finding f;
      f.rule = "tid.pairing";
      f.cais_code = std::string(code);
      f.record = RecordKind::kTid;
      f.key = CridKey(t.customer_record_id);
      f.file = std::string(name);
      f.line = item.line;
      f.field = path;
      f.message = std::move(msg);
      f.record_index = index;
      findings->push_back(std::move(f));
    };
    if (!t.customer_record_id.has_value()) {
      // [App B 24901 -> 22526]: missing or not an Unsigned. A wrong JSON type is also a tid.data_type ([24916]).
      // 24914 is only for a valid customerRecordID that no customer of the Data File has.
      pairing("22526",
              t.customer_record_id.present()
                  ? "[24901] the TID record's customerRecordID is not an Unsigned number, so it pairs with no customer"
                  : "[24901] the TID record has no customerRecordID, so it pairs with no customer",
              -1);
      continue;
    }
    auto it = by_crid.find(t.customer_record_id.value);
    if (it == by_crid.end()) {
      pairing("22914", "[24914] no customer of the Data File has this TID record's customerRecordID", -1);
      continue;
    }
    for (size_t k = first_finding; k < findings->size(); ++k) (*findings)[k].record_index = it->second.front();
    if (seen[t.customer_record_id.value]++ > 0) {
      // [§5.1.4 R3; rules.md §6 tid.pairing]: 22502 when the Data File duplicates it too.
      bool both = it->second.size() > 1;
      for (int32_t c : it->second) {
        pairing(both ? "22502" : "22526",
                "[24915] the TID File holds more than one TID record for this customerRecordID", c);
      }
      continue;
    }
    for (int32_t c : it->second) books->customers[c].tid = t;
  }
}

}  // namespace internal

Status ReadTidFile(const spec::Profile& profile, std::string_view json, std::string_view name, uint32_t file_index,
                   model::Books* books, std::vector<Finding>* findings, int64_t* tid_records) {
  if (tid_records != nullptr) *tid_records = 0;
  if (books->files.size() <= file_index) books->files.resize(file_index + 1);
  books->files[file_index] = std::string(name);
  Reader r(profile, json, name, file_index, true, findings);
  ScanResult scan;
  const std::vector<internal::ScanItem>* tids = nullptr;
  if (!internal::ReadTidMain(profile, json, &r, &scan, &tids, {}) || tids == nullptr) return Status::OK();
  if (tid_records != nullptr) *tid_records = static_cast<int64_t>(tids->size());
  internal::PairTids(&r, *tids, nullptr, name, books, findings);
  return Status::OK();
}

}  // namespace caisson::caisjson
