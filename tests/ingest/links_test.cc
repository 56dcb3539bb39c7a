// History, references, addresses, identifiers and the sensitive split (synthetic values only).
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "fixture.h"
#include "ingest/ingest.h"
#include "testutil.h"

namespace caisson::ingest {
namespace {

namespace fs = std::filesystem;

using fixture::MustLoad;
using fixture::Of;
using fixture::Write;

fs::path Books() {
  fs::path dir = testing::TempDir();
  Write(dir, "accounts.csv",
        "fdid,account_types,fdid_date\nACC1,MARGIN,2020-01-02\nACC2,OPTION,2020-01-02\n");
  Write(dir, "customers.csv",
        "customer_id,kind,customer_types,first_name,last_name,year_of_birth,legal_name\n"
        "C1,NATURAL_PERSON,CP,Ann,Smith,1970,\nC2,LEGAL_ENTITY,BD,,,,Acme LLC\n");
  Write(dir, "roles.csv", "fdid,customer_id,role,role_start_date\nACC1,C1,TRDHOLDER,2020-01-02\n");
  return dir;
}

TEST(Links, RegionDerivedForUsAndCaOnly) {
  fs::path dir = Books();
  Write(dir, "addresses.csv",
        "owner_type,owner_id,addr_type,line1,city,region,postal_code,country\n"
        "account,ACC1,address1,1 Main St,Albany,ny,12207,us\n"
        "ACCOUNT,ACC1,ADDRESS2,2 Main St,Albany,US-NY,12207,US\n"
        "CUSTOMER,C1,ADDRESS1,3 King St,Toronto,on,M5H,CA\n"
        "CUSTOMER,C1,ADDRESS2,4 Rue,Paris,Ile-de-France,75001,FR\n"
        "CUSTOMER,C2,ADDRESS1,5 Elm,Nowhere,ca-on,1,US\n"
        "CUSTOMER,C2,ADDRESS2,6 Elm,Somewhere,,1,US\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  EXPECT_TRUE(findings.empty());
  const model::Books& b = l.books;
  EXPECT_EQ(b.files.back(), "addresses.csv");
  ASSERT_TRUE(b.fdids[0].has_address_list);
  ASSERT_EQ(b.fdids[0].address_list.size(), 2u);
  const model::Address& a = b.fdids[0].address_list[0];
  EXPECT_EQ(a.addr_type, "ADDRESS1");
  EXPECT_EQ(a.addr_line1, "1 Main St");
  EXPECT_EQ(a.city, "Albany");
  EXPECT_EQ(a.region_code, "US-NY");
  EXPECT_EQ(a.postal_code, "12207");
  EXPECT_EQ(a.country_code, "US");
  EXPECT_EQ(a.origin.line, 2u);
  EXPECT_EQ(b.fdids[0].address_list[1].region_code, "US-NY");
  EXPECT_FALSE(b.fdids[1].has_address_list);
  ASSERT_EQ(b.customers[0].address_list.size(), 2u);
  EXPECT_EQ(b.customers[0].address_list[0].region_code, "CA-ON");
  EXPECT_EQ(b.customers[0].address_list[1].region_code, "Ile-de-France");
  EXPECT_EQ(b.customers[1].address_list[0].region_code, "CA-ON");  // kept for the validator to reject
  EXPECT_FALSE(b.customers[1].address_list[1].region_code.has_value());
}

TEST(Links, ValidFromKeepsLatestStateOnOrBeforeAsOf) {
  fs::path dir = Books();
  Write(dir, "accounts.csv",
        "fdid,account_types,fdid_date,account_name,valid_from\n"
        "ACC1,MARGIN,2020-01-02,Old,2020-01-02\n"
        "ACC1,MARGIN,2020-01-02,Current,2024-12-31\n"
        "ACC1,MARGIN,2020-01-02,Future,2025-01-02\n"
        "ACC1,MARGIN,2020-01-02,Older,2019-01-01\n"
        "ACC9,MARGIN,2020-01-02,NotYet,2026-01-01\n");
  Write(dir, "customers.csv",
        "customer_id,kind,customer_types,first_name,last_name,year_of_birth,valid_from\n"
        "C1,NATURAL_PERSON,CP,Ann,Smith,1970,\n"
        "C1,NATURAL_PERSON,CP,Anne,Smith,1970,20250101\n");
  Write(dir, "roles.csv",
        "fdid,customer_id,role,role_start_date\nACC1,C1,TRDHOLDER,2020-01-02\n"
        "ACC9,C1,TRDHOLDER,2026-01-01\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  EXPECT_TRUE(findings.empty());  // ACC9 exists only after as_of: its role is not dangling
  ASSERT_EQ(l.books.fdids.size(), 1u);
  EXPECT_EQ(l.books.fdids[0].account_name, "Current");
  EXPECT_EQ(l.books.fdids[0].origin.line, 3u);
  EXPECT_EQ(l.books.fdids[0].fdid_customer_list.size(), 1u);
  ASSERT_EQ(l.books.customers.size(), 1u);
  EXPECT_EQ(l.books.customers[0].first_name, "Anne");  // as_of itself is included
  EXPECT_EQ(l.books.fdids[0].fdid_customer_list[0].customer_index, 0);

  Loaded earlier = MustLoad(dir, &findings, 20220101);
  EXPECT_EQ(earlier.books.fdids[0].account_name, "Old");
  EXPECT_EQ(earlier.books.customers[0].first_name, "Ann");
}

TEST(Links, DuplicateKeys) {
  fs::path dir = Books();
  Write(dir, "accounts.csv",
        "fdid,account_types,fdid_date\nACC1,MARGIN,2020-01-02\nACC1,OPTION,2020-01-02\n");
  Write(dir, "customers.csv",
        "customer_id,kind,customer_types,valid_from\nC1,NATURAL_PERSON,CP,2020-01-01\n"
        "C2,LEGAL_ENTITY,BD,\nC1,NATURAL_PERSON,TRUST,2020-01-01\n");
  Write(dir, "addresses.csv",
        "owner_type,owner_id,addr_type,line1\nCUSTOMER,C1,ADDRESS1,a\nCUSTOMER,C1,address1,b\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  // Two FDID rows stay two records: validate reports fdid.duplicate (22002). Both carry the FDID's roles, so
  // the duplicate is not also an FDID without customers.
  ASSERT_EQ(l.books.fdids.size(), 2u);
  EXPECT_EQ(l.books.fdids[0].fdid_customer_list.size(), 1u);
  ASSERT_EQ(l.books.fdids[1].fdid_customer_list.size(), 1u);
  EXPECT_TRUE(l.books.fdids[1].has_fdid_customer_list);
  EXPECT_EQ(l.books.fdids[1].fdid_customer_list[0].customer_key, "C1");
  EXPECT_EQ(l.books.fdids[1].origin.line, 3u);
  ASSERT_EQ(l.books.customers.size(), 2u);
  EXPECT_EQ(l.books.customers[0].customer_type, (std::vector<std::string>{"CP"}));
  std::vector<Finding> d = Of(findings, "input.duplicate");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].file, "customers.csv");
  EXPECT_EQ(d[0].line, 4u);
  EXPECT_EQ(d[0].field, "customer_id");
  EXPECT_EQ(d[0].record, RecordKind::kCustomer);
  EXPECT_EQ(d[0].key, "C1");
  EXPECT_EQ(d[0].record_index, 0);
  EXPECT_EQ(d[0].severity, Severity::kPolicy);
  EXPECT_EQ(d[1].file, "addresses.csv");
  EXPECT_EQ(d[1].line, 3u);
  EXPECT_EQ(d[1].field, "addr_type");
  EXPECT_EQ(d[1].record_index, 0);
  EXPECT_EQ(l.books.customers[0].address_list.size(), 1u);
  EXPECT_EQ(findings.size(), 2u);
}

// Addresses go straight into their owner's list as read; a row a later state supersedes is taken out again,
// the others keep their order, and only rows in force report a dangling owner or a bad value.
TEST(Links, AddressHistoryKeepsRowOrderAndDropsSupersededRows) {
  fs::path dir = Books();
  Write(dir, "addresses.csv",
        "owner_type,owner_id,addr_type,line1,valid_from\n"
        "ACCOUNT,ACC1,ADDRESS1,old,2020-01-01\n"      // 2: superseded by line 4
        "ACCOUNT,ACC1,ADDRESS2,second,\n"             // 3
        "ACCOUNT,ACC1,ADDRESS1,new,2024-06-01\n"      // 4
        "ACCOUNT,ACC1,ADDRESS1,future,2025-06-01\n"   // 5: after as_of
        "CUSTOMER,C404,ADDRESS1,x,2020-01-01\n"       // 6: superseded by line 7, not reported
        "CUSTOMER,C404,ADDRESS1,y,2021-01-01\n"       // 7: dangling
        "CUSTOMER,C1,ADDRESS1,bad,someday\n"          // 8: superseded by line 9 with its finding
        "CUSTOMER,C1,ADDRESS1,good,2021-01-01\n"      // 9
        "CUSTOMER,C2,ADDRESS1,only,2030-01-01\n");    // 10: after as_of: C2 gets no list
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  const std::vector<model::Address>& a = l.books.fdids[0].address_list;
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].addr_line1, "second");
  EXPECT_EQ(a[0].origin.line, 3u);
  EXPECT_EQ(a[1].addr_line1, "new");
  EXPECT_EQ(a[1].origin.line, 4u);
  EXPECT_TRUE(l.books.fdids[0].has_address_list);
  EXPECT_FALSE(l.books.fdids[1].has_address_list);
  ASSERT_EQ(l.books.customers[0].address_list.size(), 1u);
  EXPECT_EQ(l.books.customers[0].address_list[0].addr_line1, "good");
  EXPECT_TRUE(l.books.customers[0].has_address_list);
  EXPECT_FALSE(l.books.customers[1].has_address_list);
  EXPECT_TRUE(l.books.customers[1].address_list.empty());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "input.reference");
  EXPECT_EQ(findings[0].line, 7u);
  EXPECT_EQ(findings[0].key, "C404");
  EXPECT_EQ(findings[0].record_index, -1);
}

// A books file is mapped and its pages are given back behind the reader every 8 MiB (table.cc): the rows after
// a release, and a value that spans one, still read whole.
TEST(Links, RowsBeyondTheFirstReleaseOfALargeFile) {
  fs::path dir = Books();
  const std::string long_line(size_t{9} << 20, 'L');
  Write(dir, "addresses.csv",
        "owner_type,owner_id,addr_type,line1\nACCOUNT,ACC1,ADDRESS1,\"" + long_line + "\"\n"
        "ACCOUNT,ACC2,ADDRESS1,after\nCUSTOMER,C1,ADDRESS1,last\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  EXPECT_TRUE(findings.empty());
  ASSERT_EQ(l.books.fdids[0].address_list.size(), 1u);
  EXPECT_EQ(l.books.fdids[0].address_list[0].addr_line1, long_line);
  ASSERT_EQ(l.books.fdids[1].address_list.size(), 1u);
  EXPECT_EQ(l.books.fdids[1].address_list[0].addr_line1, "after");
  EXPECT_EQ(l.books.fdids[1].address_list[0].origin.line, 3u);
  ASSERT_EQ(l.books.customers[0].address_list.size(), 1u);
  EXPECT_EQ(l.books.customers[0].address_list[0].addr_line1, "last");
}

TEST(Links, DanglingReferences) {
  fs::path dir = Books();
  Write(dir, "roles.csv",
        "fdid,customer_id,role,role_start_date\nACC1,C1,TRDHOLDER,2020-01-02\n"
        "ACC1,C404,TRDHOLDER,2020-01-02\nACC404,C1,TRDHOLDER,2020-01-02\n");
  Write(dir, "addresses.csv",
        "owner_type,owner_id,addr_type,line1\nACCOUNT,ACC405,ADDRESS1,a\nCUSTOMER,C405,ADDRESS1,b\n");
  Write(dir, "large_traders.csv", "fdid,large_trader_id,effective_date\nACC406,12345678-0001,2020-01-01\n");
  Write(dir, "authorized_traders.csv", "fdid,first_name,last_name\nACC407,Bo,Lee\n");
  Write(dir, "identifiers.csv", "customer_id,id_type,id_value\nC408,SSN,000-00-0001\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  // role -> unknown customer is validate's (role.unknown_customer 22041).
  ASSERT_EQ(l.books.fdids[0].fdid_customer_list.size(), 2u);
  EXPECT_EQ(l.books.fdids[0].fdid_customer_list[1].customer_key, "C404");
  EXPECT_EQ(l.books.fdids[0].fdid_customer_list[1].customer_index, -1);
  std::vector<Finding> r = Of(findings, "input.reference");
  ASSERT_EQ(r.size(), 6u);
  struct Want {
    const char* file;
    uint64_t line;
    const char* field;
    const char* key;
    RecordKind record;
  } want[] = {{"identifiers.csv", 2, "customer_id", "C408", RecordKind::kCustomer},
              {"roles.csv", 4, "fdid", "ACC404", RecordKind::kFdid},
              {"addresses.csv", 2, "owner_id", "ACC405", RecordKind::kFdid},
              {"addresses.csv", 3, "owner_id", "C405", RecordKind::kCustomer},
              {"large_traders.csv", 2, "fdid", "ACC406", RecordKind::kFdid},
              {"authorized_traders.csv", 2, "fdid", "ACC407", RecordKind::kFdid}};
  for (size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(r[i].file, want[i].file) << i;
    EXPECT_EQ(r[i].line, want[i].line) << i;
    EXPECT_EQ(r[i].field, want[i].field) << i;
    EXPECT_EQ(r[i].key, want[i].key) << i;
    EXPECT_EQ(r[i].record, want[i].record) << i;
    EXPECT_EQ(r[i].record_index, -1) << i;
    EXPECT_EQ(r[i].severity, Severity::kPolicy) << i;
  }
  EXPECT_EQ(findings.size(), 6u);
}

TEST(Links, LargeTradersAndAuthorizedTraderNames) {
  fs::path dir = Books();
  Write(dir, "large_traders.csv",
        "fdid,large_trader_id,effective_date,end_date,end_reason\n"
        "ACC2,12345678-0001,2020-01-01,2021-01-01,ended\n");
  Write(dir, "authorized_traders.csv",
        "fdid,first_name,middle_name,last_name,name_suffix,full_name\n"
        "ACC1,Bo,,Lee,JUNIOR,\nACC1,,,,,\"Lee, Bo Sr\"\nACC1,,,,,\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  EXPECT_TRUE(findings.empty());
  const model::Fdid& a2 = l.books.fdids[1];
  ASSERT_TRUE(a2.has_large_trader_list);
  ASSERT_EQ(a2.large_trader_list.size(), 1u);
  EXPECT_EQ(a2.large_trader_list[0].large_trader_id, "12345678-0001");
  EXPECT_EQ(a2.large_trader_list[0].ltid_effective_date.value, 20200101);
  EXPECT_EQ(a2.large_trader_list[0].ltid_end_date.value, 20210101);
  EXPECT_EQ(a2.large_trader_list[0].ltid_end_reason, "ENDED");
  const model::Fdid& a1 = l.books.fdids[0];
  ASSERT_TRUE(a1.has_auth_trader_names_list);
  ASSERT_EQ(a1.auth_trader_names_list.size(), 3u);
  EXPECT_EQ(a1.auth_trader_names_list[0].auth_trader_name, "Bo Lee JUNIOR");
  EXPECT_EQ(a1.auth_trader_names_list[1].auth_trader_name, "Lee, Bo Sr");
  EXPECT_FALSE(a1.auth_trader_names_list[2].auth_trader_name.has_value());
  EXPECT_EQ(a1.auth_trader_names_list[2].origin.line, 4u);
}

TEST(Links, IdentifiersGoToSensitiveInputOnly) {
  fs::path dir = Books();
  Write(dir, "identifiers.csv",
        "customer_id,id_type,id_value,country,is_primary,end_date,end_reason\n"
        "C1,ssn,000-00-0001,,Y,,\n"
        "C1,passport,P0000001,de,maybe,2020/01/01,replaced\n"
        "C1,ssn,000-00-0001,,Y,,\n"
        "C2,LEI,5493000000000000000X,,,,\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  ASSERT_EQ(l.sensitive.identifiers.size(), 2u);
  const auto& ids = l.sensitive.identifiers[0];
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0].id_type, "SSN");
  EXPECT_EQ(ids[0].id_value, "000-00-0001");
  EXPECT_TRUE(ids[0].is_primary.is_true());
  EXPECT_EQ(ids[0].origin.line, 2u);
  EXPECT_EQ(ids[1].id_type, "PASSPORT");
  EXPECT_EQ(ids[1].country, "DE");
  EXPECT_EQ(ids[1].end_date.state, model::Num::State::kInvalid);
  EXPECT_EQ(ids[1].end_reason, "REPLACED");
  ASSERT_EQ(l.sensitive.identifiers[1].size(), 1u);
  EXPECT_FALSE(l.books.customers[1].lei.has_value());  // identity fills lei from the identifier
  std::vector<Finding> v = Of(findings, "input.value");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].field, "is_primary");
  EXPECT_EQ(v[0].line, 3u);
  EXPECT_EQ(v[0].record_index, 0);
  EXPECT_EQ(v[1].field, "end_date");
  std::vector<Finding> d = Of(findings, "input.duplicate");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "identifiers.csv");
  EXPECT_EQ(d[0].line, 4u);
  EXPECT_EQ(d[0].key, "C1");
  for (const Finding& f : findings) {
    EXPECT_EQ(f.message.find("0001"), std::string::npos) << f.message;
    EXPECT_EQ(f.message.find("P0000001"), std::string::npos) << f.message;
  }
  EXPECT_EQ(findings.size(), 3u);
}

TEST(Links, Conflicts) {
  fs::path dir = Books();
  Write(dir, "customers.csv",
        "customer_id,kind,customer_types,first_name,last_name,birth_date,year_of_birth,legal_name,lei\n"
        "C1,NATURAL_PERSON,CP,Ann,Smith,1970-06-15,1971,,\n"
        "C2,LEGAL_ENTITY,BD,,,,,Acme LLC,5493-0000-0000-0000-000X\n"
        "C3,NATURAL_PERSON,CP,Bo,Lee,1980-02-03,1980,,\n"
        "C4,NATURAL_PERSON,CP,Cy,Ng,03/02/1980,,,\n"
        "C5,NATURAL_PERSON,CP,Di,Wu,03/02/1980,1980,,\n");
  Write(dir, "identifiers.csv",
        "customer_id,id_type,id_value,end_date\nC2,LEI,5493000000000000000x,\n"
        "C2,LEI,5493000000000000000Y,2020-01-01\nC2,LEI,5493000000000000000Z,\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  const auto& c = l.books.customers;
  EXPECT_EQ(c[0].year_of_birth.value, 1971);
  EXPECT_EQ(c[2].year_of_birth.value, 1980);
  EXPECT_EQ(c[3].year_of_birth.state, model::Num::State::kInvalid);  // reported by the yearOfBirth rule
  EXPECT_EQ(l.sensitive.birth_dates, (std::vector<std::string>{"19700615", "", "19800203", "", ""}));
  std::vector<Finding> k = Of(findings, "input.conflict");
  ASSERT_EQ(k.size(), 2u);
  EXPECT_EQ(k[0].file, "customers.csv");
  EXPECT_EQ(k[0].line, 2u);
  EXPECT_EQ(k[0].field, "year_of_birth");
  EXPECT_EQ(k[0].record_index, 0);
  EXPECT_EQ(k[1].file, "identifiers.csv");
  EXPECT_EQ(k[1].line, 4u);  // the ended LEI on line 3 and the same LEI on line 2 are no conflict
  EXPECT_EQ(k[1].field, "id_value");
  EXPECT_EQ(k[1].key, "C2");
  EXPECT_EQ(k[1].record_index, 1);
  std::vector<Finding> v = Of(findings, "input.value");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "birth_date");
  EXPECT_EQ(v[0].line, 6u);
  for (const Finding& f : findings) {
    EXPECT_EQ(f.message.find("1970"), std::string::npos) << f.message;
    EXPECT_EQ(f.message.find("1980"), std::string::npos) << f.message;
  }
  EXPECT_EQ(findings.size(), 3u);
}

TEST(Links, BadValidFromIsInputValueAndCountsAsAlways) {
  fs::path dir = Books();
  Write(dir, "customers.csv",
        "customer_id,kind,customer_types,valid_from\nC1,NATURAL_PERSON,CP,soon\n"
        "C2,LEGAL_ENTITY,BD,\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  ASSERT_EQ(l.books.customers.size(), 2u);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "input.value");
  EXPECT_EQ(findings[0].field, "valid_from");
  EXPECT_EQ(findings[0].line, 2u);
  EXPECT_EQ(findings[0].key, "C1");
}

}  // namespace
}  // namespace caisson::ingest
