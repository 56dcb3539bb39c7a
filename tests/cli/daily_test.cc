// The daily job over several business days (issue #7): a full load, then `build --delta` sends exactly the
// closure of §3.6 — changed FDIDs in full, a changed customer with one of its FDIDs, ended records with their
// real end dates, a REPLACED FDID with its replacing one, rejected records again — and nothing when nothing
// changed. Acceptance comes from `caisson accept`.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "cli_util.h"
#include "model/model.h"
#include "spec/spec.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

struct Account {
  std::string fdid, name, date, end_date, end_reason, replaced_by;
  std::string activity = "", prior_crd = "", prior_fdid = "";  // last_activity_date; mass transfer in [§3.3]
};
struct Person {
  std::string id, first, last, ssn;
  std::string old_ssn = "", old_end = "", old_reason = "";  // an ended identifier [§3.2]
};
struct Role {
  std::string fdid, customer, start, end_date, end_reason;
};

// A small firm whose books each day's test edits.
struct Books {
  bool enforce_refresh = false;
  std::vector<Account> accounts;
  std::vector<Person> people;
  std::vector<Role> roles;

  void Write(const fs::path& dir, const std::string& as_of = "2026-11-20") const {
    fs::create_directories(dir);
    std::ofstream(dir / "caisson.toml") << "[firm]\ncat_reporter_crd = 990001\ncat_submitter_id = 990002\n"
                                           "[spec]\nas_of = \"" << as_of << "\"\n"
                                        << (enforce_refresh ? "[state]\nenforce_refresh = true\n" : "");
    std::ofstream a(dir / "accounts.csv");
    a << "fdid,fdid_type,account_types,account_name,account_number,fdid_date,fdid_end_date,fdid_end_reason,"
         "replaced_by_fdid,last_activity_date,prior_cat_reporter_crd,prior_cat_reporter_fdid\n";
    for (const Account& x : accounts) {
      a << x.fdid << ",ACCOUNT,MARGIN," << x.name << ",ACCT-SYN-" << x.fdid << "," << x.date << "," << x.end_date
        << "," << x.end_reason << "," << x.replaced_by << "," << x.activity << "," << x.prior_crd << ","
        << x.prior_fdid << "\n";
    }
    std::ofstream c(dir / "customers.csv");
    c << "customer_id,kind,customer_types,first_name,last_name,year_of_birth\n";
    for (const Person& p : people) c << p.id << ",NATURAL_PERSON,NOTAPPLICABLE," << p.first << "," << p.last << ",1970\n";
    std::ofstream i(dir / "identifiers.csv");
    i << "customer_id,id_type,id_value,end_date,end_reason\n";
    for (const Person& p : people) {
      i << p.id << ",SSN," << p.ssn << ",,\n";
      if (!p.old_ssn.empty()) i << p.id << ",SSN," << p.old_ssn << "," << p.old_end << "," << p.old_reason << "\n";
    }
    std::ofstream r(dir / "roles.csv");
    r << "fdid,customer_id,role,role_start_date,role_end_date,role_end_reason\n";
    for (const Role& x : roles) {
      r << x.fdid << "," << x.customer << ",TRDHOLDER," << x.start << "," << x.end_date << "," << x.end_reason << "\n";
    }
    std::ofstream d(dir / "addresses.csv");
    d << "owner_type,owner_id,addr_type,line1,city,region,postal_code,country\n";
    for (const Account& x : accounts) d << "ACCOUNT," << x.fdid << ",ADDRESS1,1 TEST ST,NEW YORK,NY,10011,US\n";
    for (const Person& p : people) d << "CUSTOMER," << p.id << ",ADDRESS1,2 TEST AVE,NEW YORK,NY,10012,US\n";
  }
};

// What one day's Data Files hold: FDIDs by firmDesignatedID, customers by customerRecordID per file mapped to
// their names (the test's people have unique last names), and each FDID's role end dates.
struct Day {
  std::set<std::string> fdids;
  std::set<std::string> last_names;
  std::vector<model::Fdid> records;
  int pairs = 0;
};

Day ReadDay(const fs::path& out, const std::string& file_date, const std::set<std::string>& before) {
  Result<spec::Profile> profile = spec::LoadProfile(DataDir(), "cais-2.2.0r4");
  EXPECT_TRUE(profile.ok());
  Day day;
  for (const auto& e : fs::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (before.count(name) || name.find("_" + file_date + "_CAIS_") == std::string::npos) continue;
    ++day.pairs;
    Result<std::string> text = caisjson::ReadMaybeBz2(e.path());
    EXPECT_TRUE(text.ok()) << name;
    model::Books books;
    std::vector<Finding> findings;
    EXPECT_TRUE(caisjson::ReadDataFile(*profile, *text, name, 0, &books, &findings).ok());
    for (model::Fdid& f : books.fdids) {
      day.fdids.insert(std::string(*f.firm_designated_id));
      day.records.push_back(std::move(f));
    }
    for (const model::Customer& c : books.customers) day.last_names.insert(std::string(*c.last_name));
  }
  return day;
}

std::set<std::string> Names(const fs::path& dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) names.insert(e.path().filename().string());
  return names;
}

const model::Fdid* Find(const Day& day, const std::string& fdid) {
  for (const model::Fdid& f : day.records) {
    if (*f.firm_designated_id == fdid) return &f;
  }
  return nullptr;
}

TEST(Daily, EachDaySendsTheClosureOfWhatChanged) {
  const fs::path dir = TempDir();
  Books b;
  b.accounts = {{"FDA1", "ALPHA ONE", "2020-01-02", "", "", ""},
                {"FDA2", "JOINT TWO", "2020-01-02", "", "", ""},
                {"FDA3", "GAMMA THREE", "2020-01-02", "", "", ""},
                {"FDA4", "DELTA FOUR", "2020-01-02", "", "", ""},
                {"FDA5", "EPSILON FIVE", "2020-01-02", "", "", ""},
                {"FDA7", "GOLF SEVEN", "2020-01-02", "", "", ""}};
  b.people = {{"P1", "ANN", "ALPHA", "917-80-1001"},
              {"P2", "BOB", "BRAVO", "917-80-1002"},
              {"P3", "CID", "CHARLIE", "917-80-1003"},
              {"P4", "DOT", "DELTA", "917-80-1004"},
              {"P5", "EVE", "ECHO", "917-80-1005"},
              {"P7", "GUS", "GOLF", "917-80-1007"}};
  b.roles = {{"FDA1", "P1", "2020-01-02", "", ""},
             {"FDA2", "P1", "2020-01-02", "", ""},
             {"FDA2", "P2", "2020-01-02", "", ""},
             {"FDA3", "P3", "2020-01-02", "", ""},
             {"FDA4", "P4", "2020-01-02", "", ""},
             {"FDA5", "P5", "2020-01-02", "", ""},
             {"FDA7", "P7", "2020-01-02", "", ""}};

  // A delta before any full build is refused, and nothing is created.
  b.Write(dir / "books");
  RunResult early = RunCaisson("build books --delta --out out --file-date 20261116", dir);
  EXPECT_EQ(early.exit_code, 2) << early.err;
  EXPECT_NE(early.err.find("full `caisson build` first"), std::string::npos) << early.err;
  EXPECT_FALSE(fs::exists(dir / "out"));

  // Day 1: the initial load, accepted a year ago (so the refresh is due by as_of).
  RunResult d1 = RunCaisson("build books --out out --file-date 20261116", dir);
  ASSERT_EQ(d1.exit_code, 0) << d1.err;
  Day day1 = ReadDay(dir / "out", "20261116", {});
  EXPECT_EQ(day1.fdids, (std::set<std::string>{"FDA1", "FDA2", "FDA3", "FDA4", "FDA5", "FDA7"}));
  ASSERT_EQ(RunCaisson("accept 1 --date 20251201 --config books/caisson.toml", dir).exit_code, 0);
  // The same build again writes nothing (it is submission 1 already).
  std::set<std::string> seen = Names(dir / "out");
  RunResult again = RunCaisson("build books --out out --file-date 20261116", dir);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("submission 1 already"), std::string::npos) << again.err;
  EXPECT_EQ(Names(dir / "out"), seen);

  // Day 2: FDA3 renamed; P1, on FDA1 and FDA2, changes name: it goes with one FDID (FDA1), not both.
  b.accounts[2].name = "GAMMA RENAMED";
  b.people[0].last = "ALPHAS";
  b.Write(dir / "books");
  ASSERT_EQ(RunCaisson("build books --delta --out out --file-date 20261117", dir).exit_code, 0);
  Day day2 = ReadDay(dir / "out", "20261117", seen);
  EXPECT_EQ(day2.fdids, (std::set<std::string>{"FDA1", "FDA3"}));
  EXPECT_EQ(day2.last_names, (std::set<std::string>{"ALPHAS", "CHARLIE"}));
  ASSERT_EQ(RunCaisson("accept 2 --date 20261118 --config books/caisson.toml", dir).exit_code, 0);
  seen = Names(dir / "out");

  // Day 3: FDA4 closed; P2's role on FDA2 ended with its real date. Both FDIDs go with their end dates.
  b.accounts[3].end_date = "2026-11-18";
  b.accounts[3].end_reason = "ENDED";
  b.roles[4].end_date = "2026-11-18";
  b.roles[4].end_reason = "ENDED";
  b.roles[2].end_date = "2026-11-17";
  b.roles[2].end_reason = "ENDED";
  b.Write(dir / "books");
  ASSERT_EQ(RunCaisson("build books --delta --out out --file-date 20261118", dir).exit_code, 0);
  Day day3 = ReadDay(dir / "out", "20261118", seen);
  EXPECT_EQ(day3.fdids, (std::set<std::string>{"FDA2", "FDA4"}));
  const model::Fdid* fda2 = Find(day3, "FDA2");
  ASSERT_NE(fda2, nullptr);
  ASSERT_EQ(fda2->fdid_customer_list.size(), 2u);  // the ended association is sent, not omitted
  int ended = 0;
  for (const model::Association& a : fda2->fdid_customer_list) {
    if (a.role_end_date.has_value()) {
      ++ended;
      EXPECT_EQ(a.role_end_date.value, 20261117);
    }
  }
  EXPECT_EQ(ended, 1);
  const model::Fdid* fda4 = Find(day3, "FDA4");
  ASSERT_NE(fda4, nullptr);
  EXPECT_EQ(fda4->fdid_end_date.value, 20261118);
  // CAIS rejects P2: the cascade takes FDA2, the FDID it came with [§6.3].
  RunResult acc3 = RunCaisson("accept 3 --date 20261119 --reject-customer P2 --config books/caisson.toml", dir);
  ASSERT_EQ(acc3.exit_code, 0) << acc3.err;
  EXPECT_NE(acc3.err.find("1 FDIDs and 1 customers rejected"), std::string::npos) << acc3.err;
  seen = Names(dir / "out");

  // Day 4: FDA5 REPLACED by the new FDA6 (same holder): both travel together; FDA2 goes again after its
  // rejection; FDA3 left the books: a finding, never a silent drop.
  b.accounts[4].end_date = "2026-11-19";
  b.accounts[4].end_reason = "REPLACED";
  b.accounts[4].replaced_by = "FDA6";
  b.accounts.push_back({"FDA6", "EPSILON SIX", "2026-11-19", "", "", ""});
  b.roles[5].end_date = "2026-11-19";
  b.roles[5].end_reason = "REPLACED";
  b.roles.push_back({"FDA6", "P5", "2026-11-19", "", ""});
  b.accounts.erase(b.accounts.begin() + 2);  // FDA3
  b.roles.erase(b.roles.begin() + 3);        // FDA3-P3
  b.people.erase(b.people.begin() + 2);      // P3
  b.Write(dir / "books");
  RunResult d4 = RunCaisson("build books --delta --out out --file-date 20261119 --format json", dir);
  ASSERT_EQ(d4.exit_code, 0) << d4.err;
  EXPECT_NE(d4.out.find("\"rule\": \"state.vanished\""), std::string::npos) << d4.out.substr(0, 2000);
  EXPECT_NE(d4.out.find("\"key\": \"FDA3\""), std::string::npos);
  Day day4 = ReadDay(dir / "out", "20261119", seen);
  EXPECT_EQ(day4.fdids, (std::set<std::string>{"FDA2", "FDA5", "FDA6"}));
  EXPECT_EQ(day4.pairs, 1);  // the REPLACED FDID and its replacement in one file [§3.1]
  ASSERT_EQ(RunCaisson("accept 4 --date 20261120 --config books/caisson.toml", dir).exit_code, 0);
  seen = Names(dir / "out");

  // Day 5: nothing changed: no files.
  RunResult d5 = RunCaisson("build books --delta --out out --file-date 20261120", dir);
  EXPECT_EQ(d5.exit_code, 0) << d5.err;
  EXPECT_NE(d5.err.find("nothing changed"), std::string::npos) << d5.err;
  EXPECT_EQ(Names(dir / "out"), seen);

  // Status: FDA7 has not been sent since the load accepted on 2025-12-01, so its 12-month refresh is listed
  // (from 11 months) by as_of 2026-11-20; FDA3, gone from the books, was last accepted on day 2.
  RunResult st = RunCaisson("status --format json --config books/caisson.toml", dir);
  ASSERT_EQ(st.exit_code, 0) << st.err;
  EXPECT_NE(st.out.find("\"refresh_due\": 1"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("{\"fdid\": \"FDA7\", \"last_accepted\": 20251201, \"status\": \"DUE\"}"), std::string::npos)
      << st.out;
  EXPECT_NE(st.out.find("\"awaiting_acceptance\": 0"), std::string::npos) << st.out;

  // Every build and acceptance is in the audit chain, which verifies.
  RunResult audit = RunCaisson("audit verify --config books/caisson.toml", dir);
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
  RunResult exported = RunCaisson("audit export --config books/caisson.toml", dir);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  // 6 runs of build (two wrote nothing: the same build again, and day 5) and 4 acceptances.
  EXPECT_EQ(std::count(exported.out.begin(), exported.out.end(), '\n'), 10) << exported.out;
  EXPECT_NE(exported.out.find("\"nothing_written\":\"nothing changed\""), std::string::npos);
  EXPECT_NE(exported.out.find("\"kind\":\"accept\""), std::string::npos);
  EXPECT_EQ(exported.out.find("917-80-"), std::string::npos);  // no identifier in the trail

  // With the refresh enforced, the delta resends the FDID due for it [§3.8]; its acceptance resets the clock.
  b.enforce_refresh = true;
  b.Write(dir / "books");
  seen = Names(dir / "out");
  RunResult refresh = RunCaisson("build books --delta --out out --file-date 20261120", dir);
  ASSERT_EQ(refresh.exit_code, 0) << refresh.err;
  EXPECT_NE(refresh.err.find("1 due for the refresh"), std::string::npos) << refresh.err;
  EXPECT_EQ(ReadDay(dir / "out", "20261120", seen).fdids, (std::set<std::string>{"FDA7"}));
  ASSERT_EQ(RunCaisson("accept 5 --date 20261120 --config books/caisson.toml", dir).exit_code, 0);
  RunResult after = RunCaisson("status --format json --config books/caisson.toml", dir);
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_NE(after.out.find("\"refresh_due\": 0"), std::string::npos) << after.out;
}

const model::Association& OnlyRole(const model::Fdid* f) {
  static const model::Association kNone;
  if (f == nullptr || f->fdid_customer_list.size() != 1) {
    ADD_FAILURE() << "expected one association";
    return kNone;
  }
  return f->fdid_customer_list[0];
}

std::string Reason(const model::Text& t) { return t ? std::string(*t) : std::string("-"); }

TEST(Daily, InactiveReactivatedTransfersCorrectionAndReopening) {
  const fs::path dir = TempDir();
  Books b;
  b.accounts = {{"FDB1", "ACTIVE ONE", "2020-01-02", "", "", "", "2026-11-01", "", ""},
                {"FDB2", "QUIET TWO", "2020-01-02", "", "", "", "2026-01-15", "", ""},
                {"FDB3", "UNKNOWN THREE", "2020-01-02", "", "", "", "", "", ""},
                {"FDB4", "DORMANT FOUR", "2015-01-02", "", "", "", "2021-03-01", "", ""},
                {"FDB5", "TRANSFERRED IN", "2026-11-02", "", "", "", "2026-11-10", "123456", "OLD-FD-9"},
                {"FDB6", "CLOSED SIX", "2020-01-02", "", "", "", "2026-11-01", "", ""}};
  b.people = {{"Q1", "ANN", "ONE", "917-80-2001"}, {"Q2", "BOB", "TWO", "917-80-2002"},
              {"Q3", "CID", "THREE", "917-80-2003"}, {"Q4", "DOT", "FOUR", "917-80-2004"},
              {"Q5", "EVE", "FIVE", "917-80-2005"}, {"Q6", "FAY", "SIX", "917-80-2006"}};
  b.roles = {{"FDB1", "Q1", "2020-01-02", "", ""}, {"FDB2", "Q2", "2020-01-02", "", ""},
             {"FDB3", "Q3", "2020-01-02", "", ""}, {"FDB4", "Q4", "2015-01-02", "", ""},
             {"FDB5", "Q5", "2026-11-02", "", ""}, {"FDB6", "Q6", "2020-01-02", "", ""}};
  auto accept = [&](int n, const std::string& date) {
    RunResult r = RunCaisson("accept " + std::to_string(n) + " --date " + date + " --config books/caisson.toml", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };

  // Day 1: FDB4 had no activity since before 2022-06-12 and was never sent: out of scope. FDB5 came by mass
  // transfer and names the transferring firm's CRD and FDID [§3.3].
  b.Write(dir / "books", "2026-11-16");
  RunResult d1 = RunCaisson("build books --out out --file-date 20261116", dir);
  ASSERT_EQ(d1.exit_code, 0) << d1.err;
  std::set<std::string> seen;
  Day day1 = ReadDay(dir / "out", "20261116", seen);
  EXPECT_EQ(day1.fdids, (std::set<std::string>{"FDB1", "FDB2", "FDB3", "FDB5", "FDB6"}));
  const model::Fdid* in = Find(day1, "FDB5");
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(in->prior_cat_reporter_crd.value, 123456);
  EXPECT_EQ(Reason(in->prior_cat_reporter_fdid), "OLD-FD-9");
  accept(1, "20261117");
  seen = Names(dir / "out");

  // Day 2: --end-inactive ends FDB2 (no activity since 2026-01-15) INACTIVE, its role with it [§3.8]; FDB3 has
  // no activity data: reported, not ended.
  b.Write(dir / "books", "2026-11-17");
  RunResult d2 = RunCaisson("build books --delta --end-inactive --out out --file-date 20261117", dir);
  ASSERT_EQ(d2.exit_code, 0) << d2.err;
  EXPECT_NE(d2.err.find("1 ended today"), std::string::npos) << d2.err;
  EXPECT_NE(d2.err.find("1 open FDIDs have no last_activity_date"), std::string::npos) << d2.err;
  Day day2 = ReadDay(dir / "out", "20261117", seen);
  EXPECT_EQ(day2.fdids, (std::set<std::string>{"FDB2"}));
  const model::Fdid* quiet = Find(day2, "FDB2");
  ASSERT_NE(quiet, nullptr);
  EXPECT_EQ(quiet->fdid_end_date.value, 20261117);
  EXPECT_EQ(Reason(quiet->fdid_end_reason), "INACTIVE");
  EXPECT_EQ(OnlyRole(quiet).role_end_date.value, 20261117);
  EXPECT_EQ(Reason(OnlyRole(quiet).role_end_reason), "INACTIVE");
  accept(2, "20261118");
  seen = Names(dir / "out");

  // Day 3: without the flag the FDID stays INACTIVE (the store remembers): nothing to send.
  b.Write(dir / "books", "2026-11-18");
  RunResult d3 = RunCaisson("build books --delta --out out --file-date 20261118", dir);
  ASSERT_EQ(d3.exit_code, 0) << d3.err;
  EXPECT_NE(d3.err.find("nothing changed"), std::string::npos) << d3.err;
  EXPECT_NE(d3.err.find("1 still inactive"), std::string::npos) << d3.err;

  // Day 4: activity returns on FDB2: it is sent whole, open, its association active again [§3.8].
  b.accounts[1].activity = "2026-11-18";
  b.Write(dir / "books", "2026-11-19");
  RunResult d4 = RunCaisson("build books --delta --out out --file-date 20261119", dir);
  ASSERT_EQ(d4.exit_code, 0) << d4.err;
  EXPECT_NE(d4.err.find("1 reactivated"), std::string::npos) << d4.err;
  Day day4 = ReadDay(dir / "out", "20261119", seen);
  EXPECT_EQ(day4.fdids, (std::set<std::string>{"FDB2"}));
  const model::Fdid* back = Find(day4, "FDB2");
  ASSERT_NE(back, nullptr);
  EXPECT_FALSE(back->fdid_end_date.has_value());
  EXPECT_FALSE(OnlyRole(back).role_end_date.has_value());
  accept(3, "20261120");
  seen = Names(dir / "out");

  // Day 5: FDB5 moves out by mass transfer (TRANSFER); FDB1 should never have been reported (CORRECTION: ends
  // on its own fdidDate, the role on its start); FDB6 is closed.
  b.accounts[4].end_date = "2026-11-19";
  b.accounts[4].end_reason = "TRANSFER";
  b.roles[4].end_date = "2026-11-19";
  b.roles[4].end_reason = "TRANSFER";
  b.accounts[0].end_date = "2020-01-02";
  b.accounts[0].end_reason = "CORRECTION";
  b.roles[0].end_date = "2020-01-02";
  b.roles[0].end_reason = "CORRECTION";
  b.accounts[5].end_date = "2026-11-19";
  b.accounts[5].end_reason = "ENDED";
  b.roles[5].end_date = "2026-11-19";
  b.roles[5].end_reason = "ENDED";
  b.Write(dir / "books", "2026-11-20");
  RunResult d5 = RunCaisson("build books --delta --out out --file-date 20261120", dir);
  ASSERT_EQ(d5.exit_code, 0) << d5.err;
  Day day5 = ReadDay(dir / "out", "20261120", seen);
  EXPECT_EQ(day5.fdids, (std::set<std::string>{"FDB1", "FDB5", "FDB6"}));
  EXPECT_EQ(Reason(Find(day5, "FDB5")->fdid_end_reason), "TRANSFER");
  EXPECT_EQ(Reason(Find(day5, "FDB1")->fdid_end_reason), "CORRECTION");
  EXPECT_EQ(Find(day5, "FDB1")->fdid_end_date.value, 20200102);
  accept(4, "20261121");
  seen = Names(dir / "out");

  // Day 6: FDB6 reopens: open again, fdidDate the reopening date [§5.1.3.1 R37].
  b.accounts[5].date = "2026-11-21";
  b.accounts[5].end_date = "";
  b.accounts[5].end_reason = "";
  b.roles[5] = {"FDB6", "Q6", "2026-11-21", "", ""};
  b.Write(dir / "books", "2026-11-21");
  RunResult d6 = RunCaisson("build books --delta --out out --file-date 20261121", dir);
  ASSERT_EQ(d6.exit_code, 0) << d6.err;
  Day day6 = ReadDay(dir / "out", "20261121", seen);
  EXPECT_EQ(day6.fdids, (std::set<std::string>{"FDB6"}));
  const model::Fdid* reopened = Find(day6, "FDB6");
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->fdid_date.value, 20261121);
  EXPECT_FALSE(reopened->fdid_end_date.has_value());

  RunResult st = RunCaisson("status --format json --config books/caisson.toml", dir);
  ASSERT_EQ(st.exit_code, 0) << st.err;
  EXPECT_NE(st.out.find("\"open_without_activity_data\": 1"), std::string::npos) << st.out;
}

// The TID records of one day's TID Files, by tidValue.
std::vector<model::Customer> ReadDayCustomers(const fs::path& out, const std::string& file_date) {
  Result<spec::Profile> profile = spec::LoadProfile(DataDir(), "cais-2.2.0r4");
  EXPECT_TRUE(profile.ok());
  std::vector<model::Customer> all;
  for (const auto& e : fs::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (name.find("_" + file_date + "_CAIS_") == std::string::npos) continue;
    std::string tid_name = name;
    tid_name.replace(tid_name.find("_CAIS_"), 6, "_TIDS_");
    model::Books books;
    std::vector<Finding> findings;
    EXPECT_TRUE(caisjson::ReadDataFile(*profile, *caisjson::ReadMaybeBz2(e.path()), name, 0, &books, &findings).ok());
    EXPECT_TRUE(
        caisjson::ReadTidFile(*profile, *caisjson::ReadMaybeBz2(out / tid_name), tid_name, 1, &books, &findings).ok());
    EXPECT_TRUE(findings.empty()) << findings.size() << " findings, first: " << findings[0].message;
    for (model::Customer& c : books.customers) all.push_back(std::move(c));
  }
  return all;
}

TEST(Daily, TidReplacedOrCorrectedSendsBothVersions) {
  const fs::path dir = TempDir();
  Books b;
  b.accounts = {{"FDR1", "RHO ONE", "2020-01-02", "", "", ""},
                {"FDR2", "RHO TWO", "2021-05-03", "", "", ""},
                {"FDR3", "SIGMA THREE", "2020-01-02", "", "", ""}};
  b.people = {{"R1", "RAY", "ROMEO", "917-80-3001"}, {"R2", "SUE", "SIERRA", "917-80-3002"}};
  b.roles = {{"FDR1", "R1", "2020-01-02", "", ""}, {"FDR2", "R1", "2021-05-03", "", ""},
             {"FDR3", "R2", "2020-01-02", "", ""}};
  b.Write(dir / "books");
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261116", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("accept 1 --date 20261117 --config books/caisson.toml", dir).exit_code, 0);
  std::set<std::string> seen = Names(dir / "out");
  const std::vector<model::Customer> day1 = ReadDayCustomers(dir / "out", "20261116");
  ASSERT_EQ(day1.size(), 2u);
  std::string r1_old, r2_old;
  for (const model::Customer& c : day1) (*c.last_name == "ROMEO" ? r1_old : r2_old) = *c.tid->tid_value;

  // Day 2: R1's identifier changed legally (REPLACED, linked by replacedByTID); R2's was wrong (CORRECTION).
  b.people[0].old_ssn = b.people[0].ssn;
  b.people[0].old_end = "2026-11-17";
  b.people[0].old_reason = "REPLACED";
  b.people[0].ssn = "917-81-3001";
  b.people[1].old_ssn = b.people[1].ssn;
  b.people[1].old_end = "2026-11-17";
  b.people[1].old_reason = "CORRECTION";
  b.people[1].ssn = "917-81-3002";
  b.Write(dir / "books");
  RunResult d2 = RunCaisson("build books --delta --out out --file-date 20261117", dir);
  ASSERT_EQ(d2.exit_code, 0) << d2.err;
  EXPECT_NE(d2.err.find("2 customer(s) replace their TID"), std::string::npos) << d2.err;
  Day day2 = ReadDay(dir / "out", "20261117", seen);
  EXPECT_EQ(day2.fdids, (std::set<std::string>{"FDR1", "FDR2", "FDR3"}));  // every FDID of both customers
  const std::vector<model::Customer> customers = ReadDayCustomers(dir / "out", "20261117");
  ASSERT_EQ(customers.size(), 4u);  // both versions of both customers
  std::string r1_new;
  for (const model::Customer& c : customers) {
    if (*c.last_name == "ROMEO" && *c.tid->tid_value != r1_old) r1_new = *c.tid->tid_value;
  }
  ASSERT_FALSE(r1_new.empty());
  for (const model::Customer& c : customers) {
    const model::TidRecord& t = *c.tid;
    if (*t.tid_value == r1_old) {  // the legal change links the two [§3.2]
      EXPECT_EQ(Reason(t.replaced_by_tid), r1_new);
      EXPECT_EQ(Reason(t.replaced_by_tid_type), "SSN/ITIN");
    } else {
      EXPECT_FALSE(t.replaced_by_tid) << *c.last_name;  // the new ones, and a correction, carry no link
    }
  }
  // FDR2: the old association ended REPLACED on the identifier's end date, the new one keeps the original start.
  const model::Fdid* fdr2 = Find(day2, "FDR2");
  ASSERT_NE(fdr2, nullptr);
  ASSERT_EQ(fdr2->fdid_customer_list.size(), 2u);
  EXPECT_FALSE(fdr2->fdid_customer_list[0].role_end_date.has_value());
  EXPECT_EQ(fdr2->fdid_customer_list[0].role_start_date.value, 20210503);
  EXPECT_EQ(fdr2->fdid_customer_list[1].role_end_date.value, 20261117);
  EXPECT_EQ(Reason(fdr2->fdid_customer_list[1].role_end_reason), "REPLACED");
  // FDR3: a correction ends the wrong association on its start date.
  const model::Fdid* fdr3 = Find(day2, "FDR3");
  ASSERT_NE(fdr3, nullptr);
  ASSERT_EQ(fdr3->fdid_customer_list.size(), 2u);
  EXPECT_EQ(fdr3->fdid_customer_list[1].role_end_date.value, 20200102);
  EXPECT_EQ(Reason(fdr3->fdid_customer_list[1].role_end_reason), "CORRECTION");
  RunResult check = RunCaisson("check out --config books/caisson.toml", dir);
  EXPECT_EQ(check.exit_code, 0) << check.err;

  // Day 3, accepted: the store now knows the new TIDs, so the ended identifiers make nothing more.
  ASSERT_EQ(RunCaisson("accept 2 --date 20261118 --config books/caisson.toml", dir).exit_code, 0);
  RunResult d3 = RunCaisson("build books --delta --out out --file-date 20261118", dir);
  EXPECT_EQ(d3.exit_code, 0) << d3.err;
  EXPECT_NE(d3.err.find("nothing changed"), std::string::npos) << d3.err;
}

// Two FDIDs whose accounts.csv rows carry a history (valid_from).
void WriteHistoryBooks(const fs::path& dir, const std::string& as_of, const std::string& account_rows) {
  fs::create_directories(dir);
  std::ofstream(dir / "caisson.toml") << "[firm]\ncat_reporter_crd = 990001\ncat_submitter_id = 990002\n"
                                         "[spec]\nas_of = \"" << as_of << "\"\n";
  std::ofstream(dir / "accounts.csv") << "fdid,fdid_type,account_types,account_name,account_number,fdid_date,valid_from\n"
                                      << account_rows;
  std::ofstream(dir / "customers.csv") << "customer_id,kind,customer_types,first_name,last_name,year_of_birth\n"
                                          "H1,NATURAL_PERSON,NOTAPPLICABLE,HAL,HOTEL,1970\n"
                                          "H2,NATURAL_PERSON,NOTAPPLICABLE,IDA,INDIA,1971\n";
  std::ofstream(dir / "identifiers.csv") << "customer_id,id_type,id_value\nH1,SSN,917-80-4001\nH2,SSN,917-80-4002\n";
  std::ofstream(dir / "roles.csv") << "fdid,customer_id,role,role_start_date\nFDH1,H1,TRDHOLDER,2020-01-02\n"
                                      "FDH2,H2,TRDHOLDER,2020-01-02\n";
  std::ofstream(dir / "addresses.csv") << "owner_type,owner_id,addr_type,line1,city,region,postal_code,country\n"
                                          "ACCOUNT,FDH1,ADDRESS1,1 TEST ST,NEW YORK,NY,10011,US\n"
                                          "ACCOUNT,FDH2,ADDRESS1,1 TEST ST,NEW YORK,NY,10011,US\n"
                                          "CUSTOMER,H1,ADDRESS1,2 TEST AVE,NEW YORK,NY,10012,US\n"
                                          "CUSTOMER,H2,ADDRESS1,2 TEST AVE,NEW YORK,NY,10012,US\n";
}

std::string NameOf(const Day& day, const std::string& fdid) {
  const model::Fdid* f = Find(day, fdid);
  return f == nullptr ? "(not sent)" : Reason(f->account_name);
}

TEST(Daily, MissedIntermediateStatesGoOutInOrder) {
  const fs::path dir = TempDir();
  WriteHistoryBooks(dir / "books", "2026-11-16",
                    "FDH1,ACCOUNT,MARGIN,NAME ZERO,ACCT-SYN-1,2020-01-02,\n"
                    "FDH2,ACCOUNT,MARGIN,OTHER ZERO,ACCT-SYN-2,2020-01-02,\n");
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261116", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("accept 1 --date 20261117 --config books/caisson.toml", dir).exit_code, 0);
  std::set<std::string> seen = Names(dir / "out");

  // Three days later the books show FDH1 renamed twice and FDH2 once: three states CAIS has not seen.
  const std::string rows =
      "FDH1,ACCOUNT,MARGIN,NAME ZERO,ACCT-SYN-1,2020-01-02,\n"
      "FDH1,ACCOUNT,MARGIN,NAME ONE,ACCT-SYN-1,2020-01-02,2026-11-17\n"
      "FDH1,ACCOUNT,MARGIN,NAME TWO,ACCT-SYN-1,2020-01-02,2026-11-18\n"
      "FDH2,ACCOUNT,MARGIN,OTHER ZERO,ACCT-SYN-2,2020-01-02,\n"
      "FDH2,ACCOUNT,MARGIN,OTHER ONE,ACCT-SYN-2,2020-01-02,2026-11-19\n";
  WriteHistoryBooks(dir / "books", "2026-11-19", rows);
  RunResult d2 = RunCaisson("build books --delta --out out --file-date 20261119 --format json", dir);
  ASSERT_EQ(d2.exit_code, 0) << d2.err;
  EXPECT_NE(d2.out.find("\"rule\": \"state.sequence\""), std::string::npos) << d2.out.substr(0, 1500);
  Day day2 = ReadDay(dir / "out", "20261119", seen);
  EXPECT_EQ(day2.fdids, (std::set<std::string>{"FDH1"}));
  EXPECT_EQ(NameOf(day2, "FDH1"), "NAME ONE");  // the first missed state, not the latest
  seen = Names(dir / "out");

  // Before that is accepted the next state must wait.
  RunResult wait = RunCaisson("build books --delta --out out --file-date 20261119", dir);
  EXPECT_EQ(wait.exit_code, 0) << wait.err;
  EXPECT_NE(wait.err.find("not accepted yet"), std::string::npos) << wait.err;
  EXPECT_EQ(Names(dir / "out"), seen);

  ASSERT_EQ(RunCaisson("accept 2 --date 20261119 --config books/caisson.toml", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --delta --out out --file-date 20261119", dir).exit_code, 0);
  Day day3 = ReadDay(dir / "out", "20261119", seen);
  EXPECT_EQ(day3.fdids, (std::set<std::string>{"FDH1"}));
  EXPECT_EQ(NameOf(day3, "FDH1"), "NAME TWO");
  seen = Names(dir / "out");

  // One state left: the books as of today, FDH2's change included.
  ASSERT_EQ(RunCaisson("accept 3 --date 20261119 --config books/caisson.toml", dir).exit_code, 0);
  RunResult d4 = RunCaisson("build books --delta --out out --file-date 20261119 --format json", dir);
  ASSERT_EQ(d4.exit_code, 0) << d4.err;
  EXPECT_EQ(d4.out.find("state.sequence"), std::string::npos);
  Day day4 = ReadDay(dir / "out", "20261119", seen);
  EXPECT_EQ(day4.fdids, (std::set<std::string>{"FDH2"}));
  EXPECT_EQ(NameOf(day4, "FDH2"), "OTHER ONE");
}

}  // namespace
}  // namespace caisson::testing

namespace caisson::testing {
namespace {

TEST(Daily, AnOverdueRefreshFailsStatusOnlyWhenEnforced) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 12 --seed 9 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261116", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("accept 1 --date 20250101 --config books/caisson.toml", dir).exit_code, 0);
  RunResult relaxed = RunCaisson("status --config books/caisson.toml", dir);
  EXPECT_EQ(relaxed.exit_code, 0) << relaxed.err;  // listed, not enforced: its compliance date is postponed
  EXPECT_NE(relaxed.err.find("OVERDUE"), std::string::npos) << relaxed.err;
  std::ofstream(dir / "books" / "caisson.toml", std::ios::app) << "enforce_refresh = true\n";  // gen ends in [state]
  RunResult enforced = RunCaisson("status --config books/caisson.toml", dir);
  EXPECT_EQ(enforced.exit_code, 1) << enforced.err;
  EXPECT_NE(enforced.err.find("enforced"), std::string::npos) << enforced.err;
}

// The delta checks the store's pages beside its reads (state::Options::defer_integrity_check); a damaged page
// stops it before any file is written, and the store stays as it was.
TEST(Daily, ADeltaOnADamagedStoreWritesNothing) {
  const fs::path dir = TempDir();
  ASSERT_EQ(RunCaisson("gen --accounts 400 --seed 9 --out books", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("build books --out out --file-date 20261116", dir).exit_code, 0);
  ASSERT_EQ(RunCaisson("accept 1 --date 20261116 --config books/caisson.toml", dir).exit_code, 0);
  const fs::path db = dir / "books" / "caisson.db";
  ASSERT_FALSE(fs::exists(db.string() + "-wal"));  // checkpointed at close: every page is in the file
  const uintmax_t size = fs::file_size(db);
  ASSERT_GT(size, 16 * 4096u);
  {
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 4 * 4096));
    const std::string junk(2 * 4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  std::ifstream in(db, std::ios::binary);
  const std::string before((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::set<std::string> seen = Names(dir / "out");
  RunResult delta = RunCaisson("build books --delta --out out --file-date 20261117", dir);
  EXPECT_EQ(delta.exit_code, 2) << delta.err;
  EXPECT_NE(delta.err.find(db.filename().string()), std::string::npos) << delta.err;
  EXPECT_EQ(Names(dir / "out"), seen);
  std::ifstream after_in(db, std::ios::binary);
  const std::string after((std::istreambuf_iterator<char>(after_in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(after == before) << "the store changed";
}

}  // namespace
}  // namespace caisson::testing
