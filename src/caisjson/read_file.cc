// ReadMaybeBz2: reads a file, decompressing bzip2 with lbzip2 or in blocks with libbz2 (concatenated streams
// included); PositionOf.
#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "caisjson/caisjson.h"
#include "caisjson/lbzip2_pipe.h"

namespace caisson::caisjson {

namespace {
constexpr size_t kInBlock = 1 << 20;
constexpr size_t kOutGrow = 1 << 20;
// bz_stream counts in unsigned int.
constexpr size_t kMaxOutSlice = size_t{1} << 30;

// Owns a file descriptor for the length of one read.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads up to buf->size() bytes into *buf; *got is what was read (less than the size only at end of file).
Status ReadBlock(int fd, const std::filesystem::path& path, std::vector<char>* buf, size_t* got) {
  size_t n = 0;
  while (n < buf->size()) {
    ssize_t r = ::read(fd, buf->data() + n, buf->size() - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(path.string(), fmt::format("read failed: {}", std::strerror(errno)));
    }
    if (r == 0) break;
    n += static_cast<size_t>(r);
  }
  *got = n;
  return Status::OK();
}

// Owns a bzip2 decompression stream.
class Decompressor {
 public:
  ~Decompressor() { End(); }
  bool Init() {
    std::memset(&bz_, 0, sizeof(bz_));
    open_ = BZ2_bzDecompressInit(&bz_, 0, 0) == BZ_OK;
    return open_;
  }
  void End() {
    if (open_) BZ2_bzDecompressEnd(&bz_);
    open_ = false;
  }
  bz_stream* stream() { return &bz_; }

 private:
  bz_stream bz_{};
  bool open_ = false;
};

const char* BzErrorText(int rc) {
  switch (rc) {
    case BZ_DATA_ERROR_MAGIC:
      return "not bzip2 data (bad stream header)";
    case BZ_DATA_ERROR:
      return "damaged bzip2 data (checksum or block error)";
    case BZ_MEM_ERROR:
      return "out of memory while decompressing";
    default:
      return "bzip2 decompression failed";
  }
}

// Decompresses the bzip2 file `fd` with libbz2, checking every byte; `in` holds its first in_len bytes and
// the descriptor's offset is right after them.
Result<std::string> DecompressWithLibbz2(int fd, const std::filesystem::path& path, std::vector<char>* in_block,
                                         size_t in_len) {
  std::vector<char>& in = *in_block;
  std::string text;
  Decompressor dec;
  if (!dec.Init()) return Status::Internal(path.string(), "BZ2_bzDecompressInit failed");
  bz_stream* bz = dec.stream();
  bz->next_in = in.data();
  bz->avail_in = static_cast<unsigned int>(in_len);
  bool eof = in_len < in.size();
  int streams = 0;
  bool in_stream = true;  // inside a bzip2 stream that has not ended yet
  for (;;) {
    if (bz->avail_in == 0 && !eof) {
      CAISSON_RETURN_IF_ERROR(ReadBlock(fd, path, &in, &in_len));
      eof = in_len < in.size();
      bz->next_in = in.data();
      bz->avail_in = static_cast<unsigned int>(in_len);
    }
    if (!in_stream) {
      if (bz->avail_in == 0 && eof) break;
      // bzip2(1) writes one stream per input and concatenates them on `cat a.bz2 b.bz2`; a file made of
      // several streams decompresses to the concatenation. Anything else after a stream is damage.
      char* next_in = bz->next_in;
      unsigned int avail_in = bz->avail_in;
      dec.End();
      if (!dec.Init()) return Status::Internal(path.string(), "BZ2_bzDecompressInit failed");
      bz = dec.stream();
      bz->next_in = next_in;
      bz->avail_in = avail_in;
      in_stream = true;
      continue;
    }
    size_t used = text.size();
    if (text.capacity() - used < kOutGrow) text.reserve(std::max(text.capacity() * 2, used + kOutGrow));
    text.resize(text.capacity());
    bz->next_out = text.data() + used;
    bz->avail_out = static_cast<unsigned int>(std::min(text.size() - used, kMaxOutSlice));
    const unsigned int before_out = bz->avail_out;
    const unsigned int before_in = bz->avail_in;
    int rc = BZ2_bzDecompress(bz);
    text.resize(used + (before_out - bz->avail_out));
    if (rc == BZ_STREAM_END) {
      in_stream = false;
      ++streams;
      continue;
    }
    if (rc == BZ_DATA_ERROR_MAGIC && streams > 0) {
      return Status::Corruption(path.string(), "data after the end of the bzip2 stream");
    }
    if (rc == BZ_MEM_ERROR) return Status::Internal(path.string(), BzErrorText(rc));
    if (rc != BZ_OK) return Status::Corruption(path.string(), BzErrorText(rc));
    if (bz->avail_in == 0 && eof && before_out == bz->avail_out && before_in == bz->avail_in) {
      return Status::Corruption(path.string(), "truncated bzip2 data (the stream does not end)");
    }
  }
  return text;
}

// Decompresses the bzip2 file `fd` with the lbzip2 program, its stdin the file itself and its stdout a pipe
// read here. *ran is false, and nothing is returned, when lbzip2 is not to be used: it cannot be started, or
// the file holds more than one stream (see internal::StreamScan: lbzip2 would skip damage between streams
// that libbz2 reports). The descriptor's offset is left at an unspecified position.
Result<std::string> DecompressWithLbzip2(int fd, const std::filesystem::path& path, bool* ran) {
  *ran = false;
  internal::StreamScan scan;
  if (int rc = internal::ScanStreams(fd, &scan); rc != 0) {
    return Status::IOError(path.string(), fmt::format("read failed: {}", std::strerror(rc)));
  }
  if (scan.later_stream_header) return std::string();
  struct stat st;
  if (::fstat(fd, &st) != 0 || ::lseek(fd, 0, SEEK_SET) != 0) {
    return Status::IOError(path.string(), fmt::format("cannot rewind: {}", std::strerror(errno)));
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::string();
  internal::GrowPipe(fds[0], static_cast<int>(kInBlock));
  Fd out(fds[0]);
  internal::Child child;
  const std::string threads = std::to_string(internal::Lbzip2Threads());
  const int rc = child.Start({internal::Lbzip2Program(), "-d", "-c", "-n", threads}, fd, fds[1]);
  ::close(fds[1]);  // lbzip2 holds the only write end now, so its exit ends the reads below
  if (rc != 0) return std::string();
  *ran = true;
  std::string text;
  // bzip2 text is typically several times its compressed size; start there and double.
  text.reserve(std::max<size_t>(kOutGrow, static_cast<size_t>(st.st_size) * 4));
  for (;;) {
    size_t used = text.size();
    if (text.capacity() - used < kOutGrow) text.reserve(std::max(text.capacity() * 2, used + kOutGrow));
    text.resize(text.capacity());
    ssize_t r = ::read(out.get(), text.data() + used, text.size() - used);
    if (r < 0) {
      text.resize(used);
      if (errno == EINTR) continue;
      return Status::IOError(path.string(), fmt::format("reading from lbzip2 failed: {}", std::strerror(errno)));
    }
    text.resize(used + static_cast<size_t>(r));
    if (r == 0) break;
  }
  const std::string why = child.Wait();
  if (!why.empty()) {
    // lbzip2 exits 1 on damaged, truncated or non-bzip2 input and names the problem on stderr.
    return Status::Corruption(path.string(), fmt::format("damaged or truncated bzip2 data (lbzip2 {})", why));
  }
  // lbzip2 stops quietly at bytes after a stream that do not start another one.
  if (!scan.ends_with_eos) return Status::Corruption(path.string(), "data after the end of the bzip2 stream");
  return text;
}

}  // namespace

Result<std::string> ReadMaybeBz2(const std::filesystem::path& path, bool force_bz2) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status::NotFound(path.string(), "no such file");
    return Status::IOError(path.string(), fmt::format("cannot open: {}", std::strerror(errno)));
  }
  std::vector<char> in(kInBlock);
  size_t in_len = 0;
  CAISSON_RETURN_IF_ERROR(ReadBlock(fd.get(), path, &in, &in_len));
  const bool bz2 = force_bz2 || (in_len >= 3 && std::memcmp(in.data(), "BZh", 3) == 0);
  if (!bz2) {
    std::string text(in.data(), in_len);
    while (in_len == in.size()) {
      CAISSON_RETURN_IF_ERROR(ReadBlock(fd.get(), path, &in, &in_len));
      text.append(in.data(), in_len);
    }
    return text;
  }
  if (in_len == 0) return Status::Corruption(path.string(), "empty file where bzip2 data was expected");
  bool ran = false;
  Result<std::string> text = DecompressWithLbzip2(fd.get(), path, &ran);
  if (ran || !text.ok()) return text;
  // libbz2: from the start again.
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) {
    return Status::IOError(path.string(), fmt::format("cannot rewind: {}", std::strerror(errno)));
  }
  CAISSON_RETURN_IF_ERROR(ReadBlock(fd.get(), path, &in, &in_len));
  return DecompressWithLibbz2(fd.get(), path, &in, in_len);
}

TextPosition PositionOf(std::string_view text, size_t offset) {
  TextPosition pos;
  if (offset > text.size()) offset = text.size();
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

}  // namespace caisson::caisjson
