// transmit: moves files to and from CAT's SFTP hosts (issue #10; §5.3.1; §6.1.1).
//
// CAIS has two SFTP hosts, one for Data Files and one for TID Files, each with the submitter's folders
// /<submitterID>/cat/cais/{upload,feedback,reports} and /<submitterID>/cat/tid/{upload,feedback} [Tables 13,
// 14]. A Session is one authenticated SFTP connection to one host. It refuses a host whose key is not pinned in
// the endpoint's known_hosts file (unknown or changed), never reads ~/.ssh, and never logs a secret.
//
// Uploads go to a hidden temporary name in the target folder and are renamed to the final name only when every
// byte is written and flushed, so an interrupted upload never leaves a file under its final name (CAIS starts
// processing when a file appears in the upload folder [§5.3.1 R1]). A base name already present remotely is
// never uploaded again [§5.1.1 R4]. A Session is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace caisson::transmit {

// Where and as whom to connect. The secret is given as a key file or a password read by the caller from its
// source; it lives only in this struct and libssh's memory, never in a message.
struct Endpoint {
  std::string env;                      // environment name, for messages ("test", "production", ...)
  std::string host;                     // REQUIRES: not empty
  int port = 22;
  std::string user;                     // REQUIRES: not empty
  std::filesystem::path key_file;       // private key; "" = use `password`
  std::string password;                 // used when key_file is ""
  std::filesystem::path known_hosts;    // REQUIRES: exists; the only source of trusted host keys
  // Prefix of every remote path ("" on CAT: the submitter's folders are absolute in its home [Table 13]).
  std::string remote_prefix;
};

struct Options {
  int connect_timeout_seconds = 20;  // Default: 20
  // Attempts per operation on connection faults (refused, reset, timed out). Authentication, host-key,
  // permission and disk-full errors are never retried. Default: 4.
  int attempts = 4;
  // Wait before retry k (1-based) is backoff * 2^(k-1). Default: 2 s.
  std::chrono::milliseconds backoff{2000};
  // How to wait; default std::this_thread::sleep_for. Tests inject a recorder.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// What an upload did.
struct Uploaded {
  std::string remote_path;    // final remote path
  int64_t bytes = 0;
  std::string sha256;         // lowercase hex of the local file's bytes, as sent
  int attempts = 0;           // connection attempts it took (1 = first time)
  bool already_present = false;  // the final name existed remotely: nothing was sent
};

struct RemoteFile {
  std::string name;
  int64_t size = 0;
};

// A fault is kIOError with "connection" in its message when a retry may help; InvalidArgument for refused
// credentials or host key; IOError otherwise (permission, disk full, no such folder). Every message names the
// environment, host and port.
class Session {
 public:
  // Connects, checks the host key against endpoint.known_hosts and authenticates; no retry.
  static Result<std::unique_ptr<Session>> Open(const Endpoint& endpoint, const Options& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Uploads `local` as `remote_dir`/`name` through the temporary name `remote_dir`/.`name`.part (overwritten
  // if an earlier run left it). If `remote_dir`/`name` exists, sends nothing and sets already_present.
  Status Upload(const std::filesystem::path& local, const std::string& remote_dir, const std::string& name,
                Uploaded* out);
  // The regular files of `remote_dir` (hidden names skipped), sorted by name. NotFound if it does not exist.
  Result<std::vector<RemoteFile>> List(const std::string& remote_dir);
  // Downloads `remote_dir`/`name` to `local` through `local`.part, then renames; `local` is never partial.
  Status Download(const std::string& remote_dir, const std::string& name, const std::filesystem::path& local);

  struct Rep;

 private:
  explicit Session(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// True when `s` is a connection fault that a new connection may cure.
bool IsConnectionFault(const Status& s);

// Opens a session and uploads, retrying with exponential backoff on connection faults: each attempt opens a
// fresh session, so an upload cut mid-way restarts from byte 0 under the temporary name. `out->attempts` says
// how many it took.
Status UploadWithRetry(const Endpoint& endpoint, const Options& options, const std::filesystem::path& local,
                       const std::string& remote_dir, const std::string& name, Uploaded* out);

// Connects and authenticates (with retries as above), then disconnects: a preflight, so a run that cannot
// reach both hosts sends nothing.
Status Probe(const Endpoint& endpoint, const Options& options);

// Downloads every file of `remote_dir` that `inbox` lacks, with retries as above. Appends the names fetched
// to *fetched. Files already in `inbox` are skipped, so a re-run fetches only what is new.
Status FetchNew(const Endpoint& endpoint, const Options& options, const std::string& remote_dir,
                const std::filesystem::path& inbox, std::vector<std::string>* fetched);

// A Data File and its TID File, whose base names differ only in the File Kind [§5.1.1 R5].
struct FilePair {
  std::filesystem::path cais, tids;
  std::string cais_base, tids_base;  // base names, without .json.bz2 [§5.1.1 R4]
};
struct MemberFiles {
  int64_t crd = 0;                    // the CAT Reporter CRD of the names
  std::vector<FilePair> pairs;        // in name order
  std::vector<std::string> problems;  // a file without its partner, or with another Submitter ID [§6.2 R7]
};
// The *_CAIS_* / *_TIDS_* .json.bz2 files under `dir` (any depth; partners must share a folder), by member
// CRD. Other files are ignored. NotFound when `dir` is not a folder.
Result<std::map<int64_t, MemberFiles>> FindPairs(const std::filesystem::path& dir, int64_t submitter_id);

// The CAT folders of a submitter [Tables 13, 14].
std::string CaisUploadDir(int64_t submitter_id);    // /<id>/cat/cais/upload
std::string TidUploadDir(int64_t submitter_id);     // /<id>/cat/tid/upload
std::string CaisFeedbackDir(int64_t submitter_id);  // /<id>/cat/cais/feedback
std::string TidFeedbackDir(int64_t submitter_id);   // /<id>/cat/tid/feedback
std::string CaisReportsDir(int64_t submitter_id);   // /<id>/cat/cais/reports

// Lowercase hex SHA-256 of a local file; IOError if unreadable.
Result<std::string> FileSha256(const std::filesystem::path& path);

}  // namespace caisson::transmit
