// org: the firm's set-up, authorisation by role and environment, and its audit events (issue #10).
#include "org/org.h"

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "testutil.h"

namespace caisson::org {
namespace {

std::unique_ptr<state::Store> Open() {
  Result<std::unique_ptr<state::Store>> s = state::Store::Open(caisson::testing::TempDir() / "caisson.db", {});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s.value());
}

TEST(Org, NamesOfEnvironmentsAndRoles) {
  EXPECT_EQ(*ParseEnv("prodmirror"), Env::kProdMirror);
  EXPECT_EQ(EnvName(Env::kProduction), "production");
  EXPECT_FALSE(ParseEnv("prod").ok());
  EXPECT_EQ(*ParseRole("read-only"), Role::kReadOnly);
  EXPECT_EQ(RoleName(Role::kAdministrator), "administrator");
  EXPECT_FALSE(ParseRole("root").ok());
  EXPECT_TRUE(CheckFirmRole("agent").ok());
  EXPECT_FALSE(CheckFirmRole("broker").ok());
}

TEST(Org, WithNoUserEverythingIsAllowedAndTheFirstUserMustBeAnAdministrator) {
  auto store = Open();
  EXPECT_TRUE(Authorize(*store, "anyone", Action::kWrite, Env::kProduction).ok());
  Status s = Grant(store.get(), "anyone", "ann", Role::kReporter, true);
  EXPECT_NE(s.ToString().find("the first user of a store must be an administrator"), std::string::npos) << s.ToString();
  ASSERT_OK(Grant(store.get(), "anyone", "ann", Role::kAdministrator, true));
  // From now on roles apply: the bootstrapper is nobody.
  s = Authorize(*store, "anyone", Action::kRead, Env::kTest);
  EXPECT_NE(s.ToString().find("user 'anyone': is not a Caisson user of this store"), std::string::npos) << s.ToString();
}

TEST(Org, RolesMirrorCatReadOnlyChangesNothingAndProductionNeedsItsRole) {
  auto store = Open();
  ASSERT_OK(Grant(store.get(), "x", "admin", Role::kAdministrator, true));
  ASSERT_OK(Grant(store.get(), "admin", "rita", Role::kReporter, true));
  ASSERT_OK(Grant(store.get(), "admin", "paul", Role::kReporter, true));
  ASSERT_OK(Grant(store.get(), "admin", "paul", Role::kProduction, false));
  ASSERT_OK(Grant(store.get(), "admin", "olga", Role::kReadOnly, true));
  EXPECT_OK(Authorize(*store, "rita", Action::kWrite, Env::kTest));
  EXPECT_OK(Authorize(*store, "rita", Action::kWrite, Env::kProdMirror));
  Status s = Authorize(*store, "rita", Action::kWrite, Env::kProduction);
  EXPECT_EQ(s.ToString(),
            "Invalid argument: user 'rita': may not send or change CAIS data in production: the role 'production' is "
            "missing");
  EXPECT_OK(Authorize(*store, "paul", Action::kWrite, Env::kProduction));
  EXPECT_OK(Authorize(*store, "olga", Action::kRead, Env::kTest));
  s = Authorize(*store, "olga", Action::kWrite, Env::kTest);
  EXPECT_NE(s.ToString().find("the role 'reporter' is missing"), std::string::npos) << s.ToString();
  EXPECT_FALSE(Authorize(*store, "olga", Action::kManageRelationships, Env::kTest).ok());
  EXPECT_FALSE(Authorize(*store, "rita", Action::kAdminister, Env::kTest).ok());
  EXPECT_FALSE(Grant(store.get(), "rita", "eve", Role::kReporter, true).ok());
  EXPECT_FALSE(Grant(store.get(), "admin", "rita", Role::kReporter, true).ok());  // add-user of an existing user
  EXPECT_FALSE(Grant(store.get(), "admin", "zed", Role::kReporter, false).ok());  // grant to nobody
  EXPECT_NE(Revoke(store.get(), "admin", "admin", Role::kAdministrator).ToString().find("last administrator"),
            std::string::npos);
  ASSERT_OK(Revoke(store.get(), "admin", "paul", Role::kProduction));
  EXPECT_FALSE(Authorize(*store, "paul", Action::kWrite, Env::kProduction).ok());
}

TEST(Org, RelationshipsAreCheckedPerEnvironmentAndDate) {
  auto store = Open();
  Status s = AddRelationship(store.get(), "u", Env::kTest, 111, 20260101, 0);
  EXPECT_NE(s.ToString().find("is not a member: add it first"), std::string::npos) << s.ToString();
  ASSERT_OK(AddMember(store.get(), "u", 111, "Alpha Brokerage", {7, 8}));
  ASSERT_OK(AddRelationship(store.get(), "u", Env::kTest, 111, 20260101, 0));
  ASSERT_OK(AddRelationship(store.get(), "u", Env::kProduction, 111, 20260301, 20260630));
  EXPECT_FALSE(AddRelationship(store.get(), "u", Env::kTest, 111, 20260301, 20260201).ok());
  EXPECT_FALSE(AddRelationship(store.get(), "u", Env::kTest, 111, 20261399, 0).ok());
  EXPECT_TRUE(*HasRelationship(*store, Env::kTest, 111, 999, 20261120));
  EXPECT_FALSE(*HasRelationship(*store, Env::kProdMirror, 111, 999, 20261120));  // not ported
  EXPECT_TRUE(*HasRelationship(*store, Env::kProduction, 111, 999, 20260630));
  EXPECT_FALSE(*HasRelationship(*store, Env::kProduction, 111, 999, 20260701));
  EXPECT_FALSE(*HasRelationship(*store, Env::kProduction, 111, 999, 20260228));
  EXPECT_FALSE(*HasRelationship(*store, Env::kTest, 222, 999, 20261120));
  EXPECT_TRUE(*HasRelationship(*store, Env::kProduction, 999, 999, 20261120));  // the firm itself
  // Each change is an audit event, and the chain verifies.
  Result<audit::VerifyReport> v = audit::Verify(*store);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->events, 3);
}

TEST(Org, SftpAccountsAndTheirEntitlements) {
  auto store = Open();
  EXPECT_OK(CheckSftpAccount(*store, Env::kProduction, "anyone", true));  // none recorded: not checked
  ASSERT_OK(AddSftpAccount(store.get(), "u", Env::kTest, "ftp_t", "sftp-user", false));
  ASSERT_OK(AddSftpAccount(store.get(), "u", Env::kTest, "ftp_ro", "sftp-read-only", false));
  ASSERT_OK(AddSftpAccount(store.get(), "u", Env::kProduction, "ftp_p", "sftp-user", false));
  EXPECT_FALSE(AddSftpAccount(store.get(), "u", Env::kTest, "ftp_x", "sftp-user", true).ok());
  Status clash = AddSftpAccount(store.get(), "u", Env::kProduction, "ftp_t", "sftp-user", true);
  EXPECT_NE(clash.ToString().find("is already the test account"), std::string::npos) << clash.ToString();
  EXPECT_OK(CheckSftpAccount(*store, Env::kTest, "ftp_t", true));
  EXPECT_OK(CheckSftpAccount(*store, Env::kTest, "ftp_ro", false));
  EXPECT_NE(CheckSftpAccount(*store, Env::kTest, "ftp_ro", true).ToString().find("SFTP Read-Only"), std::string::npos);
  EXPECT_NE(CheckSftpAccount(*store, Env::kTest, "ftp_z", false).ToString().find("is not recorded"), std::string::npos);
  EXPECT_NE(CheckSftpAccount(*store, Env::kProduction, "ftp_p", true).ToString().find("Reporter Production User"),
            std::string::npos);
  ASSERT_OK(AddSftpAccount(store.get(), "u", Env::kProduction, "ftp_p", "sftp-user", true));
  EXPECT_OK(CheckSftpAccount(*store, Env::kProduction, "ftp_p", true));
}

TEST(Org, ActingUserPrefersCaissonUser) {
  ::setenv("CAISSON_USER", "carol", 1);
  EXPECT_EQ(ActingUser(), "carol");
  ::unsetenv("CAISSON_USER");
  const char* user = std::getenv("USER");
  const std::string saved = user != nullptr ? user : "";
  ::setenv("USER", "dave", 1);
  EXPECT_EQ(ActingUser(), "dave");
  ::setenv("USER", saved.c_str(), 1);
}

}  // namespace
}  // namespace caisson::org
