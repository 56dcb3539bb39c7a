// gen: writes the books folder unit by unit through one reused buffer per file, so a million accounts need
// neither a million rows in memory nor an iostream call per row.
#include "gen/gen.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "gen/internal.h"

namespace caisson::gen {
namespace internal {

namespace {
constexpr std::array<std::string_view, kFileCount> kNames = {
    "accounts.csv", "customers.csv", "identifiers.csv", "roles.csv", "addresses.csv", "large_traders.csv",
    "authorized_traders.csv"};
constexpr std::array<std::string_view, kFileCount> kHeaders = {
    "fdid,fdid_type,account_types,account_name,account_number,proprietary,fdid_date,fdid_end_date,"
    "fdid_end_reason,replaced_by_fdid,prior_cat_reporter_crd,prior_cat_reporter_fdid,branch_office_crd,"
    "registered_rep_crd,dvp_custodian_ids,clearing_broker_ids,correspondent_crd,last_activity_date",
    "customer_id,kind,customer_types,first_name,middle_name,last_name,name_suffix,birth_date,year_of_birth,"
    "legal_name,doing_business_as,lei,affiliation,update_notification",
    "customer_id,id_type,id_value,country,is_primary,end_date,end_reason",
    "fdid,customer_id,role,has_discretion,role_start_date,role_end_date,role_end_reason",
    "owner_type,owner_id,addr_type,line1,line2,line3,line4,city,region,postal_code,country",
    "fdid,large_trader_id,effective_date,end_date,end_reason",
    "fdid,first_name,middle_name,last_name,name_suffix,full_name"};
}  // namespace

std::string_view FileName(File f) { return kNames[f]; }
std::string_view Header(File f) { return kHeaders[f]; }
int ColumnCount(File f) { return static_cast<int>(std::count(kHeaders[f].begin(), kHeaders[f].end(), ',')) + 1; }

// Hinnant, "chrono-Compatible Low-Level Date Algorithms": days_from_civil / civil_from_days.
int64_t DaysFromYmd(int32_t yyyymmdd) {
  int64_t y = yyyymmdd / 10000;
  const int64_t m = (yyyymmdd / 100) % 100, d = yyyymmdd % 100;
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

namespace {
void Civil(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}
}  // namespace

std::string DateText(int64_t days) {
  int64_t y, m, d;
  Civil(days, &y, &m, &d);
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
}

int32_t YearOf(int64_t days) {
  int64_t y, m, d;
  Civil(days, &y, &m, &d);
  return static_cast<int32_t>(y);
}

std::string LeiCheckDigits(std::string_view base18) {
  int rem = 0;
  auto feed = [&rem](int digit) { rem = (rem * 10 + digit) % 97; };
  for (char c : base18) {
    if (c >= '0' && c <= '9') {
      feed(c - '0');
    } else {
      const int v = c - 'A' + 10;  // A=10 … Z=35
      feed(v / 10);
      feed(v % 10);
    }
  }
  feed(0);
  feed(0);
  return fmt::format("{:02d}", 98 - rem);
}

}  // namespace internal

namespace {

using namespace internal;  // NOLINT: the private helpers of this module

// One CSV output: RFC 4180 quoting only where a cell needs it, flushed in large blocks.
class CsvOut {
 public:
  ~CsvOut() {
    if (f_ != nullptr) std::fclose(f_);
  }
  Status Open(const std::filesystem::path& path, std::string_view header) {
    path_ = path;
    f_ = std::fopen(path.c_str(), "wb");
    if (f_ == nullptr) return Status::IOError(path.string(), std::strerror(errno));
    buf_.reserve(kFlushAt + 4096);
    buf_.append(header);
    buf_.push_back('\n');
    lines_ = 1;
    return Status::OK();
  }
  void Write(const Row& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) buf_.push_back(',');
      const std::string& v = row[i];
      if (v.find_first_of(",\"\r\n") == std::string::npos) {
        buf_.append(v);
        continue;
      }
      buf_.push_back('"');
      for (char c : v) {
        if (c == '"') buf_.push_back('"');
        buf_.push_back(c);
      }
      buf_.push_back('"');
    }
    buf_.push_back('\n');
    ++lines_;
  }
  Status MaybeFlush(bool force) {
    if (buf_.empty() || (!force && buf_.size() < kFlushAt)) return Status::OK();
    if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      return Status::IOError(path_.string(), std::strerror(errno));
    }
    buf_.clear();
    return Status::OK();
  }
  Status Close() {
    CAISSON_RETURN_IF_ERROR(MaybeFlush(true));
    const int rc = std::fclose(f_);
    f_ = nullptr;
    if (rc != 0) return Status::IOError(path_.string(), std::strerror(errno));
    return Status::OK();
  }
  uint64_t lines() const { return lines_; }  // lines written so far, header included

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  std::filesystem::path path_;
  std::FILE* f_ = nullptr;
  std::string buf_;
  uint64_t lines_ = 0;
};

struct Expected {
  int file;
  uint64_t line;
  std::string rule, code, field;
};

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

Status WriteText(const std::filesystem::path& path, std::string_view text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::IOError(path.string(), std::strerror(errno));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) return Status::IOError(path.string(), std::strerror(errno));
  return Status::OK();
}

std::string TomlText(const Options& o) {
  return fmt::format(
      "# Written by `caisson gen` for synthetic books: the CRD and Submitter ID are made-up numbers.\n"
      "[firm]\n"
      "cat_reporter_crd = 990001\n"
      "cat_submitter_id = 990002\n"
      "\n"
      "[spec]\n"
      "profile = \"cais-2.2.0r4\"\n"
      "as_of = \"{:04d}-{:02d}-{:02d}\"\n"
      "\n"
      "[output]\n"
      "max_file_bytes = 1000000000\n"
      "portal = false\n"
      "\n"
      "[state]\n"
      "path = \"caisson.db\"\n",
      o.as_of / 10000, (o.as_of / 100) % 100, o.as_of % 100);
}

std::string ExpectedJson(const Options& o, std::vector<Expected>* list, int64_t defective_units) {
  std::sort(list->begin(), list->end(), [](const Expected& a, const Expected& b) {
    // As cli.md sorts findings: by file name, line, rule.
    const std::string_view fa = FileName(static_cast<File>(a.file)), fb = FileName(static_cast<File>(b.file));
    return std::tie(fa, a.line, a.rule, a.code, a.field) < std::tie(fb, b.line, b.rule, b.code, b.field);
  });
  std::string out = fmt::format(
      "{{\n  \"generator\": \"caisson gen\",\n  \"seed\": {},\n  \"accounts\": {},\n  \"defects\": {},\n"
      "  \"defective_accounts\": {},\n"
      "  \"note\": \"one entry per planted defect; cascade findings (fdid.customer_rejected 22048, "
      "customer.orphan 22523, customer.version_rejected 22529, hold.cascade) and warnings caused by a planted "
      "defect are extra and not listed\",\n  \"findings\": [",
      o.seed, o.accounts, o.defects, defective_units);
  for (size_t i = 0; i < list->size(); ++i) {
    const Expected& e = (*list)[i];
    out += i == 0 ? "\n    {\"rule\": " : ",\n    {\"rule\": ";
    AppendJsonString(&out, e.rule);
    out += ", \"cais_code\": ";
    if (e.code.empty()) {
      out += "null";
    } else {
      AppendJsonString(&out, e.code);
    }
    out += ", \"file\": ";
    AppendJsonString(&out, FileName(static_cast<File>(e.file)));
    out += fmt::format(", \"line\": {}, \"field\": ", e.line);
    AppendJsonString(&out, e.field);
    out += "}";
  }
  out += list->empty() ? "],\n" : "\n  ],\n";
  out += "  \"not_planted\": [";
  out += NotPlantedJson();
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace

Status Generate(const Options& options) {
  if (options.accounts < 0) return Status::InvalidArgument("gen", "--accounts must be 0 or more");
  if (!(options.defects >= 0.0 && options.defects <= 1.0)) {
    return Status::InvalidArgument("gen", "--defects must be a fraction between 0 and 1");
  }
  if (options.out.empty()) return Status::InvalidArgument("gen", "--out is required");
  if (options.as_of < 19710101 || options.as_of > 99991231) {
    return Status::InvalidArgument("gen", "as_of must be a date YYYYMMDD after 1970");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.out, ec);
  if (ec) return Status::IOError(options.out.string(), ec.message());

  std::array<CsvOut, kFileCount> out;
  for (int f = 0; f < kFileCount; ++f) {
    CAISSON_RETURN_IF_ERROR(out[f].Open(options.out / FileName(static_cast<File>(f)), Header(static_cast<File>(f))));
  }
  Generator gen(options);
  Unit unit;
  std::vector<Expected> expected;
  int64_t fdids = 0, defective = 0;
  while (fdids < options.accounts) {
    unit.Clear();
    // Spread the defective accounts evenly: the running count follows F x accounts generated so far.
    const bool plant = options.defects > 0 &&
                       static_cast<int64_t>(std::floor(static_cast<double>(fdids + 1) * options.defects)) > defective;
    if (plant) {
      BuildDefect(&gen, defective, &unit);
      ++defective;
    } else {
      UnitSpec spec = gen.RandomSpec();
      if (options.accounts - fdids < 2) {  // two-FDID shapes only while there is room for both
        spec.replaced = false;
        if (spec.shape == Shape::kDisregarded) spec.shape = Shape::kEntity;
      }
      gen.Build(spec, &unit);
    }
    fdids += unit.fdids;
    for (const Mark& m : unit.marks) {
      expected.push_back({m.file, out[m.file].lines() + 1 + static_cast<uint64_t>(m.row), m.rule, m.code, m.field});
    }
    for (int f = 0; f < kFileCount; ++f) {
      for (int i = 0; i < unit.Count(static_cast<File>(f)); ++i) out[f].Write(unit.At(static_cast<File>(f), i));
      CAISSON_RETURN_IF_ERROR(out[f].MaybeFlush(false));
    }
  }
  for (CsvOut& o : out) CAISSON_RETURN_IF_ERROR(o.Close());
  CAISSON_RETURN_IF_ERROR(WriteText(options.out / "caisson.toml", TomlText(options)));
  std::filesystem::path expected_path = options.out / "expected-findings.json";
  if (options.defects > 0) {
    CAISSON_RETURN_IF_ERROR(WriteText(expected_path, ExpectedJson(options, &expected, defective)));
  } else {
    std::filesystem::remove(expected_path, ec);  // a stale list from an earlier run would mislead
  }
  return Status::OK();
}

}  // namespace caisson::gen
