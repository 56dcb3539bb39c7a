// Retries with exponential backoff, the remote folders of Tables 13 and 14, and the SHA-256 of a file.
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "transmit/transmit.h"

namespace caisson::transmit {

namespace fs = std::filesystem;

namespace {

void Wait(const Options& options, int retry) {
  const std::chrono::milliseconds d = options.backoff * (int64_t{1} << std::min(retry - 1, 16));
  if (options.sleep) {
    options.sleep(d);
  } else {
    std::this_thread::sleep_for(d);
  }
}

// Runs `op` on a fresh session per attempt until it succeeds, fails with something other than a connection
// fault, or the attempts are spent. *attempts is set to the attempts made.
Status WithRetry(const Endpoint& endpoint, const Options& options, int* attempts,
                 const std::function<Status(Session&)>& op) {
  const int max = std::max(1, options.attempts);
  Status last;
  for (int a = 1; a <= max; ++a) {
    if (a > 1) Wait(options, a - 1);
    *attempts = a;
    Result<std::unique_ptr<Session>> s = Session::Open(endpoint, options);
    last = s.ok() ? op(**s) : s.status();
    if (last.ok() || !IsConnectionFault(last)) return last;
  }
  return Status::IOError(last.message(), fmt::format("gave up after {} attempt(s)", max));
}

}  // namespace

Status UploadWithRetry(const Endpoint& endpoint, const Options& options, const fs::path& local,
                       const std::string& remote_dir, const std::string& name, Uploaded* out) {
  int attempts = 0;
  Status s = WithRetry(endpoint, options, &attempts,
                       [&](Session& session) { return session.Upload(local, remote_dir, name, out); });
  out->attempts = attempts;
  return s;
}

Status Probe(const Endpoint& endpoint, const Options& options) {
  int attempts = 0;
  return WithRetry(endpoint, options, &attempts, [](Session&) { return Status::OK(); });
}

Status FetchNew(const Endpoint& endpoint, const Options& options, const std::string& remote_dir,
                const fs::path& inbox, std::vector<std::string>* fetched) {
  std::error_code ec;
  fs::create_directories(inbox, ec);
  if (ec) return Status::IOError(inbox.string(), ec.message());
  int attempts = 0;
  return WithRetry(endpoint, options, &attempts, [&](Session& session) -> Status {
    Result<std::vector<RemoteFile>> files = session.List(remote_dir);
    if (!files.ok()) return files.status();
    for (const RemoteFile& f : *files) {
      std::error_code e;
      // A name with a slash cannot come from a listing, but a hostile server is not trusted with local paths.
      if (f.name.find('/') != std::string::npos || f.name == "..") continue;
      if (fs::exists(inbox / f.name, e)) continue;
      CAISSON_RETURN_IF_ERROR(session.Download(remote_dir, f.name, inbox / f.name));
      fetched->push_back(f.name);
    }
    return Status::OK();
  });
}

std::string CaisUploadDir(int64_t id) { return fmt::format("/{}/cat/cais/upload", id); }
std::string TidUploadDir(int64_t id) { return fmt::format("/{}/cat/tid/upload", id); }
std::string CaisFeedbackDir(int64_t id) { return fmt::format("/{}/cat/cais/feedback", id); }
std::string TidFeedbackDir(int64_t id) { return fmt::format("/{}/cat/tid/feedback", id); }
std::string CaisReportsDir(int64_t id) { return fmt::format("/{}/cat/cais/reports", id); }

Result<std::string> FileSha256(const fs::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Status::IOError(path.string(), "cannot open");
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  char buf[65536];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) EVP_DigestUpdate(ctx.get(), buf, got);
  if (std::ferror(f.get())) return Status::IOError(path.string(), "read failed");
  unsigned char md[32];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  std::string hex;
  for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

}  // namespace caisson::transmit
