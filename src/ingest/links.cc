// The books files that hang off accounts and customers: identifiers, roles, addresses, large traders and
// authorized trader names (books-and-records.md). Each row attaches to the record in force for its key.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/cells.h"
#include "ingest/load.h"
#include "ingest/table.h"

namespace caisson::ingest {

namespace {

constexpr std::string_view kIdentifiers = "identifiers.csv";
constexpr std::string_view kRoles = "roles.csv";
constexpr std::string_view kAddresses = "addresses.csv";
constexpr std::string_view kLargeTraders = "large_traders.csv";
constexpr std::string_view kAuthorizedTraders = "authorized_traders.csv";

enum IdCol { kICustomer, kIType, kIValue, kICountry, kIPrimary, kIEndDate, kIEndReason };
constexpr Column kIdColumns[] = {{"customer_id", true}, {"id_type", true},     {"id_value", true},
                                 {"country", false},    {"is_primary", false}, {"end_date", false},
                                 {"end_reason", false}};
enum RoleCol { kRFdid, kRCustomer, kRRole, kRDiscretion, kRStart, kREnd, kREndReason };
constexpr Column kRoleColumns[] = {{"fdid", true},
                                   {"customer_id", true},
                                   {"role", true},
                                   {"has_discretion", false},
                                   {"role_start_date", true},
                                   {"role_end_date", false},
                                   {"role_end_reason", false}};
enum AddrCol {
  kDOwnerType,
  kDOwnerId,
  kDType,
  kDLine1,
  kDLine2,
  kDLine3,
  kDLine4,
  kDCity,
  kDRegion,
  kDPostal,
  kDCountry,
  kDValidFrom
};
constexpr Column kAddrColumns[] = {{"owner_type", true},   {"owner_id", true}, {"addr_type", true},
                                   {"line1", false},       {"line2", false},   {"line3", false},
                                   {"line4", false},       {"city", false},    {"region", false},
                                   {"postal_code", false}, {"country", false}, {"valid_from", false}};
enum LtCol { kLFdid, kLId, kLEffective, kLEnd, kLEndReason };
constexpr Column kLtColumns[] = {{"fdid", true},
                                 {"large_trader_id", true},
                                 {"effective_date", false},
                                 {"end_date", false},
                                 {"end_reason", false}};
enum AtCol { kTFdid, kTFirst, kTMiddle, kTLast, kTSuffix, kTFull };
constexpr Column kAtColumns[] = {{"fdid", true},       {"first_name", false},  {"middle_name", false},
                                 {"last_name", false}, {"name_suffix", false}, {"full_name", false}};

void Dangling(Load* load, RecordKind record, std::string_view key, std::string_view file, uint64_t line,
              std::string_view column, std::string_view target) {
  load->findings.push_back(InputFinding("input.reference", record, key, file, line, column,
                                        fmt::format("{} is not in {}", column, target)));
}

// The fdid record a row of `file` belongs to, or -1 after reporting a dangling reference. An FDID whose
// only states start after as_of is not due yet: its rows are dropped silently.
int32_t ResolveFdid(Load* load, std::string_view fdid, std::string_view file, uint64_t line,
                    std::string_view column = "fdid") {
  int32_t index = load->FdidIndex(fdid);
  if (index < 0 && !load->accounts_history.IsFutureOnly(fdid)) {
    Dangling(load, RecordKind::kFdid, fdid, file, line, column, "accounts.csv");
  }
  return index;
}

// Letters and digits, upper-cased: the form two LEIs are compared in.
std::string LeiKey(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

Status LoadIdentifiers(const std::filesystem::path& dir, Load* load) {
  const uint32_t file = load->AddFile(kIdentifiers);
  bool present = false;
  Status s = load->ReadTable(dir, kIdentifiers, false, kIdColumns, &present, [&](const Row& row) {
    if (!load->KeepCustomer(row[kICustomer])) return;
    const std::string_view key = row[kICustomer];
    const uint64_t line = row.line();
    const int32_t index = load->CustomerIndex(key);
    if (index < 0) {
      if (!load->customers_history.IsFutureOnly(key)) {
        Dangling(load, RecordKind::kCustomer, key, kIdentifiers, line, "customer_id", "customers.csv");
      }
      return;
    }
    model::RawIdentifier id;
    id.id_type = Upper(row[kIType]);
    id.id_value = std::string(row[kIValue]);
    id.country = EnumCell(row[kICountry]);
    id.is_primary = FlagCell(row[kIPrimary]);
    id.end_date = DateCell(row[kIEndDate]);
    id.end_reason = EnumCell(row[kIEndReason]);
    id.origin.file = file;
    id.origin.line = line;
    auto report = [&](std::string_view rule, std::string_view column, std::string message) {
      Finding f =
          InputFinding(rule, RecordKind::kCustomer, key, kIdentifiers, line, column, std::move(message));
      f.record_index = index;
      load->findings.push_back(std::move(f));
    };
    if (id.is_primary.state == model::Flag::State::kInvalid)
      report("input.value", "is_primary", "is_primary is not Y or N");
    if (id.end_date.state == model::Num::State::kInvalid) {
      report("input.value", "end_date", "end_date is not a date YYYY-MM-DD or YYYYMMDD");
    }
    std::vector<model::RawIdentifier>& ids = load->out.sensitive.identifiers[static_cast<size_t>(index)];
    for (const model::RawIdentifier& other : ids) {
      if (other.id_type == id.id_type && other.id_value == id.id_value && other.country == id.country &&
          other.is_primary.state == id.is_primary.state && other.end_date.state == id.end_date.state &&
          other.end_date.value == id.end_date.value && other.end_reason == id.end_reason) {
        report("input.duplicate", "id_value", "the same identifier row appears twice; this row is ignored");
        return;
      }
    }
    // customers.csv `lei` and a current LEI input identifier must name the same entity (rules.md
    // input.conflict).
    const model::Customer& c = load->out.books.customers[static_cast<size_t>(index)];
    if (id.id_type == "LEI" && !id.end_date.present() && c.lei && LeiKey(*c.lei) != LeiKey(id.id_value)) {
      report("input.conflict", "id_value", "the LEI identifier differs from the lei column of customers.csv");
    }
    ids.push_back(std::move(id));
  });
  if (!present) load->out.books.files.pop_back();
  return s;
}

Status LoadRoles(const std::filesystem::path& dir, Load* load) {
  const uint32_t file = load->AddFile(kRoles);
  bool present = false;
  return load->ReadTable(dir, kRoles, true, kRoleColumns, &present, [&](const Row& row) {
    if (!load->KeepFdid(row[kRFdid])) return;
    const int32_t index = ResolveFdid(load, row[kRFdid], kRoles, row.line());
    if (index < 0) return;
    model::Association a;
    a.customer_key = std::string(row[kRCustomer]);
    // An unknown customer stays -1: validate reports it as role.unknown_customer (22041).
    a.customer_index = load->CustomerIndex(row[kRCustomer]);
    a.role = EnumCell(row[kRRole]);
    a.has_discretion = FlagCell(row[kRDiscretion]);
    a.role_start_date = DateCell(row[kRStart]);
    a.role_end_date = DateCell(row[kREnd]);
    a.role_end_reason = EnumCell(row[kREndReason]);
    a.origin.file = file;
    a.origin.line = row.line();
    model::Fdid& f = load->out.books.fdids[static_cast<size_t>(index)];
    f.has_fdid_customer_list = true;
    f.fdid_customer_list.push_back(std::move(a));
  });
}

Status LoadAddresses(const std::filesystem::path& dir, Load* load) {
  const uint32_t file = load->AddFile(kAddresses);
  model::Books& books = load->out.books;
  // The largest books file: each address goes straight into its owner's list as it is read (no staging copy
  // of every row next to the lists). Where each row went is kept in 12 bytes so that a row a later state
  // supersedes can be taken out again; rows whose owner is not in force are kept aside, because whether they
  // are dangling is known only once their state is (the rows a later state supersedes report nothing).
  struct Placed {
    int32_t owner = -1;     // index into Books::fdids / Books::customers; -1: not in force (see `unplaced`)
    uint32_t position = 0;  // in the owner's address list, or in `unplaced`
    bool account = false;
    bool alive = true;
  };
  struct Unplaced {
    std::string owner;
    uint64_t line;
  };
  // (row, finding) in the order they were made; a row's findings keep their order under the stable sort below.
  std::vector<std::pair<uint32_t, Finding>> findings;
  std::vector<Finding> row_findings;
  std::vector<Placed> rows;
  std::vector<Unplaced> unplaced;
  rows.reserve(load->RowsHint(dir, kAddresses));
  std::vector<uint32_t> superseded;
  bool any_superseded = false;
  // Only the reading needs the address history. Its key is (owner, addr_type): for an owner in force a number
  // made of its kind, its record index and the addr_type's number in `types` (two owner texts are equal
  // exactly when they resolve to the same record); else the owner's text.
  std::optional<IdHistory> history(std::in_place, load->options.as_of);
  history->Reserve(rows.capacity());
  std::optional<History> text_history(std::in_place, load->options.as_of);
  absl::flat_hash_map<std::string, uint32_t, KeyHash, KeyEq> types;
  std::string key;
  bool present = false;
  Status s = load->ReadTable(dir, kAddresses, false, kAddrColumns, &present, [&](const Row& row) {
    const uint64_t line = row.line();
    const std::string owner_type = Upper(row[kDOwnerType]);
    const std::string_view owner = row[kDOwnerId];
    if (owner_type != "ACCOUNT" && owner_type != "CUSTOMER") {
      load->findings.push_back(InputFinding("input.value", RecordKind::kFile, owner, kAddresses, line,
                                            "owner_type", "owner_type is not ACCOUNT or CUSTOMER"));
      return;
    }
    if (owner_type == "ACCOUNT" ? !load->KeepFdid(owner) : !load->KeepCustomer(owner)) return;
    Placed placed;
    placed.account = owner_type == "ACCOUNT";
    const RecordKind record = placed.account ? RecordKind::kFdid : RecordKind::kCustomer;
    model::Address a;
    a.addr_type = EnumCell(row[kDType]);
    a.addr_line1 = TextCell(row[kDLine1]);
    a.addr_line2 = TextCell(row[kDLine2]);
    a.addr_line3 = TextCell(row[kDLine3]);
    a.addr_line4 = TextCell(row[kDLine4]);
    a.city = TextCell(row[kDCity]);
    a.country_code = EnumCell(row[kDCountry]);
    a.region_code = DeriveRegion(row[kDRegion], a.country_code ? std::string_view(*a.country_code) : "");
    a.postal_code = TextCell(row[kDPostal]);
    a.origin.file = file;
    a.origin.line = line;
    row_findings.clear();
    const int32_t valid_from = ValidFrom(row[kDValidFrom], record, owner, kAddresses, line, &row_findings);
    if (valid_from > 0) load->valid_from_dates.insert(valid_from);

    placed.owner = placed.account ? load->FdidIndex(owner) : load->CustomerIndex(owner);
    uint64_t id_key = 0;
    if (placed.owner >= 0) {
      const std::string_view type = a.addr_type.value_or("");
      auto t = types.find(type);
      if (t == types.end()) t = types.emplace(std::string(type), static_cast<uint32_t>(types.size())).first;
      id_key = (uint64_t{static_cast<uint32_t>(placed.owner)} << 32) | (uint64_t{t->second} << 1) |
               (placed.account ? 1 : 0);
    } else {
      key.assign(owner_type).append(1, '\x1f').append(owner).append(1, '\x1f').append(a.addr_type.value_or(""));
    }
    const uint32_t id = static_cast<uint32_t>(rows.size());
    superseded.clear();
    const Verdict verdict = placed.owner >= 0 ? history->Offer(id_key, valid_from, id, &superseded)
                                              : text_history->Offer(key, valid_from, id, &superseded);
    switch (verdict) {
      case Verdict::kFirst:
      case Verdict::kNewer: {
        for (uint32_t r : superseded) rows[r].alive = false;
        any_superseded = any_superseded || !superseded.empty();
        for (Finding& f : row_findings) findings.emplace_back(id, std::move(f));
        if (placed.owner >= 0) {
          std::vector<model::Address>& list =
              placed.account ? books.fdids[static_cast<size_t>(placed.owner)].address_list
                             : books.customers[static_cast<size_t>(placed.owner)].address_list;
          placed.position = static_cast<uint32_t>(list.size());
          list.push_back(std::move(a));
        } else {
          placed.position = static_cast<uint32_t>(unplaced.size());
          unplaced.push_back(Unplaced{std::string(owner), line});
        }
        rows.push_back(placed);
        break;
      }
      case Verdict::kSameDate:
        findings.emplace_back(
            placed.owner >= 0 ? history->CurrentFirst(id_key) : text_history->CurrentFirst(key),
            InputFinding("input.duplicate", record, owner, kAddresses, line, "addr_type",
                         "the same owner and addr_type appear twice for one state; this row is ignored"));
        break;
      case Verdict::kOlder:
      case Verdict::kFuture:
        break;
    }
  });
  if (!present) load->out.books.files.pop_back();
  CAISSON_RETURN_IF_ERROR(s);
  history.reset();
  text_history.reset();

  // Take out the addresses of superseded rows, keeping the order of the others (row order, as read).
  if (any_superseded) {
    std::vector<std::pair<int32_t, uint32_t>> dead;  // (owner as 2i+account, position)
    for (const Placed& p : rows) {
      if (!p.alive && p.owner >= 0) dead.emplace_back(2 * p.owner + (p.account ? 1 : 0), p.position);
    }
    std::sort(dead.begin(), dead.end());
    for (size_t i = 0; i < dead.size();) {
      const int32_t owner = dead[i].first / 2;
      const bool account = dead[i].first % 2 == 1;
      std::vector<model::Address>& list = account ? books.fdids[static_cast<size_t>(owner)].address_list
                                                  : books.customers[static_cast<size_t>(owner)].address_list;
      size_t out = 0, next_dead = i;
      for (size_t at = 0; at < list.size(); ++at) {
        if (next_dead < dead.size() && dead[next_dead].first == dead[i].first && dead[next_dead].second == at) {
          ++next_dead;
          continue;
        }
        if (out != at) list[out] = std::move(list[at]);
        ++out;
      }
      list.resize(out);
      i = next_dead;
    }
  }
  for (const Placed& p : rows) {
    if (!p.alive || p.owner < 0) continue;
    if (p.account) {
      books.fdids[static_cast<size_t>(p.owner)].has_address_list = true;
    } else {
      books.customers[static_cast<size_t>(p.owner)].has_address_list = true;
    }
  }

  // Findings in row order: a dangling owner first, then the row's own findings.
  std::stable_sort(findings.begin(), findings.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  auto next_finding = findings.begin();
  for (uint32_t r = 0; r < rows.size(); ++r) {
    const Placed& p = rows[r];
    // Findings of rows before r that were skipped belong to superseded rows: they go with them.
    while (next_finding != findings.end() && next_finding->first < r) ++next_finding;
    if (!p.alive) continue;
    if (p.owner < 0) {
      const Unplaced& u = unplaced[p.position];
      if (p.account) {
        ResolveFdid(load, u.owner, kAddresses, u.line, "owner_id");
      } else if (!load->customers_history.IsFutureOnly(u.owner)) {
        Dangling(load, RecordKind::kCustomer, u.owner, kAddresses, u.line, "owner_id", "customers.csv");
      }
    }
    for (; next_finding != findings.end() && next_finding->first == r; ++next_finding) {
      next_finding->second.record_index = p.owner;
      load->findings.push_back(std::move(next_finding->second));
    }
  }
  return Status::OK();
}

Status LoadLargeTraders(const std::filesystem::path& dir, Load* load) {
  const uint32_t file = load->AddFile(kLargeTraders);
  bool present = false;
  Status s = load->ReadTable(dir, kLargeTraders, false, kLtColumns, &present, [&](const Row& row) {
    if (!load->KeepFdid(row[kLFdid])) return;
    const int32_t index = ResolveFdid(load, row[kLFdid], kLargeTraders, row.line());
    if (index < 0) return;
    model::LargeTrader lt;
    lt.large_trader_id = TextCell(row[kLId]);
    lt.ltid_effective_date = DateCell(row[kLEffective]);
    lt.ltid_end_date = DateCell(row[kLEnd]);
    lt.ltid_end_reason = EnumCell(row[kLEndReason]);
    lt.origin.file = file;
    lt.origin.line = row.line();
    model::Fdid& f = load->out.books.fdids[static_cast<size_t>(index)];
    f.has_large_trader_list = true;
    f.large_trader_list.push_back(std::move(lt));
  });
  if (!present) load->out.books.files.pop_back();
  return s;
}

Status LoadAuthorizedTraders(const std::filesystem::path& dir, Load* load) {
  const uint32_t file = load->AddFile(kAuthorizedTraders);
  bool present = false;
  std::string name;
  Status s =
      load->ReadTable(dir, kAuthorizedTraders, false, kAtColumns, &present, [&](const Row& row) {
        if (!load->KeepFdid(row[kTFdid])) return;
        const int32_t index = ResolveFdid(load, row[kTFdid], kAuthorizedTraders, row.line());
        if (index < 0) return;
        // [§3.13] one string per trader: the books' full name, else its parts joined by single spaces.
        name.assign(row[kTFull]);
        if (name.empty()) {
          for (AtCol col : {kTFirst, kTMiddle, kTLast, kTSuffix}) {
            if (row[col].empty()) continue;
            if (!name.empty()) name.push_back(' ');
            name.append(row[col]);
          }
        }
        model::AuthTraderName at;
        at.auth_trader_name = TextCell(name);
        at.origin.file = file;
        at.origin.line = row.line();
        model::Fdid& f = load->out.books.fdids[static_cast<size_t>(index)];
        f.has_auth_trader_names_list = true;
        f.auth_trader_names_list.push_back(std::move(at));
      });
  if (!present) load->out.books.files.pop_back();
  return s;
}

}  // namespace caisson::ingest
