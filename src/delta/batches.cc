// Batches of the books (batches.h).
#include "delta/batches.h"

#include <algorithm>
#include <numeric>

#include <absl/container/flat_hash_map.h>

#include "base/union_find.h"
#include "delta/scan_rows.h"

namespace caisson::delta {

namespace {

// Dense component ids in the order of each set's first record, FDIDs first: root_of(is_fdid, index) names the
// set of a record; `roots` bounds the names.
template <typename RootOf>
Components Number(size_t nf, size_t nc, RootOf&& root_of, size_t roots) {
  Components out;
  out.of_fdid.resize(nf);
  out.of_customer.resize(nc);
  std::vector<uint32_t> dense(roots, UINT32_MAX);
  auto component = [&](uint32_t root) {
    if (dense[root] == UINT32_MAX) {
      dense[root] = out.count++;
      out.records.push_back(0);
    }
    ++out.records[dense[root]];
    return dense[root];
  };
  for (size_t f = 0; f < nf; ++f) out.of_fdid[f] = component(root_of(true, f));
  for (size_t c = 0; c < nc; ++c) out.of_customer[c] = component(root_of(false, c));
  return out;
}

// The rules compare firmDesignatedIDs with the spaces around them trimmed (fdid.duplicate 22002, the REPLACED
// pairs), while the scan keys records by the bytes: FDIDs whose keys differ only so go together. Such keys are
// rare; the index answers for the trimmed key.
void JoinFdidsEqualButForSpaces(const Scan& scan, UnionFind* sets) {
  absl::flat_hash_map<std::string_view, uint32_t> first;  // trimmed key -> the first spaced FDID
  for (uint32_t f = 0; f < scan.fdids.size(); ++f) {
    std::string_view key = scan.fdids[f];
    if (key.empty() || (key.front() != ' ' && key.back() != ' ')) continue;
    while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    if (const uint32_t exact = scan.fdids.Find(key); exact != kNoScanId) sets->Join(f, exact);
    const auto [it, added] = first.emplace(key, f);
    if (!added) sets->Join(f, it->second);
  }
}

}  // namespace

Components FindComponents(const Scan& scan, const std::vector<std::pair<uint32_t, uint32_t>>& links) {
  const auto nf = static_cast<uint32_t>(scan.fdids.size());
  const auto nc = static_cast<uint32_t>(scan.customers.size());
  // Nodes: FDIDs 0 .. nf-1, then customers.
  UnionFind sets(size_t{nf} + nc);
  for (const auto& [f, c] : scan.roles) sets.Join(f, nf + c);
  for (uint32_t f = 0; f < nf; ++f) {
    if (scan.replaced_by[f] >= 0) sets.Join(f, static_cast<uint32_t>(scan.replaced_by[f]));
  }
  for (const auto& [a, b] : links) sets.Join(nf + a, nf + b);
  JoinFdidsEqualButForSpaces(scan, &sets);

  // The smallest node of a set is its root: numbering by first record is numbering by root.
  auto root_of = [&](bool fdid, size_t i) { return sets.Find(static_cast<uint32_t>(fdid ? i : nf + i)); };
  return Number(nf, nc, root_of, size_t{nf} + nc);
}

Components JoinComponents(const Components& components, const std::vector<std::pair<uint32_t, uint32_t>>& links) {
  UnionFind sets(components.count);
  for (const auto& [a, b] : links) sets.Join(components.of_customer[a], components.of_customer[b]);
  auto root_of = [&](bool fdid, size_t i) {
    return sets.Find(fdid ? components.of_fdid[i] : components.of_customer[i]);
  };
  return Number(components.of_fdid.size(), components.of_customer.size(), root_of, components.count);
}

int64_t AddComponents(const Components& components, const std::vector<uint32_t>& fdids,
                      const std::vector<uint32_t>& customers, LoadSet* set) {
  std::vector<bool> wanted(components.count, false);
  for (uint32_t id : fdids) wanted[components.of_fdid[id]] = true;
  for (uint32_t id : customers) wanted[components.of_customer[id]] = true;
  int64_t added = 0;
  set->unread_inactive = 0;
  set->unread_without_activity = 0;
  for (size_t id = 0; id < set->fdid.size(); ++id) {
    if (!set->fdid[id] && wanted[components.of_fdid[id]]) {
      set->fdid[id] = true;
      ++added;
    }
    if (!set->fdid[id] && id < set->inactive.size() && set->inactive[id]) ++set->unread_inactive;
    if (!set->fdid[id] && id < set->no_activity.size() && set->no_activity[id]) ++set->unread_without_activity;
  }
  for (size_t id = 0; id < set->customer.size(); ++id) {
    if (!set->customer[id] && wanted[components.of_customer[id]]) {
      set->customer[id] = true;
      ++added;
    }
  }
  set->fdids = std::count(set->fdid.begin(), set->fdid.end(), true);
  set->customers = std::count(set->customer.begin(), set->customer.end(), true);
  return added;
}

std::vector<uint32_t> AssignBatches(const Components& components, size_t records) {
  // Components are numbered in first-node order (FDIDs first), so numbering order is the order asked for.
  std::vector<uint32_t> batch(components.count);
  uint32_t current = 0;
  size_t filled = 0;
  for (uint32_t k = 0; k < components.count; ++k) {
    if (filled >= records && filled > 0) {
      ++current;
      filled = 0;
    }
    batch[k] = current;
    filled += components.records[k];
  }
  return batch;
}

template <typename BatchOf>
Batches::Grouped Batches::Group(size_t n, uint32_t batches, BatchOf&& batch_of) {
  Grouped g;
  g.start.assign(size_t{batches} + 1, 0);
  for (size_t i = 0; i < n; ++i) ++g.start[batch_of(i) + 1];
  for (size_t b = 1; b < g.start.size(); ++b) g.start[b] += g.start[b - 1];
  g.at.resize(n);
  std::vector<uint32_t> next(g.start.begin(), g.start.end() - 1);
  for (size_t i = 0; i < n; ++i) g.at[next[batch_of(i)]++] = static_cast<uint32_t>(i);  // ascending per batch
  return g;
}

Batches::Batches(const Scan& scan, const Components& components, std::vector<uint32_t> batch_of_component)
    : scan_(scan), batch_of_component_(std::move(batch_of_component)) {
  for (uint32_t b : batch_of_component_) count_ = std::max(count_, b + 1);
  if (count_ == 0) count_ = 1;  // empty books: one empty batch still reads the headers
  const auto& bc = batch_of_component_;
  fdids_ = Group(components.of_fdid.size(), count_, [&](size_t f) { return bc[components.of_fdid[f]]; });
  customers_ =
      Group(components.of_customer.size(), count_, [&](size_t c) { return bc[components.of_customer[c]]; });
  rows_.reserve(scan.files.size());
  for (const ScanFile& file : scan.files) {
    rows_.push_back(Group(file.rows.size(), count_, [&](size_t r) -> uint32_t {
      const uint64_t row = file.rows[r];
      const uint64_t kind = RowKind(row);
      if (kind == kRowAlways) return 0;
      const size_t id = RowId(row);
      return bc[kind == kRowFdid ? components.of_fdid[id] : components.of_customer[id]];
    }));
  }
}

std::vector<std::pair<uint64_t, uint64_t>> Batches::Rows(size_t file, uint32_t b) const {
  const ScanFile& f = scan_.files[file];
  const auto [begin, end] = Range(rows_[file], b);
  std::vector<std::pair<uint64_t, uint64_t>> out;
  out.reserve(static_cast<size_t>(end - begin));
  // The line of row r: that of the last listed record at or before r, plus the records between.
  size_t anchor = 0;
  for (const uint32_t* r = begin; r != end; ++r) {
    while (anchor + 1 < f.lines.size() && f.lines[anchor + 1].first <= *r) ++anchor;
    const uint64_t line = f.lines.empty() ? 0 : f.lines[anchor].second + (*r - f.lines[anchor].first);
    out.emplace_back(RowOffset(f.rows[*r]), line);
  }
  return out;
}

void ReleaseBooksPages(const Scan& scan) {
  for (const ScanFile& file : scan.files) ReleaseFilePages(file);
}

}  // namespace caisson::delta
