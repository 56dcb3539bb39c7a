// config: reads caisson.toml (cli.md "caisson.toml").
//
// Paths in the file are relative to the folder of caisson.toml and are returned absolute. Unknown keys, a bad
// Group, max_file_bytes above 7 GB, an unknown transformer or compressor, or a [rules] entry that is not
// "hold", "report" or "off" are InvalidArgument naming the file, line and key. Whether a profile exists, and
// whether a [rules] id is a policy rule, are checked by the callers that know (spec, validate).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"

namespace caisson::config {

// One CAT environment of [environments.<name>] (issue #10; CAIS Onboarding Guide §3.1, §4). No secret is ever
// read from caisson.toml: the credential is a key file, a password file, or an environment variable.
struct Environment {
  std::string name;            // "test" | "prodmirror" | "production"
  std::string cais_host;       // CAIS Data host [§5.3.1, Table 13]
  std::string tid_host;        // Transformed Identifiers host [Table 14]
  // The Feedback SFTP server [§6.1.1]; "" = cat/cais/{feedback,reports} on cais_host, cat/tid/feedback on tid_host.
  std::string feedback_host;
  int port = 22;
  // Per-host ports; 0 = `port`.
  int cais_port = 0, tid_port = 0, feedback_port = 0;
  std::string user;            // the SFTP account of this environment
  std::filesystem::path key_file;       // absolute; "" = not this source
  std::filesystem::path password_file;  // absolute; "" = not this source
  std::string password_env;             // variable name; "" = not this source
  std::filesystem::path known_hosts;    // absolute; required: the pinned host keys
  bool certified = false;      // the firm completed production-readiness certification (guide §7)
  std::string remote_root;     // prefix of the CAT folders on the hosts; Default: "" (they are absolute)
  std::filesystem::path inbox; // where `feedback fetch` puts files; Default: feedback/<name> beside caisson.toml
};

// The secret of an environment: the password (password_file or password_env), or "" for a key file. Refuses a
// key or password file readable by group or others (InvalidArgument naming the chmod that fixes it), a missing
// file (NotFound) and an unset or empty variable (InvalidArgument).
Result<std::string> LoadSecret(const Environment& env);

struct Config {
  std::filesystem::path path;        // the caisson.toml read ("" when defaults only)
  int64_t cat_reporter_crd = -1;     // [firm]; -1 = not set
  int64_t cat_submitter_id = -1;
  std::string profile = "cais-2.2.0r4";  // [spec] profile
  std::string as_of;                 // [spec] as_of, "YYYY-MM-DD" or "" = today in America/New_York
  std::string transformer = "cat-sha256";  // [tid] transformer: "cat-sha256" | "command"
  std::vector<std::string> command;  // [tid] command (argv), only with transformer = "command"
  std::string group;                 // [output] group, "" = none
  int64_t max_file_bytes = 1000000000;  // [output] max_file_bytes
  bool portal = false;               // [output] portal
  // [output] compressor: "lbzip2" (default; the lbzip2 program, parallel) | "libbz2" (in-process, one core).
  std::string compressor = "lbzip2";
  // [state] path (absolute). Parse defaults it to caisson.db next to caisson.toml (cli.md, issue #7); empty
  // only in a default-constructed Config (no caisson.toml), where callers use ./caisson.db.
  std::filesystem::path state_path;
  // [state] enforce_refresh: resend FDIDs due for the 12-month refresh in `build --delta`, and make an overdue
  // one fail `status` (exit 1). Default false: the refresh compliance date is postponed [§3.8].
  bool enforce_refresh = false;
  std::map<std::string, std::string> rules;  // [rules] "<rule id>" = "hold" | "report" | "off"
  // [environments.test|prodmirror|production]. An account (user on a host) of production may not also be
  // configured for test or prodmirror: CAT gives Production its own SFTP account (guide §4.1, §4.4).
  std::map<std::string, Environment> environments;
};

// Parses TOML text; `origin` names the file in messages.
Result<Config> Parse(std::string_view text, const std::filesystem::path& origin);

// Reads and parses a file. NotFound when it does not exist.
Result<Config> Load(const std::filesystem::path& path);

// True when `group` may be a file-name Group: 1 to 20 letters or digits, and not "caisweb" in any case
// [Table 10].
bool IsValidGroup(std::string_view group);

// Today's date in America/New_York as YYYYMMDD.
int32_t TodayNewYork();

// Parses "YYYY-MM-DD" or "YYYYMMDD" into YYYYMMDD if it is a real calendar date; -1 otherwise.
int32_t ParseDate(std::string_view text);

}  // namespace caisson::config
