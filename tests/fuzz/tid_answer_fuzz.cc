// Fuzz target for the `command` transformer's answer parser (identity::ParseTransformerAnswer).
// The first byte chooses how many lines are expected; the rest is the answer.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "identity/identity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t expected = data[0] % 8;
  std::string_view answer(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<std::string> tids;
  caisson::Status s = caisson::identity::ParseTransformerAnswer(answer, expected, &tids);
  if (s.ok()) {
    if (tids.size() != expected) std::abort();
    for (const std::string& t : tids) {
      if (t.size() != 64) std::abort();
      for (char c : t) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) std::abort();
      }
    }
  }
  return 0;
}
