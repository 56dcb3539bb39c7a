// Facts of the shipped profiles, spot-checked against the spec text (cais-tech-spec-2.2.0r4).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "spec/spec.h"
#include "testutil.h"

namespace caisson::spec {
namespace {

using ::testing::ElementsAre;

const Profile& Default() {
  static Profile* p = [] {
    Result<Profile> r = LoadProfile(caisson::testing::DataDir(), "cais-2.2.0r4");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new Profile(std::move(r).value());
  }();
  return *p;
}

TEST(Profile, LoadsDefault) {
  const Profile& p = Default();
  EXPECT_EQ(p.name(), "cais-2.2.0r4");
  EXPECT_FALSE(p.provisional());
  EXPECT_FALSE(p.pii_exempt_ssn_persons());
  EXPECT_EQ(p.schema_version(), "2.0.0");  // [Table 8; Table 9]
  EXPECT_FALSE(p.provenance().empty());
}

TEST(Profile, FirmDesignatedId) {  // [Table 8]
  const Field* f = Default().Find(Object::kFdidRecord, "firmDesignatedID");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->type, DataType::kText);
  EXPECT_EQ(f->MaxLength(20250101), 40);
  EXPECT_EQ(f->presence, Presence::kRequired);
  EXPECT_THAT(f->codes, ElementsAre("22001", "22002"));
  EXPECT_EQ(Default().Find(Object::kFdidRecord, "firmDesignatedId"), nullptr);  // exact spelling only
}

TEST(Profile, Enumerations) {  // [Table 8; Table 9]
  const Profile& p = Default();
  const Field* account_type = p.Find(Object::kFdidRecord, "accountType");
  ASSERT_NE(account_type, nullptr);
  EXPECT_EQ(account_type->type, DataType::kArrayOfChoice);
  EXPECT_THAT(account_type->enumeration,
              ElementsAre("AVERAGE", "DVP/RVP", "EDUCATION", "ENTITYID", "ERROR", "FIRM", "INSTITUTION",
                          "MARKET", "MARGIN", "OPTION", "OTHER", "RELATIONSHIP", "RETIREMENT", "UGMA/UTMA"));
  EXPECT_TRUE(account_type->Allows("DVP/RVP"));
  EXPECT_FALSE(account_type->Allows("BROKERAGE"));  // removed in 2.0 r7
  EXPECT_FALSE(account_type->Allows("margin"));     // case-sensitive
  const Field* role_end = p.Find(Object::kFdidCustomerRecord, "roleEndReason");
  ASSERT_NE(role_end, nullptr);
  EXPECT_THAT(role_end->enumeration,
              ElementsAre("CORRECTION", "ENDED", "INACTIVE", "REPLACED", "OTHER", "TRANSFER"));
  const Field* tid_type = p.Find(Object::kTidRecord, "tidType");
  ASSERT_NE(tid_type, nullptr);
  EXPECT_THAT(tid_type->enumeration, ElementsAre("EIN", "FOREIGN", "SSN/ITIN"));
  EXPECT_THAT(p.Find(Object::kLegalEntityCustomerRecord, "customerType")->enumeration,
              ElementsAre("ACCREDITED", "ADVISER", "BD", "FOREIGN", "NOTAPPLICABLE", "RIC", "TRUST"));
  EXPECT_EQ(p.Find(Object::kAddressRecord, "countryCode")->values_from, "appendix-e:countries");
}

TEST(Profile, ObjectsAndFieldCounts) {  // Table 8 / Table 9 rows per JSON object
  const Profile& p = Default();
  EXPECT_EQ(p.Fields(Object::kDataFileMain).size(), 11u);
  EXPECT_EQ(p.Fields(Object::kFdidRecord).size(), 19u);
  EXPECT_EQ(p.Fields(Object::kAddressRecord).size(), 9u);
  EXPECT_EQ(p.Fields(Object::kLargeTraderRecord).size(), 5u);
  EXPECT_EQ(p.Fields(Object::kFdidCustomerRecord).size(), 6u);
  EXPECT_EQ(p.Fields(Object::kAuthTraderNameRecord).size(), 2u);
  EXPECT_EQ(p.Fields(Object::kNaturalPersonCustomerRecord).size(), 10u);
  EXPECT_EQ(p.Fields(Object::kLegalEntityCustomerRecord).size(), 7u);
  EXPECT_EQ(p.Fields(Object::kCorrectionActionRecord).size(), 4u);
  EXPECT_EQ(p.Fields(Object::kTidFileMain).size(), 3u);
  EXPECT_EQ(p.Fields(Object::kTidRecord).size(), 9u);
  EXPECT_EQ(p.Fields(Object::kTidFileMain)[0].name, "version");
  EXPECT_EQ(p.Find(Object::kFdidRecord, "addressList")->items, "AddressRecord");
  EXPECT_EQ(ObjectName(Object::kNaturalPersonCustomerRecord), "NaturalPersonCustomerRecord");
}

TEST(Profile, EffectiveDatedLength) {
  // [Table 8] firstName 40 and middleName 20 -> 200 on a Release Rollout date we do not have: never in force.
  const Field* first = Default().Find(Object::kNaturalPersonCustomerRecord, "firstName");
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->lengths.size(), 2u);
  EXPECT_EQ(first->lengths[1].from_date, kUnknownDate);
  EXPECT_EQ(first->lengths[1].max_length, 200);
  EXPECT_EQ(first->MaxLength(20260101), 40);
  EXPECT_EQ(first->MaxLength(99991231), 40);
  EXPECT_EQ(Default().Find(Object::kNaturalPersonCustomerRecord, "middleName")->MaxLength(20260101), 20);
  EXPECT_EQ(Default().Find(Object::kFdidRecord, "fdidType")->MaxLength(20260101), 0);
  // A dated step applies from its date on, not the day before.
  Field f;
  f.lengths = {{0, 40, ""}, {20250310, 200, ""}};
  EXPECT_EQ(f.MaxLength(20250309), 40);
  EXPECT_EQ(f.MaxLength(20250310), 200);
}

TEST(Profile, Catalogue) {  // [App B]
  const Profile& p = Default();
  EXPECT_EQ(p.Codes().size(), 159u);  // 172 rows less 13 Reserved
  size_t in_use = std::count_if(p.Codes().begin(), p.Codes().end(), [](const Code& c) { return !c.retired; });
  EXPECT_EQ(in_use, 157u);
  ASSERT_NE(p.FindCode("22514"), nullptr);
  EXPECT_EQ(p.FindCode("22514")->category, "data_validation");
  ASSERT_NE(p.FindCode("22503"), nullptr);
  EXPECT_TRUE(p.FindCode("22503")->retired);
  EXPECT_TRUE(p.FindCode("22525")->retired);
  EXPECT_FALSE(p.FindCode("22001")->retired);
  EXPECT_EQ(p.FindCode("21005"), nullptr);  // Reserved
  EXPECT_EQ(p.FindCode("22536"), nullptr);  // Reserved
  EXPECT_EQ(p.FindCode("23004")->category, "data_layer");
  EXPECT_EQ(p.FindCode("24901")->category, "warning");
  EXPECT_EQ(p.FindCode("40004")->category, "inconsistency");
  EXPECT_EQ(p.FindCode("21509")->applies_to, "TID");
  // Every field code is a catalogue row (the loader enforces it; this guards the shipped data too).
  for (int o = 0; o <= static_cast<int>(Object::kTidRecord); ++o) {
    for (const Field& f : p.Fields(static_cast<Object>(o))) {
      for (const std::string& c : f.codes) {
        ASSERT_NE(p.FindCode(c), nullptr) << f.name << " " << c;
        // A retired code [App B 22503, 22525] can no longer be raised, so no field lists it.
        EXPECT_FALSE(p.FindCode(c)->retired) << f.name << " " << c;
      }
    }
  }
}

TEST(Profile, Limits) {  // [§5.1.3 R10, R12; §5.1.3.1 R1]
  EXPECT_EQ(Default().max_file_bytes_hard(), 7000000000);
  EXPECT_EQ(Default().portal_max_file_bytes(), 1000000000);
  EXPECT_EQ(Default().portal_max_records(), 100000);
  EXPECT_EQ(Default().max_customers_per_fdid(), 2000);
}

TEST(Profile, AppendixE) {
  const Profile& p = Default();
  EXPECT_TRUE(p.IsCountry("GB"));
  EXPECT_TRUE(p.IsCountry("US"));
  EXPECT_FALSE(p.IsCountry("UK"));
  EXPECT_FALSE(p.IsCountry("gb"));
  EXPECT_TRUE(p.HasRegionList("US"));
  EXPECT_TRUE(p.HasRegionList("CA"));
  EXPECT_FALSE(p.HasRegionList("GB"));
  EXPECT_TRUE(p.IsRegion("US", "US-NY"));
  EXPECT_TRUE(p.IsRegion("US", "US-AE"));  // military [§5.1.3.1 R36]
  EXPECT_TRUE(p.IsRegion("CA", "CA-ON"));
  EXPECT_FALSE(p.IsRegion("US", "NY"));
  EXPECT_FALSE(p.IsRegion("US", "CA-ON"));
  EXPECT_TRUE(p.PostalCodeMatches("US", "12345-6789"));
  EXPECT_TRUE(p.PostalCodeMatches("US", "12345"));
  EXPECT_FALSE(p.PostalCodeMatches("US", "1234"));
  EXPECT_FALSE(p.PostalCodeMatches("US", "12345-678"));
  EXPECT_TRUE(p.PostalCodeMatches("CA", "K1A 0B1"));
  EXPECT_FALSE(p.PostalCodeMatches("CA", "K1A0B1"));
  EXPECT_TRUE(p.PostalCodeMatches("GB", "SW1A 1AA"));  // no format in the profile: no check [App E]
}

TEST(Profile, ProvisionalItems) {
  const auto& items = Default().Provisional();
  auto has = [&](std::string_view what) {
    return std::any_of(items.begin(), items.end(),
                       [&](const auto& i) { return i.first.find(what) != std::string::npos; });
  };
  EXPECT_TRUE(has("firstName"));
  EXPECT_TRUE(has("middleName"));
  EXPECT_TRUE(has("postal_formats"));
}

TEST(Profile, PiiExempt) {
  Result<Profile> r = LoadProfile(caisson::testing::DataDir(), "cais-2.2.0r4-pii-exempt");
  ASSERT_OK(r.status());
  const Profile& p = r.value();
  EXPECT_EQ(p.name(), "cais-2.2.0r4-pii-exempt");
  EXPECT_TRUE(p.provisional());
  EXPECT_TRUE(p.pii_exempt_ssn_persons());
  EXPECT_TRUE(p.PiiExemptField("yearOfBirth"));
  EXPECT_TRUE(p.PiiExemptField("addressList"));
  EXPECT_TRUE(p.PiiExemptField("doingBusinessAs"));
  EXPECT_FALSE(p.PiiExemptField("customerType"));
  EXPECT_FALSE(Default().PiiExemptField("yearOfBirth"));
  // Everything else is inherited.
  EXPECT_EQ(p.schema_version(), "2.0.0");
  EXPECT_EQ(p.Codes().size(), 159u);
  EXPECT_EQ(p.Find(Object::kFdidRecord, "firmDesignatedID")->MaxLength(20260101), 40);
  EXPECT_TRUE(p.IsRegion("US", "US-AP"));
  EXPECT_EQ(p.Provisional().size(), Default().Provisional().size() + 1);
  EXPECT_EQ(p.Provisional().back().first, "pii_exempt_ssn_persons");
}

TEST(Profile, ListProfiles) {
  EXPECT_THAT(ListProfiles(caisson::testing::DataDir()),
              ElementsAre("cais-2.2.0r4", "cais-2.2.0r4-pii-exempt"));
}

TEST(Describe, ListsFieldsAndProvisionalItems) {
  const std::string text = Describe(Default());
  EXPECT_NE(text.find("profile cais-2.2.0r4\n"), std::string::npos);
  EXPECT_NE(text.find("firmDesignatedID"), std::string::npos);
  EXPECT_NE(text.find("codes 22001 22002"), std::string::npos);
  EXPECT_NE(text.find("length 40 -> 200 (from a date not in our sources)"), std::string::npos);
  EXPECT_NE(text.find("Appendix B: 159 codes (2 retired)"), std::string::npos);
  EXPECT_NE(text.find("Provisional or unverified"), std::string::npos);
}

}  // namespace
}  // namespace caisson::spec
