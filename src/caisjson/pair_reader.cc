// PairReader: a Data File and its TID File read a group of records at a time (caisjson.h).
//
// Records are numbered FDIDs, natural persons, legal entities, then TID records. Grouping is deliberately
// lenient: every occurrence of a key joins, whatever its validity, so a group may hold more records than the
// rules compare but never fewer.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>
#include <simdjson.h>

#include "base/union_find.h"
#include "caisjson/caisjson.h"
#include "caisjson/reader_internal.h"
#include "caisjson/scan.h"

namespace caisson::caisjson {

namespace {

namespace dom = simdjson::dom;
using internal::Reader;
using internal::ScanItem;
using internal::ScanResult;

// What a key value is, so that equal values of different keys never join.
enum class KeyKind : uint8_t { kCustomerRecordId, kFdidName, kFdidRecordId, kTidValue };

std::string_view TrimSpaces(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}


// Joins each record with the first record that had the same key value.
class KeyJoiner {
 public:
  explicit KeyJoiner(UnionFind* groups) : groups_(groups) {}
  void Text(KeyKind kind, std::string_view value, uint32_t record) {
    Add(absl::HashOf(static_cast<uint8_t>(kind), value), record);
  }
  void Number(KeyKind kind, dom::element v, uint32_t record) {
    int64_t x = 0;
    if (v.type() == dom::element_type::INT64 && !v.get_int64().get(x)) {
      Add(absl::HashOf(static_cast<uint8_t>(kind), x), record);
    }
  }
  // Joins the first records of the keys both tables hold (each table has joined its own records already).
  void JoinWith(const KeyJoiner& other) {
    for (const auto& [hash, record] : other.first_) {
      if (auto it = first_.find(hash); it != first_.end()) groups_->Join(it->second, record);
    }
  }

 private:
  // A hash collision only joins more records, which is safe.
  void Add(size_t hash, uint32_t record) {
    auto [it, inserted] = first_.try_emplace(hash, record);
    if (!inserted) groups_->Join(it->second, record);
  }
  UnionFind* groups_;
  absl::flat_hash_map<size_t, uint32_t> first_;
};

std::string_view LowerInto(std::string_view s, std::string* out) {
  out->assign(s);
  for (char& c : *out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return *out;
}

}  // namespace

struct PairReader::Rep {
  const spec::Profile* profile = nullptr;
  File data, tid;
  bool has_data = false, has_tid = false;
  ScanResult data_scan, tid_scan;
  internal::DataMain main;
  const std::vector<ScanItem>* tids = nullptr;
  // Record numbering: [0, nps_at) FDIDs, [nps_at, les_at) natural persons, [les_at, tids_at) legal entities,
  // [tids_at, end) TID records.
  uint32_t nps_at = 0, les_at = 0, tids_at = 0, end = 0;
  // simdjson could not parse it: reported by Open, never read again. Bytes, not bits: Open's two threads
  // write their own records' entries.
  std::vector<uint8_t> unreadable;
  // Per Data File record: its index in Books::fdids or ::customers had ReadDataFile read the whole file (records
  // that are not objects make none), or -1.
  std::vector<int32_t> whole_index;
  std::vector<uint32_t> group_begin;  // members of group g: members[group_begin[g], group_begin[g + 1])
  std::vector<uint32_t> members;      // ascending within a group

  const ScanItem& Item(uint32_t record) const {
    if (record < nps_at) return (*main.fdids)[record];
    if (record < les_at) return (*main.nps)[record - nps_at];
    if (record < tids_at) return (*main.les)[record - les_at];
    return (*tids)[record - tids_at];
  }
};

PairReader::PairReader() : rep_(std::make_unique<Rep>()) {}
PairReader::~PairReader() = default;

Status PairReader::Open(const spec::Profile& profile, const File* data, const File* tid) {
  Rep& r = *rep_;
  r.profile = &profile;
  r.has_data = data != nullptr;
  r.has_tid = tid != nullptr;
  if (data != nullptr) r.data = *data;
  if (tid != nullptr) r.tid = *tid;
  static const std::vector<ScanItem> kNone;
  // The two files are scanned, and their records parsed, on two threads: each writes only its own file's
  // findings and its own records' slots.
  auto scan_data = [&] {
    if (!r.has_data) return;
    Reader reader(profile, r.data.json, r.data.name, r.data.file_index, false, r.data.findings);
    internal::ReadDataMain(profile, r.data.json, &reader, &r.data_scan, &r.main, r.data.release);
  };
  auto scan_tid = [&] {
    if (!r.has_tid) return;
    Reader reader(profile, r.tid.json, r.tid.name, r.tid.file_index, true, r.tid.findings);
    internal::ReadTidMain(profile, r.tid.json, &reader, &r.tid_scan, &r.tids, r.tid.release);
  };
  {
    std::jthread other(scan_tid);
    scan_data();
  }
  if (r.main.fdids == nullptr) r.main.fdids = &kNone;
  if (r.main.nps == nullptr) r.main.nps = &kNone;
  if (r.main.les == nullptr) r.main.les = &kNone;
  if (r.tids == nullptr) r.tids = &kNone;
  r.nps_at = static_cast<uint32_t>(r.main.fdids->size());
  r.les_at = r.nps_at + static_cast<uint32_t>(r.main.nps->size());
  r.tids_at = r.les_at + static_cast<uint32_t>(r.main.les->size());
  r.end = r.tids_at + static_cast<uint32_t>(r.tids->size());
  r.unreadable.assign(r.end, 0);
  r.whole_index.assign(r.tids_at, -1);

  // Each thread joins only its own file's records (roots stay in their file's range); the key tables are
  // merged afterwards.
  UnionFind groups(r.end);
  KeyJoiner data_keys(&groups), tid_keys(&groups);
  auto each_member = [](dom::element e, auto&& fn) {
    dom::object obj;
    if (e.get_object().get(obj)) return;
    for (dom::key_value_pair kv : obj) fn(kv.key, kv.value);
  };
  auto read_data = [&] {
    if (!r.has_data) return;
    KeyJoiner& keys = data_keys;
    // Exact customerRecordIDs of the customers (the first member, an Unsigned, as the walker binds it): the
    // Correction Action Records name customers by it.
    const bool corrections = r.main.corrections != nullptr && !r.main.corrections->empty();
    absl::flat_hash_set<int64_t> customer_ids;
    dom::element el;
    Reader reader(profile, r.data.json, r.data.name, r.data.file_index, false, r.data.findings);
    reader.sub_lines = &r.data_scan.sub_lines;
    int32_t fdids = 0, customers = 0;
    for (uint32_t rec = 0; rec < r.tids_at; ++rec) {
      if (r.data.release && rec % 65536 == 0) r.data.release();
      const char* list = rec < r.nps_at   ? "fdidRecordList"
                         : rec < r.les_at ? "naturalPersonCustomerList"
                                          : "legalEntityCustomerList";
      if (!reader.Parse(r.Item(rec), list, &el)) {
        r.unreadable[rec] = 1;
        continue;
      }
      // The walkers make a record of every object, and of nothing else.
      if (el.type() == dom::element_type::OBJECT) r.whole_index[rec] = rec < r.nps_at ? fdids++ : customers++;
      if (rec < r.nps_at) {
        each_member(el, [&](std::string_view k, dom::element v) {
          std::string_view s;
          if (k == "firmDesignatedID" || k == "replacedByFDID") {
            if (!v.get_string().get(s)) keys.Text(KeyKind::kFdidName, TrimSpaces(s), rec);
          } else if (k == "fdidRecordID") {
            keys.Number(KeyKind::kFdidRecordId, v, rec);
          } else if (k == "fdidCustomerList") {
            dom::array roles;
            if (v.get_array().get(roles)) return;
            for (dom::element role : roles) {
              each_member(role, [&](std::string_view rk, dom::element rv) {
                if (rk == "customerRecordID") keys.Number(KeyKind::kCustomerRecordId, rv, rec);
              });
            }
          }
        });
      } else {
        bool first = true;
        each_member(el, [&](std::string_view k, dom::element v) {
          if (k != "customerRecordID") return;
          keys.Number(KeyKind::kCustomerRecordId, v, rec);
          int64_t x = 0;
          if (corrections && first && v.type() == dom::element_type::INT64 && !v.get_int64().get(x) && x >= 0) {
            customer_ids.insert(x);
          }
          first = false;
        });
      }
    }
    if (corrections) {
      auto has_customer = [&](int64_t crid) { return customer_ids.contains(crid); };
      for (size_t i = 0; i < r.main.corrections->size(); ++i) {
        const ScanItem& item = (*r.main.corrections)[i];
        if (reader.Parse(item, "correctionList", &el)) {
          reader.WalkCorrection(item, static_cast<int32_t>(i), el, has_customer);
        }
      }
    }
    if (r.data.release) r.data.release();
  };
  auto read_tid = [&] {
    if (!r.has_tid) return;
    KeyJoiner& keys = tid_keys;
    dom::element el;
    std::string lower;
    Reader reader(profile, r.tid.json, r.tid.name, r.tid.file_index, true, r.tid.findings);
    reader.sub_lines = &r.tid_scan.sub_lines;
    for (uint32_t rec = r.tids_at; rec < r.end; ++rec) {
      if (r.tid.release && rec % 65536 == 0) r.tid.release();
      if (!reader.Parse(r.Item(rec), "tidRecordList", &el)) {
        r.unreadable[rec] = 1;
        continue;
      }
      each_member(el, [&](std::string_view k, dom::element v) {
        std::string_view s;
        if (k == "customerRecordID") {
          keys.Number(KeyKind::kCustomerRecordId, v, rec);
        } else if ((k == "tidValue" || k == "replacedByTID") && !v.get_string().get(s)) {
          keys.Text(KeyKind::kTidValue, LowerInto(s, &lower), rec);
        }
      });
    }
    if (r.tid.release) r.tid.release();
  };
  {
    std::jthread other(read_tid);
    read_data();
  }
  data_keys.JoinWith(tid_keys);

  // Groups in the order of their first record; members ascending.
  std::vector<uint32_t> group_of(r.end);
  std::vector<uint32_t> number_of_root(r.end, UINT32_MAX);
  uint32_t count = 0;
  for (uint32_t rec = 0; rec < r.end; ++rec) {
    const uint32_t root = groups.Find(rec);
    if (number_of_root[root] == UINT32_MAX) number_of_root[root] = count++;
    group_of[rec] = number_of_root[root];
  }
  r.group_begin.assign(count + 1, 0);
  for (uint32_t rec = 0; rec < r.end; ++rec) ++r.group_begin[group_of[rec] + 1];
  for (uint32_t g = 0; g < count; ++g) r.group_begin[g + 1] += r.group_begin[g];
  r.members.resize(r.end);
  std::vector<uint32_t> next(r.group_begin.begin(), r.group_begin.end() - 1);
  for (uint32_t rec = 0; rec < r.end; ++rec) r.members[next[group_of[rec]]++] = rec;
  return Status::OK();
}

void PairReader::StartBooks(model::Books* books) const {
  const Rep& r = *rep_;
  for (const File* f : {r.has_data ? &r.data : nullptr, r.has_tid ? &r.tid : nullptr}) {
    if (f == nullptr) continue;
    if (books->files.size() <= f->file_index) books->files.resize(f->file_index + 1);
    books->files[f->file_index] = f->name;
  }
  books->cat_submitter_id = r.main.cat_submitter_id;
  books->cat_reporter_crd = r.main.cat_reporter_crd;
  books->correspondent_crd = r.main.correspondent_crd;
}

size_t PairReader::fdid_records() const { return rep_->nps_at; }
size_t PairReader::customer_records() const { return rep_->tids_at - rep_->nps_at; }
int64_t PairReader::tid_records() const { return rep_->end - rep_->tids_at; }
uint32_t PairReader::group_count() const { return static_cast<uint32_t>(rep_->group_begin.size()) - 1; }
uint32_t PairReader::group_size(uint32_t group) const {
  return rep_->group_begin[group + 1] - rep_->group_begin[group];
}

void PairReader::Read(const std::vector<uint32_t>& groups, model::Books* books, std::vector<Finding>* findings,
                      std::vector<int64_t>* whole_fdids, std::vector<int64_t>* whole_customers) const {
  const Rep& r = *rep_;
  std::vector<uint32_t> records;
  for (uint32_t g : groups) {
    records.insert(records.end(), r.members.begin() + r.group_begin[g], r.members.begin() + r.group_begin[g + 1]);
  }
  std::sort(records.begin(), records.end());
  dom::element el;
  auto tid_from = std::lower_bound(records.begin(), records.end(), r.tids_at);
  // A batch's customers and TID records lie scattered through their lists, and each page touched maps its
  // neighbours too (the kernel's fault-around): the pages go back every kReleaseEvery records.
  constexpr size_t kReleaseEvery = 1024;
  size_t read = 0;
  auto maybe_release = [&](const File& f) {
    if (f.release && ++read % kReleaseEvery == 0) f.release();
  };
  if (r.has_data) {
    Reader reader(*r.profile, r.data.json, r.data.name, r.data.file_index, false, findings);
    reader.sub_lines = &r.data_scan.sub_lines;
    for (auto it = records.begin(); it != tid_from; ++it) {
      const uint32_t rec = *it;
      if (r.unreadable[rec]) continue;
      maybe_release(r.data);
      const ScanItem& item = r.Item(rec);
      const size_t fdids_before = books->fdids.size(), customers_before = books->customers.size();
      if (rec < r.nps_at) {
        if (reader.Parse(item, "fdidRecordList", &el)) reader.WalkFdid(item, static_cast<int32_t>(rec), el, books);
      } else if (rec < r.les_at) {
        if (reader.Parse(item, "naturalPersonCustomerList", &el)) {
          reader.WalkCustomer(item, static_cast<int32_t>(rec - r.nps_at), el, model::CustomerKind::kNaturalPerson,
                              books);
        }
      } else if (reader.Parse(item, "legalEntityCustomerList", &el)) {
        reader.WalkCustomer(item, static_cast<int32_t>(rec - r.les_at), el, model::CustomerKind::kLegalEntity,
                            books);
      }
      if (whole_fdids != nullptr && books->fdids.size() > fdids_before) whole_fdids->push_back(r.whole_index[rec]);
      if (whole_customers != nullptr && books->customers.size() > customers_before) {
        whole_customers->push_back(r.whole_index[rec]);
      }
    }
    internal::AttachAssociations(r.data.file_index, books);
  }
  if (r.has_tid) {
    std::vector<uint32_t> which;
    for (auto it = tid_from; it != records.end(); ++it) {
      if (!r.unreadable[*it]) which.push_back(*it - r.tids_at);
    }
    Reader reader(*r.profile, r.tid.json, r.tid.name, r.tid.file_index, true, findings);
    reader.sub_lines = &r.tid_scan.sub_lines;
    internal::PairTids(&reader, *r.tids, &which, r.tid.name, books, findings, r.tid.release, kReleaseEvery);
  }
}

}  // namespace caisson::caisjson
