// Transform: choice of the input identifier, TID records and the identity rules of rules.md.

#include <string>

#include <gtest/gtest.h>

#include "fixture.h"
#include "identity/identity.h"
#include "testutil.h"

namespace caisson::identity {
namespace {

using testing::World;

TEST(Transform, SsnPersonGetsHashedTid) {
  World w;
  size_t c = w.Np("C1");
  w.Id(c, "SSN", "987 65 4320");
  ASSERT_OK(w.Run());
  EXPECT_TRUE(w.findings.empty());
  const model::Customer& cu = w.books.customers[c];
  ASSERT_TRUE(cu.tid.has_value());
  EXPECT_EQ(cu.tid->tid_type, "SSN/ITIN");
  EXPECT_FALSE(cu.tid->foreign_tid_type.has_value());
  EXPECT_FALSE(cu.tid->foreign_tid_country_cd.has_value());
  EXPECT_EQ(cu.tid->tid_value, Sha256Hex("987-65-4320"));
  EXPECT_EQ(cu.tid->origin.file, 2u);
  EXPECT_EQ(cu.tid->origin.line, 2u);
  EXPECT_FALSE(cu.ein.has_value());
}

TEST(Transform, EinLegalEntityHashEqualsTidValue) {
  World w;
  size_t c = w.Le("L1");
  w.Id(c, "EIN", "123456789");
  w.Id(c, "NATIONALID", "DE-555", "DE");
  ASSERT_OK(w.Run());
  EXPECT_TRUE(w.findings.empty());
  const model::Customer& cu = w.books.customers[c];
  ASSERT_TRUE(cu.tid.has_value());
  EXPECT_EQ(cu.tid->tid_type, "EIN");
  ASSERT_TRUE(cu.ein.has_value());
  EXPECT_EQ(*cu.ein, "12-3456789");
  EXPECT_EQ(Sha256Hex(*cu.ein), *cu.tid->tid_value);
}

TEST(Transform, SensitiveInputIsCleared) {
  World w;
  size_t c = w.Np("C1");
  w.Id(c, "SSN", "987-65-4321");
  w.sensitive.birth_dates[c] = "19800101";
  w.sensitive.account_numbers = {"55554444"};
  ASSERT_OK(w.Run());
  EXPECT_TRUE(w.sensitive.identifiers.empty());
  EXPECT_TRUE(w.sensitive.birth_dates.empty());
  EXPECT_TRUE(w.sensitive.account_numbers.empty());
}

TEST(Transform, ForeignHierarchyAndCountry) {
  World w;
  size_t c = w.Np("C1");
  w.Id(c, "OTHGOVT", "X-1", "FR");
  w.Id(c, "PASSPORT", "p 12 34", "FR");
  w.Id(c, "TAXID", "FR:99.88", "FR");
  ASSERT_OK(w.Run());
  EXPECT_TRUE(w.findings.empty());
  const model::TidRecord& t = *w.books.customers[c].tid;
  EXPECT_EQ(t.tid_type, "FOREIGN");
  EXPECT_EQ(t.foreign_tid_type, "NATIONALID");  // TAXID is reported as NATIONALID, first in the hierarchy
  EXPECT_EQ(t.foreign_tid_country_cd, "FR");
  EXPECT_EQ(t.tid_value, Sha256Hex("FR9988"));
  EXPECT_EQ(t.origin.line, 4u);
}

TEST(Transform, EndedIdentifiersAreIgnored) {
  World w;
  size_t c = w.Np("C1");
  auto& old = w.Id(c, "SSN", "987-65-4322");
  old.end_date = model::Num::Of(20240101);
  w.Id(c, "PASSPORT", "P777", "GB");
  auto& later = w.Id(c, "SSN", "987-65-4323");
  later.end_date = model::Num::Of(20250101);  // ends after as_of: still current
  ASSERT_OK(w.Run());
  EXPECT_EQ(w.books.customers[c].tid->tid_value, Sha256Hex("987-65-4323"));
}

TEST(Transform, AnIdentifierEndedForAReplacementBecomesThePriorTid) {
  World w;
  size_t c = w.Np("C1");
  auto& old = w.Id(c, "SSN", "987-65-4322");
  old.end_date = model::Num::Of(20240101);
  old.end_reason = "REPLACED";
  w.Id(c, "SSN", "987-65-4324");
  ASSERT_OK(w.Run());
  const model::Customer& cu = w.books.customers[c];
  EXPECT_EQ(cu.tid->tid_value, Sha256Hex("987-65-4324"));
  ASSERT_TRUE(cu.prior_tid.has_value());
  EXPECT_EQ(cu.prior_tid->tid.tid_value, Sha256Hex("987-65-4322"));
  EXPECT_EQ(cu.prior_tid->tid.tid_type, "SSN/ITIN");
  EXPECT_EQ(cu.prior_tid->end_date.value, 20240101);
  EXPECT_EQ(cu.prior_tid->end_reason, "REPLACED");
  // [§3.2] only a legal change links the two TIDs.
  EXPECT_EQ(cu.prior_tid->tid.replaced_by_tid, Sha256Hex("987-65-4324"));
  EXPECT_EQ(cu.prior_tid->tid.replaced_by_tid_type, "SSN/ITIN");
}

TEST(Transform, ACorrectedIdentifierIsAPriorTidWithoutLink) {
  World w;
  size_t c = w.Np("C1");
  auto& wrong = w.Id(c, "SSN", "987-65-4322");
  wrong.end_date = model::Num::Of(20240101);
  wrong.end_reason = "CORRECTION";
  w.Id(c, "SSN", "987-65-4324");
  ASSERT_OK(w.Run());
  const model::Customer& cu = w.books.customers[c];
  ASSERT_TRUE(cu.prior_tid.has_value());
  EXPECT_EQ(cu.prior_tid->end_reason, "CORRECTION");
  EXPECT_FALSE(cu.prior_tid->tid.replaced_by_tid.has_value());
  EXPECT_FALSE(cu.prior_tid->tid.replaced_by_tid_type.has_value());
}

TEST(Transform, NoPriorTidForOtherEndReasonsOrTheSameIdentifier) {
  World w;
  size_t a = w.Np("C1");
  auto& ended = w.Id(a, "SSN", "987-65-4322");
  ended.end_date = model::Num::Of(20240101);
  ended.end_reason = "ENDED";  // not one of §3.2's three
  w.Id(a, "SSN", "987-65-4324");
  size_t b = w.Np("C2");
  auto& same = w.Id(b, "SSN", "987-65-4325");
  same.end_date = model::Num::Of(20240101);
  same.end_reason = "REPLACED";
  w.Id(b, "SSN", "987 65 4325");  // the same identifier again: no replacement
  ASSERT_OK(w.Run());
  EXPECT_FALSE(w.books.customers[a].prior_tid.has_value());
  EXPECT_FALSE(w.books.customers[b].prior_tid.has_value());
}

TEST(Transform, LeiLegalEntityFillsLei) {
  World w;
  size_t c = w.Le("L1");
  w.Id(c, "LEI", "5493001KJTIIGC8Y1R12", "US");  // a country on an LEI row is not emitted
  ASSERT_OK(w.Run());
  EXPECT_TRUE(w.findings.empty());
  const model::Customer& cu = w.books.customers[c];
  EXPECT_EQ(cu.tid->foreign_tid_type, "LEI");
  EXPECT_FALSE(cu.tid->foreign_tid_country_cd.has_value());
  EXPECT_EQ(cu.lei, "5493001KJTIIGC8Y1R12");
  EXPECT_EQ(cu.tid->tid_value, Sha256Hex("5493001KJTIIGC8Y1R12"));
}

TEST(Transform, LeiConflictWithCustomersCsv) {
  World w;
  size_t c = w.Le("L1");
  w.books.customers[c].lei = "5493001KJTIIGC8Y1R12";
  w.Id(c, "LEI", "5493001KJTIIGC8Y1R12");
  ASSERT_OK(w.Run());
  EXPECT_TRUE(w.Of("input.conflict").empty());

  World v;
  c = v.Le("L1");
  v.books.customers[c].lei = "5493001KJTIIGC8Y1R12";
  v.Id(c, "LEI", "984500ABCDEF12345699");
  ASSERT_OK(v.Run());
  auto f = v.Of("input.conflict");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kPolicy);
  EXPECT_EQ(f[0].file, "identifiers.csv");
  EXPECT_EQ(f[0].line, 2u);
  EXPECT_EQ(v.books.customers[c].lei, "5493001KJTIIGC8Y1R12");
}

TEST(Transform, TidFormatSsn) {
  World w;
  size_t a = w.Np("A");
  w.Id(a, "SSN", "98765-4320");  // wrong shape
  size_t b = w.Np("B");
  w.Id(b, "ITIN", "666-65-4320");  // out of range
  size_t ok = w.Np("OK");
  w.Id(ok, "ITIN", "900-70-0001");
  ASSERT_OK(w.Run());
  auto f = w.Of("customer.tid_format");
  ASSERT_EQ(f.size(), 2u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.severity, Severity::kReject);
    EXPECT_EQ(x.cais_code, "22900");
    EXPECT_EQ(x.record, RecordKind::kCustomer);
    EXPECT_EQ(x.file, "identifiers.csv");
    EXPECT_EQ(x.field, "id_value");
    EXPECT_EQ(x.message.rfind("[24906] ", 0), 0u) << x.message;
  }
  EXPECT_EQ(f[0].key, "A");
  EXPECT_EQ(f[0].record_index, 0);
  EXPECT_EQ(f[0].line, 2u);
  EXPECT_EQ(f[1].key, "B");
  EXPECT_EQ(f[1].line, 3u);
  EXPECT_FALSE(w.books.customers[a].tid.has_value());
  EXPECT_TRUE(w.books.customers[ok].tid.has_value());
  EXPECT_EQ(w.findings.size(), 2u);
}

TEST(Transform, TidFormatEinAndForeign) {
  World w;
  size_t a = w.Le("A");
  w.Id(a, "EIN", "1-23456789");
  size_t b = w.Np("B");
  w.Id(b, "PASSPORT", " -/- ", "FR");
  ASSERT_OK(w.Run());
  auto f = w.Of("customer.tid_format");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].cais_code, "22900");
  EXPECT_EQ(f[0].message.rfind("[24907] ", 0), 0u);
  EXPECT_EQ(f[1].cais_code, "22900");
  EXPECT_EQ(f[1].key, "B");
  EXPECT_FALSE(w.books.customers[a].ein.has_value());
}

TEST(Transform, TidHierarchyPrimary) {
  World w;
  size_t a = w.Np("A");
  w.Id(a, "PASSPORT", "P1", "FR");
  w.Id(a, "PASSPORT", "P2", "FR").is_primary = model::Flag::Of(true);
  ASSERT_OK(w.Run());
  EXPECT_TRUE(w.Of("customer.tid_hierarchy").empty());
  EXPECT_EQ(w.books.customers[a].tid->tid_value, Sha256Hex("P2"));

  World v;
  a = v.Np("A");
  v.Id(a, "SSN", "987-65-4324");
  v.Id(a, "ITIN", "900-70-0002");
  ASSERT_OK(v.Run());
  auto f = v.Of("customer.tid_hierarchy");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kPolicy);
  EXPECT_EQ(f[0].cais_code, "");
  EXPECT_EQ(f[0].field, "is_primary");
  EXPECT_EQ(f[0].line, 2u);
  EXPECT_EQ(v.books.customers[a].tid->tid_value, Sha256Hex("987-65-4324"));
}

TEST(Transform, TidKindMismatches) {
  World w;
  size_t np_ein = w.Np("NPEIN");
  w.Id(np_ein, "EIN", "12-3456789");
  w.Id(np_ein, "PASSPORT", "P1", "FR");
  size_t le_ssn = w.Le("LESSN");
  w.Id(le_ssn, "SSN", "987-65-4325");
  size_t np_lei = w.Np("NPLEI");
  w.Id(np_lei, "LEI", "5493001KJTIIGC8Y1R12");
  size_t le_pp = w.Le("LEPP");
  w.Id(le_pp, "DRIVERLICENSE", "D1234", "FR");
  size_t np_ok = w.Np("NPOK");
  w.Id(np_ok, "LEI", "5493001KJTIIGC8Y1R12");
  w.Id(np_ok, "PASSPORT", "P9", "FR");
  ASSERT_OK(w.Run());
  auto f = w.Of("customer.tid_kind");
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].key, "NPEIN");
  EXPECT_EQ(f[0].cais_code, "22542");
  EXPECT_EQ(f[1].key, "LESSN");
  EXPECT_EQ(f[1].cais_code, "22541");
  EXPECT_EQ(f[2].key, "NPLEI");
  EXPECT_EQ(f[2].cais_code, "22534");
  EXPECT_EQ(f[3].key, "LEPP");
  EXPECT_EQ(f[3].cais_code, "22535");
  for (const Finding& x : f) EXPECT_EQ(x.severity, Severity::kReject);
  EXPECT_EQ(w.books.customers[np_ein].tid->tid_type, "EIN");  // §2.2.5.1: the U.S. identifier wins
  EXPECT_FALSE(w.books.customers[np_ein].ein.has_value());     // ein is a legal-entity field
  EXPECT_FALSE(w.books.customers[np_lei].lei.has_value());
  EXPECT_EQ(w.books.customers[np_ok].tid->foreign_tid_type, "PASSPORT");
}

TEST(Transform, GiinAndRequired) {
  World w;
  size_t le = w.Le("LE");
  w.Id(le, "GIIN", "98Q96B.00000.LE.250");
  size_t np = w.Np("NP");
  size_t ended = w.Np("ENDED");
  w.Id(ended, "SSN", "987-65-4326").end_date = model::Num::Of(20200101);
  ASSERT_OK(w.Run());
  auto g = w.Of("customer.giin");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].key, "LE");
  EXPECT_EQ(g[0].severity, Severity::kPolicy);
  auto le_req = w.Of("customer.le_required");
  ASSERT_EQ(le_req.size(), 1u);
  EXPECT_EQ(le_req[0].cais_code, "22526");
  EXPECT_EQ(le_req[0].file, "customers.csv");
  EXPECT_EQ(le_req[0].line, 2u);
  auto np_req = w.Of("customer.np_required");
  ASSERT_EQ(np_req.size(), 2u);
  EXPECT_EQ(np_req[0].key, "NP");
  EXPECT_EQ(np_req[0].cais_code, "22526");
  EXPECT_EQ(np_req[1].key, "ENDED");
  EXPECT_FALSE(w.books.customers[np].tid.has_value());

  World v;  // a GIIN next to a usable identifier: no finding
  le = v.Le("LE");
  v.Id(le, "GIIN", "98Q96B.00000.LE.250");
  v.Id(le, "OTHGOVT", "R-55", "KY");
  ASSERT_OK(v.Run());
  EXPECT_TRUE(v.findings.empty());
}

TEST(Transform, ForeignIdChars) {
  World w;
  size_t a = w.Np("A");
  w.Id(a, "NATIONALID", "X\xC3\xA9-12", "FR");
  size_t b = w.Np("B");
  w.Id(b, "NATIONALID", "X-12", "FR");
  ASSERT_OK(w.Run());
  auto f = w.Of("customer.foreign_id_chars");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].key, "A");
  EXPECT_EQ(f[0].severity, Severity::kPolicy);
  EXPECT_EQ(f[0].field, "id_value");
}

TEST(Transform, ForeignCountry) {
  World w;
  size_t a = w.Np("A");
  w.Id(a, "PASSPORT", "P1", "US");
  size_t b = w.Np("B");
  w.Id(b, "PASSPORT", "P2");
  size_t c = w.Np("C");
  w.Id(c, "PASSPORT", "P3", "ZZ");
  size_t d = w.Np("D");
  w.Id(d, "PASSPORT", "P4", "CA");
  ASSERT_OK(w.Run());
  auto f = w.Of("tid.type");
  ASSERT_EQ(f.size(), 3u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.record, RecordKind::kTid);
    EXPECT_EQ(x.cais_code, "22900");
    EXPECT_EQ(x.field, "country");
    EXPECT_EQ(x.message.rfind("[24904] ", 0), 0u);
  }
  EXPECT_EQ(f[0].key, "A");
  EXPECT_EQ(f[1].key, "B");
  EXPECT_EQ(f[2].key, "C");
}

TEST(Transform, MessagesNeverQuoteValues) {
  World w;
  size_t a = w.Np("A");
  w.Id(a, "SSN", "987-65-0000");
  w.Id(a, "SSN", "987-65-4327");
  size_t b = w.Le("B");
  w.Id(b, "PASSPORT", "PZ9182", "US");
  ASSERT_OK(w.Run());
  ASSERT_GE(w.findings.size(), 3u);
  for (const Finding& f : w.findings) {
    for (const char* v : {"987", "0000", "4327", "PZ9182", "9182"}) {
      EXPECT_EQ(f.message.find(v), std::string::npos) << f.message;
    }
  }
}

TEST(Transform, UnknownTransformer) {
  World w;
  w.Id(w.Np("A"), "SSN", "987-65-4328");
  Options o;
  o.transformer = "rot13";
  EXPECT_EQ(w.Run(o).code(), Status::Code::kNotSupported);
  EXPECT_TRUE(w.sensitive.identifiers.empty());
}

}  // namespace
}  // namespace caisson::identity
