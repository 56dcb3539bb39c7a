// transmit against a real OpenSSH server on 127.0.0.1 (tests/transmit/sftp_server.h).
#include "transmit/transmit.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testutil.h"
#include "transmit/sftp_server.h"

namespace caisson::transmit {
namespace {

namespace fs = std::filesystem;
using caisson::testing::FaultProxy;
using caisson::testing::SftpServer;

void WriteBytes(const fs::path& p, size_t n, char seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + (i * 131) % 251);
  std::ofstream(p, std::ios::binary) << s;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::string> Names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class TransmitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = caisson::testing::TempDir();
    server_ = std::make_unique<SftpServer>(dir_ / "cais");
    ASSERT_TRUE(server_->ok()) << server_->error();
    server_->MakeRemoteDir(CaisUploadDir(99999));
    endpoint_.env = "test";
    endpoint_.host = "127.0.0.1";
    endpoint_.port = server_->port();
    endpoint_.user = server_->user();
    endpoint_.key_file = server_->user_key();
    endpoint_.known_hosts = server_->known_hosts();
    endpoint_.remote_prefix = server_->remote_prefix();
    options_.connect_timeout_seconds = 5;
    options_.sleep = [this](std::chrono::milliseconds d) { waits_.push_back(d.count()); };
  }
  fs::path dir_;
  std::unique_ptr<SftpServer> server_;
  Endpoint endpoint_;
  Options options_;
  std::vector<int64_t> waits_;
};

TEST_F(TransmitTest, UploadLandsUnderItsFinalNameWithTheSameBytesAndNoTemporary) {
  const fs::path local = dir_ / "99999_123_20261120_CAIS_000001.json.bz2";
  WriteBytes(local, 100000, 'a');
  Uploaded up;
  ASSERT_OK(UploadWithRetry(endpoint_, options_, local, CaisUploadDir(99999), local.filename().string(), &up));
  EXPECT_EQ(up.remote_path, "/99999/cat/cais/upload/99999_123_20261120_CAIS_000001.json.bz2");
  EXPECT_EQ(up.bytes, 100000);
  EXPECT_EQ(up.attempts, 1);
  EXPECT_FALSE(up.already_present);
  const fs::path remote = server_->Local(CaisUploadDir(99999));
  EXPECT_EQ(Names(remote), std::vector<std::string>{"99999_123_20261120_CAIS_000001.json.bz2"});
  EXPECT_EQ(Slurp(remote / local.filename()), Slurp(local));
  Result<std::string> sha = FileSha256(local);
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(sha->size(), 64u);
  EXPECT_TRUE(waits_.empty());
}

TEST_F(TransmitTest, ABaseNameAlreadyPresentRemotelyIsNotSentAgain) {
  const fs::path local = dir_ / "99999_123_20261120_CAIS_000002.json.bz2";
  WriteBytes(local, 10, 'b');
  std::ofstream(server_->Local(CaisUploadDir(99999)) / local.filename()) << "earlier";
  Uploaded up;
  ASSERT_OK(UploadWithRetry(endpoint_, options_, local, CaisUploadDir(99999), local.filename().string(), &up));
  EXPECT_TRUE(up.already_present);
  EXPECT_EQ(up.bytes, 0);
  EXPECT_EQ(Slurp(server_->Local(CaisUploadDir(99999)) / local.filename()), "earlier");
}

TEST_F(TransmitTest, ACutConnectionIsRetriedWithBackoffAndLeavesNoHalfFile) {
  // The proxy drops the first two connections after 40 kB from the client: inside the file's bytes.
  FaultProxy proxy(server_->port(), 40000, 2);
  endpoint_.port = proxy.port();
  // known_hosts pins [127.0.0.1]:<server port>; the proxy has another port, so pin the same key for it.
  const std::string pin = Slurp(server_->known_hosts());
  const fs::path kh = dir_ / "kh_proxy";
  std::ofstream(kh) << "[127.0.0.1]:" << proxy.port() << pin.substr(pin.find(' '));
  endpoint_.known_hosts = kh;
  const fs::path local = dir_ / "99999_123_20261120_CAIS_000003.json.bz2";
  WriteBytes(local, 300000, 'c');
  options_.backoff = std::chrono::milliseconds(100);
  Uploaded up;
  ASSERT_OK(UploadWithRetry(endpoint_, options_, local, CaisUploadDir(99999), local.filename().string(), &up));
  EXPECT_EQ(up.attempts, 3);
  EXPECT_EQ(waits_, (std::vector<int64_t>{100, 200}));
  EXPECT_EQ(proxy.cuts_left(), 0);
  const fs::path remote = server_->Local(CaisUploadDir(99999));
  EXPECT_EQ(Names(remote), std::vector<std::string>{local.filename().string()});
  EXPECT_EQ(Slurp(remote / local.filename()), Slurp(local));
}

TEST_F(TransmitTest, GivingUpAfterCutsLeavesOnlyTheHiddenTemporary) {
  FaultProxy proxy(server_->port(), 40000, 5);
  endpoint_.port = proxy.port();
  const std::string pin = Slurp(server_->known_hosts());
  const fs::path kh = dir_ / "kh_proxy";
  std::ofstream(kh) << "[127.0.0.1]:" << proxy.port() << pin.substr(pin.find(' '));
  endpoint_.known_hosts = kh;
  const fs::path local = dir_ / "99999_123_20261120_CAIS_000004.json.bz2";
  WriteBytes(local, 300000, 'd');
  options_.attempts = 2;
  Uploaded up;
  Status s = UploadWithRetry(endpoint_, options_, local, CaisUploadDir(99999), local.filename().string(), &up);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(IsConnectionFault(s)) << s.ToString();
  EXPECT_NE(s.ToString().find("environment test, host 127.0.0.1"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("gave up after 2 attempt(s)"), std::string::npos) << s.ToString();
  const fs::path remote = server_->Local(CaisUploadDir(99999));
  EXPECT_FALSE(fs::exists(remote / local.filename()));
  EXPECT_EQ(Names(remote), std::vector<std::string>{"." + local.filename().string() + ".part"});
  EXPECT_LT(fs::file_size(remote / ("." + local.filename().string() + ".part")), 300000u);
  // A re-run on a sound line replaces the temporary and publishes the whole file.
  endpoint_.port = server_->port();
  endpoint_.known_hosts = server_->known_hosts();
  ASSERT_OK(UploadWithRetry(endpoint_, options_, local, CaisUploadDir(99999), local.filename().string(), &up));
  EXPECT_EQ(Names(remote), std::vector<std::string>{local.filename().string()});
  EXPECT_EQ(Slurp(remote / local.filename()), Slurp(local));
}

TEST_F(TransmitTest, AChangedOrUnknownHostKeyIsRefusedWithoutRetry) {
  endpoint_.known_hosts = server_->WrongKnownHosts();
  Result<std::unique_ptr<Session>> s = Session::Open(endpoint_, options_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().ToString().find("host key CHANGED"), std::string::npos) << s.status().ToString();
  const fs::path empty = dir_ / "empty_known_hosts";
  std::ofstream(empty) << "";
  endpoint_.known_hosts = empty;
  const fs::path local = dir_ / "x.json.bz2";
  WriteBytes(local, 10, 'e');
  Uploaded up;
  Status st = UploadWithRetry(endpoint_, options_, local, CaisUploadDir(99999), "x.json.bz2", &up);
  EXPECT_NE(st.ToString().find("not pinned"), std::string::npos) << st.ToString();
  EXPECT_EQ(up.attempts, 1);
  EXPECT_TRUE(waits_.empty());
}

TEST_F(TransmitTest, WrongCredentialsUnreachableHostAndPermissionAreClearErrors) {
  endpoint_.key_file = server_->StrangerKey();
  Result<std::unique_ptr<Session>> s = Session::Open(endpoint_, options_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().ToString().find("authentication as '" + server_->user() + "' was refused"), std::string::npos)
      << s.status().ToString();
  EXPECT_FALSE(IsConnectionFault(s.status()));

  Endpoint nowhere = endpoint_;
  nowhere.port = caisson::testing::FreePort();  // nothing listens there
  options_.attempts = 3;
  options_.backoff = std::chrono::milliseconds(10);
  Uploaded up;
  Status st = UploadWithRetry(nowhere, options_, dir_ / "x", CaisUploadDir(99999), "x", &up);
  EXPECT_TRUE(IsConnectionFault(st)) << st.ToString();
  EXPECT_EQ(up.attempts, 3);
  EXPECT_EQ(waits_, (std::vector<int64_t>{10, 20}));

  // An upload folder that does not exist (CAT has not provisioned it) is not a connection fault.
  const fs::path local = dir_ / "y.json.bz2";
  WriteBytes(local, 10, 'f');
  Endpoint good = endpoint_;
  good.key_file = server_->user_key();
  st = UploadWithRetry(good, options_, local, CaisUploadDir(11111), "y.json.bz2", &up);
  ASSERT_FALSE(st.ok());
  EXPECT_FALSE(IsConnectionFault(st)) << st.ToString();
  EXPECT_NE(st.ToString().find("/11111/cat/cais/upload/.y.json.bz2.part"), std::string::npos) << st.ToString();
}

TEST_F(TransmitTest, AFullRemoteDiskAndARefusedFolderAreClearErrorsNotRetried) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a tiny tmpfs and set the immutable flag";
  const fs::path upload = server_->Local(CaisUploadDir(99999));
  if (std::system(("mount -t tmpfs -o size=64k tmpfs '" + upload.string() + "' 2>/dev/null").c_str()) != 0) {
    GTEST_SKIP() << "cannot mount tmpfs here";
  }
  const fs::path local = dir_ / "99999_123_20261120_CAIS_000005.json.bz2";
  WriteBytes(local, 300000, 'g');
  Uploaded up;
  Status s = UploadWithRetry(endpoint_, options_, local, CaisUploadDir(99999), local.filename().string(), &up);
  std::system(("umount '" + upload.string() + "'").c_str());
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(IsConnectionFault(s)) << s.ToString();
  EXPECT_EQ(up.attempts, 1);
  EXPECT_NE(s.ToString().find("environment test, host 127.0.0.1:" + std::to_string(server_->port()) +
                              ": write /99999/cat/cais/upload/99999_123_20261120_CAIS_000005.json.bz2: the server "
                              "refused (remote disk full or quota?)"),
            std::string::npos)
      << s.ToString();
  EXPECT_FALSE(fs::exists(upload / local.filename()));

  // The immutable flag refuses even root: the server answers "permission denied".
  if (std::system(("chattr +i '" + upload.string() + "' 2>/dev/null").c_str()) != 0) {
    GTEST_SKIP() << "no chattr here";
  }
  s = UploadWithRetry(endpoint_, options_, local, CaisUploadDir(99999), local.filename().string(), &up);
  std::system(("chattr -i '" + upload.string() + "'").c_str());
  EXPECT_NE(s.ToString().find(": create /99999/cat/cais/upload/.99999_123_20261120_CAIS_000005.json.bz2.part: "
                              "permission denied"),
            std::string::npos)
      << s.ToString();
  EXPECT_EQ(up.attempts, 1);
}

TEST_F(TransmitTest, FetchNewDownloadsOnlyWhatTheInboxLacks) {
  server_->MakeRemoteDir(CaisFeedbackDir(99999));
  const fs::path fb = server_->Local(CaisFeedbackDir(99999));
  std::ofstream(fb / "a_v1.feedback.json") << "{\"one\":1}";
  std::ofstream(fb / "b_v1.feedback.json") << "{\"two\":2}";
  std::ofstream(fb / ".hidden") << "x";
  const fs::path inbox = dir_ / "inbox";
  std::vector<std::string> fetched;
  ASSERT_OK(FetchNew(endpoint_, options_, CaisFeedbackDir(99999), inbox, &fetched));
  EXPECT_EQ(fetched, (std::vector<std::string>{"a_v1.feedback.json", "b_v1.feedback.json"}));
  EXPECT_EQ(Slurp(inbox / "b_v1.feedback.json"), "{\"two\":2}");
  std::ofstream(fb / "c_v1.feedback.json") << "{}";
  fetched.clear();
  ASSERT_OK(FetchNew(endpoint_, options_, CaisFeedbackDir(99999), inbox, &fetched));
  EXPECT_EQ(fetched, std::vector<std::string>{"c_v1.feedback.json"});
  EXPECT_EQ(Names(inbox), (std::vector<std::string>{"a_v1.feedback.json", "b_v1.feedback.json", "c_v1.feedback.json"}));
  fetched.clear();
  Status missing = FetchNew(endpoint_, options_, CaisReportsDir(99999), inbox, &fetched);
  EXPECT_EQ(missing.code(), Status::Code::kNotFound) << missing.ToString();
}

TEST(TransmitPaths, TheFoldersOfTables13And14) {
  EXPECT_EQ(CaisUploadDir(7), "/7/cat/cais/upload");
  EXPECT_EQ(TidUploadDir(7), "/7/cat/tid/upload");
  EXPECT_EQ(CaisFeedbackDir(7), "/7/cat/cais/feedback");
  EXPECT_EQ(TidFeedbackDir(7), "/7/cat/tid/feedback");
  EXPECT_EQ(CaisReportsDir(7), "/7/cat/cais/reports");
}

}  // namespace
}  // namespace caisson::transmit
