// File submission names [§5.1.1; Table 10] and File Number continuation.
#include <signal.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "emit/emit.h"
#include "emit/internal.h"

namespace caisson::emit {

namespace {
// `<submitter>_<crd>_<YYYYMMDD>_[<group>_]`: the part of a base name shared by every pair of one run.
std::string Prefix(const Options& options) {
  std::string s =
      fmt::format("{}_{}_{}_", options.cat_submitter_id, options.cat_reporter_crd, options.file_date);
  if (!options.group.empty()) {
    s += options.group;
    s += '_';
  }
  return s;
}
}  // namespace

// File Number: 6 digits, left-padded with zeros [Table 10].
std::string BaseName(const Options& options, std::string_view kind, int file_number) {
  return fmt::format("{}{}_{:06d}", Prefix(options), kind, file_number);
}

namespace internal {

void RemoveStaleTemporaries(const std::filesystem::path& out_dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(out_dir, ec);
  if (ec) return;
  std::vector<std::filesystem::path> stale;
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    const size_t at = name.rfind(".tmp-");
    if (at == std::string::npos) continue;
    int pid = 0;
    auto r = std::from_chars(name.data() + at + 5, name.data() + name.size(), pid);
    if (r.ec != std::errc() || r.ptr != name.data() + name.size() || pid <= 0) continue;
    // A writer that was killed never renames its file; a live one (another run) is left alone.
    if (::kill(pid, 0) != 0 && errno == ESRCH) stale.push_back(entry.path());
  }
  for (const auto& path : stale) std::filesystem::remove(path, ec);
}

int HighestFileNumber(const Options& options) {
  const std::string prefix = Prefix(options);
  int highest = 0;
  std::error_code ec;
  std::filesystem::directory_iterator it(options.out_dir, ec);
  if (ec) return 0;  // a missing folder holds no names
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.size() < prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string_view rest = std::string_view(name).substr(prefix.size());
    // Either kind counts: a Data File and its TID File share one File Number [§5.1.1 R5].
    if (!rest.starts_with("CAIS_") && !rest.starts_with("TIDS_")) continue;
    rest.remove_prefix(5);
    int number = 0;
    auto r = std::from_chars(rest.data(), rest.data() + rest.size(), number);
    if (r.ec != std::errc() || r.ptr == rest.data()) continue;
    // What follows the number is an extension (.json, .json.bz2, .tmp-<pid>) or nothing; anything else (a
    // longer group that happens to start like ours) is another name.
    if (r.ptr != rest.data() + rest.size() && *r.ptr != '.') continue;
    if (number > highest) highest = number;
  }
  return highest;
}

}  // namespace internal
}  // namespace caisson::emit
