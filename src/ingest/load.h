// Private to ingest: the state of one LoadBooks call, shared by the per-file loaders.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include "base/finding.h"
#include "base/status.h"
#include "ingest/ingest.h"
#include "ingest/table.h"

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

enum class Verdict { kFirst, kNewer, kSameDate, kOlder, kFuture };

// Keeps, per key, the rows of the latest `valid_from` on or before as_of (books-and-records.md "History").
// A row without valid_from counts as valid from the beginning. Keys are the firm's text keys (History) or, where
// the caller can name a key by numbers, a 64-bit id (IdHistory: 16 bytes a key instead of 40 and a string).
template <typename Key, typename KeyView, typename Hash, typename Eq>
class BasicHistory {
 public:
  using Verdict = ingest::Verdict;
  explicit BasicHistory(int32_t as_of) : as_of_(as_of) {}
  // Room for `keys` keys: growing by rehashing held the old and the new table at once.
  void Reserve(size_t keys) { keys_.reserve(keys); }

  // Offers row `row` of `key` taking effect on `valid_from` (0 = always). kFirst/kNewer: the row is now the
  // key's current state and the rows it replaces are appended to *superseded. kSameDate: a second row for
  // the state in force; the caller decides (AddSameDate keeps it). kOlder/kFuture: the row is not current.
  Verdict Offer(KeyView key, int32_t valid_from, uint32_t row, std::vector<uint32_t>* superseded) {
    if (as_of_ > 0 && valid_from > as_of_) {
      future_.emplace(key);
      return Verdict::kFuture;
    }
    auto it = keys_.find(key);
    if (it == keys_.end()) {
      keys_.emplace(Key(key), State{valid_from, row});
      return Verdict::kFirst;
    }
    if (valid_from > it->second.valid_from) {
      superseded->push_back(it->second.first);
      if (auto more = more_.find(it->second.first); more != more_.end()) {
        superseded->insert(superseded->end(), more->second.begin(), more->second.end());
        more_.erase(more);
      }
      it->second = State{valid_from, row};
      return Verdict::kNewer;
    }
    return valid_from == it->second.valid_from ? Verdict::kSameDate : Verdict::kOlder;
  }
  void AddSameDate(KeyView key, uint32_t row) { more_[keys_.find(key)->second.first].push_back(row); }
  // The first row in force for `key` (REQUIRES: Offer returned kFirst/kNewer/kSameDate for it).
  uint32_t CurrentFirst(KeyView key) const { return keys_.find(key)->second.first; }
  // Keys that exist only in states after as_of: references to them are not dangling, just not yet due.
  bool IsFutureOnly(KeyView key) const {
    if (settled_) return future_.find(key) != future_.end();
    return future_.find(key) != future_.end() && keys_.find(key) == keys_.end();
  }
  // Ends the offers: frees the per-key states, keeping only what IsFutureOnly needs. The key states of a
  // large books file were a fifth of the load's peak, and later files only ask IsFutureOnly.
  // REQUIRES: no Offer, AddSameDate or CurrentFirst afterwards.
  void Settle() {
    for (auto it = future_.begin(); it != future_.end();) {
      if (keys_.find(*it) != keys_.end()) {
        future_.erase(it++);
      } else {
        ++it;
      }
    }
    decltype(keys_)().swap(keys_);
    decltype(more_)().swap(more_);
    settled_ = true;
  }

 private:
  // One small entry per key: nearly every key has one row, so the rows AddSameDate keeps after `first` live
  // apart in more_ (keyed by `first`), not in a vector of every key's state.
  struct State {
    int32_t valid_from;
    uint32_t first;
  };
  int32_t as_of_;
  bool settled_ = false;
  absl::flat_hash_map<Key, State, Hash, Eq> keys_;
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> more_;
  absl::flat_hash_set<Key, Hash, Eq> future_;
};
using History = BasicHistory<std::string, std::string_view, KeyHash, KeyEq>;
using IdHistory = BasicHistory<uint64_t, uint64_t, absl::Hash<uint64_t>, std::equal_to<uint64_t>>;

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

  // Options::excerpt of `file`, or nullptr (read it whole).
  const Excerpt* ExcerptOf(std::string_view file) const {
    return options.excerpt ? options.excerpt(file) : nullptr;
  }
  // ingest::ReadTable of `file` into `findings`, through its excerpt when there is one.
  Status ReadTable(const std::filesystem::path& dir, std::string_view file, bool required,
                   std::span<const Column> columns, bool* present, const std::function<void(const Row&)>& on_row) {
    return ingest::ReadTable(dir, file, required, columns, &findings, present, ExcerptOf(file), on_row);
  }
  // An upper bound on the records of `file` that will be read, to reserve memory.
  size_t RowsHint(const std::filesystem::path& dir, std::string_view file) const;

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
