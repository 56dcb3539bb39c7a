// accounts.csv and customers.csv: the records every other books file refers to (books-and-records.md).
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/cells.h"
#include "ingest/load.h"
#include "ingest/table.h"

namespace caisson::ingest {

namespace {

constexpr std::string_view kAccounts = "accounts.csv";
constexpr std::string_view kCustomers = "customers.csv";

enum AccountCol {
  kAFdid,
  kAFdidType,
  kAAccountTypes,
  kAAccountName,
  kAAccountNumber,
  kAProprietary,
  kAFdidDate,
  kAFdidEndDate,
  kAFdidEndReason,
  kAReplacedByFdid,
  kAPriorCrd,
  kAPriorFdid,
  kABranchCrd,
  kARrCrd,
  kADvp,
  kAClearing,
  kACorrespondentCrd,
  kALastActivity,
  kAValidFrom,
};
constexpr Column kAccountColumns[] = {
    {"fdid", true},
    {"fdid_type", false},
    {"account_types", true},
    {"account_name", false},
    {"account_number", false},
    {"proprietary", false},
    {"fdid_date", true},
    {"fdid_end_date", false},
    {"fdid_end_reason", false},
    {"replaced_by_fdid", false},
    {"prior_cat_reporter_crd", false},
    {"prior_cat_reporter_fdid", false},
    {"branch_office_crd", false},
    {"registered_rep_crd", false},
    {"dvp_custodian_ids", false},
    {"clearing_broker_ids", false},
    {"correspondent_crd", false},
    {"last_activity_date", false},
    {"valid_from", false},
};

enum CustomerCol {
  kCId,
  kCKind,
  kCTypes,
  kCFirst,
  kCMiddle,
  kCLast,
  kCSuffix,
  kCBirthDate,
  kCYearOfBirth,
  kCLegalName,
  kCDba,
  kCLei,
  kCAffiliation,
  kCUpdateNotification,
  kCValidFrom,
};
constexpr Column kCustomerColumns[] = {
    {"customer_id", true},        {"kind", true},
    {"customer_types", true},     {"first_name", false},
    {"middle_name", false},       {"last_name", false},
    {"name_suffix", false},       {"birth_date", false},
    {"year_of_birth", false},     {"legal_name", false},
    {"doing_business_as", false}, {"lei", false},
    {"affiliation", false},       {"update_notification", false},
    {"valid_from", false},
};
// Columns of one kind only [Table 8]: on a row of the other kind they are ignored with input.column.
constexpr CustomerCol kNaturalPersonOnly[] = {kCFirst,     kCMiddle,      kCLast, kCSuffix,
                                              kCBirthDate, kCYearOfBirth, kCDba};
constexpr CustomerCol kLegalEntityOnly[] = {kCLegalName, kCLei};

template <typename T>
struct Staged {
  T record;
  std::string sensitive;  // account number / birth date (YYYYMMDD)
  std::vector<Finding> findings;
  bool alive = true;
};

// A bad value in a column that feeds no CAIS field (rules.md input.value). Never quotes the cell.
void BadValue(std::vector<Finding>* out, RecordKind record, std::string_view key, std::string_view file,
              uint64_t line, std::string_view column, std::string_view expected) {
  out->push_back(InputFinding("input.value", record, key, file, line, column,
                              fmt::format("{} is not {}", column, expected)));
}
constexpr std::string_view kDateShape = "a date YYYY-MM-DD or YYYYMMDD";

template <typename T>
void Kill(std::vector<Staged<T>>* rows, const std::vector<uint32_t>& superseded) {
  for (uint32_t r : superseded) {
    (*rows)[r] = Staged<T>();
    (*rows)[r].alive = false;
  }
}

}  // namespace

Status LoadAccounts(const std::filesystem::path& dir, Load* load) {
  const uint32_t file = load->AddFile(kAccounts);
  std::vector<Staged<model::Fdid>> rows;
  rows.reserve(load->RowsHint(dir, kAccounts));  // records are large: growing by doubling would double the peak
  load->accounts_history.Reserve(rows.capacity());
  std::vector<uint32_t> superseded;
  bool present = false;
  CAISSON_RETURN_IF_ERROR(
      load->ReadTable(dir, kAccounts, true, kAccountColumns, &present, [&](const Row& row) {
        if (!load->KeepFdid(row[kAFdid])) return;
        Staged<model::Fdid> s;
        model::Fdid& f = s.record;
        const std::string_view key = row[kAFdid];
        const uint64_t line = row.line();
        f.origin.file = file;
        f.origin.line = line;
        f.firm_designated_id = TextCell(key);
        // [Table 8] fdidType is required; the contract makes ACCOUNT the books' default.
        f.fdid_type = row[kAFdidType].empty() ? model::Text("ACCOUNT") : EnumCell(row[kAFdidType]);
        f.account_type = ListCell(row[kAAccountTypes], /*upper=*/true);
        f.account_name = TextCell(row[kAAccountName]);
        s.sensitive = std::string(row[kAAccountNumber]);
        f.proprietary = FlagCell(row[kAProprietary]);
        if (f.proprietary.state == model::Flag::State::kInvalid) {
          BadValue(&s.findings, RecordKind::kFdid, key, kAccounts, line, "proprietary", "Y or N");
        }
        f.fdid_date = DateCell(row[kAFdidDate]);
        f.fdid_end_date = DateCell(row[kAFdidEndDate]);
        f.fdid_end_reason = EnumCell(row[kAFdidEndReason]);
        f.replaced_by_fdid = TextCell(row[kAReplacedByFdid]);
        f.prior_cat_reporter_crd = UnsignedCell(row[kAPriorCrd]);
        f.prior_cat_reporter_fdid = TextCell(row[kAPriorFdid]);
        f.branch_office_crd = UnsignedCell(row[kABranchCrd]);
        f.registered_rep_crd = UnsignedListCell(row[kARrCrd]);
        f.dvp_custodian_id = ListCell(row[kADvp], /*upper=*/false);
        f.clearing_broker_id = ListCell(row[kAClearing], /*upper=*/false);
        f.correspondent_crd = UnsignedCell(row[kACorrespondentCrd]);
        if (f.correspondent_crd.state == model::Num::State::kInvalid) {
          BadValue(&s.findings, RecordKind::kFdid, key, kAccounts, line, "correspondent_crd",
                   "an unsigned number");
        }
        f.last_activity_date = DateCell(row[kALastActivity]);
        if (f.last_activity_date.state == model::Num::State::kInvalid) {
          BadValue(&s.findings, RecordKind::kFdid, key, kAccounts, line, "last_activity_date", kDateShape);
        }
        int32_t valid_from =
            ValidFrom(row[kAValidFrom], RecordKind::kFdid, key, kAccounts, line, &s.findings);
        if (valid_from > 0) load->valid_from_dates.insert(valid_from);

        const uint32_t id = static_cast<uint32_t>(rows.size());
        superseded.clear();
        switch (load->accounts_history.Offer(key, valid_from, id, &superseded)) {
          case History::Verdict::kFirst:
          case History::Verdict::kNewer:
            Kill(&rows, superseded);
            rows.push_back(std::move(s));
            break;
          case History::Verdict::kSameDate:
            // Kept as a second record: validate reports it as fdid.duplicate (22002) on the books' own terms.
            load->accounts_history.AddSameDate(key, id);
            rows.push_back(std::move(s));
            break;
          case History::Verdict::kOlder:
          case History::Verdict::kFuture:
            break;
        }
      }));

  model::Books& books = load->out.books;
  books.fdids.reserve(static_cast<size_t>(std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.alive; })));
  load->fdid_index.reserve(books.fdids.capacity());
  for (Staged<model::Fdid>& s : rows) {
    if (!s.alive) continue;
    const int32_t index = static_cast<int32_t>(books.fdids.size());
    for (Finding& f : s.findings) {
      f.record_index = index;
      load->findings.push_back(std::move(f));
    }
    if (s.record.firm_designated_id) load->fdid_index.try_emplace(s.record.firm_designated_id.str(), index);
    books.fdids.push_back(std::move(s.record));
    load->out.sensitive.account_numbers.push_back(std::move(s.sensitive));
  }
  load->accounts_history.Settle();
  return Status::OK();
}

Status LoadCustomers(const std::filesystem::path& dir, Load* load) {
  const uint32_t file = load->AddFile(kCustomers);
  std::vector<Staged<model::Customer>> rows;
  rows.reserve(load->RowsHint(dir, kCustomers));
  load->customers_history.Reserve(rows.capacity());
  std::vector<uint32_t> superseded;
  bool present = false;
  CAISSON_RETURN_IF_ERROR(
      load->ReadTable(dir, kCustomers, true, kCustomerColumns, &present, [&](const Row& row) {
        if (!load->KeepCustomer(row[kCId])) return;
        Staged<model::Customer> s;
        model::Customer& c = s.record;
        const std::string_view key = row[kCId];
        const uint64_t line = row.line();
        c.key = std::string(key);
        c.origin.file = file;
        c.origin.line = line;
        const std::string kind = Upper(row[kCKind]);
        bool legal = false;
        if (kind == "LEGAL_ENTITY") {
          legal = true;
        } else if (kind != "NATURAL_PERSON") {
          // The kind picks the customer list; without one the record cannot be placed, so it is held
          // (policy).
          BadValue(&s.findings, RecordKind::kCustomer, key, kCustomers, line, "kind",
                   "NATURAL_PERSON or LEGAL_ENTITY");
        }
        c.kind = legal ? model::CustomerKind::kLegalEntity : model::CustomerKind::kNaturalPerson;
        for (CustomerCol col : legal ? std::span<const CustomerCol>(kNaturalPersonOnly)
                                     : std::span<const CustomerCol>(kLegalEntityOnly)) {
          if (!row[col].empty()) {
            s.findings.push_back(InputFinding("input.column", RecordKind::kCustomer, key, kCustomers, line,
                                              kCustomerColumns[col].name,
                                              legal ? "does not apply to a legal entity; ignored"
                                                    : "does not apply to a natural person; ignored"));
          }
        }
        c.customer_type = ListCell(row[kCTypes], /*upper=*/true);
        if (legal) {
          c.legal_name = TextCell(row[kCLegalName]);
          c.lei = TextCell(row[kCLei]);
        } else {
          c.first_name = TextCell(row[kCFirst]);
          c.middle_name = TextCell(row[kCMiddle]);
          c.last_name = TextCell(row[kCLast]);
          c.name_suffix = EnumCell(row[kCSuffix]);
          c.doing_business_as = TextCell(row[kCDba]);
          c.year_of_birth = UnsignedCell(row[kCYearOfBirth]);
          // Only the year of a birth date is ever emitted; the date itself goes to SensitiveInput.
          const model::Num birth = DateCell(row[kCBirthDate]);
          if (birth.has_value()) {
            s.sensitive = fmt::format("{:08d}", birth.value);
            const int64_t year = birth.value / 10000;
            if (!c.year_of_birth.present()) {
              c.year_of_birth = model::Num::Of(year);
            } else if (!c.year_of_birth.has_value() || c.year_of_birth.value != year) {
              s.findings.push_back(InputFinding("input.conflict", RecordKind::kCustomer, key, kCustomers,
                                                line, "year_of_birth",
                                                "year_of_birth differs from the year of birth_date"));
            }
          } else if (birth.present()) {
            if (c.year_of_birth.present()) {
              BadValue(&s.findings, RecordKind::kCustomer, key, kCustomers, line, "birth_date", kDateShape);
            } else {
              c.year_of_birth = model::Num::Invalid();  // yearOfBirth's own rule and code report it (22510)
            }
          }
        }
        c.affiliation = EnumCell(row[kCAffiliation]);
        c.update_notification = FlagCell(row[kCUpdateNotification]);
        int32_t valid_from =
            ValidFrom(row[kCValidFrom], RecordKind::kCustomer, key, kCustomers, line, &s.findings);
        if (valid_from > 0) load->valid_from_dates.insert(valid_from);

        const uint32_t id = static_cast<uint32_t>(rows.size());
        superseded.clear();
        switch (load->customers_history.Offer(key, valid_from, id, &superseded)) {
          case History::Verdict::kFirst:
          case History::Verdict::kNewer:
            Kill(&rows, superseded);
            rows.push_back(std::move(s));
            break;
          case History::Verdict::kSameDate: {
            // The first row stays; the finding travels with it so a later state drops both.
            uint32_t kept = load->customers_history.CurrentFirst(key);
            rows[kept].findings.push_back(
                InputFinding("input.duplicate", RecordKind::kCustomer, key, kCustomers, line, "customer_id",
                             row.has(kCValidFrom)
                                 ? "customer_id appears twice with the same valid_from; this row is ignored"
                                 : "customer_id appears twice; this row is ignored"));
            break;
          }
          case History::Verdict::kOlder:
          case History::Verdict::kFuture:
            break;
        }
      }));

  model::Books& books = load->out.books;
  books.customers.reserve(
      static_cast<size_t>(std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.alive; })));
  load->customer_index.reserve(books.customers.capacity());
  for (Staged<model::Customer>& s : rows) {
    if (!s.alive) continue;
    const int32_t index = static_cast<int32_t>(books.customers.size());
    for (Finding& f : s.findings) {
      f.record_index = index;
      load->findings.push_back(std::move(f));
    }
    load->customer_index.try_emplace(s.record.key, index);
    books.customers.push_back(std::move(s.record));
    load->out.sensitive.birth_dates.push_back(std::move(s.sensitive));
  }
  load->out.sensitive.identifiers.resize(books.customers.size());
  load->customers_history.Settle();
  return Status::OK();
}

}  // namespace caisson::ingest
