// Fuzz target for the fast delta's books scan (delta/scan_rows.h): after a fixed header, any bytes split into
// the same records as ingest::ReadCsv — the same count, start lines and key cells — because ingest later reads
// the scan's rows by offset and must name the same lines; where ReadCsv fails, the scan fails too. Never a
// crash, and every row's offset lies within the text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "delta/scan_rows.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using caisson::delta::ParsedRow;
  const std::string text = "fdid,customer_id,role_start_date\n" + std::string(reinterpret_cast<const char*>(data), size);
  const caisson::delta::FileSpec roles{"roles.csv", true, caisson::delta::Owner::kFdid, "fdid"};

  struct Record {
    uint64_t line;
    std::string key, customer;
  };
  std::vector<Record> scanned;
  caisson::delta::RowQueue queue;
  std::thread parser([&] { caisson::delta::ParseRows(text, roles, 20200101, false, "fuzz.csv", &queue); });
  caisson::Status scan_status;
  for (;;) {
    std::unique_ptr<caisson::delta::RowChunk> chunk = queue.Pop();
    for (const ParsedRow& r : chunk->rows) {
      if (r.offset >= text.size() || r.owner != ParsedRow::kFdid) std::abort();
      scanned.push_back({r.line, std::string(r.key), std::string(r.second)});
    }
    if (chunk->last) {
      scan_status = chunk->status;
      break;
    }
  }
  parser.join();

  std::vector<Record> read;
  bool header = true;
  caisson::Status read_status = caisson::ingest::ReadCsv(
      text, "fuzz.csv", [&](const std::vector<std::string_view>& fields, uint64_t line) {
        if (header) {
          header = false;
          return true;
        }
        read.push_back({line, std::string(fields.empty() ? "" : fields[0]),
                        std::string(fields.size() < 2 ? "" : fields[1])});
        return true;
      });
  if (!read_status.ok()) {
    if (scan_status.ok()) std::abort();  // ingest refuses bytes the scan accepted
    return 0;
  }
  if (!scan_status.ok()) std::abort();
  if (read.size() != scanned.size()) std::abort();
  for (size_t i = 0; i < read.size(); ++i) {
    if (read[i].line != scanned[i].line || read[i].key != scanned[i].key || read[i].customer != scanned[i].customer) {
      std::abort();
    }
  }
  return 0;
}
