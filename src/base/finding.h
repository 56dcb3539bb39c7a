// Finding: one problem a run found in the firm's data (or in a CAIS file given to `check`).
//
// A finding is not an error: the operation that found it still returns OK. The shape is exactly the one of
// cli.md ("Findings"); `message` is one sentence naming the CAIS field and never contains an identifier, an
// account number or a birth date, nor any part of one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caisson {

enum class Severity : unsigned char { kReject, kWarning, kPolicy, kInconsistency };
enum class RecordKind : unsigned char { kFile, kFdid, kCustomer, kTid };

// "reject", "warning", "policy", "inconsistency".
std::string_view SeverityName(Severity s);
// "file", "fdid", "customer", "tid".
std::string_view RecordKindName(RecordKind r);

struct Finding {
  std::string rule;                    // rule id of rules.md, e.g. "customer.address"
  Severity severity = Severity::kReject;
  std::string cais_code;               // Appendix B code ("22514"), empty = null
  RecordKind record = RecordKind::kFile;
  std::string key;                     // firm key (FDID, customer_id, "crid:<n>"); empty = null
  std::string file;                    // CSV or CAIS file name; empty = null
  uint64_t line = 0;                   // 1-based; 0 = null
  std::string field;                   // CSV column or JSON path; empty = null
  std::string message;
  // Not serialised: index of the record in model::Books::fdids (record kFdid) or ::customers (kCustomer, kTid),
  // -1 when the finding is not tied to one record. Holds and cascades use it.
  int64_t record_index = -1;
};

// Sorts by file, line, rule (cli.md), then the other fields so the order is total and output deterministic;
// drops exact duplicates and duplicates of the same (record, key, rule, cais_code, file, line, field). Of
// duplicates that differ only in record_index the lowest is kept, so the survivor does not depend on order.
void SortAndDedupe(std::vector<Finding>* findings);

// Appends `f` as one JSON object (cli.md shape, keys in cli.md order) to *out.
void AppendFindingJson(const Finding& f, std::string* out);

// Appends `s` as a JSON string literal (quotes included), escaping as RFC 8259 requires.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace caisson
