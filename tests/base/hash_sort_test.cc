// base::SortHashPairs gives std::sort's order: random hashes, repeated hashes with several ids, and sizes
// below and above the bucketed path.
#include "base/hash_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "testutil.h"

namespace caisson {
namespace {

TEST(SortHashPairs, GivesStdSortsOrder) {
  std::mt19937_64 rng(testing::RandomSeed());
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, size_t{300000}, size_t{1000000}}) {
    std::vector<std::pair<uint64_t, uint32_t>> pairs(n);
    for (auto& p : pairs) {
      // A hash drawn again now and then: equal hashes must end up ordered by id.
      p.first = (rng() % 8 == 0 && n > 0) ? (rng() % 64) << 50 : rng();
      p.second = static_cast<uint32_t>(rng());
    }
    std::vector<std::pair<uint64_t, uint32_t>> expected = pairs;
    std::sort(expected.begin(), expected.end());
    SortHashPairs(&pairs);
    EXPECT_EQ(pairs, expected) << n;
  }
}

}  // namespace
}  // namespace caisson
