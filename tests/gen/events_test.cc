// gen --events: deterministic order-event files whose planted FDID defects sit on the lines the expected list
// names (issue #9).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gen/gen.h"
#include "testutil.h"

namespace caisson::gen {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Line(const fs::path& p, uint64_t n) {
  std::ifstream in(p);
  std::string line;
  for (uint64_t i = 0; i < n && std::getline(in, line); ++i) {
  }
  return line;
}

TEST(GenEvents, SameSeedSameBytesAndExpectedLinesCarryTheirFdid) {
  const fs::path dir = testing::TempDir();
  Options books;
  books.accounts = 120;
  books.seed = 11;
  books.out = dir / "books";
  ASSERT_OK(Generate(books));
  EventsOptions ev;
  ev.books = books.out;
  ev.seed = 11;
  ev.defects = 0.2;
  ev.out = dir / "a";
  ASSERT_OK(GenerateEvents(ev));
  ev.out = dir / "b";
  ASSERT_OK(GenerateEvents(ev));
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir / "a")) {
    EXPECT_EQ(Slurp(e.path()), Slurp(dir / "b" / e.path().filename())) << e.path();
    ++files;
  }
  EXPECT_EQ(files, 4);  // three days and the expected list
  // Every "fdid" entry: the named line of the named file holds that FDID under that field's name.
  const std::string expected = Slurp(dir / "a" / "expected-txn-findings.json");
  size_t pos = 0, checked = 0;
  const size_t linkage = expected.find("\"linkage\":");  // the linkage entries follow, and name no FDID
  ASSERT_NE(linkage, std::string::npos);
  while ((pos = expected.find("{\"rule\": ", pos)) != std::string::npos && pos < linkage) {
    const size_t end = expected.find('}', pos);
    const std::string entry = expected.substr(pos, end - pos);
    auto value = [&](const std::string& key) {
      const size_t k = entry.find("\"" + key + "\": ");
      size_t v = k + key.size() + 4;
      if (entry[v] == '"') return entry.substr(v + 1, entry.find('"', v + 1) - v - 1);
      return entry.substr(v, entry.find_first_of(",}", v) - v);
    };
    const std::string line = Line(dir / "a" / value("file"), std::stoull(value("line")));
    const std::string field = value("field");
    const std::string leaf = field.substr(field.rfind('.') == std::string::npos ? 0 : field.rfind('.') + 1);
    EXPECT_NE(line.find("\"" + leaf + "\":\"" + value("key") + "\""), std::string::npos) << entry << "\n" << line;
    ++checked;
    pos = end;
  }
  EXPECT_GE(checked, 20u);
}

}  // namespace
}  // namespace caisson::gen
