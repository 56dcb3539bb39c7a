// emit internals: serialisation of CAIS records and the split limits. Private to emit and its tests.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "emit/emit.h"
#include "model/model.h"
#include "spec/spec.h"

namespace caisson::emit::internal {

// When a pair is full. 0 = no record limit.
struct Limits {
  uint64_t max_bytes = 0;     // per file, uncompressed
  int64_t max_fdids = 0;      // FDID Records per Data File
  int64_t max_customers = 0;  // Customer Records (NP + LE) per Data File
  int64_t max_tids = 0;       // TID Records per TID File
};

// SFTP: max_file_bytes capped at the 7 GB of §5.1.3 R10. Portal: also 1 GB and 100,000 records of each kind
// [§5.1.3 R12; §5.1.4 R9]. Values come from the profile.
Limits LimitsFor(const spec::Profile& profile, const Options& options);

// WriteSubmission with explicit limits (tests inject small ones).
Result<Written> WriteSubmissionWithLimits(const spec::Profile& profile, const model::Books& books,
                                          const validate::Holds& holds, const Options& options,
                                          const Limits& limits, const BeforeCommit& before_commit = nullptr);

// The highest File Number already used in `dir` by any file (either kind, any extension, temporary files too)
// whose name starts with the base-name prefix of `options`; 0 when none.
// Removes `<name>.tmp-<pid>` files left in out_dir by runs that were killed (their pid is gone), so a re-run
// after a crash numbers and writes exactly as a clean run would.
void RemoveStaleTemporaries(const std::filesystem::path& out_dir);
int HighestFileNumber(const Options& options);

// Serialises records as compact JSON (Table 8 / Table 9 key order, absent fields omitted). One instance per
// run; the profile decides which fields the PII exemption drops.
class Serialiser {
 public:
  explicit Serialiser(const spec::Profile& profile);

  // `customer_ids[i]` is the customerRecordID of Books::customers[i] in the file being written.
  void AppendFdid(const model::Fdid& fdid, int64_t fdid_record_id, const std::vector<int64_t>& customer_ids,
                  std::string* out) const;
  void AppendCustomer(const model::Customer& c, int64_t customer_record_id, std::string* out) const;
  // REQUIRES: c.tid has a value.
  void AppendTid(const model::Customer& c, int64_t customer_record_id, std::string* out) const;

  // Main object up to and excluding the lists (no closing brace).
  void AppendDataHeader(const Options& options, int64_t correspondent_crd, int64_t fdids, int64_t nps,
                        int64_t les, std::string* out) const;
  void AppendTidHeader(int64_t tids, std::string* out) const;

 private:
  std::string version_;
  bool exempt_[7] = {};  // NP fields dropped for SSN/ITIN persons, indexed like kNpFields in serialise.cc
};

// The correspondentCRD an FDID travels under; -1 for none.
inline int64_t CrdOf(const model::Fdid& f) {
  return f.correspondent_crd.has_value() ? f.correspondent_crd.value : -1;
}

// Records that must share a file: an FDID not held back, or a REPLACED FDID with its replacing FDID of the same
// correspondentCRD [§3.1; §5.1.3.1 R15–R16: the target must be in the same file unless already accepted]. Units
// in order of their first member, members in Books order.
std::vector<std::vector<int32_t>> UnitsOf(const model::Books& books, const std::vector<bool>& held_fdid);

// What a unit adds to the file it is planned into.
struct UnitSize {
  int64_t fdids = 0, nps = 0, les = 0;
  uint64_t fdid_bytes = 0, np_bytes = 0, le_bytes = 0, tid_bytes = 0;  // its records (without separators)
};

// The counts and sizes of the pair being planned, against the limits (the planners of WriteSubmission and
// Spool share it).
class FileSizer {
 public:
  FileSizer(const Serialiser& ser, const Options& options, const Limits& limits)
      : ser_(ser), options_(options), limits_(limits) {}
  void Start(int64_t crd);  // a new, empty pair
  bool Fits(const UnitSize& u);  // the pair with `u` added keeps every limit
  void Add(const UnitSize& u);
  const UnitSize& total() const { return total_; }
  // The Data and TID Files' uncompressed bytes as they stand (without a correctionList).
  uint64_t DataBytes() { return DataBytes(total_); }
  uint64_t TidBytes() { return TidBytes(total_); }

 private:
  uint64_t DataBytes(const UnitSize& t);
  uint64_t TidBytes(const UnitSize& t);
  const Serialiser& ser_;
  const Options& options_;
  const Limits& limits_;
  int64_t crd_ = -1;
  UnitSize total_;
  std::string scratch_;
};

// A pair as planned: its FDIDs in file order, its customers in customerRecordID order (id = position + 1).
struct PlannedPair {
  int64_t crd = -1;
  std::vector<int32_t> fdids, customers;
  int64_t nps = 0, les = 0;
  uint64_t data_bytes = 0, tid_bytes = 0;
  std::string corrections;  // `,"correctionList":[...]` or "" (WriteSubmission)
  int64_t correction_count = 0;
};

// What a unit adds to the pair being planned, and the customers it brings (numbered after the pair's).
struct UnitTry {
  UnitSize size;
  std::vector<int32_t> new_customers;
};

// Plans the units [begin, end) of one correspondentCRD into pairs appended to `pairs` (both planners): a unit
// joins the current pair if the pair keeps every limit with it (or is empty), else a new pair starts and the
// unit is measured again there, so numbering restarts. measure(unit, pair, serial) -> UnitTry: the unit at
// the end of `pair`; `serial` differs from one pair to the next (for marks of customers already numbered in
// it). add(unit, &pair.fdids) appends the unit's FDIDs.
template <typename It, typename Measure, typename Add>
void PlanPairs(int64_t crd, It begin, It end, FileSizer* sizer, Measure&& measure, Add&& add,
               std::vector<PlannedPair>* pairs) {
  PlannedPair current;
  auto start = [&] {
    current = PlannedPair{};
    current.crd = crd;
    sizer->Start(crd);
  };
  auto close = [&] {
    current.nps = sizer->total().nps;
    current.les = sizer->total().les;
    current.data_bytes = sizer->DataBytes();
    current.tid_bytes = sizer->TidBytes();
    pairs->push_back(std::move(current));
  };
  start();
  for (It u = begin; u != end; ++u) {
    UnitTry t = measure(*u, current, static_cast<uint32_t>(pairs->size() + 1));
    if (!sizer->Fits(t.size) && !current.fdids.empty()) {
      close();
      start();
      t = measure(*u, current, static_cast<uint32_t>(pairs->size() + 1));
    }
    add(*u, &current.fdids);
    current.customers.insert(current.customers.end(), t.new_customers.begin(), t.new_customers.end());
    sizer->Add(t.size);
  }
  close();
}

// The PairInfo of a planned pair: counts, uncompressed sizes, records (names and compressed facts unset).
PairInfo InfoOf(const PlannedPair& pair);

// The correctionList of each planned pair (both planners): each CORRECTION in the file of its correcting
// record, every DELETE in the first file [§6.6.2.1]; an entry whose record is in no file is counted unplaced.
// fdid(c) gives the file (-1: none) and the key of the FDID c.fdid_index names; customer_file(index) the file
// where that customer first appears (-1: none). Sets PlannedPair::corrections, correction_count and
// adds their bytes to data_bytes.
struct CorrectionCounts {
  int64_t written = 0, unplaced = 0;
};
CorrectionCounts PlaceCorrections(const std::vector<Correction>& corrections,
                                  const std::function<std::pair<int32_t, std::string_view>(const Correction&)>& fdid,
                                  const std::function<int32_t(int32_t)>& customer_file,
                                  std::vector<PlannedPair>* plan);

// Bytes a list adds to the Main object: `,"name":[` + "\n" before each record + "," between records + "\n]";
// 0 for an empty list, which is omitted [Table 8: required only when non-empty].
uint64_t ListBytes(std::string_view name, int64_t count, uint64_t record_bytes);
inline constexpr std::string_view kMainEnd = "}\n";

// Streams `buf` to `w` once it is large (or `force`), so a file of any size passes through a fixed buffer.
inline Status MaybeFlush(caisjson::FileWriter* w, std::string* buf, bool force) {
  constexpr size_t kFlushBytes = 1 << 20;
  if (!force && buf->size() < kFlushBytes) return Status::OK();
  Status s = w->Write(*buf);
  buf->clear();
  return s;
}

// Writes one list: `,"name":[` then "\n" + record for each, "," between, "\n]"; nothing when empty.
template <typename Fn>
Status WriteList(caisjson::FileWriter* w, std::string* buf, std::string_view name, size_t count, Fn append) {
  if (count == 0) return Status::OK();
  buf->append(",\"");
  buf->append(name);
  buf->append("\":[");
  for (size_t i = 0; i < count; ++i) {
    buf->append(i == 0 ? "\n" : ",\n");
    append(i);
    CAISSON_RETURN_IF_ERROR(MaybeFlush(w, buf, false));
  }
  buf->append("\n]");
  return Status::OK();
}

// Writes planned pairs (PairInfo with counts, uncompressed sizes, records and correspondentCRD set): gives them
// File Numbers after the highest in out_dir (at least options.first_file_number) and names, tells
// options.on_planned, has `fill` write each pair under temporary names, checks the sizes written against the
// plan, calls `before_commit` and renames every file (none on failure).
using FillPair = std::function<Status(size_t pair, caisjson::FileWriter* data, caisjson::FileWriter* tid)>;
Result<Written> WritePlanned(const Options& options, std::vector<PairInfo> pairs, const FillPair& fill,
                             const BeforeCommit& before_commit);

}  // namespace caisson::emit::internal
