// Crash test (SQLite testing.html §3.3): kill `caisson build` with SIGKILL at seeded moments across a whole
// build, then check that no file under a final name is partial, that a re-run ends exactly where a clean run
// ends, and that the state store's name register matches the files that exist (issue #7). Then the failures a
// machine causes (SQLite testing.html §3.2, I/O errors): a compressor that fails, and a disk that fills (a
// file size limit) anywhere in a build, a delta or check.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "cli_util.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) files[e.path().filename().string()] = ReadAll(e.path());
  return files;
}

// Starts `caisson build` and kills it after `delay`; returns once it is reaped.
void BuildAndKill(const fs::path& cwd, const std::string& books, const fs::path& out,
                  std::chrono::microseconds delay) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) _exit(127);
    std::freopen("/dev/null", "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    ::execl(CAISSON_BINARY, "caisson", "build", books.c_str(), "--out", out.c_str(), "--file-date", "20261120",
            static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

// "" when `a` and `b` hold the same files with the same bytes; else the names that differ (no bytes: the
// files are compressed).
std::string Differences(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  std::string diff;
  for (const auto& [name, bytes] : a) {
    auto it = b.find(name);
    if (it == b.end()) diff += " only-first:" + name;
    else if (it->second != bytes) diff += " differs:" + name;
  }
  for (const auto& [name, bytes] : b) {
    if (!a.contains(name)) diff += " only-second:" + name;
  }
  return diff;
}

// The .json.bz2 names of `out` and of the store's register for the submissions written there agree.
void ExpectStoreMatchesFiles(const fs::path& books, const fs::path& out, int round) {
  state::Options options;
  options.create_if_missing = false;
  Result<std::unique_ptr<state::Store>> store = state::Store::Open(books / "caisson.db", options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::set<std::string> registered, present;
  Result<int64_t> last = (*store)->LastSubmissionId();
  ASSERT_TRUE(last.ok());
  for (int64_t id = 1; id <= *last; ++id) {
    Result<state::Submission> sub = (*store)->GetSubmission(id);
    ASSERT_TRUE(sub.ok());
    EXPECT_EQ(sub->status, "written") << "round " << round;
    ASSERT_TRUE((*store)->ForEachFileOf(id, [&](const state::FileEntry& f) {
      registered.insert(f.base_name + ".json.bz2");
      return Status::OK();
    }).ok());
  }
  for (const auto& e : fs::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(".json.bz2")) present.insert(name);
  }
  EXPECT_EQ(registered, present) << "round " << round;
}

TEST(Crash, KilledBuildLeavesNoPartialFileAndReRunsIdentically) {
  fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 3000 --seed 21 --out books", dir).exit_code, 0);
  fs::copy(dir / "books", dir / "clean_books", fs::copy_options::recursive);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(RunCaisson("build clean_books --out clean --file-date 20261120", dir).exit_code, 0);
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  const std::map<std::string, std::string> clean = Snapshot(dir / "clean");
  ASSERT_GE(clean.size(), 4u);

  const unsigned seed = RandomSeed();
  std::mt19937 rng(seed);
  for (int round = 0; round < 6; ++round) {
    // Each round is a firm of its own (books, store, output), killed somewhere in a whole build.
    const std::string books = "books" + std::to_string(round);
    fs::copy(dir / "books", dir / books, fs::copy_options::recursive);
    const fs::path out = dir / ("killed" + std::to_string(round));
    const auto delay = std::chrono::microseconds(
        std::uniform_int_distribution<int64_t>(0, took.count() * 11 / 10)(rng));
    BuildAndKill(dir, books, out, delay);
    if (fs::exists(out)) {
      for (const auto& e : fs::directory_iterator(out)) {
        const std::string name = e.path().filename().string();
        if (name.find(".tmp-") != std::string::npos) continue;  // never a final name
        if (name.ends_with(".json.bz2")) {
          Result<std::string> text = caisjson::ReadMaybeBz2(e.path());
          EXPECT_TRUE(text.ok()) << "round " << round << " (seed " << seed << "): partial file under a final name: "
                                 << name;
        }
      }
    }
    // The next run finishes or tidies what the killed one left and ends where a clean run ends.
    RunResult rerun = RunCaisson("build " + books + " --out " + out.filename().string() + " --file-date 20261120", dir);
    ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
    EXPECT_EQ(Snapshot(out), clean) << "round " << round << " (seed " << seed << ", killed after " << delay.count()
                                    << " us)";
    ExpectStoreMatchesFiles(dir / books, out, round);
  }
}

// The store records a build while its files are being compressed (beside emit's write pass). A compressor that
// fails leaves nothing recorded and no file under a final name, and the next build numbers its files as if the
// failed one had never run.
TEST(BuildFailure, ACompressorThatFailsLeavesNothingRecordedOrNamed) {
  const fs::path root = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 50 --seed 5 --out " + (root / "books").string(), root).exit_code, 0);
  const fs::path books = root / "books";
  setenv("CAISSON_LBZIP2", "/bin/false", 1);
  for (const char* stream : {"0", "1"}) {  // the build from the whole books, then the streamed one
    setenv("CAISSON_STREAMED_BUILD", stream, 1);
    const RunResult failed = RunCaisson("build . --out out", books);
    EXPECT_EQ(failed.exit_code, 2) << failed.err;
    EXPECT_NE(failed.err.find("lbzip2 failed"), std::string::npos) << failed.err;
    // The folder the build made for its files goes too.
    EXPECT_FALSE(fs::exists(books / "out")) << "streamed " << stream;
  }
  unsetenv("CAISSON_STREAMED_BUILD");
  unsetenv("CAISSON_LBZIP2");
  {
    Result<std::unique_ptr<state::Store>> store = state::Store::Open(books / "caisson.db", state::Options{});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Result<int64_t> last = (*store)->LastSubmissionId();
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(*last, 0);
  }
  const RunResult again = RunCaisson("build . --out out", books);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::map<std::string, std::string> files = Snapshot(books / "out");
  ASSERT_FALSE(files.empty());
  EXPECT_TRUE(files.begin()->first.ends_with("_CAIS_000001.json.bz2")) << files.begin()->first;
  EXPECT_NE(again.err.find("submission 1,"), std::string::npos) << again.err;
}

// Runs `caisson <args>` in `cwd` where no file may grow past `limit` bytes (RLIMIT_FSIZE, SIGXFSZ ignored: a
// write past it fails with EFBIG, as one on a full disk fails with ENOSPC). The limit holds for everything the
// run writes: a build's spill, files, compressor output and state store; check's decompressed texts.
RunResult RunWithFileLimit(const fs::path& cwd, std::vector<std::string> args, rlim_t limit) {
  const fs::path err = cwd / ".limited-stderr";
  args.insert(args.begin(), "caisson");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) _exit(127);
    const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ::dup2(fd, 2) < 0) _exit(127);
    std::freopen("/dev/null", "w", stdout);
    ::signal(SIGXFSZ, SIG_IGN);  // kept across exec, for the compressor children too
    const rlimit rl{limit, limit};
    if (::setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(127);
    ::execv(CAISSON_BINARY, argv.data());
    _exit(127);
  }
  RunResult r;
  if (pid < 0) return r;
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = ReadAll(err);
  fs::remove(err);
  return r;
}

RunResult BuildWithFileLimit(const fs::path& cwd, const std::string& books, const std::string& out, rlim_t limit,
                             bool delta = false) {
  if (delta) return RunWithFileLimit(cwd, {"build", "--delta", books, "--out", out, "--file-date", "20261121"}, limit);
  return RunWithFileLimit(cwd, {"build", books, "--out", out, "--file-date", "20261120"}, limit);
}

// A build that cannot write (a full disk, here a file size limit) at any point fails with exit status 2 and a
// message, leaves no file under a final name, no temporary file and nothing recorded, and the next build with
// room ends exactly where a build that never failed ends: for the streamed build and the whole-books one.
TEST(BuildFailure, AFullDiskAnywhereLeavesNothingHalfWritten) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 2000 --seed 23 --out books", dir).exit_code, 0);
  fs::copy(dir / "books", dir / "clean_books", fs::copy_options::recursive);
  ASSERT_EQ(RunCaisson("build clean_books --out clean --file-date 20261120", dir).exit_code, 0);
  const std::map<std::string, std::string> clean = Snapshot(dir / "clean");
  ASSERT_GE(clean.size(), 4u);
  int failures = 0, round = 0;
  for (const char* stream : {"1", "0"}) {
    setenv("CAISSON_STREAMED_BUILD", stream, 1);
    // 2,000 FDIDs: the store ends near 640 KB, the streamed build's spill near 2.7 MB; the small limits stop the
    // store's first writes, the middle ones its recording (whole books) or the spill (streamed).
    for (rlim_t limit : {rlim_t{4} << 10, rlim_t{64} << 10, rlim_t{256} << 10, rlim_t{512} << 10, rlim_t{1} << 20,
                         rlim_t{3} << 20}) {
      const std::string books = "books" + std::to_string(round), out = "out" + std::to_string(round);
      const std::string what = std::string("streamed ") + stream + ", limit " + std::to_string(limit);
      ++round;
      fs::copy(dir / "books", dir / books, fs::copy_options::recursive);
      const RunResult limited = BuildWithFileLimit(dir, books, out, limit);
      if (limited.exit_code == 0) {
        EXPECT_EQ(Differences(Snapshot(dir / out), clean), "") << what;
        continue;
      }
      ++failures;
      EXPECT_EQ(limited.exit_code, 2) << what << ": " << limited.err;
      // The message names what could not be written: the store or the spill (SQLite reports EFBIG and ENOSPC
      // only as "disk I/O error").
      EXPECT_NE(limited.err.find("IO error"), std::string::npos) << what << ": " << limited.err;
      EXPECT_TRUE(limited.err.find("caisson.db") != std::string::npos ||
                  limited.err.find("spill file: cannot write: File too large") != std::string::npos)
          << what << ": " << limited.err;
      if (fs::exists(dir / out)) {
        for (const auto& e : fs::directory_iterator(dir / out)) {
          ADD_FAILURE() << what << ": left " << e.path().filename().string();
        }
      }
      if (fs::exists(dir / books / "caisson.db")) {
        state::Options options;
        options.create_if_missing = false;
        Result<std::unique_ptr<state::Store>> store = state::Store::Open(dir / books / "caisson.db", options);
        ASSERT_TRUE(store.ok()) << what << ": " << store.status().ToString();
        Result<int64_t> last = (*store)->LastSubmissionId();
        ASSERT_TRUE(last.ok()) << what;
        EXPECT_EQ(*last, 0) << what;
      }
      const RunResult again = RunCaisson("build " + books + " --out " + out + " --file-date 20261120", dir);
      ASSERT_EQ(again.exit_code, 0) << what << ": " << again.err;
      EXPECT_EQ(Differences(Snapshot(dir / out), clean), "") << what;
      ExpectStoreMatchesFiles(dir / books, dir / out, round);
    }
  }
  unsetenv("CAISSON_STREAMED_BUILD");
  EXPECT_GE(failures, 7);  // the small limits must fail, or this test shows nothing
}

// The same for the daily delta (the fast path), after a full build: a failed delta records nothing, adds no
// file, and the next one with room sends what a delta that never failed sends.
TEST(BuildFailure, AFullDiskDuringADeltaLeavesTheLastSubmissionAsItWas) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 2000 --seed 29 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261120", dir).exit_code, 0);
  {  // every tenth account renamed: its FDID and its closure go out in the delta
    std::istringstream in(ReadAll(dir / "books" / "accounts.csv"));
    std::string line, text;
    for (int n = 0; std::getline(in, line); ++n) {
      if (n > 0 && n % 10 == 0) {
        size_t at = 0;
        for (int comma = 0; comma < 3 && at != std::string::npos; ++comma) at = line.find(',', at + 1);
        ASSERT_NE(at, std::string::npos);
        line.insert(at + 1, "RENAMED ");
      }
      text += line + "\n";
    }
    std::ofstream(dir / "books" / "accounts.csv", std::ios::binary) << text;
  }
  auto copy_firm = [&](const std::string& name) {
    fs::copy(dir / "books", dir / (name + "_books"), fs::copy_options::recursive);
    fs::copy(dir / "out", dir / (name + "_out"), fs::copy_options::recursive);
  };
  copy_firm("clean");
  const RunResult clean_run = RunCaisson("build --delta clean_books --out clean_out --file-date 20261121", dir);
  ASSERT_EQ(clean_run.exit_code, 0) << clean_run.err;
  ASSERT_NE(clean_run.err.find("fast path"), std::string::npos) << clean_run.err;
  const std::map<std::string, std::string> clean = Snapshot(dir / "clean_out");
  const std::map<std::string, std::string> before = Snapshot(dir / "out");
  ASSERT_GT(clean.size(), before.size());
  int failures = 0, round = 0;
  // The store is ~640 KB before the delta, whose writes go to a new WAL: small limits stop them.
  for (rlim_t limit : {rlim_t{16} << 10, rlim_t{32} << 10, rlim_t{64} << 10, rlim_t{1} << 20}) {
    const std::string name = "r" + std::to_string(round++);
    const std::string what = "limit " + std::to_string(limit);
    copy_firm(name);
    const RunResult limited = BuildWithFileLimit(dir, name + "_books", name + "_out", limit, /*delta=*/true);
    if (limited.exit_code != 0) {
      ++failures;
      EXPECT_EQ(limited.exit_code, 2) << what << ": " << limited.err;
      EXPECT_NE(limited.err.find("IO error"), std::string::npos) << what << ": " << limited.err;
      EXPECT_EQ(Differences(Snapshot(dir / (name + "_out")), before), "") << what;
      state::Options options;
      options.create_if_missing = false;
      Result<std::unique_ptr<state::Store>> store = state::Store::Open(dir / (name + "_books") / "caisson.db", options);
      ASSERT_TRUE(store.ok()) << what << ": " << store.status().ToString();
      Result<int64_t> last = (*store)->LastSubmissionId();
      ASSERT_TRUE(last.ok()) << what;
      EXPECT_EQ(*last, 1) << what;
      store->reset();
      const RunResult again =
          RunCaisson("build --delta " + name + "_books --out " + name + "_out --file-date 20261121", dir);
      ASSERT_EQ(again.exit_code, 0) << what << ": " << again.err;
    }
    EXPECT_EQ(Differences(Snapshot(dir / (name + "_out")), clean), "") << what;
    ExpectStoreMatchesFiles(dir / (name + "_books"), dir / (name + "_out"), round);
  }
  EXPECT_GE(failures, 3);
}

// check decompresses each file into a temporary file ($TMPDIR): when it cannot be written, the run stops with
// exit status 2 naming the input file and the folder, and not with a finding against the input.
TEST(CheckFailure, NoRoomForTheDecompressedTextNamesTheFileAndTheFolder) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 500 --seed 31 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261120", dir).exit_code, 0);
  const RunResult roomy = RunWithFileLimit(dir, {"check", "out", "--config", "books/caisson.toml"}, rlim_t{64} << 20);
  ASSERT_EQ(roomy.exit_code, 0) << roomy.err;
  const RunResult limited = RunWithFileLimit(dir, {"check", "out", "--config", "books/caisson.toml"}, 16 << 10);
  EXPECT_EQ(limited.exit_code, 2) << limited.err;
  EXPECT_NE(limited.err.find("writing the decompressed text of 990002_990001_20261120_CAIS_000001.json.bz2"),
            std::string::npos)
      << limited.err;
  EXPECT_NE(limited.err.find("File too large"), std::string::npos) << limited.err;
}

}  // namespace
}  // namespace caisson::testing
