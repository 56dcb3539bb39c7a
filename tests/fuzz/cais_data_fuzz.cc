// Fuzz target for caisjson::ReadDataFile (and Pretty on the same bytes): any bytes give OK with findings, never a
// crash; every record's line lies within the text and every finding names the file.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "caisjson/caisjson.h"
#include "fuzz_profile.h"

namespace {
const caisson::spec::Profile& Profile() { return caisson::fuzz::DefaultProfile(); }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  uint64_t lines = 1;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  caisson::model::Books books;
  std::vector<caisson::Finding> findings;
  caisson::Status s = caisson::caisjson::ReadDataFile(Profile(), text, "f_CAIS_1.json", 0, &books, &findings);
  if (!s.ok()) std::abort();
  for (const caisson::Finding& f : findings) {
    if (f.file != "f_CAIS_1.json" || f.line > lines) std::abort();
  }
  for (const caisson::model::Fdid& f : books.fdids) {
    if (f.origin.line == 0 || f.origin.line > lines) std::abort();
    for (const auto& a : f.fdid_customer_list) {
      if (a.customer_index >= static_cast<int32_t>(books.customers.size())) std::abort();
    }
  }
  (void)caisson::caisjson::Pretty(text, 3);
  return 0;
}
