// fdid.* rules on the FDID record's own fields: one passing and one failing case per rule, with the exact
// code, file, line and field (books column; JSON path in file mode).
#include <gtest/gtest.h>

#include "validate/fdid_fixture.h"

namespace caisson::validate::testing {
namespace {

TEST(FdidRecord, ValidBooksHaveNoFindings) {
  model::Books b = MakeBooks(2);
  EXPECT_TRUE(RunRules(b).empty()) << Dump(RunRules(b));
  EXPECT_TRUE(RunRules(b, Mode::kFile).empty()) << Dump(RunRules(b, Mode::kFile));
}

TEST(FdidRecord, RecordIdMissingOrRepeatedInFileMode) {
  model::Books b = MakeBooks(2);
  b.fdids[1].fdid_record_id = model::Num::Of(1);
  auto all = RunRules(b, Mode::kFile);
  EXPECT_ONE(all, "fdid.record_id", "22004", "accounts.csv", 3, "fdidRecordList[1].fdidRecordID");
  b.fdids[1].fdid_record_id = model::Num::Invalid();
  all = RunRules(b, Mode::kFile);
  EXPECT_ONE(all, "fdid.record_id", "22003", "accounts.csv", 3, "fdidRecordList[1].fdidRecordID");
  // Books carry no fdidRecordID: emit numbers them.
  EXPECT_NONE(RunRules(b), "fdid.record_id");
}

TEST(FdidRecord, FormatAtMaximumLengthPassesOnePastFails) {
  model::Books b = MakeBooks();
  b.fdids[0].firm_designated_id = std::string(40, 'A');
  EXPECT_NONE(RunRules(b), "fdid.format");
  b.fdids[0].firm_designated_id = std::string(41, 'A');
  EXPECT_ONE(RunRules(b), "fdid.format", "22001", "accounts.csv", 2, "fdid");
  EXPECT_ONE(RunRules(b, Mode::kFile), "fdid.format", "22001", "accounts.csv", 2,
             "fdidRecordList[0].firmDesignatedID");
}

TEST(FdidRecord, FormatRejectsForbiddenCharactersBlankAndMissing) {
  model::Books b = MakeBooks();
  for (std::string bad : {"ACCT@1", "ACCT,1", "ACCT|1", "AC\"CT", "   ", ""}) {
    b.fdids[0].firm_designated_id = bad;
    EXPECT_ONE(RunRules(b), "fdid.format", "22001", "accounts.csv", 2, "fdid");
  }
  b.fdids[0].firm_designated_id.reset();
  EXPECT_ONE(RunRules(b), "fdid.format", "22001", "accounts.csv", 2, "fdid");
}

TEST(FdidRecord, PendingInAnyCaseAfterTrimming) {
  model::Books b = MakeBooks();
  b.fdids[0].firm_designated_id = "PENDING1";
  EXPECT_NONE(RunRules(b), "fdid.pending");
  b.fdids[0].firm_designated_id = " pEnDiNg";
  EXPECT_ONE(RunRules(b), "fdid.pending", "22001", "accounts.csv", 2, "fdid");
}

TEST(FdidRecord, WhitespaceIsPolicy) {
  model::Books b = MakeBooks();
  b.fdids[0].firm_designated_id = "ACCT 1";
  EXPECT_NONE(RunRules(b), "fdid.whitespace");
  b.fdids[0].firm_designated_id = "ACCT1 ";
  auto all = RunRules(b);
  EXPECT_ONE(all, "fdid.whitespace", "", "accounts.csv", 2, "fdid");
  EXPECT_EQ(OfRule(all, "fdid.whitespace")[0].severity, Severity::kPolicy);
  EXPECT_EQ(OfRule(all, "fdid.whitespace")[0].key, "ACCT1 ");
}

TEST(FdidRecord, DuplicateReportedOnTheSecondRecord) {
  model::Books b = MakeBooks(2);
  EXPECT_NONE(RunRules(b), "fdid.duplicate");
  b.fdids[1].firm_designated_id = b.fdids[0].firm_designated_id;
  auto all = RunRules(b);
  EXPECT_ONE(all, "fdid.duplicate", "22002", "accounts.csv", 3, "fdid");
  EXPECT_EQ(OfRule(all, "fdid.duplicate")[0].record_index, 1);
}

TEST(FdidRecord, TypeCodes) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_type = "RELATIONSHIP";
  b.fdids[0].account_type = std::vector<std::string>{"RELATIONSHIP", "MARGIN"};
  EXPECT_NONE(RunRules(b), "fdid.type");
  b.fdids[0].account_type = std::vector<std::string>{"MARGIN"};
  b.fdids[0].fdid_type = "Account";  // exact spelling only
  EXPECT_ONE(RunRules(b), "fdid.type", "22005", "accounts.csv", 2, "fdid_type");
  b = MakeBooks();
  b.fdids[0].account_type = std::vector<std::string>{};
  EXPECT_ONE(RunRules(b), "fdid.type", "22049", "accounts.csv", 2, "account_types");
  b.fdids[0].account_type = std::vector<std::string>{"MARGIN", "SAVINGS"};
  EXPECT_ONE(RunRules(b, Mode::kFile), "fdid.type", "22049", "accounts.csv", 2,
             "fdidRecordList[0].accountType[1]");
  b.fdids[0].account_type = std::vector<std::string>{"ENTITYID"};
  EXPECT_ONE(RunRules(b), "fdid.type", "22069", "accounts.csv", 2, "account_types");
}

TEST(FdidRecord, AccountName) {
  model::Books b = MakeBooks();
  b.fdids[0].account_name = std::string(200, 'n');
  EXPECT_NONE(RunRules(b), "fdid.account_name");
  b.fdids[0].account_name = std::string(201, 'n');
  EXPECT_ONE(RunRules(b), "fdid.account_name", "22050", "accounts.csv", 2, "account_name");
  b.fdids[0].account_name.reset();
  EXPECT_ONE(RunRules(b), "fdid.account_name", "22050", "accounts.csv", 2, "account_name");
}

TEST(FdidRecord, Dates) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_date = model::Num::Of(20230229);
  EXPECT_ONE(RunRules(b), "fdid.dates", "22007", "accounts.csv", 2, "fdid_date");
  b = MakeBooks();
  b.fdids[0].fdid_end_date = model::Num::Of(20201331);
  b.fdids[0].fdid_end_reason = "ENDED";
  EXPECT_ONE(RunRules(b), "fdid.dates", "22008", "accounts.csv", 2, "fdid_end_date");
  b.fdids[0].fdid_end_date = model::Num::Of(20200101);
  EXPECT_ONE(RunRules(b), "fdid.dates", "22009", "accounts.csv", 2, "fdid_end_date");
  b.fdids[0].fdid_end_date = model::Num::Of(20200102);
  EXPECT_NONE(RunRules(b), "fdid.dates");
}

TEST(FdidRecord, FutureDateAgainstAsOf) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_date = model::Num::Of(kAsOf);
  EXPECT_NONE(RunRules(b), "fdid.future_date");
  b.fdids[0].fdid_date = model::Num::Of(kAsOf + 1);
  b.fdids[0].fdid_customer_list[0].role_start_date = model::Num::Of(kAsOf + 1);
  auto all = RunRules(b);
  auto future = OfRule(all, "fdid.future_date");
  ASSERT_EQ(future.size(), 2u) << Dump(all);
  EXPECT_EQ(future[0].field, "fdid_date");
  EXPECT_EQ(future[1].file, "roles.csv");
  EXPECT_EQ(future[1].field, "role_start_date");
  EXPECT_EQ(future[1].severity, Severity::kPolicy);
}

TEST(FdidRecord, EndPair) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_end_date = model::Num::Of(20240102);
  EXPECT_ONE(RunRules(b), "fdid.end_pair", "22010", "accounts.csv", 2, "fdid_end_reason");
  b.fdids[0].fdid_end_reason = "CLOSED";
  EXPECT_ONE(RunRules(b), "fdid.end_pair", "22010", "accounts.csv", 2, "fdid_end_reason");
  b.fdids[0].fdid_end_reason = "ENDED";
  EXPECT_NONE(RunRules(b), "fdid.end_pair");
  b.fdids[0].fdid_end_date = model::Num();
  EXPECT_ONE(RunRules(b), "fdid.end_pair", "22008", "accounts.csv", 2, "fdid_end_date");
}

TEST(FdidRecord, EndCorrectionEndsOnTheOpeningDay) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_end_reason = "CORRECTION";
  b.fdids[0].fdid_end_date = b.fdids[0].fdid_date;
  EXPECT_NONE(RunRules(b), "fdid.end_correction");
  b.fdids[0].fdid_end_date = model::Num::Of(20200103);
  EXPECT_ONE(RunRules(b), "fdid.end_correction", "", "accounts.csv", 2, "fdid_end_date");
}

TEST(FdidRecord, ReplacedCodes) {
  model::Books b = MakeBooks(2);
  model::Fdid& f = b.fdids[0];
  f.fdid_end_date = model::Num::Of(20240102);
  f.fdid_end_reason = "REPLACED";
  f.fdid_customer_list[0].role_end_date = model::Num::Of(20240102);
  f.fdid_customer_list[0].role_end_reason = "REPLACED";
  f.replaced_by_fdid = "ACCT-0002";
  EXPECT_TRUE(RunRules(b).empty()) << Dump(RunRules(b));
  b.fdids[1].fdid_date = model::Num::Of(20240103);
  EXPECT_ONE(RunRules(b), "fdid.replaced", "23005", "accounts.csv", 2, "fdid_end_date");
  f.replaced_by_fdid = "ACCT-0009";
  EXPECT_ONE(RunRules(b), "fdid.replaced", "23004", "accounts.csv", 2, "replaced_by_fdid");
  // [§5.1.3.1 R15; App B 23004]: in a CAIS file the target may be an FDID CAIS accepted earlier; only the state
  // store could tell, so `check` (file mode) does not report it.
  EXPECT_NONE(RunRules(b, Mode::kFile), "fdid.replaced");
  f.replaced_by_fdid = "ACCT-0001";
  EXPECT_ONE(RunRules(b), "fdid.replaced", "22024", "accounts.csv", 2, "replaced_by_fdid");
  f.replaced_by_fdid.reset();
  EXPECT_ONE(RunRules(b), "fdid.replaced", "22011", "accounts.csv", 2, "replaced_by_fdid");
  f.replaced_by_fdid = "ACCT@2";
  EXPECT_ONE(RunRules(b, Mode::kFile), "fdid.replaced", "22011", "accounts.csv", 2,
             "fdidRecordList[0].replacedByFDID");
  f.fdid_end_reason = "ENDED";
  f.fdid_customer_list[0].role_end_reason = "ENDED";
  f.replaced_by_fdid = "ACCT-0002";
  EXPECT_ONE(RunRules(b), "fdid.replaced", "22011", "accounts.csv", 2, "replaced_by_fdid");
}

TEST(FdidRecord, TransferBothOrNeither) {
  model::Books b = MakeBooks();
  b.fdids[0].prior_cat_reporter_crd = model::Num::Of(12345);
  b.fdids[0].prior_cat_reporter_fdid = "OLD-1";
  EXPECT_NONE(RunRules(b), "fdid.transfer");
  b.fdids[0].prior_cat_reporter_fdid.reset();
  EXPECT_ONE(RunRules(b), "fdid.transfer", "22058", "accounts.csv", 2, "prior_cat_reporter_fdid");
  b = MakeBooks();
  b.fdids[0].prior_cat_reporter_fdid = "OLD-1";
  EXPECT_ONE(RunRules(b), "fdid.transfer", "22054", "accounts.csv", 2, "prior_cat_reporter_crd");
}

TEST(FdidRecord, CrdFields) {
  model::Books b = MakeBooks();
  b.fdids[0].branch_office_crd = model::Num::Of(7);
  b.fdids[0].registered_rep_crd = std::vector<model::Num>{model::Num::Of(1), model::Num::Of(2)};
  EXPECT_NONE(RunRules(b), "fdid.crd_fields");
  b.fdids[0].branch_office_crd = model::Num::Invalid();
  EXPECT_ONE(RunRules(b), "fdid.crd_fields", "22052", "accounts.csv", 2, "branch_office_crd");
  b = MakeBooks();
  b.fdids[0].registered_rep_crd = std::vector<model::Num>{model::Num::Of(1), model::Num::Invalid()};
  EXPECT_ONE(RunRules(b, Mode::kFile), "fdid.crd_fields", "22065", "accounts.csv", 2,
             "fdidRecordList[0].registeredRepCRD[1]");
}

TEST(FdidRecord, DvpCustodianAndClearingBroker) {
  model::Books b = MakeBooks();
  b.fdids[0].account_type = std::vector<std::string>{"DVP/RVP"};
  EXPECT_ONE(RunRules(b), "fdid.dvp_custodian", "22075", "accounts.csv", 2, "dvp_custodian_ids");
  b.fdids[0].dvp_custodian_id = std::vector<std::string>{"00123", "FOR"};
  EXPECT_NONE(RunRules(b), "fdid.dvp_custodian");
  b.fdids[0].dvp_custodian_id = std::vector<std::string>{"001234"};
  EXPECT_ONE(RunRules(b), "fdid.dvp_custodian", "22075", "accounts.csv", 2, "dvp_custodian_ids");
  b = MakeBooks();
  b.fdids[0].clearing_broker_id = std::vector<std::string>{"0123"};
  EXPECT_NONE(RunRules(b), "fdid.dvp_custodian");
  b.fdids[0].clearing_broker_id = std::vector<std::string>{"123"};
  EXPECT_ONE(RunRules(b), "fdid.dvp_custodian", "22064", "accounts.csv", 2, "clearing_broker_ids");
}

TEST(FdidRecord, InactiveNeedsSixQuietMonths) {
  model::Books b = MakeBooks();
  b.fdids[0].fdid_end_reason = "INACTIVE";
  b.fdids[0].fdid_end_date = model::Num::Of(20240831);
  b.fdids[0].fdid_customer_list[0].role_end_date = model::Num::Of(20240831);
  b.fdids[0].fdid_customer_list[0].role_end_reason = "INACTIVE";
  b.fdids[0].last_activity_date = model::Num::Of(20240229);  // six months before, day clamped
  EXPECT_NONE(RunRules(b), "fdid.inactive");
  b.fdids[0].last_activity_date = model::Num::Of(20240301);
  EXPECT_ONE(RunRules(b), "fdid.inactive", "", "accounts.csv", 2, "fdid_end_reason");
  EXPECT_NONE(RunRules(b, Mode::kFile), "fdid.inactive");  // run column B only
}

}  // namespace
}  // namespace caisson::validate::testing
