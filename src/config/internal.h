// Private to config: the TOML reading helpers shared by config.cc and environments.cc.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "config/config.h"

namespace caisson::config {

class Reader {
 public:
  explicit Reader(const std::filesystem::path& origin) : origin_(origin.string()) {}

  Status Error(const toml::source_region& where, std::string_view key, std::string_view what) const {
    return Status::InvalidArgument(fmt::format("{}:{}", origin_, where.begin.line),
                                   fmt::format("{}: {}", key, what));
  }

  // Sets *out from an integer node; InvalidArgument for another type or a value outside [lo, hi].
  Status Integer(const toml::node& v, std::string_view key, int64_t lo, int64_t hi, int64_t* out) const {
    const toml::value<int64_t>* i = v.as_integer();
    if (!i) return Error(v.source(), key, "must be an integer");
    if (i->get() < lo || i->get() > hi)
      return Error(v.source(), key, fmt::format("must be between {} and {}", lo, hi));
    *out = i->get();
    return Status::OK();
  }
  Status String(const toml::node& v, std::string_view key, std::string* out) const {
    const toml::value<std::string>* s = v.as_string();
    if (!s) return Error(v.source(), key, "must be a string");
    *out = s->get();
    return Status::OK();
  }

 private:
  std::string origin_;
};

// [environments.*] into c->environments; paths relative to `base`.
Status ReadEnvironments(const Reader& r, const toml::table& t, const std::filesystem::path& base, Config* c);

}  // namespace caisson::config
