#include "org/org.h"

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>

#include "audit/audit.h"

namespace caisson::org {

namespace {

constexpr std::string_view kEnvNames[] = {"test", "prodmirror", "production"};
constexpr std::string_view kRoleNames[] = {"reporter", "read-only", "production", "administrator"};

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kRead: return "read";
    case Action::kWrite: return "send or change CAIS data";
    case Action::kManageRelationships: return "manage members, relationships and accounts";
    case Action::kAdminister: return "grant or revoke roles";
  }
  return "?";
}

Result<std::set<Role>> RolesOf(const state::Store& store, std::string_view user, int64_t* users) {
  std::set<Role> roles;
  std::set<std::string> names;
  Status s = store.ForEachOrgUserRole([&](const state::OrgUserRole& r) {
    names.insert(r.user);
    if (r.user == user) {
      Result<Role> role = ParseRole(r.role);
      if (role.ok()) roles.insert(*role);
    }
    return Status::OK();
  });
  if (!s.ok()) return s;
  *users = static_cast<int64_t>(names.size());
  return roles;
}

bool ValidDate(int32_t d) {
  const int y = d / 10000, m = d / 100 % 100, day = d % 100;
  return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

// Writes `body`'s rows and the audit event of the change in one transaction.
Status Change(state::Store* store, std::string_view actor, std::string what,
              std::map<std::string, audit::Value> payload, const std::function<Status(state::Txn&)>& body) {
  payload["change"] = std::move(what);
  return store->Write([&](state::Txn& txn) {
    CAISSON_RETURN_IF_ERROR(body(txn));
    audit::Event e;
    e.kind = "org";
    e.actor = std::string(actor);
    e.payload = payload;
    return audit::Append(txn, e);
  });
}

}  // namespace

Result<Env> ParseEnv(std::string_view name) {
  for (size_t i = 0; i < 3; ++i) {
    if (kEnvNames[i] == name) return static_cast<Env>(i);
  }
  return Status::InvalidArgument(fmt::format("environment '{}'", name), "must be test, prodmirror or production");
}
std::string_view EnvName(Env env) { return kEnvNames[static_cast<size_t>(env)]; }

Result<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < 4; ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return Status::InvalidArgument(fmt::format("role '{}'", name),
                                 "must be reporter, read-only, production or administrator");
}
std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

Status CheckFirmRole(std::string_view role) {
  if (role == "self-reporting" || role == "clearing" || role == "agent") return Status::OK();
  return Status::InvalidArgument(fmt::format("firm role '{}'", role), "must be self-reporting, clearing or agent");
}

std::string ActingUser() {
  for (const char* var : {"CAISSON_USER", "USER"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return v;
  }
  return "unknown";
}

Status Authorize(const state::Store& store, std::string_view user, Action action, Env env) {
  int64_t users = 0;
  Result<std::set<Role>> roles = RolesOf(store, user, &users);
  if (!roles.ok()) return roles.status();
  if (users == 0) return Status::OK();  // single-user mode: no Caisson user recorded yet
  const std::string who = fmt::format("user '{}'", user);
  if (roles->empty()) {
    return Status::InvalidArgument(who, "is not a Caisson user of this store (an administrator adds one with "
                                        "`caisson org add-user`)");
  }
  auto missing = [&](Role r) {
    return Status::InvalidArgument(
        who, fmt::format("may not {} in {}: the role '{}' is missing", ActionName(action), EnvName(env), RoleName(r)));
  };
  if (action == Action::kAdminister) {
    if (!roles->count(Role::kAdministrator)) {
      return Status::InvalidArgument(who, fmt::format("may not {}: the role 'administrator' is missing",
                                                      ActionName(action)));
    }
    return Status::OK();
  }
  if (action == Action::kRead) {
    if (!roles->count(Role::kReporter) && !roles->count(Role::kReadOnly) && !roles->count(Role::kAdministrator)) {
      return missing(Role::kReadOnly);
    }
  } else if (!roles->count(Role::kReporter)) {
    return missing(Role::kReporter);  // read-only users change nothing (guide §3.2)
  }
  // Production needs Reporter Production User on top (guide §3.2); administrators read everything.
  if (env == Env::kProduction && !roles->count(Role::kProduction) &&
      !(action == Action::kRead && roles->count(Role::kAdministrator))) {
    return missing(Role::kProduction);
  }
  return Status::OK();
}

Status SetFirmRole(state::Store* store, std::string_view actor, std::string_view role) {
  CAISSON_RETURN_IF_ERROR(Authorize(*store, actor, Action::kManageRelationships, Env::kTest));
  CAISSON_RETURN_IF_ERROR(CheckFirmRole(role));
  return Change(store, actor, "firm role", {{"role", std::string(role)}},
                [&](state::Txn& t) { return t.SetOrgSetting("role", role); });
}

Status AddMember(state::Store* store, std::string_view actor, int64_t crd, std::string_view name,
                 const std::vector<int64_t>& correspondents, std::string_view books_config) {
  CAISSON_RETURN_IF_ERROR(Authorize(*store, actor, Action::kManageRelationships, Env::kTest));
  if (crd <= 0) return Status::InvalidArgument(fmt::format("member CRD {}", crd), "must be a positive number");
  if (name.empty()) return Status::InvalidArgument(fmt::format("member {}", crd), "needs a name");
  std::string list;
  for (int64_t c : correspondents) {
    if (c <= 0) return Status::InvalidArgument(fmt::format("correspondent CRD {}", c), "must be a positive number");
    list += (list.empty() ? "" : ",") + std::to_string(c);
  }
  return Change(store, actor, "member",
                {{"crd", crd}, {"correspondents", list}, {"books_config", std::string(books_config)}},
                [&](state::Txn& t) {
                  return t.PutOrgMember({crd, std::string(name), list, std::string(books_config)});
                });
}

Status AddRelationship(state::Store* store, std::string_view actor, Env env, int64_t member_crd,
                       int32_t start_date, int32_t end_date) {
  CAISSON_RETURN_IF_ERROR(Authorize(*store, actor, Action::kManageRelationships, env));
  if (!ValidDate(start_date) || (end_date != 0 && !ValidDate(end_date))) {
    return Status::InvalidArgument("relationship", "dates must be YYYYMMDD");
  }
  if (end_date != 0 && end_date < start_date) {
    return Status::InvalidArgument("relationship", fmt::format("ends ({}) before it starts ({})", end_date, start_date));
  }
  bool known = false;
  CAISSON_RETURN_IF_ERROR(store->ForEachOrgMember([&](const state::OrgMember& m) {
    known = known || m.crd == member_crd;
    return Status::OK();
  }));
  if (!known) {
    return Status::InvalidArgument(fmt::format("member CRD {}", member_crd),
                                   "is not a member: add it first (caisson org add-member)");
  }
  return Change(store, actor, "relationship",
                {{"env", std::string(EnvName(env))}, {"member_crd", member_crd}, {"start", start_date},
                 {"end", end_date}},
                [&](state::Txn& t) {
                  return t.PutOrgRelationship({std::string(EnvName(env)), member_crd, start_date, end_date});
                });
}

Status AddSftpAccount(state::Store* store, std::string_view actor, Env env, std::string_view user,
                      std::string_view entitlement, bool production) {
  CAISSON_RETURN_IF_ERROR(Authorize(*store, actor, Action::kManageRelationships, env));
  if (user.empty()) return Status::InvalidArgument("SFTP account", "needs a user name");
  if (entitlement != "sftp-user" && entitlement != "sftp-read-only") {
    return Status::InvalidArgument(fmt::format("entitlement '{}'", entitlement), "must be sftp-user or sftp-read-only");
  }
  if (production && env != Env::kProduction) {
    return Status::InvalidArgument(fmt::format("SFTP account '{}'", user),
                                   "Reporter Production User applies to a production account only");
  }
  // One account never serves Production and Test/Prod Mirror (guide §4.4).
  Status clash;
  CAISSON_RETURN_IF_ERROR(store->ForEachOrgSftpAccount([&](const state::OrgSftpAccount& a) {
    const bool a_prod = a.env == "production";
    if (a.user == user && a_prod != (env == Env::kProduction)) {
      clash = Status::InvalidArgument(fmt::format("SFTP account '{}'", user),
                                      fmt::format("is already the {} account: Production and Test/Prod Mirror need "
                                                  "separate accounts",
                                                  a.env));
    }
    return Status::OK();
  }));
  CAISSON_RETURN_IF_ERROR(clash);
  return Change(store, actor, "sftp account",
                {{"env", std::string(EnvName(env))}, {"user", std::string(user)},
                 {"entitlement", std::string(entitlement)}, {"production", int64_t{production ? 1 : 0}}},
                [&](state::Txn& t) {
                  return t.PutOrgSftpAccount(
                      {std::string(EnvName(env)), std::string(user), std::string(entitlement), production});
                });
}

Status Grant(state::Store* store, std::string_view actor, std::string_view user, Role role, bool add_user) {
  if (user.empty()) return Status::InvalidArgument("user", "needs a name");
  int64_t users = 0;
  Result<std::set<Role>> roles = RolesOf(*store, user, &users);
  if (!roles.ok()) return roles.status();
  if (users == 0 && role != Role::kAdministrator) {
    return Status::InvalidArgument(fmt::format("user '{}'", user),
                                   "the first user of a store must be an administrator (--role administrator)");
  }
  CAISSON_RETURN_IF_ERROR(Authorize(*store, actor, Action::kAdminister, Env::kTest));
  if (add_user && !roles->empty()) {
    return Status::InvalidArgument(fmt::format("user '{}'", user), "already exists: use `caisson org grant`");
  }
  if (!add_user && roles->empty()) {
    return Status::InvalidArgument(fmt::format("user '{}'", user), "does not exist: use `caisson org add-user`");
  }
  return Change(store, actor, add_user ? "add user" : "grant",
                {{"user", std::string(user)}, {"role", std::string(RoleName(role))}},
                [&](state::Txn& t) { return t.PutOrgUserRole({std::string(user), std::string(RoleName(role))}); });
}

Status Revoke(state::Store* store, std::string_view actor, std::string_view user, Role role) {
  CAISSON_RETURN_IF_ERROR(Authorize(*store, actor, Action::kAdminister, Env::kTest));
  // Never leave a store whose users are all without an administrator: nobody could grant again.
  if (role == Role::kAdministrator) {
    int admins = 0;
    CAISSON_RETURN_IF_ERROR(store->ForEachOrgUserRole([&](const state::OrgUserRole& r) {
      admins += r.role == RoleName(Role::kAdministrator) && r.user != user;
      return Status::OK();
    }));
    if (admins == 0) return Status::InvalidArgument(fmt::format("user '{}'", user), "is the last administrator");
  }
  return Change(store, actor, "revoke", {{"user", std::string(user)}, {"role", std::string(RoleName(role))}},
                [&](state::Txn& t) { return t.DeleteOrgUserRole({std::string(user), std::string(RoleName(role))}); });
}

Result<bool> HasRelationship(const state::Store& store, Env env, int64_t member_crd, int64_t firm_crd,
                             int32_t date) {
  if (member_crd == firm_crd) return true;  // the firm reports for itself
  bool found = false;
  Status s = store.ForEachOrgRelationship([&](const state::OrgRelationship& r) {
    if (r.env == EnvName(env) && r.member_crd == member_crd && r.start_date <= date &&
        (r.end_date == 0 || date <= r.end_date)) {
      found = true;
    }
    return Status::OK();
  });
  if (!s.ok()) return s;
  return found;
}

Status CheckSftpAccount(const state::Store& store, Env env, std::string_view user, bool upload) {
  bool any = false;
  std::optional<state::OrgSftpAccount> mine;
  CAISSON_RETURN_IF_ERROR(store.ForEachOrgSftpAccount([&](const state::OrgSftpAccount& a) {
    if (a.env != EnvName(env)) return Status::OK();
    any = true;
    if (a.user == user) mine = a;
    return Status::OK();
  }));
  if (!any) return Status::OK();
  const std::string who = fmt::format("SFTP account '{}' in {}", user, EnvName(env));
  if (!mine) return Status::InvalidArgument(who, "is not recorded (caisson org show lists the accounts)");
  if (upload && mine->entitlement != "sftp-user") {
    return Status::InvalidArgument(who, "is SFTP Read-Only: it may fetch feedback but not upload");
  }
  if (env == Env::kProduction && !mine->production) {
    return Status::InvalidArgument(who, "lacks the Reporter Production User entitlement");
  }
  return Status::OK();
}

}  // namespace caisson::org
