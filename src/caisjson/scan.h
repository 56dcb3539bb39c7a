// Private to caisjson: a JSON syntax scanner that never builds values.
//
// A CAIS Data File may hold up to 7 GB of JSON [§5.1.3 R10] while one simdjson document is limited to 4 GiB, so
// the reader does not parse a file as one document. The scanner walks the whole text once, checking the RFC 8259
// grammar (plus the CAIS ban on leading zeros [Table 3]) and stopping at the first error with its line and
// column; it records where each top-level key's value lies and, for array values, where each item lies and on
// which line it starts. Items are then parsed one by one with simdjson. Newlines are counted only between
// tokens (a raw newline inside a string is itself an error), so line counting costs nothing extra.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace caisson::caisjson::internal {

struct ScanItem {     // one item of a top-level array (a record)
  size_t begin = 0;   // offset of its first byte
  size_t end = 0;     // offset after its last byte
  uint64_t line = 0;  // 1-based line of its first byte
  // Lines of the objects directly inside the arrays directly inside this item (sub-records), in text order:
  // indexes [sub_begin, sub_end) of ScanResult::sub_lines.
  size_t sub_begin = 0, sub_end = 0;
};

struct ScanKey {      // one member of the top-level object
  std::string key;    // as written between the quotes (escapes not decoded)
  uint64_t line = 0, column = 0;  // of the key
  size_t value_begin = 0, value_end = 0;
  bool is_array = false;
  std::vector<ScanItem> items;  // when is_array
};

struct ScanResult {
  bool ok = true;
  std::string error;              // when !ok: what is wrong, e.g. "expected ',' or '}'"
  uint64_t line = 0, column = 0;  // when !ok: 1-based position of the error (column in bytes)
  size_t offset = 0;              // when !ok
  std::vector<ScanKey> keys;      // members of the top-level object in text order (duplicates included)
  std::vector<uint64_t> sub_lines;
};

// Scans `text`, which must be exactly one JSON object surrounded by optional whitespace. `release`, when set,
// is called each time the scan has read another kReleaseEvery bytes of records (a mapped text gives its pages
// back).
constexpr size_t kReleaseEvery = size_t{64} << 20;
void ScanMainObject(std::string_view text, ScanResult* out, const std::function<void()>& release = {});

// Scans a stream of JSON values separated by whitespace (feedback files, `show`); appends each value's
// [begin, end) to *values. On a syntax error sets out->ok = false (keys stay empty).
void ScanValueStream(std::string_view text, ScanResult* out, std::vector<std::pair<size_t, size_t>>* values);

// Offset of the first byte that is not well-formed UTF-8, or text.size() when the whole text is.
size_t FirstInvalidUtf8(std::string_view text);
// The same, calling `release` after each kReleaseEvery bytes.
size_t FirstInvalidUtf8(std::string_view text, const std::function<void()>& release);

}  // namespace caisson::caisjson::internal
