// Fuzz target for the Outstanding Rejections reader (feedback::ParseOutstandingRejections): any bytes as the
// data file of a fixed set. Parsed rows must carry a type and a rejectionID.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "feedback/feedback.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  caisson::feedback::OutstandingSet set;
  caisson::Status s = caisson::feedback::ParseOutstandingRejections(
      "99999999_555_2_20240401_OUTSTANDINGREJECTIONS_000001_data.json.bz2", text, &set);
  if (s.ok() && (set.generation_date != 20240401 || set.files.size() != 1)) std::abort();
  return 0;
}
