// FileWriter: temporary name, bzip2 (lbzip2 or libbz2), SHA-256 of the bytes on disk, fsync and rename.
#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#include "caisjson/caisjson.h"
#include "caisjson/lbzip2_pipe.h"

namespace caisson::caisjson {

namespace {
constexpr size_t kOutBlock = 1 << 16;
// bzip2 is the slow part of a build; each bz2 file compresses on its own thread, fed in chunks of this size,
// so the Data File, the TID File and serialisation use the machine's cores at once. The output is the same
// single bzip2 stream a one-thread writer makes.
constexpr size_t kChunk = size_t{1} << 20;
constexpr size_t kMaxQueuedChunks = 4;
// bz_stream counts in unsigned int, so large writes are fed in slices.
constexpr size_t kMaxSlice = size_t{1} << 30;
// With lbzip2, writes to its pipe are batched to this size (the pipe is grown to it too), so serialisation
// makes few system calls and lbzip2 reads whole 900 kB blocks at a time.
constexpr size_t kPipeChunk = size_t{1} << 20;

Status Errno(const std::filesystem::path& path, std::string_view what) {
  return Status::IOError(path.string(), fmt::format("{}: {}", what, std::strerror(errno)));
}

void HexLower(const unsigned char* digest, unsigned int n, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->clear();
  for (unsigned int i = 0; i < n; ++i) {
    out->push_back(kHex[digest[i] >> 4]);
    out->push_back(kHex[digest[i] & 15]);
  }
}
}  // namespace

struct FileWriter::Rep {
  std::filesystem::path final_path, temp_path;
  int fd = -1;
  bool bzip2 = false;
  bool lbzip2 = false;  // bzip2 through the lbzip2 child (else libbz2 on `worker`)
  bool bz_open = false;
  bool finished = false;
  bool committed = false;
  bz_stream bz{};
  EVP_MD_CTX* sha = nullptr;
  std::string out;  // compressed block being filled
  uint64_t uncompressed = 0, compressed = 0;
  std::string sha_hex;
  // The compressing thread and what it is fed.
  std::thread worker;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> queue;
  bool closing = false;
  Status worker_status;  // read only after worker.join()
  std::string pending;   // bytes not yet handed to the worker or to lbzip2
  // lbzip2: the child, the write end of its stdin, and the first failure (later calls repeat it).
  internal::Child child;
  int pipe_fd = -1;
  Status lbzip2_status;

  ~Rep() {
    (void)StopWorker();  // its status matters only to Finish(); here the temporary file is removed anyway
    if (pipe_fd >= 0) ::close(pipe_fd);
    child.Kill();  // before the file goes: an uncommitted lbzip2 run is abandoned
    if (bz_open) BZ2_bzCompressEnd(&bz);
    if (sha != nullptr) EVP_MD_CTX_free(sha);
    if (fd >= 0) ::close(fd);
    if (!committed && !temp_path.empty()) {
      std::error_code ec;
      std::filesystem::remove(temp_path, ec);  // an uncommitted file never survives its writer
    }
  }

  // Starts `lbzip2 -9 -n <threads> -c` with stdin a pipe from this writer and stdout the temporary file, so
  // the compressed bytes go straight to disk and only one pipe is pumped.
  Status StartLbzip2() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Errno(final_path, "cannot create a pipe for lbzip2");
    internal::GrowPipe(fds[1], static_cast<int>(kPipeChunk));
    const std::string program = internal::Lbzip2Program();
    const std::string threads = std::to_string(internal::Lbzip2Threads());
    const int rc = child.Start({program, "-9", "-n", threads, "-c"}, fds[0], fd);
    ::close(fds[0]);
    if (rc != 0) {
      ::close(fds[1]);
      if (rc == ENOENT) {
        return Status::IOError(
            final_path.string(),
            fmt::format("{} not found: install it (scripts/setup) or set [output] compressor = \"libbz2\"",
                        program));
      }
      return Status::IOError(final_path.string(),
                             fmt::format("cannot start {}: {}", program, std::strerror(rc)));
    }
    pipe_fd = fds[1];
    return Status::OK();
  }

  // Hands bytes to lbzip2. A child that died makes the write fail with EPIPE; its own message says why.
  Status PipeWrite(const char* data, size_t n) {
    if (!lbzip2_status.ok()) return lbzip2_status;
    const int err = internal::WriteAllNoSigpipe(pipe_fd, data, n);
    if (err == 0) return Status::OK();
    ::close(pipe_fd);
    pipe_fd = -1;
    std::string why = child.running() ? child.Wait() : std::string();
    if (why.empty()) why = std::strerror(err);
    lbzip2_status = Status::IOError(final_path.string(), fmt::format("lbzip2 failed: {}", why));
    return lbzip2_status;
  }

  // Ends lbzip2's input, waits for it, then takes size and SHA-256 from the file it wrote.
  Status FinishLbzip2() {
    if (!pending.empty()) {
      Status s = PipeWrite(pending.data(), pending.size());
      pending = std::string();
      CAISSON_RETURN_IF_ERROR(s);
    }
    CAISSON_RETURN_IF_ERROR(lbzip2_status);
    ::close(pipe_fd);
    pipe_fd = -1;
    const std::string why = child.Wait();
    if (!why.empty()) {
      lbzip2_status = Status::IOError(final_path.string(), fmt::format("lbzip2 failed: {}", why));
      return lbzip2_status;
    }
    // The compressed file is about an eighth of the text; reading it back from the page cache is cheap.
    std::string block(kPipeChunk, '\0');
    off_t off = 0;
    for (;;) {
      ssize_t r = ::pread(fd, block.data(), block.size(), off);
      if (r < 0) {
        if (errno == EINTR) continue;
        return Errno(temp_path, "read back failed");
      }
      if (r == 0) break;
      EVP_DigestUpdate(sha, block.data(), static_cast<size_t>(r));
      off += r;
    }
    compressed = static_cast<uint64_t>(off);
    return Status::OK();
  }

  // Writes bytes as they go to disk, hashing them on the way.
  Status Sink(const char* data, size_t n) {
    EVP_DigestUpdate(sha, data, n);
    compressed += n;
    while (n > 0) {
      ssize_t w = ::write(fd, data, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return Errno(temp_path, "write failed");
      }
      data += w;
      n -= static_cast<size_t>(w);
    }
    return Status::OK();
  }

  void StartWorker() {
    worker = std::thread([this] { Work(); });
  }

  void Work() {
    for (;;) {
      std::string chunk;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return !queue.empty() || closing; });
        if (queue.empty()) break;
        chunk = std::move(queue.front());
        queue.pop_front();
      }
      cv.notify_all();
      if (worker_status.ok()) worker_status = Feed(chunk);
    }
    if (worker_status.ok()) {
      bz.next_in = nullptr;
      bz.avail_in = 0;
      worker_status = Compress(BZ_FINISH);
    }
  }

  // Hands a chunk to the worker, waiting while it is kMaxQueuedChunks behind (memory stays bounded).
  void Enqueue(std::string chunk) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return queue.size() < kMaxQueuedChunks; });
    queue.push_back(std::move(chunk));
    lock.unlock();
    cv.notify_all();
  }

  // Ends the worker after it has compressed everything queued; returns its status.
  Status StopWorker() {
    if (!worker.joinable()) return worker_status;
    {
      std::lock_guard<std::mutex> lock(mu);
      closing = true;
    }
    cv.notify_all();
    worker.join();
    return worker_status;
  }

  Status Feed(std::string_view bytes) {
    while (!bytes.empty()) {
      size_t n = std::min(bytes.size(), kMaxSlice);
      bz.next_in = const_cast<char*>(bytes.data());  // bzlib's API is not const-correct; it only reads
      bz.avail_in = static_cast<unsigned int>(n);
      CAISSON_RETURN_IF_ERROR(Compress(BZ_RUN));
      bytes.remove_prefix(n);
    }
    return Status::OK();
  }

  // Runs BZ2_bzCompress with `action` until it has consumed its input (BZ_RUN) or ended the stream
  // (BZ_FINISH).
  Status Compress(int action) {
    for (;;) {
      out.resize(kOutBlock);
      bz.next_out = out.data();
      bz.avail_out = static_cast<unsigned int>(out.size());
      int rc = BZ2_bzCompress(&bz, action);
      size_t produced = out.size() - bz.avail_out;
      if (produced > 0) CAISSON_RETURN_IF_ERROR(Sink(out.data(), produced));
      if (action == BZ_RUN) {
        if (rc != BZ_RUN_OK)
          return Status::Internal(temp_path.string(), fmt::format("BZ2_bzCompress: {}", rc));
        if (bz.avail_in == 0) return Status::OK();
      } else {
        if (rc == BZ_STREAM_END) return Status::OK();
        if (rc != BZ_FINISH_OK)
          return Status::Internal(temp_path.string(), fmt::format("BZ2_bzCompress: {}", rc));
      }
    }
  }
};

FileWriter::FileWriter() : rep_(std::make_unique<Rep>()) {}
FileWriter::~FileWriter() = default;

Status FileWriter::Open(const std::filesystem::path& final_path, bool bzip2, Compressor compressor) {
  if (rep_->fd >= 0 || rep_->finished)
    return Status::Internal(final_path.string(), "FileWriter opened twice");
  rep_->final_path = final_path;
  rep_->temp_path = final_path;
  rep_->temp_path += ".tmp-" + std::to_string(::getpid());
  rep_->fd = ::open(rep_->temp_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (rep_->fd < 0) {
    Status s = Errno(rep_->temp_path, "cannot create");
    rep_->temp_path.clear();
    return s;
  }
  rep_->sha = EVP_MD_CTX_new();
  if (rep_->sha == nullptr || EVP_DigestInit_ex(rep_->sha, EVP_sha256(), nullptr) != 1) {
    return Status::Internal(final_path.string(), "SHA-256 context");
  }
  rep_->bzip2 = bzip2;
  if (bzip2 && compressor == Compressor::kLbzip2) {
    rep_->lbzip2 = true;
    return rep_->StartLbzip2();
  }
  if (bzip2) {
    // Block size 9 (900 kB), as bzip2(1) uses by default; workFactor 0 = library default.
    int rc = BZ2_bzCompressInit(&rep_->bz, 9, 0, 0);
    if (rc != BZ_OK) return Status::Internal(final_path.string(), fmt::format("BZ2_bzCompressInit: {}", rc));
    rep_->bz_open = true;
    rep_->StartWorker();
  }
  return Status::OK();
}

Status FileWriter::Write(std::string_view bytes) {
  if (rep_->fd < 0)
    return Status::Internal(rep_->final_path.string(), "FileWriter::Write on a closed writer");
  rep_->uncompressed += bytes.size();
  if (!rep_->bzip2) return rep_->Sink(bytes.data(), bytes.size());
  if (rep_->lbzip2) {
    if (rep_->pending.size() + bytes.size() < kPipeChunk) {
      rep_->pending.append(bytes);
      return Status::OK();
    }
    if (!rep_->pending.empty()) {
      CAISSON_RETURN_IF_ERROR(rep_->PipeWrite(rep_->pending.data(), rep_->pending.size()));
      rep_->pending.clear();
    }
    if (bytes.size() >= kPipeChunk) return rep_->PipeWrite(bytes.data(), bytes.size());
    rep_->pending.append(bytes);
    return Status::OK();
  }
  rep_->pending.append(bytes);
  if (rep_->pending.size() >= kChunk) {
    std::string chunk;
    chunk.reserve(kChunk + kChunk / 4);
    chunk.swap(rep_->pending);
    rep_->Enqueue(std::move(chunk));
  }
  return Status::OK();
}

Status FileWriter::Finish() {
  if (rep_->finished) return Status::OK();
  if (rep_->fd < 0)
    return Status::Internal(rep_->final_path.string(), "FileWriter::Finish on a closed writer");
  if (rep_->lbzip2) {
    CAISSON_RETURN_IF_ERROR(rep_->FinishLbzip2());
  } else if (rep_->bzip2) {
    if (!rep_->pending.empty()) rep_->Enqueue(std::move(rep_->pending));
    rep_->pending = std::string();
    CAISSON_RETURN_IF_ERROR(rep_->StopWorker());
    BZ2_bzCompressEnd(&rep_->bz);
    rep_->bz_open = false;
    rep_->out = std::string();
  }
  // fsync before rename: after a crash the final name holds either nothing or the whole file.
  if (::fsync(rep_->fd) != 0) return Errno(rep_->temp_path, "fsync failed");
  int fd = rep_->fd;
  rep_->fd = -1;
  if (::close(fd) != 0) return Errno(rep_->temp_path, "close failed");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(rep_->sha, digest, &n);
  HexLower(digest, n, &rep_->sha_hex);
  rep_->finished = true;
  return Status::OK();
}

Status FileWriter::Commit() {
  if (rep_->committed) return Status::OK();
  CAISSON_RETURN_IF_ERROR(Finish());
  if (::rename(rep_->temp_path.c_str(), rep_->final_path.c_str()) != 0) {
    return Errno(rep_->final_path, "rename failed");
  }
  rep_->committed = true;
  // Make the rename itself durable.
  std::filesystem::path dir = rep_->final_path.parent_path();
  if (dir.empty()) dir = ".";
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::OK();
}

uint64_t FileWriter::uncompressed_bytes() const { return rep_->uncompressed; }
uint64_t FileWriter::compressed_bytes() const { return rep_->compressed; }
const std::string& FileWriter::sha256() const { return rep_->sha_hex; }

Result<std::string> Sha256OfFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno(path, "cannot open");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    ::close(fd);
    return Status::Internal(path.string(), "SHA-256 unavailable");
  }
  std::string block(kOutBlock, '\0');
  Status status;
  for (;;) {
    const ssize_t r = ::read(fd, block.data(), block.size());
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      status = Errno(path, "cannot read");
      break;
    }
    if (r == 0) break;
    EVP_DigestUpdate(ctx, block.data(), static_cast<size_t>(r));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx, digest, &n);
  EVP_MD_CTX_free(ctx);
  ::close(fd);
  if (!status.ok()) return status;
  std::string hex;
  HexLower(digest, n, &hex);
  return hex;
}

}  // namespace caisson::caisjson
