// delta/scan: the books digests per record and the load set of the fast delta (synthetic values only).
#include "delta/scan.h"

#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <string>
#include <vector>

#include "testutil.h"

namespace caisson::delta {
namespace {

namespace fs = std::filesystem;

struct Books {
  std::string accounts =
      "fdid,account_types,account_name,fdid_date,replaced_by_fdid,valid_from\n"
      "F1,MARGIN,One,2020-01-02,,\n"
      "F2,MARGIN,Two,2020-01-02,F3,\n"
      "F3,MARGIN,Three,2020-01-02,,\n"
      "F4,MARGIN,Four,2020-01-02,,\n";
  std::string customers =
      "customer_id,kind,customer_types,first_name,last_name\n"
      "C1,NATURAL_PERSON,NOTAPPLICABLE,Ann,One\n"
      "C2,NATURAL_PERSON,NOTAPPLICABLE,Bob,Two\n"
      "C3,NATURAL_PERSON,NOTAPPLICABLE,Cy,Three\n";
  std::string roles =
      "fdid,customer_id,role,role_start_date\n"
      "F1,C1,TRDHOLDER,2020-01-02\n"
      "F1,C2,TRDHOLDER,2020-01-02\n"
      "F2,C2,TRDHOLDER,2020-01-02\n"
      "F3,C3,TRDHOLDER,2020-01-02\n"
      "F4,C3,TRDHOLDER,2020-01-02\n";
  std::string identifiers = "customer_id,id_type,id_value\nC1,SSN,900-00-0001\nC2,SSN,900-00-0002\n";
  std::string addresses =
      "owner_type,owner_id,addr_type,line1,city,region,postal_code,country\n"
      "ACCOUNT,F1,ADDRESS1,1 Main St,Springfield,IL,62701,US\n"
      "customer,C1,ADDRESS1,2 Main St,Springfield,IL,62701,US\n";

  fs::path Write(const fs::path& dir) const {
    fs::create_directories(dir);
    std::ofstream(dir / "accounts.csv") << accounts;
    std::ofstream(dir / "customers.csv") << customers;
    std::ofstream(dir / "roles.csv") << roles;
    std::ofstream(dir / "identifiers.csv") << identifiers;
    std::ofstream(dir / "addresses.csv") << addresses;
    return dir;
  }
};

Scan MustScan(const fs::path& dir, int32_t since = 0) {
  ScanOptions o;
  o.since = since;
  Result<Scan> s = ScanBooks(dir, o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : Scan{};
}

void Replace(std::string* text, const std::string& from, const std::string& to) {
  const size_t at = text->find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text->replace(at, from.size(), to);
}

TEST(Scan, EachRowChangesTheDigestOfTheRecordItFeedsOnly) {
  const fs::path root = testing::TempDir();
  Books b;
  const Scan base = MustScan(b.Write(root / "a"));
  EXPECT_EQ(base.fdid_digest.size(), 4u);
  EXPECT_EQ(base.customer_digest.size(), 3u);
  EXPECT_EQ(base.roles.size(), 5u);
  EXPECT_EQ(MustScan(b.Write(root / "same")).FdidDigest("F1"), base.FdidDigest("F1"));  // deterministic
  for (const char* k : {"F1", "F2", "F3", "F4"}) EXPECT_NE(base.FdidDigest(k), 0u) << k;
  EXPECT_EQ(base.FdidDigest("F9"), 0u);

  Books role = b;  // a roles row belongs to its FDID
  Replace(&role.roles, "F1,C2,TRDHOLDER,2020-01-02", "F1,C2,TRDHOLDER,2020-01-03");
  const Scan r = MustScan(role.Write(root / "role"));
  EXPECT_NE(r.FdidDigest("F1"), base.FdidDigest("F1"));
  EXPECT_EQ(r.FdidDigest("F2"), base.FdidDigest("F2"));
  EXPECT_EQ(r.CustomerDigest("C2"), base.CustomerDigest("C2"));

  Books id = b;  // an identifier belongs to its customer
  Replace(&id.identifiers, "900-00-0002", "900-00-0022");
  const Scan i = MustScan(id.Write(root / "id"));
  EXPECT_NE(i.CustomerDigest("C2"), base.CustomerDigest("C2"));
  EXPECT_EQ(i.CustomerDigest("C1"), base.CustomerDigest("C1"));
  EXPECT_EQ(i.FdidDigest("F1"), base.FdidDigest("F1"));

  Books addr = b;  // owner_type read case-insensitively, as ingest does
  Replace(&addr.addresses, "2 Main St", "3 Main St");
  const Scan a = MustScan(addr.Write(root / "addr"));
  EXPECT_NE(a.CustomerDigest("C1"), base.CustomerDigest("C1"));
  EXPECT_EQ(a.FdidDigest("F1"), base.FdidDigest("F1"));

  Books moved = b;  // the same cells under other column names: another digest
  Replace(&moved.customers, "first_name,last_name", "last_name,first_name");
  const Scan m = MustScan(moved.Write(root / "moved"));
  EXPECT_NE(m.CustomerDigest("C3"), base.CustomerDigest("C3"));
}

TEST(Scan, RowsDatedAfterTheLastSubmissionMakeTheirRecordPending) {
  Books b;
  Replace(&b.accounts, "F4,MARGIN,Four,2020-01-02,,\n", "F4,MARGIN,Four,2020-01-02,,\nF4,MARGIN,Later,2020-01-02,,20261201\n");
  Replace(&b.roles, "F3,C3,TRDHOLDER,2020-01-02", "F3,C3,TRDHOLDER,2026-11-21");
  const Scan s = MustScan(b.Write(testing::TempDir()), 20261120);
  EXPECT_EQ(s.fdid_pending, (std::vector<bool>{false, false, true, true}));  // F1, F2, F3, F4 in file order
  EXPECT_EQ(s.customer_pending, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(s.replaced_by[s.fdids.Find("F2")], static_cast<int32_t>(s.fdids.Find("F3")));
  const Scan none = MustScan(b.Write(testing::TempDir() / "b"), 0);
  EXPECT_EQ(none.fdid_pending, (std::vector<bool>{false, false, false, false}));
}

TEST(Scan, MissingRequiredFileOrKeyColumnIsAnError) {
  const fs::path dir = Books().Write(testing::TempDir());
  std::ofstream(dir / "roles.csv") << "fdid,role\nF1,TRDHOLDER\n";
  EXPECT_EQ(ScanBooks(dir, {}).status().code(), Status::Code::kInvalidArgument);
  fs::remove(dir / "roles.csv");
  EXPECT_EQ(ScanBooks(dir, {}).status().code(), Status::Code::kNotFound);
  std::ofstream(dir / "roles.csv") << "fdid,customer_id\n\"F1,C1\n";
  EXPECT_EQ(ScanBooks(dir, {}).status().code(), Status::Code::kCorruption);
}

TEST(Scan, TheLoadSetIsTheChangedRecordsAndTheirClosure) {
  const fs::path dir = testing::TempDir();
  Books b;
  const Scan s = MustScan(b.Write(dir / "books"));
  Result<std::unique_ptr<state::Store>> opened = state::Store::Open(dir / "caisson.db", {});
  ASSERT_OK(opened.status());
  state::Store& store = **opened;
  state::Fingerprint fp{};
  fp[0] = 7;
  // Every record emitted and accepted in the state the books show, except C1 (its digest is another).
  ASSERT_OK(store.Write([&](state::Txn& t) {
    for (const char* k : {"F1", "F2", "F3", "F4"}) {
      state::RecordState r;
      r.key = k;
      r.emitted = r.accepted = fp;
      r.scan = s.FdidDigest(k);
      CAISSON_RETURN_IF_ERROR(t.PutFdid(r));
    }
    for (const char* k : {"C1", "C2", "C3"}) {
      state::RecordState r;
      r.key = k;
      r.emitted = r.accepted = fp;
      r.scan = std::string_view(k) == "C1" ? 12345 : s.CustomerDigest(k);
      CAISSON_RETURN_IF_ERROR(t.PutCustomer(r));
    }
    return Status::OK();
  }));
  Result<LoadSet> load = ChooseLoad(s, *ReadStoreDigests(store), store, {});
  ASSERT_OK(load.status());
  auto fdids = [&](const LoadSet& l) {
    std::string out;
    for (const char* k : {"F1", "F2", "F3", "F4"}) out += l.fdid[s.fdids.Find(k)] ? k : "";
    return out;
  };
  auto customers = [&](const LoadSet& l) {
    std::string out;
    for (const char* k : {"C1", "C2", "C3"}) out += l.customer[s.customers.Find(k)] ? k : "";
    return out;
  };
  // C1 changed -> its FDID F1 (a carrier) -> F1's customers C1, C2. C2's other FDID F2 is not needed: C2 did
  // not change.
  EXPECT_EQ(load->seed_fdids, 0);
  EXPECT_EQ(load->seed_customers, 1);
  EXPECT_EQ(fdids(*load), "F1");
  EXPECT_EQ(customers(*load), "C1C2");

  // Nothing changed: nothing read. A record emitted but not yet accepted in that state is read.
  ASSERT_OK(store.Write([&](state::Txn& t) {
    state::RecordState r = *store.GetCustomer("C1");
    r.scan = s.CustomerDigest("C1");
    CAISSON_RETURN_IF_ERROR(t.PutCustomer(r));
    return Status::OK();
  }));
  load = ChooseLoad(s, *ReadStoreDigests(store), store, {});
  ASSERT_OK(load.status());
  EXPECT_EQ(fdids(*load), "");
  EXPECT_EQ(customers(*load), "");
  ASSERT_OK(store.Write([&](state::Txn& t) {
    state::RecordState r = *store.GetFdid("F4");
    r.accepted.reset();
    CAISSON_RETURN_IF_ERROR(t.PutFdid(r));
    return Status::OK();
  }));
  load = ChooseLoad(s, *ReadStoreDigests(store), store, {});
  ASSERT_OK(load.status());
  // F4 -> its customer C3 -> C3's FDIDs F3, F4 -> F2, which F3 replaces [§3.1] -> F2's customer C2.
  EXPECT_EQ(fdids(*load), "F2F3F4");
  EXPECT_EQ(customers(*load), "C2C3");
}

TEST(Scan, KeptRowsNameTheOffsetAndLineOfEachRowOfTheRecordsRead) {
  Books b;
  // A quoted newline in F2's name and an empty line before F3: the lines of later rows move on by one each.
  b.accounts =
      "fdid,account_types,account_name,fdid_date,replaced_by_fdid,last_activity_date\n"
      "F1,MARGIN,One,2020-01-02,,\n"
      "F2,MARGIN,\"Two\nlines\",2020-01-02,,\n"
      "\n"
      "F3,MARGIN,Three,2020-01-02,,\n"
      "F4,MARGIN,Four,2020-01-02,,\n";
  b.addresses += "OTHER,X1,ADDRESS1,5 Main St,Springfield,IL,62701,US\n";
  const Scan s = MustScan(b.Write(testing::TempDir()));
  LoadSet set;
  set.fdid.assign(s.fdid_digest.size(), false);
  set.customer.assign(s.customer_digest.size(), false);
  set.fdid[s.fdids.Find("F2")] = true;
  set.fdid[s.fdids.Find("F4")] = true;
  set.customer[s.customers.Find("C1")] = true;
  auto rows_of = [&](std::string_view name) {
    std::vector<std::string> out;
    for (const ScanFile& f : s.files) {
      if (f.name != name) continue;
      for (const auto& [offset, line] : KeptRows(f, set)) {
        const std::string_view rest = f.text.substr(offset);
        out.push_back(std::to_string(line) + ":" + std::string(rest.substr(0, rest.find(','))));
      }
    }
    return out;
  };
  EXPECT_EQ(rows_of("accounts.csv"), (std::vector<std::string>{"3:F2", "7:F4"}));
  EXPECT_EQ(rows_of("roles.csv"), (std::vector<std::string>{"4:F2", "6:F4"}));
  EXPECT_EQ(rows_of("identifiers.csv"), (std::vector<std::string>{"2:C1"}));
  // C1's address (owner_type in lower case, as ingest accepts it) and the row no record owns, which ingest
  // reports.
  EXPECT_EQ(rows_of("addresses.csv"), (std::vector<std::string>{"3:customer", "4:OTHER"}));
}

TEST(Scan, AQuotedKeyIsTheSameRecordAsItsUnquotedSpelling) {
  Books b;
  Replace(&b.accounts, "F1,MARGIN", "\"F1\",MARGIN");
  Replace(&b.customers, "C2,NATURAL", "\"C2\",NATURAL");
  const Scan s = MustScan(b.Write(testing::TempDir()));
  EXPECT_EQ(s.fdids.size(), 4u);
  EXPECT_EQ(s.customers.size(), 3u);
  EXPECT_EQ(s.fdids[0], "F1");
  EXPECT_EQ(s.customers[1], "C2");
  ASSERT_EQ(s.roles.size(), 5u);
  EXPECT_EQ(s.roles[0].first, 0u);   // F1 of roles.csv, unquoted there
  EXPECT_EQ(s.roles[1].second, 1u);  // C2
}

TEST(Scan, KeysOutOfOrderGetTheIdsOfTheirRecords) {
  Books b;
  // Customers listed C3, C1, C2, C3, C2 (the lookups before the map guess neighbours of the last id).
  b.roles =
      "fdid,customer_id,role,role_start_date\n"
      "F4,C3,TRDHOLDER,2020-01-02\n"
      "F1,C1,TRDHOLDER,2020-01-02\n"
      "F1,C2,TRDHOLDER,2020-01-02\n"
      "F3,C3,TRDHOLDER,2020-01-02\n"
      "F2,C2,TRDHOLDER,2020-01-02\n";
  const Scan s = MustScan(b.Write(testing::TempDir()));
  std::vector<std::string> got;
  for (const auto& [f, c] : s.roles) got.push_back(std::string(s.fdids[f]) + std::string(s.customers[c]));
  EXPECT_EQ(got, (std::vector<std::string>{"F4C3", "F1C1", "F1C2", "F3C3", "F2C2"}));
  EXPECT_EQ(s.fdids.size(), 4u);
  EXPECT_EQ(s.customers.size(), 3u);
}

TEST(Scan, BytesThatAreNotUtf8AreAnError) {
  Books b;
  b.customers += "C4,NATURAL_PERSON,NOTAPPLICABLE,D\xff,Four\n";
  EXPECT_EQ(ScanBooks(b.Write(testing::TempDir()), {}).status().code(), Status::Code::kCorruption);
}

// The scan hands rows from its parser to its id stage in chunks of 8192: books of several chunks give every
// record its rows in file order (the same digest as the rows spelled in one chunk), and an error far into a
// file stops the scan with that file's line.
TEST(Scan, BooksOfManyChunksScanAsOneAndAnErrorDeepInAFileNamesItsLine) {
  constexpr int kAccounts = 20000;
  Books big;
  big.accounts = "fdid,account_types,account_name,fdid_date,replaced_by_fdid,valid_from\n";
  big.customers = "customer_id,kind,customer_types,first_name,last_name\n";
  big.roles = "fdid,customer_id,role,role_start_date\n";
  for (int i = 0; i < kAccounts; ++i) {
    big.accounts += "F" + std::to_string(i) + ",MARGIN,Name " + std::to_string(i) + ",2020-01-02,,\n";
    big.customers += "C" + std::to_string(i) + ",NATURAL_PERSON,NOTAPPLICABLE,Ann,Last" + std::to_string(i) + "\n";
    big.roles += "F" + std::to_string(i) + ",C" + std::to_string(i) + ",TRDHOLDER,2020-01-02\n";
  }
  // The last account's rows spread over two chunks of roles.csv: its digest must not care.
  big.roles += "F0,C19999,TRDHOLDER,2020-01-02\n";
  const Scan s = MustScan(big.Write(testing::TempDir()));
  EXPECT_EQ(s.fdids.size(), static_cast<size_t>(kAccounts));
  EXPECT_EQ(s.customers.size(), static_cast<size_t>(kAccounts));
  EXPECT_EQ(s.roles.size(), static_cast<size_t>(kAccounts + 1));
  EXPECT_EQ(s.rows, 3 * kAccounts + 1 + 2 + 2);  // + identifiers and addresses of Books
  uint32_t cursor = Scan::kNoId;
  EXPECT_EQ(s.fdids[s.FindFdid("F12345", &cursor)], "F12345");
  EXPECT_NE(s.FdidDigest("F19999"), 0u);
  // Reordering F0's roles rows changes its digest (file order), moving another record's row does not change F0's.
  Books moved = big;
  Replace(&moved.roles, "F0,C19999,TRDHOLDER,2020-01-02\n", "");
  Replace(&moved.roles, "F0,C0,TRDHOLDER,2020-01-02\n", "F0,C19999,TRDHOLDER,2020-01-02\nF0,C0,TRDHOLDER,2020-01-02\n");
  const Scan m = MustScan(moved.Write(testing::TempDir()));
  EXPECT_NE(m.FdidDigest("F0"), s.FdidDigest("F0"));
  EXPECT_EQ(m.FdidDigest("F15000"), s.FdidDigest("F15000"));

  Books broken = big;
  Replace(&broken.roles, "F15000,C15000", "\"F15000,C15000");
  Result<Scan> bad = ScanBooks(broken.Write(testing::TempDir()), {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kCorruption);
  EXPECT_NE(bad.status().ToString().find("roles.csv:15002"), std::string::npos) << bad.status().ToString();
}

}  // namespace
}  // namespace caisson::delta

namespace caisson::delta {
namespace {

// KeyIds keeps 4-byte ids and finds them through their keys: every key must come back with its id after the
// table grows past its reservation and after the whole index moves (its functors point at the keys).
TEST(KeyIds, FindsEveryKeyAfterGrowingAndMoving) {
  KeyIds ids;
  ids.Reserve(4);
  std::deque<std::string> texts;
  bool added = false;
  for (int i = 0; i < 5000; ++i) {
    const std::string_view key = texts.emplace_back("K" + std::to_string(i * 7919 % 100003));
    EXPECT_EQ(ids.FindOrAdd(key, [](std::string_view k) { return k; }, &added), static_cast<uint32_t>(i));
    EXPECT_TRUE(added);
  }
  EXPECT_EQ(ids.FindOrAdd(std::string("K7919"), [](std::string_view k) { return k; }, &added), 1u);
  EXPECT_FALSE(added);
  KeyIds moved = std::move(ids);
  ASSERT_EQ(moved.size(), 5000u);
  for (uint32_t i = 0; i < 5000; ++i) {
    EXPECT_EQ(moved.Find(moved[i]), i);
    EXPECT_EQ(moved.Find(std::string(moved[i])), i);  // by content, not by address
  }
  EXPECT_EQ(moved.Find("K"), kNoScanId);
  EXPECT_EQ(moved.Find("K100003"), kNoScanId);
}

}  // namespace
}  // namespace caisson::delta
