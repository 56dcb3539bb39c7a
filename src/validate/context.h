// Private to validate: what every rule family receives, and how it reports.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.h"
#include "model/model.h"
#include "spec/spec.h"
#include "validate/validate.h"

namespace caisson::validate {

// The owner of an address, for locating its fields.
enum class AddressOwner : unsigned char { kFdid, kCustomer };

class Context {
 public:
  Context(const spec::Profile& profile, const model::Books& books, const Options& options,
          std::vector<Finding>* out)
      : profile(profile), books(books), options(options), out_(out) {}

  const spec::Profile& profile;
  const model::Books& books;
  const Options& options;

  bool books_mode() const { return options.mode == Mode::kBooks; }
  bool file_mode() const { return options.mode == Mode::kFile; }

  // Reports that `rule` failed with Appendix B `code` ("" = none) for the record at books.fdids[index]
  // (kFdid) or books.customers[index] (kCustomer, kTid). `origin` is the (sub-)record holding the field,
  // `object` its spec object and `cais_field` the CAIS field name ("" = the record as a whole). The location
  // (file, line, CSV column or JSON path) and the key are derived here; the severity comes from the catalogue.
  // `message` is one sentence naming the CAIS field and never quoting an identifier.
  void Report(std::string_view rule, std::string_view code, RecordKind record, int64_t index,
              const model::Origin& origin, spec::Object object, std::string_view cais_field,
              std::string message);

  // Looks up a field; records a kInternal problem (returned by Validate) when the profile lacks it.
  const spec::Field* FieldOf(spec::Object object, std::string_view name);

  Status problem;  // first internal problem, if any

 private:
  std::vector<Finding>* out_;
  // FieldOf's recent answers, in a slot chosen by where the name's characters are: rules name fields with
  // literals and ask again for every record (a profile lookup per field per record was 1-2 % of a validate).
  // A hit is confirmed by the field's own name.
  struct FieldMemo {
    spec::Object object{};
    const spec::Field* field = nullptr;
  };
  std::array<FieldMemo, 64> field_memo_{};
};

// Builds the Finding Context::Report appends, for callers without a profile (ResolveHolds' cascades).
// Returns false (and leaves *f untouched) when `rule` is not in the catalogue.
bool MakeFinding(const model::Books& books, Mode mode, std::string_view rule, std::string_view code,
                 RecordKind record, int64_t index, const model::Origin& origin, spec::Object object,
                 std::string_view cais_field, std::string message, Finding* f);

// Rule families. Each applies its rules for the mode of ctx.options (B and/or F columns of rules.md).
void CheckFdids(Context& ctx);       // fdid.*, role.*, fdid.ltid, fdid.auth_*        (rules_fdid.cc)
void CheckCustomers(Context& ctx);   // customer.*, tid.*                              (rules_customer.cc)
// address.* for one address list of an owner; `index` as for Report.
void CheckAddressList(Context& ctx, AddressOwner owner, int64_t index, const std::vector<model::Address>& list,
                      bool has_list, const model::Origin& owner_origin);  // (rules_address.cc)

// Shared value checks on Table 3 data types, used by every family (values.cc).
bool IsText(std::string_view v, int32_t max_length);          // printable ASCII 32–126 minus , | " @
bool IsExtendedText(std::string_view v, int32_t max_length);  // UTF-8 of U+0020–U+007E, U+00A0–U+00FF
bool IsAlphanumeric(std::string_view v, int32_t max_length);
bool IsRealDate(int64_t yyyymmdd);
int64_t Utf8Length(std::string_view v);

}  // namespace caisson::validate
