// WriteSubmission content: golden Data/TID files, numbering, held records, PII exemption, determinism.
#include "emit/emit.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "fixture.h"
#include "testutil.h"

namespace caisson::emit {
namespace {

using namespace testfix;

// The golden books: NP and LE customers (EIN, LEI, foreign national id), LTIDs, auth trader names, an ended
// role, a correspondent split, a REPLACED pair, a held FDID with its held customer and an orphan customer.
struct Golden {
  model::Books books;
  validate::Holds holds;
};

Golden MakeGolden() {
  Golden g;
  model::Books& b = g.books;
  model::Customer john = Person("cust-john", "JOHN", "DOE", 1980, 1);
  john.middle_name = "Q";
  john.name_suffix = "SENIOR";
  john.doing_business_as = "JOHN'S \"PLUMBING\" \\ CO";
  john.customer_type = std::vector<std::string>{"ACCREDITED", "EMPLOYEE"};
  b.customers.push_back(std::move(john));  // 0
  model::Customer jane = Person("cust-jane", "JANE", "DOE", 1982, 2);
  jane.update_notification = model::Flag::Of(true);
  b.customers.push_back(std::move(jane));  // 1
  model::Customer acme = Entity("cust-acme", "ACME TEST HOLDINGS LLC", 3);
  acme.ein = "00-0000001";
  acme.tid = Tid("EIN", 3);
  acme.customer_type = std::vector<std::string>{"BD"};
  b.customers.push_back(std::move(acme));  // 2
  model::Customer globex = Entity("cust-globex", "GLOBEX TEST SA", 4);
  globex.lei = "TESTLEI0000000000001";
  globex.address_list[0] = Addr("ADDRESS1", "9 RUE D'ESSAI", "PARIS", "", "FR", "75001");
  b.customers.push_back(std::move(globex));  // 3
  model::Customer hans = Person("cust-hans", "HANS", "MUSTER", 1975, 5);
  hans.tid = Tid("FOREIGN", 5);
  hans.tid->foreign_tid_type = "NATIONALID";
  hans.tid->foreign_tid_country_cd = "DE";
  hans.address_list[0] = Addr("ADDRESS1", "TESTSTRASSE 1", "BERLIN", "", "DE", "10115");
  b.customers.push_back(std::move(hans));                                     // 4
  b.customers.push_back(Person("cust-held", "HELD", "PERSON", 1990, 6));      // 5
  b.customers.push_back(Person("cust-orphan", "ORPHAN", "PERSON", 1991, 7));  // 6

  model::Fdid a1 = Account("ACCT-001", 20200102);
  a1.account_type = std::vector<std::string>{"MARGIN", "OPTION"};
  a1.account_name = "DOE \"FAMILY\" ACCT";
  a1.clearing_broker_id = std::vector<std::string>{"0123"};
  a1.branch_office_crd = model::Num::Of(777);
  a1.registered_rep_crd = std::vector<model::Num>{model::Num::Of(1001), model::Num::Of(1002)};
  a1.address_list.push_back(Addr("ADDRESS2", "1 WATERS ST", "JERSEY CITY", "US-NJ", "US", "07097"));
  a1.address_list[1].addr_line2 = "TRADING DESK 15";
  model::LargeTrader lt1, lt2;
  lt1.large_trader_record_id = model::Num::Of(41);  // renumbered from 1 by emit
  lt1.large_trader_id = "12345678-0001";
  lt1.ltid_effective_date = model::Num::Of(20210101);
  lt2.large_trader_id = "98765432-1234";
  lt2.ltid_effective_date = model::Num::Of(20200601);
  lt2.ltid_end_date = model::Num::Of(20220101);
  lt2.ltid_end_reason = "ENDED";
  a1.large_trader_list = {lt1, lt2};
  a1.fdid_customer_list.push_back(Assoc(0, "TRDHOLDER", 20200102));
  model::Association rep = Assoc(1, "AUTHREP", 20200301);
  rep.has_discretion = model::Flag::Of(true);
  a1.fdid_customer_list.push_back(rep);
  model::AuthTraderName t1, t2;
  t1.auth_trader_name = "TRADER ONE";
  t2.auth_trader_name = "TRADER TWO";
  a1.auth_trader_names_list = {t1, t2};
  b.fdids.push_back(std::move(a1));  // 0

  model::Fdid a2 = Account("ACCT-002", 20210505);
  a2.fdid_customer_list.push_back(Assoc(0, "TRDHOLDER", 20210505));
  model::Association ended = Assoc(1, "TRDHOLDER", 20210505);
  ended.role_end_date = model::Num::Of(20230601);
  ended.role_end_reason = "ENDED";
  a2.fdid_customer_list.push_back(ended);
  b.fdids.push_back(std::move(a2));  // 1

  model::Fdid old9 = Account("OLD-9", 20190101);
  old9.fdid_end_date = model::Num::Of(20230101);
  old9.fdid_end_reason = "REPLACED";
  old9.replaced_by_fdid = "NEW-9";
  old9.fdid_customer_list.push_back(Assoc(1, "TRDHOLDER", 20190101));
  b.fdids.push_back(std::move(old9));  // 2

  model::Fdid corr = Account("CORR-1", 20220202);
  corr.correspondent_crd = model::Num::Of(3210);
  corr.fdid_customer_list.push_back(Assoc(2, "TRDHOLDER", 20220202));
  corr.fdid_customer_list.push_back(Assoc(3, "TRDHOLDER", 20220202));
  corr.fdid_customer_list.push_back(Assoc(0, "AUTH3RD", 20220202));
  corr.fdid_customer_list.push_back(Assoc(4, "TRDHOLDER", 20220202));
  b.fdids.push_back(std::move(corr));  // 3

  model::Fdid new9 = Account("NEW-9", 20230101);
  new9.fdid_customer_list.push_back(Assoc(1, "TRDHOLDER", 20230101));
  b.fdids.push_back(std::move(new9));  // 4

  model::Fdid held = Account("HELD-1", 20230101);
  held.fdid_customer_list.push_back(Assoc(5, "TRDHOLDER", 20230101));
  b.fdids.push_back(std::move(held));  // 5

  g.holds.fdid = {false, false, false, false, false, true};
  g.holds.customer = {false, false, false, false, false, true, false};
  return g;
}

// Compares with tests/emit/golden/<name>; CAISSON_UPDATE_GOLDEN=1 rewrites the file instead.
void ExpectGolden(const std::string& actual, const std::string& name) {
  const auto path = testing::TestsDir() / "emit" / "golden" / name;
  const char* update = std::getenv("CAISSON_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    ASSERT_OK(WriteFileAtomically(path, actual));
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " missing; run with CAISSON_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, Slurp(path)) << "differs from " << path;
}

TEST(WriteSubmission, GoldenPairs) {
  const auto dir = testing::TempDir();
  const spec::Profile profile = LoadOrDie();
  Golden g = MakeGolden();
  Result<Written> w = WriteSubmission(profile, g.books, g.holds, BaseOptions(dir));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->pairs.size(), 2u);
  const PairInfo& p1 = w->pairs[0];
  const PairInfo& p2 = w->pairs[1];
  EXPECT_EQ(p1.correspondent_crd, -1);
  EXPECT_EQ(p1.data_name, "99999_123456_20240315_CAIS_000001.json.bz2");
  EXPECT_EQ(p1.tid_name, "99999_123456_20240315_TIDS_000001.json.bz2");
  EXPECT_EQ(p1.fdids, 4);
  EXPECT_EQ(p1.natural_persons, 2);
  EXPECT_EQ(p1.legal_entities, 0);
  EXPECT_EQ(p1.tids, 2);
  EXPECT_EQ(p2.correspondent_crd, 3210);
  EXPECT_EQ(p2.data_name, "99999_123456_20240315_CAIS_000002.json.bz2");
  EXPECT_EQ(p2.fdids, 1);
  EXPECT_EQ(p2.natural_persons, 2);
  EXPECT_EQ(p2.legal_entities, 2);
  EXPECT_EQ(p2.tids, 4);
  const std::string d1 = Decompressed(dir / p1.data_name), t1 = Decompressed(dir / p1.tid_name);
  const std::string d2 = Decompressed(dir / p2.data_name), t2 = Decompressed(dir / p2.tid_name);
  EXPECT_EQ(p1.data_bytes, d1.size());
  EXPECT_EQ(p1.tid_bytes, t1.size());
  EXPECT_EQ(p1.data_compressed_bytes, std::filesystem::file_size(dir / p1.data_name));
  EXPECT_EQ(p1.data_sha256.size(), 64u);
  ExpectGolden(d1, "data_1.json");
  ExpectGolden(t1, "tid_1.json");
  ExpectGolden(d2, "data_2.json");
  ExpectGolden(t2, "tid_2.json");
  // Nothing else in the folder: no temporary files, no third pair.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 4);
}

// on_planned sees the pairs before any file exists, with the names, numbers, counts, records and uncompressed
// sizes they are then written with; only the compressed sizes and digests come later.
TEST(WriteSubmission, OnPlannedSeesThePairsBeforeAnyFileIsWritten) {
  const auto dir = testing::TempDir();
  const spec::Profile profile = LoadOrDie();
  Golden g = MakeGolden();
  Options options = BaseOptions(dir);
  Written planned;
  int calls = 0;
  options.on_planned = [&](const Written& w) {
    ++calls;
    planned = w;
    for (const PairInfo& p : w.pairs) {
      EXPECT_FALSE(std::filesystem::exists(dir / p.data_name)) << p.data_name;
      EXPECT_TRUE(p.data_sha256.empty());
      EXPECT_EQ(p.data_compressed_bytes, 0u);
    }
  };
  Result<Written> w = WriteSubmission(profile, g.books, g.holds, options);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(planned.pairs.size(), w->pairs.size());
  for (size_t i = 0; i < w->pairs.size(); ++i) {
    const PairInfo &a = planned.pairs[i], &b = w->pairs[i];
    EXPECT_EQ(a.data_name, b.data_name);
    EXPECT_EQ(a.tid_name, b.tid_name);
    EXPECT_EQ(a.file_number, b.file_number);
    EXPECT_EQ(a.correspondent_crd, b.correspondent_crd);
    EXPECT_EQ(a.data_bytes, b.data_bytes);
    EXPECT_EQ(a.tid_bytes, b.tid_bytes);
    EXPECT_EQ(a.fdids, b.fdids);
    EXPECT_EQ(a.tids, b.tids);
    EXPECT_EQ(a.fdid_indices, b.fdid_indices);
    EXPECT_EQ(a.customer_indices, b.customer_indices);
    EXPECT_EQ(b.data_sha256.size(), 64u);
  }
}

TEST(WriteSubmission, HeldAndOrphanRecordsAreAbsent) {
  const auto dir = testing::TempDir();
  const spec::Profile profile = LoadOrDie();
  Golden g = MakeGolden();
  Result<Written> w = WriteSubmission(profile, g.books, g.holds, BaseOptions(dir));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  std::string all;
  for (const PairInfo& p : w->pairs) all += Decompressed(dir / p.data_name) + Decompressed(dir / p.tid_name);
  EXPECT_EQ(all.find("HELD"), std::string::npos);
  EXPECT_EQ(all.find("ORPHAN"), std::string::npos);
  EXPECT_EQ(all.find(testfix::Hex64(6)), std::string::npos);
  // The same books without holds carry the held FDID.
  g.holds = {};
  const auto dir2 = dir / "unheld";
  Result<Written> w2 = WriteSubmission(profile, g.books, g.holds, BaseOptions(dir2));
  ASSERT_TRUE(w2.ok()) << w2.status().ToString();
  EXPECT_NE(Decompressed(dir2 / w2->pairs[0].data_name).find("HELD-1"), std::string::npos);
}

TEST(WriteSubmission, SharedCustomerHasOneRecordPerFileAndTheSameIdEverywhere) {
  const auto dir = testing::TempDir();
  const spec::Profile profile = LoadOrDie();
  Golden g = MakeGolden();
  Result<Written> w = WriteSubmission(profile, g.books, g.holds, BaseOptions(dir));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  const std::string d1 = Decompressed(dir / w->pairs[0].data_name);
  // JOHN is on ACCT-001 and ACCT-002 in file 1: one customer record, id 1 in both fdidCustomerLists.
  size_t count = 0;
  for (size_t pos = d1.find("\"firstName\":\"JOHN\""); pos != std::string::npos;
       pos = d1.find("\"firstName\":\"JOHN\"", pos + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u);
  EXPECT_NE(d1.find("\"fdidRecordID\":2,\"firmDesignatedID\":\"ACCT-002\""), std::string::npos);
  EXPECT_NE(
      d1.find(
          "\"fdidCustomerList\":[{\"customerRecordID\":1,\"role\":\"TRDHOLDER\",\"roleStartDate\":20210505}"),
      std::string::npos);
  // JOHN is repeated in the correspondent's file, numbered there (third customer met).
  const std::string d2 = Decompressed(dir / w->pairs[1].data_name);
  EXPECT_NE(d2.find("{\"customerRecordID\":3,\"firstName\":\"JOHN\""), std::string::npos);
  // tidValue is lowercase.
  const std::string t1 = Decompressed(dir / w->pairs[0].tid_name);
  std::string lower = testfix::Hex64(1);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(t1.find("\"tidValue\":\"" + lower + "\""), std::string::npos);
  EXPECT_EQ(t1.find(testfix::Hex64(1)), std::string::npos);
}

// Keys follow Table 8 / Table 9 order as the profile lists it.
void ExpectProfileOrder(const spec::Profile& profile, spec::Object object, std::string_view record) {
  size_t last = 0;
  std::string last_name;
  for (const spec::Field& f : profile.Fields(object)) {
    size_t pos = record.find("\"" + f.name + "\":");
    if (pos == std::string_view::npos) continue;
    EXPECT_GT(pos, last) << f.name << " comes before " << last_name << " in " << record;
    last = pos;
    last_name = f.name;
  }
}

TEST(WriteSubmission, KeysInProfileOrder) {
  const auto dir = testing::TempDir();
  const spec::Profile profile = LoadOrDie();
  Golden g = MakeGolden();
  Result<Written> w = WriteSubmission(profile, g.books, g.holds, BaseOptions(dir));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  const std::string d1 = Decompressed(dir / w->pairs[0].data_name);
  const std::string d2 = Decompressed(dir / w->pairs[1].data_name);
  const std::string t2 = Decompressed(dir / w->pairs[1].tid_name);
  auto line = [](const std::string& text, std::string_view starts) {
    size_t pos = text.find(std::string("\n") + std::string(starts));
    return pos == std::string::npos ? std::string()
                                    : text.substr(pos + 1, text.find('\n', pos + 1) - pos - 1);
  };
  ExpectProfileOrder(profile, spec::Object::kDataFileMain, d2);
  ExpectProfileOrder(profile, spec::Object::kFdidRecord, line(d1, "{\"fdidRecordID\":1,"));
  ExpectProfileOrder(profile, spec::Object::kNaturalPersonCustomerRecord,
                     line(d1, "{\"customerRecordID\":1,"));
  ExpectProfileOrder(profile, spec::Object::kLegalEntityCustomerRecord, line(d2, "{\"customerRecordID\":1,"));
  ExpectProfileOrder(profile, spec::Object::kTidRecord, line(t2, "{\"customerRecordID\":4,"));
  ExpectProfileOrder(profile, spec::Object::kTidFileMain, t2);
}

TEST(WriteSubmission, PiiExemptProfileDropsSsnPersonFields) {
  const auto dir = testing::TempDir();
  const spec::Profile profile = LoadOrDie("cais-2.2.0r4-pii-exempt");
  Golden g = MakeGolden();
  Result<Written> w = WriteSubmission(profile, g.books, g.holds, BaseOptions(dir));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  const std::string d1 = Decompressed(dir / w->pairs[0].data_name);
  const std::string d2 = Decompressed(dir / w->pairs[1].data_name);
  EXPECT_NE(d1.find("\n{\"customerRecordID\":1,\"customerType\":[\"ACCREDITED\",\"EMPLOYEE\"]}"),
            std::string::npos)
      << d1;
  EXPECT_NE(
      d1.find("\n{\"customerRecordID\":2,\"customerType\":[\"NOTAPPLICABLE\"],\"updateNotification\":true}"),
      std::string::npos);
  // A person identified by a foreign identifier keeps everything; legal entities are untouched.
  EXPECT_NE(d2.find("\"firstName\":\"HANS\",\"lastName\":\"MUSTER\",\"yearOfBirth\":1975,\"addressList\""),
            std::string::npos);
  EXPECT_NE(d2.find("\"legalName\":\"ACME TEST HOLDINGS LLC\",\"addressList\""), std::string::npos);
}

TEST(WriteSubmission, DeterministicTwice) {
  const spec::Profile profile = LoadOrDie();
  const auto dir = testing::TempDir();
  Golden g = MakeGolden();
  Result<Written> a = WriteSubmission(profile, g.books, g.holds, BaseOptions(dir / "a"));
  Result<Written> b = WriteSubmission(profile, g.books, g.holds, BaseOptions(dir / "b"));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->pairs.size(), b->pairs.size());
  for (size_t i = 0; i < a->pairs.size(); ++i) {
    EXPECT_EQ(a->pairs[i].data_name, b->pairs[i].data_name);
    EXPECT_EQ(Slurp(dir / "a" / a->pairs[i].data_name), Slurp(dir / "b" / b->pairs[i].data_name));
    EXPECT_EQ(Slurp(dir / "a" / a->pairs[i].tid_name), Slurp(dir / "b" / b->pairs[i].tid_name));
    EXPECT_EQ(a->pairs[i].data_sha256, b->pairs[i].data_sha256);
  }
}

TEST(WriteSubmission, CompressorChangesBytesNotText) {
  const spec::Profile profile = LoadOrDie();
  const auto dir = testing::TempDir();
  Golden g = MakeGolden();
  Options lb = BaseOptions(dir / "lbzip2"), bz = BaseOptions(dir / "libbz2");
  EXPECT_EQ(lb.compressor, caisjson::Compressor::kLbzip2);  // the default
  bz.compressor = caisjson::Compressor::kLibbz2;
  Result<Written> a = WriteSubmission(profile, g.books, g.holds, lb);
  Result<Written> b = WriteSubmission(profile, g.books, g.holds, bz);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->pairs.size(), b->pairs.size());
  for (size_t i = 0; i < a->pairs.size(); ++i) {
    const std::string lb_bytes = Slurp(dir / "lbzip2" / a->pairs[i].data_name);
    const std::string bz_bytes = Slurp(dir / "libbz2" / b->pairs[i].data_name);
    EXPECT_NE(lb_bytes, bz_bytes) << "the option reached the writer";
    EXPECT_EQ(Decompressed(dir / "lbzip2" / a->pairs[i].data_name),
              Decompressed(dir / "libbz2" / b->pairs[i].data_name));
    EXPECT_EQ(Decompressed(dir / "lbzip2" / a->pairs[i].tid_name),
              Decompressed(dir / "libbz2" / b->pairs[i].tid_name));
    EXPECT_EQ(a->pairs[i].data_compressed_bytes, lb_bytes.size());
    EXPECT_EQ(b->pairs[i].data_compressed_bytes, bz_bytes.size());
  }
}

TEST(WriteSubmission, EmptyBooksGiveOneEmptyPair) {
  const auto dir = testing::TempDir();
  const spec::Profile profile = LoadOrDie();
  Result<Written> w = WriteSubmission(profile, model::Books{}, validate::Holds{}, BaseOptions(dir));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->pairs.size(), 1u);
  EXPECT_EQ(Decompressed(dir / w->pairs[0].data_name),
            "{\"version\":\"2.0.0\",\"catReporterCRD\":123456,\"catSubmitterID\":99999,\"fdidRecordCount\":0,"
            "\"naturalPersonCustomerRecordCount\":0,\"legalEntityCustomerRecordCount\":0}\n");
  EXPECT_EQ(Decompressed(dir / w->pairs[0].tid_name), "{\"version\":\"2.0.0\",\"tidRecordCount\":0}\n");
}

TEST(WriteSubmission, HeldCustomerOnUnheldFdidIsAnInternalError) {
  const auto dir = testing::TempDir();
  const spec::Profile profile = LoadOrDie();
  Golden g = MakeGolden();
  g.holds.customer[0] = true;  // JOHN held, but his FDIDs are not: a broken cascade upstream
  Result<Written> w = WriteSubmission(profile, g.books, g.holds, BaseOptions(dir));
  EXPECT_EQ(w.status().code(), Status::Code::kInternal);
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(WriteManifest, ListsPairsAndHeldCounts) {
  const auto dir = testing::TempDir();
  const spec::Profile profile = LoadOrDie();
  Golden g = MakeGolden();
  Options o = BaseOptions(dir);
  o.group = "NIGHTLY";
  Result<Written> w = WriteSubmission(profile, g.books, g.holds, o);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  validate::Summary s;
  s.held_fdids = 1;
  s.held_customers = 1;
  s.rejected_fdids = 1;
  ASSERT_OK(WriteManifest(profile, o, w.value(), s));
  const std::string m = Slurp(dir / "manifest.json");
  const std::string head =
      "{\n  \"profile\": \"cais-2.2.0r4\",\n  \"provisional\": false,\n  \"schema_version\": \"2.0.0\",\n";
  EXPECT_EQ(m.substr(0, head.size()), head);
  EXPECT_NE(m.find("\"group\": \"NIGHTLY\""), std::string::npos);
  EXPECT_NE(m.find("\"data_file\": \"99999_123456_20240315_NIGHTLY_CAIS_000001.json.bz2\""),
            std::string::npos);
  EXPECT_NE(m.find("\"correspondentCRD\": 3210"), std::string::npos);
  EXPECT_NE(m.find("\"data_sha256\": \"" + w->pairs[1].data_sha256 + "\""), std::string::npos);
  EXPECT_NE(m.find("\"held_back\": {\"fdids\": 1, \"customers\": 1, \"rejected_fdids\": 1, "
                   "\"rejected_customers\": 0}"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / ("manifest.json.tmp-" + std::to_string(::getpid()))));
}

}  // namespace
}  // namespace caisson::emit
