// Context::Report: turns a failed condition into a Finding with the location a user can act on. In books mode
// that is the CSV file, line and column that feed the CAIS field (books-and-records.md); in file mode the
// CAIS file, line and JSON path (cli.md "Findings").
#include "validate/context.h"

#include <fmt/format.h>

#include <iterator>
#include <string>
#include <string_view>

namespace caisson::validate {
namespace {

struct ColumnOf {
  spec::Object object;
  std::string_view cais_field;
  std::string_view column;
};

// CAIS field -> books column, per books-and-records.md. A field missing here has no column of its own
// (numbered by Caisson, derived, or composed from several columns): its CAIS name is shown instead.
constexpr ColumnOf kColumns[] = {
    {spec::Object::kDataFileMain, "correspondentCRD", "correspondent_crd"},
    {spec::Object::kFdidRecord, "firmDesignatedID", "fdid"},
    {spec::Object::kFdidRecord, "fdidType", "fdid_type"},
    {spec::Object::kFdidRecord, "accountType", "account_types"},
    {spec::Object::kFdidRecord, "accountName", "account_name"},
    {spec::Object::kFdidRecord, "DVPCustodianID", "dvp_custodian_ids"},
    {spec::Object::kFdidRecord, "clearingBrokerID", "clearing_broker_ids"},
    {spec::Object::kFdidRecord, "branchOfficeCRD", "branch_office_crd"},
    {spec::Object::kFdidRecord, "registeredRepCRD", "registered_rep_crd"},
    {spec::Object::kFdidRecord, "fdidDate", "fdid_date"},
    {spec::Object::kFdidRecord, "fdidEndDate", "fdid_end_date"},
    {spec::Object::kFdidRecord, "fdidEndReason", "fdid_end_reason"},
    {spec::Object::kFdidRecord, "replacedByFDID", "replaced_by_fdid"},
    {spec::Object::kFdidRecord, "priorCATReporterCRD", "prior_cat_reporter_crd"},
    {spec::Object::kFdidRecord, "priorCATReporterFDID", "prior_cat_reporter_fdid"},
    {spec::Object::kAddressRecord, "addrType", "addr_type"},
    {spec::Object::kAddressRecord, "addrLine1", "line1"},
    {spec::Object::kAddressRecord, "addrLine2", "line2"},
    {spec::Object::kAddressRecord, "addrLine3", "line3"},
    {spec::Object::kAddressRecord, "addrLine4", "line4"},
    {spec::Object::kAddressRecord, "city", "city"},
    {spec::Object::kAddressRecord, "regionCode", "region"},
    {spec::Object::kAddressRecord, "countryCode", "country"},
    {spec::Object::kAddressRecord, "postalCode", "postal_code"},
    {spec::Object::kLargeTraderRecord, "largeTraderID", "large_trader_id"},
    {spec::Object::kLargeTraderRecord, "ltidEffectiveDate", "effective_date"},
    {spec::Object::kLargeTraderRecord, "ltidEndDate", "end_date"},
    {spec::Object::kLargeTraderRecord, "ltidEndReason", "end_reason"},
    {spec::Object::kFdidCustomerRecord, "customerRecordID", "customer_id"},
    {spec::Object::kFdidCustomerRecord, "role", "role"},
    {spec::Object::kFdidCustomerRecord, "hasDiscretion", "has_discretion"},
    {spec::Object::kFdidCustomerRecord, "roleStartDate", "role_start_date"},
    {spec::Object::kFdidCustomerRecord, "roleEndDate", "role_end_date"},
    {spec::Object::kFdidCustomerRecord, "roleEndReason", "role_end_reason"},
    {spec::Object::kNaturalPersonCustomerRecord, "customerRecordID", "customer_id"},
    {spec::Object::kNaturalPersonCustomerRecord, "firstName", "first_name"},
    {spec::Object::kNaturalPersonCustomerRecord, "middleName", "middle_name"},
    {spec::Object::kNaturalPersonCustomerRecord, "lastName", "last_name"},
    {spec::Object::kNaturalPersonCustomerRecord, "nameSuffix", "name_suffix"},
    {spec::Object::kNaturalPersonCustomerRecord, "doingBusinessAs", "doing_business_as"},
    {spec::Object::kNaturalPersonCustomerRecord, "yearOfBirth", "year_of_birth"},
    {spec::Object::kNaturalPersonCustomerRecord, "customerType", "customer_types"},
    {spec::Object::kNaturalPersonCustomerRecord, "updateNotification", "update_notification"},
    {spec::Object::kLegalEntityCustomerRecord, "customerRecordID", "customer_id"},
    {spec::Object::kLegalEntityCustomerRecord, "legalName", "legal_name"},
    {spec::Object::kLegalEntityCustomerRecord, "ein", "id_value"},
    {spec::Object::kLegalEntityCustomerRecord, "lei", "lei"},
    {spec::Object::kLegalEntityCustomerRecord, "customerType", "customer_types"},
    {spec::Object::kLegalEntityCustomerRecord, "updateNotification", "update_notification"},
    {spec::Object::kTidRecord, "customerRecordID", "customer_id"},
    {spec::Object::kTidRecord, "tidType", "id_type"},
    {spec::Object::kTidRecord, "foreignTIDType", "id_type"},
    {spec::Object::kTidRecord, "foreignTIDCountryCd", "country"},
    {spec::Object::kTidRecord, "tidValue", "id_value"},
};

// "accountType[2]" -> "accountType": books columns hold whole lists.
std::string_view BaseName(std::string_view cais_field) {
  size_t bracket = cais_field.find('[');
  return bracket == std::string_view::npos ? cais_field : cais_field.substr(0, bracket);
}

std::string BooksColumn(spec::Object object, std::string_view cais_field) {
  std::string_view base = BaseName(cais_field);
  for (const ColumnOf& c : kColumns) {
    if (c.object == object && c.cais_field == base) return std::string(c.column);
  }
  return std::string(base);
}

std::string_view CustomerList(const model::Books& books, int64_t index) {
  bool legal = index >= 0 && index < static_cast<int64_t>(books.customers.size()) &&
               books.customers[index].kind == model::CustomerKind::kLegalEntity;
  return legal ? "legalEntityCustomerList" : "naturalPersonCustomerList";
}

// The owner's position in its JSON list, for a sub-record whose origin lacks parent_index.
int32_t OwnerIndex(const model::Books& books, RecordKind record, int64_t index) {
  if (index < 0) return -1;
  if (record == RecordKind::kFdid && index < static_cast<int64_t>(books.fdids.size())) {
    return books.fdids[index].origin.index;
  }
  if ((record == RecordKind::kCustomer || record == RecordKind::kTid) &&
      index < static_cast<int64_t>(books.customers.size())) {
    return books.customers[index].origin.index;
  }
  return -1;
}

std::string JsonPath(const model::Books& books, RecordKind record, int64_t index, const model::Origin& origin,
                     spec::Object object, std::string_view cais_field) {
  std::string path;
  auto out = std::back_inserter(path);
  int32_t parent = origin.parent_index >= 0 ? origin.parent_index : OwnerIndex(books, record, index);
  switch (object) {
    case spec::Object::kDataFileMain:
    case spec::Object::kTidFileMain:
      break;
    case spec::Object::kFdidRecord:
      fmt::format_to(out, "fdidRecordList[{}]", origin.index);
      break;
    case spec::Object::kLargeTraderRecord:
      fmt::format_to(out, "fdidRecordList[{}].largeTraderList[{}]", parent, origin.index);
      break;
    case spec::Object::kFdidCustomerRecord:
      fmt::format_to(out, "fdidRecordList[{}].fdidCustomerList[{}]", parent, origin.index);
      break;
    case spec::Object::kAuthTraderNameRecord:
      fmt::format_to(out, "fdidRecordList[{}].authTraderNamesList[{}]", parent, origin.index);
      break;
    case spec::Object::kAddressRecord:
      if (record == RecordKind::kFdid) {
        fmt::format_to(out, "fdidRecordList[{}].addressList[{}]", parent, origin.index);
      } else {
        fmt::format_to(out, "{}[{}].addressList[{}]", CustomerList(books, index), parent, origin.index);
      }
      break;
    case spec::Object::kNaturalPersonCustomerRecord:
      fmt::format_to(out, "naturalPersonCustomerList[{}]", origin.index);
      break;
    case spec::Object::kLegalEntityCustomerRecord:
      fmt::format_to(out, "legalEntityCustomerList[{}]", origin.index);
      break;
    case spec::Object::kCorrectionActionRecord:
      fmt::format_to(out, "correctionList[{}]", origin.index);
      break;
    case spec::Object::kTidRecord:
      fmt::format_to(out, "tidRecordList[{}]", origin.index);
      break;
  }
  if (!cais_field.empty()) {
    if (!path.empty()) path.push_back('.');
    path.append(cais_field);
  }
  return path;
}

}  // namespace

bool MakeFinding(const model::Books& books, Mode mode, std::string_view rule, std::string_view code,
                 RecordKind record, int64_t index, const model::Origin& origin, spec::Object object,
                 std::string_view cais_field, std::string message, Finding* f) {
  const RuleInfo* info = FindRule(rule);
  if (info == nullptr) return false;
  f->rule = std::string(rule);
  f->severity = info->severity;
  f->cais_code = std::string(code);
  f->record = record;
  f->record_index = index;
  f->key.clear();
  if (record == RecordKind::kFdid && index >= 0 && index < static_cast<int64_t>(books.fdids.size())) {
    f->key = books.fdids[index].firm_designated_id.value_or("");
  } else if ((record == RecordKind::kCustomer || record == RecordKind::kTid) && index >= 0 &&
             index < static_cast<int64_t>(books.customers.size())) {
    f->key = books.customers[index].key;
  }
  f->file = origin.file < books.files.size() ? books.files[origin.file] : std::string();
  f->line = origin.line;
  f->field.clear();
  if (mode == Mode::kBooks) {
    if (!cais_field.empty()) f->field = BooksColumn(object, cais_field);
  } else {
    f->field = JsonPath(books, record, index, origin, object, cais_field);
  }
  f->message = std::move(message);
  return true;
}

void Context::Report(std::string_view rule, std::string_view code, RecordKind record, int64_t index,
                     const model::Origin& origin, spec::Object object, std::string_view cais_field,
                     std::string message) {
  Finding f;
  if (!MakeFinding(books, options.mode, rule, code, record, index, origin, object, cais_field,
                   std::move(message), &f)) {
    if (problem.ok()) problem = Status::Internal("validate", fmt::format("unknown rule '{}'", rule));
    return;
  }
  out_->push_back(std::move(f));
}

const spec::Field* Context::FieldOf(spec::Object object, std::string_view name) {
  const auto at = reinterpret_cast<uintptr_t>(name.data());
  FieldMemo& memo = field_memo_[((at >> 3) ^ (at >> 9) ^ static_cast<uintptr_t>(object)) % field_memo_.size()];
  if (memo.field != nullptr && memo.object == object && memo.field->name == name) {
    return memo.field;
  }
  const spec::Field* field = profile.Find(object, name);
  if (field != nullptr) memo = FieldMemo{object, field};
  if (field == nullptr && problem.ok()) {
    problem = Status::Internal(profile.name(),
                               fmt::format("profile has no field {}.{}", spec::ObjectName(object), name));
  }
  return field;
}

}  // namespace caisson::validate
