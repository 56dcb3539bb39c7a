// LoadBooks on small synthetic books (every value below is made up).
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

const char* kAccounts =
    "fdid,account_types,account_name,fdid_date,registered_rep_crd,dvp_custodian_ids,account_number\n"
    "ACC1,margin;Option,\"Smith, Joint\",2020-01-02,11;22,,900000001\n"
    "ACC2,DVP/RVP,Fund,20210305,,0123;FOR,\n";
const char* kCustomers =
    "customer_id,kind,customer_types,first_name,last_name,birth_date,year_of_birth,legal_name\n"
    "C1,natural_person,notapplicable,Ann,Smith,1970-06-15,,\n"
    "C2,LEGAL_ENTITY,BD;Foreign,,,,,Acme LLC\n";
const char* kRoles =
    "fdid,customer_id,role,has_discretion,role_start_date\n"
    "ACC1,C1,trdholder,,2020-01-02\n"
    "ACC2,C2,TRDHOLDER,N,2021-03-05\n";

fs::path Books() {
  fs::path dir = testing::TempDir();
  Write(dir, "accounts.csv", kAccounts);
  Write(dir, "customers.csv", kCustomers);
  Write(dir, "roles.csv", kRoles);
  return dir;
}

TEST(Books, MapsAccountsCustomersAndRoles) {
  std::vector<Finding> findings;
  Loaded l = MustLoad(Books(), &findings);
  EXPECT_TRUE(findings.empty());
  const model::Books& b = l.books;
  EXPECT_EQ(b.files, (std::vector<std::string>{"accounts.csv", "customers.csv", "roles.csv"}));
  ASSERT_EQ(b.fdids.size(), 2u);
  const model::Fdid& a1 = b.fdids[0];
  EXPECT_EQ(a1.firm_designated_id, "ACC1");
  EXPECT_EQ(a1.fdid_type, "ACCOUNT");
  EXPECT_EQ(a1.account_type, (std::vector<std::string>{"MARGIN", "OPTION"}));
  EXPECT_EQ(a1.account_name, "Smith, Joint");
  EXPECT_EQ(a1.fdid_date.value, 20200102);
  ASSERT_TRUE(a1.registered_rep_crd.has_value());
  ASSERT_EQ(a1.registered_rep_crd->size(), 2u);
  EXPECT_EQ((*a1.registered_rep_crd)[1].value, 22);
  EXPECT_FALSE(a1.dvp_custodian_id.has_value());
  EXPECT_EQ(a1.origin.file, 0u);
  EXPECT_EQ(a1.origin.line, 2u);
  EXPECT_EQ(b.fdids[1].fdid_date.value, 20210305);
  EXPECT_EQ(b.fdids[1].dvp_custodian_id, (std::vector<std::string>{"0123", "FOR"}));
  ASSERT_TRUE(a1.has_fdid_customer_list);
  ASSERT_EQ(a1.fdid_customer_list.size(), 1u);
  const model::Association& as = a1.fdid_customer_list[0];
  EXPECT_EQ(as.customer_key, "C1");
  EXPECT_EQ(as.customer_index, 0);
  EXPECT_EQ(as.role, "TRDHOLDER");
  EXPECT_FALSE(as.has_discretion.present());
  EXPECT_EQ(as.role_start_date.value, 20200102);
  EXPECT_EQ(as.origin.file, 2u);
  EXPECT_EQ(as.origin.line, 2u);
  EXPECT_EQ(b.fdids[1].fdid_customer_list[0].has_discretion.state, model::Flag::State::kFalse);

  ASSERT_EQ(b.customers.size(), 2u);
  EXPECT_EQ(b.customers[0].kind, model::CustomerKind::kNaturalPerson);
  EXPECT_EQ(b.customers[0].customer_type, (std::vector<std::string>{"NOTAPPLICABLE"}));
  EXPECT_EQ(b.customers[0].year_of_birth.value, 1970);  // derived from birth_date
  EXPECT_EQ(b.customers[1].kind, model::CustomerKind::kLegalEntity);
  EXPECT_EQ(b.customers[1].legal_name, "Acme LLC");
  EXPECT_EQ(b.customers[1].customer_type, (std::vector<std::string>{"BD", "FOREIGN"}));
  EXPECT_EQ(b.customers[1].origin.line, 3u);

  // Sensitive values travel only in SensitiveInput.
  EXPECT_EQ(l.sensitive.account_numbers, (std::vector<std::string>{"900000001", ""}));
  EXPECT_EQ(l.sensitive.birth_dates, (std::vector<std::string>{"19700615", ""}));
  EXPECT_EQ(l.sensitive.identifiers.size(), 2u);
}

TEST(Books, MissingFolderOrRequiredFileIsNotFound) {
  std::vector<Finding> findings;
  Options o;
  o.as_of = 20250101;
  fs::path dir = Books();
  Result<Loaded> none = LoadBooks(dir / "nope", o, &findings);
  EXPECT_EQ(none.status().code(), Status::Code::kNotFound);
  fs::remove(dir / "roles.csv");
  Result<Loaded> r = LoadBooks(dir, o, &findings);
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_NE(r.status().message().find("roles.csv"), std::string::npos) << r.status().ToString();
  EXPECT_TRUE(findings.empty());
}

TEST(Books, MissingRequiredColumnIsInvalidArgumentNamingIt) {
  fs::path dir = Books();
  Write(dir, "customers.csv", "customer_id,kind,colour\nC1,NATURAL_PERSON,red\n");
  std::vector<Finding> findings;
  Options o;
  Result<Loaded> r = LoadBooks(dir, o, &findings);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("customers.csv:1"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("'customer_types'"), std::string::npos) << r.status().ToString();
  EXPECT_TRUE(findings.empty());  // nothing is handed out from a failed load

  Write(dir, "customers.csv", "");
  r = LoadBooks(dir, o, &findings);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("'customer_id'"), std::string::npos) << r.status().ToString();
}

TEST(Books, UnreadableCsvIsCorruptionNamingFileAndLine) {
  fs::path dir = Books();
  Write(dir, "roles.csv", std::string(kRoles) + "ACC1,\"C1,TRDHOLDER,,2020-01-02\n");
  std::vector<Finding> findings;
  Result<Loaded> r = LoadBooks(dir, Options{}, &findings);
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  EXPECT_NE(r.status().message().find("roles.csv:4: unterminated"), std::string::npos)
      << r.status().ToString();

  Write(dir, "roles.csv", kRoles);
  Write(dir, "customers.csv", std::string(kCustomers) + "C3,NATURAL_PERSON,CP,B\xe9la,X,,,\n");
  r = LoadBooks(dir, Options{}, &findings);
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  EXPECT_NE(r.status().message().find("customers.csv:4: not valid UTF-8"), std::string::npos)
      << r.status().ToString();
}

TEST(Books, UnknownColumnIsOneWarningPerColumn) {
  fs::path dir = Books();
  Write(dir, "roles.csv",
        "fdid,customer_id,role,role_start_date,colour,notes\nACC1,C1,TRDHOLDER,2020-01-02,r,n\n"
        "ACC2,C2,TRDHOLDER,2020-01-02,g,m\n");
  std::vector<Finding> findings;
  MustLoad(dir, &findings);
  std::vector<Finding> col = Of(findings, "input.column");
  ASSERT_EQ(col.size(), 2u);
  EXPECT_EQ(col[0].severity, Severity::kWarning);
  EXPECT_EQ(col[0].record, RecordKind::kFile);
  EXPECT_EQ(col[0].file, "roles.csv");
  EXPECT_EQ(col[0].line, 1u);
  EXPECT_EQ(col[0].field, "colour");
  EXPECT_EQ(col[1].field, "notes");
  EXPECT_EQ(findings.size(), 2u);
}

TEST(Books, ColumnsOfTheOtherKindAreIgnoredWithAWarning) {
  fs::path dir = Books();
  Write(
      dir, "customers.csv",
      "customer_id,kind,customer_types,first_name,last_name,year_of_birth,legal_name,lei,doing_business_as\n"
      "C1,NATURAL_PERSON,CP,Ann,Smith,1970,,LEI0000000000000000X,Ann's Bakery\n"
      "C2,LEGAL_ENTITY,BD,,,,Acme LLC,5493000000000000000X,Acme\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  std::vector<Finding> col = Of(findings, "input.column");
  ASSERT_EQ(col.size(), 2u);
  EXPECT_EQ(col[0].field, "lei");
  EXPECT_EQ(col[0].line, 2u);
  EXPECT_EQ(col[0].record, RecordKind::kCustomer);
  EXPECT_EQ(col[0].key, "C1");
  EXPECT_EQ(col[0].record_index, 0);
  EXPECT_EQ(col[1].field, "doing_business_as");
  EXPECT_EQ(col[1].line, 3u);
  EXPECT_EQ(col[1].record_index, 1);
  EXPECT_FALSE(l.books.customers[0].lei.has_value());
  EXPECT_EQ(l.books.customers[0].doing_business_as, "Ann's Bakery");
  EXPECT_EQ(l.books.customers[1].lei, "5493000000000000000X");
  EXPECT_FALSE(l.books.customers[1].doing_business_as.has_value());
}

TEST(Books, ValuesParsedOrLeftInvalidForTheValidator) {
  fs::path dir = Books();
  Write(dir, "accounts.csv",
        "fdid,fdid_type,account_types,fdid_date,fdid_end_date,fdid_end_reason,branch_office_crd,"
        "registered_rep_crd,proprietary,last_activity_date,correspondent_crd\n"
        "ACC1,relationship,RELATIONSHIP,2020-13-45,01/02/2020,ended,12a,1;;x,maybe,2024-1-1,-5\n"
        "ACC2,,FIRM,20200101,,,,,Y,2024-06-30,777\n");
  std::vector<Finding> findings;
  Loaded l = MustLoad(dir, &findings);
  const model::Fdid& a = l.books.fdids[0];
  EXPECT_EQ(a.fdid_type, "RELATIONSHIP");
  EXPECT_EQ(a.fdid_date.value, 20201345);  // shape only: the calendar is the validator's job
  EXPECT_EQ(a.fdid_end_date.state, model::Num::State::kInvalid);
  EXPECT_EQ(a.fdid_end_reason, "ENDED");
  EXPECT_EQ(a.branch_office_crd.state, model::Num::State::kInvalid);
  ASSERT_EQ(a.registered_rep_crd->size(), 3u);
  EXPECT_EQ((*a.registered_rep_crd)[0].value, 1);
  EXPECT_EQ((*a.registered_rep_crd)[1].state, model::Num::State::kInvalid);
  EXPECT_EQ((*a.registered_rep_crd)[2].state, model::Num::State::kInvalid);
  EXPECT_EQ(a.proprietary.state, model::Flag::State::kInvalid);
  const model::Fdid& b = l.books.fdids[1];
  EXPECT_TRUE(b.proprietary.is_true());
  EXPECT_EQ(b.last_activity_date.value, 20240630);
  EXPECT_EQ(b.correspondent_crd.value, 777);
  // Only books-only columns produce input.value; the others are the validator's, with the field's code.
  std::vector<Finding> v = Of(findings, "input.value");
  ASSERT_EQ(v.size(), 3u);
  for (const Finding& f : v) {
    EXPECT_EQ(f.severity, Severity::kPolicy);
    EXPECT_EQ(f.cais_code, "");
    EXPECT_EQ(f.record, RecordKind::kFdid);
    EXPECT_EQ(f.key, "ACC1");
    EXPECT_EQ(f.file, "accounts.csv");
    EXPECT_EQ(f.line, 2u);
    EXPECT_EQ(f.record_index, 0);
  }
  EXPECT_EQ(v[0].field, "proprietary");
  EXPECT_EQ(v[1].field, "correspondent_crd");
  EXPECT_EQ(v[2].field, "last_activity_date");
  EXPECT_EQ(findings.size(), 3u);
}

TEST(Books, InvalidKindAndOwnerTypeAreInputValue) {
  fs::path dir = Books();
  Write(dir, "customers.csv", "customer_id,kind,customer_types\nC1,PERSON,CP\nC2,LEGAL_ENTITY,BD\n");
  Write(dir, "addresses.csv",
        "owner_type,owner_id,addr_type,line1,city,country\nBRANCH,C1,ADDRESS1,1 Main,X,US\n");
  std::vector<Finding> findings;
  MustLoad(dir, &findings);
  std::vector<Finding> v = Of(findings, "input.value");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].file, "customers.csv");
  EXPECT_EQ(v[0].field, "kind");
  EXPECT_EQ(v[0].line, 2u);
  EXPECT_EQ(v[0].record, RecordKind::kCustomer);
  EXPECT_EQ(v[0].record_index, 0);
  EXPECT_EQ(v[1].file, "addresses.csv");
  EXPECT_EQ(v[1].field, "owner_type");
  EXPECT_EQ(v[1].line, 2u);
}

}  // namespace
}  // namespace caisson::ingest
