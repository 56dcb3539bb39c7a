// The rule catalogue: rows as rules.md says, every code in the profile's App B catalogue, and every FDID-side
// rule with a B or F run column exercised by a test.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "validate/fdid_fixture.h"

namespace caisson::validate::testing {
namespace {

TEST(Catalogue, EveryCodeIsInTheProfileCatalogue) {
  const spec::Profile& p = TestProfile();
  for (const RuleInfo& r : Rules()) {
    for (const std::string& code : r.codes) {
      const spec::Code* c = p.FindCode(code);
      EXPECT_NE(c, nullptr) << r.id << " names " << code << ", which App B does not have";
      if (c != nullptr) {
        EXPECT_FALSE(c->retired) << r.id << " names retired code " << code;
      }
    }
  }
}

TEST(Catalogue, IdsAreUniqueAndFound) {
  std::set<std::string> ids;
  for (const RuleInfo& r : Rules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_EQ(FindRule(r.id), &r);
  }
  EXPECT_EQ(Rules().size(), 96u);  // rules.md §1–§9
  EXPECT_EQ(FindRule("fdid.nope"), nullptr);
}

TEST(Catalogue, RowsAsRulesMdSays) {
  const RuleInfo* ltid = FindRule("fdid.ltid");
  ASSERT_NE(ltid, nullptr);
  EXPECT_EQ(ltid->severity, Severity::kReject);
  EXPECT_EQ(ltid->codes, (std::vector<std::string>{"22006", "22012", "22013", "22014", "22015", "22016",
                                                   "22017", "22028", "22076"}));
  EXPECT_TRUE(ltid->books && ltid->file && !ltid->state);
  const RuleInfo* record_id = FindRule("fdid.record_id");
  EXPECT_TRUE(!record_id->books && record_id->file);
  const RuleInfo* replaced = FindRule("fdid.replaced");
  EXPECT_TRUE(replaced->books && replaced->file && replaced->state);
  const RuleInfo* inactive = FindRule("fdid.inactive");
  EXPECT_EQ(inactive->severity, Severity::kPolicy);
  EXPECT_TRUE(inactive->books && !inactive->file && inactive->state);
  const RuleInfo* mi = FindRule("customer.mi_predict");
  EXPECT_EQ(mi->severity, Severity::kInconsistency);
  EXPECT_EQ(FindRule("fdid.auth_names")->severity, Severity::kWarning);
  EXPECT_TRUE(FindRule("fdid.auth_names")->codes.empty());
  const RuleInfo* txn = FindRule("txn.market_account");  // §9: state only
  EXPECT_TRUE(txn->state && !txn->books && !txn->file);
  EXPECT_EQ(FindRule("file.size")->codes, (std::vector<std::string>{"21009", "21509"}));
}

// FDID-side rules (fdid.*, role.*, hold.*, and the customer cascades ResolveHolds emits) that tests in
// fdid_record_test, fdid_lists_test, role_test and holds_test exercise. Not here, with the reason:
//   fdid.sensitive      evaluated by identity (it needs the raw values)
//   fdid.unknown_field, fdid.data_type   raised by the CAIS file reader: the model cannot hold them
constexpr const char* kExercised[] = {"fdid.record_id",
                                      "fdid.format",
                                      "fdid.pending",
                                      "fdid.whitespace",
                                      "fdid.duplicate",
                                      "fdid.type",
                                      "fdid.account_name",
                                      "fdid.dates",
                                      "fdid.future_date",
                                      "fdid.end_pair",
                                      "fdid.end_correction",
                                      "fdid.replaced",
                                      "fdid.transfer",
                                      "fdid.crd_fields",
                                      "fdid.address1",
                                      "fdid.customers",
                                      "fdid.trading_customer",
                                      "fdid.ltid",
                                      "fdid.dvp_custodian",
                                      "fdid.auth_names",
                                      "fdid.auth_name_record",
                                      "fdid.public_admin",
                                      "fdid.inactive",
                                      "fdid.customer_rejected",
                                      "role.value",
                                      "role.unknown_customer",
                                      "role.one_active",
                                      "role.same_tid",
                                      "role.dates",
                                      "role.has_discretion",
                                      "role.fdid_type",
                                      "role.authrep",
                                      "hold.cascade"};
constexpr const char* kElsewhere[] = {"fdid.sensitive", "fdid.unknown_field", "fdid.data_type"};

TEST(Catalogue, EveryFdidSideRuleIsExercised) {
  std::set<std::string> listed(std::begin(kExercised), std::end(kExercised));
  listed.insert(std::begin(kElsewhere), std::end(kElsewhere));
  std::set<std::string> expected;
  for (const RuleInfo& r : Rules()) {
    const bool fdid_side =
        r.id.rfind("fdid.", 0) == 0 || r.id.rfind("role.", 0) == 0 || r.id.rfind("hold.", 0) == 0;
    if (fdid_side && (r.books || r.file)) expected.insert(r.id);
  }
  EXPECT_EQ(listed, expected);
}

}  // namespace
}  // namespace caisson::validate::testing
