// `caisson gen --cais DIR`: the generated books written as a CAIS file pair with their planted defects left in,
// as another tool might have written them, and the findings `caisson check` must report on it.
//
// The build holds back only what cannot be written at all (a customer with no TID, and the FDIDs that carry
// it); every other planted defect travels in the file. A planted defect is expected from `check` when its rule
// runs on files (rules.md column F) and its record is in the pair; it is matched by rule, code, file and key
// (FDIDs by their value, customers by `crid:<customerRecordID>`), since a CAIS file has no CSV line.
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "caisjson/caisjson.h"
#include "commands.h"
#include "emit/emit.h"
#include "pipeline.h"
#include "setup.h"
#include "validate/validate.h"

namespace caisson::app {

namespace {

namespace fs = std::filesystem;

struct Planted {
  std::string rule, code, file;
  uint64_t line = 0;
};

Result<std::vector<Planted>> ReadPlanted(const fs::path& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (!fs::exists(path)) return std::vector<Planted>{};  // gen writes it only with --defects
  if (parser.load(path.string()).get(doc) != simdjson::SUCCESS) {
    return Status::Corruption(path.string(), "not the JSON caisson gen writes");
  }
  std::vector<Planted> out;
  simdjson::dom::array findings;
  if (doc["findings"].get_array().get(findings) != simdjson::SUCCESS) {
    return Status::Corruption(path.string(), "no findings array");
  }
  for (simdjson::dom::element e : findings) {
    Planted p;
    std::string_view rule, file;
    int64_t line = 0;
    if (e["rule"].get_string().get(rule) != simdjson::SUCCESS || e["file"].get_string().get(file) != simdjson::SUCCESS ||
        e["line"].get_int64().get(line) != simdjson::SUCCESS) {
      return Status::Corruption(path.string(), "a finding without rule, file or line");
    }
    std::string_view code;
    if (e["cais_code"].get_string().get(code) == simdjson::SUCCESS) p.code = std::string(code);
    p.rule = std::string(rule);
    p.file = std::string(file);
    p.line = static_cast<uint64_t>(line);
    out.push_back(std::move(p));
  }
  return out;
}

// Planted defects a CAIS file cannot show, and why.
struct Unseen {
  std::string_view rule, code, reason;
};
constexpr Unseen kUnseen[] = {
    {"fdid.replaced", "23004",
     "whether replacedByFDID names an FDID CAIS accepted earlier needs the state store, so check leaves it"},
    {"fdid.crd_fields", "22052", "a branch office CRD that is not a number has no JSON form: emit leaves it out"},
    {"fdid.crd_fields", "22065", "a registered rep CRD that is not a number has no JSON form: emit leaves it out"},
};

const Unseen* FindUnseen(std::string_view rule, std::string_view code) {
  for (const Unseen& u : kUnseen) {
    if (u.rule == rule && u.code == code) return &u;
  }
  return nullptr;
}

// Holds what emit cannot write: customers without a TID, then every FDID carrying a held customer.
validate::Holds WritableOnly(const model::Books& books) {
  validate::Holds holds;
  holds.customer.assign(books.customers.size(), false);
  holds.fdid.assign(books.fdids.size(), false);
  for (size_t c = 0; c < books.customers.size(); ++c) holds.customer[c] = !books.customers[c].tid;
  for (size_t i = 0; i < books.fdids.size(); ++i) {
    if (!books.fdids[i].firm_designated_id) holds.fdid[i] = true;
    for (const model::Association& a : books.fdids[i].fdid_customer_list) {
      if (a.customer_index < 0 || holds.customer[static_cast<size_t>(a.customer_index)]) holds.fdid[i] = true;
    }
  }
  return holds;
}

}  // namespace

int RunGenCais(const Common& common, const fs::path& books_dir, const fs::path& out) {
  Result<Setup> setup = Prepare(common, books_dir);
  if (!setup.ok()) return Fail(setup.status());
  Result<std::vector<Planted>> planted = ReadPlanted(books_dir / "expected-findings.json");
  if (!planted.ok()) return Fail(planted.status());

  model::Books books;
  Outcome outcome;
  Status run = ValidateBooks(*setup, books_dir, &books, &outcome);
  if (!run.ok()) return Fail(run);

  emit::Options options;
  options.cat_submitter_id = setup->config.cat_submitter_id;
  options.cat_reporter_crd = setup->config.cat_reporter_crd;
  options.file_date = setup->today;
  options.out_dir = out;
  options.max_file_bytes = setup->config.max_file_bytes;
  const validate::Holds holds = WritableOnly(books);
  Result<emit::Written> written = emit::WriteSubmission(*setup->profile, books, holds, options);
  if (!written.ok()) return Fail(written.status());

  // Where each written record went, and the key check gives it.
  struct At {
    std::string data, tid, key;
  };
  std::vector<At> fdid_at(books.fdids.size()), customer_at(books.customers.size());
  for (const emit::PairInfo& p : written->pairs) {
    for (size_t k = 0; k < p.fdid_indices.size(); ++k) {
      const model::Fdid& f = books.fdids[static_cast<size_t>(p.fdid_indices[k])];
      fdid_at[static_cast<size_t>(p.fdid_indices[k])] = {p.data_name, p.tid_name, std::string(*f.firm_designated_id)};
    }
    for (size_t k = 0; k < p.customer_indices.size(); ++k) {
      customer_at[static_cast<size_t>(p.customer_indices[k])] = {p.data_name, p.tid_name, fmt::format("crid:{}", k + 1)};
    }
  }

  std::set<std::tuple<std::string, std::string, std::string, uint64_t>> wanted;
  for (const Planted& p : *planted) wanted.insert({p.rule, p.code, p.file, p.line});
  std::string doc = "{\n  \"generator\": \"caisson gen --cais\",\n  \"note\": \"the planted defects `caisson check` "
                    "must report on these files: rule, code, Data File and key (FDID, or crid:<customerRecordID>)\",\n"
                    "  \"findings\": [";
  std::set<std::tuple<std::string, std::string, std::string, std::string>> expected;
  std::map<const Unseen*, int64_t> unseen;
  for (const Finding& f : outcome.findings) {
    if (!wanted.contains({f.rule, f.cais_code, f.file, f.line}) || f.record_index < 0) continue;
    const validate::RuleInfo* rule = validate::FindRule(f.rule);
    if (rule == nullptr || !rule->file) continue;
    if (const Unseen* u = FindUnseen(f.rule, f.cais_code)) {
      ++unseen[u];
      continue;
    }
    const auto i = static_cast<size_t>(f.record_index);
    const At& at = f.record == RecordKind::kFdid ? fdid_at[i] : customer_at[i];
    if (at.data.empty()) continue;  // not in the pair: held, or never written
    // A defect of an identifiers.csv row is one of the TID record, which the TID File carries.
    const bool in_tid = f.record == RecordKind::kTid || f.file == "identifiers.csv";
    expected.insert({in_tid ? at.tid : at.data, at.key, f.rule, f.cais_code});
  }
  bool first = true;
  for (const auto& [file, key, rule, code] : expected) {
    doc += first ? "\n    " : ",\n    ";
    first = false;
    doc += "{\"rule\": ";
    AppendJsonString(rule, &doc);
    doc += ", \"cais_code\": ";
    AppendJsonString(code, &doc);
    doc += ", \"file\": ";
    AppendJsonString(file, &doc);
    doc += ", \"key\": ";
    AppendJsonString(key, &doc);
    doc += "}";
  }
  doc += first ? "],\n  \"not_expected\": [" : "\n  ],\n  \"not_expected\": [";
  first = true;
  for (const auto& [u, n] : unseen) {
    doc += first ? "\n    " : ",\n    ";
    first = false;
    doc += fmt::format("{{\"rule\": \"{}\", \"cais_code\": \"{}\", \"planted\": {}, \"reason\": ", u->rule, u->code, n);
    AppendJsonString(u->reason, &doc);
    doc += "}";
  }
  doc += first ? "]\n}\n" : "\n  ]\n}\n";
  Status saved = emit::WriteFileAtomically(out / "expected-check-findings.json", doc);
  if (!saved.ok()) return Fail(saved);
  std::fprintf(stderr, "caisson gen --cais: %zu pair(s) in %s; %zu planted defects for check\n", written->pairs.size(),
               out.string().c_str(), expected.size());
  return 0;
}

}  // namespace caisson::app
