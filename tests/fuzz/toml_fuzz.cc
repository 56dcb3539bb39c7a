// Fuzz target for config::Parse: any bytes give a Config or a non-OK Status, never a crash or an exception.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  caisson::Result<caisson::config::Config> c = caisson::config::Parse(text, "fuzz/caisson.toml");
  if (c.ok() && (c->max_file_bytes < 1 || c->max_file_bytes > 7000000000)) std::abort();
  return 0;
}
