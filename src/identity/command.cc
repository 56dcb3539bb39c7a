// The `command` transformer: an external program that turns normalised input identifiers into TIDs, for firms
// whose hashing runs in their own vault (docs/identity.md). Protocol: one request line per customer,
// `<tidType>\t<foreignTIDType or ->\t<normalised value>\n`; one 64-hex answer line per request, in order.

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <spawn.h>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "identity/identity.h"
#include "identity/internal.h"

extern char** environ;

namespace caisson::identity {
namespace {

constexpr std::string_view kWhere = "transformer command";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Writes all of `data` to `fd`, then closes it. SIGPIPE is blocked in this thread so that a command that exits
// early makes write() fail with EPIPE instead of killing the process; the pending signal is then consumed.
void WriteAll(int fd, std::string* data, bool* ok) {
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  size_t off = 0;
  *ok = true;
  while (off < data->size()) {
    ssize_t n = ::write(fd, data->data() + off, data->size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *ok = false;
      break;
    }
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  internal::Wipe(data);  // the request text holds the raw normalised identifiers
  if (!*ok) {
    timespec zero{0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) == SIGPIPE) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
}

}  // namespace

Status ParseTransformerAnswer(std::string_view answer, size_t expected, std::vector<std::string>* tids) {
  tids->clear();
  tids->reserve(expected);
  size_t pos = 0;
  while (pos < answer.size()) {
    size_t nl = answer.find('\n', pos);
    size_t end = nl == std::string_view::npos ? answer.size() : nl;
    std::string_view line = answer.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t number = tids->size() + 1;
    if (tids->size() == expected) {
      return Status::InvalidArgument(kWhere, "answered more lines than the " + std::to_string(expected) +
                                                 " identifiers it was given");
    }
    if (line.size() != 64) {
      return Status::InvalidArgument(kWhere, "answer line " + std::to_string(number) +
                                                 ": not 64 hexadecimal characters");
    }
    std::string tid(64, '0');
    for (size_t i = 0; i < 64; ++i) {
      int v = HexValue(line[i]);
      if (v < 0) {
        return Status::InvalidArgument(kWhere, "answer line " + std::to_string(number) +
                                                   ": not 64 hexadecimal characters");
      }
      tid[i] = "0123456789abcdef"[v];
    }
    tids->push_back(std::move(tid));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  if (tids->size() != expected) {
    return Status::InvalidArgument(kWhere, "answered " + std::to_string(tids->size()) + " lines for " +
                                               std::to_string(expected) + " identifiers");
  }
  return Status::OK();
}

namespace internal {

Status RunCommand(const std::vector<std::string>& argv, const std::vector<TidRequest>& requests,
                  std::vector<std::string>* tids) {
  tids->clear();
  if (argv.empty()) return Status::InvalidArgument(kWhere, "transformer 'command' needs a command");
  if (requests.empty()) return Status::OK();  // nothing to transform: the command is not started

  // Both pipes are close-on-exec; posix_spawn's dup2 gives the child its own stdin/stdout copies only, so the
  // child sees end of input once the writer closes its end.
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return Status::IOError(kWhere, std::strerror(errno));
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return Status::IOError(kWhere, std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  if (rc != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    return Status::IOError(kWhere, "cannot start '" + argv[0] + "': " + std::strerror(rc));
  }

  std::string input;
  for (const TidRequest& r : requests) {
    input += r.tid_type;
    input += '\t';
    input += r.foreign_tid_type.empty() ? "-" : r.foreign_tid_type;
    input += '\t';
    input += r.value;
    input += '\n';
  }
  // The writer runs in its own thread while this one reads, so neither side can fill a pipe and wait forever.
  bool write_ok = true;
  std::thread writer(WriteAll, in_pipe[1], &input, &write_ok);
  std::string answer;
  char buf[65536];
  bool read_ok = true;
  for (;;) {
    ssize_t n = ::read(out_pipe[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      read_ok = false;
      break;
    }
    if (n == 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  ::close(out_pipe[0]);
  writer.join();
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) return Status::IOError(kWhere, std::strerror(errno));
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return Status::IOError(kWhere, "'" + argv[0] + "' " +
                                       (WIFEXITED(wstatus)
                                            ? "exited with status " + std::to_string(WEXITSTATUS(wstatus))
                                            : std::string("was killed by a signal")));
  }
  if (!read_ok) return Status::IOError(kWhere, "cannot read the answer");
  if (!write_ok) return Status::IOError(kWhere, "stopped reading its input early");
  return ParseTransformerAnswer(answer, requests.size(), tids);
}

}  // namespace internal
}  // namespace caisson::identity
