// RFC 4180 reader behind ingest::ReadCsv.
//
// The whole text is checked for UTF-8 first, so no record is delivered from a file that is not UTF-8. Fields
// are views into `text`; only a quoted field holding a doubled quote (or text after its closing quote) is
// copied, into one scratch buffer reused for every record, so a record costs no allocation once the buffers
// have grown.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.h"
#include "ingest/ingest.h"
#include "ingest/table.h"

namespace caisson::ingest {

namespace {

// A field copied into RecordParser::scratch: fields[index] is pointed at it once the record is complete
// (scratch may move while it grows).
struct ScratchField {
  size_t index;
  size_t begin;
  size_t size;
};

// The first ',' or '\n' in text[i, n), or n. Eight bytes at a time: unquoted fields are most of the books.
size_t FieldEnd(std::string_view text, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const size_t n = text.size();
  const char* p = text.data();
  while (i + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    const uint64_t comma = w ^ (kOnes * ','), newline = w ^ (kOnes * '\n');
    // A byte of `comma` or `newline` is zero where the text has that character; the lowest flag is exact.
    const uint64_t hit = ((comma - kOnes) & ~comma & kHigh) | ((newline - kOnes) & ~newline & kHigh);
    if (hit != 0) {
      if constexpr (std::endian::native == std::endian::little) return i + (std::countr_zero(hit) >> 3);
      break;  // big-endian: the byte loop below finds it
    }
    i += 8;
  }
  while (i < n && p[i] != ',' && p[i] != '\n') ++i;
  return i;
}

// Parses the record starting at text[i] (not an empty line) into `fields`; leaves i after its line end and
// line counting the newlines it crossed. Fields are views into `text` or into `scratch`.
// Unquoted fields go straight into `fields` as views of `text` (a field built on the stack and copied cost a
// store-forwarding stall per field: most of this function's time in a profile of validate).
struct RecordParser {
  std::vector<std::string_view> fields;
  std::vector<ScratchField> scratch_fields;
  std::string scratch;

  Status Parse(std::string_view text, std::string_view name, size_t& i, uint64_t& line) {
    const size_t n = text.size();
    fields.clear();
    scratch_fields.clear();
    scratch.clear();
    for (;;) {
      if (i < n && text[i] == '"') {
        struct {
          size_t begin;
          bool in_scratch;
        } span{0, false};
        const uint64_t quote_line = line;
        ++i;
        span.begin = i;
        size_t scratch_begin = 0;
        size_t content_end = i;
        for (;;) {
          size_t q = text.find('"', i);
          if (q == std::string_view::npos) {
            return Status::Corruption(fmt::format("{}:{}", name, quote_line), "unterminated quoted field");
          }
          line += static_cast<uint64_t>(std::count(text.begin() + i, text.begin() + q, '\n'));
          if (q + 1 < n && text[q + 1] == '"') {  // a doubled quote stands for one quote
            if (!span.in_scratch) {
              span.in_scratch = true;
              scratch_begin = scratch.size();
              scratch.append(text.substr(span.begin, q + 1 - span.begin));
            } else {
              scratch.append(text.substr(i, q + 1 - i));
            }
            i = q + 2;
            continue;
          }
          if (span.in_scratch) scratch.append(text.substr(i, q - i));
          content_end = q;
          i = q + 1;
          break;
        }
        // Text between the closing quote and the delimiter is not RFC 4180; keep it rather than lose data.
        size_t e = i;
        while (e < n && text[e] != ',' && text[e] != '\n') ++e;
        size_t tail_end = e;
        if (tail_end > i && text[tail_end - 1] == '\r' && (e == n || text[e] == '\n')) --tail_end;
        if (tail_end > i) {
          if (!span.in_scratch) {
            span.in_scratch = true;
            scratch_begin = scratch.size();
            scratch.append(text.substr(span.begin, content_end - span.begin));
          }
          scratch.append(text.substr(i, tail_end - i));
        }
        if (span.in_scratch) {
          scratch_fields.push_back({fields.size(), scratch_begin, scratch.size() - scratch_begin});
          fields.emplace_back();
        } else {
          fields.emplace_back(text.data() + span.begin, content_end - span.begin);
        }
        i = e;
      } else {
        const size_t e = FieldEnd(text, i);
        size_t end = e;
        if (end > i && text[end - 1] == '\r' && (e == n || text[e] == '\n')) --end;
        fields.emplace_back(text.data() + i, end - i);
        i = e;
      }
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < n) {  // the '\n' ending the record
        ++i;
        ++line;
      }
      break;
    }
    for (const ScratchField& f : scratch_fields) fields[f.index] = std::string_view(scratch).substr(f.begin, f.size);
    return Status::OK();
  }
};

// Whether text[begin, end) is well-formed UTF-8.
bool ValidUtf8(std::string_view text, size_t begin, size_t end) {
  size_t stop = 0;
  return FindInvalidUtf8(text.substr(0, end), begin, end, &stop) == std::string_view::npos;
}

}  // namespace

Status ReadCsv(
    std::string_view text, std::string_view name,
    const std::function<bool(const std::vector<std::string_view>& fields, uint64_t line)>& on_record) {
  return ReadCsvReleasing(text, name, on_record, nullptr);
}

Status ReadCsvReleasing(
    std::string_view text, std::string_view name,
    const std::function<bool(const std::vector<std::string_view>& fields, uint64_t line)>& on_record,
    const std::function<void(size_t done)>& release) {
  // Both passes tell `release` every kReleaseStep bytes how far they are done with the text.
  constexpr size_t kReleaseStep = size_t{8} << 20;
  for (size_t at = 0; at < text.size();) {
    size_t stop = 0;
    if (size_t bad = FindInvalidUtf8(text, at, at + kReleaseStep, &stop); bad != std::string_view::npos) {
      uint64_t line = 1 + static_cast<uint64_t>(std::count(text.begin(), text.begin() + bad, '\n'));
      return Status::Corruption(fmt::format("{}:{}", name, line), "not valid UTF-8");
    }
    at = stop;
    if (release) release(at);
  }
  size_t next_release = kReleaseStep;
  const size_t n = text.size();
  size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a byte order mark some spreadsheet exports write
  uint64_t line = 1;
  RecordParser parser;
  while (i < n) {
    // A line with nothing on it is not a record (this also absorbs the newline ending the last record).
    if (text[i] == '\n') {
      ++line;
      ++i;
      continue;
    }
    if (text[i] == '\r' && (i + 1 == n || text[i + 1] == '\n')) {
      i += 1;
      continue;
    }
    if (release && i >= next_release) {
      release(i);  // no view of an earlier record is alive: the caller saw each only during its call
      next_release = i + kReleaseStep;
    }
    const uint64_t record_line = line;
    CAISSON_RETURN_IF_ERROR(parser.Parse(text, name, i, line));
    if (!on_record(parser.fields, record_line)) return Status::OK();
  }
  return Status::OK();
}

Status ReadCsvRows(
    std::string_view text, std::string_view name, const std::vector<std::pair<uint64_t, uint64_t>>& rows,
    const std::function<bool(const std::vector<std::string_view>& fields, uint64_t line)>& on_record,
    const std::function<void(size_t done)>& release, bool rows_utf8_checked) {
  const size_t n = text.size();
  RecordParser parser;
  bool stopped = false;  // on_record returned false
  bool check_utf8 = true;  // the header always
  auto one = [&](size_t at, uint64_t line) -> Status {
    const uint64_t record_line = line;
    const size_t begin = at;
    CAISSON_RETURN_IF_ERROR(parser.Parse(text, name, at, line));
    if (check_utf8 && !ValidUtf8(text, begin, at)) {
      return Status::Corruption(fmt::format("{}:{}", name, record_line), "not valid UTF-8");
    }
    stopped = !on_record(parser.fields, record_line);
    return Status::OK();
  };
  // The header: the first record, after a byte order mark and empty lines, as ReadCsv finds it.
  size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  uint64_t line = 1;
  while (i < n && (text[i] == '\n' || (text[i] == '\r' && (i + 1 == n || text[i + 1] == '\n')))) {
    if (text[i] == '\n') ++line;
    ++i;
  }
  if (i == n) return Status::OK();
  CAISSON_RETURN_IF_ERROR(one(i, line));
  check_utf8 = !rows_utf8_checked;
  for (const auto& [offset, row_line] : rows) {
    if (offset >= n) return Status::InvalidArgument(std::string(name), "a row offset beyond the file");
    if (stopped) return Status::OK();
    if (release) release(static_cast<size_t>(offset));
    CAISSON_RETURN_IF_ERROR(one(static_cast<size_t>(offset), row_line));
  }
  return Status::OK();
}

}  // namespace caisson::ingest
