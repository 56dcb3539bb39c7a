// FileWriter and ReadMaybeBz2: bz2 round trip, damaged and truncated input, temporary files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "caisjson/caisjson.h"
#include "testutil.h"

namespace caisson::caisjson {
namespace {

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void Spit(const std::filesystem::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

Status WriteBz2(const std::filesystem::path& p, std::string_view text) {
  FileWriter w;
  CAISSON_RETURN_IF_ERROR(w.Open(p, true));
  CAISSON_RETURN_IF_ERROR(w.Write(text));
  return w.Commit();
}

// Text that compresses well but is not trivial: JSON-ish lines with random numbers and letters.
std::string RandomText(std::mt19937* rng, size_t n) {
  std::string s;
  std::uniform_int_distribution<int> kind(0, 9), byte(0, 255), digit(0, 9);
  while (s.size() < n) {
    switch (kind(*rng)) {
      case 0:
        s += "{\"customerRecordID\":";
        break;
      case 1:
        s += "\n";
        break;
      case 2:
        s.push_back(static_cast<char>(byte(*rng)));
        break;
      default:
        s.push_back(static_cast<char>('0' + digit(*rng)));
        break;
    }
  }
  s.resize(n);
  return s;
}

TEST(FileWriter, Bz2RoundTripProperty) {
  const auto dir = testing::TempDir();
  std::mt19937 rng(testing::RandomSeed());
  const size_t sizes[] = {0, 1, 2, 100, 4096, 100000, 1500000};
  for (int round = 0; round < 14; ++round) {
    const size_t n = sizes[round % 7] + (round >= 7 ? rng() % 1000 : 0);
    const std::string text = RandomText(&rng, n);
    const auto path = dir / ("f" + std::to_string(round) + ".json.bz2");
    FileWriter w;
    ASSERT_OK(w.Open(path, true));
    // Write in random pieces, as emit does with its reused buffer.
    size_t pos = 0;
    while (pos < text.size()) {
      size_t k = std::min<size_t>(text.size() - pos, 1 + rng() % 70000);
      ASSERT_OK(w.Write(std::string_view(text).substr(pos, k)));
      pos += k;
    }
    ASSERT_OK(w.Commit());
    EXPECT_EQ(w.uncompressed_bytes(), text.size());
    EXPECT_EQ(w.compressed_bytes(), std::filesystem::file_size(path));
    EXPECT_EQ(Slurp(path).substr(0, 4), "BZh9");
    Result<std::string> back = ReadMaybeBz2(path);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    ASSERT_EQ(*back, text) << "round " << round << " size " << n;
  }
}

TEST(FileWriter, Sha256IsOfTheBytesOnDisk) {
  const auto dir = testing::TempDir();
  FileWriter w;
  ASSERT_OK(w.Open(dir / "plain.json", false));
  ASSERT_OK(w.Write("abc"));
  ASSERT_OK(w.Commit());
  // FIPS 180-2 test vector for "abc".
  EXPECT_EQ(w.sha256(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(w.uncompressed_bytes(), 3u);
  EXPECT_EQ(w.compressed_bytes(), 3u);
  EXPECT_EQ(Slurp(dir / "plain.json"), "abc");
}

TEST(FileWriter, TemporaryNameUntilCommit) {
  const auto dir = testing::TempDir();
  const auto final_path = dir / "x.json.bz2";
  const auto temp = dir / ("x.json.bz2.tmp-" + std::to_string(::getpid()));
  FileWriter w;
  ASSERT_OK(w.Open(final_path, true));
  ASSERT_OK(w.Write("{}"));
  EXPECT_TRUE(std::filesystem::exists(temp));
  EXPECT_FALSE(std::filesystem::exists(final_path));
  ASSERT_OK(w.Finish());
  EXPECT_TRUE(std::filesystem::exists(temp));
  EXPECT_FALSE(std::filesystem::exists(final_path));
  ASSERT_OK(w.Commit());
  EXPECT_FALSE(std::filesystem::exists(temp));
  EXPECT_TRUE(std::filesystem::exists(final_path));
}

TEST(FileWriter, DestructorRemovesUncommittedTemp) {
  const auto dir = testing::TempDir();
  {
    FileWriter w;
    ASSERT_OK(w.Open(dir / "a.json.bz2", true));
    ASSERT_OK(w.Write("partial"));
  }
  {
    FileWriter w;
    ASSERT_OK(w.Open(dir / "b.json.bz2", true));
    ASSERT_OK(w.Write("finished but never renamed"));
    ASSERT_OK(w.Finish());
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(FileWriter, OpenFailsInMissingFolder) {
  const auto dir = testing::TempDir();
  FileWriter w;
  Status s = w.Open(dir / "no" / "such" / "x.json.bz2", true);
  EXPECT_EQ(s.code(), Status::Code::kIOError);
}

TEST(ReadMaybeBz2, PlainFileIsReadAsIs) {
  const auto dir = testing::TempDir();
  Spit(dir / "a.json", "{\"version\":\"2.0.0\"}\n");
  Result<std::string> r = ReadMaybeBz2(dir / "a.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "{\"version\":\"2.0.0\"}\n");
}

TEST(ReadMaybeBz2, MissingFileIsNotFound) {
  const auto dir = testing::TempDir();
  Result<std::string> r = ReadMaybeBz2(dir / "nope.json.bz2");
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST(ReadMaybeBz2, TruncatedIsCorruptionNamingTheFile) {
  const auto dir = testing::TempDir();
  std::mt19937 rng(7);
  ASSERT_OK(WriteBz2(dir / "whole.json.bz2", RandomText(&rng, 300000)));
  const std::string bytes = Slurp(dir / "whole.json.bz2");
  for (size_t cut : {size_t{4}, size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
    const auto p = dir / ("cut" + std::to_string(cut) + ".json.bz2");
    Spit(p, bytes.substr(0, cut));
    Result<std::string> r = ReadMaybeBz2(p);
    ASSERT_FALSE(r.ok()) << cut;
    EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << cut;
    EXPECT_NE(r.status().message().find(p.string()), std::string::npos) << r.status().ToString();
  }
}

TEST(ReadMaybeBz2, DamagedIsCorruption) {
  const auto dir = testing::TempDir();
  std::mt19937 rng(8);
  ASSERT_OK(WriteBz2(dir / "whole.json.bz2", RandomText(&rng, 50000)));
  std::string bytes = Slurp(dir / "whole.json.bz2");
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
  Spit(dir / "bad.json.bz2", bytes);
  Result<std::string> r = ReadMaybeBz2(dir / "bad.json.bz2");
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << r.status().ToString();
}

TEST(ReadMaybeBz2, ForcedBz2OnPlainTextIsCorruption) {
  const auto dir = testing::TempDir();
  Spit(dir / "a.json.bz2", "{\"version\":\"2.0.0\"}");
  Result<std::string> r = ReadMaybeBz2(dir / "a.json.bz2", /*force_bz2=*/true);
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  Spit(dir / "empty.json.bz2", "");
  EXPECT_EQ(ReadMaybeBz2(dir / "empty.json.bz2", true).status().code(), Status::Code::kCorruption);
}

TEST(ReadMaybeBz2, ConcatenatedStreamsAreJoined) {
  const auto dir = testing::TempDir();
  ASSERT_OK(WriteBz2(dir / "a.bz2", "first half,"));
  ASSERT_OK(WriteBz2(dir / "b.bz2", "second half"));
  Spit(dir / "ab.bz2", Slurp(dir / "a.bz2") + Slurp(dir / "b.bz2"));
  Result<std::string> r = ReadMaybeBz2(dir / "ab.bz2");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "first half,second half");
}

TEST(ReadMaybeBz2, GarbageAfterStreamIsCorruption) {
  const auto dir = testing::TempDir();
  ASSERT_OK(WriteBz2(dir / "a.bz2", "{}"));
  Spit(dir / "tail.bz2", Slurp(dir / "a.bz2") + "garbage!");
  Result<std::string> r = ReadMaybeBz2(dir / "tail.bz2");
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  EXPECT_NE(r.status().message().find("after the end"), std::string::npos) << r.status().ToString();
}

// Random damage to valid bz2 bytes: every read ends in OK or Corruption, never a crash or a hang.
TEST(ReadMaybeBz2, RandomDamageIsOkOrCorruption) {
  const auto dir = testing::TempDir();
  std::mt19937 rng(testing::RandomSeed());
  ASSERT_OK(WriteBz2(dir / "whole.bz2", RandomText(&rng, 20000)));
  const std::string bytes = Slurp(dir / "whole.bz2");
  for (int round = 0; round < 150; ++round) {
    std::string damaged = bytes;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) damaged[rng() % damaged.size()] ^= static_cast<char>(1 + rng() % 255);
    if (rng() % 3 == 0) damaged.resize(rng() % damaged.size());
    Spit(dir / "d.bz2", damaged);
    Result<std::string> r = ReadMaybeBz2(dir / "d.bz2", true);
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << round << r.status().ToString();
    }
  }
}

TEST(PositionOf, LinesAndColumnsAreOneBased) {
  const std::string_view text = "{\n\"a\":1,\n\"b\"";
  EXPECT_EQ(PositionOf(text, 0).line, 1u);
  EXPECT_EQ(PositionOf(text, 0).column, 1u);
  EXPECT_EQ(PositionOf(text, 1).column, 2u);
  EXPECT_EQ(PositionOf(text, 2).line, 2u);
  EXPECT_EQ(PositionOf(text, 2).column, 1u);
  EXPECT_EQ(PositionOf(text, 10).line, 3u);
  EXPECT_EQ(PositionOf(text, 10).column, 2u);
  EXPECT_EQ(PositionOf(text, 999).line, 3u);  // clamped to the end
}

}  // namespace
}  // namespace caisson::caisjson
