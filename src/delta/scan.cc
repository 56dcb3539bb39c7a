// The books scan and the load set of the fast daily delta (scan.h).
#include "delta/scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <future>
#include <memory>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash_sort.h"
#include "base/pages.h"
#include "base/timings.h"
#include "delta/scan_rows.h"

namespace caisson::delta {

namespace {

namespace fs = std::filesystem;

inline uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// A books file mapped read-only, kept by the Scan so that ingest reads the records it needs from the same bytes
// (ScanFile::text) instead of the file again.
class Mapping {
 public:
  Mapping(void* base, size_t size) : base_(base), size_(size) {}
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() { munmap(base_, size_); }
  std::string_view text() const { return {static_cast<const char*>(base_), size_}; }

 private:
  void* base_;
  size_t size_;
};

Status MapFile(const fs::path& path, ScanFile* file) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path.string(), "cannot open");
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    close(fd);
    return Status::IOError(path.string(), "cannot stat");
  }
  if (st.st_size == 0) {
    close(fd);
    return Status::OK();  // an empty file: no bytes to keep
  }
  const auto size = static_cast<size_t>(st.st_size);
  void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return Status::IOError(path.string(), "cannot map");
  madvise(p, size, MADV_SEQUENTIAL);
  auto mapping = std::make_shared<const Mapping>(p, size);
  file->text = mapping->text();
  file->bytes = std::move(mapping);
  return Status::OK();
}

constexpr FileSpec kFiles[] = {
    {"accounts.csv", true, Owner::kFdid, "fdid"},
    {"customers.csv", true, Owner::kCustomer, "customer_id"},
    {"identifiers.csv", false, Owner::kCustomer, "customer_id"},
    {"roles.csv", true, Owner::kFdid, "fdid"},
    {"addresses.csv", false, Owner::kByColumn, "owner_id"},
    {"large_traders.csv", false, Owner::kFdid, "fdid"},
    {"authorized_traders.csv", false, Owner::kFdid, "fdid"},
};

// Pairs of customers with one key among (IdentifierLinkKey, customer id) pairs; sorts `keys`.
std::vector<std::pair<uint32_t, uint32_t>> LinksOf(std::vector<std::pair<uint64_t, uint32_t>>* keys) {
  SortHashPairs(keys);
  std::vector<std::pair<uint32_t, uint32_t>> links;
  for (size_t i = 1; i < keys->size(); ++i) {
    if ((*keys)[i].first == (*keys)[i - 1].first && (*keys)[i].second != (*keys)[i - 1].second) {
      links.emplace_back((*keys)[i - 1].second, (*keys)[i].second);
    }
  }
  return links;
}

class Scanner {
 public:
  Scanner(Scan* scan, const ScanOptions& options)
      : scan_(scan),
        since_(options.since),
        stale_before_(options.stale_activity_before),
        release_pages_(options.release_pages),
        link_identifiers_(options.link_identifiers) {}

  // Scan::customer_links from the identifier keys of identifiers.csv.
  // Once identifiers.csv is read: the links are sorted out on a thread of their own while the later files are
  // scanned (the parser stage leaves a core half idle there; 10^7 FDIDs: a ~1 s sort off the critical path).
  void StartLink() {
    linking_ = std::async(std::launch::async, [keys = std::move(identifier_keys_)]() mutable {
      return LinksOf(&keys);
    });
    identifier_keys_ = {};
  }
  void Link() {
    if (!linking_.valid()) StartLink();
    scan_->customer_links = linking_.get();
  }

  // The id of `key`, a new one when it is new. Books files list a record's rows together and mostly in one
  // order: the last key, its neighbours and the key after the highest id of this file answer most lookups
  // without probing the big map (roles.csv lists a joint account's customers in either order: C3, C5, C4, C6).
  struct Cursor {
    uint32_t last = kNone, high = kNone;  // the id found last; the highest id found in this file
    uint32_t Note(uint32_t id) {
      last = id;
      if (high == kNone || id > high) high = id;
      return id;
    }
  };
  uint32_t Fdid(std::string_view key) {
    return Id(key, &scan_->fdids, &fdid_cursor_, [this] {
      scan_->fdid_digest.push_back(0);
      scan_->fdid_pending.push_back(false);
      scan_->fdid_in_accounts.push_back(false);
      scan_->replaced_by.push_back(-1);
    });
  }
  uint32_t Customer(std::string_view key) {
    return Id(key, &scan_->customers, &customer_cursor_, [this] {
      scan_->customer_digest.push_back(0);
      scan_->customer_pending.push_back(false);
    });
  }

  template <typename Grow>
  uint32_t Id(std::string_view key, KeyIds* index, Cursor* cursor, Grow&& grow) {
    const KeyIds& k = *index;
    const uint32_t last = cursor->last;
    if (last != kNone) {
      if (k[last] == key) return last;
      if (last + 1 < k.size() && k[last + 1] == key) return cursor->Note(last + 1);
      if (last > 0 && k[last - 1] == key) return cursor->Note(last - 1);
    }
    if (cursor->high != kNone && cursor->high + 1 < k.size() && k[cursor->high + 1] == key) {
      return cursor->Note(cursor->high + 1);
    }
    bool added = false;
    const uint32_t id = index->FindOrAdd(
        key,
        [this](std::string_view key) { return scan_->keys.Keep(key); },
        &added);
    if (added) grow();
    return cursor->Note(id);
  }

  Status File(const fs::path& dir, const FileSpec& spec) {
    const fs::path path = dir / spec.name;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      return spec.required ? Status::NotFound(path.string(), "required books file is missing") : Status::OK();
    }
    ScanFile& file = scan_->files.emplace_back();
    file.name = spec.name;
    CAISSON_RETURN_IF_ERROR(MapFile(path, &file));
    const std::string_view text = file.text;
    released_ = PageReleaser(text.data());  // the mapping's start: page-aligned
    fdid_cursor_.high = customer_cursor_.high = kNone;
    if (text.size() >= (uint64_t{1} << (64 - kRowShift))) {
      return Status::NotSupported(path.string(), "too large to scan");
    }
    const std::string where = path.string();
    const size_t lines = EstimateRows(text);
    file.rows.reserve(lines);
    if (std::string_view(spec.name) == "accounts.csv") scan_->fdids.Reserve(lines);
    if (std::string_view(spec.name) == "customers.csv") scan_->customers.Reserve(lines);

    // Two stages on two threads: a parser splits, checks and hashes the rows (ParseRows); this thread gives
    // them ids and folds them into the digests, in file order, so the digests do not depend on the split.
    RowQueue queue;
    std::thread parser([&] { ParseRows(text, spec, since_, stale_before_, link_identifiers_, where, &queue); });
    Status status = Consume(spec, where, &file, &queue);
    if (!status.ok()) queue.Cancel();
    parser.join();
    // The keys were copied (Scan::keys): nothing reads this file's pages again until the batches.
    if (release_pages_) ReleaseFilePages(file);
    return status;
  }

  // Stage 2 of File: ids, digests, rows and role edges from the parser's rows.
  Status Consume(const FileSpec& spec, const std::string& where, ScanFile* file, RowQueue* queue) {
    constexpr size_t kLookahead = 16;
    const bool accounts = std::string_view(spec.name) == "accounts.csv";
    const bool roles = std::string_view(spec.name) == "roles.csv";
    const bool creates_ids = accounts || std::string_view(spec.name) == "customers.csv";
    uint64_t next_line = 0;  // the line of the next record when no line lies between (ScanFile::lines)
    for (;;) {
      std::unique_ptr<RowChunk> chunk = queue->Pop();
      const std::vector<ParsedRow>& rows = chunk->rows;
      for (size_t j = 0; j < rows.size(); ++j) {
        // A new key costs two cache misses in the map (control bytes, slot): in the two files that create the
        // ids ask for them a few rows ahead. Elsewhere the cursor finds nearly every key, and prefetching all
        // of them stalled on TLB misses at 10 M keys (a third of the scan's id stage).
        if (creates_ids && j + kLookahead < rows.size()) {
          const ParsedRow& ahead = rows[j + kLookahead];
          if (ahead.owner == ParsedRow::kFdid) scan_->fdids.Prefetch(ahead.key);
          else if (ahead.owner == ParsedRow::kCustomer) scan_->customers.Prefetch(ahead.key);
        }
        const ParsedRow& r = rows[j];
        ++scan_->rows;
        if (r.line != next_line) file->lines.emplace_back(static_cast<uint32_t>(file->rows.size()), r.line);
        next_line = r.line + 1;
        // Where ingest finds this record (ScanFile::rows); its kind and id are filled in below.
        uint64_t& where_row = file->rows.emplace_back(r.offset << kRowShift | kRowAlways);
        if (r.owner == ParsedRow::kNone) continue;  // ingest reports it and loads it always (kRowAlways)
        uint64_t* digest;
        if (r.owner == ParsedRow::kFdid) {
          const uint32_t id = Fdid(r.key);
          if (id >= kRowIdLimit) return Status::NotSupported(where, "too many records to scan");
          where_row = (where_row & ~kRowLow) | kRowFdid | id;
          if (r.pending) scan_->fdid_pending[id] = true;
          if (accounts) {
            scan_->fdid_in_accounts[id] = true;
            if (!r.second.empty()) scan_->replaced_by[id] = static_cast<int32_t>(Fdid(r.second));
          }
          if (roles) scan_->roles.emplace_back(id, Customer(r.second));
          digest = &scan_->fdid_digest[id];  // after Fdid(r.second), which may grow the vector
        } else {
          const uint32_t id = Customer(r.key);
          if (id >= kRowIdLimit) return Status::NotSupported(where, "too many records to scan");
          where_row = (where_row & ~kRowLow) | kRowCustomer | id;
          digest = &scan_->customer_digest[id];
          if (r.pending) scan_->customer_pending[id] = true;
          if (r.link != 0) identifier_keys_.emplace_back(r.link, id);
        }
        uint64_t d = Mix(*digest * 0x9E3779B97F4A7C15ULL + r.hash);
        *digest = d == 0 ? 1 : d;  // 0 means "no row"
      }
      // The bytes behind the rows consumed go back to the page cache: at 10^7 FDIDs the books are 5 GB, which
      // would otherwise all count in the resident set. A key they hold that is looked up again faults its page
      // back in.
      if (release_pages_ && !rows.empty()) ReleaseBehind(rows.back().offset);
      if (chunk->last) return chunk->status;
    }
  }

  void ReleaseBehind(uint64_t offset) { released_.Behind(static_cast<size_t>(offset)); }

 private:
  static constexpr uint32_t kNone = 0xffffffff;
  Scan* scan_;
  int32_t since_;
  int32_t stale_before_;
  bool release_pages_;
  bool link_identifiers_;
  std::vector<std::pair<uint64_t, uint32_t>> identifier_keys_;  // (IdentifierLinkKey, customer id)
  std::future<std::vector<std::pair<uint32_t, uint32_t>>> linking_;
  PageReleaser released_;  // the pages of the file being read given back (ReleaseBehind)
  Cursor fdid_cursor_, customer_cursor_;
};

}  // namespace

namespace {

// Hash64 is wyhash (final version 4, Wang Yi, public domain): one 64x64->128-bit multiply per 16 bytes, three
// lanes for long rows. It replaced a multiply-xorshift hash with three multiplies per 8 bytes, 3.4x slower on
// 84-byte rows, which was 11 % of the scan's CPU at 10 M FDIDs.
constexpr uint64_t kWySecret[4] = {0x2d358dccaa6c78a5ULL, 0x8bb84b93962eacc9ULL, 0x4b33a62ed433d4a3ULL,
                                   0x4d5a2da51de1aa47ULL};

inline void WyMultiply(uint64_t* a, uint64_t* b) {
  const unsigned __int128 r = static_cast<unsigned __int128>(*a) * *b;
  *a = static_cast<uint64_t>(r);
  *b = static_cast<uint64_t>(r >> 64);
}
inline uint64_t WyMix(uint64_t a, uint64_t b) {
  WyMultiply(&a, &b);
  return a ^ b;
}
inline uint64_t Read8(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t Read4(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

uint64_t Hash64(std::string_view bytes, uint64_t seed) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t len = bytes.size();
  seed ^= WyMix(seed ^ kWySecret[0], kWySecret[1]);
  uint64_t a = 0, b = 0;
  if (len <= 16) {
    if (len >= 4) {
      const size_t mid = (len >> 3) << 2;
      a = (Read4(p) << 32) | Read4(p + mid);
      b = (Read4(p + len - 4) << 32) | Read4(p + len - 4 - mid);
    } else if (len > 0) {
      a = (uint64_t{p[0]} << 16) | (uint64_t{p[len >> 1]} << 8) | p[len - 1];
    }
  } else {
    size_t i = len;
    if (i > 48) {
      uint64_t lane1 = seed, lane2 = seed;
      do {
        seed = WyMix(Read8(p) ^ kWySecret[1], Read8(p + 8) ^ seed);
        lane1 = WyMix(Read8(p + 16) ^ kWySecret[2], Read8(p + 24) ^ lane1);
        lane2 = WyMix(Read8(p + 32) ^ kWySecret[3], Read8(p + 40) ^ lane2);
        p += 48;
        i -= 48;
      } while (i > 48);
      seed ^= lane1 ^ lane2;
    }
    while (i > 16) {
      seed = WyMix(Read8(p) ^ kWySecret[1], Read8(p + 8) ^ seed);
      i -= 16;
      p += 16;
    }
    a = Read8(p + i - 16);
    b = Read8(p + i - 8);
  }
  a ^= kWySecret[1];
  b ^= seed;
  WyMultiply(&a, &b);
  return WyMix(a ^ kWySecret[0] ^ len, b ^ kWySecret[1]);
}

namespace {

uint32_t FindNear(const KeyIds& ids, std::string_view key, uint32_t* cursor) {
  if (*cursor != Scan::kNoId && *cursor + 1 < ids.size() && ids[*cursor + 1] == key) return ++*cursor;
  const uint32_t id = ids.Find(key);
  if (id != Scan::kNoId) *cursor = id;
  return id;
}

}  // namespace

uint32_t Scan::FindFdid(std::string_view key, uint32_t* cursor) const {
  return FindNear(fdids, key, cursor);
}

uint32_t Scan::FindCustomer(std::string_view key, uint32_t* cursor) const {
  return FindNear(customers, key, cursor);
}

uint64_t Scan::FdidDigest(std::string_view key) const {
  const uint32_t id = fdids.Find(key);
  return id == kNoId ? 0 : fdid_digest[id];
}

uint64_t Scan::CustomerDigest(std::string_view key) const {
  const uint32_t id = customers.Find(key);
  return id == kNoId ? 0 : customer_digest[id];
}

void ReleaseFilePages(const ScanFile& file) {
  if (!file.text.empty()) ReleasePages(file.text.data(), 0, file.text.size());
}

Result<Scan> ScanBooks(const std::filesystem::path& dir, const ScanOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound(dir.string(), "books folder not found");
  Scan scan;
  Scanner scanner(&scan, options);
  PhaseTimer timer("caisson scan");
  for (const FileSpec& spec : kFiles) {
    CAISSON_RETURN_IF_ERROR(scanner.File(dir, spec));
    timer.Mark(spec.name);
    if (std::string_view(spec.name) == "identifiers.csv") scanner.StartLink();
  }
  scanner.Link();
  timer.Mark("links");
  return scan;
}

std::vector<std::pair<uint64_t, uint64_t>> KeptRows(const ScanFile& file, const LoadSet& set) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  size_t anchor = 0;
  uint64_t line = 0;
  for (size_t r = 0; r < file.rows.size(); ++r) {
    if (anchor < file.lines.size() && file.lines[anchor].first == r) line = file.lines[anchor++].second;
    else ++line;
    const uint64_t row = file.rows[r];
    const uint64_t kind = RowKind(row);
    const size_t id = RowId(row);
    const bool keep = kind == kRowAlways || (kind == kRowFdid ? set.fdid[id] : set.customer[id]);
    if (keep) out.emplace_back(row >> kRowShift, line);
  }
  return out;
}

namespace {

// Compressed adjacency of the role edges, one direction.
struct Adjacency {
  std::vector<uint32_t> start, to;
  Adjacency(size_t from_count, const std::vector<std::pair<uint32_t, uint32_t>>& edges, bool reverse) {
    start.assign(from_count + 1, 0);
    for (const auto& [f, c] : edges) ++start[(reverse ? c : f) + 1];
    for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    to.resize(edges.size());
    std::vector<uint32_t> at(start.begin(), start.end() - 1);
    for (const auto& [f, c] : edges) to[at[reverse ? c : f]++] = reverse ? f : c;
  }
  template <typename Fn>
  void Each(uint32_t from, Fn&& fn) const {
    for (uint32_t k = start[from]; k < start[from + 1]; ++k) fn(to[k]);
  }
};

}  // namespace

Result<StoreDigests> ReadStoreDigests(const state::Store& store) {
  StoreDigests out;
  // Sized once from the store's counts: growing by doubling copied and faulted in ~2 GB at 10^7 FDIDs.
  Result<state::Store::Layers> layers = store.CountLayers();
  if (!layers.ok()) return layers.status();
  out.fdids.reserve(static_cast<size_t>(layers->fdids_at_most));
  out.customers.reserve(static_cast<size_t>(layers->customers_at_most));
  out.keys.reserve(static_cast<size_t>(layers->fdids_at_most + layers->customers_at_most) * 12);
  auto key = [&out](std::string_view k, size_t limit, uint32_t* at) -> Status {
    if (out.keys.size() + k.size() > UINT32_MAX) return Status::NotSupported("state store", "too many keys");
    if (k.size() > limit) return Status::NotSupported("state store", fmt::format("a key of {} bytes", k.size()));
    *at = static_cast<uint32_t>(out.keys.size());
    out.keys.append(k);
    return Status::OK();
  };
  CAISSON_RETURN_IF_ERROR(store.ForEachFdidDigest([&](const state::DigestRow& r) -> Status {
    StoreDigests::Row& row = out.fdids.emplace_back();
    CAISSON_RETURN_IF_ERROR(key(r.key, UINT32_MAX, &row.key_at));
    row.key_size = static_cast<uint32_t>(r.key.size());
    row.scan = r.scan;
    row.flags = r.flags;
    row.last_accepted = r.last_accepted;
    row.inactive_since = r.inactive_since;
    row.emitted = r.emitted;
    row.accepted = r.accepted;
    row.settled = r.settled;
    return Status::OK();
  }));
  CAISSON_RETURN_IF_ERROR(store.ForEachCustomerDigest([&](const state::DigestRow& r) -> Status {
    StoreDigests::CustomerRow& row = out.customers.emplace_back();
    CAISSON_RETURN_IF_ERROR(key(r.key, UINT16_MAX, &row.key_at));
    row.key_size = static_cast<uint16_t>(r.key.size());
    row.scan = r.scan;
    row.emitted = r.emitted;
    row.settled = r.settled;
    return Status::OK();
  }));
  return out;
}

Result<std::vector<std::pair<uint32_t, uint32_t>>> LinkIdentifiers(const Scan& scan) {
  const FileSpec& spec = kFiles[2];
  std::vector<std::pair<uint32_t, uint32_t>> none;
  const ScanFile* file = nullptr;
  for (const ScanFile& f : scan.files) {
    if (f.name == spec.name) file = &f;
  }
  if (file == nullptr || file->text.empty()) return none;
  std::vector<std::pair<uint64_t, uint32_t>> keys;
  RowQueue queue;
  std::thread parser([&] { ParseRows(file->text, spec, 0, 0, true, file->name, &queue); });
  Status status;
  for (;;) {
    std::unique_ptr<RowChunk> chunk = queue.Pop();
    for (const ParsedRow& r : chunk->rows) {
      if (r.link == 0 || r.owner != ParsedRow::kCustomer) continue;
      if (const uint32_t id = scan.customers.Find(r.key); id != Scan::kNoId) keys.emplace_back(r.link, id);
    }
    if (chunk->last) {
      status = chunk->status;
      break;
    }
  }
  parser.join();
  if (!status.ok()) return status;
  return LinksOf(&keys);
}

Result<LoadSet> ChooseLoad(const Scan& scan, const StoreDigests& digests, const state::Store& store,
                           const LoadOptions& options) {
  const size_t nf = scan.fdid_digest.size(), nc = scan.customer_digest.size();
  LoadSet set;
  set.fdid = scan.fdid_pending;
  set.customer = scan.customer_pending;
  std::vector<bool> fdid_known(nf, false), customer_known(nc, false), inactive(nf, false), no_activity(nf, false);
  // A record whose rows or whose CAIS state may have moved since its last emitted state was recorded.
  auto unsettled = [](const auto& r, uint64_t digest) {
    return r.scan == 0 || r.scan != digest || !r.emitted || !r.settled;
  };
  std::vector<std::string_view> absent;
  uint32_t cursor = Scan::kNoId;
  for (const StoreDigests::Row& r : digests.fdids) {
    const std::string_view key = digests.Key(r);
    const uint32_t id = scan.FindFdid(key, &cursor);
    if (id == Scan::kNoId || !scan.fdid_in_accounts[id]) absent.push_back(key);
    if (id == Scan::kNoId) continue;
    fdid_known[id] = true;
    if (r.inactive_since > 0) inactive[id] = true;
    if ((r.flags & kFlagNoActivity) != 0 && (r.flags & kFlagEnded) == 0) no_activity[id] = true;
    const bool open = (r.flags & kFlagEnded) == 0;
    if (unsettled(r, scan.fdid_digest[id]) || (r.flags & kFlagRefreshListed) != 0 ||
        (open && options.refresh_accepted_on_or_before > 0 && r.accepted &&
         r.last_accepted <= options.refresh_accepted_on_or_before)) {
      set.fdid[id] = true;
    }
  }
  for (std::string_view key : absent) {
    Result<state::RecordState> row = store.GetFdid(key);
    if (!row.ok()) return row.status();
    set.absent_fdids.push_back(std::move(row).value());
  }
  cursor = Scan::kNoId;
  for (const StoreDigests::CustomerRow& r : digests.customers) {
    const uint32_t id = scan.FindCustomer(digests.Key(r), &cursor);
    if (id == Scan::kNoId) continue;
    customer_known[id] = true;
    if (unsettled(r, scan.customer_digest[id])) set.customer[id] = true;
  }
  for (size_t i = 0; i < nf; ++i) {
    if (!fdid_known[i]) set.fdid[i] = true;  // never recorded: new, held back, or out of scope
  }
  for (size_t c = 0; c < nc; ++c) {
    if (!customer_known[c]) set.customer[c] = true;
  }
  // Open repairs and inconsistencies go out again with their record (CorrectionsFor, OpenInconsistencies).
  CAISSON_RETURN_IF_ERROR(store.ForEachRepairItem([&](const state::RepairItem& item) {
    if (item.status != "open") return Status::OK();
    if (item.kind == state::RecordKind::kFdid) {
      if (const uint32_t id = scan.fdids.Find(item.firm_key); id != Scan::kNoId) set.fdid[id] = true;
    } else if (const uint32_t id = scan.customers.Find(item.firm_key); id != Scan::kNoId) {
      set.customer[id] = true;
    }
    return Status::OK();
  }));
  CAISSON_RETURN_IF_ERROR(store.ForEachInconsistency([&](const state::Inconsistency& item) {
    if (item.status != "open") return Status::OK();
    if (const uint32_t id = scan.customers.Find(item.firm_key); id != Scan::kNoId) set.customer[id] = true;
    return Status::OK();
  }));
  // A customer without a single roles.csv row is on no FDID, which the whole books reject (22523) every day
  // whatever its own rows: its last FDID may have left the books. It is read every day, as they read it.
  {
    std::vector<bool> has_role(nc, false);
    for (const auto& [f, c] : scan.roles) has_role[c] = true;
    for (size_t c = 0; c < nc; ++c) {
      if (!has_role[c]) set.customer[c] = true;
    }
  }
  set.seed_fdids = std::count(set.fdid.begin(), set.fdid.end(), true);
  set.seed_customers = std::count(set.customer.begin(), set.customer.end(), true);

  // The closure [§3.6]: an FDID goes whole, with every customer; a changed customer needs one of its FDIDs as
  // carrier (any of them: all are read, and their customers, so holds come out as on the whole books); a
  // REPLACED FDID travels with the FDID replacing it [§3.1].
  const Adjacency customers_of(nf, scan.roles, false), fdids_of(nc, scan.roles, true);
  auto replaced_links = [&] {
    for (size_t i = 0; i < nf; ++i) {
      const int32_t r = scan.replaced_by[i];
      if (r < 0) continue;
      if (set.fdid[i]) set.fdid[static_cast<size_t>(r)] = true;
      else if (set.fdid[static_cast<size_t>(r)]) set.fdid[i] = true;
    }
  };
  auto add_customers_of_fdids = [&] {
    for (size_t i = 0; i < nf; ++i) {
      if (set.fdid[i]) customers_of.Each(static_cast<uint32_t>(i), [&](uint32_t c) { set.customer[c] = true; });
    }
  };
  replaced_links();
  add_customers_of_fdids();
  for (size_t c = 0; c < nc; ++c) {
    if (set.customer[c]) fdids_of.Each(static_cast<uint32_t>(c), [&](uint32_t f) { set.fdid[f] = true; });
  }
  replaced_links();
  add_customers_of_fdids();
  for (size_t i = 0; i < nf; ++i) {
    if (inactive[i] && !set.fdid[i]) ++set.unread_inactive;
    if (no_activity[i] && !set.fdid[i]) ++set.unread_without_activity;
  }
  set.inactive = std::move(inactive);
  set.no_activity = std::move(no_activity);
  set.fdids = std::count(set.fdid.begin(), set.fdid.end(), true);
  set.customers = std::count(set.customer.begin(), set.customer.end(), true);
  return set;
}

}  // namespace caisson::delta
