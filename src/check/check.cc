// CheckPaths: file integrity for each Data/TID pair [§6.2; rules.md §1], then the F record rules through
// validate. An integrity failure rejects the whole file and its partner [§6.2 R11], so record rules run only for
// pairs where neither file failed.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "base/timings.h"
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
  std::unique_ptr<caisjson::MappedText> text;  // while its pair is checked
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
// first (it pairs them); the decompressed text is made only when its pair is checked, in a temporary file
// that is mapped (caisjson::MapMaybeBz2), so that the pages of one pair are in memory only while read.
void LoadName(const Options& options, FileRun* f) {
  f->fn = internal::CheckName(f->name, options.today, &f->findings);
}

// OK, with findings about the file; an error only when the machine fails (a temporary file).
Status LoadText(const spec::Profile& profile, const Options& options, FileRun* f) {
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
  Result<std::unique_ptr<caisjson::MappedText>> text = caisjson::MapMaybeBz2(f->path);
  if (!text.ok() && text.status().code() == Status::Code::kIOError &&
      !text.status().message().starts_with(f->path.string())) {
    return text.status();
  }
  if (!text.ok()) {
    if (text.status().code() == Status::Code::kCorruption) {
      f->findings.push_back(FileFinding("file.compression", bz_code, f->name, 0,
                                        "the BZip2 data is damaged or truncated and cannot be decompressed"));
    } else {
      f->findings.push_back(FileFinding("file.json", tid ? "21511" : "21011", f->name, 0,
                                        fmt::format("the file cannot be read: {}", text.status().message())));
    }
    return Status::OK();
  }
  f->text = std::move(text).value();
  f->readable = true;
  int64_t bytes = static_cast<int64_t>(f->text->text().size());
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
  return Status::OK();
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


// What one batch of a pair found.
struct BatchResult {
  std::vector<Finding> findings;      // everything, as if the pair passed file integrity
  std::vector<Finding> file_level;    // the reader's file.* findings among them (duplicate keys in records)
  validate::Summary summary;          // record counts, holds applied
  int64_t fdids = 0, customers = 0, tids = 0;  // records read
};

// The portal's record limits, judged on the records read [§5.1.3 R12; §5.1.4 R9].
void CheckPortalCounts(const spec::Profile& profile, const Options& options, int64_t fdids, int64_t customers,
                       int64_t tid_records, Pair* pair) {
  if (!options.portal) return;
  int64_t max = profile.portal_max_records();
  // Each record limit names a count attribute as its field, so it stays apart from the (code-less) size finding.
  if (FileRun* d = pair->data; d != nullptr && d->readable) {
    if (fdids > max) {
      d->findings.push_back(FileFinding(
          "file.size", internal::PortalLimitCode(internal::PortalLimit::kFdidRecords, FileKind::kData), d->name, 0,
          fmt::format("the file holds {} FDID Records; a portal upload allows at most {}", fdids, max)));
      d->findings.back().field = "fdidRecordCount";
    }
    if (customers > max) {
      d->findings.push_back(FileFinding(
          "file.size", internal::PortalLimitCode(internal::PortalLimit::kCustomerRecords, FileKind::kData), d->name,
          0, fmt::format("the file holds {} Customer Records; a portal upload allows at most {}", customers, max)));
      d->findings.back().field = "naturalPersonCustomerRecordCount";  // with legalEntityCustomerRecordCount
    }
  }
  if (FileRun* t = pair->tid; t != nullptr && t->readable && tid_records > max) {
    t->findings.push_back(FileFinding(
        "file.size", internal::PortalLimitCode(internal::PortalLimit::kTidRecords, FileKind::kTid), t->name, 0,
        fmt::format("the file holds {} TID Records; a portal upload allows at most {}", tid_records, max)));
    t->findings.back().field = "tidRecordCount";
  }
}

// file.pair [§5.1; §5.1.1 R5; §6.2 R11; App B 21014, 21514]: a file without its partner fails, and an
// integrity failure of one file fails its partner too. The partner gets one finding with its own "paired file
// failed" code, however many rules the failing file broke. Returns whether the pair is blocked.
bool JudgePairing(Pair* pair) {
  if (pair->data == nullptr) {
    pair->tid->findings.push_back(FileFinding("file.pair", "21514", pair->tid->name, 0,
                                              "the paired Data File (same base name, CAIS) is missing"));
  }
  if (pair->tid == nullptr) {
    pair->data->findings.push_back(FileFinding("file.pair", "21014", pair->data->name, 0,
                                               "the paired TID File (same base name, TIDS) is missing"));
  }
  if (pair->data == nullptr || pair->tid == nullptr) return true;
  bool blocked = false;
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
  return blocked;
}


// Groups of the pair in batches of about `records` records (all in one when 0), in group order.
std::vector<std::vector<uint32_t>> Batches(const caisjson::PairReader& reader, size_t records) {
  std::vector<std::vector<uint32_t>> batches;
  size_t filled = 0;
  for (uint32_t g = 0; g < reader.group_count(); ++g) {
    if (batches.empty() || (records > 0 && filled >= records)) {
      batches.emplace_back();
      filled = 0;
    }
    batches.back().push_back(g);
    filled += reader.group_size(g);
  }
  return batches;
}

// The record rules on one batch of groups: what validate finds about them, with holds.
Status CheckBatch(const spec::Profile& profile, const caisjson::PairReader& reader, const validate::Options& vopts,
                  const std::vector<uint32_t>& groups, BatchResult* out) {
  model::Books books;
  reader.StartBooks(&books);
  std::vector<int64_t> whole_fdid, whole_customer;
  reader.Read(groups, &books, &out->findings, &whole_fdid, &whole_customer);
  for (const Finding& x : out->findings) {
    if (x.record == RecordKind::kFile && x.rule.starts_with("file.")) out->file_level.push_back(x);
  }
  out->fdids = static_cast<int64_t>(books.fdids.size());
  out->customers = static_cast<int64_t>(books.customers.size());
  for (const model::Customer& c : books.customers) out->tids += c.tid.has_value() ? 1 : 0;
  CAISSON_RETURN_IF_ERROR(validate::Validate(profile, books, vopts, &out->findings));
  const validate::Holds holds = validate::ResolveHolds(books, vopts, &out->findings);
  out->summary = validate::Summarise(books, holds, out->findings);
  // Findings name records as a read of the whole pair would (Report::findings; cais-sim relies on it).
  for (Finding& x : out->findings) {
    if (x.record_index < 0) continue;
    const std::vector<int64_t>& whole = x.record == RecordKind::kFdid ? whole_fdid : whole_customer;
    const bool mapped = x.record != RecordKind::kFile && static_cast<size_t>(x.record_index) < whole.size();
    x.record_index = mapped ? whole[static_cast<size_t>(x.record_index)] : -1;
  }
  return Status::OK();
}

// A pair is read a batch of groups at a time (caisjson::PairReader), on options.workers threads: the rules
// compare only records of one group, so each batch is validated on its own. Whether the pair passed file
// integrity is known only once every record was read (a record may repeat a key), so every batch is validated
// and the verdict decides afterwards which findings count.
Status CheckPair(const spec::Profile& profile, const Options& options, Pair* pair, Report* report) {
  PhaseTimer timer("caisson check");
  for (FileRun* f : {pair->data, pair->tid}) {
    if (f != nullptr) CAISSON_RETURN_IF_ERROR(LoadText(profile, options, f));
  }
  timer.Mark("decompress");
  auto file_of = [](FileRun* f, uint32_t index) {
    caisjson::PairReader::File file;
    file.json = f->text->text();
    file.name = f->name;
    file.file_index = index;
    file.findings = &f->findings;
    const caisjson::MappedText* text = f->text.get();
    file.release = [text] { text->Release(); };
    return file;
  };
  std::optional<caisjson::PairReader::File> data, tid;
  if (pair->data != nullptr && pair->data->readable) data = file_of(pair->data, 0);
  if (pair->tid != nullptr && pair->tid->readable) tid = file_of(pair->tid, pair->data != nullptr ? 1 : 0);
  caisjson::PairReader reader;
  CAISSON_RETURN_IF_ERROR(reader.Open(profile, data ? &*data : nullptr, tid ? &*tid : nullptr));
  timer.Mark("read keys");
  if (data) {
    model::Books header;
    reader.StartBooks(&header);
    CheckHeader(header, options, pair->data);
  }

  validate::Options vopts;
  vopts.mode = validate::Mode::kFile;
  vopts.as_of = options.as_of;
  vopts.policy = options.policy;
  const std::vector<std::vector<uint32_t>> batches = Batches(reader, options.batch_records);
  std::vector<BatchResult> results(batches.size());
  std::vector<Status> statuses(batches.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t b = next++; b < batches.size(); b = next++) {
      statuses[b] = CheckBatch(profile, reader, vopts, batches[b], &results[b]);
      for (FileRun* f : {pair->data, pair->tid}) {
        if (f != nullptr && f->text) f->text->Release();
      }
    }
  };
  {
    std::vector<std::jthread> threads;
    for (int t = 1; t < std::min<int>(options.workers, static_cast<int>(batches.size())); ++t) {
      threads.emplace_back(work);
    }
    work();
  }
  for (const Status& st : statuses) CAISSON_RETURN_IF_ERROR(st);
  timer.Mark("batches");

  int64_t fdids = 0, customers = 0, tids = 0;
  for (BatchResult& r : results) {
    fdids += r.fdids;
    customers += r.customers;
    tids += r.tids;
    // The reader's file.* findings about records count towards the file's integrity.
    for (Finding& x : r.file_level) {
      for (FileRun* f : {pair->data, pair->tid}) {
        if (f != nullptr && f->name == x.file) f->findings.push_back(std::move(x));
      }
    }
    r.file_level = {};
  }
  CheckPortalCounts(profile, options, fdids, customers, reader.tid_records(), pair);
  const bool blocked = JudgePairing(pair);

  std::vector<Finding> findings;
  validate::Summary summary;
  summary.fdids = fdids;
  summary.customers = customers;
  summary.tids = tids;
  if (blocked) {
    // Record rules (correction.format too, though its record is "file") are not run for a pair that failed
    // integrity: CAIS never reaches them. Every record is held back.
    for (FileRun* f : {pair->data, pair->tid}) {
      if (f == nullptr) continue;
      for (Finding& x : f->findings) {
        if (x.record == RecordKind::kFile && x.rule.starts_with("file.")) findings.push_back(std::move(x));
      }
    }
    summary.held_fdids = fdids;
    summary.held_customers = customers;
    validate::CountFindings(findings, &summary);
  } else {
    for (FileRun* f : {pair->data, pair->tid}) {
      if (f == nullptr) continue;
      // The batches hold the reader's file.* findings about records too: only the file's own are taken here.
      for (Finding& x : f->findings) findings.push_back(std::move(x));
    }
    for (BatchResult& r : results) {
      findings.insert(findings.end(), std::make_move_iterator(r.findings.begin()),
                      std::make_move_iterator(r.findings.end()));
      r.findings = {};
      summary.rejected_fdids += r.summary.rejected_fdids;  // fdids, customers, tids: counted as read, above
      summary.rejected_customers += r.summary.rejected_customers;
      summary.held_fdids += r.summary.held_fdids;
      summary.held_customers += r.summary.held_customers;
    }
    SortAndDedupe(&findings);
    validate::CountFindings(findings, &summary);
  }
  for (FileRun* f : {pair->data, pair->tid}) {
    if (f == nullptr) continue;
    f->findings = {};
    f->text.reset();
  }
  validate::AddRecordCounts(summary, &report->summary);
  report->summary.rejects += summary.rejects;
  report->summary.warnings += summary.warnings;
  report->summary.policy += summary.policy;
  report->summary.inconsistencies += summary.inconsistencies;
  for (Finding& x : findings) report->findings.push_back(std::move(x));
  timer.Mark("merge");
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
      CAISSON_RETURN_IF_ERROR(LoadText(profile, options, run.get()));
      run->text.reset();
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
