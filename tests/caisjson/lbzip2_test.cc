// FileWriter with Compressor::kLbzip2 and ReadMaybeBz2's lbzip2 path: interchangeable with libbz2, one stream,
// deterministic, honest sizes and SHA-256, and a failing or missing lbzip2 is an error, never a crash or a file.
#include <bzlib.h>
#include <errno.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>

#include "caisjson/caisjson.h"
#include "testutil.h"

namespace caisson::caisjson {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void Spit(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Sets CAISSON_LBZIP2 for the length of a scope.
class ScopedLbzip2 {
 public:
  explicit ScopedLbzip2(const std::string& program) { ::setenv("CAISSON_LBZIP2", program.c_str(), 1); }
  ~ScopedLbzip2() { ::unsetenv("CAISSON_LBZIP2"); }
};

// An executable shell script in `dir`.
fs::path Script(const fs::path& dir, const std::string& name, const std::string& body) {
  const fs::path p = dir / name;
  Spit(p, "#!/bin/sh\n" + body + "\n");
  ::chmod(p.c_str(), 0755);
  return p;
}

// A program that logs each run to `log` and then is lbzip2, to see which path a read took.
fs::path CountingLbzip2(const fs::path& dir, const fs::path& log) {
  return Script(dir, "counting-lbzip2", "echo run >> '" + log.string() + "'\nexec lbzip2 \"$@\"");
}

int Runs(const fs::path& log) {
  const std::string s = Slurp(log);
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

Status Write(const fs::path& p, std::string_view text, Compressor c) {
  FileWriter w;
  CAISSON_RETURN_IF_ERROR(w.Open(p, true, c));
  CAISSON_RETURN_IF_ERROR(w.Write(text));
  return w.Commit();
}

// Decompresses exactly one bzip2 stream with libbz2; *left gets the bytes after its end.
std::optional<std::string> Libbz2OneStream(const std::string& bz, size_t* left) {
  bz_stream s{};
  if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) return std::nullopt;
  std::string out;
  char buf[1 << 16];
  s.next_in = const_cast<char*>(bz.data());
  s.avail_in = static_cast<unsigned>(bz.size());
  int rc = BZ_OK;
  while (rc == BZ_OK) {
    s.next_out = buf;
    s.avail_out = sizeof(buf);
    rc = BZ2_bzDecompress(&s);
    out.append(buf, sizeof(buf) - s.avail_out);
    if (rc == BZ_OK && s.avail_in == 0 && s.avail_out == sizeof(buf)) break;  // truncated
  }
  *left = s.avail_in;
  BZ2_bzDecompressEnd(&s);
  if (rc != BZ_STREAM_END) return std::nullopt;
  return out;
}

std::string Sha256Hex(const std::string& bytes) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), d, &n, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned i = 0; i < n; ++i) hex += fmt::format("{:02x}", d[i]);
  return hex;
}

// JSON-like text with random digits, compressible but not trivial.
std::string Text(std::mt19937* rng, size_t n) {
  std::string s;
  s.reserve(n);
  std::uniform_int_distribution<int> d(0, 15);
  while (s.size() < n) {
    const int k = d(*rng);
    if (k == 0) {
      s += "{\"customerRecordID\":";
    } else if (k == 1) {
      s += "\n";
    } else {
      s.push_back(static_cast<char>('0' + k % 10));
    }
  }
  s.resize(n);
  return s;
}

// No child is left running or unreaped by a writer or a read.
void ExpectNoChildren() {
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(Lbzip2, EachCompressorReadsTheOthersSingleStream) {
  const fs::path dir = testing::TempDir();
  std::mt19937 rng(testing::RandomSeed());
  const fs::path log = dir / "runs.log";
  for (size_t n : {size_t{0}, size_t{1}, size_t{5000}, size_t{2500000}}) {
    const std::string text = Text(&rng, n + rng() % 100);
    const fs::path lb = dir / "lb.json.bz2", bz = dir / "bz.json.bz2";
    ASSERT_OK(Write(lb, text, Compressor::kLbzip2));
    ASSERT_OK(Write(bz, text, Compressor::kLibbz2));
    for (const fs::path& p : {lb, bz}) {
      size_t left = 99;
      std::optional<std::string> back = Libbz2OneStream(Slurp(p), &left);
      ASSERT_TRUE(back.has_value()) << p << " " << n;
      EXPECT_EQ(*back, text) << p;
      EXPECT_EQ(left, 0u) << p << ": one stream, nothing after it";
      EXPECT_EQ(Slurp(p).substr(0, 4), "BZh9");
      {
        ScopedLbzip2 counting(CountingLbzip2(dir, log).string());
        Result<std::string> r = ReadMaybeBz2(p);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_EQ(*r, text) << p << " through lbzip2";
      }
      ScopedLbzip2 missing((dir / "no-such-lbzip2").string());  // falls back to libbz2
      Result<std::string> r = ReadMaybeBz2(p);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(*r, text) << p << " through libbz2";
    }
  }
  EXPECT_EQ(Runs(log), 8);  // every read above with the counting program went through it
  ExpectNoChildren();
}

TEST(Lbzip2, IdenticalInputGivesIdenticalBytes) {
  const fs::path dir = testing::TempDir();
  std::mt19937 rng(11);
  const std::string text = Text(&rng, 3000000);
  for (Compressor c : {Compressor::kLbzip2, Compressor::kLibbz2}) {
    ASSERT_OK(Write(dir / "a.bz2", text, c));
    ASSERT_OK(Write(dir / "b.bz2", text, c));
    EXPECT_EQ(Slurp(dir / "a.bz2"), Slurp(dir / "b.bz2"));
  }
}

TEST(Lbzip2, SizesAndSha256AreOfTheBytesOnDisk) {
  const fs::path dir = testing::TempDir();
  std::mt19937 rng(testing::RandomSeed());
  const std::string text = Text(&rng, 1500000 + rng() % 1000);
  FileWriter w;
  ASSERT_OK(w.Open(dir / "x.json.bz2", true, Compressor::kLbzip2));
  // Pieces of every size around the writer's 1 MiB batching.
  size_t pos = 0;
  for (size_t k : {size_t{1}, size_t{1048575}, size_t{2}, size_t{1048576}}) {
    k = std::min(k, text.size() - pos);
    ASSERT_OK(w.Write(std::string_view(text).substr(pos, k)));
    pos += k;
  }
  ASSERT_OK(w.Write(std::string_view(text).substr(pos)));
  ASSERT_OK(w.Commit());
  const std::string disk = Slurp(dir / "x.json.bz2");
  EXPECT_EQ(w.uncompressed_bytes(), text.size());
  EXPECT_EQ(w.compressed_bytes(), disk.size());
  EXPECT_EQ(w.sha256(), Sha256Hex(disk));
  Result<std::string> back = ReadMaybeBz2(dir / "x.json.bz2");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);
}

TEST(Lbzip2, FailingChildIsIOErrorAndLeavesNoFile) {
  const fs::path dir = testing::TempDir();
  std::mt19937 rng(5);
  const std::string big = Text(&rng, 8000000);  // more than the pipe holds: the write meets a dead reader
  struct Case {
    std::string program;
    std::string message;  // part of the Status message
  };
  const Case cases[] = {
      {"/bin/false", "lbzip2 failed: exit status 1"},
      {Script(dir, "fails", "echo 'lbzip2: synthetic failure' >&2; exit 3").string(),
       "lbzip2 failed: exit status 3: lbzip2: synthetic failure"},
      {Script(dir, "killed", "kill -9 $$").string(), "lbzip2 failed: killed by signal 9"},
  };
  for (const Case& c : cases) {
    for (size_t n : {size_t{10}, big.size()}) {
      ScopedLbzip2 env(c.program);
      const fs::path final_path = dir / "out" / "x.json.bz2";
      fs::create_directories(final_path.parent_path());
      {
        FileWriter w;
        ASSERT_OK(w.Open(final_path, true));
        Status s = w.Write(std::string_view(big).substr(0, n));
        if (s.ok()) s = w.Commit();
        EXPECT_EQ(s.code(), Status::Code::kIOError) << c.program << " " << n;
        EXPECT_NE(s.message().find(final_path.string()), std::string::npos) << s.ToString();
        EXPECT_NE(s.message().find(c.message), std::string::npos) << s.ToString();
        EXPECT_EQ(w.Commit().code(), Status::Code::kIOError) << "a failure stays a failure";
        EXPECT_FALSE(fs::exists(final_path));
      }
      EXPECT_TRUE(fs::is_empty(final_path.parent_path())) << c.program;
    }
  }
  ExpectNoChildren();
}

TEST(Lbzip2, MissingProgramSaysHowToFixIt) {
  const fs::path dir = testing::TempDir();
  ScopedLbzip2 env((dir / "nowhere" / "lbzip2").string());
  {
    FileWriter w;
    Status s = w.Open(dir / "x.json.bz2", true);
    EXPECT_EQ(s.code(), Status::Code::kIOError);
    EXPECT_NE(s.message().find("lbzip2 not found: install it (scripts/setup) or set [output] compressor = "
                               "\"libbz2\""),
              std::string::npos)
        << s.ToString();
  }
  EXPECT_TRUE(fs::is_empty(dir));
  // libbz2 and plain files need no program.
  ASSERT_OK(Write(dir / "y.json.bz2", "{}", Compressor::kLibbz2));
  FileWriter plain;
  ASSERT_OK(plain.Open(dir / "z.json", false));
  ASSERT_OK(plain.Commit());
}

TEST(Lbzip2, UncommittedWriterStopsTheChildAndLeavesNothing) {
  const fs::path dir = testing::TempDir();
  std::mt19937 rng(6);
  const std::string text = Text(&rng, 3000000);
  {
    FileWriter w;
    ASSERT_OK(w.Open(dir / "a.json.bz2", true));
    ASSERT_OK(w.Write(text));  // lbzip2 is busy with it when the writer goes
  }
  {
    FileWriter w;
    ASSERT_OK(w.Open(dir / "b.json.bz2", true));
    ASSERT_OK(w.Write(text));
    ASSERT_OK(w.Finish());
  }
  EXPECT_TRUE(fs::is_empty(dir));
  ExpectNoChildren();
}

// Several streams, and bytes after a stream, read the same through lbzip2 and through libbz2: streams are
// joined, anything else after a stream is Corruption.
TEST(Lbzip2, StreamsAndTrailingBytesReadAlikeOnBothPaths) {
  const fs::path dir = testing::TempDir();
  ASSERT_OK(Write(dir / "a.bz2", "first half,", Compressor::kLbzip2));
  ASSERT_OK(Write(dir / "b.bz2", "second half", Compressor::kLibbz2));
  ASSERT_OK(Write(dir / "e.bz2", "", Compressor::kLbzip2));
  const std::string a = Slurp(dir / "a.bz2"), b = Slurp(dir / "b.bz2"), e = Slurp(dir / "e.bz2");
  struct Case {
    std::string name, bytes;
    std::optional<std::string> text;  // nullopt: Corruption
  };
  const Case cases[] = {
      {"ab", a + b, "first half,second half"},
      {"aeb", a + e + b, "first half,second half"},
      {"garbage", a + "garbage!", std::nullopt},
      {"B", a + "B", std::nullopt},
      {"zero", a + std::string(1, '\0'), std::nullopt},
      {"between", a + "garbage!" + b, std::nullopt},
      {"bad_second", a + "BZh9garbage", std::nullopt},
  };
  for (const Case& c : cases) {
    Spit(dir / c.name, c.bytes);
    std::optional<Result<std::string>> results[2];
    for (int path = 0; path < 2; ++path) {
      std::optional<ScopedLbzip2> env;
      if (path == 1) env.emplace((dir / "no-such-lbzip2").string());
      Result<std::string> r = ReadMaybeBz2(dir / c.name);
      if (c.text) {
        ASSERT_TRUE(r.ok()) << c.name << " path " << path << ": " << r.status().ToString();
        EXPECT_EQ(*r, *c.text) << c.name;
      } else {
        EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << c.name << " path " << path;
        EXPECT_NE(r.status().message().find((dir / c.name).string()), std::string::npos);
      }
      results[path] = std::move(r);
    }
    EXPECT_EQ(results[0]->status().code(), results[1]->status().code()) << c.name;
  }
}

// MapMaybeBz2 (the text in a mapped temporary file, for check) reads exactly what ReadMaybeBz2 reads, on the
// lbzip2 and the libbz2 path, and fails with the same Status codes; plain files are mapped as they are.
TEST(Lbzip2, MappedTextIsTheTextReadMaybeBz2Reads) {
  const fs::path dir = testing::TempDir();
  std::string big;
  for (int i = 0; big.size() < 3'000'000; ++i) big += "{\"customerRecordID\": " + std::to_string(i) + "},\n";
  ASSERT_OK(Write(dir / "big.bz2", big, Compressor::kLbzip2));
  ASSERT_OK(Write(dir / "a.bz2", "first half,", Compressor::kLbzip2));
  ASSERT_OK(Write(dir / "b.bz2", "second half", Compressor::kLibbz2));
  Spit(dir / "ab.bz2", Slurp(dir / "a.bz2") + Slurp(dir / "b.bz2"));
  Spit(dir / "tail.bz2", Slurp(dir / "a.bz2") + "garbage!");
  const std::string whole = Slurp(dir / "big.bz2");
  Spit(dir / "cut.bz2", whole.substr(0, whole.size() / 2));
  Spit(dir / "plain.json", "{\"version\": \"2.0.0\"}\n");
  Spit(dir / "empty.json", "");
  for (int path = 0; path < 2; ++path) {
    std::optional<ScopedLbzip2> env;
    if (path == 1) env.emplace((dir / "no-such-lbzip2").string());
    for (const char* name : {"big.bz2", "ab.bz2", "tail.bz2", "cut.bz2", "plain.json", "empty.json", "missing"}) {
      Result<std::string> read = ReadMaybeBz2(dir / name);
      Result<std::unique_ptr<MappedText>> mapped = MapMaybeBz2(dir / name);
      ASSERT_EQ(mapped.status().code(), read.status().code()) << name << " path " << path;
      if (!read.ok()) continue;
      EXPECT_EQ((*mapped)->text(), *read) << name << " path " << path;
      (*mapped)->Release();  // pages come back from the file
      EXPECT_EQ((*mapped)->text(), *read) << name;
    }
  }
}

TEST(Lbzip2, DamagedOrNotBzip2IsCorruptionQuotingLbzip2) {
  const fs::path dir = testing::TempDir();
  Spit(dir / "plain.bz2", "{\"version\":\"2.0.0\"}");
  Result<std::string> r = ReadMaybeBz2(dir / "plain.bz2", /*force_bz2=*/true);
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  EXPECT_NE(r.status().message().find("lbzip2 exit status 1: lbzip2: stdin: not a valid bzip2 file"),
            std::string::npos)
      << r.status().ToString();
  ExpectNoChildren();
}

}  // namespace
}  // namespace caisson::caisjson
