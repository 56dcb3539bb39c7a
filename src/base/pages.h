// base/pages: giving the pages of a read-only file mapping back to the page cache, so that bytes read once stop
// counting in the process's resident set. Reading them again faults them back in from the file.
#pragma once

#include <cstddef>

namespace caisson {

// Gives back the pages of the mapping starting at `start` (page-aligned) that overlap bytes [from, to).
// REQUIRES: a read-only private file mapping (on anonymous memory this would zero the bytes).
void ReleasePages(const void* start, size_t from, size_t to);

// Gives a mapping back from its start up to a point that only moves forward, at most once per `step` bytes:
// each release interrupts the process's other threads to flush their TLBs.
class PageReleaser {
 public:
  explicit PageReleaser(const void* start = nullptr, size_t step = size_t{1} << 20) : start_(start), step_(step) {}
  // The bytes before `done` will not be read again. True when pages went back.
  bool Behind(size_t done);
  size_t released() const { return released_; }

 private:
  const void* start_;
  size_t step_;
  size_t released_ = 0;
};

}  // namespace caisson
