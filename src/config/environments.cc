// [environments.*] of caisson.toml (issue #10) and the credential sources. toml++ nodes are read here; secrets
// are read only by LoadSecret, at the moment a connection needs them.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>

#include <fmt/format.h>

#include "config/config.h"
#include "config/internal.h"

namespace caisson::config {

namespace {

bool IsHostName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
          c == ':')) {
      return false;
    }
  }
  return true;
}

Status ReadOneEnvironment(const Reader& r, const std::string& name, const toml::table& t,
                          const std::filesystem::path& base, const toml::source_region& where, Environment* e) {
  e->name = name;
  int sources = 0;
  const std::string prefix = "environments." + name + ".";
  for (auto&& [k, v] : t) {
    const std::string key = prefix + std::string(k.str());
    std::string text;
    if (k == "cais_host" || k == "tid_host" || k == "feedback_host") {
      CAISSON_RETURN_IF_ERROR(r.String(v, key, &text));
      if (!IsHostName(text)) return r.Error(v.source(), key, "must be a host name or address");
      (k == "cais_host" ? e->cais_host : k == "tid_host" ? e->tid_host : e->feedback_host) = text;
    } else if (k == "port" || k == "cais_port" || k == "tid_port" || k == "feedback_port") {
      int64_t port = 0;
      CAISSON_RETURN_IF_ERROR(r.Integer(v, key, 1, 65535, &port));
      (k == "port" ? e->port : k == "cais_port" ? e->cais_port : k == "tid_port" ? e->tid_port : e->feedback_port) =
          static_cast<int>(port);
    } else if (k == "user") {
      CAISSON_RETURN_IF_ERROR(r.String(v, key, &e->user));
      if (e->user.empty()) return r.Error(v.source(), key, "must not be empty");
    } else if (k == "key_file" || k == "password_file" || k == "known_hosts" || k == "inbox") {
      CAISSON_RETURN_IF_ERROR(r.String(v, key, &text));
      if (text.empty()) return r.Error(v.source(), key, "must not be empty");
      const std::filesystem::path p = (base / text).lexically_normal();
      if (k == "key_file") {
        e->key_file = p;
        ++sources;
      } else if (k == "password_file") {
        e->password_file = p;
        ++sources;
      } else if (k == "known_hosts") {
        e->known_hosts = p;
      } else {
        e->inbox = p;
      }
    } else if (k == "password_env") {
      CAISSON_RETURN_IF_ERROR(r.String(v, key, &e->password_env));
      if (e->password_env.empty()) return r.Error(v.source(), key, "must not be empty");
      ++sources;
    } else if (k == "certified") {
      const toml::value<bool>* b = v.as_boolean();
      if (!b) return r.Error(v.source(), key, "must be true or false");
      e->certified = b->get();
    } else if (k == "remote_root") {
      CAISSON_RETURN_IF_ERROR(r.String(v, key, &e->remote_root));
    } else if (k == "password" || k == "passphrase" || k == "secret" || k == "private_key") {
      return r.Error(k.source(), key,
                     "a secret never goes in caisson.toml: use key_file, password_file (mode 0600) or password_env");
    } else {
      return r.Error(k.source(), key, "unknown key");
    }
  }
  for (const char* required : {"cais_host", "tid_host", "user", "known_hosts"}) {
    if (!t.contains(required)) return r.Error(where, prefix + required, "is required");
  }
  if (sources != 1) {
    return r.Error(where, "environments." + name,
                   "needs exactly one credential source: key_file, password_file or password_env");
  }
  for (int* p : {&e->cais_port, &e->tid_port, &e->feedback_port}) {
    if (*p == 0) *p = e->port;
  }
  if (e->inbox.empty()) e->inbox = (base / "feedback" / name).lexically_normal();
  return Status::OK();
}

}  // namespace

Status ReadEnvironments(const Reader& r, const toml::table& t, const std::filesystem::path& base, Config* c) {
  for (auto&& [k, v] : t) {
    const std::string name(k.str());
    if (name != "test" && name != "prodmirror" && name != "production") {
      return r.Error(k.source(), "environments." + name, "unknown environment: test, prodmirror or production");
    }
    const toml::table* env = v.as_table();
    if (!env) return r.Error(v.source(), "environments." + name, "must be a table");
    CAISSON_RETURN_IF_ERROR(ReadOneEnvironment(r, name, *env, base, k.source(), &c->environments[name]));
  }
  // Test and Prod Mirror share one account; Production has its own, and one account never serves both
  // (guide §4.1, §4.4). Same user name on a host both use is the same account.
  auto prod = c->environments.find("production");
  if (prod != c->environments.end()) {
    const Environment& p = prod->second;
    const std::set<std::string> prod_hosts = {p.cais_host, p.tid_host, p.feedback_host};
    for (const auto& [name, e] : c->environments) {
      if (name == "production" || e.user != p.user) continue;
      for (const std::string& h : {e.cais_host, e.tid_host, e.feedback_host}) {
        if (!h.empty() && prod_hosts.count(h)) {
          return r.Error(t.source(), "environments." + name,
                         fmt::format("user '{}' on host {} is also the production account: CAT gives Production "
                                     "its own SFTP account, never shared with test or prodmirror",
                                     e.user, h));
        }
      }
      if (!p.key_file.empty() && p.key_file == e.key_file) {
        return r.Error(t.source(), "environments." + name, "shares its key_file with production");
      }
    }
  }
  return Status::OK();
}

namespace {

// A credential must be readable by its owner only (as OpenSSH demands of private keys).
Status CheckPrivate(const std::filesystem::path& p, const std::string& env) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) {
    return Status::NotFound(p.string(), fmt::format("credential file of environment {} not found", env));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Status::InvalidArgument(
        p.string(), fmt::format("credential file of environment {} is accessible by group or others (mode {:04o}); "
                                "run: chmod 600 '{}'",
                                env, st.st_mode & 07777, p.string()));
  }
  return Status::OK();
}

}  // namespace

Result<std::string> LoadSecret(const Environment& env) {
  if (!env.key_file.empty()) {
    CAISSON_RETURN_IF_ERROR(CheckPrivate(env.key_file, env.name));
    return std::string();
  }
  if (!env.password_file.empty()) {
    CAISSON_RETURN_IF_ERROR(CheckPrivate(env.password_file, env.name));
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(env.password_file.c_str(), "rb"), &std::fclose);
    if (!f) return Status::IOError(env.password_file.string(), "cannot open");
    std::string pw;
    char buf[512];
    size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) pw.append(buf, got);
    while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r')) pw.pop_back();
    if (pw.empty()) return Status::InvalidArgument(env.password_file.string(), "the password file is empty");
    return pw;
  }
  const char* v = env.password_env.empty() ? nullptr : std::getenv(env.password_env.c_str());
  if (v == nullptr || *v == '\0') {
    return Status::InvalidArgument("environments." + env.name,
                                   fmt::format("password_env: ${} is not set", env.password_env));
  }
  return std::string(v);
}

}  // namespace caisson::config
