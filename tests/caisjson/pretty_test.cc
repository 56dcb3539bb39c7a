// Pretty: indentation, streams of objects, truncation of long arrays, and syntax errors with their position.
#include <string>

#include <gtest/gtest.h>

#include "caisjson/caisjson.h"
#include "testutil.h"

namespace caisson::caisjson {
namespace {

TEST(PrettyTest, IndentsOneObject) {
  Result<std::string> out = Pretty("{\"a\":[1,2],\"b\":{\"c\":\"x\\\"y\",\"d\":true,\"e\":null,\"f\":-1.5},\"g\":[],\"h\":{}}", -1);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out,
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": \"x\\\"y\",\n    \"d\": true,\n"
            "    \"e\": null,\n    \"f\": -1.5\n  },\n  \"g\": [],\n  \"h\": {}\n}\n");
}

TEST(PrettyTest, PrintsAStreamObjectByObject) {
  Result<std::string> out = Pretty("{\"a\":1}\n{\"b\":18446744073709551615}\n", -1);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "{\n  \"a\": 1\n}\n{\n  \"b\": 18446744073709551615\n}\n");
}

TEST(PrettyTest, TruncatesLongArrays) {
  Result<std::string> out = Pretty("{\"l\":[1,2,3,4]}", 2);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "{\n  \"l\": [\n    1,\n    2\n    // ... 2 more\n  ]\n}\n");
  out = Pretty("{\"l\":[1,2]}", 0);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "{\n  \"l\": [\n    // ... 2 more\n  ]\n}\n");
}

// A top-level object is printed member by member: escaped and repeated keys, nested arrays inside list items
// and truncation come out as for any other value.
TEST(PrettyTest, ObjectsPrintMemberByMemberAsAWhole) {
  Result<std::string> out =
      Pretty("{\"a\\u0041\":[{\"x\":[1,2,3]},{\"y\":{}}, 7],\"a\\u0041\":0,\"e\":[],\"s\":\"t\"}", 2);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out,
            "{\n  \"aA\": [\n    {\n      \"x\": [\n        1,\n        2\n        // ... 1 more\n      ]\n    },\n"
            "    {\n      \"y\": {}\n    }\n    // ... 1 more\n  ],\n  \"aA\": 0,\n  \"e\": [],\n  \"s\": \"t\"\n}\n");
}

// PrettyTo hands the output over in pieces (about 1 MB each) that join to exactly what Pretty returns.
TEST(PrettyTest, PiecesJoinToTheWholeOutput) {
  std::string json = "{\"version\": \"2.0.0\", \"list\": [";
  for (int i = 0; i < 40000; ++i) json += (i ? "," : "") + std::string("{\"customerRecordID\": ") + std::to_string(i) + "}";
  json += "]}\n[1, 2]\n";
  Result<std::string> whole = Pretty(json, -1);
  ASSERT_TRUE(whole.ok());
  std::string joined;
  int pieces = 0;
  ASSERT_TRUE(PrettyTo(json, -1, [&](std::string_view part) {
                joined.append(part);
                ++pieces;
                return Status::OK();
              }).ok());
  EXPECT_EQ(joined, *whole);
  EXPECT_GT(pieces, 1);
  EXPECT_NE(whole->find("\"customerRecordID\": 39999"), std::string::npos);
}

TEST(PrettyTest, SyntaxErrorsNameLineAndColumn) {
  Result<std::string> out = Pretty("{\"a\": 1,\n \"b\": 01}", -1);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kCorruption);
  EXPECT_NE(out.status().message().find("line 2 column 7"), std::string::npos) << out.status().ToString();
  EXPECT_FALSE(Pretty("{\"a\": \"\xc3\"}", -1).ok());
}

}  // namespace
}  // namespace caisson::caisjson
