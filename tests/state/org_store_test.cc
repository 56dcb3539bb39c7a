// Schema 6 (issue #10): the firm's CAT set-up and the files sent over SFTP.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "state/schema.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::state {
namespace {

namespace fs = std::filesystem;
using caisson::testing::TempDir;

std::unique_ptr<Store> MustOpen(const fs::path& path) {
  Result<std::unique_ptr<Store>> s = Store::Open(path, {});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s.value()) : nullptr;
}

TEST(OrgStore, AStoreOfSchemaFiveIsMigratedToSixKeepingItsRows) {
  const fs::path db = TempDir() / "caisson.db";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    for (int i = 0; i < 5; ++i) ASSERT_EQ(sqlite3_exec(raw, kMigrations[i], nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "INSERT INTO fdid_state(key, first_accepted, last_accepted, correspondent_crd, flags) "
                           "VALUES ('FD1', 20261101, 20261102, 0, 1); PRAGMA user_version = 5;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto store = MustOpen(db);
  ASSERT_TRUE(store);
  EXPECT_GE(store->GetInfo()->schema_version, 6);
  EXPECT_EQ(store->GetFdid("FD1")->last_accepted, 20261102);
  int members = 0, uploads = 0;
  ASSERT_OK(store->ForEachOrgMember([&](const OrgMember&) { ++members; return Status::OK(); }));
  ASSERT_OK(store->ForEachUpload([&](const Upload&) { ++uploads; return Status::OK(); }));
  EXPECT_EQ(members, 0);
  EXPECT_EQ(uploads, 0);
  EXPECT_EQ(*store->GetOrgSetting("role"), "");
}

TEST(OrgStore, SetUpRowsRoundTripInKeyOrder) {
  auto store = MustOpen(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  ASSERT_OK(store->Write([](Txn& t) {
    CAISSON_RETURN_IF_ERROR(t.SetOrgSetting("role", "agent"));
    CAISSON_RETURN_IF_ERROR(t.PutOrgMember({222, "Beta Securities", "7,8", "/firms/beta/caisson.toml"}));
    CAISSON_RETURN_IF_ERROR(t.PutOrgMember({111, "Alpha Brokerage", "", ""}));
    CAISSON_RETURN_IF_ERROR(t.PutOrgRelationship({"test", 111, 20260101, 0}));
    CAISSON_RETURN_IF_ERROR(t.PutOrgRelationship({"production", 111, 20260301, 20261231}));
    CAISSON_RETURN_IF_ERROR(t.PutOrgSftpAccount({"test", "ftp_t", "sftp-user", false}));
    CAISSON_RETURN_IF_ERROR(t.PutOrgUserRole({"ann", "administrator"}));
    CAISSON_RETURN_IF_ERROR(t.PutOrgUserRole({"ann", "reporter"}));
    return t.PutOrgMember({111, "Alpha Brokerage LLC", "9", ""});  // replaces
  }));
  EXPECT_EQ(*store->GetOrgSetting("role"), "agent");
  std::vector<std::string> seen;
  ASSERT_OK(store->ForEachOrgMember([&](const OrgMember& m) {
    seen.push_back(std::to_string(m.crd) + "|" + m.name + "|" + m.correspondent_crds + "|" + m.books_config);
    return Status::OK();
  }));
  ASSERT_OK(store->ForEachOrgRelationship([&](const OrgRelationship& r) {
    seen.push_back(r.env + "|" + std::to_string(r.member_crd) + "|" + std::to_string(r.start_date) + "|" +
                   std::to_string(r.end_date));
    return Status::OK();
  }));
  ASSERT_OK(store->ForEachOrgSftpAccount([&](const OrgSftpAccount& a) {
    seen.push_back(a.env + "|" + a.user + "|" + a.entitlement + "|" + (a.production ? "P" : "-"));
    return Status::OK();
  }));
  ASSERT_OK(store->ForEachOrgUserRole([&](const OrgUserRole& r) {
    seen.push_back(r.user + "|" + r.role);
    return Status::OK();
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"111|Alpha Brokerage LLC|9|", "222|Beta Securities|7,8|/firms/beta/caisson.toml",
                                            "production|111|20260301|20261231", "test|111|20260101|0",
                                            "test|ftp_t|sftp-user|-", "ann|administrator", "ann|reporter"}));
  ASSERT_OK(store->Write([](Txn& t) { return t.DeleteOrgUserRole({"ann", "reporter"}); }));
  Status again = store->Write([](Txn& t) { return t.DeleteOrgUserRole({"ann", "reporter"}); });
  EXPECT_EQ(again.code(), Status::Code::kNotFound) << again.ToString();
  // A relationship in an environment that does not exist is refused by the schema.
  Status bad = store->Write([](Txn& t) { return t.PutOrgRelationship({"staging", 1, 1, 0}); });
  EXPECT_FALSE(bad.ok());
}

TEST(OrgStore, ABaseNameIsRecordedAsSentOncePerEnvironment) {
  auto store = MustOpen(TempDir() / "caisson.db");
  ASSERT_TRUE(store);
  Upload u;
  u.env = "test";
  u.host = "127.0.0.1";
  u.remote_path = "/9/cat/cais/upload/9_1_20261120_CAIS_000001.json.bz2";
  u.base_name = "9_1_20261120_CAIS_000001";
  u.bytes = 42;
  u.sha256 = std::string(64, 'b');
  u.actor = "ann";
  ASSERT_OK(store->Write([&](Txn& t) { return t.AddUpload(&u); }));
  EXPECT_EQ(u.id, 1);
  Upload again = u;
  again.at.clear();
  Status dup = store->Write([&](Txn& t) { return t.AddUpload(&again); });
  EXPECT_EQ(dup.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(dup.ToString().find("9_1_20261120_CAIS_000001 was already sent to test at " + u.at), std::string::npos)
      << dup.ToString();
  Upload prod = u;
  prod.env = "production";
  ASSERT_OK(store->Write([&](Txn& t) { return t.AddUpload(&prod); }));
  Result<Upload> got = store->GetUpload("test", "9_1_20261120_CAIS_000001");
  ASSERT_OK(got.status());
  EXPECT_EQ(got->bytes, 42);
  EXPECT_EQ(got->actor, "ann");
  EXPECT_EQ(got->remote_path, u.remote_path);
  EXPECT_EQ(store->GetUpload("prodmirror", "9_1_20261120_CAIS_000001").status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace caisson::state
