// gen: determinism, CSV shape against books-and-records.md, and the planted-defect list.
#include "gen/gen.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testutil.h"

namespace caisson::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A tiny RFC 4180 reader: records of cells (quoted cells may hold commas, quotes and newlines).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      row.push_back(cell);
      cell.clear();
      rows.push_back(row);
      row.clear();
    } else {
      cell += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(cell.empty() && row.empty()) << "last record lacks its newline";
  return rows;
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int Col(const std::string& name) const {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  }
};

Table Load(const fs::path& p) {
  Table t;
  auto rows = ParseCsv(ReadFile(p));
  if (rows.empty()) return t;
  t.header = rows[0];
  t.rows.assign(rows.begin() + 1, rows.end());
  for (const auto& r : t.rows) EXPECT_EQ(r.size(), t.header.size()) << p;
  return t;
}

const char* kFiles[] = {"accounts.csv",  "customers.csv",     "identifiers.csv",       "roles.csv",
                        "addresses.csv", "large_traders.csv", "authorized_traders.csv", "caisson.toml"};

gen::Options Opts(const fs::path& out, int64_t accounts, uint64_t seed, double defects = 0) {
  gen::Options o;
  o.out = out;
  o.accounts = accounts;
  o.seed = seed;
  o.defects = defects;
  o.as_of = 20261120;
  return o;
}

TEST(Gen, SameSeedSameBytes) {
  fs::path dir = TempDir();
  ASSERT_OK(gen::Generate(Opts(dir / "a", 300, 7, 0.2)));
  ASSERT_OK(gen::Generate(Opts(dir / "b", 300, 7, 0.2)));
  for (const char* f : kFiles) EXPECT_EQ(ReadFile(dir / "a" / f), ReadFile(dir / "b" / f)) << f;
  EXPECT_EQ(ReadFile(dir / "a" / "expected-findings.json"), ReadFile(dir / "b" / "expected-findings.json"));
}

TEST(Gen, DifferentSeedDifferentBooks) {
  fs::path dir = TempDir();
  ASSERT_OK(gen::Generate(Opts(dir / "a", 100, 1)));
  ASSERT_OK(gen::Generate(Opts(dir / "b", 100, 2)));
  EXPECT_NE(ReadFile(dir / "a" / "customers.csv"), ReadFile(dir / "b" / "customers.csv"));
  EXPECT_NE(ReadFile(dir / "a" / "identifiers.csv"), ReadFile(dir / "b" / "identifiers.csv"));
}

TEST(Gen, RejectsBadOptions) {
  fs::path dir = TempDir();
  EXPECT_FALSE(gen::Generate(Opts(dir, -1, 1)).ok());
  EXPECT_FALSE(gen::Generate(Opts(dir, 10, 1, 1.5)).ok());
  EXPECT_FALSE(gen::Generate(Opts("", 10, 1)).ok());
}

TEST(Gen, FilesFollowTheBooksContract) {
  fs::path dir = TempDir();
  ASSERT_OK(gen::Generate(Opts(dir, 2000, 11)));
  EXPECT_FALSE(fs::exists(dir / "expected-findings.json"));
  Table acc = Load(dir / "accounts.csv"), cus = Load(dir / "customers.csv"), ids = Load(dir / "identifiers.csv"),
        roles = Load(dir / "roles.csv"), addr = Load(dir / "addresses.csv"), lt = Load(dir / "large_traders.csv");
  // Required columns (books-and-records.md, marked col).
  for (const char* c : {"fdid", "account_types", "fdid_date"}) EXPECT_GE(acc.Col(c), 0) << c;
  for (const char* c : {"customer_id", "kind", "customer_types"}) EXPECT_GE(cus.Col(c), 0) << c;
  for (const char* c : {"customer_id", "id_type", "id_value"}) EXPECT_GE(ids.Col(c), 0) << c;
  for (const char* c : {"fdid", "customer_id", "role", "role_start_date"}) EXPECT_GE(roles.Col(c), 0) << c;
  for (const char* c : {"owner_type", "owner_id", "addr_type"}) EXPECT_GE(addr.Col(c), 0) << c;

  EXPECT_EQ(acc.rows.size(), 2000u);
  std::set<std::string> fdids, customers;
  std::map<std::string, std::string> reasons;
  int ended = 0, replaced = 0, transfer_in = 0, dvp = 0, correspondent = 0, inactive = 0;
  for (const auto& r : acc.rows) {
    EXPECT_TRUE(fdids.insert(r[acc.Col("fdid")]).second) << "duplicate FDID";
    EXPECT_NE(r[acc.Col("fdid")], r[acc.Col("account_number")]);
    EXPECT_LT(r[acc.Col("fdid_date")], "2026-11-20");
    const std::string& reason = r[acc.Col("fdid_end_reason")];
    ended += !reason.empty();
    inactive += reason == "INACTIVE";
    replaced += !r[acc.Col("replaced_by_fdid")].empty();
    transfer_in += !r[acc.Col("prior_cat_reporter_crd")].empty();
    dvp += !r[acc.Col("dvp_custodian_ids")].empty();
    correspondent += !r[acc.Col("correspondent_crd")].empty();
    const std::string& clearing = r[acc.Col("clearing_broker_ids")];
    if (!clearing.empty()) {
      EXPECT_EQ(clearing.size(), 4u);
    }
  }
  EXPECT_GT(ended, 50);
  EXPECT_GT(inactive, 10);
  EXPECT_GT(replaced, 20);
  EXPECT_GT(transfer_in, 10);
  EXPECT_GT(dvp, 20);
  EXPECT_GT(correspondent, 50);
  for (const auto& r : acc.rows) {
    if (!r[acc.Col("replaced_by_fdid")].empty()) {
      EXPECT_TRUE(fdids.count(r[acc.Col("replaced_by_fdid")]));
    }
  }
  // ~1.5 customers per FDID, every customer and FDID referenced, SSNs in area 9xx.
  for (const auto& r : cus.rows) EXPECT_TRUE(customers.insert(r[0]).second);
  const double ratio = static_cast<double>(cus.rows.size()) / static_cast<double>(acc.rows.size());
  EXPECT_GT(ratio, 1.2);
  EXPECT_LT(ratio, 1.9);
  std::set<std::string> used;
  for (const auto& r : roles.rows) {
    EXPECT_TRUE(fdids.count(r[0])) << r[0];
    EXPECT_TRUE(customers.count(r[1])) << r[1];
    used.insert(r[1]);
  }
  EXPECT_EQ(used.size(), customers.size());
  std::set<std::string> types;
  for (const auto& r : ids.rows) {
    types.insert(r[1]);
    if (r[1] == "SSN") {
      ASSERT_EQ(r[2].size(), 11u);
      EXPECT_EQ(r[2][0], '9');
      EXPECT_NE(r[2].substr(4, 2), "00");
      EXPECT_NE(r[2].substr(7), "0000");
    }
  }
  EXPECT_TRUE(types.count("EIN") && types.count("LEI") && types.count("PASSPORT"));
  // Every LEI carries valid ISO 7064 MOD 97-10 check digits: the whole code, letters as 10..35, is 1 mod 97.
  int leis = 0;
  for (const auto& r : cus.rows) {
    const std::string& lei = r[cus.Col("lei")];
    if (lei.empty()) continue;
    ASSERT_EQ(lei.size(), 20u);
    int rem = 0;
    for (char ch : lei) {
      const int v = std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0' : ch - 'A' + 10;
      rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
    }
    EXPECT_EQ(rem, 1) << "LEI check digits";
    ++leis;
  }
  EXPECT_GT(leis, 20);
  std::set<std::string> regions, addr_types;
  for (const auto& r : addr.rows) {
    regions.insert(r[addr.Col("country")] + "-" + r[addr.Col("region")]);
    addr_types.insert(r[addr.Col("addr_type")]);
  }
  EXPECT_TRUE(regions.count("US-AE") && regions.count("CA-ON") && regions.count("GB-"));
  EXPECT_TRUE(addr_types.count("ADDRESS4"));
  std::set<std::string> role_values;
  for (const auto& r : roles.rows) role_values.insert(r[2] + r[3]);
  for (const char* v : {"TRDHOLDER", "NTHOLDER", "AUTH3RDY", "AUTH3RDN", "AUTHREPY", "AUTHREPN"}) {
    EXPECT_TRUE(role_values.count(v)) << v;
  }
  bool ltid = false, ultid = false;
  for (const auto& r : lt.rows) {
    ltid |= r[1].size() == 13 && r[1][8] == '-';
    ultid |= r[1].rfind("ULT", 0) == 0 && r[1].size() == 13;
  }
  EXPECT_TRUE(ltid && ultid);
  // The toml names the as_of date.
  EXPECT_NE(ReadFile(dir / "caisson.toml").find("as_of = \"2026-11-20\""), std::string::npos);
}

// Every rule id of rules.md's catalogue (§1–§9).
const std::set<std::string> kRuleIds = {
    "file.name", "file.group", "file.name_unique", "file.compression", "file.json", "file.duplicate_key",
    "file.unknown_attribute", "file.header", "file.counts", "file.pair", "file.size", "fdid.record_id",
    "fdid.format", "fdid.pending", "fdid.whitespace", "fdid.duplicate", "fdid.sensitive", "fdid.type",
    "fdid.account_name", "fdid.dates", "fdid.future_date", "fdid.end_pair", "fdid.end_correction",
    "fdid.replaced", "fdid.transfer", "fdid.crd_fields", "fdid.address1", "fdid.customers",
    "fdid.trading_customer", "fdid.ltid", "fdid.dvp_custodian", "fdid.auth_names", "fdid.auth_name_record",
    "fdid.public_admin", "fdid.inactive", "fdid.unknown_field", "fdid.data_type", "fdid.customer_rejected",
    "role.value", "role.unknown_customer", "role.one_active", "role.same_tid", "role.dates",
    "role.has_discretion", "role.fdid_type", "role.authrep", "customer.record_id", "customer.orphan",
    "customer.version_rejected", "customer.type", "customer.np_required", "customer.unparsed",
    "customer.name_format", "customer.name_length_rollout", "customer.dba", "customer.le_required",
    "customer.address", "customer.ein", "customer.lei_format", "customer.lei_status", "customer.tid_kind",
    "customer.tid_format", "customer.versions_consistent", "customer.mi_predict", "customer.foreign_type",
    "customer.tid_hierarchy", "customer.giin", "customer.foreign_id_chars", "customer.year",
    "customer.foreign_trust_no_id", "customer.unknown_field", "customer.data_type", "address.lines",
    "address.lengths", "address.country", "address.us_region", "tid.type", "tid.value", "tid.pairing",
    "tid.replacement", "tid.unknown_field", "tid.data_type", "correction.format", "correction.rejection",
    "correction.missing", "hold.cascade", "input.value", "input.reference", "input.duplicate",
    "input.conflict", "input.column", "customer.tid_replacement", "state.vanished", "state.pairing",
    "state.sequence", "txn.market_account"};

// The B-run rules of §2–§6 and §8 the table must plant (rules.md), minus the documented not_planted ones.
const std::set<std::string> kMustPlant = {
    "fdid.format", "fdid.pending", "fdid.whitespace", "fdid.duplicate", "fdid.sensitive", "fdid.type",
    "fdid.account_name", "fdid.dates", "fdid.future_date", "fdid.end_pair", "fdid.end_correction",
    "fdid.replaced", "fdid.transfer", "fdid.crd_fields", "fdid.address1", "fdid.customers",
    "fdid.trading_customer", "fdid.ltid", "fdid.dvp_custodian", "fdid.auth_names", "fdid.auth_name_record",
    "fdid.public_admin", "fdid.inactive", "role.value", "role.unknown_customer", "role.one_active",
    "role.same_tid", "role.dates", "role.has_discretion", "role.fdid_type", "role.authrep", "customer.orphan",
    "customer.type", "customer.np_required", "customer.unparsed", "customer.name_format", "customer.dba",
    "customer.le_required", "customer.address", "customer.lei_format", "customer.tid_kind",
    "customer.tid_format", "customer.versions_consistent", "customer.foreign_type", "customer.tid_hierarchy",
    "customer.foreign_id_chars", "customer.year", "address.lines", "address.lengths", "address.country",
    "address.us_region", "tid.type", "input.value", "input.reference", "input.duplicate", "input.conflict",
    "input.column"};

struct Entry {
  std::string rule, code, file, field;
  uint64_t line = 0;
};

// Pulls the "findings" entries out of expected-findings.json (written by gen in one fixed layout).
std::vector<Entry> Entries(const std::string& json, std::vector<std::string>* not_planted) {
  std::vector<Entry> out;
  auto value = [](const std::string& obj, const std::string& key) -> std::string {
    size_t k = obj.find("\"" + key + "\": ");
    if (k == std::string::npos) return "<missing>";
    k += key.size() + 4;
    if (obj[k] == '"') return obj.substr(k + 1, obj.find('"', k + 1) - k - 1);
    return obj.substr(k, obj.find_first_of(",}", k) - k);
  };
  size_t f = json.find("\"findings\": [");
  size_t np = json.find("\"not_planted\": [");
  EXPECT_NE(f, std::string::npos);
  EXPECT_NE(np, std::string::npos);
  for (size_t p = json.find('{', f); p != std::string::npos && p < np; p = json.find('{', p + 1)) {
    std::string obj = json.substr(p, json.find('}', p) - p + 1);
    Entry e{value(obj, "rule"), value(obj, "cais_code"), value(obj, "file"), value(obj, "field")};
    e.line = std::stoull(value(obj, "line"));
    out.push_back(e);
  }
  for (size_t p = json.find('{', np); p != std::string::npos; p = json.find('{', p + 1)) {
    not_planted->push_back(value(json.substr(p, json.find('}', p) - p + 1), "rule"));
  }
  return out;
}

TEST(Gen, PlantsTheRequestedFractionWithExactLocations) {
  fs::path dir = TempDir();
  const int64_t accounts = 1000;
  ASSERT_OK(gen::Generate(Opts(dir, accounts, 5, 0.2)));
  std::vector<std::string> not_planted;
  const std::string json = ReadFile(dir / "expected-findings.json");
  std::vector<Entry> list = Entries(json, &not_planted);
  EXPECT_NE(json.find("\"defective_accounts\": 200,"), std::string::npos);
  // One finding per defective account, except versions_consistent which names both versions.
  size_t versions = std::count_if(list.begin(), list.end(),
                                  [](const Entry& e) { return e.rule == "customer.versions_consistent"; });
  EXPECT_EQ(list.size() - versions / 2, 200u);
  std::set<std::string> planted;
  std::map<std::string, Table> tables;
  for (const Entry& e : list) {
    EXPECT_TRUE(kRuleIds.count(e.rule)) << e.rule;
    planted.insert(e.rule);
    if (!tables.count(e.file)) tables[e.file] = Load(dir / e.file);
    const Table& t = tables[e.file];
    ASSERT_GE(e.line, 2u) << e.rule;
    ASSERT_LE(e.line, t.rows.size() + 1) << e.rule << " " << e.file;  // no multi-line cells: line = row + 1
    // The field is the CSV column of the file, or a CAIS field name where none fits.
    if (!e.field.empty() && t.Col(e.field) < 0) {
      EXPECT_TRUE(std::string("addressList fdidCustomerList authTraderNamesList authTraderName tidValue")
                      .find(e.field) != std::string::npos)
          << e.rule << " " << e.field;
    }
  }
  for (const std::string& r : kMustPlant) EXPECT_TRUE(planted.count(r)) << "never planted: " << r;
  for (const std::string& r : not_planted) EXPECT_TRUE(kRuleIds.count(r)) << r;
  EXPECT_GE(not_planted.size(), 5u);
}

TEST(Gen, SpecificDefectsLandOnTheirRows) {
  fs::path dir = TempDir();
  ASSERT_OK(gen::Generate(Opts(dir, 300, 9, 1.0)));
  std::vector<std::string> np;
  std::vector<Entry> list = Entries(ReadFile(dir / "expected-findings.json"), &np);
  Table acc = Load(dir / "accounts.csv"), ids = Load(dir / "identifiers.csv"), roles = Load(dir / "roles.csv");
  int checked = 0;
  for (const Entry& e : list) {
    if (e.rule == "fdid.pending") {
      std::string v = acc.rows[e.line - 2][0];
      std::transform(v.begin(), v.end(), v.begin(), ::toupper);
      EXPECT_EQ(v, "PENDING");
      ++checked;
    } else if (e.rule == "fdid.type" && e.code == "22049") {
      EXPECT_EQ(acc.rows[e.line - 2][acc.Col("account_types")], "CASH");
      ++checked;
    } else if (e.rule == "customer.tid_format") {
      EXPECT_EQ(ids.rows[e.line - 2][ids.Col("id_value")].substr(4, 2), "00");
      ++checked;
    } else if (e.rule == "role.value") {
      EXPECT_EQ(roles.rows[e.line - 2][roles.Col("role")], "OWNER");
      ++checked;
    }
  }
  EXPECT_GE(checked, 4);
}

}  // namespace
}  // namespace caisson::testing

namespace caisson::testing {
namespace {
// Run by hand: CAISSON_GEN_ACCOUNTS=1000000 gen_test --gtest_also_run_disabled_tests --gtest_filter=*Scale*
TEST(Gen, DISABLED_Scale) {
  const char* env = std::getenv("CAISSON_GEN_ACCOUNTS");
  const int64_t n = env ? std::atoll(env) : 1000000;
  fs::path dir = TempDir();
  ASSERT_OK(gen::Generate(Opts(dir, n, 1, 0.01)));
  fs::remove_all(dir);
}
}  // namespace
}  // namespace caisson::testing
