// Pages of read-only file mappings given back (pages.h).
#include "base/pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace caisson {

namespace {
size_t PageSize() {
  static const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}
}  // namespace

void ReleasePages(const void* start, size_t from, size_t to) {
  const size_t page = PageSize();
  from = from / page * page;
  to = (to + page - 1) / page * page;
  if (start == nullptr || to <= from) return;
  madvise(const_cast<char*>(static_cast<const char*>(start)) + from, to - from, MADV_DONTNEED);
}

bool PageReleaser::Behind(size_t done) {
  const size_t end = done / PageSize() * PageSize();  // the page holding `done` is still being read
  if (end < released_ + step_) return false;
  ReleasePages(start_, released_, end);
  released_ = end;
  return true;
}

}  // namespace caisson
