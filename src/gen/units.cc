// Clean synthetic books: the account shapes of books-and-records.md, each unit one or two FDIDs with their
// customers, identifiers, roles, addresses and large-trader IDs. Every identifier is synthetic (see
// docs/gen.md): SSNs in area 900–999, EINs with prefix 00, LEIs under the made-up prefix CSSN.
#include <array>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "gen/internal.h"

namespace caisson::gen::internal {
namespace {

constexpr std::array<std::string_view, 24> kFirstNames = {
    "JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH",
    "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS", "SARAH", "CHARLES", "KAREN",
    "AIKO", "LUCA", "SOFIA", "MATEO"};
constexpr std::array<std::string_view, 20> kLastNames = {
    "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ",
    "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN"};
constexpr std::array<std::string_view, 8> kMiddleNames = {"A", "B", "LEE", "MARIE", "J", "ANN", "RAY", "K"};
constexpr std::array<std::string_view, 12> kCompanyWord = {
    "ACME", "SUMMIT", "HARBOR", "NORTHWIND", "BLUE RIVER", "GRANITE", "MAPLE", "ORION", "PINNACLE", "CEDAR",
    "LIBERTY", "BEACON"};
constexpr std::array<std::string_view, 6> kCompanyKind = {"HOLDINGS LLC", "CAPITAL LP", "PARTNERS LLC",
                                                         "INVESTMENTS INC", "ASSET MANAGEMENT LLC", "FUND LP"};
constexpr std::array<std::string_view, 10> kStreet = {"MAIN ST", "OAK AVE", "PARK AVE", "ELM ST", "BROADWAY",
                                                      "CEDAR LN", "LAKE DR", "HILL RD", "MARKET ST", "FIRST AVE"};
struct City {
  std::string_view city, region, zip_prefix;
};
constexpr std::array<City, 10> kUsCity = {{{"NEW YORK", "NY", "100"}, {"JERSEY CITY", "NJ", "073"},
                                           {"BOSTON", "MA", "021"}, {"CHICAGO", "IL", "606"},
                                           {"DALLAS", "TX", "752"}, {"DENVER", "CO", "802"},
                                           {"SEATTLE", "WA", "981"}, {"MIAMI", "FL", "331"},
                                           {"ATLANTA", "GA", "303"}, {"SAN JUAN", "PR", "009"}}};
struct Foreign {
  std::string_view city, country, postal;
};
constexpr std::array<Foreign, 6> kForeignCity = {{{"LONDON", "GB", "EC2V 7HH"}, {"FRANKFURT", "DE", "60311"},
                                                  {"PARIS", "FR", "75008"}, {"TOKYO", "JP", "100-0005"},
                                                  {"ZURICH", "CH", "8001"}, {"SINGAPORE", "SG", "048583"}}};
constexpr std::array<std::string_view, 6> kCanadaCity = {"TORONTO", "OTTAWA", "HAMILTON", "LONDON", "KINGSTON",
                                                         "WINDSOR"};
constexpr std::array<std::string_view, 4> kOpenTypes = {"OTHER", "MARGIN", "MARGIN;OPTION", "OPTION"};

// Permutes n within [0, m) (a coprime multiplier is a bijection), so sequence numbers look scattered.
uint64_t Scatter(uint64_t n, uint64_t m, uint64_t offset) { return (n * 7919 + offset) % m; }

}  // namespace

Generator::Generator(const Options& options)
    : options_(options), rng_(options.seed), as_of_day_(DaysFromYmd(options.as_of)) {
  ssn_offset_ = rng_.Next() % 98990100;
  ein_offset_ = rng_.Next() % 10000000;
}

Row& Unit::Add(File f) {
  std::vector<Row>& v = rows[f];
  if (count[f] == static_cast<int>(v.size())) v.emplace_back(ColumnCount(f));
  Row& r = v[count[f]++];
  for (std::string& s : r) s.clear();
  return r;
}

void Unit::Remove(File f, int i) {
  std::vector<Row>& v = rows[f];
  for (int k = i; k + 1 < count[f]; ++k) std::swap(v[k], v[k + 1]);
  --count[f];
  for (Mark& m : marks) {
    if (m.file == f && m.row > i) --m.row;
  }
}

std::string Generator::NextFdid() { return fmt::format("FD{:08d}", ++fdid_seq_); }
std::string Generator::NextCustomerId() { return fmt::format("C{:08d}", ++customer_seq_); }

// §3.4 validity: area not 000/666, group not 00, serial not 0000, not one repeated digit, not 123-45-6789.
// Area 900–999 passes those checks and is never issued as an SSN (it is the ITIN range), so these values
// cannot be anyone's SSN. 100 areas x 99 groups x 9,999 serials, walked as a permutation: no repeats.
std::string Generator::NextSsn() {
  for (;;) {
    uint64_t v = Scatter(ssn_seq_++, 98990100, ssn_offset_);
    uint64_t serial = v % 9999 + 1, group = (v / 9999) % 99 + 1, area = 900 + v / (9999 * 99);
    std::string s = fmt::format("{:03d}-{:02d}-{:04d}", area, group, serial);
    if (s != "999-99-9999") return s;
  }
}

// EIN prefix 00 is never assigned by the IRS; CAIS checks only the 99-9999999 form.
std::string Generator::NextEin() {
  uint64_t v = Scatter(ein_seq_++, 10000000, ein_offset_);
  return fmt::format("00-{:07d}", v);
}

std::string Generator::NextLei() {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  uint64_t v = Scatter(lei_seq_++, 4738381338321616896ULL, options_.seed);  // 36^12
  std::string base = "CSSN00";
  std::string entity(12, '0');
  for (int i = 11; i >= 0; --i) {
    entity[i] = kDigits[v % 36];
    v /= 36;
  }
  base += entity;
  return base + LeiCheckDigits(base);
}

std::string Generator::NextPassport() { return fmt::format("X{:08d}", Scatter(passport_seq_++, 100000000, 17)); }

std::string Generator::RandomFirst() { return std::string(rng_.Pick(kFirstNames)); }
std::string Generator::RandomLast() { return std::string(rng_.Pick(kLastNames)); }

int64_t Generator::OpenDay() { return as_of_day_ - rng_.Range(400, 9000); }

int Generator::AddAccount(Unit* u, const std::string& fdid, std::string_view types, std::string name,
                          int64_t open_day) {
  Row& r = u->Add(kAccounts);
  r[kFdid] = fdid;
  r[kFdidType] = "ACCOUNT";
  r[kAccountTypes] = types;
  r[kAccountName] = std::move(name);
  r[kAccountNumber] = fmt::format("ACCT{:08d}", rng_.Below(100000000));
  r[kFdidDate] = DateText(open_day);
  if (rng_.Chance(60)) r[kBranch] = fmt::format("{}", 100000 + rng_.Below(900000));
  if (rng_.Chance(80)) {
    r[kRrCrd] = fmt::format("{}", 1000000 + rng_.Below(9000000));
    if (rng_.Chance(20)) r[kRrCrd] += fmt::format(";{}", 1000000 + rng_.Below(9000000));
  }
  if (rng_.Chance(30)) r[kClearing] = fmt::format("{:04d}", rng_.Below(10000));
  ++u->fdids;
  return u->Count(kAccounts) - 1;
}

int Generator::AddAddress(Unit* u, std::string_view owner_type, const std::string& owner_id, int n,
                          AddrStyle style) {
  Row& r = u->Add(kAddresses);
  r[kOwnerType] = owner_type;
  r[kOwnerId] = owner_id;
  r[kAddrType] = fmt::format("ADDRESS{}", n);
  switch (style) {
    case AddrStyle::kUs: {
      const City& c = rng_.Pick(kUsCity);
      r[kLine1] = fmt::format("{} {}", 1 + rng_.Below(9999), rng_.Pick(kStreet));
      if (rng_.Chance(30)) r[kLine2] = fmt::format("APT {}", 1 + rng_.Below(40));
      r[kCity] = c.city;
      r[kRegion] = c.region;
      r[kPostal] = fmt::format("{}{:02d}", c.zip_prefix, rng_.Below(100));
      if (rng_.Chance(20)) r[kPostal] += fmt::format("-{:04d}", rng_.Below(10000));
      r[kCountry] = "US";
      break;
    }
    case AddrStyle::kMilitary:  // APO in the Armed Forces Europe "state" AE [§5.1.3.1 R36]
      r[kLine1] = fmt::format("UNIT {} BOX {}", 2000 + rng_.Below(8000), 1 + rng_.Below(9000));
      r[kCity] = "APO";
      r[kRegion] = "AE";
      r[kPostal] = fmt::format("09{:03d}", rng_.Below(1000));
      r[kCountry] = "US";
      break;
    case AddrStyle::kCanada: {
      static constexpr char kL[] = "ABCEGHJKLMNPRSTVXY";
      r[kLine1] = fmt::format("{} {}", 1 + rng_.Below(999), rng_.Pick(kStreet));
      r[kCity] = rng_.Pick(kCanadaCity);
      r[kRegion] = "ON";
      r[kPostal] = fmt::format("{}{}{} {}{}{}", kL[rng_.Below(18)], rng_.Below(10), kL[rng_.Below(18)],
                               rng_.Below(10), kL[rng_.Below(18)], rng_.Below(10));
      r[kCountry] = "CA";
      break;
    }
    case AddrStyle::kForeign: {
      const Foreign& f = rng_.Pick(kForeignCity);
      r[kLine1] = fmt::format("{} {}", 1 + rng_.Below(200), rng_.Pick(kStreet));
      r[kCity] = f.city;
      r[kPostal] = f.postal;
      r[kCountry] = f.country;
      break;
    }
  }
  return u->Count(kAddresses) - 1;
}

int Generator::AddNp(Unit* u, AddrStyle style, int addresses, bool minor) {
  const std::string id = NextCustomerId();
  const bool foreign = style == AddrStyle::kForeign;
  Row& r = u->Add(kCustomers);
  r[kCustomerId] = id;
  r[kKind] = "NATURAL_PERSON";
  r[kCustomerTypes] = foreign ? "FOREIGN" : (rng_.Chance(15) ? "ACCREDITED" : "NOTAPPLICABLE");
  r[kFirst] = RandomFirst();
  if (rng_.Chance(40)) r[kMiddle] = rng_.Pick(kMiddleNames);
  r[kLast] = RandomLast();
  if (rng_.Chance(4)) r[kSuffix] = "JUNIOR";
  int64_t age_days = minor ? rng_.Range(365, 17 * 365) : rng_.Range(19 * 365, 90 * 365);
  r[kBirthDate] = DateText(as_of_day_ - age_days);
  const int row = u->Count(kCustomers) - 1;
  Row& i = u->Add(kIdentifiers);
  i[kIdCustomer] = id;
  if (foreign) {
    i[kIdType] = "PASSPORT";
    i[kIdValue] = NextPassport();
    i[kIdCountry] = rng_.Pick(kForeignCity).country;
  } else {
    i[kIdType] = "SSN";
    i[kIdValue] = NextSsn();
  }
  for (int n = 1; n <= addresses; ++n) {
    AddAddress(u, "CUSTOMER", id, n, n == 1 ? style : AddrStyle::kUs);
  }
  return row;
}

int Generator::AddLe(Unit* u, AddrStyle style, int addresses, bool foreign) {
  const std::string id = NextCustomerId();
  Row& r = u->Add(kCustomers);
  r[kCustomerId] = id;
  r[kKind] = "LEGAL_ENTITY";
  static constexpr std::array<std::string_view, 4> kLeTypes = {"NOTAPPLICABLE", "ACCREDITED", "RIC", "ADVISER"};
  r[kCustomerTypes] = foreign ? "FOREIGN" : rng_.Pick(kLeTypes);
  r[kLegalName] = fmt::format("{} {}", rng_.Pick(kCompanyWord), rng_.Pick(kCompanyKind));
  const int row = u->Count(kCustomers) - 1;
  std::string lei = NextLei();
  if (!foreign) {
    Row& i = u->Add(kIdentifiers);
    i[kIdCustomer] = id;
    i[kIdType] = "EIN";
    i[kIdValue] = NextEin();
    if (rng_.Chance(50)) u->At(kCustomers, row)[kLei] = lei;
  } else {
    Row& i = u->Add(kIdentifiers);  // an LEI is the input identifier; lei is then required in plaintext
    i[kIdCustomer] = id;
    i[kIdType] = "LEI";
    i[kIdValue] = lei;
    u->At(kCustomers, row)[kLei] = lei;
  }
  for (int n = 1; n <= addresses; ++n) AddAddress(u, "CUSTOMER", id, n, n == 1 ? style : AddrStyle::kUs);
  return row;
}

int Generator::AddRole(Unit* u, const std::string& fdid, const std::string& customer_id, std::string_view role,
                       std::string_view discretion, int64_t start_day) {
  Row& r = u->Add(kRoles);
  r[kRoleFdid] = fdid;
  r[kRoleCustomer] = customer_id;
  r[kRole] = role;
  r[kDiscretion] = discretion;
  r[kRoleStart] = DateText(start_day);
  return u->Count(kRoles) - 1;
}

int Generator::AddLtid(Unit* u, const std::string& fdid, int kind, int64_t after_day) {
  static constexpr char kAlnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  Row& r = u->Add(kLargeTraders);
  r[kLtFdid] = fdid;
  if (kind == 1) {
    r[kLtId] = fmt::format("{:08d}-{:04d}", rng_.Below(100000000), rng_.Below(10000));
  } else {
    std::string v = "ULT";
    for (int k = 0; k < 5; ++k) v += kAlnum[rng_.Below(36)];
    v += '-';
    for (int k = 0; k < 4; ++k) v += kAlnum[rng_.Below(36)];
    r[kLtId] = v;
  }
  r[kLtEffective] = DateText(after_day + rng_.Range(0, (as_of_day_ - after_day) / 2));
  return u->Count(kLargeTraders) - 1;
}

// Ends an account and every role on it with the same date and reason (roles of an ended account end with it).
void Generator::EndUnitAccount(Unit* u, int account_row, std::string_view reason, int64_t end_day) {
  Row& a = u->At(kAccounts, account_row);
  a[kFdidEndDate] = DateText(end_day);
  a[kFdidEndReason] = reason;
  for (int i = 0; i < u->Count(kRoles); ++i) {
    Row& r = u->At(kRoles, i);
    if (r[kRoleFdid] != a[kFdid]) continue;
    r[kRoleEnd] = a[kFdidEndDate];
    r[kRoleEndReason] = reason;
  }
}

UnitSpec Generator::RandomSpec() {
  UnitSpec s;
  static constexpr std::array<Shape, 20> kShapes = {
      Shape::kIndividual, Shape::kIndividual, Shape::kIndividual, Shape::kJoint,      Shape::kJoint,
      Shape::kJoint,      Shape::kJoint,      Shape::kJoint,      Shape::kCustodial,  Shape::kRetirement,
      Shape::kRetirement, Shape::kTrust,      Shape::kEntity,     Shape::kEntity,     Shape::kDisregarded,
      Shape::kForeignNp,  Shape::kForeignLe,  Shape::kDvp,        Shape::kEmployeeAuth, Shape::kRelationship};
  s.shape = rng_.Below(200) == 0 ? Shape::kFirm : rng_.Pick(kShapes);
  int r = static_cast<int>(rng_.Below(100));
  if (r < 6) {
    s.end_reason = "ENDED";
  } else if (r < 9) {
    s.end_reason = "INACTIVE";
  } else if (r < 10) {
    s.end_reason = "TRANSFER";
  } else if (r < 14) {
    s.replaced = true;
  }
  s.transfer_in = rng_.Chance(3);
  if (s.end_reason.empty() && rng_.Chance(5)) s.ltid = rng_.Chance(80) ? 1 : 2;
  s.account_addresses = rng_.Chance(85) ? 1 : static_cast<int>(rng_.Range(2, 4));
  s.customer_addresses = rng_.Chance(90) ? 1 : 2;
  int st = static_cast<int>(rng_.Below(100));
  s.style = st < 2 ? AddrStyle::kMilitary : st < 5 ? AddrStyle::kCanada : AddrStyle::kUs;
  s.correspondent = rng_.Chance(10);
  if (rng_.Chance(20)) s.auth3rd = rng_.Chance(50) ? 1 : 2;
  return s;
}

void Generator::Build(const UnitSpec& spec, Unit* u) {
  const std::string fdid = NextFdid();
  const int64_t open = OpenDay();
  AddrStyle style = spec.style;
  std::vector<std::pair<int, std::string>> holders;  // customer row, role
  std::string types, name;
  auto np = [&](AddrStyle st, bool minor = false) { return AddNp(u, st, spec.customer_addresses, minor); };
  auto cust = [&](int row) -> Row& { return u->At(kCustomers, row); };
  auto full = [&](int row) { return cust(row)[kFirst] + " " + cust(row)[kLast]; };
  switch (spec.shape) {
    case Shape::kIndividual:
    case Shape::kRetirement: {
      int c = np(style);
      holders.push_back({c, "TRDHOLDER"});
      types = spec.shape == Shape::kRetirement ? "RETIREMENT" : std::string(rng_.Pick(kOpenTypes));
      name = full(c) + (spec.shape == Shape::kRetirement ? " IRA" : " INDIVIDUAL");
      break;
    }
    case Shape::kJoint: {
      int a = np(style), b = np(style);
      holders.push_back({a, "TRDHOLDER"});
      holders.push_back({b, "TRDHOLDER"});
      types = rng_.Pick(kOpenTypes);
      name = full(a) + " AND " + cust(b)[kFirst] + " JTWROS";
      break;
    }
    case Shape::kCustodial: {  // UGMA/UTMA: the minor holds but may not trade; the custodian trades
      int minor = np(style, true), custodian = np(style);
      holders.push_back({custodian, "TRDHOLDER"});
      holders.push_back({minor, "NTHOLDER"});
      types = "UGMA/UTMA";
      name = full(custodian) + " CUST FOR " + cust(minor)[kFirst] + " UTMA";
      break;
    }
    case Shape::kTrust: {  // a trust known by an SSN is a natural person with its name in doing_business_as
      int t = np(AddrStyle::kUs);
      cust(t)[kCustomerTypes] = "TRUST";
      cust(t)[kDba] = cust(t)[kLast] + " FAMILY REVOCABLE TRUST";
      holders.push_back({t, "TRDHOLDER"});
      types = "OTHER";
      name = cust(t)[kDba];
      break;
    }
    case Shape::kEntity:
    case Shape::kDisregarded:
    case Shape::kDvp: {
      int e = AddLe(u, AddrStyle::kUs, spec.customer_addresses, false);
      holders.push_back({e, "TRDHOLDER"});
      types = spec.shape == Shape::kDvp ? "INSTITUTION;DVP/RVP" : "INSTITUTION";
      name = cust(e)[kLegalName];
      style = AddrStyle::kUs;
      break;
    }
    case Shape::kForeignNp: {
      int c = np(AddrStyle::kForeign);
      holders.push_back({c, "TRDHOLDER"});
      types = "OTHER";
      name = full(c) + " INDIVIDUAL";
      style = AddrStyle::kForeign;
      break;
    }
    case Shape::kForeignLe: {
      int e = AddLe(u, AddrStyle::kForeign, 1, true);
      holders.push_back({e, "TRDHOLDER"});
      types = "INSTITUTION";
      name = cust(e)[kLegalName];
      style = AddrStyle::kForeign;
      break;
    }
    case Shape::kEmployeeAuth: {  // an employee of the firm trading for the client: AUTHREP [Table 8 role]
      int c = np(style), emp = np(AddrStyle::kUs);
      cust(emp)[kCustomerTypes] = "EMPLOYEE";
      cust(emp)[kAffiliation] = "FIRM";
      holders.push_back({c, "TRDHOLDER"});
      holders.push_back({emp, rng_.Chance(50) ? "AUTHREP:Y" : "AUTHREP:N"});
      types = "MARGIN";
      name = full(c) + " MANAGED";
      break;
    }
    case Shape::kRelationship: {  // RELATIONSHIP: every role TRDHOLDER [§5.1.3.1 R6]
      int a = np(style), b = np(style);
      holders.push_back({a, "TRDHOLDER"});
      holders.push_back({b, "TRDHOLDER"});
      types = "RELATIONSHIP";
      name = cust(a)[kLast] + " HOUSEHOLD RELATIONSHIP";
      break;
    }
    case Shape::kFirm: {  // a proprietary account held by the firm itself (one shared customer)
      if (!firm_written_) {
        Row& r = u->Add(kCustomers);
        r[kCustomerId] = "C-FIRM";
        r[kKind] = "LEGAL_ENTITY";
        r[kCustomerTypes] = "BD";
        r[kLegalName] = "CAISSON DEMO SECURITIES LLC";
        r[kAffiliation] = "FIRM";
        Row& i = u->Add(kIdentifiers);
        i[kIdCustomer] = "C-FIRM";
        i[kIdType] = "EIN";
        i[kIdValue] = NextEin();
        AddAddress(u, "CUSTOMER", "C-FIRM", 1, AddrStyle::kUs);
        firm_written_ = true;
        holders.push_back({u->Count(kCustomers) - 1, "TRDHOLDER"});
      } else {
        holders.push_back({-1, "TRDHOLDER"});
      }
      types = "FIRM";
      name = "FIRM PROPRIETARY TRADING";
      style = AddrStyle::kUs;
      break;
    }
  }
  const int acct = AddAccount(u, fdid, types, name, open);
  {
    Row& a = u->At(kAccounts, acct);
    if (spec.shape == Shape::kRelationship) a[kFdidType] = "RELATIONSHIP";
    if (spec.shape == Shape::kFirm) a[kProprietary] = "Y";
    if (spec.shape == Shape::kDvp) {
      static constexpr std::array<std::string_view, 4> kDvpIds = {"00902", "DTCRM", "FOR", "0352"};
      a[kDvp] = rng_.Pick(kDvpIds);
      if (rng_.Chance(30)) a[kDvp] += ";00417";
      a[kClearing] = fmt::format("{:04d}", rng_.Below(10000));
    }
    if (spec.correspondent && spec.shape != Shape::kFirm) {
      a[kCorrespondent] = rng_.Chance(50) ? "990101" : "990202";
      a[kBranch].clear();
    }
    if (spec.transfer_in) {
      a[kPriorCrd] = fmt::format("{}", 100000 + rng_.Below(900000));
      a[kPriorFdid] = fmt::format("XF-{:07d}", rng_.Below(10000000));
    }
    if (!spec.rr) a[kRrCrd].clear();
  }
  // Roles: the holders from the open date; an added authorized third party somewhat later.
  std::vector<std::string> ids;
  for (auto& [row, role] : holders) {
    std::string id = row < 0 ? "C-FIRM" : u->At(kCustomers, row)[kCustomerId];
    std::string_view rv = role, disc;
    if (size_t colon = role.find(':'); colon != std::string::npos) {
      rv = std::string_view(role).substr(0, colon);
      disc = std::string_view(role).substr(colon + 1);
    }
    AddRole(u, fdid, id, rv, disc, open);
    ids.push_back(id);
  }
  if (spec.auth3rd != 0 && spec.shape != Shape::kRelationship) {
    int t = AddNp(u, AddrStyle::kUs, 1);
    AddRole(u, fdid, u->At(kCustomers, t)[kCustomerId], "AUTH3RD", spec.auth3rd == 1 ? "Y" : "N",
            open + rng_.Range(1, 199));  // before any end date (>= open + 200)
  }
  // The mailing address first (often the first holder's), then other account addresses.
  for (int n = 1; n <= spec.account_addresses; ++n) {
    AddAddress(u, "ACCOUNT", fdid, n, n == 1 ? style : AddrStyle::kUs);
  }
  if (spec.ltid != 0) AddLtid(u, fdid, spec.ltid, open);

  const int64_t span = as_of_day_ - open;
  if (!spec.end_reason.empty()) {
    int64_t end = open + 250 + rng_.Below(static_cast<uint64_t>(span - 260));
    if (spec.end_reason == "INACTIVE") {  // at least six months without activity before the end [§3.8]
      u->At(kAccounts, acct)[kLastActivity] = DateText(end - rng_.Range(200, 240));
    }
    EndUnitAccount(u, acct, spec.end_reason, end);
  } else if (rng_.Chance(70)) {
    u->At(kAccounts, acct)[kLastActivity] = DateText(as_of_day_ - rng_.Range(1, 60));
  }
  if (spec.replaced) {  // the old FDID ends REPLACED on the day the new one opens [§3.1]
    const std::string next = NextFdid();
    const int64_t day = open + 200 + rng_.Below(static_cast<uint64_t>(span - 210));
    Row copy = u->At(kAccounts, acct);
    int a2 = AddAccount(u, next, copy[kAccountTypes], copy[kAccountName], day);
    u->At(kAccounts, a2)[kFdidType] = copy[kFdidType];
    u->At(kAccounts, a2)[kCorrespondent] = copy[kCorrespondent];
    u->At(kAccounts, a2)[kProprietary] = copy[kProprietary];
    u->At(kAccounts, a2)[kDvp] = copy[kDvp];
    u->At(kAccounts, a2)[kClearing] = copy[kClearing];
    if (!copy[kCorrespondent].empty()) u->At(kAccounts, a2)[kBranch].clear();
    const int roles = u->Count(kRoles);
    for (int i = 0; i < roles; ++i) {
      Row r = u->At(kRoles, i);
      AddRole(u, next, r[kRoleCustomer], r[kRole], r[kDiscretion], day);
    }
    const int addrs = u->Count(kAddresses);
    for (int i = 0; i < addrs; ++i) {
      if (u->At(kAddresses, i)[kOwnerType] != "ACCOUNT") continue;
      Row r = u->At(kAddresses, i);
      r[kOwnerId] = next;
      u->Add(kAddresses) = r;
    }
    EndUnitAccount(u, acct, "REPLACED", day);
    u->At(kAccounts, acct)[kReplacedBy] = next;
  }
  if (spec.shape == Shape::kDisregarded) {
    // A disregarded entity reported with its parent's EIN: same TID, so on a different FDID (22042) [FAQ Q69].
    const std::string parent_ein = u->At(kIdentifiers, 0)[kIdValue];
    int de = AddLe(u, AddrStyle::kUs, 1, false);
    Row& c = u->At(kCustomers, de);
    c[kLegalName] = u->At(kCustomers, 0)[kLegalName] + " SUB LLC";
    c[kLei].clear();
    u->At(kIdentifiers, u->Count(kIdentifiers) - 1)[kIdValue] = parent_ein;
    const std::string f2 = NextFdid();
    const int64_t open2 = OpenDay();
    AddAccount(u, f2, "INSTITUTION", c[kLegalName], open2);
    AddRole(u, f2, c[kCustomerId], "TRDHOLDER", "", open2);
    AddAddress(u, "ACCOUNT", f2, 1, AddrStyle::kUs);
  }
}

}  // namespace caisson::gen::internal
