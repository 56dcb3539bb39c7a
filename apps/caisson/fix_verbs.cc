// `caisson txn from-fix` (FIX logs -> CAT order events, docs/fix.md) and `caisson txn check` (linkage checks
// before submission, docs/linkage.md).
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/finding.h"
#include "commands.h"
#include "pipeline.h"
#include "fix/fix.h"
#include "setup.h"
#include "state_use.h"
#include "txn/txn.h"

namespace caisson::app {

namespace {

// {"profile": ..., "summary": {...}, "findings": [...]} as cli.md's findings document, summary per verb.
std::string Document(std::string_view profile, const std::string& summary_json, const std::vector<Finding>& findings) {
  std::string out = "{\"profile\": ";
  AppendJsonString(profile, &out);
  out += ", \"summary\": " + summary_json + ", \"findings\": [";
  for (size_t i = 0; i < findings.size(); ++i) {
    out += i == 0 ? "\n  " : ",\n  ";
    AppendFindingJson(findings[i], &out);
  }
  out += findings.empty() ? "]}\n" : "\n]}\n";
  return out;
}


int64_t Rejects(const std::vector<Finding>& findings) {
  int64_t n = 0;
  for (const Finding& f : findings) n += f.severity == Severity::kReject ? 1 : 0;
  return n;
}

}  // namespace

int RunTxnFromFix(const Common& common, const TxnFromFixArgs& args) {
  Result<fix::Map> map = fix::LoadMap(args.map);
  if (!map.ok()) return Fail(map.status());
  fix::Options options;
  options.file_date = args.file_date;
  options.compress = !args.no_compress;
  std::vector<Finding> findings;
  fix::Summary summary;
  Status s = fix::FromFix(args.logs, *map, args.out, options, &findings, &summary);
  if (!s.ok()) return Fail(s);
  SortAndDedupe(&findings);
  if (common.json) {
    std::string files = "[";
    for (size_t i = 0; i < summary.files.size(); ++i) {
      if (i) files += ", ";
      AppendJsonString(summary.files[i].filename().string(), &files);
    }
    files += "]";
    const std::string sum = fmt::format(
        "{{\"lines\": {}, \"messages\": {}, \"events\": {}, \"not_reported\": {}, \"rejects\": {}, \"files\": {}}}",
        summary.lines, summary.messages, summary.events, summary.not_reported, Rejects(findings), files);
    const std::string doc = Document("fix-cat-im-4.1.0r15", sum, findings);
    std::fwrite(doc.data(), 1, doc.size(), stdout);
  } else {
    std::printf("%lld lines, %lld FIX messages, %lld CAT events, %lld messages with no CAT event\n",
                static_cast<long long>(summary.lines), static_cast<long long>(summary.messages),
                static_cast<long long>(summary.events), static_cast<long long>(summary.not_reported));
    for (const auto& f : summary.files) std::printf("wrote %s\n", f.string().c_str());
    PrintFindingsText(findings, 50, "--format json");
  }
  return ExitCode(Status::OK(), 0, Rejects(findings));
}

int RunTxnCheck(const Common& common, const TxnCheckArgs& args) {
  Result<txn::Catalogue> catalogue = txn::Catalogue::Load(txn::Catalogue::DefaultPath(DataDir()));
  if (!catalogue.ok()) return Fail(catalogue.status());
  txn::LinkageOptions options;
  options.rules = txn::LinkageRulesPath(DataDir());
  options.clock_drift_ns = args.clock_drift_ms * 1'000'000;
  if (!args.store.empty()) {
    options.store = args.store;
  } else if (!args.no_store) {
    // Caisson's convention: orders.db beside the CAIS state store of caisson.toml (docs/linkage.md).
    Result<Setup> setup = Prepare(common, std::filesystem::path("."));
    if (!setup.ok()) return Fail(setup.status());
    options.store = StatePath(setup->config).parent_path() / "orders.db";
  }
  std::vector<Finding> findings;
  txn::LinkageSummary summary;
  Status s = txn::CheckLinkage(*catalogue, args.events, options, &findings, &summary);
  if (!s.ok()) return Fail(s);
  SortAndDedupe(&findings);
  if (common.json) {
    std::string codes = "{";
    for (const auto& [code, n] : summary.by_code) {
      if (codes.size() > 1) codes += ", ";
      codes += fmt::format("\"{}\": {}", code, n);
    }
    codes += "}";
    const std::string sum = fmt::format(
        "{{\"files\": {}, \"events\": {}, \"keys\": {}, \"routes\": {}, \"resolved_from_store\": {}, "
        "\"stored\": {}, \"rejects\": {}, \"by_code\": {}}}",
        summary.files, summary.events, summary.keys, summary.routes, summary.resolved_from_store, summary.stored,
        Rejects(findings), codes);
    const std::string doc = Document(catalogue->profile(), sum, findings);
    std::fwrite(doc.data(), 1, doc.size(), stdout);
  } else {
    std::printf("%lld files, %lld events, %lld event keys, %lld route keys; %lld resolved from the multi-day store\n",
                static_cast<long long>(summary.files), static_cast<long long>(summary.events),
                static_cast<long long>(summary.keys), static_cast<long long>(summary.routes),
                static_cast<long long>(summary.resolved_from_store));
    for (const auto& [code, n] : summary.by_code) {
      std::printf("  predicted %s: %lld\n", code.c_str(), static_cast<long long>(n));
    }
    if (!options.store.empty()) std::printf("multi-day store: %s\n", options.store.string().c_str());
    PrintFindingsText(findings, 50, "--format json");
  }
  return ExitCode(Status::OK(), 0, Rejects(findings));
}

}  // namespace caisson::app
