// delta/batches: components of the scanned books, batches of whole components, and each batch's rows (synthetic
// values only).
#include "delta/batches.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "testutil.h"

namespace caisson::delta {
namespace {

namespace fs = std::filesystem;

// F1 {C1, C2}; F2 {C2}: one component through C2. F3 REPLACED by F4, F4 {C3}. F5 {C4}. C5 on no FDID.
// An address with an unknown owner_type (no record owns it), and a customer with a quoted newline.
fs::path WriteBooks(const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream(dir / "accounts.csv") << "fdid,account_types,account_name,fdid_date,replaced_by_fdid\n"
                                         "F1,MARGIN,One,2020-01-02,\n"
                                         "F2,MARGIN,Two,2020-01-02,\n"
                                         "F3,MARGIN,Three,2020-01-02,F4\n"
                                         "F4,MARGIN,Four,2020-01-02,\n"
                                         "F5,MARGIN,Five,2020-01-02,\n";
  std::ofstream(dir / "customers.csv") << "customer_id,kind,customer_types,first_name,last_name\n"
                                          "C1,NATURAL_PERSON,NOTAPPLICABLE,Ann,One\n"
                                          "C2,NATURAL_PERSON,NOTAPPLICABLE,\"Bo\nb\",Two\n"
                                          "C3,NATURAL_PERSON,NOTAPPLICABLE,Cy,Three\n"
                                          "C4,NATURAL_PERSON,NOTAPPLICABLE,Di,Four\n"
                                          "C5,NATURAL_PERSON,NOTAPPLICABLE,Ed,Five\n";
  std::ofstream(dir / "roles.csv") << "fdid,customer_id,role,role_start_date\n"
                                      "F1,C1,TRDHOLDER,2020-01-02\n"
                                      "F1,C2,TRDHOLDER,2020-01-02\n"
                                      "F2,C2,TRDHOLDER,2020-01-02\n"
                                      "F4,C3,TRDHOLDER,2020-01-02\n"
                                      "F5,C4,TRDHOLDER,2020-01-02\n";
  std::ofstream(dir / "addresses.csv") << "owner_type,owner_id,addr_type,line1,city,region,postal_code,country\n"
                                          "ACCOUNT,F5,ADDRESS1,1 Main St,Springfield,IL,62701,US\n"
                                          "BRANCH,B1,ADDRESS1,3 Main St,Springfield,IL,62701,US\n"
                                          "CUSTOMER,C1,ADDRESS1,2 Main St,Springfield,IL,62701,US\n";
  return dir;
}

Scan MustScan(const fs::path& dir) {
  Result<Scan> s = ScanBooks(dir, {});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : Scan{};
}

uint32_t F(const Scan& s, std::string_view key) { return s.fdids.Find(key); }
uint32_t C(const Scan& s, std::string_view key) { return s.customers.Find(key); }

size_t FileIndex(const Scan& s, std::string_view name) {
  for (size_t i = 0; i < s.files.size(); ++i) {
    if (s.files[i].name == name) return i;
  }
  ADD_FAILURE() << name;
  return 0;
}

TEST(Components, JoinRolesAndReplacedLinksAndKeepLoneCustomersApart) {
  const Scan s = MustScan(WriteBooks(testing::TempDir()));
  const Components k = FindComponents(s);
  EXPECT_EQ(k.count, 4u);  // {F1 F2 C1 C2} {F3 F4 C3} {F5 C4} {C5}
  EXPECT_EQ(k.of_fdid[F(s, "F1")], k.of_fdid[F(s, "F2")]);
  EXPECT_EQ(k.of_fdid[F(s, "F1")], k.of_customer[C(s, "C1")]);
  EXPECT_EQ(k.of_fdid[F(s, "F1")], k.of_customer[C(s, "C2")]);
  EXPECT_EQ(k.of_fdid[F(s, "F3")], k.of_fdid[F(s, "F4")]);
  EXPECT_EQ(k.of_fdid[F(s, "F3")], k.of_customer[C(s, "C3")]);
  EXPECT_NE(k.of_fdid[F(s, "F1")], k.of_fdid[F(s, "F3")]);
  EXPECT_NE(k.of_fdid[F(s, "F5")], k.of_fdid[F(s, "F3")]);
  // Numbered in the order of their first FDID, lone customers last.
  EXPECT_EQ(k.of_fdid[F(s, "F1")], 0u);
  EXPECT_EQ(k.of_fdid[F(s, "F3")], 1u);
  EXPECT_EQ(k.of_fdid[F(s, "F5")], 2u);
  EXPECT_EQ(k.of_customer[C(s, "C5")], 3u);
  EXPECT_EQ(k.records, (std::vector<uint32_t>{4, 3, 2, 1}));
}

TEST(Components, ExtraCustomerLinksJoinTheirComponents) {
  const Scan s = MustScan(WriteBooks(testing::TempDir()));
  const Components k = FindComponents(s, {{C(s, "C4"), C(s, "C1")}, {C(s, "C5"), C(s, "C3")}});
  EXPECT_EQ(k.count, 2u);
  EXPECT_EQ(k.of_fdid[F(s, "F5")], k.of_fdid[F(s, "F1")]);
  EXPECT_EQ(k.of_customer[C(s, "C5")], k.of_fdid[F(s, "F3")]);
}

// ScanOptions::link_identifiers: customers sharing an identifier value (however written: separators and case do
// not count) are linked, whatever its type and whether it ended; others are not.
TEST(Components, TheScanLinksCustomersThatShareAnIdentifierValue) {
  const fs::path dir = WriteBooks(testing::TempDir());
  std::ofstream(dir / "identifiers.csv") << "customer_id,id_type,id_value,end_date\n"
                                            "C1,SSN,900-00-0001,\n"
                                            "C3,SSN,900000001,2024-01-01\n"
                                            "C4,PASSPORT,ab 12/3,\n"
                                            "C5,OTHGOVT,AB123,\n"
                                            "C2,SSN,900-00-0002,\n"
                                            "C1,EIN,--,\n";
  ScanOptions options;
  options.link_identifiers = true;
  Result<Scan> s = ScanBooks(dir, options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::vector<std::pair<uint32_t, uint32_t>> links = s->customer_links;
  for (auto& [a, b] : links) {
    if (a > b) std::swap(a, b);
  }
  std::sort(links.begin(), links.end());
  const uint32_t c1 = C(*s, "C1"), c3 = C(*s, "C3"), c4 = C(*s, "C4"), c5 = C(*s, "C5");
  EXPECT_EQ(links, (std::vector<std::pair<uint32_t, uint32_t>>{{std::min(c1, c3), std::max(c1, c3)},
                                                                {std::min(c4, c5), std::max(c4, c5)}}));
  const Components k = FindComponents(*s, s->customer_links);
  EXPECT_EQ(k.of_customer[c1], k.of_customer[c3]);  // F1's component and F3's
  EXPECT_EQ(k.of_fdid[F(*s, "F1")], k.of_fdid[F(*s, "F4")]);
  EXPECT_NE(k.of_customer[C(*s, "C2")], k.of_customer[c4]);
  const Scan plain = MustScan(dir);
  EXPECT_TRUE(plain.customer_links.empty());  // only when asked
  // Read again from the scan's identifiers.csv, the same links (the fast delta's held components).
  Result<std::vector<std::pair<uint32_t, uint32_t>>> again = LinkIdentifiers(plain);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  for (auto& [a, b] : *again) {
    if (a > b) std::swap(a, b);
  }
  std::sort(again->begin(), again->end());
  EXPECT_EQ(*again, links);
}

TEST(Components, AddingComponentsToALoadSetTakesThemWholeAndRecounts) {
  const Scan s = MustScan(WriteBooks(testing::TempDir()));
  const Components k = FindComponents(s);
  LoadSet set;
  set.fdid.assign(s.fdid_digest.size(), false);
  set.customer.assign(s.customer_digest.size(), false);
  set.inactive.assign(s.fdid_digest.size(), false);
  set.inactive[F(s, "F5")] = true;  // ended INACTIVE, and not read
  set.fdid[F(s, "F1")] = true;
  set.customer[C(s, "C1")] = true;
  EXPECT_EQ(AddComponents(k, {}, {C(s, "C3")}, &set), 3);  // F3, F4, C3
  EXPECT_TRUE(set.fdid[F(s, "F3")] && set.fdid[F(s, "F4")] && set.customer[C(s, "C3")]);
  EXPECT_FALSE(set.fdid[F(s, "F2")]);  // F1's component was not asked for
  EXPECT_EQ(set.fdids, 3);
  EXPECT_EQ(set.customers, 2);
  EXPECT_EQ(set.unread_inactive, 1);
  EXPECT_EQ(AddComponents(k, {F(s, "F5")}, {}, &set), 2);  // F5 and C4
  EXPECT_EQ(set.unread_inactive, 0);
  EXPECT_EQ(AddComponents(k, {F(s, "F4")}, {}, &set), 0);
}

TEST(Components, FdidsEqualButForSpacesAreOneComponent) {
  const fs::path dir = WriteBooks(testing::TempDir());
  std::ofstream(dir / "accounts.csv", std::ios::app) << " F1,MARGIN,Again,2020-01-02,\n"
                                                        "F9 ,MARGIN,Nine,2020-01-02,\n"
                                                        "F8,MARGIN,Eight,2020-01-02,\n"
                                                        " F9,MARGIN,Nine again,2020-01-02,\n";
  const Scan s = MustScan(dir);
  const Components k = FindComponents(s);
  EXPECT_EQ(k.of_fdid[F(s, " F1")], k.of_fdid[F(s, "F1")]);
  EXPECT_EQ(k.of_fdid[F(s, "F9 ")], k.of_fdid[F(s, " F9")]);
  EXPECT_NE(k.of_fdid[F(s, "F9 ")], k.of_fdid[F(s, "F8")]);
  EXPECT_EQ(k.count, 6u);  // {F1 F2 C1 C2 " F1"} {F3 F4 C3} {F5 C4} {"F9 " " F9"} {F8} {C5}
}

TEST(Components, JoiningComponentsGivesWhatFindingThemWithTheLinksGives) {
  const Scan s = MustScan(WriteBooks(testing::TempDir()));
  const std::vector<std::pair<uint32_t, uint32_t>> links = {{C(s, "C5"), C(s, "C4")}, {C(s, "C3"), C(s, "C1")}};
  const Components joined = JoinComponents(FindComponents(s), links);
  const Components found = FindComponents(s, links);
  EXPECT_EQ(joined.count, 2u);
  EXPECT_EQ(joined.count, found.count);
  EXPECT_EQ(joined.of_fdid, found.of_fdid);
  EXPECT_EQ(joined.of_customer, found.of_customer);
  EXPECT_EQ(joined.records, found.records);
  EXPECT_EQ(joined.records, (std::vector<uint32_t>{7, 3}));  // {F1 F2 F3 F4 C1 C2 C3} {F5 C4 C5}
}

// What validate keeps of a scan once the components are found: the keys, without their index.
TEST(KeyIds, DroppingTheIndexKeepsTheKeys) {
  Scan s = MustScan(WriteBooks(testing::TempDir()));
  const uint32_t c3 = C(s, "C3");
  s.customers.DropIndex();
  EXPECT_EQ(s.customers[c3], "C3");
  EXPECT_EQ(s.customers.size(), 5u);
  EXPECT_EQ(s.customers.Find("C3"), kNoScanId);
}

TEST(AssignBatches, ClosesABatchOnceFullAndNeverCutsAComponent) {
  Components k;
  k.count = 5;
  k.records = {4, 3, 2, 1, 6};
  EXPECT_EQ(AssignBatches(k, 5), (std::vector<uint32_t>{0, 0, 1, 1, 1}));
  EXPECT_EQ(AssignBatches(k, 1), (std::vector<uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(AssignBatches(k, 100), (std::vector<uint32_t>{0, 0, 0, 0, 0}));
}

TEST(Batches, EachBatchReadsItsOwnRowsWithTheirLinesAndUnownedRowsOnce) {
  const Scan s = MustScan(WriteBooks(testing::TempDir()));
  const Components k = FindComponents(s);
  const Batches b(s, k, {1, 0, 0, 1});  // {F1 F2 C1 C2} and {C5} in batch 1
  ASSERT_EQ(b.count(), 2u);
  auto ids = [](std::pair<const uint32_t*, const uint32_t*> r) { return std::vector<uint32_t>(r.first, r.second); };
  EXPECT_EQ(ids(b.Customers(1)), (std::vector<uint32_t>{C(s, "C1"), C(s, "C2"), C(s, "C5")}));
  EXPECT_EQ(ids(b.Customers(0)), (std::vector<uint32_t>{C(s, "C3"), C(s, "C4")}));

  auto lines = [](const std::vector<std::pair<uint64_t, uint64_t>>& rows) {
    std::vector<uint64_t> out;
    for (const auto& [offset, line] : rows) out.push_back(line);
    return out;
  };
  const size_t accounts = FileIndex(s, "accounts.csv");
  EXPECT_EQ(lines(b.Rows(accounts, 1)), (std::vector<uint64_t>{2, 3}));     // F1 F2
  EXPECT_EQ(lines(b.Rows(accounts, 0)), (std::vector<uint64_t>{4, 5, 6}));  // F3 F4 F5
  const size_t customers = FileIndex(s, "customers.csv");
  const std::string_view text = s.files[customers].text;
  // C2's record spans lines 3-4: C3 starts on line 5.
  EXPECT_EQ(lines(b.Rows(customers, 1)), (std::vector<uint64_t>{2, 3, 7}));
  EXPECT_EQ(lines(b.Rows(customers, 0)), (std::vector<uint64_t>{5, 6}));
  for (const auto& [offset, line] : b.Rows(customers, 0)) {
    EXPECT_EQ(text.substr(offset, 1), "C") << line;
  }
  EXPECT_EQ(text.substr(b.Rows(customers, 0)[0].first, 3), "C3,");

  const size_t addresses = FileIndex(s, "addresses.csv");
  EXPECT_EQ(lines(b.Rows(addresses, 0)), (std::vector<uint64_t>{2, 3}));  // F5's, and the unowned row
  EXPECT_EQ(lines(b.Rows(addresses, 1)), (std::vector<uint64_t>{4}));
}

TEST(Batches, ReleasingTheBooksPagesKeepsTheirBytesReadable) {
  const Scan s = MustScan(WriteBooks(testing::TempDir()));
  const std::string before(s.files[0].text);
  ReleaseBooksPages(s);
  EXPECT_EQ(std::string(s.files[0].text), before);
}

// Books of several MiB, so that the scan gives pages back as it goes (once per MiB), and a roles.csv of more than
// 64 MiB (a long last column), so that while reading it the scan gives back the pages of accounts.csv and
// customers.csv, which its key lookups fault in again.
TEST(Batches, AScanThatGivesPagesBackFindsWhatOneThatKeepsThemFinds) {
  const fs::path dir = testing::TempDir();
  {
    std::ofstream a(dir / "accounts.csv"), c(dir / "customers.csv"), r(dir / "roles.csv");
    a << "fdid,account_types,account_name,fdid_date\n";
    c << "customer_id,kind,customer_types,first_name,last_name\n";
    r << "fdid,customer_id,role,role_start_date,note\n";
    const std::string note(1100, 'x');
    for (int i = 0; i < 60000; ++i) {
      a << "FD" << i << ",MARGIN,SYNTHETIC ACCOUNT NAME NUMBER " << i << ",2020-01-02\n";
      c << "CU" << i << ",NATURAL_PERSON,NOTAPPLICABLE,SYNTHETIC,PERSON" << i << "\n";
      r << "FD" << i << ",CU" << (i * 7919) % 60000 << ",TRDHOLDER,2020-01-02," << note << "\n";
    }
  }
  const Scan kept = MustScan(dir);
  ScanOptions options;
  options.release_pages = true;
  Result<Scan> released = ScanBooks(dir, options);
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  ASSERT_GT(kept.files[0].text.size(), size_t{3} << 20);
  ASSERT_GT(kept.files[2].text.size(), size_t{64} << 20);
  EXPECT_EQ(released->fdid_digest, kept.fdid_digest);
  EXPECT_EQ(released->customer_digest, kept.customer_digest);
  EXPECT_EQ(released->roles, kept.roles);
  ASSERT_EQ(released->files.size(), kept.files.size());
  for (size_t i = 0; i < kept.files.size(); ++i) EXPECT_EQ(released->files[i].rows, kept.files[i].rows);
  for (size_t id = 0; id < kept.customers.size(); ++id) EXPECT_EQ(released->customers[id], kept.customers[id]);
}

}  // namespace
}  // namespace caisson::delta
