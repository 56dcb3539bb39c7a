// Fuzz target for the bzip2 reader (caisjson::ReadMaybeBz2): the bytes become a file in a private temp folder
// and are read with and without force_bz2. Any Status is fine; a crash, a sanitizer report or a hang is a
// bug.
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "caisjson/caisjson.h"
#include "fuzz_temp.h"

namespace {
std::filesystem::path File() {
  static const std::filesystem::path path = caisson::fuzzing::PrivateTempDir("bz2-fuzz") / "input.json.bz2";
  return path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // bzip2 expands up to ~45 MB per 900 kB block from a few dozen bytes; keep inputs small so a run stays
  // within memory limits while still covering multi-block and multi-stream inputs.
  if (size > 8192) return 0;
  const std::filesystem::path path = File();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  // Through lbzip2 when it is installed (and the stream scan that decides whether it may be used)...
  (void)caisson::caisjson::ReadMaybeBz2(path);
  (void)caisson::caisjson::ReadMaybeBz2(path, /*force_bz2=*/true);
  // ...and through libbz2, which ReadMaybeBz2 falls back to when the program cannot be started.
  ::setenv("CAISSON_LBZIP2", "/nonexistent/caisson-fuzz-lbzip2", 1);
  (void)caisson::caisjson::ReadMaybeBz2(path, /*force_bz2=*/true);
  ::unsetenv("CAISSON_LBZIP2");
  return 0;
}
