// Options::keep_fdid / keep_customer: the fast delta loads a closed subset of the books (synthetic values).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "fixture.h"
#include "ingest/ingest.h"
#include "testutil.h"

namespace caisson::ingest {
namespace {

namespace fs = std::filesystem;
using fixture::Write;

fs::path Books() {
  fs::path dir = testing::TempDir();
  Write(dir, "accounts.csv",
        "fdid,account_types,account_name,fdid_date\n"
        "ACC1,MARGIN,One,2020-01-02\n"
        "ACC2,MARGIN,Two,2020-01-02\n"
        "ACC3,MARGIN,Three,2020-01-02\n");
  Write(dir, "customers.csv",
        "customer_id,kind,customer_types,first_name,last_name,year_of_birth\n"
        "C1,NATURAL_PERSON,NOTAPPLICABLE,Ann,Smith,1970\n"
        "C2,NATURAL_PERSON,NOTAPPLICABLE,Bob,Jones,1971\n");
  Write(dir, "roles.csv",
        "fdid,customer_id,role,role_start_date\n"
        "ACC1,C1,TRDHOLDER,2020-01-02\n"
        "ACC2,C2,TRDHOLDER,2020-01-02\n"
        "ACC3,C2,TRDHOLDER,2020-01-02\n");
  Write(dir, "identifiers.csv",
        "customer_id,id_type,id_value\n"
        "C1,SSN,900-00-0001\n"
        "C2,SSN,900-00-0002\n");
  Write(dir, "addresses.csv",
        "owner_type,owner_id,addr_type,line1,city,region,postal_code,country\n"
        "ACCOUNT,ACC1,ADDRESS1,1 Main St,Springfield,IL,62701,US\n"
        "account,ACC2,ADDRESS1,2 Main St,Springfield,IL,62701,US\n"
        "CUSTOMER,C1,ADDRESS1,3 Main St,Springfield,IL,62701,US\n"
        "CUSTOMER,C2,ADDRESS1,4 Main St,Springfield,IL,62701,US\n");
  Write(dir, "large_traders.csv", "fdid,large_trader_id,effective_date\nACC1,12345678-0001,2020-01-02\n"
                                  "ACC2,12345678-0002,2020-01-02\n");
  Write(dir, "authorized_traders.csv", "fdid,first_name,last_name\nACC1,Cy,Doe\nACC2,Di,Doe\n");
  return dir;
}

TEST(Subset, OnlyTheRowsOfTheKeptRecordsAreRead) {
  Options o;
  o.as_of = 20250101;
  o.keep_fdid = [](std::string_view k) { return k == "ACC2" || k == "ACC3"; };
  o.keep_customer = [](std::string_view k) { return k == "C2"; };
  std::vector<Finding> findings;
  Result<Loaded> l = LoadBooks(Books(), o, &findings);
  ASSERT_OK(l.status());
  for (const Finding& f : findings) ADD_FAILURE() << f.rule << " " << f.key << " " << f.message;
  const model::Books& b = l->books;
  ASSERT_EQ(b.fdids.size(), 2u);
  EXPECT_EQ(b.fdids[0].firm_designated_id, "ACC2");
  EXPECT_EQ(b.fdids[1].firm_designated_id, "ACC3");
  ASSERT_EQ(b.customers.size(), 1u);
  EXPECT_EQ(b.customers[0].key, "C2");
  ASSERT_EQ(b.fdids[0].fdid_customer_list.size(), 1u);
  EXPECT_EQ(b.fdids[0].fdid_customer_list[0].customer_index, 0);
  EXPECT_EQ(b.fdids[0].address_list.size(), 1u);  // owner_type read case-insensitively, as without a subset
  EXPECT_EQ(b.fdids[0].large_trader_list.size(), 1u);
  EXPECT_EQ(b.fdids[0].auth_trader_names_list.size(), 1u);
  EXPECT_EQ(b.customers[0].address_list.size(), 1u);
  ASSERT_EQ(l->sensitive.identifiers.size(), 1u);
  EXPECT_EQ(l->sensitive.identifiers[0].size(), 1u);
}

TEST(Subset, UnsetKeepsEveryRow) {
  std::vector<Finding> findings;
  Loaded l = fixture::MustLoad(Books(), &findings);
  EXPECT_EQ(l.books.fdids.size(), 3u);
  EXPECT_EQ(l.books.customers.size(), 2u);
}

// LoadBooks with `ex` as the excerpt of accounts.csv (the other files read whole).
Result<Loaded> LoadWithAccountsExcerpt(const fs::path& dir, const Excerpt& ex, Options o,
                                       std::vector<Finding>* findings) {
  o.as_of = 20250101;
  o.excerpt = [&ex](std::string_view file) -> const Excerpt* { return file == "accounts.csv" ? &ex : nullptr; };
  return LoadBooks(dir, o, findings);
}

// Options::excerpt: the rows read come from the given offsets, and findings name their lines in the file.
TEST(Subset, AnExcerptReadsTheListedRowsAtTheirLines) {
  const fs::path dir = Books();
  // ACC2's row has a cell beyond the header, on line 4 after a quoted newline in ACC1's name.
  const std::string accounts =
      "fdid,account_types,account_name,fdid_date\n"
      "ACC1,MARGIN,\"One\nline two\",2020-01-02\n"
      "ACC2,MARGIN,Two,2020-01-02,extra\n"
      "ACC3,MARGIN,Three,2020-01-02\n";
  Write(dir, "accounts.csv", accounts);
  Excerpt ex;
  ex.text = accounts;
  ex.rows = {{accounts.find("ACC2"), 4}, {accounts.find("ACC3"), 5}};
  Options o;
  o.keep_fdid = [](std::string_view k) { return k == "ACC2" || k == "ACC3"; };
  o.keep_customer = [](std::string_view k) { return k == "C2"; };
  // The excerpt's text is what is read: the file on disk differs from it on purpose.
  Write(dir, "accounts.csv", "fdid,account_types,account_name,fdid_date\n");
  std::vector<Finding> findings;
  Result<Loaded> l = LoadWithAccountsExcerpt(dir, ex, o, &findings);
  ASSERT_OK(l.status());
  ASSERT_EQ(l->books.fdids.size(), 2u);
  EXPECT_EQ(l->books.fdids[0].firm_designated_id, "ACC2");
  EXPECT_EQ(l->books.fdids[1].firm_designated_id, "ACC3");
  EXPECT_EQ(l->books.fdids[0].fdid_customer_list.size(), 1u);  // roles.csv read whole
  bool seen = false;
  for (const Finding& f : findings) {
    if (f.rule == "input.column" && f.field == "column 5") {
      seen = true;
      EXPECT_EQ(f.file, "accounts.csv");
      EXPECT_EQ(f.line, 4u);
    }
  }
  EXPECT_TRUE(seen);
}

TEST(Subset, AnExcerptRowThatIsNotUtf8IsAnError) {
  const fs::path dir = Books();
  const std::string accounts = "fdid,account_types,account_name,fdid_date\nACC2,MARGIN,T\xffo,2020-01-02\n";
  Excerpt ex;
  ex.text = accounts;
  ex.rows = {{accounts.find("ACC2"), 2}};
  std::vector<Finding> findings;
  Result<Loaded> l = LoadWithAccountsExcerpt(dir, ex, {}, &findings);
  EXPECT_EQ(l.status().code(), Status::Code::kCorruption);
  EXPECT_NE(l.status().ToString().find("accounts.csv:2"), std::string::npos) << l.status().ToString();
}

// Excerpt::mapped: reading a mapped file's rows gives the pages behind them back (once per MiB), and a row read
// after that (the next one, on a page given back, faulted in again) is read as it stands in the file.
TEST(Subset, AMappedExcerptGivesPagesBackAndReadsEveryRow) {
  const fs::path dir = Books();
  std::string accounts = "fdid,account_types,account_name,fdid_date\n";
  std::vector<std::pair<uint64_t, uint64_t>> rows;
  for (int i = 0; i < 40000; ++i) {
    rows.emplace_back(accounts.size(), rows.size() + 2);
    accounts += "ACC" + std::to_string(i) + ",MARGIN,SYNTHETIC NAME " + std::string(60, 'N') + ",2020-01-02\n";
  }
  Write(dir, "accounts.csv", accounts);
  const int fd = open((dir / "accounts.csv").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  void* base = mmap(nullptr, accounts.size(), PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  ASSERT_NE(base, MAP_FAILED);
  Excerpt ex;
  ex.text = std::string_view(static_cast<const char*>(base), accounts.size());
  ex.mapped = true;
  for (size_t i = 0; i < rows.size(); i += 2) ex.rows.push_back(rows[i]);  // every other row, 20,000
  std::vector<Finding> findings;
  Result<Loaded> l = LoadWithAccountsExcerpt(dir, ex, {}, &findings);
  ASSERT_OK(l.status());
  ASSERT_EQ(l->books.fdids.size(), 20000u);
  EXPECT_EQ(l->books.fdids[0].firm_designated_id, "ACC0");
  EXPECT_EQ(l->books.fdids[19999].firm_designated_id, "ACC39998");
  EXPECT_EQ(l->books.fdids[12345].origin.line, 2u + 2 * 12345);
  // The bytes are still those of the file.
  EXPECT_EQ(std::string_view(static_cast<const char*>(base), accounts.size()), accounts);
  munmap(base, accounts.size());
}

}  // namespace
}  // namespace caisson::ingest
