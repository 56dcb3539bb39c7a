// `caisson validate` in batches (apps/caisson/batched_validate.h) reports exactly what a read of the whole books
// reports: the same findings document, the same summary line and exit status; `caisson build`, which reads the
// books in batches and puts the model back together, writes the same files byte for byte.
// CAISSON_VALIDATE_BATCH sets the batch size (0 = the whole books at once). Synthetic data only.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "cli_util.h"
#include "feedback_files.h"
#include "store_dump.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

// Runs `validate` with batches of `records` FDIDs and customers.
RunResult ValidateWith(const std::string& records, const std::string& args, const fs::path& cwd) {
  setenv("CAISSON_VALIDATE_BATCH", records.c_str(), 1);
  RunResult r = RunCaisson("validate " + args, cwd);
  unsetenv("CAISSON_VALIDATE_BATCH");
  return r;
}

// The line of stderr that sums the run up.
std::string SummaryLine(const std::string& err) {
  const size_t at = err.rfind("caisson validate:");
  return at == std::string::npos ? std::string() : err.substr(at);
}

void ExpectSameAsWhole(const fs::path& dir, const std::vector<std::string>& sizes) {
  const RunResult whole = ValidateWith("0", "--format json .", dir);
  ASSERT_EQ(whole.exit_code, 1) << whole.err;
  ASSERT_NE(whole.out.find("\"findings\""), std::string::npos);
  for (const std::string& size : sizes) {
    const RunResult batched = ValidateWith(size, "--format json .", dir);
    EXPECT_EQ(batched.exit_code, whole.exit_code) << size;
    EXPECT_EQ(batched.out, whole.out) << "batches of " << size;
    EXPECT_EQ(SummaryLine(batched.err), SummaryLine(whole.err)) << size;
  }
}

// Generated books with a defect planted in 30 % of the accounts (every rule gen knows), in batches far smaller
// than the books: components, REPLACED pairs and customers of one tidValue all cross batch boundaries.
TEST(BatchedValidate, SameFindingsAsTheWholeBooksOnGeneratedBooksWithDefects) {
  const fs::path root = TempDir();
  for (const char* seed : {"1", "3"}) {
    const fs::path dir = root / seed;
    ASSERT_EQ(RunCaisson(std::string("gen --accounts 3000 --defects 0.3 --seed ") + seed + " --out " + dir.string(),
                         root).exit_code, 0);
    ExpectSameAsWhole(dir, {"7", "300", "1000000"});
    setenv("CAISSON_VALIDATE_SCAN_LINKS", "0", 1);  // customers of one tidValue joined by the second round
    ExpectSameAsWhole(dir, {"7"});
    unsetenv("CAISSON_VALIDATE_SCAN_LINKS");
  }
}

// Writes a firm of `accounts` single-holder accounts F<i> / C<i>; customers `twin_a` and `twin_b` share one SSN
// with different years of birth, so both are rejected with 22533 [§3.9] whichever batches they fall in.
void WriteTwinFirm(const fs::path& dir, int accounts, int twin_a, int twin_b) {
  fs::create_directories(dir);
  std::ofstream(dir / "caisson.toml") << "[firm]\ncat_reporter_crd = 990001\ncat_submitter_id = 990002\n"
                                         "[spec]\nas_of = \"2026-11-10\"\n";
  std::ofstream a(dir / "accounts.csv"), c(dir / "customers.csv"), i(dir / "identifiers.csv"),
      r(dir / "roles.csv"), d(dir / "addresses.csv");
  a << "fdid,fdid_type,account_types,account_name,fdid_date,last_activity_date\n";
  c << "customer_id,kind,customer_types,first_name,last_name,year_of_birth\n";
  i << "customer_id,id_type,id_value\n";
  r << "fdid,customer_id,role,role_start_date\n";
  d << "owner_type,owner_id,addr_type,line1,city,region,postal_code,country\n";
  for (int n = 1; n <= accounts; ++n) {
    a << "F" << n << ",ACCOUNT,MARGIN,SYNTHETIC " << n << ",2020-01-02,2026-11-01\n";
    c << "C" << n << ",NATURAL_PERSON,NOTAPPLICABLE,SYN,PERSON" << n << "," << (n == twin_b ? 1981 : 1970) << "\n";
    const int ssn = n == twin_b ? twin_a : n;
    i << "C" << n << ",SSN,12345" << 1000 + ssn << "\n";  // area 123, group 45: a valid range
    r << "F" << n << ",C" << n << ",TRDHOLDER,2020-01-02\n";
    d << "ACCOUNT,F" << n << ",ADDRESS1,1 TEST ST,NEW YORK,NY,10011,US\n";
    d << "CUSTOMER,C" << n << ",ADDRESS1,2 TEST AVE,NEW YORK,NY,10012,US\n";
  }
}

// The two customers of one SSN would sit in the first and the last batch. The scan joins them through their
// identifier; without that (CAISSON_VALIDATE_SCAN_LINKS=0) the second round joins them. Either way they are
// compared as in the whole books.
TEST(BatchedValidate, CustomersOfOneTidValueInDistantBatchesAreComparedAsInTheWholeBooks) {
  const fs::path root = TempDir();
  WriteTwinFirm(root, 40, 2, 39);
  const RunResult whole = ValidateWith("0", "--format json .", root);
  ASSERT_EQ(whole.exit_code, 1) << whole.err;
  EXPECT_NE(whole.out.find("\"key\": \"C2\""), std::string::npos) << whole.out;
  EXPECT_NE(whole.out.find("\"key\": \"C39\""), std::string::npos);
  EXPECT_NE(whole.out.find("\"cais_code\": \"22533\""), std::string::npos);
  ExpectSameAsWhole(root, {"2", "4", "10"});

  setenv("CAISSON_TIMINGS", "1", 1);
  const RunResult linked = ValidateWith("2", "--format json .", root);
  setenv("CAISSON_VALIDATE_SCAN_LINKS", "0", 1);
  const RunResult rounds = ValidateWith("2", "--format json .", root);
  unsetenv("CAISSON_VALIDATE_SCAN_LINKS");
  unsetenv("CAISSON_TIMINGS");
  EXPECT_EQ(linked.out, whole.out);
  EXPECT_EQ(rounds.out, whole.out);
  EXPECT_EQ(linked.err.find("phase tid batches"), std::string::npos) << linked.err;
  EXPECT_NE(rounds.err.find("phase tid batches"), std::string::npos) << rounds.err;
}

// The rules compare firmDesignatedIDs trimmed: an FDID whose key has a trailing space is the same FDID twice
// (22002), and a replacedByFDID with one names the FDID without it. Far apart in the books, they are still
// compared.
TEST(BatchedValidate, FdidsEqualButForSpacesAreComparedAsInTheWholeBooks) {
  const fs::path root = TempDir();
  WriteTwinFirm(root, 40, 1, 2);
  {
    std::ofstream a(root / "accounts.csv", std::ios::app);
    a << "F3 ,ACCOUNT,MARGIN,SYNTHETIC 3 AGAIN,2020-01-02,2026-11-01\n";
  }
  // F4 ends REPLACED by "F38 " (with a space): its replacement is F38.
  std::string accounts = ReadAll(root / "accounts.csv");
  const std::string f4 = "F4,ACCOUNT,MARGIN,SYNTHETIC 4,2020-01-02,2026-11-01\n";
  ASSERT_NE(accounts.find(f4), std::string::npos);
  accounts.replace(accounts.find(f4), f4.size(),
                   "F4,ACCOUNT,MARGIN,SYNTHETIC 4,2020-01-02,2026-11-01,2024-05-01,REPLACED,F38 \n");
  const std::string header = "fdid,fdid_type,account_types,account_name,fdid_date,last_activity_date\n";
  accounts.replace(0, header.size(),
                   "fdid,fdid_type,account_types,account_name,fdid_date,last_activity_date,fdid_end_date,"
                   "fdid_end_reason,replaced_by_fdid\n");
  std::ofstream(root / "accounts.csv") << accounts;
  const RunResult whole = ValidateWith("0", "--format json .", root);
  EXPECT_NE(whole.out.find("\"cais_code\": \"22002\""), std::string::npos) << whole.out;
  ExpectSameAsWhole(root, {"2", "4"});
}

// A build of a copy of `books` in `work` with batches of `records`: its run, every file of its output folder and
// what its state store holds.
struct BuildRun {
  RunResult run;
  std::map<std::string, std::string> files;  // name -> bytes
  std::string store;
  bool merged = false;    // the batches' models were put together (ReadBooksInBatches)
  bool streamed = false;  // the streamed build ran to the end (streamed_build.h)
};

// Timing lines name the phases a run went through, and a delta's first line the way it reads the whole books;
// they are not part of what a user compares.
std::string WithoutTimings(const std::string& err, BuildRun* b) {
  std::istringstream in(err);
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.find("reading the whole books in batches") != std::string::npos ||
        line.find("reading the whole books at once") != std::string::npos) {
      continue;  // the path, which `streamed` tells
    }
    if (line.find(": phase ") != std::string::npos) {
      if (line.find("phase merge") != std::string::npos) b->merged = true;
      if (line.find("caisson build (streamed): phase record") != std::string::npos) b->streamed = true;
      continue;
    }
    kept += line + "\n";
  }
  return kept;
}

// What a build in `work` left: its stderr without timings (and the paths it took), its files, its store.
void Collect(const fs::path& work, BuildRun* b) {
  b->run.err = WithoutTimings(b->run.err, b);
  for (const fs::directory_entry& e : fs::directory_iterator(work / "out")) {
    b->files[e.path().filename().string()] = ReadAll(e.path());
  }
  b->store = DumpStore(work / "caisson.db", /*digests_and_maps=*/true);
}

// The two builds wrote, said and recorded the same.
void ExpectSameBuild(const BuildRun& a, const BuildRun& b, const std::string& what) {
  EXPECT_EQ(a.run.err, b.run.err) << what;
  EXPECT_EQ(a.run.exit_code, b.run.exit_code) << what;
  EXPECT_EQ(a.run.out, b.run.out) << what;
  ASSERT_EQ(a.files.size(), b.files.size()) << what;
  for (const auto& [name, bytes] : b.files) {
    EXPECT_TRUE(a.files.count(name) == 1 && a.files.at(name) == bytes) << name << " differs with " << what;
  }
  EXPECT_EQ(a.store, b.store) << what;
}

// `stream`: "0" turns the streamed build off (the batches are merged into the whole books instead).
BuildRun BuildWith(const std::string& records, const fs::path& books, const fs::path& work,
                   const std::string& stream = "1", const std::string& args = "") {
  fs::remove_all(work);
  fs::copy(books, work, fs::copy_options::recursive);
  setenv("CAISSON_VALIDATE_BATCH", records.c_str(), 1);
  setenv("CAISSON_STREAMED_BUILD", stream.c_str(), 1);
  setenv("CAISSON_TIMINGS", "1", 1);
  BuildRun b;
  b.run = RunCaisson("build --format json . --out out" + args, work);
  unsetenv("CAISSON_TIMINGS");
  unsetenv("CAISSON_STREAMED_BUILD");
  unsetenv("CAISSON_VALIDATE_BATCH");
  Collect(work, &b);
  return b;
}

enum class Path { kStreamed, kMerged };

void ExpectSameBuildAsWhole(const fs::path& books, const std::vector<std::string>& sizes, Path expected,
                            const std::string& args = "") {
  const fs::path root = books.parent_path();
  const BuildRun whole = BuildWith("0", books, root / "whole", "1", args);
  ASSERT_EQ(whole.run.exit_code, 1) << whole.run.err;
  EXPECT_FALSE(whole.merged);
  EXPECT_FALSE(whole.streamed);
  ASSERT_GE(whole.files.size(), 4u);  // a pair at least, manifest.json and findings.json
  ASSERT_NE(whole.store.find("customer "), std::string::npos);
  for (const std::string& size : sizes) {
    for (const std::string stream : {"1", "0"}) {
      const std::string what = "batches of " + size + (stream == "0" ? ", not streamed" : "");
      const BuildRun batched = BuildWith(size, books, root / ("batches" + size + "-" + stream), stream, args);
      const bool streams = expected == Path::kStreamed && stream == "1";
      EXPECT_EQ(batched.streamed, streams) << what << ": " << batched.run.err;
      EXPECT_EQ(batched.merged, !streams) << what << ": " << batched.run.err;
      ExpectSameBuild(batched, whole, what);
    }
  }
}

// The batches' records in the books' order, whether streamed into the spill or put back into the whole model:
// records, holds and findings. Any record out of place, an association naming the wrong customer, a hold on
// the wrong record or a state recorded differently changes the bytes or the store.
TEST(BatchedBuild, WritesAndRecordsWhatAWholeReadDoesOnGeneratedBooksWithDefects) {
  const fs::path root = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 3000 --defects 0.3 --seed 3 --out " + (root / "books").string(), root)
                .exit_code, 0);
  ExpectSameBuildAsWhole(root / "books", {"7", "300"}, Path::kStreamed);
}

// Small files (many pairs per correspondentCRD, split between units) and FDIDs ended INACTIVE by the build.
TEST(BatchedBuild, WritesAndRecordsWhatAWholeReadDoesWithSplitsAndInactiveEnds) {
  const fs::path root = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 1500 --defects 0.1 --seed 11 --out " + (root / "books").string(), root)
                .exit_code, 0);
  std::string toml = ReadAll(root / "books" / "caisson.toml");
  const std::string limit = "max_file_bytes = 1000000000";
  ASSERT_NE(toml.find(limit), std::string::npos);
  toml.replace(toml.find(limit), limit.size(), "max_file_bytes = 60000");
  std::ofstream(root / "books" / "caisson.toml") << toml;
  ExpectSameBuildAsWhole(root / "books", {"50"}, Path::kStreamed, " --end-inactive");
}

// Customers of one tidValue far apart, joined by the second round: the streamed build cannot take batches that
// run again, so it leaves the build to the merged batches, whose second run replaces the models of the first.
TEST(BatchedBuild, WritesAndRecordsWhatAWholeReadDoesWhenTheSecondRoundRuns) {
  const fs::path root = TempDir();
  WriteTwinFirm(root / "books", 40, 2, 39);
  setenv("CAISSON_VALIDATE_SCAN_LINKS", "0", 1);
  ExpectSameBuildAsWhole(root / "books", {"2"}, Path::kMerged);
  unsetenv("CAISSON_VALIDATE_SCAN_LINKS");
}

// A TID replacement [§3.2] puts the previous version beside the customer on every open FDID: the whole-books
// build does that, so a full build that meets one reads the books whole (after the batches found it), and
// no spill file is left in either output folder.
TEST(BatchedBuild, AFullBuildThatMeetsATidReplacementReadsTheWholeBooks) {
  const fs::path root = TempDir();
  const fs::path books = root / "books";
  ASSERT_EQ(RunCaisson("gen --accounts 200 --seed 5 --out " + books.string(), root).exit_code, 0);
  setenv("CAISSON_TIMINGS", "1", 1);
  const RunResult first = RunCaisson("build . --out out --file-date 20261118", books);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(RunCaisson("accept 1 --date 20261118 --config caisson.toml", books).exit_code, 0);
  // The first customer's SSN was never its own (CORRECTION): a new one from today.
  std::string ids = ReadAll(books / "identifiers.csv");
  const size_t at = ids.find("\nC00000001,SSN,");
  ASSERT_NE(at, std::string::npos) << ids.substr(0, 300);
  const size_t end = ids.find('\n', at + 1);
  const std::string row = ids.substr(at + 1, end - at - 1);  // customer_id,id_type,id_value,,,,
  ASSERT_TRUE(row.ends_with(",,,,")) << row;
  std::string renewed = row.substr(0, row.size() - 4);
  renewed.back() = renewed.back() == '9' ? '8' : static_cast<char>(renewed.back() + 1);
  ids.replace(at + 1, row.size(),
              row.substr(0, row.size() - 4) + ",,,2026-11-19,CORRECTION\n" + renewed + ",,,,");
  std::ofstream(books / "identifiers.csv") << ids;
  const RunResult second = RunCaisson("build . --out out2 --file-date 20261119", books);
  unsetenv("CAISSON_TIMINGS");
  EXPECT_NE(first.err.find("caisson build (streamed): phase record"), std::string::npos) << first.err;
  EXPECT_LE(second.exit_code, 1) << second.err;
  EXPECT_NE(second.err.find("streamed: not possible"), std::string::npos) << second.err;
  EXPECT_EQ(second.err.find("caisson build (streamed): phase record"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("1 customer(s) replace their TID"), std::string::npos) << second.err;
  for (const char* out : {"out", "out2"}) {
    for (const fs::directory_entry& e : fs::directory_iterator(books / out)) {
      EXPECT_EQ(e.path().filename().string().find(".caisson-spool"), std::string::npos) << e.path();
    }
  }
}

// The first `n` values of `field` ("firmDesignatedID") in a Data File's text, in file order.
std::vector<std::string> ValuesOf(const std::string& data, const std::string& field, size_t n) {
  std::vector<std::string> values;
  const std::string tag = "\"" + field + "\":\"";
  for (size_t at = data.find(tag); at != std::string::npos && values.size() < n; at = data.find(tag, at + 1)) {
    const size_t begin = at + tag.size();
    values.push_back(data.substr(begin, data.find('"', begin) - begin));
  }
  return values;
}

// A copy of root/books in root/stream<stream>, built on the first day in batches of 50, streamed ("1") or
// not ("0"); the environment stays set for SecondBuild.
void FirstBuild(const fs::path& root, const std::string& stream, fs::path* work) {
  *work = root / ("stream" + stream);
  fs::copy(root / "books", *work, fs::copy_options::recursive);
  setenv("CAISSON_VALIDATE_BATCH", "50", 1);
  setenv("CAISSON_STREAMED_BUILD", stream.c_str(), 1);
  const RunResult first = RunCaisson("build . --out out --file-date 20261118", *work);
  ASSERT_LE(first.exit_code, 1) << first.err;
}

// The second day's build in `work` (in FirstBuild's environment), collected: a full one, or with `extra`
// ("--delta --scan full": a delta that reads the whole books).
BuildRun SecondBuild(const fs::path& work, const std::string& extra = "") {
  setenv("CAISSON_TIMINGS", "1", 1);
  BuildRun b;
  b.run = RunCaisson("build --format json . --out out --file-date 20261119 " + extra, work);
  unsetenv("CAISSON_TIMINGS");
  unsetenv("CAISSON_STREAMED_BUILD");
  unsetenv("CAISSON_VALIDATE_BATCH");
  Collect(work, &b);
  return b;
}

// The cells of an unquoted CSV row, and back.
std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  std::istringstream cut(row);
  for (std::string cell; std::getline(cut, cell, ',');) cells.push_back(cell);
  if (!row.empty() && row.back() == ',') cells.push_back("");
  return cells;
}
std::string Row(const std::vector<std::string>& cells) {
  std::string row;
  for (size_t i = 0; i < cells.size(); ++i) row += (i ? "," : "") + cells[i];
  return row;
}

// The firm's second full build, over a store that has sent and had an acceptance with rejected FDIDs: since
// then FDIDs CAIS accepted left the books (state.vanished), one moved to another correspondentCRD
// (state.pairing: held back) and accounts were renamed. Streamed (each batch reads its records' store rows)
// and from the whole books, it writes and records the same.
TEST(BatchedBuild, AFullBuildOverAStoreThatHasSentWritesAndRecordsWhatAWholeReadDoes) {
  const fs::path root = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 1500 --defects 0.1 --seed 9 --out " + (root / "books").string(), root)
                .exit_code, 0);
  std::map<std::string, BuildRun> second;
  for (const std::string stream : {"1", "0"}) {
    fs::path work;
    ASSERT_NO_FATAL_FAILURE(FirstBuild(root, stream, &work));
    // Two FDIDs of the first Data File are rejected: the next build sends them again.
    Result<std::string> text = caisjson::ReadMaybeBz2(work / "out" / "990002_990001_20261118_CAIS_000001.json.bz2");
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    const std::string& data = *text;
    const std::vector<std::string> sent = ValuesOf(data, "firmDesignatedID", 2);
    ASSERT_EQ(sent.size(), 2u);
    const RunResult accepted = RunCaisson("accept 1 --date 20261118 --reject-fdid " + sent[0] + " --reject-fdid " +
                                              sent[1] + " --config caisson.toml",
                                          work);
    ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
    // Day 2: rows 10-19 of accounts.csv gone, every 11th under correspondentCRD 4242, every 7th renamed.
    std::istringstream in(ReadAll(work / "accounts.csv"));
    std::ostringstream out;
    std::string line;
    for (int n = 0; std::getline(in, line); ++n) {
      if (n >= 10 && n < 20) continue;
      if (n > 0 && (n % 11 == 3 || n % 7 == 0)) {
        std::vector<std::string> cells = Cells(line);
        if (cells.size() != 18 || line.find('"') != std::string::npos) {
          out << line << "\n";
          continue;
        }
        if (n % 11 == 3) cells[16] = "4242";
        else cells[3] = "RENAMED " + std::to_string(n);
        out << Row(cells) << "\n";
        continue;
      }
      out << line << "\n";
    }
    std::ofstream(work / "accounts.csv") << out.str();
    second[stream] = SecondBuild(work);
  }
  const BuildRun& streamed = second["1"];
  const BuildRun& whole = second["0"];
  EXPECT_TRUE(streamed.streamed) << streamed.run.err;
  EXPECT_FALSE(whole.streamed);
  EXPECT_NE(whole.run.out.find("state.vanished"), std::string::npos);
  EXPECT_NE(whole.run.out.find("state.pairing"), std::string::npos);
  ExpectSameBuild(streamed, whole, "the second full build");
}

// A full build while the store holds open repair items and an open Material Inconsistency: CAIS rejected
// FDIDs and customers of the first file (two codes repaired only through the correctionList, one whose FDID
// then leaves the books: a DELETE) and reported an inconsistency on a customer (resent with updateNotification
// true); and customers CAIS accepted changed their year of birth (flagged, or predicted). Streamed, each batch
// settles its own records; the files and the store are the whole books' build's.
void OpenRepairsDay(const std::string& second_build) {
  const fs::path root = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 1500 --defects 0.1 --seed 9 --out " + (root / "books").string(), root)
                .exit_code, 0);
  std::map<std::string, BuildRun> second;
  for (const std::string stream : {"1", "0"}) {
    fs::path work;
    ASSERT_NO_FATAL_FAILURE(FirstBuild(root, stream, &work));
    const std::string base = "990002_990001_20261118_CAIS_000001";
    Result<std::string> text = caisjson::ReadMaybeBz2(work / "out" / (base + ".json.bz2"));
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    const std::vector<std::string> fdids = ValuesOf(*text, "firmDesignatedID", 3);
    ASSERT_EQ(fdids.size(), 3u);
    WriteRejections(work / "fb", base,
                    R"({"rejectionID": 601, "fdidRecordID": 1, "errorCode": 22001, "rejectionTimestamp": "x"},)"
                    R"({"rejectionID": 602, "fdidRecordID": 2, "errorCode": 22005, "rejectionTimestamp": "x"},)"
                    R"({"rejectionID": 603, "fdidRecordID": 3, "errorCode": 22005, "rejectionTimestamp": "x"},)"
                    R"({"rejectionID": 604, "customerRecordID": [1], "errorCode": 22900, "rejectionTimestamp": "x"},)"
                    R"({"rejectionID": 605, "customerRecordID": [2], "errorCode": 22526, "rejectionTimestamp": "x"})");
    const RunResult ingest = RunCaisson("feedback ingest fb --config caisson.toml", work);
    ASSERT_EQ(ingest.exit_code, 1) << ingest.err;
    fs::create_directories(work / "mi");
    std::ofstream(work / "mi" / "990002_990001_20261118_OUTSTANDINGINCONSISTENCIES_000001_data.json")
        << R"({"type": "materialInconsistency", "submissionFilename": ")" << base
        << R"(.json.bz2", "submissionID": 41, "inconsistencyEventID": "77$1#2#NULL#2026-11-18T14:00:00+00:00", )"
        << R"("customerRecordID": [5], "inconsistencyCode": 30002, "identificationDate": "20261118T140000.00000000", )"
        << R"("inconsistencyDeadline": "20261120T170000.00000000", "firmDesignatedID": ["X"]})" << "\n";
    std::ofstream(work / "mi" / "990002_990001_20261118_OUTSTANDINGINCONSISTENCIES_000001_meta.json") << "{}";
    const RunResult mi = RunCaisson("feedback ingest mi --config caisson.toml", work);
    ASSERT_EQ(mi.exit_code, 1) << mi.err;
    // Day 2: the third FDID leaves the books (its rejection is DELETEd).
    std::istringstream in(ReadAll(work / "accounts.csv"));
    std::ostringstream out;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(fdids[2] + ",", 0) != 0) out << line << "\n";
    }
    std::ofstream(work / "accounts.csv") << out.str();
    // ... and some customers were born a year later than the books said (every 26th of them says
    // update_notification N: a predicted inconsistency instead of the flag) [§6.6.4].
    std::istringstream people(ReadAll(work / "customers.csv"));
    std::ostringstream edited;
    std::string row;
    for (int n = 0; std::getline(people, row); ++n) {
      std::vector<std::string> cells = Cells(row);
      if (n == 0 || n % 13 != 0 || cells.size() != 14 || cells[1] != "NATURAL_PERSON" || cells[7].size() != 10 ||
          row.find('"') != std::string::npos) {
        edited << row << "\n";
        continue;
      }
      cells[7] = std::to_string(std::stoi(cells[7].substr(0, 4)) + 1) + cells[7].substr(4);
      if (n % 26 == 0) cells[13] = "N";
      edited << Row(cells) << "\n";
    }
    std::ofstream(work / "customers.csv") << edited.str();
    second[stream] = SecondBuild(work, second_build);
  }
  const BuildRun& streamed = second["1"];
  const BuildRun& whole = second["0"];
  EXPECT_TRUE(streamed.streamed) << streamed.run.err;
  EXPECT_FALSE(whole.streamed);
  EXPECT_NE(whole.run.err.find("1 customer(s) with an open Material Inconsistency, 1 sent"), std::string::npos)
      << whole.run.err;
  EXPECT_NE(whole.run.err.find("customer(s) change a value CAIS compares for inconsistencies"), std::string::npos)
      << whole.run.err;
  EXPECT_NE(whole.run.out.find("customer.mi_predict"), std::string::npos);
  std::string sent;
  for (const auto& [name, bytes] : whole.files) {
    if (name.find("20261119_CAIS_") != std::string::npos) sent += *caisjson::ReadMaybeBz2(root / "stream0" / "out" / name);
  }
  EXPECT_NE(sent.find(R"({"rejectionID":601,"correctionAction":"CORRECTION","correctingFirmDesignatedID":)"),
            std::string::npos);
  EXPECT_NE(sent.find(R"({"rejectionID":603,"correctionAction":"DELETE"})"), std::string::npos);
  EXPECT_NE(sent.find(R"({"rejectionID":604,"correctionAction":"CORRECTION","correctingCustomerRecordID":)"),
            std::string::npos);
  EXPECT_NE(sent.find(R"("updateNotification":true)"), std::string::npos);
  ExpectSameBuild(streamed, whole, "the build with open repairs " + second_build);
}

TEST(BatchedBuild, AFullBuildWithOpenRepairsInconsistenciesAndProactiveFlagsWritesWhatAWholeReadDoes) {
  OpenRepairsDay("");
}

// The same day as a delta that must read the whole books (--scan full): read in batches as a full build reads
// them, the changed records, the repairs and the inconsistent customer (resent unchanged) go out as from a whole
// read.
TEST(BatchedBuild, ADeltaOverTheWholeBooksWithOpenRepairsWritesWhatAWholeReadDoes) {
  OpenRepairsDay("--delta --scan full");
}

// Books a build cannot read leave no output folder behind, though the streamed build makes its spill there.
TEST(BatchedBuild, BooksThatCannotBeReadLeaveNoOutputFolder) {
  const fs::path root = TempDir();
  WriteTwinFirm(root, 10, 1, 2);
  std::string customers = ReadAll(root / "customers.csv");
  customers.replace(0, customers.find(','), "client");  // the key column missing
  std::ofstream(root / "customers.csv") << customers;
  const RunResult r = RunCaisson("build . --out out", root);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(root / "out"));
}

// Exit 2 in both ways of reading, with the same message (naming `where`) and nothing on stdout.
void ExpectSameFault(const fs::path& root, const std::string& where) {
  const RunResult whole = ValidateWith("0", ".", root);
  const RunResult batched = ValidateWith("3", ".", root);
  EXPECT_EQ(whole.exit_code, 2);
  EXPECT_EQ(batched.exit_code, 2);
  EXPECT_NE(batched.err.find(where), std::string::npos) << batched.err;
  EXPECT_EQ(batched.err, whole.err);
  EXPECT_EQ(batched.out, "");
}

// A fault ingest finds and the scan does not (a required column the scan does not read) is reported as the
// whole books report it.
TEST(BatchedValidate, AFaultOnlyIngestSeesIsReportedAsForTheWholeBooks) {
  const fs::path root = TempDir();
  WriteTwinFirm(root, 30, 1, 2);
  std::ofstream(root / "roles.csv") << "fdid,customer_id,role\nF1,C1,TRDHOLDER\n";
  ExpectSameFault(root, "role_start_date");
}

// A fault the scan finds (an unterminated quote deep in a file) also falls back to the whole books' message.
TEST(BatchedValidate, AnUnterminatedQuoteIsReportedAsForTheWholeBooks) {
  const fs::path root = TempDir();
  WriteTwinFirm(root, 30, 1, 2);
  std::ofstream(root / "addresses.csv", std::ios::app) << "CUSTOMER,C9,ADDRESS2,\"3 OPEN QUOTE,NEW YORK\n";
  ExpectSameFault(root, "addresses.csv");
}

}  // namespace
}  // namespace caisson::testing
