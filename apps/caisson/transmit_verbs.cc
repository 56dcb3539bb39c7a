// `caisson submit` and `caisson feedback fetch` (docs/transmit.md; issue #10; §5.3.1; §6.1.1).
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "audit/audit.h"
#include "check/check.h"
#include "commands.h"
#include "org/org.h"
#include "setup.h"
#include "state_use.h"
#include "transmit/transmit.h"

namespace caisson::app {

namespace {

namespace fs = std::filesystem;

// Uploads one file and records it (upload row + audit event, one transaction) [§5.1.1 R4: sent once].
Status SendOne(state::Store* store, const transmit::Endpoint& ep, const transmit::Options& options,
               const fs::path& local, const std::string& remote_dir, const std::string& base, const std::string& actor) {
  transmit::Uploaded up;
  CAISSON_RETURN_IF_ERROR(transmit::UploadWithRetry(ep, options, local, remote_dir, local.filename().string(), &up));
  Result<std::string> sha = transmit::FileSha256(local);
  if (!sha.ok()) return sha.status();
  std::error_code ec;
  state::Upload u;
  u.env = ep.env;
  u.host = fmt::format("{}:{}", ep.host, ep.port);
  u.remote_path = up.remote_path;
  u.base_name = base;
  u.bytes = static_cast<int64_t>(fs::file_size(local, ec));
  u.sha256 = *sha;
  u.actor = actor;
  // Present remotely but not recorded: an earlier run sent it and stopped before recording. CAIS has it.
  std::fprintf(stderr, "  %s %s to %s%s\n", up.already_present ? "found" : "sent", local.filename().string().c_str(),
               u.host.c_str(), up.already_present ? " (already there: recorded, not sent again)" : "");
  return store->Write([&](state::Txn& txn) {
    CAISSON_RETURN_IF_ERROR(txn.AddUpload(&u));
    audit::Event e;
    e.kind = "upload";
    e.actor = actor;
    e.payload = {{"env", u.env},       {"host", u.host},     {"remote_path", u.remote_path}, {"base_name", base},
                 {"bytes", u.bytes},   {"sha256", u.sha256}, {"attempts", int64_t{up.attempts}},
                 {"already_present", int64_t{up.already_present ? 1 : 0}}};
    return audit::Append(txn, e);
  });
}

// Seconds from an ISO-8601 UTC time of the store ("2026-11-20T21:15:03.042Z") to now; -1 if unreadable.
int64_t SecondsSince(const std::string& iso) {
  std::tm tm{};
  if (iso.size() < 19 || std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                                     &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const int64_t then = static_cast<int64_t>(::timegm(&tm));
  return static_cast<int64_t>(std::time(nullptr)) - then;
}

transmit::Endpoint EndpointFor(const config::Environment& env, const std::string& host, int port,
                               const std::string& secret) {
  transmit::Endpoint ep;
  ep.env = env.name;
  ep.host = host;
  ep.port = port;
  ep.user = env.user;
  ep.key_file = env.key_file;
  ep.password = secret;
  ep.known_hosts = env.known_hosts;
  ep.remote_prefix = env.remote_root;
  return ep;
}

// Retries and backoff from the environment, so the CLI tests can make them fast:
// CAISSON_SFTP_ATTEMPTS, CAISSON_SFTP_BACKOFF_MS (Defaults: transmit::Options).
transmit::Options TransmitOptions() {
  transmit::Options o;
  if (const char* a = std::getenv("CAISSON_SFTP_ATTEMPTS")) o.attempts = std::max(1, std::atoi(a));
  if (const char* b = std::getenv("CAISSON_SFTP_BACKOFF_MS")) o.backoff = std::chrono::milliseconds(std::atoi(b));
  return o;
}

struct EnvSetup {
  config::Environment env;
  org::Env id = org::Env::kTest;
  std::string secret;
};

// The environment's settings, its credential, and the refusals that hold for every member.
Result<EnvSetup> ResolveEnv(const Setup& setup, const std::string& name) {
  EnvSetup out;
  Result<org::Env> id = org::ParseEnv(name);
  if (!id.ok()) return id.status();
  out.id = *id;
  auto it = setup.config.environments.find(name);
  if (it == setup.config.environments.end()) {
    return Status::InvalidArgument(setup.config.path.string(),
                                   fmt::format("environment {} is not configured ([environments.{}])", name, name));
  }
  out.env = it->second;
  if (setup.config.cat_submitter_id < 0) {
    return Status::InvalidArgument(setup.config.path.string(), "[firm] cat_submitter_id is required to reach CAT");
  }
  Result<std::string> secret = config::LoadSecret(out.env);
  if (!secret.ok()) return secret.status();
  out.secret = std::move(secret.value());
  return out;
}

}  // namespace

int RunSubmit(const Common& common, const SubmitArgs& args) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  Result<org::Env> env_id = org::ParseEnv(args.env);
  if (!env_id.ok()) return Fail(env_id.status());
  // Production only once certified (Onboarding Guide §7; §4.2: SFTP accounts get Production after it).
  auto configured = setup->config.environments.find(args.env);
  if (*env_id == org::Env::kProduction && configured != setup->config.environments.end() &&
      !configured->second.certified) {
    return Fail(Status::InvalidArgument(
        "environment production",
        "the firm is not certified for Production: nothing sent (set certified = true in [environments.production] "
        "once CAT has granted Production access)"));
  }
  Result<EnvSetup> env = ResolveEnv(*setup, args.env);
  if (!env.ok()) return Fail(env.status());
  Result<std::unique_ptr<state::Store>> opened = OpenStore(setup->config, true);
  if (!opened.ok()) return Fail(opened.status());
  state::Store* store = opened->get();
  const std::string actor = org::ActingUser();
  if (Status s = org::Authorize(*store, actor, org::Action::kWrite, env->id); !s.ok()) return Fail(s);
  if (Status s = org::CheckSftpAccount(*store, env->id, env->env.user, true); !s.ok()) return Fail(s);

  const int64_t submitter = setup->config.cat_submitter_id;
  Result<std::map<int64_t, transmit::MemberFiles>> found = transmit::FindPairs(args.dir, submitter);
  if (!found.ok()) return Fail(found.status());
  std::vector<transmit::MemberFiles*> chosen;
  for (auto& [crd, m] : *found) {
    if (args.member >= 0 ? crd == args.member : true) chosen.push_back(&m);
  }
  if (args.member >= 0 && chosen.empty()) {
    return Fail(Status::NotFound(args.dir.string(), fmt::format("no files of member CRD {}", args.member)));
  }
  if (args.member < 0 && !args.all && chosen.size() > 1) {
    return Fail(Status::InvalidArgument(args.dir.string(),
                                        fmt::format("files of {} members: name one with --member CRD, or use --all",
                                                    chosen.size())));
  }
  if (chosen.empty()) return Fail(Status::NotFound(args.dir.string(), "no CAIS file pairs"));

  // What each member has waiting; refusals are decided before anything is sent.
  std::map<int64_t, std::string> failed;
  std::map<int64_t, int> sent_pairs, skipped_pairs;
  // Base names already sent to this environment [§5.1.1 R4].
  std::set<std::string> sent;
  for (transmit::MemberFiles* m : chosen) {
    for (const transmit::FilePair& p : m->pairs) {
      for (const std::string& base : {p.cais_base, p.tids_base}) {
        if (store->GetUpload(args.env, base).ok()) sent.insert(base);
      }
    }
  }
  const transmit::Options options = TransmitOptions();
  const config::Environment& e = env->env;
  const transmit::Endpoint cais = EndpointFor(e, e.cais_host, e.cais_port, env->secret);
  const transmit::Endpoint tid = EndpointFor(e, e.tid_host, e.tid_port, env->secret);
  std::vector<std::pair<transmit::MemberFiles*, std::vector<const transmit::FilePair*>>> ready;
  for (transmit::MemberFiles* m : chosen) {
    std::vector<const transmit::FilePair*> waiting;
    for (const transmit::FilePair& p : m->pairs) {
      if (sent.count(p.cais_base) && sent.count(p.tids_base)) {
        ++skipped_pairs[m->crd];
      } else {
        waiting.push_back(&p);
      }
    }
    auto fail = [&](std::string why) { failed[m->crd] = std::move(why); };
    if (!m->problems.empty()) {
      fail(fmt::format("nothing sent: {}", m->problems.front()));
      continue;
    }
    if (waiting.empty()) {
      if (!args.all) fail(fmt::format("already submitted to {}: nothing sent", args.env));
      continue;
    }
    // Half a pair sent more than an hour ago has been rejected by CAIS (21014 / 21514): sending the other half
    // now cannot pair; both files need new names [§5.3.1 R2-R3; §5.1.1 R6].
    std::string stale;
    for (const transmit::FilePair* p : waiting) {
      for (const std::string& base : {p->cais_base, p->tids_base}) {
        if (!sent.count(base)) continue;
        Result<state::Upload> u = store->GetUpload(args.env, base);
        if (u.ok() && SecondsSince(u->at) > 3600) {
          stale = fmt::format("{} was sent at {}, more than 60 minutes ago, without its partner: CAIS rejects it; "
                              "build the pair again under new names (nothing sent)", base, u->at);
        }
      }
    }
    if (!stale.empty()) {
      fail(stale);
      continue;
    }
    Result<bool> related = org::HasRelationship(*store, env->id, m->crd, setup->config.cat_reporter_crd, setup->today);
    if (!related.ok()) return Fail(related.status());
    if (!*related) {
      // Relationships are not ported between environments (Onboarding Guide §5).
      fail(fmt::format("no CAIS reporting relationship with member CRD {} in {} on {}: nothing sent "
                       "(caisson org add-relationship)", m->crd, args.env, setup->today));
      continue;
    }
    check::Options co;
    co.as_of = setup->as_of;
    co.today = setup->today;
    co.cat_submitter_id = submitter;
    co.cat_reporter_crd = m->crd;
    co.policy = setup->config.rules;
    co.workers = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
    std::vector<fs::path> paths;
    for (const transmit::FilePair* p : waiting) {
      paths.push_back(p->cais);
      paths.push_back(p->tids);
    }
    check::Report report;
    Status cs = check::CheckPaths(*setup->profile, paths, co, &report);
    int64_t rejects = 0;
    for (const Finding& f : report.findings) rejects += f.severity == Severity::kReject;
    if (!cs.ok() || rejects > 0) {
      fail(cs.ok() ? fmt::format("caisson check rejects {} finding(s) in its files: nothing sent (run caisson check)",
                                 rejects)
                   : cs.ToString());
      continue;
    }
    ready.emplace_back(m, std::move(waiting));
  }
  if (!ready.empty()) {
    // Both hosts must answer before the first byte goes, so an unreachable TID host never strands a Data File.
    for (const transmit::Endpoint* ep : {&cais, &tid}) {
      if (Status s = transmit::Probe(*ep, options); !s.ok()) return Fail(s);
    }
  }
  for (auto& [m, waiting] : ready) {
    // Partner files back to back, so each pair meets the 60-minute window [§5.3.1 R2-R3].
    for (const transmit::FilePair* p : waiting) {
      Status s;
      if (!sent.count(p->cais_base)) s = SendOne(store, cais, options, p->cais, transmit::CaisUploadDir(submitter), p->cais_base, actor);
      if (s.ok() && !sent.count(p->tids_base)) {
        s = SendOne(store, tid, options, p->tids, transmit::TidUploadDir(submitter), p->tids_base, actor);
        if (!s.ok()) {
          s = Status::IOError(s.message(), fmt::format("{} was sent but not its TID File: run submit again within 60 "
                                                        "minutes or CAIS rejects it [§5.3.1]", p->cais_base));
        }
      }
      if (!s.ok()) {
        failed[m->crd] = s.ToString();
        break;
      }
      ++sent_pairs[m->crd];
    }
  }
  std::string json = "{\"env\": \"" + args.env + "\", \"members\": [";
  bool first = true;
  for (const transmit::MemberFiles* m : chosen) {
    const auto f = failed.find(m->crd);
    std::string why;
    if (f != failed.end()) AppendJsonString(f->second, &why);
    json += fmt::format("{}{{\"crd\": {}, \"sent_pairs\": {}, \"already_submitted\": {}, \"error\": {}}}",
                        first ? "" : ", ", m->crd, sent_pairs[m->crd], skipped_pairs[m->crd],
                        f == failed.end() ? "null" : why);
    first = false;
    std::fprintf(stderr, "caisson submit %s: member %lld: %d pair(s) sent, %d already submitted%s%s\n",
                 args.env.c_str(), static_cast<long long>(m->crd), sent_pairs[m->crd], skipped_pairs[m->crd],
                 f == failed.end() ? "" : "; FAILED: ", f == failed.end() ? "" : f->second.c_str());
  }
  json += "]}\n";
  if (common.json) std::fwrite(json.data(), 1, json.size(), stdout);
  if (failed.empty()) return 0;
  return args.all ? 1 : 2;
}

int RunFeedbackFetch(const Common& common, const std::string& env_name, bool ingest) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  Result<EnvSetup> env = ResolveEnv(*setup, env_name);
  if (!env.ok()) return Fail(env.status());
  std::map<int64_t, std::string> member_configs;  // CRD -> the member's caisson.toml
  {
    Result<std::unique_ptr<state::Store>> store = OpenStore(setup->config, true);
    if (!store.ok()) return Fail(store.status());
    Status read = (*store)->ForEachOrgMember([&](const state::OrgMember& m) {
      if (!m.books_config.empty() && m.crd != setup->config.cat_reporter_crd) member_configs[m.crd] = m.books_config;
      return Status::OK();
    });
    if (!read.ok()) return Fail(read);
    const std::string actor = org::ActingUser();
    // Downloading only reads CAT's answers (an SFTP Read-Only User may, guide §4.3); ingesting changes the store.
    const org::Action action = ingest ? org::Action::kWrite : org::Action::kRead;
    if (Status s = org::Authorize(**store, actor, action, env->id); !s.ok()) return Fail(s);
    if (Status s = org::CheckSftpAccount(**store, env->id, env->env.user, false); !s.ok()) return Fail(s);
  }
  const int64_t submitter = setup->config.cat_submitter_id;
  const config::Environment& e = env->env;
  // [Table 13, 14; §6.1.1] Feedback SFTP server when configured, else each folder on its own host.
  const bool fb = !e.feedback_host.empty();
  struct Source {
    std::string host;
    int port;
    std::string dir, sub;
  } sources[] = {
      {fb ? e.feedback_host : e.cais_host, fb ? e.feedback_port : e.cais_port, transmit::CaisFeedbackDir(submitter), "cais"},
      {fb ? e.feedback_host : e.tid_host, fb ? e.feedback_port : e.tid_port, transmit::TidFeedbackDir(submitter), "tid"},
      {fb ? e.feedback_host : e.cais_host, fb ? e.feedback_port : e.cais_port, transmit::CaisReportsDir(submitter), "reports"},
  };
  const transmit::Options options = TransmitOptions();
  std::vector<fs::path> inboxes;
  size_t total = 0;
  for (const Source& src : sources) {
    std::vector<std::string> fetched;
    const fs::path inbox = e.inbox / src.sub;
    Status s = transmit::FetchNew(EndpointFor(e, src.host, src.port, env->secret), options, src.dir, inbox, &fetched);
    if (s.code() == Status::Code::kNotFound) {
      std::fprintf(stderr, "  %s: %s\n", src.dir.c_str(), s.ToString().c_str());  // CAT has not made it (yet)
      continue;
    }
    if (!s.ok()) return Fail(s);
    std::fprintf(stderr, "caisson feedback fetch %s: %zu new file(s) from %s:%s into %s\n", env_name.c_str(),
                 fetched.size(), src.host.c_str(), src.dir.c_str(), inbox.string().c_str());
    total += fetched.size();
    inboxes.push_back(inbox);
  }
  if (common.json && !ingest) std::fprintf(stdout, "{\"env\": \"%s\", \"fetched\": %zu}\n", env_name.c_str(), total);
  if (!ingest || inboxes.empty()) return 0;
  // The inbox keeps every file, so ingesting all of it again is how a re-run stays idempotent: feedback
  // ingest recognises what it has seen. Every feedback and report name carries the member's CRD second
  // [§6.1.2; §6.4.2; §6.5]; a member with its own caisson.toml gets its files in its own store.
  std::map<int64_t, std::vector<fs::path>> by_member;
  std::vector<fs::path> own;
  for (const fs::path& inbox : inboxes) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(inbox, ec)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || name.ends_with(".part")) continue;
      const size_t a = name.find('_'), b = a == std::string::npos ? a : name.find('_', a + 1);
      int64_t crd = -1;
      if (b != std::string::npos) {
        std::from_chars(name.data() + a + 1, name.data() + b, crd);
      }
      auto m = member_configs.find(crd);
      (m == member_configs.end() ? own : by_member[crd]).push_back(entry.path());
    }
  }
  int worst = own.empty() ? 0 : RunFeedbackIngest(common, own);
  for (const auto& [crd, files] : by_member) {
    Common member = common;
    member.config = member_configs[crd];
    std::fprintf(stderr, "caisson feedback fetch: member %lld's files into its store (%s)\n",
                 static_cast<long long>(crd), member.config.string().c_str());
    worst = std::max(worst, RunFeedbackIngest(member, files));
  }
  return worst;
}

}  // namespace caisson::app
