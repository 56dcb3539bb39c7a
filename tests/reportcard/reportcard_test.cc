// The report-card estimate: the formula file, the counts per day and scope, overdue against `now`, totals.
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "reportcard/reportcard.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::reportcard {
namespace {

namespace fs = std::filesystem;

Formula Estimate() {
  Result<Formula> f = LoadFormula(caisson::testing::DataDir() / "reportcard" / "estimate.json");
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? *f : Formula{};
}

state::FileEntry DataFile(int64_t submission, const std::string& base, int32_t date, int64_t correspondent,
                          int64_t fdids, int64_t customers) {
  state::FileEntry e;
  e.submission_id = submission;
  e.base_name = base;
  e.kind = "CAIS";
  e.partner = base + "-tid";
  e.cat_submitter_id = 1;
  e.cat_reporter_crd = 2;
  e.file_date = date;
  e.correspondent_crd = correspondent;
  e.fdid_records = fdids;
  e.customer_records = customers;
  e.sha256 = "00";
  e.status = "accepted";
  return e;
}

// Items are stored open; `status` "late" closes one after its due day, "repaired" on time.
Status AddItem(state::Txn& t, int64_t id, const std::string& file, const std::string& status, int64_t due_unix) {
  state::RepairItem r;
  r.rejection_id = id;
  r.file = file;
  r.kind = state::RecordKind::kFdid;
  r.firm_key = "FD" + std::to_string(id);
  r.error_code = 22005;
  r.received_on = 20261102;
  r.due_unix = due_unix;
  r.due_on = 20261105;
  CAISSON_RETURN_IF_ERROR(t.AddRepairItem(r));
  if (status == "late") return t.CloseRepairItems(r.kind, r.firm_key, 20261106);
  if (status == "repaired") return t.CloseRepairItems(r.kind, r.firm_key, 20261104);
  return Status::OK();
}

// Day 1: own file with 60 records, correspondent 77 file with 40; day 2: one own file of 100.
std::unique_ptr<state::Store> World() {
  Result<std::unique_ptr<state::Store>> s = state::Store::Open(caisson::testing::TempDir() / "c.db", {});
  EXPECT_TRUE(s.ok());
  std::unique_ptr<state::Store> store = std::move(s).value();
  Status w = store->Write([&](state::Txn& t) -> Status {
    for (int32_t day : {20261102, 20261103}) {
      state::Submission sub;
      sub.kind = "delta";
      sub.file_date = day;
      sub.status = "accepted";
      CAISSON_RETURN_IF_ERROR(t.AddSubmission(&sub));
      if (day == 20261102) {
        CAISSON_RETURN_IF_ERROR(t.AddFile(DataFile(sub.id, "A", day, 0, 20, 40)));
        CAISSON_RETURN_IF_ERROR(t.AddFile(DataFile(sub.id, "B", day, 77, 10, 30)));
      } else {
        CAISSON_RETURN_IF_ERROR(t.AddFile(DataFile(sub.id, "C", day, 0, 50, 50)));
      }
    }
    // Now is 1000: due 500 is overdue, due 2000 outstanding.
    CAISSON_RETURN_IF_ERROR(AddItem(t, 1, "A", "late", 500));
    CAISSON_RETURN_IF_ERROR(AddItem(t, 2, "A", "open", 500));
    CAISSON_RETURN_IF_ERROR(AddItem(t, 3, "A", "open", 2000));
    CAISSON_RETURN_IF_ERROR(AddItem(t, 4, "B", "repaired", 500));
    CAISSON_RETURN_IF_ERROR(AddItem(t, 5, "elsewhere", "late", 500));  // a file Caisson did not write
    return Status::OK();
  });
  EXPECT_TRUE(w.ok()) << w.ToString();
  return store;
}

const Row* Find(const std::vector<Row>& rows, int32_t date, const std::string& scope) {
  for (const Row& r : rows) {
    if (r.date == date && r.scope == scope) return &r;
  }
  return nullptr;
}

TEST(ReportCard, TheBundledFormulaSaysItIsAnEstimate) {
  Formula f = Estimate();
  EXPECT_NE(f.label.find("ESTIMATE"), std::string::npos);
  EXPECT_DOUBLE_EQ(f.threshold, 0.05);
  EXPECT_EQ(f.numerator, (std::vector<Count>{Count::kLate, Count::kOverdue}));
  EXPECT_EQ(f.denominator, Count::kSubmitted);
}

TEST(ReportCard, CountsEachDayAndScopeAndFlagsTheThreshold) {
  auto store = World();
  Options o;
  o.now_unix = 1000;
  Result<std::vector<Row>> rows = Compute(*store, Estimate(), o);
  ASSERT_OK(rows.status());
  const Row* firm1 = Find(*rows, 20261102, "firm");
  ASSERT_NE(firm1, nullptr);
  EXPECT_EQ(firm1->submitted, 100);
  EXPECT_EQ(firm1->rejected, 4);
  EXPECT_EQ(firm1->late, 1);
  EXPECT_EQ(firm1->overdue, 1);
  EXPECT_EQ(firm1->outstanding, 1);
  EXPECT_EQ(firm1->repaired, 1);
  EXPECT_DOUBLE_EQ(firm1->rate, 0.02);  // (1 late + 1 overdue) / 100
  EXPECT_FALSE(firm1->above_threshold);
  const Row* self1 = Find(*rows, 20261102, "self");
  ASSERT_NE(self1, nullptr);
  EXPECT_EQ(self1->submitted, 60);
  EXPECT_DOUBLE_EQ(self1->rate, 2.0 / 60);
  const Row* corr = Find(*rows, 20261102, "correspondent 77");
  ASSERT_NE(corr, nullptr);
  EXPECT_EQ(corr->submitted, 40);
  EXPECT_EQ(corr->repaired, 1);
  EXPECT_DOUBLE_EQ(corr->rate, 0.0);
  const Row* total = Find(*rows, 0, "firm");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->submitted, 200);
  EXPECT_DOUBLE_EQ(total->rate, 0.01);
  // Rows: day 1 firm/self/corr, day 2 firm/self, then totals firm/self/corr.
  ASSERT_EQ(rows->size(), 8u);
  EXPECT_EQ((*rows)[0].scope, "firm");
  EXPECT_EQ((*rows)[2].scope, "correspondent 77");

  Formula strict = Estimate();
  strict.threshold = 0.03;
  rows = Compute(*store, strict, o);
  EXPECT_TRUE(Find(*rows, 20261102, "self")->above_threshold);  // 3.3 % > 3 %
  EXPECT_FALSE(Find(*rows, 20261102, "firm")->above_threshold);
}

TEST(ReportCard, OverdueDependsOnNowAndTheRangeLimitsTheDays) {
  auto store = World();
  Options o;
  o.now_unix = 100;  // before every deadline: nothing overdue
  Result<std::vector<Row>> rows = Compute(*store, Estimate(), o);
  ASSERT_OK(rows.status());
  EXPECT_EQ(Find(*rows, 20261102, "firm")->overdue, 0);
  EXPECT_EQ(Find(*rows, 20261102, "firm")->outstanding, 2);
  o.from = o.to = 20261103;
  rows = Compute(*store, Estimate(), o);
  ASSERT_OK(rows.status());
  EXPECT_EQ(Find(*rows, 20261102, "firm"), nullptr);
  EXPECT_EQ(Find(*rows, 20261103, "firm")->submitted, 100);
  EXPECT_EQ(Find(*rows, 0, "firm")->rejected, 0);
}

TEST(ReportCard, AMalformedFormulaIsRefusedNamingTheKey) {
  const fs::path p = caisson::testing::TempDir() / "f.json";
  auto write = [&](const std::string& text) {
    std::ofstream(p) << text;
    return LoadFormula(p);
  };
  Result<Formula> f = write(R"({"name": "x", "label": "L", "threshold": 0.05, "numerator": ["typos"],
                               "denominator": "submitted"})");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("\"numerator\" names an unknown count"), std::string::npos);
  f = write(R"({"name": "x", "threshold": 0.05, "numerator": ["late"], "denominator": "submitted"})");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("label"), std::string::npos);
  f = write(R"({"name": "x", "label": "L", "threshold": 5, "numerator": ["late"], "denominator": "submitted"})");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("threshold"), std::string::npos);
  f = write("not json");
  EXPECT_EQ(f.status().code(), Status::Code::kCorruption);
}

TEST(ReportCard, JsonAndTextCarryTheLabel) {
  auto store = World();
  Options o;
  o.now_unix = 1000;
  Formula f = Estimate();
  Result<std::vector<Row>> rows = Compute(*store, f, o);
  ASSERT_OK(rows.status());
  const std::string json = RowsJson(f, *rows);
  EXPECT_NE(json.find("\"label\": \"ESTIMATE"), std::string::npos);
  EXPECT_NE(json.find("{\"date\": 20261102, \"scope\": \"firm\", \"submitted\": 100, \"rejected\": 4, \"repaired\": 1, "
                      "\"late\": 1, \"outstanding\": 1, \"overdue\": 1, \"rate\": 0.020000, \"above_threshold\": false}"),
            std::string::npos)
      << json;
  const std::string text = RowsText(f, *rows);
  EXPECT_EQ(text.rfind("ESTIMATE", 0), 0u);
  EXPECT_NE(text.find("total"), std::string::npos);
}

}  // namespace
}  // namespace caisson::reportcard
