// A private temp folder for a fuzz target's files, made once per process and removed when the process exits
// normally (a crash keeps it beside the crashing input).
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace caisson::fuzzing {

inline std::filesystem::path PrivateTempDir(const std::string& name) {
  static std::filesystem::path* made = nullptr;
  if (made != nullptr) return *made;
  std::error_code ec;
  made = new std::filesystem::path(std::filesystem::temp_directory_path(ec) /
                                   ("caisson-" + name + "-" + std::to_string(::getpid())));
  std::filesystem::create_directories(*made, ec);
  std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(*made, ignored);
  });
  return *made;
}

}  // namespace caisson::fuzzing
