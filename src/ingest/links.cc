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
  Status s = ReadTable(dir, kIdentifiers, false, kIdColumns, &load->findings, &present, [&](const Row& row) {
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
  return ReadTable(dir, kRoles, true, kRoleColumns, &load->findings, &present, [&](const Row& row) {
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
  // Kept small: every row is staged, and the staging is alive next to the address lists at the load's peak.
  // The owner is a Text (16 bytes, inline for usual ids) and the rare findings live in `findings` below.
  struct Staged {
    bool account = false;
    bool alive = true;
    model::Text owner;
    model::Address address;
  };
  // (row, finding) in the order they were made; a row's findings keep their order under the stable sort below.
  std::vector<std::pair<uint32_t, Finding>> findings;
  std::vector<Finding> row_findings;
  std::vector<Staged> rows;
  rows.reserve(CountLines(dir / kAddresses));  // the largest books file: growing by doubling would double the peak
  std::vector<uint32_t> superseded;
  // Only the reading needs the address history; it is dropped before the hand-over, which is the load's peak.
  std::optional<History> history(std::in_place, load->options.as_of);
  std::string key;
  bool present = false;
  Status s = ReadTable(dir, kAddresses, false, kAddrColumns, &load->findings, &present, [&](const Row& row) {
    const uint64_t line = row.line();
    const std::string owner_type = Upper(row[kDOwnerType]);
    const std::string_view owner = row[kDOwnerId];
    if (owner_type != "ACCOUNT" && owner_type != "CUSTOMER") {
      load->findings.push_back(InputFinding("input.value", RecordKind::kFile, owner, kAddresses, line,
                                            "owner_type", "owner_type is not ACCOUNT or CUSTOMER"));
      return;
    }
    if (owner_type == "ACCOUNT" ? !load->KeepFdid(owner) : !load->KeepCustomer(owner)) return;
    Staged st;
    st.account = owner_type == "ACCOUNT";
    st.owner = owner;
    const RecordKind record = st.account ? RecordKind::kFdid : RecordKind::kCustomer;
    model::Address& a = st.address;
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

    key.assign(owner_type).append(1, '\x1f').append(owner).append(1, '\x1f').append(a.addr_type.value_or(""));
    const uint32_t id = static_cast<uint32_t>(rows.size());
    superseded.clear();
    switch (history->Offer(key, valid_from, id, &superseded)) {
      case History::Verdict::kFirst:
      case History::Verdict::kNewer:
        for (uint32_t r : superseded) {
          rows[r] = Staged();
          rows[r].alive = false;
        }
        for (Finding& f : row_findings) findings.emplace_back(id, std::move(f));
        rows.push_back(std::move(st));
        break;
      case History::Verdict::kSameDate:
        findings.emplace_back(
            history->CurrentFirst(key),
            InputFinding("input.duplicate", record, owner, kAddresses, line, "addr_type",
                         "the same owner and addr_type appear twice for one state; this row is ignored"));
        break;
      case History::Verdict::kOlder:
      case History::Verdict::kFuture:
        break;
    }
  });
  if (!present) load->out.books.files.pop_back();
  CAISSON_RETURN_IF_ERROR(s);

  history.reset();
  model::Books& books = load->out.books;
  // Reserve every list exactly: push_back growth would leave slack alive next to the staging. These lookups
  // report nothing; the hand-over below reports dangling owners in row order as before.
  {
    std::vector<uint32_t> fdid_count(books.fdids.size()), customer_count(books.customers.size());
    for (const Staged& st : rows) {
      if (!st.alive) continue;
      const int32_t index = st.account ? load->FdidIndex(st.owner.view()) : load->CustomerIndex(st.owner.view());
      if (index >= 0) ++(st.account ? fdid_count : customer_count)[static_cast<size_t>(index)];
    }
    for (size_t i = 0; i < fdid_count.size(); ++i) {
      if (fdid_count[i]) books.fdids[i].address_list.reserve(books.fdids[i].address_list.size() + fdid_count[i]);
    }
    for (size_t i = 0; i < customer_count.size(); ++i) {
      if (customer_count[i]) {
        books.customers[i].address_list.reserve(books.customers[i].address_list.size() + customer_count[i]);
      }
    }
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  auto next_finding = findings.begin();
  for (uint32_t r = 0; r < rows.size(); ++r) {
    Staged& st = rows[r];
    // Findings of rows before r that were skipped belong to superseded rows: they go with them.
    while (next_finding != findings.end() && next_finding->first < r) ++next_finding;
    if (!st.alive) continue;
    int32_t index = -1;
    if (st.account) {
      index = ResolveFdid(load, st.owner.view(), kAddresses, st.address.origin.line, "owner_id");
      if (index >= 0) {
        books.fdids[static_cast<size_t>(index)].has_address_list = true;
        books.fdids[static_cast<size_t>(index)].address_list.push_back(std::move(st.address));
      }
    } else {
      index = load->CustomerIndex(st.owner.view());
      if (index >= 0) {
        books.customers[static_cast<size_t>(index)].has_address_list = true;
        books.customers[static_cast<size_t>(index)].address_list.push_back(std::move(st.address));
      } else if (!load->customers_history.IsFutureOnly(st.owner.view())) {
        Dangling(load, RecordKind::kCustomer, st.owner.view(), kAddresses, st.address.origin.line, "owner_id",
                 "customers.csv");
      }
    }
    for (; next_finding != findings.end() && next_finding->first == r; ++next_finding) {
      next_finding->second.record_index = index;
      load->findings.push_back(std::move(next_finding->second));
    }
  }
  return Status::OK();
}

Status LoadLargeTraders(const std::filesystem::path& dir, Load* load) {
  const uint32_t file = load->AddFile(kLargeTraders);
  bool present = false;
  Status s = ReadTable(dir, kLargeTraders, false, kLtColumns, &load->findings, &present, [&](const Row& row) {
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
      ReadTable(dir, kAuthorizedTraders, false, kAtColumns, &load->findings, &present, [&](const Row& row) {
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
