// The steps `caisson build` shares between its paths (build_steps.h).
#include "build_steps.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "audit/audit.h"

namespace caisson::app {

void PrintSummary(const char* verb, const validate::Summary& s) {
  std::fprintf(stderr,
               "caisson %s: %lld FDIDs, %lld customers; held back %lld FDIDs and %lld customers "
               "(%lld rejects, %lld warnings, %lld policy, %lld predicted inconsistencies)\n",
               verb, static_cast<long long>(s.fdids), static_cast<long long>(s.customers),
               static_cast<long long>(s.held_fdids), static_cast<long long>(s.held_customers),
               static_cast<long long>(s.rejects), static_cast<long long>(s.warnings),
               static_cast<long long>(s.policy), static_cast<long long>(s.inconsistencies));
}

void PrintDeltaCounts(const delta::Plan& plan) {
  std::fprintf(stderr,
               "caisson build --delta: %lld new, %lld changed, %lld carrying a changed customer, %lld with the "
               "FDID they replace, %lld due for the refresh; %lld unchanged FDIDs not sent; %lld changed "
               "customers (%lld of them on no open FDID, so not sent)\n",
               static_cast<long long>(plan.new_fdids), static_cast<long long>(plan.changed_fdids),
               static_cast<long long>(plan.carrier_fdids), static_cast<long long>(plan.replacing_fdids),
               static_cast<long long>(plan.refresh_fdids), static_cast<long long>(plan.unchanged_fdids),
               static_cast<long long>(plan.changed_customers), static_cast<long long>(plan.stranded_customers));
}

void PrintProactive(int64_t flagged) {
  std::fprintf(stderr,
               "caisson build: %lld customer(s) change a value CAIS compares for inconsistencies; sent with "
               "updateNotification true [§6.6.4]\n",
               static_cast<long long>(flagged));
}

void PrintInconsistencies(int64_t open, int64_t resolving) {
  std::fprintf(stderr,
               "caisson build: %lld customer(s) with an open Material Inconsistency, %lld sent with "
               "updateNotification true to resolve it [§6.6.3]\n",
               static_cast<long long>(open), static_cast<long long>(resolving));
}

BuildDigester::BuildDigester(std::string_view kind, const std::string& profile, const emit::Options& o)
    : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr);
  std::string head = fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n", kind, profile, o.cat_submitter_id,
                                 o.cat_reporter_crd, o.file_date, o.group, o.max_file_bytes, o.portal);
  EVP_DigestUpdate(ctx_, head.data(), head.size());
}

void BuildDigester::Correction(const emit::Correction& c, std::string_view record_key) {
  const std::string line = fmt::format("{} {} {} {}\n", c.rejection_id, c.remove,
                                       c.fdid_index >= 0 ? "fdid" : c.customer_index >= 0 ? "customer" : "-",
                                       record_key);
  EVP_DigestUpdate(ctx_, line.data(), line.size());
}

BuildDigester::~BuildDigester() { EVP_MD_CTX_free(ctx_); }

void BuildDigester::Record(std::string_view key, const emit::Fingerprint& fp) {
  EVP_DigestUpdate(ctx_, key.data(), key.size());
  EVP_DigestUpdate(ctx_, "\n", 1);
  EVP_DigestUpdate(ctx_, fp.data(), fp.size());
}

std::string BuildDigester::Hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_, md, &n);
  std::string hex;
  for (unsigned int i = 0; i < n; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

std::string BuildDigest(std::string_view kind, const std::string& profile, const emit::Options& o,
                        const model::Books& books, const emit::Fingerprints& fps, const delta::Plan& plan) {
  BuildDigester digest(kind, profile, o);
  for (const emit::Correction& c : o.corrections) {
    std::string_view key;
    if (c.fdid_index >= 0 && books.fdids[static_cast<size_t>(c.fdid_index)].firm_designated_id) {
      key = *books.fdids[static_cast<size_t>(c.fdid_index)].firm_designated_id;
    } else if (c.customer_index >= 0) {
      key = books.customers[static_cast<size_t>(c.customer_index)].key;
    }
    digest.Correction(c, key);
  }
  const validate::Holds& held = plan.emit_holds;
  for (size_t i = 0; i < fps.fdid.size(); ++i) {
    if (held.fdid[i]) continue;
    const model::Text& key = books.fdids[i].firm_designated_id;
    digest.Fdid(key ? std::string_view(*key) : std::string_view(), fps.fdid[i]);
  }
  digest.EndFdids();
  for (size_t i = 0; i < fps.customer.size(); ++i) {
    if (held.customer[i] || !plan.customer[i]) continue;
    digest.Customer(books.customers[i].key, fps.customer[i]);
  }
  return digest.Hex();
}

Status AuditNothingWritten(state::Store* store, std::string_view kind, int32_t file_date, std::string_view why,
                           int64_t same_as) {
  audit::Event event;
  event.kind = "build";
  event.payload["build"] = std::string(kind);
  event.payload["file_date"] = int64_t{file_date};
  event.payload["submission"] = int64_t{0};
  event.payload["nothing_written"] = std::string(why);
  if (same_as > 0) event.payload["same_as_submission"] = same_as;
  return store->Write([&](state::Txn& txn) { return audit::Append(txn, event); });
}

std::vector<delta::SentFile> SentFiles(const emit::Options& o, const emit::Written& w) {
  std::vector<delta::SentFile> files;
  for (const emit::PairInfo& p : w.pairs) {
    const std::string data_base = emit::BaseName(o, "CAIS", p.file_number);
    const std::string tid_base = emit::BaseName(o, "TIDS", p.file_number);
    delta::SentFile data, tid;
    for (delta::SentFile* f : {&data, &tid}) {
      state::FileEntry& e = f->entry;
      e.cat_submitter_id = o.cat_submitter_id;
      e.cat_reporter_crd = o.cat_reporter_crd;
      e.file_date = o.file_date;
      e.group = o.group;
      e.file_number = p.file_number;
      e.correspondent_crd = p.correspondent_crd < 0 ? 0 : p.correspondent_crd;
    }
    data.entry.base_name = data_base;
    data.entry.kind = "CAIS";
    data.entry.partner = tid_base;
    data.entry.compressed_bytes = static_cast<int64_t>(p.data_compressed_bytes);
    data.entry.uncompressed_bytes = static_cast<int64_t>(p.data_bytes);
    data.entry.sha256 = p.data_sha256;
    data.entry.fdid_records = p.fdids;
    data.entry.customer_records = p.natural_persons + p.legal_entities;
    data.fdids = p.fdid_indices;
    data.customers = p.customer_indices;
    tid.entry.base_name = tid_base;
    tid.entry.kind = "TIDS";
    tid.entry.partner = data_base;
    tid.entry.compressed_bytes = static_cast<int64_t>(p.tid_compressed_bytes);
    tid.entry.uncompressed_bytes = static_cast<int64_t>(p.tid_bytes);
    tid.entry.sha256 = p.tid_sha256;
    tid.entry.tid_records = p.tids;
    // emit places every DELETE in the first Data File.
    if (files.empty()) {
      for (const emit::Correction& c : o.corrections) {
        if (c.remove) data.deleted_rejections.push_back(c.rejection_id);
      }
    }
    files.push_back(std::move(data));
    files.push_back(std::move(tid));
  }
  return files;
}

std::map<std::string, audit::Value> BuildFacts(const std::string& profile, const validate::Summary& sum,
                                               const delta::ActivityReport& activity) {
  return {{"profile", profile},
          {"books_fdids", sum.fdids},
          {"books_customers", sum.customers},
          {"held_fdids", sum.held_fdids},
          {"held_customers", sum.held_customers},
          {"findings_reject", sum.rejects},
          {"findings_warning", sum.warnings},
          {"findings_policy", sum.policy},
          {"findings_inconsistency", sum.inconsistencies},
          {"fdids_ended_inactive", activity.ended_inactive},
          {"fdids_reactivated", activity.reactivated},
          {"fdids_without_activity", activity.without_activity},
          {"fdids_out_of_scope", activity.out_of_scope}};
}

void CountPlanned(const emit::Written& planned, state::Submission* submission) {
  for (const emit::PairInfo& p : planned.pairs) {
    submission->files += 2;
    submission->fdids += p.fdids;
    submission->customers += p.natural_persons + p.legal_entities;
    submission->tids += p.tids;
  }
}

void PrintActivity(const delta::ActivityReport& activity, bool end_inactive) {
  if (activity.ended_inactive + activity.still_inactive + activity.reactivated + activity.out_of_scope > 0 ||
      end_inactive) {
    std::fprintf(stderr,
                 "caisson build: INACTIVE: %lld ended today, %lld still inactive, %lld reactivated by new "
                 "activity; %lld FDIDs out of scope (no activity since 2022-06-12)\n",
                 static_cast<long long>(activity.ended_inactive), static_cast<long long>(activity.still_inactive),
                 static_cast<long long>(activity.reactivated), static_cast<long long>(activity.out_of_scope));
  }
  if (end_inactive && activity.without_activity > 0) {
    std::fprintf(stderr,
                 "caisson build: %lld open FDIDs have no last_activity_date; Caisson cannot tell whether they are "
                 "inactive (flagged in the state store)\n",
                 static_cast<long long>(activity.without_activity));
  }
}

namespace {

// A local file's bytes, or nullopt when it does not exist (or cannot be read).
std::optional<std::string> Existing(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

Status CommitSubmission(const BooksArgs& args, const Setup& setup, const emit::Options& options,
                        const emit::Written& complete, const Outcome& outcome, RecordBeside* recording) {
  // findings.json and manifest.json are in place before the store commits (a run killed after the commit must
  // not lose them); if the commit fails, the last submission's stay, as they were.
  const std::filesystem::path findings = args.out / "findings.json", manifest = args.out / "manifest.json";
  const std::optional<std::string> old_findings = Existing(findings), old_manifest = Existing(manifest);
  std::string doc = validate::FindingsJson(setup.profile->name(), outcome.summary, outcome.findings);
  Status local = emit::WriteFileAtomically(findings, doc);
  if (local.ok()) local = emit::WriteManifest(*setup.profile, options, complete, outcome.summary);
  auto entries = [&](const emit::Written& w) { return SentFiles(options, w); };
  Status recorded = local.ok() ? recording->Finish(&complete, entries) : local;
  if (!recorded.ok()) {
    for (const auto& [path, old] : {std::pair{&findings, &old_findings}, std::pair{&manifest, &old_manifest}}) {
      std::error_code ec;
      // Best effort: the build fails with `recorded` either way.
      if (!old->has_value() || !emit::WriteFileAtomically(*path, **old).ok()) std::filesystem::remove(*path, ec);
    }
  }
  return recorded;
}

int ReportBuild(const Common& common, const BooksArgs& args, const Setup& setup, const emit::Written& written,
                const Outcome& outcome, const state::Submission& submission, const Status& run,
                int64_t pairing_held) {
  std::string doc = validate::FindingsJson(setup.profile->name(), outcome.summary, outcome.findings);
  if (common.json) {
    std::fwrite(doc.data(), 1, doc.size(), stdout);
  } else {
    PrintFindingsText(outcome.findings, 20);
  }
  if (written.corrections_written + written.corrections_unplaced > 0) {
    std::fprintf(stderr, "caisson build: %lld Correction Action Record(s) in correctionList [§6.6.2.1]\n",
                 static_cast<long long>(written.corrections_written));
  }
  for (const emit::PairInfo& pair : written.pairs) {
    std::fprintf(stderr, "  wrote %s (%lld FDIDs, %lld NP, %lld LE) + %s (%lld TIDs)\n", pair.data_name.c_str(),
                 static_cast<long long>(pair.fdids), static_cast<long long>(pair.natural_persons),
                 static_cast<long long>(pair.legal_entities), pair.tid_name.c_str(),
                 static_cast<long long>(pair.tids));
  }
  PrintSummary("build", outcome.summary);
  std::fprintf(stderr,
               "caisson build: submission %lld, %zu file pair(s) in %s; manifest.json and findings.json stay local\n",
               static_cast<long long>(submission.id), written.pairs.size(), args.out.string().c_str());
  return ExitCode(run, outcome.summary.held_fdids + outcome.summary.held_customers + pairing_held, 0);
}

}  // namespace caisson::app
