// Private to ingest: the state of one LoadBooks call, shared by the per-file loaders.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include "base/finding.h"
#include "base/status.h"
#include "ingest/ingest.h"

namespace caisson::ingest {

// Keyed by the firm's text keys, found by std::string_view without a copy. (Debian's absl is built with its own
// absl::string_view, so the transparent functors are spelled out.)
struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return absl::Hash<absl::string_view>{}(absl::string_view(s.data(), s.size())); }
};
struct KeyEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};
using KeyIndex = absl::flat_hash_map<std::string, int32_t, KeyHash, KeyEq>;
using KeySet = absl::flat_hash_set<std::string, KeyHash, KeyEq>;

// Keeps, per key, the rows of the latest `valid_from` on or before as_of (books-and-records.md "History").
// A row without valid_from counts as valid from the beginning.
class History {
 public:
  enum class Verdict { kFirst, kNewer, kSameDate, kOlder, kFuture };
  explicit History(int32_t as_of) : as_of_(as_of) {}

  // Offers row `row` of `key` taking effect on `valid_from` (0 = always). kFirst/kNewer: the row is now the
  // key's current state and the rows it replaces are appended to *superseded. kSameDate: a second row for
  // the state in force; the caller decides (AddSameDate keeps it). kOlder/kFuture: the row is not current.
  Verdict Offer(std::string_view key, int32_t valid_from, uint32_t row, std::vector<uint32_t>* superseded) {
    if (as_of_ > 0 && valid_from > as_of_) {
      future_.emplace(key);
      return Verdict::kFuture;
    }
    auto it = keys_.find(key);
    if (it == keys_.end()) {
      keys_.emplace(std::string(key), State{valid_from, row, {}});
      return Verdict::kFirst;
    }
    if (valid_from > it->second.valid_from) {
      superseded->push_back(it->second.first);
      superseded->insert(superseded->end(), it->second.more.begin(), it->second.more.end());
      it->second = State{valid_from, row, {}};
      return Verdict::kNewer;
    }
    return valid_from == it->second.valid_from ? Verdict::kSameDate : Verdict::kOlder;
  }
  void AddSameDate(std::string_view key, uint32_t row) { keys_.find(key)->second.more.push_back(row); }
  // The first row in force for `key` (REQUIRES: Offer returned kFirst/kNewer/kSameDate for it).
  uint32_t CurrentFirst(std::string_view key) const { return keys_.find(key)->second.first; }
  // Keys that exist only in states after as_of: references to them are not dangling, just not yet due.
  const KeySet& future_only() const { return future_; }
  bool IsFutureOnly(std::string_view key) const {
    return future_.find(key) != future_.end() && keys_.find(key) == keys_.end();
  }

 private:
  // The first row is held inline: nearly every key has one row, and a one-element vector would cost a heap
  // block per key of every books file (the address history is alive at the load's peak).
  struct State {
    int32_t valid_from;
    uint32_t first;
    std::vector<uint32_t> more;  // rows AddSameDate kept after `first`
  };
  int32_t as_of_;
  absl::flat_hash_map<std::string, State, KeyHash, KeyEq> keys_;
  KeySet future_;
};

struct Load {
  explicit Load(const Options& o) : options(o), accounts_history(o.as_of), customers_history(o.as_of) {}

  // Registers a books file; its index is what Origin::file holds.
  uint32_t AddFile(std::string_view name) {
    out.books.files.emplace_back(name);
    return static_cast<uint32_t>(out.books.files.size() - 1);
  }
  // Index of the record in force for a fdid / customer_id, or -1.
  int32_t FdidIndex(std::string_view fdid) const {
    auto it = fdid_index.find(fdid);
    return it == fdid_index.end() ? -1 : it->second;
  }
  int32_t CustomerIndex(std::string_view id) const {
    auto it = customer_index.find(id);
    return it == customer_index.end() ? -1 : it->second;
  }

  // Options::keep_fdid / keep_customer: whether a row of this FDID / customer is read.
  bool KeepFdid(std::string_view fdid) const { return !options.keep_fdid || options.keep_fdid(fdid); }
  bool KeepCustomer(std::string_view id) const { return !options.keep_customer || options.keep_customer(id); }

  const Options& options;
  Loaded out;
  std::vector<Finding> findings;  // handed to the caller only when the whole load succeeds
  KeyIndex fdid_index;            // fdid -> first record in Books::fdids
  KeyIndex customer_index;        // customer_id -> record in Books::customers
  History accounts_history;
  History customers_history;
  absl::flat_hash_set<int32_t> valid_from_dates;  // Loaded::valid_from_dates, unordered
};

// valid_from of a row: 0 when empty; an input.value finding (and 0) when it is not a date.
int32_t ValidFrom(std::string_view cell, RecordKind record, std::string_view key, std::string_view file,
                  uint64_t line, std::vector<Finding>* findings);

// One loader per books file, run in this order (later ones resolve references against earlier ones).
Status LoadAccounts(const std::filesystem::path& dir, Load* load);
Status LoadCustomers(const std::filesystem::path& dir, Load* load);
Status LoadIdentifiers(const std::filesystem::path& dir, Load* load);
Status LoadRoles(const std::filesystem::path& dir, Load* load);
Status LoadAddresses(const std::filesystem::path& dir, Load* load);
Status LoadLargeTraders(const std::filesystem::path& dir, Load* load);
Status LoadAuthorizedTraders(const std::filesystem::path& dir, Load* load);

}  // namespace caisson::ingest
