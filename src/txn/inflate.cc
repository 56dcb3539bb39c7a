// Inflater: libbz2 on a worker thread, handing 1 MiB chunks through a queue of at most four.
#include "txn/inflate.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <bzlib.h>
#include <unistd.h>

namespace caisson::txn::internal {

namespace {
constexpr size_t kChunk = 1 << 20;
constexpr size_t kInChunk = 256 << 10;
constexpr size_t kQueue = 4;

ssize_t ReadRaw(int fd, char* dst, size_t cap) {
  while (true) {
    const ssize_t n = ::read(fd, dst, cap);
    if (n < 0 && errno == EINTR) continue;
    return n;
  }
}
}  // namespace

Inflater::Inflater(int fd) : fd_(fd), thread_([this] { Run(); }) {}

Inflater::~Inflater() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Inflater::Push(std::string* chunk) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return stop_ || full_.size() < kQueue; });
  if (stop_) return;
  full_.push_back(std::move(*chunk));
  if (!spare_.empty()) {  // reuse a consumed chunk's capacity
    *chunk = std::move(spare_.back());
    spare_.pop_back();
  }
  chunk->clear();
  cv_.notify_all();
}

void Inflater::Run() {
  std::vector<char> in(kInChunk);
  std::string out;
  std::string error;
  bz_stream bz{};
  bool open = false;
  bool ended_in_stream = false;
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) break;
    }
    if (bz.avail_in == 0) {
      const ssize_t n = ReadRaw(fd_, in.data(), in.size());
      if (n < 0) {
        error = std::string("read error: ") + std::strerror(errno);
        break;
      }
      if (n == 0) {
        ended_in_stream = open;
        break;
      }
      bz.next_in = in.data();
      bz.avail_in = static_cast<unsigned>(n);
    }
    if (!open) {  // the first stream, or a further one after the end of the previous
      char* next_in = bz.next_in;
      const unsigned avail_in = bz.avail_in;
      bz = bz_stream{};
      bz.next_in = next_in;
      bz.avail_in = avail_in;
      if (BZ2_bzDecompressInit(&bz, 0, 0) != BZ_OK) {
        error = "cannot start bzip2 decompression";
        break;
      }
      open = true;
    }
    const size_t had = out.size();
    out.resize(kChunk);
    bz.next_out = out.data() + had;
    bz.avail_out = static_cast<unsigned>(kChunk - had);
    const int rc = BZ2_bzDecompress(&bz);
    out.resize(kChunk - bz.avail_out);
    if (rc == BZ_STREAM_END) {
      BZ2_bzDecompressEnd(&bz);
      open = false;
    } else if (rc != BZ_OK) {
      error = "the bzip2 data is damaged";
      break;
    }
    if (out.size() == kChunk) Push(&out);
  }
  if (open) BZ2_bzDecompressEnd(&bz);
  if (error.empty() && ended_in_stream) error = "the bzip2 data ends early (truncated file)";
  if (!out.empty()) Push(&out);
  std::lock_guard<std::mutex> lock(mu_);
  error_ = std::move(error);
  done_ = true;
  cv_.notify_all();
}

size_t Inflater::Read(char* dst, size_t cap) {
  size_t copied = 0;
  while (copied < cap) {
    if (pos_ == current_.size()) {
      std::unique_lock<std::mutex> lock(mu_);
      if (!current_.empty()) {
        spare_.push_back(std::move(current_));
        current_.clear();
      }
      pos_ = 0;
      cv_.wait(lock, [&] { return !full_.empty() || done_; });
      if (full_.empty()) break;  // done
      current_ = std::move(full_.front());
      full_.pop_front();
      cv_.notify_all();
    }
    const size_t n = std::min(cap - copied, current_.size() - pos_);
    std::memcpy(dst + copied, current_.data() + pos_, n);
    pos_ += n;
    copied += n;
  }
  return copied;
}

}  // namespace caisson::txn::internal
