// Private to delta: the books scan's first stage (scan.h). Splits a books file into records exactly as ingest
// does (RFC 4180, csv.cc) and hands what the id stage needs, in chunks, through a bounded queue; the id stage
// (Scanner in scan.cc) runs on the caller's thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace caisson::delta {

enum class Owner { kFdid, kCustomer, kByColumn };

// ScanFile::rows: offset << kRowShift | kind | id.
inline constexpr int kRowShift = 30;
inline constexpr uint64_t kRowLow = (uint64_t{1} << kRowShift) - 1;  // kind and id
inline constexpr uint64_t kRowIdLimit = uint64_t{1} << 28;
inline constexpr uint64_t kRowFdid = uint64_t{0} << 28, kRowCustomer = uint64_t{1} << 28,
                          kRowAlways = uint64_t{2} << 28;
inline uint64_t RowKind(uint64_t row) { return row & kRowLow & ~(kRowIdLimit - 1); }
inline size_t RowId(uint64_t row) { return static_cast<size_t>(row & (kRowIdLimit - 1)); }
inline uint64_t RowOffset(uint64_t row) { return row >> kRowShift; }

struct FileSpec {
  const char* name;
  bool required;
  Owner owner;
  const char* key;  // the key column
};

// A books row as the scan's parser stage hands it over: what the id stage needs, nothing more.
struct ParsedRow {
  enum Owner : uint8_t { kFdid, kCustomer, kNone };
  uint64_t offset = 0, line = 0;  // of the record (ScanFile::rows, ScanFile::lines)
  uint64_t hash = 0;              // Hash64 of the record's bytes, seeded by the file's name and header
  std::string_view key;           // the owner's key, unquoted
  std::string_view second;        // accounts.csv: replaced_by_fdid; roles.csv: customer_id
  Owner owner = kNone;            // kNone: an address of neither kind (ingest reports it)
  bool pending = false;           // a date after ScanOptions::since
  // identifiers.csv with ScanOptions::link_identifiers: IdentifierLinkKey of id_value (0 when it has none).
  uint64_t link = 0;
};

struct RowChunk {
  std::vector<ParsedRow> rows;
  std::deque<std::string> unquoted;  // cells that were quoted: the rows' views point here
  Status status;                     // the parser's verdict, on the last chunk
  bool last = false;
};

// The parser's chunks on their way to the id stage: at most four in flight, so memory stays flat.
class RowQueue {
 public:
  void Push(std::unique_ptr<RowChunk> chunk) {
    std::unique_lock<std::mutex> lock(mu_);
    room_.wait(lock, [&] { return cancelled_ || chunks_.size() < 4; });
    if (cancelled_) return;
    chunks_.push_back(std::move(chunk));
    ready_.notify_one();
  }
  std::unique_ptr<RowChunk> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return !chunks_.empty(); });
    std::unique_ptr<RowChunk> chunk = std::move(chunks_.front());
    chunks_.pop_front();
    room_.notify_one();
    return chunk;
  }
  // The id stage stopped early: the parser stops pushing (and waiting).
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    room_.notify_all();
  }
  bool cancelled() {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<std::unique_ptr<RowChunk>> chunks_;
  bool cancelled_ = false;
};

// Stage 1 of Scanner::File: splits `text`, reads the header, and hands every data record to `queue` in chunks,
// the last one carrying the status (a missing key column, an unterminated quote, bytes that are not UTF-8).
// `stale_before` (YYYYMMDD, 0 = off): an accounts.csv row whose last_activity_date is before it is pending too.
void ParseRows(std::string_view text, const FileSpec& spec, int32_t since, int32_t stale_before, bool link_identifiers,
               const std::string& where, RowQueue* queue);

// A 64-bit key of an identifiers.csv id_value such that identifiers giving one TID give one key (ScanOptions::
// link_identifiers); 0 when the value has no letter or digit.
uint64_t IdentifierLinkKey(std::string_view id_value);

// An estimate of the records of `text` for reserving (from the first MiB's line length), not a count.
size_t EstimateRows(std::string_view text);

}  // namespace caisson::delta
