// The SFTP session over libssh. Every libssh handle is owned here; nothing of libssh leaves this file.
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>

#include <fmt/format.h>
#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include "transmit/transmit.h"

namespace caisson::transmit {

namespace fs = std::filesystem;

struct Session::Rep {
  Endpoint endpoint;  // password cleared after authentication
  ssh_session ssh = nullptr;
  sftp_session sftp = nullptr;

  ~Rep() {
    if (sftp != nullptr) sftp_free(sftp);
    if (ssh != nullptr) {
      ssh_disconnect(ssh);
      ssh_free(ssh);
    }
  }

  std::string Where() const {
    return fmt::format("environment {}, host {}:{}", endpoint.env, endpoint.host, endpoint.port);
  }

  // The Status of a failed SFTP call on `what` (a remote path or an action). A dropped connection is a
  // connection fault (retryable); the rest say what the server answered.
  Status SftpError(std::string_view what) const {
    if (ssh == nullptr || !ssh_is_connected(ssh)) {
      return Status::IOError(Where(), fmt::format("connection lost during {}", what));
    }
    const int code = sftp != nullptr ? sftp_get_error(sftp) : -1;
    switch (code) {
      case SSH_FX_NO_SUCH_FILE:
      case SSH_FX_NO_SUCH_PATH:
        return Status::NotFound(Where(), fmt::format("{}: no such file or folder", what));
      case SSH_FX_PERMISSION_DENIED:
      case SSH_FX_WRITE_PROTECT:
        return Status::IOError(Where(), fmt::format("{}: permission denied", what));
      case SSH_FX_FILE_ALREADY_EXISTS:
        return Status::IOError(Where(), fmt::format("{}: already exists", what));
      case SSH_FX_CONNECTION_LOST:
      case SSH_FX_NO_CONNECTION:
        return Status::IOError(Where(), fmt::format("connection lost during {}", what));
      default:
        // OpenSSH's sftp-server reports ENOSPC and EDQUOT as a plain failure.
        return Status::IOError(Where(), fmt::format("{}: the server refused (remote disk full or quota?): {}", what,
                                                    ssh_get_error(ssh)));
    }
  }
};

Session::Session(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Session::~Session() = default;

bool IsConnectionFault(const Status& s) {
  return s.code() == Status::Code::kIOError && s.ToString().find("connection") != std::string::npos;
}

Result<std::unique_ptr<Session>> Session::Open(const Endpoint& endpoint, const Options& options) {
  auto rep = std::make_unique<Rep>();
  rep->endpoint = endpoint;
  rep->endpoint.password.clear();
  const std::string where = rep->Where();
  if (endpoint.host.empty() || endpoint.user.empty()) {
    return Status::InvalidArgument(where, "host and user are required");
  }
  std::error_code ec;
  if (endpoint.known_hosts.empty() || !fs::exists(endpoint.known_hosts, ec)) {
    return Status::InvalidArgument(
        where, fmt::format("known_hosts file '{}' not found: pin the host key before connecting",
                           endpoint.known_hosts.string()));
  }
  rep->ssh = ssh_new();
  if (rep->ssh == nullptr) return Status::Internal(where, "ssh_new failed");
  ssh_session s = rep->ssh;
  int port = endpoint.port;
  long timeout = options.connect_timeout_seconds;
  int process_config = 0;  // never read ~/.ssh/config or /etc/ssh/ssh_config: caisson.toml is the only source
  int log = SSH_LOG_NOLOG;
  ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &process_config);
  ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &log);
  ssh_options_set(s, SSH_OPTIONS_HOST, endpoint.host.c_str());
  ssh_options_set(s, SSH_OPTIONS_PORT, &port);
  ssh_options_set(s, SSH_OPTIONS_USER, endpoint.user.c_str());
  ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
  ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, endpoint.known_hosts.c_str());
  ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
  if (ssh_connect(s) != SSH_OK) {
    return Status::IOError(where, fmt::format("connection failed: {}", ssh_get_error(s)));
  }
  switch (ssh_session_is_known_server(s)) {
    case SSH_KNOWN_HOSTS_OK:
      break;
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      return Status::InvalidArgument(
          where, fmt::format("the host key CHANGED from the one pinned in {}: refusing to connect (verify the new "
                             "key with CAT before updating the file)",
                             endpoint.known_hosts.string()));
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      return Status::InvalidArgument(
          where, fmt::format("the host key is not pinned in {}: refusing to connect", endpoint.known_hosts.string()));
    default:
      return Status::IOError(where, fmt::format("cannot check the host key: {}", ssh_get_error(s)));
  }
  int auth = SSH_AUTH_DENIED;
  if (!endpoint.key_file.empty()) {
    ssh_key key = nullptr;
    if (ssh_pki_import_privkey_file(endpoint.key_file.c_str(), nullptr, nullptr, nullptr, &key) != SSH_OK) {
      return Status::InvalidArgument(where, fmt::format("cannot read the private key {}", endpoint.key_file.string()));
    }
    auth = ssh_userauth_publickey(s, nullptr, key);
    ssh_key_free(key);
  } else {
    auth = ssh_userauth_password(s, nullptr, endpoint.password.c_str());
  }
  if (auth == SSH_AUTH_ERROR) {
    return Status::IOError(where, fmt::format("connection failed during authentication: {}", ssh_get_error(s)));
  }
  if (auth != SSH_AUTH_SUCCESS) {
    return Status::InvalidArgument(where,
                                   fmt::format("authentication as '{}' was refused: check the credential", endpoint.user));
  }
  rep->sftp = sftp_new(s);
  if (rep->sftp == nullptr || sftp_init(rep->sftp) != SSH_OK) {
    return Status::IOError(where, fmt::format("SFTP refused: {}", ssh_get_error(s)));
  }
  return std::unique_ptr<Session>(new Session(std::move(rep)));
}

Status Session::Upload(const fs::path& local, const std::string& remote_dir, const std::string& name,
                       Uploaded* out) {
  Rep& r = *rep_;
  const std::string dir = r.endpoint.remote_prefix + remote_dir;
  const std::string final_path = dir + "/" + name;
  const std::string temp_path = dir + "/." + name + ".part";
  *out = Uploaded{};
  out->remote_path = remote_dir + "/" + name;
  if (sftp_attributes a = sftp_stat(r.sftp, final_path.c_str())) {
    sftp_attributes_free(a);
    out->already_present = true;
    return Status::OK();
  }
  if (!ssh_is_connected(r.ssh)) return r.SftpError("stat " + out->remote_path);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(local.c_str(), "rb"), &std::fclose);
  if (!in) return Status::IOError(local.string(), "cannot open");
  sftp_file f = sftp_open(r.sftp, temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, S_IRUSR | S_IWUSR);
  if (f == nullptr) return r.SftpError("create " + remote_dir + "/." + name + ".part");
  // Writes of 32 KiB: below the packet limit of every SFTP server.
  char buf[32768];
  size_t got;
  Status st;
  while ((got = std::fread(buf, 1, sizeof buf, in.get())) > 0) {
    ssize_t w = sftp_write(f, buf, got);
    if (w < 0 || static_cast<size_t>(w) != got) {
      st = r.SftpError("write " + out->remote_path);
      break;
    }
    out->bytes += static_cast<int64_t>(got);
  }
  if (st.ok() && std::ferror(in.get())) st = Status::IOError(local.string(), "read failed");
  // fsync@openssh.com where the server has it, so the rename publishes bytes that are on disk.
  if (st.ok() && sftp_extension_supported(r.sftp, "fsync@openssh.com", "1") && sftp_fsync(f) != 0) {
    st = r.SftpError("flush " + out->remote_path);
  }
  if (sftp_close(f) != SSH_NO_ERROR && st.ok()) st = r.SftpError("close " + out->remote_path);
  if (!st.ok()) return st;
  // OpenSSH's rename links then unlinks, so it fails instead of replacing a file that appeared meanwhile.
  if (sftp_rename(r.sftp, temp_path.c_str(), final_path.c_str()) != 0) return r.SftpError("rename to " + out->remote_path);
  return Status::OK();
}

Result<std::vector<RemoteFile>> Session::List(const std::string& remote_dir) {
  Rep& r = *rep_;
  const std::string dir = r.endpoint.remote_prefix + remote_dir;
  sftp_dir d = sftp_opendir(r.sftp, dir.c_str());
  if (d == nullptr) return r.SftpError("list " + remote_dir);
  std::vector<RemoteFile> files;
  while (sftp_attributes a = sftp_readdir(r.sftp, d)) {
    if (a->type == SSH_FILEXFER_TYPE_REGULAR && a->name != nullptr && a->name[0] != '.') {
      files.push_back(RemoteFile{a->name, static_cast<int64_t>(a->size)});
    }
    sftp_attributes_free(a);
  }
  const bool eof = sftp_dir_eof(d) == 1;
  sftp_closedir(d);
  if (!eof) return r.SftpError("list " + remote_dir);
  std::sort(files.begin(), files.end(), [](const RemoteFile& a, const RemoteFile& b) { return a.name < b.name; });
  return files;
}

Status Session::Download(const std::string& remote_dir, const std::string& name, const fs::path& local) {
  Rep& r = *rep_;
  const std::string remote = r.endpoint.remote_prefix + remote_dir + "/" + name;
  sftp_file f = sftp_open(r.sftp, remote.c_str(), O_RDONLY, 0);
  if (f == nullptr) return r.SftpError("open " + remote_dir + "/" + name);
  const fs::path temp = local.string() + ".part";
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> outf(std::fopen(temp.c_str(), "wb"), &std::fclose);
  if (!outf) {
    sftp_close(f);
    return Status::IOError(temp.string(), "cannot create");
  }
  char buf[32768];
  Status st;
  for (;;) {
    ssize_t n = sftp_read(f, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      st = r.SftpError("read " + remote_dir + "/" + name);
      break;
    }
    if (std::fwrite(buf, 1, static_cast<size_t>(n), outf.get()) != static_cast<size_t>(n)) {
      st = Status::IOError(temp.string(), "write failed (disk full?)");
      break;
    }
  }
  sftp_close(f);
  if (st.ok() && (std::fflush(outf.get()) != 0 || ::fsync(fileno(outf.get())) != 0)) {
    st = Status::IOError(temp.string(), "flush failed");
  }
  outf.reset();
  std::error_code ec;
  if (st.ok()) {
    fs::rename(temp, local, ec);
    if (ec) st = Status::IOError(local.string(), ec.message());
  }
  if (!st.ok()) fs::remove(temp, ec);
  return st;
}

}  // namespace caisson::transmit
