// org: the firm's CAT set-up and who may act on it (issue #10; CAIS Onboarding Guide §3-§5).
//
// Kept in the state store (schema 6): the firm's role (self-reporting, clearing firm, CAT Reporting Agent),
// the Industry Members an agent reports for, CAIS reporting relationships per environment with their dates
// (never ported between environments, guide §5), SFTP accounts per environment with their entitlement (guide
// §4.3), and Caisson's own users with roles that mirror CAT's (guide §3.2). Every change is one transaction
// with its audit event. Used by one thread at a time, like the Store.
//
// Authorisation: a store with no Caisson user recorded runs in single-user mode (everything allowed, as
// before issue #10); the first user added must be an administrator, and from then on Authorize applies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "state/state.h"

namespace caisson::org {

enum class Env { kTest, kProdMirror, kProduction };
// "test" | "prodmirror" | "production"; InvalidArgument otherwise.
Result<Env> ParseEnv(std::string_view name);
std::string_view EnvName(Env env);

// Caisson's user roles, mirroring CAT's entitlements (guide §3.2).
enum class Role {
  kReporter,       // "reporter": create, transmit, repair; manage relationships (Reporter User)
  kReadOnly,       // "read-only": read everything, change nothing (Reporter Read-Only User)
  kProduction,     // "production": the above also in Production (Reporter Production User)
  kAdministrator,  // "administrator": grants and revokes roles (CAT Account Administrator)
};
Result<Role> ParseRole(std::string_view name);
std::string_view RoleName(Role role);

// "self-reporting" | "clearing" | "agent".
Status CheckFirmRole(std::string_view role);

enum class Action {
  kRead,                 // status, show, lists
  kWrite,                // submit, feedback fetch/ingest, repair: anything that sends or changes CAIS data
  kManageRelationships,  // members, relationships, SFTP accounts, the firm's role
  kAdminister,           // users and roles
};

// The acting user: $CAISSON_USER, else $USER, else "unknown".
std::string ActingUser();

// OK when `user` may do `action` in `env` (for kAdminister the env is ignored). Otherwise InvalidArgument
// naming the user, the action, the environment and the role that is missing.
Status Authorize(const state::Store& store, std::string_view user, Action action, Env env);

// The changes. Each checks Authorize for `actor` first, validates, then writes the rows and an audit event
// "org" in one transaction. InvalidArgument for a bad value.
Status SetFirmRole(state::Store* store, std::string_view actor, std::string_view role);
// crd > 0; name not empty; correspondents are CRDs. `books_config` (absolute, or "") is the member's own
// caisson.toml: feedback about the member's files is ingested into the store it names.
Status AddMember(state::Store* store, std::string_view actor, int64_t crd, std::string_view name,
                 const std::vector<int64_t>& correspondents, std::string_view books_config = {});
// REQUIRES: the member was added. Dates YYYYMMDD; end 0 = open, else >= start.
Status AddRelationship(state::Store* store, std::string_view actor, Env env, int64_t member_crd,
                       int32_t start_date, int32_t end_date);
// entitlement "sftp-user" | "sftp-read-only"; `production` (Reporter Production User) only for Production.
Status AddSftpAccount(state::Store* store, std::string_view actor, Env env, std::string_view user,
                      std::string_view entitlement, bool production);
// add_user: `user` must not hold a role yet; otherwise it must (a grant). The first user of a store must be
// given kAdministrator.
Status Grant(state::Store* store, std::string_view actor, std::string_view user, Role role, bool add_user);
Status Revoke(state::Store* store, std::string_view actor, std::string_view user, Role role);

// True when the firm may submit for `member_crd` in `env` on `date` (YYYYMMDD): the member is the firm itself
// (`firm_crd`), or a relationship in that environment covers the date.
Result<bool> HasRelationship(const state::Store& store, Env env, int64_t member_crd, int64_t firm_crd,
                             int32_t date);

// When SFTP accounts are recorded for `env`: OK only if `user` is one, with "sftp-user" when `upload`, and with
// Reporter Production User in Production. OK when none is recorded (the set-up is optional).
Status CheckSftpAccount(const state::Store& store, Env env, std::string_view user, bool upload);

}  // namespace caisson::org
