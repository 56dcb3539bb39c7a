// UnionFind: disjoint sets over 0..n-1, for grouping records that must be read together (delta's components,
// check's groups). The smaller element of a set is its root, so a set's name is deterministic: its first
// record in reading order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

namespace caisson {

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];  // halving keeps the paths short without recursion
      x = parent_[x];
    }
    return x;
  }
  void Join(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (a < b) parent_[b] = a;
    else parent_[a] = b;
  }

 private:
  std::vector<uint32_t> parent_;
};

}  // namespace caisson
