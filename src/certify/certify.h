// certify: is the firm ready to ask FINRA CAT for CAIS production access? (issue #8 item 7)
//
// The rules are NOT in the CAIS Technical Specifications: they come from the CAT Industry Member CAIS
// Onboarding Guide, v1.9 of 8/2/2023 (§6 "Conduct Testing for Production Readiness", §7 "Certify Testing
// Completion"). Evaluate() is plain arithmetic over an Input of counts, so every rule is testable without a
// store; FillFromStore() derives those counts from the state store and a light view of the firm's books.
//
// Steps the firm does by hand (portal login, SFTP connection, reporting relationships) cannot be seen from
// here: they appear in the checklist as kManual and do not decide the verdict.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "state/state.h"

namespace caisson::certify {

// The guide's version, as reports quote it.
inline constexpr const char* kGuide = "CAT Industry Member CAIS Onboarding Guide v1.9 (8/2/2023)";

// Which set of requirements applies [guide §6, list of four].
enum class Role {
  kSelfReporting,   // §6.1: reports on its own behalf
  kReportingAgent,  // §6.2: clearing firm / CAT Reporting Agent for other Industry Members
  kViaAgent,        // §6.3: reports through a CAT Reporting Agent
  kNoFdids,         // §6.4: no production FDIDs; certifies with mock data
};
const char* RoleName(Role role);  // "self", "agent", "via-agent", "no-fdids"

// The TID types the guide asks one of each of [§6.1, §6.2 "Required TID Types Submission"]; the names are the
// spec's tidType values.
enum class TidType { kSsnItin = 0, kEin = 1, kForeign = 2 };
inline constexpr int kTidTypes = 3;
const char* TidTypeName(TidType t);  // "SSN/ITIN", "EIN", "FOREIGN"
// The TidType of a tidType value; nullopt for anything else.
std::optional<TidType> ParseTidType(std::string_view tid_type);

// One Industry Member of the population (a §6.2 agent has several; a self-reporting firm one).
struct Member {
  int64_t crd = 0;
  int64_t fdids = 0;            // its FDID population (the FDIDs in the books)
  int64_t submitted_fdids = 0;  // of those, submitted to the Industry Test environment
};

// The numbers behind every rule. Counts are of distinct records.
struct Input {
  Role role = Role::kSelfReporting;
  std::vector<Member> members;
  // Customers associated (in the books) with the submitted FDIDs, and how many of them were submitted.
  int64_t customers_of_submitted = 0;
  int64_t customers_of_submitted_sent = 0;
  // Customers in the population with each TID type, and submitted customers of submitted FDIDs with it.
  std::array<int64_t, kTidTypes> tid_in_population{};
  std::array<int64_t, kTidTypes> tid_submitted{};
  // FDID and customer records submitted, rejected by CAIS, and still without CAIS's answer.
  int64_t submitted_records = 0;
  int64_t rejected_records = 0;
  int64_t awaiting_records = 0;
  // File Generation Dates (YYYYMMDD) of the submissions the counts come from, ascending [§7].
  std::vector<int32_t> submission_dates;
  bool agents_certified = false;  // §6.3: the firm confirms all its CAT Reporting Agents certified
};

// The fewest FDIDs to submit for a population: 75 % of it rounded up, capped at 1,000 [§6.1/§6.2 Step
// "Required FDID Records Submission"]. 0 for a population of 0 or less.
int64_t RequiredFdids(int64_t population);
// The guide's bound on the error rate: 15 % [§6.1 Step 3, §6.2 Step 4].
inline constexpr double kMaxErrorRate = 0.15;

enum class Outcome { kPass, kFail, kManual };
const char* OutcomeName(Outcome o);  // "pass", "fail", "manual"

struct Step {
  std::string id;       // stable key, e.g. "fdids", "customers", "tid_types", "error_rate"
  std::string section;  // the guide's section, e.g. "6.1 Step 2"
  std::string title;
  Outcome outcome = Outcome::kPass;
  std::string detail;   // the numbers behind it, in words
};

struct Report {
  Role role = Role::kSelfReporting;
  int64_t population = 0;      // FDIDs, summed over members
  int64_t submitted_fdids = 0;
  int64_t required_fdids = 0;
  double error_rate = 0.0;     // rejected / submitted records; 0 when nothing was submitted
  std::vector<Step> steps;
  std::vector<int32_t> submission_dates;
  bool ready = false;          // every non-manual step passed
};

// Applies the rules of `input.role` to the numbers. Never fails: a missing number fails its step.
Report Evaluate(const Input& input);

// The firm's books as certify needs them: no identifiers, only firm keys and TID types.
struct BooksFdid {
  std::string fdid;
  int64_t member_crd = 0;  // the Industry Member it is reported for (correspondentCRD, else the firm's CRD)
  std::vector<std::string> customers;  // customer_ids associated with it
};
struct BooksCustomer {
  std::string customer_id;
  std::optional<TidType> tid;  // nullopt = no TID (no usable identifier)
};
struct Population {
  std::vector<BooksFdid> fdids;
  std::vector<BooksCustomer> customers;
};

// Fills members, the customer and TID counts, the record counts and the submission dates from `store` and
// `books`; leaves role and agents_certified alone. A null `store` means nothing was submitted yet. A record counts as submitted once a submission carried it,
// as rejected when CAIS's answer left it unaccepted or a repair item names it, as awaiting while its last
// submission has no answer. Returns the store's error, if any; the input is then partly filled.
Status FillFromStore(const state::Store* store, const Population& books, Input* input);

// The checklist as JSON (one object) and as text lines, each naming the guide.
std::string ReportJson(const Report& report);
std::string ReportText(const Report& report);

}  // namespace caisson::certify
