// Fuzz target for the books scan (delta/scan_rows.h): after a fixed header, any bytes split into the same
// records as ingest::ReadCsv — the same count, start lines and key cells — because ingest later reads the
// scan's rows by offset and must name the same lines; where ReadCsv fails, the scan fails too. Never a crash,
// and every row's offset lies within the text. The same bytes are read twice: as roles.csv (key and customer
// cells, dates checked against a `since`) and as identifiers.csv with identifier links (validate's batches),
// whose link key must be the one of the id_value cell ReadCsv finds.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "delta/scan_rows.h"
#include "ingest/ingest.h"

namespace {

using caisson::delta::ParsedRow;

struct Record {
  uint64_t line = 0;
  std::string key, second;
  uint64_t link = 0;
  bool operator==(const Record&) const = default;
};

// The scan's records of `text`, or false when the scan failed.
bool Scan(const std::string& text, const caisson::delta::FileSpec& spec, bool link, std::vector<Record>* out) {
  caisson::delta::RowQueue queue;
  std::thread parser([&] { caisson::delta::ParseRows(text, spec, 20200101, 20250101, link, "fuzz.csv", &queue); });
  caisson::Status status;
  for (;;) {
    std::unique_ptr<caisson::delta::RowChunk> chunk = queue.Pop();
    for (const ParsedRow& r : chunk->rows) {
      if (r.offset >= text.size() || r.owner == ParsedRow::kNone) std::abort();
      out->push_back({r.line, std::string(r.key), std::string(r.second), r.link});
    }
    if (chunk->last) {
      status = chunk->status;
      break;
    }
  }
  parser.join();
  return status.ok();
}

// ReadCsv's records: cell 0 the key, cell `second` (or none) and cell `link` (or none) through the link key.
bool Read(const std::string& text, int second, int link, std::vector<Record>* out) {
  bool header = true;
  auto cell = [](const std::vector<std::string_view>& f, int i) {
    return i < 0 || static_cast<size_t>(i) >= f.size() ? std::string_view() : f[static_cast<size_t>(i)];
  };
  caisson::Status status = caisson::ingest::ReadCsv(
      text, "fuzz.csv", [&](const std::vector<std::string_view>& fields, uint64_t line) {
        if (header) {
          header = false;
          return true;
        }
        out->push_back({line, std::string(cell(fields, 0)), std::string(cell(fields, second)),
                        link < 0 ? 0 : caisson::delta::IdentifierLinkKey(cell(fields, link))});
        return true;
      });
  return status.ok();
}

void Compare(const std::string& text, const caisson::delta::FileSpec& spec, bool link, int second, int link_cell) {
  std::vector<Record> scanned, read;
  const bool scan_ok = Scan(text, spec, link, &scanned);
  if (!Read(text, second, link_cell, &read)) {
    if (scan_ok) std::abort();  // ingest refuses bytes the scan accepted
    return;
  }
  if (!scan_ok || read != scanned) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const caisson::delta::FileSpec roles{"roles.csv", true, caisson::delta::Owner::kFdid, "fdid"};
  Compare("fdid,customer_id,role_start_date\n" + bytes, roles, false, 1, -1);
  const caisson::delta::FileSpec identifiers{"identifiers.csv", false, caisson::delta::Owner::kCustomer,
                                             "customer_id"};
  Compare("customer_id,id_type,id_value\n" + bytes, identifiers, true, -1, 2);
  return 0;
}
