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

TEST(Spool, NothingAddedGivesOneEmptyPairWithTheDeletes) {
  const spec::Profile profile = LoadOrDie();
  const fs::path dir = testing::TempDir();
  Result<std::unique_ptr<Spool>> spool = Spool::Open(profile, dir / "out");
  ASSERT_TRUE(spool.ok());
  Options options = BaseOptions(dir / "out");
  options.corrections.push_back(Correction{7, true, -1, -1, ""});
  Result<Written> w = (*spool)->Write(options);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->pairs.size(), 1u);
  EXPECT_EQ(w->corrections_written, 1);
  EXPECT_EQ(Decompressed(dir / "out" / w->pairs[0].tid_name), "{\"version\":\"2.0.0\",\"tidRecordCount\":0}\n");
  EXPECT_NE(Decompressed(dir / "out" / w->pairs[0].data_name)
                .find(",\"correctionList\":[\n{\"rejectionID\":7,\"correctionAction\":\"DELETE\"}\n]}"),
            std::string::npos);
}

// The correctionList of a spooled submission: its Corrections name spool ids (and an FDID's its key), and each
// lands where WriteSubmission puts it for the whole books: a CORRECTION in the file of its record (a customer
// in the first file it appears in, with its customerRecordID there), every DELETE in the first file, one whose
// record is held back nowhere.
TEST(Spool, PlacesTheCorrectionsWhereWriteSubmissionDoes) {
  const spec::Profile profile = LoadOrDie();
  const model::Books whole = Whole();
  validate::Holds holds;
  holds.fdid.assign(whole.fdids.size(), false);
  holds.customer.assign(whole.customers.size(), false);
  holds.fdid[5] = true;  // F5 and its only customer C5
  holds.customer[5] = true;
  const std::vector<Correction> by_books = {
      {21, false, -1, 11, ""},  // C11, on F2, F9 and F10
      {22, false, 6, -1, ""},   // F6
      {23, true, -1, -1, ""},   // DELETE
      {24, false, 3, -1, ""},   // F3, correspondentCRD 55
      {25, false, 5, -1, ""},   // F5 is held back: unplaced
      {26, false, -1, 4, ""},   // E4, a legal entity
  };
  for (const int64_t max_bytes : {int64_t{1000000000}, int64_t{900}}) {
    const fs::path dir = testing::TempDir() / std::to_string(max_bytes);
    Options options = BaseOptions(dir / "whole");
    options.max_file_bytes = max_bytes;
    options.corrections = by_books;
    Result<Written> expected = WriteSubmission(profile, whole, holds, options);
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    EXPECT_EQ(expected->corrections_written, 5);
    EXPECT_EQ(expected->corrections_unplaced, 1);

    std::vector<Part> parts = Batches(whole);
    for (Part& p : parts) {  // the batches' own holds
      for (size_t i = 0; i < p.books.fdids.size(); ++i) p.holds.fdid[i] = p.fdid_order[i] == whole.fdids[5].origin.line;
      for (size_t c = 0; c < p.books.customers.size(); ++c) {
        p.holds.customer[c] = p.customer_order[c] == whole.customers[5].origin.line;
      }
    }
    Result<std::unique_ptr<Spool>> spool = Spool::Open(profile, dir / "spooled");
    ASSERT_TRUE(spool.ok());
    for (Part& p : parts) ASSERT_TRUE((*spool)->Add(BatchOf(p)).ok());
    ASSERT_TRUE((*spool)->Seal().ok());
    // Whole index -> spool id through the books order (origin.line = index + 2); a held record has none.
    auto spool_fdid = [&](int32_t i) {
      for (size_t k = 0; k < (*spool)->fdids(); ++k) {
        if ((*spool)->FdidOrder(static_cast<int32_t>(k)) == whole.fdids[static_cast<size_t>(i)].origin.line) {
          return static_cast<int32_t>(k);
        }
      }
      return static_cast<int32_t>(whole.fdids.size() + 100);  // not in the spool
    };
    auto spool_customer = [&](int32_t c) {
      for (size_t k = 0; k < (*spool)->customers(); ++k) {
        if ((*spool)->CustomerOrder(static_cast<int32_t>(k)) == whole.customers[static_cast<size_t>(c)].origin.line) {
          return static_cast<int32_t>(k);
        }
      }
      return static_cast<int32_t>(whole.customers.size() + 100);
    };
    options.out_dir = dir / "spooled";
    options.corrections.clear();
    for (Correction c : by_books) {
      if (c.fdid_index >= 0) {
        c.correcting_fdid = *whole.fdids[static_cast<size_t>(c.fdid_index)].firm_designated_id;
        c.fdid_index = spool_fdid(c.fdid_index);
      }
      if (c.customer_index >= 0) c.customer_index = spool_customer(c.customer_index);
      options.corrections.push_back(c);
    }
    Result<Written> spooled = (*spool)->Write(options);
    ASSERT_TRUE(spooled.ok()) << spooled.status().ToString();
    EXPECT_EQ(Files(dir / "spooled", *spooled), Files(dir / "whole", *expected)) << max_bytes;
    EXPECT_EQ(spooled->corrections_written, 5);
    EXPECT_EQ(spooled->corrections_unplaced, 1);
    if (max_bytes < 1000) {
      EXPECT_GT(expected->pairs.size(), 4u);
    }
    std::string all;
    for (const PairInfo& pair : expected->pairs) all += Decompressed(dir / "whole" / pair.data_name);
    EXPECT_NE(all.find("{\"rejectionID\":22,\"correctionAction\":\"CORRECTION\",\"correctingFirmDesignatedID\":\"F6\"}"),
              std::string::npos);
    EXPECT_NE(all.find("{\"rejectionID\":26,\"correctionAction\":\"CORRECTION\",\"correctingCustomerRecordID\":"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace caisson::emit
