// The report-card estimate (reportcard.h).
#include "reportcard/reportcard.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <map>
#include <string_view>
#include <tuple>
#include <utility>

#include "base/finding.h"

namespace caisson::reportcard {

namespace {

constexpr std::pair<std::string_view, Count> kCounts[] = {
    {"submitted", Count::kSubmitted}, {"rejected", Count::kRejected},       {"repaired", Count::kRepaired},
    {"late", Count::kLate},           {"outstanding", Count::kOutstanding}, {"overdue", Count::kOverdue},
};

bool ParseCount(std::string_view name, Count* out) {
  for (const auto& [n, c] : kCounts) {
    if (n == name) {
      *out = c;
      return true;
    }
  }
  return false;
}

int64_t Get(const Row& r, Count c) {
  switch (c) {
    case Count::kSubmitted: return r.submitted;
    case Count::kRejected: return r.rejected;
    case Count::kRepaired: return r.repaired;
    case Count::kLate: return r.late;
    case Count::kOutstanding: return r.outstanding;
    case Count::kOverdue: return r.overdue;
  }
  return 0;
}

void Add(const Row& from, Row* to) {
  to->submitted += from.submitted;
  to->rejected += from.rejected;
  to->repaired += from.repaired;
  to->late += from.late;
  to->outstanding += from.outstanding;
  to->overdue += from.overdue;
}

void Rate(const Formula& f, Row* r) {
  int64_t num = 0;
  for (Count c : f.numerator) num += Get(*r, c);
  const int64_t den = Get(*r, f.denominator);
  r->rate = den > 0 ? static_cast<double>(num) / static_cast<double>(den) : 0.0;
  r->above_threshold = r->rate > f.threshold;
}

// Rows sort by date, then firm, self, correspondents by CRD: scope rank 0, 1, 2 + CRD.
using ScopeKey = std::pair<int, int64_t>;

std::string ScopeName(const ScopeKey& k) {
  if (k.first == 0) return "firm";
  if (k.first == 1) return "self";
  return fmt::format("correspondent {}", k.second);
}

struct FileInfo {
  int32_t date = 0;
  int64_t correspondent = 0;
};

}  // namespace

Result<Formula> LoadFormula(const std::filesystem::path& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string where = path.string();
  if (auto err = parser.load(where).get(doc); err != simdjson::SUCCESS) {
    return Status::Corruption(where, fmt::format("not readable JSON: {}", simdjson::error_message(err)));
  }
  Formula f;
  std::string_view s;
  if (doc["name"].get_string().get(s) != simdjson::SUCCESS || s.empty()) return Status::Corruption(where, "no \"name\"");
  f.name = std::string(s);
  if (doc["label"].get_string().get(s) != simdjson::SUCCESS || s.empty()) {
    return Status::Corruption(where, "no \"label\": an estimate must say it is one");
  }
  f.label = std::string(s);
  if (doc["source"].get_string().get(s) == simdjson::SUCCESS) f.source = std::string(s);
  if (doc["threshold"].get_double().get(f.threshold) != simdjson::SUCCESS || f.threshold < 0 || f.threshold > 1) {
    return Status::Corruption(where, "\"threshold\" must be a number from 0 to 1");
  }
  simdjson::dom::array num;
  if (doc["numerator"].get_array().get(num) != simdjson::SUCCESS) return Status::Corruption(where, "no \"numerator\" list");
  for (simdjson::dom::element e : num) {
    Count c;
    if (e.get_string().get(s) != simdjson::SUCCESS || !ParseCount(s, &c)) {
      return Status::Corruption(where, "\"numerator\" names an unknown count (known: submitted, rejected, repaired, "
                                       "late, outstanding, overdue)");
    }
    f.numerator.push_back(c);
  }
  if (f.numerator.empty()) return Status::Corruption(where, "\"numerator\" is empty");
  if (doc["denominator"].get_string().get(s) != simdjson::SUCCESS || !ParseCount(s, &f.denominator)) {
    return Status::Corruption(where, "\"denominator\" must name a count");
  }
  return f;
}

Result<std::vector<Row>> Compute(const state::Store& store, const Formula& formula, const Options& options) {
  auto in_range = [&](int32_t d) { return (options.from == 0 || d >= options.from) && (options.to == 0 || d <= options.to); };
  std::map<std::string, FileInfo> files;  // Data Files in range, by base name
  std::map<std::pair<int32_t, ScopeKey>, Row> rows;
  auto touch = [&](int32_t date, int64_t correspondent, const std::function<void(Row*)>& fn) {
    const ScopeKey own = correspondent > 0 ? ScopeKey{2, correspondent} : ScopeKey{1, 0};
    for (const ScopeKey& k : {ScopeKey{0, 0}, own}) fn(&rows[{date, k}]);
  };

  Result<int64_t> last = store.LastSubmissionId();
  if (!last.ok()) return last.status();
  for (int64_t id = 1; id <= *last; ++id) {
    Status s = store.ForEachFileOf(id, [&](const state::FileEntry& e) {
      if (e.kind != "CAIS" || !in_range(e.file_date)) return Status::OK();
      files[e.base_name] = {e.file_date, e.correspondent_crd};
      touch(e.file_date, e.correspondent_crd, [&](Row* r) { r->submitted += e.fdid_records + e.customer_records; });
      return Status::OK();
    });
    if (!s.ok() && s.code() != Status::Code::kNotFound) return s;
  }
  Status s = store.ForEachRepairItem([&](const state::RepairItem& item) {
    auto it = files.find(item.file);
    if (it == files.end()) return Status::OK();  // a file outside the range, or one Caisson did not write
    touch(it->second.date, it->second.correspondent, [&](Row* r) {
      ++r->rejected;
      if (item.status == "repaired") {
        ++r->repaired;
      } else if (item.status == "late") {
        ++r->late;
      } else if (item.due_unix > 0 && item.due_unix < options.now_unix) {
        ++r->overdue;
      } else {
        ++r->outstanding;
      }
    });
    return Status::OK();
  });
  if (!s.ok()) return s;

  std::vector<Row> out;
  std::map<ScopeKey, Row> totals;
  for (auto& [key, row] : rows) {
    row.date = key.first;
    row.scope = ScopeName(key.second);
    Rate(formula, &row);
    Add(row, &totals[key.second]);
    out.push_back(row);
  }
  for (auto& [scope, row] : totals) {
    row.date = 0;
    row.scope = ScopeName(scope);
    Rate(formula, &row);
    out.push_back(row);
  }
  return out;
}

std::string RowsJson(const Formula& formula, const std::vector<Row>& rows) {
  std::string out = "{\"formula\": ";
  AppendJsonString(formula.name, &out);
  out += ", \"label\": ";
  AppendJsonString(formula.label, &out);
  out += fmt::format(", \"threshold\": {}, \"rows\": [", formula.threshold);
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    out += fmt::format("{}{{\"date\": {}, \"scope\": ", i == 0 ? "" : ", ", r.date == 0 ? "null" : std::to_string(r.date));
    AppendJsonString(r.scope, &out);
    out += fmt::format(", \"submitted\": {}, \"rejected\": {}, \"repaired\": {}, \"late\": {}, \"outstanding\": {}, "
                       "\"overdue\": {}, \"rate\": {:.6f}, \"above_threshold\": {}}}",
                       r.submitted, r.rejected, r.repaired, r.late, r.outstanding, r.overdue, r.rate,
                       r.above_threshold ? "true" : "false");
  }
  out += "]}\n";
  return out;
}

std::string RowsText(const Formula& formula, const std::vector<Row>& rows) {
  std::string out = fmt::format("{} ({}; threshold {:.2f} %)\n", formula.label, formula.name, formula.threshold * 100);
  out += fmt::format("{:<10} {:<26} {:>10} {:>8} {:>8} {:>6} {:>11} {:>8} {:>8}\n", "date", "scope", "submitted",
                     "rejected", "repaired", "late", "outstanding", "overdue", "rate");
  for (const Row& r : rows) {
    out += fmt::format("{:<10} {:<26} {:>10} {:>8} {:>8} {:>6} {:>11} {:>8} {:>7.2f}%{}\n",
                       r.date == 0 ? std::string("total") : std::to_string(r.date), r.scope, r.submitted, r.rejected,
                       r.repaired, r.late, r.outstanding, r.overdue, r.rate * 100, r.above_threshold ? "  ABOVE" : "");
  }
  if (rows.empty()) out += "(no Data File in the range)\n";
  return out;
}

}  // namespace caisson::reportcard
