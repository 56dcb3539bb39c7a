// Fuzz target for ingest::ReadCsv: any bytes either read as records or give Corruption, never a crash, and
// every record's start line lies within the text.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  uint64_t last_line = 0;
  caisson::Status s = caisson::ingest::ReadCsv(
      text, "fuzz.csv", [&](const std::vector<std::string_view>& fields, uint64_t line) {
        if (fields.empty() || line <= last_line || line > size + 1) std::abort();
        for (std::string_view f : fields) {
          if (f.size() > size) std::abort();
        }
        last_line = line;
        return true;
      });
  if (!s.ok() && s.code() != caisson::Status::Code::kCorruption) std::abort();
  return 0;
}
