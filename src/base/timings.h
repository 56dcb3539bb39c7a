// base/timings: phase times of a long command, printed to stderr when CAISSON_TIMINGS is set (e.g. to 1).
//
// For finding where a run's time and memory go without a profiler ("caisson build: phase scan 2.71 s rss 310
// peak 512 MiB": the resident set at the mark and its peak so far, from /proc/self/status); silent and nearly
// free otherwise. Not thread-safe: one per command, on its main thread.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace caisson {

class PhaseTimer {
 public:
  explicit PhaseTimer(const char* command)
      : command_(command), on_(std::getenv("CAISSON_TIMINGS") != nullptr), last_(Clock::now()) {}
  // Ends the phase that began at the previous Mark (or construction) and names it.
  void Mark(const char* phase) {
    if (!on_) return;
    const Clock::time_point now = Clock::now();
    long rss_kib = -1, peak_kib = -1;
    if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
      char line[256];
      while (std::fgets(line, sizeof line, f) != nullptr) {
        if (std::strncmp(line, "VmRSS:", 6) == 0) rss_kib = std::strtol(line + 6, nullptr, 10);
        if (std::strncmp(line, "VmHWM:", 6) == 0) peak_kib = std::strtol(line + 6, nullptr, 10);
      }
      std::fclose(f);
    }
    std::fprintf(stderr, "%s: phase %-12s %7.3f s  rss %ld peak %ld MiB\n", command_, phase,
                 std::chrono::duration<double>(now - last_).count(), rss_kib / 1024, peak_kib / 1024);
    last_ = now;
  }

 private:
  using Clock = std::chrono::steady_clock;
  const char* command_;
  bool on_;
  Clock::time_point last_;
};

}  // namespace caisson
