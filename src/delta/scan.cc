// The books scan and the load set of the fast daily delta (scan.h).
#include "delta/scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

#include <strings.h>

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

Status ReadWhole(const fs::path& path, std::string* out) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Status::IOError(path.string(), "cannot open");
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (!ec) out->reserve(static_cast<size_t>(size));
  char buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) out->append(buf, got);
  if (std::ferror(f.get())) return Status::IOError(path.string(), "read failed");
  return Status::OK();
}

// A cell as ingest reads it: quotes removed, "" as one quote. `scratch` holds it when it was quoted.
std::string_view Unquote(std::string_view raw, std::string* scratch) {
  if (raw.empty() || raw.front() != '"') return raw;
  scratch->clear();
  for (size_t i = 1; i < raw.size(); ++i) {
    if (raw[i] == '"') {
      if (i + 1 < raw.size() && raw[i + 1] == '"') {
        scratch->push_back('"');
        ++i;
      }
      continue;
    }
    scratch->push_back(raw[i]);
  }
  return *scratch;
}

// YYYY-MM-DD or YYYYMMDD; -1 when it is neither.
int32_t ParseDate(std::string_view s) {
  auto digits = [&](size_t from, size_t n) {
    int32_t v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s.size() == 8) return digits(0, 8);
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    const int32_t y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    return y < 0 || m < 0 || d < 0 ? -1 : y * 10000 + m * 100 + d;
  }
  return -1;
}

// One books file split into records (RFC 4180: quoted commas, quotes and newlines). `on_record` gets the raw
// record bytes (without the line end) and the raw fields (quotes kept).
template <typename Fn>
Status SplitCsv(std::string_view text, const std::string& where, Fn&& on_record) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  const size_t n = text.size();
  if (n >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBB &&
      static_cast<unsigned char>(text[2]) == 0xBF) {
    pos = 3;  // a UTF-8 byte order mark
  }
  while (pos < n) {
    fields.clear();
    const size_t start = pos;
    size_t field_start = pos;
    bool quoted = false;
    size_t end = n;
    for (size_t i = pos; i < n; ++i) {
      const char c = text[i];
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && text[i + 1] == '"') ++i;
          else quoted = false;
        }
        continue;
      }
      if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.push_back(text.substr(field_start, i - field_start));
        field_start = i + 1;
      } else if (c == '\n') {
        end = i;
        break;
      }
    }
    if (quoted) return Status::Corruption(where, "unterminated quote");
    size_t record_end = end;
    if (record_end > field_start && text[record_end - 1] == '\r') --record_end;
    if (record_end < start) record_end = start;
    fields.push_back(text.substr(field_start, record_end > field_start ? record_end - field_start : 0));
    pos = end == n ? n : end + 1;
    if (record_end == start) continue;  // an empty line
    on_record(text.substr(start, record_end - start), fields);
  }
  return Status::OK();
}

enum class Owner { kFdid, kCustomer, kByColumn };

struct FileSpec {
  const char* name;
  bool required;
  Owner owner;
  const char* key;  // the key column
};

constexpr FileSpec kFiles[] = {
    {"accounts.csv", true, Owner::kFdid, "fdid"},
    {"customers.csv", true, Owner::kCustomer, "customer_id"},
    {"identifiers.csv", false, Owner::kCustomer, "customer_id"},
    {"roles.csv", true, Owner::kFdid, "fdid"},
    {"addresses.csv", false, Owner::kByColumn, "owner_id"},
    {"large_traders.csv", false, Owner::kFdid, "fdid"},
    {"authorized_traders.csv", false, Owner::kFdid, "fdid"},
};

class Scanner {
 public:
  Scanner(Scan* scan, int32_t since) : scan_(scan), since_(since) {}

  uint32_t Fdid(std::string_view key) {
    // Books files list a record's rows together: the last key answers most lookups without the big map.
    if (last_fdid_ != kNone && key == last_fdid_key_) return last_fdid_;
    last_fdid_ = FdidLookup(key);
    last_fdid_key_.assign(key);
    return last_fdid_;
  }
  uint32_t Customer(std::string_view key) {
    if (last_customer_ != kNone && key == last_customer_key_) return last_customer_;
    last_customer_ = CustomerLookup(key);
    last_customer_key_.assign(key);
    return last_customer_;
  }

  uint32_t FdidLookup(std::string_view key) {
    auto it = scan_->fdid_id.find(key);
    if (it != scan_->fdid_id.end()) return it->second;
    const auto id = static_cast<uint32_t>(scan_->fdid_digest.size());
    scan_->fdid_id.emplace(std::string(key), id);
    scan_->fdid_digest.push_back(0);
    scan_->fdid_pending.push_back(false);
    scan_->fdid_in_accounts.push_back(false);
    scan_->replaced_by.push_back(-1);
    return id;
  }
  uint32_t CustomerLookup(std::string_view key) {
    auto it = scan_->customer_id.find(key);
    if (it != scan_->customer_id.end()) return it->second;
    const auto id = static_cast<uint32_t>(scan_->customer_digest.size());
    scan_->customer_id.emplace(std::string(key), id);
    scan_->customer_digest.push_back(0);
    scan_->customer_pending.push_back(false);
    return id;
  }

  Status File(const fs::path& dir, const FileSpec& spec) {
    const fs::path path = dir / spec.name;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      return spec.required ? Status::NotFound(path.string(), "required books file is missing") : Status::OK();
    }
    std::string text;
    CAISSON_RETURN_IF_ERROR(ReadWhole(path, &text));
    const std::string where = path.string();
    const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    if (spec.owner == Owner::kFdid && std::string_view(spec.name) == "accounts.csv") scan_->fdid_id.reserve(lines);
    if (spec.owner == Owner::kCustomer && std::string_view(spec.name) == "customers.csv") scan_->customer_id.reserve(lines);

    bool header = true;
    int key_col = -1, owner_col = -1, replaced_col = -1, customer_col = -1;
    std::vector<int> date_cols;
    uint64_t seed = Hash64(spec.name, 0);
    const bool accounts = std::string_view(spec.name) == "accounts.csv";
    const bool roles = std::string_view(spec.name) == "roles.csv";
    std::string scratch, scratch2;
    Status status;
    auto cell = [&](const std::vector<std::string_view>& f, int col, std::string* s) {
      return col < 0 || static_cast<size_t>(col) >= f.size() ? std::string_view() : Unquote(f[col], s);
    };
    CAISSON_RETURN_IF_ERROR(SplitCsv(text, where, [&](std::string_view raw, const std::vector<std::string_view>& f) {
      if (header) {
        header = false;
        seed = Hash64(raw, seed);  // every column name and its place
        for (size_t i = 0; i < f.size(); ++i) {
          const std::string_view name = Unquote(f[i], &scratch);
          const int col = static_cast<int>(i);
          if (name == spec.key) key_col = col;
          if (name == "owner_type") owner_col = col;
          if (name == "replaced_by_fdid") replaced_col = col;
          if (name == "customer_id") customer_col = col;
          if (name == "valid_from" || name.ends_with("_date")) date_cols.push_back(col);
        }
        if (key_col < 0 || (spec.owner == Owner::kByColumn && owner_col < 0) || (roles && customer_col < 0)) {
          status = Status::InvalidArgument(where, fmt::format("required column '{}' is missing",
                                                              key_col < 0 ? spec.key : roles ? "customer_id"
                                                                                             : "owner_type"));
        }
        return;
      }
      if (!status.ok()) return;
      ++scan_->rows;
      const uint64_t row = Hash64(raw, seed);
      const std::string_view key = cell(f, key_col, &scratch);
      Owner owner = spec.owner;
      if (owner == Owner::kByColumn) {
        const std::string_view type = cell(f, owner_col, &scratch2);
        if (type.size() == 7 && strncasecmp(type.data(), "ACCOUNT", 7) == 0) owner = Owner::kFdid;
        else if (type.size() == 8 && strncasecmp(type.data(), "CUSTOMER", 8) == 0) owner = Owner::kCustomer;
        else return;  // ingest reports it and loads it always: no record of either kind owns it
      }
      bool pending = false;
      if (since_ > 0) {
        for (int col : date_cols) {
          const std::string_view d = cell(f, col, &scratch2);
          if (d.empty()) continue;
          const int32_t date = ParseDate(d);
          if (date < 0 || date > since_) pending = true;
        }
      }
      uint64_t* digest;
      if (owner == Owner::kFdid) {
        const uint32_t id = Fdid(key);
        digest = &scan_->fdid_digest[id];
        if (pending) scan_->fdid_pending[id] = true;
        if (accounts) {
          scan_->fdid_in_accounts[id] = true;
          const std::string_view to = cell(f, replaced_col, &scratch2);
          if (!to.empty()) {
            const uint32_t target = Fdid(to);
            scan_->replaced_by[id] = static_cast<int32_t>(target);
            digest = &scan_->fdid_digest[id];  // Fdid() may have grown the vector
          }
        }
        if (roles) {
          const std::string_view customer = cell(f, customer_col, &scratch2);
          const uint32_t c = Customer(customer);
          scan_->roles.emplace_back(id, c);
        }
      } else {
        const uint32_t id = Customer(key);
        digest = &scan_->customer_digest[id];
        if (pending) scan_->customer_pending[id] = true;
      }
      uint64_t d = Mix(*digest * 0x9E3779B97F4A7C15ULL + row);
      *digest = d == 0 ? 1 : d;  // 0 means "no row"
    }));
    return status;
  }

 private:
  static constexpr uint32_t kNone = 0xffffffff;
  Scan* scan_;
  int32_t since_;
  uint32_t last_fdid_ = kNone, last_customer_ = kNone;
  std::string last_fdid_key_, last_customer_key_;
};

}  // namespace

uint64_t Hash64(std::string_view bytes, uint64_t seed) {
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t h = Mix(seed ^ (0x9E3779B97F4A7C15ULL * (n + 1)));
  while (n >= 8) {
    uint64_t k;
    std::memcpy(&k, p, 8);
    h = (h ^ Mix(k)) * 0xbf58476d1ce4e5b9ULL;
    h = (h << 31) | (h >> 33);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h ^= Mix(tail ^ (static_cast<uint64_t>(n) << 56));
  return Mix(h);
}

uint64_t Scan::FdidDigest(std::string_view key) const {
  auto it = fdid_id.find(key);
  return it == fdid_id.end() ? 0 : fdid_digest[it->second];
}

uint64_t Scan::CustomerDigest(std::string_view key) const {
  auto it = customer_id.find(key);
  return it == customer_id.end() ? 0 : customer_digest[it->second];
}

Result<Scan> ScanBooks(const std::filesystem::path& dir, const ScanOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound(dir.string(), "books folder not found");
  Scan scan;
  Scanner scanner(&scan, options.since);
  for (const FileSpec& spec : kFiles) CAISSON_RETURN_IF_ERROR(scanner.File(dir, spec));
  return scan;
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

Result<LoadSet> ChooseLoad(const Scan& scan, const state::Store& store, const LoadOptions& options) {
  const size_t nf = scan.fdid_digest.size(), nc = scan.customer_digest.size();
  LoadSet set;
  set.fdid = scan.fdid_pending;
  set.customer = scan.customer_pending;
  std::vector<bool> fdid_known(nf, false), customer_known(nc, false), inactive(nf, false);
  // A record whose rows or whose CAIS state may have moved since its last emitted state was recorded.
  auto unsettled = [](const state::DigestRow& r, uint64_t digest) {
    return r.scan == 0 || r.scan != digest || !r.emitted || !r.settled;
  };
  std::vector<std::string> absent;
  CAISSON_RETURN_IF_ERROR(store.ForEachFdidDigest([&](const state::DigestRow& r) {
    auto it = scan.fdid_id.find(r.key);
    if (it == scan.fdid_id.end() || !scan.fdid_in_accounts[it->second]) absent.emplace_back(r.key);
    if (it == scan.fdid_id.end()) return Status::OK();
    const uint32_t id = it->second;
    fdid_known[id] = true;
    if (r.inactive_since > 0) inactive[id] = true;
    const bool open = (r.flags & kFlagEnded) == 0;
    if (unsettled(r, scan.fdid_digest[id]) || (r.flags & kFlagRefreshListed) != 0 ||
        (open && options.refresh_accepted_on_or_before > 0 && r.accepted &&
         r.last_accepted <= options.refresh_accepted_on_or_before)) {
      set.fdid[id] = true;
    }
    return Status::OK();
  }));
  for (const std::string& key : absent) {
    Result<state::RecordState> row = store.GetFdid(key);
    if (!row.ok()) return row.status();
    set.absent_fdids.push_back(std::move(row).value());
  }
  CAISSON_RETURN_IF_ERROR(store.ForEachCustomerDigest([&](const state::DigestRow& r) {
    auto it = scan.customer_id.find(r.key);
    if (it == scan.customer_id.end()) return Status::OK();
    customer_known[it->second] = true;
    if (unsettled(r, scan.customer_digest[it->second])) set.customer[it->second] = true;
    return Status::OK();
  }));
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
      if (auto it = scan.fdid_id.find(std::string_view(item.firm_key)); it != scan.fdid_id.end()) {
        set.fdid[it->second] = true;
      }
    } else if (auto it = scan.customer_id.find(std::string_view(item.firm_key)); it != scan.customer_id.end()) {
      set.customer[it->second] = true;
    }
    return Status::OK();
  }));
  CAISSON_RETURN_IF_ERROR(store.ForEachInconsistency([&](const state::Inconsistency& item) {
    if (item.status != "open") return Status::OK();
    if (auto it = scan.customer_id.find(std::string_view(item.firm_key)); it != scan.customer_id.end()) {
      set.customer[it->second] = true;
    }
    return Status::OK();
  }));
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
  }
  set.fdids = std::count(set.fdid.begin(), set.fdid.end(), true);
  set.customers = std::count(set.customer.begin(), set.customer.end(), true);
  return set;
}

}  // namespace caisson::delta
