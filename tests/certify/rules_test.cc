// The readiness rules against the Onboarding Guide v1.9 §6 examples, and each rule passing and failing.
#include <string>

#include <gtest/gtest.h>

#include "certify/certify.h"

namespace caisson::certify {
namespace {

// Every row of the guide's tables in §6.1 and §6.2 (the same five rows): population, 75 %, required.
struct Row {
  int64_t population, three_quarters, required;
};
constexpr Row kGuideTable[] = {
    {500, 375, 375}, {1000, 750, 750}, {1500, 1125, 1000}, {2500, 1875, 1000}, {4800, 3600, 1000},
};

// A self-reporting firm that submitted `submitted` of `population` FDIDs, everything else in order.
Input Ready(Role role, int64_t population, int64_t submitted) {
  Input in;
  in.role = role;
  in.members.push_back(Member{7001, population, submitted});
  in.customers_of_submitted = submitted * 2;
  in.customers_of_submitted_sent = submitted * 2;
  in.tid_in_population = {population, 3, 1};
  in.tid_submitted = {submitted, 1, 1};
  in.submitted_records = submitted * 3;
  in.rejected_records = 0;
  in.submission_dates = {20260302, 20260303};
  return in;
}

const Step& StepOf(const Report& r, const std::string& id) {
  for (const Step& s : r.steps) {
    if (s.id == id) return s;
  }
  static const Step kNone{"none", "", "", Outcome::kManual, ""};
  ADD_FAILURE() << "no step " << id;
  return kNone;
}

TEST(RequiredFdids, EveryRowOfTheGuideTable) {
  for (const Row& row : kGuideTable) {
    SCOPED_TRACE(row.population);
    EXPECT_EQ(row.population * 3 / 4, row.three_quarters);  // the table's middle column is exact
    EXPECT_EQ(RequiredFdids(row.population), row.required);
  }
}

TEST(RequiredFdids, RoundsUpAndCapsAtOneThousand) {
  EXPECT_EQ(RequiredFdids(0), 0);
  EXPECT_EQ(RequiredFdids(-5), 0);
  EXPECT_EQ(RequiredFdids(1), 1);      // 0.75 -> 1
  EXPECT_EQ(RequiredFdids(2), 2);      // 1.5 -> 2
  EXPECT_EQ(RequiredFdids(3), 3);      // 2.25 -> 3
  EXPECT_EQ(RequiredFdids(4), 3);
  EXPECT_EQ(RequiredFdids(501), 376);  // 375.75 -> 376
  EXPECT_EQ(RequiredFdids(1333), 1000);  // 999.75 -> 1000
  EXPECT_EQ(RequiredFdids(1334), 1000);  // 1000.5, capped
  EXPECT_EQ(RequiredFdids(1332), 999);
  EXPECT_EQ(RequiredFdids(10'000'000), 1000);
}

TEST(Evaluate, GuideTableSelfReportingAtAndBelowTheLevel) {
  for (const Row& row : kGuideTable) {
    SCOPED_TRACE(row.population);
    Report at = Evaluate(Ready(Role::kSelfReporting, row.population, row.required));
    EXPECT_TRUE(at.ready);
    EXPECT_EQ(at.required_fdids, row.required);
    EXPECT_EQ(StepOf(at, "fdids").outcome, Outcome::kPass);
    EXPECT_EQ(StepOf(at, "fdids").section, "6.1 Step 2");
    Report below = Evaluate(Ready(Role::kSelfReporting, row.population, row.required - 1));
    EXPECT_FALSE(below.ready);
    EXPECT_EQ(StepOf(below, "fdids").outcome, Outcome::kFail);
  }
}

TEST(Evaluate, GuideTableAgentTotals) {
  for (const Row& row : kGuideTable) {
    SCOPED_TRACE(row.population);
    Input in = Ready(Role::kReportingAgent, row.population, row.required);
    Report r = Evaluate(in);
    EXPECT_TRUE(r.ready);
    EXPECT_EQ(StepOf(r, "fdids").section, "6.2 Step 3");
    EXPECT_EQ(StepOf(r, "error_rate").section, "6.2 Step 4");
    in.members[0].submitted_fdids = row.required - 1;
    EXPECT_FALSE(Evaluate(in).ready);
  }
}

// [guide §6.2] an agent for Industry Members A, B, C and D, 1,200 FDIDs each: 4,800 in all, 1,000 required,
// from any combination of the four.
TEST(Evaluate, FourFirmAgentExample) {
  const int64_t combos[][4] = {{1000, 0, 0, 0}, {500, 0, 500, 0}, {333, 333, 334, 0}, {250, 250, 250, 250}};
  for (const auto& c : combos) {
    Input in = Ready(Role::kReportingAgent, 0, 1000);
    in.members.clear();
    for (int i = 0; i < 4; ++i) in.members.push_back(Member{8001 + i, 1200, c[i]});
    Report r = Evaluate(in);
    SCOPED_TRACE(StepOf(r, "fdids").detail);
    EXPECT_EQ(r.population, 4800);
    EXPECT_EQ(r.required_fdids, 1000);
    EXPECT_EQ(r.submitted_fdids, 1000);
    EXPECT_TRUE(r.ready);
    EXPECT_EQ(StepOf(r, "fdids").outcome, Outcome::kPass);
  }
  // One short, however it is spread, is not enough.
  Input in = Ready(Role::kReportingAgent, 0, 999);
  in.members.clear();
  for (int i = 0; i < 4; ++i) in.members.push_back(Member{8001 + i, 1200, i == 3 ? 249 : 250});
  Report r = Evaluate(in);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(StepOf(r, "fdids").detail,
            "999 submitted of 4800 FDIDs (all Industry Members reported for); 1000 required; CRD 8001: 250 of 1200, "
            "CRD 8002: 250 of 1200, CRD 8003: 250 of 1200, CRD 8004: 249 of 1200");
}

TEST(Evaluate, EveryCustomerOfTheSubmittedFdids) {
  Input in = Ready(Role::kSelfReporting, 500, 375);
  EXPECT_EQ(StepOf(Evaluate(in), "customers").outcome, Outcome::kPass);
  in.customers_of_submitted_sent = in.customers_of_submitted - 1;
  Report r = Evaluate(in);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(StepOf(r, "customers").outcome, Outcome::kFail);
  EXPECT_EQ(StepOf(r, "customers").detail, "749 of 750 customers associated with the submitted FDIDs submitted");
}

TEST(Evaluate, OneOfEachTidTypeThePopulationHas) {
  // Only U.S. natural persons: SSN/ITIN alone is required [§6.1 example].
  Input in = Ready(Role::kSelfReporting, 500, 375);
  in.tid_in_population = {900, 0, 0};
  in.tid_submitted = {700, 0, 0};
  Report r = Evaluate(in);
  EXPECT_TRUE(r.ready);
  EXPECT_EQ(StepOf(r, "tid_types").detail,
            "SSN/ITIN: 700 submitted (900 in the population); EIN: none in the population, not required; "
            "FOREIGN: none in the population, not required");
  // All three present: each one is needed.
  for (int missing = 0; missing < kTidTypes; ++missing) {
    SCOPED_TRACE(missing);
    Input all = Ready(Role::kSelfReporting, 500, 375);
    all.tid_submitted[missing] = 0;
    Report f = Evaluate(all);
    EXPECT_FALSE(f.ready);
    EXPECT_EQ(StepOf(f, "tid_types").outcome, Outcome::kFail);
  }
}

TEST(Evaluate, ErrorRateFifteenPercentOrLess) {
  Input in = Ready(Role::kSelfReporting, 1000, 750);
  in.submitted_records = 2000;
  in.rejected_records = 300;  // exactly 15 %
  Report r = Evaluate(in);
  EXPECT_TRUE(r.ready);
  EXPECT_DOUBLE_EQ(r.error_rate, 0.15);
  EXPECT_EQ(StepOf(r, "error_rate").detail, "300 rejected of 2000 submitted records: 15.00%");
  in.rejected_records = 301;
  r = Evaluate(in);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(StepOf(r, "error_rate").outcome, Outcome::kFail);
  EXPECT_EQ(StepOf(r, "error_rate").section, "6.1 Step 3");
}

TEST(Evaluate, NothingSubmittedFailsEveryCountedStep) {
  Input in;
  in.members.push_back(Member{7001, 500, 0});
  in.tid_in_population = {10, 0, 0};
  Report r = Evaluate(in);
  EXPECT_FALSE(r.ready);
  for (const char* id : {"fdids", "customers", "tid_types", "answered", "error_rate", "dates"}) {
    EXPECT_EQ(StepOf(r, id).outcome, Outcome::kFail) << id;
  }
  EXPECT_EQ(StepOf(r, "help_desk").detail, "no submission dates yet");
}

TEST(Evaluate, RecordsWithoutAnAnswerAreNotReady) {
  Input in = Ready(Role::kSelfReporting, 500, 375);
  in.awaiting_records = 4;
  Report r = Evaluate(in);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(StepOf(r, "answered").outcome, Outcome::kFail);
}

TEST(Evaluate, SubmissionDatesForTheHelpDesk) {
  Report r = Evaluate(Ready(Role::kSelfReporting, 500, 375));
  EXPECT_EQ(StepOf(r, "dates").detail, "2026-03-02, 2026-03-03");
  EXPECT_EQ(StepOf(r, "help_desk").outcome, Outcome::kManual);
  EXPECT_EQ(StepOf(r, "help_desk").section, "6.1 Step 4");
  EXPECT_EQ(StepOf(r, "help_desk").detail, "quote: 2026-03-02, 2026-03-03");
}

TEST(Evaluate, ViaAgentNeedsItsAgentsCertified) {
  Input in;
  in.role = Role::kViaAgent;
  Report r = Evaluate(in);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(StepOf(r, "agents_certified").outcome, Outcome::kFail);
  EXPECT_EQ(StepOf(r, "agents_certified").section, "6.3 Step 3");
  in.agents_certified = true;
  r = Evaluate(in);
  EXPECT_TRUE(r.ready);
  for (const Step& s : r.steps) EXPECT_NE(s.id, "fdids");  // the agent certifies the data, not the firm
}

// [guide §6.4] no production FDIDs: mock data, with the §6.1/§6.2 details applied to the mock population.
TEST(Evaluate, MockDataForAFirmWithoutFdids) {
  Input in = Ready(Role::kNoFdids, 20, 15);
  Report r = Evaluate(in);
  EXPECT_TRUE(r.ready);
  EXPECT_EQ(r.required_fdids, 15);
  EXPECT_EQ(StepOf(r, "fdids").section, "6.4 Step 3");
  EXPECT_EQ(StepOf(r, "help_desk").section, "6.4 Step 4");
  in.members[0].submitted_fdids = 14;
  EXPECT_FALSE(Evaluate(in).ready);
  // A single mock FDID is a level of one.
  Input one = Ready(Role::kNoFdids, 1, 1);
  EXPECT_EQ(Evaluate(one).required_fdids, 1);
  EXPECT_TRUE(Evaluate(one).ready);
  one.members[0].submitted_fdids = 0;
  EXPECT_FALSE(Evaluate(one).ready);
  // No mock books at all: nothing to show.
  Input none = Ready(Role::kNoFdids, 0, 0);
  Report empty = Evaluate(none);
  EXPECT_EQ(empty.required_fdids, 1);
  EXPECT_FALSE(empty.ready);
}

TEST(Report, JsonAndTextNameTheGuide) {
  Report r = Evaluate(Ready(Role::kSelfReporting, 500, 375));
  const std::string json = ReportJson(r);
  EXPECT_EQ(json.rfind("{\"source\": \"CAT Industry Member CAIS Onboarding Guide v1.9 (8/2/2023)\", \"role\": "
                       "\"self\", \"ready\": true, \"population_fdids\": 500, \"submitted_fdids\": 375, "
                       "\"required_fdids\": 375, \"error_rate\": 0.0000, \"max_error_rate\": 0.15, "
                       "\"submission_dates\": [\"2026-03-02\", \"2026-03-03\"], \"steps\": [{\"id\": \"login\", ",
                       0),
            0u)
      << json;
  EXPECT_NE(json.find("{\"id\": \"fdids\", \"section\": \"6.1 Step 2\", \"title\": \"FDID records submitted: at "
                      "least 75% of the population or 1,000, whichever is fewer\", \"outcome\": \"pass\", "
                      "\"detail\": \"375 submitted of 500 FDIDs; 375 required\"}"),
            std::string::npos)
      << json;
  const std::string text = ReportText(r);
  EXPECT_EQ(text.rfind("CAIS certification readiness (self; rules from the CAT Industry Member CAIS Onboarding "
                       "Guide v1.9 (8/2/2023), §6-§7, not the CAIS spec)\n",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("  [PASS  ] 6.1 Step 2  FDID records submitted"), std::string::npos) << text;
}

TEST(TidTypes, NamesAreTheSpecValues) {
  EXPECT_EQ(ParseTidType("SSN/ITIN"), TidType::kSsnItin);
  EXPECT_EQ(ParseTidType("EIN"), TidType::kEin);
  EXPECT_EQ(ParseTidType("FOREIGN"), TidType::kForeign);
  EXPECT_EQ(ParseTidType("SSN"), std::nullopt);
  EXPECT_EQ(ParseTidType(""), std::nullopt);
}

}  // namespace
}  // namespace caisson::certify
