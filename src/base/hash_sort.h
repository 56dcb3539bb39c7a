// base/hash_sort: sorting (64-bit hash, 32-bit id) pairs, the way the books scan and validate's batches group
// records that share a value (identifier links, tidValues): 10^7 of them at 10^7 FDIDs.
//
// The hashes are uniform, so one pass scatters the pairs into 2^16 buckets by their top bits and each bucket,
// a few hundred pairs that stay in cache, is sorted on its own: about a third of std::sort's time on 1.5 * 10^7
// pairs. The result is exactly std::sort's (pairs compare by hash, then id).
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace caisson {

inline void SortHashPairs(std::vector<std::pair<uint64_t, uint32_t>>* pairs) {
  constexpr int kBits = 16;
  constexpr size_t kBuckets = size_t{1} << kBits;
  if (pairs->size() < 4 * kBuckets) {
    std::sort(pairs->begin(), pairs->end());
    return;
  }
  std::vector<uint32_t> start(kBuckets + 1, 0);
  for (const auto& p : *pairs) ++start[(p.first >> (64 - kBits)) + 1];
  for (size_t b = 1; b <= kBuckets; ++b) start[b] += start[b - 1];
  std::vector<std::pair<uint64_t, uint32_t>> out(pairs->size());
  std::vector<uint32_t> at(start.begin(), start.end() - 1);
  for (const auto& p : *pairs) out[at[p.first >> (64 - kBits)]++] = p;
  for (size_t b = 0; b < kBuckets; ++b) std::sort(out.begin() + start[b], out.begin() + start[b + 1]);
  pairs->swap(out);
}

}  // namespace caisson
