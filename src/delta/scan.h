// delta/scan: the fast daily delta's look at the books without building the model (issue #7 speed target).
//
// One pass over the books' CSV files (books-and-records.md) gives, per FDID and per customer key, a 64-bit
// digest of every row that feeds the record's emitted state, the FDID <-> customer edges of roles.csv and the
// REPLACED links of accounts.csv. The state store keeps, per record, the digest of the rows its last emitted
// state came from (state::RecordState::scan). A record whose digest is unchanged, whose last emitted state
// CAIS has (or it never needed resending), and that nothing else pulls in, has today the state it had then:
// the delta need not read it. LoadSet() names the records that must be read; ingest::Options::keep_fdid /
// keep_customer read only those; delta::Select then runs on that closed subset.
//
// What a digest covers: the file name and header (a renamed or moved column changes it) and every cell of
//  * an FDID: its accounts.csv rows (all states of its history), roles.csv rows naming it, ACCOUNT rows of
//    addresses.csv, large_traders.csv and authorized_traders.csv rows (last_activity_date is an accounts column);
//  * a customer: its customers.csv rows, identifiers.csv rows and CUSTOMER rows of addresses.csv.
// Rows are folded in file order, so the digest is deterministic. A record is "pending" when one of its rows
// carries a date (valid_from or any *_date column) after `since`, or (with ScanOptions::stale_activity_before)
// an accounts.csv last_activity_date before that date: its state can change with the business date alone, so
// it is read whatever its digest.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "base/result.h"
#include "delta/delta.h"
#include "state/state.h"

namespace caisson::delta {

struct ScanOptions {
  // YYYYMMDD, the as_of of the last submission: a row dated after it makes its record pending. 0 = none is.
  int32_t since = 0;
  // Give the pages of the books back to the page cache behind the rows read (and the rest of each file once
  // it is read), so that the books do not count in the resident set: `validate` at 10^7 FDIDs. Default: false.
  bool release_pages = false;
  // YYYYMMDD (`build --delta --end-inactive`: six months before as_of): an accounts.csv row whose
  // last_activity_date is before it makes its FDID pending, as one that may end INACTIVE today. 0 = off.
  int32_t stale_activity_before = 0;
  // Fill Scan::customer_links from identifiers.csv (`validate`'s batches). Default: false.
  bool link_identifiers = false;
};

// The 64-bit hash of the scan's digests and key index (wyhash; stable across runs and builds).
uint64_t Hash64(std::string_view bytes, uint64_t seed);
// The version of the digest definition (Hash64 and what it covers). Stored digests of another version are
// unknown: the build context (apps ScanContext) names it, so a change reads the whole books once.
inline constexpr int kScanDigestVersion = 2;

// Keys found by std::string_view without a copy (Debian's absl has its own string_view: spelled out).
struct ScanKeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return static_cast<size_t>(Hash64(s, 0x5ca1ab1e)); }
};
struct ScanKeyEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

inline constexpr uint32_t kNoScanId = 0xffffffff;

// Strings copied into blocks that never move: the views it returns live as long as it does.
class KeyArena {
 public:
  std::string_view Keep(std::string_view s) {
    if (s.size() > room_) {
      const size_t size = std::max(kBlock, s.size());
      blocks_.push_back(std::make_unique<char[]>(size));
      at_ = blocks_.back().get();
      room_ = size;
    }
    std::memcpy(at_, s.data(), s.size());
    const std::string_view kept(at_, s.size());
    at_ += s.size();
    room_ -= s.size();
    return kept;
  }

 private:
  static constexpr size_t kBlock = size_t{4} << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* at_ = nullptr;
  size_t room_ = 0;
};

// Record ids by key. The keys are kept once, in id order; the hash set holds 4-byte ids and hashes and compares
// through the keys. (A map of (view, id) pairs took 24 bytes a slot: at 1.5 * 10^7 customers, a table of 2^25
// slots, 0.8 GB of pages the scan faulted in and the kernel zeroed on its critical path.)
// Keys are views into Scan::keys (copies, packed), never into the mapped books.
class KeyIds {
 public:
  KeyIds() : keys_(std::make_unique<std::vector<std::string_view>>()), ids_(0, Hash{keys_.get()}, Eq{keys_.get()}) {}

  size_t size() const { return keys_->size(); }
  std::string_view operator[](size_t id) const { return (*keys_)[id]; }
  // kNoScanId when absent.
  uint32_t Find(std::string_view key) const {
    auto it = ids_.find(key);
    return it == ids_.end() ? kNoScanId : *it;
  }
  // The id of `key`; when new it gets id size() and keeps the view keep(key), and *added is set.
  template <typename Keep>
  uint32_t FindOrAdd(std::string_view key, Keep&& keep, bool* added) {
    const auto id = static_cast<uint32_t>(keys_->size());
    *added = false;
    auto it = ids_.lazy_emplace(key, [&](const auto& ctor) {
      *added = true;
      keys_->push_back(keep(key));  // before the id: a later hash of it reads its key
      ctor(id);
    });
    return *it;
  }
  void Reserve(size_t n) {
    keys_->reserve(n);
    ids_.reserve(n);
  }
  void Prefetch(std::string_view key) const { ids_.prefetch(key); }
  // Frees the index and keeps the keys: operator[] still answers, Find finds nothing and FindOrAdd must not be
  // called again (validate's batches need the keys, not the index: at 10^7 FDIDs it is ~250 MB).
  void DropIndex() { ids_ = decltype(ids_)(0, Hash{keys_.get()}, Eq{keys_.get()}); }

 private:
  // Transparent, so that a view finds an id.
  struct Hash {
    using is_transparent = void;
    const std::vector<std::string_view>* keys;
    size_t operator()(std::string_view s) const { return ScanKeyHash{}(s); }
    size_t operator()(uint32_t id) const { return ScanKeyHash{}((*keys)[id]); }
  };
  struct Eq {
    using is_transparent = void;
    const std::vector<std::string_view>* keys;
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t a, std::string_view b) const { return (*keys)[a] == b; }
    bool operator()(std::string_view a, uint32_t b) const { return a == (*keys)[b]; }
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };
  // On the heap, so that the set's functors still point at it after a move.
  std::unique_ptr<std::vector<std::string_view>> keys_;
  absl::flat_hash_set<uint32_t, Hash, Eq> ids_;
};

// One books file as the scan read it: its bytes stay mapped so that ingest reads the few records a delta needs
// from them (ingest::Excerpt) instead of reading and splitting the file again.
struct ScanFile {
  std::string name;                    // e.g. "roles.csv"
  std::shared_ptr<const void> bytes;   // keeps `text` alive: a read-only private mapping of the whole file
  std::string_view text;               // the whole file ("" when empty)
  // Per data record, in file order: its byte offset, whose row it is (an FDID, a customer, or none: read
  // always) and that record's id. Private encoding: read through KeptRows.
  std::vector<uint64_t> rows;
  // (record index, line) of the records whose line is not the previous record's line + 1 (the first, and those
  // after a quoted newline or an empty line).
  std::vector<std::pair<uint32_t, uint64_t>> lines;
};

// Gives the pages of `file`'s mapping back to the page cache (reading them again faults them back in).
void ReleaseFilePages(const ScanFile& file);

struct Scan {
  // Records by key; ids are positions in the vectors below.
  KeyIds fdids, customers;
  std::vector<uint64_t> fdid_digest, customer_digest;
  std::vector<bool> fdid_pending, customer_pending;
  std::vector<bool> fdid_in_accounts;  // has an accounts.csv row (else only named by other files)
  std::vector<int32_t> replaced_by;    // fdid id -> the fdid id of its replaced_by_fdid, -1 none
  std::vector<std::pair<uint32_t, uint32_t>> roles;  // (fdid id, customer id), file order
  // With ScanOptions::link_identifiers: pairs of customers that share an identifier value (letters and digits
  // alike, any type, ended or not), a chain per value: every pair of customers that can share a tidValue, or
  // name one another's as replacedByTID, is joined through them.
  std::vector<std::pair<uint32_t, uint32_t>> customer_links;
  int64_t rows = 0;
  std::vector<ScanFile> files;  // the books files present, in the order read
  // Every key of `fdids` and `customers`, copied (unquoted) and packed: comparing keys reads these, not the books'
  // pages, which then go back to the page cache once read instead of being faulted in again by every lookup
  // (10^7 FDIDs: 250 MB here against up to 2.2 GB of accounts.csv and customers.csv pages).
  KeyArena keys;
  // The digest of FDID / customer `key`; 0 when the books have no row of it.
  uint64_t FdidDigest(std::string_view key) const;
  uint64_t CustomerDigest(std::string_view key) const;
  // The id of FDID / customer `key`, or kNoId. `*cursor` (kNoId at first) is the id found last: a key that is
  // the next id's is found without the map (books and the store list keys mostly in one order).
  static constexpr uint32_t kNoId = kNoScanId;
  uint32_t FindFdid(std::string_view key, uint32_t* cursor) const;
  uint32_t FindCustomer(std::string_view key, uint32_t* cursor) const;
};

// Reads every books file of `dir` once. NotFound for a missing folder or required file (accounts.csv,
// customers.csv, roles.csv); Corruption for an unterminated quote; InvalidArgument for a missing key column.
// Deeper checks are LoadBooks's, which still reads every record the delta may send.
Result<Scan> ScanBooks(const std::filesystem::path& dir, const ScanOptions& options);

struct LoadOptions {
  // [§3.8] open FDIDs accepted on or before this date are resent (delta::Options); 0 = off.
  int32_t refresh_accepted_on_or_before = 0;
};

// The records a fast delta must read, parallel to the scan's ids.
struct LoadSet {
  std::vector<bool> fdid, customer;
  int64_t fdids = 0, customers = 0;        // how many are set
  int64_t seed_fdids = 0, seed_customers = 0;  // before the closure
  // FDIDs Caisson ended INACTIVE earlier and not read: still inactive (ActivityReport::still_inactive).
  int64_t unread_inactive = 0;
  std::vector<bool> inactive;  // per FDID: the store has it ended INACTIVE
  // Open FDIDs not read whose last recorded state had no last_activity_date (ActivityReport::without_activity).
  int64_t unread_without_activity = 0;
  std::vector<bool> no_activity;  // per FDID: so recorded (kFlagNoActivity, not ended)
  // The store's rows of FDIDs without an accounts.csv row (Options::absent_fdids: state.vanished candidates).
  std::vector<state::RecordState> absent_fdids;
};

// The store's digest rows (state::DigestRow), read into memory so that the walk can run on another thread
// while the books are scanned: the two are independent until ChooseLoad matches them.
struct StoreDigests {
  struct Row {
    uint32_t key_at = 0, key_size = 0;  // in `keys`
    uint64_t scan = 0;
    int32_t flags = 0, last_accepted = 0, inactive_since = 0;
    bool emitted = false, accepted = false, settled = false;
  };
  // What ChooseLoad reads of a customer: 16 bytes a row, not 32 (1.5 * 10^7 of them at 10^7 FDIDs).
  struct CustomerRow {
    uint64_t scan = 0;
    uint32_t key_at = 0;
    uint16_t key_size = 0;
    bool emitted = false, settled = false;
  };
  std::string keys;  // every key back to back
  std::vector<Row> fdids;  // in the store's key order
  std::vector<CustomerRow> customers;
  template <typename R>
  std::string_view Key(const R& r) const {
    return std::string_view(keys).substr(r.key_at, r.key_size);
  }
};
// Uses `store` for the whole call: the caller must not touch it meanwhile (one thread per Store).
Result<StoreDigests> ReadStoreDigests(const state::Store& store);

// Seeds: records the store has no digest for (new, or never recorded), whose digest differs, pending ones,
// records emitted but not accepted in that state, FDIDs the refresh report listed or due for the refresh, and
// records with an open repair item or (customers) an open Material Inconsistency. Then the closure of §3.6
// over the role edges: every customer of a loaded FDID, every FDID of such a customer and their customers,
// and both ends of every REPLACED link of a loaded FDID.
Result<LoadSet> ChooseLoad(const Scan& scan, const StoreDigests& digests, const state::Store& store,
                           const LoadOptions& options);

// (byte offset, 1-based line) of the records of `file` a delta with load set `set` reads, in file order: the
// rows of the records set, and the rows no record owns (an address whose owner_type is neither ACCOUNT nor
// CUSTOMER: ingest reports those).
// The pairs of customers (scan ids) whose identifiers.csv rows share an identifier value (IdentifierLinkKey),
// read again from the scan's mapping of identifiers.csv: what ScanOptions::link_identifiers gives, for a
// caller that needs them only sometimes. A fault of the file (which the scan passed) is returned.
Result<std::vector<std::pair<uint32_t, uint32_t>>> LinkIdentifiers(const Scan& scan);

std::vector<std::pair<uint64_t, uint64_t>> KeptRows(const ScanFile& file, const LoadSet& set);

}  // namespace caisson::delta
