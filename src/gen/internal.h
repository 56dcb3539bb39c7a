// Private to gen: the row buffers of one generated unit (one or two FDIDs with their customers), the PRNG and
// the small helpers shared by units.cc (clean books), defects.cc (planted defects) and gen.cc (files).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/gen.h"

namespace caisson::gen::internal {

// splitmix64 (Steele, Lea, Flood 2014): tiny, and unlike std::uniform_*_distribution its output is the same
// with every standard library, so the same seed gives the same bytes everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0. The modulo bias (< n / 2^64) is irrelevant for synthetic data.
  uint64_t Below(uint64_t n) { return Next() % n; }
  int64_t Range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1))); }
  bool Chance(int percent) { return Below(100) < static_cast<uint64_t>(percent); }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& a) { return a[Below(N)]; }

 private:
  uint64_t s_;
};

// The CSV files, in the order they are listed in expected-findings.json.
enum File : int { kAccounts, kCustomers, kIdentifiers, kRoles, kAddresses, kLargeTraders, kAuthTraders, kFileCount };
std::string_view FileName(File f);
// The header columns of a file (books-and-records.md), comma-joined.
std::string_view Header(File f);
int ColumnCount(File f);

enum AccCol { kFdid, kFdidType, kAccountTypes, kAccountName, kAccountNumber, kProprietary, kFdidDate, kFdidEndDate,
              kFdidEndReason, kReplacedBy, kPriorCrd, kPriorFdid, kBranch, kRrCrd, kDvp, kClearing,
              kCorrespondent, kLastActivity };
enum CustCol { kCustomerId, kKind, kCustomerTypes, kFirst, kMiddle, kLast, kSuffix, kBirthDate, kYearOfBirth,
               kLegalName, kDba, kLei, kAffiliation, kUpdateNotification };
enum IdCol { kIdCustomer, kIdType, kIdValue, kIdCountry, kIdPrimary, kIdEndDate, kIdEndReason };
enum RoleCol { kRoleFdid, kRoleCustomer, kRole, kDiscretion, kRoleStart, kRoleEnd, kRoleEndReason };
enum AddrCol { kOwnerType, kOwnerId, kAddrType, kLine1, kLine2, kLine3, kLine4, kCity, kRegion, kPostal, kCountry };
enum LtCol { kLtFdid, kLtId, kLtEffective, kLtEnd, kLtEndReason };
enum AtCol { kAtFdid, kAtFirst, kAtMiddle, kAtLast, kAtSuffix, kAtFull };

using Row = std::vector<std::string>;

// One expected finding, located by row index in the unit until the unit is written.
struct Mark {
  File file;
  int row;
  std::string rule, code, field;  // code "" = null
};

// The rows of one unit. Rows are reused between units (their strings keep their capacity).
struct Unit {
  std::array<std::vector<Row>, kFileCount> rows;
  std::array<int, kFileCount> count{};
  std::vector<Mark> marks;  // the expected findings of the unit
  int fdids = 0;  // FDIDs in the unit (accounts.csv rows, a planted duplicate row not counted)

  void Clear() {
    count.fill(0);
    marks.clear();
    fdids = 0;
  }
  Row& Add(File f);
  Row& At(File f, int i) { return rows[f][i]; }
  int Count(File f) const { return count[f]; }
  void Remove(File f, int i);  // removes row i, keeping the order of the others
  void Plant(File f, int row, std::string_view rule, std::string_view code, std::string_view field) {
    marks.push_back({f, row, std::string(rule), std::string(code), std::string(field)});
  }
};

// Dates as days since 1970-01-01 (Hinnant's civil algorithms) and as YYYY-MM-DD text.
int64_t DaysFromYmd(int32_t yyyymmdd);
std::string DateText(int64_t days);
int32_t YearOf(int64_t days);

// ISO 7064 MOD 97-10 check digits ("02".."98") of an 18-character LEI base [ISO 17442].
std::string LeiCheckDigits(std::string_view base18);

// What a clean unit looks like. Defective units use a fixed, plain shape chosen by their defect kind.
enum class Shape { kIndividual, kJoint, kCustodial, kRetirement, kTrust, kEntity, kDisregarded, kForeignNp,
                   kForeignLe, kDvp, kEmployeeAuth, kRelationship, kFirm };
enum class AddrStyle { kUs, kMilitary, kCanada, kForeign };

struct UnitSpec {
  Shape shape = Shape::kIndividual;
  std::string end_reason;         // "" open; ENDED, INACTIVE, TRANSFER
  bool replaced = false;          // an old FDID ended REPLACED by a new one (two FDIDs)
  bool transfer_in = false;       // prior_cat_reporter_crd/fdid
  int ltid = 0;                   // 0 none, 1 LTID, 2 ULTID
  int account_addresses = 1;      // 1..4
  int customer_addresses = 1;     // 1..2
  AddrStyle style = AddrStyle::kUs;
  bool correspondent = false;
  int auth3rd = 0;                // 0 none, 1 AUTH3RD with discretion, 2 without (needs a TRDHOLDER)
  bool rr = true;                 // registered_rep_crd
};

// The generator state shared by all units of one run.
class Generator {
 public:
  explicit Generator(const Options& options);
  // A random realistic shape for a clean unit.
  UnitSpec RandomSpec();
  // Fills `u` with a clean unit of the given shape.
  void Build(const UnitSpec& spec, Unit* u);

  // Building blocks, also used by defects.cc. Each returns the row index in its file.
  std::string NextFdid();
  std::string NextCustomerId();
  std::string NextSsn();
  std::string NextEin();
  std::string NextLei();
  std::string NextPassport();
  int AddAccount(Unit* u, const std::string& fdid, std::string_view types, std::string name, int64_t open_day);
  int AddNp(Unit* u, AddrStyle style, int addresses, bool minor = false);  // with an SSN (a passport if foreign)
  int AddLe(Unit* u, AddrStyle style, int addresses, bool foreign);       // with an EIN and LEI (LEI if foreign)
  int AddRole(Unit* u, const std::string& fdid, const std::string& customer_id, std::string_view role,
              std::string_view discretion, int64_t start_day);
  int AddAddress(Unit* u, std::string_view owner_type, const std::string& owner_id, int n, AddrStyle style);
  int AddLtid(Unit* u, const std::string& fdid, int kind, int64_t after_day);
  int64_t OpenDay();                          // a plausible account open date, well before as_of
  int64_t as_of_day() const { return as_of_day_; }
  Rng& rng() { return rng_; }
  std::string RandomFirst();
  std::string RandomLast();

 private:
  void EndUnitAccount(Unit* u, int account_row, std::string_view reason, int64_t end_day);

  Options options_;
  Rng rng_;
  int64_t as_of_day_;
  uint64_t fdid_seq_ = 0, customer_seq_ = 0, ssn_seq_ = 0, ein_seq_ = 0, lei_seq_ = 0, passport_seq_ = 0;
  uint64_t ssn_offset_, ein_offset_;
  bool firm_written_ = false;
};

// Defects: the table of kinds (rules.md §2–§6, §8 rules with a B run column) and the planting.
int DefectKindCount();
// Builds unit number `n` of the defect table (n modulo the table size) into `u`, with marks for the findings.
void BuildDefect(Generator* g, int64_t n, Unit* u);
// The rules that are not planted, with the reason, as a JSON array body (objects, comma-separated).
std::string_view NotPlantedJson();

}  // namespace caisson::gen::internal
