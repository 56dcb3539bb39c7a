#include <cstdio>
#include <cstdlib>

#include <unistd.h>

#include "commands.h"

namespace caisson::app {

int ExitCode(const Status& run, int64_t held_records, int64_t failed_checks) {
  if (!run.ok()) return Fail(run);  // temporary names + rename guarantee nothing was written
  return (held_records > 0 || failed_checks > 0) ? 1 : 0;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "caisson: %s\n", status.ToString().c_str());
  return 2;
}

std::filesystem::path DataDir() {
  if (const char* env = std::getenv("CAISSON_DATA_DIR"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::filesystem::path installed = self.parent_path().parent_path() / "share" / "caisson" / "data";
    if (std::filesystem::exists(installed / "spec", ec)) return installed;
  }
  return CAISSON_DATA_DIR;
}

}  // namespace caisson::app
