// Material Inconsistencies in the store: added once, closed by an accepted resubmission (on time or late) or
// because CAIS no longer lists them, listed open first.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "state/state.h"
#include "testutil.h"

namespace caisson::state {
namespace {

Inconsistency Mi(const std::string& event, const std::string& key, int64_t due_unix, int32_t due_on) {
  Inconsistency m;
  m.event_id = event;
  m.firm_key = key;
  m.code = 30002;
  m.file = "1_2_20261102_CAIS_000001";
  m.identified_on = 20261103;
  m.due_at = "x";
  m.due_unix = due_unix;
  m.due_on = due_on;
  return m;
}

std::vector<Inconsistency> All(const Store& store) {
  std::vector<Inconsistency> out;
  EXPECT_TRUE(store.ForEachInconsistency([&](const Inconsistency& m) {
                     out.push_back(m);
                     return Status::OK();
                   })
                  .ok());
  return out;
}

TEST(Inconsistencies, AddedOnceClosedOnTimeLateOrUnlisted) {
  Result<std::unique_ptr<Store>> opened = Store::Open(caisson::testing::TempDir() / "c.db", {});
  ASSERT_OK(opened.status());
  Store& store = **opened;
  bool inserted = false, again = true;
  ASSERT_OK(store.Write([&](Txn& t) -> Status {
    CAISSON_RETURN_IF_ERROR(t.AddInconsistency(Mi("E1", "C1", 300, 20261105), &inserted));
    CAISSON_RETURN_IF_ERROR(t.AddInconsistency(Mi("E1", "C1", 300, 20261105), &again));
    CAISSON_RETURN_IF_ERROR(t.AddInconsistency(Mi("E2", "C2", 200, 20261105)));
    return t.AddInconsistency(Mi("E3", "C3", 100, 20261105));
  }));
  EXPECT_TRUE(inserted);
  EXPECT_FALSE(again);
  std::vector<Inconsistency> all = All(store);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].event_id, "E3");  // earliest deadline first
  EXPECT_EQ(all[0].status, "open");

  int64_t closed = 0;
  ASSERT_OK(store.Write([&](Txn& t) -> Status {
    CAISSON_RETURN_IF_ERROR(t.CloseInconsistencies("C1", 20261105, &closed));  // on the due day: resolved
    CAISSON_RETURN_IF_ERROR(t.CloseInconsistencies("C2", 20261106));           // after it: late
    return t.CloseInconsistency("E3", "C3", 20261104);
  }));
  EXPECT_EQ(closed, 1);
  all = All(store);
  ASSERT_EQ(all.size(), 3u);
  std::map<std::string, std::string> status;
  for (const Inconsistency& m : all) status[m.firm_key] = m.status;
  EXPECT_EQ(status["C1"], "resolved");
  EXPECT_EQ(status["C2"], "late");
  EXPECT_EQ(status["C3"], "resolved");
  Status missing = store.Write([&](Txn& t) { return t.CloseInconsistency("E3", "C3", 20261104); });
  EXPECT_EQ(missing.code(), Status::Code::kNotFound);
  Status bad = store.Write([&](Txn& t) { return t.AddInconsistency(Mi("", "C9", 1, 1)); });
  EXPECT_EQ(bad.code(), Status::Code::kInvalidArgument);
}

TEST(TidWarnings, RecordedOncePerFileCustomerAndCode) {
  Result<std::unique_ptr<Store>> opened = Store::Open(caisson::testing::TempDir() / "c.db", {});
  ASSERT_OK(opened.status());
  Store& store = **opened;
  ASSERT_OK(store.Write([&](Txn& t) -> Status {
    CAISSON_RETURN_IF_ERROR(t.AddTidWarning("T1", "C1", 24906));
    CAISSON_RETURN_IF_ERROR(t.AddTidWarning("T1", "C1", 24906));
    CAISSON_RETURN_IF_ERROR(t.AddTidWarning("T1", "C1", 24903));
    return t.AddTidWarning("T2", "C1", 24905);
  }));
  Result<std::vector<int64_t>> w = store.TidWarnings("T1", "C1");
  ASSERT_OK(w.status());
  EXPECT_EQ(*w, (std::vector<int64_t>{24903, 24906}));
  EXPECT_TRUE(store.TidWarnings("T1", "C2")->empty());
}

}  // namespace
}  // namespace caisson::state
