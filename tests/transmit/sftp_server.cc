#include "transmit/sftp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <vector>

namespace caisson::testing {

namespace fs = std::filesystem;

namespace {

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool Run(const std::string& cmd) { return std::system(cmd.c_str()) == 0; }

bool PortAccepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

int ConnectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// One chroot per server, under a folder whose every component is root-owned and not group/other-writable, as
// sshd requires of ChrootDirectory (so not under /tmp, which is world-writable).
fs::path ChrootBase() { return "/var/lib/caisson-test-sftp"; }

}  // namespace

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = 0;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

SftpServer::SftpServer(const fs::path& dir, const fs::path& user_key) : dir_(dir) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  const bool root = ::geteuid() == 0;
  if (root) {
    static std::atomic<int> counter{0};
    root_ = ChrootBase() / (std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(root_, ec);
    fs::create_directories(root_, ec);
    ::chmod(ChrootBase().c_str(), 0755);
    ::chmod(root_.c_str(), 0755);
    fs::create_directories("/run/sshd", ec);  // sshd's privilege-separation folder
    chrooted_ = true;
  } else {
    root_ = dir_ / "root";
    fs::create_directories(root_, ec);
  }
  const fs::path host_key = dir_ / "host_key";
  user_key_ = dir_ / "user_key";
  stranger_key_ = dir_ / "stranger_key";
  for (const fs::path& k : {host_key, user_key_, stranger_key_}) {
    if (k == user_key_ && !user_key.empty()) {
      user_key_ = user_key;
      continue;
    }
    fs::remove(k, ec);
    fs::remove(k.string() + ".pub", ec);
    if (!Run("ssh-keygen -q -t ed25519 -N '' -C caisson-test -f '" + k.string() + "' >/dev/null 2>&1")) {
      error_ = "ssh-keygen failed";
      return;
    }
  }
  {
    std::ofstream(dir_ / "authorized_keys") << Slurp(user_key_.string() + ".pub");
  }
  const std::string host_pub = Slurp(host_key.string() + ".pub");
  for (int attempt = 0; attempt < 3 && pid_ <= 0; ++attempt) {
    port_ = FreePort();
    known_hosts_ = dir_ / "known_hosts";
    {
      std::ofstream kh(known_hosts_);
      kh << "[127.0.0.1]:" << port_ << " " << host_pub.substr(0, host_pub.rfind(' ')) << "\n";
    }
    const fs::path config = dir_ / "sshd_config";
    {
      std::ofstream c(config);
      c << "Port " << port_ << "\nListenAddress 127.0.0.1\nHostKey " << host_key.string()
        << "\nPidFile none\nAuthorizedKeysFile " << (dir_ / "authorized_keys").string()
        << "\nPermitRootLogin prohibit-password\nPubkeyAuthentication yes\nPasswordAuthentication no\n"
           "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nLogLevel VERBOSE\n"
           "Subsystem sftp internal-sftp\nForceCommand internal-sftp\n";
      if (chrooted_) c << "ChrootDirectory " << root_.string() << "\n";
    }
    const std::string log = (dir_ / "sshd.log").string();
    pid_t pid = ::fork();
    if (pid == 0) {
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(fd, 2);
      ::dup2(fd, 1);
      ::execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-f", config.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    bool up = false;
    for (int i = 0; i < 200 && !up; ++i) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) break;  // exited: port taken or bad config
      up = PortAccepts(port_);
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    if (up) {
      pid_ = pid;
    } else {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      error_ = "sshd did not start: " + Slurp(log);
    }
  }
}

SftpServer::~SftpServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ec;
  if (chrooted_) fs::remove_all(root_, ec);
}

std::string SftpServer::user() const {
  const passwd* pw = ::getpwuid(::geteuid());
  return pw != nullptr ? pw->pw_name : "root";
}

fs::path SftpServer::WrongKnownHosts() const {
  const fs::path p = dir_ / "known_hosts_wrong";
  const std::string pub = Slurp(stranger_key_.string() + ".pub");
  std::ofstream(p) << "[127.0.0.1]:" << port_ << " " << pub.substr(0, pub.rfind(' ')) << "\n";
  return p;
}

fs::path SftpServer::StrangerKey() const { return stranger_key_; }

void SftpServer::MakeRemoteDir(const std::string& remote) const {
  std::error_code ec;
  fs::create_directories(Local(remote), ec);
}

FaultProxy::FaultProxy(int target_port, int64_t cut_after, int cuts)
    : target_port_(target_port), cut_after_(cut_after), cuts_(cuts) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(listen_fd_, 8);
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

FaultProxy::~FaultProxy() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

void FaultProxy::Serve() {
  std::vector<std::thread> pipes;
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    ++connections_;
    int server = ConnectLoopback(target_port_);
    if (server < 0) {
      ::close(client);
      continue;
    }
    pipes.emplace_back([this, client, server] {
      // A connection is cut only if it carries cut_after_ client bytes while cuts remain, so short
      // connections (a preflight, a listing) pass untouched.
      bool cut = cuts_.load() > 0;
      int64_t sent = 0;
      char buf[16384];
      bool open = true;
      while (open && !stop_) {
        pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
        if (::poll(fds, 2, 50) <= 0) continue;
        for (int i = 0; i < 2 && open; ++i) {
          if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
          size_t want = sizeof buf;
          if (i == 0 && cut) want = static_cast<size_t>(std::min<int64_t>(want, cut_after_ - sent));
          ssize_t n = want == 0 ? 0 : ::read(fds[i].fd, buf, want);
          if (n <= 0) {
            open = false;
            break;
          }
          if (i == 0) sent += n;
          const int to = i == 0 ? server : client;
          for (ssize_t off = 0; off < n;) {
            ssize_t w = ::write(to, buf + off, static_cast<size_t>(n - off));
            if (w <= 0) {
              open = false;
              break;
            }
            off += w;
          }
          if (cut && sent >= cut_after_) {
            int left = cuts_.load();
            bool took = false;
            while (left > 0 && !took) took = cuts_.compare_exchange_weak(left, left - 1);
            if (took) {
              open = false;  // the fault: the line drops mid-transfer
            } else {
              cut = false;   // another connection used the last cut
            }
          }
        }
      }
      ::shutdown(client, SHUT_RDWR);
      ::shutdown(server, SHUT_RDWR);
      ::close(client);
      ::close(server);
    });
  }
  for (std::thread& t : pipes) t.join();
}

}  // namespace caisson::testing
