// Test harness: a throw-away OpenSSH SFTP server on 127.0.0.1, and a TCP proxy that cuts a connection after N
// bytes. Two SftpServer instances stand for CAIS's data host and its TID host [§5.3.1]. Nothing here talks to
// an address outside this machine.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

namespace caisson::testing {

// Runs `/usr/sbin/sshd -D -e -f <config>` on a free port of 127.0.0.1 with a fresh ed25519 host key and a
// fresh user key, `ForceCommand internal-sftp`, and (when the test runs as root) `ChrootDirectory <root()>`.
// The remote path "/x" is then root() / "x". Killed and reaped on destruction.
class SftpServer {
 public:
  // Starts the server in `dir` (created; holds keys, config, log and the chroot). ok() says whether it runs;
  // error() says why not.
  // `user_key` (optional): accept this existing private key (its .pub beside it) instead of a fresh one, so
  // two servers can share one credential.
  explicit SftpServer(const std::filesystem::path& dir, const std::filesystem::path& user_key = {});
  ~SftpServer();
  SftpServer(const SftpServer&) = delete;
  SftpServer& operator=(const SftpServer&) = delete;

  bool ok() const { return pid_ > 0; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string user() const;  // the login name (the test's own user)
  // The folder that remote "/" maps to: the chroot, or (not root) a folder whose absolute path must prefix
  // remote paths; remote_prefix() is "" under the chroot and that absolute path otherwise.
  const std::filesystem::path& root() const { return root_; }
  std::string remote_prefix() const { return chrooted_ ? std::string() : root_.string(); }
  const std::filesystem::path& user_key() const { return user_key_; }   // private key, mode 0600
  const std::filesystem::path& known_hosts() const { return known_hosts_; }  // "[127.0.0.1]:port <key>"
  // A known_hosts file pinning a different key for the same host (a changed host key).
  std::filesystem::path WrongKnownHosts() const;
  // A private key the server does not accept (wrong credentials).
  std::filesystem::path StrangerKey() const;
  // Creates a remote folder (all parents) under root(), owned by the login user.
  void MakeRemoteDir(const std::string& remote) const;
  std::filesystem::path Local(const std::string& remote) const { return root_ / remote.substr(1); }

 private:
  std::filesystem::path dir_, root_, user_key_, known_hosts_, stranger_key_;
  std::string error_;
  int port_ = 0;
  int pid_ = -1;
  bool chrooted_ = false;
};

// Forwards 127.0.0.1:port() to 127.0.0.1:target. While cuts_left() > 0, a connection whose client has sent
// `cut_after` bytes is cut there (both sockets shut) and cuts_left() drops by one; shorter connections pass.
// Stopped and joined on destruction.
class FaultProxy {
 public:
  FaultProxy(int target_port, int64_t cut_after, int cuts);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;
  int port() const { return port_; }
  int cuts_left() const { return cuts_.load(); }
  int connections() const { return connections_.load(); }
  int64_t cut_after() const { return cut_after_; }

 private:
  void Serve();
  int listen_fd_ = -1;
  int port_ = 0;
  int target_port_;
  int64_t cut_after_;
  std::atomic<int> cuts_;
  std::atomic<int> connections_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A free TCP port on 127.0.0.1 (bound then released).
int FreePort();

}  // namespace caisson::testing
