// delta/batches: the books cut into batches that can be read and validated one at a time (issue #6 memory
// and speed targets: memory grows with the keys, not with the bytes of the books).
//
// A batch is a set of whole components: FDIDs and customers joined by roles.csv rows, REPLACED links of
// accounts.csv, keys equal but for surrounding spaces (the rules trim firmDesignatedIDs) and any extra customer
// links the caller names (customers with the same tidValue, which the rules compare with one another [§3.9]).
// Every rule of rules.md looks at one record, one FDID with its customers, a REPLACED pair, the FDIDs of one
// trimmed key or one tidValue's customers, so a batch validates as it would among the whole books. The scan
// (scan.h) has the rows of every record; a batch reads only its own rows (ingest::Excerpt).
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "delta/scan.h"

namespace caisson::delta {

// Connected components of the scan's records. FDIDs whose keys differ only in the spaces around them are one
// component too: the rules compare firmDesignatedIDs trimmed.
struct Components {
  uint32_t count = 0;
  std::vector<uint32_t> of_fdid, of_customer;  // component per scan id
  std::vector<uint32_t> records;               // FDIDs and customers per component
};
// `links`: pairs of customer ids that must share a component (besides roles and REPLACED links).
Components FindComponents(const Scan& scan, const std::vector<std::pair<uint32_t, uint32_t>>& links = {});

// `components` with those of each pair of linked customers (scan ids) joined, numbered as FindComponents
// numbers them. What FindComponents(scan, links') gives when links' holds the links `components` came from and
// `links`, without the scan's edges.
Components JoinComponents(const Components& components, const std::vector<std::pair<uint32_t, uint32_t>>& links);

// Adds to `set` every FDID and customer of the components that hold the FDIDs `fdids` and the customers
// `customers` (scan ids), and recounts it (fdids, customers, unread_inactive, unread_without_activity). Returns how many it added.
int64_t AddComponents(const Components& components, const std::vector<uint32_t>& fdids,
                      const std::vector<uint32_t>& customers, LoadSet* set);

// A batch per component. Components are taken in the order of their first FDID (accounts.csv order), then
// those of customers without an FDID, and a batch is closed once it holds `records` FDIDs and customers or
// more (a component is never cut).
std::vector<uint32_t> AssignBatches(const Components& components, size_t records);

class Batches {
 public:
  // REQUIRES: batch_of_component from AssignBatches (or a renumbering of it: ids dense from 0).
  Batches(const Scan& scan, const Components& components, std::vector<uint32_t> batch_of_component);

  uint32_t count() const { return count_; }
  uint32_t OfComponent(uint32_t component) const { return batch_of_component_[component]; }
  // The scan ids of batch `b`'s FDIDs / customers, ascending.
  std::pair<const uint32_t*, const uint32_t*> Fdids(uint32_t b) const { return Range(fdids_, b); }
  std::pair<const uint32_t*, const uint32_t*> Customers(uint32_t b) const { return Range(customers_, b); }
  // (byte offset, 1-based line) of batch `b`'s rows of scan.files[file], in file order (ingest::Excerpt::rows).
  // Rows no record owns (an address of neither owner type) belong to batch 0, so that they are read once.
  std::vector<std::pair<uint64_t, uint64_t>> Rows(size_t file, uint32_t b) const;

 private:
  // Ids grouped by batch: batch b's are at[start[b]] .. at[start[b + 1]].
  struct Grouped {
    std::vector<uint32_t> start, at;
  };
  static std::pair<const uint32_t*, const uint32_t*> Range(const Grouped& g, uint32_t b) {
    return {g.at.data() + g.start[b], g.at.data() + g.start[b + 1]};
  }
  template <typename BatchOf>
  static Grouped Group(size_t n, uint32_t batches, BatchOf&& batch_of);

  const Scan& scan_;
  uint32_t count_ = 0;
  std::vector<uint32_t> batch_of_component_;
  Grouped fdids_, customers_;
  std::vector<Grouped> rows_;  // per scan file: row indices
};

// Gives the pages of the scan's mapped books back (they stay in the page cache; a later read faults them in
// again). Keeps the peak resident set near one batch's rows instead of the whole books.
void ReleaseBooksPages(const Scan& scan);

}  // namespace caisson::delta
