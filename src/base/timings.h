// base/timings: phase times of a long command, printed to stderr when CAISSON_TIMINGS is set (e.g. to 1).
//
// For finding where a run's time goes without a profiler ("caisson build: phase scan 2.71 s"); silent and
// nearly free otherwise. Not thread-safe: one per command, on its main thread.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace caisson {

class PhaseTimer {
 public:
  explicit PhaseTimer(const char* command)
      : command_(command), on_(std::getenv("CAISSON_TIMINGS") != nullptr), last_(Clock::now()) {}
  // Ends the phase that began at the previous Mark (or construction) and names it.
  void Mark(const char* phase) {
    if (!on_) return;
    const Clock::time_point now = Clock::now();
    std::fprintf(stderr, "%s: phase %-12s %7.3f s\n", command_, phase,
                 std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }

 private:
  using Clock = std::chrono::steady_clock;
  const char* command_;
  bool on_;
  Clock::time_point last_;
};

}  // namespace caisson
