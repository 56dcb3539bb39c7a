// Context::Report / MakeFinding: key, severity, file, line and field — a CSV column in books mode, a JSON
// path in file mode.
#include <gtest/gtest.h>

#include "validate/context.h"
#include "validate/fdid_fixture.h"

namespace caisson::validate::testing {
namespace {

Finding Make(const model::Books& b, Mode mode, std::string_view rule, RecordKind record, int64_t index,
             const model::Origin& origin, spec::Object object, std::string_view field) {
  Finding f;
  EXPECT_TRUE(MakeFinding(b, mode, rule, "22001", record, index, origin, object, field, "m", &f));
  return f;
}

TEST(Location, BooksModeNamesTheCsvColumn) {
  model::Books b = MakeBooks(2);
  b.customers[1].kind = model::CustomerKind::kLegalEntity;
  using O = spec::Object;
  const model::Fdid& f = b.fdids[1];
  Finding x = Make(b, Mode::kBooks, "fdid.format", RecordKind::kFdid, 1, f.origin, O::kFdidRecord,
                   "firmDesignatedID");
  EXPECT_EQ(x.key, "ACCT-0002");
  EXPECT_EQ(x.file, "accounts.csv");
  EXPECT_EQ(x.line, 3u);
  EXPECT_EQ(x.field, "fdid");
  EXPECT_EQ(x.severity, Severity::kReject);
  EXPECT_EQ(x.record_index, 1);
  struct Case {
    O object;
    const char* cais;
    const char* column;
  } cases[] = {
      {O::kFdidRecord, "accountType[3]", "account_types"},
      {O::kAddressRecord, "addrLine1", "line1"},
      {O::kAddressRecord, "regionCode", "region"},
      {O::kFdidCustomerRecord, "roleStartDate", "role_start_date"},
      {O::kLargeTraderRecord, "largeTraderID", "large_trader_id"},
      {O::kNaturalPersonCustomerRecord, "customerType", "customer_types"},
      {O::kTidRecord, "tidValue", "id_value"},
      {O::kFdidRecord, "fdidRecordID", "fdidRecordID"},
      {O::kFdidRecord, "addressList", "addressList"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Make(b, Mode::kBooks, "fdid.format", RecordKind::kFdid, 0, f.origin, c.object, c.cais).field,
              c.column)
        << c.cais;
  }
  EXPECT_EQ(Make(b, Mode::kBooks, "fdid.format", RecordKind::kFdid, 0, f.origin, O::kFdidRecord, "").field,
            "");
}

TEST(Location, FileModeBuildsTheJsonPath) {
  model::Books b = MakeBooks(3);
  b.customers[2].kind = model::CustomerKind::kLegalEntity;
  b.customers[2].origin.index = 0;
  using O = spec::Object;
  auto path = [&](RecordKind record, int64_t index, const model::Origin& o, O object,
                  std::string_view field) {
    return Make(b, Mode::kFile, "fdid.format", record, index, o, object, field).field;
  };
  EXPECT_EQ(path(RecordKind::kFdid, 2, b.fdids[2].origin, O::kFdidRecord, "fdidDate"),
            "fdidRecordList[2].fdidDate");
  EXPECT_EQ(path(RecordKind::kFdid, 2, b.fdids[2].address_list[0].origin, O::kAddressRecord, "regionCode"),
            "fdidRecordList[2].addressList[0].regionCode");
  EXPECT_EQ(path(RecordKind::kCustomer, 1, b.customers[1].address_list[0].origin, O::kAddressRecord, "city"),
            "naturalPersonCustomerList[1].addressList[0].city");
  EXPECT_EQ(path(RecordKind::kCustomer, 2, b.customers[2].address_list[0].origin, O::kAddressRecord, "city"),
            "legalEntityCustomerList[2].addressList[0].city");
  model::Origin no_parent = At(kAddresses, 9, 1, -1);  // parent taken from the owner
  EXPECT_EQ(path(RecordKind::kCustomer, 2, no_parent, O::kAddressRecord, "city"),
            "legalEntityCustomerList[0].addressList[1].city");
  EXPECT_EQ(path(RecordKind::kTid, 1, b.customers[1].tid->origin, O::kTidRecord, "tidValue"),
            "tidRecordList[1].tidValue");
  EXPECT_EQ(
      path(RecordKind::kFdid, 0, b.fdids[0].fdid_customer_list[0].origin, O::kFdidCustomerRecord, "role"),
      "fdidRecordList[0].fdidCustomerList[0].role");
  EXPECT_EQ(path(RecordKind::kFdid, 0, At(kLargeTraders, 4, 3, 0), O::kLargeTraderRecord, "ltidEndDate"),
            "fdidRecordList[0].largeTraderList[3].ltidEndDate");
  EXPECT_EQ(path(RecordKind::kFdid, 0, At(kAuthTraders, 4, 2, 0), O::kAuthTraderNameRecord, "authTraderName"),
            "fdidRecordList[0].authTraderNamesList[2].authTraderName");
  EXPECT_EQ(path(RecordKind::kFile, -1, At(0, 1, -1), O::kDataFileMain, "correspondentCRD"),
            "correspondentCRD");
  EXPECT_EQ(path(RecordKind::kFdid, 1, b.fdids[1].origin, O::kFdidRecord, ""), "fdidRecordList[1]");
}

TEST(Location, KeyAndUnknownRule) {
  model::Books b = MakeBooks(1);
  b.fdids[0].firm_designated_id.reset();
  Finding f;
  ASSERT_TRUE(MakeFinding(b, Mode::kBooks, "fdid.format", "22001", RecordKind::kFdid, 0, b.fdids[0].origin,
                          spec::Object::kFdidRecord, "firmDesignatedID", "m", &f));
  EXPECT_EQ(f.key, "");
  ASSERT_TRUE(MakeFinding(b, Mode::kBooks, "customer.type", "22524", RecordKind::kTid, 0,
                          b.customers[0].origin, spec::Object::kTidRecord, "tidType", "m", &f));
  EXPECT_EQ(f.key, "C-1");
  EXPECT_EQ(f.field, "id_type");
  EXPECT_FALSE(MakeFinding(b, Mode::kBooks, "no.such", "", RecordKind::kFdid, 0, b.fdids[0].origin,
                           spec::Object::kFdidRecord, "", "m", &f));
  std::vector<Finding> out;
  Options o;
  o.as_of = kAsOf;
  Context ctx(TestProfile(), b, o, &out);
  ctx.Report("no.such", "", RecordKind::kFdid, 0, b.fdids[0].origin, spec::Object::kFdidRecord, "", "m");
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(ctx.problem.code(), Status::Code::kInternal);
  EXPECT_EQ(ctx.FieldOf(spec::Object::kFdidRecord, "firmDesignatedID")->name, "firmDesignatedID");
}

TEST(Location, MissingProfileFieldIsAnInternalProblem) {
  model::Books b = MakeBooks(1);
  std::vector<Finding> out;
  Options o;
  o.as_of = kAsOf;
  Context ctx(TestProfile(), b, o, &out);
  EXPECT_EQ(ctx.FieldOf(spec::Object::kFdidRecord, "noSuchField"), nullptr);
  EXPECT_EQ(ctx.problem.code(), Status::Code::kInternal);
  Options unset;
  EXPECT_EQ(Validate(TestProfile(), b, unset, &out).code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace caisson::validate::testing
