// Crash test (SQLite testing.html §3.3): kill `caisson build` with SIGKILL at seeded moments across a whole
// build, then check that no file under a final name is partial, that a re-run ends exactly where a clean run
// ends, and that the state store's name register matches the files that exist (issue #7).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>

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

}  // namespace
}  // namespace caisson::testing
