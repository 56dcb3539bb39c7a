// `caisson validate` and `caisson build`: books -> ingest -> identity -> validate -> (emit).
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "caisjson/caisjson.h"
#include "commands.h"
#include "config/config.h"
#include "emit/emit.h"
#include "identity/identity.h"
#include "ingest/ingest.h"
#include "setup.h"
#include "validate/validate.h"

namespace caisson::app {

namespace {

struct Outcome {
  validate::Holds holds;
  validate::Summary summary;
  std::vector<Finding> findings;
};

// Runs everything up to the holds. The sensitive input dies inside identity::Transform.
Status ValidateBooks(const Setup& setup, const std::filesystem::path& dir, model::Books* books, Outcome* outcome) {
  ingest::Options ingest_options;
  ingest_options.as_of = setup.as_of;
  Result<ingest::Loaded> loaded = ingest::LoadBooks(dir, ingest_options, &outcome->findings);
  if (!loaded.ok()) return loaded.status();
  *books = std::move(loaded->books);

  identity::Options id_options;
  id_options.transformer = setup.config.transformer;
  id_options.command = setup.config.command;
  id_options.as_of = setup.as_of;
  CAISSON_RETURN_IF_ERROR(
      identity::Transform(*setup.profile, id_options, books, &loaded->sensitive, &outcome->findings));

  validate::Options options;
  options.mode = validate::Mode::kBooks;
  options.as_of = setup.as_of;
  options.policy = setup.config.rules;
  CAISSON_RETURN_IF_ERROR(validate::Validate(*setup.profile, *books, options, &outcome->findings));
  outcome->holds = validate::ResolveHolds(*books, options, &outcome->findings);
  outcome->summary = validate::Summarise(*books, outcome->holds, outcome->findings);
  return Status::OK();
}

void PrintSummary(const char* verb, const validate::Summary& s) {
  std::fprintf(stderr,
               "caisson %s: %lld FDIDs, %lld customers; held back %lld FDIDs and %lld customers "
               "(%lld rejects, %lld warnings, %lld policy, %lld predicted inconsistencies)\n",
               verb, static_cast<long long>(s.fdids), static_cast<long long>(s.customers),
               static_cast<long long>(s.held_fdids), static_cast<long long>(s.held_customers),
               static_cast<long long>(s.rejects), static_cast<long long>(s.warnings),
               static_cast<long long>(s.policy), static_cast<long long>(s.inconsistencies));
}

void PrintFindingsText(const std::vector<Finding>& findings, size_t limit) {
  size_t shown = 0;
  for (const Finding& f : findings) {
    if (shown++ == limit) {
      std::fprintf(stderr, "  ... and %zu more (see --format json or findings.json)\n", findings.size() - limit);
      break;
    }
    std::string where = f.file.empty() ? std::string("-") : f.file;
    if (f.line > 0) where += fmt::format(":{}", f.line);
    std::fprintf(stderr, "  %s %s [%s%s%s] %s%s%s: %s\n", where.c_str(), std::string(SeverityName(f.severity)).c_str(),
                 f.rule.c_str(), f.cais_code.empty() ? "" : " ", f.cais_code.c_str(), f.key.c_str(),
                 f.field.empty() ? "" : " ", f.field.c_str(), f.message.c_str());
  }
}

}  // namespace

int RunValidate(const Common& common, const BooksArgs& args) {
  Result<Setup> setup = Prepare(common, args.books);
  if (!setup.ok()) return Fail(setup.status());
  model::Books books;
  Outcome outcome;
  Status run = ValidateBooks(*setup, args.books, &books, &outcome);
  if (!run.ok()) return Fail(run);
  if (common.json) {
    std::string doc = validate::FindingsJson(setup->profile->name(), outcome.summary, outcome.findings);
    std::fwrite(doc.data(), 1, doc.size(), stdout);
  } else {
    PrintFindingsText(outcome.findings, 50);
  }
  PrintSummary("validate", outcome.summary);
  return ExitCode(run, outcome.summary.held_fdids + outcome.summary.held_customers, 0);
}

int RunBuild(const Common& common, const BooksArgs& args) {
  Result<Setup> setup = Prepare(common, args.books);
  if (!setup.ok()) return Fail(setup.status());
  const config::Config& cfg = setup->config;
  if (cfg.cat_submitter_id < 0 || cfg.cat_reporter_crd < 0) {
    return Fail(Status::InvalidArgument(cfg.path.empty() ? "caisson.toml" : cfg.path.string(),
                                        "[firm] cat_submitter_id and cat_reporter_crd are required to build"));
  }
  emit::Options options;
  options.cat_submitter_id = cfg.cat_submitter_id;
  options.cat_reporter_crd = cfg.cat_reporter_crd;
  options.group = args.group_set ? args.group : cfg.group;
  options.max_file_bytes = cfg.max_file_bytes;
  options.portal = args.portal || cfg.portal;
  options.out_dir = args.out;
  options.compressor =
      cfg.compressor == "libbz2" ? caisjson::Compressor::kLibbz2 : caisjson::Compressor::kLbzip2;
  options.file_date = setup->today;
  if (!args.file_date.empty()) {
    options.file_date = config::ParseDate(args.file_date);
    if (options.file_date < 0 || options.file_date > setup->today) {
      return Fail(Status::InvalidArgument("--file-date", "not a date YYYYMMDD on or before today (New York)"));
    }
  }
  if (args.group_set && !args.group.empty() && !config::IsValidGroup(args.group)) {
    return Fail(Status::InvalidArgument("--group", "must be 1 to 20 letters or digits and not \"caisweb\" [Table 10]"));
  }

  model::Books books;
  Outcome outcome;
  Status run = ValidateBooks(*setup, args.books, &books, &outcome);
  if (!run.ok()) return Fail(run);

  Result<emit::Written> written = emit::WriteSubmission(*setup->profile, books, outcome.holds, options);
  if (!written.ok()) return Fail(written.status());
  std::string doc = validate::FindingsJson(setup->profile->name(), outcome.summary, outcome.findings);
  Status status = emit::WriteFileAtomically(args.out / "findings.json", doc);
  if (status.ok()) status = emit::WriteManifest(*setup->profile, options, written.value(), outcome.summary);
  if (!status.ok()) return Fail(status);

  if (common.json) {
    std::fwrite(doc.data(), 1, doc.size(), stdout);
  } else {
    PrintFindingsText(outcome.findings, 20);
  }
  for (const emit::PairInfo& pair : written->pairs) {
    std::fprintf(stderr, "  wrote %s (%lld FDIDs, %lld NP, %lld LE) + %s (%lld TIDs)\n", pair.data_name.c_str(),
                 static_cast<long long>(pair.fdids), static_cast<long long>(pair.natural_persons),
                 static_cast<long long>(pair.legal_entities), pair.tid_name.c_str(),
                 static_cast<long long>(pair.tids));
  }
  PrintSummary("build", outcome.summary);
  std::fprintf(stderr, "caisson build: %zu file pair(s) in %s; manifest.json and findings.json stay local\n",
               written->pairs.size(), args.out.string().c_str());
  return ExitCode(run, outcome.summary.held_fdids + outcome.summary.held_customers, 0);
}

}  // namespace caisson::app
