// The audit chain: the canonical encoding (known answers computed with Python's hashlib), append inside the
// state transaction, Verify against each kind of tampering done through raw SQLite, and the export round trip.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "audit/audit.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::audit {
namespace {

namespace fs = std::filesystem;
using caisson::testing::TempDir;

void RawExec(const fs::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

std::unique_ptr<state::Store> Open(const fs::path& db) {
  Result<std::unique_ptr<state::Store>> s = state::Store::Open(db, {});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s.value()) : nullptr;
}

Event MakeEvent(int i) {
  Event e;
  e.kind = i % 3 == 0 ? "build" : "accept";
  e.at = "2026-11-20T21:15:03.0" + std::to_string(10 + i) + "Z";
  e.actor = "tester";
  e.payload["n"] = int64_t{i};
  e.payload["file"] = "X_CAIS_" + std::to_string(i);
  return e;
}

// A store at `db` holding events 1..n, closed again so raw SQLite can tamper with it.
void MakeChain(const fs::path& db, int n) {
  auto store = Open(db);
  ASSERT_TRUE(store);
  for (int i = 1; i <= n; ++i) {
    ASSERT_OK(store->Write([&](state::Txn& t) { return Append(t, MakeEvent(i)); }));
  }
}

VerifyReport VerifyAt(const fs::path& db) {
  auto store = Open(db);
  if (!store) return {};
  Result<VerifyReport> r = Verify(*store);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : VerifyReport{};
}

// Someone with the file can drop the guards; the chain must still tell.
const char* kDropTriggers = "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;";

TEST(AuditHash, KnownAnswersFromAnIndependentImplementation) {
  const std::string h1 =
      EventHash("", 1, "2026-11-20T21:15:03.042Z", "build", "tester", R"({"files":2,"out":"out/a"})");
  EXPECT_EQ(h1, "62685b3b57bc8ce9c54a8705e5980e46faec6a5262677971775ce30ebf9a6b31");
  EXPECT_EQ(EventHash(h1, 2, "2026-11-20T21:16:00.000Z", "accept", "tester", R"({"submission":1})"),
            "90a0a578a827b07c10f9046a16cd303b2525751a3560003fd37ae46c7c8674a2");
  // Moving a byte across a field boundary changes the hash (the length prefixes at work).
  EXPECT_NE(EventHash("", 1, "a", "bc", "d", "{}"), EventHash("", 1, "ab", "c", "d", "{}"));
}

TEST(AuditHash, PayloadIsCompactJsonWithSortedKeys) {
  std::map<std::string, Value> p;
  p["rejects"] = int64_t{-3};
  p["Z"] = "upper first";
  p["file"] = std::string("a\"b\\c\nd\x01");
  EXPECT_EQ(PayloadJson(p), R"({"Z":"upper first","file":"a\"b\\c\nd\u0001","rejects":-3})");
  EXPECT_EQ(PayloadJson({}), "{}");
}

TEST(Audit, ChainOfEventsVerifiesAndReportsItsHead) {
  fs::path db = TempDir() / "caisson.db";
  MakeChain(db, 25);
  auto store = Open(db);
  ASSERT_TRUE(store);
  Result<VerifyReport> r = Verify(*store);
  ASSERT_OK(r.status());
  EXPECT_TRUE(r->ok) << r->problem;
  EXPECT_EQ(r->events, 25);
  EXPECT_EQ(r->first_bad_seq, 0);
  EXPECT_EQ(r->head_hash, store->GetAuditHead()->hash);
  EXPECT_EQ(store->GetAuditHead()->seq, 25);
  // Filled-in defaults: now, and the user from the environment.
  int64_t seq = 0;
  ASSERT_OK(store->Write([&](state::Txn& t) { return Append(t, Event{.kind = "state", .payload = {}, .at = {},
                                                                      .actor = {}}, &seq); }));
  EXPECT_EQ(seq, 26);
  std::string at, actor;
  ASSERT_OK(store->ForEachAuditRow([&](const state::AuditRow& row) {
    at = row.at;
    actor = row.actor;
    return Status::OK();
  }));
  EXPECT_EQ(at.size(), 24u) << at;
  EXPECT_FALSE(actor.empty());
  EXPECT_TRUE(Verify(*store)->ok);
}

TEST(Audit, EventsGoWithTheirTransaction) {
  fs::path db = TempDir() / "caisson.db";
  auto store = Open(db);
  ASSERT_TRUE(store);
  Status s = store->Write([&](state::Txn& t) {
    CAISSON_RETURN_IF_ERROR(Append(t, MakeEvent(1)));
    state::RecordState r;
    r.key = "F1";
    CAISSON_RETURN_IF_ERROR(t.PutFdid(r));
    return Status::IOError("simulated", "failure after the event");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(store->GetAuditHead()->seq, 0);
  EXPECT_EQ(Verify(*store)->events, 0);
  EXPECT_TRUE(Verify(*store)->ok);
  EXPECT_EQ(store->Write([&](state::Txn& t) { return Append(t, Event{}); }).code(), Status::Code::kInvalidArgument);
  int64_t seq = 0;
  ASSERT_OK(store->Write([&](state::Txn& t) { return Append(t, MakeEvent(1), &seq); }));
  EXPECT_EQ(seq, 1);
}

TEST(Audit, TriggersRefuseUpdatesAndDeletes) {
  fs::path db = TempDir() / "caisson.db";
  MakeChain(db, 3);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(raw, "UPDATE audit_event SET payload = '{}' WHERE seq = 2", nullptr, nullptr, nullptr),
            SQLITE_CONSTRAINT);
  EXPECT_EQ(sqlite3_exec(raw, "DELETE FROM audit_event WHERE seq = 3", nullptr, nullptr, nullptr),
            SQLITE_CONSTRAINT);
  sqlite3_close(raw);
  EXPECT_TRUE(VerifyAt(db).ok);
}

TEST(Audit, EditedPayloadIsAHashMismatchAtThatEvent) {
  fs::path db = TempDir() / "caisson.db";
  MakeChain(db, 10);
  RawExec(db, std::string(kDropTriggers) + "UPDATE audit_event SET payload = '{\"n\":40}' WHERE seq = 4");
  VerifyReport r = VerifyAt(db);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4);
  EXPECT_EQ(r.problem, "hash mismatch: the event was edited");
  EXPECT_EQ(r.events, 3);
}

TEST(Audit, DeletedMiddleEventIsAGap) {
  fs::path db = TempDir() / "caisson.db";
  MakeChain(db, 10);
  RawExec(db, std::string(kDropTriggers) + "DELETE FROM audit_event WHERE seq = 5");
  VerifyReport r = VerifyAt(db);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 5);
  EXPECT_EQ(r.problem, "event 5 is missing (next is 6): events were deleted");
}

TEST(Audit, DeletedLastEventIsCaughtByTheHead) {
  fs::path db = TempDir() / "caisson.db";
  MakeChain(db, 10);
  RawExec(db, std::string(kDropTriggers) + "DELETE FROM audit_event WHERE seq = 10");
  VerifyReport r = VerifyAt(db);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 10);
  EXPECT_EQ(r.problem, "the head recorded in meta is event 10, the chain ends at 9: events were deleted from the end");
}

TEST(Audit, ForgedEventWithAValidHashIsCaughtByTheHead) {
  fs::path db = TempDir() / "caisson.db";
  MakeChain(db, 10);
  std::string prev;
  {
    auto store = Open(db);
    ASSERT_TRUE(store);
    prev = store->GetAuditHead()->hash;
  }
  // The forger knows the encoding and chains correctly; only the head in meta gives it away.
  const std::string at = "2026-11-21T00:00:00.000Z", payload = "{\"n\":11}";
  const std::string hash = EventHash(prev, 11, at, "accept", "mallory", payload);
  RawExec(db, "INSERT INTO audit_event VALUES (11, '" + at + "', 'accept', 'mallory', '" + payload + "', '" + prev +
                  "', '" + hash + "')");
  VerifyReport r = VerifyAt(db);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 11);
  EXPECT_EQ(r.problem, "event 11 follows the head recorded in meta (event 10): it was added outside Caisson");
}

TEST(Audit, InsertedEventInTheMiddleBreaksTheNextLink) {
  fs::path db = TempDir() / "caisson.db";
  MakeChain(db, 10);
  // Make room at 4 by moving 4..10 up one, then insert a forged event 4 chained onto event 3.
  std::string prev;
  {
    auto store = Open(db);
    ASSERT_OK(store->ForEachAuditRow([&](const state::AuditRow& row) {
      if (row.seq == 3) prev = row.hash;
      return Status::OK();
    }));
  }
  const std::string at = "2026-11-20T21:15:03.999Z", payload = "{}";
  const std::string hash = EventHash(prev, 4, at, "state", "mallory", payload);
  RawExec(db, std::string(kDropTriggers) +
                  "UPDATE audit_event SET seq = -seq WHERE seq >= 4; UPDATE audit_event SET seq = 1 - seq WHERE "
                  "seq < 0; INSERT INTO audit_event VALUES (4, '" + at + "', 'state', 'mallory', '" + payload +
                  "', '" + prev + "', '" + hash + "')");
  VerifyReport r = VerifyAt(db);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 5);  // the forged 4 is self-consistent; the moved event no longer chains onto it
  EXPECT_EQ(r.problem,
            "prev_hash does not match the hash of event 4: an event was inserted or the events were reordered");
}

TEST(Audit, SwappedEventsAreAReorder) {
  fs::path db = TempDir() / "caisson.db";
  MakeChain(db, 10);
  RawExec(db, std::string(kDropTriggers) +
                  "UPDATE audit_event SET seq = -1 WHERE seq = 3; UPDATE audit_event SET seq = 3 WHERE seq = 7; "
                  "UPDATE audit_event SET seq = 7 WHERE seq = -1;");
  VerifyReport r = VerifyAt(db);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
  EXPECT_EQ(r.problem,
            "prev_hash does not match the hash of event 2: an event was inserted or the events were reordered");
}

TEST(Audit, RewrittenHeadIsCaught) {
  fs::path db = TempDir() / "caisson.db";
  MakeChain(db, 10);
  RawExec(db, "UPDATE meta SET value = '" + std::string(64, '0') + "' WHERE key = 'audit_head_hash'");
  VerifyReport r = VerifyAt(db);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 10);
  EXPECT_EQ(r.problem, "the head hash recorded in meta does not match event 10");
}

// Reads one JSON string value starting at line[pos] == '"'; handles the escapes the test data uses.
std::string JsonString(const std::string& line, size_t* pos) {
  EXPECT_EQ(line[*pos], '"');
  std::string out;
  size_t i = *pos + 1;
  for (; i < line.size() && line[i] != '"'; ++i) {
    if (line[i] == '\\') ++i;
    out.push_back(line[i]);
  }
  *pos = i + 1;
  return out;
}

std::string Field(const std::string& line, const std::string& key) {
  size_t pos = line.find("\"" + key + "\":");
  if (pos == std::string::npos) return "<missing " + key + ">";
  pos += key.size() + 3;
  return JsonString(line, &pos);
}

// SHA-256 of the audit.h encoding, written again here from the header's description.
std::string Sha256Hex(const std::string& prev_hex, uint64_t seq, const std::vector<std::string>& fields) {
  std::string b(32, '\0');
  for (size_t i = 0; i < 32 && prev_hex.size() == 64; ++i) {
    b[i] = static_cast<char>(std::stoi(prev_hex.substr(2 * i, 2), nullptr, 16));
  }
  for (int i = 7; i >= 0; --i) b.push_back(static_cast<char>(seq >> (8 * i)));
  for (const std::string& f : fields) {
    for (int i = 3; i >= 0; --i) b.push_back(static_cast<char>(f.size() >> (8 * i)));
    b += f;
  }
  unsigned char md[32];
  unsigned int len = 0;
  EVP_Digest(b.data(), b.size(), md, &len, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

TEST(Audit, ExportLinesRecomputeToTheSameChain) {
  fs::path dir = TempDir();
  fs::path db = dir / "caisson.db";
  MakeChain(db, 12);
  auto store = Open(db);
  ASSERT_TRUE(store);
  ASSERT_OK(store->Write([&](state::Txn& t) {
    Event e = MakeEvent(13);
    e.payload["note"] = "quote \" and backslash \\";
    return Append(t, e);
  }));
  ASSERT_OK(ExportToFile(*store, dir / "audit.jsonl"));
  std::vector<fs::path> left;
  for (const auto& e : fs::directory_iterator(dir)) left.push_back(e.path().filename());
  EXPECT_EQ(std::count(left.begin(), left.end(), fs::path("audit.jsonl")), 1);
  for (const auto& name : left) EXPECT_EQ(name.string().find(".tmp-"), std::string::npos) << name;

  std::ifstream in(dir / "audit.jsonl");
  std::string line, prev;
  int64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    ASSERT_EQ(line.rfind("{\"seq\":" + std::to_string(n) + ",\"at\":", 0), 0u) << line;
    const size_t p0 = line.find(",\"payload\":") + 11;
    const size_t p1 = line.rfind(",\"prev_hash\":");
    const std::string payload = line.substr(p0, p1 - p0);
    EXPECT_EQ(Field(line, "prev_hash"), prev) << n;
    const std::string hash = Field(line, "hash");
    EXPECT_EQ(hash, Sha256Hex(prev, static_cast<uint64_t>(n),
                              {Field(line, "at"), Field(line, "kind"), Field(line, "actor"), payload}))
        << line;
    prev = hash;
  }
  EXPECT_EQ(n, 13);
  EXPECT_EQ(prev, Verify(*store)->head_hash);
  std::ifstream again(dir / "audit.jsonl");
  std::string all((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find(R"("note":"quote \" and backslash \\")"), std::string::npos);
}

}  // namespace
}  // namespace caisson::audit
