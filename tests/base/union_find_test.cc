// UnionFind: sets join transitively and a set is named by its smallest element, whatever the order of joins.
#include "base/union_find.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace caisson {
namespace {

TEST(UnionFind, ASetIsNamedByItsSmallestElement) {
  UnionFind sets(6);
  sets.Join(4, 2);
  sets.Join(5, 4);
  sets.Join(3, 1);
  EXPECT_EQ(sets.Find(5), 2u);
  EXPECT_EQ(sets.Find(2), 2u);
  EXPECT_EQ(sets.Find(3), 1u);
  EXPECT_EQ(sets.Find(0), 0u);
  sets.Join(5, 1);
  for (uint32_t x : {1u, 2u, 3u, 4u, 5u}) EXPECT_EQ(sets.Find(x), 1u) << x;
}

// Property: the same joins in any order give the same roots, and the roots are those of a naive labelling.
TEST(UnionFind, RootsDoNotDependOnTheOrderOfJoins) {
  std::mt19937 rng(11);
  for (int round = 0; round < 50; ++round) {
    const uint32_t n = 1 + rng() % 60;
    std::vector<std::pair<uint32_t, uint32_t>> joins(rng() % 80);
    for (auto& j : joins) j = {static_cast<uint32_t>(rng() % n), static_cast<uint32_t>(rng() % n)};
    std::vector<uint32_t> label(n);
    std::iota(label.begin(), label.end(), 0u);
    for (bool changed = true; changed;) {  // naive: spread the smaller label until nothing changes
      changed = false;
      for (auto [a, b] : joins) {
        const uint32_t m = std::min(label[a], label[b]);
        if (label[a] != m || label[b] != m) changed = true;
        label[a] = label[b] = m;
      }
    }
    UnionFind sets(n);
    std::shuffle(joins.begin(), joins.end(), rng);
    for (auto [a, b] : joins) sets.Join(a, b);
    for (uint32_t x = 0; x < n; ++x) EXPECT_EQ(sets.Find(x), label[x]) << round << " " << x;
  }
}

}  // namespace
}  // namespace caisson
