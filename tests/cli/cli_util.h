// Runs the real `caisson` binary (built by the same tree) and captures what it prints.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>

namespace caisson::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Runs `caisson <args>` through the shell in `cwd` (args are shell words, quote them yourself).
inline RunResult RunCaisson(const std::string& args, const std::filesystem::path& cwd) {
  const std::filesystem::path out = cwd / ".stdout", err = cwd / ".stderr";
  std::string cmd = "cd '" + cwd.string() + "' && '" + std::string(CAISSON_BINARY) + "' " + args + " >'" +
                    out.string() + "' 2>'" + err.string() + "' </dev/null";
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

}  // namespace caisson::testing
