// emit::Spool: records handed over batch by batch give the bytes WriteSubmission writes for the whole books.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "emit/emit.h"
#include "emit/spool.h"
#include "fixture.h"
#include "testutil.h"

namespace caisson::emit {
namespace {

using namespace testfix;
namespace fs = std::filesystem;

// Whole books with what the planner must keep together or apart: two correspondentCRDs and none, a REPLACED
// FDID with its replacement, a customer shared by three FDIDs (two of them far apart), a legal entity,
// a ten-digit customerRecordID's worth of neither (numbers of several widths come from 12 customers), an
// FDID without customers, and an LTID and a trader (numbered per FDID).
model::Books Whole() {
  model::Books b;
  for (int i = 0; i < 12; ++i) {
    b.customers.push_back(i % 5 == 4 ? Entity("E" + std::to_string(i), "ENTITY " + std::to_string(i), 100u + i)
                                     : Person("C" + std::to_string(i), "A", "B", 1970 + i, 100u + i));
  }
  for (int i = 0; i < 11; ++i) {
    model::Fdid f = Account("F" + std::to_string(i), 20200101);
    if (i != 7) f.fdid_customer_list.push_back(Assoc(i, "TRDHOLDER", 20200101));
    if (i == 2 || i == 9 || i == 10) f.fdid_customer_list.push_back(Assoc(11, "AUTHTRADER", 20210101));
    if (i == 1 || i == 5) f.correspondent_crd = model::Num::Of(777);
    if (i == 3) f.correspondent_crd = model::Num::Of(55);
    if (i == 6) {
      model::LargeTrader lt;
      lt.large_trader_id = "12345678-0001";
      lt.ltid_effective_date = model::Num::Of(20200101);
      f.large_trader_list.push_back(lt);
      model::AuthTraderName n;
      n.auth_trader_name = "SYN TRADER \"Q\"";  // escaped quotes never look like a record's number
      f.auth_trader_names_list.push_back(n);
    }
    b.fdids.push_back(std::move(f));
  }
  b.fdids[4].fdid_end_date = model::Num::Of(20230101);
  b.fdids[4].fdid_end_reason = "REPLACED";
  b.fdids[4].replaced_by_fdid = "F8";
  for (size_t i = 0; i < b.fdids.size(); ++i) b.fdids[i].origin.line = i + 2;
  for (size_t c = 0; c < b.customers.size(); ++c) b.customers[c].origin.line = c + 2;
  return b;
}

// A batch of `whole`: the FDIDs `fdids` (whole indexes, ascending) and every customer they name, numbered as a
// read of just those rows would number them; `order` gets each record's books order.
struct Part {
  model::Books books;
  validate::Holds holds;
  std::vector<uint64_t> fdid_order, customer_order;
};
Part Cut(const model::Books& whole, const std::vector<int32_t>& fdids) {
  Part p;
  std::vector<int32_t> local(whole.customers.size(), -1);
  std::vector<int32_t> named;
  for (int32_t i : fdids) {
    for (const model::Association& a : whole.fdids[static_cast<size_t>(i)].fdid_customer_list) named.push_back(a.customer_index);
  }
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  for (int32_t c : named) {
    local[static_cast<size_t>(c)] = static_cast<int32_t>(p.books.customers.size());
    p.books.customers.push_back(whole.customers[static_cast<size_t>(c)]);
    p.customer_order.push_back(whole.customers[static_cast<size_t>(c)].origin.line);
  }
  for (int32_t i : fdids) {
    model::Fdid f = whole.fdids[static_cast<size_t>(i)];
    for (model::Association& a : f.fdid_customer_list) a.customer_index = local[static_cast<size_t>(a.customer_index)];
    p.fdid_order.push_back(f.origin.line);
    p.books.fdids.push_back(std::move(f));
  }
  p.holds.fdid.assign(p.books.fdids.size(), false);
  p.holds.customer.assign(p.books.customers.size(), false);
  return p;
}

// The spool's view of a part (no side bytes).
Spool::Batch BatchOf(const Part& p) {
  Spool::Batch batch;
  batch.books = &p.books;
  batch.holds = &p.holds;
  batch.fdid_order = &p.fdid_order;
  batch.customer_order = &p.customer_order;
  return batch;
}

std::vector<std::string> Files(const fs::path& dir, const Written& w) {
  std::vector<std::string> out;
  for (const PairInfo& p : w.pairs) {
    out.push_back(p.data_name + "\n" + Slurp(dir / p.data_name));
    out.push_back(p.tid_name + "\n" + Slurp(dir / p.tid_name));
  }
  return out;
}

Result<Written> Spooled(const spec::Profile& profile, std::vector<Part>& parts, const Options& options) {
  Result<std::unique_ptr<Spool>> spool = Spool::Open(profile, options.out_dir);
  if (!spool.ok()) return spool.status();
  for (Part& p : parts) {
    Status added = (*spool)->Add(BatchOf(p));
    if (!added.ok()) return added;
  }
  return (*spool)->Write(options);
}

// The components of Whole(): {0}, {1}, {2, 9, 10, 11 shared}, {3}, {4, 8 REPLACED}, {5}, {6}, {7}; handed
// over out of books order.
std::vector<Part> Batches(const model::Books& whole) {
  std::vector<Part> parts;
  parts.push_back(Cut(whole, {4, 5, 8}));
  parts.push_back(Cut(whole, {2, 9, 10}));
  parts.push_back(Cut(whole, {0, 1, 3, 6, 7}));
  return parts;
}

TEST(Spool, WritesTheBytesWriteSubmissionWritesForTheWholeBooks) {
  const spec::Profile profile = LoadOrDie();
  const model::Books whole = Whole();
  for (const int64_t max_bytes : {int64_t{1000000000}, int64_t{1400}, int64_t{900}}) {
    const fs::path dir = testing::TempDir();
    Options options = BaseOptions(dir / "whole");
    options.max_file_bytes = max_bytes;
    Result<Written> expected = WriteSubmission(profile, whole, {}, options);
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    std::vector<Part> parts = Batches(whole);
    options.out_dir = dir / "spooled";
    Result<Written> spooled = Spooled(profile, parts, options);
    ASSERT_TRUE(spooled.ok()) << spooled.status().ToString();
    EXPECT_EQ(Files(dir / "spooled", *spooled), Files(dir / "whole", *expected)) << max_bytes;
    if (max_bytes < 1000) {
      EXPECT_GT(expected->pairs.size(), 4u);  // the splits were exercised
    }
    for (const fs::directory_entry& e : fs::directory_iterator(dir / "spooled")) {
      EXPECT_EQ(e.path().filename().string().find(".caisson-spool"), std::string::npos);  // unlinked at once
    }
  }
}

TEST(Spool, RecordsHeldBackAreLeftOutAndSidesComeBack) {
  const spec::Profile profile = LoadOrDie();
  const fs::path dir = testing::TempDir();
  Part p = Cut(Simple(3), {0, 1, 2});
  p.fdid_order = {2, 3, 4};
  p.customer_order = {2, 3, 4};
  p.holds.fdid[1] = true;
  p.holds.customer[1] = true;
  Result<std::unique_ptr<Spool>> spool = Spool::Open(profile, dir);
  ASSERT_TRUE(spool.ok());
  Spool::Batch batch = BatchOf(p);
  batch.fdid_extra = [&](size_t i, std::string* out) { *out += "fdid-" + std::to_string(i); };
  batch.customer_extra = [&](size_t c, std::string* out) { *out += "customer-" + std::to_string(c); };
  ASSERT_TRUE((*spool)->Add(batch).ok());
  ASSERT_EQ((*spool)->fdids(), 2u);
  ASSERT_EQ((*spool)->customers(), 2u);
  ASSERT_TRUE((*spool)->Seal().ok());
  EXPECT_EQ((*spool)->FdidExtra(1), "fdid-2");
  EXPECT_EQ((*spool)->CustomerExtra(1), "customer-2");
  EXPECT_EQ((*spool)->FdidOrder(1), 4u);
  Result<Written> w = (*spool)->Write(BaseOptions(dir));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  const std::string data = Decompressed(dir / w->pairs[0].data_name);
  EXPECT_EQ(data.find("\"F1\""), std::string::npos);
  EXPECT_NE(data.find("{\"fdidRecordID\":2,\"firmDesignatedID\":\"F2\""), std::string::npos);
  EXPECT_EQ(w->pairs[0].fdid_indices, (std::vector<int32_t>{0, 1}));  // spool ids
}

TEST(Spool, ACustomerHeldOnAnFdidSentIsAnInternalError) {
  const spec::Profile profile = LoadOrDie();
  Part p = Cut(Simple(2), {0, 1});
  p.fdid_order = {2, 3};
  p.customer_order = {2, 3};
  p.holds.customer[0] = true;
  Result<std::unique_ptr<Spool>> spool = Spool::Open(profile, testing::TempDir());
  ASSERT_TRUE(spool.ok());
  EXPECT_EQ((*spool)->Add(BatchOf(p)).code(), Status::Code::kInternal);
}

TEST(Spool, NothingAddedGivesOneEmptyPairAndCorrectionsAreRefused) {
  const spec::Profile profile = LoadOrDie();
  const fs::path dir = testing::TempDir();
  Result<std::unique_ptr<Spool>> spool = Spool::Open(profile, dir / "out");
  ASSERT_TRUE(spool.ok());
  Options with_correction = BaseOptions(dir / "out");
  with_correction.corrections.push_back(Correction{7, true, -1, -1});
  EXPECT_EQ((*spool)->Write(with_correction).status().code(), Status::Code::kInvalidArgument);
  Result<Written> w = (*spool)->Write(BaseOptions(dir / "out"));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->pairs.size(), 1u);
  EXPECT_EQ(Decompressed(dir / "out" / w->pairs[0].tid_name), "{\"version\":\"2.0.0\",\"tidRecordCount\":0}\n");
}

}  // namespace
}  // namespace caisson::emit
