#include "ingest/ingest.h"

#include <algorithm>
#include <system_error>

#include "ingest/cells.h"
#include "ingest/load.h"
#include "ingest/table.h"

namespace caisson::ingest {

int32_t ValidFrom(std::string_view cell, RecordKind record, std::string_view key, std::string_view file,
                  uint64_t line, std::vector<Finding>* findings) {
  model::Num n = DateCell(cell);
  if (n.has_value()) return static_cast<int32_t>(n.value);
  if (n.present()) {
    // An unreadable date cannot be placed in the history; the row is taken as valid from the beginning.
    findings->push_back(InputFinding("input.value", record, key, file, line, "valid_from",
                                     "valid_from is not a date YYYY-MM-DD or YYYYMMDD"));
  }
  return 0;
}

size_t Load::RowsHint(const std::filesystem::path& dir, std::string_view file) const {
  if (const Excerpt* e = ExcerptOf(file)) return e->rows.size();
  return CountLines(dir / file);
}

namespace {
// Two rows in force for one FDID are one record twice (fdid.duplicate, 22002), not an FDID without roles or
// addresses: each copy gets the roles, addresses, LTIDs and trader names of the FDID, so the duplicate is the
// only finding.
void ShareLinksWithDuplicateFdids(model::Books* books, const KeyIndex& fdid_index) {
  for (size_t i = 0; i < books->fdids.size(); ++i) {
    model::Fdid& copy = books->fdids[i];
    if (!copy.firm_designated_id) continue;
    auto it = fdid_index.find(*copy.firm_designated_id);
    if (it == fdid_index.end() || it->second == static_cast<int32_t>(i)) continue;
    const model::Fdid& first = books->fdids[static_cast<size_t>(it->second)];
    copy.has_fdid_customer_list = first.has_fdid_customer_list;
    copy.fdid_customer_list = first.fdid_customer_list;
    copy.has_address_list = first.has_address_list;
    copy.address_list = first.address_list;
    copy.has_large_trader_list = first.has_large_trader_list;
    copy.large_trader_list = first.large_trader_list;
    copy.has_auth_trader_names_list = first.has_auth_trader_names_list;
    copy.auth_trader_names_list = first.auth_trader_names_list;
  }
}
}  // namespace

Result<Loaded> LoadBooks(const std::filesystem::path& dir, const Options& options,
                         std::vector<Finding>* findings) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return Status::NotFound(dir.string(), "books folder not found");
  Load load(options);
  // Order matters: each loader resolves references against the records the earlier ones put in force.
  CAISSON_RETURN_IF_ERROR(LoadAccounts(dir, &load));
  CAISSON_RETURN_IF_ERROR(LoadCustomers(dir, &load));
  CAISSON_RETURN_IF_ERROR(LoadIdentifiers(dir, &load));
  CAISSON_RETURN_IF_ERROR(LoadRoles(dir, &load));
  CAISSON_RETURN_IF_ERROR(LoadAddresses(dir, &load));
  CAISSON_RETURN_IF_ERROR(LoadLargeTraders(dir, &load));
  CAISSON_RETURN_IF_ERROR(LoadAuthorizedTraders(dir, &load));
  ShareLinksWithDuplicateFdids(&load.out.books, load.fdid_index);
  findings->insert(findings->end(), std::make_move_iterator(load.findings.begin()),
                   std::make_move_iterator(load.findings.end()));
  load.out.valid_from_dates.assign(load.valid_from_dates.begin(), load.valid_from_dates.end());
  std::sort(load.out.valid_from_dates.begin(), load.out.valid_from_dates.end());
  return std::move(load.out);
}

}  // namespace caisson::ingest
