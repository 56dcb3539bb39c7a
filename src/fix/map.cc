// map.toml: the reference data a FIX log cannot supply [cat-transactions.md §8.1; docs/fix.md]. toml++ throws
// toml::parse_error; it is caught here and becomes InvalidArgument naming file, line and column.
#include <fstream>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "fix/fix.h"

namespace caisson::fix {

namespace {

Status Error(std::string_view name, const toml::source_region& where, std::string_view key, std::string_view what) {
  return Status::InvalidArgument(fmt::format("{}:{}", name, where.begin.line), fmt::format("{}: {}", key, what));
}

Status GetString(std::string_view name, const toml::node& v, std::string_view key, std::string* out) {
  const toml::value<std::string>* s = v.as_string();
  if (!s) return Error(name, v.source(), key, "must be a string");
  *out = s->get();
  return Status::OK();
}

Status GetBool(std::string_view name, const toml::node& v, std::string_view key, bool* out) {
  const toml::value<bool>* b = v.as_boolean();
  if (!b) return Error(name, v.source(), key, "must be true or false");
  *out = b->get();
  return Status::OK();
}

// [Table 3] Alphanumeric: [A-Za-z0-9] only.
bool IsAlnum(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// [§2.4.1.2] an Industry Member ID is <CRD>:<IMID>.
bool IsCrdImid(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || s.size() > 16) return false;
  for (size_t i = 0; i < colon; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return IsAlnum(s.substr(colon + 1), 16);
}

Status ReadFirm(std::string_view name, const toml::table& t, Map* m) {
  for (auto&& [k, v] : t) {
    const std::string key = fmt::format("firm.{}", k.str());
    if (k == "submitter_id") {
      const toml::value<int64_t>* i = v.as_integer();
      if (!i || i->get() <= 0) return Error(name, v.source(), key, "must be a positive integer");
      m->submitter_id = static_cast<uint64_t>(i->get());
    } else if (k == "reporter_imid") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &m->reporter_imid));
      if (!IsAlnum(m->reporter_imid, 7)) return Error(name, v.source(), key, "must be Alphanumeric(7)");
    } else if (k == "comp_ids") {
      const toml::array* a = v.as_array();
      if (!a) return Error(name, v.source(), key, "must be an array of strings");
      for (const toml::node& e : *a) {
        std::string s;
        CAISSON_RETURN_IF_ERROR(GetString(name, e, key, &s));
        m->comp_ids.push_back(std::move(s));
      }
    } else if (k == "dept_type") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &m->dept_type));
    } else if (k == "trading_session") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &m->trading_session));
    } else if (k == "principal_fdid") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &m->principal_fdid));
    } else if (k == "principal_account_holder_type") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &m->principal_account_holder_type));
    } else if (k == "market_center_id") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &m->market_center_id));
    } else if (k == "group") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &m->group));
      if (!m->group.empty() && !IsAlnum(m->group, 20)) return Error(name, v.source(), key, "must be Alphanumeric(20)");
    } else {
      return Error(name, v.source(), key, "unknown key");
    }
  }
  return Status::OK();
}

Status ReadSession(std::string_view name, std::string_view comp_id, const toml::table& t, Session* s) {
  std::string kind;
  for (auto&& [k, v] : t) {
    const std::string key = fmt::format("sessions.{}.{}", comp_id, k.str());
    if (k == "kind") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &kind));
      if (kind == "client") {
        s->kind = Session::Kind::kClient;
      } else if (kind == "im") {
        s->kind = Session::Kind::kIndustryMember;
      } else if (kind == "exchange") {
        s->kind = Session::Kind::kExchange;
      } else {
        return Error(name, v.source(), key, "must be client, im or exchange");
      }
    } else if (k == "sender_imid") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &s->sender_imid));
      if (!IsCrdImid(s->sender_imid)) return Error(name, v.source(), key, "must be CRD:IMID");
    } else if (k == "destination") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &s->destination));
    } else if (k == "session") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &s->session));
    } else if (k == "affiliate") {
      CAISSON_RETURN_IF_ERROR(GetBool(name, v, key, &s->affiliate));
    } else {
      return Error(name, v.source(), key, "unknown key");
    }
  }
  const std::string where = fmt::format("sessions.{}", comp_id);
  if (kind.empty()) return Error(name, t.source(), where, "kind is required");
  if (s->kind != Session::Kind::kClient) {
    if (s->sender_imid.empty()) return Error(name, t.source(), where, "sender_imid is required for a route");
    if (s->destination.empty()) return Error(name, t.source(), where, "destination is required for a route");
  }
  if (s->kind == Session::Kind::kIndustryMember && !IsCrdImid(s->destination)) {
    return Error(name, t.source(), where, "destination of an im session must be CRD:IMID");
  }
  if (s->kind == Session::Kind::kExchange) {
    if (!IsAlnum(s->destination, 7)) return Error(name, t.source(), where, "destination must be an Exchange ID");
    // [§4.3 Table 18 #18; 2093] session is required on exchange routes.
    if (s->session.empty()) return Error(name, t.source(), where, "session is required for an exchange");
  }
  return Status::OK();
}

Status ReadAccount(std::string_view name, std::string_view account, const toml::table& t, Account* a) {
  (void)account;  // never echoed: it may be a customer account number
  for (auto&& [k, v] : t) {
    const std::string key = fmt::format("accounts.<account>.{}", k.str());
    if (k == "fdid") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &a->fdid));
    } else if (k == "account_holder_type") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &a->account_holder_type));
    } else if (k == "institution") {
      CAISSON_RETURN_IF_ERROR(GetBool(name, v, key, &a->institution));
    } else if (k == "allocation_type") {
      CAISSON_RETURN_IF_ERROR(GetString(name, v, key, &a->allocation_type));
    } else {
      return Error(name, v.source(), key, "unknown key");
    }
  }
  // [App. G firmDesignatedID] Text(40); [§2.4.2] never the account number itself.
  if (a->fdid.empty() || a->fdid.size() > 40) return Error(name, t.source(), "accounts.<account>", "fdid must be 1-40 characters");
  if (a->fdid == account) return Error(name, t.source(), "accounts.<account>", "fdid must not be the account number");
  if (a->account_holder_type.empty()) return Error(name, t.source(), "accounts.<account>", "account_holder_type is required");
  return Status::OK();
}

}  // namespace

Result<Map> ParseMap(std::string_view text, std::string_view name) {
  toml::table root;
  try {
    root = toml::parse(text, std::string(name));
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(fmt::format("{}:{}:{}", name, e.source().begin.line, e.source().begin.column),
                                   e.description());
  }
  Map m;
  for (auto&& [k, v] : root) {
    const toml::table* t = v.as_table();
    if (!t) return Error(name, k.source(), k.str(), "unknown key (settings belong in a [section])");
    if (k == "firm") {
      CAISSON_RETURN_IF_ERROR(ReadFirm(name, *t, &m));
    } else if (k == "sessions" || k == "accounts") {
      for (auto&& [sk, sv] : *t) {
        const toml::table* st = sv.as_table();
        if (!st) return Error(name, sv.source(), fmt::format("{}.{}", k.str(), k == "accounts" ? "<account>" : sk.str()),
                              "must be a table");
        if (k == "sessions") {
          Session s;
          CAISSON_RETURN_IF_ERROR(ReadSession(name, sk.str(), *st, &s));
          m.sessions.emplace(std::string(sk.str()), std::move(s));
        } else {
          Account a;
          CAISSON_RETURN_IF_ERROR(ReadAccount(name, sk.str(), *st, &a));
          m.accounts.emplace(std::string(sk.str()), std::move(a));
        }
      }
    } else {
      return Error(name, k.source(), fmt::format("[{}]", k.str()), "unknown section");
    }
  }
  if (m.submitter_id == 0) return Status::InvalidArgument(name, "firm.submitter_id is required");
  if (m.reporter_imid.empty()) return Status::InvalidArgument(name, "firm.reporter_imid is required");
  if (m.comp_ids.empty()) return Status::InvalidArgument(name, "firm.comp_ids is required (the firm's SenderCompIDs)");
  return m;
}

Result<Map> LoadMap(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string(), "cannot open the FIX map");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IOError(path.string(), "read failed");
  return ParseMap(text, path.string());
}

}  // namespace caisson::fix
