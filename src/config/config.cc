// caisson.toml reader (cli.md "caisson.toml"). toml++ throws toml::parse_error; it is caught here and becomes
// an InvalidArgument, so no exception leaves the module (STYLE.md §2).
#include "config/config.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <string_view>
#include <system_error>

// Debian's libdate-tz is built against the system zoneinfo (USE_OS_TZDB=1, its CMake package says so); the
// header must agree or the library's layout differs.
#ifndef USE_OS_TZDB
#define USE_OS_TZDB 1
#endif
#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>
#include <toml++/toml.h>

#include "config/internal.h"

namespace caisson::config {

namespace {

constexpr int64_t kMaxFileBytesLimit = 7000000000;  // [§5.1.3 R10] a file sent by SFTP is at most 7 GB uncompressed

bool IsProfileName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  return true;
}

bool IsGroupImpl(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  std::string lower(s);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower != "caisweb";
}

Status ReadFirm(const Reader& r, const toml::table& t, Config* c) {
  for (auto&& [k, v] : t) {
    if (k == "cat_reporter_crd") {
      CAISSON_RETURN_IF_ERROR(r.Integer(v, "firm.cat_reporter_crd", 1, INT64_MAX, &c->cat_reporter_crd));
    } else if (k == "cat_submitter_id") {
      CAISSON_RETURN_IF_ERROR(r.Integer(v, "firm.cat_submitter_id", 1, INT64_MAX, &c->cat_submitter_id));
    } else {
      return r.Error(k.source(), fmt::format("firm.{}", k.str()), "unknown key");
    }
  }
  return Status::OK();
}

Status ReadSpec(const Reader& r, const toml::table& t, Config* c) {
  for (auto&& [k, v] : t) {
    if (k == "profile") {
      CAISSON_RETURN_IF_ERROR(r.String(v, "spec.profile", &c->profile));
      if (!IsProfileName(c->profile)) return r.Error(v.source(), "spec.profile", "must match [a-z0-9.-]+");
    } else if (k == "as_of") {
      if (const toml::value<toml::date>* d = v.as_date()) {  // a bare TOML date: as_of = 2026-11-22
        c->as_of = fmt::format("{:04d}-{:02d}-{:02d}", d->get().year, d->get().month, d->get().day);
      } else {
        CAISSON_RETURN_IF_ERROR(r.String(v, "spec.as_of", &c->as_of));
      }
      if (!c->as_of.empty() && ParseDate(c->as_of) < 0) {
        return r.Error(v.source(), "spec.as_of", "must be a date YYYY-MM-DD");
      }
    } else {
      return r.Error(k.source(), fmt::format("spec.{}", k.str()), "unknown key");
    }
  }
  return Status::OK();
}

Status ReadTid(const Reader& r, const toml::table& t, Config* c) {
  const toml::node* transformer = nullptr;
  const toml::node* command = nullptr;
  for (auto&& [k, v] : t) {
    if (k == "transformer") {
      transformer = &v;
      CAISSON_RETURN_IF_ERROR(r.String(v, "tid.transformer", &c->transformer));
      if (c->transformer != "cat-sha256" && c->transformer != "command") {
        return r.Error(v.source(), "tid.transformer", "must be \"cat-sha256\" or \"command\"");
      }
    } else if (k == "command") {
      command = &v;
      const toml::array* a = v.as_array();
      if (!a || a->empty()) return r.Error(v.source(), "tid.command", "must be a non-empty array of strings");
      for (const toml::node& e : *a) {
        const toml::value<std::string>* s = e.as_string();
        if (!s || s->get().empty())
          return r.Error(e.source(), "tid.command", "every element must be a non-empty string");
        c->command.push_back(s->get());
      }
    } else {
      return r.Error(k.source(), fmt::format("tid.{}", k.str()), "unknown key");
    }
  }
  if (command && c->transformer != "command") {
    return r.Error(command->source(), "tid.command", "only allowed with transformer = \"command\"");
  }
  if (!command && c->transformer == "command") {
    return r.Error(transformer->source(), "tid.transformer", "\"command\" requires tid.command");
  }
  return Status::OK();
}

Status ReadOutput(const Reader& r, const toml::table& t, Config* c) {
  for (auto&& [k, v] : t) {
    if (k == "group") {
      CAISSON_RETURN_IF_ERROR(r.String(v, "output.group", &c->group));
      if (!c->group.empty() && !IsValidGroup(c->group)) {
        return r.Error(v.source(), "output.group", "must be 1 to 20 letters or digits and not \"caisweb\"");
      }
    } else if (k == "max_file_bytes") {
      CAISSON_RETURN_IF_ERROR(
          r.Integer(v, "output.max_file_bytes", 1, kMaxFileBytesLimit, &c->max_file_bytes));
    } else if (k == "portal") {
      const toml::value<bool>* b = v.as_boolean();
      if (!b) return r.Error(v.source(), "output.portal", "must be true or false");
      c->portal = b->get();
    } else if (k == "compressor") {
      CAISSON_RETURN_IF_ERROR(r.String(v, "output.compressor", &c->compressor));
      if (c->compressor != "lbzip2" && c->compressor != "libbz2") {
        return r.Error(v.source(), "output.compressor", "must be \"lbzip2\" or \"libbz2\"");
      }
    } else {
      return r.Error(k.source(), fmt::format("output.{}", k.str()), "unknown key");
    }
  }
  return Status::OK();
}

Status ReadState(const Reader& r, const toml::table& t, const std::filesystem::path& base, Config* c) {
  for (auto&& [k, v] : t) {
    if (k == "path") {
      std::string p;
      CAISSON_RETURN_IF_ERROR(r.String(v, "state.path", &p));
      if (p.empty()) return r.Error(v.source(), "state.path", "must not be empty");
      c->state_path = (base / p).lexically_normal();
    } else if (k == "enforce_refresh") {
      const auto* b = v.as_boolean();
      if (!b) return r.Error(v.source(), "state.enforce_refresh", "must be true or false");
      c->enforce_refresh = b->get();
    } else {
      return r.Error(k.source(), fmt::format("state.{}", k.str()), "unknown key");
    }
  }
  return Status::OK();
}

Status ReadRules(const Reader& r, const toml::table& t, Config* c) {
  for (auto&& [k, v] : t) {
    std::string key = fmt::format("rules.\"{}\"", k.str());
    std::string value;
    CAISSON_RETURN_IF_ERROR(r.String(v, key, &value));
    if (value != "hold" && value != "report" && value != "off") {
      return r.Error(v.source(), key, "must be \"hold\", \"report\" or \"off\"");
    }
    c->rules[std::string(k.str())] = value;
  }
  return Status::OK();
}

}  // namespace

Result<Config> Parse(std::string_view text, const std::filesystem::path& origin) {
  Config c;
  c.path = origin;
  std::error_code ec;
  std::filesystem::path base;
  if (origin.empty()) {
    base = std::filesystem::current_path(ec);
  } else {
    base = std::filesystem::absolute(origin, ec).parent_path();
  }
  if (ec) return Status::IOError(origin.string(), "cannot resolve its folder");
  const std::string name = origin.string();
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(
        fmt::format("{}:{}:{}", name, e.source().begin.line, e.source().begin.column), e.description());
  }
  Reader r(origin);
  for (auto&& [k, v] : root) {
    const toml::table* t = v.as_table();
    std::string_view section = k.str();
    if (!t) return r.Error(k.source(), section, "unknown key (settings belong in a [section])");
    if (section == "firm") {
      CAISSON_RETURN_IF_ERROR(ReadFirm(r, *t, &c));
    } else if (section == "spec") {
      CAISSON_RETURN_IF_ERROR(ReadSpec(r, *t, &c));
    } else if (section == "tid") {
      CAISSON_RETURN_IF_ERROR(ReadTid(r, *t, &c));
    } else if (section == "output") {
      CAISSON_RETURN_IF_ERROR(ReadOutput(r, *t, &c));
    } else if (section == "state") {
      CAISSON_RETURN_IF_ERROR(ReadState(r, *t, base, &c));
    } else if (section == "environments") {
      CAISSON_RETURN_IF_ERROR(ReadEnvironments(r, *t, base, &c));
    } else if (section == "rules") {
      CAISSON_RETURN_IF_ERROR(ReadRules(r, *t, &c));
    } else {
      return r.Error(k.source(), fmt::format("[{}]", section), "unknown section");
    }
  }
  if (c.state_path.empty()) c.state_path = (base / "caisson.db").lexically_normal();
  return c;
}

Result<Config> Load(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path.string(), "no such file");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Status::IOError(path.string(), "cannot open");
  std::string text;
  char buf[8192];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) text.append(buf, got);
  if (std::ferror(f.get())) return Status::IOError(path.string(), "read failed");
  return Parse(text, path);
}

int32_t TodayNewYork() {
  using std::chrono::system_clock;
  date::local_days day;
  try {
    day = date::floor<date::days>(date::make_zoned("America/New_York", system_clock::now()).get_local_time());
  } catch (const std::exception&) {
    // No zoneinfo for New York: fall back to Eastern Standard Time rather than fail the run.
    day = date::local_days(
        date::floor<date::days>(system_clock::now() - std::chrono::hours(5)).time_since_epoch());
  }
  date::year_month_day ymd(day);
  return static_cast<int32_t>(static_cast<int>(ymd.year()) * 10000 +
                              static_cast<unsigned>(ymd.month()) * 100 + static_cast<unsigned>(ymd.day()));
}

int32_t ParseDate(std::string_view text) {
  std::string_view y, m, d;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    y = text.substr(0, 4);
    m = text.substr(5, 2);
    d = text.substr(8, 2);
  } else if (text.size() == 8) {
    y = text.substr(0, 4);
    m = text.substr(4, 2);
    d = text.substr(6, 2);
  } else {
    return -1;
  }
  int v[3] = {0, 0, 0};
  int i = 0;
  for (std::string_view part : {y, m, d}) {
    for (char ch : part) {
      if (ch < '0' || ch > '9') return -1;
      v[i] = v[i] * 10 + (ch - '0');
    }
    ++i;
  }
  date::year_month_day ymd{date::year(v[0]), date::month(static_cast<unsigned>(v[1])),
                           date::day(static_cast<unsigned>(v[2]))};
  if (!ymd.ok()) return -1;
  return v[0] * 10000 + v[1] * 100 + v[2];
}

bool IsValidGroup(std::string_view group) { return IsGroupImpl(group); }

}  // namespace caisson::config
