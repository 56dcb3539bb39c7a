// `caisson audit verify` and `caisson audit export` (cli.md; issue #7 item 7): read the audit chain of the state
// store named by caisson.toml's [state] path. Exit 0 when the chain verifies or the export is written, 1 when
// verify finds a bad event, 2 when the store cannot be used (missing, newer, corrupt, locked).
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>

#include "audit/audit.h"
#include "commands.h"
#include "config/config.h"
#include "state/state.h"

namespace caisson::app {

namespace {

// caisson.toml as the other verbs find it (--config, else ./caisson.toml, else defaults); the store is its
// [state] path, which config defaults to caisson.db beside it, or ./caisson.db without a caisson.toml.
Result<std::filesystem::path> StorePath(const Common& common) {
  std::error_code ec;
  Result<config::Config> cfg = config::Config{};
  if (!common.config.empty()) {
    cfg = config::Load(common.config);
  } else if (std::filesystem::exists("caisson.toml", ec)) {
    cfg = config::Load("caisson.toml");
  }
  if (!cfg.ok()) return cfg.status();
  if (!cfg->state_path.empty()) return cfg->state_path;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  if (ec) return Status::IOError(".", ec.message());
  return cwd / "caisson.db";
}

// Opens an existing store without checking the firm: an examiner verifies any firm's store.
Result<std::unique_ptr<state::Store>> OpenExisting(const Common& common) {
  Result<std::filesystem::path> path = StorePath(common);
  if (!path.ok()) return path.status();
  state::Options options;
  options.create_if_missing = false;
  options.caisson_version = CAISSON_VERSION;
  return state::Store::Open(*path, options);
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) continue;  // messages are ours and single-line
    out.push_back(c);
  }
  return out;
}

}  // namespace

int RunAuditVerify(const Common& common) {
  Result<std::unique_ptr<state::Store>> store = OpenExisting(common);
  if (!store.ok()) return Fail(store.status());
  Result<audit::VerifyReport> report = audit::Verify(**store);
  if (!report.ok()) return Fail(report.status());
  const audit::VerifyReport& r = *report;
  const std::string path = (*store)->path().string();
  if (common.json) {
    std::printf("{\"ok\":%s,\"events\":%lld,\"head_hash\":\"%s\",\"first_bad_seq\":%lld,\"problem\":\"%s\"}\n",
                r.ok ? "true" : "false", static_cast<long long>(r.events), r.head_hash.c_str(),
                static_cast<long long>(r.first_bad_seq), JsonEscape(r.problem).c_str());
  }
  if (r.ok) {
    std::fprintf(stderr, "caisson audit verify: %s: %lld events, chain intact, head %s\n", path.c_str(),
                 static_cast<long long>(r.events), r.head_hash.empty() ? "(none)" : r.head_hash.c_str());
    return 0;
  }
  std::fprintf(stderr, "caisson audit verify: %s: FAILED at event %lld: %s\n", path.c_str(),
               static_cast<long long>(r.first_bad_seq), r.problem.c_str());
  return 1;
}

int RunAuditExport(const Common& common, const std::filesystem::path& out) {
  Result<std::unique_ptr<state::Store>> store = OpenExisting(common);
  if (!store.ok()) return Fail(store.status());
  Status s = out.empty() ? audit::Export(**store, stdout) : audit::ExportToFile(**store, out);
  if (!s.ok()) return Fail(s);
  Result<state::AuditHead> head = (*store)->GetAuditHead();
  if (!head.ok()) return Fail(head.status());
  std::fprintf(stderr, "caisson audit export: events 1 to %lld of %s%s%s\n", static_cast<long long>(head->seq),
               (*store)->path().c_str(), out.empty() ? "" : " to ", out.empty() ? "" : out.c_str());
  return 0;
}

}  // namespace caisson::app
