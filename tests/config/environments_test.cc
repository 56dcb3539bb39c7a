// [environments.*] of caisson.toml and the credential sources (issue #10).
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "config/config.h"
#include "testutil.h"

namespace caisson::config {
namespace {

namespace fs = std::filesystem;

const char* kThree = R"([environments.test]
cais_host = "cais-test.example"
tid_host = "tid-test.example"
user = "ftp_test_1"
key_file = "keys/test_key"
known_hosts = "keys/known_hosts"

[environments.prodmirror]
cais_host = "cais-pm.example"
tid_host = "tid-pm.example"
user = "ftp_test_1"
key_file = "keys/test_key"
known_hosts = "keys/known_hosts"

[environments.production]
cais_host = "cais.example"
tid_host = "tid-host.example"
feedback_host = "feedback.example"
port = 2222
tid_port = 2223
user = "ftp_prod_1"
password_env = "CAISSON_PROD_PASSWORD"
known_hosts = "keys/known_hosts"
certified = true
remote_root = "/home/x"
inbox = "in/prod"
)";

TEST(Environments, ThreeEnvironmentsWithTheirCredentialSources) {
  Result<Config> c = Parse(kThree, "/firm/caisson.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->environments.size(), 3u);
  const Environment& t = c->environments.at("test");
  EXPECT_EQ(t.name, "test");
  EXPECT_EQ(t.cais_host, "cais-test.example");
  EXPECT_EQ(t.tid_host, "tid-test.example");
  EXPECT_EQ(t.feedback_host, "");
  EXPECT_EQ(t.port, 22);
  EXPECT_EQ(t.key_file, fs::path("/firm/keys/test_key"));
  EXPECT_EQ(t.known_hosts, fs::path("/firm/keys/known_hosts"));
  EXPECT_FALSE(t.certified);
  EXPECT_EQ(t.inbox, fs::path("/firm/feedback/test"));
  const Environment& p = c->environments.at("production");
  EXPECT_EQ(p.port, 2222);
  EXPECT_EQ(p.cais_port, 2222);
  EXPECT_EQ(p.tid_port, 2223);
  EXPECT_EQ(p.feedback_port, 2222);
  EXPECT_EQ(t.tid_port, 22);
  EXPECT_EQ(p.feedback_host, "feedback.example");
  EXPECT_EQ(p.password_env, "CAISSON_PROD_PASSWORD");
  EXPECT_TRUE(p.certified);
  EXPECT_EQ(p.remote_root, "/home/x");
  EXPECT_EQ(p.inbox, fs::path("/firm/in/prod"));
}

TEST(Environments, EachBadCaseIsInvalidArgumentWithLineAndKey) {
  const std::string base = "[environments.test]\ncais_host = \"a\"\ntid_host = \"b\"\nuser = \"u\"\nknown_hosts = \"k\"\n";
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {base + "password = \"hunter2\"\n",
       "c.toml:6: environments.test.password: a secret never goes in caisson.toml"},
      {base, "c.toml:1: environments.test: needs exactly one credential source"},
      {base + "key_file = \"k1\"\npassword_env = \"X\"\n", "c.toml:1: environments.test: needs exactly one"},
      {"[environments.staging]\ncais_host = \"a\"\n", "c.toml:1: environments.staging: unknown environment"},
      {"[environments.test]\ntid_host = \"b\"\nuser = \"u\"\nknown_hosts = \"k\"\nkey_file = \"f\"\n",
       "c.toml:1: environments.test.cais_host: is required"},
      {base + "key_file = \"f\"\nport = 70000\n", "c.toml:7: environments.test.port: must be between 1 and 65535"},
      {base + "key_file = \"f\"\ncertified = \"yes\"\n", "c.toml:7: environments.test.certified: must be true or false"},
      {base + "key_file = \"f\"\nhost = \"x\"\n", "c.toml:7: environments.test.host: unknown key"},
      {"[environments.test]\ncais_host = \"a b\"\n", "c.toml:2: environments.test.cais_host: must be a host name"},
  };
  for (const Case& k : cases) {
    Result<Config> c = Parse(k.text, "c.toml");
    ASSERT_FALSE(c.ok()) << k.text;
    EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(c.status().ToString().find(k.message), std::string::npos) << c.status().ToString();
    EXPECT_EQ(c.status().ToString().find("hunter2"), std::string::npos) << "a secret in a message";
  }
}

TEST(Environments, TheProductionAccountIsNeverATestAccount) {
  const std::string prod =
      "[environments.production]\ncais_host = \"cais.example\"\ntid_host = \"tid-host.example\"\nuser = \"acct\"\n"
      "key_file = \"p\"\nknown_hosts = \"k\"\n";
  // Same user on a host production uses.
  Result<Config> c = Parse(prod + "[environments.test]\ncais_host = \"cais.example\"\ntid_host = \"t2\"\n"
                                  "user = \"acct\"\nkey_file = \"t\"\nknown_hosts = \"k\"\n",
                           "c.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().ToString().find("user 'acct' on host cais.example is also the production account"),
            std::string::npos)
      << c.status().ToString();
  // Same key file.
  c = Parse(prod + "[environments.prodmirror]\ncais_host = \"pm\"\ntid_host = \"pm2\"\nuser = \"acct\"\n"
                   "key_file = \"p\"\nknown_hosts = \"k\"\n",
            "c.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().ToString().find("environments.prodmirror: shares its key_file with production"),
            std::string::npos)
      << c.status().ToString();
  // Another user is another account.
  c = Parse(prod + "[environments.test]\ncais_host = \"cais.example\"\ntid_host = \"t2\"\nuser = \"acct_t\"\n"
                   "key_file = \"t\"\nknown_hosts = \"k\"\n",
            "c.toml");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
}

TEST(Environments, ACredentialFileOthersCanReadIsRefusedWithTheFix) {
  const fs::path dir = caisson::testing::TempDir();
  Environment e;
  e.name = "test";
  e.password_file = dir / "pw";
  std::ofstream(e.password_file) << "s3cret\n";
  ::chmod(e.password_file.c_str(), 0644);
  Result<std::string> s = LoadSecret(e);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().ToString().find("(mode 0644); run: chmod 600 '" + e.password_file.string() + "'"),
            std::string::npos)
      << s.status().ToString();
  EXPECT_EQ(s.status().ToString().find("s3cret"), std::string::npos);
  ::chmod(e.password_file.c_str(), 0600);
  s = LoadSecret(e);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(*s, "s3cret");

  e.password_file.clear();
  e.key_file = dir / "key";
  std::ofstream(e.key_file) << "KEY";
  ::chmod(e.key_file.c_str(), 0640);
  EXPECT_FALSE(LoadSecret(e).ok());
  ::chmod(e.key_file.c_str(), 0600);
  s = LoadSecret(e);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "");

  e.key_file = dir / "missing";
  EXPECT_EQ(LoadSecret(e).status().code(), Status::Code::kNotFound);

  e.key_file.clear();
  e.password_env = "CAISSON_TEST_ENV_PW_UNSET";
  ::unsetenv("CAISSON_TEST_ENV_PW_UNSET");
  EXPECT_NE(LoadSecret(e).status().ToString().find("$CAISSON_TEST_ENV_PW_UNSET is not set"), std::string::npos);
  ::setenv("CAISSON_TEST_ENV_PW_UNSET", "pw2", 1);
  s = LoadSecret(e);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "pw2");
  ::unsetenv("CAISSON_TEST_ENV_PW_UNSET");
}

}  // namespace
}  // namespace caisson::config
