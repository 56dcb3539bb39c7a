// FillFromStore: the counts of the readiness rules from a state store and a books view.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "certify/certify.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::certify {
namespace {

state::Fingerprint Fp(uint8_t b) {
  state::Fingerprint f{};
  f.fill(b);
  return f;
}

// A row as delta leaves it: accepted (emitted == accepted), rejected (emitted set back to accepted, none),
// or awaiting (emitted, no answer yet).
enum class As { kAccepted, kRejected, kAwaiting };
state::RecordState Row(const std::string& key, int64_t submission, As as) {
  state::RecordState r;
  r.key = key;
  r.emitted_submission = submission;
  if (as == As::kAccepted) {
    r.emitted = r.accepted = Fp(1);
    r.first_accepted = r.last_accepted = 20260303;
  } else if (as == As::kAwaiting) {
    r.emitted = Fp(2);
  }
  return r;
}

class FillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<state::Store>> s = state::Store::Open(caisson::testing::TempDir() / "c.db", {});
    ASSERT_OK(s.status());
    store_ = std::move(s.value());
  }
  std::unique_ptr<state::Store> store_;
};

// Two Industry Members (an agent): 4 FDIDs for CRD 100, 2 for CRD 200; FDIDs F1-F3 and F5 submitted.
Population Books() {
  Population p;
  p.fdids = {{"F1", 100, {"C1", "C2"}}, {"F2", 100, {"C3"}}, {"F3", 100, {"C4"}},
             {"F4", 100, {"C5"}},       {"F5", 200, {"C6"}}, {"F6", 200, {"C7"}}};
  p.customers = {{"C1", TidType::kSsnItin}, {"C2", TidType::kSsnItin}, {"C3", TidType::kEin},
                 {"C4", TidType::kSsnItin}, {"C5", TidType::kForeign}, {"C6", std::nullopt},
                 {"C7", TidType::kEin}};
  return p;
}

TEST_F(FillTest, CountsMembersCustomersTidTypesAndFates) {
  ASSERT_OK(store_->Write([&](state::Txn& txn) -> Status {
    state::Submission first;
    first.kind = "full";
    first.file_date = 20260302;
    first.fdids = 4;
    first.customers = 5;
    first.status = "accepted with rejections";
    CAISSON_RETURN_IF_ERROR(txn.AddSubmission(&first));
    state::Submission second;
    second.kind = "delta";
    second.file_date = 20260303;
    second.fdids = 1;
    second.customers = 1;
    second.status = "written";
    CAISSON_RETURN_IF_ERROR(txn.AddSubmission(&second));
    state::Submission killed;  // a run that died before writing: not a testing date
    killed.kind = "delta";
    killed.file_date = 20260304;
    killed.fdids = 1;
    killed.status = "pending";
    CAISSON_RETURN_IF_ERROR(txn.AddSubmission(&killed));
    CAISSON_RETURN_IF_ERROR(txn.PutFdid(Row("F1", 1, As::kAccepted)));
    CAISSON_RETURN_IF_ERROR(txn.PutFdid(Row("F2", 1, As::kRejected)));
    CAISSON_RETURN_IF_ERROR(txn.PutFdid(Row("F3", 2, As::kAwaiting)));
    CAISSON_RETURN_IF_ERROR(txn.PutFdid(Row("F5", 1, As::kAccepted)));
    for (const char* c : {"C1", "C2", "C4", "C6"}) CAISSON_RETURN_IF_ERROR(txn.PutCustomer(Row(c, 1, As::kAccepted)));
    // C3 accepted on a resubmission after CAIS rejected it: the rejection still counts.
    CAISSON_RETURN_IF_ERROR(txn.PutCustomer(Row("C3", 1, As::kAccepted)));
    state::RepairItem item;
    item.rejection_id = 9;
    item.file = "X_CAIS_000001";
    item.kind = state::RecordKind::kCustomer;
    item.firm_key = "C3";
    item.error_code = 22001;
    item.received_on = 20260302;
    return txn.AddRepairItem(item);
  }));
  Input in;
  ASSERT_OK(FillFromStore(store_.get(), Books(), &in));
  ASSERT_EQ(in.members.size(), 2u);
  EXPECT_EQ(in.members[0].crd, 100);
  EXPECT_EQ(in.members[0].fdids, 4);
  EXPECT_EQ(in.members[0].submitted_fdids, 3);
  EXPECT_EQ(in.members[1].crd, 200);
  EXPECT_EQ(in.members[1].fdids, 2);
  EXPECT_EQ(in.members[1].submitted_fdids, 1);
  EXPECT_EQ(in.customers_of_submitted, 5);       // C1 C2 C3 C4 C6
  EXPECT_EQ(in.customers_of_submitted_sent, 5);
  EXPECT_EQ(in.tid_in_population[0], 3);         // C1 C2 C4
  EXPECT_EQ(in.tid_in_population[1], 2);         // C3 C7
  EXPECT_EQ(in.tid_in_population[2], 1);         // C5
  EXPECT_EQ(in.tid_submitted[0], 3);
  EXPECT_EQ(in.tid_submitted[1], 1);
  EXPECT_EQ(in.tid_submitted[2], 0);
  EXPECT_EQ(in.submitted_records, 9);            // 4 FDIDs + 5 customers
  EXPECT_EQ(in.rejected_records, 2);             // F2, C3
  EXPECT_EQ(in.awaiting_records, 1);             // F3
  EXPECT_EQ(in.submission_dates, (std::vector<int32_t>{20260302, 20260303}));

  in.role = Role::kReportingAgent;
  Report r = Evaluate(in);
  EXPECT_EQ(r.population, 6);
  EXPECT_EQ(r.required_fdids, 5);  // ceil(4.5)
  EXPECT_EQ(r.submitted_fdids, 4);
  EXPECT_FALSE(r.ready);
}

TEST_F(FillTest, AnUnsentCustomerOfASubmittedFdidIsMissing) {
  ASSERT_OK(store_->Write([&](state::Txn& txn) -> Status {
    state::Submission s;
    s.kind = "full";
    s.file_date = 20260302;
    s.fdids = 1;
    s.customers = 1;
    s.status = "accepted";
    CAISSON_RETURN_IF_ERROR(txn.AddSubmission(&s));
    CAISSON_RETURN_IF_ERROR(txn.PutFdid(Row("F1", 1, As::kAccepted)));
    return txn.PutCustomer(Row("C1", 1, As::kAccepted));
  }));
  Input in;
  ASSERT_OK(FillFromStore(store_.get(), Books(), &in));
  EXPECT_EQ(in.customers_of_submitted, 2);  // C1 and C2
  EXPECT_EQ(in.customers_of_submitted_sent, 1);
  EXPECT_EQ(in.rejected_records, 0);
  EXPECT_EQ(in.awaiting_records, 0);
}

TEST_F(FillTest, NoStoreHasSubmittedNothing) {
  Input in;
  in.submission_dates = {20260101};
  ASSERT_OK(FillFromStore(nullptr, Books(), &in));
  EXPECT_EQ(in.submitted_records, 0);
  ASSERT_EQ(in.members.size(), 2u);
  EXPECT_EQ(in.members[0].fdids, 4);
  EXPECT_EQ(in.members[1].submitted_fdids, 0);
  EXPECT_EQ(in.tid_in_population[1], 2);
  EXPECT_TRUE(in.submission_dates.empty());
}

TEST_F(FillTest, AnEmptyStoreHasSubmittedNothing) {
  Input in;
  ASSERT_OK(FillFromStore(store_.get(), Books(), &in));
  EXPECT_EQ(in.submitted_records, 0);
  EXPECT_EQ(in.members[0].submitted_fdids, 0);
  EXPECT_TRUE(in.submission_dates.empty());
  EXPECT_FALSE(Evaluate(in).ready);
}

}  // namespace
}  // namespace caisson::certify
