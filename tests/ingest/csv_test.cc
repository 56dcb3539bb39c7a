#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest.h"
#include "ingest/table.h"
#include "testutil.h"

namespace caisson::ingest {
namespace {

struct Rec {
  std::vector<std::string> fields;
  uint64_t line;
};

Status Read(std::string_view text, std::vector<Rec>* out) {
  return ReadCsv(text, "t.csv", [&](const std::vector<std::string_view>& fields, uint64_t line) {
    out->push_back(Rec{std::vector<std::string>(fields.begin(), fields.end()), line});
    return true;
  });
}

TEST(Csv, PlainRecordsAndLines) {
  std::vector<Rec> r;
  ASSERT_OK(Read("a,b\n1,2\n", &r));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(r[0].line, 1u);
  EXPECT_EQ(r[1].line, 2u);
}

TEST(Csv, QuotedCommaAndDoubledQuotes) {
  std::vector<Rec> r;
  ASSERT_OK(Read("\"x,y\",z,\"say \"\"hi\"\"\",\"\"\"\"\n", &r));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"x,y", "z", "say \"hi\"", "\""}));
}

TEST(Csv, NewlineInQuotesKeepsRecordStartLine) {
  std::vector<Rec> r;
  ASSERT_OK(Read("h1,h2\n\"line1\nline2\nline3\",x\nnext,y\n", &r));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"line1\nline2\nline3", "x"}));
  EXPECT_EQ(r[1].line, 2u);
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"next", "y"}));
  EXPECT_EQ(r[2].line, 5u);
}

TEST(Csv, CrlfIsStrippedOutsideQuotesKeptInside) {
  std::vector<Rec> r;
  ASSERT_OK(Read("a,b\r\n\"c\r\nd\",e\r\nf,\"g\"\r\n", &r));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"c\r\nd", "e"}));
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"f", "g"}));
  EXPECT_EQ(r[2].line, 4u);
}

TEST(Csv, BomBlankLinesEmptyFieldsAndNoFinalNewline) {
  std::vector<Rec> r;
  ASSERT_OK(
      Read("\xEF\xBB\xBF"
           "a,b\n\n\r\n,,\nlast",
           &r));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(r[1].line, 4u);
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"last"}));
  EXPECT_EQ(r[2].line, 5u);
}

TEST(Csv, TextAfterClosingQuoteIsKept) {
  std::vector<Rec> r;
  ASSERT_OK(Read("\"ab\"c,\"x\"\"y\"z\n", &r));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"abc", "x\"yz"}));
}

TEST(Csv, UnterminatedQuoteIsCorruptionAtItsLine) {
  std::vector<Rec> r;
  Status s = Read("a,b\n1,2\nx,\"open\nmore\n", &r);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_EQ(s.message(), "t.csv:3: unterminated quoted field");
}

TEST(Csv, InvalidUtf8IsCorruptionAtItsLineBeforeAnyRecord) {
  for (std::string bad : {std::string("\xff"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                          std::string("\xF4\x90\x80\x80"), std::string("\xE2\x82")}) {
    std::vector<Rec> r;
    Status s = Read("a,b\n1,2\nx," + bad + "\n", &r);
    EXPECT_EQ(s.code(), Status::Code::kCorruption);
    EXPECT_EQ(s.message(), "t.csv:3: not valid UTF-8");
    EXPECT_TRUE(r.empty());
  }
}

TEST(Csv, ValidMultibyteUtf8) {
  std::vector<Rec> r;
  ASSERT_OK(Read("Ren\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80,0123456789abcdef\xC3\xA9\n", &r));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].fields[0], "Ren\xC3\xA9");
  EXPECT_EQ(r[0].fields[3], "0123456789abcdef\xC3\xA9");
}

// The UTF-8 check runs in steps of 8 MiB (csv.cc): a sequence across a step boundary is valid, and a bad byte
// beyond the first step is still found before any record, at its line.
TEST(Csv, Utf8CheckAcrossItsStepBoundary) {
  constexpr size_t kStep = size_t{8} << 20;
  for (size_t shift : {0, 1, 2, 3}) {
    std::string text = "a\n" + std::string(kStep - 2 - shift, 'x');  // the euro sign starts shift bytes early
    text += "\xE2\x82\xAC\nb\n";
    std::vector<Rec> r;
    SCOPED_TRACE(shift);
    ASSERT_OK(Read(text, &r));
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[1].fields[0].substr(r[1].fields[0].size() - 3), "\xE2\x82\xAC");
    EXPECT_EQ(r[2].line, 3u);
  }
  std::string bad = "a\n" + std::string(kStep + 100, 'x') + "\nb\nc\xff\n";
  std::vector<Rec> r;
  Status s = Read(bad, &r);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_EQ(s.message(), "t.csv:4: not valid UTF-8");
  EXPECT_TRUE(r.empty());
}

// Unquoted fields are split eight bytes at a time: fields of every length around that step, delimiters at
// every offset within it, CRLF and LF endings and a last record without a newline all split as written.
TEST(Csv, FieldsOfEveryLengthAroundTheWordStep) {
  const unsigned seed = testing::RandomSeed();
  std::mt19937 rng(seed);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::vector<std::string>> rows(1 + rng() % 6);
    std::string text;
    for (size_t r = 0; r < rows.size(); ++r) {
      const size_t cells = 1 + rng() % 5;
      for (size_t c = 0; c < cells; ++c) {
        std::string cell(rng() % 20, 'x');
        for (char& ch : cell) ch = "AZaz09 .-_/\x7f"[rng() % 12];
        rows[r].push_back(cell);
        text += (c == 0 ? "" : ",") + cell;
      }
      if (rows[r].size() == 1 && rows[r][0].empty()) rows[r][0] = "e", text += "e";  // not an empty line
      if (r + 1 < rows.size() || rng() % 2 == 0) text += rng() % 2 == 0 ? "\n" : "\r\n";
    }
    std::vector<Rec> got;
    ASSERT_OK(Read(text, &got));
    ASSERT_EQ(got.size(), rows.size()) << "seed " << seed << " text " << text;
    for (size_t r = 0; r < rows.size(); ++r) {
      EXPECT_EQ(got[r].fields, rows[r]) << "seed " << seed << " row " << r << " of " << text;
    }
  }
}

// Property: records of random fields (quotes, commas, CR, LF, multibyte text, empty fields), written the RFC
// 4180 way with LF or CRLF line ends, read back as the same fields on the lines where they start; and
// ReadCsvRows at those records' offsets reads the same.
TEST(Csv, RandomRecordsRoundTrip) {
  const unsigned seed = testing::RandomSeed();
  std::mt19937 rng(seed);
  const std::vector<std::string> pieces = {"a", "Z", "7", " ", "\"", ",", "\n", "\r", "\r\n", "\xC3\xA9", "x\"y", "long field text"};
  for (int round = 0; round < 200; ++round) {
    std::vector<std::vector<std::string>> records(std::uniform_int_distribution<int>(1, 12)(rng));
    std::string text;
    std::vector<std::pair<uint64_t, uint64_t>> rows;  // (offset, line) of every record but the first
    uint64_t line = 1;
    const bool crlf = rng() % 2 == 0;
    for (size_t r = 0; r < records.size(); ++r) {
      if (r > 0) rows.emplace_back(text.size(), line);
      const int n = std::uniform_int_distribution<int>(1, 9)(rng);
      for (int f = 0; f < n; ++f) {
        std::string field;
        for (int k = std::uniform_int_distribution<int>(0, 4)(rng); k > 0; --k) field += pieces[rng() % pieces.size()];
        const bool quote = field.find_first_of("\",\r\n") != std::string::npos || (n == 1 && field.empty()) ||
                           rng() % 5 == 0;
        if (f > 0) text += ',';
        if (quote) {
          text += '"';
          for (char c : field) text += c == '"' ? std::string("\"\"") : std::string(1, c);
          text += '"';
        } else {
          text += field;
        }
        for (char c : field) line += c == '\n' ? 1 : 0;
        records[r].push_back(field);
      }
      text += crlf ? "\r\n" : "\n";
      ++line;
    }
    std::vector<Rec> got;
    SCOPED_TRACE("seed " + std::to_string(seed) + " round " + std::to_string(round));
    ASSERT_OK(Read(text, &got));
    ASSERT_EQ(got.size(), records.size()) << "seed " << seed << " round " << round;
    for (size_t r = 0; r < records.size(); ++r) {
      EXPECT_EQ(got[r].fields, records[r]) << "seed " << seed << " round " << round << " record " << r;
      EXPECT_EQ(got[r].line, r == 0 ? 1 : rows[r - 1].second) << "seed " << seed << " round " << round;
    }
    std::vector<Rec> by_rows;
    ASSERT_OK(ReadCsvRows(text, "t.csv", rows, [&](const std::vector<std::string_view>& fields, uint64_t l) {
      by_rows.push_back(Rec{std::vector<std::string>(fields.begin(), fields.end()), l});
      return true;
    }));
    ASSERT_EQ(by_rows.size(), got.size()) << "seed " << seed << " round " << round;
    for (size_t r = 0; r < got.size(); ++r) {
      EXPECT_EQ(by_rows[r].fields, got[r].fields) << "seed " << seed << " round " << round << " record " << r;
      EXPECT_EQ(by_rows[r].line, got[r].line) << "seed " << seed << " round " << round << " record " << r;
    }
  }
}

TEST(Csv, CallbackFalseStops) {
  int calls = 0;
  ASSERT_OK(ReadCsv("a\nb\nc\n", "t.csv", [&](const std::vector<std::string_view>&, uint64_t) {
    ++calls;
    return false;
  }));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace caisson::ingest
