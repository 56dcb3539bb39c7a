// The linkage rules file and the multi-day key store (docs/linkage.md).
#include <sqlite3.h>

#include <fstream>
#include <string>

#include <fmt/format.h>
#include <simdjson.h>

#include "txn/linkage_internal.h"

namespace caisson::txn::linkage {

int Rules::Code(std::string_view name) const {
  auto it = codes.find(name);
  return it == codes.end() ? 0 : it->second;
}

namespace {

Status StringSet(simdjson::dom::element parent, const char* key, const std::string& origin,
                 std::set<std::string, std::less<>>* out) {
  simdjson::dom::array a;
  if (parent[key].get_array().get(a)) return Status::Corruption(origin, fmt::format("'{}' must be an array", key));
  for (simdjson::dom::element e : a) {
    std::string_view s;
    if (e.get_string().get(s)) return Status::Corruption(origin, fmt::format("'{}' must hold strings", key));
    out->emplace(s);
  }
  return Status::OK();
}

}  // namespace

Result<Rules> LoadRules(const std::filesystem::path& path) {
  const std::string origin = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(origin, "cannot open the linkage rules");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text).get(root)) return Status::Corruption(origin, "not JSON");
  Rules r;
  CAISSON_RETURN_IF_ERROR(StringSet(root, "primary", origin, &r.primary));
  CAISSON_RETURN_IF_ERROR(StringSet(root, "route_senders", origin, &r.route_senders));
  CAISSON_RETURN_IF_ERROR(StringSet(root, "route_receivers", origin, &r.route_receivers));
  CAISSON_RETURN_IF_ERROR(StringSet(root, "multi_day_time_in_force", origin, &r.multi_day_tif));
  simdjson::dom::element rep;
  if (root["representative"].get(rep)) return Status::Corruption(origin, "'representative' is missing");
  CAISSON_RETURN_IF_ERROR(StringSet(rep, "linkage_required", origin, &r.linkage_required));
  CAISSON_RETURN_IF_ERROR(StringSet(rep, "aggregated_orders_blank", origin, &r.aggregated_orders_blank));
  CAISSON_RETURN_IF_ERROR(StringSet(rep, "firm_details_order", origin, &r.firm_details_order));
  CAISSON_RETURN_IF_ERROR(StringSet(rep, "firm_details_fdid", origin, &r.firm_details_fdid));
  CAISSON_RETURN_IF_ERROR(StringSet(rep, "firm_details_blank", origin, &r.firm_details_blank));
  simdjson::dom::object sup;
  if (root["supplements"].get_object().get(sup)) return Status::Corruption(origin, "'supplements' must be an object");
  for (auto [k, v] : sup) {
    std::string_view parent;
    if (v.get_string().get(parent)) return Status::Corruption(origin, "'supplements' values must be strings");
    r.supplements.emplace(std::string(k), std::string(parent));
  }
  simdjson::dom::object codes;
  if (root["codes"].get_object().get(codes)) return Status::Corruption(origin, "'codes' must be an object");
  for (auto [k, v] : codes) {
    int64_t c = 0;
    if (v.get_int64().get(c)) return Status::Corruption(origin, "'codes' values must be integers");
    r.codes.emplace(std::string(k), static_cast<int>(c));
  }
  simdjson::dom::array families;
  if (root["key_families"].get_array().get(families)) return Status::Corruption(origin, "'key_families' missing");
  for (simdjson::dom::element f : families) {
    KeyFamily k;
    std::string_view s;
    int64_t n = 0;
    if (f["name"].get_string().get(s)) return Status::Corruption(origin, "key family without name");
    k.name = std::string(s);
    if (f["date"].get_string().get(s)) return Status::Corruption(origin, "key family without date");
    k.date = std::string(s);
    if (f["id"].get_string().get(s)) return Status::Corruption(origin, "key family without id");
    k.id = std::string(s);
    if (f["same_day"].get_int64().get(n)) return Status::Corruption(origin, "key family without same_day");
    k.same_day = static_cast<int>(n);
    if (f["prior_day"].get_int64().get(n)) return Status::Corruption(origin, "key family without prior_day");
    k.prior_day = static_cast<int>(n);
    simdjson::dom::array prior;
    if (f["prior"].get_array().get(prior)) return Status::Corruption(origin, "key family without prior");
    for (simdjson::dom::element p : prior) {
      std::string_view d, i;
      if (p.at(0).get_string().get(d) || p.at(1).get_string().get(i)) {
        return Status::Corruption(origin, "prior keys are [date, id] pairs");
      }
      k.prior.emplace_back(std::string(d), std::string(i));
    }
    r.families.push_back(std::move(k));
  }
  simdjson::dom::array sides;
  if (root["side_references"].get_array().get(sides)) return Status::Corruption(origin, "'side_references' missing");
  for (simdjson::dom::element s : sides) {
    SideReference ref;
    std::string_view a;
    int64_t c = 0;
    if (s["array"].get_string().get(a) || s["code"].get_int64().get(c)) {
      return Status::Corruption(origin, "side reference needs array and code");
    }
    ref.array = std::string(a);
    ref.code = static_cast<int>(c);
    r.side_references.push_back(std::move(ref));
  }
  for (const char* needed :
       {"firm_roe_id_format", "firm_roe_id_date", "duplicate_firm_roe_id", "prior_equals_own_key", "key_not_found",
        "manual_key_not_found", "out_of_sequence", "supplement_timestamp", "routed_order_id", "session",
        "sender_equals_destination", "sender_imid", "receiver_imid", "destination", "duplicate_route_to_im",
        "duplicate_route_to_exchange", "duplicate_accept_from_im", "duplicate_accept_from_exchange",
        "route_not_accepted", "accept_not_routed", "route_sender_imid", "route_destination", "route_symbol",
        "route_multiple", "accept_sender_imid", "accept_receiver_imid", "accept_symbol", "accept_multiple",
        "aggregated_orders_combination", "firm_details_combination"}) {
    if (r.Code(needed) == 0) return Status::Corruption(origin, fmt::format("codes.{} is missing", needed));
  }
  if (r.families.empty() || r.families[0].name != "order") {
    return Status::Corruption(origin, "the first key family must be 'order'");
  }
  return r;
}

struct OrderStore::Rep {
  sqlite3* db = nullptr;
  sqlite3_stmt* find = nullptr;
  std::string path;
  ~Rep() {
    sqlite3_finalize(find);
    sqlite3_close(db);
  }
};

OrderStore::OrderStore(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
OrderStore::~OrderStore() = default;

Result<std::unique_ptr<OrderStore>> OrderStore::Open(const std::filesystem::path& path) {
  auto rep = std::make_unique<Rep>();
  rep->path = path.string();
  if (sqlite3_open_v2(rep->path.c_str(), &rep->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    return Status::IOError(rep->path, rep->db ? sqlite3_errmsg(rep->db) : "cannot open");
  }
  // key: family|date.nanos|IMID|symbol|id; sort_key: ET nanoseconds of the assigning event; family: 'order', ...
  const char* schema =
      "PRAGMA journal_mode=WAL;"
      "CREATE TABLE IF NOT EXISTS linkage_keys(key TEXT PRIMARY KEY, sort_key INTEGER NOT NULL,"
      " event_date INTEGER NOT NULL, family TEXT NOT NULL, closed_date INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;";
  char* err = nullptr;
  if (sqlite3_exec(rep->db, schema, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Status::IOError(rep->path, err ? err : "cannot create the schema");
    sqlite3_free(err);
    return s;
  }
  if (sqlite3_prepare_v2(rep->db, "SELECT sort_key, event_date, closed_date FROM linkage_keys WHERE key = ?1", -1, &rep->find,
                         nullptr) != SQLITE_OK) {
    return Status::IOError(rep->path, sqlite3_errmsg(rep->db));
  }
  return std::unique_ptr<OrderStore>(new OrderStore(std::move(rep)));
}

std::optional<StoredKey> OrderStore::Find(std::string_view key) {
  sqlite3_stmt* s = rep_->find;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  std::optional<StoredKey> out;
  if (sqlite3_step(s) == SQLITE_ROW) {
    out = StoredKey{sqlite3_column_int64(s, 0), static_cast<int32_t>(sqlite3_column_int64(s, 1)),
                    static_cast<int32_t>(sqlite3_column_int64(s, 2))};
  }
  sqlite3_reset(s);
  return out;
}

Status OrderStore::Apply(const std::vector<std::pair<std::string, StoredKey>>& put,
                         const std::vector<std::pair<std::string, int32_t>>& close, int32_t prune_before) {
  sqlite3* db = rep_->db;
  auto fail = [&]() {
    Status st = Status::IOError(rep_->path, sqlite3_errmsg(db));
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return st;
  };
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return fail();
  sqlite3_stmt* ins = nullptr;
  sqlite3_stmt* del = nullptr;
  if (sqlite3_prepare_v2(db,
                         "INSERT OR REPLACE INTO linkage_keys(key, sort_key, event_date, family, closed_date) "
                         "VALUES(?1, ?2, ?3, substr(?1, 1, instr(?1, '|') - 1), ?4)",
                         -1, &ins, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "UPDATE linkage_keys SET closed_date = ?2 WHERE key = ?1 AND closed_date = 0", -1, &del,
                         nullptr) != SQLITE_OK) {
    sqlite3_finalize(ins);
    return fail();
  }
  bool ok = true;
  for (const auto& [key, v] : put) {
    sqlite3_reset(ins);
    sqlite3_bind_text(ins, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    sqlite3_bind_int64(ins, 2, v.sort_key);
    sqlite3_bind_int64(ins, 3, v.event_date);
    sqlite3_bind_int64(ins, 4, v.closed_date);
    if (sqlite3_step(ins) != SQLITE_DONE) ok = false;
  }
  for (const auto& [key, date] : close) {
    sqlite3_reset(del);
    sqlite3_bind_text(del, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    sqlite3_bind_int64(del, 2, date);
    if (sqlite3_step(del) != SQLITE_DONE) ok = false;
  }
  sqlite3_finalize(ins);
  sqlite3_finalize(del);
  if (!ok) return fail();
  const std::string prune =
      fmt::format("DELETE FROM linkage_keys WHERE (family = 'allocation' AND event_date < {0}) OR "
                  "(closed_date <> 0 AND closed_date < {0})", prune_before);
  if (sqlite3_exec(db, prune.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return fail();
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return fail();
  return Status::OK();
}

}  // namespace caisson::txn::linkage
