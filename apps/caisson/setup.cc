#include "setup.h"

#include <chrono>
#include <cstdio>
#include <system_error>

#include "calendar/calendar.h"
#include "validate/validate.h"

namespace caisson::app {

namespace {
Result<config::Config> ReadConfig(const Common& common, const std::filesystem::path& fallback_dir) {
  std::error_code ec;
  if (!common.config.empty()) return config::Load(common.config);
  if (std::filesystem::exists("caisson.toml", ec)) return config::Load("caisson.toml");
  if (!fallback_dir.empty() && std::filesystem::exists(fallback_dir / "caisson.toml", ec)) {
    return config::Load(fallback_dir / "caisson.toml");
  }
  return config::Config{};
}
}  // namespace

Result<Setup> Prepare(const Common& common, const std::filesystem::path& fallback_dir) {
  Setup setup;
  Result<config::Config> cfg = ReadConfig(common, fallback_dir);
  if (!cfg.ok()) return cfg.status();
  setup.config = std::move(cfg.value());

  std::string profile_name = common.profile.empty() ? setup.config.profile : common.profile;
  Result<spec::Profile> profile = spec::LoadProfile(DataDir(), profile_name);
  if (!profile.ok()) return profile.status();
  setup.profile.emplace(std::move(profile.value()));

  std::string origin = setup.config.path.empty() ? "caisson.toml" : setup.config.path.string();
  CAISSON_RETURN_IF_ERROR(validate::CheckPolicyOverrides(setup.config.rules, origin + " [rules]"));

  setup.today = config::TodayNewYork();
  if (setup.config.as_of.empty()) {
    setup.as_of = setup.today;
  } else {
    setup.as_of = config::ParseDate(setup.config.as_of);
    if (setup.as_of < 0) {
      return Status::InvalidArgument(origin, "[spec] as_of: not a date YYYY-MM-DD");
    }
  }

  if (setup.profile->provisional()) {
    std::fprintf(stderr,
                 "caisson: profile %s is provisional: CAIS 2.2.0 r4 validation still rejects the fields it omits "
                 "(22507, 22508, 22510, 22514)\n",
                 setup.profile->name().c_str());
  }
  return setup;
}

Result<int64_t> NowUnix(const std::string& text, const char* option) {
  if (text.empty()) {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  Result<calendar::Moment> m = calendar::ParseMoment(text);
  if (!m.ok()) return Status::InvalidArgument(option, m.status().message());
  calendar::Instant utc = m->utc;
  if (!m->is_utc) {
    Result<calendar::Instant> u = calendar::ToUtc(m->et);
    if (!u.ok()) return Status::InvalidArgument(option, u.status().message());
    utc = *u;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(utc.time_since_epoch()).count();
}

}  // namespace caisson::app
