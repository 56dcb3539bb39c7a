// CheckPaths: file integrity for each Data/TID pair [§6.2; rules.md §1], then the F record rules through
// validate. An integrity failure rejects the whole file and its partner [§6.2 R11], so record rules run only for
// pairs where neither file failed.
#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "caisjson/caisjson.h"
#include "check/check.h"
#include "check/internal.h"

namespace caisson::check {

namespace {

namespace fs = std::filesystem;
using internal::FileFinding;
using internal::FileKind;

struct FileRun {
  fs::path path;
  std::string name;
  internal::FileName fn;
  std::vector<Finding> findings;
  std::string text;
  bool readable = false;
  bool soft_compression = false;  // a plain .json file: reported (21013) but still checked in full
};

struct Pair {
  FileRun* data = nullptr;
  FileRun* tid = nullptr;
};

bool IsCandidate(const fs::path& p) {
  std::string n = p.filename().string();
  if (n == "manifest.json" || n == "findings.json") return false;
  if (!n.ends_with(".json.bz2") && !n.ends_with(".json")) return false;
  return n.find("_CAIS_") != std::string::npos || n.find("_TIDS_") != std::string::npos;
}

bool StartsWithBz2Magic(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  char magic[3] = {0, 0, 0};
  in.read(magic, 3);
  return in.gcount() == 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h';
}

// Name, compression, size: everything decided before parsing [rules.md §1]. The name is judged for every file
// first (it pairs them); the decompressed text is read only when its pair is checked and released as soon as
// its records are read, so that one file's text is alive at a time, not every file's next to a model.
void LoadName(const Options& options, FileRun* f) {
  f->fn = internal::CheckName(f->name, options.today, &f->findings);
}

void LoadText(const spec::Profile& profile, const Options& options, FileRun* f) {
  bool tid = f->fn.kind == FileKind::kTid;
  std::string_view bz_code = tid ? "21513" : "21013";
  bool bz2 = StartsWithBz2Magic(f->path);
  if (!bz2) {
    f->soft_compression = f->fn.plain_json;
    f->findings.push_back(FileFinding("file.compression", bz_code, f->name, 0,
                                      f->fn.plain_json
                                          ? "the file is plain JSON; CAIS files must be BZip2-compressed (.json.bz2)"
                                          : "the file is not BZip2-compressed"));
  }
  Result<std::string> text = caisjson::ReadMaybeBz2(f->path);
  if (!text.ok()) {
    if (text.status().code() == Status::Code::kCorruption) {
      f->findings.push_back(FileFinding("file.compression", bz_code, f->name, 0,
                                        "the BZip2 data is damaged or truncated and cannot be decompressed"));
    } else {
      f->findings.push_back(FileFinding("file.json", tid ? "21511" : "21011", f->name, 0,
                                        fmt::format("the file cannot be read: {}", text.status().message())));
    }
    return;
  }
  f->text = std::move(text).value();
  f->readable = true;
  int64_t bytes = static_cast<int64_t>(f->text.size());
  if (bytes > profile.max_file_bytes_hard()) {
    f->findings.push_back(FileFinding("file.size", "", f->name, 0,
                                      fmt::format("the file holds {} bytes uncompressed, more than the {} allowed",
                                                  bytes, profile.max_file_bytes_hard())));
  } else if (options.portal && bytes > profile.portal_max_file_bytes()) {
    // [§5.1.3 R12; §5.1.4 R9]: the 1 GB portal limit has no App B code (21009/21509 count records only).
    f->findings.push_back(FileFinding("file.size", internal::PortalLimitCode(internal::PortalLimit::kBytes,
                                                                             f->fn.kind),
                                      f->name, 0,
                                      fmt::format("the file holds {} bytes uncompressed, more than the {} a portal "
                                                  "upload allows",
                                                  bytes, profile.portal_max_file_bytes())));
  }
}

// file.header: the header values agree with the name and with the configured firm [§6.2 R7–R8].
void CheckHeader(const model::Books& books, const Options& options, FileRun* f) {
  struct Value {
    const char* field;
    const char* code;
    const model::Num& header;
    int64_t from_name;
    int64_t configured;
  };
  for (const Value& v : {Value{"catSubmitterID", "21002", books.cat_submitter_id, f->fn.submitter_id,
                               options.cat_submitter_id},
                         Value{"catReporterCRD", "21003", books.cat_reporter_crd, f->fn.reporter_crd,
                               options.cat_reporter_crd}}) {
    if (!v.header.has_value()) continue;  // missing or not Unsigned: reported by the reader
    if (v.from_name >= 0 && v.header.value != v.from_name) {
      Finding x = FileFinding("file.header", v.code, f->name, 0,
                              fmt::format("{} is {} but the file name says {}", v.field, v.header.value, v.from_name));
      x.field = v.field;
      f->findings.push_back(std::move(x));
    }
    if (v.configured >= 0 && v.header.value != v.configured) {
      Finding x = FileFinding("file.header", v.code, f->name, 0,
                              fmt::format("{} is {} but the firm is configured with {}", v.field, v.header.value,
                                          v.configured));
      x.field = v.field;
      f->findings.push_back(std::move(x));
    }
  }
}

// The blocking integrity failures of a file: (rule, code) of every file.* reject.
std::set<std::pair<std::string, std::string>> Failures(const FileRun& f) {
  std::set<std::pair<std::string, std::string>> out;
  for (const Finding& x : f.findings) {
    if (x.severity != Severity::kReject || !x.rule.starts_with("file.")) continue;
    if (f.soft_compression && x.rule == "file.compression") continue;
    out.emplace(x.rule, x.cais_code);
  }
  return out;
}

void Accumulate(const validate::Summary& s, validate::Summary* total) {
  total->fdids += s.fdids;
  total->customers += s.customers;
  total->tids += s.tids;
  total->rejected_fdids += s.rejected_fdids;
  total->rejected_customers += s.rejected_customers;
  total->held_fdids += s.held_fdids;
  total->held_customers += s.held_customers;
  total->rejects += s.rejects;
  total->warnings += s.warnings;
  total->policy += s.policy;
  total->inconsistencies += s.inconsistencies;
}

Status CheckPair(const spec::Profile& profile, const Options& options, Pair* pair, Report* report) {
  model::Books books;
  int64_t tid_records = 0;
  if (pair->data != nullptr) LoadText(profile, options, pair->data);
  if (pair->data != nullptr && pair->data->readable) {
    FileRun* d = pair->data;
    CAISSON_RETURN_IF_ERROR(caisjson::ReadDataFile(profile, d->text, d->name, 0, &books, &d->findings));
    std::string().swap(d->text);  // the model holds what is needed now
    CheckHeader(books, options, d);
    int64_t max = profile.portal_max_records();
    // Each record limit names a count attribute as its field, so it stays apart from the (code-less) size finding.
    if (options.portal && static_cast<int64_t>(books.fdids.size()) > max) {
      d->findings.push_back(FileFinding(
          "file.size", internal::PortalLimitCode(internal::PortalLimit::kFdidRecords, FileKind::kData), d->name, 0,
          fmt::format("the file holds {} FDID Records; a portal upload allows at most {}", books.fdids.size(), max)));
      d->findings.back().field = "fdidRecordCount";
    }
    if (options.portal && static_cast<int64_t>(books.customers.size()) > max) {
      d->findings.push_back(FileFinding(
          "file.size", internal::PortalLimitCode(internal::PortalLimit::kCustomerRecords, FileKind::kData), d->name,
          0,
          fmt::format("the file holds {} Customer Records; a portal upload allows at most {}", books.customers.size(),
                      max)));
      d->findings.back().field = "naturalPersonCustomerRecordCount";  // with legalEntityCustomerRecordCount
    }
  }
  if (pair->tid != nullptr) LoadText(profile, options, pair->tid);
  if (pair->tid != nullptr && pair->tid->readable) {
    FileRun* t = pair->tid;
    uint32_t index = pair->data != nullptr ? 1 : 0;
    CAISSON_RETURN_IF_ERROR(caisjson::ReadTidFile(profile, t->text, t->name, index, &books, &t->findings, &tid_records));
    std::string().swap(t->text);
    if (options.portal && tid_records > profile.portal_max_records()) {
      t->findings.push_back(FileFinding(
          "file.size", internal::PortalLimitCode(internal::PortalLimit::kTidRecords, FileKind::kTid), t->name, 0,
          fmt::format("the file holds {} TID Records; a portal upload allows at most {}", tid_records,
                      profile.portal_max_records())));
      t->findings.back().field = "tidRecordCount";
    }
  }
  // file.pair [§5.1; §5.1.1 R5]: a file without its partner fails.
  if (pair->data == nullptr) {
    pair->tid->findings.push_back(FileFinding("file.pair", "21514", pair->tid->name, 0,
                                              "the paired Data File (same base name, CAIS) is missing"));
  }
  if (pair->tid == nullptr) {
    pair->data->findings.push_back(FileFinding("file.pair", "21014", pair->data->name, 0,
                                               "the paired TID File (same base name, TIDS) is missing"));
  }
  // [§6.2 R11; App B 21014, 21514]: an integrity failure of one file fails its partner too. The partner gets one
  // finding with its own "paired file failed" code, however many rules the failing file broke.
  bool blocked = false;
  if (pair->data != nullptr && pair->tid != nullptr) {
    auto data_fail = Failures(*pair->data), tid_fail = Failures(*pair->tid);
    for (auto [from, to, fails] : {std::tuple{pair->data, pair->tid, &data_fail},
                                   std::tuple{pair->tid, pair->data, &tid_fail}}) {
      if (fails->empty()) continue;
      blocked = true;
      std::string rules, last;  // *fails is ordered by rule: each rule once
      for (const auto& [rule, code] : *fails) {
        if (rule == last) continue;
        rules += (rules.empty() ? "" : ", ") + rule;
        last = rule;
      }
      to->findings.push_back(FileFinding(
          "file.pair", internal::PartnerCode(to->fn.kind), to->name, 0,
          fmt::format("the paired file {} failed file integrity ({}), so this file is rejected with it", from->name,
                      rules)));
    }
  } else {
    blocked = true;
  }

  std::vector<Finding> findings;
  for (FileRun* f : {pair->data, pair->tid}) {
    if (f == nullptr) continue;
    for (Finding& x : f->findings) {
      // Record rules (correction.format too, though its record is "file") are not run for a pair that failed
      // integrity: CAIS never reaches them.
      if (blocked && (x.record != RecordKind::kFile || !x.rule.starts_with("file."))) continue;
      findings.push_back(std::move(x));
    }
    f->text.clear();
    f->text.shrink_to_fit();
  }
  validate::Options vopts;
  vopts.mode = validate::Mode::kFile;
  vopts.as_of = options.as_of;
  vopts.policy = options.policy;
  validate::Holds holds;
  if (blocked) {
    holds.fdid.assign(books.fdids.size(), true);
    holds.customer.assign(books.customers.size(), true);
  } else {
    CAISSON_RETURN_IF_ERROR(validate::Validate(profile, books, vopts, &findings));
    holds = validate::ResolveHolds(books, vopts, &findings);
  }
  Accumulate(validate::Summarise(books, holds, findings), &report->summary);
  for (Finding& x : findings) report->findings.push_back(std::move(x));
  return Status::OK();
}

}  // namespace

Status CheckPaths(const spec::Profile& profile, const std::vector<std::filesystem::path>& paths,
                  const Options& options, Report* report) {
  std::vector<fs::path> files;
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (!fs::exists(p, ec)) return Status::NotFound(p.string(), "no such file or folder");
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> inside;
      for (const fs::directory_entry& e : fs::directory_iterator(p, ec)) {
        if (e.is_regular_file() && IsCandidate(e.path())) inside.push_back(e.path());
      }
      if (ec) return Status::IOError(p.string(), ec.message());
      std::sort(inside.begin(), inside.end());
      files.insert(files.end(), inside.begin(), inside.end());
    } else {
      files.push_back(p);
    }
  }
  std::vector<std::unique_ptr<FileRun>> runs;
  std::set<fs::path> seen;
  for (const fs::path& p : files) {
    if (!seen.insert(fs::weakly_canonical(p)).second) continue;
    auto run = std::make_unique<FileRun>();
    run->path = p;
    run->name = p.filename().string();
    runs.push_back(std::move(run));
  }
  report->files += static_cast<int64_t>(runs.size());

  std::vector<Pair> pairs;
  for (auto& run : runs) {
    LoadName(options, run.get());
    if (run->fn.kind == FileKind::kUnknown) {
      // Neither CAIS nor TIDS: only its name can be judged (and whether it can be read).
      LoadText(profile, options, run.get());
      std::string().swap(run->text);
      for (Finding& x : run->findings) report->findings.push_back(std::move(x));
      run->findings.clear();
      continue;
    }
    bool is_tid = run->fn.kind == FileKind::kTid;
    Pair* slot = nullptr;
    for (Pair& p : pairs) {
      FileRun* other = p.data != nullptr ? p.data : p.tid;
      if (other->fn.pair_key == run->fn.pair_key && (is_tid ? p.tid : p.data) == nullptr) {
        slot = &p;
        break;
      }
    }
    if (slot == nullptr) slot = &pairs.emplace_back();
    (is_tid ? slot->tid : slot->data) = run.get();
  }
  for (Pair& p : pairs) CAISSON_RETURN_IF_ERROR(CheckPair(profile, options, &p, report));
  SortAndDedupe(&report->findings);
  return Status::OK();
}

}  // namespace caisson::check
