// Fuzz target for the CAIS feedback reader (feedback::Parse): any bytes under a valid feedback file name.
// A parsed file must name a known status and a version 1-4.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "feedback/feedback.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  caisson::Result<caisson::feedback::FileFeedback> fb =
      caisson::feedback::Parse("123_456_20200204_CAIS_000123.v4.feedback.json.bz2", json);
  if (fb.ok()) {
    if (fb->version != 4 || fb->status.empty() || fb->base_name != "123_456_20200204_CAIS_000123") std::abort();
  }
  return 0;
}
