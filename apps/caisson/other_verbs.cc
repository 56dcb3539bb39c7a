// `caisson check`, `show`, `gen` and `spec`.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <string>
#include <vector>

#include "caisjson/caisjson.h"
#include "check/check.h"
#include "commands.h"
#include "emit/emit.h"
#include "gen/gen.h"
#include "setup.h"
#include "spec/spec.h"
#include "validate/validate.h"

namespace caisson::app {

int RunCheck(const Common& common, const std::vector<std::filesystem::path>& paths, bool portal) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  check::Options options;
  options.as_of = setup->as_of;
  options.today = setup->today;
  options.cat_submitter_id = setup->config.cat_submitter_id;
  options.cat_reporter_crd = setup->config.cat_reporter_crd;
  options.portal = portal || setup->config.portal;
  options.policy = setup->config.rules;
  options.workers = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  // For tests and measurements: records per batch (0 = each pair at once).
  if (const char* env = std::getenv("CAISSON_CHECK_BATCH"); env != nullptr && *env != '\0') {
    options.batch_records = static_cast<size_t>(std::strtoull(env, nullptr, 10));
  }
  check::Report report;
  Status run = check::CheckPaths(*setup->profile, paths, options, &report);
  if (!run.ok()) return Fail(run);
  int64_t failed = 0;
  for (const Finding& f : report.findings) {
    if (f.severity == Severity::kReject) ++failed;
    if (!common.json) {
      std::fprintf(stderr, "  %s:%llu %s [%s %s] %s %s: %s\n", f.file.c_str(), static_cast<unsigned long long>(f.line),
                   std::string(SeverityName(f.severity)).c_str(), f.rule.c_str(), f.cais_code.c_str(),
                   f.key.c_str(), f.field.c_str(), f.message.c_str());
    }
  }
  if (common.json) {
    std::string doc = validate::FindingsJson(setup->profile->name(), report.summary, report.findings);
    std::fwrite(doc.data(), 1, doc.size(), stdout);
  }
  std::fprintf(stderr, "caisson check: %lld file(s), %lld FDIDs, %lld customers, %lld TIDs; %lld rejects, %lld warnings\n",
               static_cast<long long>(report.files), static_cast<long long>(report.summary.fdids),
               static_cast<long long>(report.summary.customers), static_cast<long long>(report.summary.tids),
               static_cast<long long>(report.summary.rejects), static_cast<long long>(report.summary.warnings));
  return ExitCode(run, 0, failed);
}

int RunShow(const std::filesystem::path& file, int64_t max_records) {
  // Mapped and printed in pieces: a CAIS file may hold 7 GB of JSON.
  Result<std::unique_ptr<caisjson::MappedText>> text = caisjson::MapMaybeBz2(file);
  if (!text.ok()) return Fail(text.status());
  const caisjson::MappedText& mapped = **text;
  Status printed = caisjson::PrettyTo(
      mapped.text(), max_records,
      [](std::string_view part) {
        if (std::fwrite(part.data(), 1, part.size(), stdout) != part.size()) {
          return Status::IOError("stdout", "cannot write the output");
        }
        return Status::OK();
      },
      [&mapped] { mapped.Release(); });
  if (!printed.ok()) return Fail(printed);
  return 0;
}

int RunGen(int64_t accounts, uint64_t seed, double defects, const std::filesystem::path& out) {
  gen::Options options;
  options.accounts = accounts;
  options.seed = seed;
  options.defects = defects;
  options.out = out;
  Status status = gen::Generate(options);
  if (!status.ok()) return Fail(status);
  std::fprintf(stderr, "caisson gen: %lld accounts (seed %llu, defects %.3f) in %s\n",
               static_cast<long long>(accounts), static_cast<unsigned long long>(seed), defects,
               out.string().c_str());
  return 0;
}

int RunSpecShow(const Common& common) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  std::string text = spec::Describe(*setup->profile);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

int RunSpecSchema(const Common& common, const std::filesystem::path& out) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) return Fail(Status::IOError(out.string(), ec.message()));
  const std::string& name = setup->profile->name();
  Status s = emit::WriteFileAtomically(out / (name + ".data.schema.json"), spec::JsonSchema(*setup->profile, true));
  if (s.ok()) s = emit::WriteFileAtomically(out / (name + ".tid.schema.json"), spec::JsonSchema(*setup->profile, false));
  if (!s.ok()) return Fail(s);
  std::fprintf(stderr, "caisson spec schema: wrote %s.data.schema.json and %s.tid.schema.json in %s\n", name.c_str(),
               name.c_str(), out.string().c_str());
  return 0;
}

}  // namespace caisson::app
