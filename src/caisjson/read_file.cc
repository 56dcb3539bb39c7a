// ReadMaybeBz2: reads a file, decompressing bzip2 with lbzip2 or in blocks with libbz2 (concatenated streams
// included); PositionOf.
#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "caisjson/caisjson.h"
#include "caisjson/lbzip2_pipe.h"

namespace caisson::caisjson {

namespace {
constexpr size_t kInBlock = 1 << 20;
constexpr size_t kOutGrow = 1 << 20;

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
  void Reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

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

// Where decompressed bytes go: appended to a string, or written to a file descriptor (a temporary file in
// `spill_dir`, whose failures are the machine's, not the input's: they name the folder).
struct Sink {
  std::string* text = nullptr;
  int fd = -1;
  std::string spill_dir;
  std::string source;  // the input's file name, for the message

  Status Append(const char* p, size_t n) {
    if (text != nullptr) {
      text->append(p, n);
      return Status::OK();
    }
    if (int rc = internal::WriteAllNoSigpipe(fd, p, n); rc != 0) {
      return Status::IOError(spill_dir, fmt::format("writing the decompressed text of {} to a temporary file failed: "
                                                    "{} (TMPDIR chooses the folder)",
                                                    source, std::strerror(rc)));
    }
    return Status::OK();
  }
};

// Decompresses the bzip2 file `fd` with libbz2 into *sink, checking every byte; `in` holds its first in_len
// bytes and the descriptor's offset is right after them.
Status DecompressWithLibbz2(int fd, const std::filesystem::path& path, std::vector<char>* in_block, size_t in_len,
                            Sink* sink) {
  std::vector<char>& in = *in_block;
  std::vector<char> out(kOutGrow * 4);
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
    bz->next_out = out.data();
    bz->avail_out = static_cast<unsigned int>(out.size());
    const unsigned int before_in = bz->avail_in;
    int rc = BZ2_bzDecompress(bz);
    const size_t produced = out.size() - bz->avail_out;
    CAISSON_RETURN_IF_ERROR(sink->Append(out.data(), produced));
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
    if (bz->avail_in == 0 && eof && produced == 0 && before_in == bz->avail_in) {
      return Status::Corruption(path.string(), "truncated bzip2 data (the stream does not end)");
    }
  }
  return Status::OK();
}

// Decompresses the bzip2 file `fd` with the lbzip2 program, its stdin the file itself and its stdout a pipe
// read here into the sink's string, or the sink's descriptor itself. *ran is false, and nothing is written,
// when lbzip2 is not to be used: it cannot be started, or the file holds more than one stream (see
// internal::StreamScan: lbzip2 would skip damage between streams that libbz2 reports). The descriptor's offset
// is left at an unspecified position.
Status DecompressWithLbzip2(int fd, const std::filesystem::path& path, bool* ran, Sink* sink) {
  *ran = false;
  internal::StreamScan scan;
  if (int rc = internal::ScanStreams(fd, &scan); rc != 0) {
    return Status::IOError(path.string(), fmt::format("read failed: {}", std::strerror(rc)));
  }
  if (scan.later_stream_header) return Status::OK();
  struct stat st;
  if (::fstat(fd, &st) != 0 || ::lseek(fd, 0, SEEK_SET) != 0) {
    return Status::IOError(path.string(), fmt::format("cannot rewind: {}", std::strerror(errno)));
  }
  internal::Child child;
  const std::string threads = std::to_string(internal::Lbzip2Threads());
  const std::vector<std::string> argv{internal::Lbzip2Program(), "-d", "-c", "-n", threads};
  if (sink->text == nullptr) {
    if (child.Start(argv, fd, sink->fd) != 0) return Status::OK();
    *ran = true;
  } else {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Status::OK();
    internal::GrowPipe(fds[0], static_cast<int>(kInBlock));
    Fd out(fds[0]);
    const int rc = child.Start(argv, fd, fds[1]);
    ::close(fds[1]);  // lbzip2 holds the only write end now, so its exit ends the reads below
    if (rc != 0) return Status::OK();
    *ran = true;
    std::string& text = *sink->text;
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
  }
  const std::string why = child.Wait();
  if (!why.empty()) {
    // lbzip2 exits 1 on damaged, truncated or non-bzip2 input and names the problem on stderr.
    return Status::Corruption(path.string(), fmt::format("damaged or truncated bzip2 data (lbzip2 {})", why));
  }
  // lbzip2 stops quietly at bytes after a stream that do not start another one.
  if (!scan.ends_with_eos) return Status::Corruption(path.string(), "data after the end of the bzip2 stream");
  return Status::OK();
}

Status OpenForRead(const std::filesystem::path& path, Fd* fd) {
  if (fd->get() >= 0) return Status::OK();
  if (errno == ENOENT) return Status::NotFound(path.string(), "no such file");
  return Status::IOError(path.string(), fmt::format("cannot open: {}", std::strerror(errno)));
}

// Decompresses the bzip2 file `fd` (its first in_len bytes in *in, the offset after them) into *sink: with
// lbzip2 when it can run, else libbz2.
Status Decompress(int fd, const std::filesystem::path& path, std::vector<char>* in, size_t in_len, Sink* sink) {
  if (in_len == 0) return Status::Corruption(path.string(), "empty file where bzip2 data was expected");
  bool ran = false;
  Status st = DecompressWithLbzip2(fd, path, &ran, sink);
  if (ran && !st.ok() && sink->fd >= 0) {
    // lbzip2 does not say whether the input or the temporary file failed: libbz2 tells, from an empty file.
    if (::ftruncate(sink->fd, 0) != 0 || ::lseek(sink->fd, 0, SEEK_SET) != 0) {
      return Status::IOError(sink->spill_dir, fmt::format("cannot reset a temporary file: {}", std::strerror(errno)));
    }
    ran = false;
    st = Status::OK();
  }
  if (ran || !st.ok()) return st;
  // libbz2: from the start again.
  if (::lseek(fd, 0, SEEK_SET) != 0) {
    return Status::IOError(path.string(), fmt::format("cannot rewind: {}", std::strerror(errno)));
  }
  CAISSON_RETURN_IF_ERROR(ReadBlock(fd, path, in, &in_len));
  return DecompressWithLibbz2(fd, path, in, in_len, sink);
}

}  // namespace

Result<std::string> ReadMaybeBz2(const std::filesystem::path& path, bool force_bz2) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  CAISSON_RETURN_IF_ERROR(OpenForRead(path, &fd));
  std::vector<char> in(kInBlock);
  size_t in_len = 0;
  CAISSON_RETURN_IF_ERROR(ReadBlock(fd.get(), path, &in, &in_len));
  const bool bz2 = force_bz2 || (in_len >= 3 && std::memcmp(in.data(), "BZh", 3) == 0);
  std::string text;
  if (!bz2) {
    text.assign(in.data(), in_len);
    while (in_len == in.size()) {
      CAISSON_RETURN_IF_ERROR(ReadBlock(fd.get(), path, &in, &in_len));
      text.append(in.data(), in_len);
    }
    return text;
  }
  Sink sink{&text, -1, {}, {}};
  CAISSON_RETURN_IF_ERROR(Decompress(fd.get(), path, &in, in_len, &sink));
  return text;
}

MappedText::~MappedText() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

void MappedText::Release() const {
  if (data_ != nullptr) ::madvise(const_cast<char*>(data_), size_, MADV_DONTNEED);
}

Result<std::unique_ptr<MappedText>> MapMaybeBz2(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  CAISSON_RETURN_IF_ERROR(OpenForRead(path, &fd));
  std::vector<char> in(kInBlock);
  size_t in_len = 0;
  CAISSON_RETURN_IF_ERROR(ReadBlock(fd.get(), path, &in, &in_len));
  const bool bz2 = in_len >= 3 && std::memcmp(in.data(), "BZh", 3) == 0;
  int text_fd = fd.get();
  Fd spill(-1);
  if (bz2) {
    // An unnamed file: nothing is left behind whatever happens to the process.
    const char* tmp = std::getenv("TMPDIR");
    const std::string dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    spill.Reset(::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
    if (spill.get() < 0) {
      return Status::IOError(dir, fmt::format("cannot create a temporary file for the decompressed text of {}: {}",
                                              path.filename().string(), std::strerror(errno)));
    }
    Sink sink{nullptr, spill.get(), dir, path.filename().string()};
    CAISSON_RETURN_IF_ERROR(Decompress(fd.get(), path, &in, in_len, &sink));
    text_fd = spill.get();
  }
  struct stat st;
  if (::fstat(text_fd, &st) != 0) {
    return Status::IOError(path.string(), fmt::format("cannot stat: {}", std::strerror(errno)));
  }
  auto mapped = std::unique_ptr<MappedText>(new MappedText());
  mapped->size_ = static_cast<size_t>(st.st_size);
  if (mapped->size_ > 0) {
    void* p = ::mmap(nullptr, mapped->size_, PROT_READ, MAP_PRIVATE, text_fd, 0);
    if (p == MAP_FAILED) {
      return Status::IOError(path.string(), fmt::format("cannot map: {}", std::strerror(errno)));
    }
    mapped->data_ = static_cast<const char*>(p);
  }
  return mapped;
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
