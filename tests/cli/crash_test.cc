// Crash test (SQLite testing.html §3.3): kill `caisson build` with SIGKILL at seeded moments, then check that no
// file under a final name is partial and that a re-run writes exactly what a clean run writes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "cli_util.h"
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
void BuildAndKill(const fs::path& cwd, const fs::path& out, std::chrono::microseconds delay) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) _exit(127);
    std::freopen("/dev/null", "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    ::execl(CAISSON_BINARY, "caisson", "build", "books", "--out", out.c_str(), "--file-date", "20261120",
            static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

TEST(Crash, KilledBuildLeavesNoPartialFileAndReRunsIdentically) {
  fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 3000 --seed 21 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out clean --file-date 20261120", dir).exit_code, 0);
  const std::map<std::string, std::string> clean = Snapshot(dir / "clean");
  ASSERT_GE(clean.size(), 4u);

  const unsigned seed = RandomSeed();
  std::mt19937 rng(seed);
  for (int round = 0; round < 6; ++round) {
    const fs::path out = dir / ("killed" + std::to_string(round));
    // From "before anything is written" to "about when the files are renamed".
    BuildAndKill(dir, out, std::chrono::microseconds(std::uniform_int_distribution<int>(0, 1500000)(rng)));
    if (fs::exists(out)) {
      int complete_pairs = 0;
      for (const auto& e : fs::directory_iterator(out)) {
        const std::string name = e.path().filename().string();
        if (name.find(".tmp-") != std::string::npos) continue;  // never a final name
        if (name.ends_with(".json.bz2")) {
          Result<std::string> text = caisjson::ReadMaybeBz2(e.path());
          EXPECT_TRUE(text.ok()) << "round " << round << ": partial file under a final name: " << name;
          if (name.find("_CAIS_") != std::string::npos) ++complete_pairs;
        }
      }
      // Either no pair took its final name, or all did (names are given only after every file is complete).
      EXPECT_TRUE(complete_pairs == 0 || complete_pairs == static_cast<int>(clean.size() - 2) / 2)
          << "round " << round;
      // The next run tidies what the killed one left and writes what a clean run writes.
      if (complete_pairs == 0) {
        ASSERT_EQ(RunCaisson("build books --out " + out.filename().string() + " --file-date 20261120", dir).exit_code,
                  0);
        EXPECT_EQ(Snapshot(out), clean) << "round " << round;
      }
    }
  }
}

}  // namespace
}  // namespace caisson::testing
