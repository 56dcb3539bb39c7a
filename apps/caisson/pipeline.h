// The stages every verb that reads books shares: ingest -> identity -> validate -> holds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "base/result.h"
#include "model/model.h"
#include "ingest/ingest.h"
#include "setup.h"
#include "validate/validate.h"

namespace caisson::app {

struct Outcome {
  std::vector<int32_t> valid_from_dates;  // the books' history dates (ingest::Loaded)
  validate::Holds holds;
  validate::Summary summary;
  std::vector<Finding> findings;
};

// The records a fast delta reads (ingest::Options::keep_fdid / keep_customer); empty = all.
struct Subset {
  std::function<bool(std::string_view)> fdid, customer;
  // The rows of each books file to read (ingest::Options::excerpt); unset: the whole files.
  std::function<const ingest::Excerpt*(std::string_view file)> excerpt;
};

// Runs everything up to the holds. The sensitive input dies inside identity::Transform.
// `as_of` overrides setup.as_of when set (a missed intermediate state [§5.4.1]). `subset`: only those records.
Status ValidateBooks(const Setup& setup, const std::filesystem::path& dir, model::Books* books, Outcome* outcome,
                     int32_t as_of = 0, const Subset* subset = nullptr);

// Prints the first `limit` findings on stderr, one line each, then how many more there are and where to see
// them (`more`, e.g. "--format json").
void PrintFindingsText(const std::vector<Finding>& findings, size_t limit,
                       const char* more = "--format json or findings.json");

}  // namespace caisson::app
