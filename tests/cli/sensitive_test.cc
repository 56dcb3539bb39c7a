// The sensitive-data guard (ARCHITECTURE.md "Principles"): build the demo firm, then scan every output byte —
// decompressed files, manifest, findings, stdout and stderr, the state store file and the audit export — for
// every raw SSN/ITIN, non-LEI foreign identifier, birth date and account number of the input, and the store
// and the state verbs' output for every tidValue. The books are synthetic (caisson gen).
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "cli_util.h"
#include "ingest/ingest.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

// Values of `column` in a CSV file (header-addressed), with the row's other columns for filtering.
std::vector<std::map<std::string, std::string>> ReadRows(const fs::path& file) {
  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::string> header;
  std::string text = ReadAll(file);
  Status s = ingest::ReadCsv(text, file.filename().string(), [&](const std::vector<std::string_view>& f, uint64_t) {
    if (header.empty()) {
      header.assign(f.begin(), f.end());
      return true;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < f.size() && i < header.size(); ++i) row[header[i]] = std::string(f[i]);
    rows.push_back(std::move(row));
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return rows;
}

std::string DigitsAndLetters(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

TEST(SensitiveData, NoRawValueReachesAnyOutputByte) {
  fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 300 --seed 5 --defects 0.05 --out books", dir).exit_code, 0);
  RunResult build = RunCaisson("build books --out out --file-date 20261120 --format json", dir);
  ASSERT_LE(build.exit_code, 1) << build.err;
  RunResult validate = RunCaisson("validate books --format json", dir);

  std::vector<std::string> secrets;
  for (auto& row : ReadRows(dir / "books" / "identifiers.csv")) {
    const std::string& type = row["id_type"];
    if (type == "EIN" || type == "LEI" || row["id_value"].size() < 4) continue;  // EIN/LEI are plaintext by spec
    secrets.push_back(row["id_value"]);
    std::string compact = DigitsAndLetters(row["id_value"]);
    if (compact.size() >= 6) secrets.push_back(compact);
  }
  size_t identifiers = secrets.size();
  for (auto& row : ReadRows(dir / "books" / "customers.csv")) {
    const std::string& birth = row["birth_date"];
    if (birth.size() < 8) continue;
    secrets.push_back(birth);
    // YYYYMMDD digits could collide with an account date; gen draws account dates from 1995 on.
    std::string compact = DigitsAndLetters(birth);
    if (compact.substr(0, 4) < "1995") secrets.push_back(compact);
  }
  for (auto& row : ReadRows(dir / "books" / "accounts.csv")) {
    if (row["account_number"].size() >= 4) secrets.push_back(row["account_number"]);
  }
  ASSERT_GT(identifiers, 100u);
  ASSERT_GT(secrets.size(), identifiers + 100);

  std::vector<std::pair<std::string, std::string>> outputs = {{"build stdout", build.out},
                                                              {"build stderr", build.err},
                                                              {"validate stdout", validate.out},
                                                              {"validate stderr", validate.err}};
  for (const auto& e : fs::directory_iterator(dir / "out")) {
    Result<std::string> text = caisjson::ReadMaybeBz2(e.path());
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    outputs.emplace_back(e.path().filename().string(), std::move(text.value()));
  }
  ASSERT_GE(outputs.size(), 8u);

  // The state store and what the state verbs print: no raw value either, and no tidValue (PII under the Plan:
  // the store keeps fingerprints [issue #7]).
  std::vector<std::string> tid_values;
  for (const auto& [name, bytes] : outputs) {
    if (name.find("_TIDS_") == std::string::npos) continue;
    for (size_t at = bytes.find("\"tidValue\":\""); at != std::string::npos; at = bytes.find("\"tidValue\":\"", at + 1)) {
      tid_values.push_back(bytes.substr(at + 12, 64));
    }
  }
  ASSERT_GT(tid_values.size(), 100u);
  RunResult accept = RunCaisson("accept 1 --config books/caisson.toml", dir);
  ASSERT_EQ(accept.exit_code, 0) << accept.err;
  RunResult status = RunCaisson("status --format json --config books/caisson.toml", dir);
  RunResult audit = RunCaisson("audit export --config books/caisson.toml", dir);
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  std::vector<std::pair<std::string, std::string>> state_outputs = {
      {"accept stderr", accept.err}, {"status stdout", status.out}, {"status stderr", status.err},
      {"audit export", audit.out}};
  for (const auto& e : fs::directory_iterator(dir / "books")) {
    if (e.path().filename().string().starts_with("caisson.db")) {
      state_outputs.emplace_back(e.path().filename().string(), ReadAll(e.path()));
    }
  }
  ASSERT_GE(state_outputs.size(), 5u);
  for (const auto& [name, bytes] : state_outputs) {
    for (const std::string& tid : tid_values) {
      EXPECT_EQ(bytes.find(tid), std::string::npos) << "a tidValue appears in " << name;
    }
    outputs.emplace_back(name, bytes);
  }

  for (const auto& [name, bytes] : outputs) {
    for (const std::string& secret : secrets) {
      EXPECT_EQ(bytes.find(secret), std::string::npos) << "a sensitive input value appears in " << name;
    }
  }
}

}  // namespace
}  // namespace caisson::testing
