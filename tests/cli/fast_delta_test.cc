// The fast daily delta (delta/scan.h) sends exactly what the delta over the whole books sends: two copies of
// one firm go through the same days, one with `build --delta` (fast path), one with `build --delta --scan
// full`; every day their Data and TID Files are byte-identical (decompressed) and their state stores hold the
// same record states and submissions. Synthetic data only.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "cli_util.h"
#include "firm_twin.h"
#include "store_dump.h"
#include "state/state.h"
#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;
using namespace firm_twin;

// Days `first`..`last` of November 2026: random edits, a build on both copies, usually an acceptance (some
// with a rejected FDID or customer), and the comparison.
void RunDays(Twin* twin, Firm* firm, std::mt19937* rng, int first, int last, int edits_per_day) {
  int serial = 0;
  for (int day = first; day <= last; ++day) {
    for (int e = 0; e < edits_per_day; ++e) Edit(firm, rng, day, &serial);
    twin->Write(*firm, IsoDate(day));
    const std::string when = fmt::format("day {}", day);
    RunResult b = twin->Run("build books --delta --out out --file-date " + FileDate(day), true);
    ASSERT_EQ(b.exit_code == 0 || b.exit_code == 1, true) << when << ": " << b.err;
    twin->ExpectSame(when);
    if (::testing::Test::HasFailure()) return;
    const int64_t sub = SubmissionOf(b);
    const int roll = static_cast<int>((*rng)() % 10);
    if (sub == 0 || roll == 0) continue;  // nothing written, or CAIS has not answered yet
    std::string accept = fmt::format("accept {} --date {} --config books/caisson.toml", sub, FileDate(day));
    if (roll == 1) {
      const Acct& a = firm->accounts[(*rng)() % firm->accounts.size()];
      RunResult r = twin->Run(accept + " --reject-fdid " + a.fdid, false);
      if (r.exit_code == 0) continue;  // else it was not sent: accept it whole
    } else if (roll == 2) {
      const Cust& c = firm->people[(*rng)() % firm->people.size()];
      RunResult r = twin->Run(accept + " --reject-customer " + c.id, false);
      if (r.exit_code == 0) continue;
    }
    RunResult r = twin->Run(accept, false);
    EXPECT_EQ(r.exit_code, 0) << when << ": " << r.err;
  }
  twin->ExpectSame("after the last day");
}

TEST(FastDelta, SameFilesAndStatesAsTheWholeBooksOnScriptedDays) {
  Twin twin(TempDir());
  Firm firm = StartingFirm(8);
  ASSERT_NO_FATAL_FAILURE(FirstDay(&twin, firm));
  twin.ExpectSame("day 10");

  // Day 11: a rename, a customer of a joint account renamed (sent with one carrier), a new address.
  firm.accounts[0].name = "RENAMED ONE";
  firm.people[1].last = "CARRIED";  // PQ2 holds FDQ2 and FDQ3
  firm.people[4].addr = "9 OTHER AVE";
  twin.Write(firm, IsoDate(11));
  RunResult d11 = twin.Run("build books --delta --out out --file-date 20261111", true);
  ASSERT_EQ(d11.exit_code, 0) << d11.err;
  EXPECT_NE(d11.err.find("fast path"), std::string::npos) << d11.err;
  twin.ExpectSame("day 11");
  // Rejected: FDQ1 goes again tomorrow although its books rows did not change since.
  ASSERT_EQ(twin.Run("accept 2 --date 20261111 --reject-fdid FDQ1 --config books/caisson.toml", false).exit_code, 0);

  // Day 12: an FDID replaced by a new one [§3.1], a TID replacement [§3.2], a role ended, a later state.
  firm.accounts[5].end_date = IsoDate(12);
  firm.accounts[5].end_reason = "REPLACED";
  firm.accounts[5].replaced_by = "FDR6";
  for (Rl& r : firm.roles) {
    if (r.fdid == "FDQ6") {
      r.end_date = IsoDate(12);
      r.end_reason = "REPLACED";
    }
  }
  firm.accounts.push_back({"FDR6", "REPLACING SIX", IsoDate(12)});
  firm.roles.push_back({"FDR6", "PQ6", IsoDate(12)});
  firm.roles.push_back({"FDR6", "PQ5", IsoDate(12)});
  firm.people[6].old_ssn = firm.people[6].ssn;
  firm.people[6].old_end = IsoDate(12);
  firm.people[6].old_reason = "REPLACED";
  firm.people[6].ssn = "917-84-0007";
  firm.accounts[7].history.emplace_back(IsoDate(14), "EIGHT LATER");
  twin.Write(firm, IsoDate(12));
  RunResult d12 = twin.Run("build books --delta --out out --file-date 20261112", true);
  ASSERT_EQ(d12.exit_code, 0) << d12.err;
  twin.ExpectSame("day 12");
  // Not accepted yet on day 13: nothing changed in the books, nothing new goes.
  twin.Write(firm, IsoDate(13));
  ASSERT_EQ(twin.Run("build books --delta --out out --file-date 20261113", true).exit_code, 0);
  twin.ExpectSame("day 13");
  ASSERT_EQ(twin.Run("accept 3 --date 20261113 --config books/caisson.toml", false).exit_code, 0);

  // Day 14: FDQ8's later state takes effect with the date alone; FDQ3 vanishes from the books with PQ3, its
  // only holder (ACustomerLeftOnNoFdidIsHeldBackByBothPaths keeps the customer).
  firm.accounts.erase(firm.accounts.begin() + 2);
  firm.people.erase(firm.people.begin() + 2);
  firm.roles.erase(std::remove_if(firm.roles.begin(), firm.roles.end(), [](const Rl& r) { return r.fdid == "FDQ3"; }),
                   firm.roles.end());
  twin.Write(firm, IsoDate(14));
  RunResult d14 = twin.Run("build books --delta --out out --file-date 20261114 --format json", true);
  ASSERT_EQ(d14.exit_code, 0) << d14.err;
  EXPECT_NE(d14.out.find("state.vanished"), std::string::npos);
  EXPECT_NE(d14.err.find("fast path"), std::string::npos) << d14.err;
  twin.ExpectSame("day 14");
  EXPECT_GE(twin.fast_runs(), 4);
  EXPECT_GE(twin.streamed_runs(), 3);  // one day goes back to the whole books
}

// A customer changed while none of its FDIDs can carry it is not sent; its books digest is kept all the same,
// so later days do not read it again, and it goes out when an FDID brings it back.
TEST(FastDelta, AStrandedCustomerIsNotReadAgainUntilAnFdidBringsItBack) {
  Twin twin(TempDir());
  Firm firm = StartingFirm(4);
  ASSERT_NO_FATAL_FAILURE(FirstDay(&twin, firm));
  // Day 11: FDQ1, PQ1's only account, ends.
  firm.accounts[0].end_date = IsoDate(11);
  firm.accounts[0].end_reason = "ENDED";
  firm.roles[0].end_date = IsoDate(11);
  firm.roles[0].end_reason = "ENDED";
  twin.Write(firm, IsoDate(11));
  RunResult d11 = twin.Run("build books --delta --out out --file-date 20261111", true);
  ASSERT_EQ(d11.exit_code, 0) << d11.err;
  twin.ExpectSame("day 11");
  ASSERT_EQ(twin.Run("accept 2 --date 20261111 --config books/caisson.toml", false).exit_code, 0);
  // Day 12: PQ1 is renamed, with no FDID to carry it.
  firm.people[0].last = "STRANDED";
  twin.Write(firm, IsoDate(12));
  RunResult d12 = twin.Run("build books --delta --out out --file-date 20261112", true);
  ASSERT_EQ(d12.exit_code, 0) << d12.err;
  EXPECT_NE(d12.err.find("(1 of them on no open FDID, so not sent)"), std::string::npos) << d12.err;
  twin.ExpectSame("day 12");
  // Day 13: nothing changed, and PQ1 is not read again.
  twin.Write(firm, IsoDate(13));
  RunResult d13 = twin.Run("build books --delta --out out --file-date 20261113", true);
  ASSERT_EQ(d13.exit_code, 0) << d13.err;
  EXPECT_NE(d13.err.find("reading 0 of 4 FDIDs and 0 of 4 customers"), std::string::npos) << d13.err;
  twin.ExpectSame("day 13");
  // Day 14: a new account for PQ1 carries it, renamed, as the whole books do.
  firm.accounts.push_back({"FDN1", "NEW ONE", IsoDate(14)});
  firm.roles.push_back({"FDN1", "PQ1", IsoDate(14)});
  twin.Write(firm, IsoDate(14));
  RunResult d14 = twin.Run("build books --delta --out out --file-date 20261114", true);
  ASSERT_EQ(d14.exit_code, 0) << d14.err;
  EXPECT_NE(d14.err.find("fast path"), std::string::npos) << d14.err;
  twin.ExpectSame("day 14");
}

// A record held back is read again every day until it goes out: what holds it may hang on the date alone.
// Here two later states of FDQ2 take effect on one day, a duplicate (22002) that holds FDQ2 and, through
// PQ2's rejection, FDQ3 (22048), whose rows never changed. (CAISSON_SEED=16 of the random edits found it.)
TEST(FastDelta, AHeldBackRecordIsReadAgainUntilItGoesOut) {
  Twin twin(TempDir());
  Firm firm = StartingFirm(4);
  ASSERT_NO_FATAL_FAILURE(FirstDay(&twin, firm));
  // Day 11: two later states of FDQ2 from day 12, told apart by nothing but their names.
  firm.accounts[1].history = {{IsoDate(12), "LATER A"}, {IsoDate(12), "LATER B"}};
  twin.Write(firm, IsoDate(11));
  ASSERT_EQ(twin.Run("build books --delta --out out --file-date 20261111", true).exit_code, 0);
  twin.ExpectSame("day 11");
  // Days 12 and 13: the duplicate holds FDQ2, PQ2 and FDQ3 back, on both days. FDQ4's rename on day 12 makes
  // a submission as of that day, after which FDQ2's later states are no longer pending.
  for (int day : {12, 13}) {
    if (day == 12) firm.accounts[3].name = "RENAMED FOUR";
    twin.Write(firm, IsoDate(day));
    RunResult d = twin.Run("build books --delta --out out --file-date " + FileDate(day), true);
    EXPECT_EQ(d.exit_code, 1) << d.err;
    EXPECT_NE(d.err.find("fast path"), std::string::npos) << d.err;
    EXPECT_NE(d.err.find("FDQ2 fdid: firmDesignatedID appears more than once"), std::string::npos) << d.err;
    EXPECT_NE(d.err.find("reject [fdid.customer_rejected 22048] FDQ3"), std::string::npos) << d.err;
    twin.ExpectSame(fmt::format("day {}", day));
  }
  // Day 14: the firm drops one of them; FDQ2 and FDQ3 go out.
  firm.accounts[1].history.pop_back();
  twin.Write(firm, IsoDate(14));
  RunResult d14 = twin.Run("build books --delta --out out --file-date 20261114", true);
  EXPECT_EQ(d14.exit_code, 0) << d14.err;
  twin.ExpectSame("day 14");
}

// A cascade of holds that runs past the records the closure reads: PQ1 loses its first name (a reject); through
// the joint accounts FDQ1 (PQ1, PQ2) and FDQ2 (PQ2, PQ5), PQ5's rejection reaches PQ6, which has PQ5's SSN
// (22529), and FDQ6, renamed the same day, is held back too (22048). The closure of the two changes reads
// neither FDQ2 nor PQ5; the held records' whole components are read instead. (CAISSON_SEED=4 of the random
// edits with defects found it.)
TEST(FastDelta, HoldsThatCascadePastTheClosureReadTheirComponents) {
  Twin twin(TempDir());
  Firm firm = StartingFirm(6);
  firm.roles.clear();
  for (int k = 1; k <= 6; ++k) firm.roles.push_back({fmt::format("FDQ{}", k), fmt::format("PQ{}", k)});
  firm.roles.push_back({"FDQ1", "PQ2"});
  firm.roles.push_back({"FDQ2", "PQ5"});
  firm.people[5].ssn = firm.people[4].ssn;  // PQ6 is PQ5 again, under another customer id
  firm.people[5].last = firm.people[4].last;
  ASSERT_NO_FATAL_FAILURE(FirstDay(&twin, firm));
  twin.ExpectSame("day 10");

  firm.people[0].first = "";
  firm.accounts[5].name = "RENAMED SIX";
  twin.Write(firm, IsoDate(11));
  RunResult d11 = twin.Run("build books --delta --out out --file-date 20261111", true);
  EXPECT_EQ(d11.exit_code, 1) << d11.err;
  EXPECT_NE(d11.err.find("reading their whole components"), std::string::npos) << d11.err;
  EXPECT_NE(d11.err.find("[customer.version_rejected 22529] PQ6"), std::string::npos) << d11.err;
  EXPECT_NE(d11.err.find("[fdid.customer_rejected 22048] FDQ6"), std::string::npos) << d11.err;
  twin.ExpectSame("day 11");
}

// An account leaves the books with its roles, and its only holder stays: a customer on no FDID, which the
// whole books reject (22523) although none of its rows changed. The fast path reads it as they do, every day.
// (CAISSON_SEED=4 of the random edits with records leaving the books found it.)
TEST(FastDelta, ACustomerLeftOnNoFdidIsHeldBackByBothPaths) {
  Twin twin(TempDir());
  Firm firm = StartingFirm(4);
  ASSERT_NO_FATAL_FAILURE(FirstDay(&twin, firm));
  firm.accounts.erase(firm.accounts.begin());  // FDQ1, PQ1's only account
  firm.roles.erase(firm.roles.begin());
  for (int day : {11, 12}) {
    twin.Write(firm, IsoDate(day));
    RunResult d = twin.Run("build books --delta --out out --file-date " + FileDate(day), true);
    EXPECT_EQ(d.exit_code, 1) << d.err;
    EXPECT_NE(d.err.find("fast path"), std::string::npos) << d.err;
    EXPECT_NE(d.err.find("[customer.orphan 22523] PQ1"), std::string::npos) << d.err;
    twin.ExpectSame(fmt::format("day {}", day));
  }
}

// `--end-inactive` on the fast path: FDIDs whose last activity is more than six months old end INACTIVE by the
// date alone, with no books row changed; the scan reads them (pending) and both paths send and record the
// same. Later: one comes back to life, another ages past the cutoff, and a day passes with nothing to end.
TEST(FastDelta, EndInactiveReadsTheFdidsWhoseActivityIsOld) {
  Twin twin(TempDir());
  Firm firm = StartingFirm(8);
  firm.accounts[1].activity = "2026-01-15";  // FDQ2: ten months before day 11
  firm.accounts[4].activity = "2026-03-02";  // FDQ5 (and PQ5, also on FDQ6)
  firm.accounts[6].activity = "2026-05-20";  // FDQ7: inside the six months until day 21
  ASSERT_NO_FATAL_FAILURE(FirstDay(&twin, firm));
  twin.ExpectSame("day 10");
  const auto end_inactive = [&](int day) {
    twin.Write(firm, IsoDate(day));
    RunResult d = twin.Run("build books --delta --end-inactive --out out --file-date " + FileDate(day), true);
    EXPECT_EQ(d.exit_code, 0) << d.err;
    EXPECT_NE(d.err.find("fast path"), std::string::npos) << d.err;
    twin.ExpectSame(fmt::format("day {}", day));
    const int64_t sub = SubmissionOf(d);
    if (sub > 0) {
      EXPECT_EQ(twin.Run(fmt::format("accept {} --date {} --config books/caisson.toml", sub, FileDate(day)), false)
                    .exit_code,
                0);
    }
    return d;
  };
  const RunResult d11 = end_inactive(11);
  EXPECT_NE(d11.err.find("INACTIVE: 2 ended today"), std::string::npos) << d11.err;
  // Day 12: FDQ2 trades again (reactivated); nothing else ends.
  firm.accounts[1].activity = IsoDate(12);
  end_inactive(12);
  // Day 21: FDQ7's activity is now more than six months old.
  const RunResult d21 = end_inactive(21);
  EXPECT_NE(d21.err.find("INACTIVE: 1 ended today"), std::string::npos) << d21.err;
  end_inactive(22);  // nothing new to end; FDQ5 and FDQ7 stay INACTIVE
}

// A day whose changes and their closure are most of the books reads them in batches instead of through the
// fast path's subset (whole at 10^7: more memory than the machine has); small books stay on the fast path
// unless CAISSON_FAST_DELTA_MAX lowers the size where that starts.
TEST(FastDelta, AChoiceOfMostOfTheBooksReadsThemInBatches) {
  Twin twin(TempDir());
  Firm firm = StartingFirm(24);
  ASSERT_NO_FATAL_FAILURE(FirstDay(&twin, firm));
  setenv("CAISSON_FAST_DELTA_MAX", "0", 1);
  for (size_t k = 0; k < firm.accounts.size(); k += 2) firm.accounts[k].name += " RENAMED";
  twin.Write(firm, IsoDate(11));
  const RunResult d11 = twin.Run("build books --delta --out out --file-date " + FileDate(11), true);
  EXPECT_EQ(d11.exit_code, 0) << d11.err;
  EXPECT_NE(d11.err.find("reading the whole books in batches ("), std::string::npos) << d11.err;
  EXPECT_NE(d11.err.find("records are changed, unsettled or their closure)"), std::string::npos) << d11.err;
  twin.ExpectSame("day 11");
  ASSERT_EQ(twin.Run("accept 2 --date 20261111 --config books/caisson.toml", false).exit_code, 0);
  firm.accounts[1].name += " AGAIN";
  twin.Write(firm, IsoDate(12));
  const RunResult d12 = twin.Run("build books --delta --out out --file-date " + FileDate(12), true);
  EXPECT_EQ(d12.exit_code, 0) << d12.err;
  EXPECT_NE(d12.err.find("fast path"), std::string::npos) << d12.err;
  twin.ExpectSame("day 12");
  unsetenv("CAISSON_FAST_DELTA_MAX");
}

TEST(FastDelta, SameFilesAndStatesAsTheWholeBooksUnderRandomEdits) {
  const unsigned seed = RandomSeed();
  std::mt19937 rng(seed);
  Twin twin(TempDir());
  Firm firm = StartingFirm(12);
  ASSERT_NO_FATAL_FAILURE(FirstDay(&twin, firm));
  RunDays(&twin, &firm, &rng, 11, 20, 3);
  EXPECT_GE(twin.fast_runs(), 5) << "seed " << seed;
  EXPECT_GE(twin.streamed_runs(), 5) << "seed " << seed;
}

}  // namespace
}  // namespace caisson::testing
