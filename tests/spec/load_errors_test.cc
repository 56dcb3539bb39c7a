// Failure paths of LoadProfile and the JSON Schema generator.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "spec/spec.h"
#include "testutil.h"

namespace caisson::spec {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
void WriteAll(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

// A copy of data/spec in a temp dir, with `from` replaced by `to` (once) in <profile>.json.
fs::path CopyWithEdit(const std::string& profile, const std::string& from, const std::string& to) {
  fs::path dir = caisson::testing::TempDir();
  fs::create_directories(dir / "spec");
  for (const auto& e : fs::directory_iterator(caisson::testing::DataDir() / "spec")) {
    fs::copy_file(e.path(), dir / "spec" / e.path().filename());
  }
  fs::path file = dir / "spec" / (profile + ".json");
  std::string text = ReadAll(file);
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  WriteAll(file, text);
  return dir;
}

TEST(LoadErrors, UnknownProfileIsNotSupported) {
  Result<Profile> r = LoadProfile(caisson::testing::DataDir(), "cais-9.9.9");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotSupported);
  EXPECT_EQ(r.status().message(), "unknown profile 'cais-9.9.9'");
}

TEST(LoadErrors, InvalidNameIsNotSupported) {
  for (const char* name : {"", "../spec/cais-2.2.0r4", "CAIS-2.2.0R4", "cais 2", "appendix-e"}) {
    Result<Profile> r = LoadProfile(caisson::testing::DataDir(), name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), Status::Code::kNotSupported) << name;
  }
}

TEST(LoadErrors, BadFieldTypeIsCorruptionWithPath) {
  fs::path dir = CopyWithEdit("cais-2.2.0r4", "\"type\": \"Text\"", "\"type\": \"Txet\"");
  Result<Profile> r = LoadProfile(dir, "cais-2.2.0r4");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(r.status().message(), (dir / "spec" / "cais-2.2.0r4.json").string() +
                                      ": $.objects.DataFileMain.fields[0].type: unknown data type 'Txet'");
  // The derived profile fails with its parent.
  Result<Profile> child = LoadProfile(dir, "cais-2.2.0r4-pii-exempt");
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), Status::Code::kCorruption);
}

TEST(LoadErrors, CodeNotInCatalogue) {
  fs::path dir = CopyWithEdit("cais-2.2.0r4", "\"22001\",", "\"22000\",");
  Result<Profile> r = LoadProfile(dir, "cais-2.2.0r4");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(
      r.status().message().find("$.objects.FdidRecord.fields[1].codes: code 22000 is not in the catalogue"),
      std::string::npos)
      << r.status().ToString();
}

TEST(LoadErrors, OtherDefects) {
  struct Case {
    const char* from;
    const char* to;
    const char* expect;
  } cases[] = {
      {"\"presence\": \"R\"", "\"presence\": \"X\"", "$.objects.DataFileMain.fields[0].presence"},
      {"\"FdidRecord\": {", "\"FdidRekord\": {", "$.objects.FdidRekord: unknown object name"},
      {"\"schema_version\"", "\"schema_versoin\"", "$: unknown key 'schema_versoin'"},
      {"{\n", "[\n", "$: not valid JSON"},
      {"\"max_customers_per_fdid\": 2000", "\"max_customers_per_fdid\": -1", "$.limits"},
      {"\"appendix-e.json\"", "\"appendix-x.json\"", "appendix-x.json: missing"},
      {"\"items\": \"AddressRecord\"", "\"items\": \"Nothing\"", "expected an object name"},
  };
  for (const Case& c : cases) {
    fs::path dir = CopyWithEdit("cais-2.2.0r4", c.from, c.to);
    Result<Profile> r = LoadProfile(dir, "cais-2.2.0r4");
    ASSERT_FALSE(r.ok()) << c.to;
    EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << r.status().ToString();
    fs::remove_all(dir);
  }
}

TEST(LoadErrors, ExtendsUnknownParent) {
  fs::path dir =
      CopyWithEdit("cais-2.2.0r4-pii-exempt", "\"extends\": \"cais-2.2.0r4\"", "\"extends\": \"cais-1\"");
  Result<Profile> r = LoadProfile(dir, "cais-2.2.0r4-pii-exempt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  EXPECT_NE(r.status().message().find("$.extends: unknown profile 'cais-1'"), std::string::npos);
}

TEST(JsonSchema, DataFileIsValidJsonAndRequiresVersion) {
  Result<Profile> p = LoadProfile(caisson::testing::DataDir(), "cais-2.2.0r4");
  ASSERT_OK(p.status());
  const std::string schema = JsonSchema(p.value(), true);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(schema).get(doc), simdjson::SUCCESS) << schema;
  std::string_view s;
  ASSERT_EQ(doc["$schema"].get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "https://json-schema.org/draft/2020-12/schema");
  simdjson::dom::array required;
  ASSERT_EQ(doc["required"].get(required), simdjson::SUCCESS);
  std::vector<std::string_view> names;
  for (auto e : required) names.push_back(e.get_string().value_unsafe());
  EXPECT_EQ(names.front(), "version");
  EXPECT_EQ(names.size(), 6u);  // the R fields of Main [Table 8]
  bool additional = true;
  ASSERT_EQ(doc["additionalProperties"].get(additional), simdjson::SUCCESS);
  EXPECT_FALSE(additional);
  int64_t max_len = 0;
  ASSERT_EQ(doc.at_pointer("/$defs/FdidRecord/properties/firmDesignatedID/maxLength").get(max_len),
            simdjson::SUCCESS);
  EXPECT_EQ(max_len, 40);
  ASSERT_EQ(doc.at_pointer("/$defs/NaturalPersonCustomerRecord/properties/firstName/maxLength").get(max_len),
            simdjson::SUCCESS);
  EXPECT_EQ(max_len, 40);  // the base step: the 200 step has no date
  int64_t min_date = 0;
  ASSERT_EQ(doc.at_pointer("/$defs/FdidRecord/properties/fdidDate/minimum").get(min_date), simdjson::SUCCESS);
  EXPECT_EQ(min_date, 10000101);
  ASSERT_EQ(doc.at_pointer("/properties/version/enum/0").get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "2.0.0");
  ASSERT_EQ(doc.at_pointer("/$defs/FdidRecord/properties/fdidEndReason/anyOf/1/type").get(s),
            simdjson::SUCCESS);
  EXPECT_EQ(s, "null");  // [§5.1.3 R17]
}

TEST(JsonSchema, TidFileAndPiiExempt) {
  Result<Profile> p = LoadProfile(caisson::testing::DataDir(), "cais-2.2.0r4-pii-exempt");
  ASSERT_OK(p.status());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string tid = JsonSchema(p.value(), false);
  ASSERT_EQ(parser.parse(tid).get(doc), simdjson::SUCCESS) << tid;
  std::string_view s;
  ASSERT_EQ(doc.at_pointer("/$defs/TidRecord/properties/tidType/enum/2").get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "SSN/ITIN");
  const std::string data = JsonSchema(p.value(), true);
  ASSERT_EQ(parser.parse(data).get(doc), simdjson::SUCCESS);
  simdjson::dom::array required;
  ASSERT_EQ(doc.at_pointer("/$defs/NaturalPersonCustomerRecord/required").get(required), simdjson::SUCCESS);
  std::vector<std::string_view> names;
  for (auto e : required) names.push_back(e.get_string().value_unsafe());
  EXPECT_EQ(names, (std::vector<std::string_view>{"customerRecordID", "customerType"}));
}

}  // namespace
}  // namespace caisson::spec
