// Fuzz target for caisjson::PairReader (check's reader in batches): the bytes are a Data File and, after the
// first NUL byte, its TID File. Read a group at a time, the pair must give exactly the records and the
// findings that ReadDataFile + ReadTidFile give on the whole pair, naming the same records; any bytes, never a
// crash.
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "caisjson/caisjson.h"
#include "fuzz_profile.h"

namespace {
const caisson::spec::Profile& Profile() { return caisson::fuzz::DefaultProfile(); }

// The findings as text, with the record each names.
std::string Document(std::vector<caisson::Finding> findings) {
  caisson::SortAndDedupe(&findings);
  std::string out;
  for (const caisson::Finding& f : findings) {
    caisson::AppendFindingJson(f, &out);
    out += " @" + std::to_string(f.record_index) + "\n";
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const size_t nul = bytes.find('\0');
  const std::string_view data_text = bytes.substr(0, nul);
  const std::string_view tid_text = nul == std::string_view::npos ? std::string_view() : bytes.substr(nul + 1);

  caisson::model::Books whole;
  std::vector<caisson::Finding> expected;
  if (!caisson::caisjson::ReadDataFile(Profile(), data_text, "d_CAIS_1.json", 0, &whole, &expected).ok()) std::abort();
  if (!caisson::caisjson::ReadTidFile(Profile(), tid_text, "t_TIDS_1.json", 1, &whole, &expected).ok()) std::abort();
  size_t whole_tids = 0;
  for (const caisson::model::Customer& c : whole.customers) whole_tids += c.tid ? 1 : 0;

  std::vector<caisson::Finding> actual, tid_findings;  // Open fills each file's own list, on two threads
  caisson::caisjson::PairReader reader;
  caisson::caisjson::PairReader::File d{data_text, "d_CAIS_1.json", 0, &actual, {}};
  caisson::caisjson::PairReader::File t{tid_text, "t_TIDS_1.json", 1, &tid_findings, {}};
  if (!reader.Open(Profile(), &d, &t).ok()) std::abort();
  actual.insert(actual.end(), tid_findings.begin(), tid_findings.end());
  size_t fdids = 0, customers = 0, tids = 0;
  for (uint32_t g = 0; g < reader.group_count(); ++g) {
    caisson::model::Books books;
    reader.StartBooks(&books);
    std::vector<caisson::Finding> found;
    std::vector<int64_t> whole_fdids, whole_customers;
    reader.Read({g}, &books, &found, &whole_fdids, &whole_customers);
    if (whole_fdids.size() != books.fdids.size() || whole_customers.size() != books.customers.size()) std::abort();
    for (caisson::Finding& f : found) {  // a group's model numbers its records from 0
      if (f.record_index < 0) continue;
      const std::vector<int64_t>& whole = f.record == caisson::RecordKind::kFdid ? whole_fdids : whole_customers;
      if (static_cast<size_t>(f.record_index) >= whole.size()) std::abort();
      f.record_index = whole[static_cast<size_t>(f.record_index)];
    }
    actual.insert(actual.end(), found.begin(), found.end());
    fdids += books.fdids.size();
    customers += books.customers.size();
    for (const caisson::model::Customer& c : books.customers) tids += c.tid ? 1 : 0;
  }
  if (fdids != whole.fdids.size() || customers != whole.customers.size() || tids != whole_tids) std::abort();
  if (Document(actual) != Document(expected)) std::abort();
  return 0;
}
