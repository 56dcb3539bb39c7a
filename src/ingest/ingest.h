// ingest: reads a firm's books-and-records folder (books-and-records.md) into the model.
//
// CSV is RFC 4180 (quoted commas, quotes and newlines), UTF-8, header row required. Every malformed value,
// unknown enumeration value, missing required value, dangling reference or duplicate key becomes a Finding that
// names the file, the 1-based line where the CSV record starts and the column; the record still enters the
// model with the field absent or invalid so the validator reports it once with the field's rule and code.
// Rows with `valid_from` are resolved to the latest state on or before `as_of`.
//
// A folder that cannot be read as books (missing folder or required file, unreadable or non-UTF-8 bytes, an
// unterminated quote, a missing required column) is a non-OK Status naming file, line and column; nothing is
// returned then.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "base/finding.h"
#include "base/result.h"
#include "model/model.h"

namespace caisson::ingest {

// The rows of one books file to read instead of the whole file (the fast daily delta: its scan already read
// the file once and knows where each record's rows are).
struct Excerpt {
  std::string_view text;  // the file's bytes, as the scan read them; alive during LoadBooks
  // (byte offset, 1-based line) of each CSV record to read, in file order; the header is always read. Findings
  // name these lines, as a read of the whole file would.
  std::vector<std::pair<uint64_t, uint64_t>> rows;
  // `text` is a read-only private mapping of the file, starting on a page boundary: the pages before each row
  // read are given back to the page cache (a batch whose rows lie all over the books would otherwise fault
  // the whole books in).
  bool mapped = false;
  // Every record at `rows` was already checked for UTF-8 (the scan checks each record it splits): ReadCsvRows
  // does not check them again.
  bool utf8_checked = false;
};

struct Options {
  int32_t as_of = 0;  // YYYYMMDD; rows with valid_from after it are future states. REQUIRES: set by the caller
  // A subset of the books (the fast daily delta, delta/scan.h): when set, only the rows of the FDIDs for which
  // `keep_fdid` is true (accounts, roles, ACCOUNT addresses, large and authorized traders) and of the customers
  // for which `keep_customer` is true (customers, identifiers, CUSTOMER addresses) are read; the others are
  // skipped before they are parsed, as if absent. The caller keeps the subset closed (every customer of a kept
  // FDID kept). Unset (default): every row.
  std::function<bool(std::string_view fdid)> keep_fdid;
  std::function<bool(std::string_view customer_id)> keep_customer;
  // With the subset: the excerpt of a books file (by name, e.g. "roles.csv"), or nullptr to read it whole. The
  // excerpt must hold every row the keep functions keep (more rows are fine: they are still tested).
  std::function<const Excerpt*(std::string_view file)> excerpt;
};

struct Loaded {
  model::Books books;
  model::SensitiveInput sensitive;  // raw identifiers, birth dates, account numbers: hand to identity only
  // Every distinct valid_from date of accounts.csv, customers.csv and addresses.csv (any state, also after
  // as_of), ascending: the dates on which the books' history changes state (books-and-records.md "History").
  std::vector<int32_t> valid_from_dates;
};

Result<Loaded> LoadBooks(const std::filesystem::path& dir, const Options& options, std::vector<Finding>* findings);

// A streaming RFC 4180 reader, public for the fuzz target and for tools that read CSV the same way.
// `on_record` receives the fields of each record (views valid only during the call) and the 1-based line where
// the record starts; returning false stops the read. Corruption for an unterminated quote or invalid UTF-8,
// naming `name` and the line.
Status ReadCsv(std::string_view text, std::string_view name,
               const std::function<bool(const std::vector<std::string_view>& fields, uint64_t line)>& on_record);

}  // namespace caisson::ingest
