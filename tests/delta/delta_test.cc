// delta::Select (the §3.6 closure against the store), Record and Recover (a submission a killed run left).
#include "delta/delta.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "caisjson/caisjson.h"
#include "testutil.h"

namespace caisson::delta {
namespace {

namespace fs = std::filesystem;

Fingerprint Fp(uint8_t v) {
  Fingerprint f{};
  f[0] = v;
  return f;
}

model::Association Assoc(int32_t customer) {
  model::Association a;
  a.customer_index = customer;
  a.role = "TRDHOLDER";
  a.role_start_date = model::Num::Of(20200101);
  return a;
}

// F0..F3; C0 on F0 and F1 (shared), C1 on F2, C2 on F3.
struct World {
  model::Books books;
  validate::Holds holds;
  std::vector<Fingerprint> fdid_fp, customer_fp;
  std::unique_ptr<state::Store> store;
  fs::path dir;

  World() : dir(testing::TempDir()) {
    for (int i = 0; i < 4; ++i) {
      model::Fdid f;
      f.firm_designated_id = "F" + std::to_string(i);
      books.fdids.push_back(f);
      fdid_fp.push_back(Fp(static_cast<uint8_t>(10 + i)));
    }
    for (int i = 0; i < 3; ++i) {
      model::Customer c;
      c.key = "C" + std::to_string(i);
      books.customers.push_back(c);
      customer_fp.push_back(Fp(static_cast<uint8_t>(20 + i)));
    }
    books.fdids[0].fdid_customer_list = {Assoc(0)};
    books.fdids[1].fdid_customer_list = {Assoc(0)};
    books.fdids[2].fdid_customer_list = {Assoc(1)};
    books.fdids[3].fdid_customer_list = {Assoc(2)};
    holds.fdid.assign(4, false);
    holds.customer.assign(3, false);
    Result<std::unique_ptr<state::Store>> s = state::Store::Open(dir / "caisson.db", state::Options{});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    store = std::move(s).value();
  }

  delta::Plan Select(bool full = false, std::string pairing = "hold") {
    Options o;
    o.full = full;
    o.pairing_policy = std::move(pairing);
    Result<delta::Plan> p = delta::Select(books, holds, fdid_fp, customer_fp, *store, o);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return std::move(p).value();
  }

  // Records `plan` as submission with no files and accepts it.
  void RecordAndAccept(const delta::Plan& plan) {
    state::Submission sub;
    sub.kind = "test";
    sub.file_date = 20261120;
    ASSERT_TRUE(Record(books, plan, fdid_fp, customer_fp, {}, {}, &sub, store.get()).ok());
    ASSERT_TRUE(MarkWritten(sub.id, store.get()).ok());
    Result<spec::Profile> profile = spec::LoadProfile(testing::DataDir(), "cais-2.2.0r4");
    ASSERT_TRUE(profile.ok());
    Acceptance a;
    a.submission_id = sub.id;
    a.date = 20261121;
    Result<Accepted> done = Accept(*profile, a, store.get());
    ASSERT_TRUE(done.ok()) << done.status().ToString();
  }
};

std::vector<Reason> Reasons(const Plan& p) { return p.fdid; }

TEST(Select, FirstTimeEverythingIsNewThenNothing) {
  World w;
  Plan p1 = w.Select();
  EXPECT_EQ(Reasons(p1), (std::vector<Reason>(4, Reason::kNew)));
  EXPECT_EQ(p1.new_fdids, 4);
  w.RecordAndAccept(p1);
  Plan p2 = w.Select();
  EXPECT_TRUE(p2.empty());
  EXPECT_EQ(p2.unchanged_fdids, 4);
  EXPECT_EQ(p2.emit_holds.fdid, (std::vector<bool>(4, true)));
  // --full resends all current records.
  Plan full = w.Select(true);
  EXPECT_EQ(full.full_fdids, 4);
  EXPECT_FALSE(full.empty());
}

// A first build writes a quarter of the records or more, and so does its acceptance: both go straight into the
// store's main tables (no recent rows to fold later), and every read is as after a fold.
TEST(Accept, AFirstBuildAndItsAcceptanceWriteInPlace) {
  World w;
  w.RecordAndAccept(w.Select());
  Result<state::Store::Layers> layers = w.store->CountLayers();
  ASSERT_TRUE(layers.ok());
  EXPECT_EQ(layers->recent, 0);
  EXPECT_EQ(layers->main, 4 + 3);
  EXPECT_EQ(w.store->GetFdid("F2")->last_accepted, 20261121);
  EXPECT_TRUE(w.Select().empty());
}

// The transaction side reads, from the store, the dates that make an FDID valid in CAIS [CAT IM §2.4.2.1].
TEST(Record, KeepsTheValidityOfTheVersionWrittenAndOfTheVersionAccepted) {
  World w;
  w.books.fdids[0].fdid_customer_list.push_back(Assoc(1));
  w.books.fdids[0].fdid_customer_list[1].role_start_date = model::Num::Of(20190505);
  w.books.fdids[0].account_type = std::vector<std::string>{"AGENCY", "MARKET"};
  w.RecordAndAccept(w.Select());
  Result<state::RecordState> f0 = w.store->GetFdid("F0");
  ASSERT_TRUE(f0.ok());
  EXPECT_EQ(f0->accepted_validity.from, 20190505);
  EXPECT_EQ(f0->accepted_validity.until, 0);
  EXPECT_EQ(f0->accepted_validity.facts, state::kValidityMarket);
  EXPECT_EQ(w.store->GetFdid("F1")->accepted_validity.facts, 0);

  w.books.fdids[0].fdid_end_date = model::Num::Of(20261120);
  w.fdid_fp[0] = Fp(77);
  state::Submission sub;
  sub.kind = "test";
  sub.file_date = 20261122;
  ASSERT_TRUE(Record(w.books, w.Select(), w.fdid_fp, w.customer_fp, {}, {}, &sub, w.store.get()).ok());
  f0 = w.store->GetFdid("F0");
  EXPECT_EQ(f0->emitted_validity.until, 20261120);
  EXPECT_EQ(f0->accepted_validity.until, 0);  // CAIS has not accepted the end yet
}

// [§6.6.3] a customer with an open Material Inconsistency goes again though unchanged, with a carrier.
TEST(Select, ACustomerToResendGoesWithACarrierThoughUnchanged) {
  World w;
  w.RecordAndAccept(w.Select());
  Options o;
  o.resend_customers = {false, false, true};
  Result<delta::Plan> p = delta::Select(w.books, w.holds, w.fdid_fp, w.customer_fp, *w.store, o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Reasons(*p), (std::vector<Reason>{Reason::kNotSent, Reason::kNotSent, Reason::kNotSent, Reason::kCarrier}));
  EXPECT_EQ(p->customer, (std::vector<bool>{false, false, true}));
}

// [§6.4.1; §6.6.4] a yearOfBirth change under the TID CAIS has goes with updateNotification true; with the
// books saying N it is predicted as 30002; an ein change is not: CAIS raises no new 30003 since 22544 [Table 32].
TEST(ProactiveUpdates, FlagAYearOfBirthChangeAndPredictWhatCannotBeFlagged) {
  World w;
  for (int i = 0; i < 3; ++i) {
    model::TidRecord t;
    t.tid_type = "SSN/ITIN";
    t.tid_value = std::string(64, static_cast<char>('a' + i));
    w.books.customers[static_cast<size_t>(i)].tid = t;
    w.books.customers[static_cast<size_t>(i)].year_of_birth = model::Num::Of(1980);
  }
  w.books.customers[2].kind = model::CustomerKind::kLegalEntity;
  w.books.customers[2].ein = "12-3456789";
  w.books.customers[2].tid->tid_type = "EIN";
  w.RecordAndAccept(w.Select());
  EXPECT_EQ(w.store->GetCustomer("C0")->accepted_mi_facts, 10000001980);
  EXPECT_EQ(w.store->GetCustomer("C2")->accepted_mi_facts, 20123456789);

  w.books.customers[0].year_of_birth = model::Num::Of(1981);  // flagged
  w.books.customers[1].year_of_birth = model::Num::Of(1982);
  w.books.customers[1].update_notification = model::Flag::Of(false);  // the books refuse the flag: predicted
  w.books.customers[2].ein = "12-3456780";                             // no 30003 since 22544
  for (int i = 0; i < 3; ++i) w.customer_fp[static_cast<size_t>(i)] = Fp(static_cast<uint8_t>(60 + i));
  Plan p = w.Select();
  std::vector<Finding> findings;
  EXPECT_EQ(ProactiveUpdates(&w.books, p, &findings), 1);
  EXPECT_TRUE(w.books.customers[0].update_notification.is_true());
  EXPECT_FALSE(w.books.customers[1].update_notification.is_true());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "customer.mi_predict");
  EXPECT_EQ(findings[0].cais_code, "30002");
  EXPECT_EQ(findings[0].key, "C1");
  EXPECT_EQ(findings[0].severity, Severity::kInconsistency);
  EXPECT_FALSE(w.books.customers[2].update_notification.is_true());

  // Another TID is another customer for CAIS: nothing to compare.
  World other;
  other.books.customers[0].tid = model::TidRecord{};
  other.books.customers[0].tid->tid_type = "SSN/ITIN";
  other.books.customers[0].tid->tid_value = std::string(64, 'a');
  other.books.customers[0].year_of_birth = model::Num::Of(1980);
  other.RecordAndAccept(other.Select());
  other.books.customers[0].tid->tid_value = std::string(64, 'b');
  other.books.customers[0].year_of_birth = model::Num::Of(1990);
  other.customer_fp[0] = Fp(70);
  Plan q = other.Select();
  findings.clear();
  EXPECT_EQ(ProactiveUpdates(&other.books, q, &findings), 0);
  EXPECT_TRUE(findings.empty());
}

TEST(Select, ChangedFdidAndASharedCustomerGoWithOneFdid) {
  World w;
  w.RecordAndAccept(w.Select());
  w.fdid_fp[3] = Fp(99);       // F3 changed
  w.customer_fp[0] = Fp(98);   // C0 (on F0 and F1) changed
  Plan p = w.Select();
  EXPECT_EQ(Reasons(p), (std::vector<Reason>{Reason::kCarrier, Reason::kNotSent, Reason::kNotSent, Reason::kChanged}));
  EXPECT_EQ(p.customer, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(p.changed_customers, 1);
  EXPECT_EQ(p.emit_holds.fdid, (std::vector<bool>{false, true, true, false}));
}

TEST(Select, ACarrierIsAnActiveUnendedFdidAndHeldRecordsStayOut) {
  World w;
  w.RecordAndAccept(w.Select());
  w.books.fdids[0].fdid_end_date = model::Num::Of(20261101);  // F0 ended: F1 carries C0
  w.fdid_fp[0] = Fp(50);
  w.holds.fdid[0] = true;  // and F0 is held back today
  w.customer_fp[0] = Fp(51);
  Plan p = w.Select();
  EXPECT_EQ(p.fdid[0], Reason::kNotSent);
  EXPECT_EQ(p.fdid[1], Reason::kCarrier);
  // C1's only FDID ended: a change to it is stranded (CAIS needs nothing).
  w.books.fdids[2].fdid_end_date = model::Num::Of(20261101);
  w.holds.fdid[0] = false;
  w.customer_fp[1] = Fp(52);
  Plan q = w.Select();
  EXPECT_EQ(q.stranded_customers, 1);
}

TEST(Select, AReplacedFdidBringsItsReplacementUnlessAccepted) {
  World w;
  w.RecordAndAccept(w.Select());
  w.books.fdids[1].fdid_end_reason = "REPLACED";
  w.books.fdids[1].replaced_by_fdid = "F4";
  model::Fdid f4;
  f4.firm_designated_id = "F4";
  f4.fdid_customer_list = {Assoc(0)};
  w.books.fdids.push_back(f4);
  w.fdid_fp.push_back(Fp(60));
  w.holds.fdid.push_back(false);
  w.fdid_fp[1] = Fp(61);
  Plan p = w.Select();
  EXPECT_EQ(p.fdid[1], Reason::kChanged);
  EXPECT_EQ(p.fdid[4], Reason::kNew);
  w.RecordAndAccept(p);
  // Both accepted; a later change of the REPLACED FDID alone does not drag the replacement along.
  w.fdid_fp[1] = Fp(62);
  Plan q = w.Select();
  EXPECT_EQ(q.fdid[1], Reason::kChanged);
  EXPECT_EQ(q.fdid[4], Reason::kNotSent);
}

TEST(Select, AnAcceptedFdidGoneFromTheBooksIsAFinding) {
  World w;
  Plan first = w.Select();
  state::Submission sub;
  ASSERT_TRUE(Record(w.books, first, w.fdid_fp, w.customer_fp, {}, {}, &sub, w.store.get()).ok());
  ASSERT_TRUE(w.store->Write([&](state::Txn& txn) {
    Result<state::RecordState> r = w.store->GetFdid("F2");
    EXPECT_TRUE(r.ok());
    r->accepted = r->emitted;
    return txn.PutFdid(*r);
  }).ok());
  w.books.fdids.erase(w.books.fdids.begin() + 2);
  w.fdid_fp.erase(w.fdid_fp.begin() + 2);
  w.holds.fdid.pop_back();
  Plan p = w.Select();
  ASSERT_EQ(p.findings.size(), 1u);
  EXPECT_EQ(p.findings[0].rule, "state.vanished");
  EXPECT_EQ(p.findings[0].key, "F2");
}

TEST(Select, AnAcceptedFdidMovedToAnotherCorrespondentIsHeldByPolicy) {
  World w;
  w.RecordAndAccept(w.Select());
  w.books.fdids[3].correspondent_crd = model::Num::Of(777);  // accepted without one [§2.1.1]
  w.fdid_fp[3] = Fp(70);
  Plan held = w.Select();
  ASSERT_EQ(held.findings.size(), 1u);
  EXPECT_EQ(held.findings[0].rule, "state.pairing");
  EXPECT_EQ(held.findings[0].key, "F3");
  EXPECT_EQ(held.fdid[3], Reason::kNotSent);
  EXPECT_EQ(held.pairing_held, 1);
  EXPECT_TRUE(held.empty());
  Plan reported = w.Select(false, "report");
  EXPECT_EQ(reported.findings.size(), 1u);
  EXPECT_EQ(reported.fdid[3], Reason::kChanged);
  Plan off = w.Select(false, "off");
  EXPECT_TRUE(off.findings.empty());
  EXPECT_EQ(off.fdid[3], Reason::kChanged);
}

TEST(Recover, FinishesTheRenamesOfARecordedSubmission) {
  World w;
  const fs::path out = w.dir / "out";
  fs::create_directories(out);
  // What emit leaves when killed after the store recorded: complete files under temporary names.
  const std::string name = "990002_990001_20261120_CAIS_000001";
  std::ofstream(out / (name + ".json.bz2.tmp-999999")) << "complete bytes";
  Result<std::string> sha = caisjson::Sha256OfFile(out / (name + ".json.bz2.tmp-999999"));
  ASSERT_TRUE(sha.ok());
  std::ofstream(out / (name + ".json.bz2.tmp-999998")) << "another run's leftover";
  SentFile f;
  f.entry.base_name = name;
  f.entry.kind = "TIDS";  // no record maps needed for this test
  f.entry.partner = "x";
  f.entry.sha256 = *sha;
  state::Submission sub;
  sub.out_dir = out.string();
  ASSERT_TRUE(Record(w.books, w.Select(), w.fdid_fp, w.customer_fp, {f}, {}, &sub, w.store.get()).ok());
  int64_t recovered = -1;
  ASSERT_TRUE(Recover(w.store.get(), &recovered).ok());
  EXPECT_EQ(recovered, 1);
  EXPECT_TRUE(fs::exists(out / (name + ".json.bz2")));
  Result<state::Submission> after = w.store->GetSubmission(sub.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, "written");
  // Nothing more to do the second time.
  ASSERT_TRUE(Recover(w.store.get(), &recovered).ok());
  EXPECT_EQ(recovered, 0);
}

TEST(Recover, AFileThatIsGoneNeedsAPerson) {
  World w;
  const fs::path out = w.dir / "out";
  fs::create_directories(out);
  SentFile f;
  f.entry.base_name = "990002_990001_20261120_TIDS_000001";
  f.entry.kind = "TIDS";
  f.entry.partner = "x";
  f.entry.sha256 = std::string(64, '0');
  state::Submission sub;
  sub.out_dir = out.string();
  ASSERT_TRUE(Record(w.books, w.Select(), w.fdid_fp, w.customer_fp, {f}, {}, &sub, w.store.get()).ok());
  int64_t recovered = 0;
  Status s = Recover(w.store.get(), &recovered);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("TIDS_000001.json.bz2"), std::string::npos) << s.ToString();
}

// A TID file entry (no record maps to write), as planned: sizes and SHA-256 unset.
SentFile TidFile() {
  SentFile f;
  f.entry.base_name = "990002_990001_20261120_TIDS_000001";
  f.entry.kind = "TIDS";
  f.entry.partner = "x";
  return f;
}

// Record while the files are still being written: the rows go in first, the files' sizes and SHA-256 once
// `complete` has them, and the transaction commits after that.
TEST(Record, FilesCompletedLaterGetTheirSizesAndDigest) {
  World w;
  const SentFile f = TidFile();
  state::Submission sub;
  bool called = false;
  const Status s = Record(w.books, w.Select(), w.fdid_fp, w.customer_fp, {f}, {}, &sub, w.store.get(),
                          [&](std::vector<SentFile>* files) -> Status {
                            called = true;
                            EXPECT_EQ(files->size(), 1u);
                            (*files)[0].entry.compressed_bytes = 123;
                            (*files)[0].entry.uncompressed_bytes = 4567;
                            (*files)[0].entry.sha256 = std::string(64, 'a');
                            return Status::OK();
                          });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(called);
  Result<state::FileEntry> entry = w.store->GetFile(f.entry.base_name);
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_EQ(entry->compressed_bytes, 123);
  EXPECT_EQ(entry->uncompressed_bytes, 4567);
  EXPECT_EQ(entry->sha256, std::string(64, 'a'));
  EXPECT_EQ(entry->status, "pending");
}

// Files that never complete leave nothing recorded: no submission, no file, no record state.
TEST(Record, FilesThatNeverCompleteLeaveNothingRecorded) {
  World w;
  const SentFile f = TidFile();
  state::Submission sub;
  const Status s = Record(w.books, w.Select(), w.fdid_fp, w.customer_fp, {f}, {}, &sub, w.store.get(),
                          [](std::vector<SentFile>*) { return Status::IOError("out", "the compressor failed"); });
  EXPECT_EQ(s.code(), Status::Code::kIOError);
  EXPECT_EQ(w.store->GetFile(f.entry.base_name).status().code(), Status::Code::kNotFound);
  Result<int64_t> last = w.store->LastSubmissionId();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 0);
  // The records were not recorded as sent: a new selection still finds every FDID new.
  EXPECT_EQ(w.Select().new_fdids, 4);
}

}  // namespace
}  // namespace caisson::delta
