#include "ingest/ingest.h"

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
  findings->insert(findings->end(), std::make_move_iterator(load.findings.begin()),
                   std::make_move_iterator(load.findings.end()));
  return std::move(load.out);
}

}  // namespace caisson::ingest
