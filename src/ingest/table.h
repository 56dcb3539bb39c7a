// Private to ingest: one books CSV file read through its header (books-and-records.md "Conventions").
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "base/status.h"
#include "ingest/ingest.h"

namespace caisson::ingest {

struct Column {
  std::string_view name;
  bool required;  // a **col** column of the contract: the file is unusable without it
};

// One data record of a table, valid only during the callback.
class Row {
 public:
  Row(const std::vector<std::string_view>& fields, const std::vector<int>& index, uint64_t line)
      : fields_(fields), index_(index), line_(line) {}
  // The cell of column `col` (position in the table's Column list); "" when the column or the cell is absent.
  std::string_view operator[](int col) const {
    int at = index_[static_cast<size_t>(col)];
    return (at < 0 || static_cast<size_t>(at) >= fields_.size()) ? std::string_view()
                                                                 : fields_[static_cast<size_t>(at)];
  }
  // Whether the header has column `col`.
  bool has(int col) const { return index_[static_cast<size_t>(col)] >= 0; }
  uint64_t line() const { return line_; }

 private:
  const std::vector<std::string_view>& fields_;
  const std::vector<int>& index_;
  uint64_t line_;
};

// Reads `dir`/`file`. When the file does not exist: NotFound if `required`, else OK with *present = false.
// Corruption for bytes that are not CSV (ReadCsv); InvalidArgument naming the column when a required column
// or the header is missing or a column appears twice. Reports one input.column warning per unknown column and
// per non-empty cell beyond the header, then calls `on_row` for every data record (with `excerpt`: for the
// records it lists, read from its text instead of the file).
// ReadCsv, telling `release` (when set) from time to time that the bytes of `text` before offset `done` will
// not be read again, once by the UTF-8 check and once by the records: ReadTable gives their pages back.
Status ReadCsvReleasing(
    std::string_view text, std::string_view name,
    const std::function<bool(const std::vector<std::string_view>& fields, uint64_t line)>& on_record,
    const std::function<void(size_t done)>& release);

// ReadCsv of the header and of the records at the given (byte offset, line) pairs only (Excerpt). Each record
// read is checked for UTF-8, unless `rows_utf8_checked` says the caller did (the header is checked always).
// `release` (when set) hears, as for ReadCsvReleasing, that the bytes before `done`
// will not be read again.
Status ReadCsvRows(
    std::string_view text, std::string_view name, const std::vector<std::pair<uint64_t, uint64_t>>& rows,
    const std::function<bool(const std::vector<std::string_view>& fields, uint64_t line)>& on_record,
    const std::function<void(size_t done)>& release = {}, bool rows_utf8_checked = false);

// Number of '\n' in the file (0 when unreadable): a cheap upper bound on its records, to reserve memory.
size_t CountLines(const std::filesystem::path& path);

Status ReadTable(const std::filesystem::path& dir, std::string_view file, bool required,
                 std::span<const Column> columns, std::vector<Finding>* findings, bool* present,
                 const Excerpt* excerpt, const std::function<void(const Row&)>& on_row);

// A finding of rules.md §8 with its catalogue severity (input.column is a warning, the others policy).
Finding InputFinding(std::string_view rule, RecordKind record, std::string_view key, std::string_view file,
                     uint64_t line, std::string_view field, std::string message);

}  // namespace caisson::ingest
