// ResolveHolds: what a reject or a held policy finding holds back, and the cascades of rules.md
// [§6.3 R2, R9–R10; §5.1.3.1 R3; §5.1.3.2 R4]; Summarise; FindingsJson; CheckPolicyOverrides.
#include <gtest/gtest.h>

#include "validate/fdid_fixture.h"

namespace caisson::validate::testing {
namespace {

Finding Seed(std::string rule, Severity severity, RecordKind record, int64_t index, std::string key,
             std::string file, uint64_t line) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.record = record;
  f.record_index = index;
  f.key = std::move(key);
  f.file = std::move(file);
  f.line = line;
  f.message = "seeded";
  return f;
}

Options Opts() {
  Options o;
  o.as_of = kAsOf;
  return o;
}

// F0: C0 + C1; F1: C1; F2: C2; F3: C3 (C3 shares C0's tidValue only when a test says so).
model::Books Web() {
  model::Books b = MakeBooks(4);
  b.fdids[0].fdid_customer_list.push_back(MakeAssociation(b, 1, "NTHOLDER", 1, 0, 20));
  return b;
}

std::vector<std::string> Rules(const std::vector<Finding>& all) {
  std::vector<std::string> out;
  for (const Finding& f : all)
    out.push_back(f.rule + "/" + f.cais_code + "/" + f.key + "@" + std::to_string(f.line));
  return out;
}

TEST(Holds, RejectedCustomerTakesItsFdidsAndTheirCustomers) {
  model::Books b = Web();
  std::vector<Finding> all = {
      Seed("customer.np_required", Severity::kReject, RecordKind::kCustomer, 0, "C-1", "customers.csv", 2)};
  Holds h = ResolveHolds(b, Opts(), &all);
  EXPECT_EQ(h.fdid, (std::vector<bool>{true, true, false, false}));
  EXPECT_EQ(h.customer, (std::vector<bool>{true, true, false, false}));
  EXPECT_EQ(Rules(all), (std::vector<std::string>{
                            "customer.np_required//C-1@2",
                            "customer.orphan/22523/C-2@3",
                            "fdid.customer_rejected/22048/ACCT-0001@2",
                            "fdid.customer_rejected/22048/ACCT-0002@3",
                        }))
      << Dump(all);
  auto f = OfRule(all, "fdid.customer_rejected");
  EXPECT_EQ(f[0].file, "roles.csv");
  EXPECT_EQ(f[0].field, "customer_id");
  EXPECT_EQ(f[0].severity, Severity::kReject);
  Summary s = Summarise(b, h, all);
  EXPECT_EQ(s.fdids, 4);
  EXPECT_EQ(s.customers, 4);
  EXPECT_EQ(s.tids, 4);
  EXPECT_EQ(s.rejected_fdids, 2);
  EXPECT_EQ(s.rejected_customers, 2);
  EXPECT_EQ(s.held_fdids, 2);
  EXPECT_EQ(s.held_customers, 2);
  EXPECT_EQ(s.rejects, 4);
}

TEST(Holds, RejectedFdidTakesItsCustomers) {
  model::Books b = Web();
  std::vector<Finding> all = {
      Seed("fdid.format", Severity::kReject, RecordKind::kFdid, 1, "ACCT-0002", "accounts.csv", 3)};
  Holds h = ResolveHolds(b, Opts(), &all);
  // F1 holds C1, which is also on F0: F0 goes too, and with it C0.
  EXPECT_EQ(h.fdid, (std::vector<bool>{true, true, false, false}));
  EXPECT_EQ(h.customer, (std::vector<bool>{true, true, false, false}));
  EXPECT_EQ(OfRule(all, "customer.orphan").size(), 2u) << Dump(all);
  auto f = OfRule(all, "fdid.customer_rejected");
  ASSERT_EQ(f.size(), 1u) << Dump(all);
  EXPECT_EQ(f[0].line, 20u);  // the association that carried the cascade
}

TEST(Holds, SameTidValueTravelsTogether) {
  model::Books b = Web();
  b.customers[3].tid->tid_value = b.customers[2].tid->tid_value;
  std::vector<Finding> all = {
      Seed("customer.type", Severity::kReject, RecordKind::kCustomer, 2, "C-3", "customers.csv", 4)};
  Holds h = ResolveHolds(b, Opts(), &all);
  EXPECT_EQ(h.fdid, (std::vector<bool>{false, false, true, true}));
  EXPECT_EQ(h.customer, (std::vector<bool>{false, false, true, true}));
  auto v = OfRule(all, "customer.version_rejected");
  ASSERT_EQ(v.size(), 1u) << Dump(all);
  EXPECT_EQ(v[0].cais_code, "22529");
  EXPECT_EQ(v[0].key, "C-4");
  EXPECT_EQ(v[0].line, 5u);
}

TEST(Holds, TidFindingHoldsTheCustomerFileFindingHoldsNothing) {
  model::Books b = MakeBooks(2);
  std::vector<Finding> all = {
      Seed("tid.type", Severity::kReject, RecordKind::kTid, 1, "C-2", "identifiers.csv", 3),
      Seed("file.name", Severity::kReject, RecordKind::kFile, -1, "", "x", 0)};
  Holds h = ResolveHolds(b, Opts(), &all);
  EXPECT_EQ(h.customer, (std::vector<bool>{false, true}));
  EXPECT_EQ(h.fdid, (std::vector<bool>{false, true}));
}

TEST(Holds, WarningsAndInconsistenciesHoldNothing) {
  model::Books b = MakeBooks(1);
  std::vector<Finding> all = {
      Seed("fdid.auth_names", Severity::kWarning, RecordKind::kFdid, 0, "ACCT-0001", "accounts.csv", 2),
      Seed("customer.mi_predict", Severity::kInconsistency, RecordKind::kCustomer, 0, "C-1", "customers.csv",
           2)};
  Holds h = ResolveHolds(b, Opts(), &all);
  EXPECT_EQ(h.fdid, std::vector<bool>{false});
  EXPECT_EQ(h.customer, std::vector<bool>{false});
  EXPECT_EQ(all.size(), 2u);
}

TEST(Holds, PolicyHoldCascadesAsHoldCascade) {
  model::Books b = MakeBooks(2);
  std::vector<Finding> all = {
      Seed("fdid.whitespace", Severity::kPolicy, RecordKind::kFdid, 1, "ACCT-0002", "accounts.csv", 3)};
  Holds h = ResolveHolds(b, Opts(), &all);
  EXPECT_EQ(h.fdid, (std::vector<bool>{false, true}));
  EXPECT_EQ(h.customer, (std::vector<bool>{false, true}));
  EXPECT_EQ(Rules(all), (std::vector<std::string>{"fdid.whitespace//ACCT-0002@3", "hold.cascade//C-2@3"}))
      << Dump(all);
  EXPECT_EQ(OfRule(all, "hold.cascade")[0].file, "customers.csv");
  Summary s = Summarise(b, h, all);
  EXPECT_EQ(s.rejected_fdids, 0);
  EXPECT_EQ(s.rejected_customers, 0);
  EXPECT_EQ(s.held_fdids, 1);
  EXPECT_EQ(s.held_customers, 1);
  EXPECT_EQ(s.policy, 2);
}

TEST(Holds, PolicyReportKeepsFindingOffDropsIt) {
  model::Books b = MakeBooks(1);
  Options o = Opts();
  o.policy["fdid.whitespace"] = "report";
  std::vector<Finding> all = {
      Seed("fdid.whitespace", Severity::kPolicy, RecordKind::kFdid, 0, "ACCT-0001", "accounts.csv", 2)};
  Holds h = ResolveHolds(b, o, &all);
  EXPECT_EQ(h.fdid, std::vector<bool>{false});
  EXPECT_EQ(all.size(), 1u);
  o.policy["fdid.whitespace"] = "off";
  h = ResolveHolds(b, o, &all);
  EXPECT_EQ(h.fdid, std::vector<bool>{false});
  EXPECT_TRUE(all.empty());
}

TEST(Holds, RejectBehindAPolicyHoldGetsTheCodedCascade) {
  model::Books b = MakeBooks(1);
  std::vector<Finding> all = {
      Seed("fdid.whitespace", Severity::kPolicy, RecordKind::kFdid, 0, "ACCT-0001", "accounts.csv", 2),
      Seed("customer.type", Severity::kReject, RecordKind::kCustomer, 0, "C-1", "customers.csv", 2)};
  Holds h = ResolveHolds(b, Opts(), &all);
  EXPECT_EQ(OfRule(all, "fdid.customer_rejected").size(), 1u) << Dump(all);
  EXPECT_TRUE(OfRule(all, "hold.cascade").empty()) << Dump(all);
  EXPECT_EQ(Summarise(b, h, all).rejected_fdids, 1);
}

TEST(Holds, ReplacedPairTravelsTogether) {
  model::Books b = MakeBooks(2);
  b.fdids[0].fdid_end_date = model::Num::Of(20240102);
  b.fdids[0].fdid_end_reason = "REPLACED";
  b.fdids[0].replaced_by_fdid = "ACCT-0002";
  b.fdids[0].fdid_customer_list[0].role_end_date = model::Num::Of(20240102);
  b.fdids[0].fdid_customer_list[0].role_end_reason = "REPLACED";
  EXPECT_TRUE(RunRules(b).empty()) << Dump(RunRules(b));
  std::vector<Finding> all = {
      Seed("fdid.account_name", Severity::kReject, RecordKind::kFdid, 1, "ACCT-0002", "accounts.csv", 3)};
  Holds h = ResolveHolds(b, Opts(), &all);
  EXPECT_EQ(h.fdid, (std::vector<bool>{true, true}));
  auto r = OfRule(all, "fdid.replaced");
  ASSERT_EQ(r.size(), 1u) << Dump(all);
  EXPECT_EQ(r[0].cais_code, "23004");
  EXPECT_EQ(r[0].key, "ACCT-0001");
  EXPECT_EQ(r[0].field, "replaced_by_fdid");
  // Not the other way round: a new FDID stands on its own when the FDID it replaces is held back.
  all = {Seed("fdid.account_name", Severity::kReject, RecordKind::kFdid, 0, "ACCT-0001", "accounts.csv", 2)};
  h = ResolveHolds(b, Opts(), &all);
  EXPECT_EQ(h.fdid, (std::vector<bool>{true, false}));
  EXPECT_TRUE(OfRule(all, "fdid.replaced").empty()) << Dump(all);
}

TEST(Holds, FindingsJsonShape) {
  model::Books b = MakeBooks(1);
  std::vector<Finding> all = {
      Seed("fdid.auth_names", Severity::kWarning, RecordKind::kFdid, 0, "ACCT-0001", "accounts.csv", 2)};
  all[0].field = "authTraderNamesList";
  Holds h = ResolveHolds(b, Opts(), &all);
  EXPECT_EQ(
      FindingsJson("cais-2.2.0r4", Summarise(b, h, all), all),
      "{\n  \"profile\": \"cais-2.2.0r4\",\n"
      "  \"summary\": {\"fdids\": 1, \"customers\": 1, \"tids\": 1, \"rejected_fdids\": 0, "
      "\"rejected_customers\": 0, \"held_fdids\": 0, \"held_customers\": 0, \"rejects\": 0, \"warnings\": 1, "
      "\"policy\": 0, \"inconsistencies\": 0},\n"
      "  \"findings\": [\n"
      "    {\"rule\": \"fdid.auth_names\", \"severity\": \"warning\", \"cais_code\": null, \"record\": "
      "\"fdid\", "
      "\"key\": \"ACCT-0001\", \"file\": \"accounts.csv\", \"line\": 2, \"field\": \"authTraderNamesList\", "
      "\"message\": \"seeded\"}\n"
      "  ]\n}\n");
  EXPECT_EQ(
      FindingsJson("p", Summary{}, {}),
      "{\n  \"profile\": \"p\",\n  \"summary\": {\"fdids\": 0, \"customers\": 0, \"tids\": 0, "
      "\"rejected_fdids\": 0, \"rejected_customers\": 0, \"held_fdids\": 0, \"held_customers\": 0, "
      "\"rejects\": 0, \"warnings\": 0, \"policy\": 0, \"inconsistencies\": 0},\n  \"findings\": []\n}\n");
}

TEST(Holds, PolicyOverridesAreChecked) {
  EXPECT_OK(CheckPolicyOverrides({{"fdid.public_admin", "report"}, {"hold.cascade", "off"}},
                                 "caisson.toml [rules]"));
  Status s = CheckPolicyOverrides({{"fdid.nope", "hold"}}, "caisson.toml [rules]");
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("caisson.toml [rules]"), std::string::npos) << s.message();
  EXPECT_EQ(CheckPolicyOverrides({{"fdid.format", "off"}}, "t").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(CheckPolicyOverrides({{"fdid.public_admin", "HOLD"}}, "t").code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace caisson::validate::testing
