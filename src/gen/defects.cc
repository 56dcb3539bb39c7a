// Planted defects: one kind per condition of rules.md §2–§6 and §8 (B run column) that can be broken on its
// own. Each kind builds a plain unit (no optional extras, so nothing else can fail), breaks exactly one value
// and marks the row and column where validate reports it. Locations follow cli.md: the CSV column, or the CAIS
// field name where no column fits (fdidCustomerList, addressList, authTraderNamesList, tidValue, ...).
#include <array>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "gen/defect_util.h"

namespace caisson::gen::internal {
namespace {

// Renames FDID 0 in every file that refers to it.
void RenameFdid(Unit& u, const std::string& to) {
  const std::string from = u.At(kAccounts, 0)[kFdid];
  u.At(kAccounts, 0)[kFdid] = to;
  for (int i = 0; i < u.Count(kRoles); ++i) {
    if (u.At(kRoles, i)[kRoleFdid] == from) u.At(kRoles, i)[kRoleFdid] = to;
  }
  for (int i = 0; i < u.Count(kAddresses); ++i) {
    Row& r = u.At(kAddresses, i);
    if (r[kOwnerType] == "ACCOUNT" && r[kOwnerId] == from) r[kOwnerId] = to;
  }
  for (int i = 0; i < u.Count(kLargeTraders); ++i) {
    if (u.At(kLargeTraders, i)[kLtFdid] == from) u.At(kLargeTraders, i)[kLtFdid] = to;
  }
}

// Ends account 0 without touching its roles (they stay open, hence active, whatever the end looks like).
void EndAccount(Generator& g, Unit& u, std::string_view reason, std::string date) {
  Row& a = u.At(kAccounts, 0);
  a[kFdidEndDate] = std::move(date);
  a[kFdidEndReason] = reason;
  a[kLastActivity].clear();
  (void)g;
}
// The second role of a joint account (the first keeps the FDID's trading customer).
int JointSecond(Generator& g, Unit& u) {
  Plain(g, u, Shape::kJoint);
  return 1;
}

constexpr std::string_view kNull = "";

// The table. Keep one entry per (rule, code, way of breaking it).
const DefectKind kKinds[] = {
    // ---- §2 FDID record ---------------------------------------------------------------------------------
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       RenameFdid(u, "FD@" + u.At(kAccounts, 0)[kFdid].substr(2));
       MarkAcc(u, "fdid.format", "22001", "fdid");
     }},
    {[](Generator& g, Unit& u, int64_t cycle) {  // PENDING in a letter case not used before
       Plain(g, u);
       if (cycle >= 128) {
         RenameFdid(u, "FD|" + u.At(kAccounts, 0)[kFdid].substr(2));
         MarkAcc(u, "fdid.format", "22001", "fdid");
         return;
       }
       std::string p = "PENDING";
       for (int b = 0; b < 7; ++b) {
         if (((cycle + 1) >> b) & 1) p[b] = static_cast<char>(p[b] + 32);
       }
       if (cycle == 127) p = "PENDING";
       RenameFdid(u, p);
       MarkAcc(u, "fdid.pending", "22001", "fdid");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       RenameFdid(u, u.At(kAccounts, 0)[kFdid] + " ");
       MarkAcc(u, "fdid.whitespace", kNull, "fdid");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       Row copy = u.At(kAccounts, 0);
       u.Add(kAccounts) = copy;
       u.Plant(kAccounts, 1, "fdid.duplicate", "22002", "fdid");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       Row& a = u.At(kAccounts, 0);
       a[kAccountName] += " " + a[kAccountNumber];
       MarkAcc(u, "fdid.sensitive", kNull, "account_name");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kAccounts, 0)[kFdidType] = "HOUSEHOLD";
       MarkAcc(u, "fdid.type", "22005", "fdid_type");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kAccounts, 0)[kAccountTypes] = "CASH";
       MarkAcc(u, "fdid.type", "22049", "account_types");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kAccounts, 0)[kAccountTypes] = "OTHER;ENTITYID";
       MarkAcc(u, "fdid.type", "22069", "account_types");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kAccounts, 0)[kAccountName].clear();
       MarkAcc(u, "fdid.account_name", "22050", "account_name");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kAccounts, 0)[kFdidDate] = "2021-02-30";
       MarkAcc(u, "fdid.dates", "22007", "fdid_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       EndAccount(g, u, "ENDED", "2024-13-01");
       MarkAcc(u, "fdid.dates", "22008", "fdid_end_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       EndAccount(g, u, "ENDED", AfterOpen(u, -10));
       MarkAcc(u, "fdid.dates", "22009", "fdid_end_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // opened after as_of; its role started earlier (no second date)
       Plain(g, u);
       u.At(kAccounts, 0)[kFdidDate] = DateText(g.as_of_day() + 20);
       u.At(kAccounts, 0)[kLastActivity].clear();
       MarkAcc(u, "fdid.future_date", kNull, "fdid_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       EndAccount(g, u, "", AfterOpen(u, 100));
       MarkAcc(u, "fdid.end_pair", "22010", "fdid_end_reason");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       EndAccount(g, u, "ENDED", "");
       MarkAcc(u, "fdid.end_pair", "22008", "fdid_end_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       EndAccount(g, u, "CLOSED", AfterOpen(u, 100));
       MarkAcc(u, "fdid.end_pair", "22010", "fdid_end_reason");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       EndAccount(g, u, "CORRECTION", AfterOpen(u, 30));
       MarkAcc(u, "fdid.end_correction", kNull, "fdid_end_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       EndAccount(g, u, "REPLACED", AfterOpen(u, 100));
       MarkAcc(u, "fdid.replaced", "22011", "replaced_by_fdid");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       EndAccount(g, u, "ENDED", AfterOpen(u, 100));
       u.At(kAccounts, 0)[kReplacedBy] = "FDX" + u.At(kAccounts, 0)[kFdid].substr(2);
       MarkAcc(u, "fdid.replaced", "22011", "replaced_by_fdid");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       EndAccount(g, u, "REPLACED", AfterOpen(u, 100));
       u.At(kAccounts, 0)[kReplacedBy] = u.At(kAccounts, 0)[kFdid];
       MarkAcc(u, "fdid.replaced", "22024", "replaced_by_fdid");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       EndAccount(g, u, "REPLACED", AfterOpen(u, 100));
       u.At(kAccounts, 0)[kReplacedBy] = "FDX" + u.At(kAccounts, 0)[kFdid].substr(2);
       MarkAcc(u, "fdid.replaced", "23004", "replaced_by_fdid");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // a REPLACED pair whose old FDID ends before the new one opens
       UnitSpec s = PlainSpec(Shape::kIndividual);
       s.replaced = true;
       g.Build(s, &u);
       const std::string end = DateText(OpenDayOf(u, 1) - 5);
       u.At(kAccounts, 0)[kFdidEndDate] = end;
       for (int i = 0; i < u.Count(kRoles); ++i) {
         if (u.At(kRoles, i)[kRoleFdid] == u.At(kAccounts, 0)[kFdid]) u.At(kRoles, i)[kRoleEnd] = end;
       }
       MarkAcc(u, "fdid.replaced", "23005", "fdid_end_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kAccounts, 0)[kPriorFdid] = "XF-0012345";
       MarkAcc(u, "fdid.transfer", "22054", "prior_cat_reporter_crd");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kAccounts, 0)[kPriorCrd] = "123456";
       MarkAcc(u, "fdid.transfer", "22058", "prior_cat_reporter_fdid");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kAccounts, 0)[kBranch] = "BR12";
       MarkAcc(u, "fdid.crd_fields", "22052", "branch_office_crd");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kAccounts, 0)[kRrCrd] = "1234567;R789";
       MarkAcc(u, "fdid.crd_fields", "22065", "registered_rep_crd");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // the sole account address removed (not ADDRESS1 of several)
       Plain(g, u);
       u.Remove(kAddresses, AccountAddress(u));
       MarkAcc(u, "fdid.address1", "22055", "addressList");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       const int a = AccountAddress(u);
       Row copy = u.At(kAddresses, a);
       copy[kAddrType] = "ADDRESS3";
       u.Add(kAddresses) = copy;
       MarkAcc(u, "fdid.address1", "22059", "addressList");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       Row copy = u.At(kAddresses, AccountAddress(u));
       copy[kAddrType] = "MAILING";
       u.Add(kAddresses) = copy;
       u.Plant(kAddresses, u.Count(kAddresses) - 1, "fdid.address1", "22057", "addr_type");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       g.AddLtid(&u, u.At(kAccounts, 0)[kFdid], 1, OpenDayOf(u));
       u.At(kLargeTraders, 0)[kLtId] = "1234567-12345";
       u.Plant(kLargeTraders, 0, "fdid.ltid", "22012", "large_trader_id");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       g.AddLtid(&u, u.At(kAccounts, 0)[kFdid], 1, OpenDayOf(u));
       Row copy = u.At(kLargeTraders, 0);
       u.Add(kLargeTraders) = copy;
       u.Plant(kLargeTraders, 1, "fdid.ltid", "22006", "large_trader_id");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       g.AddLtid(&u, u.At(kAccounts, 0)[kFdid], 2, OpenDayOf(u));
       u.At(kLargeTraders, 0)[kLtEffective] = "2022-02-30";
       u.Plant(kLargeTraders, 0, "fdid.ltid", "22015", "effective_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       g.AddLtid(&u, u.At(kAccounts, 0)[kFdid], 1, OpenDayOf(u));
       u.At(kLargeTraders, 0)[kLtEndReason] = "ENDED";
       u.Plant(kLargeTraders, 0, "fdid.ltid", "22016", "end_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       g.AddLtid(&u, u.At(kAccounts, 0)[kFdid], 1, OpenDayOf(u));
       u.At(kLargeTraders, 0)[kLtEnd] = DateText(g.as_of_day() - 3);
       u.Plant(kLargeTraders, 0, "fdid.ltid", "22017", "end_reason");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       g.AddLtid(&u, u.At(kAccounts, 0)[kFdid], 1, OpenDayOf(u) + 30);
       u.At(kLargeTraders, 0)[kLtEnd] = DateText(OpenDayOf(u) + 10);
       u.At(kLargeTraders, 0)[kLtEndReason] = "ENDED";
       u.Plant(kLargeTraders, 0, "fdid.ltid", "22028", "end_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       g.AddLtid(&u, u.At(kAccounts, 0)[kFdid], 1, OpenDayOf(u));
       u.At(kLargeTraders, 0)[kLtEnd] = DateText(g.as_of_day() - 3);
       u.At(kLargeTraders, 0)[kLtEndReason] = "INACTIVE";
       u.Plant(kLargeTraders, 0, "fdid.ltid", "22076", "end_reason");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u, Shape::kDvp);
       u.At(kAccounts, 0)[kDvp].clear();
       MarkAcc(u, "fdid.dvp_custodian", "22075", "dvp_custodian_ids");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u, Shape::kDvp);
       u.At(kAccounts, 0)[kDvp] = "1234567";
       MarkAcc(u, "fdid.dvp_custodian", "22075", "dvp_custodian_ids");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u, Shape::kDvp);
       u.At(kAccounts, 0)[kClearing] = "123";
       MarkAcc(u, "fdid.dvp_custodian", "22064", "clearing_broker_ids");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // a names-list entry: a warning on every use [§3.13]
       Plain(g, u);
       Row& t = u.Add(kAuthTraders);
       t[kAtFdid] = u.At(kAccounts, 0)[kFdid];
       t[kAtFirst] = g.RandomFirst();
       t[kAtLast] = g.RandomLast();
       MarkAcc(u, "fdid.auth_names", kNull, "authTraderNamesList");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       Row& t = u.Add(kAuthTraders);
       t[kAtFdid] = u.At(kAccounts, 0)[kFdid];
       t[kAtFull] = Long("TRADER", 205);
       u.Plant(kAuthTraders, 0, "fdid.auth_name_record", "22074", "authTraderName");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kCustomers, 0)[kDba] = "PUBLIC ADMINISTRATOR";
       MarkAcc(u, "fdid.public_admin", kNull, "authTraderNamesList");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // INACTIVE although there was activity a month before the end
       UnitSpec s = PlainSpec(Shape::kIndividual);
       s.end_reason = "INACTIVE";
       g.Build(s, &u);
       u.At(kAccounts, 0)[kLastActivity] = DateText(DayOf(u.At(kAccounts, 0)[kFdidEndDate]) - 30);
       MarkAcc(u, "fdid.inactive", kNull, "fdid_end_reason");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // no association at all (its customer is then a cascade orphan)
       Plain(g, u);
       while (u.Count(kRoles) > 0) u.Remove(kRoles, 0);
       MarkAcc(u, "fdid.customers", "22040", "fdidCustomerList");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kRoles, 0)[kRole] = "NTHOLDER";
       MarkAcc(u, "fdid.trading_customer", "22071", "fdidCustomerList");
     }},
    // ---- §3 associations (the joint account's first TRDHOLDER keeps the FDID valid) ----------------------
    {[](Generator& g, Unit& u, int64_t) {
       int r = JointSecond(g, u);
       u.At(kRoles, r)[kRole] = "OWNER";
       u.Plant(kRoles, r, "role.value", "22043", "role");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       Row copy = u.At(kRoles, 0);
       copy[kRoleCustomer] = "C-MISSING-" + copy[kRoleCustomer].substr(1);
       copy[kRole] = "NTHOLDER";
       u.Add(kRoles) = copy;
       u.Plant(kRoles, 1, "role.unknown_customer", "22041", "customer_id");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       Row copy = u.At(kRoles, 0);
       copy[kRole] = "NTHOLDER";
       u.Add(kRoles) = copy;
       u.Plant(kRoles, 1, "role.one_active", "22042", "customer_id");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // two customers with one SSN on one FDID (same year: no 22533)
       int r = JointSecond(g, u);
       u.At(kIdentifiers, 1)[kIdValue] = u.At(kIdentifiers, 0)[kIdValue];
       u.At(kCustomers, 1)[kBirthDate] = u.At(kCustomers, 0)[kBirthDate];
       u.Plant(kRoles, r, "role.same_tid", "22042", "customer_id");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       int r = JointSecond(g, u);
       u.At(kRoles, r)[kRoleStart] = "2020-02-30";
       u.Plant(kRoles, r, "role.dates", "22044", "role_start_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       int r = JointSecond(g, u);
       u.At(kRoles, r)[kRoleEndReason] = "ENDED";
       u.Plant(kRoles, r, "role.dates", "22045", "role_end_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       int r = JointSecond(g, u);
       u.At(kRoles, r)[kRoleEnd] = DateText(g.as_of_day() - 30);
       u.Plant(kRoles, r, "role.dates", "22047", "role_end_reason");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       int r = JointSecond(g, u);
       u.At(kRoles, r)[kRoleEnd] = DateText(OpenDayOf(u) - 10);
       u.At(kRoles, r)[kRoleEndReason] = "ENDED";
       u.Plant(kRoles, r, "role.dates", "22046", "role_end_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // a role ending after its ended FDID
       UnitSpec s = PlainSpec(Shape::kJoint);
       s.end_reason = "ENDED";
       g.Build(s, &u);
       u.At(kRoles, 1)[kRoleEnd] = DateText(DayOf(u.At(kAccounts, 0)[kFdidEndDate]) + 5);
       u.Plant(kRoles, 1, "role.dates", "22067", "role_end_date");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       int r = JointSecond(g, u);
       u.At(kRoles, r)[kRoleEnd] = DateText(g.as_of_day() - 30);
       u.At(kRoles, r)[kRoleEndReason] = "INACTIVE";
       u.Plant(kRoles, r, "role.dates", "22077", "role_end_reason");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       UnitSpec s = PlainSpec(Shape::kIndividual);
       s.auth3rd = 1;
       g.Build(s, &u);
       u.At(kRoles, 1)[kDiscretion].clear();
       u.Plant(kRoles, 1, "role.has_discretion", "22061", "has_discretion");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u);
       u.At(kRoles, 0)[kDiscretion] = "Y";
       u.Plant(kRoles, 0, "role.has_discretion", "22061", "has_discretion");
     }},
    {[](Generator& g, Unit& u, int64_t) {
       Plain(g, u, Shape::kRelationship);
       u.At(kRoles, 1)[kRole] = "NTHOLDER";
       u.Plant(kRoles, 1, "role.fdid_type", kNull, "role");
     }},
    {[](Generator& g, Unit& u, int64_t) {  // the firm's employee entered as AUTH3RD instead of AUTHREP
       Plain(g, u, Shape::kEmployeeAuth);
       u.At(kRoles, 1)[kRole] = "AUTH3RD";
       u.At(kRoles, 1)[kDiscretion] = "Y";
       u.Plant(kRoles, 1, "role.authrep", kNull, "role");
     }},
};

}  // namespace

int DefectKindCount() { return static_cast<int>(std::size(kKinds)) + CustomerDefectCount(); }

void BuildDefect(Generator* g, int64_t n, Unit* u) {
  const int64_t total = DefectKindCount();
  const int64_t k = n % total, cycle = n / total;
  const int64_t first = static_cast<int64_t>(std::size(kKinds));
  if (k < first) {
    kKinds[k].fn(*g, *u, cycle);
  } else {
    CustomerDefects()[k - first].fn(*g, *u, cycle);
  }
}

}  // namespace caisson::gen::internal
