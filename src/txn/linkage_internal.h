// Private to txn/linkage*: the linkage rules file and the multi-day order store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/status.h"

namespace caisson::txn::linkage {

struct KeyFamily {
  std::string name;   // "order", "trade", ...
  std::string date;   // key date field, e.g. "orderKeyDate"
  std::string id;     // id field, e.g. "orderID"
  int same_day = 0;   // duplicate code, same day (3004, ...)
  int prior_day = 0;  // duplicate code, against an earlier day (3007, ...)
  std::vector<std::pair<std::string, std::string>> prior;  // (date, id) of prior / parent keys
};

struct SideReference {
  std::string array;  // "buyDetails", ...
  int code = 0;       // 3502 / 3503 / 3504
};

// data/txn/linkage-<profile>.json.
struct Rules {
  std::set<std::string, std::less<>> primary;
  std::map<std::string, std::string, std::less<>> supplements;  // supplement type -> parent type
  std::vector<KeyFamily> families;
  std::vector<SideReference> side_references;
  std::set<std::string, std::less<>> route_senders, route_receivers;
  std::set<std::string, std::less<>> linkage_required, aggregated_orders_blank;
  std::set<std::string, std::less<>> firm_details_order, firm_details_fdid, firm_details_blank;
  std::set<std::string, std::less<>> multi_day_tif;
  std::map<std::string, int, std::less<>> codes;
  // The code named `name`; 0 when the rules file lacks it (checked at load).
  int Code(std::string_view name) const;
};

// Corruption naming the file when a required element is missing; IOError / NotFound when unreadable.
Result<Rules> LoadRules(const std::filesystem::path& path);

// One key remembered across days.
struct StoredKey {
  int64_t sort_key = 0;   // eventTimestamp of the event that assigned it (Timestamp::SortKey)
  int32_t event_date = 0; // its Event Date
  int32_t closed_date = 0; // Event Date of the event that left it with leavesQty 0; 0 while open
};

// The multi-day store: SQLite table `linkage_keys(key TEXT PRIMARY KEY, sort_key, event_date, family)`.
class OrderStore {
 public:
  // Opens or creates the file. IOError naming it when SQLite refuses.
  static Result<std::unique_ptr<OrderStore>> Open(const std::filesystem::path& path);
  ~OrderStore();
  std::optional<StoredKey> Find(std::string_view key);
  // Applies one run in one transaction: writes `put` (closed_date included), marks the keys of `close` closed
  // on their date, and drops allocation keys and closed keys whose date is before `prune_before` (YYYYMMDD).
  // Closed keys stay until then so a re-run of the same day still resolves them.
  Status Apply(const std::vector<std::pair<std::string, StoredKey>>& put,
               const std::vector<std::pair<std::string, int32_t>>& close, int32_t prune_before);

 private:
  struct Rep;
  explicit OrderStore(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace caisson::txn::linkage
