// `caisson submit`, `feedback fetch` and `org` through the binary, against two local OpenSSH servers standing in
// for CAIS's Data and TID hosts [§5.3.1] (tests/transmit/sftp_server.h). Nothing leaves 127.0.0.1.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "cli_util.h"
#include "state/state.h"
#include "testutil.h"
#include "transmit/sftp_server.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMemberA = 990011, kMemberB = 990012;

std::vector<std::string> Names(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Named(const std::vector<std::string>& names, const std::string& part) {
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (n.find(part) != std::string::npos) out.push_back(n);
  }
  return out;
}

class SubmitCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root: sshd's ChrootDirectory stands for the submitter's home";
    dir_ = TempDir();
    cais_ = std::make_unique<SftpServer>(dir_ / "cais_host");
    ASSERT_TRUE(cais_->ok()) << cais_->error();
    tid_ = std::make_unique<SftpServer>(dir_ / "tid_host", cais_->user_key());
    ASSERT_TRUE(tid_->ok()) << tid_->error();
    for (const char* d : {"/990002/cat/cais/upload", "/990002/cat/cais/feedback", "/990002/cat/cais/reports"}) {
      cais_->MakeRemoteDir(d);
    }
    for (const char* d : {"/990002/cat/tid/upload", "/990002/cat/tid/feedback"}) tid_->MakeRemoteDir(d);
    // Each member's books, built by the agent (Submitter 990002) into outbox/<crd>.
    int seed = 1;
    for (int64_t crd : {kMemberA, kMemberB}) {
      const std::string books = "books_" + std::to_string(crd);
      ASSERT_EQ(RunCaisson("gen --accounts 300 --seed " + std::to_string(seed++) + " --out " + books, dir_).exit_code, 0);
      std::string toml = ReadAll(dir_ / books / "caisson.toml");
      toml.replace(toml.find("cat_reporter_crd = 990001"), 25, "cat_reporter_crd = " + std::to_string(crd));
      std::ofstream(dir_ / books / "caisson.toml") << toml;
      RunResult b = RunCaisson("build " + books + " --out outbox/" + std::to_string(crd), dir_);
      ASSERT_EQ(b.exit_code, 0) << b.err;
    }
    fs::create_directories(dir_ / "agent");
    std::ofstream(dir_ / "agent" / "known_hosts") << ReadAll(cais_->known_hosts()) << ReadAll(tid_->known_hosts());
    WriteConfig(cais_->port(), false, "known_hosts");
    ASSERT_EQ(Org("add-member 990011 --name 'Alpha Brokerage' --books-config books_990011/caisson.toml").exit_code, 0);
    ASSERT_EQ(Org("add-member 990012 --name 'Beta Securities' --correspondent 7").exit_code, 0);
    ASSERT_EQ(Org("add-relationship --env test --member 990011 --start 2026-01-01").exit_code, 0);
    ASSERT_EQ(Org("add-relationship --env test --member 990012 --start 2026-01-01").exit_code, 0);
  }

  // The agent's caisson.toml: test on the two local servers; production on 127.0.0.2, which no test reaches
  // (every production run here is refused before connecting).
  void WriteConfig(int cais_port, bool certified, const std::string& known_hosts,
                   const std::string& key = "", int tid_port = 0) {
    std::ofstream(dir_ / "agent" / "caisson.toml")
        << "[firm]\ncat_reporter_crd = 990002\ncat_submitter_id = 990002\n\n[state]\npath = \"agent.db\"\n\n"
        << "[environments.test]\ncais_host = \"127.0.0.1\"\ncais_port = " << cais_port
        << "\ntid_host = \"127.0.0.1\"\ntid_port = " << (tid_port != 0 ? tid_port : tid_->port()) << "\nuser = \"" << cais_->user()
        << "\"\nkey_file = \"" << (key.empty() ? cais_->user_key().string() : key) << "\"\nknown_hosts = \""
        << known_hosts << "\"\n\n[environments.production]\ncais_host = \"127.0.0.2\"\ntid_host = \"127.0.0.2\"\n"
        << "user = \"" << cais_->user() << "\"\nkey_file = \"" << tid_->StrangerKey().string()
        << "\"\nknown_hosts = \"known_hosts\"\ncertified = " << (certified ? "true" : "false") << "\n";
  }

  RunResult Caisson(const std::string& args) { return RunCaisson(args + " --config agent/caisson.toml", dir_); }
  RunResult Org(const std::string& args) { return RunCaisson("org " + args + " --config agent/caisson.toml", dir_); }
  RunResult Submit(const std::string& args, const std::string& env_vars = "") {
    return RunCaissonWith(env_vars, "submit outbox " + args + " --config agent/caisson.toml");
  }
  RunResult RunCaissonWith(const std::string& env_vars, const std::string& args) {
    // Environment assignments go before the binary: RunCaisson quotes nothing, so a prefix works through `env`.
    if (env_vars.empty()) return RunCaisson(args, dir_);
    const std::string cmd = "cd '" + dir_.string() + "' && env " + env_vars + " '" + std::string(CAISSON_BINARY) +
                            "' " + args + " >.o 2>.e </dev/null";
    int status = std::system(cmd.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadAll(dir_ / ".o");
    r.err = ReadAll(dir_ / ".e");
    return r;
  }

  // The pairs `build` wrote for a member (one per correspondent CRD, so usually several).
  size_t PairsOf(int64_t crd) const {
    return Named(Names(dir_ / "outbox" / std::to_string(crd)), "_CAIS_").size();
  }
  std::vector<std::string> CaisUploads() const { return Names(cais_->Local("/990002/cat/cais/upload")); }
  std::vector<std::string> TidUploads() const { return Names(tid_->Local("/990002/cat/tid/upload")); }

  int64_t RecordedUploads() {
    Result<std::unique_ptr<state::Store>> s = state::Store::Open(dir_ / "agent" / "agent.db", {});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    int64_t n = 0;
    if (s.ok()) {
      EXPECT_TRUE((*s)->ForEachUpload([&](const state::Upload&) { ++n; return Status::OK(); }).ok());
    }
    return n;
  }

  fs::path dir_;
  std::unique_ptr<SftpServer> cais_, tid_;
};

TEST_F(SubmitCli, AnAgentSubmitsEveryMembersPairsToTestOnceAndFetchesFeedback) {
  const size_t a = PairsOf(kMemberA), b = PairsOf(kMemberB);
  ASSERT_GE(a, 1u);
  ASSERT_GE(b, 1u);
  RunResult r = Submit("--env test --all");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("member 990011: " + std::to_string(a) + " pair(s) sent, 0 already submitted"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("member 990012: " + std::to_string(b) + " pair(s) sent, 0 already submitted"), std::string::npos)
      << r.err;
  const std::vector<std::string> cais = CaisUploads(), tids = TidUploads();
  ASSERT_EQ(cais.size(), a + b);
  ASSERT_EQ(tids.size(), a + b);
  EXPECT_EQ(Named(cais, "_CAIS_").size(), a + b);  // Data Files only on the Data host, TID Files only on the TID host
  EXPECT_EQ(Named(tids, "_TIDS_").size(), a + b);
  for (const std::string& n : cais) {
    const std::string crd = n.substr(7, 6);
    EXPECT_EQ(ReadAll(cais_->Local("/990002/cat/cais/upload/" + n)), ReadAll(dir_ / "outbox" / crd / n)) << n;
  }
  // Partners back to back: each Data File sent is followed at once by its own TID File [§5.3.1 R2-R3].
  std::vector<std::string> sent;
  for (size_t at = r.err.find("  sent "); at != std::string::npos; at = r.err.find("  sent ", at + 1)) {
    sent.push_back(r.err.substr(at + 7, r.err.find(".json.bz2", at) - at - 7));
  }
  ASSERT_EQ(sent.size(), 2 * (a + b)) << r.err;
  for (size_t i = 0; i < sent.size(); i += 2) {
    std::string partner = sent[i];
    ASSERT_NE(partner.find("_CAIS_"), std::string::npos) << sent[i];
    partner.replace(partner.find("_CAIS_"), 6, "_TIDS_");
    EXPECT_EQ(sent[i + 1], partner);
  }
  EXPECT_EQ(RecordedUploads(), static_cast<int64_t>(2 * (a + b)));

  // Nothing is sent twice: --all finds nothing waiting; naming the member is refused.
  r = Submit("--env test --all --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("member 990011: 0 pair(s) sent, " + std::to_string(a) + " already submitted"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "{\"env\": \"test\", \"members\": [{\"crd\": 990011, \"sent_pairs\": 0, \"already_submitted\": " +
                       std::to_string(a) + ", \"error\": null}, {\"crd\": 990012, \"sent_pairs\": 0, "
                       "\"already_submitted\": " + std::to_string(b) + ", \"error\": null}]}\n");
  r = Submit("--env test --member 990011");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("already submitted to test: nothing sent"), std::string::npos) << r.err;
  EXPECT_EQ(RecordedUploads(), static_cast<int64_t>(2 * (a + b)));
  EXPECT_EQ(CaisUploads().size(), a + b);

  // CAIS posts feedback on both hosts and a report; fetch takes each once and ingests member 990011's files
  // into the store of its own books (org add-member --books-config), which wrote the Data File.
  const std::string base = cais[0].substr(0, cais[0].size() - 9);
  std::ofstream(cais_->Local("/990002/cat/cais/feedback/" + base + ".v1.feedback.json"))
      << R"({"version": "2.0.0", "submissionID": 41, "submitterUsername": "agent", "catSubmitterID": 990002, )"
         R"("catReporterCRD": 990011, "submissionStatus": "FILE_ACKNOWLEDGED", "receiptTimestamp": )"
         R"("20261117T091500.000000000", "statusHistory": {"FILE_ACKNOWLEDGED": "20261117T091500.000000000"}, )"
         R"("rejectionItems": []})";
  std::ofstream(tid_->Local("/990002/cat/tid/feedback/" + tids[0].substr(0, tids[0].size() - 9) + ".v1.feedback.json"))
      << R"({"version": "2.0.0", "submissionID": 42, "submitterUsername": "agent", "catSubmitterID": 990002, )"
         R"("catReporterCRD": 990011, "submissionStatus": "FILE_ACKNOWLEDGED", "receiptTimestamp": )"
         R"("20261117T091500.000000000", "statusHistory": {"FILE_ACKNOWLEDGED": "20261117T091500.000000000"}, )"
         R"("rejectionItems": []})";
  std::ofstream(cais_->Local("/990002/cat/cais/reports/990002_990011_20261101_FDIDREFRESHREPORT_1.json")) << "{}";
  r = Caisson("feedback fetch --env test");
  EXPECT_NE(r.err.find("1 new file(s) from 127.0.0.1:/990002/cat/cais/feedback"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 new file(s) from 127.0.0.1:/990002/cat/tid/feedback"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 new file(s) from 127.0.0.1:/990002/cat/cais/reports"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("caisson feedback ingest: 3 file(s), 0 unreadable or refused"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("member 990011's files into its store (" + (dir_ / "books_990011/caisson.toml").string() + ")"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(base + ".v1.feedback.json: v1 FILE_ACKNOWLEDGED: recorded"), std::string::npos) << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Names(dir_ / "agent/feedback/test/cais"), std::vector<std::string>{base + ".v1.feedback.json"});
  EXPECT_EQ(Names(dir_ / "agent/feedback/test/reports"),
            std::vector<std::string>{"990002_990011_20261101_FDIDREFRESHREPORT_1.json"});
  r = Caisson("feedback fetch --env test --no-ingest");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("0 new file(s) from 127.0.0.1:/990002/cat/cais/feedback"), std::string::npos) << r.err;

  r = Caisson("audit verify");
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  r = Caisson("audit export");
  EXPECT_NE(r.out.find("\"kind\":\"upload\""), std::string::npos);
  EXPECT_NE(r.out.find("\"base_name\":\"" + base + "\""), std::string::npos) << r.out;
}

TEST_F(SubmitCli, ProductionIsRefusedBeforeCertificationAndForAMemberWithoutAProductionRelationship) {
  RunResult r = Submit("--env production --member 990011");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("the firm is not certified for Production: nothing sent"), std::string::npos) << r.err;
  WriteConfig(cais_->port(), true, "known_hosts");
  ASSERT_EQ(Org("add-relationship --env production --member 990011 --start 2026-01-01").exit_code, 0);
  // The test relationship of 990012 is not ported to Production (Onboarding Guide §5).
  r = Submit("--env production --member 990012");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("no CAIS reporting relationship with member CRD 990012 in production"), std::string::npos)
      << r.err;
  EXPECT_TRUE(CaisUploads().empty());
  EXPECT_TRUE(TidUploads().empty());
  EXPECT_EQ(RecordedUploads(), 0);
}

TEST_F(SubmitCli, AConnectionCutMidUploadLeavesNoHalfFileAndARerunCompletesWithoutDuplicates) {
  // The proxy cuts the first connection that carries 20 kB: the Data File's upload (the preflight is shorter).
  FaultProxy proxy(cais_->port(), 20000, 1);
  std::ofstream(dir_ / "agent" / "known_hosts", std::ios::app)
      << "[127.0.0.1]:" << proxy.port() << ReadAll(cais_->known_hosts()).substr(ReadAll(cais_->known_hosts()).find(' '));
  WriteConfig(proxy.port(), false, "known_hosts");
  RunResult r = Submit("--env test --member 990011", "CAISSON_SFTP_ATTEMPTS=1");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("environment test, host 127.0.0.1:" + std::to_string(proxy.port())), std::string::npos) << r.err;
  EXPECT_EQ(proxy.cuts_left(), 0);
  const std::vector<std::string> left = CaisUploads();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].front(), '.');  // only the hidden temporary: CAIS never sees a half file
  EXPECT_TRUE(TidUploads().empty());  // the partner waits for its Data File
  EXPECT_EQ(RecordedUploads(), 0);
  r = Submit("--env test --member 990011");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t a = PairsOf(kMemberA);
  const std::vector<std::string> cais = CaisUploads();
  ASSERT_EQ(cais.size(), a);  // the temporary was replaced, not left beside the file
  for (const std::string& n : cais) {
    EXPECT_EQ(n.find("990002_990011_"), 0u);
    EXPECT_EQ(ReadAll(cais_->Local("/990002/cat/cais/upload/" + n)), ReadAll(dir_ / "outbox/990011" / n)) << n;
  }
  EXPECT_EQ(TidUploads().size(), a);
  EXPECT_EQ(RecordedUploads(), static_cast<int64_t>(2 * a));

  // A run killed after a rename but before its commit: the file is on the server, not in the store. The next
  // run records it without sending it again, then sends its partner.
  const std::string b_cais = Named(Names(dir_ / "outbox/990012"), "_CAIS_")[0];
  std::ofstream(cais_->Local("/990002/cat/cais/upload/" + b_cais)) << "sent by the killed run";
  r = Submit("--env test --member 990012");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("found " + b_cais + " to 127.0.0.1:" + std::to_string(proxy.port()) +
                       " (already there: recorded, not sent again)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(ReadAll(cais_->Local("/990002/cat/cais/upload/" + b_cais)), "sent by the killed run");
  EXPECT_EQ(RecordedUploads(), static_cast<int64_t>(2 * (a + PairsOf(kMemberB))));
  r = Caisson("audit verify");
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
}

TEST_F(SubmitCli, AHalfSentPairIsCompletedWithinTheHourAndRefusedAfterIt) {
  // The TID host's line drops inside the first TID File: its Data File is on the CAIS host, alone.
  auto cut_tid = [&](int cuts) {
    auto proxy = std::make_unique<FaultProxy>(tid_->port(), 12000, cuts);
    const std::string pin = ReadAll(tid_->known_hosts());
    std::ofstream(dir_ / "agent" / "known_hosts", std::ios::app) << "[127.0.0.1]:" << proxy->port() << pin.substr(pin.find(' '));
    WriteConfig(cais_->port(), false, "known_hosts", "", proxy->port());
    return proxy;
  };
  // Only the first TID File of each member is large enough to carry the connection past the cut (the probe's
  // handshake is a few kB).
  for (int64_t crd : {kMemberA, kMemberB}) {
    const std::string first = Named(Names(dir_ / "outbox" / std::to_string(crd)), "_TIDS_")[0];
    ASSERT_GT(fs::file_size(dir_ / "outbox" / std::to_string(crd) / first), 12000u) << first << " too small to cut";
  }
  {
    auto proxy = cut_tid(1);
    RunResult r = Submit("--env test --member 990011", "CAISSON_SFTP_ATTEMPTS=1");
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("_CAIS_000001 was sent but not its TID File: run submit again within 60 minutes"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(CaisUploads().size(), 1u);
    ASSERT_EQ(TidUploads().size(), 1u);
    EXPECT_EQ(TidUploads()[0].front(), '.');
    EXPECT_EQ(RecordedUploads(), 1);
    // Within the hour the re-run sends the partner, then the rest.
    r = Submit("--env test --member 990011");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(TidUploads().size(), PairsOf(kMemberA));
    EXPECT_EQ(RecordedUploads(), static_cast<int64_t>(2 * PairsOf(kMemberA)));
  }
  {
    auto proxy = cut_tid(1);
    RunResult r = Submit("--env test --member 990012", "CAISSON_SFTP_ATTEMPTS=1");
    EXPECT_EQ(r.exit_code, 2) << r.err;
  }
  const int64_t before = RecordedUploads();
  // An hour later CAIS has rejected the lone Data File: completing the pair is refused.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "agent" / "agent.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE upload SET at = '2026-01-05T10:00:00.000Z' WHERE base_name LIKE '990002_990012_%'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  WriteConfig(cais_->port(), false, "known_hosts");
  RunResult r = Submit("--env test --member 990012");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("_CAIS_000001 was sent at 2026-01-05T10:00:00.000Z, more than 60 minutes ago, without its "
                       "partner: CAIS rejects it; build the pair again under new names (nothing sent)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(RecordedUploads(), before);
  r = Caisson("audit verify");
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
}

TEST_F(SubmitCli, BadCredentialsHostKeysAndFilesAreRefusedNamingEnvironmentAndHost) {
  WriteConfig(cais_->port(), false, "known_hosts", cais_->StrangerKey().string());
  RunResult r = Submit("--env test --member 990011", "CAISSON_SFTP_ATTEMPTS=1");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("environment test, host 127.0.0.1:" + std::to_string(cais_->port()) +
                       ": authentication as '" + cais_->user() + "' was refused"),
            std::string::npos)
      << r.err;
  std::ofstream(dir_ / "agent" / "wrong_known_hosts") << ReadAll(cais_->WrongKnownHosts()) << ReadAll(tid_->known_hosts());
  WriteConfig(cais_->port(), false, "wrong_known_hosts");
  r = Submit("--env test --member 990011");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("the host key CHANGED"), std::string::npos) << r.err;
  // An unreachable TID host: the probe finds it before the Data File goes, so no pair is left half-sent.
  const int nowhere = FreePort();
  std::ofstream(dir_ / "agent" / "known_hosts", std::ios::app) << "[127.0.0.1]:" << nowhere << " "
                                                                << ReadAll(tid_->known_hosts()).substr(
                                                                       ReadAll(tid_->known_hosts()).find(' ') + 1);
  WriteConfig(cais_->port(), false, "known_hosts", "", nowhere);
  r = Submit("--env test --all", "CAISSON_SFTP_ATTEMPTS=2 CAISSON_SFTP_BACKOFF_MS=10");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("environment test, host 127.0.0.1:" + std::to_string(nowhere) + ": connection failed"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("gave up after 2 attempt(s)"), std::string::npos) << r.err;
  // A key file others can read.
  const fs::path loose = dir_ / "agent" / "loose_key";
  fs::copy_file(cais_->user_key(), loose);
  ::chmod(loose.c_str(), 0644);
  WriteConfig(cais_->port(), false, "known_hosts", loose.string());
  r = Submit("--env test --member 990011");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("run: chmod 600 '" + loose.string() + "'"), std::string::npos) << r.err;
  EXPECT_TRUE(CaisUploads().empty());
  EXPECT_TRUE(TidUploads().empty());
  EXPECT_EQ(RecordedUploads(), 0);
}

TEST_F(SubmitCli, OneMembersBadFileNeverStopsTheOthersAndReadOnlyUsersSendNothing) {
  // Member B's Data File is damaged: `caisson check` rejects it, so B sends nothing; A goes.
  for (const std::string& n : Names(dir_ / "outbox/990012")) {
    if (n.find("_CAIS_") != std::string::npos) std::ofstream(dir_ / "outbox/990012" / n) << "not bzip2";
  }
  ASSERT_EQ(RunCaissonWith("CAISSON_USER=ann", "org add-user ann --role administrator --config agent/caisson.toml").exit_code, 0);
  ASSERT_EQ(RunCaissonWith("CAISSON_USER=ann", "org add-user olga --role read-only --config agent/caisson.toml").exit_code, 0);
  ASSERT_EQ(RunCaissonWith("CAISSON_USER=ann", "org add-user rita --role reporter --config agent/caisson.toml").exit_code, 0);
  RunResult r = Submit("--env test --all", "CAISSON_USER=olga");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("user 'olga': may not send or change CAIS data in test: the role 'reporter' is missing"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(CaisUploads().empty());
  r = Submit("--env test --all", "CAISSON_USER=rita");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("member 990011: " + std::to_string(PairsOf(kMemberA)) + " pair(s) sent"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("member 990012: 0 pair(s) sent, 0 already submitted; FAILED: caisson check rejects"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(CaisUploads().size(), PairsOf(kMemberA));
  EXPECT_EQ(TidUploads().size(), PairsOf(kMemberA));
  r = RunCaissonWith("CAISSON_USER=olga", "org show --config agent/caisson.toml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("relationship test member 990012 from 20260101 (open)"), std::string::npos) << r.err;
  r = RunCaissonWith("CAISSON_USER=olga", "org add-member 1 --name X --config agent/caisson.toml");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  // A read-only user may download feedback, but not ingest it into the store.
  r = RunCaissonWith("CAISSON_USER=olga", "feedback fetch --env test --no-ingest --config agent/caisson.toml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunCaissonWith("CAISSON_USER=olga", "feedback fetch --env test --config agent/caisson.toml");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("user 'olga': may not send or change CAIS data in test"), std::string::npos) << r.err;
  // The verbs that change the store refuse her too; reading is hers.
  fs::create_directories(dir_ / "empty-inbox");
  for (const char* verb : {"accept 1 --date 20261120", "feedback ingest empty-inbox"}) {
    r = RunCaissonWith("CAISSON_USER=olga", std::string(verb) + " --config agent/caisson.toml");
    EXPECT_EQ(r.exit_code, 2) << verb << ": " << r.err;
    EXPECT_NE(r.err.find("user 'olga': may not send or change CAIS data"), std::string::npos) << verb << ": " << r.err;
  }
  r = RunCaissonWith("CAISSON_USER=olga", "status --config agent/caisson.toml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace caisson::testing
