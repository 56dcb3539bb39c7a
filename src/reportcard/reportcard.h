// reportcard: a local estimate of CAIS's compliance error rate per day, for the whole firm, its own accounts and
// each correspondent (issue #8 item 6).
//
// The CAIS spec says when Report Cards are made (§3.8) but not how the rate is computed, so the formula is data
// (data/reportcard/estimate.json) and every output says it is an estimate. A day is the File Generation Date of
// the Data Files; its records are the FDID and customer records they carried; its rejections are the repair
// items CAIS's feedback opened on those files, each counted as repaired on time, late (repaired after its
// deadline), outstanding (open, not yet due) or overdue (open past its deadline at `now`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "state/state.h"

namespace caisson::reportcard {

// The counts a formula may combine.
enum class Count { kSubmitted, kRejected, kRepaired, kLate, kOutstanding, kOverdue };

struct Formula {
  std::string name;       // e.g. "caisson-estimate-1"
  std::string label;      // printed with every result
  std::string source;     // where the assumption comes from
  double threshold = 0.05;              // a rate above it flags the row
  std::vector<Count> numerator;         // summed
  Count denominator = Count::kSubmitted;
};

// Reads a formula file; Corruption naming the file and the key when it is malformed or names an unknown count.
Result<Formula> LoadFormula(const std::filesystem::path& path);

struct Row {
  int32_t date = 0;           // YYYYMMDD File Generation Date; 0 = every day of the range (the total row)
  std::string scope;          // "firm", "self" (no correspondentCRD) or "correspondent <CRD>"
  int64_t submitted = 0, rejected = 0, repaired = 0, late = 0, outstanding = 0, overdue = 0;
  double rate = 0.0;          // numerator / denominator; 0 when the denominator is 0
  bool above_threshold = false;
};

struct Options {
  int32_t from = 0, to = 0;   // YYYYMMDD, inclusive; 0 = open
  int64_t now_unix = 0;       // REQUIRES: set; decides what is overdue
};

// One row per day and scope with files in [from, to] (firm first, then self, then correspondents by CRD), then
// the total rows of the range per scope (date 0). Reads only; returns the store's error, if any.
Result<std::vector<Row>> Compute(const state::Store& store, const Formula& formula, const Options& options);

// The rows as one JSON object naming the formula and its label; as text, a table headed by the label.
std::string RowsJson(const Formula& formula, const std::vector<Row>& rows);
std::string RowsText(const Formula& formula, const std::vector<Row>& rows);

}  // namespace caisson::reportcard
