// base/pages: pages of a read-only file mapping given back are read again from the file, unchanged.
#include "base/pages.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <string_view>

#include "testutil.h"

namespace caisson {
namespace {

// A mapped file of `size` synthetic bytes, unmapped at the end of the test.
class Mapped {
 public:
  explicit Mapped(size_t size) {
    for (size_t i = 0; i < size; ++i) bytes_.push_back(static_cast<char>('a' + i % 23));
    const std::string path = (testing::TempDir() / "mapped.bin").string();
    std::ofstream(path, std::ios::binary) << bytes_;
    const int fd = open(path.c_str(), O_RDONLY);
    base_ = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
  }
  ~Mapped() { munmap(base_, bytes_.size()); }
  const void* base() const { return base_; }
  std::string_view text() const { return {static_cast<const char*>(base_), bytes_.size()}; }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  void* base_ = nullptr;
};

TEST(Pages, AReleaserGivesBackOncePerStepAndTheBytesReadTheSame) {
  const Mapped m(size_t{3} << 20);
  ASSERT_EQ(m.text(), m.bytes());  // every page faulted in
  PageReleaser releaser(m.base());
  EXPECT_FALSE(releaser.Behind(size_t{1} << 19));  // less than a MiB
  EXPECT_TRUE(releaser.Behind((size_t{1} << 20) + 100));
  EXPECT_EQ(releaser.released(), size_t{1} << 20);
  EXPECT_FALSE(releaser.Behind((size_t{3} << 19)));
  EXPECT_TRUE(releaser.Behind(size_t{3} << 20));
  EXPECT_EQ(releaser.released(), size_t{3} << 20);
  EXPECT_EQ(m.text(), m.bytes());  // faulted back in from the file
}

TEST(Pages, ReleasingAWholeMappingKeepsItsBytes) {
  const Mapped m(100000);  // not a whole number of pages
  ASSERT_EQ(m.text(), m.bytes());
  ReleasePages(m.base(), 0, m.bytes().size());
  EXPECT_EQ(m.text(), m.bytes());
  ReleasePages(m.base(), 5000, 5000);  // nothing
  ReleasePages(nullptr, 0, 100);       // nothing
}

}  // namespace
}  // namespace caisson
