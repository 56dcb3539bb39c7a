// The default profile, loaded once, for the fuzz targets that read CAIS files.
#pragma once

#include <cstdlib>

#include "spec/spec.h"

namespace caisson::fuzz {

inline const spec::Profile& DefaultProfile() {
  static spec::Profile* p = [] {
    auto r = spec::LoadProfile(CAISSON_DATA_DIR, "cais-2.2.0r4");
    if (!r.ok()) std::abort();
    return new spec::Profile(std::move(r).value());
  }();
  return *p;
}

}  // namespace caisson::fuzz
