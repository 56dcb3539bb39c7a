// lbzip2_pipe: runs the lbzip2 program as a filter for FileWriter and ReadMaybeBz2 (private to caisjson).
//
// lbzip2 compresses and decompresses bzip2 on all cores and writes the same single bzip2 stream whatever the
// thread count, so it replaces libbz2 where speed matters. The child's stdin and stdout are plain descriptors
// (a pipe on one side, the file itself on the other), so only one pipe is ever pumped and nothing deadlocks;
// its stderr goes to an in-memory file and ends up in the error message.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace caisson::caisjson::internal {

// The program run as lbzip2: $CAISSON_LBZIP2 when set and not empty (tests set it to /bin/false to make the
// child fail), else "lbzip2", looked up on PATH.
std::string Lbzip2Program();

// Threads given to lbzip2 (-n): the machine's hardware threads, at least 1.
unsigned Lbzip2Threads();

// One child process. Not thread-safe; used by one writer or one read.
class Child {
 public:
  Child() = default;
  ~Child();  // a child still running is killed and reaped, so no zombie outlives its owner
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Starts argv (argv[0] looked up on PATH, no shell) with stdin_fd and stdout_fd as its descriptors 0 and 1.
  // Returns 0, or the errno of the failure (ENOENT: no such program).
  int Start(const std::vector<std::string>& argv, int stdin_fd, int stdout_fd);
  // Waits for the child. Returns "" when it exited with status 0, else what went wrong, e.g. "exit status 1:
  // lbzip2: stdin: not a valid bzip2 file" or "killed by signal 9". REQUIRES: Start() was 0.
  std::string Wait();
  // Kills (SIGKILL) and reaps a running child; nothing when there is none.
  void Kill();
  bool running() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;  // memfd holding the child's stderr
};

// write(2)s all of data[0, n) to fd with SIGPIPE blocked on the calling thread, so a reader that died makes
// the write fail with EPIPE instead of killing the process (a pending SIGPIPE raised here is consumed).
// Returns 0 or the errno.
int WriteAllNoSigpipe(int fd, const char* data, size_t n);

// Grows a pipe's buffer towards `bytes` (best effort: Linux caps it at /proc/sys/fs/pipe-max-size), so the
// pipe between Caisson and lbzip2 moves data in large steps.
void GrowPipe(int fd, int bytes);

// What a cheap scan of bzip2 bytes finds before lbzip2 is trusted with them. lbzip2 ignores anything after a
// stream that does not start a new stream (bzip2(1) only warns), while ReadMaybeBz2 reports it as Corruption;
// so the lbzip2 path takes only files with one stream header that end in an end-of-stream marker, and every
// other file goes through libbz2, which checks every byte.
struct StreamScan {
  bool later_stream_header = false;  // "BZh1".."BZh9" + block or end-of-stream magic after offset 0
  bool ends_with_eos = false;        // ends: 48-bit end-of-stream magic, CRC, 0-7 pad bits
};
// Scans the whole file open as `fd` (positional reads; the offset is not moved). Returns 0 or the errno.
int ScanStreams(int fd, StreamScan* scan);

}  // namespace caisson::caisjson::internal
