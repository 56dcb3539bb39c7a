// validate: applies the rules of rules.md to a set of records and decides what is held back.
//
// One engine serves the firm's books (`validate`, `build`: Mode::kBooks, the rules whose run column has B) and
// CAIS files made by any tool (`check`: Mode::kFile, run column F). Field facts (types, lengths, enumerations,
// codes) come from the profile; this module holds the cross-record logic (associations, versions, cascades)
// and names each finding's location: in books mode the CSV file, line and column; in file mode the CAIS file,
// line and JSON path (`fdidRecordList[3].addressList[0].regionCode`).
//
// A Validator keeps no state between calls; functions are safe to call from one thread at a time per Books.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "base/result.h"
#include "model/model.h"
#include "spec/spec.h"

namespace caisson::validate {

enum class Mode : unsigned char { kBooks, kFile };

struct Options {
  Mode mode = Mode::kBooks;
  int32_t as_of = 0;  // YYYYMMDD business date the rules apply for. REQUIRES: set
  // Policy rules only: rule id -> "hold" (default) | "report" | "off" (cli.md [rules]).
  std::map<std::string, std::string> policy;
};

// A rule of the catalogue (rules.md).
struct RuleInfo {
  std::string id;                  // "customer.address"
  Severity severity;
  std::vector<std::string> codes;  // App B codes it may report; empty when the spec names none
  bool books = false;              // run column B
  bool file = false;               // run column F
  bool state = false;              // run column S (needs the state store; later issues)
};
// Every rule of rules.md, in catalogue order.
const std::vector<RuleInfo>& Rules();
const RuleInfo* FindRule(std::string_view id);

// InvalidArgument when an entry names an unknown rule, a rule that is not a policy rule, or a value other than
// hold/report/off. `origin` (e.g. "caisson.toml [rules]") prefixes the message.
Status CheckPolicyOverrides(const std::map<std::string, std::string>& policy, std::string_view origin);

// Appends one Finding per failed condition of every record and cross-record rule that applies in
// options.mode. OK when the check ran, even if it found problems.
Status Validate(const spec::Profile& profile, const model::Books& books, const Options& options,
                std::vector<Finding>* findings);

struct Holds {
  std::vector<bool> fdid;      // parallel to Books::fdids: true = held back
  std::vector<bool> customer;  // parallel to Books::customers
};

// Decides what is held back from the findings of every stage (ingest, identity, Validate): a `reject`, or a
// `policy` finding whose rule is set to hold, holds its record. Then applies the cascades of rules.md
// (§6.3 R2, R9–R10; §5.1.3.1 R3; §5.1.3.2 R4) to a fixed point, appending the cascade findings (22048, 22523,
// 22529, hold.cascade). Drops findings of rules set to "off". Sorts and dedupes *findings.
Holds ResolveHolds(const model::Books& books, const Options& options, std::vector<Finding>* findings);

struct Summary {
  int64_t fdids = 0, customers = 0, tids = 0;
  int64_t rejected_fdids = 0, rejected_customers = 0, held_fdids = 0, held_customers = 0;
  int64_t rejects = 0, warnings = 0, policy = 0, inconsistencies = 0;
};
Summary Summarise(const model::Books& books, const Holds& holds, const std::vector<Finding>& findings);
// For summaries made in parts (batches, file pairs): adds the record counts of `part` (fdids .. held_customers)
// to *total, and the findings of each severity in `findings` to *total.
void AddRecordCounts(const Summary& part, Summary* total);
void CountFindings(const std::vector<Finding>& findings, Summary* total);

// The cli.md findings document: {"profile", "summary", "findings"}; ends with a newline.
std::string FindingsJson(std::string_view profile, const Summary& summary, const std::vector<Finding>& findings);

}  // namespace caisson::validate
