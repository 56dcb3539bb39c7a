// CheckPaths: every file.* rule on real files (bz2 via caisjson::FileWriter), pairing, §6.2 R11 propagation,
// folders, and that record rules run only for a pair that passed integrity.
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "check/check.h"
#include "check/internal.h"
#include "testutil.h"
#include "validate/validate.h"

namespace caisson::check {
namespace {

namespace fs = std::filesystem;

const char* kData =
    "{\"version\": \"2.0.0\", \"catReporterCRD\": 2, \"catSubmitterID\": 1,\n"
    "\"fdidRecordCount\": 1, \"naturalPersonCustomerRecordCount\": 1, \"legalEntityCustomerRecordCount\": 0,\n"
    "\"fdidRecordList\": [\n"
    "{\"fdidRecordID\": 1, \"firmDesignatedID\": \"A1\", \"fdidType\": \"ACCOUNT\", \"accountType\": [\"OPTION\"],\n"
    " \"accountName\": \"ROE ACCT\", \"fdidDate\": 20240101,\n"
    " \"addressList\": [{\"addrType\": \"ADDRESS1\", \"addrLine1\": \"1 MAIN ST\", \"city\": \"NEW YORK\", \"regionCode\": \"US-NY\", \"countryCode\": \"US\", \"postalCode\": \"10011\"}],\n"
    " \"fdidCustomerList\": [\n"
    "  {\"customerRecordID\": 7, \"role\": \"TRDHOLDER\", \"roleStartDate\": 20240101}]}\n],\n"
    "\"naturalPersonCustomerList\": [\n{\"customerRecordID\": 7, \"firstName\": \"ANN\", \"lastName\": \"ROE\",\n"
    " \"yearOfBirth\": 1970, \"customerType\": [\"NOTAPPLICABLE\"], \"addressList\": [{\"addrType\": \"ADDRESS1\", \"addrLine1\": \"1 MAIN ST\", \"city\": \"NEW YORK\", \"regionCode\": \"US-NY\", \"countryCode\": \"US\", \"postalCode\": \"10011\"}]}\n]}\n";
const char* kTid =
    "{\"version\": \"2.0.0\", \"tidRecordCount\": 1, \"tidRecordList\": [\n"
    "{\"customerRecordID\": 7, \"tidType\": \"SSN/ITIN\",\n"
    " \"tidValue\": \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}]}\n";

class CheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto p = spec::LoadProfile(caisson::testing::DataDir(), "cais-2.2.0r4");
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    profile_ = new spec::Profile(std::move(p).value());
  }
  static void TearDownTestSuite() { delete profile_; }
  void SetUp() override {
    dir_ = caisson::testing::TempDir();
    options_.as_of = 20240102;
    options_.today = 20240105;
  }

  fs::path Bz2(const std::string& name, std::string_view text) {
    caisjson::FileWriter w;
    EXPECT_OK(w.Open(dir_ / name, true));
    EXPECT_OK(w.Write(text));
    EXPECT_OK(w.Commit());
    return dir_ / name;
  }
  fs::path Plain(const std::string& name, std::string_view text) {
    std::ofstream out(dir_ / name, std::ios::binary);
    out << text;
    return dir_ / name;
  }
  // Checks `paths` reading each pair at once, and again in batches of one group on two threads: every case of
  // this suite also shows that batches find exactly what the whole pair finds.
  Report Run(const std::vector<fs::path>& paths) {
    Report r;
    Options whole = options_;
    whole.batch_records = 0;
    EXPECT_OK(CheckPaths(*profile_, paths, whole, &r));
    Report batched;
    Options small = options_;
    small.batch_records = 1;
    small.workers = 2;
    EXPECT_OK(CheckPaths(*profile_, paths, small, &batched));
    EXPECT_EQ(Document(batched), Document(r)) << "batches of one group differ from the whole pair";
    // ... and name the same records (cais-sim maps findings to records by index).
    EXPECT_EQ(RecordIndexes(batched), RecordIndexes(r));
    return r;
  }
  static std::vector<int64_t> RecordIndexes(const Report& r) {
    std::vector<int64_t> out;
    for (const Finding& f : r.findings) out.push_back(f.record_index);
    return out;
  }
  static std::string Document(const Report& r) {
    return std::to_string(r.files) + " " + validate::FindingsJson("p", r.summary, r.findings);
  }
  Report Folder() { return Run({dir_}); }
  static std::string FileCodes(const Report& r) {
    std::string s;
    for (const Finding& f : r.findings) {
      if (f.record == RecordKind::kFile) s += f.rule + ":" + f.cais_code + "@" + f.file + ":" + std::to_string(f.line) + " ";
    }
    return s;
  }
  static int Count(const Report& r, std::string_view rule, std::string_view code) {
    int n = 0;
    for (const Finding& f : r.findings) n += f.rule == rule && f.cais_code == code ? 1 : 0;
    return n;
  }

  static spec::Profile* profile_;
  fs::path dir_;
  Options options_;
};
spec::Profile* CheckTest::profile_ = nullptr;

const std::string kD = "1_2_20240102_CAIS_000001.json.bz2";
const std::string kT = "1_2_20240102_TIDS_000001.json.bz2";

TEST_F(CheckTest, GoodPairHasNoFileFindingsAndRunsRecordRules) {
  Bz2(kD, kData);
  Bz2(kT, kTid);
  Plain("manifest.json", "{}");
  Plain("notes.txt", "x");
  Report r = Folder();
  EXPECT_EQ(r.files, 2);
  EXPECT_EQ(FileCodes(r), "");
  EXPECT_EQ(r.summary.fdids, 1);
  EXPECT_EQ(r.summary.customers, 1);
  EXPECT_EQ(r.summary.tids, 1);
  for (const Finding& f : r.findings) ADD_FAILURE() << f.rule << " " << f.cais_code << " " << f.field << " " << f.message;
}

// Records joined only by keys, in batches of one group each: an FDID listed twice (22002) and an fdidRecordID
// used twice (22004), a REPLACED pair, a customer on two FDIDs, a customerRecordID given to two customers
// (22502), versions of one tidValue spelled in two cases with different years of birth (22533), a customer on no
// FDID (22523), a TID record for no customer (22914) and a second TID record for one customer, and a Correction
// Action Record naming a customer. Run() compares each batch size with the whole pair.
TEST_F(CheckTest, BatchesSeeRecordsThatShareAKeyTogether) {
  auto fdid = [](int rid, const char* id, const std::string& extra, const std::string& roles) {
    return "{\"fdidRecordID\": " + std::to_string(rid) + ", \"firmDesignatedID\": \"" + id +
           "\", \"fdidType\": \"ACCOUNT\", \"accountType\": [\"OPTION\"], \"accountName\": \"ROE ACCT\", "
           "\"fdidDate\": 20240101" + extra +
           ", \"addressList\": [{\"addrType\": \"ADDRESS1\", \"addrLine1\": \"1 MAIN ST\", \"city\": \"NEW YORK\", "
           "\"regionCode\": \"US-NY\", \"countryCode\": \"US\", \"postalCode\": \"10011\"}], \"fdidCustomerList\": [" +
           roles + "]}";
  };
  auto role = [](int crid) {
    return "{\"customerRecordID\": " + std::to_string(crid) + ", \"role\": \"TRDHOLDER\", \"roleStartDate\": 20240101}";
  };
  auto person = [](int crid, int year) {
    return "{\"customerRecordID\": " + std::to_string(crid) + ", \"firstName\": \"ANN\", \"lastName\": \"ROE\", "
           "\"yearOfBirth\": " + std::to_string(year) + ", \"customerType\": [\"NOTAPPLICABLE\"], \"addressList\": "
           "[{\"addrType\": \"ADDRESS1\", \"addrLine1\": \"1 MAIN ST\", \"city\": \"NEW YORK\", \"regionCode\": "
           "\"US-NY\", \"countryCode\": \"US\", \"postalCode\": \"10011\"}]}";
  };
  const std::string fdids[] = {
      fdid(1, "A1", "", role(1)),
      fdid(2, "B2", ", \"fdidEndDate\": 20240102, \"fdidEndReason\": \"REPLACED\", \"replacedByFDID\": \"C3\"",
           role(2)),
      fdid(3, "C3", "", role(2)),
      fdid(3, " A1", "", role(3) + ", " + role(5)),
      fdid(5, "E5", "", role(6)),
  };
  const std::string people[] = {person(1, 1970), person(2, 1971), person(3, 1980), person(4, 1972),
                                person(5, 1973), person(5, 1974), person(6, 1975)};
  std::string data = "{\"version\": \"2.0.0\", \"catReporterCRD\": 2, \"catSubmitterID\": 1, "
                     "\"fdidRecordCount\": 5, \"naturalPersonCustomerRecordCount\": 7, "
                     "\"legalEntityCustomerRecordCount\": 0,\n\"fdidRecordList\": [\n";
  for (size_t i = 0; i < std::size(fdids); ++i) data += (i ? ",\n" : "") + fdids[i];
  data += "],\n\"naturalPersonCustomerList\": [\n";
  for (size_t i = 0; i < std::size(people); ++i) data += (i ? ",\n" : "") + people[i];
  data += "],\n\"correctionList\": [{\"rejectionID\": 1, \"correctionAction\": \"CORRECTION\", "
          "\"correctingCustomerRecordID\": 4}, {\"rejectionID\": 2, \"correctionAction\": \"CORRECTION\", "
          "\"correctingCustomerRecordID\": 8}]}\n";
  auto tid = [](int crid, const std::string& value) {
    return "{\"customerRecordID\": " + std::to_string(crid) + ", \"tidType\": \"SSN/ITIN\", \"tidValue\": \"" +
           value + "\"}";
  };
  const std::string v1 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  std::string v1_upper = v1;
  for (char& c : v1_upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto value = [](char c) { return std::string(64, c); };
  const std::string tids[] = {tid(1, v1),         tid(2, value('2')), tid(3, v1_upper), tid(4, value('4')),
                              tid(5, value('5')), tid(6, value('6')), tid(9, value('9')), tid(2, value('7'))};
  std::string tid_text = "{\"version\": \"2.0.0\", \"tidRecordCount\": 8, \"tidRecordList\": [\n";
  for (size_t i = 0; i < std::size(tids); ++i) tid_text += (i ? ",\n" : "") + tids[i];
  tid_text += "]}\n";
  Bz2(kD, data);
  Bz2(kT, tid_text);
  Report r = Folder();
  EXPECT_EQ(FileCodes(r).find("file."), std::string::npos) << FileCodes(r);  // the pair passes integrity
  EXPECT_EQ(r.summary.fdids, 5);
  EXPECT_EQ(r.summary.customers, 7);
  for (auto [rule, code] : {std::pair{"fdid.duplicate", "22002"}, std::pair{"fdid.record_id", "22004"},
                            std::pair{"customer.record_id", "22502"}, std::pair{"customer.orphan", "22523"},
                            std::pair{"customer.versions_consistent", "22533"}, std::pair{"tid.pairing", "22914"},
                            std::pair{"tid.pairing", "22526"}, std::pair{"correction.format", "24007"}}) {
    EXPECT_GE(Count(r, rule, code), 1) << rule << " " << code;
  }
}

// The decompressed text goes to a temporary file in $TMPDIR: when that cannot be made, the run fails naming the
// folder (the machine's problem), instead of reporting a good file as unreadable.
TEST_F(CheckTest, ATemporaryFolderThatCannotBeUsedFailsTheRunNotTheFile) {
  Bz2(kD, kData);
  Bz2(kT, kTid);
  const char* before = std::getenv("TMPDIR");
  const std::string saved = before != nullptr ? before : "";
  const fs::path missing = dir_ / "no-such-folder";
  setenv("TMPDIR", missing.c_str(), 1);
  Report r;
  Status s = CheckPaths(*profile_, {dir_}, options_, &r);
  if (before != nullptr) setenv("TMPDIR", saved.c_str(), 1);
  else unsetenv("TMPDIR");
  EXPECT_EQ(s.code(), Status::Code::kIOError) << s.ToString();
  EXPECT_NE(s.message().find(missing.string()), std::string::npos) << s.ToString();
  EXPECT_TRUE(r.findings.empty());
  Report ok = Folder();  // with the folder back, the same files pass
  EXPECT_EQ(FileCodes(ok), "");
}

TEST_F(CheckTest, RecordRulesRunThroughValidate) {
  Bz2(kD, kData);
  // The TID record belongs to no customer; customer 7 has none.
  std::string tid = kTid;
  tid.replace(tid.find("\"customerRecordID\": 7"), 21, "\"customerRecordID\": 9");
  Bz2(kT, tid);
  Report r = Folder();
  EXPECT_EQ(FileCodes(r), "");
  EXPECT_EQ(Count(r, "tid.pairing", "22914"), 1);
  EXPECT_GE(Count(r, "tid.pairing", "22526") + Count(r, "customer.np_required", "22526"), 1);
}

TEST_F(CheckTest, FileNameRules) {
  struct Case {
    std::string data, tid;
    std::string expect;
  };
  for (const Case& c : std::vector<Case>{
           {"1_2_20240102_CAIS_1.json.bz2", "1_2_20240102_TIDS_1.json.bz2", "21010 21510"},
           {"1_2_20240102_caisweb_CAIS_000001.json.bz2", "1_2_20240102_caisweb_TIDS_000001.json.bz2", "21010 21510"},
           {"1_2_20240106_CAIS_000001.json.bz2", "1_2_20240106_TIDS_000001.json.bz2", "21004 21504"},
           {"1_2_20230229_CAIS_000001.json.bz2", "1_2_20230229_TIDS_000001.json.bz2", "21004 21504"},
           {"1_2_20240102_G-1_CAIS_000001.json.bz2", "1_2_20240102_G-1_TIDS_000001.json.bz2", "21010 21510"},
           {"1_2_20240102_abcdefghijklmnopqrstu_CAIS_000001.json.bz2",
            "1_2_20240102_abcdefghijklmnopqrstu_TIDS_000001.json.bz2", "21010 21510"},
       }) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Bz2(c.data, kData);
    Bz2(c.tid, kTid);
    Report r = Folder();
    std::string codes;
    for (const Finding& f : r.findings) {
      if (f.rule == "file.name") codes += (codes.empty() ? "" : " ") + f.cais_code;
    }
    EXPECT_EQ(codes, c.expect) << c.data << " " << FileCodes(r);
    EXPECT_EQ(r.summary.customers, 1);  // read, but held with the whole pair
    EXPECT_EQ(r.summary.held_customers, 1);
  }
}

TEST_F(CheckTest, GroupCaisIsAWarningOnly) {
  Bz2("1_2_20240102_Cais_CAIS_000001.json.bz2", kData);
  Bz2("1_2_20240102_Cais_TIDS_000001.json.bz2", kTid);
  Report r = Folder();
  EXPECT_EQ(FileCodes(r), "file.group:@1_2_20240102_Cais_CAIS_000001.json.bz2:0 "
                          "file.group:@1_2_20240102_Cais_TIDS_000001.json.bz2:0 ");
  EXPECT_EQ(r.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(r.summary.held_customers, 0);
}

TEST_F(CheckTest, NotBzip2AndPropagationToPartner) {
  Plain(kD, kData);  // named .json.bz2 but plain
  Bz2(kT, kTid);
  Report r = Folder();
  EXPECT_EQ(FileCodes(r), "file.compression:21013@" + kD + ":0 file.pair:21514@" + kT + ":0 ");
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_NE(r.findings[1].message.find(kD), std::string::npos);
  EXPECT_EQ(r.summary.held_fdids, 1);
}

TEST_F(CheckTest, TruncatedBzip2) {
  fs::path d = Bz2(kD, kData);
  Bz2(kT, kTid);
  fs::resize_file(d, fs::file_size(d) - 10);
  Report r = Folder();
  EXPECT_EQ(FileCodes(r), "file.compression:21013@" + kD + ":0 file.pair:21514@" + kT + ":0 ");
}

TEST_F(CheckTest, PlainJsonIsReportedButStillChecked) {
  Plain("1_2_20240102_CAIS_000001.json", kData);
  Plain("1_2_20240102_TIDS_000001.json", kTid);
  Report r = Folder();
  EXPECT_EQ(Count(r, "file.compression", "21013"), 1);
  EXPECT_EQ(Count(r, "file.compression", "21513"), 1);
  EXPECT_EQ(r.summary.held_customers, 0);
}

TEST_F(CheckTest, JsonSyntaxErrorFailsThePair) {
  std::string d = kData;
  d.replace(d.find("\"fdidDate\": 20240101"), 20, "\"fdidDate\": 020240101");
  Bz2(kD, d);
  Bz2(kT, kTid);
  Report r = Folder();
  EXPECT_EQ(FileCodes(r), "file.json:21011@" + kD + ":5 file.pair:21514@" + kT + ":0 ");
}

TEST_F(CheckTest, HeaderMustMatchNameAndOptions) {
  Bz2("1_3_20240102_CAIS_000001.json.bz2", kData);
  Bz2("1_3_20240102_TIDS_000001.json.bz2", kTid);
  options_.cat_submitter_id = 5;
  Report r = Folder();
  EXPECT_EQ(Count(r, "file.header", "21003"), 1);
  EXPECT_EQ(Count(r, "file.header", "21002"), 1);
  EXPECT_EQ(Count(r, "file.header", ""), 0);
  EXPECT_EQ(Count(r, "file.pair", "21514"), 1);  // the TID File fails with its Data File [§6.2 R11]
}

TEST_F(CheckTest, CountsAndVersion) {
  std::string d = kData;
  d.replace(d.find("\"fdidRecordCount\": 1"), 20, "\"fdidRecordCount\": 3");
  std::string t = kTid;
  t.replace(t.find("2.0.0"), 5, "1.0.0");
  Bz2(kD, d);
  Bz2(kT, t);
  Report r = Folder();
  // Each file reports its own failure and gets one file.pair for its partner's [§6.2 R11].
  EXPECT_EQ(FileCodes(r), "file.pair:21014@" + kD + ":0 file.counts:21007@" + kD + ":2 file.pair:21514@" + kT +
                              ":0 file.header:21508@" + kT + ":1 ");
}

// [§6.2 R11; App B 21014, 21514]: the partner of a file that failed integrity gets exactly one file.pair
// finding with its own code, never a mirror of the failing rule's code (an NP count error is not a 21507).
TEST_F(CheckTest, PartnerOfAFailedFileGetsOnePairFinding) {
  std::string d = kData;
  d.replace(d.find("\"naturalPersonCustomerRecordCount\": 1"), 37, "\"naturalPersonCustomerRecordCount\": 4");
  d.replace(d.find("\"version\": \"2.0.0\""), 18, "\"version\": \"9.9.9\"");
  Bz2(kD, d);
  Bz2(kT, kTid);
  Report r = Folder();
  EXPECT_EQ(FileCodes(r), "file.header:21008@" + kD + ":1 file.counts:21016@" + kD + ":2 file.pair:21514@" + kT +
                              ":0 ");
  EXPECT_EQ(Count(r, "file.counts", "21507"), 0);
  for (const Finding& f : r.findings) {
    if (f.file != kT) continue;
    EXPECT_EQ(f.severity, Severity::kReject);
    EXPECT_NE(f.message.find("paired file " + kD + " failed file integrity"), std::string::npos) << f.message;
  }

  // And the other way: a TID File failure gives the Data File one 21014.
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  std::string t = kTid;
  t.replace(t.find("\"tidRecordCount\": 1"), 19, "\"tidRecordCount\": 2");
  Bz2(kD, kData);
  Bz2(kT, t);
  r = Folder();
  EXPECT_EQ(FileCodes(r), "file.pair:21014@" + kD + ":0 file.counts:21507@" + kT + ":1 ");
}

// [§5.1.3 R12; §5.1.4 R9; App B 21009 l.6849, 21509 l.6915]: 21009/21509 are only for the FDID / TID Record
// counts; the 1 GB size and the Customer Record count are file.size findings without a code.
TEST(PortalLimits, CodeOfEachLimit) {
  using internal::FileKind;
  using internal::PortalLimit;
  using internal::PortalLimitCode;
  EXPECT_EQ(PortalLimitCode(PortalLimit::kFdidRecords, FileKind::kData), "21009");
  EXPECT_EQ(PortalLimitCode(PortalLimit::kTidRecords, FileKind::kTid), "21509");
  EXPECT_EQ(PortalLimitCode(PortalLimit::kCustomerRecords, FileKind::kData), "");
  EXPECT_EQ(PortalLimitCode(PortalLimit::kBytes, FileKind::kData), "");
  EXPECT_EQ(PortalLimitCode(PortalLimit::kBytes, FileKind::kTid), "");
}

TEST_F(CheckTest, PortalLimitsWithSmallInjectedLimits) {
  // A copy of the shipped profiles with tiny portal limits: 100 bytes and 1 record.
  fs::path data = caisson::testing::TempDir();
  fs::create_directories(data / "spec");
  for (const auto& e : fs::directory_iterator(caisson::testing::DataDir() / "spec")) {
    fs::copy_file(e.path(), data / "spec" / e.path().filename());
  }
  {
    std::ifstream in(data / "spec" / "cais-2.2.0r4.json", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    text.replace(text.find("\"portal_max_file_bytes\": 1000000000"), 35, "\"portal_max_file_bytes\": 100");
    text.replace(text.find("\"portal_max_records\": 100000"), 28, "\"portal_max_records\": 1");
    std::ofstream out(data / "spec" / "cais-2.2.0r4.json", std::ios::binary | std::ios::trunc);
    out << text;
  }
  auto small = spec::LoadProfile(data, "cais-2.2.0r4");
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  ASSERT_EQ(small->portal_max_records(), 1);

  // Two customers, two TID records, one FDID.
  std::string d = kData;
  d.replace(d.find("\"naturalPersonCustomerRecordCount\": 1"), 37, "\"naturalPersonCustomerRecordCount\": 2");
  d.insert(d.rfind("\n]}"), ",\n{\"customerRecordID\": 8, \"firstName\": \"BO\", \"lastName\": \"ROE\"}");
  std::string t = kTid;
  t.replace(t.find("\"tidRecordCount\": 1"), 19, "\"tidRecordCount\": 2");
  t.insert(t.rfind("]}"), ",\n{\"customerRecordID\": 8, \"tidType\": \"SSN/ITIN\", \"tidValue\": "
                          "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdee\"}");
  Bz2(kD, d);
  Bz2(kT, t);
  options_.portal = true;
  Report r;
  ASSERT_OK(CheckPaths(*small, {dir_}, options_, &r));
  std::string sizes;
  int customer_msgs = 0, byte_msgs = 0;
  for (const Finding& f : r.findings) {
    if (f.rule != "file.size") continue;
    sizes += f.cais_code + "@" + f.file + " ";
    customer_msgs += f.message.find("2 Customer Records") != std::string::npos ? 1 : 0;
    byte_msgs += f.message.find("bytes uncompressed") != std::string::npos ? 1 : 0;
    EXPECT_EQ(f.severity, Severity::kReject);
  }
  EXPECT_EQ(sizes, "@" + kD + " @" + kD + " @" + kT + " 21509@" + kT + " ") << FileCodes(r);
  EXPECT_EQ(customer_msgs, 1);
  EXPECT_EQ(byte_msgs, 2);
  EXPECT_EQ(Count(r, "file.size", "21009"), 0);

  // Two FDIDs: 21009.
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  std::string d2 = kData;
  d2.replace(d2.find("\"fdidRecordCount\": 1"), 20, "\"fdidRecordCount\": 2");
  std::string fdid = d2.substr(d2.find("{\"fdidRecordID\": 1"));
  fdid = fdid.substr(0, fdid.find("]}\n],") + 2);
  std::string fdid2 = fdid;
  fdid2.replace(fdid2.find("\"A1\""), 4, "\"A2\"");
  fdid2.replace(fdid2.find("\"fdidRecordID\": 1"), 17, "\"fdidRecordID\": 2");
  d2.insert(d2.find("]}\n],") + 2, ",\n" + fdid2);
  Bz2(kD, d2);
  Bz2(kT, kTid);
  r = Report();
  ASSERT_OK(CheckPaths(*small, {dir_}, options_, &r));
  EXPECT_EQ(Count(r, "file.size", "21009"), 1) << FileCodes(r);
  EXPECT_EQ(Count(r, "file.size", "21509"), 0) << FileCodes(r);
}

// correction.format [App B Table 30] reaches `check` as warnings with the catalogue's severity, and is not
// reported for a pair that failed integrity.
TEST_F(CheckTest, CorrectionListWarnings) {
  std::string d = kData;
  d.insert(d.rfind('}'), ", \"correctionList\": [{\"rejectionID\": \"x\", \"correctionAction\": \"FIX\", \"bogus\": 1}, "
                         "{\"correctionAction\": \"CORRECTION\"}]");
  Bz2(kD, d);
  Bz2(kT, kTid);
  Report r = Folder();
  EXPECT_EQ(FileCodes(r), "correction.format:@" + kD + ":13 correction.format:24001@" + kD +
                              ":13 correction.format:24002@" + kD + ":13 correction.format:24006@" + kD +
                              ":13 correction.format:24008@" + kD + ":13 ");
  for (const Finding& f : r.findings) {
    if (f.rule == "correction.format") {
      EXPECT_EQ(f.severity, validate::FindRule("correction.format")->severity);
    }
  }
  EXPECT_EQ(validate::FindRule("correction.format")->severity, Severity::kWarning);
  EXPECT_EQ(r.summary.held_fdids, 0);

  fs::remove_all(dir_);
  fs::create_directories(dir_);
  d.replace(d.find("\"fdidRecordCount\": 1"), 20, "\"fdidRecordCount\": 5");
  Bz2(kD, d);
  Bz2(kT, kTid);
  r = Folder();
  EXPECT_EQ(Count(r, "correction.format", "24002"), 0) << FileCodes(r);
}

TEST_F(CheckTest, MissingPartner) {
  Bz2(kD, kData);
  Bz2("1_2_20240102_TIDS_000002.json.bz2", kTid);
  Report r = Folder();
  EXPECT_EQ(FileCodes(r), "file.pair:21014@" + kD + ":0 file.pair:21514@1_2_20240102_TIDS_000002.json.bz2:0 ");
}

TEST_F(CheckTest, ExplicitFilesAndNotFound) {
  fs::path d = Bz2(kD, kData);
  fs::path t = Bz2(kT, kTid);
  Report r = Run({d, t});
  EXPECT_EQ(r.files, 2);
  EXPECT_EQ(FileCodes(r), "");
  Report missing;
  Status s = CheckPaths(*profile_, {dir_ / "nope"}, options_, &missing);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
}

TEST_F(CheckTest, ExamplePairFromTheSpecPassesIntegrity) {
  auto slurp = [](const char* n) {
    std::ifstream in(caisson::testing::TestsDir() / "caisjson" / "testdata" / n, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  Bz2("99999_123456_20240102_CAIS_000001.json.bz2", slurp("example_data.json"));
  Bz2("99999_123456_20240102_TIDS_000001.json.bz2", slurp("example_tid.json"));
  Report r = Folder();
  EXPECT_EQ(FileCodes(r), "");
  EXPECT_EQ(r.summary.fdids, 3);
  EXPECT_EQ(r.summary.customers, 4);
  EXPECT_EQ(r.summary.tids, 4);
}

}  // namespace
}  // namespace caisson::check
