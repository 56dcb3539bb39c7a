// txn/linkage: pre-submission linkage checks of CAT order events [CAT IM 4.1.0 r15 §2.6, Table 5, App. E E.3;
// cat-transactions.md §5.9], each finding carrying the CAT error code it predicts (docs/linkage.md).
//
// What is checked, and the code predicted:
//   firmROEID format and Event Date prefix (2032, 2033); uniqueness per Event Date and IMID (3002)
//   event keys (Order, Trade, Fulfillment, Allocation, Quote) unique among the events that assign them
//     (3004/3010/3012/3020/3016 the same day; 3007/3011/3015/3021/3017 against the multi-day store);
//     a prior or parent key equal to the event's own key (2190)
//   every secondary key resolves (3501), trade / fulfillment side details (3502 / 3503), aggregated orders
//     (3504), manual order keys (3505) -- over all input files plus the multi-day store
//   a secondary event not before the event that assigned its key, less the clock drift (3601); a supplement at
//     its parent's time to the millisecond (3602)
//   route linkage keys: routedOrderID (2086), session on exchange routes (2093), senderIMID vs destination /
//     receiverIMID (2189), CRD:IMID forms (2091, 2082, 2019), duplicate keys (8013, 6013, 9013, 6015; leading
//     zeros stripped from routedOrderID and session), and where both sides are in the input, a route with no
//     accept (8003) or an accept with no route (9003), or the field that differs (8005-8011, 9005-9011)
//   representative orders: representativeInd vs aggregatedOrders (2142), fulfillmentLinkType vs firmDetails (2145)
// The field names, key families, event lists and codes are data: data/txn/linkage-4.1.0r15.json.
//
// Two passes over the files: the first collects the keys that events assign, the second checks every
// reference against them, so events may come in any order within and across files [§6.1.4 rule 9]. Memory
// grows with the keys assigned (orders, trades, ...) and routes, plus 16 bytes per firmROEID, not with lines.
//
// The multi-day store is a SQLite file (Caisson's convention: <state dir>/orders.db) holding the keys of orders
// still open at the end of a run whose timeInForce outlives the day (GTC, GTD, GTT, GTM), and allocation keys
// for 30 days, so a next-day secondary event or MEAA resolves. Closed orders leave it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/finding.h"
#include "base/status.h"
#include "txn/events.h"

namespace caisson::txn {

struct LinkageOptions {
  // data/txn/linkage-4.1.0r15.json (see LinkageRulesPath). Required.
  std::filesystem::path rules;
  // The multi-day store (SQLite). Default: empty, no store: keys of earlier days are not known.
  std::filesystem::path store;
  // Record this run's open multi-day orders and allocations in the store. Default: true.
  bool update_store = true;
  // Clock drift allowed before 3601. The spec names App. B's allowance without a number for this check; the
  // default is App. B's 50 ms business-clock tolerance [Caisson convention]. Default: 50 ms.
  int64_t clock_drift_ns = 50'000'000;
};

struct LinkageSummary {
  int64_t files = 0;
  int64_t events = 0;                    // events read (second pass)
  int64_t keys = 0;                      // event keys assigned in the input
  int64_t routes = 0;                    // route linkage keys in the input
  int64_t resolved_from_store = 0;       // references found only in the multi-day store
  int64_t stored = 0;                    // keys written to the store
  std::map<std::string, int64_t> by_code;  // findings by predicted CAT code
};

// data_dir / "txn" / "linkage-4.1.0r15.json".
std::filesystem::path LinkageRulesPath(const std::filesystem::path& data_dir);

// Reads every file (plain or .bz2 NDJSON; a folder gives its *_OrderEvents_*.json[.bz2] files) twice and appends one Finding per predicted CAT error (rule
// "linkage.*", cais_code = the CAT code, key = the event's firmROEID, file, line, field) to *findings, plus the
// reader's own findings (event.*, file.*) from the first pass. Returns OK when the check ran, even with
// findings; NotFound / IOError when a file, the rules or the store cannot be read; Corruption when the rules
// file is not valid.
Status CheckLinkage(const Catalogue& catalogue, const std::vector<std::filesystem::path>& paths,
                    const LinkageOptions& options, std::vector<Finding>* findings, LinkageSummary* summary);

}  // namespace caisson::txn
