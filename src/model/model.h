// model: the CAIS records as Caisson holds them in memory, shared by every stage.
//
// The types mirror Table 8 (CAIS Data File) and Table 9 (TID File) of the Full CAIS 2.2.0 r4 specification, one
// member per CAIS field, spelled as the spec spells it in snake_case (`fdidRecordID` -> fdid_record_id). They
// are filled either from a firm's books and records (ingest + identity) or from a CAIS file given to `check`,
// so that one validator serves both. Members hold values *as read*: a field can be absent, present but not a
// valid value of its type (Num::kInvalid, Flag::kInvalid), or a value; the validator decides what is wrong.
//
// Sensitive data (raw SSN/ITIN and foreign identifiers other than the LEI, full birth dates, account numbers)
// never enters these types: it travels only in SensitiveInput, from ingest to identity, and dies there.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "model/text.h"

namespace caisson::model {

// A JSON number field (Unsigned, Date YYYYMMDD, Year YYYY) as read.
struct Num {
  enum class State : unsigned char { kAbsent, kInvalid, kValue };
  State state = State::kAbsent;
  int64_t value = 0;

  static Num Of(int64_t v) { return Num{State::kValue, v}; }
  static Num Invalid() { return Num{State::kInvalid, 0}; }
  bool present() const { return state != State::kAbsent; }
  bool has_value() const { return state == State::kValue; }
};

// A JSON Boolean field as read. Absent means false for CAIS [Table 3], but rules need to know it was absent.
struct Flag {
  enum class State : unsigned char { kAbsent, kInvalid, kFalse, kTrue };
  State state = State::kAbsent;

  static Flag Of(bool b) { return Flag{b ? State::kTrue : State::kFalse}; }
  bool present() const { return state != State::kAbsent; }
  bool is_true() const { return state == State::kTrue; }
};

// Text (model/text.h): a text field, absent or the value (possibly empty), in 16 bytes.
using TextList = std::optional<std::vector<std::string>>;   // absent, or the array (possibly empty)
using NumList = std::optional<std::vector<Num>>;

// Where a record came from, so a finding can name file, line and field.
struct Origin {
  uint32_t file = 0;         // index into Books::files
  uint64_t line = 0;         // 1-based line where the record starts (CSV record, or line in the decompressed JSON)
  int32_t index = -1;        // position in its JSON list (check); -1 for books
  int32_t parent_index = -1; // position of the owning record in its JSON list (check); -1 otherwise
};

struct Address {  // Address Record [Table 8], FDID or Customer level
  Text addr_type, addr_line1, addr_line2, addr_line3, addr_line4, city, region_code, country_code, postal_code;
  Origin origin;
};

struct LargeTrader {  // Large Trader Record [Table 8]
  Num large_trader_record_id;
  Text large_trader_id;
  Num ltid_effective_date, ltid_end_date;
  Text ltid_end_reason;
  Origin origin;
};

struct Association {  // FDID Customer Record [Table 8]
  Num customer_record_id;     // check: as read; books: assigned by emit
  std::string customer_key;   // books: customer_id; check: "crid:<n>"
  int32_t customer_index = -1;  // index into Books::customers, -1 when the reference resolves to nothing
  Text role;
  Flag has_discretion;
  Num role_start_date, role_end_date;
  Text role_end_reason;
  Origin origin;
};

struct AuthTraderName {  // Authorized Trader Name record [Table 8; §3.13]
  Num auth_trader_name_id;
  Text auth_trader_name;
  Origin origin;
};

struct Fdid {  // FDID Record [Table 8]
  Num fdid_record_id;
  Text firm_designated_id;
  Text fdid_type;
  TextList account_type;
  Text account_name;
  TextList dvp_custodian_id;
  TextList clearing_broker_id;
  Num branch_office_crd;
  NumList registered_rep_crd;
  Num fdid_date, fdid_end_date;
  Text fdid_end_reason;
  Text replaced_by_fdid;
  Num prior_cat_reporter_crd;
  Text prior_cat_reporter_fdid;
  bool has_address_list = false;
  std::vector<Address> address_list;
  bool has_large_trader_list = false;
  std::vector<LargeTrader> large_trader_list;
  bool has_fdid_customer_list = false;
  std::vector<Association> fdid_customer_list;
  bool has_auth_trader_names_list = false;
  std::vector<AuthTraderName> auth_trader_names_list;

  // Books only (never emitted as such).
  Flag proprietary;           // accounts.csv `proprietary`; absent = derived from account types
  Num correspondent_crd;      // file-level correspondentCRD this FDID travels under
  Num last_activity_date;
  Origin origin;
};

// An optional value kept on the heap: std::optional's interface in 8 bytes. For a large record that most of a
// long vector's elements hold only for part of the run, so it does not widen every element while absent.
template <typename T>
class Boxed {
 public:
  Boxed() noexcept = default;
  Boxed(std::nullopt_t) noexcept {}                              // NOLINT(google-explicit-constructor)
  Boxed(const T& v) : p_(std::make_unique<T>(v)) {}              // NOLINT(google-explicit-constructor)
  Boxed(T&& v) : p_(std::make_unique<T>(std::move(v))) {}        // NOLINT(google-explicit-constructor)
  Boxed(const Boxed& other) : p_(other.p_ ? std::make_unique<T>(*other.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) p_ = other.p_ ? std::make_unique<T>(*other.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(std::nullopt_t) noexcept {
    p_.reset();
    return *this;
  }
  Boxed& operator=(const T& v) { return emplace(v), *this; }
  Boxed& operator=(T&& v) { return emplace(std::move(v)), *this; }
  ~Boxed() = default;

  template <typename... Args>
  T& emplace(Args&&... args) {
    p_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *p_;
  }
  void reset() noexcept { p_.reset(); }
  bool has_value() const noexcept { return p_ != nullptr; }
  explicit operator bool() const noexcept { return has_value(); }
  T& operator*() noexcept { return *p_; }
  const T& operator*() const noexcept { return *p_; }
  T* operator->() noexcept { return p_.get(); }
  const T* operator->() const noexcept { return p_.get(); }
  T& value() { return *p_; }
  const T& value() const { return *p_; }

 private:
  std::unique_ptr<T> p_;
};

struct TidRecord {  // TID Record [Table 9]
  Num customer_record_id;
  Text tid_type, foreign_tid_type, foreign_tid_country_cd, tid_value;
  Text replaced_by_tid_type, replacing_foreign_tid_type, replacing_foreign_tid_country_cd, replaced_by_tid;
  Origin origin;  // TID File line (check) or the identifiers.csv row the TID came from (books)
};

enum class CustomerKind : unsigned char { kNaturalPerson, kLegalEntity };

// Books only: the TID of an identifier identifiers.csv ends (end_date on or before as_of, end_reason REPLACED,
// CORRECTION or OTHER) while the customer has a current one. The delta turns it into a TID replacement [§3.2]
// when the state store shows CAIS has that TID; a stateless build ignores it.
struct PriorTid {
  TidRecord tid;   // with replacedByTID / replacedByTIDType (and the replacing foreign fields) for REPLACED
  Num end_date;    // the identifier's end_date
  Text end_reason; // REPLACED, CORRECTION or OTHER (roleEndReason of the old association)
};

struct Customer {  // Natural Person or Legal Entity Customer Record [Table 8] and its TID Record [Table 9]
  CustomerKind kind = CustomerKind::kNaturalPerson;
  Num customer_record_id;
  std::string key;  // books: customer_id; check: "crid:<n>"
  // Natural person
  Text first_name, middle_name, last_name, name_suffix, doing_business_as;
  Num year_of_birth;
  // Legal entity
  Text legal_name, ein, lei;
  // Both
  bool has_address_list = false;
  std::vector<Address> address_list;
  TextList customer_type;
  Flag update_notification;
  // The TID record of this customer: from identity (books) or the paired TID File (check). Absent when the
  // customer has no usable input identifier (books) or no TID record (check). Boxed: held inline it was a third
  // of every customer, alive and empty through the whole load.
  Boxed<TidRecord> tid;
  Boxed<PriorTid> prior_tid;  // books only; see PriorTid

  // Books only.
  Text affiliation;  // FIRM or AFFILIATE (role.authrep)
  Origin origin;
};

// A whole set of records: the current state of a firm's books, or one Data/TID file pair read by `check`.
struct Books {
  std::vector<std::string> files;     // file names as findings show them; Origin::file indexes this
  std::vector<Fdid> fdids;
  std::vector<Customer> customers;
  // check only: file-level header values of the Data File.
  Num cat_reporter_crd, cat_submitter_id, correspondent_crd;
};

// Raw sensitive values, read by ingest and consumed by identity. NEVER logged, stored, written or quoted in a
// finding; identity clears this structure when it is done. Index vectors run parallel to Books.
struct RawIdentifier {
  std::string id_type;      // as in identifiers.csv, upper-cased: SSN, ITIN, EIN, NATIONALID, TAXID, ...
  std::string id_value;     // raw value
  Text country;             // ISO 3166-1 alpha-2 for foreign types
  Flag is_primary;
  Num end_date;
  Text end_reason;
  Origin origin;
};

struct SensitiveInput {
  std::vector<std::vector<RawIdentifier>> identifiers;  // per Books::customers index
  std::vector<std::string> birth_dates;                 // per Books::customers index, YYYYMMDD or empty
  std::vector<std::string> account_numbers;             // per Books::fdids index, or empty
};

}  // namespace caisson::model
