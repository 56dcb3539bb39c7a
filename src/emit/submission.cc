// WriteSubmission: groups records into pairs, plans the split by exact serialised size, then writes the
// pairs.
//
// Two passes keep memory independent of file size: the plan pass serialises each unit into a scratch buffer
// only to measure it (a file's counts come before its lists, so they must be known first); the write pass
// serialises again straight into the compressor. Both passes number records the same way, and the write pass
// checks it produced exactly the planned bytes.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "base/timings.h"
#include "caisjson/caisjson.h"
#include "emit/emit.h"
#include "emit/internal.h"

namespace caisson::emit {
namespace internal {

namespace {

// A unit: FDIDs that share a file (UnitsOf), in Books order.
using Unit = std::vector<int32_t>;

// One correspondentCRD value (-1: none) and its units, in order of their first FDID.
struct Group {
  int64_t crd = -1;
  std::vector<Unit> units;
};

using PlannedFile = PlannedPair;

// The pairs' groups: one per correspondentCRD [§2.1.1: all data of a file belongs to one catReporterCRD +
// correspondentCRD pairing]; the group without one first, then ascending CRD.
std::vector<Group> BuildGroups(const model::Books& books, const std::vector<bool>& held_fdid) {
  std::vector<Unit> units = UnitsOf(books, held_fdid);
  std::vector<size_t> order(units.size());
  std::iota(order.begin(), order.end(), 0);
  auto crd = [&](size_t u) { return CrdOf(books.fdids[static_cast<size_t>(units[u].front())]); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return crd(a) < crd(b); });
  std::vector<Group> groups;
  for (size_t u : order) {
    if (groups.empty() || groups.back().crd != crd(u)) groups.push_back(Group{crd(u), {}});
    groups.back().units.push_back(std::move(units[u]));
  }
  return groups;
}

// Per-run state for numbering customers within one file without clearing a vector per file.
struct CustomerSlots {
  std::vector<uint32_t> stamp;  // file serial the id below belongs to
  std::vector<int64_t> id;
  uint32_t serial = 0;

  explicit CustomerSlots(size_t n) : stamp(n, 0), id(n, 0) {}
  void NextFile() { ++serial; }
  bool Has(size_t c) const { return stamp[c] == serial; }
  void Set(size_t c, int64_t v) {
    stamp[c] = serial;
    id[c] = v;
  }
};

// Serialises each unit as it would sit at the end of the pair being planned to measure it. Customers it brings
// are given their ids tentatively; if the unit moves to a new pair, those marks belong to a closed pair.
class Planner {
 public:
  Planner(const model::Books& books, const Serialiser& ser, const Options& options, const Limits& limits)
      : books_(books), ser_(ser), sizer_(ser, options, limits), slots_(books.customers.size()) {}

  void Plan(const Group& group, std::vector<PlannedFile>* files) {
    PlanPairs(
        group.crd, group.units.begin(), group.units.end(), &sizer_,
        [&](const Unit& unit, const PlannedPair& pair, uint32_t serial) { return Measure(unit, pair, serial); },
        [](const Unit& unit, std::vector<int32_t>* fdids) { fdids->insert(fdids->end(), unit.begin(), unit.end()); },
        files);
  }

 private:
  UnitTry Measure(const Unit& unit, const PlannedPair& pair, uint32_t serial) {
    slots_.serial = serial;
    UnitTry t;
    t.size.fdids = static_cast<int64_t>(unit.size());
    int64_t next_customer = static_cast<int64_t>(pair.customers.size());
    for (int32_t fi : unit) {
      for (const model::Association& a : books_.fdids[static_cast<size_t>(fi)].fdid_customer_list) {
        const size_t c = static_cast<size_t>(a.customer_index);
        if (slots_.Has(c)) continue;
        slots_.Set(c, ++next_customer);
        t.new_customers.push_back(static_cast<int32_t>(c));
      }
    }
    int64_t fdid_id = static_cast<int64_t>(pair.fdids.size());
    for (int32_t fi : unit) {
      scratch_.clear();
      ser_.AppendFdid(books_.fdids[static_cast<size_t>(fi)], ++fdid_id, slots_.id, &scratch_);
      t.size.fdid_bytes += scratch_.size();
    }
    for (int32_t ci : t.new_customers) {
      const model::Customer& c = books_.customers[static_cast<size_t>(ci)];
      const int64_t id = slots_.id[static_cast<size_t>(ci)];
      scratch_.clear();
      ser_.AppendCustomer(c, id, &scratch_);
      if (c.kind == model::CustomerKind::kLegalEntity) {
        ++t.size.les;
        t.size.le_bytes += scratch_.size();
      } else {
        ++t.size.nps;
        t.size.np_bytes += scratch_.size();
      }
      scratch_.clear();
      ser_.AppendTid(c, id, &scratch_);
      t.size.tid_bytes += scratch_.size();
    }
    return t;
  }

  const model::Books& books_;
  const Serialiser& ser_;
  FileSizer sizer_;
  CustomerSlots slots_;
  std::string scratch_;
};

Status WritePair(const model::Books& books, const Serialiser& ser, const Options& options,
                 const PlannedFile& pf, CustomerSlots* slots, caisjson::FileWriter* data,
                 caisjson::FileWriter* tid, std::string* buf) {
  slots->NextFile();
  for (size_t i = 0; i < pf.customers.size(); ++i)
    slots->Set(static_cast<size_t>(pf.customers[i]), int64_t(i + 1));
  std::vector<int32_t> nps, les;
  nps.reserve(static_cast<size_t>(pf.nps));
  les.reserve(static_cast<size_t>(pf.les));
  for (int32_t c : pf.customers) {
    (books.customers[static_cast<size_t>(c)].kind == model::CustomerKind::kLegalEntity ? les : nps)
        .push_back(c);
  }
  buf->clear();
  ser.AppendDataHeader(options, pf.crd, static_cast<int64_t>(pf.fdids.size()), pf.nps, pf.les, buf);
  CAISSON_RETURN_IF_ERROR(WriteList(data, buf, "fdidRecordList", pf.fdids.size(), [&](size_t i) {
    ser.AppendFdid(books.fdids[static_cast<size_t>(pf.fdids[i])], static_cast<int64_t>(i + 1), slots->id,
                   buf);
  }));
  auto customers = [&](const std::vector<int32_t>& list) {
    return [&](size_t i) {
      const size_t c = static_cast<size_t>(list[i]);
      ser.AppendCustomer(books.customers[c], slots->id[c], buf);
    };
  };
  CAISSON_RETURN_IF_ERROR(WriteList(data, buf, "naturalPersonCustomerList", nps.size(), customers(nps)));
  CAISSON_RETURN_IF_ERROR(WriteList(data, buf, "legalEntityCustomerList", les.size(), customers(les)));
  buf->append(pf.corrections);  // correctionList closes Main [Table 8 order]
  buf->append(kMainEnd);
  CAISSON_RETURN_IF_ERROR(MaybeFlush(data, buf, true));

  ser.AppendTidHeader(static_cast<int64_t>(pf.customers.size()), buf);
  CAISSON_RETURN_IF_ERROR(WriteList(tid, buf, "tidRecordList", pf.customers.size(), [&](size_t i) {
    ser.AppendTid(books.customers[static_cast<size_t>(pf.customers[i])], static_cast<int64_t>(i + 1), buf);
  }));
  buf->append(kMainEnd);
  return MaybeFlush(tid, buf, true);
}

// The REQUIRES of WriteSubmission: what would otherwise make a file reference a customer it does not carry.
Status CheckInputs(const model::Books& books, const std::vector<bool>& held_fdid,
                   const std::vector<bool>& held_customer) {
  for (size_t i = 0; i < books.fdids.size(); ++i) {
    if (held_fdid[i]) continue;
    for (const model::Association& a : books.fdids[i].fdid_customer_list) {
      if (a.customer_index < 0 || static_cast<size_t>(a.customer_index) >= books.customers.size()) {
        return Status::Internal("emit", fmt::format("FDID #{} has an association to no customer", i + 1));
      }
      const size_t c = static_cast<size_t>(a.customer_index);
      if (held_customer[c]) {
        return Status::Internal("emit",
                                fmt::format("FDID #{} is not held back but customer #{} is", i + 1, c + 1));
      }
      if (!books.customers[c].tid) {
        return Status::Internal("emit", fmt::format("customer #{} has no TID record", c + 1));
      }
    }
  }
  return Status::OK();
}

}  // namespace

Limits LimitsFor(const spec::Profile& profile, const Options& options) {
  Limits l;
  int64_t bytes = std::min(options.max_file_bytes, profile.max_file_bytes_hard());
  if (options.portal) {
    bytes = std::min(bytes, profile.portal_max_file_bytes());
    l.max_fdids = l.max_customers = l.max_tids = profile.portal_max_records();
  }
  l.max_bytes = static_cast<uint64_t>(std::max<int64_t>(bytes, 1));
  return l;
}

Result<Written> WriteSubmissionWithLimits(const spec::Profile& profile, const model::Books& books,
                                          const validate::Holds& holds, const Options& options,
                                          const Limits& limits, const BeforeCommit& before_commit) {
  if (options.cat_submitter_id <= 0 || options.cat_reporter_crd <= 0 || options.file_date <= 0) {
    return Status::InvalidArgument("emit", "catSubmitterID, catReporterCRD and the file date must be set");
  }
  // Empty hold vectors mean nothing is held back.
  std::vector<bool> held_fdid = holds.fdid, held_customer = holds.customer;
  if (held_fdid.empty()) held_fdid.assign(books.fdids.size(), false);
  if (held_customer.empty()) held_customer.assign(books.customers.size(), false);
  if (held_fdid.size() != books.fdids.size() || held_customer.size() != books.customers.size()) {
    return Status::Internal("emit", "hold flags are not sized like the books");
  }
  CAISSON_RETURN_IF_ERROR(CheckInputs(books, held_fdid, held_customer));

  PhaseTimer timer("caisson emit");
  const Serialiser ser(profile);
  std::vector<PlannedFile> plan;
  {
    Planner planner(books, ser, options, limits);
    std::vector<Group> groups = BuildGroups(books, held_fdid);
    // Every submission is a pair, even with zero records [§5.1].
    if (groups.empty()) groups.push_back(Group{});
    for (const Group& g : groups) planner.Plan(g, &plan);
  }

  // correctionList: each CORRECTION in the file of its correcting record; DELETEs in the first file.
  CorrectionCounts placed;
  {
    std::vector<int32_t> file_of_fdid(books.fdids.size(), -1), file_of_customer(books.customers.size(), -1);
    for (size_t f = 0; f < plan.size(); ++f) {
      for (int32_t i : plan[f].fdids) file_of_fdid[static_cast<size_t>(i)] = static_cast<int32_t>(f);
      for (size_t k = 0; k < plan[f].customers.size(); ++k) {
        const auto c = static_cast<size_t>(plan[f].customers[k]);
        if (file_of_customer[c] < 0) file_of_customer[c] = static_cast<int32_t>(f);
      }
    }
    placed = PlaceCorrections(
        options.corrections,
        [&](const Correction& c) -> std::pair<int32_t, std::string_view> {
          const int32_t i = c.fdid_index;
          if (static_cast<size_t>(i) >= books.fdids.size()) return {-1, {}};
          const model::Text& id = books.fdids[static_cast<size_t>(i)].firm_designated_id;
          return {file_of_fdid[static_cast<size_t>(i)], id ? std::string_view(*id) : std::string_view()};
        },
        [&](int32_t c) {
          return static_cast<size_t>(c) < books.customers.size() ? file_of_customer[static_cast<size_t>(c)] : -1;
        },
        &plan);
  }

  timer.Mark("plan");
  std::vector<PairInfo> pairs;
  for (const PlannedFile& pf : plan) pairs.push_back(InfoOf(pf));
  CustomerSlots slots(books.customers.size());
  std::string buf;
  Result<Written> done = WritePlanned(
      options, std::move(pairs),
      [&](size_t i, caisjson::FileWriter* data, caisjson::FileWriter* tid) {
        return WritePair(books, ser, options, plan[i], &slots, data, tid, &buf);
      },
      before_commit);
  if (!done.ok()) return done.status();
  done->corrections_written = placed.written;
  done->corrections_unplaced = placed.unplaced;
  return done;
}

Result<Written> WritePlanned(const Options& options, std::vector<PairInfo> pairs, const FillPair& fill,
                             const BeforeCommit& before_commit) {
  PhaseTimer timer("caisson emit");
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec)
    return Status::IOError(options.out_dir.string(), fmt::format("cannot create folder: {}", ec.message()));
  RemoveStaleTemporaries(options.out_dir);
  const int first = std::max(HighestFileNumber(options) + 1, options.first_file_number);
  if (first + static_cast<int>(pairs.size()) - 1 > 999999) {
    return Status::InvalidArgument(options.out_dir.string(),
                                   "no File Number left for this date and group (6 digits) [Table 10]");
  }
  Written written;
  for (size_t i = 0; i < pairs.size(); ++i) {
    PairInfo& info = pairs[i];
    info.file_number = first + static_cast<int>(i);
    info.data_name = BaseName(options, "CAIS", info.file_number) + ".json.bz2";
    info.tid_name = BaseName(options, "TIDS", info.file_number) + ".json.bz2";
  }
  written.pairs = std::move(pairs);
  if (options.on_planned) options.on_planned(written);

  // Every file is completed under its temporary name before any takes its final name, so a failure leaves
  // nothing under a final name (the writers' destructors remove the temporary files).
  std::vector<std::unique_ptr<caisjson::FileWriter>> writers;
  for (size_t i = 0; i < written.pairs.size(); ++i) {
    PairInfo& info = written.pairs[i];
    auto data = std::make_unique<caisjson::FileWriter>();
    auto tid = std::make_unique<caisjson::FileWriter>();
    CAISSON_RETURN_IF_ERROR(data->Open(options.out_dir / info.data_name, true, options.compressor));
    CAISSON_RETURN_IF_ERROR(tid->Open(options.out_dir / info.tid_name, true, options.compressor));
    CAISSON_RETURN_IF_ERROR(fill(i, data.get(), tid.get()));
    if (data->uncompressed_bytes() != info.data_bytes || tid->uncompressed_bytes() != info.tid_bytes) {
      return Status::Internal("emit", "written size differs from the planned size");
    }
    CAISSON_RETURN_IF_ERROR(data->Finish());
    CAISSON_RETURN_IF_ERROR(tid->Finish());
    info.data_compressed_bytes = data->compressed_bytes();
    info.data_sha256 = data->sha256();
    info.tid_compressed_bytes = tid->compressed_bytes();
    info.tid_sha256 = tid->sha256();
    writers.push_back(std::move(data));
    writers.push_back(std::move(tid));
  }
  timer.Mark("write");
  if (before_commit) CAISSON_RETURN_IF_ERROR(before_commit(written));
  for (size_t i = 0; i < writers.size(); ++i) {
    Status s = writers[i]->Commit();
    if (!s.ok()) {
      // Take back the names already given, so the run leaves no half submission behind.
      for (size_t j = 0; j < i; ++j) {
        const PairInfo& p = written.pairs[j / 2];
        std::filesystem::remove(options.out_dir / (j % 2 == 0 ? p.data_name : p.tid_name), ec);
      }
      return s;
    }
  }
  return written;
}

}  // namespace internal

Result<Written> WriteSubmission(const spec::Profile& profile, const model::Books& books,
                                const validate::Holds& holds, const Options& options,
                                const BeforeCommit& before_commit) {
  return internal::WriteSubmissionWithLimits(profile, books, holds, options,
                                             internal::LimitsFor(profile, options), before_commit);
}

}  // namespace caisson::emit
