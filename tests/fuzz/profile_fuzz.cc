// Fuzz target for the profile loader: the bytes become data/spec/fuzz.json in a private temp folder (next to
// a copy of the shipped appendix-e.json, so the rest of a valid profile can be reached) and are loaded. Any
// Status is fine; a crash, a sanitizer report or a hang is a bug.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "fuzz_temp.h"
#include "spec/spec.h"

namespace {
std::filesystem::path Folder() {
  static const std::filesystem::path dir = [] {
    std::error_code ec;
    const std::filesystem::path d = caisson::fuzzing::PrivateTempDir("profile-fuzz");
    std::filesystem::create_directories(d / "spec", ec);
    // The replay target gets no compile definitions; the data folder sits two levels above this file.
    const char* env = std::getenv("CAISSON_DATA_DIR");
    const std::filesystem::path data =
        env ? std::filesystem::path(env)
            : std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "data";
    const std::filesystem::path appendix = data / "spec" / "appendix-e.json";
    std::filesystem::copy_file(appendix, d / "spec" / "appendix-e.json",
                               std::filesystem::copy_options::overwrite_existing, ec);
    return d;
  }();
  return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path dir = Folder();
  {
    std::ofstream out(dir / "spec" / "fuzz.json", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  caisson::Result<caisson::spec::Profile> p = caisson::spec::LoadProfile(dir, "fuzz");
  if (p.ok()) {
    (void)caisson::spec::Describe(p.value());
    (void)caisson::spec::JsonSchema(p.value(), true);
    (void)caisson::spec::JsonSchema(p.value(), false);
  }
  return 0;
}
