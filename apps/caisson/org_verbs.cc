// `caisson org`: the firm's CAT set-up in the state store (docs/transmit.md; issue #10).
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "commands.h"
#include "config/config.h"
#include "org/org.h"
#include "setup.h"
#include "state_use.h"

namespace caisson::app {

namespace {

Result<int32_t> Date(const std::string& text, const char* flag) {
  if (text.empty()) return 0;
  int32_t d = config::ParseDate(text);
  if (d < 0) return Status::InvalidArgument(flag, fmt::format("'{}' is not a date YYYY-MM-DD", text));
  return d;
}

Status Show(const state::Store& store, const config::Config& config, bool json) {
  std::string out;
  Result<std::string> role = store.GetOrgSetting("role");
  if (!role.ok()) return role.status();
  std::string text = fmt::format("firm: CRD {}, CAT Submitter ID {}, role {}\n", config.cat_reporter_crd,
                                 config.cat_submitter_id, role->empty() ? "(not set)" : *role);
  std::string q;
  AppendJsonString(*role, &q);
  out = fmt::format("{{\"firm\": {{\"crd\": {}, \"submitter_id\": {}, \"role\": {}}}, \"members\": [",
                    config.cat_reporter_crd, config.cat_submitter_id, q);
  bool first = true;
  CAISSON_RETURN_IF_ERROR(store.ForEachOrgMember([&](const state::OrgMember& m) {
    std::string name;
    AppendJsonString(m.name, &name);
    std::string books;
    AppendJsonString(m.books_config, &books);
    out += fmt::format("{}{{\"crd\": {}, \"name\": {}, \"correspondents\": \"{}\", \"books_config\": {}}}",
                       first ? "" : ", ", m.crd, name, m.correspondent_crds, books);
    text += fmt::format("member {} {}{}{}\n", m.crd, m.name,
                        m.correspondent_crds.empty() ? "" : " (correspondents " + m.correspondent_crds + ")",
                        m.books_config.empty() ? "" : " books " + m.books_config);
    first = false;
    return Status::OK();
  }));
  out += "], \"relationships\": [";
  first = true;
  CAISSON_RETURN_IF_ERROR(store.ForEachOrgRelationship([&](const state::OrgRelationship& r) {
    out += fmt::format("{}{{\"env\": \"{}\", \"member\": {}, \"start\": {}, \"end\": {}}}", first ? "" : ", ", r.env,
                       r.member_crd, r.start_date, r.end_date);
    text += fmt::format("relationship {} member {} from {} {}\n", r.env, r.member_crd, r.start_date,
                        r.end_date == 0 ? "(open)" : fmt::format("to {}", r.end_date));
    first = false;
    return Status::OK();
  }));
  out += "], \"sftp_accounts\": [";
  first = true;
  CAISSON_RETURN_IF_ERROR(store.ForEachOrgSftpAccount([&](const state::OrgSftpAccount& a) {
    std::string user;
    AppendJsonString(a.user, &user);
    out += fmt::format("{}{{\"env\": \"{}\", \"user\": {}, \"entitlement\": \"{}\", \"production\": {}}}",
                       first ? "" : ", ", a.env, user, a.entitlement, a.production ? "true" : "false");
    text += fmt::format("sftp account {} {} {}{}\n", a.env, a.user, a.entitlement,
                        a.production ? " + reporter production user" : "");
    first = false;
    return Status::OK();
  }));
  out += "], \"users\": [";
  first = true;
  CAISSON_RETURN_IF_ERROR(store.ForEachOrgUserRole([&](const state::OrgUserRole& r) {
    std::string user;
    AppendJsonString(r.user, &user);
    out += fmt::format("{}{{\"user\": {}, \"role\": \"{}\"}}", first ? "" : ", ", user, r.role);
    text += fmt::format("user {} {}\n", r.user, r.role);
    first = false;
    return Status::OK();
  }));
  out += "]}\n";
  const std::string& doc = json ? out : text;
  std::fwrite(doc.data(), 1, doc.size(), json ? stdout : stderr);
  return Status::OK();
}

}  // namespace

int RunOrg(const Common& common, const OrgArgs& args) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  Result<std::unique_ptr<state::Store>> opened = OpenStore(setup->config, true);
  if (!opened.ok()) return Fail(opened.status());
  state::Store* store = opened->get();
  const std::string actor = org::ActingUser();
  Status s;
  if (args.verb == "show") {
    s = org::Authorize(*store, actor, org::Action::kRead, org::Env::kTest);
    if (s.ok()) s = Show(*store, setup->config, common.json);
    return s.ok() ? 0 : Fail(s);
  }
  if (args.verb == "set-firm") {
    s = org::SetFirmRole(store, actor, args.role);
  } else if (args.verb == "add-member") {
    std::string books_config;
    if (!args.books_config.empty()) {
      std::error_code ec;
      books_config = std::filesystem::absolute(args.books_config, ec).lexically_normal().string();
      if (!std::filesystem::exists(books_config, ec)) {
        return Fail(Status::NotFound(books_config, "--books-config: no such file"));
      }
    }
    s = org::AddMember(store, actor, args.crd, args.name, args.correspondents, books_config);
  } else if (args.verb == "add-relationship" || args.verb == "add-account") {
    Result<org::Env> env = org::ParseEnv(args.env);
    if (!env.ok()) return Fail(env.status());
    if (args.verb == "add-account") {
      s = org::AddSftpAccount(store, actor, *env, args.user, args.entitlement, args.production);
    } else {
      Result<int32_t> start = Date(args.start, "--start");
      Result<int32_t> end = Date(args.end, "--end");
      if (!start.ok()) return Fail(start.status());
      if (!end.ok()) return Fail(end.status());
      s = org::AddRelationship(store, actor, *env, args.crd, *start == 0 ? setup->today : *start, *end);
    }
  } else {
    Result<org::Role> role = org::ParseRole(args.role);
    if (!role.ok()) return Fail(role.status());
    if (args.verb == "revoke") {
      s = org::Revoke(store, actor, args.user, *role);
    } else {
      s = org::Grant(store, actor, args.user, *role, args.verb == "add-user");
    }
  }
  if (!s.ok()) return Fail(s);
  std::fprintf(stderr, "caisson org %s: recorded (audit trail: kind org, actor %s)\n", args.verb.c_str(), actor.c_str());
  return 0;
}

}  // namespace caisson::app
