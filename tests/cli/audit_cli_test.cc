// `caisson audit verify` / `caisson audit export` through the real binary: exit 0 for an intact chain, 1 for a
// tampered one (naming the event), 2 for a store that cannot be used; the export is the chain as JSON lines.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit/audit.h"
#include "cli_util.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

// Writes `n` events into the store at `db` and returns the head hash.
std::string MakeChain(const fs::path& db, int n) {
  Result<std::unique_ptr<state::Store>> store = state::Store::Open(db, {});
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return "";
  for (int i = 1; i <= n; ++i) {
    audit::Event e;
    e.kind = "build";
    e.at = "2026-11-20T21:15:03.00" + std::to_string(i) + "Z";
    e.actor = "tester";
    e.payload["files"] = int64_t{i};
    EXPECT_OK((*store)->Write([&](state::Txn& t) { return audit::Append(t, e); }));
  }
  return (*store)->GetAuditHead()->hash;
}

int CountLines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(AuditCli, MissingStoreExitsTwoAndCreatesNothing) {
  fs::path dir = TempDir();
  RunResult r = RunCaisson("audit verify", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "caisson: Not found: " + (dir / "caisson.db").string() +
                       ": no state store (a full build creates it)\n");
  EXPECT_TRUE(fs::is_empty(dir));
  EXPECT_EQ(RunCaisson("audit export", dir).exit_code, 2);
  EXPECT_EQ(RunCaisson("audit", dir).exit_code, 2);  // a sub-verb is required
}

TEST(AuditCli, IntactChainVerifiesAndExports) {
  fs::path dir = TempDir();
  const std::string head = MakeChain(dir / "caisson.db", 3);
  RunResult v = RunCaisson("audit verify", dir);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(v.err, "caisson audit verify: " + (dir / "caisson.db").string() + ": 3 events, chain intact, head " +
                       head + "\n");
  RunResult j = RunCaisson("audit verify --format json", dir);
  EXPECT_EQ(j.exit_code, 0);
  EXPECT_EQ(j.out, "{\"ok\":true,\"events\":3,\"head_hash\":\"" + head + "\",\"first_bad_seq\":0,\"problem\":\"\"}\n");

  RunResult to_stdout = RunCaisson("audit export", dir);
  EXPECT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  EXPECT_EQ(CountLines(to_stdout.out), 3);
  EXPECT_EQ(to_stdout.out.rfind("{\"seq\":1,\"at\":\"2026-11-20T21:15:03.001Z\",\"kind\":\"build\",\"actor\":\"tester\","
                                "\"payload\":{\"files\":1},\"prev_hash\":\"\",\"hash\":\"", 0),
            0u)
      << to_stdout.out;
  EXPECT_NE(to_stdout.out.find("\"hash\":\"" + head + "\"}\n"), std::string::npos);
  RunResult to_file = RunCaisson("audit export --out trail.jsonl", dir);
  EXPECT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_EQ(ReadAll(dir / "trail.jsonl"), to_stdout.out);
}

TEST(AuditCli, TamperedChainExitsOneNamingTheEvent) {
  fs::path dir = TempDir();
  MakeChain(dir / "caisson.db", 4);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "caisson.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_event_no_update; "
                         "UPDATE audit_event SET payload = '{\"files\":99}' WHERE seq = 2",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  RunResult v = RunCaisson("audit verify", dir);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_EQ(v.err, "caisson audit verify: " + (dir / "caisson.db").string() +
                       ": FAILED at event 2: hash mismatch: the event was edited\n");
  RunResult j = RunCaisson("audit verify --format json", dir);
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_EQ(j.out,
            "{\"ok\":false,\"events\":1,\"head_hash\":\"\",\"first_bad_seq\":2,\"problem\":\"hash mismatch: the event "
            "was edited\"}\n");
}

TEST(AuditCli, StoreNamedByConfigAndLockedStoreExitsTwo) {
  fs::path dir = TempDir();
  fs::create_directories(dir / "firm" / "state");
  {
    std::ofstream toml(dir / "firm" / "caisson.toml");
    toml << "[firm]\ncat_reporter_crd = 99999\ncat_submitter_id = 140000\n\n[state]\npath = \"state/x.db\"\n";
  }
  MakeChain(dir / "firm" / "state" / "x.db", 2);
  RunResult v = RunCaisson("audit verify --config firm/caisson.toml", dir);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.err.find("state/x.db: 2 events, chain intact"), std::string::npos) << v.err;

  Result<std::unique_ptr<state::Store>> held = state::Store::Open(dir / "firm" / "state" / "x.db", {});
  ASSERT_OK(held.status());
  RunResult locked = RunCaisson("audit verify --config firm/caisson.toml", dir);
  EXPECT_EQ(locked.exit_code, 2);
  EXPECT_EQ(locked.err, "caisson: IO error: another caisson run (pid " + std::to_string(::getpid()) +
                            ") is using " + (dir / "firm" / "state" / "x.db").string() + "\n");
}

TEST(AuditCli, StoreOfANewerCaissonExitsTwo) {
  fs::path dir = TempDir();
  MakeChain(dir / "caisson.db", 1);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "caisson.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  RunResult v = RunCaisson("audit verify", dir);
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_EQ(v.err, "caisson: Not supported: " + (dir / "caisson.db").string() +
                       ": written by a newer Caisson: schema 99, this caisson knows " +
                       std::to_string(state::kSchemaVersion) + "\n");
}

}  // namespace
}  // namespace caisson::testing
