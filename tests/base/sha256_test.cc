// base/sha256: the FIPS 180-2 test vectors, the hex form, and one context per thread giving the same digests.
#include "base/sha256.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace caisson {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, RawDigestIsTheHexDigest) {
  const Sha256Digest d = Sha256("abc");
  EXPECT_EQ(d[0], 0xba);
  EXPECT_EQ(d[31], 0xad);
}

// Each thread reuses its own context: many digests on several threads equal the digests made on one.
TEST(Sha256, ThreadsGiveTheSameDigests) {
  std::vector<std::string> inputs;
  for (int i = 0; i < 200; ++i) inputs.push_back(std::string(static_cast<size_t>(i), static_cast<char>('a' + i % 26)));
  std::vector<std::string> expected;
  for (const std::string& in : inputs) expected.push_back(Sha256Hex(in));
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (const std::string& in : inputs) got[t].push_back(Sha256Hex(in));
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::vector<std::string>& g : got) EXPECT_EQ(g, expected);
}

}  // namespace
}  // namespace caisson
