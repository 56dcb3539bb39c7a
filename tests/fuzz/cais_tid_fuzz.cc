// Fuzz target for caisjson::ReadTidFile against a fixed Data File: any bytes give OK with findings, never a
// crash; attached TID records carry their customer's customerRecordID.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "caisjson/caisjson.h"
#include "fuzz_profile.h"

namespace {
const caisson::spec::Profile& Profile() { return caisson::fuzz::DefaultProfile(); }
constexpr std::string_view kData =
    "{\"version\": \"2.0.0\", \"catReporterCRD\": 2, \"catSubmitterID\": 1, \"fdidRecordCount\": 0,"
    " \"naturalPersonCustomerRecordCount\": 2, \"legalEntityCustomerRecordCount\": 0, \"fdidRecordList\": [],"
    " \"naturalPersonCustomerList\": [{\"customerRecordID\": 1}, {\"customerRecordID\": 2}]}";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  caisson::model::Books books;
  std::vector<caisson::Finding> findings;
  if (!caisson::caisjson::ReadDataFile(Profile(), kData, "d_CAIS_1.json", 0, &books, &findings).ok()) std::abort();
  if (!findings.empty() || books.customers.size() != 2) std::abort();
  if (!caisson::caisjson::ReadTidFile(Profile(), text, "t_TIDS_1.json", 1, &books, &findings).ok()) std::abort();
  for (const caisson::model::Customer& c : books.customers) {
    if (c.tid && (c.tid->customer_record_id.value != c.customer_record_id.value || c.tid->origin.file != 1)) {
      std::abort();
    }
  }
  return 0;
}
