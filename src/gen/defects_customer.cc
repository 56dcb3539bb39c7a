// Planted defects, second half: customer records (rules.md §4), addresses (§5), TID records (§6) and books
// input (§8), plus the list of rules that are not planted and why.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "gen/defect_util.h"

namespace caisson::gen::internal {
namespace {

constexpr std::string_view kNull = "";

// Makes customer 0 of a plain unit foreign: a passport from `country` ("" = none), FOREIGN, a GB address.
void MakeForeignNp(Unit& u, std::string_view country) {
  u.At(kCustomers, 0)[kCustomerTypes] = "FOREIGN";
  Row& id = u.At(kIdentifiers, 0);
  id[kIdType] = "PASSPORT";
  id[kIdValue] = "X7" + id[kIdValue].substr(0, 3) + id[kIdValue].substr(4, 2) + id[kIdValue].substr(7, 4);
  id[kIdCountry] = country;
}

// Turns an address row into a foreign (GB) one, where no region or postal format applies.
void MakeForeignAddress(Row& r) {
  r[kCity] = "LONDON";
  r[kRegion].clear();
  r[kPostal] = "EC2V 7HH";
  r[kCountry] = "GB";
}

// Address defects come in pairs: the FDID address (22056, …) and the customer address (22515, …).
using AddressBreak = void (*)(Row&);
template <int kCustomer>
void BreakAddress(Generator& g, Unit& u, AddressBreak fn, std::string_view rule, std::string_view fdid_code,
                  std::string_view customer_code, std::string_view field) {
  Plain(g, u);
  const int row = kCustomer ? CustomerAddress(u) : AccountAddress(u);
  fn(u.At(kAddresses, row));
  u.Plant(kAddresses, row, rule, kCustomer ? customer_code : fdid_code, field);
}

#define ADDRESS_PAIR(rule, fdid_code, customer_code, field, body)                                   \
  {[](Generator& g, Unit& u, int64_t) {                                                             \
     BreakAddress<0>(g, u, [](Row& r) { body; }, rule, fdid_code, customer_code, field);            \
   }},                                                                                              \
  {                                                                                                 \
    [](Generator& g, Unit& u, int64_t) {                                                            \
      BreakAddress<1>(g, u, [](Row& r) { body; }, rule, fdid_code, customer_code, field);           \
    }                                                                                               \
  }

const DefectKind kKinds[] = {
    // ---- §4 customer records ----------------------------------------------------------------------------
    {[](Generator& g, Unit& u, int64_t) {  // a customer no FDID refers to
       Plain(g, u);
       const int c = g.AddNp(&u, AddrStyle::kUs, 1);
       MarkCust(u, c, "customer.orphan", "22523", "");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kCustomers, 0)[kCustomerTypes] = "RETAIL";
       MarkCust(u, 0, "customer.type", "22524", "customer_types");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // an NP-only value on a legal entity
       Plain(g, u, Shape::kEntity);
       u.At(kCustomers, 0)[kCustomerTypes] = "EMPLOYEE";
       MarkCust(u, 0, "customer.type", "22524", "customer_types");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kCustomers, 0)[kFirst].clear();
       MarkCust(u, 0, "customer.np_required", "22507", "first_name");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kCustomers, 0)[kLast].clear();
       MarkCust(u, 0, "customer.np_required", "22508", "last_name");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kCustomers, 0)[kBirthDate].clear();
       MarkCust(u, 0, "customer.np_required", "22510", "year_of_birth");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // a natural person without any identifier
       Plain(g, u);
       u.Remove(kIdentifiers, 0);
       MarkCust(u, 0, "customer.np_required", "22526", "tidValue");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kCustomers, 0)[kFirst] = "UNPARSED";
       MarkCust(u, 0, "customer.unparsed", "22507", "first_name");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kCustomers, 0)[kSuffix] = "JR";
       MarkCust(u, 0, "customer.name_format", "22509", "name_suffix");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u, Shape::kTrust);
       u.At(kCustomers, 0)[kDba] = Long("TRUST", 205);
       u.At(kAccounts, 0)[kAccountName] = u.At(kCustomers, 0)[kLast] + " FAMILY TRUST";
       MarkCust(u, 0, "customer.name_format", "22532", "doing_business_as");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // over every length of middleName (also a rollout warning)
       Plain(g, u);
       u.At(kCustomers, 0)[kMiddle] = Long("MIDDLE", 205);
       MarkCust(u, 0, "customer.name_format", "22540", "middle_name");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u, Shape::kTrust);
       u.At(kCustomers, 0)[kDba].clear();
       u.At(kAccounts, 0)[kAccountName] = u.At(kCustomers, 0)[kLast] + " FAMILY TRUST";
       MarkCust(u, 0, "customer.dba", kNull, "doing_business_as");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u, Shape::kEntity);
       u.At(kCustomers, 0)[kLegalName].clear();
       MarkCust(u, 0, "customer.le_required", "22530", "legal_name");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // a foreign legal entity with no identifier at all
       Plain(g, u, Shape::kForeignLe);
       u.Remove(kIdentifiers, 0);
       u.At(kCustomers, 0)[kLei].clear();
       MarkCust(u, 0, "customer.le_required", "22526", "tidValue");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.Remove(kAddresses, CustomerAddress(u));
       MarkCust(u, 0, "customer.address", "22514", "addressList");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       Row copy = u.At(kAddresses, CustomerAddress(u));
       copy[kAddrType] = "ADDRESS3";
       u.Add(kAddresses) = copy;
       u.Plant(kAddresses, u.Count(kAddresses) - 1, "customer.address", "22527", "addr_type");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       Row copy = u.At(kAddresses, CustomerAddress(u));
       copy[kAddrType] = "HOME";
       u.Add(kAddresses) = copy;
       u.Plant(kAddresses, u.Count(kAddresses) - 1, "customer.address", "22516", "addr_type");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // an LEI whose ISO 7064 check digits are wrong
       Plain(g, u, Shape::kEntity);
       std::string lei = g.NextLei();
       const int check = std::stoi(lei.substr(18));
       lei.replace(18, 2, fmt::format("{:02d}", check == 98 ? 97 : check + 1));
       u.At(kCustomers, 0)[kLei] = lei;
       MarkCust(u, 0, "customer.lei_format", "22531", "lei");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // an LEI as a natural person's only identifier
       Plain(g, u);
       u.At(kCustomers, 0)[kCustomerTypes] = "FOREIGN";
       Row& id = u.At(kIdentifiers, 0);
       id[kIdType] = "LEI";
       id[kIdValue] = g.NextLei();
       u.Plant(kIdentifiers, 0, "customer.tid_kind", "22534", "id_type");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // a passport as a legal entity's only identifier
       Plain(g, u, Shape::kForeignLe);
       u.At(kCustomers, 0)[kLei].clear();
       Row& id = u.At(kIdentifiers, 0);
       id[kIdType] = "PASSPORT";
       id[kIdValue] = g.NextPassport();
       id[kIdCountry] = "DE";
       u.Plant(kIdentifiers, 0, "customer.tid_kind", "22535", "id_type");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // a trust known by an SSN entered as a legal entity
       Plain(g, u, Shape::kEntity);
       u.At(kCustomers, 0)[kLei].clear();
       u.At(kCustomers, 0)[kCustomerTypes] = "TRUST";
       Row& id = u.At(kIdentifiers, 0);
       id[kIdType] = "SSN";
       id[kIdValue] = g.NextSsn();
       u.Plant(kIdentifiers, 0, "customer.tid_kind", "22541", "id_type");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // a sole proprietor reported with the business's EIN
       Plain(g, u);
       Row& id = u.At(kIdentifiers, 0);
       id[kIdType] = "EIN";
       id[kIdValue] = g.NextEin();
       u.Plant(kIdentifiers, 0, "customer.tid_kind", "22542", "id_type");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // group 00 is never valid [§3.4]
       Plain(g, u);
       Row& id = u.At(kIdentifiers, 0);
       id[kIdValue].replace(4, 2, "00");
       u.Plant(kIdentifiers, 0, "customer.tid_format", "22900", "id_value");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // one SSN on two FDIDs' customers with different birth years
       Plain(g, u);
       Unit second;
       Plain(g, second);
       const int c = u.Count(kCustomers);
       for (int f = 0; f < kFileCount; ++f) {
         for (int i = 0; i < second.Count(static_cast<File>(f)); ++i) u.Add(static_cast<File>(f)) = second.At(static_cast<File>(f), i);
       }
       u.fdids += second.fdids;
       u.At(kIdentifiers, 1)[kIdValue] = u.At(kIdentifiers, 0)[kIdValue];
       const int64_t birth = DayOf(u.At(kCustomers, 0)[kBirthDate]);
       u.At(kCustomers, c)[kBirthDate] = DateText(birth - 800);
       MarkCust(u, 0, "customer.versions_consistent", "22533", "year_of_birth");
       MarkCust(u, c, "customer.versions_consistent", "22533", "year_of_birth");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kCustomers, 0)[kCustomerTypes] = "FOREIGN";
       MarkCust(u, 0, "customer.foreign_type", kNull, "customer_types");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // two current passports, none marked primary [FAQ Q57]
       Plain(g, u);
       MakeForeignNp(u, "GB");
       Row copy = u.At(kIdentifiers, 0);
       copy[kIdValue] = g.NextPassport();
       u.Add(kIdentifiers) = copy;
       u.Plant(kIdentifiers, 0, "customer.tid_hierarchy", kNull, "is_primary");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // a passport number with a letter outside ASCII
       Plain(g, u);
       MakeForeignNp(u, "FR");
       u.At(kIdentifiers, 0)[kIdValue].insert(3, "\xC3\x89");  // É
       u.Plant(kIdentifiers, 0, "customer.foreign_id_chars", kNull, "id_value");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kCustomers, 0)[kBirthDate] = "1890-05-05";
       MarkCust(u, 0, "customer.year", kNull, "year_of_birth");
     }},
    // ---- §5 addresses ------------------------------------------------------------------------------------
    ADDRESS_PAIR("address.lines", "22056", "22515", "line1", r[kLine1].clear()),
    ADDRESS_PAIR("address.lines", "22035", "22517", "line3", (r[kLine2].clear(), r[kLine3] = "FLOOR 2")),
    ADDRESS_PAIR("address.lengths", "22060", "22528", "line1", r[kLine1] = Long("LONG STREET NAME", 45)),
    ADDRESS_PAIR("address.lengths", "22036", "22518", "city", r[kCity].clear()),
    ADDRESS_PAIR("address.lengths", "22039", "22521", "postal_code", (MakeForeignAddress(r), r[kPostal] = "EC2V,7HH")),
    ADDRESS_PAIR("address.lengths", "22037", "22519", "region",
                 (MakeForeignAddress(r), r[kRegion] = Long("GREATER LONDON", 45))),
    ADDRESS_PAIR("address.country", "22038", "22520", "country", r[kCountry] = "ZZ"),
    ADDRESS_PAIR("address.us_region", "22037", "22519", "region", r[kRegion] = "ZZ"),
    // Not in PR: App E footnote 6 exempts AS, GU, MP, PR, VI and UM from the postal check.
    ADDRESS_PAIR("address.us_region", "22039", "22521", "postal_code",
                 (r[kCity] = "NEW YORK", r[kRegion] = "NY", r[kPostal] = "1234")),
    // ---- §6 TID records ----------------------------------------------------------------------------------
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       MakeForeignNp(u, "US");
       u.Plant(kIdentifiers, 0, "tid.type", "22900", "country");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       MakeForeignNp(u, "");
       u.Plant(kIdentifiers, 0, "tid.type", "22900", "country");
     }},
    // ---- §8 books input ----------------------------------------------------------------------------------
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kAccounts, 0)[kProprietary] = "MAYBE";
       MarkAcc(u, "input.value", kNull, "proprietary");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // an address for an FDID that accounts.csv does not have
       Plain(g, u);
       Row copy = u.At(kAddresses, AccountAddress(u));
       copy[kOwnerId] = "FDX" + copy[kOwnerId].substr(2);
       u.Add(kAddresses) = copy;
       u.Plant(kAddresses, u.Count(kAddresses) - 1, "input.reference", kNull, "owner_id");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // the same identifier row twice
       Plain(g, u);
       Row copy = u.At(kIdentifiers, 0);
       u.Add(kIdentifiers) = copy;
       u.Plant(kIdentifiers, 1, "input.duplicate", kNull, "id_value");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       Row& c = u.At(kCustomers, 0);
       c[kYearOfBirth] = fmt::format("{}", std::stoi(c[kBirthDate].substr(0, 4)) + 1);
       MarkCust(u, 0, "input.conflict", kNull, "year_of_birth");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // an NP-only column on a legal entity (a warning)
       Plain(g, u, Shape::kEntity);
       u.At(kCustomers, 0)[kDba] = "ACME TRADING";
       MarkCust(u, 0, "input.column", kNull, "doing_business_as");
     }},
};

#undef ADDRESS_PAIR

}  // namespace

const DefectKind* CustomerDefects() { return kKinds; }
int CustomerDefectCount() { return static_cast<int>(std::size(kKinds)); }

std::string_view NotPlantedJson() {
  return R"JSON(
    {"rule": "fdid.customers", "cais_code": "22068", "reason": "an open FDID whose every association is ended also has no active trading customer (fdid.trading_customer 22071); 22040 is planted instead"},
    {"rule": "fdid.customer_rejected", "cais_code": "22048", "reason": "a cascade of a rejected customer, never a defect of its own"},
    {"rule": "customer.version_rejected", "cais_code": "22529", "reason": "a cascade of another rejected version, never a defect of its own"},
    {"rule": "hold.cascade", "cais_code": null, "reason": "a cascade of a policy hold, never a defect of its own"},
    {"rule": "customer.name_length_rollout", "cais_code": null, "reason": "under the profile's current lengths a firstName over 40 or middleName over 20 characters is also a 22507/22540 reject"},
    {"rule": "customer.ein", "cais_code": "22504", "reason": "Caisson computes ein and tidValue from the one EIN identifier: books cannot make them disagree"},
    {"rule": "customer.lei_status", "cais_code": null, "reason": "needs a GLEIF snapshot (--gleif)"},
    {"rule": "customer.mi_predict", "cais_code": "30002", "reason": "needs the state store (accepted versions)"},
    {"rule": "customer.giin", "cais_code": null, "reason": "a customer whose only identifier is a GIIN also has no TID (customer.np_required/le_required 22526)"},
    {"rule": "customer.foreign_trust_no_id", "cais_code": null, "reason": "a foreign trust without identifier is not emitted, which also affects its FDID; not isolated"},
    {"rule": "tid.replacement", "cais_code": "22914", "reason": "TID replacement needs the state store; a stateless build uses current identifiers only"})JSON";
}

}  // namespace caisson::gen::internal
