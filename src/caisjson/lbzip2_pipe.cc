// lbzip2_pipe: child process, SIGPIPE-safe writes and the bzip2 stream scan used with lbzip2.
#include "caisjson/lbzip2_pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

extern char** environ;

namespace caisson::caisjson::internal {

namespace {
// Enough of lbzip2's stderr for a message; it writes one line per problem.
constexpr size_t kMaxStderr = 2000;
constexpr size_t kScanBlock = size_t{1} << 20;
// A stream starts "BZh" + level digit, then a block header magic (pi) or, for an empty stream, the
// end-of-stream magic (sqrt(pi)); both are 48 bits, byte-aligned right after the 4-byte header.
constexpr unsigned char kBlockMagic[6] = {0x31, 0x41, 0x59, 0x26, 0x53, 0x59};
constexpr unsigned char kEosMagic[6] = {0x17, 0x72, 0x45, 0x38, 0x50, 0x90};
constexpr uint64_t kEosMagic48 = 0x177245385090ull;
constexpr size_t kHeaderLen = 10;  // "BZh9" + 6 magic bytes

bool IsStreamHeader(const unsigned char* p) {
  return p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' && p[3] >= '1' && p[3] <= '9' &&
         (std::memcmp(p + 4, kBlockMagic, 6) == 0 || std::memcmp(p + 4, kEosMagic, 6) == 0);
}

int PreadAll(int fd, unsigned char* buf, size_t n, off_t offset, size_t* got) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, buf + done, n - done, offset + static_cast<off_t>(done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  *got = done;
  return 0;
}
}  // namespace

std::string Lbzip2Program() {
  const char* env = std::getenv("CAISSON_LBZIP2");
  if (env != nullptr && env[0] != '\0') return env;
  return "lbzip2";
}

unsigned Lbzip2Threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

Child::~Child() { Kill(); }

int Child::Start(const std::vector<std::string>& argv, int stdin_fd, int stdout_fd) {
  if (pid_ > 0) return EBUSY;
  // The child's stderr goes to an in-memory file rather than a pipe: nobody has to drain it while the child
  // runs, and it is read once the child has ended.
  stderr_fd_ = ::memfd_create("caisson-lbzip2-stderr", MFD_CLOEXEC);
  if (stderr_fd_ < 0) return errno;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears FD_CLOEXEC on the copy only; every other descriptor Caisson opens is close-on-exec, so the
  // child holds no other writer's pipe open (which would keep that writer's lbzip2 from seeing end of input).
  posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, stderr_fd_, 2);
  // The child starts with default signal handling for SIGPIPE whatever Caisson does with it.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));  // posix_spawn's API
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ::close(stderr_fd_);
    stderr_fd_ = -1;
    return rc;
  }
  pid_ = pid;
  return 0;
}

std::string Child::Wait() {
  if (pid_ <= 0) return "not running";
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) {
      pid_ = -1;
      return fmt::format("waitpid failed: {}", std::strerror(errno));
    }
  }
  pid_ = -1;
  std::string err(kMaxStderr, '\0');
  size_t got = 0;
  if (stderr_fd_ >= 0) {
    if (PreadAll(stderr_fd_, reinterpret_cast<unsigned char*>(err.data()), err.size(), 0, &got) != 0) got = 0;
    ::close(stderr_fd_);
    stderr_fd_ = -1;
  }
  err.resize(got);
  while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
  for (char& c : err) {
    if (c == '\n') c = ';';
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 0) return "";
    return err.empty() ? fmt::format("exit status {}", WEXITSTATUS(status))
                       : fmt::format("exit status {}: {}", WEXITSTATUS(status), err);
  }
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
  return "ended abnormally";
}

void Child::Kill() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  if (stderr_fd_ >= 0) {
    ::close(stderr_fd_);
    stderr_fd_ = -1;
  }
}

int WriteAllNoSigpipe(int fd, const char* data, size_t n) {
  // The usual library idiom (a library must not change the process's signal dispositions): block SIGPIPE on
  // this thread, and if the write raised one, take it off the pending set before unblocking.
  sigset_t pipe_set, old_set, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigemptyset(&pending);
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  int err = 0;
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      err = errno;
      break;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  if (err == EPIPE && !was_pending) {
    const struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  return err;
}

void GrowPipe(int fd, int bytes) { (void)::fcntl(fd, F_SETPIPE_SZ, bytes); }

int ScanStreams(int fd, StreamScan* scan) {
  *scan = StreamScan();
  struct stat st;
  if (::fstat(fd, &st) != 0) return errno;
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  // Stream headers after the first: the 9 bytes before each block are kept so a header across blocks is seen.
  std::vector<unsigned char> buf(kScanBlock + kHeaderLen);
  size_t carried = 0;
  uint64_t carried_from = 0;  // file offset of buf[0]
  for (uint64_t off = 0; off < size && !scan->later_stream_header;) {
    size_t got = 0;
    if (int rc = PreadAll(fd, buf.data() + carried, kScanBlock, static_cast<off_t>(off), &got); rc != 0)
      return rc;
    if (got == 0) break;
    const size_t len = carried + got;
    const unsigned char* p = buf.data();
    for (size_t i = 0; i + kHeaderLen <= len; ++i) {
      const void* b = std::memchr(p + i, 'B', len - kHeaderLen + 1 - i);
      if (b == nullptr) break;
      i = static_cast<size_t>(static_cast<const unsigned char*>(b) - p);
      if (carried_from + i > 0 && IsStreamHeader(p + i)) {
        scan->later_stream_header = true;
        break;
      }
    }
    off += got;
    carried = std::min(len, kHeaderLen - 1);
    std::memmove(buf.data(), buf.data() + len - carried, carried);
    carried_from = off - carried;
  }
  // The end: 48-bit end-of-stream magic, 32-bit stream CRC, then 0 to 7 pad bits up to a byte boundary.
  constexpr size_t kTail = 11;  // 88 bits hold 80 + up to 7 pad bits
  if (size >= kTail) {
    unsigned char tail[kTail];
    size_t got = 0;
    if (int rc = PreadAll(fd, tail, kTail, static_cast<off_t>(size - kTail), &got); rc != 0) return rc;
    if (got == kTail) {
      unsigned __int128 v = 0;
      for (unsigned char c : tail) v = (v << 8) | c;
      // The pad bits are not checked: libbz2 ignores them too. One byte or more after the end-of-stream
      // marker puts it at least 8 bits further from the end, so it is never found there.
      for (unsigned pad = 0; pad < 8; ++pad) {
        const uint64_t magic = static_cast<uint64_t>(v >> (pad + 32)) & ((uint64_t{1} << 48) - 1);
        if (magic == kEosMagic48) {
          scan->ends_with_eos = true;
          break;
        }
      }
    }
  }
  return 0;
}

}  // namespace caisson::caisjson::internal
