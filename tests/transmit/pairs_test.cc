// FindPairs: a submission folder's pairs by member, and the files that cannot go.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "testutil.h"
#include "transmit/transmit.h"

namespace caisson::transmit {
namespace {

namespace fs = std::filesystem;

void Touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "x";
}

TEST(Pairs, PairsAreFoundPerMemberAndUnpairedOrForeignFilesAreProblems) {
  const fs::path dir = caisson::testing::TempDir();
  Touch(dir / "a/77_111_20261120_CAIS_000001.json.bz2");
  Touch(dir / "a/77_111_20261120_TIDS_000001.json.bz2");
  Touch(dir / "a/77_111_20261120_Desk7_CAIS_000002.json.bz2");
  Touch(dir / "a/77_111_20261120_Desk7_TIDS_000002.json.bz2");
  Touch(dir / "b/77_222_20261120_CAIS_000001.json.bz2");     // no TID File
  Touch(dir / "c/77_333_20261120_TIDS_000009.json.bz2");     // no Data File
  Touch(dir / "d/78_444_20261120_CAIS_000001.json.bz2");     // another submitter
  Touch(dir / "a/77_111_20261120_TIDS_000003.json");         // not .json.bz2: ignored
  Touch(dir / "a/manifest.json");
  Touch(dir / "e/77_555_20261120_CAIS_000001.json.bz2");     // partners in different folders do not pair
  Touch(dir / "f/77_555_20261120_TIDS_000001.json.bz2");
  Result<std::map<int64_t, MemberFiles>> m = FindPairs(dir, 77);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->size(), 5u);
  const MemberFiles& a = m->at(111);
  EXPECT_EQ(a.crd, 111);
  ASSERT_EQ(a.pairs.size(), 2u);
  EXPECT_EQ(a.pairs[0].cais_base, "77_111_20261120_CAIS_000001");
  EXPECT_EQ(a.pairs[0].tids_base, "77_111_20261120_TIDS_000001");
  EXPECT_EQ(a.pairs[1].cais_base, "77_111_20261120_Desk7_CAIS_000002");
  EXPECT_EQ(a.pairs[1].tids, dir / "a/77_111_20261120_Desk7_TIDS_000002.json.bz2");
  EXPECT_TRUE(a.problems.empty());
  EXPECT_EQ(m->at(222).problems,
            std::vector<std::string>{"77_222_20261120_CAIS_000001.json.bz2: its TID File "
                                     "77_222_20261120_TIDS_000001.json.bz2 is missing"});
  EXPECT_EQ(m->at(333).problems, std::vector<std::string>{"77_333_20261120_TIDS_000009.json.bz2: its Data File is missing"});
  EXPECT_EQ(m->at(444).problems,
            std::vector<std::string>{"78_444_20261120_CAIS_000001.json.bz2: CAT Submitter ID 78 is not ours (77)"});
  EXPECT_EQ(m->at(555).pairs.size(), 0u);
  EXPECT_EQ(m->at(555).problems.size(), 2u);
  EXPECT_EQ(FindPairs(dir / "nowhere", 77).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace caisson::transmit
