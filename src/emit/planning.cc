// What both planners share (internal.h): the units records travel in, and a pair's sizes against the limits.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "emit/internal.h"

namespace caisson::emit::internal {

namespace {

int32_t Find(std::vector<int32_t>& parent, int32_t x) {
  while (parent[static_cast<size_t>(x)] != x) {
    parent[static_cast<size_t>(x)] = parent[static_cast<size_t>(parent[static_cast<size_t>(x)])];
    x = parent[static_cast<size_t>(x)];
  }
  return x;
}

}  // namespace

std::vector<std::vector<int32_t>> UnitsOf(const model::Books& books, const std::vector<bool>& held_fdid) {
  const auto n = static_cast<int32_t>(books.fdids.size());
  std::vector<int32_t> parent(static_cast<size_t>(n));
  std::iota(parent.begin(), parent.end(), 0);
  std::unordered_map<std::string_view, int32_t> by_fdid;
  for (int32_t i = 0; i < n; ++i) {
    const model::Fdid& f = books.fdids[static_cast<size_t>(i)];
    if (held_fdid[static_cast<size_t>(i)] || !f.firm_designated_id) continue;
    by_fdid.emplace(*f.firm_designated_id, i);
  }
  for (int32_t i = 0; i < n; ++i) {
    const model::Fdid& f = books.fdids[static_cast<size_t>(i)];
    if (held_fdid[static_cast<size_t>(i)] || !f.fdid_end_reason || *f.fdid_end_reason != "REPLACED" ||
        !f.replaced_by_fdid) {
      continue;
    }
    auto it = by_fdid.find(*f.replaced_by_fdid);
    // A replacing FDID under another correspondentCRD cannot share the file; the one-pairing rule wins and
    // validate (fdid.replaced) judges whether the replacement was accepted earlier.
    if (it == by_fdid.end() || CrdOf(books.fdids[static_cast<size_t>(it->second)]) != CrdOf(f)) continue;
    int32_t a = Find(parent, i), b = Find(parent, it->second);
    if (a != b) parent[static_cast<size_t>(std::max(a, b))] = std::min(a, b);
  }
  // Roots are the smallest member, so walking in Books order meets each unit's root first.
  std::vector<int32_t> unit_of(static_cast<size_t>(n), -1);
  std::vector<std::vector<int32_t>> units;
  for (int32_t i = 0; i < n; ++i) {
    if (held_fdid[static_cast<size_t>(i)]) continue;
    int32_t& u = unit_of[static_cast<size_t>(Find(parent, i))];
    if (u < 0) {
      u = static_cast<int32_t>(units.size());
      units.emplace_back();
    }
    units[static_cast<size_t>(u)].push_back(i);
  }
  return units;
}

void FileSizer::Start(int64_t crd) {
  crd_ = crd;
  total_ = UnitSize{};
}

uint64_t FileSizer::DataBytes(const UnitSize& t) {
  scratch_.clear();
  ser_.AppendDataHeader(options_, crd_, t.fdids, t.nps, t.les, &scratch_);
  return scratch_.size() + ListBytes("fdidRecordList", t.fdids, t.fdid_bytes) +
         ListBytes("naturalPersonCustomerList", t.nps, t.np_bytes) +
         ListBytes("legalEntityCustomerList", t.les, t.le_bytes) + kMainEnd.size();
}

uint64_t FileSizer::TidBytes(const UnitSize& t) {
  scratch_.clear();
  ser_.AppendTidHeader(t.nps + t.les, &scratch_);
  return scratch_.size() + ListBytes("tidRecordList", t.nps + t.les, t.tid_bytes) + kMainEnd.size();
}

bool FileSizer::Fits(const UnitSize& u) {
  UnitSize t = total_;
  t.fdids += u.fdids;
  t.nps += u.nps;
  t.les += u.les;
  const int64_t customers = t.nps + t.les;
  if (limits_.max_fdids > 0 && t.fdids > limits_.max_fdids) return false;
  if (limits_.max_customers > 0 && customers > limits_.max_customers) return false;
  if (limits_.max_tids > 0 && customers > limits_.max_tids) return false;
  if (limits_.max_bytes > 0) {
    t.fdid_bytes += u.fdid_bytes;
    t.np_bytes += u.np_bytes;
    t.le_bytes += u.le_bytes;
    t.tid_bytes += u.tid_bytes;
    if (DataBytes(t) > limits_.max_bytes || TidBytes(t) > limits_.max_bytes) return false;
  }
  return true;
}

void FileSizer::Add(const UnitSize& u) {
  total_.fdids += u.fdids;
  total_.nps += u.nps;
  total_.les += u.les;
  total_.fdid_bytes += u.fdid_bytes;
  total_.np_bytes += u.np_bytes;
  total_.le_bytes += u.le_bytes;
  total_.tid_bytes += u.tid_bytes;
}

PairInfo InfoOf(const PlannedPair& pair) {
  PairInfo info;
  info.correspondent_crd = pair.crd;
  info.data_bytes = pair.data_bytes;
  info.tid_bytes = pair.tid_bytes;
  info.fdids = static_cast<int64_t>(pair.fdids.size());
  info.natural_persons = pair.nps;
  info.legal_entities = pair.les;
  info.tids = static_cast<int64_t>(pair.customers.size());
  info.corrections = pair.correction_count;
  info.fdid_indices = pair.fdids;
  info.customer_indices = pair.customers;
  return info;
}

CorrectionCounts PlaceCorrections(const std::vector<Correction>& corrections,
                                  const std::function<std::pair<int32_t, std::string_view>(const Correction&)>& fdid,
                                  const std::function<int32_t(int32_t)>& customer_file,
                                  std::vector<PlannedPair>* plan) {
  CorrectionCounts counts;
  std::vector<std::string> lists(plan->size());
  std::vector<int64_t> per_file(plan->size(), 0);
  for (const Correction& c : corrections) {
    int32_t f = -1;
    std::string item = fmt::format("{{\"rejectionID\":{},\"correctionAction\":\"{}\"", c.rejection_id,
                                   c.remove ? "DELETE" : "CORRECTION");
    if (c.remove) {
      f = plan->empty() ? -1 : 0;
    } else if (c.fdid_index >= 0) {
      const auto [file, key] = fdid(c);
      f = file;
      if (f >= 0 && !key.empty()) {
        item += ",\"correctingFirmDesignatedID\":";
        AppendJsonString(key, &item);
      }
    } else if (c.customer_index >= 0) {
      f = customer_file(c.customer_index);
      if (f >= 0) {
        const std::vector<int32_t>& list = (*plan)[static_cast<size_t>(f)].customers;
        const auto at = std::find(list.begin(), list.end(), c.customer_index) - list.begin();
        item += fmt::format(",\"correctingCustomerRecordID\":{}", at + 1);
      }
    }
    if (f < 0) {
      ++counts.unplaced;
      continue;
    }
    item += '}';
    std::string& l = lists[static_cast<size_t>(f)];
    l += l.empty() ? ",\"correctionList\":[\n" : ",\n";
    l += item;
    ++per_file[static_cast<size_t>(f)];
    ++counts.written;
  }
  for (size_t f = 0; f < plan->size(); ++f) {
    if (lists[f].empty()) continue;
    PlannedPair& pf = (*plan)[f];
    pf.corrections = lists[f] + "\n]";
    pf.correction_count = per_file[f];
    pf.data_bytes += pf.corrections.size();
  }
  return counts;
}

}  // namespace caisson::emit::internal
