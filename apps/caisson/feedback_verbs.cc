// `caisson feedback ingest`: CAIS's per-file feedback into the state store (docs/feedback.md).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "caisjson/caisjson.h"
#include "commands.h"
#include "feedback/feedback.h"
#include "setup.h"
#include "state_use.h"

namespace caisson::app {

namespace {

namespace fs = std::filesystem;

bool IsFeedbackName(const std::string& name) { return name.find(".feedback.json") != std::string::npos; }

}  // namespace

int RunFeedbackIngest(const Common& common, const std::vector<fs::path>& paths) {
  Result<Setup> setup = Prepare(common, {});
  if (!setup.ok()) return Fail(setup.status());
  std::vector<fs::path> files;
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p, ec)) {
        if (e.is_regular_file() && IsFeedbackName(e.path().filename().string())) files.push_back(e.path());
      }
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      return Fail(Status::NotFound(p.string(), "no such file or folder"));
    }
  }
  // Name order puts v1 before v4 of one file, so a folder is read in the order CAIS wrote it.
  std::sort(files.begin(), files.end());
  Result<std::unique_ptr<state::Store>> store = OpenStore(setup->config, false);
  if (!store.ok()) return Fail(store.status());

  int failed = 0;
  int64_t rejected = 0;
  std::string json = "{\"files\": [";
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string name = files[i].filename().string();
    std::string outcome;
    Result<std::string> text = caisjson::ReadMaybeBz2(files[i]);
    Result<feedback::FileFeedback> fb = text.ok() ? feedback::Parse(name, *text) : Result<feedback::FileFeedback>(text.status());
    Result<feedback::Applied> applied =
        fb.ok() ? feedback::Apply(*setup->profile, *fb, store->get()) : Result<feedback::Applied>(fb.status());
    if (!applied.ok()) {
      ++failed;
      std::fprintf(stderr, "caisson feedback: %s\n", applied.status().ToString().c_str());
      outcome = "error";
    } else if (applied->foreign) {
      outcome = "not a file Caisson wrote: recorded in the audit trail";
    } else if (applied->stale) {
      outcome = "already seen: nothing changed";
    } else if (applied->settled) {
      rejected += applied->rejected_fdids + applied->rejected_customers;
      outcome = fmt::format("{} FDIDs and {} customers accepted, {} FDIDs and {} customers not (the next --delta "
                            "sends them again)",
                            applied->accepted_fdids, applied->accepted_customers, applied->rejected_fdids,
                            applied->rejected_customers);
    } else {
      outcome = "recorded";
    }
    if (fb.ok()) {
      std::fprintf(stderr, "  %s: v%d %s: %s\n", name.c_str(), fb->version, fb->status.c_str(), outcome.c_str());
    }
    std::string quoted_name, quoted_outcome;
    AppendJsonString(name, &quoted_name);
    AppendJsonString(outcome, &quoted_outcome);
    json += fmt::format("{}{{\"file\": {}, \"status\": \"{}\", \"outcome\": {}}}", i == 0 ? "" : ", ", quoted_name,
                        fb.ok() ? fb->status : "", quoted_outcome);
  }
  json += "]}\n";
  if (common.json) std::fwrite(json.data(), 1, json.size(), stdout);
  std::fprintf(stderr, "caisson feedback ingest: %zu file(s), %d unreadable or refused\n", files.size(), failed);
  if (failed > 0) return 2;
  return rejected > 0 ? 1 : 0;
}

}  // namespace caisson::app
